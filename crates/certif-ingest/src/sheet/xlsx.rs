//! The first sheet of an XLSX workbook, read cell by cell: only the cells the file holds are
//! kept, whatever dimension the sheet declares.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};

use super::{Limits, Sheet, SheetBuilder, SheetRow, cell_issue, cell_name, file_issue};
use crate::{IngestError, Problem};

/// A cell kept while the sheet is read: its place and where its text is in the sheet's buffer.
struct Found {
    row: u32,
    column: u32,
    start: usize,
    end: usize,
}

pub(super) fn read(file: &str, bytes: &[u8], limits: &Limits) -> Result<Sheet, IngestError> {
    check_parts(file, bytes, limits)?;
    let unreadable = |message: Problem| file_issue(file, message);
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(Problem::UnreadableXlsx(e.to_string())))?;
    let first = workbook.sheet_names().into_iter().next().ok_or_else(|| unreadable(Problem::NoSheet))?;
    let mut cells = workbook.worksheet_cells_reader(&first).map_err(|e| unreadable(Problem::UnreadableSheet(e.to_string())))?;
    let declared = cells.dimensions();
    if declared.end.0 as usize >= limits.rows || declared.end.1 as usize >= limits.columns {
        return Err(unreadable(Problem::DimensionTooLarge {
            from: cell_name(declared.start.0, declared.start.1),
            to: cell_name(declared.end.0, declared.end.1),
            rows: limits.rows,
            columns: limits.columns,
        }));
    }
    let mut sheet = SheetBuilder::new(file, limits);
    let mut text = String::new();
    let mut found = Vec::new();
    // The sheet starts at its first row and column holding a value, as calamine's ranges do.
    let mut start = (u32::MAX, u32::MAX);
    while let Some(cell) = cells.next_cell().map_err(|e| unreadable(Problem::UnreadableSheet(e.to_string())))? {
        let (row, column) = cell.get_position();
        let value = cell.get_value();
        if *value == DataRef::Empty {
            continue;
        }
        let cell_text = cell_text(value);
        let cell_text = cell_text.trim();
        if row as usize >= limits.rows || column as usize >= limits.columns {
            return Err(cell_issue(
                file,
                row as usize + 1,
                column as usize + 1,
                Problem::CellTooFar { cell: cell_name(row, column), rows: limits.rows, columns: limits.columns },
            ));
        }
        start = (start.0.min(row), start.1.min(column));
        if cell_text.is_empty() {
            continue;
        }
        sheet.check_cell(row as usize + 1, column as usize, cell_text.len())?;
        found.push(Found { row, column, start: text.len(), end: text.len() + cell_text.len() });
        text.push_str(cell_text);
    }
    // Cells usually come in order; a sheet may list them otherwise.
    found.sort_by_key(|f| (f.row, f.column));
    let mut row = SheetRow::new(start.0 as usize + 1);
    for f in &found {
        if f.row as usize + 1 != row.line {
            sheet.push(std::mem::replace(&mut row, SheetRow::new(f.row as usize + 1)));
        }
        row.set((f.column - start.1) as usize, &text[f.start..f.end]);
    }
    if start.0 != u32::MAX {
        sheet.push(row);
    }
    Ok(sheet.finish())
}

/// Refuses a workbook with a part that would unpack past the limit, before anything is
/// unpacked (the zip reader then stops any part at the size it declares).
fn check_parts(file: &str, bytes: &[u8], limits: &Limits) -> Result<(), IngestError> {
    let unreadable = |message: Problem| file_issue(file, message);
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(Problem::UnreadableXlsx(e.to_string())))?;
    for index in 0..archive.len() {
        let part = archive.by_index_raw(index).map_err(|e| unreadable(Problem::UnreadableXlsx(e.to_string())))?;
        if part.size() > limits.xlsx_part_bytes {
            return Err(unreadable(Problem::PartTooLarge {
                part: part.name().unwrap_or_default().to_string(),
                bytes: part.size(),
                limit: limits.xlsx_part_bytes,
            }));
        }
    }
    Ok(())
}

/// A cell as the text a person would type: numbers in their shortest form, dates as ISO.
fn cell_text<'a>(cell: &'a DataRef<'_>) -> Cow<'a, str> {
    match cell {
        DataRef::Empty => Cow::Borrowed(""),
        DataRef::String(s) | DataRef::DurationIso(s) => Cow::Borrowed(s),
        DataRef::SharedString(s) => Cow::Borrowed(s),
        DataRef::Int(i) => Cow::Owned(i.to_string()),
        // Excel keeps numbers as binary doubles; their shortest form is what was typed.
        DataRef::Float(f) => Cow::Owned(f.to_string()),
        DataRef::Bool(b) => Cow::Owned(b.to_string()),
        DataRef::DateTime(d) => Cow::Owned(d.as_datetime().map_or_else(|| d.to_string(), |dt| dt.date().format("%Y-%m-%d").to_string())),
        DataRef::DateTimeIso(s) => Cow::Borrowed(s.get(..10).unwrap_or(s)),
        DataRef::Error(e) => Cow::Owned(format!("#{e:?}")),
    }
}
