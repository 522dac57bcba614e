//! The server's metrics, in the Prometheus text format at `/metrics`:
//!
//! - `fabrique_http_requests_total{method, route, status}`, and
//!   `fabrique_http_request_duration_seconds{route}`;
//! - `fabrique_runs_total{language, verdict}` (`ok`, `error` for a
//!   program that failed, else how the sandbox stopped it: `time_limit`,
//!   `memory_limit`, `output_limit`, `crashed`, or `needs_input` for an
//!   interactive run waiting for an answer: each replay of a conversation
//!   counts as a run) and `fabrique_run_duration_seconds{language}`;
//! - `fabrique_gradings_total{language, verdict}` (`passed`, `failed`) and
//!   `fabrique_grading_duration_seconds{language}`;
//! - `fabrique_sandbox_slots_in_use`, `fabrique_sandbox_queue_length`
//!   (requests waiting for a run thread) and `fabrique_http_connections`
//!   (connections open), read when the page is asked for.
//!
//! Each server has its own registry ([`prometheus_client`]), counted since
//! it started.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};
use std::time::Duration;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VerdictLabels {
    language: String,
    verdict: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LanguageLabels {
    language: String,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// Seconds, from 5 ms to about 40 s.
fn seconds() -> Histogram {
    Histogram::new(exponential_buckets(0.005, 2.0, 14))
}

/// What the server counts, and the gauges read when the page is asked for.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_duration: Histograms<RouteLabels>,
    runs: Family<VerdictLabels, Counter>,
    run_duration: Histograms<LanguageLabels>,
    gradings: Family<VerdictLabels, Counter>,
    grading_duration: Histograms<LanguageLabels>,
    slots_in_use: Gauge,
    queue_length: Gauge,
    connections: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let requests = Family::default();
        registry.register(
            "fabrique_http_requests",
            "Requests answered, by method, route and status",
            requests.clone(),
        );
        let request_duration = Histograms::new_with_constructor(seconds as fn() -> Histogram);
        registry.register_with_unit(
            "fabrique_http_request_duration",
            "Time to answer a request, by route",
            Unit::Seconds,
            request_duration.clone(),
        );
        let runs = Family::default();
        registry.register(
            "fabrique_runs",
            "Programs run with the learner's input, by language and status",
            runs.clone(),
        );
        let run_duration = Histograms::new_with_constructor(seconds as fn() -> Histogram);
        registry.register_with_unit(
            "fabrique_run_duration",
            "Time to run a program in the sandbox, by language",
            Unit::Seconds,
            run_duration.clone(),
        );
        let gradings = Family::default();
        registry.register(
            "fabrique_gradings",
            "Submissions graded, by language and verdict",
            gradings.clone(),
        );
        let grading_duration = Histograms::new_with_constructor(seconds as fn() -> Histogram);
        registry.register_with_unit(
            "fabrique_grading_duration",
            "Time to grade a submission (every test), by language",
            Unit::Seconds,
            grading_duration.clone(),
        );
        let slots_in_use = Gauge::default();
        registry.register(
            "fabrique_sandbox_slots_in_use",
            "Programs running or waiting in the sandbox",
            slots_in_use.clone(),
        );
        let queue_length = Gauge::default();
        registry.register(
            "fabrique_sandbox_queue_length",
            "Programs waiting for a run thread",
            queue_length.clone(),
        );
        let connections = Gauge::default();
        registry.register(
            "fabrique_http_connections",
            "HTTP connections open",
            connections.clone(),
        );
        Metrics {
            registry,
            requests,
            request_duration,
            runs,
            run_duration,
            gradings,
            grading_duration,
            slots_in_use,
            queue_length,
            connections,
        }
    }
}

/// The gauges' values, read when the metrics are asked for.
#[derive(Debug, Clone, Copy)]
pub struct Gauges {
    pub slots_in_use: usize,
    pub queue_length: usize,
    pub connections: usize,
}

impl Metrics {
    /// Counts a request answered.
    pub fn request(&self, method: &str, route: &str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status,
            })
            .inc();
        self.request_duration
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(took.as_secs_f64());
    }

    /// Counts a program run, with its status.
    pub fn run(&self, language: &str, verdict: &str, took: Duration) {
        self.runs
            .get_or_create(&verdict_labels(language, verdict))
            .inc();
        self.run_duration
            .get_or_create(&LanguageLabels {
                language: language.to_owned(),
            })
            .observe(took.as_secs_f64());
    }

    /// Counts a submission graded.
    pub fn grading(&self, language: &str, passed: bool, took: Duration) {
        let verdict = if passed { "passed" } else { "failed" };
        self.gradings
            .get_or_create(&verdict_labels(language, verdict))
            .inc();
        self.grading_duration
            .get_or_create(&LanguageLabels {
                language: language.to_owned(),
            })
            .observe(took.as_secs_f64());
    }

    /// Every metric, in the Prometheus text format.
    pub fn render(&self, gauges: Gauges) -> String {
        let as_gauge = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        self.slots_in_use.set(as_gauge(gauges.slots_in_use));
        self.queue_length.set(as_gauge(gauges.queue_length));
        self.connections.set(as_gauge(gauges.connections));
        let mut text = String::new();
        // Writing to a String does not fail.
        let _ = encode(&mut text, &self.registry);
        text
    }
}

fn verdict_labels(language: &str, verdict: &str) -> VerdictLabels {
    VerdictLabels {
        language: language.to_owned(),
        verdict: verdict.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_has_every_family_and_what_was_counted() {
        let metrics = Metrics::default();
        metrics.request("GET", "/api/tracks", 200, Duration::from_millis(3));
        metrics.run("python", "ok", Duration::from_millis(40));
        metrics.grading("javascript", false, Duration::from_millis(90));
        let text = metrics.render(Gauges {
            slots_in_use: 3,
            queue_length: 1,
            connections: 7,
        });
        for line in [
            "fabrique_http_requests_total{method=\"GET\",route=\"/api/tracks\",status=\"200\"} 1",
            "fabrique_runs_total{language=\"python\",verdict=\"ok\"} 1",
            "fabrique_gradings_total{language=\"javascript\",verdict=\"failed\"} 1",
            "fabrique_grading_duration_seconds_count{language=\"javascript\"} 1",
            "fabrique_sandbox_slots_in_use 3",
            "fabrique_sandbox_queue_length 1",
            "fabrique_http_connections 7",
        ] {
            assert!(text.contains(line), "{line} in:\n{text}");
        }
    }
}
