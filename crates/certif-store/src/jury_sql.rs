//! The SQL behind [`JuryStore`](crate::jury::JuryStore), for every backend. A change reads the
//! session's row inside its write transaction and checks the life cycle there: every write
//! transaction holds the backend's write lock (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's lock on
//! the audit head), so no other write can move the session between the check and the write.

use std::collections::HashSet;

use certif_core::jury::minutes::Signature;
use certif_core::jury::{JuryCode, JuryPoints, Member};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use sqlx::Row as _;

use crate::audit::REMOVED;
use crate::batch::Change;
use crate::dialect::{Conn, DbRow, Dialect, Sql, db, in_dialect, sqlx_bounds};
use crate::jury::{
    Adopted, ClosedMinutes, Deliberation, JuryAppeal, JuryCandidate, JuryChange, JuryKind, JurySession, JurySessionSummary, JuryStatus,
    StoredJurySession, held, points_text,
};
use crate::{StoreError, StoreResult};

mod changes;
mod rows;

const SESSION_COLUMNS: &str = "session_id, certification, kind, deliberation_date, name, place, status, created_at, opened_at, \
     closed_at, published_on, minutes, minutes_sha256, signed_by, signed_at, signature_sha256, version";
const CANDIDATE_COLUMNS: &str = "learner_id, proposal, decision, decided_proposal, decided_at, appeal_of";

/// A session's row. Its audit JSON is everything but the minutes' text (their SHA-256 stands
/// for them).
#[derive(Debug, Clone, Serialize)]
struct SessionRow {
    #[serde(flatten)]
    session: JurySession,
    status: JuryStatus,
    created_at: String,
    opened_at: Option<String>,
    closed_at: Option<String>,
    published_on: Option<NaiveDate>,
    #[serde(skip)]
    minutes: Option<String>,
    minutes_sha256: Option<String>,
    signed_by: Option<String>,
    signed_at: Option<String>,
    signature_sha256: Option<String>,
    /// Moves on with every change (optimistic concurrency); not data, so not audited.
    #[serde(skip)]
    version: i64,
}

/// A candidate's row, as stored and as audited (the JSON documents embedded as they are).
#[derive(Debug, Clone, Serialize)]
struct CandidateRow {
    #[serde(skip)]
    learner: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    appeal_of: Option<String>,
    proposal: Option<Box<RawValue>>,
    adopted: Option<AdoptedRow>,
}

#[derive(Debug, Clone, Serialize)]
struct AdoptedRow {
    #[serde(flatten)]
    deliberation: Deliberation,
    proposal: Box<RawValue>,
    at: String,
}

/// The audit JSON of points de jury on one module.
#[derive(Serialize)]
struct PointsJson<'a> {
    points: &'a str,
    justification: &'a str,
}

fn json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Database(e.to_string()))
}

/// A JSON document handed to the store (a proposal, minutes): refused unless it is JSON.
fn document(text: String, what: &str) -> StoreResult<Box<RawValue>> {
    RawValue::from_string(text).map_err(|e| StoreError::Invalid(format!("{what} : pas du JSON ({e})")))
}

/// A JSON document read back from the database.
fn stored_document(text: String, what: &str) -> StoreResult<Box<RawValue>> {
    RawValue::from_string(text).map_err(|e| StoreError::Database(format!("stored {what} is not JSON: {e}")))
}

fn stored_date(text: &str, what: &str) -> StoreResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| StoreError::Database(format!("stored {what} {text:?} is not a date")))
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// How member names are compared: the same person seated twice is the same name, whatever its
/// case or surrounding spaces (as `certif_core::jury::check_composition` compares them).
fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

fn not_a_candidate(session: &str, learner: &str) -> StoreError {
    StoreError::NotFound(format!("candidat {learner} de la session de jury {session}"))
}

fn change(entity: &'static str, key: String, learner: Option<&str>, before: Option<String>, after: String) -> Change {
    Change { entity, entity_key: key, learner_id: learner.map(String::from), before, after }
}

