//! The OpenAPI document (`GET /api/openapi.json`): pinned by a snapshot, valid OpenAPI 3.1 by
//! an independent tool (openapi-spec-validator, crates/certif/tests/requirements.txt), every
//! route of the router in it, every body with a schema, and the API's real answers matching
//! the schemas the document gives them.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use certif_store::accounts::Role;
use common::api::{Api, runtime};
use serde_json::{Value, json};

/// Every route of `server::api::router` (the web pages excepted), as the document names them.
const ROUTES: [(&str, &str); 35] = [
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/metrics"),
    ("get", "/api/openapi.json"),
    ("get", "/api/docs"),
    ("post", "/api/auth/login"),
    ("post", "/api/auth/logout"),
    ("get", "/api/learners"),
    ("get", "/api/learners/{id}"),
    ("get", "/api/learners/{id}/decision"),
    ("get", "/api/learners/{id}/dossier"),
    ("post", "/api/learners/{id}/what-if"),
    ("get", "/api/learners/{id}/accommodations"),
    ("put", "/api/learners/{id}/marks/{module}"),
    ("put", "/api/learners/{id}/company-periods/{period}"),
    ("get", "/api/referentials/{code}"),
    ("get", "/api/curricula"),
    ("get", "/api/curricula/{id}"),
    ("get", "/api/juries"),
    ("post", "/api/juries"),
    ("get", "/api/juries/{id}"),
    ("post", "/api/juries/{id}/members"),
    ("delete", "/api/juries/{id}/members/{name}"),
    ("post", "/api/juries/{id}/candidates"),
    ("delete", "/api/juries/{id}/candidates/{learner}"),
    ("post", "/api/juries/{id}/candidates/{learner}/points"),
    ("post", "/api/juries/{id}/candidates/{learner}/deliberation"),
    ("post", "/api/juries/{id}/candidates/{learner}/appeal"),
    ("post", "/api/juries/{id}/open"),
    ("post", "/api/juries/{id}/close"),
    ("post", "/api/juries/{id}/sign"),
    ("post", "/api/juries/{id}/publish"),
    ("get", "/api/juries/{id}/minutes"),
    ("get", "/api/holders"),
    ("get", "/api/learners/{id}/jury-decisions"),
];

