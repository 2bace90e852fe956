//! Requests cut off mid-write on a live server: a teacher's `PUT` of a mark whose client resets
//! the socket 0–4 ms after sending it. Each write then happens whole (the mark and its audit
//! row) or not at all, no pooled connection is left inside a transaction, and the server keeps
//! answering: later writes, sign-in and the CLI's account commands work at once. On SQLite
//! always, on PostgreSQL when `CERTIF_TEST_POSTGRES_URL` names a server.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use certif::server::{AppState, router};
use certif_app::Database;
use certif_store::accounts::{Account, AccountStore, Role};
use certif_store::{AuditVerdict, Record, Store};
use common::workspace::Workspace;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const PASSWORD: &str = "correct horse battery";
const LEARNERS: [&str; 5] = ["A-0001", "A-0002", "A-0003", "A-0004", "A-0005"];
const MODULES: [&str; 2] = ["M1.1.1", "M1.1.2"];
/// How long a request may take once the interrupted ones are over (a stuck transaction makes
/// SQLite wait 30 s for its lock, and PostgreSQL forever).
const PROMPT: Duration = Duration::from_secs(10);

/// One HTTP/1.1 exchange on a fresh connection: the status and the body.
async fn exchange(addr: SocketAddr, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, Value) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request(method, path, token, body).as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_string())))
}

fn request(method: &str, path: &str, token: Option<&str>, body: &str) -> String {
    let authorization = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{authorization}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// An exchange that must be over within `PROMPT`.
async fn prompt(addr: SocketAddr, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, Value) {
    let started = Instant::now();
    match tokio::time::timeout(PROMPT, exchange(addr, method, path, token, body)).await {
        Ok(answer) => answer,
        Err(_) => panic!("{method} {path} did not answer within {PROMPT:?} (started {:?} ago)", started.elapsed()),
    }
}

/// Sends a mark and resets the connection (SO_LINGER 0) after a random 0–4 ms.
async fn interrupted_put(addr: SocketAddr, token: &str, learner: &str, module: &str, value: &str) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let body = json!({"session1": value, "session2": null}).to_string();
    stream.write_all(request("PUT", &format!("/api/learners/{learner}/marks/{module}"), Some(token), &body).as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_micros(fastrand::u64(0..4_000))).await;
    // A zero linger makes the close a reset and never blocks.
    #[allow(deprecated)]
    stream.set_linger(Some(Duration::ZERO)).unwrap();
    drop(stream);
}

/// `certif ARGS` on the database `url`, `stdin` on its standard input.
fn certif_with_stdin(url: &str, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_certif"))
        .args(args)
        .env("CERTIF_DATABASE_URL", url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// Every mark the test wrote is stored exactly as its latest audit entry says.
async fn marks_match_their_audit_rows(db: &Database) {
    for learner in LEARNERS {
        let records = db.records_of(learner).await.unwrap();
        let log = db.audit_log(Some(learner)).await.unwrap();
        for module in MODULES {
            let stored = records.iter().find(|r| matches!(r, Record::Mark { module: m, .. } if m == module));
            let key = format!("{learner}/{module}");
            let audited = log.iter().rev().find(|e| e.entity == "marks" && e.entity_key == key);
            assert_eq!(
                stored.map(|r| r.values_json()),
                audited.and_then(|e| e.after.clone()),
                "{key}: the stored mark is the one its latest audit row records"
            );
        }
    }
}

async fn interrupted_writes_leave_nothing_half_done(workspace: &Workspace) {
    workspace.ok(&["demo"]);
    let db = Database::open(&workspace.url()).await.unwrap();
    let teacher = Account {
        username: "teacher".into(),
        role: Role::Teacher,
        learner: None,
        modules: MODULES.iter().map(|m| m.to_string()).collect(),
        apprentices: vec![],
        password_hash: certif::server::auth::hash_password(PASSWORD).unwrap(),
        disabled: false,
    };
    db.add_account(teacher, "test").await.unwrap();
    let state = AppState::new(db.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, router(state)).await });

    let login = json!({"username": "teacher", "password": PASSWORD}).to_string();
    let (status, body) = prompt(addr, "POST", "/api/auth/login", None, &login).await;
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().unwrap().to_string();

    for round in 0..50 {
        let (learner, module) = (LEARNERS[round % LEARNERS.len()], MODULES[round % MODULES.len()]);
        interrupted_put(addr, &token, learner, module, &format!("{}.5", 5 + round % 10)).await;
    }

    // What follows answers at once, and is right.
    for (round, learner) in LEARNERS.iter().enumerate() {
        let body = json!({"session1": format!("1{round}"), "session2": null}).to_string();
        let (status, answer) = prompt(addr, "PUT", &format!("/api/learners/{learner}/marks/M1.1.1"), Some(&token), &body).await;
        assert_eq!(status, 200, "a write after the interrupted ones: {answer}");
    }
    let (status, body) = prompt(addr, "POST", "/api/auth/login", None, &login).await;
    assert_eq!(status, 200, "sign-in after the interrupted writes: {body}");
    let (status, body) = prompt(addr, "GET", "/healthz", None, "").await;
    assert_eq!(status, 200, "{body}");
    let started = Instant::now();
    let url = workspace.url();
    let added = tokio::task::spawn_blocking(move || {
        certif_with_stdin(&url, &["user", "add", "late-teacher", "--role", "teacher", "--password-stdin"], PASSWORD)
    })
    .await
    .unwrap();
    assert!(added.status.success(), "certif user add: {}", String::from_utf8_lossy(&added.stderr));
    assert!(started.elapsed() < PROMPT, "certif user add took {:?}", started.elapsed());

    marks_match_their_audit_rows(&db).await;
    assert!(matches!(certif_store::verify_audit(&db).await.unwrap(), AuditVerdict::Intact { .. }));
    server.abort();
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

#[test]
fn requests_reset_mid_write_leave_nothing_half_done_on_sqlite() {
    let workspace = Workspace::new();
    runtime().block_on(interrupted_writes_leave_nothing_half_done(&workspace));
}

#[test]
fn requests_reset_mid_write_leave_nothing_half_done_on_postgresql() {
    let Some(workspace) = Workspace::on_postgres("interrupted") else { return };
    runtime().block_on(interrupted_writes_leave_nothing_half_done(&workspace));
}
