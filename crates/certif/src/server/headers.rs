//! Security headers on every response, and the server's cookies.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The policy of responses that set none of their own (JSON, CSV, redirects): nothing may load
/// from them, and no site may frame them.
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The web pages' policy: everything from this server only (htmx and the stylesheet are served
/// from the binary), no plugin, forms to this server only, never framed.
pub const PAGE_CSP: &str = "default-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// `/api/docs`: the vendored RapiDoc script from this server, the OpenAPI document fetched from
/// it, RapiDoc's own inline styles; nothing remote.
pub const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Adds, where a handler did not set them: no framing (`X-Frame-Options` and CSP
/// `frame-ancestors`), no MIME sniffing, the Referer only within this site (the language
/// switch returns to the page it came from), and `Cache-Control: no-store` (pages and API
/// answers hold personal data; the static assets set their own caching).
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::CONTENT_SECURITY_POLICY, DEFAULT_CSP),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}

/// A `Set-Cookie` value: HttpOnly and SameSite=Strict always, `Secure` when serving behind
/// TLS; `max_age` in seconds (0 deletes it), none for a cookie of the browsing session.
pub fn cookie(name: &str, value: &str, path: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut text = format!("{name}={value}; HttpOnly; SameSite=Strict; Path={path}");
    if let Some(seconds) = max_age {
        text.push_str(&format!("; Max-Age={seconds}"));
    }
    if secure {
        text.push_str("; Secure");
    }
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("certif_invalid_cookie=; Max-Age=0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_secure_only_behind_tls() {
        let plain = cookie("certif_session", "abc", "/", Some(60), false);
        assert_eq!(plain, "certif_session=abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=60");
        let secure = cookie("certif_session", "abc", "/", None, true);
        assert_eq!(secure, "certif_session=abc; HttpOnly; SameSite=Strict; Path=/; Secure");
    }
}
