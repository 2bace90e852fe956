//! R4–R5: the company periods, and the stay abroad that must fall inside one.

use chrono::NaiveDate;

use crate::certification::AccessRoute;
use crate::codes::ReasonCode;
use crate::decision::*;
use crate::dossier::{CompanyPeriod, Dossier, MobilityStay};
use crate::policy::Policy;

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
pub(super) fn mobility_below_recommended(dossier: &Dossier, policy: &Policy) -> bool {
    !dossier
        .mobility
        .iter()
        .filter(|stay| stay_failures(stay, dossier, policy).is_empty())
        .any(|stay| stay.days() >= i64::from(policy.mobility_recommended_days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::*;
    use crate::fixtures::*;
    use crate::mark::MarkEntry;
    use crate::policy::*;

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
}
