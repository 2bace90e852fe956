use std::process::Command;

use certif_core::codes::ReasonCode;
use certif_core::decision::TitleStatus;
use certif_core::jury::minutes::{CandidateLine, CertificationLine, Minutes, PointsLine, ProposalLine, Signature};
use certif_core::jury::{CastingVote, Member, Outcome, Votes};
use serde_json::Value;

use super::*;

fn member(name: &str, role: &str, present: bool) -> Member {
    Member { name: name.into(), role: role.into(), representing: None, present, account: None }
}

fn candidate(learner: &str, name: &str, outcome: Outcome, votes: Votes) -> CandidateLine {
    CandidateLine {
        learner: learner.into(),
        name: name.into(),
        route: "apprentissage".into(),
        proposal: ProposalLine {
            title: TitleStatus::Awarded,
            blocks_validated: vec!["RNCP39668BC01".into(), "RNCP39668BC02".into()],
            reasons: vec![],
        },
        points: vec![],
        code: outcome.minutes_code(),
        outcome,
        casting_vote_decided: votes.casting_vote == Some(CastingVote::For),
        votes,
        justification: None,
    }
}

fn votes(in_favour: u32, against: u32) -> Votes {
    Votes { in_favour, against, abstain: 0, casting_vote: None }
}

/// Minutes as `jury minutes --format json` gives them: the value the PDF is made from.
fn minutes(names: &[&str]) -> Value {
    let mut candidates: Vec<CandidateLine> =
        names.iter().enumerate().map(|(i, name)| candidate(&format!("L{:04}", i + 1), name, Outcome::Award, votes(7, 0))).collect();
    let mut refused = candidate("L9001", "Ugo Refusé", Outcome::Refuse, votes(5, 2));
    refused.proposal =
        ProposalLine { title: TitleStatus::NotAwarded, blocks_validated: vec![], reasons: vec![ReasonCode::EnglishBelowTarget] };
    refused.justification = Some("niveau B1 attesté".into());
    let mut tie = candidate(
        "L9002",
        "Théo Égalité",
        Outcome::Award,
        Votes { in_favour: 4, against: 4, abstain: 1, casting_vote: Some(CastingVote::For) },
    );
    tie.points = vec![PointsLine { module: "M1.1.1".into(), points: "0.20".into(), justification: "assiduité".into() }];
    let deferred = candidate(
        "L9003",
        "Inès Ajournée",
        Outcome::Defer {
            expected: "le rapport de mobilité".into(),
            by: chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
            blocks: vec!["RNCP39668BC01".into()],
        },
        votes(6, 1),
    );
    candidates.extend([refused, tie, deferred]);
    let minutes = Minutes {
        certification: CertificationLine {
            code: "RNCP39668".into(),
            title: "Ingénieur diplômé".into(),
            level: Some("7".into()),
            certifier: Some("CNAM".into()),
        },
        session: "J-2026-09".into(),
        kind: "title".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 9, 18).unwrap(),
        place: Some("Paris, salle 12".into()),
        members: vec![member("Anne Président", "president", true), member("Eva Cfa", "cfa_director", false)],
        totals: Minutes::totals_of(&candidates),
        candidates,
        president: Some("Anne Président".into()),
        signature: None,
    };
    serde_json::to_value(&minutes).unwrap()
}

/// The PDF's text as poppler reads it; a machine without pdftotext fails the test.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("minutes.pdf");
    std::fs::write(&file, pdf).unwrap();
    let output = Command::new("pdftotext")
        .args(["-layout", file.to_str().unwrap(), "-"])
        .output()
        .unwrap_or_else(|e| panic!("pdftotext (poppler-utils) is needed to read the PDF back: {e}; apt-get install poppler-utils"));
    assert!(output.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_minutes_render_as_a_pdf_in_french_with_every_candidate() {
    let pdf = minutes_pdf(&minutes(&["Léa Martin", "Zoé Dupont"])).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "a PDF starts with %PDF");
    let text = pdf_text(&pdf);
    for expected in [
        "Procès-verbal",
        "RNCP39668",
        "18/09/2026",
        "Paris, salle 12",
        "président du jury",
        "absent",
        "Léa Martin",
        "Zoé Dupont",
        "Ugo Refusé",
        "REF",
        "niveau d'anglais insuffisant",
        "voix prépondérante du président",
        "0,20",
        "01/03/2027",
        "AJ",
        "non signé",
        "Page 1 sur 1",
    ] {
        assert!(text.contains(expected), "the minutes show {expected:?}:\n{text}");
    }
}

#[test]
fn a_signed_minutes_shows_the_signature_and_its_sha256() {
    let mut value = minutes(&["Léa Martin"]);
    let sha256 = "3f".repeat(32);
    let signature = Signature { name: "Anne Président".into(), signed_at: "2026-09-18T17:05:00Z".into(), sha256: sha256.clone() };
    value.as_object_mut().unwrap().insert("signature".into(), serde_json::to_value(signature).unwrap());
    let text = pdf_text(&minutes_pdf(&value).unwrap());
    assert!(text.contains(&sha256), "the SHA-256 on one line:\n{text}");
    assert!(text.contains("17:05"), "{text}");
    assert!(!text.contains("non signé"), "{text}");
}

#[test]
fn a_name_written_as_typst_markup_is_printed_as_written() {
    let name = "#emph[x] *y* $z$ \\ #import \"/minutes.json\"";
    let text = pdf_text(&minutes_pdf(&minutes(&[name])).unwrap());
    assert!(text.contains(name), "the name is text, not markup:\n{text}");
}

#[test]
fn minutes_the_template_cannot_read_are_refused_with_typst_s_reason() {
    let mut value = minutes(&["Léa Martin"]);
    value.as_object_mut().unwrap().remove("candidates");
    let error = minutes_pdf(&value).unwrap_err();
    assert!(matches!(error, DocumentError::Typeset(_)), "{error}");
    assert!(error.to_string().contains("minutes.typ:"), "the message names the template line: {error}");
    assert!(error.to_string().contains("candidates"), "{error}");
}

#[test]
fn a_second_render_reuses_the_fonts_and_gives_the_same_bytes() {
    let value = minutes(&["Léa Martin"]);
    assert_eq!(minutes_pdf(&value).unwrap(), minutes_pdf(&value).unwrap());
}

mod holder_documents;
