//! `certif credential verify` end to end (spec/credentials.md §4): credentials issued with
//! `certif_credentials`, written to files with their JWKS and status list, verified offline by
//! the binary; each refusal names its reason, hostile input never panics, oversized files are
//! refused by name.

mod common;

use std::process::Output;

use certif_credentials::{
    AchievementInput, AchievementKind, CredentialInput, HolderIdentity, IssuerInput, IssuerKey, Jwks, Salt, StatusEntryInput, StatusList,
    StatusListCredential, build_credential, sign,
};
use chrono::{DateTime, TimeZone, Utc};
use common::workspace::Workspace;
use serde_json::Value;

const BASE: &str = "https://certif.ensma.example";
const JWKS_URL: &str = "https://certif.ensma.example/.well-known/jwks.json";
const LIST_URL: &str = "https://certif.ensma.example/status/1";
const ISSUER_ID: &str = "https://certif.ensma.example/issuer";
const TITLE: &str = "Ingénieur diplômé de l'ENSMA, spécialité génie industriel pour l'aéronautique et l'espace";
const BLOCK: &str = "Résoudre des problèmes à causalités multiples";
const TITLE_INDEX: u64 = 94_567;
const BLOCK_INDEX: u64 = 7;
const CHECKS: [&str; 7] = ["format", "signature", "claims", "schema", "valid_from", "valid_until", "status"];

/// The jury's publication: 3 July 2026, 14:00 UTC (the binary verifies as of now, later).
fn published() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 3, 14, 0, 0).single().expect("a valid date")
}

fn input(kind: AchievementKind, index: u64) -> CredentialInput {
    let name = match &kind {
        AchievementKind::Title => TITLE,
        AchievementKind::Block { .. } => BLOCK,
    };
    CredentialInput {
        id: format!("{BASE}/verify/{index}"),
        issuer: IssuerInput {
            id: ISSUER_ID.into(),
            name: "ISAE-ENSMA".into(),
            siret: "19860073600021".into(),
            url: "https://www.ensma.fr/".into(),
        },
        achievement: AchievementInput {
            id: format!("{BASE}/achievements/{index}"),
            kind,
            name: name.into(),
            description: "Titre d'ingénieur, niveau 7.".into(),
            criteria_narrative: "Les 7 blocs, les périodes en entreprise, l'anglais B2 et une mobilité internationale.".into(),
            certification_code: "RNCP39668".into(),
            certification_name: TITLE.into(),
            fiche_url: "https://www.francecompetences.fr/recherche/rncp/39668/".into(),
            ects: Some(180),
            field_of_study: "Génie industriel pour l'aéronautique et l'espace".into(),
            level: 7,
        },
        subject_id: "urn:uuid:0b7c5c3e-5f0e-4c1a-9a51-2f3d1c8e6a10".into(),
        holder: HolderIdentity::EmailAddress("camille.martin@example.org".into()),
        salt: Salt::new("8a1f0c2d9e3b4a5c").expect("a salt"),
        valid_from: published(),
        valid_until: None,
        status: StatusEntryInput { list_url: LIST_URL.into(), index },
    }
}

fn title() -> CredentialInput {
    input(AchievementKind::Title, TITLE_INDEX)
}

fn block() -> CredentialInput {
    input(AchievementKind::Block { code: "RNCP39668BC01".into() }, BLOCK_INDEX)
}

/// An issuer's key, with its JWKS and status list written in a workspace.
struct Issuer {
    w: Workspace,
    key: IssuerKey,
    jwks: String,
}

impl Issuer {
    fn new() -> Self {
        let w = Workspace::new();
        let key = IssuerKey::generate(JWKS_URL).expect("a key");
        let jwks = w.write("jwks.json", Jwks::new([key.public_jwk()]).to_json().as_bytes());
        Issuer { w, key, jwks }
    }

    fn token(&self, input: &CredentialInput) -> String {
        sign(&build_credential(input).expect("a credential"), &self.key).expect("a signature")
    }

    fn credential(&self, name: &str, input: &CredentialInput) -> String {
        self.w.write(name, format!("{}\n", self.token(input)).as_bytes())
    }

    fn status_list(&self, revoked: &[u64]) -> String {
        let mut list = StatusList::minimal();
        for &index in revoked {
            list.set(index, true).expect("an index in the list");
        }
        let list = StatusListCredential::revocation(LIST_URL, ISSUER_ID, published(), &list).expect("an encoded list");
        self.w.write("status-1.jwt", sign(&list, &self.key).expect("a signature").as_bytes())
    }

