//! Any bytes given as an RNCP export are either refused (malformed XML, with offset and line)
//! or read fiche by fiche; never a panic.
#![no_main]

use certif_rncp_xml::{RncpXmlError, read_export};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = read_export(data, |fiche| {
        for block in &fiche.certification.blocks {
            assert!(block.competencies.iter().all(|c| !c.text.is_empty()));
        }
        Ok::<(), RncpXmlError>(())
    });
});
