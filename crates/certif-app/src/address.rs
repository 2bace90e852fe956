//! Where certif is reached from outside: the base of every verification URL that documents and
//! credentials carry (`CERTIF_BASE_URL`, else `certif config set base_url URL`, else
//! `http://localhost:8080`).

use certif_store::config::ConfigStore as _;

use crate::database::Database;
use crate::error::{AppResult, InputError};

/// The setting (`certif config set base_url URL`) naming where certif's verification pages are
/// served; `CERTIF_BASE_URL` overrides it.
pub const BASE_URL_KEY: &str = "base_url";
pub const BASE_URL_ENV: &str = "CERTIF_BASE_URL";
/// Where `certif serve` answers by default: what the demo's documents point at.
pub const DEFAULT_BASE_URL: &str = "http://localhost:8080";

/// A base URL as documents print it: `http(s)://…`, no query or fragment, no trailing slash.
pub fn checked_base_url(text: &str) -> Result<String, InputError> {
    let url = text.trim().trim_end_matches('/');
    let scheme_ok = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).is_some_and(|rest| !rest.is_empty());
    if !scheme_ok || url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '"' | '<' | '>')) {
        return Err(InputError(format!(
            "{BASE_URL_KEY} = {text:?} : une adresse http:// ou https:// sans espace, ni requête, ni fragment (ex. https://certif.exemple.fr)"
        )));
    }
    Ok(url.to_string())
}

/// The base URL `certif serve --base-url` was given: it overrides the rest for the process.
static GIVEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Sets this process's base URL (`certif serve --base-url URL`), once, checked.
pub fn set_base_url(text: &str) -> Result<(), InputError> {
    let url = checked_base_url(text).map_err(|e| InputError(format!("--base-url : {e}")))?;
    let _ = GIVEN.set(url);
    Ok(())
}

/// The base URL of verification links: `--base-url` on `certif serve`, else `CERTIF_BASE_URL`,
/// else the `base_url` setting, else [`DEFAULT_BASE_URL`].
pub async fn base_url(db: &Database) -> AppResult<String> {
    if let Some(given) = GIVEN.get() {
        return Ok(given.clone());
    }
    if let Some(value) = std::env::var(BASE_URL_ENV).ok().filter(|v| !v.trim().is_empty()) {
        return Ok(checked_base_url(&value).map_err(|e| InputError(format!("{BASE_URL_ENV} : {e}")))?);
    }
    match db.config(BASE_URL_KEY).await? {
        Some(value) => Ok(checked_base_url(&value)?),
        None => Ok(DEFAULT_BASE_URL.to_string()),
    }
}

/// A document's verification URL.
pub fn verify_url(base_url: &str, id: &str) -> String {
    format!("{}/verify/{id}", base_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_is_http_or_https_without_a_trailing_slash() {
        assert_eq!(checked_base_url("https://certif.exemple.fr/").unwrap(), "https://certif.exemple.fr");
        assert_eq!(checked_base_url(" http://localhost:8080 ").unwrap(), "http://localhost:8080");
        for wrong in ["ftp://x", "certif.exemple.fr", "https://", "https://a b", "https://x/?q=1", "https://x/#f"] {
            assert!(checked_base_url(wrong).is_err(), "{wrong}");
        }
        assert_eq!(verify_url("https://x.fr/", "abc"), "https://x.fr/verify/abc");
    }
}
