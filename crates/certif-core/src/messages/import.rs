//! What a spreadsheet import says about a file, a header or a cell (certif-ingest's issues),
//! French first and English second. `Display` is French; [`Problem::in_words`] gives either.
//! Dates are written as the rest of the words write them (`30/03/2024` in French), numbers
//! with a decimal comma in French; the values a cell may hold are named as they are typed.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Lang, pick};
use crate::dossier::AccommodationKind;
use crate::ident::IdentifierError;
use crate::mark::MarkError;
use crate::report::{date_text, exact, test_name};

/// One problem of an imported file, said for the registrar who must fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A problem in the cell of a named column: `session1 : …`.
    In {
        header: String,
        problem: Box<Problem>,
    },
    Required,
    Mark(MarkError),
    Identifier(IdentifierError),
    NotADate(String),
    NotYesOrNo(String),
    NotANumber(String),
    UnknownLearner(String),
    NotAModule(String),
    NotABlock(String),
    NotAnAccessRoute(String),
    NotFOrM(String),
    NotASiret(String),
    NotACountry(String),
    NotAnEnglishTest {
        text: String,
        known: Vec<String>,
    },
    NotALevelOf {
        text: String,
        test: String,
    },
    OutsideTheRangeOf {
        text: String,
        test: String,
        min: Option<Decimal>,
        max: Option<Decimal>,
    },
    NotAVaeDecision(String),
    NotAnAccommodationKind(String),
    NotACefrLevel(String),
    AdaptationNeedsItsLevel,
    EndsBeforeItStarts {
        start: NaiveDate,
        end: NaiveDate,
    },
    Twice(Row),
    NotASituation(String),
    NotAContract(String),
    NotAHorizon(String),
    NotARomeCode(String),
    /// A header without a column its kind of file needs (`kind` as `certif import` names it).
    MissingColumn {
        name: String,
        kind: &'static str,
        needs: &'static [&'static str],
    },
    MarksNeedModules,
    /// A warning, not a refusal: columns no kind reads.
    IgnoredColumns(Vec<String>),
    NotASpreadsheet,
    FileTooLarge {
        bytes: usize,
        limit: usize,
    },
    TooManyRows {
        limit: usize,
    },
    TooManyColumns {
        limit: usize,
    },
    CellTooLong {
        limit: usize,
    },
    TooManyCells {
        limit: usize,
    },
    UnreadableXlsx(String),
    NoSheet,
    UnreadableSheet(String),
    DimensionTooLarge {
        from: String,
        to: String,
        rows: usize,
        columns: usize,
    },
    CellTooFar {
        cell: String,
        rows: usize,
        columns: usize,
    },
    PartTooLarge {
        part: String,
        bytes: u64,
        limit: u64,
    },
}

/// A row that may appear once in a file, by what identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Learner(String),
    Mark { learner: String, module: String },
    Period { learner: String, period: String },
    Stay { learner: String, country: String, start: NaiveDate },
    English { learner: String, test: String, on: NaiveDate },
    Vae { learner: String, block: String },
    Accommodation { learner: String, kind: AccommodationKind, on: Option<NaiveDate> },
    Answer { learner: String, months: u32 },
}

impl Problem {
    /// The problem in a named column's cell.
    pub fn in_column(header: &str, problem: Problem) -> Problem {
        Problem::In { header: header.to_string(), problem: Box::new(problem) }
    }

