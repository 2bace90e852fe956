//! The *Imports* page, route × role, on SQLite and PostgreSQL: the registrar and the admin
//! check a spreadsheet (every problem with its line and column, nothing written), then a
//! corrected one (what it would change, nothing written yet), then confirm (written and
//! audited); every other role gets 403 and nobody signed in the sign-in page.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine as _;
use certif::server::ServerConfig;
use certif_store::accounts::Role;
use common::api::{Api, on};
use common::workspace::Workspace;

const BOUNDARY: &str = "certif-test-boundary";

/// A multipart upload of `file` as `kind`, with a bearer token.
fn upload(token: Option<&str>, kind: &str, name: &str, file: &str) -> Request<Body> {
    let body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n\
         --{BOUNDARY}--\r\n"
    );
    let mut request = Request::post("/imports").header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"));
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request.body(Body::from(body)).unwrap()
}

/// A stored mark of A-0001 in M1.1.1 as the API answers it.
async fn mark(api: &Api, token: &str) -> serde_json::Value {
    let dossier = api.get(Some(token), "/api/learners/A-0001/dossier").await;
    assert_eq!(dossier.status, StatusCode::OK, "{:?}", dossier.body);
    dossier.body["marks"].as_array().unwrap().iter().find(|m| m["module"] == "M1.1.1").cloned().unwrap_or_default()
}

const WRONG: &str = "learner_id;module;session1;session2\nA-0001;M1.1.1;17,5;\nA-0002;M1.1.1;21;\n";
const RIGHT: &str = "learner_id;module;session1;session2\nA-0001;M1.1.1;17,5;\nA-0002;M1.1.1;11;\n";

async fn imports_answer_each_role_and_write_only_when_confirmed(api: Arc<Api>) {
    let tokens = api.tokens().await;
    let signed_out = api.get(None, "/imports").await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER, "signed out: the sign-in page");
    assert_eq!(api.send(upload(None, "marks", "notes.csv", RIGHT)).await.status, StatusCode::SEE_OTHER);
    for role in Role::ALL {
        let may = matches!(role, Role::Registrar | Role::Admin);
        let expected = if may { StatusCode::OK } else { StatusCode::FORBIDDEN };
        assert_eq!(api.get(Some(&tokens[&role]), "/imports").await.status, expected, "GET /imports as {role:?}");
        if !may {
            let refused = api.send(upload(Some(&tokens[&role]), "marks", "notes.csv", RIGHT)).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "POST /imports as {role:?}");
            let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(RIGHT);
            let confirm = api.form(&tokens[&role], "/imports/confirmer", &format!("kind=marks&file=notes.csv&payload={payload}")).await;
            assert_eq!(confirm.status, StatusCode::FORBIDDEN, "POST /imports/confirmer as {role:?}");
        }
    }
    let registrar = tokens[&Role::Registrar].clone();
    let before = mark(&api, &registrar).await;
    assert!(api.get(Some(&registrar), "/cohorte").await.text().contains("href=\"/imports\""), "the navigation leads to it");
    assert!(!api.get(Some(&tokens[&Role::Teacher]), "/notes").await.text().contains("href=\"/imports\""));

    // A file with an error: every problem with its line and column, in French; nothing written.
    let wrong = api.send(upload(Some(&registrar), "marks", "notes.csv", WRONG)).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = wrong.text();
    assert!(page.contains("notes.csv:3:3: session1 : 21 n&#39;est pas entre 0 et 20"), "{page}");
    assert!(!page.contains("/imports/confirmer"), "nothing to confirm");
    assert_eq!(mark(&api, &registrar).await, before, "a file with a problem writes nothing");

    // The corrected file: what it would change, still nothing written.
    let right = api.send(upload(Some(&registrar), "marks", "notes.csv", RIGHT)).await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.text());
    let page = right.text();
    assert!(page.contains("2 lignes") && page.contains("essai"), "{page}");
    assert_eq!(mark(&api, &registrar).await, before, "a check writes nothing");
    let payload = page.split("name=\"payload\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("the confirmation form");

    // Confirmed: written and audited.
    let done = api.form(&registrar, "/imports/confirmer", &format!("kind=marks&file=notes.csv&payload={payload}")).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert!(done.text().contains("Import effectué"), "{}", done.text());
    assert_eq!(mark(&api, &registrar).await["session1"], serde_json::json!(17.5));
    let entries = {
        use certif_store::Store as _;
        api.state.db.audit_log(Some("A-0001")).await.unwrap()
    };
    assert!(entries.iter().any(|e| e.actor == "registrar" && e.entity == "marks"), "audited as the registrar");

    // A tampered confirmation is read and checked again: refused, nothing written.
    let tampered = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(WRONG.replace("17,5", "3"));
    let refused = api.form(&registrar, "/imports/confirmer", &format!("kind=marks&file=notes.csv&payload={tampered}")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(mark(&api, &registrar).await["session1"], serde_json::json!(17.5), "a tampered confirmation writes nothing");
}

#[test]
fn imports_answer_each_role_and_write_only_when_confirmed_on_sqlite() {
    on(Workspace::new(), ServerConfig::default(), imports_answer_each_role_and_write_only_when_confirmed);
}

#[test]
fn imports_answer_each_role_and_write_only_when_confirmed_on_postgres() {
    let Some(workspace) = Workspace::on_postgres("imports_page") else { return };
    on(workspace, ServerConfig::default(), imports_answer_each_role_and_write_only_when_confirmed);
}
