//! Accounts and sessions of the web application: who may sign in, with which role and scope,
//! the password hash (Argon2id, made by the caller), failed sign-ins for the lock-out (each
//! counted by one atomic statement), and sessions by the hash of their token (a stolen
//! database holds no usable token).

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
    /// Disabled by the admin: no sign-in, no session.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

/// The source under which a username's failures from every source are counted.
pub const ANY_SOURCE: &str = "*";

/// Failed sign-ins in a row for a username from one source (or from [`ANY_SOURCE`]); times
/// are RFC 3339 in UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failures {
    pub failures: i64,
    /// Until when this source may not try again, once `threshold` failures were counted.
    pub locked_until: Option<String>,
    pub last_failure: String,
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
    /// Replaces an existing account's role, scope, password hash and state (`NotFound`
    /// otherwise). Its sessions end when its password, role or scope changes or it is
    /// disabled: what a session was granted is never more than the account now allows.
    fn update_account(&self, account: Account, actor: &str) -> impl Future<Output = StoreResult<()>> + Send;
    fn account(&self, username: &str) -> impl Future<Output = StoreResult<Option<Account>>> + Send;
    fn accounts(&self) -> impl Future<Output = StoreResult<Vec<Account>>> + Send;
    /// Counts one failure for `username` from `source` in a single statement (concurrent
    /// calls never lose one), whether or not the account exists: a count whose lock ended by
    /// `now` restarts at 1; the count reaching `threshold` sets the lock to `lock_until`.
    /// Answers the counts as they are after this one. Not audited: no data changes.
    fn count_failure(
        &self,
        username: &str,
        source: &str,
        now: &str,
        threshold: i64,
        lock_until: &str,
    ) -> impl Future<Output = StoreResult<Failures>> + Send;
    fn failures(&self, username: &str, source: &str) -> impl Future<Output = StoreResult<Option<Failures>>> + Send;
    /// Forgets the failures of `username` from each of `sources` (a successful sign-in).
    fn clear_failures(&self, username: &str, sources: &[&str]) -> impl Future<Output = StoreResult<()>> + Send;
    /// Deletes the sessions expired by `now` and the failure counts last added to before
    /// `failures_before` whose lock has ended; answers how many rows went.
    fn purge(&self, now: &str, failures_before: &str) -> impl Future<Output = StoreResult<u64>> + Send;
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
