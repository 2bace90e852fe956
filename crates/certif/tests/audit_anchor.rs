//! `certif audit keygen | anchor | verify --anchor` end to end on SQLite: an anchor taken
//! before the database is rewritten catches a shortened log (tail deleted, head moved back)
//! and a recomputed one (an entry edited, every hash after it recomputed), which the chain
//! alone cannot; the keys come from the environment only.

mod common;

use std::process::{Command, Output};

use certif_app::Database;
use certif_store::Store;
use certif_store::audit::ChainLink;
use common::workspace::Workspace;

fn run(w: &Workspace, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_certif"));
    command.args(args).env("CERTIF_DATABASE_URL", w.url()).env_remove("CERTIF_AUDIT_KEY").env_remove("CERTIF_AUDIT_PUBLIC_KEY");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// Raw SQL on the database file, as someone tampering with it would.
fn tamper(w: &Workspace, statements: &[String]) {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        use sqlx::Connection;
        let mut connection = sqlx::SqliteConnection::connect(&w.url()).await.unwrap();
        for statement in statements {
            sqlx::query(statement).execute(&mut connection).await.unwrap();
        }
    });
}

fn entries(w: &Workspace) -> Vec<certif_store::AuditEntry> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async { Database::open(&w.url()).await.unwrap().audit_log(None).await.unwrap() })
}

fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// An account added through the CLI (its row and its audit entry), as a registrar would.
fn add_account(w: &Workspace, username: &str) {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_certif"))
        .args(["user", "add", username, "--role", "registrar", "--password-stdin"])
        .env("CERTIF_DATABASE_URL", w.url())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"correct horse battery staple\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", text(&output));
}

/// A demo database ending with two accounts of the test's own, a key pair, and an anchor of
/// its log in `anchor.json`.
fn anchored() -> (Workspace, String, String, String) {
    let w = Workspace::new();
    w.ok(&["demo"]);
    add_account(&w, "registrar-a");
    add_account(&w, "registrar-b");
    let keys = run(&w, &["audit", "keygen"], &[]);
    assert!(keys.status.success(), "{}", text(&keys));
    let keys = String::from_utf8(keys.stdout).unwrap();
    let value = |name: &str| keys.lines().find_map(|l| l.strip_prefix(&format!("{name}="))).unwrap().to_string();
    let (secret, public) = (value("CERTIF_AUDIT_KEY"), value("CERTIF_AUDIT_PUBLIC_KEY"));
    let anchor = w.path("anchor.json");
    let written = run(&w, &["audit", "anchor", "--out", &anchor], &[("CERTIF_AUDIT_KEY", &secret)]);
    assert!(written.status.success(), "{}", text(&written));
    (w, secret, public, anchor)
}

