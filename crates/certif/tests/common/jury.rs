//! A jury session through the CLI, for the tests of what the jury's decisions feed.

use std::process::Output;

use serde_json::Value;

use super::workspace::Workspace;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// RNCP39668's jury (spec/jury.md §1), with `teachers` teachers; the president's seat is held by
/// the demo's `demo-jury` account.
pub fn seat_jury(w: &Workspace, session: &str, teachers: usize) {
    // The president's seat names the demo's jury account, which the minutes must leave out.
    w.ok(&["jury", "member", "add", session, "--name", "Anne Président", "--role", "president", "--account", "demo-jury"]);
    for (name, role) in [
        ("Bruno Études", "director_of_studies"),
        ("Claire Alternance", "alternance_manager"),
        ("Denis Cnam", "partner_training_manager"),
        ("Eva Cfa", "cfa_director"),
    ] {
        w.ok(&["jury", "member", "add", session, "--name", name, "--role", role]);
    }
    for n in 1..=teachers {
        w.ok(&["jury", "member", "add", session, "--name", &format!("Enseignant {n}"), "--role", "teacher"]);
    }
}

/// The demo cohort of 20 learners, without its earlier promotions (no holder yet).
pub fn demo(w: &Workspace) -> (String, Vec<Value>) {
    let demo = w.certif(&["demo", "--learners", "20", "--format", "json", "--no-promotions"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let decisions: Vec<Value> = serde_json::from_slice(&demo.stdout).unwrap();
    let on = decisions[0]["evaluated_on"].as_str().unwrap().to_string();
    (on, decisions)
}

/// Learners whose proposed title has `status`, on a route a title jury examines (not VAE).
pub fn with_title(w: &Workspace, decisions: &[Value], status: &str, on: &str) -> Vec<String> {
    decisions
        .iter()
        .filter(|d| d["title"]["status"] == status)
        .map(|d| d["learner"].as_str().unwrap().to_string())
        .filter(|id| {
            let dossier: Value = serde_json::from_str(&w.ok(&["export", "dossier", id, "--on", on])).unwrap();
            dossier["access_route"] != "vae"
        })
        .collect()
}

/// A session `id` of the demo dated `on`, seated, with `learners` as candidates, each awarded
/// the title, closed, signed and published on `published_on`.
pub fn publish_awards(w: &Workspace, id: &str, on: &str, learners: &[String], published_on: &str) {
    w.ok(&["jury", "create", id, "--kind", "title", "--date", on]);
    seat_jury(w, id, 4);
    let mut add = vec!["jury", "candidates", "add", id];
    add.extend(learners.iter().map(String::as_str));
    w.ok(&add);
    w.ok(&["jury", "open", id]);
    for learner in learners {
        w.ok(&["jury", "deliberate", id, learner, "--outcome", "award", "--for", "9", "--against", "0"]);
    }
    w.ok(&["jury", "close", id]);
    w.ok(&["jury", "sign", id, "--as", "Anne Président"]);
    w.ok(&["jury", "publish", id, "--on", published_on]);
}
