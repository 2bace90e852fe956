//! The store-backed commands end to end on SQLite: load, import, status, export, audit, backup.

mod common;

use std::path::Path;
use std::process::Command;

use common::workspace::Workspace;
use serde_json::Value;

fn windows_1252(text: &str) -> Vec<u8> {
    encoding_rs::WINDOWS_1252.encode(text).0.into_owned()
}

fn load_demo_curriculum(w: &Workspace) {
    let curriculum = w.write("maquette.toml", certif_referential::DEMO_CURRICULUM.as_bytes());
    w.ok(&["curriculum", "load", &curriculum]);
}

const LEARNERS: &str = "learner_id;family_name;given_names;birth_date;sex;access_route;enrolled_on;employer;employer_siret;contract_start;contract_end;master;e-mail\n\
    A-0001;Lefèvre;Élodie;14/05/2002;F;apprenticeship;04/09/2023;Aérostructures du Poitou;41280598700010;04/09/2023;31/08/2026;Jérôme Dupont;e@x.fr\n\
    A-0002;Nguyên;Loïc;01/12/2001;M;apprenticeship;04/09/2023;;;;;;l@x.fr\n";

#[test]
fn spreadsheets_in_french_conventions_become_decisions() {
    let w = Workspace::new();
    load_demo_curriculum(&w);
    w.ok(&["import", "learners", &w.write("apprenants.csv", &windows_1252(LEARNERS))]);
    let status = w.status();
    assert_eq!(status.len(), 2);
    assert_eq!(status[0]["learner"], "A-0001");
    assert_eq!(status[1]["conditions"]["access"]["reasons"][0], "APPRENTICESHIP_CONTRACT_MISSING");

    let mut marks = String::from("learner_id;module;session1;session2\n");
    for (_, module) in certif_referential::demo_curriculum().0.modules() {
        marks.push_str(&format!("A-0001;{};12,5;\n", module.code));
    }
    w.ok(&["import", "marks", &w.write("notes.csv", marks.as_bytes())]);

    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, header) in ["learner_id", "period_id", "start", "end", "evaluation"].iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    for (row, (id, start, end)) in [("P1", "02/10/2023", "26/01/2024"), ("P2", "03/02/2025", "27/06/2025")].iter().enumerate() {
        let row = row as u32 + 1;
        sheet.write_string(row, 0, "A-0001").unwrap();
        sheet.write_string(row, 1, *id).unwrap();
        sheet.write_string(row, 2, *start).unwrap();
        sheet.write_string(row, 3, *end).unwrap();
        sheet.write_number(row, 4, 14.5).unwrap();
    }
    let xlsx = w.path("periodes.xlsx");
    workbook.save(&xlsx).unwrap();
    w.ok(&["import", "company-periods", &xlsx]);
    w.ok(&["import", "mobility", &w.write("mobilite.csv", b"learner_id,start,country,end\nA-0001,2025-03-03,DE,2025-05-30\n")]);
    w.ok(&["import", "english", &w.write("anglais.csv", b"learner_id;test;date;score\nA-0001;TOEIC_LR;12/06/2025;805\n")]);

    let status = w.status();
    assert_eq!(status[0]["title"]["status"], "awarded", "{}", status[0]);
    assert_eq!(status[0]["ects_earned"], 180);

    // The same decision from the exported dossier through `certif evaluate`.
    let dossier = w.write("dossier.json", w.ok(&["export", "dossier", "A-0001", "--on", "2026-09-18"]).as_bytes());
    let curriculum = w.path("maquette.toml");
    let evaluated: Value = serde_json::from_str(&w.ok(&["evaluate", &dossier, "--curriculum", &curriculum, "--format", "json"])).unwrap();
    assert_eq!(evaluated, status[0]);
}

