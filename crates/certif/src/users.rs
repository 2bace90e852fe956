//! `certif user add | list | remove` and `certif serve`, and the demo's accounts.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use certif::inputs::InputError;
use certif::server::auth;
use certif_app::Database;
use certif_store::StoreError;
use certif_store::accounts::{Account, AccountStore, Role};

use certif_core::messages::cli::Said;

use crate::run::{runtime, say};

/// What `user add` is given.
pub struct NewAccount {
    pub username: String,
    pub role: String,
    pub learner: Option<String>,
    pub modules: Vec<String>,
    pub apprentices: Vec<String>,
}

/// Shortest password accepted (OWASP: at least 12 without a second factor).
const MIN_PASSWORD: usize = 12;
/// Longest password accepted (a passphrase fits; the sign-in refuses longer ones unchecked).
const MAX_PASSWORD: usize = 1024;

/// Refuses a password that is short, or that zxcvbn estimates guessable (score below 3 of 4:
/// repeats, sequences, keyboard walks, common passwords and words, the username itself).
fn check_password(password: &str, username: &str) -> Result<(), InputError> {
    let length = password.chars().count();
    if length < MIN_PASSWORD {
        return Err(InputError(format!("a password has at least {MIN_PASSWORD} characters")));
    }
    if password.len() > MAX_PASSWORD {
        return Err(InputError(format!("a password has at most {MAX_PASSWORD} bytes")));
    }
    let estimate = zxcvbn::zxcvbn(password, &[username, "certif"]);
    if (estimate.score() as u8) < 3 {
        let hint = estimate.feedback().and_then(|f| f.warning()).map(|w| format!(" ({w})")).unwrap_or_default();
        return Err(InputError(format!("this password is too easy to guess{hint}: choose a longer passphrase")));
    }
    Ok(())
}

fn account(new: NewAccount, password: &str) -> anyhow::Result<Account> {
    let role = Role::parse(&new.role).ok_or_else(|| {
        let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        InputError(format!("--role {}: not a role ({})", new.role.escape_debug(), roles.join(", ")))
    })?;
    certif_core::ident::check(&new.username).map_err(|e| InputError(format!("username: {e}")))?;
    for (option, ids) in [
        ("--learner", new.learner.iter().collect::<Vec<_>>()),
        ("--modules", new.modules.iter().collect()),
        ("--apprentices", new.apprentices.iter().collect()),
    ] {
        for id in ids {
            certif_core::ident::check(id).map_err(|e| InputError(format!("{option}: {e}")))?;
        }
    }
    if role == Role::Learner && new.learner.is_none() {
        return Err(InputError("a learner account needs --learner ID".into()).into());
    }
    check_password(password, &new.username)?;
    Ok(Account {
        username: new.username,
        role,
        learner: new.learner,
        modules: new.modules,
        apprentices: new.apprentices,
        password_hash: auth::hash_password(password).map_err(|e| anyhow::anyhow!(e.message))?,
    })
}

/// The learners and modules an account names must exist in the store.
async fn check_scope(store: &Database, account: &Account) -> anyhow::Result<()> {
    use certif_store::Store as _;
    let learners: std::collections::HashSet<String> = store.learner_ids().await?.into_iter().collect();
    for (option, id) in account.learner.iter().map(|l| ("--learner", l)).chain(account.apprentices.iter().map(|a| ("--apprentices", a))) {
        if !learners.contains(id) {
            return Err(InputError(format!("{option}: {id} is not a known learner (import the learners first)")).into());
        }
    }
    if !account.modules.is_empty() {
        let curricula = certif_app::stored_curricula(store).await?;
        if let Some(unknown) = account.modules.iter().find(|m| !curricula.is_module(m)) {
            return Err(InputError(format!("--modules: {unknown} is not a module of a loaded curriculum")).into());
        }
    }
    Ok(())
}

fn store_error(error: StoreError) -> anyhow::Error {
    match error {
        StoreError::Invalid(message) | StoreError::NotFound(message) => InputError(message).into(),
        other => other.into(),
    }
}

pub fn add(url: &str, actor: &str, new: NewAccount, password_stdin: bool) -> anyhow::Result<ExitCode> {
    if !password_stdin {
        return Err(InputError("give the password on standard input with --password-stdin (never on the command line)".into()).into());
    }
    let mut password = String::new();
    io::stdin().lock().read_line(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']);
    let username = new.username.clone();
    let account = account(new, password)?;
    runtime()?.block_on(async {
        let store = Database::open(url).await?;
        check_scope(&store, &account).await?;
        store.add_account(account, actor).await.map_err(store_error)?;
        eprintln!("{}", say(Said::AccountCreated { username: &username }));
        Ok(ExitCode::SUCCESS)
    })
}

pub fn list(url: &str) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = Database::open(url).await?;
        let mut out = io::stdout().lock();
        for a in store.accounts().await? {
            let scope = match a.role {
                Role::Learner => a.learner.clone().unwrap_or_default(),
                Role::Teacher => a.modules.join(","),
                Role::Master => a.apprentices.join(","),
                _ => String::new(),
            };
            writeln!(out, "{:<20} {:<10} {scope}", a.username, a.role.as_str())?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

pub fn remove(url: &str, actor: &str, username: &str) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = Database::open(url).await?;
        store.remove_account(username, actor).await.map_err(|e| match e {
            StoreError::NotFound(_) => InputError(say(Said::AccountMissing { username })).into(),
            other => store_error(other),
        })?;
        eprintln!("{}", say(Said::AccountRemoved { username }));
        Ok(ExitCode::SUCCESS)
    })
}

/// `certif serve`: logs set up first, the base URL checked, the metrics token read from
/// `CERTIF_METRICS_TOKEN` (an environment variable only: a flag would show in `ps`).
pub fn serve(
    url: &str,
    bind: &str,
    mut config: certif::server::ServerConfig,
    base_url: Option<&str>,
    log_format: certif::server::observe::LogFormat,
) -> anyhow::Result<ExitCode> {
    certif::server::observe::init_logs(log_format);
    if let Some(base_url) = base_url {
        certif_app::address::set_base_url(base_url)?;
    }
    config.metrics_token = std::env::var("CERTIF_METRICS_TOKEN").ok().filter(|t| !t.trim().is_empty()).map(certif::server::metrics::Token);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let store = Database::open(url).await?;
        certif::server::serve(store, bind, config).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// One account per role for the demo cohort, with generated passwords: printed once.
pub async fn demo_accounts(
    store: &Database,
    learners: &[String],
    teacher_modules: Vec<String>,
) -> anyhow::Result<Vec<(String, Role, String)>> {
    let first = learners.first().cloned();
    let apprentices: Vec<String> = learners.iter().take(3).cloned().collect();
    let mut made = Vec::new();
    for role in Role::ALL {
        let username = format!("demo-{}", role.as_str());
        let password = auth::random_hex(8).map_err(|e| anyhow::anyhow!(e.message))?;
        let new = NewAccount {
            username: username.clone(),
            role: role.as_str().into(),
            learner: (role == Role::Learner).then(|| first.clone()).flatten(),
            modules: if role == Role::Teacher { teacher_modules.clone() } else { Vec::new() },
            apprentices: if role == Role::Master { apprentices.clone() } else { Vec::new() },
        };
        let account = account(new, &password)?;
        check_scope(store, &account).await?;
        store.add_account(account, "demo").await?;
        made.push((username, role, password));
    }
    Ok(made)
}
