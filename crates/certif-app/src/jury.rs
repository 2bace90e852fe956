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

pub use appeal::{add_appeal_candidate, appeal, appeal_deadline};

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

/// What `jury create` asks for.
pub struct NewSession {
    pub id: Option<String>,
    pub certification: String,
    pub kind: JuryKind,
    pub date: NaiveDate,
    pub name: Option<String>,
    pub place: Option<String>,
}

/// Creates a draft session; answers its id (the one given, else `jury-DATE-N`).
pub async fn create(db: &Database, new: NewSession, actor: &str) -> AppResult<String> {
    let certification = certification_of(db, &new.certification).await?;
    let id = match new.id {
        Some(id) => id,
        None => {
            let taken: HashSet<String> = db.jury_sessions().await?.into_iter().map(|s| s.session.id).collect();
            let stem = format!("jury-{}", new.date.format("%Y%m%d"));
            (1..).map(|n| format!("{stem}-{n}")).find(|id| !taken.contains(id)).unwrap_or(stem)
        }
    };
    certif_core::ident::check(&id).map_err(|e| InputError(format!("SESSION : {e}")))?;
    let name = new.name.unwrap_or_else(|| format!("Jury {} du {}", certification.certification.code, new.date.format("%d/%m/%Y")));
    let session = JurySession {
        id: id.clone(),
        certification: certification.certification.code,
        kind: new.kind,
        date: new.date,
        name,
        place: new.place,
    };
    db.create_jury_session(session, actor).await.map_err(caller_error)?;
    Ok(id)
}

/// Seats a member; a role the certification's jury does not have is refused.
pub async fn add_member(db: &Database, id: &str, member: Member, actor: &str) -> AppResult<()> {
    let session = session_of(db, id).await?;
    let composition = certification_of(db, &session.session.certification).await?.jury;
    let seated = composition.seats.iter().any(|s| s.role == member.role);
    if !seated && composition.min_others == 0 {
        let roles: Vec<&str> = composition.seats.iter().map(|s| s.role.as_str()).collect();
        return Err(InputError(format!("--role {} : ce jury n'a pas ce rôle ({})", member.role, roles.join(", "))).into());
    }
    if member.name.trim().is_empty() {
        return Err(InputError("--name : un membre a un nom".into()).into());
    }
    if member.representing.as_deref().is_some_and(|r| r.trim().is_empty()) {
        return Err(InputError("--representing : un représentant nomme la personne qu'il représente".into()).into());
    }
    if let Some(username) = &member.account
        && db.account(username).await?.is_none()
    {
        return Err(InputError(format!("--account {username} : aucun compte de ce nom (certif user add)")).into());
    }
    change(db, id, JuryChange::AddMember(member), actor).await
}

pub async fn remove_member(db: &Database, id: &str, name: &str, actor: &str) -> AppResult<()> {
    change(db, id, JuryChange::RemoveMember { name: name.to_string() }, actor).await
}

/// Which learners `candidates add` takes.
pub enum Candidates {
    All,
    Some(Vec<String>),
}

fn learner_record(records: &[Record]) -> Option<&LearnerRecord> {
    records.iter().find_map(|r| match r {
        Record::Learner(l) => Some(l),
        _ => None,
    })
}

/// Why a learner cannot be a candidate of this session (spec/jury.md §4), if they cannot.
fn unfit(session: &JurySession, curricula: &Curricula, records: &[Record], titled: &HashSet<String>) -> Option<String> {
    let Some(learner) = learner_record(records) else { return Some("apprenant inconnu".into()) };
    let certification = curricula.for_learner(learner.curriculum.as_deref()).map(|(_, c)| c.code.as_str());
    if certification != Some(session.certification.as_str()) {
        return Some(format!("ne prépare pas {}", session.certification));
    }
    let vae = learner.access_route == AccessRoute::Vae;
    match session.kind {
        JuryKind::Title if vae => return Some("voie VAE : relève d'un jury VAE".into()),
        JuryKind::Vae if !vae => return Some("voie hors VAE : relève d'un jury de titre".into()),
        _ => {}
    }
    if titled.contains(&learner.learner.id) {
        return Some("déjà titulaire du titre".into());
    }
    None
}

