//! Preparing a session (create, members, candidates, open: `prepare_jury`) and what follows
//! the jury (publish, appeals: `publish_jury`): the registrar and the admin.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use certif_app::jury::{Candidates, NewSession};
use certif_core::jury::Member;

use super::bodies::{
    AppealRequest, CandidatesAdded, CandidatesRequest, JuryCreated, MemberRequest, NewJuryRequest, PublishRequest, PublishedBody,
};
use super::{JuryRefusals, NoSuchSession, NotPreparer, SessionClosed, seated, writing};
use crate::server::access::{self, Access};
use crate::server::api::types::ErrorBody;
use crate::server::api::{body_of, check, identifier};
use crate::server::auth::Caller;
use crate::server::{ApiError, AppState};

type Body = Result<Json<serde_json::Value>, axum::extract::rejection::JsonRejection>;

/// A state-changing request by someone `rule` allows, on a session that exists (when `id` is given).
async fn writer(
    state: &AppState,
    headers: &HeaderMap,
    id: Option<&str>,
    rule: fn(&certif_store::accounts::Account) -> Access,
    what: &str,
) -> Result<Caller, ApiError> {
    let caller = writing(state, headers, id).await?;
    check(rule(&caller.account), what)?;
    if let Some(id) = id {
        seated(state, id).await?;
    }
    Ok(caller)
}

/// A member's name from a path: free text (people's names), but not empty nor a page long.
fn member_name(name: &str) -> Result<(), ApiError> {
    if name.trim().is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid("name", "a member's name: 1 to 200 characters, no control character"));
    }
    Ok(())
}

/// Creates a draft session.
#[utoipa::path(post, path = "/api/juries", tag = "jury", request_body = NewJuryRequest,
    responses(
        (status = 201, description = "the session, created as a draft", body = JuryCreated),
        NotPreparer,
        (status = 422, description = "invalid body (`field` says which), an unknown certification, or a session of that id exists", body = ErrorBody),
        JuryRefusals))]
pub async fn create_jury(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<JuryCreated>), ApiError> {
    let caller = writer(&state, &headers, None, access::prepare_jury, "prepare jury sessions").await?;
    let request: NewJuryRequest = body_of(body, "the body is an object {\"kind\", \"date\", …}")?;
    if let Some(id) = &request.id {
        identifier("id", id)?;
    }
    let new = NewSession {
        id: request.id,
        certification: request.certification.unwrap_or_else(|| "RNCP39668".into()),
        kind: request.kind,
        date: request.date,
        name: request.name,
        place: request.place,
    };
    let id = certif_app::jury::create(&state.db, new, &caller.account.username).await?;
    Ok((StatusCode::CREATED, Json(JuryCreated { id })))
}

/// Seats a member (draft sessions only).
#[utoipa::path(post, path = "/api/juries/{id}/members", tag = "jury", params(("id" = String, Path, description = "session id")),
    request_body = MemberRequest,
    responses(
        (status = 204, description = "seated"),
        NotPreparer,
        NoSuchSession,
        SessionClosed,
        (status = 422, description = "invalid body, a role this jury does not have, an unknown account, the same person twice (`JURY_MEMBER_TWICE`), or the session no longer a draft", body = ErrorBody),
        JuryRefusals))]
pub async fn add_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let caller = writer(&state, &headers, Some(&id), access::prepare_jury, "prepare jury sessions").await?;
    let request: MemberRequest = body_of(body, "the body is an object {\"name\", \"role\", …}")?;
    if let Some(account) = &request.account {
        identifier("account", account)?;
    }
    let member = Member {
        name: request.name.trim().to_string(),
        role: request.role,
        representing: request.representing,
        present: request.present.unwrap_or(true),
        account: request.account,
    };
    certif_app::jury::add_member(&state.db, &id, member, &caller.account.username).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a member (draft sessions only).
#[utoipa::path(delete, path = "/api/juries/{id}/members/{name}", tag = "jury",
    params(("id" = String, Path, description = "session id"), ("name" = String, Path, description = "the member's name, as seated")),
    responses(
        (status = 204, description = "removed"),
        NotPreparer,
        NoSuchSession,
        SessionClosed,
        (status = 422, description = "no such member, or the session no longer a draft", body = ErrorBody),
        JuryRefusals))]
pub async fn remove_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, name)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let caller = writer(&state, &headers, Some(&id), access::prepare_jury, "prepare jury sessions").await?;
    member_name(&name)?;
    certif_app::jury::remove_member(&state.db, &id, &name, &caller.account.username).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds candidates: `{"all": true}`, every learner of the certification whose route fits the
/// session's kind and who does not hold the title yet; or `{"learners": [...]}`, refusing them
/// all if one does not fit (with the reason).
#[utoipa::path(post, path = "/api/juries/{id}/candidates", tag = "jury", params(("id" = String, Path, description = "session id")),
    request_body = CandidatesRequest,
    responses(
        (status = 200, description = "how many were added", body = CandidatesAdded),
        NotPreparer,
        NoSuchSession,
        SessionClosed,
        (status = 422, description = "invalid body (neither `all` nor `learners`, or both), a learner who does not fit (nothing added), or the session no longer a draft", body = ErrorBody),
        JuryRefusals))]
