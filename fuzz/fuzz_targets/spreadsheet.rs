//! Any bytes given as a CSV or XLSX import are either refused with issues or read into rows
//! that keep within the limits; run under a memory limit, no input exhausts memory.
#![no_main]

use certif_core::Policy;
use certif_ingest::{Checks, Kind, Limits, parse, read_sheet_within};
use libfuzzer_sys::fuzz_target;

/// Limits small enough for the fuzzer to reach every one of them.
const SMALL: Limits = Limits { file_bytes: 16 * 1024, rows: 40, columns: 12, cell_bytes: 64, cells: 200, xlsx_part_bytes: 32 * 1024 };

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let name = if selector & 1 == 0 { "f.csv" } else { "f.xlsx" };
    let limits = if selector & 2 == 0 { SMALL } else { Limits::default() };
    let kind = Kind::ALL[usize::from(selector >> 2) % Kind::ALL.len()];
    let policy = Policy::default();
    let is_module = |code: &str| code.starts_with('M');
    let is_block = |code: &str| code.starts_with("RNCP39668BC");
    let Ok(sheet) = read_sheet_within(name, bytes, &limits) else { return };
    assert!(sheet.headers.len() <= limits.columns);
    assert!(sheet.rows.iter().all(|row| row.line <= limits.rows && row.cells().count() <= sheet.headers.len()));
    let cells: Vec<&str> = sheet.rows.iter().flat_map(|row| row.cells()).filter(|cell| !cell.is_empty()).collect();
    assert!(cells.len() <= limits.cells && cells.iter().all(|cell| cell.len() <= limits.cell_bytes));
    let _ = parse(kind, &sheet, &Checks { policy: &policy, is_module: &is_module, is_block: &is_block, is_learner: &|_: &str| true });
});
