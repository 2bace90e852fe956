//! R6: the English level, its target (lowered by an adaptation) and the certificates that attest it.

use chrono::{Months, NaiveDate};

use crate::codes::ReasonCode;
use crate::decision::*;
use crate::dossier::{AccommodationKind, Dossier, EnglishCertificate, EnglishScore};
use crate::policy::{CefrLevel, EnglishScale, Policy};

/// How a finding names an English certificate: `TOEIC_LR 805 (2025-06-12)`.
pub fn certificate_subject(certificate: &EnglishCertificate) -> String {
    format!("{} {} ({})", certificate.test, certificate.score, certificate.date)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::*;
    use crate::fixtures::*;
    use crate::policy::*;

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
}
