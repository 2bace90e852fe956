//! R1–R3: marks into module finals, teaching units and blocks (or a block by VAE), and the ECTS they earn.

use rust_decimal::Decimal;

use crate::certification::Block;
use crate::codes::ReasonCode;
use crate::curriculum::TeachingUnit;
use crate::decision::*;
use crate::dossier::{Dossier, ModuleMarks, VaeDecision, VaeOutcome};
use crate::policy::{Policy, ResitPolicy};

/// R1 — "ABI counts as 0; ABJ and null count as no mark"; a resit counts for at most `resit_cap`.
pub fn r1_module_final(marks: Option<&ModuleMarks>, policy: &Policy) -> Option<Decimal> {
    let marks = marks?;
    let session1 = marks.session1.counted();
    let Some(session2) = marks.session2.counted() else { return session1 };
    let capped = session2.min(policy.resit_cap);
    match policy.resit {
        ResitPolicy::Best => Some(session1.map_or(capped, |s1| s1.max(capped))),
        ResitPolicy::Replace => Some(capped),
    }
}

/// R2 — "validated when every module has a final mark, the average ≥ pass_mark and every
/// final ≥ module_floor; incomplete when some module has no final mark".
pub fn r2_teaching_unit(ue: &TeachingUnit, marks: &[Option<&ModuleMarks>], policy: &Policy) -> UeOutcome {
    // Checked arithmetic, though it cannot fail on loaded inputs: the loaders bound marks (and
    // the policy's pass mark) to 0..20 with 2 decimals and coefficients to 1000 with 4, so
    // Σ(c×f) and pass × Σc stay below 10^12 at scale 6, far inside a decimal's 96 bits.
    let mut weighted_sum = Some(Decimal::ZERO);
    let mut coefficients = Some(Decimal::ZERO);
    let mut missing = false;
    let mut below_floor = false;
    let modules = ue
        .modules
        .iter()
        .zip(marks)
        .map(|(module, marks)| {
            let final_mark = r1_module_final(*marks, policy);
            let module_below_floor = final_mark.is_some_and(|f| f < policy.module_floor);
            match final_mark {
                Some(f) => {
                    let weighted = module.coefficient.checked_mul(f);
                    weighted_sum = weighted_sum.zip(weighted).and_then(|(sum, w)| sum.checked_add(w));
                    coefficients = coefficients.and_then(|sum| sum.checked_add(module.coefficient));
                }
                None => missing = true,
            }
            below_floor |= module_below_floor;
            ModuleOutcome { code: module.code.clone(), final_mark, below_floor: module_below_floor }
        })
        .collect();

    let mut reasons = Vec::new();
    if missing {
        reasons.push(ReasonCode::MarkMissing);
    }
    if below_floor {
        reasons.push(ReasonCode::ModuleBelowFloor);
    }
    // Compared unrounded and without division: Σ(c×f) ≥ pass × Σc.
    let needed = coefficients.and_then(|c| policy.pass_mark.checked_mul(c));
    let average = weighted_sum.zip(coefficients).and_then(|(sum, c)| sum.checked_div(c));
    let (status, average) = match (weighted_sum, needed, average) {
        (Some(sum), Some(needed), Some(average)) if !missing => {
            let below_pass = sum < needed;
            if below_pass {
                reasons.push(ReasonCode::UeBelowPassMark);
            }
            let status = if below_pass || below_floor { Status::NotValidated } else { Status::Validated };
            (status, Some(average))
        }
        // Missing marks, or figures no loaded input can reach: never shown as validated.
        _ => (Status::Incomplete, None),
    };
    UeOutcome { code: ue.code.clone(), status, average, ects: ue.ects, modules, reasons: distinct(reasons) }
}

/// R3 — a validated VAE decision dated on or before `evaluated_on` validates the block; otherwise
/// its UEs decide. "Aucun bloc ne peut être obtenu de droit par équivalence": equivalences are
/// ignored here.
pub fn r3_block(block: &Block, ues: Vec<UeOutcome>, dossier: &Dossier) -> BlockOutcome {
    let vae_validated =
        dossier.vae.iter().any(|v| v.block == block.code && v.decision == VaeOutcome::Validated && !vae_after_evaluation_date(v, dossier));
    let (status, via, reasons) = if vae_validated {
        (Status::Validated, Via::Vae, Vec::new())
    } else {
        let status = if ues.iter().any(|ue| ue.status == Status::NotValidated) {
            Status::NotValidated
        } else if !ues.is_empty() && ues.iter().all(|ue| ue.status == Status::Validated) {
            Status::Validated
        } else {
            // A block no UE prepares for cannot be validated through training.
            Status::Incomplete
        };
        (status, Via::Training, distinct(ues.iter().flat_map(|ue| ue.reasons.iter().copied())))
    };
    BlockOutcome { code: block.code.as_str().into(), status, via, ues, reasons }
}

