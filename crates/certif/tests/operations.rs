//! Running certif serve in production: `/metrics` (Prometheus text, counted by route template,
//! for the loopback or the bearer token only), a stop asked by SIGTERM that lets the request
//! under way finish, and a `--base-url` checked before anything is served.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use certif::server::ServerConfig;
use certif::server::metrics::Token;
use certif_store::accounts::Role;
use common::api::{Api, Reply, runtime};
use common::workspace::Workspace;

/// `GET /metrics` as if from `peer` (none: in-process, no connection), with `headers`.
async fn scrape(api: &Api, peer: Option<&str>, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::get("/metrics");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut request = request.body(Body::empty()).unwrap();
    if let Some(peer) = peer {
        let peer: SocketAddr = if peer.contains(':') { format!("[{peer}]:40000") } else { format!("{peer}:40000") }.parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
    }
    api.send(request).await
}

/// The exposition's samples, `name{labels}` → value; panics on a line that is not one.
fn samples(text: &str) -> Vec<(String, f64)> {
    let mut samples = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(comment) = line.strip_prefix('#') {
            let words: Vec<&str> = comment.split_whitespace().collect();
            assert!(matches!(words.first(), Some(&"HELP") | Some(&"TYPE")), "a comment is HELP or TYPE: {line}");
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("no value: {line}"));
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            v => v.parse().unwrap_or_else(|_| panic!("not a number: {line}")),
        };
        let name = series.split('{').next().unwrap();
        assert!(
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
                && !name.starts_with(|c: char| c.is_ascii_digit()),
            "a metric name: {line}"
        );
        if let Some(labels) = series.strip_prefix(name).filter(|l| !l.is_empty()) {
            let inner = labels.strip_prefix('{').and_then(|l| l.strip_suffix('}')).unwrap_or_else(|| panic!("labels in braces: {line}"));
            for pair in inner.split("\",").filter(|p| !p.is_empty()) {
                let (key, value) = pair.split_once("=\"").unwrap_or_else(|| panic!("label=\"value\": {line}"));
                assert!(key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "a label name: {line}");
                assert!(!value.trim_end_matches('"').contains('"'), "{line}");
            }
        }
        samples.push((series.to_string(), value));
    }
    samples
}

fn value(samples: &[(String, f64)], series: &str) -> f64 {
    samples.iter().find(|(s, _)| s == series).map_or(0.0, |(_, v)| *v)
}

