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

/// A network a trusted reverse proxy's address lies in: `10.0.0.0/8`, `::1/128`, or a bare
/// address (the whole prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Cidr {
    type Err = String;

    fn from_str(text: &str) -> Result<Cidr, String> {
        let wrong = || format!("{text:?} : une adresse IP ou un réseau CIDR (ex. 10.0.0.0/8, ::1/128)");
        let (address, prefix) = text.trim().split_once('/').map_or((text.trim(), None), |(a, p)| (a, Some(p)));
        let network: IpAddr = address.parse().map_err(|_| wrong())?;
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= bits).ok_or_else(wrong)?,
        };
        Ok(Cidr { network, prefix })
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        // A v4 peer may come as an IPv4-mapped v6 address on a dual-stack socket.
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        let masked = |bits: u128, width: u32| if self.prefix == 0 { 0 } else { bits >> (width - u32::from(self.prefix)) };
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => masked(u32::from(net).into(), 32) == masked(u32::from(ip).into(), 32),
            (IpAddr::V6(net), IpAddr::V6(ip)) => masked(u128::from(net), 128) == masked(u128::from(ip), 128),
            _ => false,
        }
    }
}

fn trusted(proxies: &[Cidr], ip: IpAddr) -> bool {
    proxies.iter().any(|p| p.contains(ip))
}

/// The source of a request: the peer's address; when the peer is one of the trusted reverse
/// proxies, the address `X-Forwarded-For` names before them — read from the right, past every
/// trusted proxy, so a client cannot choose its own address by writing the header first. From
/// any other peer the header is ignored.
pub fn source_of(headers: &HeaderMap, peer: Option<SocketAddr>, proxies: &[Cidr]) -> Source {
    let Some(peer) = peer.map(|p| p.ip()) else { return Source("local".into()) };
    let mut client = peer;
    if trusted(proxies, peer) {
        let hops: Vec<&str> =
            headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).collect();
        for hop in hops.iter().rev() {
            // An entry that is not an address: stop at the last hop known to be genuine.
            let Ok(ip) = hop.trim().parse::<IpAddr>() else { break };
            client = ip;
            if !trusted(proxies, ip) {
                break;
            }
        }
    }
    Source(network_of(client))
}

/// Puts the request's [`Source`] among its extensions, and refuses a sign-in (`POST
/// /api/auth/login` or `/login`) over the limit of its source with 429 and `Retry-After`.
pub async fn sources_and_sign_in_limit(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let source = source_of(request.headers(), peer, &state.config.trusted_proxies);
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

    fn proxies(list: &[&str]) -> Vec<Cidr> {
        list.iter().map(|p| p.parse().unwrap()).collect()
    }

    #[test]
    fn forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 198.51.100.4".parse().unwrap());
        let peer: SocketAddr = "192.0.2.7:4000".parse().unwrap();
        assert_eq!(
            source_of(&headers, Some(peer), &[]),
            Source("192.0.2.7".into()),
            "no proxy trusted: a client may not choose its address"
        );
        let elsewhere = proxies(&["10.0.0.0/8", "::1"]);
        assert_eq!(source_of(&headers, Some(peer), &elsewhere), Source("192.0.2.7".into()), "the peer is not a trusted proxy");
        assert_eq!(source_of(&HeaderMap::new(), None, &elsewhere), Source("local".into()));
        let v6: SocketAddr = "[2001:db8:1:2:3:4:5:6]:4000".parse().unwrap();
        assert_eq!(source_of(&HeaderMap::new(), Some(v6), &[]), Source("2001:db8:1:2::/64".into()));
    }

    #[test]
    fn behind_trusted_proxies_the_client_is_the_first_untrusted_hop_from_the_right() {
        let mut headers = HeaderMap::new();
        // The client wrote 1.2.3.4 itself; the edge proxy appended the client's real address,
        // then an inner proxy (10.0.0.2) its own.
        headers.insert("x-forwarded-for", "1.2.3.4, 198.51.100.4, 10.0.0.2".parse().unwrap());
        let peer: SocketAddr = "10.0.0.3:4000".parse().unwrap();
        assert_eq!(source_of(&headers, Some(peer), &proxies(&["10.0.0.0/8"])), Source("198.51.100.4".into()));
        let mapped: SocketAddr = "[::ffff:10.0.0.3]:4000".parse().unwrap();
        assert_eq!(source_of(&headers, Some(mapped), &proxies(&["10.0.0.0/8"])), Source("198.51.100.4".into()));
        let mut garbled = HeaderMap::new();
        garbled.insert("x-forwarded-for", "198.51.100.4, unknown".parse().unwrap());
        assert_eq!(
            source_of(&garbled, Some(peer), &proxies(&["10.0.0.0/8"])),
            Source("10.0.0.3".into()),
            "an unreadable hop ends the walk"
        );
    }

    #[test]
    fn a_cidr_is_an_address_or_a_network() {
        let net: Cidr = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains("10.1.200.3".parse().unwrap()));
        assert!(!net.contains("10.2.0.1".parse().unwrap()));
        let one: Cidr = "::1".parse().unwrap();
        assert!(one.contains("::1".parse().unwrap()) && !one.contains("::2".parse().unwrap()));
        assert!("0.0.0.0/0".parse::<Cidr>().unwrap().contains("203.0.113.1".parse().unwrap()));
        for wrong in ["10.0.0.0/33", "nope", "::/129", "10.0.0.0/x"] {
            assert!(wrong.parse::<Cidr>().is_err(), "{wrong}");
        }
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
