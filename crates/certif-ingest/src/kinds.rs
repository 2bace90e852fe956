//! The import kinds of spec/records.md and their typed rows.

use std::collections::{HashMap, HashSet};

use certif_core::dossier::{Accommodation, AccommodationKind, ApprenticeshipContract, EnglishScore, Sex, Siret, VaeOutcome};
use certif_core::mark::MarkEntry;
use certif_core::policy::EnglishScale;
use certif_core::{AccessRoute, CefrLevel, Policy};
use chrono::NaiveDate;

use crate::insertion::InsertionRow;
use crate::values;
use crate::{IngestError, Issue, Issues, Sheet, SheetRow};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Learners,
    Marks,
    CompanyPeriods,
    Mobility,
    English,
    Vae,
    Accommodations,
    /// The insertion survey (spec/declaration.md §2): not records, answers.
    Insertion,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Learners,
        Kind::Marks,
        Kind::CompanyPeriods,
        Kind::Mobility,
        Kind::English,
        Kind::Vae,
        Kind::Accommodations,
        Kind::Insertion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Learners => "learners",
            Kind::Marks => "marks",
            Kind::CompanyPeriods => "company-periods",
            Kind::Mobility => "mobility",
            Kind::English => "english",
            Kind::Vae => "vae",
            Kind::Accommodations => "accommodations",
            Kind::Insertion => "insertion",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// What rows are checked against besides their own cells.
