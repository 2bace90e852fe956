//! The jury's routes (spec/jury.md §9), each one call into `certif_app::jury` as the CLI's
//! commands are: who is calling, may they (`access`), then the operation. Reading sessions here;
//! preparing and publishing them in `prepare`, deliberating, closing and signing in `conduct`.
//!
//! Who may: the registrar and the admin prepare sessions, publish them and record appeals
//! (`prepare_jury`, `publish_jury`); they and the jury read sessions, minutes and holders
//! (`read_jury`, `read_holders`); the registrar, the admin or the account seated present as the
//! session's president records points and outcomes, closes and signs (`conduct_jury`); a
//! learner reads only their own published decisions (`read_published_decision`).

pub mod bodies;
mod conduct;
mod prepare;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use certif_app::jury::{PublishedDecision, Seats, SessionView};
use certif_core::jury::minutes::Minutes;
use certif_store::Store as _;
use certif_store::jury::{Holder, JurySessionSummary};

pub use conduct::*;
pub use prepare::*;

use super::types::ErrorBody;
use super::{check, identifier};
use crate::server::auth::{self, Caller};
use crate::server::{ApiError, AppState, access};

/// What every jury route may answer besides its own statuses: not signed in, or a fault.
/// (These types are never built: they describe answers in the OpenAPI document.)
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum JuryRefusals {
    #[response(status = 401, description = "not signed in")]
    NotSignedIn(ErrorBody),
    #[response(status = 500, description = "a fault of the server or its database")]
    Fault(ErrorBody),
}

/// A route on a session that does not exist.
#[derive(utoipa::IntoResponses)]
#[response(status = 404, description = "no such session")]
#[allow(dead_code)]
pub struct NoSuchSession(ErrorBody);

/// A write to a session closed or published (`JURY_SESSION_CLOSED`).
#[derive(utoipa::IntoResponses)]
#[response(status = 409, description = "`JURY_SESSION_CLOSED`: the session is closed or published")]
#[allow(dead_code)]
pub struct SessionClosed(ErrorBody);

/// Preparing or publishing sessions (`access::prepare_jury`, `access::publish_jury`), refused.
#[derive(utoipa::IntoResponses)]
#[response(status = 403, description = "not the registrar or the admin, or the session cookie without its CSRF token")]
#[allow(dead_code)]
pub struct NotPreparer(ErrorBody);

/// Conducting this session (`access::conduct_jury`), refused.
#[derive(utoipa::IntoResponses)]
#[response(
    status = 403,
    description = "not the registrar, the admin or the session's president present, or the session cookie without its CSRF token"
)]
#[allow(dead_code)]
pub struct NotConductor(ErrorBody);

/// Reading jury sessions or holders (`access::read_jury`, `access::read_holders`), refused.
#[derive(utoipa::IntoResponses)]
#[response(status = 403, description = "not the registrar, the admin or the jury")]
#[allow(dead_code)]
pub struct NotJuryReader(ErrorBody);

/// What every write begins with: who is calling, the CSRF token their session cookie needs, and
/// the session's id (when there is one) checked as an identifier.
async fn writing(state: &AppState, headers: &HeaderMap, id: Option<&str>) -> Result<Caller, ApiError> {
    let caller = state.caller(headers).await?;
    auth::check_csrf(&caller, headers)?;
    if let Some(id) = id {
        identifier("id", id)?;
    }
    Ok(caller)
}

/// The session's seats and status, or 404.
async fn seated(state: &AppState, id: &str) -> Result<Seats, ApiError> {
    certif_app::jury::seats(&state.db, id).await?.ok_or_else(|| ApiError::not_found(format!("no jury session {id}")))
}

/// A reader of jury sessions, and the session exists.
async fn reader(state: &AppState, headers: &HeaderMap, id: &str) -> Result<Caller, ApiError> {
    let caller = state.caller(headers).await?;
    identifier("id", id)?;
    check(access::read_jury(&caller.account), "read jury sessions")?;
    seated(state, id).await?;
    Ok(caller)
}

