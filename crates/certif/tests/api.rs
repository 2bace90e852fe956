//! The HTTP API end to end on the demo database: every route, every role — what each may do,
//! what each is refused (403, or 404 where existence must not leak) — sign-in, lock-out, CSRF,
//! optimistic concurrency, invalid input, and the audit trail of API writes.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use certif_store::accounts::Role;
use common::api::{Api, PASSWORD, runtime};
use common::workspace::Workspace;
use serde_json::{Value, json};

/// Expected status per role, in `Role::ALL` order: admin, registrar, teacher, master, learner, jury.
fn expect(statuses: [u16; 6]) -> Vec<(Role, StatusCode)> {
    Role::ALL.into_iter().zip(statuses.map(|s| StatusCode::from_u16(s).unwrap())).collect()
}

#[test]
fn every_route_answers_each_role_as_spec_api_says() {
    runtime().block_on(async {
        let api = Api::demo().await;
        let tokens = api.tokens().await;
        let token = |role: Role| tokens[&role].clone();

        let reads: [(&str, [u16; 6]); 12] = [
            ("/api/learners", [200, 200, 200, 200, 200, 200]),
            ("/api/learners/A-0001", [200, 200, 200, 200, 200, 200]),
            ("/api/learners/A-0002", [200, 200, 200, 403, 404, 200]),
            ("/api/learners/A-0001/decision?on=2026-09-18", [200, 200, 200, 200, 200, 200]),
            ("/api/learners/A-0002/decision?on=2026-09-18", [200, 200, 200, 403, 404, 200]),
            ("/api/learners/A-0002/dossier", [200, 200, 200, 403, 404, 200]),
            ("/api/learners/A-0001/accommodations", [200, 200, 403, 403, 200, 403]),
            ("/api/learners/A-0011/accommodations", [200, 200, 403, 403, 404, 403]),
            ("/api/referentials/RNCP39668", [200, 200, 200, 200, 200, 200]),
            ("/api/referentials/RNCP00000", [404, 404, 404, 404, 404, 404]),
            ("/api/curricula", [200, 200, 200, 200, 200, 200]),
            ("/api/curricula/ENSMA-GIAE-DEMO", [200, 200, 200, 200, 200, 200]),
        ];
        for (uri, statuses) in reads {
            for (role, status) in expect(statuses) {
                let reply = api.get(Some(&token(role)), uri).await;
                assert_eq!(reply.status, status, "GET {uri} as {}: {:?}", role.as_str(), reply.body);
            }
            assert_eq!(api.get(None, uri).await.status, StatusCode::UNAUTHORIZED, "GET {uri} signed out");
        }

        // Who sees whom in the list.
        let listed = |body: &Value| body.as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap().to_string()).collect::<Vec<_>>();
        assert_eq!(listed(&api.get(Some(&token(Role::Learner)), "/api/learners").await.body), ["A-0001"]);
        assert_eq!(listed(&api.get(Some(&token(Role::Master)), "/api/learners").await.body), ["A-0001"]);
        assert_eq!(listed(&api.get(Some(&token(Role::Jury)), "/api/learners").await.body).len(), 68);

        // Today's list is read from the cohort the server decides once per write; another day's
        // is decided anew: each role sees the same learners either way, and a write shows at once.
        let yesterday = (chrono::Local::now().date_naive() - chrono::Days::new(1)).to_string();
        let summed = |body: &Value| {
            let fields = |l: &Value| ["id", "family_name", "given_names", "access_route"].map(|f| l[f].clone()).to_vec();
            let codes = |l: &Value| l["blocks"].as_array().unwrap().iter().map(|b| b["code"].clone()).collect::<Vec<_>>();
            body.as_array().unwrap().iter().map(|l| (fields(l), codes(l))).collect::<Vec<_>>()
        };
        for role in Role::ALL {
            let today = api.get(Some(&token(role)), "/api/learners").await.body;
            let anew = api.get(Some(&token(role)), &format!("/api/learners?on={yesterday}")).await.body;
            assert!(!summed(&today).is_empty(), "{role:?} sees someone");
            assert_eq!(summed(&today), summed(&anew), "GET /api/learners as {role:?}, today and decided anew");
        }
        let title_of = |body: &Value| body.as_array().unwrap().iter().find(|l| l["id"] == "A-0001").unwrap()["title_status"].clone();
        let before = title_of(&api.get(Some(&token(Role::Registrar)), "/api/learners").await.body);
        let failing = json!({"session1": 2.5, "session2": null});
        assert_eq!(api.put(&token(Role::Registrar), "/api/learners/A-0001/marks/M1.1.1", failing, None).await.status, StatusCode::OK);
        let after = title_of(&api.get(Some(&token(Role::Registrar)), "/api/learners").await.body);
        assert_eq!((before, after), (json!("awarded"), json!("not_awarded")), "a write is read at once, never a stale decision");

        // Health data: the jury's dossier has no accommodations; the registrar's has them.
        let jury = api.get(Some(&token(Role::Jury)), "/api/learners/A-0011/dossier").await;
        assert_eq!(jury.body["accommodations"], json!([]));
        let registrar = api.get(Some(&token(Role::Registrar)), "/api/learners/A-0011/dossier").await;
        assert_ne!(registrar.body["accommodations"], json!([]));

        let writes: [(&str, Value, [u16; 6]); 4] = [
            ("/api/learners/A-0001/marks/M1.1.1", json!({"session1": 12.5, "session2": null}), [200, 200, 200, 403, 403, 403]),
            ("/api/learners/A-0001/marks/M7.1.1", json!({"session1": "13,5"}), [200, 200, 403, 403, 403, 403]),
            ("/api/learners/A-0002/marks/M1.1.1", json!({"session1": 11}), [200, 200, 200, 403, 404, 403]),
            ("/api/learners/A-0001/company-periods/P1", json!({"evaluation": 14}), [200, 200, 403, 200, 403, 403]),
        ];
        for (uri, body, statuses) in writes {
            for (role, status) in expect(statuses) {
                let reply = api.put(&token(role), uri, body.clone(), None).await;
                assert_eq!(reply.status, status, "PUT {uri} as {}: {:?}", role.as_str(), reply.body);
            }
        }
        // A master may not move a period's dates, nor touch another learner's.
        let dates = json!({"evaluation": 15, "start": "2023-10-02", "end": "2024-01-26"});
        assert_eq!(
            api.put(&token(Role::Master), "/api/learners/A-0001/company-periods/P1", dates.clone(), None).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(api.put(&token(Role::Registrar), "/api/learners/A-0001/company-periods/P1", dates, None).await.status, StatusCode::OK);
        assert_eq!(
            api.put(&token(Role::Master), "/api/learners/A-0002/company-periods/P1", json!({"evaluation": 9}), None).await.status,
            StatusCode::FORBIDDEN
        );

        // Signing out ends the session.
        let learner = token(Role::Learner);
        let reply = api
            .send(Request::post("/api/auth/logout").header(header::AUTHORIZATION, format!("Bearer {learner}")).body(Body::empty()).unwrap())
            .await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT);
        assert_eq!(api.get(Some(&learner), "/api/learners").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(api.get(None, "/healthz").await.status, StatusCode::OK);
    });
}

