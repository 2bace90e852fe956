//! Cell values under French spreadsheet conventions.

use certif_core::mark::{MarkEntry, parse_decimal};
use chrono::NaiveDate;

use crate::Problem;

/// A number with a decimal comma or point: `12,5` = `12.5`.
pub fn number(text: &str) -> Option<certif_core::Decimal> {
    parse_decimal(&text.trim().replace(',', "."))
}

/// A mark cell: empty (not known yet), `ABJ`, `ABI`, or a number in 0..20 with at most 2
/// decimals (`MarkEntry::from_cell`, the one reading of a mark cell).
pub fn mark(text: &str) -> Result<MarkEntry, Problem> {
    MarkEntry::from_cell(text).map_err(Problem::Mark)
}

/// `YYYY-MM-DD` or `DD/MM/YYYY`.
pub fn date(text: &str) -> Result<NaiveDate, Problem> {
    let text = text.trim();
    let parsed = if text.len() == 10 && text.as_bytes()[4] == b'-' {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    } else if text.len() == 10 && text.as_bytes()[2] == b'/' && text.as_bytes()[5] == b'/' {
        NaiveDate::parse_from_str(text, "%d/%m/%Y").ok()
    } else {
        None
    };
    parsed.ok_or_else(|| Problem::NotADate(text.to_string()))
}

/// `true`/`false`, `oui`/`non`, `vrai`/`faux` or `1`/`0`.
pub fn boolean(text: &str) -> Result<bool, Problem> {
    match text.trim().to_lowercase().as_str() {
        "true" | "oui" | "1" | "vrai" => Ok(true),
        "false" | "non" | "0" | "faux" => Ok(false),
        other => Err(Problem::NotYesOrNo(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_commas_are_read_as_points() {
        assert_eq!(mark("12,5").unwrap(), mark("12.5").unwrap());
        assert_eq!(number("6,5").unwrap().to_string(), "6.5");
    }

    #[test]
    fn absences_and_empty_cells_are_marks_too() {
        assert_eq!(mark("ABJ").unwrap(), MarkEntry::JustifiedAbsence);
        assert_eq!(mark("abi").unwrap(), MarkEntry::UnjustifiedAbsence);
        assert_eq!(mark("  ").unwrap(), MarkEntry::Pending);
    }

    #[test]
    fn bad_marks_say_why_in_the_users_notation() {
        assert_eq!(mark("21,5").unwrap_err().to_string(), "21,5 n'est pas entre 0 et 20");
        assert_eq!(mark("21,5").unwrap_err().in_words(certif_core::messages::Lang::En), "21,5 is outside 0..20");
        assert!(mark("douze").unwrap_err().to_string().contains("n'est pas une note"));
        assert!(mark("12,345").unwrap_err().to_string().contains("plus de 2 décimales"));
    }

    #[test]
    fn french_and_iso_dates_are_read() {
        assert_eq!(date("04/09/2023").unwrap(), date("2023-09-04").unwrap());
        assert!(date("31/02/2024").is_err());
        assert!(date("2023/09/04").is_err());
        assert_eq!(date("31/02/2024").unwrap_err().to_string(), "\"31/02/2024\" n'est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ)");
    }

    #[test]
    fn yes_and_no_in_three_spellings() {
        assert!(boolean("Oui").unwrap());
        assert!(!boolean("0").unwrap());
        assert!(boolean("peut-être").is_err());
    }
}
