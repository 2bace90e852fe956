//! The jury through the HTTP API (spec/jury.md §9), on SQLite and PostgreSQL: who may call
//! each route (every role, the jury member not seated and the president seated by account),
//! a whole session (create, members, candidates, open, deliberations with a casting vote,
//! close, sign, publish, holders, a learner's decision and its appeal deadline), and a write
//! after closing refused with `JURY_SESSION_CLOSED`, the audit log unchanged.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use certif::server::{AppState, ServerConfig};
use certif_app::Database;
use certif_store::accounts::{AccountStore as _, Role};
use common::api::{Api, PASSWORD, Reply, account, runtime};
use common::workspace::Workspace;
use serde_json::{Value, json};

/// Who calls: anonymous, each role, and the jury account seated as the session's president.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Learner,
    Teacher,
    Master,
    Jury,
    President,
    Registrar,
    Admin,
}

const EVERYONE: [Who; 8] = [Who::Anonymous, Who::Learner, Who::Teacher, Who::Master, Who::Jury, Who::President, Who::Registrar, Who::Admin];

struct Tokens(Vec<(Who, Option<String>)>);

impl Tokens {
    fn of(&self, who: Who) -> Option<&str> {
        self.0.iter().find(|(w, _)| *w == who).and_then(|(_, t)| t.as_deref())
    }
}

/// The demo cohort (20 learners) with one account per role, and `president`, a jury account.
async fn setup(workspace: Workspace) -> (Api, String) {
    let demo = workspace.certif(&["demo", "--learners", "20", "--format", "json", "--no-promotions"]);
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let decisions: Vec<Value> = serde_json::from_slice(&demo.stdout).unwrap();
    let on = decisions[0]["evaluated_on"].as_str().unwrap().to_string();
    let db = Database::open(&workspace.url()).await.unwrap();
    let hash = certif::server::auth::hash_password(PASSWORD).unwrap();
    for role in Role::ALL {
        db.add_account(account(role.as_str(), role, &hash), "test").await.unwrap();
    }
    db.add_account(account("president", Role::Jury, &hash), "test").await.unwrap();
    // Every caller signs in twice: more than the sign-in rate limit's burst from one address.
    let config = ServerConfig { sign_in_burst: 1000, ..ServerConfig::default() };
    (Api { state: AppState::with_config(db, config), workspace }, on)
}

async fn tokens(api: &Api) -> Tokens {
    let mut tokens = vec![(Who::Anonymous, None)];
    for (who, username) in [
        (Who::Learner, "learner"),
        (Who::Teacher, "teacher"),
        (Who::Master, "master"),
        (Who::Jury, "jury"),
        (Who::President, "president"),
        (Who::Registrar, "registrar"),
        (Who::Admin, "admin"),
    ] {
        let reply = api.login(username, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{username}: {:?}", reply.body);
        tokens.push((who, Some(reply.body["token"].as_str().unwrap().to_string())));
    }
    Tokens(tokens)
}

async fn call(api: &Api, method: Method, uri: &str, token: Option<&str>, body: Option<Value>) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match body {
        Some(body) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(body.to_string())
        }
        None => Body::empty(),
    };
    api.send(request.body(body).unwrap()).await
}

/// A call that must answer `status`.
async fn expect(api: &Api, method: Method, uri: &str, token: Option<&str>, body: Option<Value>, status: StatusCode) -> Value {
    let what = format!("{method} {uri} {body:?}");
    let reply = call(api, method, uri, token, body).await;
    assert_eq!(reply.status, status, "{what}: {:?}", reply.body);
    reply.body
}

/// The error's reason codes.
fn reasons(body: &Value) -> Vec<String> {
    body["error"]["reasons"].as_array().map(|r| r.iter().map(|r| r["code"].as_str().unwrap().to_string()).collect()).unwrap_or_default()
}

