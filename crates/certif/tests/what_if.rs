//! `POST /api/learners/{id}/what-if` (spec/evaluation.md §7, issue 11): hypothetical marks and
//! evidence merged over the stored record, decided by the one engine, never stored nor audited;
//! every role as for the decision route, health data redacted, CSRF with the cookie, bad input
//! 422 with its path. Storage-involved scenarios run on SQLite and on PostgreSQL.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use certif::server::ServerConfig;
use certif_store::Store as _;
use certif_store::accounts::{AccountStore as _, Role};
use common::api::{Api, PASSWORD, account, names_level, on, runtime};
use common::workspace::Workspace;
use serde_json::{Value, json};

const ON: &str = "2026-09-18";

/// Everything stored that a write would change: every record, the audit log and its head.
async fn stored(api: &Api) -> String {
    let db = &*api.state.db;
    format!("{:?}\n{:?}\n{:?}", db.all_records().await.unwrap(), db.audit_log(None).await.unwrap(), db.audit_head().await.unwrap())
}

/// A mark in hundredths as the JSON number a dossier carries (`6`, `5.99`).
fn mark_number(hundredths: i64) -> Value {
    serde_json::from_str(&format!("{}.{:02}", hundredths / 100, hundredths % 100)).unwrap()
}

fn hundredths(text: &str) -> i64 {
    let (units, cents) = text.split_once('.').unwrap();
    units.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap()
}

