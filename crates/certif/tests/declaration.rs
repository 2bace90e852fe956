//! `certif config` and `certif declaration export` end to end (spec/declaration.md §1): the
//! flow of a published session's awards validates with xmllint against the CDC's schema, is
//! refused while a setting is unset, leaves out (and lists, exit 1) a holder whose record lacks
//! the birth place, and gives each award the same idTechnique on every export; the life cycle
//! (exported, accepted, rejected, exported again, to withdraw after an appeal) is kept.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::jury::{demo, publish_awards, with_title};
use common::workspace::Workspace;

fn schema() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/cdc-accrochage/flux-accrochage-1.1.2.xsd")
}

fn valid(file: &str) -> (bool, String) {
    let output =
        Command::new("xmllint").args(["--noout", "--schema"]).arg(schema()).arg(file).output().expect("xmllint (libxml2-utils) runs");
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn ids(flow: &str) -> Vec<String> {
    flow.split("<cpf:idTechnique>").skip(1).filter_map(|rest| rest.split('<').next()).map(String::from).collect()
}

#[test]
fn a_published_session_is_declared_in_a_valid_flow() {
    assert!(schema().is_file(), "../shared/reference/cdc-accrochage is needed");
    let w = Workspace::new();
    let (on, decisions) = demo(&w);
    let awarded = with_title(&w, &decisions, "awarded", &on);
    assert!(awarded.len() >= 3, "the demo has awarded learners: {awarded:?}");
    let three = &awarded[..3];
    publish_awards(&w, "J1", &on, three, &on);

    // Refused, naming what to set, while the CDC identifiers are unset (the demo sets the
    // kit's example ones: a database without them).
    let unset = Workspace::new();
    let refused = unset.certif(&["declaration", "export", "--output", &unset.path("flux.xml")]);
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stderr));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("certif config set cdc.emitter_id_client"), "{said}");
    assert!(!std::path::Path::new(&unset.path("flux.xml")).exists(), "nothing written");
    assert!(w.ok(&["config", "list"]).contains("cdc.emitter_id_client = AB123CDE"), "the demo sets the kit's identifiers");
    let bad = w.certif(&["config", "set", "cdc.emitter_id_client", "TOO-LONG-9"]);
    assert_eq!(bad.status.code(), Some(2), "an idClient is 8 characters");
    let unknown = w.certif(&["config", "set", "cdc.nothing", "X"]);
    assert_eq!(unknown.status.code(), Some(2), "an unknown setting");
    w.ok(&["config", "set", "cdc.emitter_id_client", "AB123CDE"]);
    w.ok(&["config", "set", "cdc.certifier_id_client", "E564ACB0"]);
    w.ok(&["config", "set", "cdc.certifier_contract_id", "2560080000127J"]);
    assert!(w.ok(&["config", "list"]).contains("cdc.certifier_contract_id = 2560080000127J"));
    let audit = w.ok(&["audit", "log"]);
    assert!(audit.contains("config"), "settings are audited: {audit}");
    assert!(w.ok(&["audit", "verify"]).contains("intact"));

    // The flow: every award, valid against the schema.
    let file = w.path("flux.xml");
    let exported = w.certif(&["declaration", "export", "--output", &file]);
    assert!(exported.status.success(), "{}", String::from_utf8_lossy(&exported.stderr));
    let (ok, says) = valid(&file);
    assert!(ok, "{says}");
    let flow = std::fs::read_to_string(&file).unwrap();
    assert_eq!(ids(&flow).len(), 3, "{flow}");
    assert!(flow.contains("<cpf:code>RNCP39668</cpf:code>") && flow.contains("<cpf:idContrat>2560080000127J</cpf:idContrat>"));
    assert!(flow.contains(&format!("<cpf:dateDebutValidite>{on}</cpf:dateDebutValidite>")), "{flow}");

    // A holder whose record lacks the birth place is left out and listed; exit 1.
    let dossier: serde_json::Value = serde_json::from_str(&w.ok(&["export", "dossier", &three[0], "--on", &on])).unwrap();
    let french = |iso: &serde_json::Value| {
        let d = chrono::NaiveDate::parse_from_str(iso.as_str().unwrap(), "%Y-%m-%d").unwrap();
        d.format("%d/%m/%Y").to_string()
    };
    let l = &dossier["learner"];
    let row = format!(
        "learner_id;access_route;enrolled_on;family_name;given_names;birth_date;sex;birth_place_insee;curriculum\n{};{};{};{};{};{};{};;demo\n",
        three[0],
        dossier["access_route"].as_str().unwrap(),
        french(&dossier["enrolled_on"]),
        l["family_name"].as_str().unwrap(),
        l["given_names"].as_str().unwrap(),
        french(&l["birth_date"]),
        l["sex"].as_str().unwrap(),
    );
    let file_without = w.write("sans-lieu.csv", row.as_bytes());
    w.ok(&["import", "learners", &file_without]);
    let partial = w.certif(&["declaration", "export", "--again", "--output", &w.path("flux-2.xml")]);
    assert_eq!(partial.status.code(), Some(1), "{}", String::from_utf8_lossy(&partial.stderr));
    let said = String::from_utf8_lossy(&partial.stderr);
    assert!(said.contains(&three[0]) && said.contains("lieu de naissance"), "{said}");
    let again = std::fs::read_to_string(w.path("flux-2.xml")).unwrap();
    assert!(valid(&w.path("flux-2.xml")).0);
    let (before, after) = (ids(&flow), ids(&again));
    assert_eq!(after.len(), 2);
    assert!(after.iter().all(|id| before.contains(id)), "the same idTechnique on every export: {before:?} {after:?}");
}

