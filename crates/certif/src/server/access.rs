//! Who may do what (spec/api.md), as pure functions of the account and the learner: every
//! route asks one of these before it reads or writes.

use certif_store::accounts::{Account, Role};

/// The answer to "may this account do that to this learner?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Allowed,
    /// 403: the account may know the learner exists, not do this.
    Forbidden,
    /// 404: even the learner's existence must not leak (a learner asking about another).
    Hidden,
}

fn is_self(account: &Account, learner: &str) -> bool {
    account.learner.as_deref() == Some(learner)
}

/// Reading a learner's record and decision. `follows` says whether the learner's curriculum
/// has a module (a teacher reads the learners of their modules).
pub fn read_learner(account: &Account, learner: &str, follows: &dyn Fn(&str) -> bool) -> Access {
    match account.role {
        Role::Admin | Role::Registrar | Role::Jury => Access::Allowed,
        Role::Teacher if account.modules.iter().any(|m| follows(m)) => Access::Allowed,
        Role::Master if account.apprentices.iter().any(|a| a == learner) => Access::Allowed,
        Role::Learner if is_self(account, learner) => Access::Allowed,
        Role::Learner => Access::Hidden,
        Role::Teacher | Role::Master => Access::Forbidden,
    }
}

/// Health-related data: the registrar, the admin and the learner themself only.
pub fn read_accommodations(account: &Account, learner: &str) -> Access {
    match account.role {
        Role::Admin | Role::Registrar => Access::Allowed,
        Role::Learner if is_self(account, learner) => Access::Allowed,
        Role::Learner => Access::Hidden,
        Role::Teacher | Role::Master | Role::Jury => Access::Forbidden,
    }
}

/// Writing a mark: registrars and admins any; a teacher the marks of their own modules, for
/// learners who follow them.
pub fn write_mark(account: &Account, learner: &str, module: &str, follows: &dyn Fn(&str) -> bool) -> Access {
    match account.role {
        Role::Admin | Role::Registrar => Access::Allowed,
        Role::Teacher if account.modules.iter().any(|m| m == module) && follows(module) => Access::Allowed,
        Role::Learner if !is_self(account, learner) => Access::Hidden,
        _ => Access::Forbidden,
    }
}

/// Writing a company period: registrars and admins (dates included); a master the evaluation
/// of their apprentices' periods, not the dates.
pub fn write_period(account: &Account, learner: &str, changes_dates: bool) -> Access {
    match account.role {
        Role::Admin | Role::Registrar => Access::Allowed,
        Role::Master if !changes_dates && account.apprentices.iter().any(|a| a == learner) => Access::Allowed,
        Role::Learner if !is_self(account, learner) => Access::Hidden,
        _ => Access::Forbidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(role: Role) -> Account {
        Account {
            username: "u".into(),
            role,
            learner: (role == Role::Learner).then(|| "A-1".into()),
            modules: if role == Role::Teacher { vec!["M1".into()] } else { vec![] },
            apprentices: if role == Role::Master { vec!["A-1".into()] } else { vec![] },
            password_hash: String::new(),
        }
    }

    #[test]
    fn health_data_is_for_the_registrar_the_admin_and_the_learner_only() {
        let allowed: Vec<Role> = Role::ALL.into_iter().filter(|r| read_accommodations(&account(*r), "A-1") == Access::Allowed).collect();
        assert_eq!(allowed, [Role::Admin, Role::Registrar, Role::Learner]);
        assert_eq!(read_accommodations(&account(Role::Learner), "A-2"), Access::Hidden);
    }

    #[test]
    fn a_teacher_writes_only_the_marks_of_their_modules() {
        let follows = |m: &str| m == "M1" || m == "M2";
        assert_eq!(write_mark(&account(Role::Teacher), "A-1", "M1", &follows), Access::Allowed);
        assert_eq!(write_mark(&account(Role::Teacher), "A-1", "M2", &follows), Access::Forbidden);
        assert_eq!(write_mark(&account(Role::Jury), "A-1", "M1", &follows), Access::Forbidden);
        assert_eq!(write_mark(&account(Role::Learner), "A-2", "M1", &follows), Access::Hidden);
    }

    #[test]
    fn a_master_evaluates_their_apprentices_periods_but_not_their_dates() {
        assert_eq!(write_period(&account(Role::Master), "A-1", false), Access::Allowed);
        assert_eq!(write_period(&account(Role::Master), "A-1", true), Access::Forbidden);
        assert_eq!(write_period(&account(Role::Master), "A-2", false), Access::Forbidden);
    }

    #[test]
    fn a_learner_cannot_even_see_that_another_exists() {
        let none = |_: &str| false;
        assert_eq!(read_learner(&account(Role::Learner), "A-1", &none), Access::Allowed);
        assert_eq!(read_learner(&account(Role::Learner), "A-2", &none), Access::Hidden);
        assert_eq!(read_learner(&account(Role::Teacher), "A-2", &none), Access::Forbidden);
        assert_eq!(read_learner(&account(Role::Jury), "A-2", &none), Access::Allowed);
    }
}
