//! Conducting an open session (points de jury, deliberations), closing it and signing its
//! minutes: the registrar, the admin, or the account seated present as its president
//! (`conduct_jury`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use certif_app::jury::Vote;
use certif_core::jury::{Outcome, Votes};
use certif_store::jury::JuryStore as _;

use super::bodies::{AdoptedBody, ClosedBody, DeliberationRequest, OutcomeKind, PointsRequest, SignRequest, SignedBody};
use super::{JuryRefusals, NoSuchSession, NotConductor, SessionClosed, seated, writing};
use crate::server::access;
use crate::server::api::types::ErrorBody;
use crate::server::api::{body_of, check, identifier};
use crate::server::auth::Caller;
use crate::server::{ApiError, AppState};

type Body = Result<Json<serde_json::Value>, axum::extract::rejection::JsonRejection>;

/// A state-changing request by whoever conducts this session (it must exist).
async fn conductor(state: &AppState, headers: &HeaderMap, id: &str) -> Result<Caller, ApiError> {
    let caller = writing(state, headers, Some(id)).await?;
    // Roles that never conduct learn nothing of which sessions exist.
    check(access::read_jury(&caller.account), "conduct jury sessions")?;
    let seats = seated(state, id).await?;
    check(
        access::conduct_jury(&caller.account, &seats.members, &seats.presiding),
        "conduct this session (its president's account, present, may)",
    )?;
    Ok(caller)
}

/// Points de jury on a candidate's module (spec/jury.md §4): 0.01 to the policy's maximum,
/// justified, kept apart from the teachers' marks; the proposal is decided again with them.
#[utoipa::path(post, path = "/api/juries/{id}/candidates/{learner}/points", tag = "jury",
    params(("id" = String, Path, description = "session id"), ("learner" = String, Path, description = "learner id")),
    request_body = PointsRequest,
    responses(
        (status = 204, description = "recorded"),
        NotConductor,
        NoSuchSession,
        SessionClosed,
        (status = 422, description = "invalid body, not a candidate, not a module of theirs, `JURY_POINTS_OUT_OF_RANGE` or `JURY_JUSTIFICATION_REQUIRED` (in `reasons`), or the session not open", body = ErrorBody),
        JuryRefusals))]
pub async fn points(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, learner)): Path<(String, String)>,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let caller = conductor(&state, &headers, &id).await?;
    identifier("learner", &learner)?;
    let request: PointsRequest = body_of(body, "the body is an object {\"module\", \"points\", \"justification\"}")?;
    identifier("module", &request.module)?;
    let points =
        request.points.decimal().ok_or_else(|| ApiError::invalid("points", "a number of points (0.01 to 2, e.g. 0.25 or \"0,25\")"))?;
    certif_app::jury::points(&state.db, &id, &learner, &request.module, points, &request.justification, &caller.account.username).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A vote on one outcome for a candidate (spec/jury.md §5): an outcome the proposal does not
/// allow is refused whatever the votes; a tie needs the president's casting vote; adopted, it
/// replaces any earlier outcome.
#[utoipa::path(post, path = "/api/juries/{id}/candidates/{learner}/deliberation", tag = "jury",
    params(("id" = String, Path, description = "session id"), ("learner" = String, Path, description = "learner id")),
    request_body = DeliberationRequest,
    responses(
        (status = 200, description = "adopted", body = AdoptedBody),
        NotConductor,
        NoSuchSession,
        SessionClosed,
        (status = 422, description = "refused, every code in `reasons`: `JURY_AWARD_NOT_PROPOSED`, `JURY_BLOCK_NOT_VALIDATED`, `JURY_JUSTIFICATION_REQUIRED`, `JURY_DEFER_NEEDS_EXPECTATION`, `JURY_VOTES_EXCEED_PRESENT`, `JURY_OUTCOME_REJECTED` (nothing recorded), `JURY_CASTING_VOTE_REQUIRED`, `JURY_CASTING_VOTE_WITHOUT_TIE`; or invalid body, not a candidate, the session not open", body = ErrorBody),
        JuryRefusals))]
