//! The jury's work (spec/jury.md) over the store: sessions prepared, opened on a composition
//! that holds, candidates deliberated on their proposals, closed with their minutes, signed,
//! published, appealed; and the holders the published decisions make. The rules are
//! `certif_core::jury`'s; the store keeps what was decided and enforces the life cycle.

use std::collections::HashSet;

use certif_core::decision::{Status, TitleStatus};
use certif_core::jury::minutes::{CandidateLine, CertificationLine, Minutes, PointsLine, ProposalLine};
use certif_core::jury::{self, CastingVote, JuryCode, JuryPoints, Member, Outcome, Refusal, Votes};
use certif_core::messages::{self, Lang};
use certif_core::{AccessRoute, Decimal, Decision, Policy, evaluate};
use certif_store::accounts::AccountStore as _;
use certif_store::jury::{
    Deliberation, Held, Holder, JuryCandidate, JuryChange, JuryKind, JurySession, JurySessionSummary, JuryStatus, JuryStore,
    StoredJurySession,
};
use certif_store::record::LearnerRecord;
use certif_store::{Record, Store, StoreError};
use chrono::NaiveDate;
use serde::Deserialize;

mod appeal;
mod close;
mod prepare;

pub use appeal::{add_appeal_candidate, appeal, appeal_deadline};
pub use close::{close, publish, sign};
pub use prepare::{Candidates, NewSession, add_candidates, add_member, create, remove_candidate, remove_member};
use prepare::{learner_record, unfit};

use crate::certifications::{Resolved, resolve};
use crate::curricula::{Curricula, stored_curricula};
use crate::database::Database;
use crate::error::{AppError, AppResult, InputError};

mod view;

pub use view::{
    CandidateView, PublishedDecision, RECORDS_CHANGED, Seats, SessionView, candidate_file, minutes_json, published_decisions, seats, show,
};

/// Refusals as the jury's error: each code with its sentence, all at once.
fn refused(refusals: Vec<Refusal>) -> AppError {
    AppError::Refused(refusals)
}

fn one(code: JuryCode, message: String) -> AppError {
    refused(vec![Refusal { code, message }])
}

/// A store refusal or a write the life cycle forbids is the caller's to fix: exit 2.
fn caller_error(error: StoreError) -> AppError {
    match error {
        StoreError::Refused { code, message } => match code_of(code) {
            Some(code) => one(code, message),
            None => InputError(format!("{code} : {message}")).into(),
        },
        StoreError::Invalid(message) => InputError(message).into(),
        StoreError::NotFound(what) => InputError(format!("{what} : introuvable")).into(),
        StoreError::Conflict { what, .. } => InputError(format!("{what} a changé entre-temps : recommencez")).into(),
        other => other.into(),
    }
}

fn code_of(text: &str) -> Option<JuryCode> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
}

async fn session_of(db: &Database, id: &str) -> AppResult<StoredJurySession> {
    db.jury_session(id).await?.ok_or_else(|| InputError(format!("session de jury {id} : introuvable")).into())
}

async fn certification_of(db: &Database, code: &str) -> AppResult<Resolved> {
    resolve(db, code).await?.ok_or_else(|| InputError(format!("certification {code} : inconnue (ni embarquée ni importée)")).into())
}

async fn change(db: &Database, id: &str, change: JuryChange, actor: &str) -> AppResult<()> {
    db.change_jury_session(id, change, actor).await.map_err(caller_error)
}

/// A change computed from the session at `version`: refused (nothing written) if it changed since.
async fn changed_since(db: &Database, id: &str, change: JuryChange, version: i64, actor: &str) -> AppResult<()> {
    db.change_jury_session_versioned(id, change, Some(version), actor).await.map(|_| ()).map_err(caller_error)
}

/// What a session decides on: its certification's curricula and policy.
struct Context {
    curricula: Curricula,
    policy: Policy,
}

async fn context(db: &Database) -> AppResult<Context> {
    Ok(Context { curricula: stored_curricula(db).await?, policy: Policy::default() })
}

/// A candidate's proposal: the engine's decision on the deliberation date, with the session's
/// points de jury applied to the dossier first (spec/jury.md §4).
fn proposal(context: &Context, learner: &str, records: &[Record], date: NaiveDate, points: &[JuryPoints]) -> AppResult<Decision> {
    proposed(context, learner, records, date, points).map(|(_, decision)| decision)
}

/// The dossier the proposal is made on (points de jury applied) and the proposal.
fn proposed(
    context: &Context,
    learner: &str,
    records: &[Record],
    date: NaiveDate,
    points: &[JuryPoints],
) -> AppResult<(certif_core::Dossier, Decision)> {
    let (curriculum, certification, policy) = context.curricula.decided_against(&context.policy, learner, records)?;
    let dossier = certif_store::dossier_from(records, date, |_| Some(certification.code.clone()))
        .ok_or_else(|| InputError(format!("apprenant {learner} : inconnu")))?;
    let dossier = jury::with_jury_points(&dossier, policy, points).map_err(|r| refused(vec![r]))?;
    let decision = crate::decide::counted(evaluate(certification, curriculum, policy, &dossier));
    Ok((dossier, decision))
}

fn decision_json(decision: &Decision) -> String {
    decision.to_json_line()
}

/// Above this many candidates, `open` reads every learner's records at once.
const CANDIDATES_READ_ONE_BY_ONE: usize = 50;

