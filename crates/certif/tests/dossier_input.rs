//! A dossier that is not valid input is refused with the JSON path of the offending field.

use certif_core::dossier::DossierContext;
use certif_core::messages::Lang;
use certif_core::{Dossier, Policy};
use serde_json::{Value, json};

fn base() -> Value {
    json!({
        "certification": "RNCP39668",
        "evaluated_on": "2026-09-18",
        "learner": {"id": "A-1", "family_name": "Martin", "given_names": "Léa", "birth_date": "2002-05-14", "sex": "F", "birth_place_insee": "86194"},
        "access_route": "apprenticeship",
        "enrolled_on": "2023-09-04",
        "apprenticeship_contract": {"employer": "Airbus", "employer_siret": "41280598700010", "start": "2023-09-04", "end": "2026-08-31", "master": "J. Dupont"},
        "marks": [{"module": "M1.1.1", "session1": 12.5, "session2": null}, {"module": "M1.1.2", "session1": "ABJ", "session2": 14}],
        "company_periods": [{"id": "P1", "start": "2023-10-02", "end": "2024-01-26", "evaluation": 14}],
        "mobility": [{"country": "DE", "start": "2025-03-03", "end": "2025-05-30"}],
        "english": [{"test": "TOEIC_LR", "score": 805, "date": "2025-06-12"}, {"test": "CLES", "score": "B2", "date": "2025-01-10"}],
        "vae": [{"block": "RNCP39668BC04", "decision": "validated", "date": "2026-06-30"}],
        "equivalences": [{"block": "RNCP39668BC01", "basis": "RNCP35642BC01"}],
        "accommodations": [{"kind": "english_adaptation", "target_level": "B1", "note": "contrat", "decided_on": "2024-01-10", "decided_by": "Directeur", "definitive": true}]
    })
}

fn parse(value: &Value) -> Result<Dossier, certif_core::DossierError> {
    let (curriculum, certification) = certif_referential::demo_curriculum();
    let policy = Policy::default();
    Dossier::from_json(&value.to_string(), DossierContext { certification: &certification, curriculum: &curriculum, policy: &policy })
}

/// Applies `change` to the base dossier and returns the JSON path of the error.
fn error_path(change: impl FnOnce(&mut Value)) -> String {
    let mut value = base();
    change(&mut value);
    parse(&value).expect_err("the dossier must be refused").path
}

#[test]
fn the_base_dossier_is_valid_and_round_trips() {
    let dossier = parse(&base()).unwrap();
    assert_eq!(dossier.marks.len(), 2);
    let again = parse(&serde_json::from_str(&dossier.to_json()).unwrap()).unwrap();
    assert_eq!(again, dossier);
}

#[test]
fn lists_may_be_absent_or_empty() {
    let mut value = base();
    for list in ["marks", "company_periods", "mobility", "english", "vae", "equivalences", "accommodations"] {
        value.as_object_mut().unwrap().remove(list);
    }
    assert!(parse(&value).is_ok());
    let mut value = base();
    value["marks"] = json!([]);
    assert!(parse(&value).is_ok());
}

#[test]
fn required_fields_are_named_when_missing() {
    for field in ["evaluated_on", "access_route", "enrolled_on", "learner"] {
        assert_eq!(error_path(|v| drop(v.as_object_mut().unwrap().remove(field))), field);
    }
    assert_eq!(error_path(|v| drop(v["learner"].as_object_mut().unwrap().remove("id"))), "learner.id");
}

#[test]
fn unknown_fields_are_refused_at_every_level() {
    assert_eq!(error_path(|v| v["nickname"] = json!("x")), "nickname");
    assert_eq!(error_path(|v| v["learner"]["nationality"] = json!("FR")), "learner.nationality");
    assert_eq!(error_path(|v| v["marks"][1]["session3"] = json!(12)), "marks[1].session3");
    assert_eq!(error_path(|v| v["mobility"][0]["city"] = json!("Berlin")), "mobility[0].city");
}

#[test]
fn marks_outside_the_grammar_are_refused() {
    assert_eq!(error_path(|v| v["marks"][0]["session1"] = json!(21.5)), "marks[0].session1");
    assert_eq!(error_path(|v| v["marks"][0]["session1"] = json!(-1)), "marks[0].session1");
    assert_eq!(error_path(|v| v["marks"][0]["session1"] = json!(12.345)), "marks[0].session1");
    assert_eq!(error_path(|v| v["marks"][1]["session2"] = json!("abs")), "marks[1].session2");
    assert_eq!(error_path(|v| v["marks"][1]["session2"] = json!("12")), "marks[1].session2");
    assert_eq!(error_path(|v| v["marks"][1]["session2"] = json!(true)), "marks[1].session2");
    assert_eq!(error_path(|v| v["company_periods"][0]["evaluation"] = json!(20.5)), "company_periods[0].evaluation");
    let mut value = base();
    value["marks"][0]["session1"] = json!("ABI");
    value["marks"][0]["session2"] = json!(20);
    assert!(parse(&value).is_ok());
}

