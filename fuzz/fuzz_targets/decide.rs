//! A curriculum, a policy and a dossier fed together (issue 11): whatever the three texts,
//! each is refused with its path, or the dossier is decided with no panic and no overflow, and
//! `what_it_takes` is empty exactly when the title is awarded.
//!
//! The input is the three texts separated by a line `%%` (a missing part is the demo one).
#![no_main]

use std::sync::LazyLock;

use certif_core::decision::TitleStatus;
use certif_core::dossier::DossierContext;
use certif_core::{Certification, Dossier, evaluate};
use libfuzzer_sys::fuzz_target;

static RNCP39668: LazyLock<Certification> = LazyLock::new(|| certif_referential::embedded_certification("RNCP39668").unwrap());

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.splitn(3, "\n%%\n");
    let curriculum_text = parts.next().filter(|t| !t.is_empty()).unwrap_or(certif_referential::DEMO_CURRICULUM);
    let policy_text = parts.next().unwrap_or("");
    let Some(dossier_text) = parts.next() else { return };
    let certification = &*RNCP39668;
    let curriculum = match certif_referential::load_curriculum(curriculum_text, |code| (code == certification.code).then_some(certification)) {
        Ok((curriculum, _)) => curriculum,
        Err(error) => return assert!(error.line >= 1),
    };
    let policy = match certif_referential::load_policy(policy_text) {
        Ok(policy) => policy,
        Err(error) => return assert!(error.line >= 1),
    };
    let context = DossierContext { certification, curriculum: &curriculum, policy: &policy };
    match Dossier::from_json(dossier_text, context) {
        Ok(dossier) => {
            let decision = evaluate(certification, &curriculum, &policy, &dossier);
            let awarded = decision.title.status == TitleStatus::Awarded;
            assert_eq!(decision.what_it_takes.is_empty(), awarded, "what_it_takes is empty exactly when awarded");
            let _ = decision.to_json_line();
        }
        Err(error) => assert!(!error.path.is_empty()),
    }
});