/// Opens the session: the composition must hold among the members present (every reason at
/// once); each candidate's proposal is taken.
pub async fn open(db: &Database, id: &str, actor: &str) -> AppResult<()> {
    let session = session_of(db, id).await?;
    let composition = certification_of(db, &session.session.certification).await?.jury;
    let refusals = jury::check_composition(&composition, &session.members);
    if !refusals.is_empty() {
        return Err(refused(refusals));
    }
    let context = context(db).await?;
    let mut proposals = Vec::with_capacity(session.candidates.len());
    // Many candidates: every record in one pass per table (a read per learner is a round trip
    // per statement); a few: each one's own.
    let mut all: std::collections::HashMap<String, Vec<Record>> = if session.candidates.len() > CANDIDATES_READ_ONE_BY_ONE {
        db.all_records().await?.into_iter().collect()
    } else {
        std::collections::HashMap::new()
    };
    for candidate in &session.candidates {
        let records = match all.remove(&candidate.learner) {
            Some(records) => records,
            None => db.records_of(&candidate.learner).await?,
        };
        let decided = proposal(&context, &candidate.learner, &records, session.session.date, &candidate.points)?;
        proposals.push((candidate.learner.clone(), decision_json(&decided)));
    }
    // Written only if nobody changed the session since it was checked (members, candidates).
    changed_since(db, id, JuryChange::Open { proposals }, session.version, actor).await
}

fn candidate<'a>(session: &'a StoredJurySession, learner: &str) -> AppResult<&'a JuryCandidate> {
    session
        .candidates
        .iter()
        .find(|c| c.learner == learner)
        .ok_or_else(|| InputError(format!("{learner} : pas candidat de la session {}", session.session.id)).into())
}

/// Sets points de jury on a candidate's module (0.01 to the policy's maximum, justified).
pub async fn points(
    db: &Database,
    id: &str,
    learner: &str,
    module: &str,
    points: Decimal,
    justification: &str,
    actor: &str,
) -> AppResult<()> {
    let session = session_of(db, id).await?;
    let candidate = candidate(&session, learner)?;
    let context = context(db).await?;
    let records = db.records_of(learner).await?;
    let (curriculum, _, policy) = context.curricula.decided_against(&context.policy, learner, &records)?;
    if curriculum.module(module).is_none() {
        return Err(InputError(format!("{module} : pas un module de la maquette de {learner}")).into());
    }
    let refusals = jury::check_points(points, policy.jury_points_max, justification);
    if !refusals.is_empty() {
        return Err(refused(refusals));
    }
    let given = JuryPoints { module: module.to_string(), points, justification: justification.trim().to_string() };
    // Points on a module without a final mark are refused before anything is stored.
    let mut all: Vec<JuryPoints> = candidate.points.iter().filter(|p| p.module != module).cloned().collect();
    all.push(given.clone());
    proposal(&context, learner, &records, session.session.date, &all)?;
    // Checked against the session as read: refused if its points or state changed meanwhile.
    changed_since(db, id, JuryChange::SetPoints { learner: learner.to_string(), points: given }, session.version, actor).await
}

/// What `jury deliberate` asks for.
pub struct Vote {
    pub outcome: Outcome,
    pub votes: Votes,
    pub justification: Option<String>,
}

/// The result of a deliberation that was adopted.
pub struct Adopted {
    pub code: &'static str,
    /// Whether the president's casting vote decided it.
    pub casting_vote_decided: bool,
}

/// Deliberates on a candidate: the outcome must be admissible on the current proposal, then the
/// votes decide it (a tie by the casting vote); adopted, it replaces any earlier outcome.
pub async fn deliberate(db: &Database, id: &str, learner: &str, vote: Vote, actor: &str) -> AppResult<Adopted> {
    let session = session_of(db, id).await?;
    match session.status {
        JuryStatus::Open => {}
        JuryStatus::Draft => {
            return Err(
                InputError(format!("session {id} : en préparation ; on délibère une fois la session ouverte (jury open {id})")).into()
            );
        }
        // The store refuses it too; say so before computing anything.
        closed => {
            return Err(one(JuryCode::JurySessionClosed, format!("session {id} : {}, ses décisions ne changent plus", closed.as_str())));
        }
    }
    let candidate = candidate(&session, learner)?;
    let context = context(db).await?;
    let records = db.records_of(learner).await?;
    let proposed = proposal(&context, learner, &records, session.session.date, &candidate.points)?;
    let justification = vote.justification.as_deref().map(str::trim).filter(|j| !j.is_empty());
    let refusals = jury::admissible(&vote.outcome, &proposed, justification);
    if !refusals.is_empty() {
        return Err(refused(refusals));
    }
    let present = session.members.iter().filter(|m| m.present).count() as u32;
    let casting_vote_decided = jury::count_votes(vote.votes, present).map_err(|r| refused(vec![r]))?;
    let code = vote.outcome.minutes_code();
    let deliberation = Deliberation { outcome: vote.outcome, votes: vote.votes, justification: justification.map(String::from) };
    let change_ = JuryChange::Deliberate { learner: learner.to_string(), deliberation, proposal: decision_json(&proposed) };
    // Admissible on the proposal as read: written only if no points or outcome moved since.
    changed_since(db, id, change_, session.version, actor).await?;
    Ok(Adopted { code, casting_vote_decided })
}

pub async fn list(db: &Database) -> AppResult<Vec<JurySessionSummary>> {
    Ok(db.jury_sessions().await?)
}

/// Every published award and acquired block (spec/jury.md §8).
pub async fn holders(db: &Database) -> AppResult<Vec<Holder>> {
    Ok(db.holders().await?)
}
