//! Helpers shared by the CLI's integration tests.
#![allow(dead_code)]

pub mod api;
pub mod jury;
pub mod workspace;

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{Value, json};

/// A test's requirement is absent: a failure, unless `CERTIF_TEST_ALLOW_SKIP=1` says skipping
/// is wanted (a green run that tested nothing must never look like a pass).
pub fn absent(what: &str) {
    assert!(std::env::var_os("CERTIF_TEST_ALLOW_SKIP").is_some(), "{what} (CERTIF_TEST_ALLOW_SKIP=1 skips knowingly)");
    eprintln!("SKIPPED: {what}");
}

/// Runs `command` to its end and answers its exit status and peak resident memory (kB).
#[cfg(target_os = "linux")]
pub fn run_measuring_peak_rss(command: &mut Command) -> (i32, i64) {
    let child = command.spawn().expect("certif runs");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `usage` is a plain C struct that wait4 fills in; `pid` is our own child, reaped
    // here once (the `Child` handle is never waited on).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4 failed: {}", std::io::Error::last_os_error());
    std::mem::forget(child);
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}

/// `../shared` beside the project, where the public specs and test vectors live.
pub fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if dir.join("examples").is_dir() {
        Some(dir)
    } else {
        absent("../shared/examples is absent; the public test vectors cannot run");
        None
    }
}

pub fn demo_curriculum() -> Option<PathBuf> {
    shared().map(|s| s.join("examples/curriculum-demo.toml"))
}

pub fn certif(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_certif")).args(args).output().expect("certif runs")
}

pub fn certif_with_stdin(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_certif"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("certif runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn sorted_strings(value: &Value) -> Value {
    let mut items: Vec<String> =
        value.as_array().map(|a| a.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect()).unwrap_or_default();
    items.sort();
    json!(items)
}

/// The fields spec/evaluation.md §5 calls stable, with the reason lists as sets.
pub fn stable(decision: &Value) -> Value {
    let blocks: Vec<Value> = decision["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .map(|b| {
            let ues: Vec<Value> = b["ues"]
                .as_array()
                .expect("ues")
                .iter()
                .map(|u| json!({"code": u["code"], "status": u["status"], "average": u["average"]}))
                .collect();
            json!({"code": b["code"], "status": b["status"], "via": b["via"], "ues": ues})
        })
        .collect();
    let mut conditions = serde_json::Map::new();
    for (key, condition) in decision["conditions"].as_object().expect("conditions") {
        conditions.insert(key.clone(), json!({"status": condition["status"], "reasons": sorted_strings(&condition["reasons"])}));
    }
    json!({
        "title": {"status": decision["title"]["status"], "reasons": sorted_strings(&decision["title"]["reasons"])},
        "blocks": blocks,
        "conditions": conditions,
        "ects_earned": decision["ects_earned"],
        "warnings": sorted_strings(&decision["warnings"]),
        "what_it_takes": what_it_takes(&decision["what_it_takes"]),
    })
}

/// `what_it_takes` (spec/evaluation.md §7) as tests compare it: UEs in curriculum order with
/// their `changeable`, `alone` and `together` marks; per condition its `level_needed` and
/// `scores`, `days_needed` and `stays`, `periods` and `evaluation_needed`.
pub fn what_it_takes(value: &Value) -> Value {
    let ues: Vec<Value> = value["ues"]
        .as_array()
        .expect("what_it_takes.ues")
        .iter()
        .map(|ue| json!({"code": ue["code"], "changeable": ue["changeable"], "alone": ue["alone"], "together": ue["together"]}))
        .collect();
    let conditions = &value["conditions"];
    let mut needs = serde_json::Map::new();
    for (key, fields) in [
        ("english", ["level_needed", "scores"]),
        ("mobility", ["days_needed", "stays"]),
        ("company_periods", ["periods", "evaluation_needed"]),
    ] {
        if let Some(condition) = conditions.get(key) {
            needs.insert(key.into(), json!({fields[0]: condition[fields[0]], fields[1]: condition[fields[1]]}));
        }
    }
    json!({"ues": ues, "conditions": needs})
}
