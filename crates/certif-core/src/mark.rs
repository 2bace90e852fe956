//! Marks out of 20, exact to the hundredth.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// A mark in 0..20 with at most two decimals. It cannot hold anything else.
///
/// Held as a whole number of hundredths: exact, and cheap to read and compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mark(u16);

/// Why a text is not a mark. Displayed in French (`in_words` for English too).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkError {
    #[error("{0} n'est pas un nombre")]
    NotANumber(String),
    #[error("{0} n'est pas entre 0 et 20")]
    OutOfRange(String),
    #[error("{0} a plus de 2 décimales")]
    TooPrecise(String),
    #[error("{0:?} n'est pas une note (un nombre de 0 à 20, ABJ ou ABI)")]
    NotAMarkCell(String),
}

impl MarkError {
    /// Why, in the reader's language.
    pub fn in_words(&self, lang: crate::messages::Lang) -> String {
        use crate::messages::Lang;
        match (lang, self) {
            (Lang::Fr, _) => self.to_string(),
            (Lang::En, MarkError::NotANumber(t)) => format!("{t} is not a number"),
            (Lang::En, MarkError::OutOfRange(t)) => format!("{t} is outside 0..20"),
            (Lang::En, MarkError::TooPrecise(t)) => format!("{t} has more than 2 decimals"),
            (Lang::En, MarkError::NotAMarkCell(t)) => format!("{t:?} is not a mark (a number in 0..20, ABJ or ABI)"),
        }
    }
}

impl Mark {
    pub const MAX: Decimal = Decimal::from_parts(20, 0, 0, false, 0);
    const MAX_HUNDREDTHS: u16 = 2000;

    /// A mark from an exact decimal value.
    pub fn new(value: Decimal) -> Result<Mark, MarkError> {
        let value = value.normalize();
        if value.is_sign_negative() && !value.is_zero() || value > Self::MAX {
            return Err(MarkError::OutOfRange(value.to_string()));
        }
        if value.scale() > 2 {
            return Err(MarkError::TooPrecise(value.to_string()));
        }
        let mut hundredths = value.abs();
        hundredths.rescale(2);
        Ok(Mark(hundredths.mantissa() as u16))
    }

    /// A mark from a whole number of hundredths (1250 is 12.5).
    pub fn from_hundredths(hundredths: u16) -> Result<Mark, MarkError> {
        if hundredths > Self::MAX_HUNDREDTHS {
            return Err(MarkError::OutOfRange(Decimal::new(i64::from(hundredths), 2).normalize().to_string()));
        }
        Ok(Mark(hundredths))
    }

    pub fn zero() -> Mark {
        Mark(0)
    }

    pub fn hundredths(self) -> u16 {
        self.0
    }

    pub fn value(self) -> Decimal {
        Decimal::new(i64::from(self.0), 2)
    }
}

/// `dd` or `dd.d` or `dd.dd` read straight into hundredths (dossiers hold dozens of marks);
/// any other shape is left to the general decimal parser.
fn plain_hundredths(text: &str) -> Option<u32> {
    let (units, fraction) = text.split_once('.').unwrap_or((text, ""));
    let plain = |part: &str, max: usize| part.len() <= max && part.bytes().all(|b| b.is_ascii_digit());
    if units.is_empty() || !plain(units, 3) || !plain(fraction, 2) || (text.contains('.') && fraction.is_empty()) {
        return None;
    }
    let number = |part: &str| part.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    let cents = match fraction.len() {
        0 => 0,
        1 => number(fraction) * 10,
        _ => number(fraction),
    };
    Some(number(units) * 100 + cents)
}

/// Parses decimal text such as `12.5`, `14`, `1.25e1` exactly (no binary floating point).
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    if text.contains(['e', 'E']) { Decimal::from_scientific(text).ok() } else { Decimal::from_str(text).ok() }
}

