//! Sign-in: Argon2id passwords, random session tokens kept only as their SHA-256, lock-out
//! after repeated failures, and the caller of each request (bearer token or session cookie).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::http::HeaderMap;
use certif_store::accounts::{Account, AccountStore, Session};
use chrono::{Duration, SecondsFormat, Utc};
use sha2::{Digest, Sha256};

use super::ApiError;

/// The session cookie's name.
pub const COOKIE: &str = "certif_session";
/// Failed sign-ins in a row before the account locks, and for how long.
pub const MAX_FAILURES: i64 = 5;
pub const LOCK: Duration = Duration::minutes(1);
/// How long a session lasts.
pub const SESSION: Duration = Duration::hours(12);

fn argon2() -> Argon2<'static> {
    // OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

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

/// A hash no password matches, verified for unknown users so that a wrong username takes as
/// long to refuse as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("certif decoy: no account has this password").unwrap_or_default())
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A new session for a signed-in account: the token (given to the client once) and its CSRF token.
pub struct NewSession {
    pub token: String,
    pub csrf: String,
}

/// Checks a username and password; on success opens a session. Failures count towards the
/// lock-out; a locked account is refused even with the right password.
pub async fn sign_in<S: AccountStore>(store: &S, username: &str, password: &str) -> Result<NewSession, ApiError> {
    let account = store.account(username).await?;
    let Some(account) = account else {
        let _ = verify_password(password, decoy_hash());
        return Err(ApiError::unauthorized());
    };
    if account.locked_until.as_deref().is_some_and(|until| until > now().as_str()) {
        let _ = verify_password(password, decoy_hash());
        return Err(ApiError::unauthorized());
    }
    let password = password.to_string();
    let hash = account.password_hash.clone();
    let verified = tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await.unwrap_or(false);
    if !verified {
        let failures = account.failures + 1;
        let locked_until = (failures >= MAX_FAILURES).then(|| (Utc::now() + LOCK).to_rfc3339_opts(SecondsFormat::Secs, true));
        store.set_failures(username, if locked_until.is_some() { 0 } else { failures }, locked_until).await?;
        return Err(ApiError::unauthorized());
    }
    if account.failures > 0 || account.locked_until.is_some() {
        store.set_failures(username, 0, None).await?;
    }
    let session = NewSession { token: random_hex(32)?, csrf: random_hex(16)? };
    let expires_at = (Utc::now() + SESSION).to_rfc3339_opts(SecondsFormat::Secs, true);
    store
        .add_session(&token_hash(&session.token), Session { username: account.username.clone(), csrf: session.csrf.clone(), expires_at })
        .await?;
    Ok(session)
}

/// Who is calling, and how.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account: Account,
    /// The session's CSRF token when the request came with the cookie (forms must echo it).
    pub cookie_csrf: Option<String>,
    pub token_hash: String,
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

/// The hash of the token a request presents, if any.
pub fn presented_token_hash(headers: &HeaderMap) -> Option<String> {
    token_of(headers).map(|(token, _)| token_hash(&token))
}

/// The caller of a request, or 401.
pub async fn caller<S: AccountStore>(store: &S, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let (token, by_cookie) = token_of(headers).ok_or_else(ApiError::unauthorized)?;
    let hash = token_hash(&token);
    let session = store.session(&hash, &now()).await?.ok_or_else(ApiError::unauthorized)?;
    let account = store.account(&session.username).await?.ok_or_else(ApiError::unauthorized)?;
    Ok(Caller { account, cookie_csrf: by_cookie.then_some(session.csrf), token_hash: hash })
}

/// A state-changing request made with the cookie must carry the session's CSRF token (header
/// `X-CSRF-Token`); a bearer token cannot be sent by another site, so it needs none.
pub fn check_csrf(caller: &Caller, headers: &HeaderMap) -> Result<(), ApiError> {
    match &caller.cookie_csrf {
        None => Ok(()),
        Some(expected) => {
            let given = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or_default();
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
}
