//! The referential: the certifications certif knows, the curricula that prepare for them,
//! and the policy files that adjust their rules.
//!
//! RNCP39668 is embedded from the official fiche as data (`data/RNCP39668.toml`); every
//! other certification loads through the same format.

pub mod coverage;
pub mod curriculum;
pub mod overlay;
pub mod policy;
mod toml_error;

use certif_core::Certification;

pub use coverage::{Coverage, check_coverage};
pub use curriculum::{CurriculumError, load_curriculum};
pub use overlay::{Overlay, OverlayError, embedded_overlay, parse_overlay};
pub use policy::{PolicyError, load_policy};
pub use toml_error::line_of;

/// The default certification: RNCP39668, ISAE-ENSMA's apprenticeship engineering degree.
pub const DEFAULT_CERTIFICATION: &str = "RNCP39668";

const EMBEDDED: &[(&str, &str)] = &[("RNCP39668", include_str!("../data/RNCP39668.toml"))];

/// A certification description in certif's TOML format could not be read.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {path}: {message}")]
pub struct CertificationError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

/// Reads a certification in certif's TOML format (the format of `data/RNCP39668.toml`).
pub fn parse_certification(text: &str) -> Result<Certification, CertificationError> {
    toml_error::deserialize(text).map_err(|e| CertificationError { path: e.path, line: e.line, message: e.message })
}

/// certif's own demo curriculum for RNCP39668 (TOML text), used by `certif demo` and `certif bench`.
pub const DEMO_CURRICULUM: &str = include_str!("../data/curriculum-demo.toml");

/// The demo curriculum, loaded against the embedded RNCP39668.
pub fn demo_curriculum() -> (certif_core::Curriculum, Certification) {
    let certification = embedded_certification(DEFAULT_CERTIFICATION).expect("RNCP39668 is embedded");
    let (curriculum, _) = load_curriculum(DEMO_CURRICULUM, |code| (code == certification.code).then_some(&certification))
        .unwrap_or_else(|e| panic!("the embedded demo curriculum is invalid: {e}"));
    (curriculum, certification)
}

/// The certifications compiled into certif, each with its embedded overlay applied.
pub fn embedded() -> Vec<Certification> {
    EMBEDDED.iter().filter_map(|(code, _)| embedded_certification(code)).collect()
}

/// One embedded certification by its code, with its embedded overlay applied.
pub fn embedded_certification(code: &str) -> Option<Certification> {
    let mut certification = embedded_fiche(code)?;
    if let Some(overlay) = embedded_overlay(code) {
        overlay.apply(&mut certification).unwrap_or_else(|e| panic!("embedded overlay {code} does not fit its fiche: {e}"));
    }
    Some(certification)
}

/// One embedded certification as its fiche states it, without overlay.
pub fn embedded_fiche(code: &str) -> Option<Certification> {
    EMBEDDED
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(c, text)| parse_certification(text).unwrap_or_else(|e| panic!("embedded certification {c} is invalid: {e}")))
}

/// The certification a curriculum's TOML text names (`certification = "…"`), if it can be read:
/// to find that certification before loading the curriculum against it.
pub fn curriculum_certification(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Head {
        certification: String,
    }
    toml::from_str::<Head>(text).ok().map(|head| head.certification)
}

#[cfg(test)]
mod tests {
    use super::*;
    use certif_core::{AccessRoute, AwardCondition};

    #[test]
    fn rncp39668_is_embedded_with_its_seven_blocks() {
        let c = embedded_certification("RNCP39668").unwrap();
        assert_eq!(c.level, Some(7));
        assert_eq!(c.blocks.len(), 7);
        assert_eq!(c.registration_end.unwrap().to_string(), "2026-08-31");
        assert_eq!(c.predecessors, ["RNCP35642"]);
        assert_eq!(c.certifiers[0].siret, "19860073600021");
        let counts: Vec<usize> = c.blocks.iter().map(|b| b.competencies.len()).collect();
        assert_eq!(counts, [4, 4, 4, 3, 3, 5, 5]);
    }

    #[test]
    fn competency_texts_are_the_block_headings_own() {
        let c = embedded_certification("RNCP39668").unwrap();
        let bc01 = c.block("RNCP39668BC01").unwrap();
        assert_eq!(bc01.competencies[0].id, "RNCP39668BC01-C1");
        assert_eq!(bc01.competencies[0].text, "Analyser le comportement d’un système complexe en tenant compte de son environnement");
        let bc03 = c.block("RNCP39668BC03").unwrap();
        assert!(bc03.competencies[3].text.ends_with("continuité de la chaine des opérations"));
    }

    #[test]
    fn transversal_competencies_attach_where_the_fiche_lists_them() {
        let c = embedded_certification("RNCP39668").unwrap();
        let attached: Vec<&str> = c.blocks.iter().filter(|b| b.transversal.len() == 3).map(|b| b.code.as_str()).collect();
        assert_eq!(attached, ["RNCP39668BC02", "RNCP39668BC03", "RNCP39668BC05", "RNCP39668BC07"]);
        assert!(c.transversal_competencies[0].text.starts_with("Travailler de manière agile et itérative"));
    }

    #[test]
    fn only_apprenticeship_and_vae_are_open() {
        let c = embedded_certification("RNCP39668").unwrap();
        let open: Vec<AccessRoute> = AccessRoute::ALL.into_iter().filter(|r| c.route_is_open(*r)).collect();
        assert_eq!(open, [AccessRoute::Apprenticeship, AccessRoute::Vae]);
        assert_eq!(c.access_routes.len(), 6);
        let apprenticeship = c.access_routes.iter().find(|r| r.route == AccessRoute::Apprenticeship).unwrap();
        assert_eq!(apprenticeship.jury.len(), 6);
        assert!(c.access_routes.iter().filter(|r| !r.open).all(|r| r.jury.is_empty()));
    }

    #[test]
    fn the_demo_curriculum_loads_and_covers_rncp39668() {
        let (curriculum, certification) = demo_curriculum();
        let coverage = check_coverage(&certification, &curriculum);
        assert!(coverage.errors.is_empty() && coverage.warnings.is_empty(), "{coverage:?}");
        assert_eq!(curriculum.ues.iter().map(|ue| ue.ects).sum::<u32>(), 180);
    }

    #[test]
    fn award_conditions_are_the_fiches_four() {
        let c = embedded_certification("RNCP39668").unwrap();
        assert_eq!(
            c.award_conditions,
            [AwardCondition::AllBlocks, AwardCondition::CompanyPeriods, AwardCondition::English, AwardCondition::InternationalMobility]
        );
        let modalities: Vec<&str> = c.modalities.iter().map(|m| m.letter.as_str()).collect();
        assert_eq!(modalities, ["A", "B", "C", "D", "E"]);
    }
}
