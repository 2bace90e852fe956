//! The values of a dossier's JSON, each read with the path it came from: dates, mark cells
//! from their raw JSON text, and where a structurally invalid dossier is wrong.

use super::*;

/// Says where a structurally invalid dossier is wrong: re-reads it tracking the path, and keeps
/// the parser's own words (with line and column) when the text is not JSON at all.
pub(super) fn structure_error<'de, T: Deserialize<'de>>(text: &'de str, first: &serde_json::Error) -> DossierError {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let (mut path, message) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => (String::new(), first.to_string()),
        Err(error) => (error.path().to_string(), error.into_inner().to_string()),
    };
    // The tracker writes `?` where it had not yet read a key: not part of a path a person can use.
    while path.ends_with(".?") {
        path.truncate(path.len() - 2);
    }
    if path == "." || path == "?" {
        path.clear();
    }
    let message = if first.is_syntax() || first.is_eof() {
        let text = first.to_string();
        let why = text.rsplit_once(" at line ").map_or(text.as_str(), |(why, _)| why).to_string();
        Invalid::NotJson { why, line: first.line(), column: first.column() }
    } else {
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        // serde names the object for a missing, unknown or duplicated field; name the field itself.
        for prefix in ["missing field `", "unknown field `", "duplicate field `"] {
            if let Some(rest) = message.strip_prefix(prefix)
                && let Some(field) = rest.split('`').next()
                && !field.is_empty()
            {
                path = join(&path, field);
            }
        }
        Invalid::Structure(message)
    };
    if path.is_empty() {
        path = "$".to_string();
    }
    DossierError::new(path, message)
}

pub(super) fn join(path: &str, field: &str) -> String {
    if path.is_empty() || path == "." {
        field.to_string()
    } else if path.ends_with(field) {
        path.to_string()
    } else {
        format!("{path}.{field}")
    }
}

pub(super) fn date(text: &str, path: impl FnOnce() -> String) -> Result<NaiveDate, DossierError> {
    parse_date(text).ok_or_else(|| DossierError::new(path(), Invalid::NotADate(text.to_string())))
}

/// A strict `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
    NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)
}

pub(super) fn optional_date(text: Option<String>, path: impl FnOnce() -> String) -> Result<Option<NaiveDate>, DossierError> {
    text.map(|t| date(&t, path)).transpose()
}

/// The value of a JSON string token, unescaped (`"\u0041BJ"` is `ABJ`); `None` for any other token.
pub(super) fn json_string(raw: &RawValue) -> Option<Cow<'_, str>> {
    let text = raw.get();
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains('\\') { serde_json::from_str::<String>(text).ok().map(Cow::Owned) } else { Some(Cow::Borrowed(inner)) }
}

/// A mark cell: number in 0..20 with at most two decimals, null, "ABJ" or "ABI". Numbers are
/// read from their JSON text, exactly; strings are compared unescaped.
pub(super) fn mark_entry(raw: Option<&RawValue>, path: impl FnOnce() -> String) -> Result<MarkEntry, DossierError> {
    let Some(raw) = raw else { return Ok(MarkEntry::Pending) };
    let not_a_mark = |text: &str| Invalid::NotAMark(text.to_string());
    match raw.get() {
        "null" => Ok(MarkEntry::Pending),
        text if text.starts_with('"') => match json_string(raw).as_deref() {
            Some("ABJ") => Ok(MarkEntry::JustifiedAbsence),
            Some("ABI") => Ok(MarkEntry::UnjustifiedAbsence),
            _ => Err(DossierError::new(path(), not_a_mark(text))),
        },
        text if text.starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) => {
            text.parse::<Mark>().map(MarkEntry::Value).map_err(|e| DossierError::new(path(), Invalid::Mark(e)))
        }
        text => Err(DossierError::new(path(), not_a_mark(text))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_iso_and_exist() {
        assert_eq!(parse_date("2026-02-28"), NaiveDate::from_ymd_opt(2026, 2, 28));
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(parse_date("2026-2-28"), None);
        assert_eq!(parse_date("28/02/2026"), None);
        assert_eq!(parse_date("2026-02-2x"), None);
    }
}
