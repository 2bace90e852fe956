//! `certif bench-documents`: a published session of many generated holders on a temporary
//! SQLite database, each issued a diploma and a transcript through the same code as `certif
//! document KIND --session S` (the data read from the store, typeset, recorded with its
//! SHA-256), each step timed on its own.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use certif_app::documents::{self, Which};
use certif_app::jury::{self, Candidates, NewSession};
use certif_app::{Database, load_curriculum};
use certif_core::jury::{Member, Outcome, Votes};
use certif_documents::Kind;
use certif_store::Store as _;
use certif_store::documents::DocumentStore as _;
use certif_store::jury::{Deliberation, JuryChange, JuryKind, JuryStore as _};

use crate::run::runtime;

const SESSION: &str = "BENCH-DOCS";

/// Runs the measurement with `holders` generated holders (full dossiers: every module marked).
pub fn run(holders: usize, output_dir: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench-documents.db").display());
    let (prepare, render, record, issued) = runtime()?.block_on(async {
        let db = Database::open(&url).await?;
        let curriculum_id = load_curriculum(&db, "bench", certif_referential::DEMO_CURRICULUM.to_string(), "demo curriculum").await?;
        let (curriculum, certification) = certif_referential::demo_curriculum();
        let policy = certif_core::Policy::default();
        let context = certif_core::dossier::DossierContext { certification: &certification, curriculum: &curriculum, policy: &policy };
        // The generator's first dossiers walk every decision path; past them, every one is awarded.
        let paths = certif::generate::Profile::ALL.len() * 2;
        let mut records = Vec::new();
        for value in certif::generate::cohort(&curriculum, holders + paths, 2026).iter().skip(paths) {
            let dossier = certif_core::Dossier::from_json(&value.to_string(), context)?;
            records.extend(certif_store::record::records_of_dossier(&dossier, Some(&curriculum_id)));
        }
        db.apply(records, "bench", false).await?;
        let date = chrono::NaiveDate::from_ymd_opt(2026, 9, 18).ok_or_else(|| anyhow::anyhow!("a date"))?;
        let new = NewSession {
            id: Some(SESSION.into()),
            certification: "RNCP39668".into(),
            kind: JuryKind::Title,
            date,
            name: None,
            place: None,
        };
        jury::create(&db, new, "bench").await?;
        for (name, role) in crate::bench_jury::JURY {
            let member = Member { name: name.into(), role: role.into(), representing: None, present: true, account: None };
            jury::add_member(&db, SESSION, member, "bench").await?;
        }
        jury::add_candidates(&db, SESSION, Candidates::All, "bench").await?;
        jury::open(&db, SESSION, "bench").await?;
        // Every candidate awarded, written straight to the store: the deliberations are not what
        // this measures.
        let session = db.jury_session(SESSION).await?.ok_or_else(|| anyhow::anyhow!("session {SESSION} vanished"))?;
        for candidate in &session.candidates {
            let proposal = candidate.proposal.clone().unwrap_or_default();
            let deliberation = Deliberation {
                outcome: Outcome::Award,
                votes: Votes { in_favour: 9, against: 0, abstain: 0, casting_vote: None },
                justification: None,
            };
            db.change_jury_session(SESSION, JuryChange::Deliberate { learner: candidate.learner.clone(), deliberation, proposal }, "bench")
                .await?;
        }
        jury::close(&db, SESSION, "bench").await?;
        jury::sign(&db, SESSION, "Anne Président", "bench").await?;
        jury::publish(&db, SESSION, date, "bench").await?;

        let which = Which::Session(SESSION.into());
        let base = certif_app::address::base_url(&db).await?;
        let started = Instant::now();
        let mut prepared = documents::prepare(&db, Kind::Diploma, &which).await?;
        prepared.extend(documents::prepare(&db, Kind::Transcript, &which).await?);
        let prepare = started.elapsed();
        let started = Instant::now();
        let issued_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let issued = documents::render_all(&prepared, &base, &issued_at)?;
        let render = started.elapsed();
        let started = Instant::now();
        db.record_documents(issued.iter().map(|i| i.document.clone()).collect(), "bench").await?;
        let record = started.elapsed();
        anyhow::Ok((prepare, render, record, issued))
    })?;
    anyhow::ensure!(issued.len() == 2 * holders, "{} documents issued, {} expected", issued.len(), 2 * holders);
    if let Some(dir) = &output_dir {
        crate::documents::written_in(dir, &issued)?;
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let bytes: usize = issued.iter().map(|i| i.pdf.len()).sum();
    let threads = std::thread::available_parallelism().map(usize::from).unwrap_or(1);
    println!("bench-documents: {holders} holders × (diploma + transcript) = {} PDFs, SQLite, {threads} threads", issued.len());
    println!("  data read from the store         {:>8.0} ms", ms(prepare));
    println!(
        "  typeset as PDF (with QR codes)   {:>8.0} ms  ({:.1} ms a document, {} KB in all)",
        ms(render),
        ms(render) / issued.len() as f64,
        bytes / 1000
    );
    println!("  recorded (ids, SHA-256, audit)   {:>8.0} ms", ms(record));
    println!("  total                            {:>8.0} ms", ms(prepare + render + record));
    Ok(ExitCode::SUCCESS)
}