#[test]
fn a_file_with_one_bad_row_writes_nothing_and_names_it() {
    let w = Workspace::new();
    load_demo_curriculum(&w);
    w.ok(&["import", "learners", &w.write("apprenants.csv", &windows_1252(LEARNERS))]);
    let audit_before = w.audit_rows();
    // 86 good rows (both learners, every module), then a bad mark on line 88 (also a duplicate key).
    let mut marks = String::from("learner_id;module;session1\n");
    let (curriculum, _) = certif_referential::demo_curriculum();
    for learner in ["A-0001", "A-0002"] {
        for (_, module) in curriculum.modules() {
            marks.push_str(&format!("{learner};{};11\n", module.code));
        }
    }
    marks.push_str("A-0001;M7.2.3;20,5\n");
    let file = w.write("notes.csv", marks.as_bytes());
    let output = w.certif(&["import", "marks", &file]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("{file}:88:3: session1 : 20,5 n'est pas entre 0 et 20")), "{stderr}");
    assert!(stderr.ends_with("2 problème(s) : rien n'a été importé\n"), "the bad mark, and its row twice: {stderr}");
    assert_eq!(w.audit_rows(), audit_before, "nothing was written");
    // The same refusal, wholly in English, with --lang en.
    let output = w.certif(&["import", "marks", &file, "--lang", "en"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("{file}:88:3: session1: 20,5 is outside 0..20")), "{stderr}");
    assert!(stderr.ends_with("2 problem(s): nothing was imported\n"), "{stderr}");

    let ghost = w.write("ghost.csv", b"learner_id;module;session1\nGHOST;M1.1.1;12\n");
    let output = w.certif(&["import", "marks", &ghost]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(":2:1: learner_id : \"GHOST\" n'est pas un apprenant connu (importez d'abord les apprenants)"), "{stderr}");
}

