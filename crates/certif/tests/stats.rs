//! `certif import insertion` and `certif stats` end to end (spec/declaration.md §2): a survey
//! with errors writes nothing and names file, line and field; the JSON of a published session
//! and a survey equals the numbers computed by hand; the CSV is for spreadsheets; `--plot`
//! writes valid SVG; the demo's two promotions give real figures.

mod common;

use std::process::Command;

use common::jury::{publish_awards, with_title};
use common::workspace::Workspace;
use serde_json::Value;

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The demo, and a session of 2026 awarding its first six title holders, published on
/// 1 October 2026 (the demo's own promotions are 2023's and 2024's).
fn six_holders(w: &Workspace) -> Vec<String> {
    let demo = w.certif(&["demo", "--learners", "30", "--format", "json"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let decisions: Vec<Value> = serde_json::from_slice(&demo.stdout).unwrap();
    let on = decisions[0]["evaluated_on"].as_str().unwrap().to_string();
    let holders: Vec<String> = with_title(w, &decisions, "awarded", &on).into_iter().take(6).collect();
    assert_eq!(holders.len(), 6, "the demo has six title holders to be");
    publish_awards(w, "jury-stats", &on, &holders, "2026-10-01");
    holders
}

fn survey(holders: &[String]) -> String {
    // Six answers at 6 months: four employed (three in a target job, one of them by the fiche's
    // ROME code H1206), one studying (neutralised), one seeking a job.
    let lines = [
        format!("{};15/04/2027;6;employed;oui;cdi;", holders[0]),
        format!("{};2027-04-15;6;employed;non;CDD;H1206", holders[1]),
        format!("{};15/04/2027;6;en emploi;oui;intérim;", holders[2]),
        format!("{};15/04/2027;6;employed;non;cdi;M1805", holders[3]),
        format!("{};15/04/2027;6;en études;non;;", holders[4]),
        format!("{};15/04/2027;6;job_seeking;non;;", holders[5]),
    ];
    format!("learner_id;surveyed_on;months_after;situation;in_target_job;contract;rome\n{}\n", lines.join("\n"))
}

#[test]
fn a_survey_with_errors_writes_nothing_and_names_line_and_field() {
    let w = Workspace::new();
    let holders = six_holders(&w);
    let audit = w.audit_rows();
    let bad = format!(
        "learner_id;surveyed_on;months_after;situation;in_target_job;contract\n{};15/04/2027;6;employed;oui;cdi\n{};15/04/2027;12;employed;oui;cdi\nZ-9999;15/04/2027;6;retraité;peut-être;cdi\n",
        holders[0], holders[1]
    );
    let file = w.write("enquete.csv", bad.as_bytes());
    let output = w.certif(&["import", "insertion", &file]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let said = stderr(&output);
    assert!(said.contains("enquete.csv:3:3: months_after"), "{said}");
    assert!(said.contains("l'enquête est à 6 ou à 24 mois"), "{said}");
    assert!(said.contains("enquete.csv:4:1: learner_id") && said.contains("\"Z-9999\" n'est pas un apprenant connu"), "{said}");
    assert!(said.contains("enquete.csv:4:4: situation") && said.contains("n'est pas une situation"), "{said}");
    assert!(said.contains("enquete.csv:4:5: in_target_job"), "{said}");
    assert_eq!(w.audit_rows(), audit, "nothing written, audit log included");
    let stats: Value = serde_json::from_str(&w.ok(&["stats", "--format", "json"])).unwrap();
    let year = stats["years"].as_array().unwrap().iter().find(|y| y["year"] == 2026 && y["route"] == "all").unwrap().clone();
    assert_eq!(year["insertion"]["6"]["respondents"], 0, "no answer stored");

    // The good file imports; again, it changes nothing.
    let file = w.write("enquete.csv", survey(&holders).as_bytes());
    let output = w.certif(&["import", "insertion", &file]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows = w.audit_rows();
    assert_eq!(rows, audit + 6, "one audit entry an answer");
    w.ok(&["import", "insertion", &file]);
    assert_eq!(w.audit_rows(), rows, "re-importing the same file changes nothing");
    w.ok(&["audit", "verify"]);
}

#[test]
fn the_json_equals_the_numbers_computed_by_hand_and_the_csv_and_svg_are_for_people() {
    let w = Workspace::new();
    let holders = six_holders(&w);
    let file = w.write("enquete.csv", survey(&holders).as_bytes());
    w.ok(&["import", "insertion", &file]);

    let stats: Value = serde_json::from_str(&w.ok(&["stats", "--format", "json"])).unwrap();
    assert_eq!(stats["certification"], "RNCP39668");
    let years = stats["years"].as_array().unwrap();
    let of = |year: i64, route: &str| years.iter().find(|y| y["year"] == year && y["route"] == route).unwrap().clone();
    let all = of(2026, "all");
    // Six candidates, all awarded: success 1; enrolled 4 September 2023, published 1 October
    // 2026: 36 whole months each.
    assert_eq!(
        (all["candidates"].as_i64(), all["awarded"].as_i64(), all["deferred"].as_i64(), all["refused"].as_i64()),
        (Some(6), Some(6), Some(0), Some(0))
    );
    assert_eq!((all["success_rate"].as_f64(), all["median_months_to_award"].as_f64()), (Some(1.0), Some(36.0)));
    let six = &all["insertion"]["6"];
    // Six respondents, one neutralised: five counted; four employed (0.8), three in a target
    // job (0.6), every holder answered (1).
    let counts: Vec<i64> = ["respondents", "neutralised", "employed", "in_target_job"].iter().map(|k| six[*k].as_i64().unwrap()).collect();
    assert_eq!(counts, [6, 1, 4, 3]);
    assert_eq!(
        (six["global_rate"].as_f64(), six["target_rate"].as_f64(), six["response_rate"].as_f64()),
        (Some(0.8), Some(0.6), Some(1.0))
    );
    assert_eq!(six["contracts"], serde_json::json!({"cdi": 2, "cdd": 1, "interim": 1}));
    let later = &all["insertion"]["24"];
    assert_eq!(later["respondents"], 0);
    assert!(later["global_rate"].is_null() && later["target_rate"].is_null(), "n/a is null");
    assert_eq!(of(2026, "apprenticeship")["candidates"], 6);

    // The CSV: a BOM, `;`, French headers and words, decimal commas.
    let csv = w.ok(&["stats", "--format", "csv"]);
    assert!(csv.starts_with('\u{feff}'), "a BOM");
    let header = csv.lines().next().unwrap();
    assert!(header.contains("Année;Voie d'accès;Candidats présentés;Titre délivré;"), "{header}");
    let line = csv.lines().find(|l| l.starts_with("2026;toutes voies;")).unwrap();
    assert!(line.contains(";6;1;4;3;0,8;0,6;1;2;1;1;0;0;"), "{line}");

    // The text: each figure with its definition, decimal commas, "n.d." for n/a.
    let text = w.ok(&["stats"]);
    assert!(text.contains("80,0 %") && text.contains("en emploi / (répondants − neutralisés)"), "{text}");
    assert!(text.contains("n.d."), "{text}");

    // --plot: one SVG document, valid XML, three labelled charts.
    let plot = w.path("stats.svg");
    w.ok(&["stats", "--format", "json", "--plot", &plot]);
    let lint = Command::new("xmllint").args(["--noout", &plot]).output().expect("xmllint (libxml2-utils) runs");
    assert!(lint.status.success(), "{}", stderr(&lint));
    let svg = std::fs::read_to_string(&plot).unwrap();
    assert_eq!(svg.matches("role=\"img\"").count(), 4, "the document and its three charts");
    assert!(svg.contains("Taux de réussite par année"), "French titles");

    // An unknown certification is the caller's to fix.
    let unknown = w.certif(&["stats", "--certification", "RNCP00000"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", stderr(&unknown));
}

#[test]
fn the_demo_shows_two_promotions_with_real_figures() {
    let w = Workspace::new();
    let demo = w.certif(&["demo", "--learners", "20"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    assert!(stderr(&demo).contains("deux promotions antérieures : 3 sessions de jury publiées"), "{}", stderr(&demo));
    let stats: Value = serde_json::from_str(&w.ok(&["stats", "--format", "json"])).unwrap();
    let years = stats["years"].as_array().unwrap();
    let all: Vec<&Value> = years.iter().filter(|y| y["route"] == "all").collect();
    let promotions: Vec<i64> = all.iter().map(|y| y["year"].as_i64().unwrap()).collect();
    assert_eq!(promotions, [2023, 2024]);
    for year in &all {
        assert!(year["awarded"].as_i64().unwrap() >= 8, "{year}");
        assert!(year["insertion"]["6"]["global_rate"].is_f64(), "a real insertion rate at 6 months: {year}");
    }
    assert!(all[0]["insertion"]["24"]["global_rate"].is_f64(), "the first promotion answered at 24 months: {}", all[0]);
    assert!(years.iter().any(|y| y["route"] == "vae" && y["awarded_vae"].as_i64().unwrap() > 0), "a VAE award");
    w.ok(&["audit", "verify"]);
}
