//! `certif config` and `certif declaration export` end to end (spec/declaration.md §1): the
//! flow of a published session's awards validates with xmllint against the CDC's schema, is
//! refused while a setting is unset, leaves out (and lists, exit 1) a holder whose record lacks
//! the birth place, and gives each award the same idTechnique on every export.

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

    // Refused, naming what to set, while the CDC identifiers are unset.
    let refused = w.certif(&["declaration", "export", "--output", &w.path("flux.xml")]);
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stderr));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("certif config set cdc.emitter_id_client"), "{said}");
    assert!(!std::path::Path::new(&w.path("flux.xml")).exists(), "nothing written");
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
    let partial = w.certif(&["declaration", "export", "--output", &w.path("flux-2.xml")]);
    assert_eq!(partial.status.code(), Some(1), "{}", String::from_utf8_lossy(&partial.stderr));
    let said = String::from_utf8_lossy(&partial.stderr);
    assert!(said.contains(&three[0]) && said.contains("lieu de naissance"), "{said}");
    let again = std::fs::read_to_string(w.path("flux-2.xml")).unwrap();
    assert!(valid(&w.path("flux-2.xml")).0);
    let (before, after) = (ids(&flow), ids(&again));
    assert_eq!(after.len(), 2);
    assert!(after.iter().all(|id| before.contains(id)), "the same idTechnique on every export: {before:?} {after:?}");
}
