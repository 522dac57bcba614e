//! Building and running the server: [`Application::build`] loads the
//! courses, connects and migrates the database, prepares the sandbox and
//! binds the port; [`Application::run_until_stopped`] serves until Ctrl-C
//! or SIGTERM, letting requests in flight (submissions being graded and
//! saved) finish.

use crate::auth::tokens::{random_token, token_hash};
use crate::connections;
use crate::db::Database;
use crate::db::sessions::DatabaseSessionStore;
use crate::housekeeping;
use crate::monitoring;
use crate::router;
use crate::settings::Settings;
use crate::state::AppState;
use anyhow::Context;
use fabrique_exercises::load_catalog;
use fabrique_sandbox::Sandbox;
use std::future::Future;
use std::path::Path;
use tokio::net::TcpListener;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    state: AppState,
    setup_link: Option<String>,
}

impl Application {
    pub async fn build(settings: Settings, data_dir: &Path) -> anyhow::Result<Application> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create the data folder {}", data_dir.display()))?;
        let catalog = load_catalog(&settings.content_dir).map_err(|errors| {
            anyhow::anyhow!(
                "the courses in {} have problems:\n{errors}",
                settings.content_dir.display()
            )
        })?;
        let db = Database::connect(&settings.database_url(data_dir), settings.write_queue)
            .await
            .context("connecting to the database")?;
        let sandbox_config = settings.sandbox_config(data_dir);
        let sandbox = tokio::task::spawn_blocking(move || Sandbox::new(sandbox_config))
            .await
            .context("preparing the sandbox")??;
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("cannot listen on {}", settings.listen))?;
        let port = listener.local_addr()?.port();
        let setup_link = if db.count_admins().await? == 0 {
            let token = random_token();
            db.add_setup_token(&token_hash(&token)).await?;
            let host = match settings.listen.ip() {
                ip if ip.is_unspecified() => "127.0.0.1".to_owned(),
                ip => ip.to_string(),
            };
            Some(format!("http://{host}:{port}/installation?jeton={token}"))
        } else {
            None
        };
        Ok(Application {
            listener,
            state: AppState::new(db, catalog, sandbox, settings),
            setup_link,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener
            .local_addr()
            .map_or(0, |address| address.port())
    }

    /// The one-time link that creates the first administrator, when there
    /// is none yet.
    pub fn setup_link(&self) -> Option<&str> {
        self.setup_link.as_deref()
    }

    /// Serves until Ctrl-C or SIGTERM.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` completes, then lets requests in flight finish.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let store = DatabaseSessionStore::new(self.state.db.clone());
        housekeeping::start(
            self.state.db.clone(),
            store.clone(),
            self.state.settings.retention_days,
        );
        let sessions = SessionManagerLayer::new(store)
            .with_name("fabrique_session")
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_secure(self.state.settings.secure_cookie)
            .with_expiry(Expiry::OnInactivity(crate::auth::session::ADULT_IDLE));
        let live = self.state.live.clone();
        let shutdown = async move {
            shutdown.await;
            live.stop();
        };
        let limits = self.state.settings.connection_limits();
        let open = self.state.connections.clone();
        let app = router::router()
            .layer(sessions)
            .layer(axum::middleware::from_fn_with_state(
                self.state.settings.secure_cookie,
                crate::auth::csrf::give_cookie,
            ))
            .layer(axum::middleware::from_fn_with_state(
                limits.body_read,
                connections::read_body_within,
            ))
            .layer(axum::middleware::from_fn_with_state(
                self.state.clone(),
                monitoring::requests::log_requests,
            ))
            .with_state(self.state);
        connections::serve(self.listener, app, limits, open, shutdown).await;
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("stopping (requests in progress are finishing)");
}