/// RNCP39668's jury (spec/jury.md §1) with six teachers, the president seated by `president`.
async fn seat_jury(api: &Api, token: &str, session: &str) {
    let uri = format!("/api/juries/{session}/members");
    let president = json!({"name": "Anne Président", "role": "president", "account": "president"});
    expect(api, Method::POST, &uri, Some(token), Some(president), StatusCode::NO_CONTENT).await;
    for (name, role) in [
        ("Bruno Études", "director_of_studies"),
        ("Claire Alternance", "alternance_manager"),
        ("Denis Cnam", "partner_training_manager"),
        ("Eva Cfa", "cfa_director"),
    ] {
        expect(api, Method::POST, &uri, Some(token), Some(json!({"name": name, "role": role})), StatusCode::NO_CONTENT).await;
    }
    for n in 1..=6 {
        let teacher = json!({"name": format!("Enseignant {n}"), "role": "teacher"});
        expect(api, Method::POST, &uri, Some(token), Some(teacher), StatusCode::NO_CONTENT).await;
    }
}

/// For each caller in `EVERYONE` order, the status `uri` must answer.
struct Row<'a> {
    method: Method,
    uri: String,
    body: Option<Value>,
    statuses: &'a [u16; 8],
}

async fn check_rows(api: &Api, tokens: &Tokens, rows: Vec<Row<'_>>) {
    let mut wrong = Vec::new();
    for row in rows {
        for (who, status) in EVERYONE.iter().zip(row.statuses) {
            let reply = call(api, row.method.clone(), &row.uri, tokens.of(*who), row.body.clone()).await;
            if reply.status.as_u16() != *status {
                wrong.push(format!("{} {} as {who:?}: {} (expected {status}): {}", row.method, row.uri, reply.status, reply.body));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// What preparing answers each caller (in `EVERYONE` order) when it succeeds without a body.
const PREPARE_STATUS: [StatusCode; 8] = [
    StatusCode::UNAUTHORIZED,
    StatusCode::FORBIDDEN,
    StatusCode::FORBIDDEN,
    StatusCode::FORBIDDEN,
    StatusCode::FORBIDDEN,
    StatusCode::FORBIDDEN,
    StatusCode::NO_CONTENT,
    StatusCode::NO_CONTENT,
];
const READ: &[u16; 8] = &[401, 403, 403, 403, 200, 200, 200, 200];

/// A module of the candidate's proposal with a final mark (points de jury raise one).
fn module_with_final(candidate: &Value) -> String {
    for block in candidate["proposal"]["blocks"].as_array().unwrap() {
        for ue in block["ues"].as_array().unwrap() {
            if let Some((module, _)) = ue["finals"].as_object().unwrap().iter().find(|(_, f)| !f.is_null()) {
                return module.clone();
            }
        }
    }
    panic!("no module with a final mark: {candidate}")
}

fn the_jury_api(workspace: Workspace) {
    // The API (and a PostgreSQL workspace, which drops its database synchronously) goes once
    // the runtime is gone.
    let runtime = runtime();
    let api = runtime.block_on(async {
        let (api, on) = setup(workspace).await;
        let tokens = tokens(&api).await;
        let registrar = tokens.of(Who::Registrar).unwrap().to_string();
        let president = tokens.of(Who::President).unwrap().to_string();
        let registrar = registrar.as_str();

        // Prepared by the registrar: a session with its jury and every candidate who fits.
        let created = expect(
            &api,
            Method::POST,
            "/api/juries",
            Some(registrar),
            Some(json!({"id": "life", "kind": "title", "date": on, "place": "Futuroscope"})),
            StatusCode::CREATED,
        )
        .await;
        assert_eq!(created["id"], "life");
        seat_jury(&api, registrar, "life").await;
        let added =
            expect(&api, Method::POST, "/api/juries/life/candidates", Some(registrar), Some(json!({"all": true})), StatusCode::OK).await;
        let added = added["added"].as_u64().unwrap();
        assert!(added >= 3, "{added} candidates");
        let shown = expect(&api, Method::GET, "/api/juries/life", Some(registrar), None, StatusCode::OK).await;
        assert_eq!(shown["status"], "draft");
        assert_eq!(shown["composition"], json!([]), "the jury is complete");
        assert_eq!(shown["members"][0]["account"], "president");
        expect(&api, Method::POST, "/api/juries/life/open", Some(registrar), None, StatusCode::NO_CONTENT).await;
        let shown = expect(&api, Method::GET, "/api/juries/life", Some(registrar), None, StatusCode::OK).await;
        assert_eq!(shown["status"], "open");
        let candidates: Vec<Value> = shown["candidates"].as_array().unwrap().clone();
        let awarded: Vec<&Value> = candidates.iter().filter(|c| c["proposal"]["title"]["status"] == "awarded").collect();
        let not_awarded: Vec<&Value> = candidates.iter().filter(|c| c["proposal"]["title"]["status"] != "awarded").collect();
        assert!(!awarded.is_empty() && !not_awarded.is_empty(), "the demo proposes awards and not");
        let first = candidates[0]["learner"].as_str().unwrap().to_string();
        let other = candidates[1]["learner"].as_str().unwrap().to_string();

        // The learner account is the first candidate; the master follows them.
        let db = &*api.state.db;
        let hash = certif::server::auth::hash_password(PASSWORD).unwrap();
        db.remove_account("learner", "test").await.unwrap();
        db.remove_account("master", "test").await.unwrap();
        let mut learner = account("learner", Role::Learner, &hash);
        learner.learner = Some(first.clone());
        db.add_account(learner, "test").await.unwrap();
        let mut master = account("master", Role::Master, &hash);
        master.apprentices = vec![first.clone()];
        db.add_account(master, "test").await.unwrap();
        let tokens = self::tokens(&api).await;

        // A draft session without members, to prepare (and fail to open) as each role.
        expect(
            &api,
            Method::POST,
            "/api/juries",
            Some(registrar),
            Some(json!({"id": "draft", "kind": "title", "date": on})),
            StatusCode::CREATED,
        )
        .await;
        let refused = expect(&api, Method::POST, "/api/juries/draft/open", Some(registrar), None, StatusCode::UNPROCESSABLE_ENTITY).await;
        let codes = reasons(&refused);
        assert!(codes.contains(&"JURY_ROLE_MISSING".into()) && codes.contains(&"JURY_TOO_FEW_TEACHERS".into()), "{refused}");
        assert_eq!(refused["error"]["code"], codes[0].as_str());

        // Who may call what, the session open and its candidates undecided.
        let module = module_with_final(&candidates[0]);
        let decide_first = match candidates[0]["proposal"]["title"]["status"].as_str() {
            Some("awarded") => json!({"outcome": "award", "for": 11, "against": 0}),
            _ => json!({"outcome": "refuse", "for": 11, "against": 0, "justification": "dossier incomplet"}),
        };
        let table = vec![
            Row { method: Method::GET, uri: "/api/juries".into(), body: None, statuses: READ },
            Row { method: Method::GET, uri: "/api/juries/life".into(), body: None, statuses: READ },
            Row {
                method: Method::GET,
                uri: "/api/juries/life/minutes".into(),
                body: None,
                statuses: &[401, 403, 403, 403, 422, 422, 422, 422],
            },
            Row { method: Method::GET, uri: "/api/holders".into(), body: None, statuses: READ },
            Row {
                method: Method::POST,
                uri: "/api/juries/draft/open".into(),
                body: None,
                statuses: &[401, 403, 403, 403, 403, 403, 422, 422],
            },
            Row {
                method: Method::POST,
                uri: format!("/api/juries/life/candidates/{first}/points"),
                body: Some(json!({"module": module, "points": "0,25", "justification": "assiduité"})),
                statuses: &[401, 403, 403, 403, 403, 204, 204, 204],
            },
            Row {
                method: Method::POST,
                uri: format!("/api/juries/life/candidates/{first}/deliberation"),
                body: Some(decide_first.clone()),
                statuses: &[401, 403, 403, 403, 403, 200, 200, 200],
            },
            // Another candidate is undecided: closing is a state conflict.
            Row {
                method: Method::POST,
                uri: "/api/juries/life/close".into(),
                body: None,
                statuses: &[401, 403, 403, 403, 403, 409, 409, 409],
            },
            Row {
                method: Method::POST,
                uri: "/api/juries/life/sign".into(),
                body: Some(json!({"as": "Anne Président"})),
                statuses: &[401, 403, 403, 403, 403, 422, 422, 422],
            },
            Row {
                method: Method::POST,
                uri: "/api/juries/life/publish".into(),
                body: Some(json!({"on": on})),
                statuses: &[401, 403, 403, 403, 403, 403, 422, 422],
            },
            Row {
                method: Method::POST,
                uri: format!("/api/juries/life/candidates/{first}/appeal"),
                body: Some(json!({"received_on": on})),
                statuses: &[401, 403, 403, 403, 403, 403, 422, 422],
            },
            Row { method: Method::GET, uri: "/api/juries/nowhere".into(), body: None, statuses: &[401, 403, 403, 403, 404, 404, 404, 404] },
            Row {
                method: Method::POST,
                uri: "/api/juries/nowhere/close".into(),
                body: None,
                statuses: &[401, 403, 403, 403, 404, 404, 404, 404],
            },
            Row {
                method: Method::GET,
                uri: format!("/api/learners/{first}/jury-decisions"),
                body: None,
                statuses: &[401, 200, 200, 200, 200, 200, 200, 200],
            },
        ];
        check_rows(&api, &tokens, table).await;
        // Another learner's decisions: hidden from a learner, forbidden to a master not theirs.
        let hidden = format!("/api/learners/{other}/jury-decisions");
        expect(&api, Method::GET, &hidden, tokens.of(Who::Learner), None, StatusCode::NOT_FOUND).await;
        expect(&api, Method::GET, &hidden, tokens.of(Who::Master), None, StatusCode::FORBIDDEN).await;

        // Preparing, as each caller: create a session, seat then unseat a member, add then
        // remove a candidate.
        for (i, who) in EVERYONE.iter().enumerate() {
            let token = tokens.of(*who);
            let created = if i >= 6 { StatusCode::CREATED } else { PREPARE_STATUS[i] };
            expect(&api, Method::POST, "/api/juries", token, Some(json!({"id": format!("t-{i}"), "kind": "vae", "date": on})), created)
                .await;
            let member = json!({"name": format!("Zoé Membre {i}"), "role": "teacher"});
            expect(&api, Method::POST, "/api/juries/draft/members", token, Some(member), PREPARE_STATUS[i]).await;
            expect(&api, Method::DELETE, &format!("/api/juries/draft/members/Zo%C3%A9%20Membre%20{i}"), token, None, PREPARE_STATUS[i])
                .await;
            let added = if i >= 6 { StatusCode::OK } else { PREPARE_STATUS[i] };
            let body = expect(&api, Method::POST, "/api/juries/draft/candidates", token, Some(json!({"learners": [other]})), added).await;
            if i >= 6 {
                assert_eq!(body["added"], 1);
            }
            expect(&api, Method::DELETE, &format!("/api/juries/draft/candidates/{other}"), token, None, PREPARE_STATUS[i]).await;
        }

        // Deliberations: a condition is not voted away; a tie needs and takes the casting vote.
        let not_awarded_id = not_awarded[0]["learner"].as_str().unwrap();
        let refused = expect(
            &api,
            Method::POST,
            &format!("/api/juries/life/candidates/{not_awarded_id}/deliberation"),
            Some(&president),
            Some(json!({"outcome": "award", "for": 11, "against": 0})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(reasons(&refused), ["JURY_AWARD_NOT_PROPOSED"], "{refused}");
        let tie_learner = awarded[0]["learner"].as_str().unwrap().to_string();
        let tie_uri = format!("/api/juries/life/candidates/{tie_learner}/deliberation");
        let tie = json!({"outcome": "award", "for": 5, "against": 5, "abstain": 1});
        let refused = expect(&api, Method::POST, &tie_uri, Some(&president), Some(tie), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(reasons(&refused), ["JURY_CASTING_VOTE_REQUIRED"], "{refused}");
        let tie = json!({"outcome": "award", "for": 5, "against": 5, "abstain": 1, "casting_vote": "for"});
        let adopted = expect(&api, Method::POST, &tie_uri, Some(&president), Some(tie), StatusCode::OK).await;
        assert_eq!(adopted, json!({"learner": tie_learner, "code": "ADM", "casting_vote_decided": true}));
        for candidate in &candidates {
            let learner = candidate["learner"].as_str().unwrap();
            if learner == tie_learner {
                continue;
            }
            let vote = if candidate["proposal"]["title"]["status"] == "awarded" {
                json!({"outcome": "award", "for": 11, "against": 0})
            } else {
                json!({"outcome": "refuse", "for": 9, "against": 1, "abstain": 1, "justification": "conditions non remplies"})
            };
            let uri = format!("/api/juries/life/candidates/{learner}/deliberation");
            expect(&api, Method::POST, &uri, Some(&president), Some(vote), StatusCode::OK).await;
        }
        let shown = expect(&api, Method::GET, "/api/juries/life", Some(&president), None, StatusCode::OK).await;
        let tied = shown["candidates"].as_array().unwrap().iter().find(|c| c["learner"] == tie_learner.as_str()).unwrap();
        assert_eq!((&tied["outcome"]["outcome"], &tied["casting_vote"], &tied["code"]), (&json!("award"), &json!("for"), &json!("ADM")));
        assert_eq!(tied["votes"], json!({"for": 5, "against": 5, "abstain": 1, "casting_vote": "for"}));

        // Closed by the president, then every write is refused and the audit log is unchanged.
        let closed = expect(&api, Method::POST, "/api/juries/life/close", Some(&president), None, StatusCode::OK).await;
        let sha256 = closed["minutes_sha256"].as_str().unwrap().to_string();
        assert_eq!(sha256.len(), 64);
        let audit = api.workspace.audit_rows();
        for (method, uri, body) in [
            (Method::POST, "/api/juries/life/members".to_string(), Some(json!({"name": "Tard Venu", "role": "teacher"}))),
            (Method::DELETE, "/api/juries/life/members/Eva%20Cfa".to_string(), None),
            (Method::POST, format!("/api/juries/life/candidates/{first}/deliberation"), Some(decide_first.clone())),
            (
                Method::POST,
                format!("/api/juries/life/candidates/{first}/points"),
                Some(json!({"module": module, "points": 0.5, "justification": "après coup"})),
            ),
            (Method::POST, "/api/juries/life/close".to_string(), None),
            (Method::POST, "/api/juries/life/open".to_string(), None),
        ] {
            let refused = expect(&api, method, &uri, Some(registrar), body, StatusCode::CONFLICT).await;
            assert_eq!(refused["error"]["code"], "JURY_SESSION_CLOSED", "{uri}: {refused}");
            assert_eq!(reasons(&refused), ["JURY_SESSION_CLOSED"], "{uri}: {refused}");
        }
        assert_eq!(api.workspace.audit_rows(), audit, "a refused write writes nothing, audit log included");

        // Signed by the president, read by the jury, published by the registrar.
        let signed =
            expect(&api, Method::POST, "/api/juries/life/sign", Some(&president), Some(json!({"as": "Anne Président"})), StatusCode::OK)
                .await;
        assert_eq!(signed["sha256"], sha256.as_str());
        let minutes = expect(&api, Method::GET, "/api/juries/life/minutes", tokens.of(Who::Jury), None, StatusCode::OK).await;
        assert_eq!(minutes["signature"]["sha256"], sha256.as_str());
        assert_eq!(minutes["candidates"].as_array().unwrap().len(), candidates.len());
        assert!(minutes["members"].as_array().unwrap().iter().all(|m| m.get("account").is_none()), "no account on the minutes");
        let tied = minutes["candidates"].as_array().unwrap().iter().find(|c| c["learner"] == tie_learner.as_str()).unwrap();
        assert_eq!(tied["casting_vote_decided"], true);
        let before =
            expect(&api, Method::GET, &format!("/api/learners/{first}/jury-decisions"), tokens.of(Who::Learner), None, StatusCode::OK)
                .await;
        assert_eq!(before, json!([]), "nothing before publication");
        expect(&api, Method::POST, "/api/juries/life/publish", Some(&president), Some(json!({"on": on})), StatusCode::FORBIDDEN).await;
        let published =
            expect(&api, Method::POST, "/api/juries/life/publish", Some(registrar), Some(json!({"on": on})), StatusCode::OK).await;
        let on_date: chrono::NaiveDate = on.parse().unwrap();
        let deadline = on_date.checked_add_months(chrono::Months::new(2)).unwrap().to_string();
        assert_eq!(published, json!({"published_on": on, "appeal_deadline": deadline}));

        let holders = expect(&api, Method::GET, "/api/holders", tokens.of(Who::Jury), None, StatusCode::OK).await;
        let titles: Vec<&str> =
            holders.as_array().unwrap().iter().filter(|h| h["what"] == "title").map(|h| h["learner"].as_str().unwrap()).collect();
        assert!(titles.contains(&tie_learner.as_str()), "{holders}");
        assert_eq!(titles.len(), awarded.len(), "{holders}");
        assert!(holders.as_array().unwrap().iter().all(|h| h["session"] == "life" && h["published_on"] == on.as_str()));

        let mine =
            expect(&api, Method::GET, &format!("/api/learners/{first}/jury-decisions"), tokens.of(Who::Learner), None, StatusCode::OK)
                .await;
        let mine = mine.as_array().unwrap();
        assert_eq!(mine.len(), 1, "{mine:?}");
        assert_eq!(mine[0]["session"], "life");
        assert_eq!(mine[0]["published_on"], on.as_str());
        assert_eq!(mine[0]["appeal_deadline"], deadline.as_str());
        assert_eq!(mine[0]["outcome"]["outcome"], decide_first["outcome"]);
        expect(&api, Method::GET, &format!("/api/learners/{other}/jury-decisions"), tokens.of(Who::Learner), None, StatusCode::NOT_FOUND)
            .await;
        expect(&api, Method::GET, "/api/learners/NOBODY/jury-decisions", tokens.of(Who::Learner), None, StatusCode::NOT_FOUND).await;

        // An appeal within the window is recorded; after it, refused with its code.
        let late = on_date.checked_add_months(chrono::Months::new(2)).unwrap().succ_opt().unwrap().to_string();
        let appeal = format!("/api/juries/life/candidates/{first}/appeal");
        let refused =
            expect(&api, Method::POST, &appeal, Some(registrar), Some(json!({"received_on": late})), StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        assert_eq!(reasons(&refused), ["JURY_APPEAL_TOO_LATE"], "{refused}");
        expect(&api, Method::POST, &appeal, Some(&president), Some(json!({"received_on": deadline})), StatusCode::FORBIDDEN).await;
        expect(
            &api,
            Method::POST,
            &appeal,
            Some(registrar),
            Some(json!({"received_on": deadline, "note": "recours gracieux"})),
            StatusCode::NO_CONTENT,
        )
        .await;
        let mine =
            expect(&api, Method::GET, &format!("/api/learners/{first}/jury-decisions"), tokens.of(Who::Learner), None, StatusCode::OK)
                .await;
        assert_eq!(mine[0]["appeals"][0]["received_on"], deadline.as_str());

        // Bodies and paths are checked before anything is done.
        let bad = expect(
            &api,
            Method::POST,
            "/api/juries",
            Some(registrar),
            Some(json!({"kind": "title", "date": on, "colour": "red"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(bad["error"]["field"], "colour");
        expect(&api, Method::GET, "/api/juries/a..b", Some(registrar), None, StatusCode::UNPROCESSABLE_ENTITY).await;
        let neither =
            expect(&api, Method::POST, "/api/juries/draft/candidates", Some(registrar), Some(json!({})), StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        assert_eq!(neither["error"]["code"], "invalid");
        let listed = expect(&api, Method::GET, "/api/juries", tokens.of(Who::Jury), None, StatusCode::OK).await;
        let life = listed.as_array().unwrap().iter().find(|s| s["session"]["id"] == "life").unwrap();
        assert_eq!((&life["status"], &life["decided"]), (&json!("published"), &json!(candidates.len())));
        api
    });
    drop(runtime);
    drop(api);
}

#[test]
fn the_jury_api_on_sqlite() {
    the_jury_api(Workspace::new());
}

#[test]
fn the_jury_api_on_postgres() {
    let Some(workspace) = Workspace::on_postgres("jury_api") else { return };
    the_jury_api(workspace);
}
