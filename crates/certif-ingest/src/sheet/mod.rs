//! A sheet as rows of text cells, whatever the file's format and encoding, read within limits
//! that bound memory by what the file holds, never by what it declares.

mod csv;
mod xlsx;

use crate::{IngestError, Issue, Problem};

/// Limits on one spreadsheet; [`Limits::default`] holds the ones imports use. A real cohort or
/// marks file has at most a few hundred thousand rows and a few dozen columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of the file as given (CSV, or the XLSX zip).
    pub file_bytes: usize,
    /// Rows, the header included (a row number beyond it is refused).
    pub rows: usize,
    /// Columns up to the last named header, and any cell that holds something.
    pub columns: usize,
    /// Bytes of one cell's text.
    pub cell_bytes: usize,
    /// Cells holding something, in the whole sheet.
    pub cells: usize,
    /// Bytes of one XLSX part once unpacked (the first sheet, the shared strings…).
    pub xlsx_part_bytes: u64,
}

/// 64 MiB: about a million rows of marks; a 300,000-learner cohort file is a third of it.
pub const MAX_FILE_BYTES: usize = 64 << 20;
pub const MAX_ROWS: usize = 1_000_000;
pub const MAX_COLUMNS: usize = 512;
/// Excel itself holds at most 32,767 characters in a cell: up to 128 KiB of UTF-8.
pub const MAX_CELL_BYTES: usize = 128 << 10;
pub const MAX_CELLS: usize = 4_000_000;
/// A sheet of a million rows of marks unpacks to about 150 MiB of XML.
pub const MAX_XLSX_PART_BYTES: u64 = 256 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: MAX_FILE_BYTES,
            rows: MAX_ROWS,
            columns: MAX_COLUMNS,
            cell_bytes: MAX_CELL_BYTES,
            cells: MAX_CELLS,
            xlsx_part_bytes: MAX_XLSX_PART_BYTES,
        }
    }
}

/// The cells of a sheet as text, with the line each row came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The file's name, as issues name it.
    pub file: String,
    /// Header names, trimmed (case kept for messages), up to the last one named.
    pub headers: Vec<String>,
    /// Rows with something in a named column.
    pub rows: Vec<SheetRow>,
}

/// One row's trimmed cells, stored end to end: a row costs what its text costs, whatever the
/// width of the sheet. Cells past the last non-empty one are not stored; they read as empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// 1-based line (CSV) or row number (XLSX); the header is line 1.
    pub line: usize,
    text: String,
    /// Where each cell ends in `text`.
    ends: Vec<u32>,
}

impl SheetRow {
    pub fn new(line: usize) -> SheetRow {
        SheetRow { line, text: String::new(), ends: Vec::new() }
    }

    /// A row from its cells in order (trimmed as they are stored).
    pub fn from_cells<'a>(line: usize, cells: impl IntoIterator<Item = &'a str>) -> SheetRow {
        let mut row = SheetRow::new(line);
        for (column, cell) in cells.into_iter().enumerate() {
            row.set(column, cell);
        }
        row
    }

    /// The trimmed text of a cell (0-based column); empty past the row's last cell.
    pub fn cell(&self, column: usize) -> &str {
        let Some(&end) = self.ends.get(column) else { return "" };
        let start = if column == 0 { 0 } else { self.ends[column - 1] };
        &self.text[start as usize..end as usize]
    }

    /// The cells up to the last one that holds something.
    pub fn cells(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|column| self.cell(column))
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Sets a cell right of every cell set so far (cells between stay empty); an empty text
    /// stores nothing.
    fn set(&mut self, column: usize, text: &str) {
        let text = text.trim();
        if text.is_empty() || column < self.ends.len() {
            return;
        }
        let end = self.text.len() as u32;
        self.ends.resize(column, end);
        self.text.push_str(text);
        self.ends.push(self.text.len() as u32);
    }
}

impl Sheet {
    /// The index of a column by header name: case-insensitive, surrounding spaces ignored.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name))
    }
}

/// Reads a `.csv` (or `.txt`) or `.xlsx` file (first sheet) into text cells, within the
/// default [`Limits`].
pub fn read_sheet(file: &str, bytes: &[u8]) -> Result<Sheet, IngestError> {
    read_sheet_within(file, bytes, &Limits::default())
}