#[test]
fn reimporting_changes_nothing_and_a_dry_run_writes_nothing() {
    let w = Workspace::new();
    load_demo_curriculum(&w);
    let learners = w.write("apprenants.csv", &windows_1252(LEARNERS));
    let output = w.certif(&["import", "learners", &learners, "--dry-run"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("2 nouvelles, 0 modifiées, 0 inchangées (essai : rien n'a été écrit)"));
    // The same summary, wholly in English, with --lang en.
    let english = w.certif(&["import", "learners", &learners, "--dry-run", "--lang", "en"]);
    assert!(String::from_utf8_lossy(&english.stderr).contains("2 new, 0 changed, 0 unchanged (dry run: nothing written)"));
    assert!(w.status().is_empty());
    w.ok(&["import", "learners", &learners]);
    let rows = w.audit_rows();
    let output = w.certif(&["import", "learners", &learners]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("0 nouvelles, 0 modifiées, 2 inchangées"));
    assert_eq!(w.audit_rows(), rows);
    assert!(w.ok(&["audit", "verify"]).contains("intact"));
    let log = w.ok(&["audit", "log", "--learner", "A-0001"]);
    assert!(log.contains("test-registrar") && log.contains("learners"), "{log}");
}

#[test]
fn the_demo_builds_a_cohort_covering_every_path_and_backs_up() {
    let w = Workspace::new();
    let out = w.ok(&["demo", "--format", "json"]);
    let decisions: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(decisions.len() >= 60);
    let statuses: std::collections::HashSet<&str> = decisions.iter().map(|d| d["title"]["status"].as_str().unwrap()).collect();
    assert_eq!(statuses.len(), 3, "awarded, not awarded and incomplete all appear");
    for reason in ["UE_BELOW_PASS_MARK", "MODULE_BELOW_FLOOR"] {
        assert!(out.contains(reason), "{reason}");
    }
    for reason in [
        "COMPANY_PERIOD_BELOW_PASS_MARK",
        "MOBILITY_TOO_SHORT",
        "ENGLISH_BELOW_TARGET",
        "ENGLISH_EXPIRED",
        "REGISTRATION_EXPIRED",
        "APPRENTICESHIP_CONTRACT_MISSING",
        "ACCESS_ROUTE_NOT_OPEN",
        "BLOCK_INCOMPLETE",
        "MOBILITY_MISSING",
    ] {
        assert!(decisions.iter().any(|d| d["title"]["reasons"].as_array().unwrap().iter().any(|r| r == reason)), "{reason}");
    }
    assert!(decisions.iter().any(|d| d["blocks"].as_array().unwrap().iter().any(|b| b["via"] == "vae")));
    let backup = w.path("backup.db");
    w.ok(&["backup", &backup]);
    assert!(Path::new(&backup).exists());
    assert_eq!(w.certif(&["backup", &backup]).status.code(), Some(2), "a backup never overwrites");
}

/// Runs the same imports into a workspace and returns `certif status --format json`.
fn import_everything(w: &Workspace) -> String {
    load_demo_curriculum(w);
    w.ok(&["import", "learners", &w.write("apprenants.csv", &windows_1252(LEARNERS))]);
    let mut marks = String::from("learner_id;module;session1;session2\n");
    for (n, (_, module)) in certif_referential::demo_curriculum().0.modules().enumerate() {
        marks.push_str(&format!("A-0001;{};{},{};\n", module.code, 8 + n % 10, n % 4 * 25));
        marks.push_str(&format!("A-0002;{};ABJ;{}\n", module.code, 9 + n % 8));
    }
    w.ok(&["import", "marks", &w.write("notes.csv", marks.as_bytes())]);
    w.ok(&[
        "import",
        "company-periods",
        &w.write(
            "p.csv",
            b"learner_id;period_id;start;end;evaluation\nA-0001;P1;02/10/2023;26/01/2024;9,75\nA-0002;P1;02/10/2023;26/06/2024;\n",
        ),
    ]);
    w.ok(&["import", "mobility", &w.write("m.csv", b"learner_id;start;country;end\nA-0002;01/03/2024;ES;10/05/2024\n")]);
    w.ok(&[
        "import",
        "english",
        &w.write("e.csv", b"learner_id;test;date;score\nA-0001;IELTS;01/02/2025;6,5\nA-0002;CLES;01/02/2025;B1\n"),
    ]);
    w.ok(&["import", "accommodations", &w.write("a.csv", b"learner_id;kind;target_level;decided_on;definitive\nA-0002;english_adaptation;B1;;oui\n\
          A-0001;english_adaptation;B1;10/01/2024;non\nA-0001;english_adaptation;A2;20/06/2024;oui\nA-0001;english_adaptation;A1;04/01/2027;oui\n")]);
    w.ok(&["status", "--on", "2026-09-18", "--format", "json"])
}

#[test]
fn sqlite_and_postgresql_give_identical_status_for_the_same_imports() {
    let Some(postgres) = Workspace::on_postgres("status") else { return };
    let sqlite = Workspace::new();
    let on_sqlite = import_everything(&sqlite);
    let on_postgres = import_everything(&postgres);
    assert_eq!(on_sqlite, on_postgres);
    let decisions: Vec<Value> = serde_json::from_str(&on_sqlite).unwrap();
    assert_eq!(decisions.len(), 2);
    assert!(postgres.ok(&["audit", "verify"]).contains("intact"));
    assert_eq!(postgres.certif(&["backup", &postgres.path("b.db")]).status.code(), Some(2), "PostgreSQL is backed up with pg_dump");
}

/// Large files: `certif::generate::write_record_files` writes a cohort's learners and marks.
fn large_cohort(w: &Workspace, learners: usize, marks: usize) -> (String, String) {
    load_demo_curriculum(w);
    certif::generate::write_record_files(w.dir.path(), learners, marks).unwrap();
    let (learners_file, marks_file) = (w.path("learners.csv"), w.path("marks.csv"));
    w.ok(&["import", "learners", &learners_file]);
    (learners_file, marks_file)
}

#[test]
fn one_bad_row_among_thousands_writes_nothing_and_names_it() {
    let w = Workspace::new();
    let (_, marks_file) = large_cohort(&w, 600, 6_000);
    let mut lines: Vec<String> = std::fs::read_to_string(&marks_file).unwrap().lines().map(String::from).collect();
    // Line 4,321 of the file (the header is line 1) gets a mark out of range.
    let fields: Vec<&str> = lines[4_320].split(';').collect();
    lines[4_320] = format!("{};{};20,01;", fields[0], fields[1]);
    std::fs::write(&marks_file, lines.join("\n") + "\n").unwrap();
    let (status_before, audit_before) = (w.status(), w.audit_rows());

    let output = w.certif(&["import", "marks", &marks_file]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("{marks_file}:4321:3: session1 : 20,01 n'est pas entre 0 et 20")), "{stderr}");
    assert_eq!(stderr.lines().filter(|l| l.contains("marks.csv:")).count(), 1, "only the bad row is named: {stderr}");
    assert_eq!((w.status(), w.audit_rows()), (status_before, audit_before), "nothing was written");
}