pub async fn add_candidates(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Result<Json<CandidatesAdded>, ApiError> {
    let caller = writer(&state, &headers, Some(&id), access::prepare_jury, "prepare jury sessions").await?;
    let request: CandidatesRequest = body_of(body, "the body is {\"all\": true} or {\"learners\": [...]}")?;
    let which = match (request.all, request.learners) {
        (Some(true), None) => Candidates::All,
        (None | Some(false), Some(learners)) if !learners.is_empty() => {
            for (i, learner) in learners.iter().enumerate() {
                identifier(format!("learners[{i}]").as_str(), learner)?;
            }
            Candidates::Some(learners)
        }
        _ => return Err(ApiError::invalid("", "give either {\"all\": true} or {\"learners\": [...]} (not empty)")),
    };
    let added = certif_app::jury::add_candidates(&state.db, &id, which, &caller.account.username).await?;
    Ok(Json(CandidatesAdded { added }))
}

/// Removes a candidate (draft sessions only).
#[utoipa::path(delete, path = "/api/juries/{id}/candidates/{learner}", tag = "jury",
    params(("id" = String, Path, description = "session id"), ("learner" = String, Path, description = "learner id")),
    responses(
        (status = 204, description = "removed"),
        NotPreparer,
        NoSuchSession,
        SessionClosed,
        (status = 422, description = "an id that is not an identifier, not a candidate, or the session no longer a draft", body = ErrorBody),
        JuryRefusals))]
pub async fn remove_candidate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, learner)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let caller = writer(&state, &headers, Some(&id), access::prepare_jury, "prepare jury sessions").await?;
    identifier("learner", &learner)?;
    certif_app::jury::remove_candidate(&state.db, &id, &learner, &caller.account.username).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Opens the session: refused with every reason code unless the members present make the
/// jury; each candidate's proposal is taken.
#[utoipa::path(post, path = "/api/juries/{id}/open", tag = "jury", params(("id" = String, Path, description = "session id")),
    responses(
        (status = 204, description = "open: the composition holds, the proposals are taken"),
        NotPreparer,
        NoSuchSession,
        (status = 409, description = "`JURY_SESSION_CLOSED`: the session is closed or published; or changed while it was being opened", body = ErrorBody),
        (status = 422, description = "the composition does not hold: `reasons` has every code (`JURY_ROLE_MISSING`, `JURY_TOO_FEW_TEACHERS`, …); or the session is already open", body = ErrorBody),
        JuryRefusals))]
pub async fn open_jury(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let caller = writer(&state, &headers, Some(&id), access::prepare_jury, "prepare jury sessions").await?;
    certif_app::jury::open(&state.db, &id, &caller.account.username).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publishes a closed session's decisions on `on`: they take effect (holders), and the appeal
/// window opens for two months.
#[utoipa::path(post, path = "/api/juries/{id}/publish", tag = "jury", params(("id" = String, Path, description = "session id")),
    request_body = PublishRequest,
    responses(
        (status = 200, description = "published", body = PublishedBody),
        NotPreparer,
        NoSuchSession,
        (status = 409, description = "`JURY_SESSION_CLOSED`: already published", body = ErrorBody),
        (status = 422, description = "invalid body, a date before the deliberation, or a session not closed yet", body = ErrorBody),
        JuryRefusals))]
pub async fn publish_jury(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Result<Json<PublishedBody>, ApiError> {
    let caller = writer(&state, &headers, Some(&id), access::publish_jury, "publish jury sessions").await?;
    let request: PublishRequest = body_of(body, "the body is an object {\"on\": \"YYYY-MM-DD\"}")?;
    certif_app::jury::publish(&state.db, &id, request.on, &caller.account.username).await?;
    Ok(Json(PublishedBody { published_on: request.on, appeal_deadline: certif_app::jury::appeal_deadline(request.on) }))
}

/// Records an appeal against a published decision, received within two months of publication.
#[utoipa::path(post, path = "/api/juries/{id}/candidates/{learner}/appeal", tag = "jury",
    params(("id" = String, Path, description = "session id"), ("learner" = String, Path, description = "learner id")),
    request_body = AppealRequest,
    responses(
        (status = 204, description = "recorded"),
        NotPreparer,
        NoSuchSession,
        (status = 409, description = "`JURY_SESSION_CLOSED`: the session is closed but not published", body = ErrorBody),
        (status = 422, description = "invalid body, not a candidate, received before publication or after the window (`JURY_APPEAL_TOO_LATE`), or a session not published", body = ErrorBody),
        JuryRefusals))]
pub async fn appeal(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, learner)): Path<(String, String)>,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let caller = writer(&state, &headers, Some(&id), access::publish_jury, "record appeals").await?;
    identifier("learner", &learner)?;
    let request: AppealRequest = body_of(body, "the body is an object {\"received_on\", \"note\"}")?;
    certif_app::jury::appeal(&state.db, &id, &learner, request.received_on, request.note, &caller.account.username).await?;
    Ok(StatusCode::NO_CONTENT)
}
