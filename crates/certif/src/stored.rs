//! Commands over the database: `curriculum load`, `import`, `status`, `export dossier`,
//! `backup`, `demo` (`audit` is in `audit`). Each opens the store, does one thing in one transaction, and
//! decides through the same engine as `evaluate`.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use certif::inputs::{self, InputError};
use certif_app::Database;
use certif_app::{load_curriculum, stored_curricula};
use certif_core::{Decision, Dossier, Policy};
use certif_ingest::Kind;
use certif_store::Store;
use chrono::NaiveDate;

use certif_core::messages::cli::Said;

use crate::run::{lang, runtime, say};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum StatusFormat {
    Text,
    Json,
    Csv,
}

async fn open(url: &str) -> anyhow::Result<Database> {
    Ok(Database::open(url).await?)
}

/// `--on`: `DD/MM/YYYY` as the imports take it, or `YYYY-MM-DD`; today when absent.
fn date_or_today(on: Option<&str>) -> anyhow::Result<NaiveDate> {
    match on {
        None => Ok(chrono::Local::now().date_naive()),
        Some(text) => certif_ingest::date(text)
            .map_err(|_| InputError(format!("--on {text} : ce n'est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ)")).into()),
    }
}

pub fn curriculum_load(url: &str, actor: &str, file: &Path) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = open(url).await?;
        let text = inputs::read_input(file)?;
        let id = load_curriculum(&store, actor, text, &file.display().to_string()).await?;
        eprintln!("{}", say(Said::CurriculumStored { id: &id }));
        Ok(ExitCode::SUCCESS)
    })
}

