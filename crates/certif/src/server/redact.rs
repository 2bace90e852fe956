//! Health data by inference: an `english_adaptation` accommodation lowers the English target,
//! so a decision that names the level needed ("B1" where the policy says B2) tells whoever
//! reads it that the learner has a disability accommodation. Roles that may not read
//! accommodations (`access::read_accommodations`) get decisions with every trace of the
//! target removed; status and reason codes stay, so met/unmet still reads the same.

use certif_core::codes::ReasonCode;
use certif_core::{Decision, Dossier, Policy};
use certif_store::accounts::Account;

use super::access::{self, Access};

/// Removes the English level needed from a decision, for everyone alike (adapted or not), so
/// its absence says nothing either. Every field of a decision that names that level is
/// cleared here, and only here.
pub fn hide_english_target(decision: &mut Decision) {
    for finding in &mut decision.conditions.english.findings {
        if finding.reason == ReasonCode::EnglishBelowTarget {
            finding.threshold = None;
        }
    }
    // Its level and the scores reaching it name the target just as well.
    decision.what_it_takes.conditions.english = None;
}

/// The decision about `learner` as `account` may see it.
pub fn decision_for(account: &Account, learner: &str, mut decision: Decision) -> Decision {
    if !may_see_health_data(account, learner) {
        hide_english_target(&mut decision);
    }
    decision
}

pub fn may_see_health_data(account: &Account, learner: &str) -> bool {
    access::read_accommodations(account, learner) == Access::Allowed
}

/// Whether an accommodation lowered the learner's English target (the "target adapted" note
/// shown to those who may see health data).
pub fn english_target_adapted(dossier: &Dossier, policy: &Policy) -> bool {
    dossier.english_target(policy) < policy.english_target
}

#[cfg(test)]
mod tests {
    use certif_store::accounts::Role;

    use super::*;

    #[test]
    fn health_data_is_seen_by_the_registrar_the_admin_and_the_learner_only() {
        let account = |role: Role| Account {
            username: "u".into(),
            role,
            learner: (role == Role::Learner).then(|| "A-1".into()),
            modules: vec![],
            apprentices: vec!["A-1".into()],
            password_hash: String::new(),
            disabled: false,
        };
        let seeing: Vec<Role> = Role::ALL.into_iter().filter(|r| may_see_health_data(&account(*r), "A-1")).collect();
        assert_eq!(seeing, [Role::Admin, Role::Registrar, Role::Learner]);
        assert!(!may_see_health_data(&account(Role::Learner), "A-2"));
    }
}
