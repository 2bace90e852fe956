//! Why a dossier's JSON (or a what-if request's) is refused, French first and English second;
//! the JSON path of the field stays beside it, in the `DossierError`. The values a field may
//! hold are named as the JSON writes them; dates shown are written for people.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Lang, pick};
use crate::ident::IdentifierError;
use crate::mark::MarkError;
use crate::report::{date_text, exact, test_name};

/// Why a field's value is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// The text is not JSON: the parser's own words, and where (line and column, 0 when unknown).
    NotJson {
        why: String,
        line: usize,
        column: usize,
    },
    /// The JSON has not the dossier's shape: the parser's own words (a field missing, unknown,
    /// twice, of the wrong type), given as they come.
    Structure(String),
    /// A line of a JSON-lines file with nothing on it.
    BlankLine,
    UnknownCertification {
        code: String,
        expected: String,
    },
    NotADate(String),
    NotAnAccessRoute(String),
    NotAModuleOf {
        text: String,
        curriculum: String,
    },
    ListedTwice(String),
    Mark(MarkError),
    NotAMark(String),
    Identifier(IdentifierError),
    NotAVaeDecision(String),
    NotACountry(String),
    EndsBeforeItStarts {
        start: NaiveDate,
        end: NaiveDate,
    },
    NotABlockOf {
        code: String,
        certification: String,
    },
    NotFOrM(String),
    NotASiret(String),
    NotAnEnglishTest {
        text: String,
        known: Vec<String>,
    },
    NotALevelOf {
        raw: String,
        test: String,
    },
    NotANumber(String),
    OutsideTheRangeOf {
        raw: String,
        test: String,
        min: Option<Decimal>,
        max: Option<Decimal>,
    },
    NotAnAccommodationKind(String),
    NotACefrLevel(String),
    AdaptationNeedsItsLevel,
    /// A what-if period the learner has not, without the field it needs.
    NotAPeriodOfTheLearner {
        period: String,
        field: String,
    },
}