    /// The problem in the reader's language.
    pub fn in_words(&self, lang: Lang) -> String {
        use Problem::*;
        let fr = lang == Lang::Fr;
        match self {
            In { header, problem } => {
                let problem = problem.in_words(lang);
                if fr { format!("{header} : {problem}") } else { format!("{header}: {problem}") }
            }
            Required => pick(lang, "obligatoire", "required").into(),
            Mark(error) => error.in_words(lang),
            Identifier(error) => error.in_words(lang),
            NotADate(t) if fr => format!("{t:?} n'est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ)"),
            NotADate(t) => format!("{t:?} is not a date (DD/MM/YYYY or YYYY-MM-DD)"),
            NotYesOrNo(t) if fr => format!("{t:?} n'est ni oui ni non (oui/non, vrai/faux, true/false, 1/0)"),
            NotYesOrNo(t) => format!("{t:?} is not yes or no (true/false, oui/non, vrai/faux, 1/0)"),
            NotANumber(t) if fr => format!("{t:?} n'est pas un nombre"),
            NotANumber(t) => format!("{t:?} is not a number"),
            UnknownLearner(id) if fr => format!("{id:?} n'est pas un apprenant connu (importez d'abord les apprenants)"),
            UnknownLearner(id) => format!("{id:?} is not a known learner (import the learners first)"),
            NotAModule(t) if fr => format!("{t:?} n'est un module d'aucune maquette"),
            NotAModule(t) => format!("{t:?} is not a module of any curriculum"),
            NotABlock(t) if fr => format!("{t:?} n'est pas un bloc de la certification"),
            NotABlock(t) => format!("{t:?} is not a block of the certification"),
            NotAnAccessRoute(t) if fr => format!(
                "{t:?} n'est pas une voie d'accès (student, apprenticeship, continuing_education, professionalisation_contract, individual_candidate, vae)"
            ),
            NotAnAccessRoute(t) => format!(
                "{t:?} is not an access route (student, apprenticeship, continuing_education, professionalisation_contract, individual_candidate, vae)"
            ),
            NotFOrM(t) if fr => format!("{t:?} n'est ni F ni M"),
            NotFOrM(t) => format!("{t:?} is not F or M"),
            NotASiret(t) if fr => format!("{t:?} n'est pas un SIRET (14 chiffres, clé de Luhn comprise)"),
            NotASiret(t) => format!("{t:?} is not a SIRET (14 digits passing the Luhn check)"),
            NotACountry(t) if fr => format!("{t:?} n'est pas un code pays ISO 3166-1 à deux lettres (DE, ES…)"),
            NotACountry(t) => format!("{t:?} is not an ISO 3166-1 two-letter country code (DE, ES…)"),
            NotAnEnglishTest { text, known } if fr => format!("{text:?} n'est pas un test d'anglais connu ({})", known.join(", ")),
            NotAnEnglishTest { text, known } => format!("{text:?} is not a known English test ({})", known.join(", ")),
            NotALevelOf { text, test } if fr => format!("{text:?} n'est pas un niveau que {} certifie (B1, B2 ou C1)", test_name(test)),
            NotALevelOf { text, test } => format!("{text:?} is not a level {} certifies (B1, B2 or C1)", test_name(test)),
            OutsideTheRangeOf { text, test, min, max } => {
                let range = match (min, max) {
                    (Some(min), Some(max)) if fr => format!(" ({} à {})", exact(*min, lang), exact(*max, lang)),
                    (Some(min), Some(max)) => format!(" ({} to {})", exact(*min, lang), exact(*max, lang)),
                    _ => String::new(),
                };
                if fr {
                    format!("{text} est hors de l'échelle de {}{range}", test_name(test))
                } else {
                    format!("{text} is outside the range of {}{range}", test_name(test))
                }
            }
            NotAVaeDecision(t) if fr => format!("{t:?} n'est pas une décision de VAE (validé ou refusé)"),
            NotAVaeDecision(t) => format!("{t:?} is not a VAE decision (validated or refused)"),
            NotAnAccommodationKind(t) if fr => format!(
                "{t:?} n'est pas un type d'aménagement (extra_time, enlarged_papers, software, english_adaptation, other)"
            ),
            NotAnAccommodationKind(t) => {
                format!("{t:?} is not an accommodation kind (extra_time, enlarged_papers, software, english_adaptation, other)")
            }
            NotACefrLevel(t) if fr => format!("{t:?} n'est pas un niveau du CECRL (A1 à C2)"),
            NotACefrLevel(t) => format!("{t:?} is not a CEFR level (A1 to C2)"),
            AdaptationNeedsItsLevel => pick(
                lang,
                "une adaptation de l'anglais (english_adaptation) a besoin de son niveau visé",
                "an English adaptation (english_adaptation) needs its target level",
            )
            .into(),
            EndsBeforeItStarts { start, end } if fr => {
                format!("se termine le {}, avant de commencer le {}", date_text(*end, lang), date_text(*start, lang))
            }
            EndsBeforeItStarts { start, end } => {
                format!("ends on {}, before it starts on {}", date_text(*end, lang), date_text(*start, lang))
            }
            Twice(row) if fr => format!("{} figure deux fois dans ce fichier", row.in_words(lang)),
            Twice(row) => format!("{} appears twice in this file", row.in_words(lang)),
            NotASituation(t) if fr => format!(
                "{t:?} n'est pas une situation (en emploi, en recherche d'emploi, en études, inapte, autre — ou employed, job_seeking, studying, unable_to_work, other)"
            ),
            NotASituation(t) => format!(
                "{t:?} is not a situation (employed, job_seeking, studying, unable_to_work, other — or en emploi, en recherche d'emploi, en études, inapte, autre)"
            ),
            NotAContract(t) if fr => {
                format!("{t:?} n'est pas un contrat (cdi, cdd, intérim, indépendant, autre — ou interim, independent, other)")
            }
            NotAContract(t) => format!("{t:?} is not a contract (cdi, cdd, interim, independent, other — or intérim, indépendant, autre)"),
            NotAHorizon(t) if fr => format!("{t:?} : l'enquête est à 6 ou à 24 mois"),
            NotAHorizon(t) => format!("{t:?}: the survey is at 6 or 24 months"),
            NotARomeCode(t) if fr => format!("{t:?} n'est pas un code ROME (une lettre et quatre chiffres, H1206)"),
            NotARomeCode(t) => format!("{t:?} is not a ROME code (a letter and four digits, H1206)"),
            MissingColumn { name, kind, needs } if fr => {
                format!("colonne {name:?} absente (le {} a besoin des colonnes {})", file_of(kind, lang), needs.join(", "))
            }
            MissingColumn { name, kind, needs } => {
                format!("missing column {name:?} (the {} needs the columns {})", file_of(kind, lang), needs.join(", "))
            }
            MarksNeedModules => pick(
                lang,
                "un fichier de notes a besoin d'une colonne \"module\" (une note par ligne) ou des codes des modules en en-têtes (un module par colonne)",
                "a marks file needs a \"module\" column (a mark a row) or module codes as column headers (a module a column)",
            )
            .into(),
            IgnoredColumns(columns) if fr => format!("colonnes ignorées : {}", columns.join(", ")),
            IgnoredColumns(columns) => format!("ignored columns: {}", columns.join(", ")),
            NotASpreadsheet => pick(lang, "ce n'est pas un fichier .csv ou .xlsx", "not a .csv or .xlsx file").into(),
            FileTooLarge { bytes, limit } if fr => {
                format!("le fichier fait {bytes} octets, plus que la limite de {limit} (découpez-le)")
            }
            FileTooLarge { bytes, limit } => format!("the file holds {bytes} bytes, more than the limit of {limit} (split it)"),
            TooManyRows { limit } if fr => format!("plus de {limit} lignes, la limite (découpez le fichier)"),
            TooManyRows { limit } => format!("more than {limit} rows, the limit (split the file)"),
            TooManyColumns { limit } if fr => format!("l'en-tête a plus de {limit} colonnes, la limite"),
            TooManyColumns { limit } => format!("the header has more than {limit} columns, the limit"),
            CellTooLong { limit } if fr => format!("une cellule de plus de {limit} octets, la limite"),
            CellTooLong { limit } => format!("a cell of more than {limit} bytes, the limit"),
            TooManyCells { limit } if fr => format!("plus de {limit} cellules remplies, la limite (découpez le fichier)"),
            TooManyCells { limit } => format!("more than {limit} filled cells, the limit (split the file)"),
            UnreadableXlsx(why) if fr => format!("XLSX illisible : {why}"),
            UnreadableXlsx(why) => format!("unreadable XLSX: {why}"),
            NoSheet => pick(lang, "le classeur n'a aucune feuille", "the workbook has no sheet").into(),
            UnreadableSheet(why) if fr => format!("première feuille illisible : {why}"),
            UnreadableSheet(why) => format!("unreadable first sheet: {why}"),
            DimensionTooLarge { from, to, rows, columns } if fr => format!(
                "la première feuille déclare la plage {from}:{to}, au-delà des limites de {rows} lignes et {columns} colonnes"
            ),
            DimensionTooLarge { from, to, rows, columns } => format!(
                "the first sheet declares the dimension {from}:{to}, beyond the limits of {rows} rows and {columns} columns"
            ),
            CellTooFar { cell, rows, columns } if fr => {
                format!("la cellule {cell} est au-delà des limites de {rows} lignes et {columns} colonnes")
            }
            CellTooFar { cell, rows, columns } => format!("cell {cell} is beyond the limits of {rows} rows and {columns} columns"),
            PartTooLarge { part, bytes, limit } if fr => format!(
                "XLSX illisible : sa partie {part} fait {bytes} octets une fois décompressée, plus que la limite de {limit}"
            ),
            PartTooLarge { part, bytes, limit } => {
                format!("unreadable XLSX: its part {part} unpacks to {bytes} bytes, more than the limit of {limit}")
            }
        }
    }
}