#[test]
fn a_module_must_exist_and_appear_once() {
    assert_eq!(error_path(|v| v["marks"][1]["module"] = json!("M9.9.9")), "marks[1].module");
    assert_eq!(error_path(|v| v["marks"][1]["module"] = json!("M1.1.1")), "marks[1].module");
}

#[test]
fn dates_must_exist_and_periods_end_after_they_start() {
    assert_eq!(error_path(|v| v["evaluated_on"] = json!("18/09/2026")), "evaluated_on");
    assert_eq!(error_path(|v| v["learner"]["birth_date"] = json!("2002-02-30")), "learner.birth_date");
    assert_eq!(error_path(|v| v["company_periods"][0]["end"] = json!("2023-10-01")), "company_periods[0].end");
    assert_eq!(error_path(|v| v["mobility"][0]["end"] = json!("2025-03-02")), "mobility[0].end");
    assert_eq!(error_path(|v| v["apprenticeship_contract"]["end"] = json!("2023-01-01")), "apprenticeship_contract.end");
}

#[test]
fn codes_and_enumerations_are_checked() {
    assert_eq!(error_path(|v| v["access_route"] = json!("alternance")), "access_route");
    assert_eq!(error_path(|v| v["learner"]["sex"] = json!("X")), "learner.sex");
    assert_eq!(
        error_path(|v| v["apprenticeship_contract"]["employer_siret"] = json!("41280598700011")),
        "apprenticeship_contract.employer_siret"
    );
    assert_eq!(error_path(|v| v["mobility"][0]["country"] = json!("de")), "mobility[0].country");
    assert_eq!(error_path(|v| v["mobility"][0]["country"] = json!("XX")), "mobility[0].country");
    assert_eq!(error_path(|v| v["vae"][0]["block"] = json!("RNCP39668BC09")), "vae[0].block");
    assert_eq!(error_path(|v| v["vae"][0]["decision"] = json!("partial")), "vae[0].decision");
    assert_eq!(error_path(|v| v["equivalences"][0]["block"] = json!("RNCP35642BC01")), "equivalences[0].block");
    assert_eq!(error_path(|v| v["accommodations"][0]["kind"] = json!("tiers_temps")), "accommodations[0].kind");
    assert_eq!(
        error_path(|v| drop(v["accommodations"][0].as_object_mut().unwrap().remove("target_level"))),
        "accommodations[0].target_level"
    );
    assert_eq!(error_path(|v| v["accommodations"][0]["target_level"] = json!("B3")), "accommodations[0].target_level");
    assert_eq!(error_path(|v| v["certification"] = json!("RNCP00000")), "certification");
}

#[test]
fn english_tests_and_scores_are_checked() {
    assert_eq!(error_path(|v| v["english"][0]["test"] = json!("TOEIC")), "english[0].test");
    assert_eq!(error_path(|v| v["english"][0]["score"] = json!(995)), "english[0].score");
    assert_eq!(error_path(|v| v["english"][0]["score"] = json!(5)), "english[0].score");
    assert_eq!(error_path(|v| v["english"][0]["score"] = json!("B2")), "english[0].score");
    assert_eq!(error_path(|v| v["english"][1]["score"] = json!(12)), "english[1].score");
    assert_eq!(error_path(|v| v["english"][1]["score"] = json!("B7")), "english[1].score");
    let mut value = base();
    value["english"][0] = json!({"test": "IELTS", "score": 6.5, "date": "2025-06-12"});
    assert!(parse(&value).is_ok());
}

#[test]
fn malformed_json_is_an_error_not_a_panic() {
    let (curriculum, certification) = certif_referential::demo_curriculum();
    let policy = Policy::default();
    let context = DossierContext { certification: &certification, curriculum: &curriculum, policy: &policy };
    for text in ["", "{", "[]", "null", "{\"evaluated_on\": 3}", "{} trailing"] {
        assert!(Dossier::from_json(text, context).is_err(), "{text:?}");
    }
}