    fn verify(&self, file: &str, list: Option<&str>, format: &str) -> Output {
        let mut args = vec!["credential", "verify", file, "--jwks", &self.jwks, "--format", format];
        if let Some(list) = list {
            args.extend(["--status-list", list]);
        }
        self.w.certif(&args)
    }

    /// The JSON report, with the exit status.
    fn verify_json(&self, file: &str, list: Option<&str>) -> (Option<i32>, Value) {
        let output = self.verify(file, list, "json");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", stderr(&output)));
        (output.status.code(), report)
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The reason codes of the failed checks, in order.
fn reasons(report: &Value) -> Vec<String> {
    report["checks"].as_array().expect("checks").iter().filter_map(|c| c["reason"].as_str()).map(String::from).collect()
}

#[test]
fn a_good_credential_passes_every_check_and_says_what_it_attests() {
    let issuer = Issuer::new();
    let file = issuer.credential("titre.jwt", &title());
    let list = issuer.status_list(&[BLOCK_INDEX]);
    let output = issuer.verify(&file, Some(&list), "text");
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}{}", stderr(&output));
    let lines: Vec<&str> = text.lines().collect();
    let checks: Vec<&&str> = lines.iter().filter(|l| l.starts_with('✓') || l.starts_with('✗')).collect();
    assert_eq!(checks.len(), 7, "{text}");
    assert!(checks.iter().all(|l| l.starts_with('✓') && l.contains("réussi")), "{text}");
    for label in ["format", "signature", "déclarations du JWT", "schéma", "début de validité", "fin de validité", "révocation"] {
        assert!(text.contains(label), "{label}: {text}");
    }
    let last = lines.last().expect("a verdict");
    assert!(last.starts_with("Attestation valide"), "{text}");
    assert!(last.contains(TITLE) && last.contains("ISAE-ENSMA") && last.contains("03/07/2026"), "{last}");

    let (code, report) = issuer.verify_json(&file, Some(&list));
    assert_eq!(code, Some(0));
    assert_eq!(report["valid"], true);
    let names: Vec<&str> = report["checks"].as_array().unwrap().iter().map(|c| c["check"].as_str().unwrap()).collect();
    assert_eq!(names, CHECKS);
    assert!(report["checks"].as_array().unwrap().iter().all(|c| c["passed"] == true && c["reason"].is_null()));
    assert_eq!(report["attests"]["achievement"], TITLE);
    assert_eq!(report["attests"]["issuer"], "ISAE-ENSMA");
    assert_eq!(report["attests"]["valid_from"], "03/07/2026");
}

#[test]
fn a_tampered_payload_is_signature_invalid() {
    let issuer = Issuer::new();
    // The block's payload under the title's header and signature.
    let genuine = issuer.token(&title());
    let other = issuer.token(&block());
    let (g, o): (Vec<&str>, Vec<&str>) = (genuine.split('.').collect(), other.split('.').collect());
    let forged = issuer.w.write("forged.jwt", [g[0], o[1], g[2]].join(".").as_bytes());
    let list = issuer.status_list(&[]);

    let output = issuer.verify(&forged, Some(&list), "text");
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}{}", stderr(&output));
    let failed: Vec<&str> = text.lines().filter(|l| l.starts_with('✗')).collect();
    assert_eq!(failed.len(), 1, "{text}");
    assert!(failed[0].contains("signature") && failed[0].contains("échoué") && failed[0].contains("SIGNATURE_INVALID"), "{text}");
    assert!(text.lines().last().unwrap().starts_with("Attestation NON valide"), "{text}");

    let (code, report) = issuer.verify_json(&forged, Some(&list));
    assert_eq!(code, Some(1));
    assert_eq!(report["valid"], false);
    assert_eq!(reasons(&report), ["SIGNATURE_INVALID"]);
    assert!(report["attests"].is_null());
}

#[test]
fn a_key_outside_the_jwks_is_key_unknown() {
    let issuer = Issuer::new();
    let stranger = IssuerKey::generate(JWKS_URL).expect("a key");
    let token = sign(&build_credential(&title()).expect("a credential"), &stranger).expect("a signature");
    let file = issuer.w.write("stranger.jwt", token.as_bytes());
    let (code, report) = issuer.verify_json(&file, Some(&issuer.status_list(&[])));
    assert_eq!(code, Some(1));
    assert_eq!(reasons(&report), ["KEY_UNKNOWN"]);
    let text = stdout(&issuer.verify(&file, Some(&issuer.status_list(&[])), "text"));
    assert!(text.contains("KEY_UNKNOWN") && text.contains("JWKS"), "{text}");
}

