//! TOML reading with errors that name the TOML path and the line.

use serde::de::DeserializeOwned;

/// Where a TOML document is wrong: its path (`ue[3].module[1].modalities`), line and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TomlError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

/// The 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

pub(crate) fn deserialize<T: DeserializeOwned>(text: &str) -> Result<T, TomlError> {
    let deserializer = match toml::de::Deserializer::parse(text) {
        Ok(d) => d,
        Err(e) => return Err(from_toml(text, String::new(), &e)),
    };
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        // `toml::Spanned` wraps values in a private field; it is no part of the user's path.
        let path = e.path().to_string().replace(".$__serde_spanned_private_value", "");
        from_toml(text, path, e.inner())
    })
}

fn from_toml(text: &str, path: String, error: &toml::de::Error) -> TomlError {
    let line = error.span().map_or(1, |span| line_of(text, span.start));
    let message = error.message().trim().to_string();
    let mut path = if path == "." { String::new() } else { path };
    // serde names the table for a missing or unknown key; name the key itself.
    for prefix in ["missing field `", "unknown field `"] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some(field) = rest.split('`').next()
            && !path.ends_with(field)
        {
            path = if path.is_empty() { field.to_string() } else { format!("{path}.{field}") };
        }
    }
    if path.is_empty() {
        path = "(document)".to_string();
    }
    TomlError { path, line, message }
}
