//! `certif status` of a large cohort streams: it reads, decides and writes the cohort a page of
//! learners at a time, so its peak resident memory stays far below what holding the cohort's
//! decisions — or only their JSON — would take.

mod common;

use std::fs::File;
use std::process::Command;

use common::workspace::Workspace;

const LEARNERS: usize = 10_000;
const MARKS: usize = 10 * LEARNERS;

/// Measured in a debug build (`/usr/bin/time -f %M`): 35 MB on an empty database (the binary
/// and its runtime), 52 MB for these 10,000 learners, 58 MB for 20,000 — one page's worth on
/// top, whatever the cohort. Holding the cohort, as `status` did before it streamed, took
/// 528 MB for these 10,000 learners and 1,017 MB for 20,000; their JSON alone (148 MB) is over
/// the bound, which is asserted below.
const PEAK_RSS_LIMIT_KB: i64 = 96 * 1024;

#[derive(serde::Deserialize)]
struct Decided {
    learner: String,
}

#[cfg(target_os = "linux")]
#[test]
fn the_status_of_a_large_cohort_streams_in_bounded_memory() {
    let w = Workspace::new();
    w.ok(&["curriculum", "load", &w.write("maquette.toml", certif_referential::DEMO_CURRICULUM.as_bytes())]);
    certif::generate::write_record_files(w.dir.path(), LEARNERS, MARKS).unwrap();
    w.ok(&["import", "learners", &w.path("learners.csv")]);
    w.ok(&["import", "marks", &w.path("marks.csv")]);

    let output = w.path("status.json");
    let (status, peak_kb) = common::run_measuring_peak_rss(
        Command::new(env!("CARGO_BIN_EXE_certif"))
            .args(["status", "--on", "2026-07-01", "--format", "json"])
            .env("CERTIF_DATABASE_URL", w.url())
            .stdout(File::create(&output).unwrap()),
    );
    assert_eq!(status, 0, "certif status succeeded");
    let bytes = std::fs::metadata(&output).unwrap().len();
    eprintln!("status of {LEARNERS} learners: {} MB of JSON, peak RSS {} MB", bytes / 1_000_000, peak_kb / 1024);
    assert!(bytes / 1024 > PEAK_RSS_LIMIT_KB as u64, "holding the JSON alone would exceed the bound: {bytes} bytes");
    assert!(peak_kb < PEAK_RSS_LIMIT_KB, "peak RSS {peak_kb} kB for {LEARNERS} learners");

    // A valid JSON array of every learner, in id order.
    let decided: Vec<Decided> = serde_json::from_reader(std::io::BufReader::new(File::open(&output).unwrap())).unwrap();
    let expected: Vec<String> = (0..LEARNERS).map(|i| format!("B-{i:06}")).collect();
    assert_eq!(decided.into_iter().map(|d| d.learner).collect::<Vec<_>>(), expected);
}