async fn title_holders(db: &Database, certification: &str) -> AppResult<HashSet<String>> {
    Ok(db.holders().await?.into_iter().filter(|h| h.certification == certification && h.what == Held::Title).map(|h| h.learner).collect())
}

/// Adds candidates: every learner who fits (`All`), or those named, refusing any who does not
/// fit with the reason (nothing added then).
pub async fn add_candidates(db: &Database, id: &str, which: Candidates, actor: &str) -> AppResult<usize> {
    let session = session_of(db, id).await?;
    let curricula = stored_curricula(db).await?;
    let titled = title_holders(db, &session.session.certification).await?;
    let learners = match which {
        Candidates::All => {
            let mut fitting = Vec::new();
            for (learner, records) in db.all_records().await? {
                if unfit(&session.session, &curricula, &records, &titled).is_none() {
                    fitting.push(learner);
                }
            }
            fitting
        }
        Candidates::Some(ids) => {
            let mut problems = Vec::new();
            for learner in &ids {
                certif_core::ident::check(learner).map_err(|e| InputError(format!("{learner} : {e}")))?;
                let records = db.records_of(learner).await?;
                if let Some(why) = unfit(&session.session, &curricula, &records, &titled) {
                    problems.push(format!("{learner} : {why}"));
                }
            }
            if !problems.is_empty() {
                return Err(InputError(format!("candidats refusés (rien n'a été ajouté) :\n  {}", problems.join("\n  "))).into());
            }
            ids
        }
    };
    let added = learners.len();
    change(db, id, JuryChange::AddCandidates(learners), actor).await?;
    Ok(added)
}

