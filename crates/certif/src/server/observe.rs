//! What the server says of its work: structured logs (`tracing`, text or JSON lines on stderr,
//! the level from `RUST_LOG`, `info` by default) and one span and event per request, with its
//! method, route template, status and latency, counted in `/metrics` as well.
//!
//! A request's event names its route template (`/api/learners/{id}`), never its path, query,
//! headers or body: no learner id, password, token, cookie or accommodation reaches the logs.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument as _;

use super::AppState;

/// How the logs are written: `--log-format`, `CERTIF_LOG_FORMAT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// One line of text per event (for a terminal, journald).
    #[default]
    Text,
    /// One JSON object per line (for a log collector).
    Json,
}

/// Installs the process's log subscriber, once (a second call changes nothing).
pub fn init_logs(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => logs.try_init(),
        LogFormat::Json => logs.json().flatten_event(true).with_current_span(true).with_span_list(false).try_init(),
    };
}

/// The route a request matched, as the router writes it, or "unmatched" (a 404 of no route).
fn route_of(request: &Request) -> String {
    request.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string())
}

/// One span around each request, one event when it is answered, and its count and latency.
pub async fn requests(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = route_of(&request);
    let span = tracing::info_span!("request", method = %method, route = %route);
    let response = next.run(request).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    state.metrics.observe(&method, &route, status, elapsed);
    span.in_scope(|| tracing::info!(status, latency_ms = elapsed.as_secs_f64() * 1e3, "requête traitée"));
    response
}