#[sqlx_bounds]
impl<D: Dialect> Sql<D> {
    pub async fn create_jury_session(&self, session: JurySession, actor: &str) -> StoreResult<()> {
        let actor = actor.to_string();
        self.write(true, move |connection| {
            Box::pin(async move {
                if Self::read_session_row(connection, &session.id).await?.is_some() {
                    return Err(StoreError::Invalid(format!("session de jury {} : existe déjà", session.id)));
                }
                let row = SessionRow {
                    session,
                    status: JuryStatus::Draft,
                    created_at: now(),
                    opened_at: None,
                    closed_at: None,
                    published_on: None,
                    minutes: None,
                    minutes_sha256: None,
                    signed_by: None,
                    signed_at: None,
                    signature_sha256: None,
                    version: 1,
                };
                sqlx::query(&in_dialect::<D>(
                    "INSERT INTO jury_sessions (session_id, certification, kind, deliberation_date, name, place, status, created_at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                ))
                .bind(&row.session.id)
                .bind(&row.session.certification)
                .bind(row.session.kind.as_str())
                .bind(row.session.date.to_string())
                .bind(&row.session.name)
                .bind(&row.session.place)
                .bind(row.status.as_str())
                .bind(&row.created_at)
                .execute(&mut *connection)
                .await
                .map_err(db)?;
                let audit = change("jury_session", row.session.id.clone(), None, None, json(&row)?);
                Self::write_audit(connection, &[audit], &actor).await
            })
        })
        .await
    }

    pub async fn jury_session(&self, id: &str) -> StoreResult<Option<StoredJurySession>> {
        let mut snapshot = self.pool.begin_with(D::SNAPSHOT).await.map_err(db)?;
        let Some(row) = Self::read_session_row(&mut snapshot, id).await? else {
            snapshot.rollback().await.map_err(db)?;
            return Ok(None);
        };
        let members = Self::read_members(&mut snapshot, id).await?;
        let candidates = Self::read_candidates(&mut snapshot, id).await?;
        let mut points = Self::read_points(&mut snapshot, id).await?;
        let appeals = Self::read_appeals(&mut snapshot, id).await?;
        snapshot.rollback().await.map_err(db)?;
        let candidates = candidates
            .into_iter()
            .map(|c| {
                let (own, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut points).into_iter().partition(|(learner, _)| *learner == c.learner);
                points = rest;
                JuryCandidate {
                    proposal: c.proposal.map(|p| p.get().to_string()),
                    points: own.into_iter().map(|(_, p)| p).collect(),
                    adopted: c.adopted.map(|a| Adopted { deliberation: a.deliberation, proposal: a.proposal.get().to_string(), at: a.at }),
                    learner: c.learner,
                    appeal_of: c.appeal_of,
                }
            })
            .collect();
        let signature = match (row.signed_by, row.signed_at, row.signature_sha256) {
            (Some(name), Some(signed_at), Some(sha256)) => Some(Signature { name, signed_at, sha256 }),
            _ => None,
        };
        let minutes = match (row.minutes, row.minutes_sha256) {
            (Some(json), Some(sha256)) => Some(ClosedMinutes { json, sha256 }),
            _ => None,
        };
        Ok(Some(StoredJurySession {
            session: row.session,
            status: row.status,
            created_at: row.created_at,
            opened_at: row.opened_at,
            closed_at: row.closed_at,
            published_on: row.published_on,
            version: row.version,
            minutes,
            signature,
            members,
            candidates,
            appeals,
        }))
    }

    pub async fn jury_sessions(&self) -> StoreResult<Vec<JurySessionSummary>> {
        let statement = format!(
            "SELECT {SESSION_COLUMNS}, \
             (SELECT COUNT(*) FROM jury_candidates c WHERE c.session_id = s.session_id), \
             (SELECT COUNT(c.decision) FROM jury_candidates c WHERE c.session_id = s.session_id) \
             FROM jury_sessions s"
        );
        let rows = sqlx::query(&statement).fetch_all(&self.pool).await.map_err(db)?;
        let width = SESSION_COLUMNS.split(',').count();
        let mut sessions = rows
            .iter()
            .map(|row| {
                let session = Self::session_of_row(row)?;
                let count = |i: usize| -> StoreResult<usize> {
                    let n: i64 = row.try_get(i).map_err(db)?;
                    usize::try_from(n).map_err(|_| StoreError::Database(format!("a count of {n}")))
                };
                Ok(JurySessionSummary {
                    candidates: count(width)?,
                    decided: count(width + 1)?,
                    published_on: session.published_on,
                    status: session.status,
                    session: session.session,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        sessions.sort_by(|a, b| (a.session.date, &a.session.id).cmp(&(b.session.date, &b.session.id)));
        Ok(sessions)
    }

    pub async fn holders(&self) -> StoreResult<Vec<crate::jury::Holder>> {
        let rows = sqlx::query(
            "SELECT s.session_id, s.certification, s.deliberation_date, s.published_on, c.learner_id, c.decision \
             FROM jury_candidates c JOIN jury_sessions s ON s.session_id = c.session_id \
             WHERE s.status = 'published' AND c.decision IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM jury_candidates a JOIN jury_sessions t ON t.session_id = a.session_id \
                 WHERE a.learner_id = c.learner_id AND a.appeal_of = c.session_id AND t.status = 'published' AND a.decision IS NOT NULL)",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let mut holders = Vec::new();
        for row in &rows {
            let text = |i: usize| row.try_get::<String, _>(i).map_err(db);
            let published: Option<String> = row.try_get(3).map_err(db)?;
            let published = published.ok_or_else(|| StoreError::Database("a published jury session has no publication date".into()))?;
            let deliberation: Deliberation =
                serde_json::from_str(&text(5)?).map_err(|e| StoreError::Database(format!("stored jury decision is not readable: {e}")))?;
            for what in held(&deliberation.outcome) {
                holders.push(crate::jury::Holder {
                    learner: text(4)?,
                    certification: text(1)?,
                    what,
                    session: text(0)?,
                    jury_date: stored_date(&text(2)?, "deliberation date")?,
                    published_on: stored_date(&published, "publication date")?,
                });
            }
        }
        holders.sort_by(|a, b| {
            (&a.learner, &a.certification, &a.what, a.published_on, &a.session).cmp(&(
                &b.learner,
                &b.certification,
                &b.what,
                b.published_on,
                &b.session,
            ))
        });
        Ok(holders)
    }

    pub async fn change_jury_session_versioned(
        &self,
        id: &str,
        change: JuryChange,
        expected_version: Option<i64>,
        actor: &str,
    ) -> StoreResult<i64> {
        let (id, actor) = (id.to_string(), actor.to_string());
        self.write(true, move |connection| {
            Box::pin(async move {
                let Some(session) = Self::read_session_row(connection, &id).await? else {
                    return Err(StoreError::NotFound(format!("session de jury {id}")));
                };
                change.allowed(&id, session.status, session.signed_by.is_some())?;
                if let Some(expected) = expected_version
                    && expected != session.version
                {
                    return Err(StoreError::Conflict { what: format!("la session de jury {id}"), current_version: session.version });
                }
                let version = session.version + 1;
                let changes = match change {
                    JuryChange::AddMember(member) => Self::add_member(connection, &id, member).await?,
                    JuryChange::RemoveMember { name } => Self::remove_member(connection, &id, &name).await?,
                    JuryChange::AddCandidates(learners) => Self::add_candidates(connection, &id, learners).await?,
                    JuryChange::RemoveCandidate { learner } => Self::remove_candidate(connection, &id, &learner).await?,
                    JuryChange::ReferToAppeal { learner, appealed } => Self::refer_to_appeal(connection, &id, &learner, appealed).await?,
                    JuryChange::Open { proposals } => Self::open(connection, session, proposals).await?,
                    JuryChange::SetPoints { learner, points } => Self::set_points(connection, &id, &learner, points).await?,
                    JuryChange::RemovePoints { learner, module } => Self::remove_points(connection, &id, &learner, &module).await?,
                    JuryChange::Deliberate { learner, deliberation, proposal } => {
                        Self::deliberate(connection, &id, &learner, deliberation, proposal).await?
                    }
                    JuryChange::Close { minutes } => Self::close(connection, session, minutes).await?,
                    JuryChange::Sign { name, at, sha256 } => Self::sign(connection, session, name, at, sha256).await?,
                    JuryChange::Publish { on } => Self::publish(connection, session, on).await?,
                    JuryChange::Appeal { learner, received_on, note } => {
                        Self::appeal(connection, &id, JuryAppeal { learner, received_on, note, recorded_at: now() }).await?
                    }
                };
                sqlx::query(&in_dialect::<D>("UPDATE jury_sessions SET version = ? WHERE session_id = ?"))
                    .bind(version)
                    .bind(&id)
                    .execute(&mut *connection)
                    .await
                    .map_err(db)?;
                Self::write_audit(connection, &changes, &actor).await?;
                Ok(version)
            })
        })
        .await
    }
}
