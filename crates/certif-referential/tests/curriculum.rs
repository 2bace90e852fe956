//! Every curriculum loading error names its TOML path and line; every coverage finding is found.

use certif_core::Certification;
use certif_referential::coverage::FindingCode;
use certif_referential::{CurriculumError, DEMO_CURRICULUM, check_coverage, embedded_certification, load_curriculum};

fn rncp39668() -> Certification {
    embedded_certification("RNCP39668").unwrap()
}

fn load(text: &str) -> Result<certif_core::Curriculum, CurriculumError> {
    let certification = rncp39668();
    load_curriculum(text, |code| (code == certification.code).then_some(&certification)).map(|(c, _)| c)
}

/// Replaces the `nth` (0-based) occurrence of `from` in the demo curriculum.
fn demo_with(from: &str, to: &str, nth: usize) -> String {
    let mut start = 0;
    for _ in 0..nth {
        start = DEMO_CURRICULUM[start..].find(from).map(|i| start + i + from.len()).expect("occurrence");
    }
    let at = start + DEMO_CURRICULUM[start..].find(from).expect("occurrence");
    format!("{}{}{}", &DEMO_CURRICULUM[..at], to, &DEMO_CURRICULUM[at + from.len()..])
}

fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).expect("needle")].matches('\n').count() + 1
}

fn refused(text: &str) -> CurriculumError {
    load(text).expect_err("the curriculum must be refused")
}

#[test]
fn the_demo_curriculum_loads() {
    let curriculum = load(DEMO_CURRICULUM).unwrap();
    assert_eq!(curriculum.ues.len(), 14);
    assert_eq!(curriculum.module_count(), 43);
}

#[test]
fn an_unknown_certification_is_refused() {
    let error = refused(&demo_with("certification = \"RNCP39668\"", "certification = \"RNCP00001\"", 0));
    assert_eq!((error.path.as_str(), error.line), ("certification", 4));
}

#[test]
fn an_unknown_block_is_refused() {
    let text = demo_with("block = \"RNCP39668BC02\"", "block = \"RNCP39668BC09\"", 0);
    let error = refused(&text);
    assert_eq!(error.path, "ue[2].block");
    assert_eq!(error.line, line_of(&text, "RNCP39668BC09"));
}

#[test]
fn an_unknown_modality_or_one_the_block_does_not_list_is_refused() {
    let error = refused(&demo_with("modalities = [\"A\"]", "modalities = [\"Z\"]", 0));
    assert_eq!(error.path, "ue[0].module[0].modalities[0]");
    assert!(error.message.contains("not a modality"), "{}", error.message);
    // BC01 lists A and B only.
    let text = demo_with("modalities = [\"A\"]", "modalities = [\"A\", \"C\"]", 1);
    let error = refused(&text);
    assert_eq!(error.path, "ue[0].module[1].modalities[1]");
    assert!(error.message.contains("does not list"), "{}", error.message);
    assert_eq!(error.line, line_of(&text, "[\"A\", \"C\"]"));
}

#[test]
fn competencies_must_be_the_blocks_own_or_attached_transversal_ones() {
    let error = refused(&demo_with("\"RNCP39668BC01-C2\", \"RNCP39668BC01-C4\"", "\"RNCP39668BC01-C9\"", 0));
    assert_eq!(error.path, "ue[0].module[0].competencies[0]");
    let error = refused(&demo_with("\"RNCP39668BC01-C2\", \"RNCP39668BC01-C4\"", "\"RNCP39668BC01-C2\", \"RNCP39668BC02-C1\"", 0));
    assert_eq!(error.path, "ue[0].module[0].competencies[1]");
    assert!(error.message.contains("another block"), "{}", error.message);
    // CT1 is attached to BC02, BC03, BC05 and BC07, not to BC01.
    let error = refused(&demo_with("\"RNCP39668BC01-C2\", \"RNCP39668BC01-C4\"", "\"RNCP39668-CT1\"", 0));
    assert_eq!(error.path, "ue[0].module[0].competencies[0]");
    assert!(error.message.contains("not attached"), "{}", error.message);
}

