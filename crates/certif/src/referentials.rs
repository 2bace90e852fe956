//! `certif referential import | list | search | show | overlay`: France Compétences' export into
//! the store, and every certification certif knows, embedded or imported.

use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use certif::inputs::InputError;
use certif_app::Database;
use certif_core::Certification;
use certif_rncp_xml::{Fiches, ZipExport};
use certif_store::StoreError;
use certif_store::fiches::{FicheQuery, FicheRow, FicheSummary, ReferentialStore};

use certif_core::messages::cli::Said;

use crate::run::{runtime, say};

/// The SQLite file a URL names, if it names one.
fn sqlite_file(url: &str) -> Option<&Path> {
    let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    Some(Path::new(path.split('?').next().unwrap_or(path)))
}

/// The database, for commands that only read: a SQLite file that does not exist yet is not
/// created for them (they answer from the embedded certifications).
async fn open_if_exists(url: &str) -> certif_app::AppResult<Option<Database>> {
    if sqlite_file(url).is_some_and(|path| !path.exists()) {
        return Ok(None);
    }
    Ok(Some(Database::open(url).await?))
}

fn input_error(error: StoreError) -> anyhow::Error {
    match error {
        StoreError::Invalid(message) => InputError(message).into(),
        other => other.into(),
    }
}

fn bytes_bar(total: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("importing");
    bar
}

/// Fiches read ahead of the database: enough to keep both busy, few enough to bound memory
/// (a row with its document is tens of kB).
const READ_AHEAD: usize = 256;

/// Sends the export's fiches as store rows, moving the progress bar; an unreadable fiche is
/// sent as the import's error (named with the file), which rolls the whole import back.
fn send_rows<R: io::BufRead>(
    fiches: &mut Fiches<R>,
    name: &str,
    bar: &indicatif::ProgressBar,
    out: &std::sync::mpsc::SyncSender<Result<FicheRow, StoreError>>,
) {
    // Not a `for` loop: the summary is read between items.
    #[allow(clippy::while_let_on_iterator)]
    while let Some(next) = fiches.next() {
        bar.set_position(fiches.summary().bytes);
        let row = match next {
            Ok(fiche) => certif_app::certifications::fiche_row(&fiche).map_err(|e| StoreError::Invalid(format!("{name}: {e}"))),
            Err(error) => Err(StoreError::Invalid(format!("{name}: {error}"))),
        };
        let failed = row.is_err();
        // A closed channel: the import failed on the database side and stopped listening.
        if out.send(row).is_err() || failed {
            return;
        }
    }
}

/// Reads the export (XML or zip) on its own thread, so parsing overlaps writing, and answers
/// its rows as they come.
fn read_on_a_thread(
    file: &Path,
    zipped: bool,
    bar: indicatif::ProgressBar,
) -> Result<impl Iterator<Item = Result<FicheRow, StoreError>> + Send, InputError> {
    let name = file.display().to_string();
    let source = File::open(file).map_err(|e| InputError(format!("{name}: cannot read: {e}")))?;
    let (sender, receiver) = std::sync::mpsc::sync_channel(READ_AHEAD);
    if zipped {
        let mut export = ZipExport::new(BufReader::new(source)).map_err(|e| InputError(format!("{name}: {e}")))?;
        bar.set_length(export.xml_size());
        std::thread::spawn(move || match export.fiches() {
            Ok(mut fiches) => send_rows(&mut fiches, &name, &bar, &sender),
            Err(error) => drop(sender.send(Err(StoreError::Invalid(format!("{name}: {error}"))))),
        });
    } else {
        bar.set_length(source.metadata().map_err(|e| InputError(format!("{name}: cannot read: {e}")))?.len());
        std::thread::spawn(move || send_rows(&mut Fiches::new(BufReader::with_capacity(256 * 1024, source)), &name, &bar, &sender));
    }
    Ok(receiver.into_iter())
}

