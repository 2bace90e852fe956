//! `/metrics` in Prometheus' text format (0.0.4): requests by route template and status, their
//! latency, the database pool, and the decisions computed. Route labels are the router's
//! templates (`/api/learners/{id}`), never the raw path, so a label names no learner and the
//! series stay few.
//!
//! Who may read it (`access::read_metrics`): with `CERTIF_METRICS_TOKEN` set, a request with
//! `Authorization: Bearer TOKEN`; without it, a request from the loopback that no proxy
//! forwarded.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use super::access::{self, Access};
use super::{ApiError, AppState};

/// The bearer token `/metrics` asks for; never printed.
#[derive(Clone)]
pub struct Token(pub String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

fn latency_buckets() -> Histogram {
    // 1 ms to about 16 s, doubling.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// The decisions this process computed (`certif_app::decide`), read at each scrape.
#[derive(Debug)]
struct Decisions;

impl Collector for Decisions {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let counter = ConstCounter::new(certif_app::decide::decisions_computed());
        let metric =
            encoder.encode_descriptor("certif_decisions_computed", "Decisions computed by the engine.", None, counter.metric_type())?;
        counter.encode(metric)
    }
}

/// What `/metrics` shows, shared by every request of one server.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    pool_open: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_buckets);
        let (pool_open, pool_idle, pool_max) = (Gauge::default(), Gauge::default(), Gauge::default());
        registry.register("certif_http_requests", "HTTP requests answered, by method, route template and status.", requests.clone());
        registry.register(
            "certif_http_request_duration_seconds",
            "Time to answer an HTTP request (until its headers), by method and route template.",
            latency.clone(),
        );
        registry.register("certif_db_pool_connections", "Database connections open in the pool.", pool_open.clone());
        registry.register("certif_db_pool_idle_connections", "Database connections open and idle in the pool.", pool_idle.clone());
        registry.register("certif_db_pool_max_connections", "The most connections the pool opens.", pool_max.clone());
        registry.register_collector(Box::new(Decisions));
        Metrics { registry, requests, latency, pool_open, pool_idle, pool_max }
    }

    /// Counts one answered request.
    pub fn observe(&self, method: &axum::http::Method, route: &str, status: u16, elapsed: Duration) {
        let method = method_label(method);
        self.requests.get_or_create(&RequestLabels { method, route: route.to_string(), status }).inc();
        self.latency.get_or_create(&RouteLabels { method, route: route.to_string() }).observe(elapsed.as_secs_f64());
    }

    /// The exposition, with the pool as it is now.
    pub fn render(&self, pool: certif_store::dialect::PoolUsage) -> Result<String, std::fmt::Error> {
        self.pool_open.set(i64::from(pool.size));
        self.pool_idle.set(i64::try_from(pool.idle).unwrap_or(i64::MAX));
        self.pool_max.set(i64::from(pool.max));
        let mut text = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

/// A method as a label: the standard ones by name, anything else one value (a client cannot
/// add series by inventing methods).
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim)
}

/// The server's metrics in Prometheus' text format.
#[utoipa::path(get, path = "/metrics", tag = "health", security(()),
    responses(
        (status = 200, description = "the metrics in Prometheus' text exposition format 0.0.4: `certif_http_requests_total{method, route, status}`, `certif_http_request_duration_seconds{method, route}` (histogram), `certif_db_pool_connections`, `certif_db_pool_idle_connections`, `certif_db_pool_max_connections`, `certif_decisions_computed_total`",
            body = String, content_type = "text/plain"),
        (status = 403, description = "not from the loopback (without `CERTIF_METRICS_TOKEN`), or without the bearer token `CERTIF_METRICS_TOKEN` sets", body = super::api::types::ErrorBody),
        (status = 500, description = "a fault of the server", body = super::api::types::ErrorBody)))]
pub async fn metrics(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let forwarded = request.headers().contains_key("x-forwarded-for") || request.headers().contains_key(header::FORWARDED);
    let expected = state.config.metrics_token.as_ref().map(|t| t.0.as_str());
    match access::read_metrics(expected, bearer(request.headers()), peer.is_some_and(|p| p.is_loopback()), forwarded) {
        Access::Allowed => {}
        Access::Forbidden | Access::Hidden => {
            return Err(ApiError::forbidden("metrics: from the loopback only, or with the bearer token CERTIF_METRICS_TOKEN sets"));
        }
    }
    let text = state.metrics.render(state.db.pool_usage()).map_err(|e| ApiError::internal(format!("metrics: {e}")))?;
    Ok(([(header::CONTENT_TYPE, prometheus_client::encoding::prometheus_text::CONTENT_TYPE)], text).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_template_and_status() {
        let metrics = Metrics::new();
        let get = axum::http::Method::GET;
        metrics.observe(&get, "/api/learners/{id}", 200, Duration::from_millis(3));
        metrics.observe(&get, "/api/learners/{id}", 200, Duration::from_millis(5));
        metrics.observe(&axum::http::Method::from_bytes(b"BREW").unwrap(), "unmatched", 405, Duration::from_millis(1));
        let text = metrics.render(certif_store::dialect::PoolUsage { size: 3, idle: 2, max: 8 }).unwrap();
        assert!(text.contains("certif_http_requests_total{method=\"GET\",route=\"/api/learners/{id}\",status=\"200\"} 2\n"), "{text}");
        assert!(text.contains("method=\"other\""), "{text}");
        assert!(text.contains("certif_http_request_duration_seconds_count{method=\"GET\",route=\"/api/learners/{id}\"} 2\n"), "{text}");
        assert!(text.contains("certif_db_pool_connections 3\n") && text.contains("certif_db_pool_idle_connections 2\n"), "{text}");
        assert!(text.contains("# TYPE certif_decisions_computed_total counter"), "{text}");
    }
}
