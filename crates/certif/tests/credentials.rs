//! spec/credentials.md §2–§5 end to end: `certif keys generate`, `credential issue|export|
//! revoke|status-list|verify` on a published session; what certif issues verifies with an
//! independent implementation (PyJWT + cryptography, jsonschema: both 1EdTech schemas) from the
//! exported JWKS alone, and the status list decodes to the right bit there too; tampered, wrong
//! key and revoked credentials are refused with their reason; an appeal that replaces a
//! decision revokes what it issued; the server publishes the keys and lists and its public
//! verification page says what stands.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use axum::body::Body;
use axum::http::Request;
use certif_app::Database;
use certif_app::credentials::{Passphrase, signing_key};
use certif_store::accounts::Role;
use common::api::{Api, account, runtime};
use common::workspace::Workspace;
use serde_json::Value;

const PASSPHRASE: &str = "une phrase secrète de test assez longue";
const ENV: [(&str, &str); 2] = [("CERTIF_KEY_PASSPHRASE", PASSPHRASE), ("CERTIF_BASE_URL", "https://certif.example.org")];

fn ok(w: &Workspace, args: &[&str]) -> String {
    let output = w.certif_with(args, &ENV);
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The demo (20 learners) with a published session J1 awarding the title to two learners.
fn published(w: &Workspace) -> (String, Vec<String>) {
    let (on, decisions) = common::jury::demo(w);
    let awarded = common::jury::with_title(w, &decisions, "awarded", &on);
    assert!(awarded.len() >= 2, "the demo has learners to award: {awarded:?}");
    let two = awarded[..2].to_vec();
    common::jury::publish_awards(w, "J1", &on, &two, &on);
    (on, two)
}

fn independent(w: &Workspace, jwks: &str, status_list: &str, credentials: &[String]) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../certif-credentials/tests/verify_independently.py");
    let output = Command::new("python3")
        .arg(script)
        .arg(jwks)
        .arg(status_list)
        .args(credentials)
        .current_dir(w.dir.path())
        .output()
        .unwrap_or_else(|e| panic!("python3 is required for the independent check: {e}"));
    assert!(output.status.success(), "the independent verifier failed: {}", stderr(&output));
    let stdout = String::from_utf8(output.stdout).unwrap();
    stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

fn verify(w: &Workspace, jwt: &str, jwks: &str, list: &str) -> (bool, Value) {
    let output = w.certif_with(&["credential", "verify", jwt, "--jwks", jwks, "--status-list", list, "--format", "json"], &ENV);
    assert!(output.status.code() == Some(0) || output.status.code() == Some(1), "{}", stderr(&output));
    (output.status.success(), serde_json::from_slice(&output.stdout).unwrap())
}

/// The JWT with its payload's achievement renamed, header and signature as they were.
fn tamper(parts: &[&str]) -> String {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut payload: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    payload["credentialSubject"]["achievement"]["name"] = Value::from("Docteur en médecine");
    format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(payload.to_string()), parts[2])
}

fn reasons(report: &Value) -> Vec<String> {
    report["checks"].as_array().unwrap().iter().filter_map(|c| c["reason"].as_str().map(String::from)).collect()
}