/// The document as the running router serves it (no account needed).
async fn served(api: &Api) -> Value {
    let reply = api.get(None, "/api/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

fn document() -> Value {
    runtime().block_on(async { served(&Api::demo().await).await })
}

#[test]
fn the_document_is_the_snapshot() {
    let document = document();
    insta::assert_snapshot!("openapi", serde_json::to_string_pretty(&document).unwrap());
}

#[test]
fn every_route_is_documented_with_its_bodies_and_errors() {
    let document = document();
    let paths = document["paths"].as_object().expect("paths");
    let documented: BTreeSet<(String, String)> =
        paths.iter().flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |method| (method.clone(), path.clone()))).collect();
    let routes: BTreeSet<(String, String)> = ROUTES.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, routes, "the document lists exactly the router's routes");

    let schemas = document["components"]["schemas"].as_object().expect("components.schemas");
    let mut problems = Vec::new();
    for (method, path) in &routes {
        let operation = &paths[path][method];
        let at = format!("{} {path}", method.to_uppercase());
        if let Some(body) = operation.get("requestBody") {
            check_content(&format!("{at} request"), &body["content"], schemas, &mut problems);
        }
        let responses = operation["responses"].as_object().expect("responses");
        assert!(responses.keys().any(|s| s.starts_with('2')), "{at}: no success response");
        for (status, response) in responses {
            let at = format!("{at} {status}");
            match response.get("content") {
                None if status == "204" => {}
                None => problems.push(format!("{at}: no body described")),
                Some(content) => check_content(&at, content, schemas, &mut problems),
            }
            if !status.starts_with('2') && response["content"]["application/json"]["schema"]["$ref"] != "#/components/schemas/ErrorBody" {
                problems.push(format!("{at}: an error whose body is not ErrorBody"));
            }
        }
        let errors: Vec<&String> = responses.keys().filter(|s| !s.starts_with('2')).collect();
        let public = ["/healthz", "/readyz", "/metrics", "/api/openapi.json", "/api/docs", "/api/auth/login"].contains(&path.as_str());
        if !public && !errors.contains(&&"401".to_string()) {
            problems.push(format!("{at}: a route behind sign-in without its 401"));
        }
    }
    // Every schema referred to exists.
    let mut refs = Vec::new();
    collect_refs(&document, &mut refs);
    for reference in refs {
        let name = reference.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("a ref outside the schemas: {reference}"));
        if !schemas.contains_key(name) {
            problems.push(format!("{reference} refers to no schema"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// A body's media types each have a schema, and none is an untyped `{}`.
fn check_content(at: &str, content: &Value, schemas: &serde_json::Map<String, Value>, problems: &mut Vec<String>) {
    let Some(media) = content.as_object().filter(|m| !m.is_empty()) else {
        problems.push(format!("{at}: an empty content"));
        return;
    };
    for (kind, entry) in media {
        match entry.get("schema") {
            None => problems.push(format!("{at} {kind}: no schema")),
            Some(schema) if untyped(schema, schemas) => problems.push(format!("{at} {kind}: an untyped schema {schema}")),
            Some(_) => {}
        }
    }
}

/// A schema that says nothing of its value: `{}`, or an object with neither properties nor
/// their type (what `Object`/`Value` give), itself or as the items of an array.
fn untyped(schema: &Value, schemas: &serde_json::Map<String, Value>) -> bool {
    if let Some(reference) = schema["$ref"].as_str() {
        return reference.strip_prefix("#/components/schemas/").and_then(|name| schemas.get(name)).is_none_or(|s| untyped(s, schemas));
    }
    if let Some(items) = schema.get("items") {
        return untyped(items, schemas);
    }
    let says = ["type", "oneOf", "anyOf", "allOf", "enum", "const"];
    let object = schema.as_object().expect("a schema is an object");
    !says.iter().any(|key| object.contains_key(*key))
        || (schema["type"] == "object" && !object.contains_key("properties") && !object.contains_key("additionalProperties"))
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(reference)) => out.push(reference.clone()),
                    _ => collect_refs(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Runs the independent checker on the document (and on `samples`, real answers); `None`
/// when the tool is absent (a failure unless `CERTIF_TEST_ALLOW_SKIP` is set).
fn checker(document: &Value, samples: Option<&Value>) -> Option<std::process::Output> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec(document).unwrap()).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/openapi_check.py");
    let mut command = std::process::Command::new("python3");
    command.arg(script).arg(&file);
    if let Some(samples) = samples {
        let samples_file = dir.path().join("samples.json");
        std::fs::write(&samples_file, serde_json::to_vec(samples).unwrap()).unwrap();
        command.arg(&samples_file);
    }
    match command.output() {
        Err(error) => {
            common::absent(&format!("python3 cannot run ({error}): the OpenAPI document cannot be validated"));
            None
        }
        Ok(output) if output.status.code() == Some(3) => {
            common::absent(&format!(
                "openapi-spec-validator is absent (pip install -r crates/certif/tests/requirements.txt): {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
            None
        }
        Ok(output) => Some(output),
    }
}

#[test]
fn the_document_validates_as_openapi_3_1() {
    let document = document();
    assert!(document["openapi"].as_str().is_some_and(|v| v.starts_with("3.1.")), "{}", document["openapi"]);
    let Some(output) = checker(&document, None) else { return };
    assert!(output.status.success(), "{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
}

/// The answers of every JSON route, as the demo gives them, match the document's schemas:
/// the schemas describe the JSON on the wire, not only the Rust types.
#[test]
fn real_answers_match_their_schemas() {
    let (document, samples) = runtime().block_on(async {
        let api = Api::demo().await;
        let document = served(&api).await;
        let admin = api.token(Role::Admin).await;
        let learner = api.token(Role::Learner).await;
        let mut samples = Vec::new();
        let mut sample = |method: &str, path: &str, reply: common::api::Reply| {
            samples.push(json!({"method": method, "path": path, "status": reply.status.as_u16(), "body": reply.body}));
        };
        sample("post", "/api/auth/login", api.login("jury", common::api::PASSWORD).await);
        sample("post", "/api/auth/login", api.login("jury", "wrong").await);
        for (path, uri, token) in [
            ("/api/learners", "/api/learners", &admin),
            ("/api/learners", "/api/learners?on=2030-09-30", &admin),
            ("/api/learners", "/api/learners?on=tomorrow", &admin),
            ("/api/learners/{id}", "/api/learners/A-0001", &admin),
            ("/api/learners/{id}", "/api/learners/A-0002", &learner),
            ("/api/learners/{id}/decision", "/api/learners/A-0001/decision", &admin),
            ("/api/learners/{id}/decision", "/api/learners/A-0007/decision?on=2030-09-30", &admin),
            ("/api/learners/{id}/dossier", "/api/learners/A-0001/dossier", &admin),
            ("/api/learners/{id}/dossier", "/api/learners/A-0003/dossier", &learner),
            ("/api/learners/{id}/accommodations", "/api/learners/A-0001/accommodations", &admin),
            ("/api/referentials/{code}", "/api/referentials/RNCP39668", &admin),
            ("/api/referentials/{code}", "/api/referentials/RNCP00000", &admin),
            ("/api/curricula", "/api/curricula", &admin),
            ("/api/curricula/{id}", "/api/curricula/ENSMA-GIAE-DEMO", &admin),
        ] {
            sample("get", path, api.get(Some(token), uri).await);
        }
        for id in ["A-0001", "A-0002", "A-0005", "A-0010", "A-0020", "A-0040", "A-0068"] {
            sample("get", "/api/learners/{id}/decision", api.get(Some(&admin), &format!("/api/learners/{id}/decision")).await);
            sample("get", "/api/learners/{id}/dossier", api.get(Some(&admin), &format!("/api/learners/{id}/dossier")).await);
        }
        sample("get", "/api/learners", api.get(None, "/api/learners").await);
        let what_if =
            json!({"marks": [{"module": "M1.1.1", "session1": 4}], "english": [{"test": "CLES", "score": "B1", "date": "2026-01-10"}]});
        sample("post", "/api/learners/{id}/what-if", api.post(&admin, "/api/learners/A-0001/what-if", what_if).await);
        sample("post", "/api/learners/{id}/what-if", api.post(&admin, "/api/learners/A-0001/what-if", json!({"marks": 3})).await);
        let mark = "/api/learners/{id}/marks/{module}";
        sample(
            "put",
            mark,
            api.put(&admin, "/api/learners/A-0001/marks/M1.1.1", json!({"session1": "12,5", "session2": "ABJ"}), None).await,
        );
        sample("put", mark, api.put(&admin, "/api/learners/A-0001/marks/M1.1.1", json!({"session1": null}), None).await);
        sample("put", mark, api.put(&admin, "/api/learners/A-0001/marks/M1.1.1", json!({"session3": 1}), None).await);
        sample("put", mark, api.put(&admin, "/api/learners/A-0001/marks/M1.1.1", json!({"session1": 1}), Some("\"1\"")).await);
        let period = "/api/learners/{id}/company-periods/{period}";
        sample("put", period, api.put(&admin, "/api/learners/A-0001/company-periods/P1", json!({"evaluation": 14}), None).await);
        sample(
            "put",
            period,
            api.put(
                &admin,
                "/api/learners/A-0001/company-periods/P9",
                json!({"evaluation": "ABI", "start": "2026-01-05", "end": "2026-03-27"}),
                None,
            )
            .await,
        );
        sample("put", period, api.put(&learner, "/api/learners/A-0001/company-periods/P1", json!({"evaluation": 14}), None).await);
        jury_samples(&api, &admin, &mut sample).await;
        (document, Value::Array(samples))
    });
    let statuses: BTreeSet<u64> = samples.as_array().unwrap().iter().map(|s| s["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, BTreeSet::from([200, 201, 401, 403, 404, 409, 412, 422]), "the samples cover answers and errors");
    let Some(output) = checker(&document, Some(&samples)) else { return };
    assert!(output.status.success(), "{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
}

/// A jury session through its life (spec/jury.md), each JSON answer sampled: the session as it
/// stands, deliberations, the minutes, holders, a learner's published decisions, refusals
/// with their reasons.
async fn jury_samples(api: &Api, admin: &str, sample: &mut impl FnMut(&str, &str, common::api::Reply)) {
    let ok = |reply: &common::api::Reply, what: &str| assert!(reply.status.is_success(), "{what}: {:?}", reply.body);
    let created = api.post(admin, "/api/juries", json!({"id": "s1", "kind": "title", "date": "2026-09-18"})).await;
    ok(&created, "create");
    sample("post", "/api/juries", created);
    sample("post", "/api/juries", api.post(admin, "/api/juries", json!({"id": "s1", "kind": "title", "date": "2026-09-18"})).await);
    sample("post", "/api/juries/{id}/open", api.post(admin, "/api/juries/s1/open", json!(null)).await);
    let mut seats =
        vec![("Anne Président", "president"), ("Bruno Études", "director_of_studies"), ("Claire Alternance", "alternance_manager")];
    seats.extend([("Denis Cnam", "partner_training_manager"), ("Eva Cfa", "cfa_director")]);
    let teachers: Vec<String> = (1..=4).map(|n| format!("Enseignant {n}")).collect();
    seats.extend(teachers.iter().map(|t| (t.as_str(), "teacher")));
    for (name, role) in seats {
        ok(&api.post(admin, "/api/juries/s1/members", json!({"name": name, "role": role})).await, "member");
    }
    let added = api.post(admin, "/api/juries/s1/candidates", json!({"all": true})).await;
    ok(&added, "candidates");
    sample("post", "/api/juries/{id}/candidates", added);
    sample("get", "/api/juries/{id}", api.get(Some(admin), "/api/juries/s1").await);
    ok(&api.post(admin, "/api/juries/s1/open", json!(null)).await, "open");
    let shown = api.get(Some(admin), "/api/juries/s1").await;
    let candidates = shown.body["candidates"].as_array().unwrap().clone();
    let first = &candidates[0];
    let finals = first["proposal"]["blocks"].as_array().unwrap().iter().flat_map(|b| b["ues"].as_array().unwrap().iter());
    let module = finals.flat_map(|u| u["finals"].as_object().unwrap().iter()).find(|(_, f)| !f.is_null()).unwrap().0.clone();
    let learner = first["learner"].as_str().unwrap().to_string();
    let points = json!({"module": module, "points": "0,5", "justification": "assiduité"});
    ok(&api.post(admin, &format!("/api/juries/s1/candidates/{learner}/points"), points).await, "points");
    for candidate in &candidates {
        let id = candidate["learner"].as_str().unwrap();
        let vote = if candidate["proposal"]["title"]["status"] == "awarded" {
            json!({"outcome": "award", "for": 4, "against": 4, "casting_vote": "for"})
        } else {
            json!({"outcome": "defer", "for": 9, "against": 0, "expected": "rattrapage", "by": "2027-01-31", "justification": "à revoir"})
        };
        let reply = api.post(admin, &format!("/api/juries/s1/candidates/{id}/deliberation"), vote).await;
        ok(&reply, "deliberation");
        sample("post", "/api/juries/{id}/candidates/{learner}/deliberation", reply);
    }
    let wrong = json!({"outcome": "award", "for": 1, "against": 9});
    sample(
        "post",
        "/api/juries/{id}/candidates/{learner}/deliberation",
        api.post(admin, &format!("/api/juries/s1/candidates/{learner}/deliberation"), wrong).await,
    );
    sample("get", "/api/juries/{id}", api.get(Some(admin), "/api/juries/s1").await);
    sample("post", "/api/juries/{id}/close", api.post(admin, "/api/juries/s1/close", json!(null)).await);
    sample(
        "post",
        "/api/juries/{id}/members",
        api.post(admin, "/api/juries/s1/members", json!({"name": "Tard Venu", "role": "teacher"})).await,
    );
    sample("post", "/api/juries/{id}/sign", api.post(admin, "/api/juries/s1/sign", json!({"as": "Anne Président"})).await);
    sample("post", "/api/juries/{id}/publish", api.post(admin, "/api/juries/s1/publish", json!({"on": "2026-09-25"})).await);
    ok(
        &api.post(admin, &format!("/api/juries/s1/candidates/{learner}/appeal"), json!({"received_on": "2026-10-01", "note": "recours"}))
            .await,
        "appeal",
    );
    sample("get", "/api/juries/{id}/minutes", api.get(Some(admin), "/api/juries/s1/minutes").await);
    sample("get", "/api/juries/{id}", api.get(Some(admin), "/api/juries/s1").await);
    sample("get", "/api/juries", api.get(Some(admin), "/api/juries").await);
    sample("get", "/api/holders", api.get(Some(admin), "/api/holders").await);
    sample("get", "/api/learners/{id}/jury-decisions", api.get(Some(admin), &format!("/api/learners/{learner}/jury-decisions")).await);
    sample("get", "/api/juries/{id}", api.get(Some(admin), "/api/juries/nowhere").await);
}