impl Invalid {
    /// Why, in the reader's language.
    pub fn in_words(&self, lang: Lang) -> String {
        use Invalid::*;
        let fr = lang == Lang::Fr;
        match self {
            NotJson { why, line, column } if fr && *line > 0 => {
                format!("JSON invalide ligne {line}, colonne {column} : {}", syntax_in_french(why))
            }
            NotJson { why, .. } if fr => format!("JSON invalide : {}", syntax_in_french(why)),
            NotJson { why, line, column } if *line > 0 => format!("not valid JSON: {why} at line {line} column {column}"),
            NotJson { why, .. } => format!("not valid JSON: {why}"),
            Structure(why) if fr => structure_in_french(why),
            Structure(why) => why.clone(),
            BlankLine => {
                pick(lang, "ligne vide : un dossier est attendu sur chaque ligne", "blank line: one dossier is expected on every line")
                    .into()
            }
            UnknownCertification { code, expected } if fr => {
                format!("certification {code:?} inconnue ici : la maquette est celle de {expected}")
            }
            UnknownCertification { code, expected } => format!("unknown certification {code:?} here: the curriculum is for {expected}"),
            NotADate(t) if fr => format!("{t:?} n'est pas une date (AAAA-MM-JJ)"),
            NotADate(t) => format!("{t:?} is not a date (YYYY-MM-DD)"),
            NotAnAccessRoute(t) if fr => format!(
                "{t:?} n'est pas une voie d'accès (student, apprenticeship, continuing_education, professionalisation_contract, individual_candidate, vae)"
            ),
            NotAnAccessRoute(t) => format!(
                "{t:?} is not an access route (student, apprenticeship, continuing_education, professionalisation_contract, individual_candidate, vae)"
            ),
            NotAModuleOf { text, curriculum } if fr => format!("{text:?} n'est pas un module de la maquette {curriculum}"),
            NotAModuleOf { text, curriculum } => format!("{text:?} is not a module of curriculum {curriculum}"),
            ListedTwice(t) if fr => format!("{t:?} figure deux fois"),
            ListedTwice(t) => format!("{t:?} is listed twice"),
            Mark(error) => error.in_words(lang),
            NotAMark(t) if fr => format!("{t} n'est pas une note (un nombre de 0 à 20, null, \"ABJ\" ou \"ABI\")"),
            NotAMark(t) => format!("{t} is not a mark (a number in 0..20, null, \"ABJ\" or \"ABI\")"),
            Identifier(error) => error.in_words(lang),
            NotAVaeDecision(t) if fr => format!("{t:?} n'est pas une décision de VAE (validated ou refused)"),
            NotAVaeDecision(t) => format!("{t:?} is not a VAE decision (validated or refused)"),
            NotACountry(t) if fr => format!("{t:?} n'est pas un code pays ISO 3166-1 alpha-2 (en majuscules)"),
            NotACountry(t) => format!("{t:?} is not an ISO 3166-1 alpha-2 country code (upper case)"),
            EndsBeforeItStarts { start, end } if fr => {
                format!("se termine le {}, avant de commencer le {}", date_text(*end, lang), date_text(*start, lang))
            }
            EndsBeforeItStarts { start, end } => {
                format!("ends on {}, before it starts on {}", date_text(*end, lang), date_text(*start, lang))
            }
            NotABlockOf { code, certification } if fr => format!("{code:?} n'est pas un bloc de {certification}"),
            NotABlockOf { code, certification } => format!("{code:?} is not a block of {certification}"),
            NotFOrM(t) if fr => format!("{t:?} n'est ni \"F\" ni \"M\""),
            NotFOrM(t) => format!("{t:?} is not \"F\" or \"M\""),
            NotASiret(t) if fr => format!("{t:?} n'est pas un SIRET (14 chiffres, clé de Luhn comprise)"),
            NotASiret(t) => format!("{t:?} is not a SIRET (14 digits passing the Luhn check)"),
            NotAnEnglishTest { text, known } if fr => format!("{text:?} n'est pas un test d'anglais connu ({})", known.join(", ")),
            NotAnEnglishTest { text, known } => format!("{text:?} is not a known English test ({})", known.join(", ")),
            NotALevelOf { raw, test } if fr => {
                format!("{raw} n'est pas un niveau que {} certifie (\"B1\", \"B2\" ou \"C1\")", test_name(test))
            }
            NotALevelOf { raw, test } => format!("{raw} is not a level {} certifies (\"B1\", \"B2\" or \"C1\")", test_name(test)),
            NotANumber(raw) if fr => format!("{raw} n'est pas un nombre"),
            NotANumber(raw) => format!("{raw} is not a number"),
            OutsideTheRangeOf { raw, test, min: Some(min), max: Some(max) } if fr => {
                format!("{raw} n'est pas entre {} et {} pour {}", exact(*min, lang), exact(*max, lang), test_name(test))
            }
            OutsideTheRangeOf { raw, test, .. } if fr => format!("{raw} est hors de l'échelle de {}", test_name(test)),
            OutsideTheRangeOf { raw, test, min: Some(min), max: Some(max) } => {
                format!("{raw} is outside {}..{} for {}", exact(*min, lang), exact(*max, lang), test_name(test))
            }
            OutsideTheRangeOf { raw, test, .. } => format!("{raw} is outside its range for {}", test_name(test)),
            NotAnAccommodationKind(t) if fr => {
                format!("{t:?} n'est pas un type d'aménagement (extra_time, enlarged_papers, software, english_adaptation, other)")
            }
            NotAnAccommodationKind(t) => {
                format!("{t:?} is not an accommodation kind (extra_time, enlarged_papers, software, english_adaptation, other)")
            }
            NotACefrLevel(t) if fr => format!("{t:?} n'est pas un niveau du CECRL (A1 à C2)"),
            NotACefrLevel(t) => format!("{t:?} is not a CEFR level (A1..C2)"),
            AdaptationNeedsItsLevel => pick(
                lang,
                "une adaptation de l'anglais (english_adaptation) a besoin de son target_level",
                "an english_adaptation needs its target_level",
            )
            .into(),
            NotAPeriodOfTheLearner { period, field } if fr => {
                format!("{period} n'est pas une période de l'apprenant : il lui faut son {field}")
            }
            NotAPeriodOfTheLearner { period, field } => format!("{period} is not a period of the learner: it needs its {field}"),
        }
    }
}

/// serde's words for a JSON of the wrong shape, in French where their form is known (a field
/// missing, unknown or twice, a value of the wrong type); the names of fields and types stay
/// as the JSON writes them.
fn structure_in_french(why: &str) -> String {
    let field = |rest: &str| rest.split('`').next().unwrap_or_default().to_string();
    if let Some(rest) = why.strip_prefix("missing field `") {
        return format!("champ `{}` manquant", field(rest));
    }
    if let Some(rest) = why.strip_prefix("unknown field `") {
        let expected = rest.split_once(", expected ").map(|(_, e)| e.replace("one of ", ""));
        return match expected {
            Some(expected) => format!("champ `{}` inconnu (attendu : {expected})", field(rest)),
            None => format!("champ `{}` inconnu", field(rest)),
        };
    }
    if let Some(rest) = why.strip_prefix("duplicate field `") {
        return format!("champ `{}` en double", field(rest));
    }
    if let Some(rest) = why.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!("{} au lieu {}", found_in_french(found), expected_in_french(expected));
    }
    format!("structure invalide : {why}")
}

