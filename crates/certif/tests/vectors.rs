//! Every public test vector of ../shared/examples/dossiers, through the real binary.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn every_public_dossier_gives_its_expected_decision_or_error() {
    let Some(shared) = shared() else { return };
    let curriculum = shared.join("examples/curriculum-demo.toml");
    let mut checked = 0;
    for entry in std::fs::read_dir(shared.join("examples/dossiers")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.ends_with(".json") || name.ends_with(".expected.json") {
            continue;
        }
        let output = certif(&["evaluate", path.to_str().unwrap(), "--curriculum", curriculum.to_str().unwrap(), "--format", "json"]);
        let expected_decision = path.with_extension("expected.json");
        let expected_error = path.with_extension("error");
        if expected_decision.exists() {
            assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
            let actual: Value = serde_json::from_slice(&output.stdout).unwrap();
            let expected: Value = serde_json::from_str(&std::fs::read_to_string(&expected_decision).unwrap()).unwrap();
            assert_eq!(stable(&actual), stable(&expected), "{name}");
            // The bulk path's own writer gives the same decision (its bytes are compared with
            // serde_json's in tests/properties.rs).
            let bulk = certif_with_stdin(
                &["evaluate", "--curriculum", curriculum.to_str().unwrap(), "--jsonl", "-"],
                &(serde_json::to_string(&serde_json::from_slice::<Value>(&std::fs::read(&path).unwrap()).unwrap()).unwrap() + "\n"),
            );
            assert_eq!(serde_json::from_slice::<Value>(&bulk.stdout).unwrap(), actual, "{name}: bulk path");
        } else {
            let path_named = std::fs::read_to_string(&expected_error).unwrap().trim().to_string();
            assert_eq!(output.status.code(), Some(2), "{name} must exit 2");
            assert!(output.stdout.is_empty(), "{name} must print nothing on stdout");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.contains(&format!("{path_named}:")), "{name}: stderr {stderr:?} does not name {path_named}");
        }
        checked += 1;
    }
    assert!(checked >= 11, "only {checked} vectors found");
}

#[test]
fn the_bulk_path_gives_the_same_decisions_in_order_and_reports_bad_lines() {
    let Some(shared) = shared() else { return };
    let curriculum = shared.join("examples/curriculum-demo.toml");
    let names = ["awarded", "error-mark-out-of-range", "vae-partial", "in-progress"];
    let lines: Vec<String> = names
        .iter()
        .map(|n| {
            let text = std::fs::read_to_string(shared.join(format!("examples/dossiers/{n}.json"))).unwrap();
            serde_json::to_string(&serde_json::from_str::<Value>(&text).unwrap()).unwrap()
        })
        .collect();
    let output = certif_with_stdin(&["evaluate", "--curriculum", curriculum.to_str().unwrap(), "--jsonl", "-"], &(lines.join("\n") + "\n"));
    assert_eq!(output.status.code(), Some(2), "an invalid line makes the exit status 2");
    let out: Vec<Value> = String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(out.len(), 4);
    assert_eq!(out[0]["learner"], "awarded");
    assert_eq!(out[1]["line"], 2);
    assert!(out[1]["error"].as_str().unwrap().starts_with("marks[8].session1: "));
    assert_eq!(out[2]["learner"], "vae-partial");
    assert_eq!(out[3]["learner"], "in-progress");
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("examples/dossiers/vae-partial.expected.json")).unwrap()).unwrap();
    assert_eq!(stable(&out[2]), stable(&expected));
}