#[test]
fn broken_json_says_where_and_never_leaves_the_path_empty() {
    let (curriculum, certification) = certif_referential::demo_curriculum();
    let policy = Policy::default();
    let context = DossierContext { certification: &certification, curriculum: &curriculum, policy: &policy };
    let trailing_comma = r#"{"evaluated_on": "2026-01-01", "learner": {"id": "x"}, "access_route": "vae", "enrolled_on": "2025-01-01", "marks": [{"module": "M1.1.1", "session1": 12,}]}"#;
    let error = Dossier::from_json(trailing_comma, context).unwrap_err();
    assert_eq!(error.path, "marks[0]");
    assert!(error.message.to_string().starts_with("JSON invalide ligne 1, colonne "), "{}", error.message);
    assert!(error.message.to_string().ends_with(" : virgule en trop"), "{}", error.message);
    assert!(error.message.in_words(Lang::En).starts_with("not valid JSON: trailing comma at line 1"), "{}", error.message);
    // Found by the fuzzer: a key that is the empty string.
    let empty_key = r#"{"evaluated_on": "2026-01-01", "learner": {"id": "x"}, "access_route": "vae", "enrolled_on": "2025-01-01", "": 1}"#;
    let error = Dossier::from_json(empty_key, context).unwrap_err();
    assert_eq!(error.path, "$");
    assert!(error.message.to_string().starts_with("champ `` inconnu"), "{}", error.message);
    assert!(error.message.in_words(Lang::En).starts_with("unknown field ``"), "{}", error.message);
}

#[test]
fn escaped_strings_are_read_as_their_unescaped_text() {
    let text = base()
        .to_string()
        .replacen(r#""session1":"ABJ""#, r#""session1":"\u0041BJ""#, 1)
        .replacen(r#""score":"B2""#, r#""score":"\u0042\u0032""#, 1)
        .replacen(r#""module":"M1.1.1""#, r#""module":"M1.1\u002e1""#, 1)
        .replacen(r#""access_route":"apprenticeship""#, r#""access_route":"appr\u0065nticeship""#, 1);
    assert!(text.contains(r"\u0041BJ") && text.contains(r"\u0042\u0032") && text.contains(r"\u002e1"), "{text}");
    let (curriculum, certification) = certif_referential::demo_curriculum();
    let policy = Policy::default();
    let context = DossierContext { certification: &certification, curriculum: &curriculum, policy: &policy };
    let dossier = Dossier::from_json(&text, context).unwrap();
    assert_eq!(dossier, parse(&base()).unwrap());
    assert_eq!(dossier.marks[1].session1, certif_core::MarkEntry::JustifiedAbsence);

    let unjustified = base().to_string().replacen(r#""session1":"ABJ""#, r#""session1":"\u0041BI""#, 1);
    assert_eq!(Dossier::from_json(&unjustified, context).unwrap().marks[1].session1, certif_core::MarkEntry::UnjustifiedAbsence);
    for not_a_mark in [r#""\u0041BJ\u0020""#, r#""abj""#, r#""12""#, r#""\u0031\u0032""#] {
        let text = base().to_string().replacen(r#""session1":"ABJ""#, &format!(r#""session1":{not_a_mark}"#), 1);
        assert_eq!(Dossier::from_json(&text, context).unwrap_err().path, "marks[1].session1", "{not_a_mark}");
    }
}

#[test]
fn a_key_written_twice_even_escaped_is_refused() {
    let (curriculum, certification) = certif_referential::demo_curriculum();
    let policy = Policy::default();
    let context = DossierContext { certification: &certification, curriculum: &curriculum, policy: &policy };
    let text = base().to_string().replacen(r#""session1":12.5"#, r#""session1":12.5,"sessio\u006e1":8"#, 1);
    let error = Dossier::from_json(&text, context).unwrap_err();
    assert_eq!(error.message.to_string(), "champ `session1` en double", "{error}");
    assert!(error.message.in_words(Lang::En).contains("duplicate field `session1`"), "{error}");
}

#[test]
fn marks_keep_their_exact_decimals() {
    let mut value = base();
    value["marks"][0]["session1"] = serde_json::from_str("12.35").unwrap();
    assert_eq!(parse(&value).unwrap().marks[0].session1.to_string(), "12.35");
    let text = base().to_string().replacen(r#""session1":12.5"#, r#""session1":1.235e1"#, 1);
    let (curriculum, certification) = certif_referential::demo_curriculum();
    let policy = Policy::default();
    let context = DossierContext { certification: &certification, curriculum: &curriculum, policy: &policy };
    assert_eq!(Dossier::from_json(&text, context).unwrap().marks[0].session1.to_string(), "12.35");
    for huge in ["1e28", "4e27", "1e400", "79228162514264337593543950336", "-1e-400", "20.000000000000000000000000001"] {
        let text = base().to_string().replacen(r#""session1":12.5"#, &format!(r#""session1":{huge}"#), 1);
        assert_eq!(Dossier::from_json(&text, context).unwrap_err().path, "marks[0].session1", "{huge}");
    }
}

#[test]
fn identifiers_outside_the_safe_charset_are_refused() {
    assert_eq!(error_path(|d| d["learner"]["id"] = json!("../../etc")), "learner.id");
    assert_eq!(error_path(|d| d["learner"]["id"] = json!("A\"1")), "learner.id");
    assert_eq!(error_path(|d| d["company_periods"][0]["id"] = json!("P1/../x")), "company_periods[0].id");
}