pub fn import(url: &str, actor: &str, kind: &str, file: &Path, dry_run: bool) -> anyhow::Result<ExitCode> {
    let kind = Kind::parse(kind).ok_or_else(|| {
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        let (fr, en) = ("n'est pas un type d'import", "is not an import kind");
        InputError(format!("{kind:?} {} ({})", certif_core::messages::pick(lang(), fr, en), kinds.join(", ")))
    })?;
    let bytes = inputs::read_file(file, certif_ingest::MAX_FILE_BYTES as u64)?;
    let name = file.display().to_string();
    runtime()?.block_on(async {
        let store = open(url).await?;
        // The bar appears once the rows are read, for a file long enough to want one.
        let bar = std::sync::Arc::new(std::sync::OnceLock::<indicatif::ProgressBar>::new());
        let progress: certif_store::Progress = {
            let bar = bar.clone();
            std::sync::Arc::new(move |done, total| {
                let bar = bar.get_or_init(|| writing_bar(total));
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            })
        };
        let imported = certif_app::import::import_sheet(&store, actor, kind, &name, &bytes, dry_run, progress).await;
        if let Some(bar) = bar.get() {
            bar.finish_and_clear();
        }
        let imported = match imported {
            Ok(imported) => imported,
            Err(certif_app::import::ImportError::Sheet(problems)) => return Err(problems.into()),
            Err(certif_app::import::ImportError::App(error)) => return Err(error.into()),
        };
        for warning in &imported.warnings {
            eprintln!("{}", say(Said::Warning { text: &warning.in_words(lang()) }));
        }
        let summary = imported.summary;
        eprintln!(
            "{}",
            say(Said::Imported {
                file: &name,
                rows: imported.rows,
                new: summary.inserted,
                changed: summary.updated,
                unchanged: summary.unchanged,
                dry_run
            })
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// A progress bar for writing a large file's rows (hidden for small files and when stderr is
/// not a terminal).
fn writing_bar(rows: usize) -> indicatif::ProgressBar {
    const LARGE: usize = 2_000;
    if rows < LARGE {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(rows as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template(&format!("{{msg}} [{{bar:40}}] {{pos}}/{{len}} {} ({{elapsed}})", say(Said::Rows)))
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(say(Said::Writing));
    bar
}

/// Loads the demo curriculum (what `demo` and `bench-records` start from).
pub fn load_demo_curriculum(url: &str) -> anyhow::Result<String> {
    runtime()?.block_on(async {
        let store = open(url).await?;
        Ok(load_curriculum(&store, "demo", certif_referential::DEMO_CURRICULUM.to_string(), "demo curriculum").await?)
    })
}

/// Every learner's status as JSON, as `status --format json` writes it; answers its length.
pub fn status_json_len(url: &str, on: &str) -> anyhow::Result<usize> {
    let on = date_or_today(Some(on))?;
    runtime()?.block_on(async {
        let store = open(url).await?;
        let mut counted = Counted(0);
        write_status(&store, None, on, StatusFormat::Json, &mut counted).await?;
        Ok(counted.0)
    })
}

/// A writer that only counts what it is given.
struct Counted(usize);

impl Write for Counted {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The cohort's status (or one learner's) in `format`, written to `out` a page of learners at
/// a time as they are decided: memory holds one page whatever the cohort's size, and the
/// first lines are out before the last learners are read.
async fn write_status(store: &Database, learner: Option<&str>, on: NaiveDate, format: StatusFormat, out: impl Write) -> anyhow::Result<()> {
    let curricula = stored_curricula(store).await?;
    let policy = Policy::default();
    let mut sink = StatusSink::new(out, format);
    match learner {
        Some(id) => {
            let records = store.records_of(id).await?;
            sink.page(&[certif_app::decide_records(&curricula, &policy, id, &records, on)?])?;
        }
        None => {
            let mut pages = certif_app::CohortPages::new(store, &curricula, &policy, on, certif_app::COHORT_PAGE);
            while let Some(page) = pages.next().await? {
                sink.page(&page)?;
            }
        }
    }
    sink.finish()
}

/// Where `status` writes its decisions, in its format.
enum StatusSink<W: Write> {
    Json(JsonArray<W>),
    Csv(Box<certif_app::status_table::CohortCsv<W>>),
    Text(certif_app::status_table::TableWriter<W>),
}

impl<W: Write> StatusSink<W> {
    fn new(out: W, format: StatusFormat) -> Self {
        match format {
            StatusFormat::Json => StatusSink::Json(JsonArray { out, empty: true }),
            StatusFormat::Csv => StatusSink::Csv(Box::new(certif_app::status_table::CohortCsv::new(out, lang()))),
            StatusFormat::Text => StatusSink::Text(certif_app::status_table::TableWriter::new(out, lang())),
        }
    }

    /// Writes a page of decided learners, and flushes it.
    fn page(&mut self, decided: &[(Dossier, Decision)]) -> anyhow::Result<()> {
        let rows = || {
            decided.iter().map(|(dossier, decision)| certif_app::status_table::Row {
                learner: &decision.learner,
                name: dossier.learner.display_name(),
                route: certif_core::messages::route(dossier.access_route, lang()),
                decision,
            })
        };
        match self {
            StatusSink::Json(array) => {
                for (_, decision) in decided {
                    array.element(decision)?;
                }
                array.out.flush()?;
            }
            StatusSink::Csv(csv) => csv.rows(&rows().collect::<Vec<_>>())?,
            StatusSink::Text(table) => table.rows(&rows().collect::<Vec<_>>())?,
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        match self {
            StatusSink::Json(array) => array.finish()?,
            StatusSink::Csv(csv) => drop(csv.finish()?),
            StatusSink::Text(table) => drop(table.finish()?),
        }
        Ok(())
    }
}

/// A JSON array written an element at a time, laid out byte for byte as
/// `serde_json::to_string_pretty` lays out the whole array, then a newline.
struct JsonArray<W: Write> {
    out: W,
    empty: bool,
}

impl<W: Write> JsonArray<W> {
    fn element(&mut self, value: &impl serde::Serialize) -> io::Result<()> {
        self.out.write_all(if self.empty { b"[\n  " } else { b",\n  " })?;
        self.empty = false;
        let text = serde_json::to_vec_pretty(value)?;
        // One level deeper inside the array: two spaces after each of its line breaks (JSON
        // escapes a string's own line breaks, so every raw one is the layout's).
        for (n, line) in text.split(|byte| *byte == b'\n').enumerate() {
            if n > 0 {
                self.out.write_all(b"\n  ")?;
            }
            self.out.write_all(line)?;
        }
        Ok(())
    }

    fn finish(mut self) -> io::Result<()> {
        self.out.write_all(if self.empty { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

pub fn status(url: &str, learner: Option<&str>, on: Option<&str>, format: StatusFormat) -> anyhow::Result<ExitCode> {
    let on = date_or_today(on)?;
    runtime()?.block_on(async {
        let store = open(url).await?;
        if let (Some(learner), StatusFormat::Text) = (learner, format) {
            print!("{}", learner_report(&store, learner, on).await?);
            return Ok(ExitCode::SUCCESS);
        }
        write_status(&store, learner, on, format, io::BufWriter::with_capacity(1 << 16, io::stdout().lock())).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// One learner's explained report (the text `evaluate --format text` prints), in French.
async fn learner_report(store: &Database, learner: &str, on: NaiveDate) -> anyhow::Result<String> {
    let curricula = stored_curricula(store).await?;
    let policy = Policy::default();
    let records = store.records_of(learner).await?;
    let (dossier, decision) = certif_app::decide_records(&curricula, &policy, learner, &records, on)?;
    let (curriculum, certification, policy) = curricula.decided_against(&policy, learner, &records)?;
    let sources = certif_core::report::Sources { certification, curriculum, policy, dossier: &dossier };
    Ok(certif_core::report::decision_text(&decision, sources, crate::run::lang()))
}

pub fn export_dossier(url: &str, learner: &str, on: Option<&str>) -> anyhow::Result<ExitCode> {
    let on = date_or_today(on)?;
    runtime()?.block_on(async {
        let store = open(url).await?;
        let curricula = stored_curricula(&store).await?;
        let (dossier, _) = certif_app::decide(&store, &curricula, &Policy::default(), learner, on).await?;
        println!("{}", dossier.to_json());
        Ok(ExitCode::SUCCESS)
    })
}

pub fn backup(url: &str, file: &Path) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = open(url).await?;
        store.backup_to(file).await.map_err(|e| InputError(format!("{}: {e}", file.display())))?;
        eprintln!("{}", say(Said::BackupWritten { file: &file.display().to_string() }));
        Ok(ExitCode::SUCCESS)
    })
}

/// Where the demo writes its holders' documents: `documents/` beside its SQLite file, else in
/// the current directory.
fn demo_documents_dir(url: &str) -> std::path::PathBuf {
    let file = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).map(Path::new);
    match file.and_then(Path::parent) {
        Some(parent) => parent.join("documents"),
        None => std::path::PathBuf::from("documents"),
    }
}

/// Issues the diploma and transcript of every holder of the latest published title session
/// (one session only: the demo stays quick); answers the session and its holders.
async fn demo_documents(store: &certif_app::Database, dir: &Path) -> anyhow::Result<Option<(String, usize)>> {
    use certif_app::documents::{self, Which};
    use certif_store::jury::{Held, JuryStore as _};
    let holders = store.holders().await?;
    let Some(latest) = holders.iter().filter(|h| h.what == Held::Title).max_by_key(|h| (h.published_on, h.session.clone())) else {
        return Ok(None);
    };
    let which = Which::Session(latest.session.clone());
    let mut issued = documents::issue(store, certif_documents::Kind::Diploma, &which, "demo").await?;
    let count = issued.len();
    issued.extend(documents::issue(store, certif_documents::Kind::Transcript, &which, "demo").await?);
    crate::documents::written_in(dir, &issued)?;
    Ok(Some((latest.session.clone(), count)))
}

/// Recreates the demo database: RNCP39668, the demo curriculum, a cohort covering every path.
/// (A PostgreSQL database must be empty: certif does not drop a server's data.)
/// The passphrase that seals the demo's issuer key (a demonstration database only).
pub const DEMO_PASSPHRASE: &str = "démonstration certif";

pub fn demo(url: &str, learners: usize, format: StatusFormat, promotions: bool) -> anyhow::Result<ExitCode> {
    if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{path}{suffix}");
            if Path::new(&file).exists() {
                std::fs::remove_file(&file).with_context(|| format!("cannot replace {file}"))?;
            }
        }
    }
    runtime()?.block_on(async {
        let store = open(url).await?;
        let curriculum_id = load_curriculum(&store, "demo", certif_referential::DEMO_CURRICULUM.to_string(), "demo curriculum").await?;
        let (curriculum, certification) = certif_referential::demo_curriculum();
        let policy = Policy::default();
        let context = certif_core::dossier::DossierContext { certification: &certification, curriculum: &curriculum, policy: &policy };
        let paths = certif::generate::Profile::ALL.len();
        if learners < paths {
            eprintln!("{}", say(Said::DemoRaised { asked: learners, paths }));
        }
        let cohort = certif::generate::cohort(&curriculum, learners.max(paths), 2026);
        let mut all_records = Vec::new();
        let mut evaluated_on = None;
        for value in &cohort {
            let dossier = certif_core::Dossier::from_json(&value.to_string(), context)?;
            evaluated_on = evaluated_on.max(Some(dossier.evaluated_on));
            all_records.extend(certif_store::record::records_of_dossier(&dossier, Some(&curriculum_id)));
        }
        store.apply(all_records, "demo", false).await?;
        let ids = store.learner_ids().await?;
        let teacher_modules: Vec<String> = curriculum.modules().take(2).map(|(_, m)| m.code.to_string()).collect();
        let accounts = crate::users::demo_accounts(&store, &ids, teacher_modules).await?;
        let on = evaluated_on.unwrap_or_else(|| chrono::Local::now().date_naive());
        let candidates = certif::demo_jury::seat(&store, on, "demo").await?;
        for (key, value) in certif_app::declaration::EXAMPLE_SETTINGS {
            certif_app::declaration::set_setting(&store, key, value, "demo").await?;
        }
        let on_text = on.format("%d/%m/%Y").to_string();
        eprintln!("{}\n", say(Said::DemoReady { url, learners: cohort.len(), curriculum: &curriculum_id, on: &on_text }));
        write_status(&store, None, on, format, io::BufWriter::with_capacity(1 << 16, io::stdout().lock())).await?;
        let promotions = if promotions { Some(certif::demo_stats::promotions(&store, &curriculum_id, on).await?) } else { None };
        // The promotions' holders get their credentials, under a key sealed by the demo's
        // passphrase (or the one given), so a newcomer can verify one at once.
        let credentials = match promotions {
            Some(_) => {
                let passphrase = match std::env::var(certif_app::credentials::PASSPHRASE_ENV) {
                    Ok(given) => given,
                    Err(_) => DEMO_PASSPHRASE.to_string(),
                };
                let sealing = certif_app::credentials::Passphrase::new(passphrase.clone())?;
                let now = chrono::Utc::now();
                certif_app::credentials::generate_key(&store, &sealing, now, "demo").await?;
                let whose = certif_app::credentials::Whose::Everyone;
                Some((certif_app::credentials::issue(&store, &whose, &sealing, now, "demo").await?.issued.len(), passphrase))
            }
            None => None,
        };
        eprintln!("\n{}", say(Said::DemoAccounts));
        for (username, role, password) in accounts {
            eprintln!("  {username:<16} {:<10} {password}", role.as_str());
        }
        eprintln!("\n{}", say(Said::DemoJury { session: certif::demo_jury::SESSION, candidates }));
        eprintln!("{}", say(Said::DemoDeclaration));
        if let Some(p) = promotions {
            eprintln!("{}", say(Said::DemoStatistics { sessions: p.sessions, presented: p.presented, answers: p.answers }));
            let dir = demo_documents_dir(url);
            if let Some((session, holders)) = demo_documents(&store, &dir).await? {
                let dir = dir.display().to_string();
                eprintln!("{}", say(Said::DemoDocuments { session: &session, holders, dir: &dir }));
            }
        }
        if let Some((issued, passphrase)) = &credentials {
            eprintln!("{}", say(Said::DemoCredentials { issued: *issued, passphrase }));
        }
        Ok(ExitCode::SUCCESS)
    })
}
