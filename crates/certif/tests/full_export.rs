//! A full-size RNCP export — 30,000 generated fiches, about 1 GB of XML, like France
//! Compétences' daily file — imports into SQLite in bounded memory: the importer streams, so
//! its peak RSS stays far below the file's size. (`CERTIF_FULL_EXPORT_FICHES` makes it smaller
//! for a quick local run.)

mod common;

use std::process::Command;

use certif_rncp_xml::testgen;

const PEAK_RSS_LIMIT_KB: i64 = 150 * 1024;

#[cfg(target_os = "linux")]
#[test]
fn a_full_size_export_imports_in_bounded_memory() {
    let fiches: usize = std::env::var("CERTIF_FULL_EXPORT_FICHES").ok().and_then(|n| n.parse().ok()).unwrap_or(30_000);
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export-fiches-rncp-v4-1-generated.xml");
    let bytes = testgen::write_export(std::io::BufWriter::new(std::fs::File::create(&export).unwrap()), fiches).unwrap();
    if fiches == 30_000 {
        assert!(bytes > 900_000_000, "the generated export is full size: {bytes} bytes");
    }
    let url = format!("sqlite://{}", dir.path().join("certif.db").display());
    let certif = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_certif"));
        command.env("CERTIF_DATABASE_URL", &url);
        command
    };

    let (status, peak_kb) = common::run_measuring_peak_rss(certif().args(["referential", "import"]).arg(&export));
    assert_eq!(status, 0, "the import succeeded");
    eprintln!("{fiches} fiches, {} MB of XML: peak RSS {} MB", bytes / 1_000_000, peak_kb / 1024);
    assert!(peak_kb < PEAK_RSS_LIMIT_KB, "peak RSS {peak_kb} kB for a {bytes}-byte export");

    // Everything is there: the last fiche, its blocks, and its links both ways.
    let last = testgen::code_of(fiches - 1);
    let output = certif().args(["referential", "show", &last, "--format", "json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let shown: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(shown["blocks"].as_array().unwrap().len(), testgen::BLOCKS_PER_FICHE);
    assert_eq!(shown["predecessors"], serde_json::json!([testgen::code_of(fiches - 2)]));
    let output = certif().args(["referential", "list", "--format", "json"]).output().unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), fiches + 1, "every fiche, and the embedded RNCP39668");
}
