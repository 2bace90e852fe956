//! A sheet as rows of text cells, whatever the file's format and encoding.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::{IngestError, Issue};

/// The cells of a sheet as text, with the line each row came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The file's name, as issues name it.
    pub file: String,
    /// Header names, trimmed (case kept for messages).
    pub headers: Vec<String>,
    pub rows: Vec<SheetRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// 1-based line (CSV) or row number (XLSX); the header is line 1.
    pub line: usize,
    /// Trimmed cell texts, one per header (missing trailing cells are empty).
    pub cells: Vec<String>,
}

impl Sheet {
    /// The index of a column by header name: case-insensitive, surrounding spaces ignored.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name))
    }
}

/// Reads a `.csv` or `.xlsx` file (first sheet) into text cells.
pub fn read_sheet(file: &str, bytes: &[u8]) -> Result<Sheet, IngestError> {
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".xlsx") {
        read_xlsx(file, bytes)
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
        read_csv(file, bytes)
    } else {
        Err(IngestError::single(Issue { file: file.into(), line: 0, column: 0, message: "not a .csv or .xlsx file".into() }))
    }
}

/// UTF-8 (a BOM is dropped) when the bytes are valid UTF-8, Windows-1252 otherwise: the two
/// encodings French spreadsheets are saved in.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// `;` when the header line has more semicolons than commas (Excel's French default), else `,`.
fn separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.matches(';').count() > header.matches(',').count() { b';' } else { b',' }
}

fn read_csv(file: &str, bytes: &[u8]) -> Result<Sheet, IngestError> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new().delimiter(separator(&text)).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut headers = Vec::new();
    let mut rows = Vec::new();
    let mut lines = LineCounter::new(&text);
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            IngestError::single(Issue { file: file.into(), line, column: 0, message: format!("unreadable CSV: {e}") })
        })?;
        let line = record.position().map_or(index + 1, |p| lines.line_at(p.byte() as usize));
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if index == 0 {
            headers = cells;
            continue;
        }
        if cells.iter().all(String::is_empty) {
            continue;
        }
        rows.push(SheetRow { line, cells });
    }
    Ok(normalise(file, headers, rows))
}

/// Line numbers from byte offsets, counted once as records go forward. (The csv crate's own
/// line numbers drift after blank lines.)
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter { text: text.as_bytes(), offset: 0, line: 1 }
    }

    /// The line where the record starting at `byte` (after any blank lines) begins.
    fn line_at(&mut self, mut byte: usize) -> usize {
        while byte < self.text.len() && matches!(self.text[byte], b'\n' | b'\r') {
            byte += 1;
        }
        let byte = byte.min(self.text.len());
        if byte >= self.offset {
            self.line += self.text[self.offset..byte].iter().filter(|b| **b == b'\n').count();
            self.offset = byte;
        }
        self.line
    }
}

fn read_xlsx(file: &str, bytes: &[u8]) -> Result<Sheet, IngestError> {
    let unreadable = |message: String| IngestError::single(Issue { file: file.into(), line: 0, column: 0, message });
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(format!("unreadable XLSX: {e}")))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("the workbook has no sheet".into()))?
        .map_err(|e| unreadable(format!("unreadable first sheet: {e}")))?;
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let mut headers = Vec::new();
    let mut rows = Vec::new();
    for (index, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        if index == 0 {
            headers = cells;
            continue;
        }
        if cells.iter().all(String::is_empty) {
            continue;
        }
        rows.push(SheetRow { line: first_row + index + 1, cells });
    }
    Ok(normalise(file, headers, rows))
}

/// A cell as the text a person would type: numbers in their shortest form, dates as ISO.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        // Excel keeps numbers as binary doubles; their shortest form is what was typed.
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_datetime().map_or_else(|| d.to_string(), |dt| dt.date().format("%Y-%m-%d").to_string()),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn normalise(file: &str, headers: Vec<String>, mut rows: Vec<SheetRow>) -> Sheet {
    let width = headers.len();
    for row in &mut rows {
        row.cells.resize(width.max(row.cells.len()), String::new());
    }
    Sheet { file: file.into(), headers: headers.into_iter().map(|h| h.trim().to_string()).collect(), rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_decoded_when_the_bytes_are_not_utf8() {
        assert_eq!(decode(b"L\xe9a;Ch\xe2teau"), "Léa;Château");
        assert_eq!(decode("Léa".as_bytes()), "Léa");
        assert_eq!(decode(b"\xEF\xBB\xBFid"), "id");
    }

    #[test]
    fn the_separator_comes_from_the_header() {
        assert_eq!(separator("learner_id;module;session1\n1,5;2"), b';');
        assert_eq!(separator("learner_id,module,session1\n"), b',');
    }

    #[test]
    fn csv_rows_keep_their_line_numbers_and_skip_blank_lines() {
        let sheet = read_sheet("m.csv", b"a;b\n1;2\n\n3;\"x\ny\"\n5;6\n").unwrap();
        let lines: Vec<usize> = sheet.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 4, 6]);
        assert_eq!(sheet.rows[1].cells[1], "x\ny");
    }
}
