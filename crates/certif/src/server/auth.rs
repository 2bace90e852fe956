//! Sign-in: Argon2id passwords checked on a bounded blocking pool, random session tokens kept
//! only as their SHA-256, the lock-out, and the caller of each request (bearer token or
//! session cookie) with the CSRF rule that follows from how *this* request authenticated.
//!
//! Lock-out (OWASP Authentication Cheat Sheet, "Login Throttling"; README, "Security"): every
//! attempt is counted before its password is checked, by one atomic statement, per username
//! and source address; the 6th attempt in a row from a source is refused unchecked until a
//! minute after the 5th (spec/api.md). Failed checks are also counted per username from every
//! source; from the 5th on, an attempt from any source first waits a delay that doubles with
//! each failure (1 s, 2 s … 30 s at most). So a burst is checked five times at most, a guesser
//! spreading over addresses is slowed, and no outsider can keep the user from signing in from
//! their own address. Unknown usernames go through the very same steps against a decoy hash.

use std::sync::{Arc, LazyLock};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::http::HeaderMap;
use certif_store::accounts::{ANY_SOURCE, Account, AccountStore, Failures, Session};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use super::ApiError;

/// The session cookie's name.
pub const COOKIE: &str = "certif_session";
/// Attempts in a row from one source before it is locked out, and for how long.
pub const MAX_FAILURES: i64 = 5;
pub const LOCK: Duration = Duration::minutes(1);
/// The longest wait the account-wide progressive delay imposes.
pub const MAX_DELAY: Duration = Duration::seconds(30);
/// How long failure counts are kept after the last failure (then purged).
pub const FAILURES_KEPT: Duration = Duration::hours(24);
/// How long a session lasts.
pub const SESSION: Duration = Duration::hours(12);
/// Longer passwords and usernames are refused unchecked (no hashing of megabytes).
const MAX_INPUT: usize = 1024;

fn argon2() -> Argon2<'static> {
    // OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP's parameters are within Argon2's bounds");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Argon2 runs on the blocking pool, this many at a time: the request threads stay free
/// (a flood of sign-ins slows sign-ins, not every other route), and one core stays for them.
static HASHING: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Arc::new(Semaphore::new(cores.saturating_sub(1).max(1)))
});

/// `count` random bytes from the operating system, as hex.
pub fn random_hex(count: usize) -> Result<String, ApiError> {
    let mut bytes = vec![0u8; count];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::internal(format!("no randomness: {e}")))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The Argon2id hash of a password (PHC string, with its random salt).
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| ApiError::internal(format!("no randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(argon2().hash_password(password.as_bytes(), &salt).map_err(|e| ApiError::internal(e.to_string()))?.to_string())
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// How long a sign-in waits for a hashing slot before it is answered "too many requests": under
/// a flood from many addresses the queue stays short instead of growing without bound.
const HASHING_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Checks a password on the blocking pool, behind the hashing semaphore. The permit moves into
/// the blocking task, so a request dropped meanwhile never lets more hashes run than allowed.
async fn verify_on_pool(password: &str, hash: &str) -> Result<bool, ApiError> {
    let permit = match tokio::time::timeout(HASHING_WAIT, HASHING.clone().acquire_owned()).await {
        Ok(permit) => permit.map_err(|e| ApiError::internal(e.to_string()))?,
        Err(_) => return Err(ApiError::too_many(HASHING_WAIT)),
    };
    let (password, hash) = (password.to_string(), hash.to_string());
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        verify_password(&password, &hash)
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))
}

/// A hash no password matches, verified for unknown users so that a wrong username takes as
/// long to refuse as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    // Without randomness the decoy is empty, which matches no password either; the sign-in
    // itself then fails, and says so, when it draws the session's token.
    DECOY.get_or_init(|| hash_password("certif decoy: no account has this password").unwrap_or_else(|_| String::new()))
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn stamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn now() -> String {
    stamp(Utc::now())
}

