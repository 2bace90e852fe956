//! The rule engine: spec/evaluation.md §3, one function per rule.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use crate::certification::{AccessRoute, AwardCondition, Block, Certification};
use crate::codes::ReasonCode;
use crate::curriculum::{Curriculum, TeachingUnit};
use crate::decision::*;
use crate::dossier::{
    AccommodationKind, CompanyPeriod, Dossier, EnglishCertificate, EnglishScore, MobilityStay, ModuleMarks, VaeDecision, VaeOutcome,
};
use crate::policy::{CefrLevel, EnglishScale, Policy, ResitPolicy};

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
fn vae_after_evaluation_date(decision: &VaeDecision, dossier: &Dossier) -> bool {
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

/// R4 — "l'ensemble des périodes en entreprise": every period finished and evaluated at or above
/// the pass mark. A period not finished on `evaluated_on` only says so: its evaluation is provisional.
pub fn r4_company_periods(periods: &[CompanyPeriod], evaluated_on: NaiveDate, policy: &Policy) -> ConditionOutcome {
    if periods.is_empty() {
        let finding = Finding { reason: ReasonCode::CompanyPeriodsMissing, subject: String::new(), value: None, threshold: None };
        return ConditionOutcome::from_findings(ConditionStatus::Incomplete, vec![finding]);
    }
    let mut findings = Vec::new();
    let mut below = false;
    for period in periods {
        if period.end > evaluated_on {
            findings.push(Finding {
                reason: ReasonCode::CompanyPeriodNotFinished,
                subject: period.id.clone(),
                value: Some(period.end.to_string()),
                threshold: Some(evaluated_on.to_string()),
            });
            continue;
        }
        match period.evaluation.counted() {
            None => findings.push(Finding {
                reason: ReasonCode::CompanyPeriodNotEvaluated,
                subject: period.id.clone(),
                value: Some(period.evaluation.to_string()),
                threshold: None,
            }),
            Some(mark) if mark < policy.pass_mark => {
                below = true;
                findings.push(Finding {
                    reason: ReasonCode::CompanyPeriodBelowPassMark,
                    subject: period.id.clone(),
                    value: Some(period.evaluation.to_string()),
                    threshold: Some(policy.pass_mark.to_string()),
                });
            }
            Some(_) => {}
        }
    }
    let status = if below {
        ConditionStatus::Unmet
    } else if findings.is_empty() {
        ConditionStatus::Met
    } else {
        ConditionStatus::Incomplete
    };
    ConditionOutcome::from_findings(status, findings)
}

/// How a finding names a stay: `DE 2025-03-03 → 2025-05-30` (the report finds the stay by it).
pub fn stay_subject(stay: &MobilityStay) -> String {
    format!("{} {} → {}", stay.country, stay.start, stay.end)
}

/// How a finding names an English certificate: `TOEIC_LR 805 (2025-06-12)`.
pub fn certificate_subject(certificate: &EnglishCertificate) -> String {
    format!("{} {} ({})", certificate.test, certificate.score, certificate.date)
}

/// Why one stay does not qualify for R5 (empty when it does).
pub fn stay_failures(stay: &MobilityStay, dossier: &Dossier, policy: &Policy) -> Vec<Finding> {
    let subject = stay_subject(stay);
    let mut failures = Vec::new();
    if !policy.is_abroad(&stay.country) {
        failures.push(Finding {
            reason: ReasonCode::MobilityNotAbroad,
            subject: subject.clone(),
            value: Some(stay.country.clone()),
            threshold: None,
        });
    }
    if stay.days() < i64::from(policy.mobility_min_days) {
        failures.push(Finding {
            reason: ReasonCode::MobilityTooShort,
            subject: subject.clone(),
            value: Some(stay.days().to_string()),
            threshold: Some(policy.mobility_min_days.to_string()),
        });
    }
    let inside_a_period = dossier.company_periods.iter().any(|p| p.start <= stay.start && stay.end <= p.end);
    if dossier.access_route != AccessRoute::Vae && !inside_a_period {
        failures.push(Finding { reason: ReasonCode::MobilityOutsideCompanyPeriod, subject: subject.clone(), value: None, threshold: None });
    }
    if stay.end > dossier.evaluated_on {
        failures.push(Finding {
            reason: ReasonCode::MobilityNotFinished,
            subject,
            value: Some(stay.end.to_string()),
            threshold: Some(dossier.evaluated_on.to_string()),
        });
    }
    failures
}

/// R5 — "mobilité à l'international avec une durée minimum de 9 semaines (12 préconisées) qui
/// doit s'effectuer sur une des périodes en entreprise". Stays never add up; a stay not finished
/// on `evaluated_on` does not qualify yet.
pub fn r5_mobility(dossier: &Dossier, policy: &Policy) -> ConditionOutcome {
    if dossier.mobility.is_empty() {
        let finding = Finding { reason: ReasonCode::MobilityMissing, subject: String::new(), value: None, threshold: None };
        return ConditionOutcome::from_findings(ConditionStatus::Incomplete, vec![finding]);
    }
    let mut findings = Vec::new();
    let mut only_not_finished = false;
    for stay in &dossier.mobility {
        let failures = stay_failures(stay, dossier, policy);
        if failures.is_empty() {
            return ConditionOutcome::met();
        }
        only_not_finished |= failures.iter().all(|f| f.reason == ReasonCode::MobilityNotFinished);
        findings.extend(failures);
    }
    let status = if only_not_finished { ConditionStatus::Incomplete } else { ConditionStatus::Unmet };
    ConditionOutcome::from_findings(status, findings)
}

/// The recommended length (12 weeks) is not reached by any qualifying stay.
fn mobility_below_recommended(dossier: &Dossier, policy: &Policy) -> bool {
    !dossier
        .mobility
        .iter()
        .filter(|stay| stay_failures(stay, dossier, policy).is_empty())
        .any(|stay| stay.days() >= i64::from(policy.mobility_recommended_days))
}

/// The level an English certificate attests.
pub fn certified_level(certificate: &EnglishCertificate, policy: &Policy) -> Option<CefrLevel> {
    let test = policy.english_tests.get(&certificate.test)?;
    Some(match (certificate.score, test.scale) {
        (EnglishScore::Level(level), _) => level,
        (EnglishScore::Points(points), EnglishScale::Score) => test.level_for_score(points),
        (EnglishScore::Points(_), EnglishScale::Level) => return None,
    })
}

/// The last day an English certificate counts (a missing day becomes the month's last day).
pub fn english_valid_until(certificate: &EnglishCertificate, policy: &Policy) -> Option<NaiveDate> {
    let months = policy.english_tests.get(&certificate.test)?.validity_months?;
    certificate.date.checked_add_months(Months::new(months))
}

/// R6 — the English level needed: the policy's target, unless an `english_adaptation` applies
/// (undated, or decided on or before `evaluated_on`). Of those the one decided last wins (undated
/// ones count as earliest; on a tie, the lower level). An adaptation compensates, it never adds
/// a requirement: the target is the lower of the policy's and the adaptation's.
pub fn r6_english_target(dossier: &Dossier, policy: &Policy) -> CefrLevel {
    let applying = dossier
        .accommodations
        .iter()
        .filter(|a| a.kind == AccommodationKind::EnglishAdaptation)
        .filter(|a| a.decided_on.is_none_or(|on| on <= dossier.evaluated_on))
        .filter_map(|a| Some((a.decided_on, std::cmp::Reverse(a.target_level?))))
        .max();
    match applying {
        Some((_, std::cmp::Reverse(level))) => level.min(policy.english_target),
        None => policy.english_target,
    }
}

/// R6 — "Du niveau B2 en anglais", or the adapted level of an `english_adaptation` accommodation.
pub fn r6_english(dossier: &Dossier, policy: &Policy) -> ConditionOutcome {
    if dossier.english.is_empty() {
        let finding = Finding { reason: ReasonCode::EnglishMissing, subject: String::new(), value: None, threshold: None };
        return ConditionOutcome::from_findings(ConditionStatus::Incomplete, vec![finding]);
    }
    let target = r6_english_target(dossier, policy);
    let mut findings = Vec::new();
    for certificate in &dossier.english {
        let subject = certificate_subject(certificate);
        let valid_until = english_valid_until(certificate, policy);
        let level = certified_level(certificate, policy);
        let failure = if certificate.date > dossier.evaluated_on {
            Finding {
                reason: ReasonCode::EnglishAfterEvaluationDate,
                subject,
                value: Some(certificate.date.to_string()),
                threshold: Some(dossier.evaluated_on.to_string()),
            }
        } else if let Some(until) = valid_until.filter(|until| *until < dossier.evaluated_on) {
            Finding {
                reason: ReasonCode::EnglishExpired,
                subject,
                value: Some(until.to_string()),
                threshold: Some(dossier.evaluated_on.to_string()),
            }
        } else if level.is_none_or(|level| level < target) {
            Finding {
                reason: ReasonCode::EnglishBelowTarget,
                subject,
                value: level.map(|l| l.to_string()),
                threshold: Some(target.to_string()),
            }
        } else {
            return ConditionOutcome::met();
        };
        findings.push(failure);
    }
    ConditionOutcome::from_findings(ConditionStatus::Unmet, findings)
}

/// R7 — the route must be open ("en contrat d'apprentissage", "par expérience" for RNCP39668);
/// the apprenticeship route needs its contract.
pub fn r7_access(certification: &Certification, dossier: &Dossier) -> ConditionOutcome {
    let mut findings = Vec::new();
    let route = dossier.access_route.as_str().to_string();
    if !certification.route_is_open(dossier.access_route) {
        findings.push(Finding { reason: ReasonCode::AccessRouteNotOpen, subject: route.clone(), value: None, threshold: None });
    }
    if dossier.access_route == AccessRoute::Apprenticeship && dossier.apprenticeship_contract.is_none() {
        findings.push(Finding { reason: ReasonCode::ApprenticeshipContractMissing, subject: route, value: None, threshold: None });
    }
    let status = if findings.is_empty() { ConditionStatus::Met } else { ConditionStatus::Unmet };
    ConditionOutcome::from_findings(status, findings)
}

/// R8 — a learner enrolled on or before the registration's end can still be awarded it afterwards.
pub fn r8_registration(certification: &Certification, dossier: &Dossier) -> ConditionOutcome {
    match certification.registration_end {
        Some(end) if dossier.enrolled_on > end => ConditionOutcome::from_findings(
            ConditionStatus::Unmet,
            vec![Finding {
                reason: ReasonCode::RegistrationExpired,
                subject: certification.code.clone(),
                value: Some(dossier.enrolled_on.to_string()),
                threshold: Some(end.to_string()),
            }],
        ),
        _ => ConditionOutcome::met(),
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
    use crate::dossier::*;
    use crate::fixtures::*;
    use crate::mark::MarkEntry;

    fn final_of(session1: MarkEntry, session2: MarkEntry, policy: &Policy) -> Option<Decimal> {
        r1_module_final(Some(&ModuleMarks { module: "M1".into(), session1, session2 }), policy)
    }

    #[test]
    fn a_complete_good_dossier_is_awarded() {
        let decision = decide(&dossier());
        assert_eq!(decision.title.status, TitleStatus::Awarded);
        assert!(decision.title.reasons.is_empty());
        assert_eq!(decision.ects_earned, 24);
        assert!(decision.warnings.is_empty());
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

    #[test]
    fn company_periods_need_every_evaluation_at_the_pass_mark() {
        let policy = Policy::default();
        let on = date("2026-09-18");
        let period = |id: &str, evaluation| CompanyPeriod { id: id.into(), start: date("2025-01-06"), end: date("2025-06-27"), evaluation };
        assert_eq!(r4_company_periods(&[], on, &policy).reasons, [ReasonCode::CompanyPeriodsMissing]);
        assert_eq!(r4_company_periods(&[], on, &policy).status, ConditionStatus::Incomplete);
        let pending = r4_company_periods(&[period("P1", mark("12")), period("P2", MarkEntry::Pending)], on, &policy);
        assert_eq!((pending.status, pending.reasons), (ConditionStatus::Incomplete, vec![ReasonCode::CompanyPeriodNotEvaluated]));
        let below = r4_company_periods(&[period("P1", mark("9.99")), period("P2", MarkEntry::Pending)], on, &policy);
        assert_eq!(below.status, ConditionStatus::Unmet);
        assert_eq!(below.reasons, [ReasonCode::CompanyPeriodNotEvaluated, ReasonCode::CompanyPeriodBelowPassMark]);
        assert_eq!(r4_company_periods(&[period("P1", MarkEntry::UnjustifiedAbsence)], on, &policy).status, ConditionStatus::Unmet);
        assert_eq!(r4_company_periods(&[period("P1", mark("10"))], on, &policy).status, ConditionStatus::Met);
    }

    #[test]
    fn a_period_not_finished_is_incomplete_whatever_its_evaluation_says() {
        let policy = Policy::default();
        let period = |end: &str, evaluation| CompanyPeriod { id: "P5".into(), start: date("2025-10-06"), end: date(end), evaluation };
        for evaluation in [mark("4"), mark("15"), MarkEntry::Pending, MarkEntry::UnjustifiedAbsence] {
            let outcome = r4_company_periods(&[period("2026-01-30", evaluation)], date("2025-12-15"), &policy);
            assert_eq!(outcome.status, ConditionStatus::Incomplete, "{evaluation}");
            assert_eq!(outcome.reasons, [ReasonCode::CompanyPeriodNotFinished], "{evaluation}");
        }
        let ends_on_the_day = r4_company_periods(&[period("2025-12-15", mark("15"))], date("2025-12-15"), &policy);
        assert_eq!(ends_on_the_day.status, ConditionStatus::Met);
    }

    #[test]
    fn a_finished_period_below_the_pass_mark_outweighs_one_not_finished() {
        let policy = Policy::default();
        let periods = [
            CompanyPeriod { id: "P1".into(), start: date("2025-01-06"), end: date("2025-06-27"), evaluation: mark("8") },
            CompanyPeriod { id: "P2".into(), start: date("2025-10-06"), end: date("2026-01-30"), evaluation: MarkEntry::Pending },
        ];
        let outcome = r4_company_periods(&periods, date("2025-12-15"), &policy);
        assert_eq!(outcome.status, ConditionStatus::Unmet);
        assert_eq!(outcome.reasons, [ReasonCode::CompanyPeriodBelowPassMark, ReasonCode::CompanyPeriodNotFinished]);
    }

    #[test]
    fn a_title_is_never_awarded_on_a_period_that_has_not_ended() {
        let mut d = dossier();
        d.company_periods[0].end = date("2026-09-19");
        let decision = decide(&d);
        assert_eq!(decision.title.status, TitleStatus::Incomplete);
        assert_eq!(decision.title.reasons, [ReasonCode::CompanyPeriodNotFinished]);
    }

    #[test]
    fn company_periods_are_not_required_for_vae() {
        let mut d = dossier();
        d.access_route = AccessRoute::Vae;
        d.company_periods.clear();
        d.mobility[0].start = date("2019-01-07");
        d.mobility[0].end = date("2019-06-28");
        let decision = decide(&d);
        assert_eq!(decision.conditions.company_periods.status, ConditionStatus::NotRequired);
        assert_eq!(decision.conditions.mobility.status, ConditionStatus::Met, "a VAE stay need not fall in a company period");
    }

    #[test]
    fn a_stay_of_exactly_nine_weeks_qualifies_but_is_below_the_recommended_twelve() {
        let mut d = dossier();
        d.mobility[0].end = date("2025-04-06"); // 2025-02-03 + 63 days − 1
        let decision = decide(&d);
        assert_eq!(decision.conditions.mobility.status, ConditionStatus::Met);
        assert_eq!(decision.warnings, [ReasonCode::MobilityBelowRecommended]);
        d.mobility[0].end = date("2025-04-05");
        assert_eq!(decide(&d).conditions.mobility.reasons, [ReasonCode::MobilityTooShort]);
    }

    #[test]
    fn stays_never_add_up_and_every_failed_rule_is_a_reason() {
        let mut d = dossier();
        d.mobility = vec![
            MobilityStay { country: "RE".into(), start: date("2025-02-03"), end: date("2025-06-20") },
            MobilityStay { country: "ES".into(), start: date("2025-02-03"), end: date("2025-03-03") },
            MobilityStay { country: "DE".into(), start: date("2024-01-01"), end: date("2024-06-01") },
        ];
        let mobility = decide(&d).conditions.mobility;
        assert_eq!(mobility.status, ConditionStatus::Unmet);
        assert_eq!(
            mobility.reasons,
            [ReasonCode::MobilityNotAbroad, ReasonCode::MobilityTooShort, ReasonCode::MobilityOutsideCompanyPeriod]
        );
    }

    #[test]
    fn a_stay_not_finished_does_not_qualify_yet_and_is_incomplete() {
        let mut d = dossier();
        d.company_periods[0].end = date("2026-12-18");
        d.mobility[0] = MobilityStay { country: "DE".into(), start: date("2026-07-01"), end: date("2026-10-30") };
        let decision = decide(&d);
        assert_eq!(decision.conditions.mobility.status, ConditionStatus::Incomplete);
        assert_eq!(decision.conditions.mobility.reasons, [ReasonCode::MobilityNotFinished]);
        assert_eq!(decision.title.status, TitleStatus::Incomplete);
        d.evaluated_on = date("2026-10-30");
        assert_eq!(decide(&d).conditions.mobility.status, ConditionStatus::Met, "a stay ending on the day has ended");
    }

    #[test]
    fn a_stay_not_finished_and_too_short_is_unmet_with_both_reasons() {
        let mut d = dossier();
        d.evaluated_on = date("2025-03-01");
        d.english[0].date = date("2025-01-10");
        d.company_periods[0].end = date("2025-02-27");
        d.mobility[0] = MobilityStay { country: "DE".into(), start: date("2025-02-03"), end: date("2025-03-03") };
        let mobility = decide(&d).conditions.mobility;
        assert_eq!(mobility.status, ConditionStatus::Unmet);
        assert_eq!(
            mobility.reasons,
            [ReasonCode::MobilityTooShort, ReasonCode::MobilityOutsideCompanyPeriod, ReasonCode::MobilityNotFinished]
        );
    }

    #[test]
    fn one_stay_failing_only_by_its_end_keeps_mobility_incomplete_beside_a_failed_one() {
        let mut d = dossier();
        d.company_periods[0].end = date("2026-12-18");
        d.mobility = vec![
            MobilityStay { country: "FR".into(), start: date("2025-02-03"), end: date("2025-06-20") },
            MobilityStay { country: "DE".into(), start: date("2026-07-01"), end: date("2026-10-30") },
        ];
        let mobility = decide(&d).conditions.mobility;
        assert_eq!(mobility.status, ConditionStatus::Incomplete);
        assert_eq!(mobility.reasons, [ReasonCode::MobilityNotAbroad, ReasonCode::MobilityNotFinished]);
    }

    #[test]
    fn no_stay_at_all_is_incomplete() {
        let mut d = dossier();
        d.mobility.clear();
        let decision = decide(&d);
        assert_eq!(decision.conditions.mobility.status, ConditionStatus::Incomplete);
        assert_eq!(decision.title.reasons, [ReasonCode::MobilityMissing]);
    }

    #[test]
    fn a_stay_straddling_a_period_end_is_outside_it() {
        let mut d = dossier();
        d.mobility[0].end = date("2025-06-28");
        assert_eq!(decide(&d).conditions.mobility.reasons, [ReasonCode::MobilityOutsideCompanyPeriod]);
    }

    #[test]
    fn english_certificates_expire_after_their_validity_clamped_to_the_month_end() {
        let mut d = dossier();
        d.english[0].date = date("2024-02-29");
        d.evaluated_on = date("2026-02-28"); // valid until 2026-02-28 (no 29th)
        assert_eq!(decide(&d).conditions.english.status, ConditionStatus::Met);
        d.evaluated_on = date("2026-03-01");
        assert_eq!(decide(&d).conditions.english.reasons, [ReasonCode::EnglishExpired]);
    }

    #[test]
    fn an_english_certificate_after_the_evaluation_date_does_not_count() {
        let mut d = dossier();
        d.english[0].date = date("2026-09-19");
        assert_eq!(decide(&d).conditions.english.reasons, [ReasonCode::EnglishAfterEvaluationDate]);
    }

    #[test]
    fn each_certificate_gives_its_first_failing_rule() {
        let mut d = dossier();
        d.english = vec![
            EnglishCertificate { test: "TOEIC_LR".into(), score: EnglishScore::Points(dec("700")), date: date("2020-01-01") },
            EnglishCertificate { test: "CLES".into(), score: EnglishScore::Level(CefrLevel::B1), date: date("2025-01-01") },
        ];
        let english = decide(&d).conditions.english;
        assert_eq!(english.status, ConditionStatus::Unmet);
        assert_eq!(english.reasons, [ReasonCode::EnglishBelowTarget, ReasonCode::EnglishExpired]);
    }

    #[test]
    fn one_good_certificate_is_enough_and_level_tests_never_expire() {
        let mut d = dossier();
        d.english.push(EnglishCertificate { test: "CLES".into(), score: EnglishScore::Level(CefrLevel::B2), date: date("2010-01-01") });
        d.english[0].score = EnglishScore::Points(dec("500"));
        assert_eq!(decide(&d).conditions.english.status, ConditionStatus::Met);
    }

    #[test]
    fn an_english_adaptation_lowers_the_target() {
        let mut d = dossier();
        d.english[0].score = EnglishScore::Points(dec("640"));
        assert_eq!(decide(&d).conditions.english.reasons, [ReasonCode::EnglishBelowTarget]);
        d.accommodations.push(Accommodation {
            kind: AccommodationKind::EnglishAdaptation,
            target_level: Some(CefrLevel::B1),
            note: None,
            decided_on: None,
            decided_by: None,
            definitive: Some(true),
        });
        assert_eq!(decide(&d).conditions.english.status, ConditionStatus::Met);
    }

    fn adaptation(level: CefrLevel, decided_on: Option<&str>) -> Accommodation {
        Accommodation {
            kind: AccommodationKind::EnglishAdaptation,
            target_level: Some(level),
            note: None,
            decided_on: decided_on.map(date),
            decided_by: None,
            definitive: None,
        }
    }

    #[test]
    fn the_adaptation_decided_last_applies_provisional_then_definitive() {
        let mut d = dossier();
        d.accommodations = vec![adaptation(CefrLevel::A2, Some("2024-01-10")), adaptation(CefrLevel::B1, Some("2024-06-03"))];
        assert_eq!(r6_english_target(&d, &Policy::default()), CefrLevel::B1);
        d.accommodations.reverse();
        assert_eq!(r6_english_target(&d, &Policy::default()), CefrLevel::B1, "the list's order never matters");
    }

    #[test]
    fn an_adaptation_decided_after_the_evaluation_date_does_not_apply_yet() {
        let mut d = dossier();
        d.accommodations = vec![adaptation(CefrLevel::B1, Some("2024-01-10")), adaptation(CefrLevel::A2, Some("2026-09-19"))];
        assert_eq!(r6_english_target(&d, &Policy::default()), CefrLevel::B1);
        d.accommodations = vec![adaptation(CefrLevel::A2, Some("2026-09-19"))];
        assert_eq!(r6_english_target(&d, &Policy::default()), CefrLevel::B2);
        d.accommodations[0].decided_on = Some(date("2026-09-18"));
        assert_eq!(r6_english_target(&d, &Policy::default()), CefrLevel::A2);
    }

    #[test]
    fn an_undated_adaptation_counts_as_the_earliest_and_a_tie_takes_the_lower_level() {
        let mut d = dossier();
        d.accommodations = vec![adaptation(CefrLevel::A2, None), adaptation(CefrLevel::B1, Some("2020-01-01"))];
        assert_eq!(r6_english_target(&d, &Policy::default()), CefrLevel::B1);
        d.accommodations = vec![adaptation(CefrLevel::B1, None), adaptation(CefrLevel::A2, None)];
        assert_eq!(r6_english_target(&d, &Policy::default()), CefrLevel::A2);
        d.accommodations = vec![adaptation(CefrLevel::B1, Some("2024-01-10")), adaptation(CefrLevel::A1, Some("2024-01-10"))];
        assert_eq!(r6_english_target(&d, &Policy::default()), CefrLevel::A1);
    }

    #[test]
    fn an_adaptation_never_raises_the_target() {
        let mut d = dossier();
        d.english[0].score = EnglishScore::Points(dec("800"));
        d.accommodations = vec![adaptation(CefrLevel::C1, Some("2024-01-10"))];
        assert_eq!(r6_english_target(&d, &Policy::default()), CefrLevel::B2);
        assert_eq!(decide(&d).conditions.english.status, ConditionStatus::Met);
        d.accommodations.push(adaptation(CefrLevel::B1, Some("2023-01-10")));
        assert_eq!(r6_english_target(&d, &Policy::default()), CefrLevel::B2, "a later C1 replaces the earlier B1, capped at B2");
    }

    #[test]
    fn other_accommodations_never_change_the_english_target() {
        let mut d = dossier();
        d.accommodations = vec![Accommodation { kind: AccommodationKind::ExtraTime, ..adaptation(CefrLevel::A1, None) }];
        assert_eq!(r6_english_target(&d, &Policy::default()), CefrLevel::B2);
    }

    #[test]
    fn no_english_certificate_is_incomplete() {
        let mut d = dossier();
        d.english.clear();
        let decision = decide(&d);
        assert_eq!(decision.conditions.english.status, ConditionStatus::Incomplete);
        assert_eq!(decision.title.status, TitleStatus::Incomplete);
    }

    #[test]
    fn a_closed_route_and_a_missing_contract_refuse_access() {
        let mut d = dossier();
        d.access_route = AccessRoute::Student;
        assert_eq!(decide(&d).conditions.access.reasons, [ReasonCode::AccessRouteNotOpen]);
        let mut d = dossier();
        d.apprenticeship_contract = None;
        let decision = decide(&d);
        assert_eq!(decision.conditions.access.reasons, [ReasonCode::ApprenticeshipContractMissing]);
        assert_eq!(decision.title.status, TitleStatus::NotAwarded);
    }

    #[test]
    fn a_learner_enrolled_before_the_registration_end_can_be_awarded_after_it() {
        let mut d = dossier();
        d.enrolled_on = date("2026-08-31");
        d.evaluated_on = date("2027-06-30");
        d.english[0].date = date("2026-06-12");
        assert_eq!(decide(&d).conditions.registration.status, ConditionStatus::Met);
        d.enrolled_on = date("2026-09-01");
        assert_eq!(decide(&d).conditions.registration.reasons, [ReasonCode::RegistrationExpired]);
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