pub struct Checks<'a> {
    pub policy: &'a Policy,
    /// Whether a module code exists in some curriculum certif holds (the store checks the
    /// learner's own curriculum).
    pub is_module: &'a dyn Fn(&str) -> bool,
    /// Whether a block code exists in the learners' certification.
    pub is_block: &'a dyn Fn(&str) -> bool,
    /// Whether a learner exists (in the store); rows of every kind but `learners` must name
    /// one, and an unknown one is reported in the same pass as every other problem.
    pub is_learner: &'a dyn Fn(&str) -> bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LearnerRow {
    pub line: usize,
    pub learner_id: String,
    pub family_name: Option<String>,
    pub given_names: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub birth_place_insee: Option<String>,
    pub access_route: AccessRoute,
    pub enrolled_on: NaiveDate,
    /// Present when the `employer` cell is set.
    pub contract: Option<ApprenticeshipContract>,
    pub curriculum: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MarkRow {
    pub line: usize,
    pub learner_id: String,
    pub module: String,
    pub session1: MarkEntry,
    /// `None` when the file has no `session2` column (wide files): the stored resit stays.
    pub session2: Option<MarkEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompanyPeriodRow {
    pub line: usize,
    pub learner_id: String,
    pub period_id: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub evaluation: MarkEntry,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MobilityRow {
    pub line: usize,
    pub learner_id: String,
    pub country: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnglishRow {
    pub line: usize,
    pub learner_id: String,
    pub test: String,
    pub date: NaiveDate,
    pub score: EnglishScore,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VaeRow {
    pub line: usize,
    pub learner_id: String,
    pub block: String,
    pub decision: VaeOutcome,
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AccommodationRow {
    pub line: usize,
    pub learner_id: String,
    pub accommodation: Accommodation,
}

/// The checked rows of one file.
#[derive(Debug, Clone, PartialEq)]
pub enum Rows {
    Learners(Vec<LearnerRow>),
    Marks(Vec<MarkRow>),
    CompanyPeriods(Vec<CompanyPeriodRow>),
    Mobility(Vec<MobilityRow>),
    English(Vec<EnglishRow>),
    Vae(Vec<VaeRow>),
    Accommodations(Vec<AccommodationRow>),
    Insertion(Vec<InsertionRow>),
}

impl Rows {
    pub fn len(&self) -> usize {
        match self {
            Rows::Learners(r) => r.len(),
            Rows::Marks(r) => r.len(),
            Rows::CompanyPeriods(r) => r.len(),
            Rows::Mobility(r) => r.len(),
            Rows::English(r) => r.len(),
            Rows::Vae(r) => r.len(),
            Rows::Accommodations(r) => r.len(),
            Rows::Insertion(r) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A file's rows, with the warnings a person should see (ignored columns).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub rows: Rows,
    pub warnings: Vec<String>,
}

/// The columns of a kind: key columns first, then required, then optional ones.
fn columns_of(kind: Kind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        Kind::Learners => (
            &["learner_id", "access_route", "enrolled_on"],
            &[
                "family_name",
                "given_names",
                "birth_date",
                "sex",
                "birth_place_insee",
                "employer",
                "employer_siret",
                "contract_start",
                "contract_end",
                "master",
                "curriculum",
            ],
        ),
        Kind::Marks => (&["learner_id", "module", "session1"], &["session2"]),
        Kind::CompanyPeriods => (&["learner_id", "period_id", "start", "end"], &["evaluation"]),
        Kind::Mobility => (&["learner_id", "start", "country", "end"], &[]),
        Kind::English => (&["learner_id", "test", "date", "score"], &[]),
        Kind::Vae => (&["learner_id", "block", "decision"], &["date"]),
        Kind::Accommodations => (&["learner_id", "kind"], &["target_level", "note", "decided_on", "decided_by", "definitive"]),
        Kind::Insertion => (crate::insertion::REQUIRED, crate::insertion::OPTIONAL),
    }
}

/// A sheet with its columns resolved, collecting issues as cells are read.
pub(crate) struct Reader<'s> {
    pub(crate) sheet: &'s Sheet,
    index: HashMap<&'static str, usize>,
    issues: Issues,
}

impl<'s> Reader<'s> {
    pub(crate) fn issue(&mut self, line: usize, column: usize, message: String) {
        self.issues.push(Issue { file: self.sheet.file.clone(), line, column, message });
    }

    /// The trimmed text of a cell, `None` when the column is absent or the cell empty.
    pub(crate) fn text(&self, row: &'s SheetRow, name: &str) -> Option<&'s str> {
        let index = *self.index.get(name)?;
        Some(row.cell(index)).filter(|t| !t.is_empty())
    }

    pub(crate) fn column_number(&self, name: &str) -> usize {
        self.index.get(name).map_or(0, |i| i + 1)
    }

    /// A value parsed from a cell; an unparsable cell becomes an issue naming the column.
    pub(crate) fn value<T>(&mut self, row: &'s SheetRow, name: &str, parse: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let text = self.text(row, name)?;
        match parse(text) {
            Ok(value) => Some(value),
            Err(message) => {
                let column = self.column_number(name);
                self.issue(row.line, column, format!("{name}: {message}"));
                None
            }
        }
    }

    /// A cell that must be filled.
    fn required<T>(&mut self, row: &'s SheetRow, name: &str, parse: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        if self.text(row, name).is_none() {
            let column = self.column_number(name);
            self.issue(row.line, column, format!("{name}: required"));
            return None;
        }
        self.value(row, name, parse)
    }

    fn string(&self, row: &'s SheetRow, name: &str) -> Option<String> {
        self.text(row, name).map(String::from)
    }

    /// Refuses a second row with the same key, naming the later one.
    pub(crate) fn unique(&mut self, seen: &mut HashSet<String>, key: String, row: &SheetRow, described: &str) {
        if !seen.insert(key) {
            self.issue(row.line, 1, format!("{described} appears twice in this file"));
        }
    }
}

fn open<'s>(kind: Kind, sheet: &'s Sheet, checks: &Checks<'_>) -> (Reader<'s>, Vec<String>, Vec<(usize, String)>) {
    let (required, optional) = columns_of(kind);
    let mut reader = Reader { sheet, index: HashMap::new(), issues: Issues::default() };
    let wide_marks = kind == Kind::Marks && sheet.column("module").is_none();
    for &name in required.iter().chain(optional) {
        if let Some(index) = sheet.column(name) {
            reader.index.insert(name, index);
        } else if required.contains(&name) && !(wide_marks && name != "learner_id") {
            let message = if kind == Kind::Insertion {
                // The survey's messages are French, like everything else it brings.
                format!("colonne {name:?} absente (un fichier {} a besoin de {})", kind.as_str(), required.join(", "))
            } else {
                format!("missing column {name:?} (a {} file needs {})", kind.as_str(), required.join(", "))
            };
            reader.issue(1, 0, message);
        }
    }
    let mut module_columns = Vec::new();
    let mut ignored = Vec::new();
    for (index, header) in sheet.headers.iter().enumerate() {
        if reader.index.values().any(|&i| i == index) {
            continue;
        }
        if wide_marks && (checks.is_module)(header) {
            module_columns.push((index, header.clone()));
        } else if !header.is_empty() {
            ignored.push(header.clone());
        }
    }
    let mut warnings = Vec::new();
    if !ignored.is_empty() && kind == Kind::Insertion {
        warnings.push(format!("{} : colonnes ignorées : {}", sheet.file, ignored.join(", ")));
    } else if !ignored.is_empty() {
        warnings.push(format!("{}: ignored columns: {}", sheet.file, ignored.join(", ")));
    }
    if wide_marks && module_columns.is_empty() {
        reader.issue(1, 0, "a marks file needs a \"module\" column (long form) or module codes as column headers (wide form)".into());
    }
    (reader, warnings, module_columns)
}

/// Checks every row of a sheet as `kind`; all problems are reported together.
pub fn parse(kind: Kind, sheet: &Sheet, checks: &Checks<'_>) -> Result<Parsed, IngestError> {
    let (mut r, warnings, module_columns) = open(kind, sheet, checks);
    if !r.issues.is_empty() {
        return r.issues.into_result(Parsed { rows: Rows::Learners(Vec::new()), warnings });
    }
    let mut seen = HashSet::new();
    let rows = match kind {
        Kind::Learners => Rows::Learners(learners(&mut r, &mut seen)),
        Kind::Marks if !module_columns.is_empty() => Rows::Marks(wide_marks(&mut r, &mut seen, &module_columns, checks)),
        Kind::Marks => Rows::Marks(long_marks(&mut r, &mut seen, checks)),
        Kind::CompanyPeriods => Rows::CompanyPeriods(company_periods(&mut r, &mut seen, checks)),
        Kind::Mobility => Rows::Mobility(mobility(&mut r, &mut seen, checks)),
        Kind::English => Rows::English(english(&mut r, &mut seen, checks)),
        Kind::Vae => Rows::Vae(vae(&mut r, &mut seen, checks)),
        Kind::Accommodations => Rows::Accommodations(accommodations(&mut r, &mut seen, checks)),
        Kind::Insertion => Rows::Insertion(crate::insertion::rows(&mut r, &mut seen, checks)),
    };
    r.issues.into_result(Parsed { rows, warnings })
}

/// An identifier cell (learner, period): it becomes part of URLs and file names.
pub(crate) fn identifier(text: &str) -> Result<String, String> {
    certif_core::ident::check(text).map_err(|e| e.to_string())?;
    Ok(text.to_string())
}

/// A learner named by a row about them: an identifier of a learner certif already holds.
fn known_learner(checks: &Checks<'_>, text: &str) -> Result<String, String> {
    let id = identifier(text)?;
    if (checks.is_learner)(&id) { Ok(id) } else { Err(format!("{id:?} is not a known learner (import the learners first)")) }
}

fn ordered(r: &mut Reader<'_>, row: &SheetRow, start: Option<NaiveDate>, end: Option<NaiveDate>, end_column: &str) {
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        let column = r.column_number(end_column);
        r.issue(row.line, column, format!("{end_column}: ends on {end}, before it starts on {start}"));
    }
}

fn learners(r: &mut Reader<'_>, seen: &mut HashSet<String>) -> Vec<LearnerRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let learner_id = r.required(row, "learner_id", identifier);
        let access_route = r.required(row, "access_route", |t| {
            AccessRoute::parse(t).ok_or_else(|| {
                format!("{t:?} is not an access route (student, apprenticeship, continuing_education, professionalisation_contract, individual_candidate, vae)")
            })
        });
        let enrolled_on = r.required(row, "enrolled_on", values::date);
        let birth_date = r.value(row, "birth_date", values::date);
        let sex = r.value(row, "sex", |t| match t {
            "F" | "f" => Ok(Sex::F),
            "M" | "m" => Ok(Sex::M),
            other => Err(format!("{other:?} is not F or M")),
        });
        let employer_siret = r.value(row, "employer_siret", |t| {
            Siret::parse(&t.replace(' ', "")).ok_or_else(|| format!("{t:?} is not a SIRET (14 digits passing the Luhn check)"))
        });
        let contract_start = r.value(row, "contract_start", values::date);
        let contract_end = r.value(row, "contract_end", values::date);
        ordered(r, row, contract_start, contract_end, "contract_end");
        let contract = r.string(row, "employer").map(|employer| ApprenticeshipContract {
            employer: Some(employer),
            employer_siret,
            start: contract_start,
            end: contract_end,
            master: r.string(row, "master"),
        });
        if let Some(id) = &learner_id {
            r.unique(seen, id.clone(), row, &format!("learner {id}"));
        }
        if let (Some(learner_id), Some(access_route), Some(enrolled_on)) = (learner_id, access_route, enrolled_on) {
            out.push(LearnerRow {
                line: row.line,
                learner_id,
                family_name: r.string(row, "family_name"),
                given_names: r.string(row, "given_names"),
                birth_date,
                sex,
                birth_place_insee: r.string(row, "birth_place_insee"),
                access_route,
                enrolled_on,
                contract,
                curriculum: r.string(row, "curriculum"),
            });
        }
    }
    out
}

fn long_marks(r: &mut Reader<'_>, seen: &mut HashSet<String>, checks: &Checks<'_>) -> Vec<MarkRow> {
    let mut out = Vec::new();
    let has_resit_column = r.index.contains_key("session2");
    for row in &r.sheet.rows {
        let learner_id = r.required(row, "learner_id", |t| known_learner(checks, t));
        let module = r.required(row, "module", |t| {
            if (checks.is_module)(t) { Ok(t.to_string()) } else { Err(format!("{t:?} is not a module of any curriculum")) }
        });
        let session1 = if r.text(row, "session1").is_some() { r.value(row, "session1", values::mark) } else { Some(MarkEntry::Pending) };
        let session2 = if !has_resit_column {
            Some(None)
        } else if r.text(row, "session2").is_some() {
            r.value(row, "session2", values::mark).map(Some)
        } else {
            Some(Some(MarkEntry::Pending))
        };
        if let (Some(l), Some(m)) = (&learner_id, &module) {
            r.unique(seen, format!("{l}\u{0}{m}"), row, &format!("the mark of {l} in {m}"));
        }
        if let (Some(learner_id), Some(module), Some(session1), Some(session2)) = (learner_id, module, session1, session2) {
            out.push(MarkRow { line: row.line, learner_id, module, session1, session2 });
        }
    }
    out
}

fn wide_marks(r: &mut Reader<'_>, seen: &mut HashSet<String>, modules: &[(usize, String)], checks: &Checks<'_>) -> Vec<MarkRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let Some(learner_id) = r.required(row, "learner_id", |t| known_learner(checks, t)) else { continue };
        r.unique(seen, learner_id.clone(), row, &format!("learner {learner_id}"));
        for (index, module) in modules {
            let text = row.cell(*index);
            if text.is_empty() {
                continue;
            }
            match values::mark(text) {
                Ok(session1) => {
                    out.push(MarkRow { line: row.line, learner_id: learner_id.clone(), module: module.clone(), session1, session2: None })
                }
                Err(message) => r.issue(row.line, index + 1, format!("{module}: {message}")),
            }
        }
    }
    out
}

