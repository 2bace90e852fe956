//! `certif user add | list | remove` and `certif serve`, and the demo's accounts.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use certif::database::Database;
use certif::inputs::InputError;
use certif::server::auth;
use certif_store::StoreError;
use certif_store::accounts::{Account, AccountStore, Role};

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

/// What `user add` is given.
pub struct NewAccount {
    pub username: String,
    pub role: String,
    pub learner: Option<String>,
    pub modules: Vec<String>,
    pub apprentices: Vec<String>,
}

fn account(new: NewAccount, password: &str) -> anyhow::Result<Account> {
    let role = Role::parse(&new.role).ok_or_else(|| {
        let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        InputError(format!("--role {}: not a role ({})", new.role, roles.join(", ")))
    })?;
    if new.username.trim().is_empty() || new.username.contains(char::is_whitespace) {
        return Err(InputError(format!("{:?}: a username is one word", new.username)).into());
    }
    if role == Role::Learner && new.learner.is_none() {
        return Err(InputError("a learner account needs --learner ID".into()).into());
    }
    if password.chars().count() < 12 {
        return Err(InputError("a password has at least 12 characters".into()).into());
    }
    Ok(Account {
        username: new.username,
        role,
        learner: new.learner,
        modules: new.modules,
        apprentices: new.apprentices,
        password_hash: auth::hash_password(password).map_err(|e| anyhow::anyhow!(e.message))?,
        failures: 0,
        locked_until: None,
    })
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
        store.add_account(account, actor).await.map_err(store_error)?;
        eprintln!("account {username} created");
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
        store.remove_account(username, actor).await.map_err(store_error)?;
        eprintln!("account {username} removed");
        Ok(ExitCode::SUCCESS)
    })
}

pub fn serve(url: &str, bind: &str) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let store = Database::open(url).await?;
        certif::server::serve(store, bind).await?;
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
        store.add_account(account(new, &password)?, "demo").await?;
        made.push((username, role, password));
    }
    Ok(made)
}
