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

pub use certif_app::accounts::NewAccount;

/// The account `new` describes, its password hashed; a refusal in the CLI's language.
fn account(new: NewAccount, password: &str) -> anyhow::Result<Account> {
    let hash = |password: &str| auth::hash_password(password).map_err(|e| certif_app::AppError::Input(InputError(e.message)));
    certif_app::accounts::account(new, password, hash)?.map_err(|e| refusal(&e).into())
}

/// A refused account as the CLI says it: the option, then why.
fn refusal(error: &certif_app::accounts::AccountError) -> InputError {
    let option = match error.field() {
        "username" | "password" => error.field().to_string(),
        field => format!("--{field}"),
    };
    InputError(format!("{option} : {}", error.in_words(crate::run::lang())))
}

/// The learners and modules an account names must exist in the store.
async fn check_scope(store: &Database, account: &Account) -> anyhow::Result<()> {
    certif_app::accounts::check_scope(store, account).await?.map_err(|e| refusal(&e).into())
}

fn store_error(error: StoreError) -> anyhow::Error {
    match error {
        StoreError::Invalid(message) | StoreError::NotFound(message) => InputError(message).into(),
        other => other.into(),
    }
}

pub fn add(url: &str, actor: &str, new: NewAccount, password_stdin: bool) -> anyhow::Result<ExitCode> {
    if !password_stdin {
        return Err(InputError(
            certif_core::messages::pick(
                crate::run::lang(),
                "donnez le mot de passe sur l'entrée standard avec --password-stdin (jamais sur la ligne de commande)",
                "give the password on standard input with --password-stdin (never on the command line)",
            )
            .into(),
        )
        .into());
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
