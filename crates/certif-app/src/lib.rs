//! certif's application core, on which both edges stand: the CLI (`certif …`) and the server
//! (`certif serve`). It opens the database a URL names (the only code that names a backend),
//! says what a certification code means, loads the stored curricula against them, and decides
//! learners and cohorts through the one engine. Errors are [`AppError`]s: the CLI maps them to
//! exit statuses, the server to HTTP statuses; neither edge imports the other.

pub mod accounts;
pub mod address;
pub mod certifications;
pub mod cohort;
pub mod credentials;
pub mod curricula;
pub mod database;
pub mod decide;
pub mod declaration;
pub mod documents;
pub mod edit;
pub mod error;
pub mod import;
pub mod jury;
pub mod stats;
pub mod status_table;

pub use certifications::{Resolved, resolve, resolve_all};
pub use curricula::{Curricula, curricula_of, load_curriculum, stored_curricula};
pub use database::Database;
pub use decide::{COHORT_PAGE, CohortPages, decide, decide_records, decide_what_if};
pub use error::{AppError, AppResult, InputError};

/// A random UUID (version 4): a flow's id, a credential's, a document's.
pub fn random_uuid() -> AppResult<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| InputError(format!("aucun aléa disponible : {e}")))?;
    Ok(certif_declaration::uuid_text(bytes, 4))
}