/// SIGKILL in the middle of writing a large import: SQLite's journal discards the unfinished
/// transaction, so the database is exactly as it was, its audit chain intact, and the same
/// import then runs to the end.
#[cfg(unix)]
#[test]
fn a_killed_import_leaves_the_database_as_it_was() {
    use std::os::unix::process::ExitStatusExt;
    use std::time::{Duration, Instant};

    let w = Workspace::new();
    let (_, marks_file) = large_cohort(&w, 6_000, 60_000);
    let (status_before, audit_before) = (w.status(), w.ok(&["audit", "log"]));
    let wal = w.path("certif.db-wal");
    let wal_size = || std::fs::metadata(&wal).map_or(0, |m| m.len());
    // A log left by earlier commands is reused from its start, so only growth past it counts.
    let baseline = wal_size();

    let mut child = Command::new(env!("CARGO_BIN_EXE_certif"))
        .args(["import", "marks", &marks_file])
        .env("CERTIF_DATABASE_URL", w.url())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The transaction's pages spill into the write-ahead log long before it commits: once
    // the log has grown by a megabyte, the import is writing and has not committed.
    let started = Instant::now();
    while wal_size() < baseline + (1 << 20) {
        assert!(child.try_wait().unwrap().is_none(), "the import ended before it could be killed: make it larger");
        assert!(started.elapsed() < Duration::from_secs(120), "the import never started writing");
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "the import was killed, not finished: {status:?}");

    assert_eq!(w.status(), status_before, "no learner's status changed");
    assert_eq!(w.ok(&["audit", "log"]), audit_before, "no audit row was added");
    assert!(w.ok(&["audit", "verify"]).contains("intact"));
    w.ok(&["import", "marks", &marks_file]);
    assert_ne!(w.status(), status_before, "the same import, run again, goes through");
}

#[test]
fn the_cli_speaks_to_people_in_french() {
    let w = Workspace::new();
    let demo = w.certif(&["demo", "--learners", "5"]);
    assert!(demo.status.success());
    let stderr = String::from_utf8_lossy(&demo.stderr);
    assert!(stderr.contains("--learners 5 : porté à"), "{stderr}");

    // One learner: the explained report, in French, dates as people write them.
    let report = w.ok(&["status", "A-0001", "--on", "18/09/2026", "--format", "text"]);
    assert!(report.contains("Situation au 18/09/2026"), "{report}");
    assert!(report.contains("Conditions de délivrance"), "{report}");
    assert_eq!(report, w.ok(&["status", "A-0001", "--on", "2026-09-18", "--format", "text"]));
    let refused = w.certif(&["status", "--on", "31/02/2026"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--on 31/02/2026 : ce n'est pas une date"));

    // The cohort as a spreadsheet opens it: BOM, semicolons, French headers and words.
    let csv = w.ok(&["status", "--on", "18/09/2026", "--format", "csv"]);
    assert!(csv.starts_with("\u{feff}Apprenant;Nom;Voie;Titre;RNCP39668BC01;"), "{csv}");
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(";Voie d'accès;Enregistrement;Périodes en entreprise;Mobilité internationale;Anglais;ECTS acquis;Motifs"),
        "{csv}"
    );
    assert!(csv.contains(";DÉLIVRÉ;") && csv.contains(";validé;"), "{csv}");

    let nobody = w.certif(&["user", "remove", "nobody"]);
    assert_eq!(nobody.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("le compte nobody n'existe pas"));
}
