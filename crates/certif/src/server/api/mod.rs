//! The routes of spec/api.md. Every body is a type of `types` (or an engine type), and every
//! handler states its responses, errors included, for the OpenAPI document (`openapi.rs`).

mod catalog;
pub mod jury;
mod learners;
mod session;
pub mod types;
mod what_if;
mod writes;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use certif_store::Store as _;
use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::access::Access;
use super::{ApiError, AppState, headers, limit, openapi};

pub use catalog::{__path_curricula, __path_curriculum, __path_referential, curricula, curriculum, referential};
pub use learners::{
    __path_accommodations, __path_decision, __path_dossier, __path_learner, __path_learners, accommodations, decision, dossier, learner,
    learners,
};
pub use session::{__path_login, __path_logout, login, logout};
pub use what_if::{__path_what_if, what_if};
pub use writes::{__path_put_mark, __path_put_period, put_mark, put_period};

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(super::metrics::metrics))
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/docs", get(openapi::page))
        .route("/api/auth/login", post(login))
        .route("/api/auth/logout", post(logout))
        .route("/api/learners", get(learners))
        .route("/api/learners/{id}", get(learner))
        .route("/api/learners/{id}/decision", get(decision))
        .route("/api/learners/{id}/dossier", get(dossier))
        .route("/api/learners/{id}/what-if", post(what_if).layer(axum::extract::DefaultBodyLimit::max(what_if::BODY_LIMIT)))
        .route("/api/learners/{id}/accommodations", get(accommodations))
        .route("/api/learners/{id}/marks/{module}", put(put_mark))
        .route("/api/learners/{id}/company-periods/{period}", put(put_period))
        .route("/api/referentials/{code}", get(referential))
        .route("/api/curricula", get(curricula))
        .route("/api/curricula/{id}", get(curriculum))
        .route("/api/juries", get(jury::list_juries).post(jury::create_jury))
        .route("/api/juries/{id}", get(jury::show_jury))
        .route("/api/juries/{id}/members", post(jury::add_member))
        .route("/api/juries/{id}/members/{name}", delete(jury::remove_member))
        .route("/api/juries/{id}/candidates", post(jury::add_candidates))
        .route("/api/juries/{id}/candidates/{learner}", delete(jury::remove_candidate))
        .route("/api/juries/{id}/candidates/{learner}/points", post(jury::points))
        .route("/api/juries/{id}/candidates/{learner}/deliberation", post(jury::deliberate))
        .route("/api/juries/{id}/candidates/{learner}/appeal", post(jury::appeal))
        .route("/api/juries/{id}/open", post(jury::open_jury))
        .route("/api/juries/{id}/close", post(jury::close_jury))
        .route("/api/juries/{id}/sign", post(jury::sign_jury))
        .route("/api/juries/{id}/publish", post(jury::publish_jury))
        .route("/api/juries/{id}/minutes", get(jury::minutes))
        .route("/api/holders", get(jury::holders))
        .route("/api/learners/{id}/jury-decisions", get(jury::jury_decisions))
        .merge(super::ui::routes())
        .layer(axum::middleware::from_fn_with_state(state.clone(), limit::sources_and_sign_in_limit))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .layer(axum::middleware::from_fn_with_state(state.clone(), super::observe::requests))
        .with_state(state)
}

/// An identifier from a path (learner, module, period, code): anything outside the safe
/// charset is refused before it reaches the store (`certif_core::ident`).
fn identifier(field: &str, text: &str) -> Result<(), ApiError> {
    certif_core::ident::check(text).map_err(|e| ApiError::invalid(field, e.to_string()))
}

fn check(access: Access, what: &str) -> Result<(), ApiError> {
    match access {
        Access::Allowed => Ok(()),
        Access::Forbidden => Err(ApiError::forbidden(format!("your role may not {what}"))),
        Access::Hidden => Err(ApiError::not_found("no such learner")),
    }
}

/// A request body read as JSON, then as its type: a body that is not a JSON object answers
/// `not_object`, a field the type does not have answers 422 naming it.
fn body_of<T: DeserializeOwned>(
    body: Result<Json<serde_json::Value>, axum::extract::rejection::JsonRejection>,
    not_object: &str,
) -> Result<T, ApiError> {
    let Json(body) = body.map_err(|e| ApiError::invalid("", e.body_text()))?;
    if !body.is_object() {
        return Err(ApiError::invalid("", not_object));
    }
    serde_json::from_value(body).map_err(|e| {
        let message = e.to_string();
        match message.strip_prefix("unknown field `").and_then(|rest| rest.split_once('`')) {
            Some((field, _)) => ApiError::invalid(field, "unknown field"),
            None => ApiError::invalid("", message),
        }
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OnDate {
    /// The evaluation date (YYYY-MM-DD), today by default.
    #[param(value_type = Option<NaiveDate>)]
    on: Option<String>,
}

fn date_or_today(on: &OnDate) -> Result<NaiveDate, ApiError> {
    match &on.on {
        None => Ok(chrono::Local::now().date_naive()),
        Some(text) => {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| ApiError::invalid("on", format!("{text:?} is not a date (YYYY-MM-DD)")))
        }
    }
}

/// How long `/readyz` waits for the write lock: a write queued longer than this is a failure
/// a probe should see (probes give up after a second or two).
const READY_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// 200 while the process serves requests: what a liveness probe asks (restart it otherwise).
/// Whether it can do its work is `/readyz`.
#[utoipa::path(get, path = "/healthz", tag = "health", security(()),
    responses(
        (status = 200, description = "the server is alive and answers", body = String, content_type = "text/plain", example = "ok")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// 200 when the database answers, takes writes and has this binary's schema; 503 with the
/// reason otherwise: what a load balancer or a readiness probe asks before sending traffic.
#[utoipa::path(get, path = "/readyz", tag = "health", security(()),
    responses(
        (status = 200, description = "the database answers, can be written, and its migrations are this binary's", body = String, content_type = "text/plain", example = "ok"),
        (status = 503, description = "the database cannot be written now (read-only, standby, locked), does not answer, or its schema is not this binary's (a migration missing, failed, changed, or applied by a newer certif)", body = types::ErrorBody)))]
pub async fn readyz(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    let unavailable = |message: String| ApiError {
        status: StatusCode::SERVICE_UNAVAILABLE,
        code: "unavailable",
        message,
        field: None,
        reasons: Vec::new(),
    };
    let ready = async {
        state.db.check_writable().await.map_err(|error| format!("writes fail: {error}"))?;
        let behind = state.db.migrations_behind().await.map_err(|error| format!("migrations unreadable: {error}"))?;
        if behind.is_empty() { Ok(()) } else { Err(format!("schema not current: {}", behind.join("; "))) }
    };
    match tokio::time::timeout(READY_WAIT, ready).await {
        Ok(Ok(())) => Ok("ok"),
        Ok(Err(reason)) => Err(unavailable(reason)),
        Err(_) => Err(unavailable(format!("the database did not answer within {} s", READY_WAIT.as_secs()))),
    }
}