fn company_periods(r: &mut Reader<'_>, seen: &mut HashSet<String>, checks: &Checks<'_>) -> Vec<CompanyPeriodRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let learner_id = r.required(row, "learner_id", |t| known_learner(checks, t));
        let period_id = r.required(row, "period_id", identifier);
        let start = r.required(row, "start", values::date);
        let end = r.required(row, "end", values::date);
        ordered(r, row, start, end, "end");
        let evaluation =
            if r.text(row, "evaluation").is_some() { r.value(row, "evaluation", values::mark) } else { Some(MarkEntry::Pending) };
        if let (Some(l), Some(p)) = (&learner_id, &period_id) {
            r.unique(seen, format!("{l}\u{0}{p}"), row, &format!("period {p} of {l}"));
        }
        if let (Some(learner_id), Some(period_id), Some(start), Some(end), Some(evaluation)) =
            (learner_id, period_id, start, end, evaluation)
        {
            out.push(CompanyPeriodRow { line: row.line, learner_id, period_id, start, end, evaluation });
        }
    }
    out
}

fn mobility(r: &mut Reader<'_>, seen: &mut HashSet<String>, checks: &Checks<'_>) -> Vec<MobilityRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let learner_id = r.required(row, "learner_id", |t| known_learner(checks, t));
        let start = r.required(row, "start", values::date);
        let country = r.required(row, "country", |t| {
            let code = t.to_uppercase();
            if certif_core::country::is_iso_country(&code) {
                Ok(code)
            } else {
                Err(format!("{t:?} is not an ISO 3166-1 alpha-2 country code"))
            }
        });
        let end = r.required(row, "end", values::date);
        ordered(r, row, start, end, "end");
        if let (Some(l), Some(s), Some(c)) = (&learner_id, &start, &country) {
            r.unique(seen, format!("{l}\u{0}{s}\u{0}{c}"), row, &format!("the stay of {l} in {c} from {s}"));
        }
        if let (Some(learner_id), Some(start), Some(country), Some(end)) = (learner_id, start, country, end) {
            out.push(MobilityRow { line: row.line, learner_id, country, start, end });
        }
    }
    out
}

