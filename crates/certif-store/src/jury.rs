//! Jury sessions as stored (spec/jury.md §2–§8): a session with its members, candidates, points
//! de jury and appeals, every change to it one audited write, and the holders its published
//! decisions make. The jury's rules (composition, votes, what may be decided) are
//! `certif_core::jury`; the store keeps what was decided and enforces the session's life cycle
//! inside the write's transaction, so two writers cannot both act on a session one of them closes.

use std::future::Future;

use certif_core::Decimal;
use certif_core::jury::minutes::Signature;
use certif_core::jury::{JuryCode, JuryPoints, Member, Outcome, Votes};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{StoreError, StoreResult};

/// Which learners a session examines: every route but VAE, or VAE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JuryKind {
    Title,
    Vae,
}

impl JuryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JuryKind::Title => "title",
            JuryKind::Vae => "vae",
        }
    }

    pub fn parse(text: &str) -> Option<JuryKind> {
        [JuryKind::Title, JuryKind::Vae].into_iter().find(|k| k.as_str() == text)
    }
}

/// Where a session stands: `draft` → `open` → `closed` → `published`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JuryStatus {
    Draft,
    Open,
    Closed,
    Published,
}

impl JuryStatus {
    pub const ALL: [JuryStatus; 4] = [JuryStatus::Draft, JuryStatus::Open, JuryStatus::Closed, JuryStatus::Published];

    pub fn as_str(self) -> &'static str {
        match self {
            JuryStatus::Draft => "draft",
            JuryStatus::Open => "open",
            JuryStatus::Closed => "closed",
            JuryStatus::Published => "published",
        }
    }

    pub fn parse(text: &str) -> Option<JuryStatus> {
        JuryStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A session as created: what `jury create` says of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JurySession {
    pub id: String,
    pub certification: String,
    pub kind: JuryKind,
    /// The deliberation date: every proposal's `evaluated_on`.
    pub date: NaiveDate,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// What a jury adopted for a candidate: the outcome, the votes and the reasons given. Stored as
/// one flat JSON object (`outcome`, `blocks`, `expected`, `by`, `for`, `against`, `abstain`,
/// `casting_vote`, `justification`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deliberation {
    #[serde(flatten)]
    pub outcome: Outcome,
    #[serde(flatten)]
    pub votes: Votes,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
}

/// A candidate's adopted outcome, with the proposal it was adopted on (kept, so a later change
/// to the records shows rather than applies) and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adopted {
    pub deliberation: Deliberation,
    /// The engine's decision the jury deliberated on, as JSON.
    pub proposal: String,
    /// RFC 3339, UTC.
    pub at: String,
}

/// A learner examined by a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JuryCandidate {
    pub learner: String,
    /// The session whose published decision this candidate appealed, when this session
    /// decides again on the appeal (that decision stays in its own session unchanged).
    pub appeal_of: Option<String>,
    /// The engine's decision taken when the session opened, as JSON (none in draft: until then
    /// the proposal follows the records).
    pub proposal: Option<String>,
    /// Points de jury, by module.
    pub points: Vec<JuryPoints>,
    pub adopted: Option<Adopted>,
}

/// An appeal against a published decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JuryAppeal {
    pub learner: String,
    pub received_on: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// RFC 3339, UTC.
    pub recorded_at: String,
}

/// The minutes fixed when the session closed: their canonical JSON and its SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedMinutes {
    pub json: String,
    pub sha256: String,
}

/// Everything stored about a session: members in the order they were added, candidates (and
/// their points) by learner id and module, appeals in the order recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredJurySession {
    pub session: JurySession,
    pub status: JuryStatus,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub opened_at: Option<String>,
    pub closed_at: Option<String>,
    pub published_on: Option<NaiveDate>,
    /// Moves on with every change: what a change checked on this reading passes back.
    pub version: i64,
    pub minutes: Option<ClosedMinutes>,
    pub signature: Option<Signature>,
    pub members: Vec<Member>,
    pub candidates: Vec<JuryCandidate>,
    pub appeals: Vec<JuryAppeal>,
}

/// A session in a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JurySessionSummary {
    pub session: JurySession,
    pub status: JuryStatus,
    pub candidates: usize,
    /// Candidates with an adopted outcome.
    pub decided: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_on: Option<NaiveDate>,
}

/// What a published decision made a learner hold.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Held {
    Title,
    /// A block, by its code.
    Block(String),
}

/// One published award or acquired block (spec/jury.md §8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Holder {
    pub learner: String,
    pub certification: String,
    pub what: Held,
    pub session: String,
    pub jury_date: NaiveDate,
    pub published_on: NaiveDate,
}