/// What serde found, said in French: `integer `3`` → `l'entier 3`.
fn found_in_french(found: &str) -> String {
    let value = |rest: &str| rest.trim_matches('`').to_string();
    for (prefix, words) in
        [("string ", "la chaîne "), ("integer ", "l'entier "), ("floating point ", "le nombre "), ("boolean ", "le booléen ")]
    {
        if let Some(rest) = found.strip_prefix(prefix) {
            return format!("{words}{}", value(rest));
        }
    }
    match found {
        "sequence" => "une liste".into(),
        "map" => "un objet".into(),
        "null" | "unit value" => "null".into(),
        other => other.to_string(),
    }
}

/// What serde expected, after `au lieu`: `a string` → `d'une chaîne`.
fn expected_in_french(expected: &str) -> String {
    match expected {
        "a string" | "a borrowed string" => "d'une chaîne".into(),
        "a sequence" => "d'une liste".into(),
        "a boolean" => "d'un booléen (true ou false)".into(),
        "a map" => "d'un objet".into(),
        "any valid JSON value" => "d'une valeur JSON".into(),
        other if other.starts_with("struct ") => "d'un objet".into(),
        other if other.starts_with(['u', 'i']) && other[1..].bytes().all(|b| b.is_ascii_digit()) => "d'un nombre entier".into(),
        other => format!("de {other}"),
    }
}

/// The JSON parser's words for text that is not JSON, in French where they are known.
fn syntax_in_french(why: &str) -> String {
    let words = match why {
        "trailing comma" => "virgule en trop",
        "expected value" => "valeur attendue",
        "trailing characters" => "du texte après la fin du JSON",
        "key must be a string" => "une clé doit être une chaîne",
        "expected `:`" => "`:` attendu",
        "expected `,` or `}`" => "`,` ou `}` attendu",
        "expected `,` or `]`" => "`,` ou `]` attendu",
        "invalid number" => "nombre invalide",
        "number out of range" => "nombre hors limites",
        "invalid escape" => "échappement invalide",
        "recursion limit exceeded" => "imbrication trop profonde",
        other if other.starts_with("EOF while parsing") => "fin du texte inattendue",
        other if other.starts_with("control character") => "caractère de contrôle dans une chaîne",
        other => other,
    };
    words.to_string()
}

impl fmt::Display for Invalid {
    /// In French.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.in_words(Lang::Fr))
    }
}

/// The French words, where a text is wanted (an API error's message).
impl From<Invalid> for String {
    fn from(invalid: Invalid) -> String {
        invalid.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_s_words_are_said_in_french_where_their_form_is_known() {
        let unknown = Invalid::Structure("unknown field `sesion1`, expected one of `module`, `session1`, `session2`".into());
        assert_eq!(unknown.to_string(), "champ `sesion1` inconnu (attendu : `module`, `session1`, `session2`)");
        assert_eq!(unknown.in_words(Lang::En), "unknown field `sesion1`, expected one of `module`, `session1`, `session2`");
        assert_eq!(Invalid::Structure("missing field `learner`".into()).to_string(), "champ `learner` manquant");
        assert_eq!(
            Invalid::Structure("invalid type: integer `3`, expected a string".into()).to_string(),
            "l'entier 3 au lieu d'une chaîne"
        );
        let not_json = Invalid::NotJson { why: "trailing comma".into(), line: 1, column: 73 };
        assert_eq!(not_json.to_string(), "JSON invalide ligne 1, colonne 73 : virgule en trop");
        assert_eq!(not_json.in_words(Lang::En), "not valid JSON: trailing comma at line 1 column 73");
    }

    #[test]
    fn a_country_code_is_refused_in_both_languages() {
        let invalid = Invalid::NotACountry("XX".into());
        assert_eq!(invalid.to_string(), "\"XX\" n'est pas un code pays ISO 3166-1 alpha-2 (en majuscules)");
        assert_eq!(invalid.in_words(Lang::En), "\"XX\" is not an ISO 3166-1 alpha-2 country code (upper case)");
    }
}
