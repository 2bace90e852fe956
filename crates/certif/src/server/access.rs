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

/// `/metrics`: no learner's data, but what the server does is not for everyone. With a token
/// configured, the request presenting it (from anywhere); without one, a request from the
/// loopback that no reverse proxy forwarded (a proxy on the same machine makes every client
/// look local: set a token there).
pub fn read_metrics(expected: Option<&str>, presented: Option<&str>, from_loopback: bool, forwarded: bool) -> Access {
    let allowed = match expected {
        Some(expected) => presented.is_some_and(|given| {
            given.len() == expected.len() && given.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
        }),
        None => from_loopback && !forwarded,
    };
    if allowed { Access::Allowed } else { Access::Forbidden }
}

/// The page each role lands on after signing in (and the one entry of its menu).
pub fn landing(role: Role) -> &'static str {
    match role {
        Role::Admin | Role::Registrar | Role::Jury => "/cohorte",
        Role::Teacher => "/notes",
        Role::Master => "/apprentis",
        Role::Learner => "/parcours",
    }
}

/// The cohort (every learner, decided today, and its CSV): the admin, the registrar, the jury.
pub fn read_cohort(account: &Account) -> Access {
    match account.role {
        Role::Admin | Role::Registrar | Role::Jury => Access::Allowed,
        _ => Access::Forbidden,
    }
}

/// Creating, changing, disabling and removing accounts (*Comptes*): the admin alone.
pub fn manage_accounts(account: &Account) -> Access {
    if account.role == Role::Admin { Access::Allowed } else { Access::Forbidden }
}

/// Reading the audit log (*Journal d'audit*), every entry with its before and after (health
/// data included): the admin alone.
pub fn read_audit_log(account: &Account) -> Access {
    if account.role == Role::Admin { Access::Allowed } else { Access::Forbidden }
}

/// Importing a spreadsheet of records in the browser (every kind, accommodations included):
/// the registrar and the admin, who may read all of it.
pub fn import_records(account: &Account) -> Access {
    match account.role {
        Role::Admin | Role::Registrar => Access::Allowed,
        _ => Access::Forbidden,
    }
}

/// Editing a learner's records in the browser (identity, contract, company periods, English,
/// mobility, VAE, accommodations): the registrar and the admin (spec/api.md). A learner asking
/// for another learner's gets 404, as for reading.
pub fn write_records(account: &Account, learner: &str) -> Access {
    match account.role {
        Role::Admin | Role::Registrar => Access::Allowed,
        Role::Learner if !is_self(account, learner) => Access::Hidden,
        _ => Access::Forbidden,
    }
}

/// Creating a learner in the browser: the registrar and the admin.
pub fn create_learner(account: &Account) -> Access {
    match account.role {
        Role::Admin | Role::Registrar => Access::Allowed,
        _ => Access::Forbidden,
    }
}

/// *Mon parcours*: the learner the account is, if it is a learner's account.
pub fn own_progress(account: &Account) -> Option<&str> {
    match account.role {
        Role::Learner => account.learner.as_deref(),
        _ => None,
    }
}

/// *Saisie des notes* (`/notes`): a teacher's own modules; every module for the registrar and
/// the admin, who may enter any mark.
pub fn list_modules(account: &Account) -> Access {
    match account.role {
        Role::Teacher | Role::Registrar | Role::Admin => Access::Allowed,
        _ => Access::Forbidden,
    }
}

/// A module's mark grid: registrars and admins any; a teacher the grids of their own modules.
pub fn read_mark_grid(account: &Account, module: &str) -> Access {
    match account.role {
        Role::Admin | Role::Registrar => Access::Allowed,
        Role::Teacher if account.modules.iter().any(|m| m == module) => Access::Allowed,
        _ => Access::Forbidden,
    }
}

/// *Mes apprentis*, a master's apprentices and their periods.
pub fn list_apprentices(account: &Account) -> Access {
    if account.role == Role::Master { Access::Allowed } else { Access::Forbidden }
}

