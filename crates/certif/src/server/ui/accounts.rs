//! *Comptes* (`/comptes`), the admin's: every account with its role, scope and state, and a
//! new account; one account's page (`/comptes/{username}`) to change its role and scope,
//! replace its password, disable or enable it, or remove it. The checks are the CLI's
//! (`certif_app::accounts`); the store audits each change and ends the account's sessions.
//! A refusal is shown beside its field, the form keeping what was typed (but a password);
//! a success redirects (so a reload does not send the form again) to a page that says it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use certif_app::accounts::{self as app, AccountError, NewAccount};
use certif_core::messages::accounts::{AccountsUi, accounts_ui};
use certif_core::messages::{Lang, workbench};
use certif_store::accounts::{Account, AccountStore as _, Role};
use serde::Deserialize;

use super::extract::{CheckedForm, SignedIn, WithCsrf};
use super::{ApiError, AppState, Chrome, chrome, error_page, page};
use crate::server::access::{self, Access};
use crate::server::auth::{self, Caller};

/// A form's values as typed, and the refusal to show beside its field.
#[derive(Debug, Clone, Default)]
struct Typed {
    username: String,
    role: String,
    learner: String,
    modules: String,
    apprentices: String,
    /// (field, message)
    problem: Option<(&'static str, String)>,
}

impl Typed {
    fn of(account: &Account) -> Typed {
        Typed {
            username: account.username.clone(),
            role: account.role.as_str().into(),
            learner: account.learner.clone().unwrap_or_default(),
            modules: account.modules.join(", "),
            apprentices: account.apprentices.join(", "),
            problem: None,
        }
    }

    fn problem_in(&self, field: &str) -> Option<&str> {
        self.problem.as_ref().filter(|(f, _)| *f == field).map(|(_, message)| message.as_str())
    }

    fn new_account(&self) -> NewAccount {
        let list = |text: &str| text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        NewAccount {
            username: self.username.trim().into(),
            role: self.role.clone(),
            learner: Some(self.learner.trim()).filter(|l| !l.is_empty()).map(String::from),
            modules: list(&self.modules),
            apprentices: list(&self.apprentices),
        }
    }
}

struct AccountRow {
    username: String,
    role: &'static str,
    scope: String,
    disabled: bool,
}

/// The words both pages use.
struct Words {
    accounts: &'static str,
    new_account: &'static str,
    username: &'static str,
    role: &'static str,
    scope: &'static str,
    state: &'static str,
    active: &'static str,
    disabled: &'static str,
    learner: &'static str,
    modules: &'static str,
    apprentices: &'static str,
    list_hint: &'static str,
    scope_hint: &'static str,
    password: &'static str,
    password_hint: &'static str,
    create: &'static str,
    edit: &'static str,
    save: &'static str,
    reset_password: &'static str,
    disable: &'static str,
    enable: &'static str,
    remove: &'static str,
    confirm_remove: &'static str,
    this_log: &'static str,
    back: &'static str,
    audit_log: &'static str,
}

impl Words {
    fn new(lang: Lang) -> Words {
        let w = |phrase| accounts_ui(phrase, lang);
        use AccountsUi::*;
        Words {
            accounts: w(Accounts),
            new_account: w(NewAccount),
            username: w(Username),
            role: w(Role),
            scope: w(Scope),
            state: w(State),
            active: w(Active),
            disabled: w(Disabled),
            learner: w(Learner),
            modules: w(Modules),
            apprentices: w(Apprentices),
            list_hint: w(ListHint),
            scope_hint: w(ScopeHint),
            password: w(Password),
            password_hint: w(PasswordHint),
            create: w(Create),
            edit: w(Edit),
            save: w(Save),
            reset_password: w(ResetPassword),
            disable: w(Disable),
            enable: w(Enable),
            remove: w(Remove),
            confirm_remove: w(ConfirmRemove),
            this_log: w(ThisAccountLog),
            back: w(BackToAccounts),
            audit_log: w(AuditLog),
        }
    }
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct AccountsPage {
    chrome: Chrome,
    w: Words,
    rows: Vec<AccountRow>,
    roles: Vec<(&'static str, &'static str)>,
    typed: Typed,
    notice: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    w: Words,
    account: AccountRow,
    roles: Vec<(&'static str, &'static str)>,
    typed: Typed,
    /// A refusal of the password, state or removal forms.
    problem: Option<String>,
    notice: Option<&'static str>,
    yourself: bool,
}

fn roles(lang: Lang) -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.as_str(), workbench::role(r.as_str(), lang))).collect()
}

fn row(account: &Account, lang: Lang) -> AccountRow {
    let scope = match account.role {
        Role::Learner => account.learner.clone().unwrap_or_default(),
        Role::Teacher => account.modules.join(", "),
        Role::Master => account.apprentices.join(", "),
        _ => String::new(),
    };
    AccountRow { username: account.username.clone(), role: workbench::role(account.role.as_str(), lang), scope, disabled: account.disabled }
}

fn allowed(caller: &Caller) -> Result<(), ApiError> {
    if access::manage_accounts(&caller.account) == Access::Allowed { Ok(()) } else { Err(ApiError::forbidden("")) }
}

