//! Spreadsheet import: the registrar's CSV and XLSX files, as they are, into checked record rows
//! (spec/records.md, "Import").
//!
//! French conventions are the norm: Windows-1252 or UTF-8 (with or without BOM), `;` or `,`
//! separators, decimal commas, `DD/MM/YYYY` dates, `ABJ`/`ABI` marks, `oui`/`non`. Columns are
//! found by header name in any order; extra columns are reported once and ignored. The whole
//! file is checked before anything is returned, and every bad cell is reported as
//! `FILE:LINE:COLUMN: message`. Nothing here touches a database: the store writes the rows.

mod kinds;
mod sheet;
mod values;

pub use kinds::*;
pub use sheet::{Sheet, SheetRow, read_sheet};

use std::fmt;

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
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for issue in &self.issues {
            writeln!(f, "{issue}")?;
        }
        if self.total > self.issues.len() {
            writeln!(f, "… and {} more problems", self.total - self.issues.len())?;
        }
        write!(f, "{} problem(s): nothing was imported", self.total)
    }
}

impl IngestError {
    pub fn single(issue: Issue) -> IngestError {
        IngestError { issues: vec![issue], total: 1 }
    }
}

/// Collects issues while a whole file is checked.
#[derive(Debug, Default)]
pub struct Issues {
    issues: Vec<Issue>,
    total: usize,
}

impl Issues {
    pub fn push(&mut self, issue: Issue) {
        self.total += 1;
        if self.issues.len() < MAX_ISSUES {
            self.issues.push(issue);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// `Ok(value)` when nothing was wrong.
    pub fn into_result<T>(self, value: T) -> Result<T, IngestError> {
        if self.total == 0 { Ok(value) } else { Err(IngestError { issues: self.issues, total: self.total }) }
    }
}