#[test]
fn a_revoked_index_is_revoked_and_its_neighbour_is_not() {
    let issuer = Issuer::new();
    let list = issuer.status_list(&[BLOCK_INDEX]);
    let revoked = issuer.credential("bloc.jwt", &block());
    let output = issuer.verify(&revoked, Some(&list), "text");
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.lines().any(|l| l.starts_with('✗') && l.contains("révocation") && l.contains("REVOKED")), "{text}");
    let (code, report) = issuer.verify_json(&revoked, Some(&list));
    assert_eq!(code, Some(1));
    assert_eq!(reasons(&report), ["REVOKED"]);

    let (code, report) = issuer.verify_json(&issuer.credential("titre.jwt", &title()), Some(&list));
    assert_eq!(code, Some(0), "{report:#}");
}

#[test]
fn without_a_status_list_the_status_is_unavailable() {
    let issuer = Issuer::new();
    let file = issuer.credential("titre.jwt", &title());
    let (code, report) = issuer.verify_json(&file, None);
    assert_eq!(code, Some(1));
    assert_eq!(reasons(&report), ["STATUS_UNAVAILABLE"]);
    let status = &report["checks"][6];
    assert_eq!(status["check"], "status");
    assert!(status["detail"].as_str().unwrap().contains(LIST_URL), "{status}");
    let text = stdout(&issuer.verify(&file, None, "text"));
    assert!(text.contains("STATUS_UNAVAILABLE") && text.contains("--status-list"), "{text}");
}

#[test]
fn random_bytes_are_malformed_never_a_panic() {
    let issuer = Issuer::new();
    let mut rng = fastrand::Rng::with_seed(39668);
    for (n, len) in [0usize, 1, 64, 4096].into_iter().enumerate() {
        let bytes: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
        let file = issuer.w.write(&format!("random-{n}.jwt"), &bytes);
        let output = issuer.verify(&file, None, "text");
        let text = stdout(&output);
        assert_eq!(output.status.code(), Some(1), "{len} bytes: {text}{}", stderr(&output));
        assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
        assert!(text.contains("MALFORMED"), "{len} bytes: {text}");
        let (code, report) = issuer.verify_json(&file, None);
        assert_eq!(code, Some(1));
        assert_eq!(reasons(&report), ["MALFORMED"; 7]);
    }
    // Three dots of garbage, and a status list of garbage: still no panic.
    let file = issuer.w.write("dots.jwt", b"a.b.c");
    let list = issuer.w.write("garbage-list.jwt", &[0xff, 0xfe, b'.', 0x00]);
    let (code, report) = issuer.verify_json(&file, Some(&list));
    assert_eq!(code, Some(1));
    assert!(reasons(&report).iter().all(|r| r == "MALFORMED"), "{report:#}");
}

#[test]
fn a_garbage_status_list_is_unavailable_not_a_crash() {
    let issuer = Issuer::new();
    let file = issuer.credential("titre.jwt", &title());
    let list = issuer.w.write("garbage-list.jwt", &[0xff, 0xfe, b'.', 0x00, b'.']);
    let (code, report) = issuer.verify_json(&file, Some(&list));
    assert_eq!(code, Some(1));
    assert_eq!(reasons(&report), ["STATUS_UNAVAILABLE"]);
}

#[test]
fn oversized_files_are_refused_by_name() {
    let issuer = Issuer::new();
    let big = issuer.w.write("enorme.jwt", &vec![b'a'; 5 << 20]);
    let output = issuer.verify(&big, None, "text");
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).is_empty());
    let message = stderr(&output);
    assert!(message.contains("enorme.jwt") && message.contains("1 Mio"), "{message}");
    assert!(!message.contains("panicked"), "{message}");

    let file = issuer.credential("titre.jwt", &title());
    let big_list = issuer.w.write("liste-enorme.jwt", &vec![b'a'; 5 << 20]);
    let output = issuer.verify(&file, Some(&big_list), "text");
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("liste-enorme.jwt") && message.contains("4 Mio"), "{message}");
}

#[test]
fn unusable_input_exits_2_naming_the_file() {
    let issuer = Issuer::new();
    let file = issuer.credential("titre.jwt", &title());
    let not_json = issuer.w.write("pas-un-jwks.json", b"ceci n'est pas du JSON");
    let output = issuer.w.certif(&["credential", "verify", &file, "--jwks", &not_json]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("pas-un-jwks.json"), "{}", stderr(&output));

    let missing = issuer.w.path("absente.jwt");
    let output = issuer.w.certif(&["credential", "verify", &missing, "--jwks", &issuer.jwks]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("absente.jwt"), "{}", stderr(&output));
}