/// What a redirect after a change says on the page it lands on (`?fait=`).
fn notice(done: Option<&str>, lang: Lang) -> Option<&'static str> {
    let phrase = match done? {
        "cree" => AccountsUi::Created,
        "enregistre" => AccountsUi::Saved,
        "mot-de-passe" => AccountsUi::PasswordReset,
        "desactive" => AccountsUi::DisabledDone,
        "reactive" => AccountsUi::EnabledDone,
        "supprime" => AccountsUi::Removed,
        _ => return None,
    };
    Some(accounts_ui(phrase, lang))
}

#[derive(Deserialize, Default)]
pub(super) struct Done {
    fait: Option<String>,
}

async fn list_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    headers: &HeaderMap,
    typed: Typed,
    notice: Option<&'static str>,
) -> Response {
    let status = if typed.problem.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let accounts = match allowed(caller).map(|()| state.db.accounts()) {
        Ok(reading) => reading.await.map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match accounts {
        Ok(accounts) => page(
            AccountsPage {
                chrome: chrome(Some(caller), lang),
                w: Words::new(lang),
                rows: accounts.iter().map(|a| row(a, lang)).collect(),
                roles: roles(lang),
                typed,
                notice,
            },
            status,
            headers,
        ),
        Err(e) => error_page(e, Some(caller), lang, headers),
    }
}

pub(super) async fn accounts(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(done): Query<Done>,
    SignedIn { caller, lang }: SignedIn,
) -> Response {
    let typed = Typed { role: Role::Teacher.as_str().into(), ..Typed::default() };
    list_page(&state, &caller, lang, &headers, typed, notice(done.fait.as_deref(), lang)).await
}

#[derive(Deserialize)]
pub(super) struct NewForm {
    csrf: Option<String>,
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    learner: String,
    #[serde(default)]
    modules: String,
    #[serde(default)]
    apprentices: String,
    #[serde(default)]
    password: String,
}

impl WithCsrf for NewForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

fn refused(mut typed: Typed, error: &AccountError, lang: Lang) -> Typed {
    typed.problem = Some((error.field(), error.in_words(lang)));
    typed
}

fn hash(password: &str) -> certif_app::AppResult<String> {
    auth::hash_password(password).map_err(|e| certif_app::AppError::Input(certif_app::InputError(e.message)))
}

pub(super) async fn create(State(state): State<AppState>, headers: HeaderMap, form: CheckedForm<NewForm>) -> Response {
    let CheckedForm { caller, lang, form } = form;
    if let Err(e) = allowed(&caller) {
        return error_page(e, Some(&caller), lang, &headers);
    }
    let typed = Typed {
        username: form.username,
        role: form.role,
        learner: form.learner,
        modules: form.modules,
        apprentices: form.apprentices,
        problem: None,
    };
    let account = match app::account(typed.new_account(), &form.password, hash) {
        Ok(Ok(account)) => account,
        Ok(Err(error)) => return list_page(&state, &caller, lang, &headers, refused(typed, &error, lang), None).await,
        Err(e) => return error_page(e.into(), Some(&caller), lang, &headers),
    };
    match app::check_scope(&state.db, &account).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => return list_page(&state, &caller, lang, &headers, refused(typed, &error, lang), None).await,
        Err(e) => return error_page(e.into(), Some(&caller), lang, &headers),
    }
    let username = account.username.clone();
    match state.db.add_account(account, &caller.account.username).await {
        Ok(()) => Redirect::to(&format!("/comptes/{username}?fait=cree")).into_response(),
        Err(certif_store::StoreError::Invalid(message)) => {
            let typed = Typed { problem: Some(("username", message)), ..typed };
            list_page(&state, &caller, lang, &headers, typed, None).await
        }
        Err(e) => error_page(e.into(), Some(&caller), lang, &headers),
    }
}

/// The account named in the path, when the caller may manage accounts.
async fn stored(state: &AppState, caller: &Caller, username: &str) -> Result<Account, ApiError> {
    allowed(caller)?;
    if !certif_core::ident::is_valid(username) {
        return Err(ApiError::not_found(""));
    }
    state.db.account(username).await?.ok_or_else(|| ApiError::not_found(""))
}

#[allow(clippy::too_many_arguments)]
fn account_page(
    caller: &Caller,
    lang: Lang,
    headers: &HeaderMap,
    account: &Account,
    typed: Typed,
    problem: Option<String>,
    notice: Option<&'static str>,
) -> Response {
    let status = if typed.problem.is_some() || problem.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    page(
        AccountPage {
            chrome: chrome(Some(caller), lang),
            w: Words::new(lang),
            account: row(account, lang),
            roles: roles(lang),
            typed,
            problem,
            notice,
            yourself: account.username == caller.account.username,
        },
        status,
        headers,
    )
}

pub(super) async fn account(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(username): Path<String>,
    Query(done): Query<Done>,
    SignedIn { caller, lang }: SignedIn,
) -> Response {
    match stored(&state, &caller, &username).await {
        Ok(account) => account_page(&caller, lang, &headers, &account, Typed::of(&account), None, notice(done.fait.as_deref(), lang)),
        Err(e) => error_page(e, Some(&caller), lang, &headers),
    }
}