fn is_zip(path: &Path) -> io::Result<bool> {
    let mut magic = [0u8; 4];
    let mut file = File::open(path)?;
    let read = io::Read::read(&mut file, &mut magic)?;
    Ok(read == 4 && magic == *b"PK\x03\x04")
}

pub fn import(url: &str, actor: &str, file: &Path) -> anyhow::Result<ExitCode> {
    let name = file.display().to_string();
    let zipped = is_zip(file).map_err(|e| InputError(format!("{name}: cannot read: {e}")))?;
    let started = Instant::now();
    let bar = bytes_bar(0);
    let summary = runtime()?.block_on(async {
        let store = Database::open(url).await?;
        let rows = read_on_a_thread(file, zipped, bar.clone())?;
        let result = store.import_fiches(Box::new(rows), &name, actor).await;
        bar.finish_and_clear();
        anyhow::Ok(result.map_err(input_error)?)
    })?;
    let bytes = bar.position();
    eprintln!(
        "{}",
        say(Said::FichesImported {
            file: &name,
            new: summary.new,
            updated: summary.updated,
            unchanged: summary.unchanged,
            blocks: summary.blocks,
            bytes,
            millis: started.elapsed().as_millis().try_into().unwrap_or(u64::MAX),
        })
    );
    Ok(ExitCode::SUCCESS)
}

/// An embedded certification as a listing shows it (when no imported fiche replaces it).
fn embedded_summary(c: &Certification, today: chrono::NaiveDate) -> FicheSummary {
    FicheSummary {
        code: c.code.clone(),
        title: c.title.clone(),
        level: c.level,
        active: c.registration_end.is_none_or(|end| end >= today),
        registration_end: c.registration_end.map(|d| d.to_string()),
    }
}

/// Accent- and case-folded words, for matching embedded certifications by hand.
fn folded_words(text: &str) -> Vec<String> {
    certif_core::text::folded(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(String::from).collect()
}

/// Whether an embedded certification matches a query the way the store's search would.
fn embedded_matches(c: &Certification, query: &FicheQuery, today: chrono::NaiveDate) -> bool {
    let text_matches = query.text.as_deref().is_none_or(|text| {
        let mut haystack = c.title.clone();
        for block in &c.blocks {
            haystack.push(' ');
            haystack.push_str(&block.title);
            for competency in &block.competencies {
                haystack.push(' ');
                haystack.push_str(&competency.text);
            }
        }
        let words = folded_words(&haystack);
        folded_words(text).iter().all(|w| words.iter().any(|h| h.starts_with(w.as_str())))
    });
    text_matches
        && query.rome.as_ref().is_none_or(|r| c.rome.contains(r))
        && query.nsf.as_ref().is_none_or(|n| c.nsf.contains(n))
        && query.level.is_none_or(|l| c.level == Some(l))
        && (!query.active_only || embedded_summary(c, today).active)
}

/// Imported fiches matching the query, and the embedded certifications no import replaced.
pub fn find(url: &str, query: FicheQuery, json: bool) -> anyhow::Result<ExitCode> {
    let today = chrono::Local::now().date_naive();
    let found = runtime()?.block_on(async {
        let store = open_if_exists(url).await?;
        let mut found = match &store {
            Some(store) => store.fiches(&query).await?,
            None => Vec::new(),
        };
        for c in certif_referential::embedded() {
            let imported = match &store {
                Some(store) => store.fiche_document(&c.code).await?.is_some(),
                None => false,
            };
            if !imported && embedded_matches(&c, &query, today) {
                found.push(embedded_summary(&c, today));
            }
        }
        if query.text.is_none() {
            found.sort_by(|a, b| a.code.cmp(&b.code));
        }
        if let Some(limit) = query.limit {
            found.truncate(limit);
        }
        anyhow::Ok(found)
    })?;
    let mut out = io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&found)?)?;
    } else {
        for f in &found {
            let level = f.level.map_or_else(|| "-".to_string(), |l| l.to_string());
            let state = say(if f.active { Said::Active } else { Said::Inactive });
            writeln!(out, "{:<10} niv. {level:<2} {state:<8} {}", f.code, f.title)?;
        }
        if found.is_empty() {
            eprintln!("{}", say(Said::NoCertificationMatches));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One certification as certif knows it, with the links other fiches declare.
pub fn show(url: &str, code: &str, json: bool) -> anyhow::Result<ExitCode> {
    let resolved = runtime()?.block_on(async {
        match open_if_exists(url).await? {
            Some(store) => certif_app::certifications::resolve(&store, code).await,
            None => Ok(certif_referential::embedded_certification(code).map(|certification| certif_app::certifications::Resolved {
                certification,
                policy: certif_core::Policy::default(),
                imported: None,
                overlaid: true,
                jury: certif_referential::embedded_overlay(code)
                    .map_or_else(certif_core::jury::Composition::default_for_any, |o| o.jury_composition()),
            })),
        }
    })?;
    let Some(resolved) = resolved else {
        return Err(
            InputError(format!("unknown certification {code:?}: neither embedded nor imported (certif referential import FILE)")).into()
        );
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&resolved.certification)?);
    } else {
        print!("{}", certif::referential_text::certification_text(&resolved.certification));
    }
    Ok(ExitCode::SUCCESS)
}