pub async fn deliberate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, learner)): Path<(String, String)>,
    body: Body,
) -> Result<Json<AdoptedBody>, ApiError> {
    let caller = conductor(&state, &headers, &id).await?;
    identifier("learner", &learner)?;
    let request: DeliberationRequest = body_of(body, "the body is an object {\"outcome\", \"for\", \"against\", …}")?;
    for (i, block) in request.blocks.iter().enumerate() {
        identifier(format!("blocks[{i}]").as_str(), block)?;
    }
    let blocks = request.blocks;
    let outcome = match request.outcome {
        OutcomeKind::Award | OutcomeKind::Refuse if !blocks.is_empty() => {
            return Err(ApiError::invalid("blocks", "only validate_blocks and defer acquire blocks"));
        }
        OutcomeKind::Award => Outcome::Award,
        OutcomeKind::Refuse => Outcome::Refuse,
        OutcomeKind::ValidateBlocks => Outcome::ValidateBlocks { blocks },
        OutcomeKind::Defer => Outcome::defer(request.expected, request.by, blocks)
            .map_err(|refusal| ApiError::from(certif_app::AppError::Refused(vec![refusal])))?,
    };
    let votes =
        Votes { in_favour: request.in_favour, against: request.against, abstain: request.abstain, casting_vote: request.casting_vote };
    let vote = Vote { outcome, votes, justification: request.justification };
    let adopted = certif_app::jury::deliberate(&state.db, &id, &learner, vote, &caller.account.username).await?;
    Ok(Json(AdoptedBody { learner, code: adopted.code.to_string(), casting_vote_decided: adopted.casting_vote_decided }))
}

/// Closes the session with its minutes: refused while a candidate is undecided; from then on
/// every write to it is refused (`JURY_SESSION_CLOSED`).
#[utoipa::path(post, path = "/api/juries/{id}/close", tag = "jury", params(("id" = String, Path, description = "session id")),
    responses(
        (status = 200, description = "closed: the minutes and their SHA-256 are fixed", body = ClosedBody),
        NotConductor,
        NoSuchSession,
        (status = 409, description = "`JURY_SESSION_CLOSED` (already closed or published), `JURY_CANDIDATE_UNDECIDED` (naming them), or a deliberation meanwhile", body = ErrorBody),
        (status = 422, description = "the session is a draft", body = ErrorBody),
        JuryRefusals))]
pub async fn close_jury(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Result<Json<ClosedBody>, ApiError> {
    let caller = conductor(&state, &headers, &id).await?;
    certif_app::jury::close(&state.db, &id, &caller.account.username).await?;
    let closed =
        state.db.jury_session(&id).await?.and_then(|s| s.minutes).ok_or_else(|| ApiError::internal("a closed session without minutes"))?;
    Ok(Json(ClosedBody { minutes_sha256: closed.sha256 }))
}

/// The president signs the closed minutes (their SHA-256, with the name and the time).
#[utoipa::path(post, path = "/api/juries/{id}/sign", tag = "jury", params(("id" = String, Path, description = "session id")),
    request_body = SignRequest,
    responses(
        (status = 200, description = "signed", body = SignedBody),
        NotConductor,
        NoSuchSession,
        (status = 409, description = "`JURY_SESSION_CLOSED`: already signed", body = ErrorBody),
        (status = 422, description = "invalid body, `as` not the member presiding, or the session not closed yet", body = ErrorBody),
        JuryRefusals))]
pub async fn sign_jury(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Result<Json<SignedBody>, ApiError> {
    let caller = conductor(&state, &headers, &id).await?;
    let request: SignRequest = body_of(body, "the body is an object {\"as\": NAME}")?;
    let sha256 = certif_app::jury::sign(&state.db, &id, &request.name, &caller.account.username).await?;
    Ok(Json(SignedBody { sha256 }))
}
