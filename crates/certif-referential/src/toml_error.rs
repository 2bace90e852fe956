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

/// The line of the value at `path` (`english_tests.TOEIC_LR.b2`, `not_abroad[3]`) in a TOML
/// document that parses; the nearest enclosing value's line when the path ends in a default.
pub(crate) fn line_of_path(text: &str, path: &str) -> usize {
    use toml::de::{DeTable, DeValue};
    let Ok(document) = DeTable::parse(text) else { return 1 };
    let mut span = document.span();
    let mut table = Some(document.get_ref());
    for segment in path.split('.') {
        let (key, indices) = match segment.split_once('[') {
            Some((key, rest)) => (key, Some(rest)),
            None => (segment, None),
        };
        let Some(entry) = table.and_then(|t| t.iter().find(|(k, _)| k.get_ref() == key)).map(|(_, v)| v) else { break };
        span = entry.span();
        let mut value = entry.get_ref();
        for index in indices.into_iter().flat_map(|rest| rest.split('[')) {
            let Ok(index) = index.trim_end_matches(']').parse::<usize>() else { break };
            let DeValue::Array(items) = value else { break };
            let Some(item) = items.get(index) else { break };
            span = item.span();
            value = item.get_ref();
        }
        table = match value {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    line_of(text, span.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_finds_its_line_in_tables_arrays_and_dotted_keys() {
        let text = "pass_mark = 12\nnot_abroad = [\"FR\",\n  \"XX\"]\n\n[english_tests.TOEIC_LR]\nmin = 10\nb2 = 5000\n";
        assert_eq!(line_of_path(text, "pass_mark"), 1);
        assert_eq!(line_of_path(text, "not_abroad[1]"), 3);
        assert_eq!(line_of_path(text, "english_tests.TOEIC_LR.b2"), 7);
        assert_eq!(line_of_path(text, "english_tests.TOEIC_LR.c1"), 5);
    }
}