/// [`read_sheet`] within other limits.
pub fn read_sheet_within(file: &str, bytes: &[u8], limits: &Limits) -> Result<Sheet, IngestError> {
    let lower = file.to_ascii_lowercase();
    let is_xlsx = lower.ends_with(".xlsx");
    if !is_xlsx && !lower.ends_with(".csv") && !lower.ends_with(".txt") {
        return Err(file_issue(file, Problem::NotASpreadsheet));
    }
    if bytes.len() > limits.file_bytes {
        return Err(file_issue(file, Problem::FileTooLarge { bytes: bytes.len(), limit: limits.file_bytes }));
    }
    if is_xlsx { xlsx::read(file, bytes, limits) } else { csv::read(file, bytes, limits) }
}

fn file_issue(file: &str, message: Problem) -> IngestError {
    IngestError::single(Issue { file: file.into(), line: 0, column: 0, message })
}

fn cell_issue(file: &str, line: usize, column: usize, message: Problem) -> IngestError {
    IngestError::single(Issue { file: file.into(), line, column, message })
}

/// Rows as they are read, the first non-empty one being the header, checked against the
/// limits as they come.
struct SheetBuilder<'a> {
    file: &'a str,
    limits: &'a Limits,
    headers: Option<Vec<String>>,
    rows: Vec<SheetRow>,
    cells: usize,
}

impl<'a> SheetBuilder<'a> {
    fn new(file: &'a str, limits: &'a Limits) -> Self {
        SheetBuilder { file, limits, headers: None, rows: Vec::new(), cells: 0 }
    }

    /// The header's width once read (cells right of it belong to no column and are skipped).
    fn width(&self) -> Option<usize> {
        self.headers.as_ref().map(Vec::len)
    }

    /// Checks a row number before its cells are read.
    fn check_line(&self, line: usize) -> Result<(), IngestError> {
        if line > self.limits.rows {
            return Err(cell_issue(self.file, line, 0, Problem::TooManyRows { limit: self.limits.rows }));
        }
        Ok(())
    }

    /// Checks a header cell's column (0-based) before it is kept.
    fn check_header_column(&self, column: usize) -> Result<(), IngestError> {
        if column >= self.limits.columns {
            return Err(cell_issue(self.file, 1, column + 1, Problem::TooManyColumns { limit: self.limits.columns }));
        }
        Ok(())
    }

    /// Checks a cell's length and the sheet's count of cells before the cell is kept.
    fn check_cell(&mut self, line: usize, column: usize, bytes: usize) -> Result<(), IngestError> {
        if bytes > self.limits.cell_bytes {
            return Err(cell_issue(self.file, line, column + 1, Problem::CellTooLong { limit: self.limits.cell_bytes }));
        }
        self.cells += 1;
        if self.cells > self.limits.cells {
            return Err(cell_issue(self.file, line, column + 1, Problem::TooManyCells { limit: self.limits.cells }));
        }
        Ok(())
    }

    /// The header (the first row given, names trimmed, up to the last one named), then the rows
    /// with something in a named column.
    fn push(&mut self, row: SheetRow) {
        match &self.headers {
            None => self.headers = Some(row.cells().map(String::from).collect()),
            Some(headers) => {
                let width = headers.len();
                let mut row = row;
                if row.ends.len() > width {
                    row.ends.truncate(width);
                    let end = row.ends.last().map_or(0, |&e| e as usize);
                    row.text.truncate(end);
                }
                if !row.is_empty() {
                    self.rows.push(row);
                }
            }
        }
    }

    fn finish(self) -> Sheet {
        Sheet { file: self.file.into(), headers: self.headers.unwrap_or_default(), rows: self.rows }
    }
}

/// `A1`-style name of a cell (0-based row and column).
fn cell_name(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(column) + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), u64::from(row) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_stores_its_cells_end_to_end_and_reads_empty_past_them() {
        let row = SheetRow::from_cells(2, [" a ", "", "bc", "", ""]);
        assert_eq!(row.cells().collect::<Vec<_>>(), ["a", "", "bc"]);
        assert_eq!(row.cell(1), "");
        assert_eq!(row.cell(1_000_000), "");
        assert!(SheetRow::from_cells(3, ["", " "]).is_empty());
    }

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }
}