/// One write to a session. Each is allowed in one part of the life cycle only
/// ([`JuryChange::allowed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JuryChange {
    /// A member; a name already seated (ignoring case and surrounding spaces) is refused
    /// (`JURY_MEMBER_TWICE`).
    AddMember(Member),
    RemoveMember {
        name: String,
    },
    /// Learners to examine; those already candidates are left as they are.
    AddCandidates(Vec<String>),
    RemoveCandidate {
        learner: String,
    },
    /// Marks a candidate as examined again on appeal: `appealed` is the published session
    /// where the learner's appeal is recorded.
    ReferToAppeal {
        learner: String,
        appealed: String,
    },
    /// Opens the session with each candidate's proposal `(learner, decision as JSON)`: exactly
    /// one for every candidate.
    Open {
        proposals: Vec<(String, String)>,
    },
    /// Sets (or replaces) points de jury on one module of a candidate.
    SetPoints {
        learner: String,
        points: JuryPoints,
    },
    RemovePoints {
        learner: String,
        module: String,
    },
    /// Adopts an outcome for a candidate, replacing any earlier one (both stay in the audit log).
    Deliberate {
        learner: String,
        deliberation: Deliberation,
        proposal: String,
    },
    /// Closes the session with its minutes (canonical JSON); the store keeps their SHA-256.
    /// Refused while a candidate has no outcome (`JURY_CANDIDATE_UNDECIDED`).
    Close {
        minutes: String,
    },
    /// The president's signature over the closed minutes: `sha256` must be the stored minutes'.
    Sign {
        name: String,
        at: String,
        sha256: String,
    },
    Publish {
        on: NaiveDate,
    },
    Appeal {
        learner: String,
        received_on: NaiveDate,
        note: Option<String>,
    },
}

impl JuryChange {
    /// What the change is called in a refusal.
    fn what(&self) -> &'static str {
        match self {
            JuryChange::AddMember(_) | JuryChange::RemoveMember { .. } => "changer ses membres",
            JuryChange::AddCandidates(_) | JuryChange::RemoveCandidate { .. } | JuryChange::ReferToAppeal { .. } => "changer ses candidats",
            JuryChange::Open { .. } => "l'ouvrir",
            JuryChange::SetPoints { .. } | JuryChange::RemovePoints { .. } => "attribuer des points de jury",
            JuryChange::Deliberate { .. } => "délibérer",
            JuryChange::Close { .. } => "la clore",
            JuryChange::Sign { .. } => "signer son procès-verbal",
            JuryChange::Publish { .. } => "la publier",
            JuryChange::Appeal { .. } => "enregistrer un recours",
        }
    }

    /// Whether the change may be made to a session in `status` (signed or not): a change the
    /// life cycle forbids once the session is closed is `JURY_SESSION_CLOSED`; one made too
    /// early is `Invalid`.
    pub fn allowed(&self, session: &str, status: JuryStatus, signed: bool) -> StoreResult<()> {
        use JuryStatus::*;
        let allowed: &[JuryStatus] = match self {
            JuryChange::AddMember(_)
            | JuryChange::RemoveMember { .. }
            | JuryChange::AddCandidates(_)
            | JuryChange::RemoveCandidate { .. }
            | JuryChange::ReferToAppeal { .. }
            | JuryChange::Open { .. } => &[Draft],
            JuryChange::SetPoints { .. } | JuryChange::RemovePoints { .. } | JuryChange::Deliberate { .. } | JuryChange::Close { .. } => {
                &[Open]
            }
            JuryChange::Sign { .. } if signed => &[],
            JuryChange::Sign { .. } => &[Closed, Published],
            JuryChange::Publish { .. } => &[Closed],
            JuryChange::Appeal { .. } => &[Published],
        };
        if allowed.contains(&status) {
            return Ok(());
        }
        let (what, now) = (self.what(), status.as_str());
        if status >= Closed {
            let why = if signed { "son procès-verbal est signé" } else { "ses décisions ne peuvent plus changer" };
            return Err(StoreError::Refused {
                code: JuryCode::JurySessionClosed.as_str(),
                message: format!("session de jury {session} : {now}, {why} ({what} : refusé)"),
            });
        }
        let wanted: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
        Err(StoreError::Invalid(format!("session de jury {session} : {now} ; pour {what}, elle doit être {}", wanted.join(" ou "))))
    }
}

/// The audit log's entities for jury rows.
pub const AUDITED: [&str; 5] = ["jury_session", "jury_member", "jury_candidate", "jury_points", "jury_appeal"];

/// The storage of jury sessions. Every accepted change is one transaction with its audit
/// entries (`jury_session`, `jury_member`, `jury_candidate`, `jury_points`, `jury_appeal`); a
/// refused one changes nothing, audit log included.
pub trait JuryStore: Send + Sync {
    /// A new session, in draft; an id already used is `Invalid`.
    fn create_jury_session(&self, session: JurySession, actor: &str) -> impl Future<Output = StoreResult<()>> + Send;

    /// Everything about one session, read at one instant.
    fn jury_session(&self, id: &str) -> impl Future<Output = StoreResult<Option<StoredJurySession>>> + Send;

    /// Every session, by deliberation date then id.
    fn jury_sessions(&self) -> impl Future<Output = StoreResult<Vec<JurySessionSummary>>> + Send;

