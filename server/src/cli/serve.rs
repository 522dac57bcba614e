//! `fabrique serve` (or plain `fabrique`): serves the lessons until Ctrl-C
//! or SIGTERM.

use crate::settings::Settings;
use crate::startup::Application;
use std::path::Path;
use std::process::ExitCode;

pub fn run(data_dir: &Path, settings: Settings) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let settings = settings.for_classroom()?;
    crate::monitoring::init_logs();
    runtime.block_on(async {
        let listen = settings.listen;
        let public_url = settings.public_url.clone();
        eprintln!("fabrique: préparation (la première fois, environ une minute)…");
        let application = Application::build(settings, data_dir).await?;
        let port = application.port();
        let host = if listen.ip().is_unspecified() { "127.0.0.1".to_owned() } else { listen.ip().to_string() };
        eprintln!("fabrique: prêt sur http://{host}:{port}/");
        if let Some(url) = public_url {
            eprintln!("fabrique: adresse à taper par les élèves : {url}");
            eprintln!("fabrique: (affichée en grand, avec un QR code, sur la page /formateur/classe)");
        }
        if let Some(link) = application.setup_link() {
            eprintln!("fabrique: aucun compte administrateur. Pour le créer, ouvrez ce lien (valable une fois) :");
            eprintln!("    {link}");
        }
        application.run_until_stopped().await?;
        Ok(ExitCode::SUCCESS)
    })
}