/// A validated VAE decision the jury has not taken yet on `evaluated_on`: ignored, with a warning.
pub(super) fn vae_after_evaluation_date(decision: &VaeDecision, dossier: &Dossier) -> bool {
    decision.decision == VaeOutcome::Validated && decision.date.is_some_and(|date| date > dossier.evaluated_on)
}

/// R2/R3 — ECTS are earned by validated UEs, and by every UE of a block validated by VAE (the
/// block's credits are acquired with it).
pub fn ects_earned(blocks: &[BlockOutcome]) -> u32 {
    blocks
        .iter()
        .flat_map(|block| block.ues.iter().filter(move |ue| block.via == Via::Vae || ue.status == Status::Validated))
        .fold(0u32, |sum, ue| sum.saturating_add(ue.ects))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::*;
    use crate::engine::evaluate;
    use crate::fixtures::*;
    use crate::mark::MarkEntry;
    use crate::policy::*;

    fn final_of(session1: MarkEntry, session2: MarkEntry, policy: &Policy) -> Option<Decimal> {
        r1_module_final(Some(&ModuleMarks { module: "M1".into(), session1, session2 }), policy)
    }

    #[test]
    fn unjustified_absence_counts_as_zero_and_justified_absence_as_no_mark() {
        let policy = Policy::default();
        assert_eq!(final_of(MarkEntry::UnjustifiedAbsence, MarkEntry::Pending, &policy), Some(Decimal::ZERO));
        assert_eq!(final_of(MarkEntry::JustifiedAbsence, MarkEntry::Pending, &policy), None);
        assert_eq!(final_of(MarkEntry::Pending, MarkEntry::Pending, &policy), None);
    }

    #[test]
    fn a_resit_counts_for_at_most_the_cap_and_the_best_mark_is_kept() {
        let policy = Policy::default();
        assert_eq!(final_of(mark("7"), mark("15"), &policy), Some(dec("10")));
        assert_eq!(final_of(mark("9"), mark("8"), &policy), Some(dec("9")));
        assert_eq!(final_of(MarkEntry::JustifiedAbsence, mark("14"), &policy), Some(dec("10")));
        assert_eq!(final_of(mark("12"), MarkEntry::JustifiedAbsence, &policy), Some(dec("12")));
    }

    #[test]
    fn the_replace_policy_keeps_the_capped_resit_even_when_lower() {
        let policy = Policy { resit: ResitPolicy::Replace, ..Policy::default() };
        assert_eq!(final_of(mark("9"), mark("8"), &policy), Some(dec("8")));
        assert_eq!(final_of(mark("9"), MarkEntry::UnjustifiedAbsence, &policy), Some(Decimal::ZERO));
        assert_eq!(final_of(mark("9"), MarkEntry::Pending, &policy), Some(dec("9")));
    }

    #[test]
    fn ue_average_is_weighted_by_coefficients() {
        let mut d = dossier();
        set_marks(&mut d, "M1", mark("8"), MarkEntry::Pending);
        set_marks(&mut d, "M2", mark("15"), MarkEntry::Pending);
        let ue = &decide(&d).blocks[0].ues[0];
        // (2×8 + 1×15) / 3 = 10.333…
        assert_eq!(ue.average.map(crate::mark::format_two_places), Some("10.33".into()));
        assert_eq!(ue.status, Status::Validated);
    }

    #[test]
    fn ue_below_the_pass_mark_is_not_validated_and_blocks_the_title() {
        let mut d = dossier();
        set_marks(&mut d, "M1", mark("8"), MarkEntry::Pending);
        set_marks(&mut d, "M2", mark("9"), MarkEntry::Pending);
        let decision = decide(&d);
        assert_eq!(decision.blocks[0].ues[0].status, Status::NotValidated);
        assert_eq!(decision.blocks[0].ues[0].reasons, [ReasonCode::UeBelowPassMark]);
        assert_eq!(decision.blocks[0].status, Status::NotValidated);
        assert_eq!(decision.title.status, TitleStatus::NotAwarded);
        assert_eq!(decision.title.reasons, [ReasonCode::BlockNotValidated]);
        assert_eq!(decision.ects_earned, 18);
    }

    #[test]
    fn an_average_exactly_at_the_pass_mark_validates() {
        let mut d = dossier();
        set_marks(&mut d, "M1", mark("9.5"), MarkEntry::Pending);
        set_marks(&mut d, "M2", mark("11"), MarkEntry::Pending);
        assert_eq!(decide(&d).blocks[0].ues[0].status, Status::Validated);
    }

    #[test]
    fn ue_with_a_module_below_floor_is_not_validated() {
        let mut d = dossier();
        set_marks(&mut d, "M3", mark("5.99"), MarkEntry::Pending);
        set_marks(&mut d, "M4", mark("18"), MarkEntry::Pending);
        let ue = &decide(&d).blocks[0].ues[1];
        assert_eq!(ue.status, Status::NotValidated);
        assert_eq!(ue.reasons, [ReasonCode::ModuleBelowFloor]);
        assert!(ue.modules[0].below_floor);
    }

    #[test]
    fn ue_with_a_missing_mark_is_incomplete_without_average() {
        let mut d = dossier();
        set_marks(&mut d, "M5", MarkEntry::JustifiedAbsence, MarkEntry::Pending);
        let decision = decide(&d);
        let ue = &decision.blocks[1].ues[0];
        assert_eq!((ue.status, ue.average), (Status::Incomplete, None));
        assert_eq!(ue.reasons, [ReasonCode::MarkMissing]);
        assert_eq!(decision.blocks[1].status, Status::Incomplete);
        assert_eq!(decision.title.status, TitleStatus::Incomplete);
        assert_eq!(decision.title.reasons, [ReasonCode::BlockIncomplete]);
    }

    #[test]
    fn figures_no_loader_accepts_never_panic_and_never_validate() {
        let mut huge = curriculum();
        huge.ues[0].modules[0].coefficient = Decimal::from_i128_with_scale(4 * 10i128.pow(27), 0);
        let policy = Policy { pass_mark: Decimal::MAX, ..Policy::default() };
        let decision = evaluate(&certification(), &huge, &policy, &dossier());
        assert_eq!((decision.blocks[0].ues[0].status, decision.blocks[0].ues[0].average), (Status::Incomplete, None));
        assert_ne!(decision.title.status, TitleStatus::Awarded);
        let mut d = dossier();
        set_marks(&mut d, "M1", mark("20"), MarkEntry::Pending);
        let decision = evaluate(&certification(), &huge, &Policy::default(), &d);
        assert_eq!(decision.blocks[0].ues[0].status, Status::Incomplete, "4e27 × 20 overflows: not a figure to show");
    }

    #[test]
    fn a_not_validated_ue_outweighs_an_incomplete_one_in_its_block() {
        let mut d = dossier();
        set_marks(&mut d, "M1", MarkEntry::Pending, MarkEntry::Pending);
        set_marks(&mut d, "M3", mark("2"), MarkEntry::Pending);
        assert_eq!(decide(&d).blocks[0].status, Status::NotValidated);
    }

    #[test]
    fn a_validated_vae_decision_validates_its_block_whatever_its_ues() {
        let mut d = dossier();
        set_marks(&mut d, "M1", mark("2"), MarkEntry::Pending);
        d.vae.push(VaeDecision { block: "TESTBC01".into(), decision: VaeOutcome::Validated, date: None });
        let block = &decide(&d).blocks[0];
        assert_eq!((block.status, block.via), (Status::Validated, Via::Vae));
    }

    #[test]
    fn a_vae_decision_dated_after_the_evaluation_is_ignored_with_a_warning() {
        let mut d = dossier();
        set_marks(&mut d, "M1", mark("2"), MarkEntry::Pending);
        d.vae.push(VaeDecision { block: "TESTBC01".into(), decision: VaeOutcome::Validated, date: Some(date("2026-09-19")) });
        let decision = decide(&d);
        assert_eq!((decision.blocks[0].status, decision.blocks[0].via), (Status::NotValidated, Via::Training));
        assert_eq!(decision.warnings, [ReasonCode::VaeAfterEvaluationDate]);
        assert_eq!(decision.title.status, TitleStatus::NotAwarded);
        d.vae[0].date = Some(date("2026-09-18"));
        let decision = decide(&d);
        assert_eq!((decision.blocks[0].status, decision.blocks[0].via), (Status::Validated, Via::Vae));
        assert!(decision.warnings.is_empty());
    }

    #[test]
    fn a_block_validated_by_vae_earns_the_ects_of_every_one_of_its_ues() {
        let mut d = dossier();
        d.marks.retain(|m| !["M1", "M2", "M3", "M4"].contains(&m.module.as_str()));
        assert_eq!(decide(&d).ects_earned, 12);
        d.vae.push(VaeDecision { block: "TESTBC01".into(), decision: VaeOutcome::Validated, date: Some(date("2026-06-30")) });
        assert_eq!(decide(&d).ects_earned, 24);
        d.vae[0].decision = VaeOutcome::Refused;
        assert_eq!(decide(&d).ects_earned, 12);
    }

    #[test]
    fn a_refused_vae_decision_leaves_the_block_to_its_ues() {
        let mut d = dossier();
        d.vae.push(VaeDecision { block: "TESTBC01".into(), decision: VaeOutcome::Refused, date: None });
        let block = &decide(&d).blocks[0];
        assert_eq!((block.status, block.via), (Status::Validated, Via::Training));
    }

    #[test]
    fn an_equivalence_never_validates_a_block_and_warns() {
        let mut d = dossier();
        d.marks.retain(|m| m.module != "M1");
        d.equivalences.push(Equivalence { block: "TESTBC01".into(), basis: Some("OLD01".into()) });
        let decision = decide(&d);
        assert_eq!(decision.blocks[0].status, Status::Incomplete);
        assert_eq!(decision.warnings, [ReasonCode::BlockEquivalenceRefused]);
    }
}
