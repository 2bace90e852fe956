//! CSV as spreadsheets save it: UTF-8, Windows-1252 or UTF-16 (Excel's "Unicode text"), `;`,
//! `,` or tab separated, read field by field into a buffer of fixed size.

use std::borrow::Cow;

use csv_core::{ReadFieldResult, ReaderBuilder};

use super::{Limits, Sheet, SheetBuilder, SheetRow};
use crate::IngestError;

/// UTF-16 when a UTF-16 byte-order mark starts the file; else UTF-8 (a BOM is dropped) when
/// the bytes are valid UTF-8, Windows-1252 otherwise: the encodings spreadsheets save CSV in.
pub(super) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes)
        && encoding != encoding_rs::UTF_8
    {
        return encoding.decode_with_bom_removal(bytes).0;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

/// The separator the header line uses most: tab, `;` (Excel's French default) or `,`; `,`
/// when it uses none.
pub(super) fn separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let count = |c: char| header.matches(c).count();
    let (tabs, semicolons, commas) = (count('\t'), count(';'), count(','));
    if tabs > semicolons.max(commas) {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    }
}

pub(super) fn read(file: &str, bytes: &[u8], limits: &Limits) -> Result<Sheet, IngestError> {
    let text = decode(bytes);
    let data = text.as_bytes();
    let mut parser = ReaderBuilder::new().delimiter(separator(&text)).build();
    let mut sheet = SheetBuilder::new(file, limits);
    let mut lines = LineCounter::new(&text);
    // One byte more than a cell may hold: a full buffer means a cell too long.
    let mut field = vec![0u8; limits.cell_bytes + 1];
    let mut filled = 0;
    let mut position = 0;
    let mut row = SheetRow::new(0);
    let mut starting = true;
    let mut column = 0;
    loop {
        if starting {
            row = SheetRow::new(lines.line_at(position));
            column = 0;
            starting = false;
        }
        let (result, read, written) = parser.read_field(&data[position..], &mut field[filled..]);
        position += read;
        filled += written;
        match result {
            ReadFieldResult::InputEmpty => {}
            ReadFieldResult::OutputFull => {
                return Err(super::cell_issue(file, row.line, column + 1, crate::Problem::CellTooLong { limit: limits.cell_bytes }));
            }
            ReadFieldResult::Field { record_end } => {
                if column == 0 {
                    sheet.check_line(row.line)?;
                }
                let cell = String::from_utf8_lossy(&field[..filled]);
                filled = 0;
                store(&mut sheet, &mut row, column, cell.trim())?;
                column += 1;
                if record_end {
                    sheet.push(std::mem::replace(&mut row, SheetRow::new(0)));
                    starting = true;
                }
            }
            ReadFieldResult::End => break,
        }
    }
    Ok(sheet.finish())
}

/// Keeps a cell of the header, or of a row within the header's width; checks it first.
fn store(sheet: &mut SheetBuilder<'_>, row: &mut SheetRow, column: usize, cell: &str) -> Result<(), IngestError> {
    if cell.is_empty() {
        return Ok(());
    }
    match sheet.width() {
        None => sheet.check_header_column(column)?,
        Some(width) if column >= width => return Ok(()),
        Some(_) => {}
    }
    sheet.check_cell(row.line, column, cell.len())?;
    row.set(column, cell);
    Ok(())
}

/// Line numbers from byte offsets, counted once as records go forward (blank lines between
/// records count).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_sheet;

    #[test]
    fn windows_1252_is_decoded_when_the_bytes_are_not_utf8() {
        assert_eq!(decode(b"L\xe9a;Ch\xe2teau"), "Léa;Château");
        assert_eq!(decode("Léa".as_bytes()), "Léa");
        assert_eq!(decode(b"\xEF\xBB\xBFid"), "id");
    }

    #[test]
    fn utf16_with_its_byte_order_mark_is_decoded() {
        let text = "learner_id\tnom\nA-0001\tLéa\n";
        let little: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let big: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode(&little), text);
        assert_eq!(decode(&big), text);
    }

    #[test]
    fn the_separator_comes_from_the_header() {
        assert_eq!(separator("learner_id;module;session1\n1,5;2"), b';');
        assert_eq!(separator("learner_id,module,session1\n"), b',');
        assert_eq!(separator("learner_id\tmodule\tnote, sur 20\n"), b'\t');
        assert_eq!(separator("learner_id\n"), b',');
    }

    #[test]
    fn csv_rows_keep_their_line_numbers_and_skip_blank_lines() {
        let sheet = read_sheet("m.csv", b"a;b\n1;2\n\n3;\"x\ny\"\n5;6\n").unwrap();
        let lines: Vec<usize> = sheet.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 4, 6]);
        assert_eq!(sheet.rows[1].cell(1), "x\ny");
    }

    #[test]
    fn short_rows_read_empty_and_cells_past_the_header_are_skipped() {
        let sheet = read_sheet("m.csv", b"a;b;c;;\n1\n;;;x;y\n2;;3;z\n").unwrap();
        assert_eq!(sheet.headers, ["a", "b", "c"]);
        let rows: Vec<Vec<&str>> = sheet.rows.iter().map(|r| r.cells().collect()).collect();
        assert_eq!(rows, [vec!["1"], vec!["2", "", "3"]], "a row with nothing under a header is skipped");
        assert_eq!(sheet.rows[1].line, 4);
    }
}