impl FromStr for Mark {
    type Err = MarkError;
    fn from_str(text: &str) -> Result<Mark, MarkError> {
        let text = text.trim();
        if let Some(hundredths) = plain_hundredths(text) {
            return match u16::try_from(hundredths) {
                Ok(h) if h <= Self::MAX_HUNDREDTHS => Ok(Mark(h)),
                _ => Err(MarkError::OutOfRange(text.to_string())),
            };
        }
        let value = parse_decimal(text).ok_or_else(|| MarkError::NotANumber(text.to_string()))?;
        Mark::new(value)
    }
}

impl fmt::Display for Mark {
    /// Shortest exact form: `12.5`, `14`, `11.25`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (units, cents) = (self.0 / 100, self.0 % 100);
        match cents {
            0 => write!(f, "{units}"),
            c if c % 10 == 0 => write!(f, "{units}.{}", c / 10),
            c => write!(f, "{units}.{c:02}"),
        }
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

impl MarkEntry {
    /// A mark cell as people type it — in a spreadsheet, the web grid, an API string — and as
    /// the store keeps it: empty (not known yet), `ABJ` or `ABI` in any case, or a number in
    /// 0..20 with at most 2 decimals and a decimal comma or point, surrounding spaces ignored.
    /// The one reading of a mark cell everywhere (a JSON dossier, spec/evaluation.md §1, is
    /// stricter: its numbers are JSON numbers and its strings exactly `"ABJ"` or `"ABI"`).
    pub fn from_cell(text: &str) -> Result<MarkEntry, MarkError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(MarkEntry::Pending);
        }
        if text.eq_ignore_ascii_case("ABJ") {
            return Ok(MarkEntry::JustifiedAbsence);
        }
        if text.eq_ignore_ascii_case("ABI") {
            return Ok(MarkEntry::UnjustifiedAbsence);
        }
        let point = text.replacen(',', ".", 1);
        match point.parse::<Mark>() {
            Ok(mark) => Ok(MarkEntry::Value(mark)),
            // Said in the notation the person typed.
            Err(MarkError::NotANumber(_)) => Err(MarkError::NotAMarkCell(text.to_string())),
            Err(MarkError::OutOfRange(_)) => Err(MarkError::OutOfRange(text.to_string())),
            Err(MarkError::TooPrecise(_)) => Err(MarkError::TooPrecise(text.to_string())),
            Err(other) => Err(other),
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

/// A short text built on the stack (a formatted mark), so writing one allocates nothing.
#[derive(Debug, Clone, Copy)]
pub struct ShortText {
    bytes: [u8; 48],
    len: usize,
}

impl Default for ShortText {
    fn default() -> ShortText {
        ShortText { bytes: [0; 48], len: 0 }
    }
}

impl ShortText {
    /// Appends one ASCII byte; a full buffer drops it (callers stay far below 48 bytes).
    fn push(&mut self, byte: u8) {
        if self.len < self.bytes.len() {
            self.bytes[self.len] = byte;
            self.len += 1;
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl fmt::Write for ShortText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        if end > self.bytes.len() {
            return Err(fmt::Error);
        }
        self.bytes[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// A decimal shown rounded half-up to two places, as decisions show averages.
#[derive(Debug, Clone, Copy)]
pub struct TwoPlaces(pub Decimal);

impl TwoPlaces {
    /// The text on the stack: decisions write thousands of these.
    pub fn to_text(self) -> ShortText {
        let mut rounded = if self.0.scale() <= 2 {
            self.0
        } else {
            self.0.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        };
        rounded.rescale(2);
        let mut text = ShortText::default();
        let hundredths = rounded.mantissa();
        if hundredths < 0 {
            text.push(b'-');
        }
        // Marks and averages fit in 64 bits; 128-bit division is far slower.
        let magnitude = u64::try_from(hundredths.unsigned_abs()).unwrap_or(u64::MAX);
        let units = magnitude / 100;
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        let mut rest = units;
        loop {
            start -= 1;
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        for digit in &digits[start..] {
            text.push(*digit);
        }
        let cents = (magnitude % 100) as u8;
        text.push(b'.');
        text.push(b'0' + cents / 10);
        text.push(b'0' + cents % 10);
        text
    }
}

impl fmt::Display for TwoPlaces {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.to_text().as_str())
    }
}

/// Formats a decimal rounded half-up to two places, as decisions show averages.
pub fn format_two_places(value: Decimal) -> String {
    TwoPlaces(value).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every place a person types a mark (import, grid, API, store) reads it through this.
    #[test]
    fn a_mark_cell_reads_the_same_wherever_it_is_typed() {
        let mark = |t: &str| MarkEntry::Value(t.parse::<Mark>().unwrap());
        let accepted = [
            ("", MarkEntry::Pending),
            ("   ", MarkEntry::Pending),
            ("ABJ", MarkEntry::JustifiedAbsence),
            ("abj", MarkEntry::JustifiedAbsence),
            (" Abi ", MarkEntry::UnjustifiedAbsence),
            ("12", mark("12")),
            ("12,5", mark("12.5")),
            ("12.5", mark("12.5")),
            (" 9,75 ", mark("9.75")),
            ("0", mark("0")),
            ("20", mark("20")),
            ("20,00", mark("20")),
        ];
        for (text, expected) in accepted {
            assert_eq!(MarkEntry::from_cell(text), Ok(expected), "{text:?}");
        }
        // Why, in French (what `Display` says) and in English.
        let refused = [
            (
                "douze",
                "\"douze\" n'est pas une note (un nombre de 0 à 20, ABJ ou ABI)",
                "\"douze\" is not a mark (a number in 0..20, ABJ or ABI)",
            ),
            ("20,5", "20,5 n'est pas entre 0 et 20", "20,5 is outside 0..20"),
            ("-1", "-1 n'est pas entre 0 et 20", "-1 is outside 0..20"),
            ("12,345", "12,345 a plus de 2 décimales", "12,345 has more than 2 decimals"),
            (
                "12,5,0",
                "\"12,5,0\" n'est pas une note (un nombre de 0 à 20, ABJ ou ABI)",
                "\"12,5,0\" is not a mark (a number in 0..20, ABJ or ABI)",
            ),
            ("AB", "\"AB\" n'est pas une note (un nombre de 0 à 20, ABJ ou ABI)", "\"AB\" is not a mark (a number in 0..20, ABJ or ABI)"),
        ];
        for (text, fr, en) in refused {
            let error = MarkEntry::from_cell(text).unwrap_err();
            assert_eq!(error.to_string(), fr, "{text:?}");
            assert_eq!(error.in_words(crate::messages::Lang::Fr), fr, "{text:?}");
            assert_eq!(error.in_words(crate::messages::Lang::En), en, "{text:?}");
        }
    }

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
    fn the_fast_path_agrees_with_the_decimal_parser() {
        for text in ["0", "7", "12.5", "12.50", "20", "20.00", "0.05", "3.", ".5", "1e1", "01.10", "-1", "1.234", "20.5", "100", "9.9"] {
            let fast = text.parse::<Mark>();
            let general = parse_decimal(text).ok_or_else(|| MarkError::NotANumber(text.into())).and_then(Mark::new);
            assert_eq!(fast.is_ok(), general.is_ok(), "{text}");
            if let (Ok(a), Ok(b)) = (fast, general) {
                assert_eq!(a, b, "{text}");
            }
        }
    }

    #[test]
    fn marks_print_in_their_shortest_exact_form() {
        for text in ["12.5", "14", "11.25", "0", "20", "0.05", "9.9"] {
            assert_eq!(text.parse::<Mark>().unwrap().to_string(), text);
        }
        assert_eq!("12.50".parse::<Mark>().unwrap().to_string(), "12.5");
    }

    #[test]
    fn averages_round_half_up() {
        assert_eq!(format_two_places(Decimal::new(99995, 4)), "10.00");
        assert_eq!(format_two_places(Decimal::new(5, 3)), "0.01");
        assert_eq!(format_two_places(Decimal::new(133125, 4)), "13.31");
        assert_eq!(format_two_places(Decimal::new(1234567, 2)), "12345.67");
        assert_eq!(format_two_places(Decimal::new(12845, 3)), "12.85");
        assert_eq!(format_two_places(Decimal::new(12844, 3)), "12.84");
        assert_eq!(format_two_places(Decimal::new(124, 1)), "12.40");
    }
}
