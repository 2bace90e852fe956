//! The jury end to end through the CLI (spec/jury.md): composition refusals, deliberation with
//! the casting vote, a condition that cannot be voted away, points de jury, closing, signing,
//! publishing, appeals and holders; on SQLite and PostgreSQL.

mod common;

use std::process::Output;

use common::jury::{demo, seat_jury, with_title};
use common::workspace::Workspace;
use serde_json::Value;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A refusal: exit 2 and the reason code printed.
fn refused(w: &Workspace, args: &[&str], code: &str) {
    let output = w.certif(args);
    assert_eq!(output.status.code(), Some(2), "{args:?} must be refused: {}", stderr(&output));
    assert!(stderr(&output).contains(code), "{args:?} must say {code}: {}", stderr(&output));
}

/// A composition to refuse: session, teachers, extra seats (name, role), the codes expected.
type Case<'a> = (&'a str, usize, &'a [(&'a str, &'a str)], &'a [&'a str]);

#[test]
fn each_composition_refusal_is_reported_and_a_valid_jury_opens() {
    let w = Workspace::new();
    let (on, _) = demo(&w);
    let cases: [Case; 5] = [
        ("three-teachers", 3, &[], &["JURY_TOO_FEW_TEACHERS"]),
        ("seven-teachers", 7, &[], &["JURY_TOO_MANY_TEACHERS"]),
        ("two-presidents", 4, &[("Zoé Seconde", "president")], &["JURY_ROLE_TOO_MANY"]),
        ("absent-cfa", 4, &[], &["JURY_ROLE_MISSING"]),
        ("no-president", 4, &[], &["JURY_ROLE_MISSING"]),
    ];
    for (session, teachers, extra, codes) in cases {
        w.ok(&["jury", "create", session, "--kind", "title", "--date", &on]);
        seat_jury(&w, session, teachers);
        for (name, role) in extra {
            w.ok(&["jury", "member", "add", session, "--name", name, "--role", role]);
        }
        if session == "absent-cfa" {
            w.ok(&["jury", "member", "remove", session, "--name", "Eva Cfa"]);
            w.ok(&["jury", "member", "add", session, "--name", "Eva Cfa", "--role", "cfa_director", "--absent"]);
        }
        if session == "no-president" {
            w.ok(&["jury", "member", "remove", session, "--name", "Anne Président"]);
        }
        for code in codes {
            refused(&w, &["jury", "open", session], code);
        }
        let shown: Value = serde_json::from_str(&w.ok(&["jury", "show", session, "--format", "json"])).unwrap();
        assert_eq!(shown["status"], "draft", "{session}: nothing changed");
    }
    // The same person in two seats: refused when seated.
    w.ok(&["jury", "create", "twice", "--kind", "title", "--date", &on]);
    seat_jury(&w, "twice", 4);
    refused(&w, &["jury", "member", "add", "twice", "--name", "Anne Président", "--role", "teacher"], "JURY_MEMBER_TWICE");
    refused(&w, &["jury", "member", "add", "twice", "--name", " anne président ", "--role", "teacher"], "JURY_MEMBER_TWICE");

    // A representative names whom they represent, and the person represented does not sit too.
    let blank = w.certif(&["jury", "member", "add", "twice", "--name", "Zoé Adjointe", "--role", "teacher", "--representing", " "]);
    assert_eq!(blank.status.code(), Some(2), "a representative without `representing`: {}", stderr(&blank));
    assert!(stderr(&blank).contains("--representing"), "{}", stderr(&blank));
    w.ok(&["jury", "create", "represented", "--kind", "title", "--date", &on]);
    seat_jury(&w, "represented", 4);
    w.ok(&["jury", "member", "add", "represented", "--name", "Zoé Adjointe", "--role", "teacher", "--representing", "Anne Président"]);
    refused(&w, &["jury", "open", "represented"], "JURY_MEMBER_TWICE");
    for session in ["twice", "represented"] {
        let shown: Value = serde_json::from_str(&w.ok(&["jury", "show", session, "--format", "json"])).unwrap();
        assert_eq!(shown["status"], "draft", "{session}: nothing changed");
        assert!(shown["members"].as_array().unwrap().iter().all(|m| m["representing"] != " "), "{session}: the blank seat was not written");
    }

    w.ok(&["jury", "create", "valid", "--kind", "title", "--date", &on]);
    seat_jury(&w, "valid", 6);
    w.ok(&["jury", "open", "valid"]);
    let shown: Value = serde_json::from_str(&w.ok(&["jury", "show", "valid", "--format", "json"])).unwrap();
    assert_eq!(shown["status"], "open");
    assert_eq!(shown["composition"], Value::Array(vec![]));
}

#[test]
fn the_demo_leaves_a_seated_session_ready_to_open() {
    let w = Workspace::new();
    let (_, decisions) = demo(&w);
    let shown: Value = serde_json::from_str(&w.ok(&["jury", "show", "jury-demo", "--format", "json"])).unwrap();
    assert_eq!(shown["status"], "draft");
    assert_eq!(shown["composition"], Value::Array(vec![]), "the demo's jury holds");
    let members = shown["members"].as_array().unwrap();
    assert_eq!(members.len(), 10);
    let president: Vec<&Value> = members.iter().filter(|m| m["role"] == "president").collect();
    assert_eq!(president.len(), 1);
    assert_eq!(president[0]["account"], "demo-jury", "the demo's jury account presides");
    let candidates = shown["candidates"].as_array().unwrap();
    assert!(!candidates.is_empty() && candidates.len() <= decisions.len(), "{} candidates", candidates.len());
    w.ok(&["jury", "open", "jury-demo"]);
    let opened: Value = serde_json::from_str(&w.ok(&["jury", "show", "jury-demo", "--format", "json"])).unwrap();
    assert_eq!(opened["status"], "open");
    assert!(opened["candidates"].as_array().unwrap().iter().all(|c| c["proposal"]["title"]["status"].is_string()), "every proposal taken");
}

#[test]
fn a_seat_names_an_existing_account_or_is_refused() {
    let w = Workspace::new();
    let (on, _) = demo(&w);
    w.ok(&["jury", "create", "linked", "--kind", "title", "--date", &on]);
    let unknown = w.certif(&["jury", "member", "add", "linked", "--name", "Anne Président", "--role", "president", "--account", "nobody"]);
    assert_eq!(unknown.status.code(), Some(2), "an unknown account is refused: {}", stderr(&unknown));
    assert!(stderr(&unknown).contains("--account nobody"), "{}", stderr(&unknown));
    w.ok(&["jury", "member", "add", "linked", "--name", "Anne Président", "--role", "president", "--account", "demo-jury"]);
    let shown: Value = serde_json::from_str(&w.ok(&["jury", "show", "linked", "--format", "json"])).unwrap();
    assert_eq!(shown["members"][0]["account"], "demo-jury");
    assert_eq!(shown["members"].as_array().unwrap().len(), 1, "the refused seat was not written");
}

fn a_whole_session(w: &Workspace) {
    let (on, decisions) = demo(w);
    let awarded = with_title(w, &decisions, "awarded", &on);
    let not_awarded = with_title(w, &decisions, "not_awarded", &on);
    assert!(awarded.len() >= 2 && !not_awarded.is_empty(), "the demo cohort has both: {awarded:?} {not_awarded:?}");
    let (tie, by_points, refused_one) = (&awarded[0], &awarded[1], &not_awarded[0]);

    // A UE at 9.80 (coefficients 2, 2, 1): the title is not proposed for this learner any more.
    let marks = w.write(
        "marks.csv",
        format!("learner_id;module;session1;session2\n{by_points};M1.1.1;9,80;\n{by_points};M1.1.2;9,80;\n{by_points};M1.1.3;9,80;\n")
            .as_bytes(),
    );
    w.ok(&["import", "marks", &marks]);

    w.ok(&["jury", "create", "J1", "--kind", "title", "--date", &on, "--name", "Jury de titre"]);
    seat_jury(w, "J1", 4);
    w.ok(&["jury", "candidates", "add", "J1", tie, by_points, refused_one]);
    refused(w, &["jury", "deliberate", "J1", tie, "--outcome", "award", "--for", "9", "--against", "0"], "jury open J1");
    w.ok(&["jury", "open", "J1"]);

    // A tie decided by the president's casting vote.
    refused(w, &["jury", "deliberate", "J1", tie, "--outcome", "award", "--for", "4", "--against", "4"], "JURY_CASTING_VOTE_REQUIRED");
    let adopted = w.ok(&[
        "jury",
        "deliberate",
        "J1",
        tie,
        "--outcome",
        "award",
        "--for",
        "4",
        "--against",
        "4",
        "--abstain",
        "1",
        "--casting-vote",
        "for",
    ]);
    assert!(adopted.contains("ADM") && adopted.contains("voix prépondérante"), "{adopted}");
    refused(w, &["jury", "deliberate", "J1", tie, "--outcome", "award", "--for", "9", "--against", "1"], "JURY_VOTES_EXCEED_PRESENT");

    // A condition is never voted away.
    refused(w, &["jury", "deliberate", "J1", refused_one, "--outcome", "award", "--for", "9", "--against", "0"], "JURY_AWARD_NOT_PROPOSED");
    refused(
        w,
        &["jury", "deliberate", "J1", refused_one, "--outcome", "refuse", "--for", "9", "--against", "0"],
        "JURY_JUSTIFICATION_REQUIRED",
    );

    // Points de jury: the UE at 9.80 becomes validated, the title awarded; the mark unchanged.
    refused(w, &["jury", "deliberate", "J1", by_points, "--outcome", "award", "--for", "9", "--against", "0"], "JURY_AWARD_NOT_PROPOSED");
    refused(w, &["jury", "points", "J1", by_points, "M1.1.1", "2,5", "--justification", "x"], "JURY_POINTS_OUT_OF_RANGE");
    w.ok(&["jury", "points", "J1", by_points, "M1.1.1", "0,50", "--justification", "engagement remarquable en entreprise"]);
    let shown: Value = serde_json::from_str(&w.ok(&["jury", "show", "J1", "--format", "json"])).unwrap();
    let candidate = shown["candidates"].as_array().unwrap().iter().find(|c| c["learner"] == by_points.as_str()).unwrap().clone();
    assert_eq!(candidate["proposal"]["title"]["status"], "awarded", "{candidate}");
    let export: Value = serde_json::from_str(&w.ok(&["export", "dossier", by_points, "--on", &on])).unwrap();
    let marks = export["marks"].as_array().unwrap();
    let m111 = marks.iter().find(|m| m["module"] == "M1.1.1").unwrap();
    assert_eq!((m111["session1"].as_f64(), &m111["session2"]), (Some(9.8), &Value::Null), "the teacher's mark is unchanged");
    w.ok(&["jury", "deliberate", "J1", by_points, "--outcome", "award", "--for", "9", "--against", "0"]);

    // Closing with an undecided candidate is refused.
    refused(w, &["jury", "close", "J1"], "JURY_CANDIDATE_UNDECIDED");
    w.ok(&[
        "jury",
        "deliberate",
        "J1",
        refused_one,
        "--outcome",
        "defer",
        "--expected",
        "rattrapage des modules non validés",
        "--by",
        "30/06/2027",
        "--for",
        "9",
        "--against",
        "0",
    ]);
    w.ok(&["jury", "close", "J1"]);

    // Closed: every write refused, the audit log untouched.
    let audit = w.audit_rows();
    for args in [
        vec!["jury", "deliberate", "J1", tie, "--outcome", "refuse", "--justification", "x", "--for", "9", "--against", "0"],
        vec!["jury", "points", "J1", tie, "M1.1.2", "0,10", "--justification", "x"],
        vec!["jury", "member", "add", "J1", "--name", "Yves Tard", "--role", "teacher"],
        vec!["jury", "candidates", "remove", "J1", tie],
    ] {
        refused(w, &args, "JURY_SESSION_CLOSED");
    }
    assert_eq!(w.audit_rows(), audit, "a refused write leaves the audit log as it was");

    // Signed minutes: the signature carries the SHA-256 fixed at closing.
    refused(w, &["jury", "sign", "J1", "--as", "Enseignant 1"], "préside");
    w.ok(&["jury", "sign", "J1", "--as", "Anne Président"]);
    let minutes: Value = serde_json::from_str(&w.ok(&["jury", "minutes", "J1"])).unwrap();
    let shown: Value = serde_json::from_str(&w.ok(&["jury", "show", "J1", "--format", "json"])).unwrap();
    assert_eq!(minutes["signature"]["sha256"], shown["minutes_sha256"]);
    assert_eq!(shown["members"][0]["account"], "demo-jury", "the session knows the president's account");
    assert!(
        minutes["members"].as_array().unwrap().iter().all(|m| m.get("account").is_none()),
        "no account on the minutes: {}",
        minutes["members"]
    );
    assert!(!minutes.to_string().contains("demo-jury"), "no username anywhere on the minutes");
    assert_eq!(minutes["totals"]["award"], 2);
    assert_eq!(minutes["totals"]["defer"], 1);
    let lines = minutes["candidates"].as_array().unwrap();
    let tie_line = lines.iter().find(|c| c["learner"] == tie.as_str()).unwrap();
    assert_eq!(tie_line["casting_vote_decided"], true);
    assert_eq!(tie_line["code"], "ADM");

    // Holders only once published; the deferred candidate never.
    assert_eq!(w.ok(&["holders", "--format", "json"]).trim(), "[]");
    w.ok(&["jury", "publish", "J1", "--on", "20/09/2026"]);
    let holders: Vec<Value> = serde_json::from_str(&w.ok(&["holders", "--format", "json"])).unwrap();
    let titled: Vec<&str> = holders.iter().filter(|h| h["what"] == "title").map(|h| h["learner"].as_str().unwrap()).collect();
    assert_eq!(titled.len(), 2, "{holders:?}");
    assert!(titled.contains(&tie.as_str()) && titled.contains(&by_points.as_str()));
    assert!(holders.iter().all(|h| h["learner"] != refused_one.as_str()), "a deferred candidate is not a holder");
    let csv = w.ok(&["holders", "--format", "csv"]);
    assert!(csv.starts_with("\u{feff}Apprenant;Certification;Acquis;Session;Date du jury;Date de publication"), "{csv}");

    // Appeals: within two months of publication, not after.
    refused(w, &["jury", "appeal", "J1", refused_one, "--received-on", "21/11/2026"], "JURY_APPEAL_TOO_LATE");
    w.ok(&["jury", "appeal", "J1", refused_one, "--received-on", "20/11/2026", "--note", "conteste l'ajournement"]);
    assert!(w.ok(&["audit", "verify"]).contains("intact"));
}

#[test]
fn a_whole_session_on_sqlite() {
    a_whole_session(&Workspace::new());
}

#[test]
fn a_whole_session_on_postgres() {
    if let Some(w) = Workspace::on_postgres("jury") {
        a_whole_session(&w);
    }
}
