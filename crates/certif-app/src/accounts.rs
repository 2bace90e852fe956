//! Accounts as the CLI (`certif user …`) and the admin's page (`/comptes`) make them: one
//! check of a new account, a password and an account's scope, said in French (English through
//! `in_words`). Hashing stays with the sign-in (`server::auth`), which alone verifies passwords.

use certif_core::ident::IdentifierError;
use certif_core::messages::{Lang, pick};
use certif_store::Store as _;
use certif_store::accounts::{Account, Role};

use crate::{AppResult, Database};

/// Shortest password accepted (OWASP: at least 12 without a second factor).
pub const MIN_PASSWORD: usize = 12;
/// Longest password accepted (a passphrase fits; the sign-in refuses longer ones unchecked).
pub const MAX_PASSWORD: usize = 1024;

/// What an account is made of, before its password is hashed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewAccount {
    pub username: String,
    pub role: String,
    pub learner: Option<String>,
    pub modules: Vec<String>,
    pub apprentices: Vec<String>,
}

/// Why an account, a password or a scope is refused. The field is the form's (or the CLI's
/// option without its dashes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.in_words(Lang::Fr))]
pub enum AccountError {
    NotARole { given: String },
    BadIdentifier { field: &'static str, error: IdentifierError },
    LearnerNeeded,
    PasswordTooShort,
    PasswordTooLong,
    PasswordGuessable,
    UnknownLearner { field: &'static str, id: String },
    UnknownModule { module: String },
}

impl AccountError {
    /// The form field (or CLI option) the problem is in.
    pub fn field(&self) -> &'static str {
        match self {
            AccountError::NotARole { .. } => "role",
            AccountError::BadIdentifier { field, .. } | AccountError::UnknownLearner { field, .. } => field,
            AccountError::LearnerNeeded => "learner",
            AccountError::PasswordTooShort | AccountError::PasswordTooLong | AccountError::PasswordGuessable => "password",
            AccountError::UnknownModule { .. } => "modules",
        }
    }

    pub fn in_words(&self, lang: Lang) -> String {
        match self {
            AccountError::NotARole { given } => {
                let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                match lang {
                    Lang::Fr => format!("{given:?} n'est pas un rôle ({})", roles.join(", ")),
                    Lang::En => format!("{given:?} is not a role ({})", roles.join(", ")),
                }
            }
            AccountError::BadIdentifier { error, .. } => error.in_words(lang),
            AccountError::LearnerNeeded => {
                pick(lang, "un compte d'apprenant nomme son apprenant", "a learner's account names its learner").into()
            }
            AccountError::PasswordTooShort => match lang {
                Lang::Fr => format!("un mot de passe a au moins {MIN_PASSWORD} caractères"),
                Lang::En => format!("a password has at least {MIN_PASSWORD} characters"),
            },
            AccountError::PasswordTooLong => match lang {
                Lang::Fr => format!("un mot de passe a au plus {MAX_PASSWORD} octets"),
                Lang::En => format!("a password has at most {MAX_PASSWORD} bytes"),
            },
            AccountError::PasswordGuessable => pick(
                lang,
                "ce mot de passe est trop facile à deviner : choisissez une phrase de passe plus longue",
                "this password is too easy to guess: choose a longer passphrase",
            )
            .into(),
            AccountError::UnknownLearner { id, .. } => match lang {
                Lang::Fr => format!("{id} n'est pas un apprenant connu (importez d'abord les apprenants)"),
                Lang::En => format!("{id} is not a known learner (import the learners first)"),
            },
            AccountError::UnknownModule { module } => match lang {
                Lang::Fr => format!("{module} n'est pas un module d'une maquette chargée"),
                Lang::En => format!("{module} is not a module of a loaded curriculum"),
            },
        }
    }
}

/// Refuses a password that is short, or that zxcvbn estimates guessable (score below 3 of 4:
/// repeats, sequences, keyboard walks, common passwords and words, the username itself).
pub fn check_password(password: &str, username: &str) -> Result<(), AccountError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AccountError::PasswordTooShort);
    }
    if password.len() > MAX_PASSWORD {
        return Err(AccountError::PasswordTooLong);
    }
    if (zxcvbn::zxcvbn(password, &[username, "certif"]).score() as u8) < 3 {
        return Err(AccountError::PasswordGuessable);
    }
    Ok(())
}