/// Stores an overlay for a certification certif knows, after checking it fits.
pub fn overlay(url: &str, actor: &str, file: &Path) -> anyhow::Result<ExitCode> {
    let name = file.display().to_string();
    let text = certif::inputs::read_input(file)?;
    let overlay =
        certif_referential::parse_overlay(&text).map_err(|e| InputError(format!("{name}:{}: {}: {}", e.line, e.path, e.message)))?;
    runtime()?.block_on(async {
        let store = Database::open(url).await?;
        let code = &overlay.certification;
        let fiche = match store.fiche_document(code).await? {
            Some(document) => certif_app::certifications::decode_document(&document)?.certification,
            None => certif_referential::embedded_fiche(code)
                .ok_or_else(|| InputError(format!("{name}: certification {code} is neither embedded nor imported")))?,
        };
        overlay.apply(&mut fiche.clone()).map_err(|e| InputError(format!("{name}: {}: {}", e.path, e.message)))?;
        store.save_overlay(code, &text, actor).await.map_err(input_error)?;
        eprintln!("{}", say(Said::OverlayStored { code }));
        anyhow::Ok(ExitCode::SUCCESS)
    })
}

/// The certifications a curriculum file may name: the embedded ones, and — when the database
/// exists (it is not created for this) — the one the file names as certif resolves it from the
/// database (an imported fiche, a stored overlay).
pub fn known_for_curriculum(url: &str, file: &Path) -> anyhow::Result<Vec<Certification>> {
    let embedded = certif_referential::embedded();
    let text = certif::inputs::read_input(file)?;
    let Some(code) = certif_referential::curriculum_certification(&text) else { return Ok(embedded) };
    let is_embedded = embedded.iter().any(|c| c.code == code);
    let resolved = runtime()?.block_on(async {
        match open_if_exists(url).await? {
            Some(store) => certif_app::certifications::resolve_all(&store, &[code.as_str()]).await,
            None => Ok(Vec::new()),
        }
    });
    let resolved = match resolved {
        Ok(resolved) => resolved,
        // An embedded certification needs no database: say why it was not consulted, go on.
        Err(error) if is_embedded => {
            eprintln!("{}", say(Said::NotConsulted { url, why: &format!("{error:#}"), code: &code }));
            return Ok(embedded);
        }
        Err(error) => return Err(error.into()),
    };
    let mut known: Vec<Certification> = resolved.into_iter().map(|r| r.certification).collect();
    let resolved_codes: Vec<String> = known.iter().map(|k| k.code.clone()).collect();
    known.extend(embedded.into_iter().filter(|c| !resolved_codes.contains(&c.code)));
    Ok(known)
}
