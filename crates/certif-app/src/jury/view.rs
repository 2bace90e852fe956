//! What `jury show` and `jury minutes` give: a session as it stands, the minutes as JSON.

use certif_core::jury::{self, CastingVote, JuryPoints, Member, Outcome, Refusal, Votes};
use certif_store::jury::{JuryKind, JuryStatus, JuryStore as _};
use certif_store::{Store as _, StoreError};
use chrono::NaiveDate;
use serde::Serialize;

use super::{appeal_deadline, candidate, certification_of, context, decision_json, learner_record, proposal, proposed, session_of};
use crate::database::Database;
use crate::error::{AppResult, InputError};

/// A candidate as `jury show` gives them.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateView {
    pub learner: String,
    pub name: String,
    /// The engine's decision now (records and points as they are), or the one adopted on.
    #[cfg_attr(feature = "openapi", schema(value_type = certif_core::Decision))]
    pub proposal: serde_json::Value,
    pub points: Vec<JuryPoints>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub votes: Option<Votes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub casting_vote: Option<CastingVote>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// `RECORDS_CHANGED_SINCE_DELIBERATION` when the records no longer give the adopted proposal.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub notices: Vec<&'static str>,
}

/// A session as `jury show` gives it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub id: String,
    pub certification: String,
    pub kind: JuryKind,
    pub date: NaiveDate,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    pub status: JuryStatus,
    pub members: Vec<Member>,
    /// The composition's presiding role (who may conduct the session besides the registrar).
    #[serde(skip)]
    pub presiding: String,
    /// The roles of the composition's seats, in its order (what a seat may be).
    #[serde(skip)]
    pub roles: Vec<String>,
    /// Why the members present do not make the jury (empty when they do).
    pub composition: Vec<Refusal>,
    pub candidates: Vec<CandidateView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appeal_deadline: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<certif_core::jury::minutes::Signature>,
    pub appeals: Vec<certif_store::jury::JuryAppeal>,
}

pub const RECORDS_CHANGED: &str = "RECORDS_CHANGED_SINCE_DELIBERATION";

/// Where a session stands: members, the composition check, candidates with their proposal and
/// outcome.
pub async fn show(db: &Database, id: &str) -> AppResult<SessionView> {
    let session = session_of(db, id).await?;
    let composition = certification_of(db, &session.session.certification).await?.jury;
    let context = context(db).await?;
    let mut candidates = Vec::with_capacity(session.candidates.len());
    for c in &session.candidates {
        let records = db.records_of(&c.learner).await?;
        let name = learner_record(&records).map(|l| l.learner.display_name()).unwrap_or_default();
        // A closed session shows what it decided on; an open one what the records give now.
        let now = match session.status {
            JuryStatus::Closed | JuryStatus::Published => None,
            _ => Some(proposal(&context, &c.learner, &records, session.session.date, &c.points).map(|d| decision_json(&d))),
        };
        let mut notices = Vec::new();
        let shown = match (&c.adopted, now) {
            (Some(adopted), Some(Ok(now))) => {
                if now != adopted.proposal {
                    notices.push(RECORDS_CHANGED);
                }
                adopted.proposal.clone()
            }
            (Some(adopted), _) => adopted.proposal.clone(),
            (None, Some(now)) => now?,
            (None, None) => c.proposal.clone().unwrap_or_else(|| "null".into()),
        };
        let proposal =
            serde_json::from_str(&shown).map_err(|e| StoreError::Database(format!("une proposition enregistrée est illisible : {e}")))?;
        let d = c.adopted.as_ref().map(|a| &a.deliberation);
        candidates.push(CandidateView {
            learner: c.learner.clone(),
            name,
            proposal,
            points: c.points.clone(),
            outcome: d.map(|d| d.outcome.clone()),
            code: d.map(|d| d.outcome.minutes_code()),
            votes: d.map(|d| d.votes),
            casting_vote: d.and_then(|d| d.votes.casting_vote),
            justification: d.and_then(|d| d.justification.clone()),
            notices,
        });
    }
    Ok(SessionView {
        id: session.session.id.clone(),
        certification: session.session.certification.clone(),
        kind: session.session.kind,
        date: session.session.date,
        name: session.session.name.clone(),
        place: session.session.place.clone(),
        status: session.status,
        composition: jury::check_composition(&composition, &session.members),
        presiding: composition.presiding.clone(),
        roles: composition.seats.iter().map(|s| s.role.clone()).collect(),
        members: session.members.clone(),
        candidates,
        published_on: session.published_on,
        appeal_deadline: session.published_on.map(appeal_deadline),
        minutes_sha256: session.minutes.as_ref().map(|m| m.sha256.clone()),
        signature: session.signature.clone(),
        appeals: session.appeals.clone(),
    })
}

