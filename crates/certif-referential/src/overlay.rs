//! Certification overlays: what a certifier's reading of a fiche adds to what the RNCP registry
//! publishes — modality letters, transversal competencies and the blocks they attach to, award
//! conditions beyond "all blocks", and the policy. An overlay applies on top of a fiche,
//! embedded or imported, so a newer fiche keeps it.

use std::collections::BTreeMap;

use certif_core::certification::{Competency, Modality};
use certif_core::jury::Composition;
use certif_core::policy::PolicyOverride;
use certif_core::{AwardCondition, Certification, Policy};
use serde::Deserialize;

use crate::toml_error;

/// An overlay file (TOML), e.g. `data/RNCP39668.overlay.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// The certification it applies to.
    pub certification: String,
    /// Replaces the fiche's conditions (`["all_blocks"]` for any imported fiche).
    pub award_conditions: Option<Vec<AwardCondition>>,
    #[serde(default)]
    pub modalities: Vec<Modality>,
    #[serde(default)]
    pub transversal_competencies: Vec<Competency>,
    /// By block code: the block's modality letters and transversal competencies.
    #[serde(default)]
    pub blocks: BTreeMap<String, BlockOverlay>,
    /// Overrides of the default policy (the keys of a `--policy` file).
    pub policy: Option<PolicyOverride>,
    /// Who sits on the jury (spec/jury.md §1); a certification without one gets
    /// `Composition::default_for_any`.
    pub jury: Option<Composition>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockOverlay {
    #[serde(default)]
    pub modalities: Vec<String>,
    #[serde(default)]
    pub transversal: Vec<String>,
    /// The block's short name, for narrow places (the cohort's column heads).
    pub short_title: Option<String>,
}

/// An overlay that cannot be read, or does not fit its certification.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {path}: {message}")]
pub struct OverlayError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

const EMBEDDED: &[(&str, &str)] = &[("RNCP39668", include_str!("../data/RNCP39668.overlay.toml"))];

/// Reads an overlay file.
pub fn parse_overlay(text: &str) -> Result<Overlay, OverlayError> {
    let overlay: Overlay = toml_error::deserialize(text).map_err(|e| OverlayError { path: e.path, line: e.line, message: e.message })?;
    overlay.check_itself().map_err(|(path, message)| {
        let line = if path.starts_with("policy.") { toml_error::line_of_path(text, &path) } else { line_of_path(text, &path) };
        OverlayError { line, path, message }
    })?;
    Ok(overlay)
}

/// The line of `blocks.CODE.key` in the text: the key's line under the block's table header.
fn line_of_path(text: &str, path: &str) -> usize {
    let Some((table, key)) = path.rsplit_once('.') else { return 0 };
    let Some(header) = text.find(&format!("[{table}]")) else { return 0 };
    let offset = text[header..].find(&format!("\n{key}")).map_or(header, |at| header + at + 1);
    crate::line_of(text, offset)
}

/// The overlay compiled into certif for `code`, if any.
pub fn embedded_overlay(code: &str) -> Option<Overlay> {
    EMBEDDED
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(c, text)| parse_overlay(text).unwrap_or_else(|e| panic!("embedded overlay {c} is invalid: {e}")))
}

