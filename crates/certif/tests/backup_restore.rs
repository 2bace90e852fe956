//! Backups restore to the same database, as README's "Running in production" says to take
//! them: PostgreSQL with `pg_dump -Fc` then `pg_restore --no-owner` into a new, empty
//! database; SQLite with `certif backup FILE`, the file then used as the database. The restored
//! copy decides every learner alike, its audit chain holds with the same length, and an anchor
//! signed before the backup still vouches for it.

mod common;

use std::process::{Command, Output};

use common::workspace::Workspace;

const ON: &str = "2026-09-18";

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// An anchor of `w`'s audit log, written to `file`, signed by a fresh key; answers the key.
fn anchor(w: &Workspace, file: &str) -> String {
    let keys = w.ok(&["audit", "keygen"]);
    let secret = keys.lines().find_map(|line| line.strip_prefix("CERTIF_AUDIT_KEY=")).expect("keygen prints the key").to_string();
    let written = w.certif_with(&["audit", "anchor", "--out", file], &[("CERTIF_AUDIT_KEY", &secret)]);
    assert!(written.status.success(), "{}", text(&written));
    secret
}

/// What the restored database must give as the original did: every decision, and the audit
/// verdict against the anchor taken before the backup.
fn answers(w: &Workspace, anchor: &str, key: &str) -> (String, String) {
    let status = w.ok(&["status", "--on", ON, "--format", "json"]);
    let verified = w.certif_with(&["audit", "verify", "--anchor", anchor], &[("CERTIF_AUDIT_KEY", key)]);
    assert!(verified.status.success(), "{}", text(&verified));
    (status, String::from_utf8(verified.stdout).unwrap())
}

fn filled(w: &Workspace) {
    // Without the earlier promotions: the demo's cohort, jury session and settings are enough
    // to fill every record table, the jury's and the audit log, and keep the test quick.
    let demo = w.certif(&["demo", "--no-promotions", "--format", "json"]);
    assert!(demo.status.success(), "{}", text(&demo));
}

#[test]
fn a_postgresql_dump_restores_to_the_same_decisions_and_audit_chain() {
    let Some(original) = Workspace::on_postgres("backup_original") else { return };
    let Some(restored) = Workspace::on_postgres("backup_restored") else { return };
    filled(&original);
    let key = anchor(&original, &original.path("anchor.json"));
    let before = answers(&original, &original.path("anchor.json"), &key);
    assert!(before.1.starts_with("journal d'audit intact"), "{}", before.1);
    assert!(serde_json::from_str::<Vec<serde_json::Value>>(&before.0).unwrap().len() >= 68, "the demo's cohort is decided");

    let dump = original.path("certif.dump");
    let Some(dumped) = run_tool(Command::new("pg_dump").args(["-Fc", "--file", &dump, &original.url()])) else { return };
    assert!(dumped.status.success(), "pg_dump: {}", text(&dumped));
    let Some(loaded) = run_tool(Command::new("pg_restore").args(["--no-owner", "--exit-on-error", "--dbname", &restored.url(), &dump]))
    else {
        return;
    };
    assert!(loaded.status.success(), "pg_restore: {}", text(&loaded));

    assert_eq!(answers(&restored, &original.path("anchor.json"), &key), before);
    // The restored database takes writes, and its chain goes on from the restored head.
    restored.ok(&["import", "english", &restored.write("e.csv", b"learner_id;test;date;score\nA-0001;CLES;01/02/2025;B2\n")]);
    assert!(restored.ok(&["audit", "verify"]).starts_with("journal d'audit intact"));
}

#[test]
fn a_sqlite_backup_file_is_the_same_database() {
    let original = Workspace::new();
    filled(&original);
    let key = anchor(&original, &original.path("anchor.json"));
    let before = answers(&original, &original.path("anchor.json"), &key);
    assert!(before.1.starts_with("journal d'audit intact"), "{}", before.1);

    let copy = Workspace::new();
    original.ok(&["backup", &copy.path("certif.db")]);
    assert_eq!(answers(&copy, &original.path("anchor.json"), &key), before);
    copy.ok(&["import", "english", &copy.write("e.csv", b"learner_id;test;date;score\nA-0001;CLES;01/02/2025;B2\n")]);
    assert!(copy.ok(&["audit", "verify"]).starts_with("journal d'audit intact"));
}

/// Runs a PostgreSQL client tool; its absence is a failure unless skipping is allowed.
fn run_tool(command: &mut Command) -> Option<Output> {
    match command.output() {
        Ok(output) => Some(output),
        Err(error) => {
            common::absent(&format!("{command:?} cannot run ({error}); PostgreSQL's backup cannot be tested"));
            None
        }
    }
}
