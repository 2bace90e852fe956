//! Where a request comes from, and the rate limit per source on the sign-in routes (a GCRA
//! limiter from `governor`, keyed by address): each attempt costs an Argon2 hash, so one
//! address may not make the server hash faster than the limit lets it.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use super::{ApiError, AppState, ServerConfig};

pub type Limiter = DefaultKeyedRateLimiter<String>;

pub fn limiter(config: &ServerConfig) -> Limiter {
    let burst = std::num::NonZeroU32::new(config.sign_in_burst).unwrap_or(std::num::NonZeroU32::MIN);
    let quota = Quota::with_period(config.sign_in_period.max(std::time::Duration::from_millis(1)))
        .unwrap_or_else(|| Quota::per_second(std::num::NonZeroU32::MIN))
        .allow_burst(burst);
    Limiter::keyed(quota)
}

/// The client's address as the lock-out and the rate limit count it: an IPv4 address, or the
/// /64 network of an IPv6 one (one host holds a whole /64). "local" when the request came
/// in-process (tests) with no connection information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source(pub String);

fn network_of(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The source of a request: the peer's address, or behind a trusted reverse proxy the last
/// address of `X-Forwarded-For` (the one the proxy itself appended).
pub fn source_of(headers: &HeaderMap, peer: Option<SocketAddr>, trust_proxy: bool) -> Source {
    let forwarded = trust_proxy
        .then(|| headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).last())
        .flatten()
        .and_then(|last| last.trim().parse::<IpAddr>().ok());
    match forwarded.or(peer.map(|p| p.ip())) {
        Some(ip) => Source(network_of(ip)),
        None => Source("local".into()),
    }
}

/// Puts the request's [`Source`] among its extensions, and refuses a sign-in (`POST
/// /api/auth/login` or `/login`) over the limit of its source with 429 and `Retry-After`.
pub async fn sources_and_sign_in_limit(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let source = source_of(request.headers(), peer, state.config.trust_proxy);
    let signing_in = request.method() == Method::POST && matches!(request.uri().path(), "/api/auth/login" | "/login");
    if signing_in && let Err(not_until) = state.sign_in_limiter.check_key(&source.0) {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        let mut response = if request.uri().path() == "/login" {
            super::ui::too_many_sign_ins(&state, request.headers(), wait)
        } else {
            ApiError::too_many(wait).into_response()
        };
        if let Ok(value) = wait.as_secs().max(1).to_string().parse() {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    request.extensions_mut().insert(source);
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_is_the_peer_or_the_proxys_last_hop_when_trusted() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 198.51.100.4".parse().unwrap());
        let peer: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        assert_eq!(source_of(&headers, Some(peer), false), Source("127.0.0.1".into()), "a client may not choose its own address");
        assert_eq!(source_of(&headers, Some(peer), true), Source("198.51.100.4".into()));
        assert_eq!(source_of(&HeaderMap::new(), None, false), Source("local".into()));
        let v6: SocketAddr = "[2001:db8:1:2:3:4:5:6]:4000".parse().unwrap();
        assert_eq!(source_of(&HeaderMap::new(), Some(v6), false), Source("2001:db8:1:2::/64".into()));
    }

    #[test]
    fn a_source_over_its_burst_is_refused_others_are_not() {
        let config = ServerConfig { sign_in_burst: 3, sign_in_period: std::time::Duration::from_secs(60), ..ServerConfig::default() };
        let limiter = limiter(&config);
        let a = String::from("192.0.2.1");
        assert!((0..3).all(|_| limiter.check_key(&a).is_ok()));
        assert!(limiter.check_key(&a).is_err());
        assert!(limiter.check_key(&"192.0.2.2".to_string()).is_ok());
    }
}
