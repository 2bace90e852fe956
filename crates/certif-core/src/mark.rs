//! Marks out of 20, exact to the hundredth.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// A mark in 0..20 with at most two decimals. It cannot hold anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mark(Decimal);

/// Why a text is not a mark.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkError {
    #[error("{0} is not a number")]
    NotANumber(String),
    #[error("{0} is outside 0..20")]
    OutOfRange(String),
    #[error("{0} has more than 2 decimals")]
    TooPrecise(String),
}

impl Mark {
    pub const MAX: Decimal = Decimal::from_parts(20, 0, 0, false, 0);

    /// A mark from an exact decimal value.
    pub fn new(value: Decimal) -> Result<Mark, MarkError> {
        let value = value.normalize();
        if value.is_sign_negative() && !value.is_zero() || value > Self::MAX {
            return Err(MarkError::OutOfRange(value.to_string()));
        }
        if value.scale() > 2 {
            return Err(MarkError::TooPrecise(value.to_string()));
        }
        Ok(Mark(value.abs()))
    }

    pub fn zero() -> Mark {
        Mark(Decimal::ZERO)
    }

    pub fn value(self) -> Decimal {
        self.0
    }
}

/// Parses decimal text such as `12.5`, `14`, `1.25e1` exactly (no binary floating point).
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    if text.contains(['e', 'E']) {
        Decimal::from_scientific(text).ok()
    } else {
        Decimal::from_str(text).ok()
    }
}

impl FromStr for Mark {
    type Err = MarkError;
    fn from_str(text: &str) -> Result<Mark, MarkError> {
        let value = parse_decimal(text.trim()).ok_or_else(|| MarkError::NotANumber(text.to_string()))?;
        Mark::new(value)
    }
}

impl fmt::Display for Mark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// What a mark cell may hold (spec/evaluation.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MarkEntry {
    /// `null`: not known yet.
    #[default]
    Pending,
    /// `ABJ`: justified absence, no mark.
    JustifiedAbsence,
    /// `ABI`: unjustified absence, counts as 0.
    UnjustifiedAbsence,
    Value(Mark),
}

impl MarkEntry {
    /// The mark this entry counts as, if any (R1: ABI counts as 0, ABJ and null as no mark).
    pub fn counted(self) -> Option<Decimal> {
        match self {
            MarkEntry::Pending | MarkEntry::JustifiedAbsence => None,
            MarkEntry::UnjustifiedAbsence => Some(Decimal::ZERO),
            MarkEntry::Value(mark) => Some(mark.value()),
        }
    }

    pub fn is_pending(self) -> bool {
        matches!(self, MarkEntry::Pending)
    }
}

impl fmt::Display for MarkEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MarkEntry::Pending => f.write_str("—"),
            MarkEntry::JustifiedAbsence => f.write_str("ABJ"),
            MarkEntry::UnjustifiedAbsence => f.write_str("ABI"),
            MarkEntry::Value(mark) => mark.fmt(f),
        }
    }
}

/// Serialises as in the dossier: a JSON number, `null`, `"ABJ"` or `"ABI"`.
impl Serialize for MarkEntry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            MarkEntry::Pending => serializer.serialize_none(),
            MarkEntry::JustifiedAbsence => serializer.serialize_str("ABJ"),
            MarkEntry::UnjustifiedAbsence => serializer.serialize_str("ABI"),
            MarkEntry::Value(mark) => serialize_decimal_as_number(&mark.value(), serializer),
        }
    }
}

/// Writes an exact decimal as a JSON number, digit for digit.
pub fn serialize_decimal_as_number<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    let raw = serde_json::value::RawValue::from_string(value.normalize().to_string()).map_err(serde::ser::Error::custom)?;
    raw.serialize(serializer)
}

/// Formats a decimal rounded half-up to two places, as decisions show averages.
pub fn format_two_places(value: Decimal) -> String {
    let rounded = value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    format!("{rounded:.2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_within_range_and_precision_are_accepted() {
        assert_eq!("12.5".parse::<Mark>().unwrap().value(), Decimal::new(125, 1));
        assert_eq!("20".parse::<Mark>().unwrap().value(), Decimal::new(20, 0));
        assert_eq!("0".parse::<Mark>().unwrap().value(), Decimal::ZERO);
        assert_eq!("12.50".parse::<Mark>().unwrap().value(), Decimal::new(125, 1));
        assert_eq!("1.25e1".parse::<Mark>().unwrap().value(), Decimal::new(125, 1));
    }

    #[test]
    fn marks_outside_range_are_refused() {
        assert_eq!("21.5".parse::<Mark>(), Err(MarkError::OutOfRange("21.5".into())));
        assert!(matches!("-1".parse::<Mark>(), Err(MarkError::OutOfRange(_))));
        assert!(matches!("20.01".parse::<Mark>(), Err(MarkError::OutOfRange(_))));
    }

    #[test]
    fn marks_with_three_decimals_are_refused() {
        assert!(matches!("12.345".parse::<Mark>(), Err(MarkError::TooPrecise(_))));
    }

    #[test]
    fn averages_round_half_up() {
        assert_eq!(format_two_places(Decimal::new(12845, 3)), "12.85");
        assert_eq!(format_two_places(Decimal::new(12844, 3)), "12.84");
        assert_eq!(format_two_places(Decimal::new(124, 1)), "12.40");
    }
}
