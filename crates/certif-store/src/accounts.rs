//! Accounts and sessions of the web application: who may sign in, with which role and scope,
//! the password hash (Argon2id, made by the caller), failed attempts for the lock-out, and
//! sessions by the hash of their token (a stolen database holds no usable token).

use std::future::Future;

use crate::StoreResult;

/// What an account may do (spec/api.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Registrar,
    Teacher,
    Master,
    Learner,
    Jury,
}

impl Role {
    pub const ALL: [Role; 6] = [Role::Admin, Role::Registrar, Role::Teacher, Role::Master, Role::Learner, Role::Jury];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Registrar => "registrar",
            Role::Teacher => "teacher",
            Role::Master => "master",
            Role::Learner => "learner",
            Role::Jury => "jury",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// An account. `learner` is a learner's own id; `modules` a teacher's modules; `apprentices` a
/// master's apprentices (learner ids).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Account {
    pub username: String,
    pub role: Role,
    pub learner: Option<String>,
    pub modules: Vec<String>,
    pub apprentices: Vec<String>,
    #[serde(skip)]
    pub password_hash: String,
    /// Failed sign-ins in a row, and until when (RFC 3339) the account is locked.
    #[serde(skip)]
    pub failures: i64,
    #[serde(skip)]
    pub locked_until: Option<String>,
}

/// A signed-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub username: String,
    /// The token forms must carry back (CSRF).
    pub csrf: String,
    pub expires_at: String,
}

/// The storage of accounts and sessions. Account changes are audited.
pub trait AccountStore: Send + Sync {
    /// Creates an account; an existing username is `Invalid`.
    fn add_account(&self, account: Account, actor: &str) -> impl Future<Output = StoreResult<()>> + Send;
    fn remove_account(&self, username: &str, actor: &str) -> impl Future<Output = StoreResult<()>> + Send;
    fn account(&self, username: &str) -> impl Future<Output = StoreResult<Option<Account>>> + Send;
    fn accounts(&self) -> impl Future<Output = StoreResult<Vec<Account>>> + Send;
    /// Records a sign-in attempt's outcome: failures in a row and the lock (not audited: no data changes).
    fn set_failures(&self, username: &str, failures: i64, locked_until: Option<String>) -> impl Future<Output = StoreResult<()>> + Send;
    fn add_session(&self, token_hash: &str, session: Session) -> impl Future<Output = StoreResult<()>> + Send;
    /// The session for a token hash, if it has not expired by `now` (RFC 3339).
    fn session(&self, token_hash: &str, now: &str) -> impl Future<Output = StoreResult<Option<Session>>> + Send;
    fn remove_session(&self, token_hash: &str) -> impl Future<Output = StoreResult<()>> + Send;
}

/// A comma-separated list as stored.
pub fn join_list(items: &[String]) -> String {
    items.join(",")
}

pub fn split_list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}