fn english(r: &mut Reader<'_>, seen: &mut HashSet<String>, checks: &Checks<'_>) -> Vec<EnglishRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let learner_id = r.required(row, "learner_id", |t| known_learner(checks, t));
        let test = r.required(row, "test", |t| {
            let name = t.to_uppercase();
            if checks.policy.english_tests.contains_key(&name) {
                Ok(name)
            } else {
                let known: Vec<&str> = checks.policy.english_tests.keys().map(String::as_str).collect();
                Err(format!("{t:?} is not a known English test ({})", known.join(", ")))
            }
        });
        let date = r.required(row, "date", values::date);
        let score = match &test {
            Some(name) => {
                let definition = &checks.policy.english_tests[name];
                r.required(row, "score", |t| match definition.scale {
                    EnglishScale::Level => match CefrLevel::parse(&t.to_uppercase()) {
                        Some(level @ (CefrLevel::B1 | CefrLevel::B2 | CefrLevel::C1)) => Ok(EnglishScore::Level(level)),
                        _ => Err(format!("{t:?} is not a level {name} certifies (B1, B2 or C1)")),
                    },
                    EnglishScale::Score => {
                        let value = values::number(t).ok_or_else(|| format!("{t:?} is not a number"))?;
                        if definition.accepts_score(value) {
                            Ok(EnglishScore::Points(value.normalize()))
                        } else {
                            Err(format!("{t} is outside the range of {name}"))
                        }
                    }
                })
            }
            None => None,
        };
        if let (Some(l), Some(t), Some(d)) = (&learner_id, &test, &date) {
            r.unique(seen, format!("{l}\u{0}{t}\u{0}{d}"), row, &format!("the {t} result of {l} on {d}"));
        }
        if let (Some(learner_id), Some(test), Some(date), Some(score)) = (learner_id, test, date, score) {
            out.push(EnglishRow { line: row.line, learner_id, test, date, score });
        }
    }
    out
}

