//! The jury's rules (spec/jury.md), pure: who must sit, what a jury may decide on a proposal,
//! how its votes are counted. Storage, the CLI and the web call these; none decides otherwise.

pub mod minutes;

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::decision::{Decision, Status, TitleStatus};
use crate::dossier::Dossier;
use crate::mark::{Mark, MarkEntry};
use crate::policy::Policy;

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

/// How many members of one role sit on the jury.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seat {
    pub role: String,
    pub min: u32,
    pub max: u32,
}

/// Who must sit on a certification's jury (its overlay's data; spec/jury.md §1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Composition {
    pub seats: Vec<Seat>,
    /// The role that presides and holds the casting vote.
    pub presiding: String,
    /// Members of roles no seat names, beyond the seats' minimums (the default composition's
    /// "at least 2 other members").
    #[serde(default)]
    pub min_others: u32,
}

/// The teachers' role: its count has its own reason codes.
pub const TEACHER: &str = "teacher";
pub const PRESIDENT: &str = "president";

impl Composition {
    /// A certification without a composition of its own: one president, at least 2 others.
    pub fn default_for_any() -> Composition {
        Composition { seats: vec![Seat { role: PRESIDENT.into(), min: 1, max: 1 }], presiding: PRESIDENT.into(), min_others: 2 }
    }

    /// A composition that can be met: the presiding role has a seat of exactly one, every
    /// seat's minimum is at most its maximum, no role has two seats. `Err((path, why))`.
    pub fn check_itself(&self) -> Result<(), (String, String)> {
        for (i, seat) in self.seats.iter().enumerate() {
            if seat.min > seat.max {
                return Err((format!("seats[{i}]"), format!("min {} is above max {}", seat.min, seat.max)));
            }
            if self.seats[..i].iter().any(|s| s.role == seat.role) {
                return Err((format!("seats[{i}].role"), format!("the role {} has two seats", seat.role)));
            }
        }
        match self.seat(&self.presiding) {
            Some(seat) if seat.min == 1 && seat.max == 1 => Ok(()),
            _ => Err(("presiding".into(), format!("the presiding role {} needs a seat of exactly one", self.presiding))),
        }
    }

    fn seat(&self, role: &str) -> Option<&Seat> {
        self.seats.iter().find(|s| s.role == role)
    }
}

/// A seat on a session's jury.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub name: String,
    pub role: String,
    /// For a representative: the person represented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representing: Option<String>,
    pub present: bool,
    /// The certif account (username) that sits in this seat: it may act as this role in the
    /// API and the web (the president's account deliberates, closes and signs). Never on the
    /// minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

/// The member present in the presiding seat (`presiding`: the composition's presiding role):
/// who signs, holds the casting vote, and whose account may conduct the session.
pub fn presiding_member<'a>(presiding: &str, members: &'a [Member]) -> Option<&'a Member> {
    members.iter().find(|m| m.present && m.role == presiding)
}

/// Every reason the members present do not make the jury (all at once; empty when it holds).
pub fn check_composition(composition: &Composition, members: &[Member]) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    // A person sits once: in their own name, or through the one who represents them.
    let mut seen: HashMap<String, &str> = HashMap::new();
    for member in members {
        let people = std::iter::once(&member.name).chain(member.representing.as_ref());
        for person in people {
            if let Some(role) = seen.insert(person.trim().to_lowercase(), &member.role) {
                refusals.push(refusal(JuryCode::JuryMemberTwice, format!("{person} siège deux fois (rôles {role} et {})", member.role)));
            }
        }
    }
    let present = |role: &str| members.iter().filter(|m| m.present && m.role == role).count() as u32;
    for seat in &composition.seats {
        let count = present(&seat.role);
        let teachers = seat.role == TEACHER;
        if count < seat.min {
            let code = if teachers { JuryCode::JuryTooFewTeachers } else { JuryCode::JuryRoleMissing };
            refusals.push(refusal(code, format!("rôle {} : {count} présent(s), il en faut au moins {}", seat.role, seat.min)));
        } else if count > seat.max {
            let code = if teachers { JuryCode::JuryTooManyTeachers } else { JuryCode::JuryRoleTooMany };
            refusals.push(refusal(code, format!("rôle {} : {count} présent(s), au plus {}", seat.role, seat.max)));
        }
    }
    let others = members.iter().filter(|m| m.present && composition.seat(&m.role).is_none()).count() as u32;
    if others < composition.min_others {
        refusals.push(refusal(
            JuryCode::JuryRoleMissing,
            format!("{others} autre(s) membre(s) présent(s) que la présidence, il en faut au moins {}", composition.min_others),
        ));
    }
    refusals
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

/// Points de jury added to a module's final mark (spec/jury.md §4): 0.01 up to `max`, at most 2
/// decimals, with a justification.
pub fn check_points(points: Decimal, max: Decimal, justification: &str) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    if points < Decimal::new(1, 2) || points > max || points.normalize().scale() > 2 {
        refusals.push(refusal(JuryCode::JuryPointsOutOfRange, format!("{points} : des points de jury vont de 0,01 à {max}, au centième")));
    }
    if justification.trim().is_empty() {
        refusals.push(refusal(JuryCode::JuryJustificationRequired, "des points de jury doivent être motivés".into()));
    }
    refusals
}

