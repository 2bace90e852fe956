//! Two `certif serve` processes on one PostgreSQL database, as behind a load balancer without
//! sticky sessions: a session opened on one works on the other; a sign-out, a removed account
//! and a lock-out on one hold on the other at once (no server trusts a cache of its own); two
//! writes of the same mark from the same version through both: one wins, the other is refused
//! as stale, nothing is lost; the audit chain stays intact.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::workspace::Workspace;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery staple";

/// A `certif serve` on its own port, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(w: &Workspace) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(env!("CARGO_BIN_EXE_certif"))
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("CERTIF_DATABASE_URL", w.url())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut server = Server { child, port };
        let started = Instant::now();
        while server.call("GET", "/readyz", None, None).0 != 200 {
            assert!(server.child.try_wait().unwrap().is_none(), "certif serve stopped");
            assert!(started.elapsed() < Duration::from_secs(60), "certif serve was not ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    /// One HTTP/1.1 exchange: status, headers (lower-cased names), body as JSON (or a string).
    fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<(Value, Option<&str>)>) -> (u16, String, Value) {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else { return (0, String::new(), Value::Null) };
        let authorization = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
        let (text, if_match) = body.map_or((String::new(), None), |(b, m)| (b.to_string(), m));
        let if_match = if_match.map(|m| format!("If-Match: {m}\r\n")).unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{authorization}{if_match}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{text}",
            text.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, head.to_lowercase(), serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_string())))
    }

    fn sign_in(&self, username: &str, password: &str) -> (u16, Value) {
        let (status, _, body) =
            self.call("POST", "/api/auth/login", None, Some((json!({"username": username, "password": password}), None)));
        (status, body)
    }

    fn token(&self, username: &str) -> String {
        let (status, body) = self.sign_in(username, PASSWORD);
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().unwrap().to_string()
    }

    fn learners(&self, token: &str) -> u16 {
        self.call("GET", "/api/learners", Some(token), None).0
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn add_account(w: &Workspace, username: &str) {
    let output = common::certif_with_stdin(
        &["--database", &w.url(), "user", "add", username, "--role", "registrar", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn two_servers_share_sessions_lock_outs_and_versions_through_postgresql() {
    let Some(w) = Workspace::on_postgres("two_servers") else { return };
    w.ok(&["demo", "--no-promotions"]);
    for username in ["alice", "bruno", "chloe"] {
        add_account(&w, username);
    }
    let (a, b) = (Server::start(&w), Server::start(&w));

    // A session opened on A works on B; signed out on A, it is refused on B at once.
    let alice = a.token("alice");
    assert_eq!(b.learners(&alice), 200);
    assert_eq!(a.call("POST", "/api/auth/logout", Some(&alice), None).0, 204);
    assert_eq!(b.learners(&alice), 401, "signed out on A: refused on B at once");
    assert_eq!(a.learners(&alice), 401);

    // An account removed by the CLI is refused on both at once, whichever signed it in.
    let (bruno_a, bruno_b) = (a.token("bruno"), b.token("bruno"));
    assert_eq!((a.learners(&bruno_a), b.learners(&bruno_b), b.learners(&bruno_a)), (200, 200, 200));
    w.ok(&["user", "remove", "bruno"]);
    assert_eq!((a.learners(&bruno_a), b.learners(&bruno_b), a.learners(&bruno_b), b.learners(&bruno_a)), (401, 401, 401, 401));

    // Five failed sign-ins on A lock the account for this address on B too, right password or not.
    for _ in 0..5 {
        assert_eq!(a.sign_in("chloe", "not the password at all").0, 401);
    }
    assert_eq!(b.sign_in("chloe", PASSWORD).0, 401, "locked out on B by A's failures");

    // Two writes of one mark from the same version, through A and B at once: one wins.
    let token = a.token("alice");
    let path = "/api/learners/A-0001/marks/M1.1.1";
    let (status, head, _) = a.call("PUT", path, Some(&token), Some((json!({"session1": 11, "session2": null}), None)));
    assert_eq!(status, 200);
    let etag = head.lines().find_map(|l| l.strip_prefix("etag: ")).expect("an ETag").trim().to_string();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let outcomes: Vec<(u16, Value)> = std::thread::scope(|scope| {
        let writers: Vec<_> = [(&a, 14), (&b, 16)]
            .into_iter()
            .map(|(server, mark)| {
                let (barrier, token, etag) = (barrier.clone(), token.clone(), etag.clone());
                scope.spawn(move || {
                    barrier.wait();
                    let (status, _, body) =
                        server.call("PUT", path, Some(&token), Some((json!({"session1": mark, "session2": null}), Some(&etag))));
                    (status, body)
                })
            })
            .collect();
        writers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let mut statuses: Vec<u16> = outcomes.iter().map(|(s, _)| *s).collect();
    statuses.sort();
    assert_eq!(statuses, [200, 412], "exactly one wins, the other is stale: {outcomes:?}");
    let winner = outcomes.iter().find(|(s, _)| *s == 200).unwrap().1["session1"].clone();
    let loser = outcomes.iter().find(|(s, _)| *s == 412).unwrap();
    assert_eq!(loser.1["error"]["code"], "stale", "{loser:?}");
    let dossier = b.call("GET", "/api/learners/A-0001/dossier", Some(&token), None).2;
    let stored = dossier["marks"].as_array().unwrap().iter().find(|m| m["module"] == "M1.1.1").unwrap()["session1"].clone();
    assert_eq!(stored.to_string().trim_matches('"'), winner.as_str().unwrap(), "the stored mark is the winner's: {dossier}");

    drop((a, b));
    let verified = w.certif(&["audit", "verify"]);
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
    assert!(String::from_utf8_lossy(&verified.stdout).contains("intact"), "{}", String::from_utf8_lossy(&verified.stdout));
}
