//! The holder's documents read back by poppler and zbar: their text, their fonts, their pages
//! and their QR code. A machine without these tools fails the tests (CI installs them).

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use super::super::*;

const URL: &str = "http://localhost:8080/verify/0b7c5c3e-5f0e-4c1a-9a51-2f3d1c8e6a10";

fn header() -> Value {
    json!({
        "id": "0b7c5c3e-5f0e-4c1a-9a51-2f3d1c8e6a10",
        "verify_url": URL,
        "issued_on": "2026-10-02",
        "certifier": {
            "name": "ECOLE NATIONALE SUPERIEURE DE MECANIQUE ET D'AEROTECHNIQUE DE POITIERS",
            "commercial_name": "ISAE-ENSMA",
            "siret": "19860073600021"
        },
        "certification": {
            "code": "RNCP39668",
            "title": "Ingénieur diplômé de l'ENSMA, spécialité génie industriel pour l'aéronautique et l'espace",
            "level": "7"
        },
        "holder": {"learner": "A-0001", "family_name": "Martin", "given_names": "Léa Anne", "birth_date": "2002-05-14", "birth_place": "Poitiers (86194)"},
        "jury": {"session": "J-2026-09", "name": "Jury RNCP39668 du 18/09/2026", "date": "2026-09-18", "published_on": "2026-09-25", "president": "Anne Président", "outcome": "ADM — admis, titre délivré"}
    })
}

fn with(mut value: Value, more: Value) -> Value {
    if let (Some(object), Value::Object(more)) = (value.as_object_mut(), more) {
        object.extend(more);
    }
    value
}

fn attestation(blocks: usize) -> Value {
    let blocks: Vec<Value> = (1..=blocks)
        .map(|n| {
            json!({
                "code": format!("RNCP39668BC0{n}"),
                "title": format!("Bloc numéro {n}"),
                "via": "formation",
                "competencies": [
                    {"id": format!("RNCP39668BC0{n}-C1"), "text": format!("Compétence première du bloc {n}")},
                    {"id": format!("RNCP39668BC0{n}-C2"), "text": "Analyser le comportement d’un système complexe", "details": ["un détail"]}
                ]
            })
        })
        .collect();
    with(header(), json!({"blocks": blocks}))
}

fn transcript() -> Value {
    with(
        header(),
        json!({
            "title_status": "délivré",
            "ects": {"earned": 180, "available": 180},
            "blocks": [{
                "code": "RNCP39668BC01",
                "title": "Résoudre des problèmes à causalités multiples",
                "status": "validé",
                "via": "formation",
                "ues": [{
                    "code": "UE1.1", "title": "Mathématiques pour l'ingénieur", "status": "validée",
                    "average": "12.85", "ects": 12, "ects_available": 12,
                    "modules": [
                        {"code": "M1.1.1", "title": "Analyse", "coefficient": "2", "final": "14.50"},
                        {"code": "M1.1.2", "title": "Probabilités", "coefficient": "1.5", "final": "10.25"}
                    ]
                }]
            }],
            "conditions": [
                {"name": "Périodes en entreprise", "status": "remplie", "evidence": ["P1 : du 04/09/2023 au 31/08/2026"]},
                {"name": "Anglais", "status": "remplie", "evidence": ["TOEIC 850 du 12/03/2026 (B2)"]}
            ]
        }),
    )
}

fn tool(name: &str, args: &[&str]) -> Vec<u8> {
    let output = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed to read the documents back: {e}; apt-get install poppler-utils zbar-tools"));
    assert!(output.status.success(), "{name} {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    output.stdout
}

fn written(dir: &Path, pdf: &[u8]) -> String {
    let file = dir.join("document.pdf");
    std::fs::write(&file, pdf).unwrap();
    file.to_str().unwrap().to_string()
}

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = written(dir.path(), pdf);
    String::from_utf8(tool("pdftotext", &["-layout", &file, "-"])).unwrap()
}

fn pages_of(pdf: &[u8]) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let file = written(dir.path(), pdf);
    let info = String::from_utf8(tool("pdfinfo", &[&file])).unwrap();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).expect("pdfinfo gives the page count")
}

/// Every font of the PDF, as pdffonts lists them: (name, embedded).
fn fonts_of(pdf: &[u8]) -> Vec<(String, bool)> {
    let dir = tempfile::tempdir().unwrap();
    let file = written(dir.path(), pdf);
    let listing = String::from_utf8(tool("pdffonts", &[&file])).unwrap();
    listing
        .lines()
        .skip(2)
        .map(|line| {
            let columns: Vec<&str> = line.split_whitespace().collect();
            // name type [encoding…] emb sub uni object ID: "emb" is the fifth from the end.
            (columns[0].to_string(), columns[columns.len() - 5] == "yes")
        })
        .collect()
}

