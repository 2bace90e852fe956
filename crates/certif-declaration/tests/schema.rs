//! Flows checked by an independent validator: `xmllint --schema` against the CDC's 1.1.2
//! schema (`../shared/reference/cdc-accrochage/`), for awards of every route, a holder with
//! three given names and one whose name needs escaping, and a large set streamed to disk.

use std::path::PathBuf;
use std::process::Command;

use certif_core::AccessRoute;
use certif_core::dossier::{Learner, Sex};
use certif_declaration::{Award, FlowHeader, FlowWriter, MAX_PER_FLOW, passage};
use chrono::NaiveDate;

fn schema() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/cdc-accrochage/flux-accrochage-1.1.2.xsd");
    assert!(path.is_file(), "{} is absent: ../shared must sit beside the project", path.display());
    path
}

fn xmllint(file: &std::path::Path) -> (bool, String) {
    let output = Command::new("xmllint")
        .args(["--noout", "--stream", "--schema"])
        .arg(schema())
        .arg(file)
        .output()
        .expect("xmllint runs (apt-get install libxml2-utils; .ci/run installs it)");
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn header() -> FlowHeader {
    FlowHeader {
        flow_id: "6e3c7378-bda4-497a-9bd6-dc203f903ed9".into(),
        timestamp: chrono::DateTime::parse_from_rfc3339("2026-12-03T09:15:00+01:00").unwrap(),
        emitter_id_client: "AB123CDE".into(),
        certifier_id_client: "E564ACB0".into(),
        certifier_contract_id: "2560080000127J".into(),
        certification: "RNCP39668".into(),
    }
}

fn award(n: usize, route: AccessRoute) -> Award {
    Award {
        id_technique: format!("00000000-0000-4000-8000-{n:012}"),
        learner: Learner {
            id: format!("A-{n:07}"),
            family_name: Some(if n == 1 { "O'Brien <&> Müller".into() } else { format!("Nom{n}") }),
            given_names: Some(if n == 2 { "Jean-Pierre Marie Anne Sophie".into() } else { "Camille".into() }),
            birth_date: NaiveDate::from_ymd_opt(1990 + (n % 20) as i32, 1 + (n % 12) as u32, 1 + (n % 28) as u32),
            sex: Some(if n.is_multiple_of(2) { Sex::F } else { Sex::M }),
            birth_place_insee: Some(if n.is_multiple_of(7) { "2A004".into() } else { "86194".into() }),
        },
        usage_name: (n.is_multiple_of(5)).then(|| format!("Usage{n}")),
        route,
        enrolled_on: (!n.is_multiple_of(3)).then(|| NaiveDate::from_ymd_opt(2023, 9, 4).unwrap()),
        jury_date: NaiveDate::from_ymd_opt(2026, 9, 18).unwrap(),
        english_level: (!n.is_multiple_of(4)).then(|| "B2".into()),
        proof_url: (n.is_multiple_of(2)).then(|| format!("https://certif.example/verifier/{n}")),
    }
}

#[test]
fn a_flow_of_every_route_validates_against_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("flux.xml");
    let mut flow = FlowWriter::start(std::fs::File::create(&file).unwrap(), &header()).unwrap();
    for (n, route) in AccessRoute::ALL.into_iter().enumerate() {
        flow.passage(&passage(&award(n + 1, route)).unwrap()).unwrap();
    }
    assert_eq!(flow.passages(), 6);
    flow.finish().unwrap();
    let (valid, says) = xmllint(&file);
    assert!(valid, "{says}\n{}", std::fs::read_to_string(&file).unwrap());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("<cpf:nomNaissance>O&apos;Brien &lt;&amp;&gt; Müller</cpf:nomNaissance>"), "escaped by the writer: {text}");
    assert!(text.contains("<cpf:prenom3>Anne Sophie</cpf:prenom3>"), "{text}");
    assert!(text.contains("<cpf:voieAccessVAE>VAE_CLASSIQUE</cpf:voieAccessVAE>"), "{text}");
    assert!(text.contains(r#"<cpf:dateFinValidite xsi:nil="true"/>"#), "{text}");
    assert!(!text.contains("></cpf:"), "never an empty element: {text}");
}

#[test]
fn a_flow_of_the_most_a_file_carries_streams_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("flux-1.xml");
    let started = std::time::Instant::now();
    let out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    let mut flow = FlowWriter::start(out, &header()).unwrap();
    let routes = AccessRoute::ALL;
    for n in 0..MAX_PER_FLOW {
        flow.passage(&passage(&award(n, routes[n % routes.len()])).unwrap()).unwrap();
    }
    flow.finish().unwrap();
    let written = started.elapsed();
    let (valid, says) = xmllint(&file);
    assert!(valid, "{}", says.lines().take(5).collect::<Vec<_>>().join("\n"));
    eprintln!("{MAX_PER_FLOW} passages written in {written:?}, {} bytes", std::fs::metadata(&file).unwrap().len());
}