/// Whether the role reads "what it would take" on a learner's page it may open: not the
/// teacher, who sees only their modules' marks. The jury deliberates on it (spec/jury.md §10);
/// it reads it from the decision redacted for its role, like every other reader.
pub fn read_what_it_takes(account: &Account) -> bool {
    matches!(account.role, Role::Admin | Role::Registrar | Role::Master | Role::Learner | Role::Jury)
}

/// Preparing a jury session (create, members, candidates, open): the registrar and the admin.
pub fn prepare_jury(account: &Account) -> Access {
    match account.role {
        Role::Admin | Role::Registrar => Access::Allowed,
        _ => Access::Forbidden,
    }
}

/// Reading jury sessions (members, proposals, outcomes, minutes): the registrar, the admin and
/// the jury, who already read every learner's decision.
pub fn read_jury(account: &Account) -> Access {
    match account.role {
        Role::Admin | Role::Registrar | Role::Jury => Access::Allowed,
        _ => Access::Forbidden,
    }
}

/// Deliberating (points de jury, outcomes), closing and signing a session: the registrar, the
/// admin, or the account seated as the session's present president (`presiding` is the
/// composition's presiding role).
pub fn conduct_jury(account: &Account, members: &[certif_core::jury::Member], presiding: &str) -> Access {
    match account.role {
        Role::Admin | Role::Registrar => Access::Allowed,
        Role::Jury if presides(account, members, presiding) => Access::Allowed,
        _ => Access::Forbidden,
    }
}

/// Publishing a closed session's decisions and recording appeals against them: the registrar
/// and the admin (the school's acts after the jury, not the jury's).
pub fn publish_jury(account: &Account) -> Access {
    match account.role {
        Role::Admin | Role::Registrar => Access::Allowed,
        _ => Access::Forbidden,
    }
}

/// The holders (every published award and acquired block): the registrar, the admin, and the
/// jury, who already read every session's outcomes and every learner's decision.
pub fn read_holders(account: &Account) -> Access {
    read_jury(account)
}

/// The statistics of the registration's renewal (*Statistiques*, its CSV): the registrar and
/// the admin, who answer France Compétences.
pub fn read_statistics(account: &Account) -> Access {
    match account.role {
        Role::Admin | Role::Registrar => Access::Allowed,
        _ => Access::Forbidden,
    }
}

/// A holder's issued credentials and documents (download, decoded JSON, share link): the
/// holder, and the registrar and the admin who issue them. Another learner does not learn they
/// exist.
pub fn read_credentials(account: &Account, learner: &str) -> Access {
    match account.role {
        Role::Admin | Role::Registrar => Access::Allowed,
        Role::Learner if is_self(account, learner) => Access::Allowed,
        Role::Learner => Access::Hidden,
        Role::Teacher | Role::Master | Role::Jury => Access::Forbidden,
    }
}

/// The public side of credentials, for anyone, signed in or not (spec/credentials.md §3–§4):
/// the issuer's public keys (`/.well-known/jwks.json`), the revocation lists (`/status/{list}`)
/// and verification (`/verify`, `/verify/{id}`, `POST /verify`). They show nothing beyond what
/// the credential or document itself shows.
pub const fn verify_publicly() -> Access {
    Access::Allowed
}

/// Whether the account sits in the session's presiding seat, present.
pub fn presides(account: &Account, members: &[certif_core::jury::Member], presiding: &str) -> bool {
    certif_core::jury::presiding_member(presiding, members).is_some_and(|m| m.account.as_deref() == Some(account.username.as_str()))
}