#[test]
fn issued_credentials_verify_independently_and_revocation_shows_everywhere() {
    let w = Workspace::new();
    let (on, holders) = published(&w);

    // No key yet: issuing says how to make one; no passphrase: says where to give it.
    let refused = w.certif_with(&["credential", "issue", "--session", "J1"], &ENV);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("certif keys generate"), "{}", stderr(&refused));
    let no_passphrase = w.certif(&["keys", "generate"]);
    assert_eq!(no_passphrase.status.code(), Some(2));
    assert!(stderr(&no_passphrase).contains("CERTIF_KEY_PASSPHRASE"), "{}", stderr(&no_passphrase));

    let kid = ok(&w, &["keys", "generate"]);
    assert!(kid.starts_with("https://certif.example.org/.well-known/jwks.json#"), "{kid}");
    let wrong = w.certif_with(&["credential", "issue", "--all"], &[("CERTIF_KEY_PASSPHRASE", "une tout autre phrase secrète")]);
    assert_eq!(wrong.status.code(), Some(2), "a wrong passphrase opens nothing: {}", stderr(&wrong));

    let issued = ok(&w, &["credential", "issue", "--session", "J1"]);
    let lines: Vec<Vec<&str>> = issued.lines().map(|l| l.split('\t').collect()).collect();
    for holder in &holders {
        assert!(lines.iter().any(|l| l[1] == holder && l[2] == "title"), "{issued}");
    }
    // Issuing again issues nothing new.
    let again = w.certif_with(&["credential", "issue", "--session", "J1"], &ENV);
    assert!(again.status.success() && again.stdout.is_empty(), "{}", stderr(&again));
    assert!(stderr(&again).contains("0 attestation(s) délivrée(s)"), "{}", stderr(&again));

    let dir = w.path("out");
    let exported = ok(&w, &["credential", "export", &holders[0], "--output-dir", &dir]);
    let jwts: Vec<String> = exported.lines().map(String::from).collect();
    assert!(!jwts.is_empty());
    let title_jwt = jwts.iter().find(|p| p.ends_with("-titre.jwt")).expect("the title's credential").clone();
    let decoded: Value = serde_json::from_str(&std::fs::read_to_string(title_jwt.replace(".jwt", ".json")).unwrap()).unwrap();
    assert_eq!(decoded["credentialSubject"]["achievement"]["achievementType"], "Diploma");
    assert_eq!(decoded["issuer"]["otherIdentifier"][0]["identifier"], "19860073600021");
    assert!(decoded["credentialSubject"]["identifier"][0]["identityHash"].as_str().unwrap().starts_with("sha256$"));
    assert!(!decoded.to_string().contains(&holders[0]), "the holder's id never appears in clear: {decoded}");
    let jwks = format!("{dir}/jwks.json");
    let list = w.path("status-1.jwt");
    ok(&w, &["credential", "status-list", "1", "--output", &list]);

    // certif's own verifier, then the independent one: valid, schema-clean, bit clear.
    let (valid, report) = verify(&w, &title_jwt, &jwks, &list);
    assert!(valid, "{report}");
    let results = independent(&w, &jwks, &list, &jwts);
    for result in &results {
        assert_eq!(result["valid"], true, "{result}");
        assert_eq!(result["revoked"], false, "{result}");
        assert_eq!(result["schema_errors"], Value::Array(vec![]), "{result}");
    }

    // Tampered: the payload re-encoded with another achievement, the signature kept.
    let token = std::fs::read_to_string(&title_jwt).unwrap();
    let parts: Vec<&str> = token.trim().split('.').collect();
    let tampered = w.write("tampered.jwt", tamper(&parts).as_bytes());
    let (valid, report) = verify(&w, &tampered, &jwks, &list);
    assert!(!valid && reasons(&report).contains(&"SIGNATURE_INVALID".to_string()), "{report}");

    // A wrong key: another certifier's JWKS.
    let other = Workspace::new();
    other.ok(&["demo", "--learners", "5", "--no-promotions"]);
    ok(&other, &["keys", "generate"]);
    let other_jwks = other.write("jwks.json", ok(&other, &["keys", "list", "--jwks"]).as_bytes());
    let (valid, report) = verify(&w, &title_jwt, &other_jwks, &list);
    assert!(!valid && reasons(&report).contains(&"KEY_UNKNOWN".to_string()), "{report}");

    // Revoked: audited, the bit set in certif's verifier and in the independent one.
    let id = decoded["id"].as_str().unwrap().to_string();
    let empty_reason = w.certif_with(&["credential", "revoke", &id, "--reason", " "], &ENV);
    assert_eq!(empty_reason.status.code(), Some(2));
    ok(&w, &["credential", "revoke", &id, "--reason", "erreur matérielle"]);
    let twice = w.certif_with(&["credential", "revoke", &id, "--reason", "encore"], &ENV);
    assert_eq!(twice.status.code(), Some(2), "{}", stderr(&twice));
    ok(&w, &["credential", "status-list", "1", "--output", &list]);
    let (valid, report) = verify(&w, &title_jwt, &jwks, &list);
    assert!(!valid && reasons(&report) == ["REVOKED"], "{report}");
    let results = independent(&w, &jwks, &list, std::slice::from_ref(&title_jwt));
    assert_eq!(results[0]["revoked"], true, "{}", results[0]);
    assert!(w.ok(&["audit", "log"]).contains("credential"));
    assert!(w.ok(&["audit", "verify"]).contains("intact"));
    let listed: Vec<Value> = serde_json::from_str(&ok(&w, &["credential", "list", &holders[0], "--format", "json"])).unwrap();
    let revoked = listed.iter().find(|c| c["id"] == id.as_str()).unwrap();
    assert_eq!(revoked["revocation_reason"], "erreur matérielle");

    // An appeal that refuses the second holder's title revokes what J1 issued for it: its
    // credentials and its diploma.
    let appellant = &holders[1];
    ok(&w, &["document", "diploma", appellant, "--output", &w.path("appellant-diploma.pdf")]);
    w.ok(&["jury", "appeal", "J1", appellant, "--received-on", &on]);
    w.ok(&["jury", "create", "J2", "--kind", "title", "--date", &on]);
    common::jury::seat_jury(&w, "J2", 4);
    w.ok(&["jury", "candidates", "add", "J2", appellant, "--appeal-of", "J1"]);
    w.ok(&["jury", "open", "J2"]);
    w.ok(&["jury", "deliberate", "J2", appellant, "--outcome", "refuse", "--for", "9", "--against", "0", "--justification", "fraude"]);
    w.ok(&["jury", "close", "J2"]);
    w.ok(&["jury", "sign", "J2", "--as", "Anne Président"]);
    w.ok(&["jury", "publish", "J2", "--on", &on]);
    let listed: Vec<Value> = serde_json::from_str(&ok(&w, &["credential", "list", appellant, "--format", "json"])).unwrap();
    assert!(!listed.is_empty());
    for credential in &listed {
        assert!(credential["revoked_at"].is_string(), "{credential}");
        assert_eq!(credential["revocation_reason"], certif_app::credentials::SUPERSEDED);
    }
    let documents = runtime().block_on(async {
        use certif_store::documents::DocumentStore as _;
        Database::open(&w.url()).await.unwrap().documents_of(appellant).await.unwrap()
    });
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0].revocation_reason.as_deref(), Some(certif_app::credentials::SUPERSEDED), "{documents:?}");
    let appellant_dir = w.path("appellant");
    let files = ok(&w, &["credential", "export", appellant, "--output-dir", &appellant_dir]);
    ok(&w, &["credential", "status-list", "1", "--output", &list]);
    let first = files.lines().next().unwrap();
    let (valid, report) = verify(&w, first, &jwks, &list);
    assert!(!valid && reasons(&report) == ["REVOKED"], "{report}");
}

