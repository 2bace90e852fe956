//! `certif bench-records`: the registrar's heavy day, measured through the same code as the
//! commands: import a cohort's learners and their marks from CSV files, re-import the marks
//! (nothing changes), then decide every learner's status.

use std::process::ExitCode;
use std::time::Instant;

use certif_store::Store;

use crate::stored;

/// Runs the measurement on `url`, which must hold no learners yet.
pub fn run(url: &str, learners: usize, marks: usize) -> anyhow::Result<ExitCode> {
    let dir = tempfile::tempdir()?;
    certif::generate::write_record_files(dir.path(), learners, marks)?;
    {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let existing = runtime.block_on(async { anyhow::Ok(certif_app::Database::open(url).await?.learner_ids().await?.len()) })?;
        if existing > 0 {
            anyhow::bail!("{url} already holds {existing} learners: bench-records needs an empty database");
        }
    }
    stored::load_demo_curriculum(url)?;
    let mut timings = Vec::new();
    let mut time = |label: &str, work: &mut dyn FnMut() -> anyhow::Result<()>| -> anyhow::Result<()> {
        let started = Instant::now();
        work()?;
        timings.push((label.to_string(), started.elapsed()));
        Ok(())
    };
    let learners_file = dir.path().join("learners.csv");
    let marks_file = dir.path().join("marks.csv");
    time(&format!("import {learners} learners"), &mut || stored::import(url, "bench", "learners", &learners_file, false).map(drop))?;
    time(&format!("import {marks} mark rows"), &mut || stored::import(url, "bench", "marks", &marks_file, false).map(drop))?;
    time(&format!("re-import {marks} mark rows (unchanged)"), &mut || stored::import(url, "bench", "marks", &marks_file, false).map(drop))?;
    let mut decided = 0;
    time(&format!("status of {learners} learners (JSON)"), &mut || {
        decided = stored::status_json_len(url, "2026-07-01")?;
        Ok(())
    })?;
    println!("{url}:");
    for (label, elapsed) in timings {
        println!("  {label:<45} {:>8.3} s", elapsed.as_secs_f64());
    }
    println!("  (status JSON: {decided} bytes)");
    Ok(ExitCode::SUCCESS)
}