pub async fn remove_candidate(db: &Database, id: &str, learner: &str, actor: &str) -> AppResult<()> {
    change(db, id, JuryChange::RemoveCandidate { learner: learner.to_string() }, actor).await
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
    let decision = evaluate(certification, curriculum, policy, &dossier);
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

/// The proposal as the minutes keep it, read back from its stored JSON.
fn proposal_line(json: &str) -> AppResult<ProposalLine> {
    #[derive(Deserialize)]
    struct Title {
        status: TitleStatus,
        reasons: Vec<certif_core::codes::ReasonCode>,
    }
    #[derive(Deserialize)]
    struct Block {
        code: String,
        status: Status,
    }
    #[derive(Deserialize)]
    struct Proposed {
        title: Title,
        blocks: Vec<Block>,
    }
    let proposed: Proposed =
        serde_json::from_str(json).map_err(|e| StoreError::Database(format!("a stored proposal cannot be read: {e}")))?;
    Ok(ProposalLine {
        title: proposed.title.status,
        blocks_validated: proposed.blocks.into_iter().filter(|b| b.status == Status::Validated).map(|b| b.code).collect(),
        reasons: proposed.title.reasons,
    })
}

/// The minutes of a session whose candidates are all decided (else `JURY_CANDIDATE_UNDECIDED`).
async fn minutes_of(db: &Database, session: &StoredJurySession) -> AppResult<Minutes> {
    let undecided: Vec<&str> = session.candidates.iter().filter(|c| c.adopted.is_none()).map(|c| c.learner.as_str()).collect();
    if !undecided.is_empty() {
        return Err(one(JuryCode::JuryCandidateUndecided, format!("sans décision adoptée : {}", undecided.join(", "))));
    }
    let resolved = certification_of(db, &session.session.certification).await?;
    let certification = &resolved.certification;
    let mut candidates = Vec::with_capacity(session.candidates.len());
    for candidate in &session.candidates {
        let Some(adopted) = &candidate.adopted else { continue };
        let records = db.records_of(&candidate.learner).await?;
        let learner = learner_record(&records);
        let d = &adopted.deliberation;
        candidates.push(CandidateLine {
            learner: candidate.learner.clone(),
            name: learner.map(|l| l.learner.display_name()).unwrap_or_default(),
            route: learner.map(|l| messages::route(l.access_route, Lang::Fr).to_string()).unwrap_or_default(),
            proposal: proposal_line(&adopted.proposal)?,
            points: candidate
                .points
                .iter()
                .map(|p| PointsLine { module: p.module.clone(), points: p.points.to_string(), justification: p.justification.clone() })
                .collect(),
            code: d.outcome.minutes_code(),
            outcome: d.outcome.clone(),
            votes: d.votes,
            casting_vote_decided: d.votes.in_favour == d.votes.against && d.votes.casting_vote == Some(CastingVote::For),
            justification: d.justification.clone(),
        });
    }
    let composition = &resolved.jury;
    let president = jury::presiding_member(&composition.presiding, &session.members).map(|m| m.name.clone());
    Ok(Minutes {
        certification: CertificationLine {
            code: certification.code.clone(),
            title: certification.title.clone(),
            level: certification.level.map(|l| l.to_string()),
            certifier: certification.certifiers.first().map(|c| c.name.clone()),
        },
        session: session.session.id.clone(),
        kind: session.session.kind.as_str().to_string(),
        date: session.session.date,
        place: session.session.place.clone(),
        // Accounts are how certif knows who acts, not part of what the jury decided.
        members: session.members.iter().map(|m| Member { account: None, ..m.clone() }).collect(),
        totals: Minutes::totals_of(&candidates),
        candidates,
        president,
        signature: None,
    })
}

/// Closes the session with its minutes (refused while a candidate is undecided).
pub async fn close(db: &Database, id: &str, actor: &str) -> AppResult<()> {
    let session = session_of(db, id).await?;
    if session.status != JuryStatus::Open {
        return change(db, id, JuryChange::Close { minutes: String::new() }, actor).await;
    }
    let minutes = minutes_of(db, &session).await?;
    let json = String::from_utf8(minutes.canonical_json()).map_err(|e| StoreError::Database(e.to_string()))?;
    // The minutes are those of the session as read: a deliberation meanwhile is a conflict.
    changed_since(db, id, JuryChange::Close { minutes: json }, session.version, actor).await
}

/// The president signs the closed minutes (by their SHA-256, recorded with the name and time).
pub async fn sign(db: &Database, id: &str, name: &str, actor: &str) -> AppResult<String> {
    let session = session_of(db, id).await?;
    let Some(minutes) = &session.minutes else {
        return change(db, id, JuryChange::Sign { name: name.into(), at: String::new(), sha256: String::new() }, actor)
            .await
            .map(|()| String::new());
    };
    let composition = certification_of(db, &session.session.certification).await?.jury;
    let presides = jury::presiding_member(&composition.presiding, &session.members).is_some_and(|m| m.name.trim() == name.trim());
    if !presides {
        return Err(
            InputError(format!("--as {name} : seul le membre qui préside ({}) signe le procès-verbal", composition.presiding)).into()
        );
    }
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    change(db, id, JuryChange::Sign { name: name.trim().to_string(), at, sha256: minutes.sha256.clone() }, actor).await?;
    Ok(minutes.sha256.clone())
}

/// Publishes the decisions on `on` (not before the deliberation): holders from then on. The
/// credentials of decisions this one replaces on appeal are revoked (their status bits are set
/// from the publication on, whatever happens to this sweep).
pub async fn publish(db: &Database, id: &str, on: NaiveDate, actor: &str) -> AppResult<()> {
    let session = session_of(db, id).await?;
    if on < session.session.date && session.status == JuryStatus::Closed {
        return Err(InputError(format!(
            "--on {} : avant la délibération du {}",
            on.format("%d/%m/%Y"),
            session.session.date.format("%d/%m/%Y")
        ))
        .into());
    }
    change(db, id, JuryChange::Publish { on }, actor).await?;
    crate::credentials::revoke_superseded(db, chrono::Utc::now(), actor).await?;
    Ok(())
}

pub async fn list(db: &Database) -> AppResult<Vec<JurySessionSummary>> {
    Ok(db.jury_sessions().await?)
}

/// Every published award and acquired block (spec/jury.md §8).
pub async fn holders(db: &Database) -> AppResult<Vec<Holder>> {
    Ok(db.holders().await?)
}
