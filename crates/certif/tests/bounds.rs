//! Never a panic, never a wrong number: numbers so large that exact arithmetic could overflow
//! are refused at loading with their path (exit 2), on every command that decides.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("certif-bounds-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A valid dossier for the demo curriculum, as one JSON line.
fn dossier_line(id: &str) -> String {
    let (curriculum, _) = certif_referential::demo_curriculum();
    let mut rng = fastrand::Rng::with_seed(7);
    certif::generate::dossier(&curriculum, certif::generate::Profile::Awarded, id, &mut rng).to_string()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_huge_coefficient_is_refused_by_every_command_with_its_path_and_line() {
    let dir = scratch("coefficient");
    let text = certif_referential::DEMO_CURRICULUM.replacen("coefficient = 2", "coefficient = 4e27", 1);
    let line = text[..text.find("coefficient = 4e27").unwrap()].matches('\n').count() + 1;
    let curriculum = write(&dir, "huge.toml", &text);
    let dossier = write(&dir, "dossier.json", &dossier_line("A-1"));
    let expected = format!("huge.toml:{line}: ue[0].module[0].coefficient:");
    for args in [
        vec!["curriculum", "check", &curriculum],
        vec!["curriculum", "check", &curriculum, "--format", "json"],
        vec!["evaluate", &dossier, "--curriculum", &curriculum],
        vec!["evaluate", "--jsonl", &dossier, "--curriculum", &curriculum],
    ] {
        let output = certif(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(&expected), "{args:?}: {}", stderr(&output));
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn a_pass_mark_out_of_0_to_20_is_refused_with_its_path_and_line() {
    let dir = scratch("policy");
    let curriculum = write(&dir, "curriculum.toml", certif_referential::DEMO_CURRICULUM);
    let dossier = write(&dir, "dossier.json", &dossier_line("A-1"));
    for (name, text, line) in [("huge.toml", "pass_mark = 1e28\n", 1), ("above.toml", "resit = \"best\"\npass_mark = 25\n", 2)] {
        let policy = write(&dir, name, text);
        for args in [
            vec!["evaluate", &dossier, "--curriculum", &curriculum, "--policy", &policy],
            vec!["evaluate", "--jsonl", &dossier, "--curriculum", &curriculum, "--policy", &policy],
        ] {
            let output = certif(&args);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
            assert!(stderr(&output).contains(&format!("{name}:{line}: pass_mark:")), "{args:?}: {}", stderr(&output));
            assert!(output.stdout.is_empty());
        }
    }
}

#[test]
fn huge_numbers_in_dossier_lines_are_line_errors_and_the_run_goes_on() {
    let dir = scratch("jsonl");
    let curriculum = write(&dir, "curriculum.toml", certif_referential::DEMO_CURRICULUM);
    let good = dossier_line("A-1");
    // The first value of `key` replaced by `value`, as text (no float ever touches it).
    let with = |key: &str, value: &str| {
        let start = good.find(&format!("\"{key}\":")).unwrap() + key.len() + 3;
        let end = start + good[start..].find([',', '}']).unwrap();
        format!("{}{value}{}", &good[..start], &good[end..])
    };
    let lines = [
        good.clone(),
        with("session1", "1e28"),
        with("session1", "4e27"),
        with("session1", "1e400"),
        with("session1", "79228162514264337593543950336"),
        with("score", "1e28"),
        String::new(),
        "   ".to_string(),
        good.replace("A-1", "A-2"),
    ];
    let input = write(&dir, "cohort.jsonl", &(lines.join("\n") + "\n"));
    let output = certif(&["evaluate", "--jsonl", &input, "--curriculum", &curriculum]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let out: Vec<Value> = String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(out.len(), lines.len(), "output line N answers input line N");
    assert_eq!(out[0]["learner"], "A-1");
    for (n, answer) in out.iter().enumerate().take(8).skip(1) {
        assert_eq!(answer["line"], n + 1, "{answer}");
        assert!(answer["error"].as_str().unwrap().contains(": "), "{answer}");
    }
    assert!(out[1]["error"].as_str().unwrap().starts_with("marks[0].session1: "), "{}", out[1]);
    assert!(out[6]["error"].as_str().unwrap().starts_with("$: ligne vide"), "{}", out[6]);
    assert_eq!(out[8]["learner"], "A-2");
}

#[test]
fn blank_lines_each_get_their_error_line_on_stdin_too() {
    let Some(curriculum) = demo_curriculum() else { return };
    let good = dossier_line("A-1");
    let input = format!("\n{good}\n\r\n{good}\n\n");
    let output = certif_with_stdin(&["evaluate", "--jsonl", "-", "--curriculum", curriculum.to_str().unwrap()], &input);
    assert_eq!(output.status.code(), Some(2));
    let out: Vec<Value> = String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let lines: Vec<Value> = out.iter().map(|o| o.get("line").cloned().unwrap_or(Value::Null)).collect();
    assert_eq!(lines, [Value::from(1), Value::Null, Value::from(3), Value::Null, Value::from(5)]);
}