fn configured(w: &Workspace) {
    w.ok(&["config", "set", "cdc.emitter_id_client", "AB123CDE"]);
    w.ok(&["config", "set", "cdc.certifier_id_client", "E564ACB0"]);
    w.ok(&["config", "set", "cdc.certifier_contract_id", "2560080000127J"]);
}

fn status(w: &Workspace) -> Vec<(String, String, Option<String>, Option<String>)> {
    let lines: Vec<serde_json::Value> = serde_json::from_str(&w.ok(&["declaration", "status", "--format", "json"])).unwrap();
    let text = |v: &serde_json::Value| v.as_str().map(String::from);
    let mut lines: Vec<_> = lines
        .iter()
        .map(|l| (text(&l["learner"]).unwrap(), text(&l["standing"]).unwrap(), text(&l["flow"]), text(&l["message"])))
        .collect();
    lines.sort();
    lines
}

fn flow_id(file: &str) -> String {
    let flow = std::fs::read_to_string(file).unwrap();
    flow.split("<cpf:idFlux>").nth(1).and_then(|rest| rest.split('<').next()).unwrap().to_string()
}

#[test]
fn each_award_s_declaration_is_followed_from_export_to_the_cdc_s_answer() {
    let w = Workspace::new();
    let (on, decisions) = demo(&w);
    let awarded = with_title(&w, &decisions, "awarded", &on);
    let three = awarded[..3].to_vec();
    publish_awards(&w, "J1", &on, &three, &on);
    configured(&w);
    let to_declare: Vec<_> = three.iter().map(|l| (l.clone(), "to_declare".to_string(), None, None)).collect();
    assert_eq!(status(&w), to_declare);

    let first = w.path("flux-1.xml");
    w.ok(&["declaration", "export", "--output", &first]);
    let flow = flow_id(&first);
    assert!(status(&w).iter().all(|(_, standing, f, _)| standing == "exported" && f.as_deref() == Some(flow.as_str())));
    let sent = ids(&std::fs::read_to_string(&first).unwrap());

    // Nothing left to declare: no flow written.
    let nothing = w.certif(&["declaration", "export", "--output", &w.path("vide.xml")]);
    assert!(nothing.status.success());
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("aucun titre à déclarer"));
    assert!(!std::path::Path::new(&w.path("vide.xml")).exists());

    // An answer naming an award not in the flow is refused whole.
    let before = status(&w);
    let wrong =
        w.certif(&["declaration", "record", &flow, "--accepted", &sent[0], "--rejected", "00000000-0000-4000-8000-000000000000:inconnu"]);
    assert_eq!(wrong.status.code(), Some(2), "{}", String::from_utf8_lossy(&wrong.stderr));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("pas dans le flux"));
    assert_eq!(status(&w), before, "nothing recorded");

    // The CDC's answer, the flow named by its file: one rejected, the others accepted.
    let rejected = format!("{}:Commune de naissance inconnue", sent[1]);
    w.ok(&["declaration", "record", &first, "--rejected", &rejected, "--others-accepted"]);
    let lines = status(&w);
    let standing: Vec<&str> = lines.iter().map(|(_, s, ..)| s.as_str()).collect();
    assert_eq!(standing.iter().filter(|s| **s == "accepted").count(), 2, "{lines:?}");
    assert!(lines.iter().any(|(_, s, _, m)| s == "rejected" && m.as_deref() == Some("Commune de naissance inconnue")), "{lines:?}");
    let text = w.ok(&["declaration", "status"]);
    assert!(text.contains("rejeté — flux") && text.contains("— « Commune de naissance inconnue »") && text.contains("2 accepté"), "{text}");

    // Corrected, exported again: only the rejected award, under the same idTechnique.
    let second = w.path("flux-2.xml");
    w.ok(&["declaration", "export", "--output", &second]);
    assert!(valid(&second).0);
    assert_eq!(ids(&std::fs::read_to_string(&second).unwrap()), [sent[1].clone()]);
    assert_ne!(flow_id(&second), flow);

    // An accepted award replaced on appeal is to withdraw.
    let appellant = &three[0];
    w.ok(&["jury", "appeal", "J1", appellant, "--received-on", &on]);
    w.ok(&["jury", "create", "J2", "--kind", "title", "--date", &on]);
    common::jury::seat_jury(&w, "J2", 4);
    w.ok(&["jury", "candidates", "add", "J2", appellant, "--appeal-of", "J1"]);
    w.ok(&["jury", "open", "J2"]);
    w.ok(&[
        "jury",
        "deliberate",
        "J2",
        appellant,
        "--outcome",
        "refuse",
        "--for",
        "9",
        "--against",
        "0",
        "--justification",
        "fraude établie",
    ]);
    w.ok(&["jury", "close", "J2"]);
    w.ok(&["jury", "sign", "J2", "--as", "Anne Président"]);
    w.ok(&["jury", "publish", "J2", "--on", &on]);
    let lines = status(&w);
    assert!(lines.iter().any(|(l, s, ..)| l == appellant && s == "to_withdraw"), "{lines:?}");
    assert!(w.ok(&["declaration", "status"]).contains("à retirer (flux de suppression)"));
    let audit = w.ok(&["audit", "log"]);
    assert!(audit.contains("declaration"), "{audit}");
    assert!(w.ok(&["audit", "verify"]).contains("intact"));
}

/// 250,000 generated holders: two flows (200,000 then the rest), each valid against the schema
/// (xmllint streaming), the holders without a birth place left out and listed.
#[test]
fn a_quarter_million_holders_are_declared_in_two_valid_flows() {
    let w = Workspace::new();
    let output = w.path("flux.xml");
    let run = w.certif(&["bench-declaration", "--holders", "250000", "--output", &output]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(said.contains("249750 passages, 250 laissés de côté, 2 fichier(s)"), "{said}");
    for (file, count) in [(w.path("flux-1.xml"), 200_000), (w.path("flux-2.xml"), 49_750)] {
        let checked = Command::new("xmllint")
            .args(["--noout", "--stream", "--schema"])
            .arg(schema())
            .arg(&file)
            .output()
            .expect("xmllint (libxml2-utils) runs");
        assert!(checked.status.success(), "{file}: {}", String::from_utf8_lossy(&checked.stderr));
        let flow = std::fs::read_to_string(&file).unwrap();
        assert_eq!(flow.matches("<cpf:passageCertification>").count(), count, "{file}");
    }
}