#[derive(Deserialize)]
pub(super) struct ScopeForm {
    csrf: Option<String>,
    #[serde(default)]
    role: String,
    #[serde(default)]
    learner: String,
    #[serde(default)]
    modules: String,
    #[serde(default)]
    apprentices: String,
}

impl WithCsrf for ScopeForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

pub(super) async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(username): Path<String>,
    form: CheckedForm<ScopeForm>,
) -> Response {
    let CheckedForm { caller, lang, form } = form;
    let account = match stored(&state, &caller, &username).await {
        Ok(account) => account,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    let typed =
        Typed { username, role: form.role, learner: form.learner, modules: form.modules, apprentices: form.apprentices, problem: None };
    let yourself = account.username == caller.account.username;
    if yourself && typed.role != account.role.as_str() {
        let typed = Typed { problem: Some(("role", accounts_ui(AccountsUi::NotYourself, lang).into())), ..typed };
        return account_page(&caller, lang, &headers, &account, typed, None, None);
    }
    let changed = match app::changed(&account, typed.new_account()) {
        Ok(changed) => changed,
        Err(error) => return account_page(&caller, lang, &headers, &account, refused(typed, &error, lang), None, None),
    };
    match app::check_scope(&state.db, &changed).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => return account_page(&caller, lang, &headers, &account, refused(typed, &error, lang), None, None),
        Err(e) => return error_page(e.into(), Some(&caller), lang, &headers),
    }
    write(&state, &caller, lang, &headers, changed, "enregistre").await
}

/// Stores a changed account and lands on its page, saying what was done.
async fn write(state: &AppState, caller: &Caller, lang: Lang, headers: &HeaderMap, account: Account, done: &str) -> Response {
    let username = account.username.clone();
    match state.db.update_account(account, &caller.account.username).await {
        Ok(()) => Redirect::to(&format!("/comptes/{username}?fait={done}")).into_response(),
        Err(e) => error_page(e.into(), Some(caller), lang, headers),
    }
}

#[derive(Deserialize)]
pub(super) struct PasswordForm {
    csrf: Option<String>,
    #[serde(default)]
    password: String,
}

impl WithCsrf for PasswordForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

pub(super) async fn reset_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(username): Path<String>,
    form: CheckedForm<PasswordForm>,
) -> Response {
    let CheckedForm { caller, lang, form } = form;
    let account = match stored(&state, &caller, &username).await {
        Ok(account) => account,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    if let Err(error) = app::check_password(&form.password, &account.username) {
        return account_page(&caller, lang, &headers, &account, Typed::of(&account), Some(error.in_words(lang)), None);
    }
    let password_hash = match hash(&form.password) {
        Ok(hash) => hash,
        Err(e) => return error_page(e.into(), Some(&caller), lang, &headers),
    };
    write(&state, &caller, lang, &headers, Account { password_hash, ..account }, "mot-de-passe").await
}

#[derive(Deserialize)]
pub(super) struct StateForm {
    csrf: Option<String>,
    /// "1" disables, "0" enables.
    #[serde(default)]
    disabled: String,
}

impl WithCsrf for StateForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

pub(super) async fn set_state(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(username): Path<String>,
    form: CheckedForm<StateForm>,
) -> Response {
    let CheckedForm { caller, lang, form } = form;
    let account = match stored(&state, &caller, &username).await {
        Ok(account) => account,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    if account.username == caller.account.username {
        let problem = Some(accounts_ui(AccountsUi::NotYourself, lang).to_string());
        return account_page(&caller, lang, &headers, &account, Typed::of(&account), problem, None);
    }
    let disabled = form.disabled == "1";
    let done = if disabled { "desactive" } else { "reactive" };
    write(&state, &caller, lang, &headers, Account { disabled, ..account }, done).await
}

#[derive(Deserialize)]
pub(super) struct RemoveForm {
    csrf: Option<String>,
    confirm: Option<String>,
}

impl WithCsrf for RemoveForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

pub(super) async fn remove(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(username): Path<String>,
    form: CheckedForm<RemoveForm>,
) -> Response {
    let CheckedForm { caller, lang, form } = form;
    let account = match stored(&state, &caller, &username).await {
        Ok(account) => account,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    let refusal = if account.username == caller.account.username {
        Some(AccountsUi::NotYourself)
    } else if form.confirm.as_deref() != Some("1") {
        Some(AccountsUi::ConfirmNeeded)
    } else {
        None
    };
    if let Some(phrase) = refusal {
        let problem = Some(accounts_ui(phrase, lang).to_string());
        return account_page(&caller, lang, &headers, &account, Typed::of(&account), problem, None);
    }
    match state.db.remove_account(&account.username, &caller.account.username).await {
        Ok(()) => Redirect::to("/comptes?fait=supprime").into_response(),
        Err(e) => error_page(e.into(), Some(&caller), lang, &headers),
    }
}
