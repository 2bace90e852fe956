//! Reading the CLI's input files into trusted domain values, with errors that name the file.

use std::path::Path;

use certif_core::{Certification, Curriculum, Policy};

/// Input the user must fix: reported as is, exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

fn read(path: &Path) -> Result<String, InputError> {
    std::fs::read_to_string(path).map_err(|e| InputError(format!("{}: cannot read: {e}", path.display())))
}

/// Every certification certif knows.
pub fn certifications() -> Vec<Certification> {
    certif_referential::embedded()
}

/// Loads a curriculum file and returns it with its certification.
pub fn curriculum(path: &Path, known: &[Certification]) -> Result<(Curriculum, Certification), InputError> {
    let text = read(path)?;
    let (curriculum, certification) = certif_referential::load_curriculum(&text, |code| known.iter().find(|c| c.code == code))
        .map_err(|e| InputError(format!("{}:{}: {}: {}", path.display(), e.line, e.path, e.message)))?;
    Ok((curriculum, certification.clone()))
}

/// The default policy, or the default with a TOML override file applied.
pub fn policy(path: Option<&Path>) -> Result<Policy, InputError> {
    match path {
        None => Ok(Policy::default()),
        Some(path) => {
            let text = read(path)?;
            certif_referential::load_policy(&text)
                .map_err(|e| InputError(format!("{}:{}: {}: {}", path.display(), e.line, e.path, e.message)))
        }
    }
}

/// Reads a whole input file (or stdin for `-`).
pub fn read_input(path: &Path) -> Result<String, InputError> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| InputError(format!("stdin: {e}")))?;
        Ok(text)
    } else {
        read(path)
    }
}
