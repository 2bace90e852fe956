//! Checked spreadsheet rows as the records the store keeps.

use certif_ingest::Rows;
use certif_store::Record;
use certif_store::record::LearnerRecord;

/// Turns checked spreadsheet rows into records. Every problem (identifiers, unknown learners)
/// was reported by `certif_ingest::parse` in the same pass as the other cells'.
pub fn records_from_rows(rows: Rows) -> Vec<Record> {
    match rows {
        Rows::Learners(rows) => rows
            .into_iter()
            .map(|r| {
                Record::Learner(LearnerRecord {
                    learner: certif_core::dossier::Learner {
                        id: r.learner_id,
                        family_name: r.family_name,
                        given_names: r.given_names,
                        birth_date: r.birth_date,
                        sex: r.sex,
                        birth_place_insee: r.birth_place_insee,
                    },
                    access_route: r.access_route,
                    enrolled_on: r.enrolled_on,
                    contract: r.contract,
                    curriculum: r.curriculum,
                })
            })
            .collect(),
        Rows::Marks(rows) => rows
            .into_iter()
            .map(|r| Record::Mark { learner_id: r.learner_id, module: r.module, session1: r.session1, session2: r.session2 })
            .collect(),
        Rows::CompanyPeriods(rows) => rows
            .into_iter()
            .map(|r| Record::CompanyPeriod {
                learner_id: r.learner_id,
                period: certif_core::dossier::CompanyPeriod { id: r.period_id, start: r.start, end: r.end, evaluation: r.evaluation },
            })
            .collect(),
        Rows::Mobility(rows) => rows
            .into_iter()
            .map(|r| Record::Mobility {
                learner_id: r.learner_id,
                stay: certif_core::dossier::MobilityStay { country: r.country, start: r.start, end: r.end },
            })
            .collect(),
        Rows::English(rows) => rows
            .into_iter()
            .map(|r| Record::English {
                learner_id: r.learner_id,
                certificate: certif_core::dossier::EnglishCertificate { test: r.test, score: r.score, date: r.date },
            })
            .collect(),
        Rows::Vae(rows) => rows
            .into_iter()
            .map(|r| Record::Vae {
                learner_id: r.learner_id,
                decision: certif_core::dossier::VaeDecision { block: r.block, decision: r.decision, date: r.date },
            })
            .collect(),
        Rows::Accommodations(rows) => {
            rows.into_iter().map(|r| Record::Accommodation { learner_id: r.learner_id, accommodation: r.accommodation }).collect()
        }
        // The survey's answers are no learner's record: `InsertionStore` keeps them
        // (`insertion_answers`).
        Rows::Insertion(_) => Vec::new(),
    }
}

/// The insertion survey's checked rows as the answers `InsertionStore` keeps; `None` for every
/// other kind.
pub fn insertion_answers(rows: &Rows) -> Option<Vec<certif_stats::Answer>> {
    match rows {
        Rows::Insertion(rows) => Some(rows.iter().map(|r| r.answer.clone()).collect()),
        _ => None,
    }
}

/// Checks every row of `sheet` as `kind` against the stored curricula, the certifications
/// certif knows and the learners `is_learner` says exist: the checks of every import, and of
/// every form that edits a record (`crate::edit`).
pub fn parse_sheet(
    kind: certif_ingest::Kind,
    sheet: &certif_ingest::Sheet,
    curricula: &crate::Curricula,
    is_learner: &dyn Fn(&str) -> bool,
) -> Result<certif_ingest::Parsed, certif_ingest::IngestError> {
    let known = certif_referential::embedded();
    let policy = certif_core::Policy::default();
    let is_module = |code: &str| curricula.is_module(code);
    let is_block = |code: &str| curricula.is_block(code) || known.iter().any(|c| c.block(code).is_some());
    let checks = certif_ingest::Checks { policy: &policy, is_module: &is_module, is_block: &is_block, is_learner };
    certif_ingest::parse(kind, sheet, &checks)
}

/// What an import wrote (or, dry, would write): rows read, the sheet's warnings, the summary.
#[derive(Debug)]
pub struct Imported {
    pub rows: usize,
    /// Columns the sheet has that the kind does not read, each with its place in the file.
    pub warnings: Vec<certif_ingest::Issue>,
    pub summary: certif_store::ApplySummary,
}

/// Why an import wrote nothing: the file's problems, every one with its line and column, or
/// what the application answered (a store failure, a stale write).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Sheet(#[from] certif_ingest::IngestError),
    #[error(transparent)]
    App(#[from] crate::AppError),
}

impl From<certif_store::StoreError> for ImportError {
    fn from(error: certif_store::StoreError) -> ImportError {
        ImportError::App(error.into())
    }
}

/// Reads the spreadsheet `bytes` (named `name`) as rows of `kind`, checks every cell against the
/// stored curricula and learners, and writes them all or nothing, audited as `actor`; with
/// `dry_run`, only says what would change. The one import path of the CLI and the web.
pub async fn import_sheet(
    store: &crate::Database,
    actor: &str,
    kind: certif_ingest::Kind,
    name: &str,
    bytes: &[u8],
    dry_run: bool,
    progress: certif_store::Progress,
) -> Result<Imported, ImportError> {
    use certif_store::Store as _;
    use certif_store::insertion::InsertionStore as _;
    let curricula = crate::curricula::stored_curricula(store).await?;
    let learners: std::collections::HashSet<String> = store.learner_ids().await?.into_iter().collect();
    // Read and checked without an await: the checks' closures stay on this thread.
    let parsed = {
        let sheet = certif_ingest::read_sheet(name, bytes)?;
        parse_sheet(kind, &sheet, &curricula, &|id| learners.contains(id))?
    };
    let warnings = parsed.warnings;
    let rows = parsed.rows.len();
    let summary = match insertion_answers(&parsed.rows) {
        Some(answers) => store.put_insertion_answers(answers, actor, dry_run).await?,
        None => store.apply_with_progress(records_from_rows(parsed.rows), actor, dry_run, progress).await?,
    };
    Ok(Imported { rows, warnings, summary })
}