/// Failure counts' times, to the millisecond (the delays are counted in seconds); the same
/// format throughout their table, so its times compare as text.
fn stamp_ms(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// How long an attempt waits before its password is checked, given the username's failures
/// from every source: nothing below [`MAX_FAILURES`], then 1 s after the last failure,
/// doubling with each further one, [`MAX_DELAY`] at most.
pub fn progressive_delay(every_source: Option<&Failures>, now: DateTime<Utc>) -> std::time::Duration {
    let Some(counted) = every_source.filter(|f| f.failures >= MAX_FAILURES) else { return std::time::Duration::ZERO };
    let doublings = u32::try_from(counted.failures - MAX_FAILURES).unwrap_or(u32::MAX).min(10);
    let delay = Duration::seconds(1i64 << doublings).min(MAX_DELAY);
    // An unreadable time: the longest wait (MAX_DELAY is positive, so it converts).
    let Ok(last) = DateTime::parse_from_rfc3339(&counted.last_failure) else {
        return MAX_DELAY.to_std().unwrap_or(std::time::Duration::from_secs(30));
    };
    // Negative once the delay is over: no wait.
    (last.with_timezone(&Utc) + delay - now).to_std().unwrap_or(std::time::Duration::ZERO)
}

/// A new session for a signed-in account: the token (given to the client once) and its CSRF token.
pub struct NewSession {
    pub token: String,
    pub csrf: String,
}

/// Checks a username and password coming from `source` (the client's address); on success
/// opens a session. Refusals are the same 401 whatever the reason (unknown user, wrong
/// password, locked source), and take the same time for an unknown user as for a wrong password.
pub async fn sign_in<S: AccountStore>(store: &S, username: &str, password: &str, source: &str) -> Result<NewSession, ApiError> {
    if username.len() > MAX_INPUT || password.len() > MAX_INPUT {
        return Err(ApiError::unauthorized());
    }
    let started = Utc::now();
    // Counted before it is checked: a burst cannot have more than MAX_FAILURES checked.
    let pair = store.count_failure(username, source, &stamp_ms(started), MAX_FAILURES, &stamp_ms(started + LOCK)).await?;
    if pair.failures > MAX_FAILURES {
        return Err(ApiError::unauthorized());
    }
    let every_source = store.failures(username, ANY_SOURCE).await?;
    let wait = progressive_delay(every_source.as_ref(), started);
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    let account = store.account(username).await?;
    let hash = account.as_ref().map_or(decoy_hash(), |a| a.password_hash.as_str());
    let verified = verify_on_pool(password, hash).await?;
    // A disabled account is refused like a wrong password: the answer does not tell it exists.
    let Some(account) = account.filter(|a| verified && !a.disabled) else {
        let now = stamp_ms(Utc::now());
        store.count_failure(username, ANY_SOURCE, &now, i64::MAX, &now).await?;
        return Err(ApiError::unauthorized());
    };
    store.clear_failures(username, &[source, ANY_SOURCE]).await?;
    let session = NewSession { token: random_hex(32)?, csrf: random_hex(16)? };
    store
        .add_session(
            &token_hash(&session.token),
            Session { username: account.username.clone(), csrf: session.csrf.clone(), expires_at: stamp(Utc::now() + SESSION) },
        )
        .await?;
    purge(store).await?;
    Ok(session)
}

/// Deletes expired sessions and failure counts older than [`FAILURES_KEPT`].
pub async fn purge<S: AccountStore>(store: &S) -> Result<u64, ApiError> {
    let now = Utc::now();
    Ok(store.purge(&stamp_ms(now), &stamp_ms(now - FAILURES_KEPT)).await?)
}

/// A checked session: its account and CSRF token.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub account: Account,
    pub csrf: String,
}

/// Who is calling, and how.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account: Account,
    /// The session's CSRF token when *this* request came with the cookie (then its
    /// state-changing requests must echo it); `None` for a bearer token.
    pub cookie_csrf: Option<String>,
    pub token_hash: String,
    /// The certifier and the certification the pages' header names (set for pages only).
    pub brand: Option<(String, String)>,
}

