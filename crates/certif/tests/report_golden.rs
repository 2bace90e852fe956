//! The text report of every public vector, French and English, against its golden file in
//! tests/golden/<vector>.<lang>.txt. `CERTIF_BLESS=1` rewrites the goldens from the binary's
//! output: review every one by eye before committing it.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn goldens() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The public vectors that have an expected decision (error vectors have no report).
fn vectors(shared: &Path) -> Vec<PathBuf> {
    let dir = shared.join("examples/dossiers");
    let mut vectors: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_str().is_some_and(|p| p.ends_with(".json") && !p.ends_with(".expected.json")))
        .filter(|path| path.with_extension("expected.json").exists())
        .collect();
    vectors.sort();
    vectors
}

fn report(dossier: &Path, curriculum: &Path, lang: &str) -> String {
    let output =
        certif(&["evaluate", dossier.to_str().unwrap(), "--curriculum", curriculum.to_str().unwrap(), "--format", "text", "--lang", lang]);
    assert!(output.status.success(), "{}: {}", dossier.display(), String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("a report is UTF-8")
}

#[test]
fn every_public_vector_s_report_is_its_golden_file() {
    let shared = shared().expect("../shared/examples is needed: the golden reports are the public vectors'");
    let curriculum = shared.join("examples/curriculum-demo.toml");
    let bless = std::env::var("CERTIF_BLESS").is_ok_and(|v| v == "1");
    let vectors = vectors(&shared);
    assert!(vectors.len() >= 9, "only {} vectors found in {}", vectors.len(), shared.display());
    let mut differences = Vec::new();
    for dossier in &vectors {
        let name = dossier.file_stem().unwrap().to_str().unwrap();
        for lang in ["fr", "en"] {
            let actual = report(dossier, &curriculum, lang);
            let golden = goldens().join(format!("{name}.{lang}.txt"));
            if bless {
                std::fs::write(&golden, &actual).unwrap();
                continue;
            }
            match std::fs::read_to_string(&golden) {
                Ok(expected) if expected == actual => {}
                Ok(expected) => differences.push(format!("{}:\n{}", golden.display(), first_difference(&expected, &actual))),
                Err(e) => differences.push(format!("{}: {e} (CERTIF_BLESS=1 writes it)", golden.display())),
            }
        }
    }
    assert!(differences.is_empty(), "reports differ from their goldens:\n{}", differences.join("\n"));
}

#[test]
fn every_golden_file_has_its_public_vector() {
    let shared = shared().expect("../shared/examples is needed");
    let names: Vec<String> = vectors(&shared).iter().map(|v| v.file_stem().unwrap().to_str().unwrap().to_string()).collect();
    for entry in std::fs::read_dir(goldens()).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        let vector = file.trim_end_matches(".fr.txt").trim_end_matches(".en.txt");
        assert!(names.iter().any(|n| n == vector), "{file} has no vector in {}", shared.display());
    }
}

fn first_difference(expected: &str, actual: &str) -> String {
    let (mut expected_lines, mut actual_lines) = (expected.lines(), actual.lines());
    for number in 1.. {
        match (expected_lines.next(), actual_lines.next()) {
            (None, None) => break,
            (e, a) if e == a => {}
            (e, a) => return format!("  line {number}\n  - {}\n  + {}", e.unwrap_or("<end>"), a.unwrap_or("<end>")),
        }
    }
    "  (identical lines; line endings differ)".into()
}
