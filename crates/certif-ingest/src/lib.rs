//! Spreadsheet import: the registrar's CSV and XLSX files, as they are, into checked record rows
//! (spec/records.md, "Import").
//!
//! French conventions are the norm: Windows-1252 or UTF-8 (with or without BOM), `;` or `,`
//! separators, decimal commas, `DD/MM/YYYY` dates, `ABJ`/`ABI` marks, `oui`/`non`. Columns are
//! found by header name in any order; extra columns are reported once and ignored. The whole
//! file is checked before anything is returned, and every bad cell is reported as
//! `FILE:LINE:COLUMN: message`, the message a [`Problem`] said in French (`Display`) or in the
//! reader's language (`in_words`). Nothing here touches a database: the store writes the rows.

mod insertion;
mod kinds;
mod sheet;
mod values;

/// What an issue says, French first (`certif_core::messages::import`).
pub use certif_core::messages::import::{Problem, Row};
pub use insertion::InsertionRow;
pub use kinds::*;
pub use sheet::{
    Limits, MAX_CELL_BYTES, MAX_CELLS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, MAX_XLSX_PART_BYTES, Sheet, SheetRow, read_sheet,
    read_sheet_within,
};
/// `YYYY-MM-DD` or `DD/MM/YYYY`, as every date a person types.
pub use values::date;

use std::fmt;

use certif_core::messages::Lang;

/// The most problems one import reports; past that, the file is clearly the wrong one.
pub const MAX_ISSUES: usize = 100;

/// One bad cell (or header, or file): where, and what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub file: String,
    /// 1-based line in the file (the header is line 1).
    pub line: usize,
    /// 1-based column, 0 when the problem is not in one cell.
    pub column: usize,
    pub message: Problem,
}

impl Issue {
    /// `FILE:LINE:COLUMN: message`, the message in `lang`.
    pub fn in_words(&self, lang: Lang) -> String {
        format!("{}:{}:{}: {}", self.file, self.line, self.column, self.message.in_words(lang))
    }
}

impl fmt::Display for Issue {
    /// In French.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.in_words(Lang::Fr))
    }
}

/// Why an import was refused: every problem found, in file order (at most [`MAX_ISSUES`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct IngestError {
    pub issues: Vec<Issue>,
    /// How many problems there were in all (more than `issues.len()` when truncated).
    pub total: usize,
}

impl fmt::Display for IngestError {
    /// In French.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.in_words(Lang::Fr))
    }
}

impl IngestError {
    /// Every problem listed, one a line, then how many there were, in `lang`.
    pub fn in_words(&self, lang: Lang) -> String {
        let mut text = String::new();
        for issue in &self.issues {
            text.push_str(&issue.in_words(lang));
            text.push('\n');
        }
        text.push_str(&certif_core::messages::import::refused(self.total, self.total - self.issues.len(), lang));
        text
    }

    pub fn single(issue: Issue) -> IngestError {
        IngestError { issues: vec![issue], total: 1 }
    }
}

/// Collects issues while a whole file is checked: the first [`MAX_ISSUES`] in line order
/// (issues of one line in the order they came), whatever order the checks run in.
#[derive(Debug, Default)]
pub struct Issues {
    issues: Vec<Issue>,
    total: usize,
}

impl Issues {
    pub fn push(&mut self, issue: Issue) {
        self.total += 1;
        let at = self.issues.partition_point(|kept| kept.line <= issue.line);
        if at < MAX_ISSUES {
            self.issues.truncate(MAX_ISSUES - 1);
            self.issues.insert(at, issue);
        }
    }

    /// Adds the problems of another check of the same file.
    pub fn extend(&mut self, error: IngestError) {
        let unlisted = error.total - error.issues.len();
        for issue in error.issues {
            self.push(issue);
        }
        self.total += unlisted;
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The result of another check of the same file, with these problems added to its own.
    pub fn merged<T>(mut self, checked: Result<T, IngestError>) -> Result<T, IngestError> {
        match checked {
            Ok(value) => self.into_result(value),
            Err(error) => {
                self.extend(error);
                Err(IngestError { issues: self.issues, total: self.total })
            }
        }
    }

    /// `Ok(value)` when nothing was wrong.
    pub fn into_result<T>(self, value: T) -> Result<T, IngestError> {
        if self.total == 0 { Ok(value) } else { Err(IngestError { issues: self.issues, total: self.total }) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(line: usize, message: &str) -> Issue {
        Issue { file: "f.csv".into(), line, column: 1, message: Problem::NotADate(message.into()) }
    }

    #[test]
    fn issues_keep_the_first_hundred_in_line_order_whatever_order_they_come_in() {
        let mut issues = Issues::default();
        for line in (2..200).rev() {
            issues.push(issue(line, "late"));
        }
        issues.push(issue(5, "second on line 5"));
        let error = issues.into_result(()).unwrap_err();
        assert_eq!(error.total, 199);
        assert_eq!(error.issues.len(), MAX_ISSUES);
        let lines: Vec<usize> = error.issues.iter().map(|i| i.line).collect();
        assert_eq!(lines[..5], [2, 3, 4, 5, 5]);
        assert_eq!(error.issues[4].message, Problem::NotADate("second on line 5".into()));
        assert_eq!(error.issues.last().unwrap().line, 100);
    }

    #[test]
    fn two_checks_of_one_file_merge_into_one_report() {
        let mut first = Issues::default();
        for line in 2..150 {
            first.push(issue(line * 2, "cell"));
        }
        let mut issues = Issues::default();
        issues.push(issue(3, "learner"));
        let error = issues.merged(first.into_result(())).unwrap_err();
        assert_eq!(error.total, 149);
        assert_eq!(error.issues[0].line, 3);
        assert_eq!(error.issues[1].line, 4);
    }
}
