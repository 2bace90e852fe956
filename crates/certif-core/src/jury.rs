//! The jury's rules (spec/jury.md), pure: who must sit, what a jury may decide on a proposal,
//! how its votes are counted. Storage, the CLI and the web call these; none decides otherwise.

mod composition;
pub mod minutes;
mod points;

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::decision::{Decision, Status, TitleStatus};
use crate::dossier::Dossier;
use crate::mark::{Mark, MarkEntry};
use crate::policy::Policy;

pub use composition::{Composition, Member, PRESIDENT, Seat, TEACHER, check_composition, presiding_member};
pub use points::{JuryPoints, check_points, with_jury_points, with_points};

/// Why a jury action is refused (spec/jury.md), each with the sentence a person reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Refusal {
    pub code: JuryCode,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JuryCode {
    JuryRoleMissing,
    JuryRoleTooMany,
    JuryTooFewTeachers,
    JuryTooManyTeachers,
    JuryMemberTwice,
    JuryCandidateUndecided,
    JurySessionClosed,
    JuryAwardNotProposed,
    JuryBlockNotValidated,
    JuryJustificationRequired,
    JuryVotesExceedPresent,
    JuryOutcomeRejected,
    JuryCastingVoteRequired,
    JuryCastingVoteWithoutTie,
    JuryDeferNeedsExpectation,
    JuryPointsOutOfRange,
    JuryAppealTooLate,
}

impl JuryCode {
    /// The code as the CLI prints it and the API answers it.
    pub fn as_str(self) -> &'static str {
        use JuryCode::*;
        match self {
            JuryRoleMissing => "JURY_ROLE_MISSING",
            JuryRoleTooMany => "JURY_ROLE_TOO_MANY",
            JuryTooFewTeachers => "JURY_TOO_FEW_TEACHERS",
            JuryTooManyTeachers => "JURY_TOO_MANY_TEACHERS",
            JuryMemberTwice => "JURY_MEMBER_TWICE",
            JuryCandidateUndecided => "JURY_CANDIDATE_UNDECIDED",
            JurySessionClosed => "JURY_SESSION_CLOSED",
            JuryAwardNotProposed => "JURY_AWARD_NOT_PROPOSED",
            JuryBlockNotValidated => "JURY_BLOCK_NOT_VALIDATED",
            JuryJustificationRequired => "JURY_JUSTIFICATION_REQUIRED",
            JuryVotesExceedPresent => "JURY_VOTES_EXCEED_PRESENT",
            JuryOutcomeRejected => "JURY_OUTCOME_REJECTED",
            JuryCastingVoteRequired => "JURY_CASTING_VOTE_REQUIRED",
            JuryCastingVoteWithoutTie => "JURY_CASTING_VOTE_WITHOUT_TIE",
            JuryDeferNeedsExpectation => "JURY_DEFER_NEEDS_EXPECTATION",
            JuryPointsOutOfRange => "JURY_POINTS_OUT_OF_RANGE",
            JuryAppealTooLate => "JURY_APPEAL_TOO_LATE",
        }
    }
}

fn refusal(code: JuryCode, message: String) -> Refusal {
    Refusal { code, message }
}

/// What a jury decides for a candidate (spec/jury.md §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Award,
    ValidateBlocks { blocks: Vec<String> },
    Defer { expected: String, by: chrono::NaiveDate, blocks: Vec<String> },
    Refuse,
}

const DEFER_NEEDS_EXPECTATION: &str = "un ajournement dit ce qui est attendu et pour quand";

impl Outcome {
    /// A deferral from what a form or a command gave: what is awaited and by when are both
    /// required (`JURY_DEFER_NEEDS_EXPECTATION`).
    pub fn defer(expected: Option<String>, by: Option<chrono::NaiveDate>, blocks: Vec<String>) -> Result<Outcome, Refusal> {
        match (expected.filter(|e| !e.trim().is_empty()), by) {
            (Some(expected), Some(by)) => Ok(Outcome::Defer { expected, by, blocks }),
            _ => Err(refusal(JuryCode::JuryDeferNeedsExpectation, DEFER_NEEDS_EXPECTATION.into())),
        }
    }