/// The minutes as JSON (the source of truth): the canonical JSON fixed at closing, with the
/// signature once given.
pub async fn minutes_json(db: &Database, id: &str) -> AppResult<serde_json::Value> {
    let session = session_of(db, id).await?;
    let Some(minutes) = &session.minutes else {
        return Err(InputError(format!("session {id} : le procès-verbal est établi à la clôture (jury close {id})")).into());
    };
    let mut value: serde_json::Value = serde_json::from_str(&minutes.json)
        .map_err(|e| StoreError::Database(format!("un procès-verbal enregistré est illisible : {e}")))?;
    if let (Some(signature), Some(object)) = (&session.signature, value.as_object_mut()) {
        object.insert("signature".into(), serde_json::to_value(signature).map_err(|e| StoreError::Database(e.to_string()))?);
    }
    Ok(value)
}

/// A candidate's file at the jury's desk: the dossier with the session's points de jury applied
/// and the proposal made on it, as the records give them now (what `show` compares an adopted
/// proposal with).
pub async fn candidate_file(db: &Database, id: &str, learner: &str) -> AppResult<(certif_core::Dossier, certif_core::Decision)> {
    let session = session_of(db, id).await?;
    let candidate = candidate(&session, learner)?;
    let context = context(db).await?;
    let records = db.records_of(learner).await?;
    proposed(&context, learner, &records, session.session.date, &candidate.points)
}

/// A learner's decision in a published session, as the learner reads it (spec/jury.md §10).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedDecision {
    pub session: String,
    pub certification: String,
    pub name: String,
    /// The deliberation date.
    pub date: NaiveDate,
    pub published_on: NaiveDate,
    /// The last day an appeal may be received: two months after publication.
    pub appeal_deadline: NaiveDate,
    pub outcome: Outcome,
    /// ADM, VAL, AJ or REF.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// The learner's appeals against it, as recorded.
    pub appeals: Vec<certif_store::jury::JuryAppeal>,
}

/// Every decision published about `learner`, session by session (oldest deliberation first).
pub async fn published_decisions(db: &Database, learner: &str) -> AppResult<Vec<PublishedDecision>> {
    let mut decisions = Vec::new();
    for summary in db.jury_sessions().await? {
        if summary.status != JuryStatus::Published {
            continue;
        }
        let Some(session) = db.jury_session(&summary.session.id).await? else { continue };
        let (Some(published_on), Some(candidate)) = (session.published_on, session.candidates.iter().find(|c| c.learner == learner)) else {
            continue;
        };
        let Some(adopted) = &candidate.adopted else { continue };
        decisions.push(PublishedDecision {
            session: session.session.id.clone(),
            certification: session.session.certification.clone(),
            name: session.session.name.clone(),
            date: session.session.date,
            published_on,
            appeal_deadline: appeal_deadline(published_on),
            outcome: adopted.deliberation.outcome.clone(),
            code: adopted.deliberation.outcome.minutes_code(),
            justification: adopted.deliberation.justification.clone(),
            appeals: session.appeals.iter().filter(|a| a.learner == learner).cloned().collect(),
        });
    }
    decisions.sort_by(|a, b| (a.date, &a.session).cmp(&(b.date, &b.session)));
    Ok(decisions)
}

/// Who sits in a session and which role presides (what the edges' access rules ask), or
/// `None` when there is no such session.
pub struct Seats {
    pub status: JuryStatus,
    pub members: Vec<Member>,
    /// The composition's presiding role (the casting vote).
    pub presiding: String,
}

pub async fn seats(db: &Database, id: &str) -> AppResult<Option<Seats>> {
    let Some(session) = db.jury_session(id).await? else { return Ok(None) };
    let presiding = certification_of(db, &session.session.certification).await?.jury.presiding;
    Ok(Some(Seats { status: session.status, members: session.members, presiding }))
}
