//! The jury minutes as PDF (spec/jury.md §6) through the CLI, read back with poppler: every
//! candidate's name and outcome code, the signature's SHA-256, every font embedded; on SQLite
//! and PostgreSQL. A machine without poppler-utils fails these tests (`.ci/run` installs it).

mod common;

use std::process::Command;

use common::workspace::Workspace;
use serde_json::Value;

/// A poppler tool's standard output; its absence is a failure, never a skip.
fn poppler(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) is needed to read the minutes' PDF: {e}; apt-get install poppler-utils"));
    assert!(output.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// RNCP39668's jury (spec/jury.md §1) with four teachers, one of the others represented.
fn seat_jury(w: &Workspace, session: &str) {
    for (name, role) in [
        ("Anne Président", "president"),
        ("Bruno Études", "director_of_studies"),
        ("Claire Alternance", "alternance_manager"),
        ("Denis Cnam", "partner_training_manager"),
        ("Eva Cfa", "cfa_director"),
    ] {
        w.ok(&["jury", "member", "add", session, "--name", name, "--role", role]);
    }
    for n in 1..=4 {
        w.ok(&["jury", "member", "add", session, "--name", &format!("Enseignant {n}"), "--role", "teacher"]);
    }
}

/// A session driven from creation to signature: two titles (one by the casting vote), one refusal.
fn signed_session(w: &Workspace) -> (Vec<(String, String)>, String) {
    let demo = w.certif(&["demo", "--learners", "20", "--format", "json"]);
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let decisions: Vec<Value> = serde_json::from_slice(&demo.stdout).unwrap();
    let on = decisions[0]["evaluated_on"].as_str().unwrap().to_string();
    let title_jury = |d: &&Value| {
        let id = d["learner"].as_str().unwrap();
        let dossier: Value = serde_json::from_str(&w.ok(&["export", "dossier", id, "--on", &on])).unwrap();
        dossier["access_route"] != "vae"
    };
    let with = |status: &str| -> Vec<String> {
        decisions
            .iter()
            .filter(|d| d["title"]["status"] == status)
            .filter(title_jury)
            .map(|d| d["learner"].as_str().unwrap().to_string())
            .collect()
    };
    let (awarded, not_awarded) = (with("awarded"), with("not_awarded"));
    let (tie, plain, refused) = (&awarded[0], &awarded[1], &not_awarded[0]);

    w.ok(&["jury", "create", "PV1", "--kind", "title", "--date", &on, "--name", "Jury de titre", "--place", "Paris, salle 12"]);
    seat_jury(w, "PV1");
    w.ok(&["jury", "candidates", "add", "PV1", tie, plain, refused]);
    w.ok(&["jury", "open", "PV1"]);
    w.ok(&["jury", "points", "PV1", plain, "M1.1.1", "0,25", "--justification", "engagement remarquable"]);
    let votes = ["--for", "4", "--against", "4", "--abstain", "1", "--casting-vote", "for"];
    w.ok(&[&["jury", "deliberate", "PV1", tie, "--outcome", "award"][..], &votes[..]].concat());
    w.ok(&["jury", "deliberate", "PV1", plain, "--outcome", "award", "--for", "9", "--against", "0"]);
    w.ok(&[
        "jury",
        "deliberate",
        "PV1",
        refused,
        "--outcome",
        "refuse",
        "--justification",
        "conditions non remplies",
        "--for",
        "7",
        "--against",
        "2",
    ]);
    w.ok(&["jury", "close", "PV1"]);
    let signed = w.certif(&["jury", "sign", "PV1", "--as", "Anne Président"]);
    assert!(signed.status.success(), "{}", String::from_utf8_lossy(&signed.stderr));
    let minutes: Value = serde_json::from_str(&w.ok(&["jury", "minutes", "PV1", "--format", "json"])).unwrap();
    let sha256 = minutes["signature"]["sha256"].as_str().unwrap().to_string();
    assert!(String::from_utf8_lossy(&signed.stderr).contains(&sha256), "jury sign printed the SHA-256 the minutes carry");
    let candidates = minutes["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_string(), c["code"].as_str().unwrap().to_string()))
        .collect();
    (candidates, sha256)
}

fn the_minutes_pdf_shows_every_candidate_and_the_signature(w: &Workspace) {
    let (candidates, sha256) = signed_session(w);
    assert_eq!(candidates.len(), 3);
    let file = w.path("pv.pdf");
    let written = w.certif(&["jury", "minutes", "PV1", "--format", "pdf", "--output", &file]);
    assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
    assert!(String::from_utf8_lossy(&written.stderr).contains("pv.pdf"), "the command says where it wrote");
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "a PDF");

    let text = poppler("pdftotext", &["-layout", &file, "-"]);
    for (name, code) in &candidates {
        let line = text.lines().find(|line| line.contains(name.as_str())).unwrap_or_else(|| panic!("{name} is on the minutes:\n{text}"));
        assert!(line.contains(code.as_str()), "{name}'s outcome {code} on their line: {line}");
    }
    for expected in [sha256.as_str(), "Anne Président", "voix prépondérante du président", "0,25", "Paris, salle 12", "ADM", "REF"] {
        assert!(text.contains(expected), "the minutes show {expected}:\n{text}");
    }
    assert!(!text.contains("non signé"), "signed minutes");

    let fonts = poppler("pdffonts", &[&file]);
    // Columns end with `emb sub uni object ID`; a long font name pushes them right, so read
    // them from the end of each row.
    let rows: Vec<Vec<&str>> =
        fonts.lines().skip(2).map(|line| line.split_whitespace().collect()).filter(|r: &Vec<&str>| !r.is_empty()).collect();
    assert!(!rows.is_empty(), "the PDF uses fonts:\n{fonts}");
    for row in rows {
        assert_eq!(row.get(row.len().saturating_sub(5)), Some(&"yes"), "every font embedded:\n{fonts}");
    }

    // Without --output the PDF goes to standard output, byte for byte the same document.
    let stdout = w.certif(&["jury", "minutes", "PV1", "--format", "pdf"]);
    assert!(stdout.status.success(), "{}", String::from_utf8_lossy(&stdout.stderr));
    assert_eq!(stdout.stdout, bytes, "the same minutes give the same PDF");
}

#[test]
fn the_minutes_pdf_on_sqlite() {
    the_minutes_pdf_shows_every_candidate_and_the_signature(&Workspace::new());
}

#[test]
fn the_minutes_pdf_on_postgres() {
    if let Some(w) = Workspace::on_postgres("minutes_pdf") {
        the_minutes_pdf_shows_every_candidate_and_the_signature(&w);
    }
}