fn vae(r: &mut Reader<'_>, seen: &mut HashSet<String>, checks: &Checks<'_>) -> Vec<VaeRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let learner_id = r.required(row, "learner_id", |t| known_learner(checks, t));
        let block = r.required(row, "block", |t| {
            if (checks.is_block)(t) { Ok(t.to_string()) } else { Err(format!("{t:?} is not a block of the certification")) }
        });
        let decision = r.required(row, "decision", |t| match t.to_lowercase().as_str() {
            "validated" | "validé" | "valide" => Ok(VaeOutcome::Validated),
            "refused" | "refusé" | "refuse" => Ok(VaeOutcome::Refused),
            other => Err(format!("{other:?} is not a VAE decision (validated or refused)")),
        });
        let date = r.value(row, "date", values::date);
        if let (Some(l), Some(b)) = (&learner_id, &block) {
            r.unique(seen, format!("{l}\u{0}{b}"), row, &format!("the VAE decision of {l} on {b}"));
        }
        if let (Some(learner_id), Some(block), Some(decision)) = (learner_id, block, decision) {
            out.push(VaeRow { line: row.line, learner_id, block, decision, date });
        }
    }
    out
}

fn accommodations(r: &mut Reader<'_>, seen: &mut HashSet<String>, checks: &Checks<'_>) -> Vec<AccommodationRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let learner_id = r.required(row, "learner_id", |t| known_learner(checks, t));
        let kind = r.required(row, "kind", |t| {
            AccommodationKind::parse(t).ok_or_else(|| {
                format!("{t:?} is not an accommodation kind (extra_time, enlarged_papers, software, english_adaptation, other)")
            })
        });
        let target_level = r.value(row, "target_level", |t| {
            CefrLevel::parse(&t.to_uppercase()).ok_or_else(|| format!("{t:?} is not a CEFR level (A1..C2)"))
        });
        if kind == Some(AccommodationKind::EnglishAdaptation) && r.text(row, "target_level").is_none() {
            let column = r.column_number("target_level");
            r.issue(row.line, column, "target_level: an english_adaptation needs its target level".into());
        }
        let decided_on = r.value(row, "decided_on", values::date);
        let definitive = r.value(row, "definitive", values::boolean);
        // A learner may hold several of one kind (provisional, then definitive): one per date.
        if let (Some(l), Some(k)) = (&learner_id, &kind) {
            let on = decided_on.map(|d| d.to_string()).unwrap_or_default();
            let described = match decided_on {
                Some(d) => format!("the {} accommodation of {l} decided on {d}", k.as_str()),
                None => format!("the undated {} accommodation of {l}", k.as_str()),
            };
            r.unique(seen, format!("{l}\u{0}{}\u{0}{on}", k.as_str()), row, &described);
        }
        if let (Some(learner_id), Some(kind)) = (learner_id, kind) {
            let accommodation = Accommodation {
                kind,
                target_level,
                note: r.string(row, "note"),
                decided_on,
                decided_by: r.string(row, "decided_by"),
                definitive,
            };
            out.push(AccommodationRow { line: row.line, learner_id, accommodation });
        }
    }
    out
}
