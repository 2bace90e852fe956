//! Reading the CLI's input files into trusted domain values, with errors that name the file.

use std::path::Path;

use certif_core::{Certification, Curriculum, Policy};

pub use certif_app::InputError;

/// The largest text input read whole (a curriculum, a policy, an overlay, one dossier): far
/// above any real one, so that no file can exhaust memory.
pub const MAX_TEXT_BYTES: u64 = 16 << 20;

/// Reads at most `limit` bytes of a stream, refusing a longer one by name.
pub fn read_bounded(name: &str, reader: impl std::io::Read, limit: u64) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut reader.take(limit + 1), &mut bytes).map_err(|e| InputError(format!("{name}: cannot read: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(InputError(format!("{name}: larger than {} MiB, the most certif reads; nothing was read", limit >> 20)));
    }
    Ok(bytes)
}

/// Reads a whole file of at most `limit` bytes.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| InputError(format!("{name}: cannot read: {e}")))?;
    read_bounded(&name, file, limit)
}

fn text(name: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    String::from_utf8(bytes).map_err(|e| InputError(format!("{name}: not UTF-8 text (byte {})", e.utf8_error().valid_up_to() + 1)))
}

fn read(path: &Path) -> Result<String, InputError> {
    text(&path.display().to_string(), read_file(path, MAX_TEXT_BYTES)?)
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
    if path == Path::new("-") { text("stdin", read_bounded("stdin", std::io::stdin(), MAX_TEXT_BYTES)?) } else { read(path) }
}