impl Overlay {
    /// Letters and transversal ids a block names must be the overlay's own; its policy is bounded.
    fn check_itself(&self) -> Result<(), (String, String)> {
        self.policy().check_bounds().map_err(|e| (format!("policy.{}", e.path), e.message))?;
        if let Some(jury) = &self.jury {
            jury.check_itself().map_err(|(path, message)| (format!("jury.{path}"), message))?;
        }
        for (code, block) in &self.blocks {
            for letter in &block.modalities {
                if !self.modalities.iter().any(|m| &m.letter == letter) {
                    return Err((
                        format!("blocks.{code}.modalities"),
                        format!("modality {letter:?} is not among the overlay's modalities"),
                    ));
                }
            }
            for id in &block.transversal {
                if !self.transversal_competencies.iter().any(|t| &t.id == id) {
                    return Err((
                        format!("blocks.{code}.transversal"),
                        format!("{id:?} is not among the overlay's transversal_competencies"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The jury this certification's sessions must hold.
    pub fn jury_composition(&self) -> Composition {
        self.jury.clone().unwrap_or_else(Composition::default_for_any)
    }

    /// Applies the overlay to `certification`. Refused when it names a block the
    /// certification does not have (a renewed fiche renamed its blocks: the overlay must follow).
    pub fn apply(&self, certification: &mut Certification) -> Result<(), OverlayError> {
        if certification.code != self.certification {
            return Err(OverlayError {
                path: "certification".into(),
                line: 0,
                message: format!("this overlay is for {}, not {}", self.certification, certification.code),
            });
        }
        if let Some(unknown) = self.blocks.keys().find(|code| certification.block(code).is_none()) {
            return Err(OverlayError {
                path: format!("blocks.{unknown}"),
                line: 0,
                message: format!("{} has no block {unknown}", certification.code),
            });
        }
        if let Some(conditions) = &self.award_conditions {
            certification.award_conditions = conditions.clone();
        }
        if !self.modalities.is_empty() {
            certification.modalities = self.modalities.clone();
        }
        if !self.transversal_competencies.is_empty() {
            certification.transversal_competencies = self.transversal_competencies.clone();
        }
        for block in &mut certification.blocks {
            if let Some(overlay) = self.blocks.get(&block.code) {
                block.modalities = overlay.modalities.clone();
                block.transversal = overlay.transversal.clone();
                if overlay.short_title.is_some() {
                    block.short_title = overlay.short_title.clone();
                }
            }
        }
        Ok(())
    }

    /// The policy this certification is decided with.
    pub fn policy(&self) -> Policy {
        match &self.policy {
            Some(changes) => Policy::default().with(changes.clone()),
            None => Policy::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_overlay_fits_its_fiche() {
        let overlay = embedded_overlay("RNCP39668").unwrap();
        assert_eq!(overlay.blocks.len(), 7);
        assert_eq!(overlay.award_conditions.as_ref().unwrap().len(), 4);
        assert_eq!(overlay.policy(), Policy::default());
    }

    #[test]
    fn the_fiche_s_jury_is_the_embedded_overlay_s_data_and_others_get_the_default() {
        let jury = embedded_overlay("RNCP39668").unwrap().jury_composition();
        assert_eq!(jury.presiding, "president");
        let seats: Vec<(&str, u32, u32)> = jury.seats.iter().map(|s| (s.role.as_str(), s.min, s.max)).collect();
        assert_eq!(
            seats,
            [
                ("president", 1, 1),
                ("director_of_studies", 1, 1),
                ("alternance_manager", 1, 1),
                ("partner_training_manager", 1, 1),
                ("teacher", 4, 6),
                ("cfa_director", 1, 1)
            ]
        );
        let other = parse_overlay("certification = \"RNCP40792\"\n").unwrap();
        assert_eq!(other.jury_composition(), certif_core::jury::Composition::default_for_any());
        let error = parse_overlay("certification = \"X\"\n[jury]\npresiding = \"chair\"\nseats = []\n").unwrap_err();
        assert_eq!(error.path, "jury.presiding", "{error}");
    }

    #[test]
    fn an_overlay_naming_an_unknown_letter_is_refused_with_its_line() {
        let text = "certification = \"X\"\n[[modalities]]\nletter = \"A\"\ntext = \"a\"\n\n[blocks.XBC01]\nmodalities = [\"A\", \"Z\"]\n";
        let error = parse_overlay(text).unwrap_err();
        assert_eq!((error.path.as_str(), error.line), ("blocks.XBC01.modalities", 7), "{error}");
    }

    #[test]
    fn an_overlay_for_a_block_the_fiche_lacks_is_refused() {
        let overlay = parse_overlay("certification = \"RNCP39668\"\n[blocks.RNCP39668BC09]\n").unwrap();
        let mut certification = crate::embedded_certification("RNCP39668").unwrap();
        let error = overlay.apply(&mut certification).unwrap_err();
        assert_eq!(error.path, "blocks.RNCP39668BC09");
    }

    #[test]
    fn a_policy_out_of_bounds_in_an_overlay_is_refused_with_its_line() {
        let error = parse_overlay("certification = \"X\"\n[policy]\npass_mark = 25\n").unwrap_err();
        assert_eq!((error.path.as_str(), error.line), ("policy.pass_mark", 3));
    }

    #[test]
    fn a_policy_in_an_overlay_changes_the_defaults_it_names() {
        let overlay = parse_overlay("certification = \"X\"\n[policy]\npass_mark = 12\n").unwrap();
        assert_eq!(overlay.policy().pass_mark, rust_decimal::Decimal::from(12));
    }
}