    /// The code on the minutes.
    pub fn minutes_code(&self) -> &'static str {
        match self {
            Outcome::Award => "ADM",
            Outcome::ValidateBlocks { .. } => "VAL",
            Outcome::Defer { .. } => "AJ",
            Outcome::Refuse => "REF",
        }
    }

    /// The blocks this outcome makes acquired.
    pub fn blocks_acquired(&self) -> &[String] {
        match self {
            Outcome::ValidateBlocks { blocks } | Outcome::Defer { blocks, .. } => blocks,
            Outcome::Award | Outcome::Refuse => &[],
        }
    }
}

/// Whether the jury may decide `outcome` on `proposal` (a condition is never voted away), and
/// whether it must say why; every refusal at once.
pub fn admissible(outcome: &Outcome, proposal: &Decision, justification: Option<&str>) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    let awarded = proposal.title.status == TitleStatus::Awarded;
    if *outcome == Outcome::Award && !awarded {
        refusals.push(refusal(JuryCode::JuryAwardNotProposed, "le titre n'est pas proposé : un jury ne peut lever une condition".into()));
    }
    for block in outcome.blocks_acquired() {
        let validated = proposal.blocks.iter().any(|b| b.code.as_str() == block && b.status == Status::Validated);
        if !validated {
            refusals.push(refusal(JuryCode::JuryBlockNotValidated, format!("le bloc {block} n'est pas validé dans la proposition")));
        }
    }
    if let Outcome::Defer { expected, .. } = outcome
        && expected.trim().is_empty()
    {
        refusals.push(refusal(JuryCode::JuryDeferNeedsExpectation, DEFER_NEEDS_EXPECTATION.into()));
    }
    let against_proposal = match outcome {
        Outcome::Refuse => true,
        Outcome::Defer { .. } | Outcome::ValidateBlocks { .. } => awarded,
        Outcome::Award => false,
    };
    if against_proposal && justification.is_none_or(|j| j.trim().is_empty()) {
        refusals.push(refusal(JuryCode::JuryJustificationRequired, "une décision contraire à la proposition doit être motivée".into()));
    }
    refusals
}

/// A casting vote, given only on a tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CastingVote {
    For,
    Against,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Votes {
    #[serde(rename = "for")]
    pub in_favour: u32,
    pub against: u32,
    pub abstain: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub casting_vote: Option<CastingVote>,
}