#[test]
fn a_teachers_mark_changes_the_decision_and_is_audited_under_their_name() {
    runtime().block_on(async {
        let api = Api::demo().await;
        let teacher = api.token(Role::Teacher).await;
        let before = api.get(Some(&teacher), "/api/learners/A-0001/decision?on=2026-09-18").await.body;
        assert_eq!(before["title"]["status"], "awarded");
        let reply = api.put(&teacher, "/api/learners/A-0001/marks/M1.1.1", json!({"session1": 2, "session2": null}), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["session1"], "2");
        let etag = reply.headers.get(header::ETAG).unwrap().to_str().unwrap().to_string();
        let after = api.get(Some(&teacher), "/api/learners/A-0001/decision?on=2026-09-18").await.body;
        assert_eq!(after["title"]["status"], "not_awarded", "{after}");
        assert_eq!(after["blocks"][0]["status"], "not_validated");

        // A stale ETag is refused and writes nothing; the current one goes through.
        let stale = api.put(&teacher, "/api/learners/A-0001/marks/M1.1.1", json!({"session1": 20}), Some("\"1\"")).await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{:?}", stale.body);
        let fresh = api.put(&teacher, "/api/learners/A-0001/marks/M1.1.1", json!({"session1": 15}), Some(&etag)).await;
        assert_eq!(fresh.status, StatusCode::OK, "{:?}", fresh.body);

        // Invalid input: 422 with the field, nothing written.
        let invalid = api.put(&teacher, "/api/learners/A-0001/marks/M1.1.1", json!({"session1": 21}), None).await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(invalid.body["error"]["field"], "session1");
        let unknown = api.put(&teacher, "/api/learners/A-0001/marks/M1.1.1", json!({"session3": 12}), None).await;
        assert_eq!((unknown.status, unknown.body["error"]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("session3")));
        let record = api.get(Some(&teacher), "/api/learners/A-0001").await.body;
        let mark = record["marks"].as_array().unwrap().iter().find(|m| m["module"] == "M1.1.1").unwrap().clone();
        assert_eq!(mark["session1"], json!(15));

        let log = certif_store::Store::audit_log(&*api.state.db, Some("A-0001")).await.unwrap();
        let by_teacher: Vec<_> = log.iter().filter(|e| e.actor == "teacher").collect();
        assert_eq!(by_teacher.len(), 2, "the two accepted writes, not the refused ones");
        assert!(matches!(certif_store::verify_audit(&*api.state.db).await.unwrap(), certif_store::AuditVerdict::Intact { .. }));
    });
}

