//! R7–R8: the access route taken and the registration the learner falls under.

use crate::certification::{AccessRoute, Certification};
use crate::codes::ReasonCode;
use crate::decision::*;
use crate::dossier::Dossier;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;

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
}
