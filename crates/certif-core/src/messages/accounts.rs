//! The words of the admin's pages: accounts (`/comptes`) and the audit log (`/journal`).

use super::{Lang, pick};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountsUi {
    Accounts,
    NewAccount,
    Username,
    Role,
    Scope,
    State,
    Active,
    Disabled,
    /// The learner a learner's account is; the modules a teacher marks; a master's apprentices.
    Learner,
    Modules,
    Apprentices,
    /// Under the lists: how to write them.
    ListHint,
    ScopeHint,
    Password,
    PasswordHint,
    Create,
    Created,
    Edit,
    Save,
    Saved,
    ResetPassword,
    PasswordReset,
    Disable,
    Enable,
    DisabledDone,
    EnabledDone,
    Remove,
    /// The checkbox a removal needs.
    ConfirmRemove,
    Removed,
    NotYourself,
    ConfirmNeeded,
    /// The audit log.
    AuditLog,
    AuditHint,
    When,
    Who,
    What,
    Key,
    Change,
    FilterLearner,
    FilterAccount,
    EntriesCount,
    ThisAccountLog,
    BackToAccounts,
}

pub fn accounts_ui(phrase: AccountsUi, lang: Lang) -> &'static str {
    use AccountsUi::*;
    match phrase {
        Accounts => pick(lang, "Comptes", "Accounts"),
        NewAccount => pick(lang, "Nouveau compte", "New account"),
        Username => pick(lang, "Identifiant", "Username"),
        Role => pick(lang, "Rôle", "Role"),
        Scope => pick(lang, "Périmètre", "Scope"),
        State => pick(lang, "État", "State"),
        Active => pick(lang, "actif", "active"),
        Disabled => pick(lang, "désactivé", "disabled"),
        Learner => pick(lang, "Apprenant (compte d'apprenant)", "Learner (a learner's account)"),
        Modules => pick(lang, "Modules (enseignant)", "Modules (teacher)"),
        Apprentices => pick(lang, "Apprentis (maître d'apprentissage)", "Apprentices (apprenticeship master)"),
        ListHint => pick(lang, "Séparés par des virgules, par exemple M1.1.1, M1.1.2.", "Comma-separated, e.g. M1.1.1, M1.1.2."),
        ScopeHint => pick(
            lang,
            "Seul le champ du rôle choisi est retenu ; les autres sont ignorés.",
            "Only the chosen role's field is kept; the others are ignored.",
        ),
        Password => pick(lang, "Mot de passe", "Password"),
        PasswordHint => pick(
            lang,
            "Au moins 12 caractères, difficile à deviner : une phrase de passe convient. À transmettre à la personne par un autre canal.",
            "At least 12 characters, hard to guess: a passphrase will do. Give it to the person by another channel.",
        ),
        Create => pick(lang, "Créer le compte", "Create the account"),
        Created => pick(lang, "Compte créé.", "Account created."),
        Edit => pick(lang, "Modifier", "Edit"),
        Save => pick(lang, "Enregistrer", "Save"),
        Saved => pick(lang, "Compte enregistré ; ses sessions ouvertes sont fermées.", "Account saved; its open sessions are closed."),
        ResetPassword => pick(lang, "Nouveau mot de passe", "New password"),
        PasswordReset => {
            pick(lang, "Mot de passe remplacé ; ses sessions ouvertes sont fermées.", "Password replaced; its open sessions are closed.")
        }
        Disable => pick(lang, "Désactiver le compte", "Disable the account"),
        Enable => pick(lang, "Réactiver le compte", "Enable the account"),
        DisabledDone => pick(lang, "Compte désactivé : il ne peut plus se connecter.", "Account disabled: it can no longer sign in."),
        EnabledDone => pick(lang, "Compte réactivé.", "Account enabled."),
        Remove => pick(lang, "Supprimer le compte", "Remove the account"),
        ConfirmRemove => pick(lang, "Je confirme la suppression de ce compte", "I confirm removing this account"),
        Removed => pick(lang, "Compte supprimé.", "Account removed."),
        NotYourself => pick(
            lang,
            "Vous ne pouvez ni désactiver ni supprimer votre propre compte, ni en changer le rôle.",
            "You cannot disable or remove your own account, nor change its role.",
        ),
        ConfirmNeeded => pick(lang, "Cochez la case pour confirmer la suppression.", "Tick the box to confirm the removal."),
        AuditLog => pick(lang, "Journal d'audit", "Audit log"),
        AuditHint => pick(
            lang,
            "Chaque écriture, la plus récente d'abord : qui, quand, quoi, avant et après.",
            "Every write, newest first: who, when, what, before and after.",
        ),
        When => pick(lang, "Quand", "When"),
        Who => pick(lang, "Qui", "Who"),
        What => pick(lang, "Quoi", "What"),
        Key => pick(lang, "Clé", "Key"),
        Change => pick(lang, "Avant → après", "Before → after"),
        FilterLearner => pick(lang, "Apprenant", "Learner"),
        FilterAccount => pick(lang, "Compte (auteur ou compte modifié)", "Account (author or account changed)"),
        EntriesCount => pick(lang, "entrée(s)", "entry(ies)"),
        ThisAccountLog => pick(lang, "Journal de ce compte", "This account's log"),
        BackToAccounts => pick(lang, "Retour aux comptes", "Back to the accounts"),
    }
}
