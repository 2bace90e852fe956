//! Any text given as a curriculum is either refused with a path and line or loaded and checked.
#![no_main]

use std::sync::LazyLock;

use certif_core::Certification;
use libfuzzer_sys::fuzz_target;

static RNCP39668: LazyLock<Certification> = LazyLock::new(|| certif_referential::embedded_certification("RNCP39668").unwrap());

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let certification = &*RNCP39668;
    match certif_referential::load_curriculum(text, |code| (code == certification.code).then_some(certification)) {
        Ok((curriculum, _)) => {
            let _ = certif_referential::check_coverage(certification, &curriculum);
        }
        Err(error) => assert!(error.line >= 1),
    }
});
