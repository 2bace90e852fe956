//! `certif document KIND LEARNER` and `certif document KIND --session S --output-dir DIR`
//! (spec/credentials.md §1): thin over `certif_app::documents` (the data from published
//! decisions, the typesetting, the record with each document's SHA-256) and, for the minutes,
//! over the jury's (`jury minutes --format pdf`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use certif::inputs::InputError;
use certif_app::Database;
use certif_app::documents::{self, Issued, Which};
use certif_documents::Kind;
use clap::ValueEnum;

use crate::jury::write_atomically;
use crate::run::runtime;

/// What `certif document` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocumentKind {
    Diploma,
    Attestation,
    Transcript,
    Minutes,
}

impl DocumentKind {
    fn holder_kind(self) -> Option<Kind> {
        match self {
            DocumentKind::Diploma => Some(Kind::Diploma),
            DocumentKind::Attestation => Some(Kind::Attestation),
            DocumentKind::Transcript => Some(Kind::Transcript),
            DocumentKind::Minutes => None,
        }
    }
}

/// Where the documents go: one file, or a directory of `LEARNER-KIND.pdf`.
pub struct Output {
    pub file: Option<PathBuf>,
    pub dir: Option<PathBuf>,
}

pub fn run(
    url: &str,
    actor: &str,
    kind: DocumentKind,
    learner: Option<String>,
    session: Option<String>,
    output: Output,
) -> anyhow::Result<ExitCode> {
    let Some(holder_kind) = kind.holder_kind() else { return minutes(url, learner, session, output) };
    let which = match (learner, &session) {
        (Some(learner), _) => {
            if output.dir.is_some() {
                return Err(InputError("--output-dir : pour toute une session (certif document KIND --session S --output-dir DIR) ; pour un apprenant, --output FICHIER".into()).into());
            }
            Which::Learner { learner, session: session.clone() }
        }
        (None, Some(session)) => {
            if output.dir.is_none() || output.file.is_some() {
                return Err(InputError(format!(
                    "--session {session} sans apprenant : un fichier par titulaire, dans --output-dir DOSSIER"
                ))
                .into());
            }
            Which::Session(session.clone())
        }
        (None, None) => {
            return Err(InputError(
                "un apprenant (certif document KIND APPRENANT) ou une session (--session S --output-dir DOSSIER)".into(),
            )
            .into());
        }
    };
    runtime()?.block_on(async {
        let db = Database::open(url).await?;
        let issued = documents::issue(&db, holder_kind, &which, actor).await?;
        let base = certif_app::address::base_url(&db).await?;
        match (&which, output.file, output.dir) {
            (Which::Learner { .. }, file, _) => {
                for document in &issued {
                    let path = file.clone().unwrap_or_else(|| PathBuf::from(document.file_name()));
                    write_atomically(&path, &document.pdf)?;
                    said(&path, document, &base);
                }
            }
            (Which::Session(session), _, Some(dir)) => {
                written_in(&dir, &issued)?;
                eprintln!("session {session} : {} {} écrits dans {}", issued.len(), plural(holder_kind), dir.display());
            }
            (Which::Session(_), _, None) => {}
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn plural(kind: Kind) -> &'static str {
    match kind {
        Kind::Diploma => "diplômes",
        Kind::Attestation => "attestations",
        Kind::Transcript => "relevés de notes",
    }
}

fn said(path: &Path, document: &Issued, base: &str) {
    eprintln!(
        "{} de {} : {} (n° {}, vérification {})",
        Kind::parse(&document.document.kind).map(Kind::label).unwrap_or("document"),
        document.document.learner,
        path.display(),
        document.document.id,
        certif_app::address::verify_url(base, &document.document.id)
    );
}

/// Each document as `DIR/LEARNER-KIND.pdf` (the directory made if it is not there).
pub fn written_in(dir: &Path, issued: &[Issued]) -> Result<(), InputError> {
    std::fs::create_dir_all(dir).map_err(|e| InputError(format!("{} : création impossible : {e}", dir.display())))?;
    for document in issued {
        write_atomically(&dir.join(document.file_name()), &document.pdf)?;
    }
    Ok(())
}

/// The jury's minutes of `--session`, as `jury minutes --format pdf` makes them.
fn minutes(url: &str, learner: Option<String>, session: Option<String>, output: Output) -> anyhow::Result<ExitCode> {
    if let Some(learner) = learner {
        return Err(
            InputError(format!("{learner} : le procès-verbal est celui d'une session (certif document minutes --session S)")).into()
        );
    }
    let Some(session) = session else {
        return Err(InputError("certif document minutes --session S : le procès-verbal de quelle session ?".into()).into());
    };
    runtime()?.block_on(async {
        let db = Database::open(url).await?;
        let json = certif_app::jury::minutes_json(&db, &session).await?;
        let pdf = certif_documents::minutes_pdf(&json)?;
        let path = match (output.file, output.dir) {
            (Some(file), _) => file,
            (None, Some(dir)) => {
                std::fs::create_dir_all(&dir).map_err(|e| InputError(format!("{} : création impossible : {e}", dir.display())))?;
                dir.join(format!("{session}-minutes.pdf"))
            }
            (None, None) => PathBuf::from(format!("{session}-minutes.pdf")),
        };
        write_atomically(&path, &pdf)?;
        eprintln!("procès-verbal de la session {session} : {}", path.display());
        Ok(ExitCode::SUCCESS)
    })
}
