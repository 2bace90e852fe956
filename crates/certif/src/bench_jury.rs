//! `certif bench-jury`: a title jury of many candidates on a temporary SQLite database,
//! measured through the same code as the commands: `jury open` (every proposal computed by the
//! engine) and the minutes typeset as PDF, each timed on its own.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use certif_app::Database;
use certif_app::jury::{self, Candidates, NewSession};
use certif_core::jury::{Member, Outcome, Votes};
use certif_store::jury::{Deliberation, JuryChange, JuryKind, JuryStore as _};

use crate::run::runtime;
use crate::stored;

/// RNCP39668's jury (spec/jury.md §1): the five single seats and four teachers, all present.
pub(crate) const JURY: [(&str, &str); 9] = [
    ("Anne Président", "president"),
    ("Bruno Études", "director_of_studies"),
    ("Claire Alternance", "alternance_manager"),
    ("Denis Cnam", "partner_training_manager"),
    ("Eva Cfa", "cfa_director"),
    ("Enseignant 1", "teacher"),
    ("Enseignant 2", "teacher"),
    ("Enseignant 3", "teacher"),
    ("Enseignant 4", "teacher"),
];

/// Runs the measurement with `candidates` generated learners (ten marks each).
pub fn run(candidates: usize) -> anyhow::Result<ExitCode> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench-jury.db").display());
    certif::generate::write_record_files(dir.path(), candidates, candidates * 10)?;
    stored::load_demo_curriculum(&url)?;
    stored::import(&url, "bench", "learners", &dir.path().join("learners.csv"), false)?;
    stored::import(&url, "bench", "marks", &dir.path().join("marks.csv"), false)?;
    let (open, render, bytes) = runtime()?.block_on(async {
        let db = Database::open(&url).await?;
        let date = chrono::NaiveDate::from_ymd_opt(2026, 9, 18).expect("a date");
        let new = NewSession {
            id: Some("BENCH".into()),
            certification: "RNCP39668".into(),
            kind: JuryKind::Title,
            date,
            name: None,
            place: Some("Paris".into()),
        };
        let id = jury::create(&db, new, "bench").await?;
        for (name, role) in JURY {
            let member = Member { name: name.into(), role: role.into(), representing: None, present: true, account: None };
            jury::add_member(&db, &id, member, "bench").await?;
        }
        let added = jury::add_candidates(&db, &id, Candidates::All, "bench").await?;
        anyhow::ensure!(added == candidates, "{added} candidates added, {candidates} expected");

        let started = Instant::now();
        jury::open(&db, &id, "bench").await?;
        let open = started.elapsed();

        // Each candidate gets what their proposal allows (title or refusal), written straight to
        // the store: the deliberations are not what this measures.
        let session = db.jury_session(&id).await?.ok_or_else(|| anyhow::anyhow!("session {id} vanished"))?;
        for candidate in &session.candidates {
            let proposal = candidate.proposal.clone().unwrap_or_default();
            let awarded = serde_json::from_str::<serde_json::Value>(&proposal)?["title"]["status"] == "awarded";
            let (outcome, justification) = if awarded {
                (Outcome::Award, None)
            } else {
                (Outcome::Refuse, Some("conditions de délivrance non remplies".to_string()))
            };
            let deliberation =
                Deliberation { outcome, votes: Votes { in_favour: 9, against: 0, abstain: 0, casting_vote: None }, justification };
            db.change_jury_session(&id, JuryChange::Deliberate { learner: candidate.learner.clone(), deliberation, proposal }, "bench")
                .await?;
        }
        jury::close(&db, &id, "bench").await?;
        jury::sign(&db, &id, "Anne Président", "bench").await?;
        let minutes = jury::minutes_json(&db, &id).await?;

        let started = Instant::now();
        let pdf = certif_documents::minutes_pdf(&minutes)?;
        let render = started.elapsed();
        anyhow::Ok((open, render, pdf.len()))
    })?;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("bench-jury: {candidates} candidates, SQLite");
    println!("  jury open (proposals computed)  {:>8.0} ms", ms(open));
    println!("  minutes as PDF                  {:>8.0} ms  ({} KB)", ms(render), bytes / 1000);
    Ok(ExitCode::SUCCESS)
}