/// A learner's published jury decisions: whoever reads the learner (a learner only their own;
/// another learner's existence stays hidden).
pub fn read_published_decision(account: &Account, learner: &str, follows: &dyn Fn(&str) -> bool) -> Access {
    read_learner(account, learner, follows)
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
            disabled: false,
        }
    }

    #[test]
    fn the_statistics_are_for_the_registrar_and_the_admin_only() {
        let allowed: Vec<Role> = Role::ALL.into_iter().filter(|r| read_statistics(&account(*r)) == Access::Allowed).collect();
        assert_eq!(allowed, [Role::Admin, Role::Registrar]);
        let own: Vec<Role> = Role::ALL.into_iter().filter(|r| read_credentials(&account(*r), "A-1") == Access::Allowed).collect();
        assert_eq!(own, [Role::Admin, Role::Registrar, Role::Learner]);
        assert_eq!(read_credentials(&account(Role::Learner), "A-2"), Access::Hidden);
        assert_eq!(verify_publicly(), Access::Allowed);
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
    #[test]
    fn metrics_need_the_token_when_one_is_set_else_the_loopback_unforwarded() {
        assert_eq!(read_metrics(None, None, true, false), Access::Allowed);
        assert_eq!(read_metrics(None, None, false, false), Access::Forbidden, "from another machine");
        assert_eq!(read_metrics(None, None, true, true), Access::Forbidden, "through a proxy on this machine");
        assert_eq!(read_metrics(None, Some("anything"), false, false), Access::Forbidden);
        assert_eq!(read_metrics(Some("s3cret"), Some("s3cret"), false, true), Access::Allowed);
        assert_eq!(read_metrics(Some("s3cret"), None, true, false), Access::Forbidden, "the loopback needs it too once set");
        assert_eq!(read_metrics(Some("s3cret"), Some("s3cre"), true, false), Access::Forbidden);
        assert_eq!(read_metrics(Some("s3cret"), Some("s3creT"), true, false), Access::Forbidden);
    }

    #[test]
    fn each_role_lands_on_its_own_page() {
        let pages: Vec<&str> = Role::ALL.into_iter().map(landing).collect();
        for role in Role::ALL {
            let expected = match role {
                Role::Admin | Role::Registrar | Role::Jury => "/cohorte",
                Role::Teacher => "/notes",
                Role::Master => "/apprentis",
                Role::Learner => "/parcours",
            };
            assert_eq!(landing(role), expected);
        }
        assert_eq!(pages.len(), Role::ALL.len());
    }

    #[test]
    fn the_cohort_is_for_the_admin_the_registrar_and_the_jury() {
        let allowed: Vec<Role> = Role::ALL.into_iter().filter(|r| read_cohort(&account(*r)) == Access::Allowed).collect();
        assert_eq!(allowed, [Role::Admin, Role::Registrar, Role::Jury]);
    }

    #[test]
    fn imports_are_for_the_registrar_and_the_admin() {
        let allowed: Vec<Role> = Role::ALL.into_iter().filter(|r| import_records(&account(*r)) == Access::Allowed).collect();
        assert_eq!(allowed, [Role::Admin, Role::Registrar]);
    }

    #[test]
    fn only_a_learner_has_their_own_progress() {
        assert_eq!(own_progress(&account(Role::Learner)), Some("A-1"));
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Learner) {
            assert_eq!(own_progress(&account(role)), None, "{role:?}");
        }
        let mut orphan = account(Role::Learner);
        orphan.learner = None;
        assert_eq!(own_progress(&orphan), None);
    }

    #[test]
    fn a_teacher_lists_and_reads_only_their_modules_grids() {
        let listing: Vec<Role> = Role::ALL.into_iter().filter(|r| list_modules(&account(*r)) == Access::Allowed).collect();
        assert_eq!(listing, [Role::Admin, Role::Registrar, Role::Teacher]);
        assert_eq!(read_mark_grid(&account(Role::Teacher), "M1"), Access::Allowed);
        assert_eq!(read_mark_grid(&account(Role::Teacher), "M2"), Access::Forbidden);
        let any: Vec<Role> = Role::ALL.into_iter().filter(|r| read_mark_grid(&account(*r), "M9") == Access::Allowed).collect();
        assert_eq!(any, [Role::Admin, Role::Registrar]);
    }

    #[test]
    fn records_are_edited_by_the_registrar_and_the_admin_only() {
        for role in Role::ALL {
            let expected = match role {
                Role::Admin | Role::Registrar => Access::Allowed,
                Role::Learner => Access::Hidden,
                _ => Access::Forbidden,
            };
            assert_eq!(write_records(&account(role), "B-2"), expected, "{role:?}");
            let creates = if matches!(role, Role::Admin | Role::Registrar) { Access::Allowed } else { Access::Forbidden };
            assert_eq!(create_learner(&account(role)), creates, "{role:?}");
        }
        assert_eq!(write_records(&account(Role::Learner), "A-1"), Access::Forbidden, "not even their own");
    }

    #[test]
    fn apprentices_are_a_masters_and_what_it_takes_is_not_for_teachers() {
        let listing: Vec<Role> = Role::ALL.into_iter().filter(|r| list_apprentices(&account(*r)) == Access::Allowed).collect();
        assert_eq!(listing, [Role::Master]);
        let reading: Vec<Role> = Role::ALL.into_iter().filter(|r| read_what_it_takes(&account(*r))).collect();
        assert_eq!(reading, [Role::Admin, Role::Registrar, Role::Master, Role::Learner, Role::Jury]);
    }

    fn seat(name: &str, role: &str, account: Option<&str>, present: bool) -> certif_core::jury::Member {
        certif_core::jury::Member { name: name.into(), role: role.into(), representing: None, present, account: account.map(String::from) }
    }

    #[test]
    fn the_registrar_and_the_admin_prepare_juries_and_the_jury_reads_them() {
        let preparing: Vec<Role> = Role::ALL.into_iter().filter(|r| prepare_jury(&account(*r)) == Access::Allowed).collect();
        assert_eq!(preparing, [Role::Admin, Role::Registrar]);
        let reading: Vec<Role> = Role::ALL.into_iter().filter(|r| read_jury(&account(*r)) == Access::Allowed).collect();
        assert_eq!(reading, [Role::Admin, Role::Registrar, Role::Jury]);
    }

    #[test]
    fn only_the_president_present_in_their_seat_conducts_among_the_jury() {
        let jury = account(Role::Jury);
        let seated = [seat("Anne", "president", Some("u"), true), seat("Bruno", "teacher", None, true)];
        assert_eq!(conduct_jury(&jury, &seated, "president"), Access::Allowed);
        let absent = [seat("Anne", "president", Some("u"), false)];
        assert_eq!(conduct_jury(&jury, &absent, "president"), Access::Forbidden);
        let teacher = [seat("Anne", "president", Some("other"), true), seat("Bruno", "teacher", Some("u"), true)];
        assert_eq!(conduct_jury(&jury, &teacher, "president"), Access::Forbidden);
        for role in [Role::Teacher, Role::Master, Role::Learner] {
            assert_eq!(conduct_jury(&account(role), &seated, "president"), Access::Forbidden, "{role:?}");
        }
        assert_eq!(conduct_jury(&account(Role::Registrar), &[], "president"), Access::Allowed);
    }

    #[test]
    fn the_registrar_and_the_admin_publish_and_the_jury_reads_the_holders() {
        let publishing: Vec<Role> = Role::ALL.into_iter().filter(|r| publish_jury(&account(*r)) == Access::Allowed).collect();
        assert_eq!(publishing, [Role::Admin, Role::Registrar]);
        let reading: Vec<Role> = Role::ALL.into_iter().filter(|r| read_holders(&account(*r)) == Access::Allowed).collect();
        assert_eq!(reading, [Role::Admin, Role::Registrar, Role::Jury]);
    }

    #[test]
    fn a_learner_reads_only_their_own_published_decision() {
        let none = |_: &str| false;
        assert_eq!(read_published_decision(&account(Role::Learner), "A-1", &none), Access::Allowed);
        assert_eq!(read_published_decision(&account(Role::Learner), "A-2", &none), Access::Hidden);
    }
}
