//! `GET /metrics`: the server's metrics in the Prometheus text format
//! (`monitoring/metrics.rs`), for an operator or a Prometheus server on the
//! school's network. Counts only: no name, no code.

use crate::monitoring::metrics::Gauges;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let gauges = Gauges {
        slots_in_use: state.admission.in_use(),
        queue_length: state.admission.waiting(),
        connections: state
            .settings
            .max_connections
            .max(1)
            .saturating_sub(state.connections.available_permits()),
    };
    (
        [(
            CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(gauges),
    )
}
