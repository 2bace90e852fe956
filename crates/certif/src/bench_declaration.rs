//! `certif bench-declaration`: the CDC flow of many generated holders, written and recorded
//! through the same code as `declaration export` (mapping, streaming writer, split at 200,000,
//! life cycle stored on a temporary SQLite database), timed, with the process's peak memory.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use certif_app::Database;
use certif_app::declaration::{self, ToDeclare};
use certif_core::AccessRoute;
use certif_core::dossier::{Learner, Sex};
use certif_declaration::Award;
use certif_store::declaration::{DeclarationStore as _, DeclaredAward};
use chrono::NaiveDate;

use crate::declaration::write_flows;
use crate::run::runtime;

const FAMILY: [&str; 8] = ["Martin", "Bernard", "Dubois", "Lefèvre", "N'Diaye", "Moreau-Séguin", "Le Gall", "Nguyen"];
const GIVEN: [&str; 8] = ["Élodie", "Jean Pierre", "Anaïs Marie Claire", "Noah", "Zoé", "Lucas Émile", "Inès", "Chloé"];
const COMMUNES: [&str; 6] = ["86194", "75056", "2A004", "97411", "31555", "69123"];
const LEVELS: [Option<&str>; 4] = [Some("B2"), Some("C1"), Some("B1"), None];

/// The `n`-th generated holder: every route, one to three given names, birth places in
/// Corsica and overseas, one in a thousand without the birth place (left out, listed).
pub fn holder(n: usize) -> ToDeclare {
    let learner = format!("H{n:07}");
    let session = format!("JURY-{}", 2020 + n % 6);
    let id = declaration::id_technique("RNCP39668", &session, &learner);
    let born = NaiveDate::from_ymd_opt(1990 + (n % 15) as i32, 1 + (n % 12) as u32, 1 + (n % 28) as u32).unwrap_or_default();
    let jury_date = NaiveDate::from_ymd_opt(2020 + (n % 6) as i32, 9, 18).unwrap_or_default();
    ToDeclare {
        award: Award {
            id_technique: id.clone(),
            learner: Learner {
                id: learner.clone(),
                family_name: Some(FAMILY[n % FAMILY.len()].into()),
                given_names: Some(GIVEN[n % GIVEN.len()].into()),
                birth_date: Some(born),
                sex: Some(if n.is_multiple_of(2) { Sex::F } else { Sex::M }),
                birth_place_insee: (n % 1000 != 999).then(|| COMMUNES[n % COMMUNES.len()].to_string()),
            },
            usage_name: n.is_multiple_of(7).then(|| "Durand".to_string()),
            route: AccessRoute::ALL[n % AccessRoute::ALL.len()],
            enrolled_on: jury_date.checked_sub_months(chrono::Months::new(36)),
            jury_date,
            english_level: LEVELS[n % LEVELS.len()].map(String::from),
            proof_url: n.is_multiple_of(3).then(|| format!("https://certif.example.fr/verify/{id}")),
        },
        declared: DeclaredAward { id_technique: id, certification: "RNCP39668".into(), session, learner },
    }
}

/// The process's peak resident memory (Linux's VmHWM), as people read it.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| status.lines().find_map(|l| l.strip_prefix("VmHWM:").map(|v| v.trim().trim_end_matches(" kB").to_string())))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| format!("{:.0} Mio", kb / 1024.0))
        .unwrap_or_else(|| "n/d".into())
}

/// Writes the flow of `holders` generated holders to `output` (FILE-1.xml, FILE-2.xml…).
pub fn run(holders: usize, output: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench-declaration.db").display());
    let output = output.unwrap_or_else(|| dir.path().join("flux.xml"));
    runtime()?.block_on(async {
        let db = Database::open(&url).await?;
        for (key, value) in declaration::EXAMPLE_SETTINGS {
            declaration::set_setting(&db, key, value, "bench").await?;
        }
        let started = Instant::now();
        let awards: Vec<ToDeclare> = (0..holders).map(holder).collect();
        let generated = started.elapsed();
        let now = chrono::Local::now().fixed_offset();
        let started = Instant::now();
        let written = write_flows(&db, "RNCP39668", awards, Some(&output), "bench", now).await?;
        let exported = started.elapsed();
        let recorded = db.declarations().await?.len();
        anyhow::ensure!(recorded == written.passages, "{recorded} recorded, {} written", written.passages);
        let bytes: u64 = written.files.iter().map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0)).sum();
        println!(
            "{holders} titulaires générés en {:.2} s ; flux écrits et enregistrés en {:.2} s : {} passages, {} laissés de côté, {} fichier(s), {:.1} Mo ; mémoire maximale {}",
            generated.as_secs_f64(),
            exported.as_secs_f64(),
            written.passages,
            written.left_out.len(),
            written.files.len(),
            bytes as f64 / 1e6,
            peak_memory()
        );
        for file in &written.files {
            println!("{}", file.display());
        }
        if output.starts_with(dir.path()) {
            eprintln!("(fichiers temporaires, supprimés ; --output FICHIER pour les garder)");
        }
        Ok(ExitCode::SUCCESS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_holders_cover_every_route_and_leave_some_out() {
        let holders: Vec<ToDeclare> = (0..2000).map(holder).collect();
        for route in AccessRoute::ALL {
            assert!(holders.iter().any(|h| h.award.route == route), "{route:?}");
        }
        let mapped = holders.iter().filter(|h| certif_declaration::passage(&h.award).is_ok()).count();
        assert_eq!(mapped, 1998, "one in a thousand has no birth place");
        assert_eq!(holder(7).declared, holder(7).declared, "the same holder every time");
    }
}