impl Caller {
    /// The caller of one request: the CSRF rule follows from how this request authenticated.
    pub fn of(signed_in: SignedIn, token: &Presented) -> Caller {
        Caller {
            account: signed_in.account,
            cookie_csrf: token.by_cookie.then_some(signed_in.csrf),
            token_hash: token.hash.clone(),
            brand: None,
        }
    }
}

/// The credentials a request presents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presented {
    pub hash: String,
    pub by_cookie: bool,
}

/// The token a request carries: `Authorization: Bearer …`, else the session cookie.
fn token_of(headers: &HeaderMap) -> Option<(String, bool)> {
    if let Some(value) = headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        return value.strip_prefix("Bearer ").map(|t| (t.trim().to_string(), false));
    }
    let cookies = headers.get_all(axum::http::header::COOKIE);
    cookies
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE).and_then(|rest| rest.strip_prefix('=')).map(|t| (t.to_string(), true)))
}

/// What a request presents, if anything.
pub fn presented(headers: &HeaderMap) -> Option<Presented> {
    token_of(headers).map(|(token, by_cookie)| Presented { hash: token_hash(&token), by_cookie })
}

/// The session behind a presented token, or 401.
pub async fn signed_in<S: AccountStore>(store: &S, token: &Presented) -> Result<SignedIn, ApiError> {
    let session = store.session(&token.hash, &now()).await?.ok_or_else(ApiError::unauthorized)?;
    let account = store.account(&session.username).await?.filter(|a| !a.disabled).ok_or_else(ApiError::unauthorized)?;
    Ok(SignedIn { account, csrf: session.csrf })
}

/// A state-changing request made with the cookie must carry the session's CSRF token (header
/// `X-CSRF-Token`); a bearer token cannot be sent by another site, so it needs none.
pub fn check_csrf(caller: &Caller, headers: &HeaderMap) -> Result<(), ApiError> {
    match &caller.cookie_csrf {
        None => Ok(()),
        Some(expected) => {
            // No token given: compared as empty, so refused.
            let given = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            if given.len() == expected.len() && given.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0 {
                Ok(())
            } else {
                Err(ApiError::forbidden("missing or wrong CSRF token"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horse!", &hash));
        assert!(!verify_password("anything", decoy_hash()));
    }

    #[test]
    fn the_token_comes_from_the_bearer_header_or_the_cookie() {
        let mut headers = HeaderMap::new();
        headers.insert(axum::http::header::COOKIE, "a=b; certif_session=abc".parse().unwrap());
        assert_eq!(token_of(&headers), Some(("abc".into(), true)));
        headers.insert(axum::http::header::AUTHORIZATION, "Bearer xyz".parse().unwrap());
        assert_eq!(token_of(&headers), Some(("xyz".into(), false)));
    }

    #[test]
    fn the_delay_starts_at_the_fifth_failure_and_doubles_up_to_thirty_seconds() {
        let at = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc);
        let counted = |failures| Failures { failures, locked_until: None, last_failure: "2026-11-24T10:00:00Z".into() };
        let now = at("2026-11-24T10:00:00Z");
        let secs = |failures| progressive_delay(Some(&counted(failures)), now).as_secs();
        assert_eq!([secs(4), secs(5), secs(6), secs(7), secs(9), secs(10), secs(500)], [0, 1, 2, 4, 16, 30, 30]);
        assert_eq!(progressive_delay(None, now), std::time::Duration::ZERO);
        assert_eq!(progressive_delay(Some(&counted(7)), at("2026-11-24T10:00:03Z")).as_secs(), 1, "the wait runs from the last failure");
        assert_eq!(progressive_delay(Some(&counted(7)), at("2026-11-24T10:01:00Z")), std::time::Duration::ZERO);
    }
}
