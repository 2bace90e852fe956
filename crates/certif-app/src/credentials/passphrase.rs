//! The passphrase that seals the issuer's private keys: from `CERTIF_KEY_PASSPHRASE`, or from a
//! file only its owner can read (`CERTIF_KEY_PASSPHRASE_FILE`, mode 0600), never an argument
//! (it would show in the process list and the shell's history).

use std::path::Path;

use zeroize::Zeroizing;

use crate::error::{AppResult, InputError};

pub const PASSPHRASE_ENV: &str = "CERTIF_KEY_PASSPHRASE";
pub const PASSPHRASE_FILE_ENV: &str = "CERTIF_KEY_PASSPHRASE_FILE";
/// Shorter passphrases are refused: the sealed key is only as strong as its passphrase.
pub const MIN_CHARS: usize = 12;
/// A passphrase file larger than this is not a passphrase.
const MAX_FILE_BYTES: u64 = 4096;

/// A passphrase, wiped from memory when dropped, never printed.
pub struct Passphrase(Zeroizing<String>);

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

impl Passphrase {
    pub fn new(text: impl Into<String>) -> AppResult<Passphrase> {
        let text = Zeroizing::new(text.into());
        if text.chars().count() < MIN_CHARS {
            return Err(InputError(format!("la phrase secrète des clés doit compter au moins {MIN_CHARS} caractères")).into());
        }
        Ok(Passphrase(text))
    }

    /// `CERTIF_KEY_PASSPHRASE`, else the file `CERTIF_KEY_PASSPHRASE_FILE` names.
    pub fn from_env() -> AppResult<Passphrase> {
        if let Ok(text) = std::env::var(PASSPHRASE_ENV) {
            return Passphrase::new(text);
        }
        if let Some(path) = std::env::var_os(PASSPHRASE_FILE_ENV) {
            return Passphrase::from_file(Path::new(&path));
        }
        Err(InputError(format!(
            "les clés d'émission sont scellées par une phrase secrète : donnez-la dans {PASSPHRASE_ENV}, \
             ou dans un fichier de droits 0600 nommé par {PASSPHRASE_FILE_ENV}"
        ))
        .into())
    }

    /// The first line of `path`, a file no one but its owner may read or write.
    pub fn from_file(path: &Path) -> AppResult<Passphrase> {
        let shown = path.display();
        let metadata = std::fs::metadata(path).map_err(|e| InputError(format!("{shown} : {e}")))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(
                    InputError(format!("{shown} : droits {mode:o}, trop ouverts pour une phrase secrète (chmod 600 {shown})")).into()
                );
            }
        }
        if metadata.len() > MAX_FILE_BYTES {
            return Err(InputError(format!("{shown} : plus de {MAX_FILE_BYTES} octets, ce n'est pas une phrase secrète")).into());
        }
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| InputError(format!("{shown} : {e}")))?);
        Passphrase::new(text.lines().next().unwrap_or_default().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_passphrase_is_refused_and_none_is_ever_printed() {
        assert!(Passphrase::new("court").is_err());
        let passphrase = Passphrase::new("une phrase assez longue").unwrap();
        assert_eq!(format!("{passphrase:?}"), "Passphrase(…)");
    }

    #[cfg(unix)]
    #[test]
    fn a_passphrase_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("passphrase");
        std::fs::write(&path, "une phrase assez longue\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = Passphrase::from_file(&path).unwrap_err().to_string();
        assert!(refused.contains("chmod 600"), "{refused}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(Passphrase::from_file(&path).unwrap().as_str(), "une phrase assez longue");
    }
}