#[test]
fn five_failures_lock_an_account_and_cookies_need_the_csrf_token() {
    runtime().block_on(async {
        let api = Api::demo().await;
        assert_eq!(api.login("nobody", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
        for _ in 0..5 {
            assert_eq!(api.login("jury", "wrong password!").await.status, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(api.login("jury", PASSWORD).await.status, StatusCode::UNAUTHORIZED, "locked for a minute, even with the password");
        let reply = api.login("registrar", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK);
        let cookie = reply.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
        let session = cookie.split(';').next().unwrap().to_string();
        let csrf = reply.body["csrf"].as_str().unwrap().to_string();
        let put = |with_csrf: bool| {
            let mut request = Request::put("/api/learners/A-0003/marks/M1.1.1")
                .header(header::COOKIE, session.clone())
                .header(header::CONTENT_TYPE, "application/json");
            if with_csrf {
                request = request.header("x-csrf-token", csrf.clone());
            }
            request.body(Body::from(json!({"session1": 12}).to_string())).unwrap()
        };
        assert_eq!(api.send(put(false)).await.status, StatusCode::FORBIDDEN, "a cookie without the CSRF token");
        assert_eq!(api.send(put(true)).await.status, StatusCode::OK);
        let read = Request::get("/api/learners/A-0003").header(header::COOKIE, session.clone()).body(Body::empty()).unwrap();
        assert_eq!(api.send(read).await.status, StatusCode::OK, "reading with the cookie needs no token");
    });
}

#[test]
fn the_openapi_document_lists_every_route() {
    runtime().block_on(async {
        let api = Api::demo().await;
        let document = api.get(None, "/api/openapi.json").await.body;
        assert_eq!(document["openapi"], "3.1.0");
        let paths: Vec<&str> = document["paths"].as_object().unwrap().keys().map(String::as_str).collect();
        for route in [
            "/api/auth/login",
            "/api/auth/logout",
            "/api/learners",
            "/api/learners/{id}",
            "/api/learners/{id}/decision",
            "/api/learners/{id}/dossier",
            "/api/learners/{id}/what-if",
            "/api/learners/{id}/marks/{module}",
            "/api/learners/{id}/company-periods/{period}",
            "/api/learners/{id}/accommodations",
            "/api/referentials/{code}",
            "/api/curricula",
            "/api/curricula/{id}",
            "/healthz",
        ] {
            assert!(paths.contains(&route), "{route} is documented: {paths:?}");
        }
        let page = api.get(None, "/api/docs").await.body;
        assert!(page.as_str().unwrap().contains("/api/docs?rapidoc.js"));
        let script = api.get(None, "/api/docs?rapidoc.js").await;
        assert_eq!(script.status, StatusCode::OK);
    });
}

#[test]
fn accounts_are_managed_from_the_command_line() {
    use std::io::Write;
    let w = Workspace::new();
    let add = |args: &[&str], password: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_certif"))
            .args(args)
            .env("CERTIF_DATABASE_URL", w.url())
            .env("CERTIF_ACTOR", "admin-cli")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(password.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    w.ok(&["demo"]);
    let ok =
        add(&["user", "add", "j.martin", "--role", "teacher", "--modules", "M1.1.1,M1.1.2", "--password-stdin"], "une phrase de passe\n");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let short = add(&["user", "add", "x", "--role", "jury", "--password-stdin"], "court\n");
    assert_eq!(short.status.code(), Some(2));
    let no_learner = add(&["user", "add", "y", "--role", "learner", "--password-stdin"], "une phrase de passe\n");
    assert_eq!(no_learner.status.code(), Some(2));
    let on_the_command_line = add(&["user", "add", "z", "--role", "jury"], "");
    assert_eq!(on_the_command_line.status.code(), Some(2), "a password never goes on the command line");
    assert_eq!(add(&["user", "add", "j.martin", "--role", "jury", "--password-stdin"], "une phrase de passe\n").status.code(), Some(2));
    let listed = w.ok(&["user", "list"]);
    assert!(listed.contains("j.martin") && listed.contains("teacher") && listed.contains("M1.1.1,M1.1.2"), "{listed}");
    w.ok(&["user", "remove", "j.martin"]);
    assert!(!w.ok(&["user", "list"]).contains("j.martin"));
    assert!(w.ok(&["audit", "log"]).contains("admin-cli"));
}

#[test]
fn every_page_of_the_ui_refuses_the_wrong_role() {
    runtime().block_on(async {
        let api = Api::demo().await;
        let tokens = api.tokens().await;
        let token = |role: Role| tokens[&role].clone();
        let pages: [(&str, [u16; 6]); 9] = [
            ("/cohorte", [200, 200, 403, 403, 403, 200]),
            ("/cohorte.csv", [200, 200, 403, 403, 403, 200]),
            ("/apprenants/A-0001", [200, 200, 200, 200, 200, 200]),
            ("/apprenants/A-0002", [200, 200, 200, 403, 404, 200]),
            ("/parcours", [403, 403, 403, 403, 200, 403]),
            ("/notes", [200, 200, 200, 403, 403, 403]),
            ("/notes/M1.1.1", [200, 200, 200, 403, 403, 403]),
            ("/notes/M7.1.1", [200, 200, 403, 403, 403, 403]),
            ("/apprentis", [403, 403, 403, 200, 403, 403]),
        ];
        for (uri, statuses) in pages {
            for (role, status) in expect(statuses) {
                let reply = api.get(Some(&token(role)), uri).await;
                assert_eq!(reply.status, status, "GET {uri} as {}", role.as_str());
            }
            let signed_out = api.get(None, uri).await;
            assert_eq!(signed_out.status, StatusCode::SEE_OTHER, "GET {uri} signed out goes to the sign-in page");
        }
        let csv = api.get(Some(&token(Role::Registrar)), "/cohorte.csv?statut=awarded").await;
        let text = csv.body.as_str().unwrap().to_string();
        assert!(text.starts_with("\u{feff}Apprenant;Nom;Titre;RNCP39668BC01"), "{text}");
        assert!(text.lines().skip(1).all(|l| l.contains(";DÉLIVRÉ;")), "the filter applies to the export");

        let form = |uri: &str, role: Role, body: &str| {
            Request::post(uri)
                .header(header::AUTHORIZATION, format!("Bearer {}", token(role)))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body.to_string()))
                .unwrap()
        };
        let posts: [(&str, &str, [u16; 6]); 2] = [
            ("/notes/M1.1.1/A-0003", "session1=12%2C5&session2=&version=0", [200, 200, 200, 403, 403, 403]),
            ("/apprentis/A-0001/periodes/P2", "evaluation=13&version=1", [200, 200, 403, 200, 403, 403]),
        ];
        for (uri, body, statuses) in posts {
            for (role, status) in expect(statuses) {
                let reply = api.send(form(uri, role, body)).await;
                assert_eq!(reply.status, status, "POST {uri} as {}: {:?}", role.as_str(), reply.body);
            }
        }
        // A grid row saved on a stale version says so and keeps the newer mark; so does a row
        // that saw no mark (version 0) when one was entered meanwhile. A-9999 is a new learner.
        let mut newcomer = certif_store::Store::records_of(&*api.state.db, "A-0001").await.unwrap().remove(0);
        if let certif_store::Record::Learner(l) = &mut newcomer {
            l.learner.id = "A-9999".into();
        }
        certif_store::Store::apply(&*api.state.db, vec![newcomer], "test", false).await.unwrap();
        let first = api.send(form("/notes/M1.1.2/A-9999", Role::Teacher, "session1=11&session2=&version=0")).await;
        let again = api.send(form("/notes/M1.1.2/A-9999", Role::Teacher, "session1=12&session2=&version=0")).await;
        assert!(first.body.as_str().unwrap().contains("class=\"ok\""), "{:?}", first.body);
        assert!(again.body.as_str().unwrap().contains("class=\"ko\""), "the second first entry is refused: {:?}", again.body);
        let stale = api.send(form("/notes/M1.1.1/A-0003", Role::Teacher, "session1=3&session2=&version=0")).await;
        assert!(stale.body.as_str().unwrap().contains("class=\"ko\""), "{:?}", stale.body);
        let sign_in_without_token = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("username=admin&password=x"))
            .unwrap();
        assert_eq!(api.send(sign_in_without_token).await.status, StatusCode::FORBIDDEN, "a sign-in form without its CSRF token");
        assert_eq!(api.get(None, "/no/such/page").await.status, StatusCode::NOT_FOUND);
        // The language switch (open to everyone) only ever goes back to a page of this site.
        let switch = |referer: &str| Request::get("/langue/en").header(header::REFERER, referer).body(Body::empty()).unwrap();
        let back = api.send(switch("http://127.0.0.1:8080/cohorte?statut=awarded")).await;
        assert_eq!(back.headers[header::LOCATION], "/cohorte?statut=awarded");
        assert!(back.headers[header::SET_COOKIE].to_str().unwrap().starts_with("certif_lang=en"));
        assert_eq!(api.send(switch("https://elsewhere.example//evil.example/")).await.headers[header::LOCATION], "/");
        assert_eq!(api.get(None, "/langue/de").await.status, StatusCode::NOT_FOUND);
    });
}

/// The load generator against the demo database: the server keeps answering, with no error
/// response, on the decision, cohort and cohort-page routes (figures: BENCHMARKS.md, release).
#[test]
fn under_load_the_server_answers_every_request() {
    let w = Workspace::new();
    w.ok(&["demo"]);
    let report = w.ok(&["bench-http", "--seconds", "2", "--connections", "16"]);
    let routes: Vec<&str> = report.lines().filter(|l| l.contains("req/s")).collect();
    assert_eq!(routes.len(), 4, "{report}");
    for line in routes {
        let (_, tail) = line.split_once("  0 errors of ").unwrap_or_else(|| panic!("errors under load: {line}"));
        assert!(tail.trim().parse::<u64>().unwrap() > 0, "requests were made: {line}");
    }
}