#[test]
fn duplicate_codes_name_the_later_one() {
    let text = demo_with("code = \"UE1.2\"", "code = \"UE1.1\"", 0);
    let error = refused(&text);
    assert_eq!(error.path, "ue[1].code");
    assert_eq!(error.line, line_of(&text, "code = \"UE1.1\"\ntitle = \"Systèmes"));
    let error = refused(&demo_with("code = \"M1.1.2\"", "code = \"M1.1.1\"", 0));
    assert_eq!(error.path, "ue[0].module[1].code");
}

#[test]
fn ects_and_coefficients_must_be_positive() {
    assert_eq!(refused(&demo_with("ects = 12", "ects = 0", 0)).path, "ue[0].ects");
    assert_eq!(refused(&demo_with("ects = 12", "ects = -3", 0)).path, "ue[0].ects");
    assert_eq!(refused(&demo_with("coefficient = 2", "coefficient = 0", 0)).path, "ue[0].module[0].coefficient");
    assert_eq!(refused(&demo_with("coefficient = 2", "coefficient = -1.5", 0)).path, "ue[0].module[0].coefficient");
    let curriculum = load(&demo_with("coefficient = 2", "coefficient = 1.5", 0)).unwrap();
    assert_eq!(curriculum.ues[0].modules[0].coefficient.to_string(), "1.5");
}

#[test]
fn coefficients_and_ects_so_large_that_arithmetic_could_overflow_are_refused_with_their_line() {
    for huge in ["4e27", "4000000000000000000000000000", "1000.5", "1e6", "0.00001", "1.23456"] {
        let text = demo_with("coefficient = 2", &format!("coefficient = {huge}"), 0);
        let error = refused(&text);
        assert_eq!(error.path, "ue[0].module[0].coefficient", "{huge}");
        assert_eq!(error.line, line_of(&text, &format!("coefficient = {huge}")), "{huge}");
    }
    for fine in ["1000", "0.0001", "2.5", "1e2"] {
        load(&demo_with("coefficient = 2", &format!("coefficient = {fine}"), 0)).unwrap_or_else(|e| panic!("{fine}: {e}"));
    }
    assert_eq!(refused(&demo_with("ects = 12", "ects = 1001", 0)).path, "ue[0].ects");
    assert_eq!(refused(&demo_with("ects = 12", "ects = 9223372036854775807", 0)).path, "ue[0].ects");
    load(&demo_with("ects = 12", "ects = 1000", 0)).unwrap();
}

#[test]
fn a_ue_needs_between_two_and_six_modules() {
    let one_module = "[[ue]]\ncode = \"UEX\"\ntitle = \"X\"\nblock = \"RNCP39668BC01\"\nects = 3\n  [[ue.module]]\n  code = \"MX\"\n  title = \"X\"\n  coefficient = 1\n  modalities = [\"A\"]\n  competencies = []\n";
    let text = format!("{DEMO_CURRICULUM}\n{one_module}");
    let error = refused(&text);
    assert_eq!(error.path, "ue[14].module");
    let no_module = "[[ue]]\ncode = \"UEX\"\ntitle = \"X\"\nblock = \"RNCP39668BC01\"\nects = 3\n";
    assert_eq!(refused(&format!("{DEMO_CURRICULUM}\n{no_module}")).path, "ue[14].module");
    let mut seven = String::from("[[ue]]\ncode = \"UEX\"\ntitle = \"X\"\nblock = \"RNCP39668BC01\"\nects = 3\n");
    for n in 0..7 {
        seven.push_str(&format!(
            "  [[ue.module]]\n  code = \"MX{n}\"\n  title = \"X\"\n  coefficient = 1\n  modalities = [\"A\"]\n  competencies = []\n"
        ));
    }
    assert_eq!(refused(&format!("{DEMO_CURRICULUM}\n{seven}")).path, "ue[14].module");
}