/// A module's final mark with points de jury: raised, never above 20.
pub fn with_points(final_mark: Decimal, points: Decimal) -> Decimal {
    (final_mark + points).min(Decimal::new(20, 0))
}

/// Points de jury on one module, for one session (stored apart from the teachers' marks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JuryPoints {
    pub module: String,
    /// Two decimals at most, as a string (`"0.50"`).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub points: Decimal,
    pub justification: String,
}

/// The dossier the jury's proposal is decided on: each module with points de jury has its
/// final mark (R1, under `policy`) raised by them, capped at 20, as a single mark; every other
/// fact unchanged. Decided by the same `evaluate`, so every rule applies to the raised mark.
/// Points on a module with no final mark are refused: they raise a mark, never make one.
pub fn with_jury_points(dossier: &Dossier, policy: &Policy, points: &[JuryPoints]) -> Result<Dossier, Refusal> {
    let mut adjusted = dossier.clone();
    for given in points {
        let marks = adjusted.marks.iter_mut().find(|m| m.module.as_str() == given.module);
        let final_mark = marks.as_deref().and_then(|m| crate::engine::r1_module_final(Some(m), policy));
        let (Some(marks), Some(final_mark)) = (marks, final_mark) else {
            return Err(refusal(
                JuryCode::JuryPointsOutOfRange,
                format!("{} n'a pas de note finale : des points de jury relèvent une note, ils n'en créent pas", given.module),
            ));
        };
        let raised = Mark::new(with_points(final_mark, given.points))
            .map_err(|e| refusal(JuryCode::JuryPointsOutOfRange, format!("{} : {e}", given.module)))?;
        marks.session1 = MarkEntry::Value(raised);
        marks.session2 = MarkEntry::Pending;
    }
    Ok(adjusted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    /// RNCP39668's jury (its overlay holds the same as data).
    fn rncp39668() -> Composition {
        let one = |role: &str| Seat { role: role.into(), min: 1, max: 1 };
        Composition {
            seats: vec![
                one(PRESIDENT),
                one("director_of_studies"),
                one("alternance_manager"),
                one("partner_training_manager"),
                Seat { role: TEACHER.into(), min: 4, max: 6 },
                one("cfa_director"),
            ],
            presiding: PRESIDENT.into(),
            min_others: 0,
        }
    }

    fn member(name: &str, role: &str) -> Member {
        Member { name: name.into(), role: role.into(), representing: None, present: true, account: None }
    }

    fn full_jury() -> Vec<Member> {
        let mut members = vec![
            member("Anne Directrice", PRESIDENT),
            member("Bruno Études", "director_of_studies"),
            member("Chloé Alternance", "alternance_manager"),
            member("David CNAM", "partner_training_manager"),
            member("Élise CFA", "cfa_director"),
        ];
        members.extend((1..=4).map(|n| member(&format!("Enseignant {n}"), TEACHER)));
        members
    }

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

    fn codes(refusals: &[Refusal]) -> Vec<JuryCode> {
        refusals.iter().map(|r| r.code).collect()
    }

    #[test]
    fn the_fiche_s_jury_holds_with_four_to_six_teachers() {
        let composition = rncp39668();
        assert!(check_composition(&composition, &full_jury()).is_empty());
        let mut six = full_jury();
        six.extend([member("Enseignant 5", TEACHER), member("Enseignant 6", TEACHER)]);
        assert!(check_composition(&composition, &six).is_empty());
        six.push(member("Enseignant 7", TEACHER));
        assert_eq!(codes(&check_composition(&composition, &six)), [JuryCode::JuryTooManyTeachers]);
    }

    #[test]
    fn an_absent_member_does_not_count_and_every_problem_is_said_at_once() {
        let mut members = full_jury();
        members[0].present = false;
        members.retain(|m| m.name != "Enseignant 4");
        members.push(member("Bruno Études", "alternance_manager"));
        let found = codes(&check_composition(&rncp39668(), &members));
        assert!(found.contains(&JuryCode::JuryRoleMissing), "{found:?}");
        assert!(found.contains(&JuryCode::JuryTooFewTeachers), "{found:?}");
        assert!(found.contains(&JuryCode::JuryRoleTooMany), "{found:?}");
        assert!(found.contains(&JuryCode::JuryMemberTwice), "{found:?}");
    }

    #[test]
    fn a_person_represented_while_seated_sits_twice() {
        let mut members = full_jury();
        let mut representative = member("Zoé Adjointe", "teacher");
        representative.representing = Some(members[0].name.to_uppercase());
        members.retain(|m| m.name != "Enseignant 4");
        members.push(representative);
        assert_eq!(codes(&check_composition(&rncp39668(), &members)), [JuryCode::JuryMemberTwice]);
        let absent_principal = {
            let mut m = members.clone();
            m.retain(|x| x.role != "president");
            let mut president = member("Yves Délégué", "president");
            president.representing = Some("Directeur Absent".into());
            m.push(president);
            m
        };
        assert_eq!(codes(&check_composition(&rncp39668(), &absent_principal)), [], "a representative of someone not seated sits once");
    }

    #[test]
    fn a_composition_that_cannot_be_met_is_refused_with_its_path() {
        assert!(rncp39668().check_itself().is_ok());
        assert!(Composition::default_for_any().check_itself().is_ok());
        let mut c = rncp39668();
        c.seats[4].min = 7;
        assert_eq!(c.check_itself().unwrap_err().0, "seats[4]");
        let mut c = rncp39668();
        c.presiding = "teacher".into();
        assert_eq!(c.check_itself().unwrap_err().0, "presiding");
        let mut c = rncp39668();
        c.seats.push(Seat { role: TEACHER.into(), min: 0, max: 1 });
        assert_eq!(c.check_itself().unwrap_err().0, "seats[6].role");
    }

    #[test]
    fn another_certification_needs_a_president_and_two_others() {
        let composition = Composition::default_for_any();
        let two = vec![member("P", PRESIDENT), member("A", "member")];
        assert_eq!(codes(&check_composition(&composition, &two)), [JuryCode::JuryRoleMissing]);
        let three = vec![member("P", PRESIDENT), member("A", "member"), member("B", "member")];
        assert!(check_composition(&composition, &three).is_empty());
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
    fn points_de_jury_are_bounded_justified_and_capped_at_20() {
        let max = Decimal::new(2, 0);
        assert!(check_points(Decimal::new(50, 2), max, "assiduité").is_empty());
        assert_eq!(codes(&check_points(Decimal::new(201, 2), max, "x")), [JuryCode::JuryPointsOutOfRange]);
        assert_eq!(codes(&check_points(Decimal::ZERO, max, "x")), [JuryCode::JuryPointsOutOfRange]);
        assert_eq!(codes(&check_points(Decimal::new(1, 3), max, "x")), [JuryCode::JuryPointsOutOfRange]);
        assert_eq!(codes(&check_points(Decimal::ONE, max, " ")), [JuryCode::JuryJustificationRequired]);
        assert_eq!(with_points(Decimal::new(1950, 2), Decimal::ONE), Decimal::new(20, 0));
        assert_eq!(with_points(Decimal::new(950, 2), Decimal::new(50, 2)), Decimal::new(1000, 2));
    }

    #[test]
    fn points_de_jury_raise_the_final_mark_and_the_same_rules_decide() {
        // M1 (coefficient 2) at 9 and M2 at 10 (resit 11 capped at 10): UE1's average is 9.33.
        let mut dossier = fixtures::dossier();
        fixtures::set_marks(&mut dossier, "M1", fixtures::mark("9"), crate::mark::MarkEntry::Pending);
        fixtures::set_marks(&mut dossier, "M2", fixtures::mark("7"), fixtures::mark("11"));
        let policy = Policy::default();
        let before = fixtures::decide(&dossier);
        assert_eq!(before.title.status, TitleStatus::NotAwarded);
        let points =
            |module: &str, n: &str| JuryPoints { module: module.into(), points: fixtures::dec(n), justification: "assiduité".into() };
        let adjusted = with_jury_points(&dossier, &policy, &[points("M1", "1")]).unwrap();
        assert_eq!(fixtures::decide(&adjusted).title.status, TitleStatus::Awarded);
        let short = with_jury_points(&dossier, &policy, &[points("M1", "0.99")]).unwrap();
        assert_eq!(fixtures::decide(&short).title.status, TitleStatus::NotAwarded);
        // The resit's cap applies before the points; the teachers' marks are not changed.
        let on_resit = with_jury_points(&dossier, &policy, &[points("M2", "0.5")]).unwrap();
        let m2 = on_resit.marks.iter().find(|m| m.module == "M2").unwrap();
        assert_eq!(m2.session1, fixtures::mark("10.5"));
        assert_eq!(dossier.marks.iter().find(|m| m.module == "M2").unwrap().session2, fixtures::mark("11"));
        let mut high = fixtures::dossier();
        fixtures::set_marks(&mut high, "M3", fixtures::mark("19.5"), crate::mark::MarkEntry::Pending);
        let capped = with_jury_points(&high, &policy, &[points("M3", "2")]).unwrap();
        assert_eq!(capped.marks.iter().find(|m| m.module == "M3").unwrap().session1, fixtures::mark("20"));
        let mut missing = fixtures::dossier();
        fixtures::set_marks(&mut missing, "M1", crate::mark::MarkEntry::Pending, crate::mark::MarkEntry::Pending);
        assert_eq!(with_jury_points(&missing, &policy, &[points("M1", "1")]).unwrap_err().code, JuryCode::JuryPointsOutOfRange);
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
