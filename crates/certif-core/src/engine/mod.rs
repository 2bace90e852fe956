//! The rule engine: spec/evaluation.md §3, one function per rule.

mod english;
mod periods;
mod route;
mod training;

pub use english::{certificate_subject, certified_level, english_valid_until, r6_english, r6_english_target};
use periods::mobility_below_recommended;
pub use periods::{r4_company_periods, r5_mobility, stay_failures, stay_subject};
pub use route::{r7_access, r8_registration};
use training::vae_after_evaluation_date;
pub use training::{ects_earned, r1_module_final, r2_teaching_unit, r3_block};

use crate::certification::{AccessRoute, AwardCondition, Certification};
use crate::codes::ReasonCode;
use crate::curriculum::Curriculum;
use crate::decision::*;
use crate::dossier::{Dossier, ModuleMarks};
use crate::policy::Policy;

/// Decides what a learner has validated, and why not, as of the dossier's `evaluated_on`.
///
/// Pure: the same inputs always give the same decision, whatever the order of the dossier's lists.
pub fn evaluate(certification: &Certification, curriculum: &Curriculum, policy: &Policy, dossier: &Dossier) -> Decision {
    let mut marks_by_module: Vec<Option<&ModuleMarks>> = vec![None; curriculum.module_count()];
    for marks in &dossier.marks {
        if let Some(position) = curriculum.module_position(&marks.module) {
            marks_by_module[position] = Some(marks);
        }
    }
    let mut ue_outcomes: Vec<Option<UeOutcome>> = Vec::with_capacity(curriculum.ues.len());
    let mut offset = 0;
    for ue in &curriculum.ues {
        let marks = &marks_by_module[offset..offset + ue.modules.len()];
        offset += ue.modules.len();
        ue_outcomes.push(Some(r2_teaching_unit(ue, marks, policy)));
    }

    let blocks: Vec<BlockOutcome> = certification
        .blocks
        .iter()
        .map(|block| {
            let ues: Vec<UeOutcome> = curriculum
                .ues
                .iter()
                .zip(ue_outcomes.iter_mut())
                .filter(|(ue, _)| ue.block == block.code)
                .filter_map(|(_, outcome)| outcome.take())
                .collect();
            r3_block(block, ues, dossier)
        })
        .collect();
    let ects_earned = ects_earned(&blocks);

    let requires = |condition| certification.requires(condition);
    let conditions = Conditions {
        access: r7_access(certification, dossier),
        registration: r8_registration(certification, dossier),
        company_periods: if requires(AwardCondition::CompanyPeriods) && dossier.access_route != AccessRoute::Vae {
            r4_company_periods(&dossier.company_periods, dossier.evaluated_on, policy)
        } else {
            ConditionOutcome::not_required()
        },
        mobility: if requires(AwardCondition::InternationalMobility) {
            r5_mobility(dossier, policy)
        } else {
            ConditionOutcome::not_required()
        },
        english: if requires(AwardCondition::English) { r6_english(dossier, policy) } else { ConditionOutcome::not_required() },
    };

    let mut warnings = Vec::new();
    if !dossier.equivalences.is_empty() {
        warnings.push(ReasonCode::BlockEquivalenceRefused);
    }
    if dossier.vae.iter().any(|v| vae_after_evaluation_date(v, dossier)) {
        warnings.push(ReasonCode::VaeAfterEvaluationDate);
    }
    if conditions.mobility.status == ConditionStatus::Met && mobility_below_recommended(dossier, policy) {
        warnings.push(ReasonCode::MobilityBelowRecommended);
    }

    let what_it_takes = crate::what_it_takes::what_it_takes(curriculum, policy, dossier, &marks_by_module, &blocks, &conditions);
    Decision {
        certification: certification.code.as_str().into(),
        learner: dossier.learner.id.clone(),
        evaluated_on: dossier.evaluated_on,
        title: r9_title(&blocks, &conditions),
        blocks,
        conditions,
        ects_earned,
        warnings: distinct(warnings),
        what_it_takes,
    }
}

/// R9 — the title: every block validated and every required condition met.
pub fn r9_title(blocks: &[BlockOutcome], conditions: &Conditions) -> TitleOutcome {
    let mut reasons = Vec::new();
    let mut unmet = false;
    let mut incomplete = false;
    for (_, condition) in conditions.iter() {
        match condition.status {
            ConditionStatus::Unmet => unmet = true,
            ConditionStatus::Incomplete => incomplete = true,
            ConditionStatus::Met | ConditionStatus::NotRequired => continue,
        }
        reasons.extend(condition.reasons.iter().copied());
    }
    if blocks.iter().any(|b| b.status == Status::NotValidated) {
        unmet = true;
        reasons.push(ReasonCode::BlockNotValidated);
    }
    if blocks.iter().any(|b| b.status == Status::Incomplete) {
        incomplete = true;
        reasons.push(ReasonCode::BlockIncomplete);
    }
    let status = if unmet {
        TitleStatus::NotAwarded
    } else if incomplete {
        TitleStatus::Incomplete
    } else {
        TitleStatus::Awarded
    };
    TitleOutcome { status, reasons: distinct(reasons) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use crate::mark::MarkEntry;
    use crate::policy::*;

    #[test]
    fn a_complete_good_dossier_is_awarded() {
        let decision = decide(&dossier());
        assert_eq!(decision.title.status, TitleStatus::Awarded);
        assert!(decision.title.reasons.is_empty());
        assert_eq!(decision.ects_earned, 24);
        assert!(decision.warnings.is_empty());
    }

    #[test]
    fn a_generic_certification_decides_on_its_blocks_only() {
        let mut certification = certification();
        certification.award_conditions = vec![AwardCondition::AllBlocks];
        let mut d = dossier();
        d.company_periods.clear();
        d.mobility.clear();
        d.english.clear();
        let decision = evaluate(&certification, &curriculum(), &Policy::default(), &d);
        assert_eq!(decision.title.status, TitleStatus::Awarded);
        assert_eq!(decision.conditions.english.status, ConditionStatus::NotRequired);
        assert_eq!(decision.conditions.mobility.status, ConditionStatus::NotRequired);
        assert_eq!(decision.conditions.company_periods.status, ConditionStatus::NotRequired);
    }

    #[test]
    fn a_block_no_ue_prepares_for_is_never_validated_through_training() {
        let certification = certification();
        let curriculum = Curriculum::new("C".into(), "TEST".into(), "C".into(), None, curriculum().ues.into_iter().take(2).collect());
        let decision = evaluate(&certification, &curriculum, &Policy::default(), &dossier());
        assert_eq!(decision.blocks[1].status, Status::Incomplete);
    }

    #[test]
    fn title_reasons_gather_unmet_and_incomplete_conditions_and_blocks() {
        let mut d = dossier();
        d.english.clear();
        d.apprenticeship_contract = None;
        set_marks(&mut d, "M5", MarkEntry::Pending, MarkEntry::Pending);
        set_marks(&mut d, "M1", mark("1"), MarkEntry::Pending);
        let decision = decide(&d);
        assert_eq!(decision.title.status, TitleStatus::NotAwarded);
        assert_eq!(
            decision.title.reasons,
            [
                ReasonCode::BlockNotValidated,
                ReasonCode::BlockIncomplete,
                ReasonCode::ApprenticeshipContractMissing,
                ReasonCode::EnglishMissing
            ]
        );
    }
}