#[test]
fn structural_errors_name_path_and_line() {
    let text = demo_with("  coefficient = 2\n", "  coefficient = 2\n  weight = 3\n", 0);
    let error = refused(&text);
    assert_eq!(error.path, "ue[0].module[0].weight");
    assert_eq!(error.line, line_of(&text, "weight"));
    let error = refused(&demo_with("ects = 12", "ects = \"douze\"", 0));
    assert_eq!(error.path, "ue[0].ects");
    let error = refused("id = \"X\"\ncertification = \"RNCP39668\"\ntitle = [\n");
    assert!(error.line >= 3, "{error:?}");
    let error = refused(&DEMO_CURRICULUM.replace("id = \"ENSMA-GIAE-DEMO\"\n", ""));
    assert_eq!(error.path, "id");
}

#[test]
fn the_demo_curriculum_covers_its_certification() {
    let certification = rncp39668();
    let curriculum = load(DEMO_CURRICULUM).unwrap();
    let coverage = check_coverage(&certification, &curriculum);
    assert!(coverage.errors.is_empty() && coverage.warnings.is_empty(), "{coverage:#?}");
    let bc02 = &coverage.blocks[1];
    assert_eq!(bc02.ects, 26);
    let d = bc02.modalities.iter().find(|m| m.id == "D").unwrap();
    assert!(d.assessed_for_title, "D is assessed once for the title");
}

#[test]
fn an_uncovered_competency_is_a_warning() {
    let certification = rncp39668();
    // M1.1.1 and M1.2.4 are the only modules covering BC01-C4.
    let text = demo_with("\"RNCP39668BC01-C2\", \"RNCP39668BC01-C4\"", "\"RNCP39668BC01-C2\"", 0)
        .replace("  competencies = [\"RNCP39668BC01-C4\"]", "  competencies = [\"RNCP39668BC01-C1\"]");
    let curriculum = load(&text).unwrap();
    let coverage = check_coverage(&certification, &curriculum);
    let codes: Vec<_> = coverage.warnings.iter().map(|w| (w.code, w.block.as_str(), w.item.as_deref())).collect();
    assert_eq!(codes, [(FindingCode::CompetencyNotCovered, "RNCP39668BC01", Some("RNCP39668BC01-C4"))]);
    assert!(!coverage.has_errors());
}

#[test]
fn an_unused_modality_is_a_warning_but_d_and_e_count_for_the_title() {
    let certification = rncp39668();
    // BC04 uses A (M4.1.1), B, C. Drop A.
    let text = demo_with(
        "  title = \"Métrologie et moyens d'essais\"\n  coefficient = 1\n  modalities = [\"A\"]",
        "  title = \"Métrologie et moyens d'essais\"\n  coefficient = 1\n  modalities = [\"B\"]",
        0,
    );
    let coverage = check_coverage(&certification, &load(&text).unwrap());
    let codes: Vec<_> = coverage.warnings.iter().map(|w| (w.code, w.block.as_str(), w.item.as_deref())).collect();
    assert_eq!(codes, [(FindingCode::ModalityNotUsed, "RNCP39668BC04", Some("A"))]);
    // Without the mobility and English conditions, D and E must be used by modules.
    let mut generic = certification.clone();
    generic.award_conditions = vec![certif_core::AwardCondition::AllBlocks];
    let coverage = check_coverage(&generic, &load(DEMO_CURRICULUM).unwrap());
    assert!(coverage.warnings.iter().any(|w| w.code == FindingCode::ModalityNotUsed && w.item.as_deref() == Some("D")));
}

#[test]
fn a_block_without_ue_is_an_error() {
    let certification = rncp39668();
    let start = DEMO_CURRICULUM.find("[[ue]]\ncode = \"UE6.1\"").unwrap();
    let end = DEMO_CURRICULUM.find("[[ue]]\ncode = \"UE7.1\"").unwrap();
    let text = format!("{}{}", &DEMO_CURRICULUM[..start], &DEMO_CURRICULUM[end..]);
    let coverage = check_coverage(&certification, &load(&text).unwrap());
    assert!(coverage.has_errors());
    assert_eq!(coverage.errors[0].code, FindingCode::BlockWithoutUe);
    assert_eq!(coverage.errors[0].block, "RNCP39668BC06");
}