/// A learner who is not awarded for their marks alone: the `together` mark given to every
/// changeable module of every UE turns them awarded; 0.01 less does not; nothing is stored.
async fn the_together_mark_is_exactly_what_it_takes(api: Arc<Api>) {
    let registrar = api.token(Role::Registrar).await;
    let decision = api.get(Some(&registrar), &format!("/api/learners/A-0004/decision?on={ON}")).await.body;
    assert_eq!(decision["title"]["status"], "not_awarded", "{decision}");
    assert_eq!(decision["what_it_takes"]["conditions"], json!({}), "only marks are missing: {decision}");
    let ues = decision["what_it_takes"]["ues"].as_array().unwrap().clone();
    assert!(!ues.is_empty());
    let before = stored(&api).await;

    let suppose = |shift: i64| {
        let mut marks = Vec::new();
        for ue in &ues {
            let together = hundredths(ue["together"].as_str().unwrap()) + shift;
            for alone in ue["alone"].as_array().unwrap() {
                let mut mark = serde_json::Map::new();
                mark.insert("module".into(), alone["module"].clone());
                mark.insert(format!("session{}", alone["session"]), mark_number(together));
                marks.push(Value::Object(mark));
            }
        }
        json!({"on": ON, "marks": marks})
    };
    let uri = "/api/learners/A-0004/what-if";
    let enough = api.post(&registrar, uri, suppose(0)).await;
    assert_eq!(enough.status, StatusCode::OK, "{:?}", enough.body);
    assert_eq!(enough.body["title"]["status"], "awarded", "{}", enough.body);
    assert_eq!(enough.body["what_it_takes"], json!({"ues": [], "conditions": {}}));
    assert_eq!(enough.body["evaluated_on"], ON);
    let short = api.post(&registrar, uri, suppose(-1)).await;
    assert_eq!(short.status, StatusCode::OK, "{:?}", short.body);
    assert_eq!(short.body["title"]["status"], "not_awarded", "0.01 less is not enough: {}", short.body);

    // No hypothesis at all: the decision itself.
    assert_eq!(api.post(&registrar, uri, json!({"on": ON})).await.body, decision);

    // Evidence: a company period evaluated, a stay abroad, an English result (A-0006, A-0007, A-0009).
    let period =
        api.post(&registrar, "/api/learners/A-0006/what-if", json!({"on": ON, "company_periods": [{"id": "P3", "evaluation": 10}]})).await;
    assert_eq!(period.body["title"]["status"], "awarded", "{}", period.body);
    let stay = json!({"on": ON, "mobility": [{"country": "DE", "start": "2025-03-03", "end": "2025-05-04"}]});
    assert_eq!(api.post(&registrar, "/api/learners/A-0008/what-if", stay).await.body["conditions"]["mobility"]["status"], "met");
    let english = json!({"on": ON, "english": [{"test": "TOEIC_LR", "score": 785, "date": "2026-05-02"}]});
    assert_eq!(api.post(&registrar, "/api/learners/A-0009/what-if", english).await.body["conditions"]["english"]["status"], "met");

    // Bad input: 422 naming the field in the request, nothing else.
    let bad: [(Value, &str); 8] = [
        (json!({"marks": [{"module": "M1.1.1", "session2": 21}]}), "marks[0].session2"),
        (json!({"marks": [{"module": "M1.1.1", "session1": 12.5}, {"module": "M1.1.2", "session1": 12.345}]}), "marks[1].session1"),
        (json!({"marks": [{"module": "M9.9.9", "session1": 12}]}), "marks[0].module"),
        (json!({"marks": [{"module": "M1.1.1", "session3": 12}]}), "marks[0].session3"),
        (json!({"company_periods": [{"id": "P99", "evaluation": 12}]}), "company_periods[0].start"),
        (json!({"mobility": [{"country": "de", "start": "2025-03-03", "end": "2025-05-04"}]}), "mobility[0].country"),
        (json!({"english": [{"test": "TOEIC_XX", "score": 785, "date": "2026-05-02"}]}), "english[0].test"),
        (json!({"on": "2026-02-30"}), "on"),
    ];
    for (body, field) in bad {
        let reply = api.post(&registrar, uri, body.clone()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {:?}", reply.body);
        assert_eq!(reply.body["error"]["field"], field, "{body}: {:?}", reply.body);
    }
    let unknown = api.post(&registrar, uri, json!({"accommodations": []})).await;
    assert_eq!((unknown.status, unknown.body["error"]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("accommodations")));
    let not_json =
        Request::post(uri).header(header::AUTHORIZATION, format!("Bearer {registrar}")).body(Body::from("{\"marks\": [")).unwrap();
    assert_eq!(api.send(not_json).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let huge = format!("{{\"marks\": [{}]}}", vec!["{\"module\": \"M1.1.1\"}"; 5000].join(","));
    let huge = Request::post(uri).header(header::AUTHORIZATION, format!("Bearer {registrar}")).body(Body::from(huge)).unwrap();
    assert_eq!(api.send(huge).await.status, StatusCode::PAYLOAD_TOO_LARGE);

    assert_eq!(stored(&api).await, before, "a what-if stores nothing and audits nothing");
    let after = api.get(Some(&registrar), &format!("/api/learners/A-0004/decision?on={ON}")).await.body;
    assert_eq!(after, decision, "the stored decision is unchanged");
}

#[test]
fn the_together_mark_is_exactly_what_it_takes_on_sqlite() {
    on(Workspace::new(), ServerConfig::default(), the_together_mark_is_exactly_what_it_takes);
}

#[test]
fn the_together_mark_is_exactly_what_it_takes_on_postgres() {
    let Some(workspace) = Workspace::on_postgres("whatif") else { return };
    on(workspace, ServerConfig::default(), the_together_mark_is_exactly_what_it_takes);
}

/// With the session cookie the what-if needs the CSRF token, like every POST; with a bearer
/// token it does not.
async fn with_the_cookie_a_what_if_needs_the_csrf_token(api: Arc<Api>) {
    let reply = api.login("registrar", PASSWORD).await;
    let cookie = reply.headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_string();
    let (token, csrf) = (reply.body["token"].as_str().unwrap().to_string(), reply.body["csrf"].as_str().unwrap().to_string());
    let before = stored(&api).await;
    let post = |cookie: Option<&str>, bearer: Option<&str>, csrf: Option<&str>| {
        let mut request = Request::post("/api/learners/A-0003/what-if").header(header::CONTENT_TYPE, "application/json");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(token) = bearer {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        request.body(Body::from(json!({"marks": [{"module": "M1.1.1", "session2": 12}]}).to_string())).unwrap()
    };
    assert_eq!(api.send(post(Some(&cookie), None, None)).await.status, StatusCode::FORBIDDEN, "a cookie without the CSRF token");
    assert_eq!(api.send(post(Some(&cookie), None, Some("wrong"))).await.status, StatusCode::FORBIDDEN, "a wrong CSRF token");
    assert_eq!(api.send(post(Some(&cookie), None, Some(&csrf))).await.status, StatusCode::OK);
    assert_eq!(api.send(post(None, Some(&token), None)).await.status, StatusCode::OK, "a bearer token needs none");
    assert_eq!(stored(&api).await, before);
}

#[test]
fn with_the_cookie_a_what_if_needs_the_csrf_token_on_sqlite() {
    on(Workspace::new(), ServerConfig::default(), with_the_cookie_a_what_if_needs_the_csrf_token);
}

#[test]
fn with_the_cookie_a_what_if_needs_the_csrf_token_on_postgres() {
    let Some(workspace) = Workspace::on_postgres("whatifcsrf") else { return };
    on(workspace, ServerConfig::default(), with_the_cookie_a_what_if_needs_the_csrf_token);
}

/// Every role asks as it reads the decision: allowed, 403, or 404 where existence must not
/// leak (a learner asks about themselves only); signed out, 401. An empty what-if is the decision.
#[test]
fn every_role_asks_what_if_as_it_reads_the_decision() {
    runtime().block_on(async {
        let api = Api::demo().await;
        let tokens = api.tokens().await;
        let cases: [(&str, [u16; 6]); 4] = [
            ("A-0001", [200, 200, 200, 200, 200, 200]),
            ("A-0002", [200, 200, 200, 403, 404, 200]),
            ("A-0004", [200, 200, 200, 403, 404, 200]),
            ("A-9999", [404, 404, 404, 404, 404, 404]),
        ];
        for (id, statuses) in cases {
            let uri = format!("/api/learners/{id}/what-if");
            for (role, status) in Role::ALL.into_iter().zip(statuses) {
                let token = &tokens[&role];
                let reply = api.post(token, &uri, json!({"on": ON})).await;
                assert_eq!(reply.status.as_u16(), status, "POST {uri} as {}: {:?}", role.as_str(), reply.body);
                let decision = api.get(Some(token), &format!("/api/learners/{id}/decision?on={ON}")).await;
                assert_eq!(decision.status, reply.status, "as the decision route, for {}", role.as_str());
                if status == 200 {
                    assert_eq!(reply.body, decision.body, "an empty what-if is the decision, for {}", role.as_str());
                }
            }
            let signed_out = Request::post(&uri).header(header::CONTENT_TYPE, "application/json").body(Body::from("{}")).unwrap();
            assert_eq!(api.send(signed_out).await.status, StatusCode::UNAUTHORIZED, "POST {uri} signed out");
        }
        // A learner's 404 comes before any look at the request: nothing about another learner leaks.
        let bad = api.post(&tokens[&Role::Learner], "/api/learners/A-0002/what-if", json!({"marks": [{"module": "M9"}]})).await;
        assert_eq!(bad.status, StatusCode::NOT_FOUND);
        let bad = api.post(&tokens[&Role::Master], "/api/learners/A-0002/what-if", json!({"marks": [{"module": "M9"}]})).await;
        assert_eq!(bad.status, StatusCode::FORBIDDEN);
    });
}

/// A-0011's English target is adapted (B1): a what-if answers it to those who may see health
/// data only, and roles that may not cannot probe it with hypothetical English results.
#[test]
fn an_adapted_english_target_is_not_told_by_a_what_if() {
    runtime().block_on(async {
        let api = Api::demo().await;
        api.with_adapted_learner_below_target().await;

        let uri = "/api/learners/A-0011/what-if";
        let english = json!({"on": ON, "english": [{"test": "TOEIC_LR", "score": 600, "date": "2026-05-02"}]});
        for (username, sees) in
            [("admin", true), ("registrar", true), ("learner-11", true), ("teacher", false), ("master-11", false), ("jury", false)]
        {
            let token = api.login(username, PASSWORD).await.body["token"].as_str().unwrap().to_string();
            let reply = api.post(&token, uri, json!({"on": ON, "marks": [{"module": "M1.1.1", "session1": 15}]})).await;
            assert_eq!(reply.status, StatusCode::OK, "{username}: {:?}", reply.body);
            assert_eq!(reply.body["conditions"]["english"]["status"], "unmet", "{username}");
            assert_eq!(names_level(&reply.body.to_string(), "B1"), sees, "{username}: the what-if names B1? {}", reply.body);
            assert_eq!(reply.body["what_it_takes"]["conditions"].get("english").is_some(), sees, "{username}");
            let probe = api.post(&token, uri, english.clone()).await;
            if sees {
                assert_eq!(probe.status, StatusCode::OK, "{username}: {:?}", probe.body);
                assert_eq!(probe.body["conditions"]["english"]["status"], "met", "600 at TOEIC certifies B1: {}", probe.body);
            } else {
                assert_eq!(probe.status, StatusCode::FORBIDDEN, "{username} may not probe the target: {:?}", probe.body);
            }
        }
    });
}

/// The learner's page says what it would take, above the details, to the learner, their master,
/// the registrar, the admin and the jury (who deliberates on it, spec/jury.md §10) — in words,
/// French decimals — and not to the teacher.
#[test]
fn the_learner_page_says_what_it_would_take_to_those_who_read_it() {
    runtime().block_on(async {
        let api = Api::demo().await;
        let hash = certif::server::auth::hash_password(PASSWORD).unwrap();
        let mut master = account("master-4", Role::Master, &hash);
        master.apprentices = vec!["A-0004".into()];
        let mut learner = account("learner-4", Role::Learner, &hash);
        learner.learner = Some("A-0004".into());
        api.state.db.add_account(master, "test").await.unwrap();
        api.state.db.add_account(learner, "test").await.unwrap();
        for (username, shown) in
            [("admin", true), ("registrar", true), ("master-4", true), ("learner-4", true), ("teacher", false), ("jury", true)]
        {
            let token = api.login(username, PASSWORD).await.body["token"].as_str().unwrap().to_string();
            let page = api.get(Some(&token), "/apprenants/A-0004").await;
            assert_eq!(page.status, StatusCode::OK, "{username}");
            let html = page.text();
            assert_eq!(html.contains("Ce qu&#39;il faudrait"), shown, "{username} reads what it would take?");
            if !shown {
                continue;
            }
            let section = &html[html.find("class=\"what-it-takes\"").unwrap()..];
            let section = &section[..section.find("</section>").unwrap()];
            assert!(html.find("what-it-takes").unwrap() < html.find("Conditions de délivrance").unwrap(), "above the details");
            assert!(section.contains("M1.1.1 — Analyse numérique") && section.contains("rattrapage"), "{section}");
            assert!(section.contains("6,00") && !section.contains("6.00"), "a decimal comma: {section}");
            assert!(!section.contains("BELOW") && !section.contains("MISSING") && !section.contains("null"), "no raw codes: {section}");

            let html = api.get_in_english(&token, "/apprenants/A-0004").await.text();
            assert!(html.contains("What it would take") && html.contains("6.00") && html.contains("resit"), "{username}: in English");
        }
        // Nothing to take for an awarded title: no section.
        let registrar = api.token(Role::Registrar).await;
        assert!(!api.get(Some(&registrar), "/apprenants/A-0001").await.text().contains("what-it-takes"));
        // Conditions in words: a stay abroad too short, by how much.
        let page = api.get(Some(&registrar), "/apprenants/A-0007").await.text();
        assert!(page.contains("Au moins 63 jours à l&#39;étranger") && page.contains("il manque 23 jours"), "{page}");
    });
}
