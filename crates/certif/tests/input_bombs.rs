//! Files built to exhaust memory, fed to the CLI under an address-space limit (what
//! `prlimit --as` sets): each is refused with a message naming the file, quickly, and nothing is
//! written. Without the bounds these took 8 to 24 GB (issue 9).

mod common;

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::workspace::Workspace;

/// The address space each run may use: far below what any of these files would take unbounded.
const LIMIT_BYTES: u64 = 1 << 30;

fn certif_limited(w: &Workspace, args: &[&str]) -> (Output, Duration) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_certif"));
    command.args(args).env("CERTIF_DATABASE_URL", w.url()).env("CERTIF_ACTOR", "test-registrar");
    // SAFETY: setrlimit is async-signal-safe; the closure touches nothing else.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit { rlim_cur: LIMIT_BYTES, rlim_max: LIMIT_BYTES };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let started = Instant::now();
    let output = command.output().unwrap();
    (output, started.elapsed())
}

/// Runs a command that must be refused (exit 2), within the limit and in seconds; its stderr.
fn refused(w: &Workspace, args: &[&str]) -> String {
    let (output, took) = certif_limited(w, args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{args:?}: {:?}\n{stderr}", output.status);
    assert!(took < Duration::from_secs(60), "{args:?} took {took:?}");
    stderr
}

fn demo_workspace() -> Workspace {
    let w = Workspace::new();
    let curriculum = w.write("maquette.toml", certif_referential::DEMO_CURRICULUM.as_bytes());
    w.ok(&["curriculum", "load", &curriculum]);
    w.ok(&["import", "learners", &w.write("apprenants.csv", b"learner_id;access_route;enrolled_on\nA-0001;apprenticeship;2023-09-04\n")]);
    w
}

/// A workbook whose sheet holds two cells, A1 and XFD1048576: 1.6 KB that read densely is a
/// grid of 17 billion cells.
fn two_corner_workbook() -> Vec<u8> {
    let parts: [(&str, String); 5] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>learner_id</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#.into(),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_sparse_workbook_with_two_far_corners_is_refused_within_the_limit() {
    let w = demo_workspace();
    let file = w.write("coins.xlsx", &two_corner_workbook());
    let before = w.audit_rows();
    let said = refused(&w, &["import", "marks", &file]);
    assert!(said.contains("coins.xlsx"), "{said}");
    assert_eq!(w.audit_rows(), before, "nothing written");
}

#[test]
fn a_csv_with_a_million_column_header_is_refused_within_the_limit() {
    let w = demo_workspace();
    let mut text = String::from("learner_id");
    for i in 0..1_000_000 {
        text.push_str(&format!(";c{i}"));
    }
    text.push('\n');
    for _ in 0..2_000 {
        text.push_str("A-0001;12\n");
    }
    let file = w.write("large.csv", text.as_bytes());
    let said = refused(&w, &["import", "marks", &file]);
    assert!(said.contains("large.csv"), "{said}");
}

#[test]
fn a_spreadsheet_file_larger_than_the_import_limit_is_refused_unread() {
    let w = demo_workspace();
    let path = w.path("enorme.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    file.write_all(b"learner_id;module;session1\n").unwrap();
    let row = b"A-0001;M1.1.1;12\n";
    for _ in 0..(certif_ingest::MAX_FILE_BYTES / row.len() + 1) {
        file.write_all(row).unwrap();
    }
    drop(file);
    let said = refused(&w, &["import", "marks", &path]);
    assert!(said.contains("enorme.csv") && said.contains("MiB"), "{said}");
}

/// An RNCP export whose one fiche has a title of `title_bytes` bytes.
fn write_export_with_long_title(out: &mut dyn Write, title_bytes: usize) {
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FICHES>\n<FICHE>\n<NUMERO_FICHE>RNCP99999</NUMERO_FICHE>\n<INTITULE>")
        .unwrap();
    let chunk = [b'a'; 1 << 16];
    let mut left = title_bytes;
    while left > 0 {
        let n = left.min(chunk.len());
        out.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    out.write_all(b"</INTITULE>\n</FICHE>\n</FICHES>\n").unwrap();
}

#[test]
fn an_rncp_export_with_a_300_mb_title_is_refused_with_its_line_within_the_limit() {
    let w = Workspace::new();
    let path = w.path("titre.xml");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    write_export_with_long_title(&mut file, 300 << 20);
    drop(file);
    let said = refused(&w, &["referential", "import", &path]);
    assert!(said.contains("titre.xml") && said.contains("line 5"), "{said}");
    assert!(w.ok(&["referential", "list"]).lines().all(|l| !l.contains("RNCP99999")));
}

#[test]
fn a_1_mb_zip_holding_a_1_gb_title_is_refused_within_the_limit() {
    let w = Workspace::new();
    let path = w.path("bombe.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_level(Some(9));
    zip.start_file("export.xml", options).unwrap();
    write_export_with_long_title(&mut zip, 1 << 30);
    zip.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 4 << 20);
    let said = refused(&w, &["referential", "import", &path]);
    assert!(said.contains("bombe.zip"), "{said}");
}

#[test]
fn a_100_mb_dossier_is_refused_unread_and_a_100_mb_jsonl_line_gets_its_error_line() {
    let w = Workspace::new();
    let curriculum = w.write("maquette.toml", certif_referential::DEMO_CURRICULUM.as_bytes());
    let huge = format!("{{\"learner\":\"{}\"}}", "x".repeat(100 << 20));
    let dossier = w.write("dossier.json", huge.as_bytes());
    let said = refused(&w, &["evaluate", &dossier, "--curriculum", &curriculum]);
    assert!(said.contains("dossier.json") && said.contains("MiB"), "{said}");

    let lines = w.write("dossiers.jsonl", format!("{huge}\n\n").as_bytes());
    let (output, took) = certif_limited(&w, &["evaluate", "--jsonl", &lines, "--curriculum", &curriculum]);
    assert!(took < Duration::from_secs(60));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let answers: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(answers.len(), 2, "one answer per input line: {stdout}");
    assert_eq!(answers[0]["line"], 1);
    assert!(answers[0]["error"].as_str().unwrap().contains("MiB"), "{stdout}");
    assert_eq!(answers[1]["line"], 2);
}
