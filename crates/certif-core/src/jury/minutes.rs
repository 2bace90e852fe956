//! The minutes of a session (procès-verbal, spec/jury.md §6) as a value: the source of truth
//! the PDF is typeset from and the president signs (by the SHA-256 of `canonical_json`).

use chrono::NaiveDate;
use serde::Serialize;

use super::{Member, Outcome, Votes};
use crate::codes::ReasonCode;
use crate::decision::{Decision, Status, TitleStatus};

/// The certification as the minutes name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificationLine {
    pub code: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certifier: Option<String>,
}

/// What the proposal said, as the minutes keep it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalLine {
    pub title: TitleStatus,
    pub blocks_validated: Vec<String>,
    pub reasons: Vec<ReasonCode>,
}

impl ProposalLine {
    pub fn of(decision: &Decision) -> ProposalLine {
        ProposalLine {
            title: decision.title.status,
            blocks_validated: decision.blocks.iter().filter(|b| b.status == Status::Validated).map(|b| b.code.to_string()).collect(),
            reasons: decision.title.reasons.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointsLine {
    pub module: String,
    pub points: String,
    pub justification: String,
}

/// One candidate on the minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateLine {
    pub learner: String,
    pub name: String,
    pub route: String,
    pub proposal: ProposalLine,
    pub points: Vec<PointsLine>,
    pub outcome: Outcome,
    /// ADM, VAL, AJ or REF.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: &'static str,
    pub votes: Votes,
    /// Whether the president's casting vote decided it (a tie).
    pub casting_vote_decided: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Totals {
    pub award: usize,
    pub validate_blocks: usize,
    pub defer: usize,
    pub refuse: usize,
}

/// The president's signature, once given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signature {
    pub name: String,
    pub signed_at: String,
    /// SHA-256 of the minutes' canonical JSON (without the signature), hex.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Minutes {
    pub certification: CertificationLine,
    pub session: String,
    pub kind: String,
    pub date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    pub members: Vec<Member>,
    pub candidates: Vec<CandidateLine>,
    pub totals: Totals,
    /// Who signs: the member presiding.
    pub president: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
}

impl Minutes {
    /// How many candidates got each outcome.
    pub fn totals_of(candidates: &[CandidateLine]) -> Totals {
        let mut totals = Totals::default();
        for candidate in candidates {
            match candidate.outcome {
                Outcome::Award => totals.award += 1,
                Outcome::ValidateBlocks { .. } => totals.validate_blocks += 1,
                Outcome::Defer { .. } => totals.defer += 1,
                Outcome::Refuse => totals.refuse += 1,
            }
        }
        totals
    }

    /// The bytes the president signs: the minutes as compact JSON in their fields' fixed
    /// order, without any signature (so signing does not change what was signed).
    pub fn canonical_json(&self) -> Vec<u8> {
        let unsigned = Minutes { signature: None, ..self.clone() };
        serde_json::to_vec(&unsigned).expect("minutes always serialise")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;
    use crate::jury::CastingVote;

    fn line(outcome: Outcome) -> CandidateLine {
        let decision = fixtures::decide(&fixtures::dossier());
        CandidateLine {
            learner: "L1".into(),
            name: "Léa Martin".into(),
            route: "apprentissage".into(),
            proposal: ProposalLine::of(&decision),
            points: vec![],
            code: outcome.minutes_code(),
            outcome,
            votes: Votes { in_favour: 4, against: 4, abstain: 1, casting_vote: Some(CastingVote::For) },
            casting_vote_decided: true,
            justification: None,
        }
    }

    fn minutes() -> Minutes {
        let candidates = vec![line(Outcome::Award), line(Outcome::Refuse), line(Outcome::Award)];
        Minutes {
            certification: CertificationLine { code: "TEST".into(), title: "Test".into(), level: Some("7".into()), certifier: None },
            session: "J-2026-09".into(),
            kind: "title".into(),
            date: fixtures::date("2026-09-18"),
            place: None,
            members: vec![],
            totals: Minutes::totals_of(&candidates),
            candidates,
            president: Some("Anne Directrice".into()),
            signature: None,
        }
    }

    #[test]
    fn the_minutes_count_each_outcome_and_keep_the_proposal() {
        let m = minutes();
        assert_eq!(m.totals, Totals { award: 2, validate_blocks: 0, defer: 0, refuse: 1 });
        assert_eq!(m.candidates[0].proposal.title, TitleStatus::Awarded);
        assert_eq!(m.candidates[0].proposal.blocks_validated, ["TESTBC01", "TESTBC02"]);
        assert_eq!(m.candidates[1].code, "REF");
    }

    #[test]
    fn signing_does_not_change_what_was_signed() {
        let mut m = minutes();
        let before = m.canonical_json();
        m.signature = Some(Signature { name: "Anne Directrice".into(), signed_at: "2026-09-18T17:00:00Z".into(), sha256: "ab".into() });
        assert_eq!(m.canonical_json(), before);
        m.candidates[0].justification = Some("changed".into());
        assert_ne!(m.canonical_json(), before);
    }
}
