//! Any text given as a dossier is either refused with a path or decided, never a panic; and a
//! decided dossier exports to JSON that reads back to the same dossier.
#![no_main]

use std::sync::LazyLock;

use certif_core::dossier::DossierContext;
use certif_core::{Certification, Curriculum, Dossier, Policy, evaluate};
use libfuzzer_sys::fuzz_target;

static DEMO: LazyLock<(Curriculum, Certification, Policy)> = LazyLock::new(|| {
    let (curriculum, certification) = certif_referential::demo_curriculum();
    (curriculum, certification, Policy::default())
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (curriculum, certification, policy) = &*DEMO;
    let context = DossierContext { certification, curriculum, policy };
    match Dossier::from_json(text, context) {
        Ok(dossier) => {
            let decision = evaluate(certification, curriculum, policy, &dossier);
            let _ = decision.to_json_line();
            let again = Dossier::from_json(&dossier.to_json(), context).expect("an exported dossier reads back");
            assert_eq!(again, dossier);
        }
        Err(error) => assert!(!error.path.is_empty()),
    }
});