    /// One change to a session, checked against its status inside the write's transaction.
    fn change_jury_session(&self, id: &str, change: JuryChange, actor: &str) -> impl Future<Output = StoreResult<()>> + Send {
        let changed = self.change_jury_session_versioned(id, change, None, actor);
        async move { changed.await.map(drop) }
    }

    /// `change_jury_session`, refused with `Conflict` (and nothing written) unless the session
    /// is still at `expected_version`: for a change decided on a reading of the session (the
    /// composition checked before opening, the minutes made before closing), so no change made
    /// since goes unseen. Answers the session's new version.
    fn change_jury_session_versioned(
        &self,
        id: &str,
        change: JuryChange,
        expected_version: Option<i64>,
        actor: &str,
    ) -> impl Future<Output = StoreResult<i64>> + Send;

    /// Every award and every acquired block of a published session that still stands (a
    /// decision replaced by a published decision on appeal does not), by learner,
    /// certification, what, then publication date.
    fn holders(&self) -> impl Future<Output = StoreResult<Vec<Holder>>> + Send;
}

/// What a published decision makes held: the title for `award`, the blocks listed for
/// `validate_blocks` and `defer`.
pub fn held(outcome: &Outcome) -> Vec<Held> {
    match outcome {
        Outcome::Award => vec![Held::Title],
        other => other.blocks_acquired().iter().cloned().map(Held::Block).collect(),
    }
}

/// Points as stored: the exact decimal text (`0.50`).
pub fn points_text(points: Decimal) -> String {
    points.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use certif_core::jury::CastingVote;

    #[test]
    fn a_deliberation_is_one_flat_object_and_reads_back() {
        let by = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
        let defer = Deliberation {
            outcome: Outcome::Defer { expected: "rattrapage".into(), by, blocks: vec!["BC01".into()] },
            votes: Votes { in_favour: 4, against: 4, abstain: 1, casting_vote: Some(CastingVote::For) },
            justification: Some("stage à finir".into()),
        };
        let json = serde_json::to_string(&defer).unwrap();
        assert_eq!(
            json,
            r#"{"outcome":"defer","expected":"rattrapage","by":"2027-01-15","blocks":["BC01"],"for":4,"against":4,"abstain":1,"casting_vote":"for","justification":"stage à finir"}"#
        );
        assert_eq!(serde_json::from_str::<Deliberation>(&json).unwrap(), defer);
        let award = Deliberation {
            outcome: Outcome::Award,
            votes: Votes { in_favour: 7, against: 0, abstain: 0, casting_vote: None },
            justification: None,
        };
        let json = serde_json::to_string(&award).unwrap();
        assert_eq!(json, r#"{"outcome":"award","for":7,"against":0,"abstain":0}"#);
        assert_eq!(serde_json::from_str::<Deliberation>(&json).unwrap(), award);
    }

    #[test]
    fn each_change_has_its_part_of_the_life_cycle() {
        let member =
            JuryChange::AddMember(Member { name: "A".into(), role: "teacher".into(), representing: None, present: true, account: None });
        assert!(member.allowed("J", JuryStatus::Draft, false).is_ok());
        assert!(matches!(member.allowed("J", JuryStatus::Open, false), Err(StoreError::Invalid(_))));
        let closed = member.allowed("J", JuryStatus::Closed, false).unwrap_err();
        assert!(matches!(closed, StoreError::Refused { code: "JURY_SESSION_CLOSED", .. }), "{closed}");
        let sign = JuryChange::Sign { name: "P".into(), at: "t".into(), sha256: "h".into() };
        assert!(sign.allowed("J", JuryStatus::Closed, false).is_ok());
        assert!(sign.allowed("J", JuryStatus::Published, false).is_ok());
        assert!(matches!(sign.allowed("J", JuryStatus::Published, true), Err(StoreError::Refused { .. })));
        assert!(matches!(sign.allowed("J", JuryStatus::Open, false), Err(StoreError::Invalid(_))));
        let appeal = JuryChange::Appeal { learner: "L".into(), received_on: NaiveDate::MIN, note: None };
        assert!(matches!(appeal.allowed("J", JuryStatus::Closed, false), Err(StoreError::Refused { .. })));
        assert!(appeal.allowed("J", JuryStatus::Published, true).is_ok());
        let publish = JuryChange::Publish { on: NaiveDate::MIN };
        assert!(matches!(publish.allowed("J", JuryStatus::Published, false), Err(StoreError::Refused { .. })));
    }

    #[test]
    fn only_award_and_listed_blocks_are_held() {
        assert_eq!(held(&Outcome::Award), [Held::Title]);
        assert_eq!(held(&Outcome::Refuse), []);
        assert_eq!(held(&Outcome::ValidateBlocks { blocks: vec!["B1".into()] }), [Held::Block("B1".into())]);
        let defer = Outcome::Defer { expected: "x".into(), by: NaiveDate::MIN, blocks: vec![] };
        assert_eq!(held(&defer), []);
    }
}
