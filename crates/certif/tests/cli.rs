//! The command line end to end: exit codes, formats, messages.

mod common;

use common::*;
use serde_json::Value;

fn json(output: &std::process::Output) -> Value {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

#[test]
fn referential_show_prints_rncp39668_by_default_with_its_stable_fields() {
    let c = json(&certif(&["referential", "show", "--format", "json"]));
    assert_eq!(c["code"], "RNCP39668");
    assert_eq!(c["level"], 7);
    assert_eq!(c["registration_end"], "2026-08-31");
    assert_eq!(c["predecessors"], serde_json::json!(["RNCP35642"]));
    assert_eq!(c["certifiers"][0]["siret"], "19860073600021");
    assert_eq!(c["certifiers"][0]["commercial_name"], "ISAE-ENSMA");
    assert_eq!(c["nsf"], serde_json::json!(["110f", "200p", "253"]));
    assert_eq!(c["formacodes"], serde_json::json!(["31654", "31606", "31620", "32062", "15099"]));
    assert_eq!(c["rome"], serde_json::json!(["H1402", "H1206", "N1301", "H1404", "H2502"]));
    assert_eq!(c["blocks"].as_array().unwrap().len(), 7);
    assert_eq!(c["blocks"][0]["modalities"], serde_json::json!(["A", "B"]));
    assert_eq!(c["blocks"][1]["transversal"], serde_json::json!(["RNCP39668-CT1", "RNCP39668-CT2", "RNCP39668-CT3"]));
    assert_eq!(c["blocks"][5]["competencies"][4]["id"], "RNCP39668BC06-C5");
    assert_eq!(c["modalities"][0]["letter"], "A");
    assert_eq!(
        c["modalities"][0]["text"],
        "Évaluation individuelle des connaissances et compétences avec études de cas (Contrôle Continu, Examen)"
    );
    assert_eq!(c["access_routes"].as_array().unwrap().len(), 6);
    assert_eq!(c["award_conditions"], serde_json::json!(["all_blocks", "company_periods", "english_b2", "international_mobility"]));
}

#[test]
fn referential_show_as_text_is_for_people() {
    let output = certif(&["referential", "show", "RNCP39668", "--format", "text"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("RNCP39668BC07 — Innover dans un monde en transitions"), "{text}");
    assert!(text.contains("apprenticeship"));
}

#[test]
fn an_unknown_certification_exits_2() {
    let output = certif(&["referential", "show", "RNCP00000"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("RNCP00000"));
}

#[test]
fn curriculum_check_reports_no_finding_for_the_demo() {
    let Some(curriculum) = demo_curriculum() else { return };
    let report = json(&certif(&["curriculum", "check", curriculum.to_str().unwrap(), "--format", "json"]));
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(report["warnings"], serde_json::json!([]));
    let text = String::from_utf8(certif(&["curriculum", "check", curriculum.to_str().unwrap(), "--format", "text"]).stdout).unwrap();
    assert!(text.contains("Aucune anomalie"), "{text}");
}

#[test]
fn curriculum_check_exits_1_on_a_coverage_error_and_2_on_a_loading_error() {
    let dir = std::env::temp_dir().join(format!("certif-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = certif_referential::DEMO_CURRICULUM;
    let start = text.find("[[ue]]\ncode = \"UE6.1\"").unwrap();
    let end = text.find("[[ue]]\ncode = \"UE7.1\"").unwrap();
    let without_bc06 = dir.join("without-bc06.toml");
    std::fs::write(&without_bc06, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let output = certif(&["curriculum", "check", without_bc06.to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["errors"][0]["code"], "BLOCK_WITHOUT_UE");
    assert_eq!(report["errors"][0]["block"], "RNCP39668BC06");

    let broken = dir.join("broken.toml");
    std::fs::write(&broken, text.replacen("ects = 12", "ects = 0", 1)).unwrap();
    let output = certif(&["curriculum", "check", broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = text[..text.find("ects = 12").unwrap()].matches('\n').count() + 1;
    assert!(stderr.contains(&format!("broken.toml:{line}: ue[0].ects:")), "{stderr}");
}

#[test]
fn evaluate_prints_a_report_a_registrar_can_read() {
    let Some(shared) = shared() else { return };
    let output = certif(&[
        "evaluate",
        shared.join("examples/dossiers/ue-below-pass-mark.json").to_str().unwrap(),
        "--curriculum",
        shared.join("examples/curriculum-demo.toml").to_str().unwrap(),
        "--format",
        "text",
    ]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("NON DÉLIVRÉ"), "{text}");
    assert!(text.contains("UE3.2 Maintenance des moyens de production — non validée ; moyenne 8,75 ; 10 ECTS"), "{text}");
    assert!(text.contains("moyenne inférieure à la note de passage : 8,75 < 10"), "{text}");
    assert!(!text.contains("[UE_BELOW_PASS_MARK]"), "codes are not in the body: {text}");
    assert!(text.contains("Codes des motifs : UE_BELOW_PASS_MARK, BLOCK_NOT_VALIDATED"), "{text}");
    let english = certif(&[
        "evaluate",
        shared.join("examples/dossiers/ue-below-pass-mark.json").to_str().unwrap(),
        "--curriculum",
        shared.join("examples/curriculum-demo.toml").to_str().unwrap(),
        "--format",
        "text",
        "--lang",
        "en",
    ]);
    assert!(String::from_utf8(english.stdout).unwrap().contains("NOT AWARDED"));
}

#[test]
fn a_policy_file_changes_the_decision() {
    let Some(shared) = shared() else { return };
    let dir = std::env::temp_dir().join(format!("certif-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("policy.toml");
    std::fs::write(&policy, "pass_mark = 13\n").unwrap();
    let dossier = shared.join("examples/dossiers/awarded.json");
    let curriculum = shared.join("examples/curriculum-demo.toml");
    let base = ["evaluate", dossier.to_str().unwrap(), "--curriculum", curriculum.to_str().unwrap(), "--format", "json"];
    assert_eq!(json(&certif(&base))["title"]["status"], "awarded");
    let strict = [&base[..], &["--policy", policy.to_str().unwrap()]].concat();
    let decision = json(&certif(&strict));
    assert_eq!(decision["title"]["status"], "not_awarded");
    assert_eq!(decision["blocks"][1]["ues"][0]["status"], "not_validated", "UE2.1 averages 12.40 < 13");

    std::fs::write(&policy, "pass_mark = 13\npas_mark = 2\n").unwrap();
    let output = certif(&strict);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("policy.toml:2: pas_mark"));
}

#[test]
fn a_refused_dossier_says_why_in_french_and_in_english_with_its_json_path() {
    let Some(shared) = shared() else { return };
    let dir = std::env::temp_dir().join(format!("certif-bad-dossier-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(shared.join("examples/dossiers/awarded.json")).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, text.replacen("\"country\": \"DE\"", "\"country\": \"XX\"", 1)).unwrap();
    let curriculum = shared.join("examples/curriculum-demo.toml");
    let base = ["evaluate", bad.to_str().unwrap(), "--curriculum", curriculum.to_str().unwrap()];
    let output = certif(&base);
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains(": mobility[0].country: \"XX\" n'est pas un code pays ISO 3166-1 alpha-2 (en majuscules)"), "{said}");
    let output = certif(&[&base[..], &["--lang", "en"]].concat());
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains(": mobility[0].country: \"XX\" is not an ISO 3166-1 alpha-2 country code (upper case)"), "{said}");
}

#[test]
fn a_missing_file_is_a_clear_input_error() {
    let output = certif(&["evaluate", "nowhere.json", "--curriculum", "nowhere.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nowhere.toml: cannot read"));
}
