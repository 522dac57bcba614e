//! What an operator sees of a running server: one log line per request
//! (`requests.rs`), filtered like any `tracing` log with `RUST_LOG`
//! (`info` by default), and counters, gauges and histograms in the
//! Prometheus text format at `/metrics` (`metrics.rs`). Neither holds a
//! password, a code or a program: a request is logged by its route's
//! template (`/api/exercises/{id}/submissions`), its status, its duration
//! and the account's number.

pub mod metrics;
pub mod requests;

pub use metrics::Metrics;

/// Sends the server's logs to the standard error, filtered by `RUST_LOG`
/// (`info` when it is not set).
pub fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
