//! What can go wrong in the application core, and how each edge reports it: the CLI as an exit
//! status (`exit_status`), the server as an HTTP status (in `certif::server`).

use certif_store::StoreError;

/// Input the user must fix (a file, an argument, a request): reported as is.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// An application-core failure.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The caller's input: exit 2, HTTP 422.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The database named by a URL could not be opened: exit 1.
    #[error("cannot open {url}: {error}")]
    Open { url: String, error: StoreError },
    /// What a jury may not do (spec/jury.md): every code with its sentence, exit 2, HTTP 409/422.
    #[error("{}", refusal_lines(.0))]
    Refused(Vec<certif_core::jury::Refusal>),
    /// What the store answered (not found, conflict, refused, or a database fault).
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type AppResult<T> = Result<T, AppError>;

/// One line a refusal: its code, then its sentence.
fn refusal_lines(refusals: &[certif_core::jury::Refusal]) -> String {
    refusals.iter().map(|r| format!("{} : {}", r.code.as_str(), r.message)).collect::<Vec<_>>().join("\n")
}

impl AppError {
    /// The CLI's exit status: 2 for input the user must fix, 1 for anything else.
    pub fn exit_status(&self) -> u8 {
        match self {
            AppError::Input(_) | AppError::Refused(_) | AppError::Store(StoreError::Refused { .. }) => 2,
            AppError::Open { .. } | AppError::Store(_) => 1,
        }
    }
}
