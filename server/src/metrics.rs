//! Prometheus metrics of the services, served on a separate loopback port
//! (`--metrics-listen 127.0.0.1:9xxx`, off by default): requests and latencies per route
//! template, refusals by reason, store latency and retention sweeps. No series carries an
//! identifier: labels are route templates, methods, status codes, reason codes and outcomes.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

/// The one path the metrics port answers.
pub const PATH: &str = "/metrics";

/// Route label for requests no route matched (the path itself could carry anything).
pub const UNMATCHED: &str = "unmatched";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RejectLabels {
    route: String,
    reason: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StoreLabels {
    op: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: String,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// Latency buckets from 100 µs to about 6.5 s (doubling).
fn latency() -> Histogram {
    Histogram::new(exponential_buckets(0.0001, 2.0, 17))
}

/// Every series of the process.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_seconds: Histograms<RouteLabels>,
    rejects: Family<RejectLabels, Counter>,
    store_seconds: Histograms<StoreLabels>,
    sweeps: Family<OutcomeLabels, Counter>,
    swept: Counter,
}

impl Metrics {
    fn new() -> Self {
        let mut registry = Registry::with_prefix("spur");
        let requests = Family::<RequestLabels, Counter>::default();
        let request_seconds = Histograms::<RouteLabels>::new_with_constructor(latency as fn() -> _);
        let rejects = Family::<RejectLabels, Counter>::default();
        let store_seconds = Histograms::<StoreLabels>::new_with_constructor(latency as fn() -> _);
        let sweeps = Family::<OutcomeLabels, Counter>::default();
        let swept = Counter::default();
        registry.register(
            "http_requests",
            "Requests answered, by route template, method and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time from routing to the answer, by route template",
            request_seconds.clone(),
        );
        registry.register(
            "http_rejects",
            "Refusals by route template and reason code (docs/server.md)",
            rejects.clone(),
        );
        registry.register(
            "store_duration_seconds",
            "Time of one store operation (POST server), by operation and outcome",
            store_seconds.clone(),
        );
        registry.register(
            "retention_sweeps",
            "Retention sweeps run (POST server), by outcome",
            sweeps.clone(),
        );
        registry.register(
            "retention_swept_rows",
            "Rows the retention sweeps deleted (POST server)",
            swept.clone(),
        );
        Self {
            registry,
            requests,
            request_seconds,
            rejects,
            store_seconds,
            sweeps,
            swept,
        }
    }

    /// Counts one answered request. `route` is a route template or [`UNMATCHED`]; `reason` the
    /// refusal's code when there was one.
    pub fn request(
        &self,
        route: &str,
        method: &str,
        status: u16,
        took: Duration,
        reason: Option<&str>,
    ) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                method: method.to_owned(),
                status,
            })
            .inc();
        self.request_seconds
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(took.as_secs_f64());
        if let Some(reason) = reason {
            self.rejects
                .get_or_create(&RejectLabels {
                    route: route.to_owned(),
                    reason: reason.to_owned(),
                })
                .inc();
        }
    }

    /// Times one store operation (`write`, `export`, …) with its outcome (`ok`, `conflict`,
    /// `error`).
    pub fn store(&self, op: &str, outcome: &str, took: Duration) {
        self.store_seconds
            .get_or_create(&StoreLabels {
                op: op.to_owned(),
                outcome: outcome.to_owned(),
            })
            .observe(took.as_secs_f64());
    }

    /// Counts one retention sweep and the rows it deleted (`None` = it failed).
    pub fn sweep(&self, deleted: Option<u64>) {
        let outcome = if deleted.is_some() { "ok" } else { "error" };
        self.sweeps
            .get_or_create(&OutcomeLabels {
                outcome: outcome.to_owned(),
            })
            .inc();
        if let Some(n) = deleted {
            self.swept.inc_by(n);
        }
    }

    /// The OpenMetrics text of every series.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// The process's metrics (one registry per process, like Prometheus' own clients).
pub fn metrics() -> &'static Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    M.get_or_init(Metrics::new)
}

async fn scrape() -> impl IntoResponse {
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        metrics().encode(),
    )
}

/// The metrics port's router: `GET /metrics`, nothing else.
pub fn router() -> Router {
    Router::new().route(PATH, get(scrape))
}

/// The metrics address is refused unless it is a loopback address: metrics are for a scraper
/// on the same host (or a tunnel), never for the network the services face.
pub fn check_listen(addr: SocketAddr) -> Result<SocketAddr, String> {
    if addr.ip().is_loopback() {
        Ok(addr)
    } else {
        Err(format!(
            "--metrics-listen must be a loopback address (127.0.0.1 or ::1), not port {} of \
             another interface",
            addr.port()
        ))
    }
}

/// Serves the metrics port on `l` until `shutdown` resolves.
pub async fn serve_on(l: tokio::net::TcpListener, shutdown: impl std::future::Future<Output = ()>) {
    let limits = crate::limits::Limits {
        rate: None,
        upload_budget: None,
        max_connections: 16,
        ..crate::limits::Limits::default()
    };
    crate::serve(l, router(), &limits, shutdown).await;
}