impl fmt::Display for Problem {
    /// In French.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.in_words(Lang::Fr))
    }
}

impl Row {
    pub fn in_words(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        match self {
            Row::Learner(id) if fr => format!("l'apprenant {id}"),
            Row::Learner(id) => format!("learner {id}"),
            Row::Mark { learner, module } if fr => format!("la note de {learner} en {module}"),
            Row::Mark { learner, module } => format!("the mark of {learner} in {module}"),
            Row::Period { learner, period } if fr => format!("la période {period} de {learner}"),
            Row::Period { learner, period } => format!("period {period} of {learner}"),
            Row::Stay { learner, country, start } if fr => {
                format!("le séjour de {learner} en {country} à partir du {}", date_text(*start, lang))
            }
            Row::Stay { learner, country, start } => format!("the stay of {learner} in {country} from {}", date_text(*start, lang)),
            Row::English { learner, test, on } if fr => {
                format!("le résultat {} de {learner} du {}", test_name(test), date_text(*on, lang))
            }
            Row::English { learner, test, on } => format!("the {} result of {learner} on {}", test_name(test), date_text(*on, lang)),
            Row::Vae { learner, block } if fr => format!("la décision de VAE de {learner} sur {block}"),
            Row::Vae { learner, block } => format!("the VAE decision of {learner} on {block}"),
            Row::Accommodation { learner, kind, on } => {
                let kind = accommodation(*kind, lang);
                match (on, fr) {
                    (Some(on), true) => format!("l'aménagement {kind} de {learner} décidé le {}", date_text(*on, lang)),
                    (None, true) => format!("l'aménagement {kind} sans date de {learner}"),
                    (Some(on), false) => format!("the {kind} accommodation of {learner} decided on {}", date_text(*on, lang)),
                    (None, false) => format!("the undated {kind} accommodation of {learner}"),
                }
            }
            Row::Answer { learner, months } if fr => format!("la réponse de {learner} à {months} mois"),
            Row::Answer { learner, months } => format!("the answer of {learner} at {months} months"),
        }
    }
}

