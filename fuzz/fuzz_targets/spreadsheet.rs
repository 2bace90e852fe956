//! Any bytes given as a CSV or XLSX import are either refused with issues or read into rows.
#![no_main]

use certif_core::Policy;
use certif_ingest::{Checks, Kind, parse, read_sheet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let name = if selector & 1 == 0 { "f.csv" } else { "f.xlsx" };
    let kind = Kind::ALL[usize::from(selector >> 1) % Kind::ALL.len()];
    let policy = Policy::default();
    let is_module = |code: &str| code.starts_with('M');
    let is_block = |code: &str| code.starts_with("RNCP39668BC");
    if let Ok(sheet) = read_sheet(name, bytes) {
        let _ = parse(kind, &sheet, &Checks { policy: &policy, is_module: &is_module, is_block: &is_block });
    }
});
