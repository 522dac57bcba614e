//! The `fabrique` command: see `fabrique --help`.

fn main() -> std::process::ExitCode {
    fabrique_server::cli::main()
}