#[test]
fn an_anchor_needs_its_key_from_the_environment_and_holds_on_an_untouched_log() {
    let (w, secret, public, anchor) = anchored();
    let refused = run(&w, &["audit", "anchor"], &[]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(text(&refused).contains("CERTIF_AUDIT_KEY n'est pas définie"), "{}", text(&refused));
    let unchecked = run(&w, &["audit", "verify", "--anchor", &anchor], &[]);
    assert_eq!(unchecked.status.code(), Some(2), "no key, no check: {}", text(&unchecked));

    let checked = run(&w, &["audit", "verify", "--anchor", &anchor], &[("CERTIF_AUDIT_PUBLIC_KEY", &public)]);
    assert!(checked.status.success(), "{}", text(&checked));
    assert!(text(&checked).contains("intact") && text(&checked).contains("respectée"), "{}", text(&checked));
    let by_secret = run(&w, &["audit", "verify", "--anchor", &anchor], &[("CERTIF_AUDIT_KEY", &secret)]);
    assert!(by_secret.status.success(), "{}", text(&by_secret));

    // An anchor edited by hand (to vouch for fewer entries) no longer verifies.
    let edited = std::fs::read_to_string(&anchor).unwrap().replacen("\"count\": ", "\"count\": 1", 1);
    let forged = w.write("forged.json", edited.as_bytes());
    let refused = run(&w, &["audit", "verify", "--anchor", &forged], &[("CERTIF_AUDIT_PUBLIC_KEY", &public)]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(text(&refused).contains("signature"), "{}", text(&refused));
    // So does one checked with another key.
    let other = run(&w, &["audit", "keygen"], &[]);
    let other = String::from_utf8(other.stdout).unwrap();
    let other_public = other.lines().find_map(|l| l.strip_prefix("CERTIF_AUDIT_PUBLIC_KEY=")).unwrap();
    let refused = run(&w, &["audit", "verify", "--anchor", &anchor], &[("CERTIF_AUDIT_PUBLIC_KEY", other_public)]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
}

#[test]
fn deleting_the_tail_and_moving_the_head_back_is_caught_by_the_anchor() {
    let (w, _, public, anchor) = anchored();
    let log = entries(&w);
    let keep = log.len() - 2;
    // The last entries are the two accounts `anchored` added: remove them with their rows, and the head.
    let removed: Vec<String> =
        log[keep..].iter().map(|e| format!("DELETE FROM accounts WHERE username = {}", literal(&e.entity_key))).collect();
    let mut statements = removed;
    statements.push(format!("DELETE FROM audit_log WHERE seq > {keep}"));
    statements.push(format!("UPDATE audit_head SET count = {keep}, hash = {} WHERE id = 1", literal(&log[keep - 1].hash)));
    let tail: Vec<(&str, &str)> = log[keep..].iter().map(|e| (e.entity.as_str(), e.entity_key.as_str())).collect();
    assert_eq!(tail, [("accounts", "registrar-a"), ("accounts", "registrar-b")], "the log ends with the two accounts added");
    tamper(&w, &statements);
    assert!(w.ok(&["audit", "verify"]).contains("intact"), "the chain alone is fooled");
    let caught = run(&w, &["audit", "verify", "--anchor", &anchor], &[("CERTIF_AUDIT_PUBLIC_KEY", &public)]);
    assert_eq!(caught.status.code(), Some(1), "{}", text(&caught));
    assert!(text(&caught).contains("ANCRE NON RESPECTÉE") && text(&caught).contains("supprimées"), "{}", text(&caught));
}

#[test]
fn recomputing_the_chain_after_an_edit_is_caught_by_the_anchor() {
    let (w, _, public, anchor) = anchored();
    let log = entries(&w);
    let mut statements = Vec::new();
    let mut prev_hash = certif_store::audit::GENESIS.to_string();
    for entry in &log {
        let actor = if entry.seq == 1 { "someone else" } else { entry.actor.as_str() };
        let hash = ChainLink {
            seq: entry.seq,
            at: &entry.at,
            actor,
            entity: &entry.entity,
            entity_key: &entry.entity_key,
            learner_id: entry.learner_id.as_deref(),
            before: entry.before.as_deref(),
            after: entry.after.as_deref(),
            prev_hash: &prev_hash,
        }
        .hash();
        statements.push(format!(
            "UPDATE audit_log SET actor = {}, prev_hash = {}, hash = {} WHERE seq = {}",
            literal(actor),
            literal(&prev_hash),
            literal(&hash),
            entry.seq
        ));
        prev_hash = hash;
    }
    statements.push(format!("UPDATE audit_head SET hash = {} WHERE id = 1", literal(&prev_hash)));
    tamper(&w, &statements);
    assert!(w.ok(&["audit", "verify"]).contains("intact"), "the chain alone is fooled");
    let caught = run(&w, &["audit", "verify", "--anchor", &anchor], &[("CERTIF_AUDIT_PUBLIC_KEY", &public)]);
    assert_eq!(caught.status.code(), Some(1), "{}", text(&caught));
    assert!(text(&caught).contains("réécrit"), "{}", text(&caught));
}
