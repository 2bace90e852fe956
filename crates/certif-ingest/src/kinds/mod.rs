//! The import kinds of spec/records.md and their typed rows.

use std::collections::{HashMap, HashSet};

use certif_core::dossier::{Accommodation, AccommodationKind, ApprenticeshipContract, EnglishScore, Sex, Siret, VaeOutcome};
use certif_core::mark::MarkEntry;
use certif_core::policy::EnglishScale;
use certif_core::{AccessRoute, CefrLevel, Policy};
use chrono::NaiveDate;

use crate::insertion::InsertionRow;
use crate::values;
use crate::{IngestError, Issue, Issues, Problem, Row, Sheet, SheetRow};

mod accommodations;
mod english;
mod learners;
mod marks;
mod periods;
mod vae;

pub use accommodations::AccommodationRow;
use accommodations::accommodations;
pub use english::EnglishRow;
use english::english;
pub use learners::LearnerRow;
use learners::learners;
pub use marks::MarkRow;
use marks::{long_marks, wide_marks};
pub use periods::{CompanyPeriodRow, MobilityRow};
use periods::{company_periods, mobility};
pub use vae::VaeRow;
use vae::vae;

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

/// A file's rows, with the warnings a person should see (ignored columns, on the header's line).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub rows: Rows,
    pub warnings: Vec<Issue>,
}

/// The columns of a kind, required then optional (the key columns first): a file's headers,
/// and the fields of the form that edits one record of the kind.
pub fn columns_of(kind: Kind) -> (&'static [&'static str], &'static [&'static str]) {
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
    pub(crate) fn issue(&mut self, line: usize, column: usize, message: Problem) {
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
    pub(crate) fn value<T>(&mut self, row: &'s SheetRow, name: &str, parse: impl FnOnce(&str) -> Result<T, Problem>) -> Option<T> {
        let text = self.text(row, name)?;
        match parse(text) {
            Ok(value) => Some(value),
            Err(problem) => {
                let column = self.column_number(name);
                self.issue(row.line, column, Problem::in_column(name, problem));
                None
            }
        }
    }

    /// A cell that must be filled.
    pub(crate) fn required<T>(&mut self, row: &'s SheetRow, name: &str, parse: impl FnOnce(&str) -> Result<T, Problem>) -> Option<T> {
        if self.text(row, name).is_none() {
            let column = self.column_number(name);
            self.issue(row.line, column, Problem::in_column(name, Problem::Required));
            return None;
        }
        self.value(row, name, parse)
    }

    fn string(&self, row: &'s SheetRow, name: &str) -> Option<String> {
        self.text(row, name).map(String::from)
    }

    /// Refuses a second row with the same key, naming the later one (`described` says it only
    /// then).
    pub(crate) fn unique(&mut self, seen: &mut HashSet<String>, key: String, row: &SheetRow, described: impl FnOnce() -> Row) {
        if !seen.insert(key) {
            self.issue(row.line, 1, Problem::Twice(described()));
        }
    }
}

fn open<'s>(kind: Kind, sheet: &'s Sheet, checks: &Checks<'_>) -> (Reader<'s>, Vec<Issue>, Vec<(usize, String)>) {
    let (required, optional) = columns_of(kind);
    let mut reader = Reader { sheet, index: HashMap::new(), issues: Issues::default() };
    let wide_marks = kind == Kind::Marks && sheet.column("module").is_none();
    for &name in required.iter().chain(optional) {
        if let Some(index) = sheet.column(name) {
            reader.index.insert(name, index);
        } else if required.contains(&name) && !(wide_marks && name != "learner_id") {
            reader.issue(1, 0, Problem::MissingColumn { name: name.to_string(), kind: kind.as_str(), needs: required });
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
    if !ignored.is_empty() {
        warnings.push(Issue { file: sheet.file.clone(), line: 1, column: 0, message: Problem::IgnoredColumns(ignored) });
    }
    if wide_marks && module_columns.is_empty() {
        reader.issue(1, 0, Problem::MarksNeedModules);
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
pub(crate) fn identifier(text: &str) -> Result<String, Problem> {
    certif_core::ident::check(text).map_err(Problem::Identifier)?;
    Ok(text.to_string())
}

/// A learner named by a row about them: an identifier of a learner certif already holds.
pub(crate) fn known_learner(checks: &Checks<'_>, text: &str) -> Result<String, Problem> {
    let id = identifier(text)?;
    if (checks.is_learner)(&id) { Ok(id) } else { Err(Problem::UnknownLearner(id)) }
}

fn ordered(r: &mut Reader<'_>, row: &SheetRow, start: Option<NaiveDate>, end: Option<NaiveDate>, end_column: &str) {
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        let column = r.column_number(end_column);
        r.issue(row.line, column, Problem::in_column(end_column, Problem::EndsBeforeItStarts { start, end }));
    }
}
