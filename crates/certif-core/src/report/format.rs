//! How the report writes numbers, dates, tests and statuses for people: decimal comma and
//! DD/MM/YYYY in French, exact values where rounding would mislead.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::codes::ReasonCode;
use crate::decision::{Status, TitleStatus};
use crate::mark::TwoPlaces;
use crate::messages::{self, Lang, pick};

/// `" : "` in French, `": "` in English.
pub(super) fn colon(lang: Lang) -> &'static str {
    pick(lang, " : ", ": ")
}

/// `" ; "` in French, `"; "` in English.
pub(super) fn semicolon(lang: Lang) -> &'static str {
    pick(lang, " ; ", "; ")
}

/// A date as a registrar writes it: `18/09/2026`, or `18 September 2026` in English.
pub fn date_text(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Fr => date.format("%d/%m/%Y").to_string(),
        Lang::En => date.format("%-d %B %Y").to_string(),
    }
}

/// The date of an RFC 3339 time (a stored `issued_at`, a credential's `validFrom`) as
/// [`date_text`] writes it; text that is not such a time, as it is.
pub fn time_date_text(rfc3339: &str, lang: Lang) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339).map_or_else(|_| rfc3339.to_string(), |at| date_text(at.date_naive(), lang))
}

/// A date the engine wrote as `YYYY-MM-DD`, in the report's language; other text as it is.
pub(super) fn date_or_text(text: &str, lang: Lang) -> String {
    text.parse::<NaiveDate>().map_or_else(|_| text.to_string(), |date| date_text(date, lang))
}

/// A decimal with the language's separator: `12,85` in French, `12.85` in English.
pub fn localized(number: &str, lang: Lang) -> String {
    match lang {
        Lang::Fr => number.replace('.', ","),
        Lang::En => number.to_string(),
    }
}

/// A mark or an average to the hundredth, rounded half-up: `12,85`.
pub fn hundredths(value: Decimal, lang: Lang) -> String {
    localized(TwoPlaces(value).to_text().as_str(), lang)
}

/// A decimal in its shortest exact form: `10`, `5,5`.
pub(super) fn shortest(value: Decimal, lang: Lang) -> String {
    localized(&value.normalize().to_string(), lang)
}

/// The most decimals an exact value shows before it is cut, with `…`.
pub(super) const EXACT_DECIMALS: u32 = 4;

/// The value itself, not rounded: `9,995`; a value with more decimals is cut (never rounded up)
/// after four of them, with `…`: `9,9966…`.
pub fn exact(value: Decimal, lang: Lang) -> String {
    let value = value.normalize();
    if value.scale() <= EXACT_DECIMALS {
        return localized(&value.to_string(), lang);
    }
    let cut = value.round_dp_with_strategy(EXACT_DECIMALS, rust_decimal::RoundingStrategy::ToZero);
    format!("{}…", localized(&cut.to_string(), lang))
}

/// An average beside its verdict: to the hundredth, unless rounding would show a value below
/// the pass mark as reaching it (9.995 shown `10,00`): then the exact value.
pub fn average_text(average: Decimal, below_pass_mark: bool, pass_mark: Decimal, lang: Lang) -> String {
    let rounded = average.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    if below_pass_mark && rounded >= pass_mark { exact(average, lang) } else { hundredths(average, lang) }
}

/// An English test by its name: `TOEIC_LR` is "TOEIC Listening & Reading".
pub fn test_name(test: &str) -> String {
    match test {
        "TOEIC_LR" => "TOEIC Listening & Reading".into(),
        "TOEFL_IBT" => "TOEFL iBT".into(),
        "IELTS" => "IELTS".into(),
        "LINGUASKILL" => "Linguaskill".into(),
        "CAMBRIDGE_SCALE" => "Cambridge English Scale".into(),
        "CLES" => "CLES".into(),
        other => other.replace('_', " "),
    }
}

/// A score or a level: `5,5`, `785`, `B2`.
pub(super) fn score_text(score: &str, lang: Lang) -> String {
    if score.parse::<Decimal>().is_ok() { localized(score, lang) } else { score.to_string() }
}

/// A mark entry as the dossier holds it: `8,50`, or an absence in words.
pub(super) fn entry_text(entry: &str, lang: Lang) -> String {
    match entry {
        "ABI" => pick(lang, "absence injustifiée, comptée 0", "unjustified absence, counted as 0").into(),
        "ABJ" => pick(lang, "absence justifiée", "justified absence").into(),
        "—" => pick(lang, "pas encore d'évaluation", "no evaluation yet").into(),
        text => text.parse::<Decimal>().map_or_else(|_| text.to_string(), |value| hundredths(value, lang)),
    }
}

pub(super) fn status_of_block(status: Status, lang: Lang) -> &'static str {
    match status {
        Status::Validated => pick(lang, "validé", "validated"),
        Status::NotValidated => pick(lang, "non validé", "not validated"),
        Status::Incomplete => pick(lang, "incomplet", "incomplete"),
    }
}

pub(super) fn status_of_ue(status: Status, lang: Lang) -> &'static str {
    match status {
        Status::Validated => pick(lang, "validée", "validated"),
        Status::NotValidated => pick(lang, "non validée", "not validated"),
        Status::Incomplete => pick(lang, "incomplète", "incomplete"),
    }
}

pub(super) fn title_status(status: TitleStatus, lang: Lang) -> &'static str {
    messages::title_status(status, lang)
}

/// Why the title is not awarded, one reason in words.
pub(super) fn title_reason(reason: ReasonCode, lang: Lang) -> &'static str {
    match reason {
        ReasonCode::BlockNotValidated => {
            pick(lang, "au moins un bloc de compétences n'est pas validé", "at least one competency block is not validated")
        }
        ReasonCode::BlockIncomplete => {
            pick(lang, "au moins un bloc de compétences est incomplet", "at least one competency block is incomplete")
        }
        other => messages::reason(other, lang),
    }
}