/// Every jury session, with how many candidates are decided.
#[utoipa::path(get, path = "/api/juries", tag = "jury",
    responses(
        (status = 200, description = "every session", body = Vec<JurySessionSummary>),
        NotJuryReader,
        JuryRefusals))]
pub async fn list_juries(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Vec<JurySessionSummary>>, ApiError> {
    let caller = state.caller(&headers).await?;
    check(access::read_jury(&caller.account), "read jury sessions")?;
    Ok(Json(certif_app::jury::list(&state.db).await?))
}

/// Where a session stands: its status, members, the composition check (every reason the
/// members present do not make the jury), candidates with their proposal, points de jury,
/// outcome, votes, casting vote and justification.
#[utoipa::path(get, path = "/api/juries/{id}", tag = "jury", params(("id" = String, Path, description = "session id")),
    responses(
        (status = 200, description = "the session as it stands", body = SessionView),
        NotJuryReader,
        NoSuchSession,
        (status = 422, description = "`id` is not an identifier", body = ErrorBody),
        JuryRefusals))]
pub async fn show_jury(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Result<Json<SessionView>, ApiError> {
    reader(&state, &headers, &id).await?;
    Ok(Json(certif_app::jury::show(&state.db, &id).await?))
}

/// The minutes as JSON, the source of truth (spec/jury.md §6): fixed at closing, with the
/// president's signature once given.
#[utoipa::path(get, path = "/api/juries/{id}/minutes", tag = "jury", params(("id" = String, Path, description = "session id")),
    responses(
        (status = 200, description = "the minutes (their canonical JSON, with the signature once given)", body = Minutes),
        NotJuryReader,
        NoSuchSession,
        (status = 422, description = "`id` is not an identifier, or the session is not closed yet (the minutes are made at closing)", body = ErrorBody),
        JuryRefusals))]
pub async fn minutes(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    reader(&state, &headers, &id).await?;
    Ok(Json(certif_app::jury::minutes_json(&state.db, &id).await?))
}

/// Every published award and acquired block (spec/jury.md §8): what credentials, the national
/// declaration and statistics read.
#[utoipa::path(get, path = "/api/holders", tag = "jury",
    responses(
        (status = 200, description = "every published award and acquired block", body = Vec<Holder>),
        NotJuryReader,
        JuryRefusals))]
pub async fn holders(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Vec<Holder>>, ApiError> {
    let caller = state.caller(&headers).await?;
    check(access::read_holders(&caller.account), "read the holders")?;
    Ok(Json(certif_app::jury::holders(&state.db).await?))
}

/// The learner's published jury decisions, each with its appeal deadline (two months after
/// publication); a learner reads only their own.
#[utoipa::path(get, path = "/api/learners/{id}/jury-decisions", tag = "jury", params(("id" = String, Path, description = "learner id")),
    responses(
        (status = 200, description = "the learner's decisions in published sessions (none before publication)", body = Vec<PublishedDecision>),
        (status = 403, description = "not this role", body = ErrorBody),
        (status = 404, description = "no such learner (or not yours)", body = ErrorBody),
        (status = 422, description = "`id` is not an identifier", body = ErrorBody),
        JuryRefusals))]
pub async fn jury_decisions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Vec<PublishedDecision>>, ApiError> {
    let caller = state.caller(&headers).await?;
    identifier("id", &id)?;
    let curricula = state.curricula().await?;
    let records = state.db.records_of(&id).await?;
    if records.is_empty() {
        return Err(ApiError::not_found("no such learner"));
    }
    check(access::read_published_decision(&caller.account, &id, &curricula.follows(&records)), "read this learner's decisions")?;
    Ok(Json(certif_app::jury::published_decisions(&state.db, &id).await?))
}