/// The vote's result: adopted (and whether the president's casting vote decided it), or a
/// refusal (`JURY_OUTCOME_REJECTED` when the jury voted against: it votes on another outcome).
pub fn count_votes(votes: Votes, present: u32) -> Result<bool, Refusal> {
    let cast = u64::from(votes.in_favour) + u64::from(votes.against) + u64::from(votes.abstain);
    if cast > u64::from(present) {
        return Err(refusal(JuryCode::JuryVotesExceedPresent, format!("{cast} voix pour {present} membre(s) présent(s)")));
    }
    match (votes.in_favour.cmp(&votes.against), votes.casting_vote) {
        (std::cmp::Ordering::Equal, None) => {
            Err(refusal(JuryCode::JuryCastingVoteRequired, "égalité des voix : la voix prépondérante de la présidence décide".into()))
        }
        (std::cmp::Ordering::Equal, Some(CastingVote::For)) => Ok(true),
        (std::cmp::Ordering::Equal, Some(CastingVote::Against)) => {
            Err(refusal(JuryCode::JuryOutcomeRejected, "rejetée par la voix prépondérante de la présidence".into()))
        }
        (_, Some(_)) => Err(refusal(JuryCode::JuryCastingVoteWithoutTie, "une voix prépondérante ne s'exprime qu'en cas d'égalité".into())),
        (std::cmp::Ordering::Greater, None) => Ok(false),
        (std::cmp::Ordering::Less, None) => Err(refusal(JuryCode::JuryOutcomeRejected, "la décision proposée au vote est rejetée".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    fn awarded() -> Decision {
        let decision = fixtures::decide(&fixtures::dossier());
        assert_eq!(decision.title.status, TitleStatus::Awarded);
        decision
    }

    /// M1 at 3: its UE (and so its block) is not validated, the title not awarded.
    fn not_awarded() -> Decision {
        let mut dossier = fixtures::dossier();
        fixtures::set_marks(&mut dossier, "M1", fixtures::mark("3"), crate::mark::MarkEntry::Pending);
        let decision = fixtures::decide(&dossier);
        assert_eq!(decision.title.status, TitleStatus::NotAwarded);
        decision
    }

    pub(super) fn codes(refusals: &[Refusal]) -> Vec<JuryCode> {
        refusals.iter().map(|r| r.code).collect()
    }
    #[test]
    fn a_jury_cannot_vote_a_condition_away() {
        let not_awarded = not_awarded();
        assert_eq!(codes(&admissible(&Outcome::Award, &not_awarded, Some("excellent dossier"))), [JuryCode::JuryAwardNotProposed]);
        let not_validated = not_awarded.blocks.iter().find(|b| b.status != Status::Validated).unwrap().code.to_string();
        let blocks = Outcome::ValidateBlocks { blocks: vec![not_validated] };
        assert_eq!(codes(&admissible(&blocks, &not_awarded, None)), [JuryCode::JuryBlockNotValidated]);
    }

    #[test]
    fn a_decision_against_the_proposal_is_justified() {
        let awarded = awarded();
        assert!(admissible(&Outcome::Award, &awarded, None).is_empty());
        assert_eq!(codes(&admissible(&Outcome::Refuse, &awarded, None)), [JuryCode::JuryJustificationRequired]);
        assert!(admissible(&Outcome::Refuse, &awarded, Some("fraude constatée")).is_empty());
        let validated: Vec<String> = awarded.blocks.iter().take(2).map(|b| b.code.to_string()).collect();
        let blocks = Outcome::ValidateBlocks { blocks: validated };
        assert_eq!(codes(&admissible(&blocks, &awarded, Some("  "))), [JuryCode::JuryJustificationRequired]);
        let not_awarded = not_awarded();
        assert_eq!(codes(&admissible(&Outcome::Refuse, &not_awarded, None)), [JuryCode::JuryJustificationRequired]);
    }

    #[test]
    fn votes_adopt_reject_and_a_tie_goes_to_the_president() {
        let votes = |f, a, x, casting| Votes { in_favour: f, against: a, abstain: x, casting_vote: casting };
        assert_eq!(count_votes(votes(5, 3, 1, None), 9), Ok(false));
        assert_eq!(count_votes(votes(3, 5, 1, None), 9).unwrap_err().code, JuryCode::JuryOutcomeRejected);
        assert_eq!(count_votes(votes(4, 4, 1, None), 9).unwrap_err().code, JuryCode::JuryCastingVoteRequired);
        assert_eq!(count_votes(votes(4, 4, 1, Some(CastingVote::For)), 9), Ok(true));
        assert_eq!(count_votes(votes(4, 4, 1, Some(CastingVote::Against)), 9).unwrap_err().code, JuryCode::JuryOutcomeRejected);
        assert_eq!(count_votes(votes(5, 3, 0, Some(CastingVote::For)), 9).unwrap_err().code, JuryCode::JuryCastingVoteWithoutTie);
        assert_eq!(count_votes(votes(6, 3, 1, None), 9).unwrap_err().code, JuryCode::JuryVotesExceedPresent);
        assert_eq!(count_votes(votes(u32::MAX, u32::MAX, u32::MAX, None), 9).unwrap_err().code, JuryCode::JuryVotesExceedPresent);
    }

    #[test]
    fn outcomes_carry_their_minutes_codes() {
        let by = chrono::NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
        let defer = Outcome::Defer { expected: "rattrapage UE5.2".into(), by, blocks: vec!["RNCP39668BC01".into()] };
        assert_eq!(
            [
                Outcome::Award.minutes_code(),
                Outcome::ValidateBlocks { blocks: vec![] }.minutes_code(),
                defer.minutes_code(),
                Outcome::Refuse.minutes_code()
            ],
            ["ADM", "VAL", "AJ", "REF"]
        );
        assert_eq!(defer.blocks_acquired(), ["RNCP39668BC01"]);
        for code in [JuryCode::JuryRoleMissing, JuryCode::JuryAppealTooLate, JuryCode::JurySessionClosed] {
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{}\"", code.as_str()));
        }
    }
}