/// What the QR code of the first page says, read by zbarimg from the page rasterised.
pub(crate) fn qr_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = written(dir.path(), pdf);
    let stem = dir.path().join("page");
    tool("pdftoppm", &["-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", &file, stem.to_str().unwrap()]);
    let png = dir.path().join("page.png");
    let out = String::from_utf8(tool("zbarimg", &["--quiet", "--raw", "-Sqrcode.enable", png.to_str().unwrap()])).unwrap();
    out.trim_end_matches('\n').to_string()
}

#[test]
fn the_diploma_names_the_holder_the_title_its_level_and_the_jury_date() {
    let pdf = diploma_pdf(&header()).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let text = text_of(&pdf);
    for expected in [
        "Diplôme",
        "Léa Anne Martin",
        "RNCP39668",
        "niveau 7",
        "CEC/EQF 7",
        "18/09/2026",
        "Ingénieur diplômé de l'ENSMA",
        "19860073600021",
        "né(e) le 14/05/2002",
        "Poitiers (86194)",
        "Le président du jury",
        "Anne Président",
        URL,
    ] {
        assert!(text.contains(expected), "the diploma shows {expected:?}:\n{text}");
    }
    assert_eq!(pages_of(&pdf), 1, "a diploma is one page");
}

#[test]
fn every_font_of_every_document_is_embedded() {
    for pdf in [diploma_pdf(&header()).unwrap(), attestation_pdf(&attestation(2)).unwrap(), transcript_pdf(&transcript()).unwrap()] {
        let fonts = fonts_of(&pdf);
        assert!(!fonts.is_empty(), "pdffonts lists the fonts");
        for (name, embedded) in fonts {
            assert!(embedded, "{name} is embedded");
        }
    }
}

#[test]
fn each_document_s_qr_code_decodes_to_exactly_its_verification_url() {
    for pdf in [diploma_pdf(&header()).unwrap(), attestation_pdf(&attestation(1)).unwrap(), transcript_pdf(&transcript()).unwrap()] {
        assert_eq!(qr_of(&pdf), URL);
    }
}

#[test]
fn the_attestation_has_one_page_per_acquired_block_with_its_competencies() {
    let pdf = attestation_pdf(&attestation(3)).unwrap();
    assert_eq!(pages_of(&pdf), 3);
    let text = text_of(&pdf);
    assert_eq!(text.matches("Attestation de validation de bloc de compétences").count(), 3, "{text}");
    for expected in ["RNCP39668BC01", "RNCP39668BC03", "Bloc numéro 2", "Compétence première du bloc 3", "un détail", "18/09/2026"] {
        assert!(text.contains(expected), "the attestation shows {expected:?}:\n{text}");
    }
}

#[test]
fn the_transcript_shows_marks_with_decimal_commas_averages_ects_and_evidence() {
    let pdf = transcript_pdf(&transcript()).unwrap();
    let text = text_of(&pdf);
    for expected in [
        "Relevé de notes",
        "UE1.1",
        "M1.1.1",
        "Analyse",
        "14,50",
        "10,25",
        "12,85",
        "1,5",
        "12 / 12",
        "validé (formation)",
        "Périodes en entreprise",
        "TOEIC 850 du 12/03/2026 (B2)",
        "180 sur 180",
    ] {
        assert!(text.contains(expected), "the transcript shows {expected:?}:\n{text}");
    }
    assert!(!text.contains("14.50"), "no decimal point:\n{text}");
}

#[test]
fn a_name_written_as_typst_markup_is_printed_as_written_on_the_diploma() {
    let name = "#emph[x] *y* $z$ #import \"/data.json\"";
    let mut data = header();
    data["holder"]["family_name"] = json!(name);
    let text = text_of(&diploma_pdf(&data).unwrap());
    assert!(text.contains(name), "the name is text, not markup:\n{text}");
}

#[test]
fn a_document_without_its_verification_url_is_refused() {
    let mut data = header();
    data.as_object_mut().unwrap().remove("verify_url");
    assert!(matches!(diploma_pdf(&data), Err(DocumentError::Qr(_))));
}

#[test]
fn data_the_template_cannot_read_is_refused_naming_the_template_line() {
    let mut data = header();
    data.as_object_mut().unwrap().remove("jury");
    let error = diploma_pdf(&data).unwrap_err().to_string();
    assert!(error.contains("diploma.typ:") || error.contains("common.typ:"), "the message names the template and line: {error}");
}

#[test]
fn kinds_read_back_from_their_names() {
    for kind in Kind::ALL {
        assert_eq!(Kind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(Kind::parse("minutes"), None);
}