/// The account `new` describes, with its password's hash; the password is checked first.
pub fn account(new: NewAccount, password: &str, hash: impl FnOnce(&str) -> AppResult<String>) -> AppResult<Result<Account, AccountError>> {
    let checked = checked(&new).and_then(|role| check_password(password, &new.username).map(|()| role));
    let role = match checked {
        Ok(role) => role,
        Err(error) => return Ok(Err(error)),
    };
    Ok(Ok(Account {
        password_hash: hash(password)?,
        username: new.username,
        role,
        learner: new.learner.filter(|_| role == Role::Learner),
        modules: if role == Role::Teacher { new.modules } else { Vec::new() },
        apprentices: if role == Role::Master { new.apprentices } else { Vec::new() },
        disabled: false,
    }))
}

/// `account` with a new role and scope (its password and state kept), checked like a new one.
pub fn changed(account: &Account, change: NewAccount) -> Result<Account, AccountError> {
    let role = checked(&NewAccount { username: account.username.clone(), ..change.clone() })?;
    Ok(Account {
        role,
        learner: change.learner.filter(|_| role == Role::Learner),
        modules: if role == Role::Teacher { change.modules } else { Vec::new() },
        apprentices: if role == Role::Master { change.apprentices } else { Vec::new() },
        ..account.clone()
    })
}

/// The role `new` names, once every identifier in it is one.
fn checked(new: &NewAccount) -> Result<Role, AccountError> {
    let role = Role::parse(&new.role).ok_or_else(|| AccountError::NotARole { given: new.role.clone() })?;
    let named = std::iter::once(("username", &new.username))
        .chain(new.learner.iter().map(|l| ("learner", l)))
        .chain(new.modules.iter().map(|m| ("modules", m)))
        .chain(new.apprentices.iter().map(|a| ("apprentices", a)));
    for (field, id) in named {
        certif_core::ident::check(id).map_err(|error| AccountError::BadIdentifier { field, error })?;
    }
    if role == Role::Learner && new.learner.is_none() {
        return Err(AccountError::LearnerNeeded);
    }
    Ok(role)
}

/// The learners and modules an account names must exist in the store.
pub async fn check_scope(store: &Database, account: &Account) -> AppResult<Result<(), AccountError>> {
    let learners: std::collections::HashSet<String> = store.learner_ids().await?.into_iter().collect();
    let named = account.learner.iter().map(|l| ("learner", l)).chain(account.apprentices.iter().map(|a| ("apprentices", a)));
    for (field, id) in named {
        if !learners.contains(id) {
            return Ok(Err(AccountError::UnknownLearner { field, id: id.clone() }));
        }
    }
    if !account.modules.is_empty() {
        let curricula = crate::stored_curricula(store).await?;
        if let Some(unknown) = account.modules.iter().find(|m| !curricula.is_module(m)) {
            return Ok(Err(AccountError::UnknownModule { module: unknown.clone() }));
        }
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(role: &str) -> NewAccount {
        NewAccount { username: "j.martin".into(), role: role.into(), ..NewAccount::default() }
    }

    fn hash(password: &str) -> AppResult<String> {
        Ok(format!("hash of {password}"))
    }

    #[test]
    fn a_good_account_is_made_with_only_its_role_s_scope() {
        let teacher = NewAccount { modules: vec!["M1.1.1".into()], apprentices: vec!["A-0001".into()], ..new("teacher") };
        let account = account(teacher, "correct horse battery staple", hash).unwrap().unwrap();
        assert_eq!((account.role, account.modules.len(), account.apprentices.len()), (Role::Teacher, 1, 0));
        assert_eq!(account.password_hash, "hash of correct horse battery staple");
    }

    #[test]
    fn each_refusal_names_its_field_in_french_and_in_english() {
        let refused = |new: NewAccount, password: &str| account(new, password, hash).unwrap().unwrap_err();
        let short = refused(new("admin"), "court");
        assert_eq!((short.field(), short.to_string()), ("password", "un mot de passe a au moins 12 caractères".into()));
        assert_eq!(short.in_words(Lang::En), "a password has at least 12 characters");
        assert_eq!(refused(new("admin"), "aaaaaaaaaaaaaaaa"), AccountError::PasswordGuessable);
        assert_eq!(refused(new("chef"), "correct horse battery staple").field(), "role");
        assert_eq!(refused(new("learner"), "correct horse battery staple"), AccountError::LearnerNeeded);
        let bad = refused(NewAccount { username: "a b".into(), ..new("admin") }, "correct horse battery staple");
        assert_eq!(bad.field(), "username");
        assert!(bad.to_string().contains("n'est pas un identifiant"), "{bad}");
    }
}