async fn page(api: &Api, token: Option<&str>, uri: &str) -> (u16, String) {
    let reply = api.get(token, uri).await;
    (reply.status.as_u16(), reply.text())
}

#[test]
fn the_server_publishes_keys_and_lists_and_its_verification_page_says_what_stands() {
    let w = Workspace::new();
    let (_, holders) = published(&w);
    ok(&w, &["keys", "generate"]);
    ok(&w, &["credential", "issue", "--all"]);
    let listed: Vec<Value> = serde_json::from_str(&ok(&w, &["credential", "list", &holders[0], "--format", "json"])).unwrap();
    let title = listed.iter().find(|c| c["achievement"] == "title").unwrap();
    let id = title["id"].as_str().unwrap().trim_start_matches("urn:uuid:").to_string();
    let dir = w.path("out");
    let files = ok(&w, &["credential", "export", &holders[0], "--output-dir", &dir]);
    let title_jwt = std::fs::read_to_string(files.lines().find(|f| f.ends_with("-titre.jwt")).unwrap()).unwrap();

    runtime().block_on(async {
        let db = Database::open(&w.url()).await.unwrap();
        // SAFETY of the test: the base URL the CLI used is the one the server reads.
        let key = signing_key(&db, &Passphrase::new(PASSPHRASE).unwrap()).await.unwrap();
        let hash = certif::server::auth::hash_password(common::api::PASSWORD).unwrap();
        for role in Role::ALL {
            use certif_store::accounts::AccountStore as _;
            let mut account = account(role.as_str(), role, &hash);
            if role == Role::Learner {
                account.learner = Some(holders[0].clone());
            }
            db.add_account(account, "test").await.unwrap();
        }
        let api = Api::on_database(w, db, key);

        // Public, signed in or not: the keys, the list, the page.
        let jwks = api.get(None, "/.well-known/jwks.json").await;
        assert_eq!(jwks.status.as_u16(), 200);
        assert_eq!(jwks.body["keys"][0]["crv"], "Ed25519");
        let list = api.get(None, "/status/1").await;
        assert_eq!(list.status.as_u16(), 200, "{}", list.text());
        assert_eq!(list.headers["content-type"], "application/vc+jwt");
        assert_eq!(api.get(None, "/status/9").await.status.as_u16(), 404);
        let (status, html) = page(&api, None, &format!("/verify/{id}")).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("En vigueur"), "{html}");
        assert!(html.contains("Titre (diplôme)") && html.contains("RNCP39668") && html.contains("19860073600021"), "{html}");
        assert!(!html.contains(&holders[0]), "the page shows the holder only hashed");
        assert_eq!(page(&api, None, "/verify/00000000-0000-4000-8000-000000000000").await.0, 404);
        assert_eq!(page(&api, None, "/verify/..%2F..%2Fetc").await.0, 404);

        // POST /verify: the pasted JWT, then a tampered one.
        let pasted = api.send(json_post("/verify", &serde_json::json!({ "jwt": title_jwt }))).await;
        assert_eq!(pasted.status.as_u16(), 200, "{}", pasted.text());
        assert_eq!(pasted.body["valid"], true, "{}", pasted.body);
        let parts: Vec<&str> = title_jwt.trim().split('.').collect();
        let tampered = tamper(&parts);
        let refused = api.send(json_post("/verify", &serde_json::json!({ "jwt": tampered }))).await;
        assert_eq!(refused.body["valid"], false, "{}", refused.body);
        let form = api.send(form_post("/verify", &format!("jwt={}", title_jwt.trim()))).await;
        assert!(form.text().contains("En vigueur"), "{}", form.text());

        // The learner's page lists the credentials for the holder, the registrar and the admin.
        let learner_page = format!("/apprenants/{}", holders[0]);
        let file = format!("/apprenants/{}/attestations/{id}.jwt", holders[0]);
        for role in Role::ALL {
            let token = api.token(role).await;
            let (status, html) = page(&api, Some(&token), &learner_page).await;
            let (file_status, body) = page(&api, Some(&token), &file).await;
            match role {
                Role::Admin | Role::Registrar | Role::Learner => {
                    assert_eq!(status, 200, "{role:?}");
                    assert!(html.contains(&format!("/verify/{id}")), "{role:?}: {html}");
                    assert_eq!(file_status, 200, "{role:?}");
                    assert_eq!(body.trim(), title_jwt.trim());
                }
                Role::Teacher | Role::Master | Role::Jury => {
                    assert!(!html.contains("/attestations/"), "{role:?} sees no credential");
                    assert_eq!(file_status, 403, "{role:?}");
                }
            }
        }
        let other_learner = format!("/apprenants/{}/attestations/{id}.jwt", holders[1]);
        let learner = api.token(Role::Learner).await;
        assert_eq!(page(&api, Some(&learner), &other_learner).await.0, 404, "another learner's credentials are hidden");

        // Revoked through the CLI: the page and the list say so at once.
        let revoke = api.workspace.certif_with(&["credential", "revoke", &id, "--reason", "erreur matérielle"], &ENV);
        assert!(revoke.status.success(), "{}", stderr(&revoke));
        let (_, html) = page(&api, None, &format!("/verify/{id}")).await;
        assert!(html.contains("RÉVOQUÉE") && html.contains("erreur matérielle"), "{html}");
        let checked = api.send(json_post("/verify", &serde_json::json!({ "jwt": title_jwt }))).await;
        let failed: Vec<&str> = checked.body["checks"].as_array().unwrap().iter().filter_map(|c| c["reason"].as_str()).collect();
        assert_eq!(failed, ["REVOKED"], "{}", checked.body);
    });
}

fn json_post(uri: &str, body: &Value) -> Request<Body> {
    Request::post(uri).header("content-type", "application/json").body(Body::from(body.to_string())).unwrap()
}

fn form_post(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri).header("content-type", "application/x-www-form-urlencoded").body(Body::from(body.to_string())).unwrap()
}