#[test]
fn metrics_are_prometheus_text_counted_by_route_template() {
    runtime().block_on(async {
        let api = Api::demo().await;
        let token = api.token(Role::Registrar).await;
        let before = scrape(&api, Some("127.0.0.1"), &[]).await;
        assert_eq!(before.status, StatusCode::OK, "{}", before.text());
        assert!(before.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
        let before = samples(&before.text());
        let decision = "certif_http_requests_total{method=\"GET\",route=\"/api/learners/{id}/decision\",status=\"200\"}";
        let decided = "certif_decisions_computed_total";

        for learner in ["A-0001", "A-0002"] {
            let reply = api.get(Some(&token), &format!("/api/learners/{learner}/decision?on=2026-09-18")).await;
            assert_eq!(reply.status, StatusCode::OK);
        }
        let after = scrape(&api, Some("::1"), &[]).await;
        assert_eq!(after.status, StatusCode::OK);
        let text = after.text();
        let after = samples(&text);
        assert_eq!(value(&after, decision), value(&before, decision) + 2.0, "{text}");
        assert!(value(&after, decided) >= value(&before, decided) + 2.0, "{text}");
        let latency = "certif_http_request_duration_seconds_count{method=\"GET\",route=\"/api/learners/{id}/decision\"}";
        assert_eq!(value(&after, latency), 2.0, "{text}");
        assert!(value(&after, "certif_db_pool_max_connections") >= 1.0, "{text}");
        assert!(value(&after, "certif_db_pool_connections") >= value(&after, "certif_db_pool_idle_connections"), "{text}");
        assert!(!text.contains("A-0001"), "a label names the route, never the learner: {text}");
        let unmatched = "certif_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}";
        api.get(None, "/no/such/page").await;
        let again = samples(&scrape(&api, Some("127.0.0.1"), &[]).await.text());
        assert_eq!(value(&again, unmatched), value(&after, unmatched) + 1.0);
    });
}

#[test]
fn metrics_are_for_the_loopback_or_the_token_bearer_only() {
    runtime().block_on(async {
        let api = Api::demo().await;
        assert_eq!(scrape(&api, Some("127.0.0.1"), &[]).await.status, StatusCode::OK);
        for (peer, headers, why) in [
            (Some("192.0.2.10"), vec![], "another machine"),
            (Some("127.0.0.1"), vec![("x-forwarded-for", "192.0.2.10")], "forwarded by a proxy on this machine"),
            (None, vec![], "no known peer"),
        ] {
            let reply = scrape(&api, peer, &headers).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{why}");
            assert_eq!(reply.body["error"]["code"], "forbidden", "{why}");
        }

        let config = ServerConfig { metrics_token: Some(Token("metrics-s3cret-token".into())), ..ServerConfig::default() };
        let guarded = Api::demo_on(Workspace::new(), config).await;
        let bearer = "Bearer metrics-s3cret-token";
        assert_eq!(scrape(&guarded, Some("192.0.2.10"), &[("authorization", bearer)]).await.status, StatusCode::OK);
        assert_eq!(scrape(&guarded, Some("127.0.0.1"), &[]).await.status, StatusCode::FORBIDDEN, "the token is asked of the loopback too");
        let wrong = scrape(&guarded, Some("127.0.0.1"), &[("authorization", "Bearer metrics-s3cret-tokeN")]).await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    });
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Waits until `certif serve` accepts connections on `port`.
fn wait_for(port: u16, server: &mut std::process::Child) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(server.try_wait().unwrap().is_none(), "certif serve stopped before listening");
        assert!(started.elapsed() < Duration::from_secs(30), "certif serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn sigterm_lets_the_request_under_way_finish_then_exits_0() {
    let w = Workspace::new();
    let added = common::certif_with_stdin(
        &["--database", &w.url(), "user", "add", "ops-admin", "--role", "admin", "--password-stdin"],
        "correct horse battery staple\n",
    );
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let port = free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_certif"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--log-format", "json"])
        .env("CERTIF_DATABASE_URL", w.url())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(port, &mut server);

    // A sign-in whose body is still on its way when the server is asked to stop.
    let body = r#"{"username": "ops-admin", "password": "correct horse battery staple"}"#;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let head = format!(
        "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body.as_bytes()[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(unsafe { libc::kill(server.id() as i32, libc::SIGTERM) }, 0);
    std::thread::sleep(Duration::from_millis(500));
    assert!(server.try_wait().unwrap().is_none(), "the server waits for the request under way");
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "no new connection once asked to stop");
    stream.write_all(&body.as_bytes()[10..]).unwrap();
    let mut answer = String::new();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "the request under way is answered: {answer}");
    assert!(answer.contains("\"token\""), "{answer}");

    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "the server did not exit");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut logs = String::new();
    server.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    assert_eq!(status.code(), Some(0), "{logs}");
    // The logs are JSON lines: the start, the request (its route template and status), the stop.
    let events: Vec<serde_json::Value> =
        logs.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}"))).collect();
    assert!(events.iter().any(|e| e["message"].as_str().is_some_and(|m| m.starts_with("certif serving on"))), "{logs}");
    let request = events.iter().find(|e| e["span"]["route"] == "/api/auth/login").unwrap_or_else(|| panic!("{logs}"));
    assert_eq!(request["status"], 200, "{logs}");
    assert_eq!(request["span"]["method"], "POST", "{logs}");
    assert!(request["latency_ms"].is_number(), "{logs}");
    assert!(events.iter().any(|e| e["signal"] == "SIGTERM"), "{logs}");
    assert!(
        !logs.contains("correct horse") && !logs.contains(answer.split("\"token\":\"").nth(1).unwrap_or("-").get(..16).unwrap_or("-")),
        "{logs}"
    );
}

#[test]
fn a_wrong_base_url_stops_serve_before_it_listens() {
    let w = Workspace::new();
    let output = w.certif(&["serve", "--bind", "127.0.0.1:0", "--base-url", "ftp://certif.exemple.fr"]);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--base-url"));
}
