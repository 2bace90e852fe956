//! The rule engine: spec/evaluation.md §3, one function per rule.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use crate::certification::{AccessRoute, AwardCondition, Block, Certification};
use crate::codes::ReasonCode;
use crate::curriculum::{Curriculum, TeachingUnit};
use crate::decision::*;
use crate::dossier::{CompanyPeriod, Dossier, EnglishCertificate, EnglishScore, ModuleMarks, VaeOutcome};
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
    let ects_earned = blocks
        .iter()
        .flat_map(|b| &b.ues)
        .filter(|ue| ue.status == Status::Validated)
        .map(|ue| ue.ects)
        .sum();

    let requires = |condition| certification.requires(condition);
    let conditions = Conditions {
        access: r7_access(certification, dossier),
        registration: r8_registration(certification, dossier),
        company_periods: if requires(AwardCondition::CompanyPeriods) && dossier.access_route != AccessRoute::Vae {
            r4_company_periods(&dossier.company_periods, policy)
        } else {
            ConditionOutcome::not_required()
        },
        mobility: if requires(AwardCondition::InternationalMobility) { r5_mobility(dossier, policy) } else { ConditionOutcome::not_required() },
        english: if requires(AwardCondition::English) { r6_english(dossier, policy) } else { ConditionOutcome::not_required() },
    };

    let mut warnings = Vec::new();
    if !dossier.equivalences.is_empty() {
        warnings.push(ReasonCode::BlockEquivalenceRefused);
    }
    if conditions.mobility.status == ConditionStatus::Met && mobility_below_recommended(dossier, policy) {
        warnings.push(ReasonCode::MobilityBelowRecommended);
    }

    Decision {
        certification: certification.code.as_str().into(),
        learner: dossier.learner.id.clone(),
        evaluated_on: dossier.evaluated_on,
        title: r9_title(&blocks, &conditions),
        blocks,
        conditions,
        ects_earned,
        warnings: distinct(warnings),
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
    let mut weighted_sum = Decimal::ZERO;
    let mut coefficients = Decimal::ZERO;
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
                    weighted_sum += module.coefficient * f;
                    coefficients += module.coefficient;
                }
                None => missing = true,
            }
            below_floor |= module_below_floor;
            ModuleOutcome {
                code: module.code.clone(),
                final_mark,
                below_floor: module_below_floor,
            }
        })
        .collect();

    let mut reasons = Vec::new();
    if missing {
        reasons.push(ReasonCode::MarkMissing);
    }
    if below_floor {
        reasons.push(ReasonCode::ModuleBelowFloor);
    }
    let (status, average) = if missing || coefficients.is_zero() {
        (Status::Incomplete, None)
    } else {
        // Compared unrounded and without division: Σ(c×f) ≥ pass × Σc.
        let below_pass = weighted_sum < policy.pass_mark * coefficients;
        if below_pass {
            reasons.push(ReasonCode::UeBelowPassMark);
        }
        let status = if below_pass || below_floor { Status::NotValidated } else { Status::Validated };
        (status, Some(weighted_sum / coefficients))
    };
    UeOutcome { code: ue.code.clone(), status, average, ects: ue.ects, modules, reasons: distinct(reasons) }
}

/// R3 — a validated VAE decision validates the block; otherwise its UEs decide. "Aucun bloc
/// ne peut être obtenu de droit par équivalence": equivalences are ignored here.
pub fn r3_block(block: &Block, ues: Vec<UeOutcome>, dossier: &Dossier) -> BlockOutcome {
    let vae_validated = dossier.vae.iter().any(|v| v.block == block.code && v.decision == VaeOutcome::Validated);
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

/// R4 — "l'ensemble des périodes en entreprise": every period evaluated at or above the pass mark.
pub fn r4_company_periods(periods: &[CompanyPeriod], policy: &Policy) -> ConditionOutcome {
    if periods.is_empty() {
        let finding = Finding { reason: ReasonCode::CompanyPeriodsMissing, subject: String::new(), value: None, threshold: None };
        return ConditionOutcome::from_findings(ConditionStatus::Incomplete, vec![finding]);
    }
    let mut findings = Vec::new();
    let mut below = false;
    for period in periods {
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

/// Why one stay does not qualify for R5 (empty when it does).
fn stay_failures(stay: &crate::dossier::MobilityStay, dossier: &Dossier, policy: &Policy) -> Vec<Finding> {
    let subject = format!("{} {} → {}", stay.country, stay.start, stay.end);
    let mut failures = Vec::new();
    if !policy.is_abroad(&stay.country) {
        failures.push(Finding { reason: ReasonCode::MobilityNotAbroad, subject: subject.clone(), value: Some(stay.country.clone()), threshold: None });
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
        failures.push(Finding { reason: ReasonCode::MobilityOutsideCompanyPeriod, subject, value: None, threshold: None });
    }
    failures
}

/// R5 — "mobilité à l'international avec une durée minimum de 9 semaines (12 préconisées) qui
/// doit s'effectuer sur une des périodes en entreprise". Stays never add up.
pub fn r5_mobility(dossier: &Dossier, policy: &Policy) -> ConditionOutcome {
    if dossier.mobility.is_empty() {
        let finding = Finding { reason: ReasonCode::MobilityMissing, subject: String::new(), value: None, threshold: None };
        return ConditionOutcome::from_findings(ConditionStatus::Incomplete, vec![finding]);
    }
    let mut findings = Vec::new();
    for stay in &dossier.mobility {
        let failures = stay_failures(stay, dossier, policy);
        if failures.is_empty() {
            return ConditionOutcome::met();
        }
        findings.extend(failures);
    }
    ConditionOutcome::from_findings(ConditionStatus::Unmet, findings)
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

/// R6 — "Du niveau B2 en anglais", or the adapted level of an `english_adaptation` accommodation.
pub fn r6_english(dossier: &Dossier, policy: &Policy) -> ConditionOutcome {
    if dossier.english.is_empty() {
        let finding = Finding { reason: ReasonCode::EnglishMissing, subject: String::new(), value: None, threshold: None };
        return ConditionOutcome::from_findings(ConditionStatus::Incomplete, vec![finding]);
    }
    let target = dossier.english_target(policy);
    let mut findings = Vec::new();
    for certificate in &dossier.english {
        let subject = format!("{} {} ({})", certificate.test, certificate.score, certificate.date);
        let valid_until = english_valid_until(certificate, policy);
        let level = certified_level(certificate, policy);
        let failure = if certificate.date > dossier.evaluated_on {
            Finding { reason: ReasonCode::EnglishAfterEvaluationDate, subject, value: Some(certificate.date.to_string()), threshold: Some(dossier.evaluated_on.to_string()) }
        } else if let Some(until) = valid_until.filter(|until| *until < dossier.evaluated_on) {
            Finding { reason: ReasonCode::EnglishExpired, subject, value: Some(until.to_string()), threshold: Some(dossier.evaluated_on.to_string()) }
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