/// An accommodation's kind in words.
pub fn accommodation(kind: AccommodationKind, lang: Lang) -> &'static str {
    match kind {
        AccommodationKind::ExtraTime => pick(lang, "tiers-temps", "extra time"),
        AccommodationKind::EnlargedPapers => pick(lang, "sujets agrandis", "enlarged papers"),
        AccommodationKind::Software => pick(lang, "logiciel", "software"),
        AccommodationKind::EnglishAdaptation => pick(lang, "adaptation de l'anglais", "English adaptation"),
        AccommodationKind::Other => pick(lang, "autre", "other"),
    }
}

/// A kind of file, by the name `certif import` gives it.
fn file_of(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "learners" => pick(lang, "fichier des apprenants", "learners file"),
        "marks" => pick(lang, "fichier de notes", "marks file"),
        "company-periods" => pick(lang, "fichier des périodes en entreprise", "company periods file"),
        "mobility" => pick(lang, "fichier des mobilités", "mobility file"),
        "english" => pick(lang, "fichier des résultats d'anglais", "English results file"),
        "vae" => pick(lang, "fichier des décisions de VAE", "VAE decisions file"),
        "accommodations" => pick(lang, "fichier des aménagements", "accommodations file"),
        "insertion" => pick(lang, "fichier de l'enquête d'insertion", "insertion survey file"),
        _ => pick(lang, "fichier", "file"),
    }
}

/// The end of a refused import: how many problems, and that nothing was imported; `unlisted`
/// of them not shown.
pub fn refused(total: usize, unlisted: usize, lang: Lang) -> String {
    let more = match (unlisted, lang) {
        (0, _) => String::new(),
        (n, Lang::Fr) => format!("… et {n} autres problèmes\n"),
        (n, Lang::En) => format!("… and {n} more problems\n"),
    };
    match lang {
        Lang::Fr => format!("{more}{total} problème(s) : rien n'a été importé"),
        Lang::En => format!("{more}{total} problem(s): nothing was imported"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_s_problem_names_its_column_in_both_languages() {
        let problem = Problem::in_column("session1", Problem::Mark(MarkError::OutOfRange("21,5".into())));
        assert_eq!(problem.to_string(), "session1 : 21,5 n'est pas entre 0 et 20");
        assert_eq!(problem.in_words(Lang::En), "session1: 21,5 is outside 0..20");
    }

    #[test]
    fn dates_and_numbers_are_written_for_people() {
        let start = NaiveDate::from_ymd_opt(2024, 4, 2).unwrap();
        let end = NaiveDate::from_ymd_opt(2024, 3, 30).unwrap();
        let problem = Problem::EndsBeforeItStarts { start, end };
        assert_eq!(problem.to_string(), "se termine le 30/03/2024, avant de commencer le 02/04/2024");
        assert_eq!(problem.in_words(Lang::En), "ends on 30 March 2024, before it starts on 2 April 2024");
        let range = Problem::OutsideTheRangeOf {
            text: "9,5".into(),
            test: "IELTS".into(),
            min: Some(Decimal::ZERO),
            max: Some(Decimal::new(90, 1)),
        };
        assert_eq!(range.to_string(), "9,5 est hors de l'échelle de IELTS (0 à 9)");
        assert_eq!(range.in_words(Lang::En), "9,5 is outside the range of IELTS (0 to 9)");
    }

    #[test]
    fn a_refused_import_says_nothing_was_imported() {
        assert_eq!(refused(3, 0, Lang::Fr), "3 problème(s) : rien n'a été importé");
        assert_eq!(refused(150, 50, Lang::En), "… and 50 more problems\n150 problem(s): nothing was imported");
    }
}
