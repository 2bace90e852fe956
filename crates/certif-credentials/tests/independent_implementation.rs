//! spec/credentials.md §4: what certif issues verifies with an independent implementation
//! (tests/verify_independently.py: PyJWT + cryptography and Python's jsonschema, pinned in
//! crates/certif/tests/requirements.txt) from the JWKS alone, satisfies both 1EdTech schemas
//! there too, and its status list decodes to the right bit. Fails, never skips, when python3
//! or the modules are missing.

mod common;

use std::path::Path;
use std::process::Command;

use certif_credentials::{IssuerKey, build_credential, sign};
use common::*;
use serde_json::Value;

fn run_python(dir: &Path, credentials: &[(&str, &str)], issuer: &Issuer, status_list: &str) -> Vec<Value> {
    std::fs::write(dir.join("jwks.json"), issuer.jwks.to_json()).unwrap();
    std::fs::write(dir.join("status.jwt"), status_list).unwrap();
    let mut files = Vec::new();
    for (name, token) in credentials {
        let path = dir.join(format!("{name}.jwt"));
        std::fs::write(&path, token).unwrap();
        files.push(path);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/verify_independently.py");
    let output = Command::new("python3")
        .arg(script)
        .arg(dir.join("jwks.json"))
        .arg(dir.join("status.jwt"))
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("python3 is required for the independent check: {e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the independent verifier failed ({}); install crates/certif/tests/requirements.txt with pip:\n{stderr}",
        output.status
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let results: Vec<Value> = stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(results.len(), credentials.len(), "{stdout}\n{stderr}");
    results
}

#[test]
fn pyjwt_verifies_what_certif_issues_and_reads_the_revocation_bit() {
    let issuer = Issuer::new();
    let dir = tempfile::tempdir().unwrap();
    let title = issuer.sign(&title_input());
    let block = issuer.sign(&block_input());
    let list = issuer.status_list(&[BLOCK_INDEX]);
    let results = run_python(dir.path(), &[("title", &title), ("block", &block)], &issuer, &list);

    assert_eq!(results[0]["valid"], true, "{}", results[0]);
    assert_eq!(results[0]["index"], TITLE_INDEX);
    assert_eq!(results[0]["revoked"], false);
    assert_eq!(results[1]["valid"], true, "{}", results[1]);
    assert_eq!(results[1]["index"], BLOCK_INDEX);
    assert_eq!(results[1]["revoked"], true);
    for result in &results {
        assert_eq!(result["schema_errors"], serde_json::json!([]), "{result}");
    }
}

#[test]
fn pyjwt_refuses_a_tampered_token_and_an_unknown_key() {
    let issuer = Issuer::new();
    let dir = tempfile::tempdir().unwrap();
    let genuine = issuer.sign(&title_input());
    // One character of the payload changed, signature kept.
    let mut tampered: Vec<char> = genuine.chars().collect();
    let in_payload = genuine.find('.').unwrap() + 20;
    tampered[in_payload] = if tampered[in_payload] == 'A' { 'B' } else { 'A' };
    let tampered: String = tampered.into_iter().collect();
    let stranger = IssuerKey::generate(JWKS_URL).unwrap();
    let unknown = sign(&build_credential(&title_input()).unwrap(), &stranger).unwrap();

    let results =
        run_python(dir.path(), &[("genuine", &genuine), ("tampered", &tampered), ("unknown", &unknown)], &issuer, &issuer.status_list(&[]));
    assert_eq!(results[0]["valid"], true, "{}", results[0]);
    assert_eq!(results[1]["valid"], false);
    assert_eq!(results[2]["valid"], false);
    assert!(results[2]["error"].as_str().unwrap().contains("not in the JWKS"), "{}", results[2]);
}

#[test]
fn python_jsonschema_also_refuses_a_credential_missing_a_required_field() {
    let issuer = Issuer::new();
    let dir = tempfile::tempdir().unwrap();
    let mut credential = serde_json::to_value(build_credential(&title_input()).unwrap()).unwrap();
    credential["credentialSubject"]["achievement"].as_object_mut().unwrap().remove("criteria");
    let token = sign(&RawCredential { credential, iss: None }, &issuer.key).unwrap();
    let results = run_python(dir.path(), &[("no-criteria", &token)], &issuer, &issuer.status_list(&[]));
    assert_eq!(results[0]["valid"], true, "{}", results[0]);
    let errors = results[0]["schema_errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e.as_str().unwrap().contains("strict-2024-09-12") && e.as_str().unwrap().contains("criteria")),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.as_str().unwrap().starts_with("ob_v3p0_achievementcredential_schema.json")), "{errors:?}");
}
