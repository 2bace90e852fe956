//! The jury's web pages (spec/jury.md §10), route × role, on SQLite and PostgreSQL: who may
//! read the sessions, prepare them, conduct them (the registrar, the admin, or the account
//! seated as present president) — and a refused action changes nothing, audit log included.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use certif::server::ServerConfig;
use certif_app::jury::{self, Candidates, NewSession};
use certif_core::jury::Member;
use certif_store::Store as _;
use certif_store::accounts::{AccountStore as _, Role};
use certif_store::jury::JuryKind;
use common::api::{Api, PASSWORD, account, on};
use common::workspace::Workspace;

/// Who asks: a role's account, the jury account seated as president, or nobody.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Anonymous,
    Role(Role),
    President,
}

const EVERYONE: [Who; 8] = [
    Who::Anonymous,
    Who::Role(Role::Learner),
    Who::Role(Role::Teacher),
    Who::Role(Role::Master),
    Who::Role(Role::Jury),
    Who::President,
    Who::Role(Role::Registrar),
    Who::Role(Role::Admin),
];

/// An open session `S` of A-0001 and A-0002 whose president's seat is the `president` account.
async fn open_session(api: &Api) {
    let db = &api.state.db;
    let hash = certif::server::auth::hash_password(PASSWORD).unwrap();
    db.add_account(account("president", Role::Jury, &hash), "test").await.unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 9, 18).unwrap();
    let new = NewSession { id: Some("S".into()), certification: "RNCP39668".into(), kind: JuryKind::Title, date, name: None, place: None };
    jury::create(db, new, "test").await.unwrap();
    let mut seats = vec![
        ("Anne Président", "president"),
        ("Bruno Études", "director_of_studies"),
        ("Claire Alternance", "alternance_manager"),
        ("Denis Cnam", "partner_training_manager"),
        ("Eva Cfa", "cfa_director"),
    ];
    let teachers: Vec<String> = (1..=4).map(|n| format!("Enseignant {n}")).collect();
    seats.extend(teachers.iter().map(|t| (t.as_str(), "teacher")));
    for (name, role) in seats {
        let account = (role == "president").then(|| "president".to_string());
        jury::add_member(db, "S", Member { name: name.into(), role: role.into(), representing: None, present: true, account }, "test")
            .await
            .unwrap();
    }
    jury::add_candidates(db, "S", Candidates::Some(vec!["A-0001".into(), "A-0002".into()]), "test").await.unwrap();
    jury::open(db, "S", "test").await.unwrap();
}

async fn token(api: &Api, who: Who) -> Option<String> {
    match who {
        Who::Anonymous => None,
        Who::Role(role) => Some(api.token(role).await),
        Who::President => {
            let reply = api.login("president", PASSWORD).await;
            Some(reply.body["token"].as_str().unwrap().to_string())
        }
    }
}

/// What each caller gets: 303 to the sign-in page for nobody, 403 for a role the rule leaves
/// out, `allowed` for the others.
fn expected(who: Who, may: &[Who], allowed: StatusCode) -> StatusCode {
    match who {
        Who::Anonymous => StatusCode::SEE_OTHER,
        who if may.contains(&who) => allowed,
        _ => StatusCode::FORBIDDEN,
    }
}

async fn every_route_answers_each_role_by_its_rule(api: Arc<Api>) {
    open_session(&api).await;
    let readers = [Who::Role(Role::Jury), Who::President, Who::Role(Role::Registrar), Who::Role(Role::Admin)];
    let preparers = [Who::Role(Role::Registrar), Who::Role(Role::Admin)];
    let conductors = [Who::President, Who::Role(Role::Registrar), Who::Role(Role::Admin)];
    let ok = StatusCode::OK;
    let gets: [(&str, &[Who], StatusCode); 6] = [
        ("/jurys", &readers, ok),
        ("/jurys/S", &readers, ok),
        ("/jurys/S/candidats/A-0001", &readers, ok),
        // No minutes before closing.
        ("/jurys/S/proces-verbal.json", &readers, StatusCode::NOT_FOUND),
        ("/jurys/S/proces-verbal.pdf", &readers, StatusCode::NOT_FOUND),
        ("/jurys/nowhere", &readers, StatusCode::NOT_FOUND),
    ];
    // Every post is one the domain refuses for a caller who may make it (too early in the life
    // cycle, or against a rule): nothing is written.
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    // Closing with a candidate undecided conflicts with the session's state: 409, as in the API.
    let conflict = StatusCode::CONFLICT;
    let posts: [(&str, &str, &[Who], StatusCode); 9] = [
        ("/jurys", "kind=title&date=18/09/2026", &preparers, refused),
        ("/jurys/S/membres", "name=Zo%C3%A9&role=chancellor&present=1", &preparers, refused),
        ("/jurys/S/ouvrir", "", &preparers, refused),
        ("/jurys/S/publier", "on=2026-10-01", &preparers, refused),
        ("/jurys/S/candidats", "learners=A-9999", &preparers, refused),
        ("/jurys/S/clore", "", &conductors, conflict),
        ("/jurys/S/signer", "name=Anne%20Pr%C3%A9sident", &conductors, refused),
        ("/jurys/S/candidats/A-0001/points", "module=M1.1.1&points=5&justification=trop", &conductors, refused),
        ("/jurys/S/candidats/A-0001/deliberation", "outcome=refuse&for=9&against=0", &conductors, refused),
    ];
    let audit = api.state.db.audit_log(None).await.unwrap().len();
    for who in EVERYONE {
        let token = token(&api, who).await;
        for (uri, may, allowed) in gets {
            let reply = api.get(token.as_deref(), uri).await;
            assert_eq!(reply.status, expected(who, may, allowed), "GET {uri} as {who:?}: {}", reply.text());
        }
        for (uri, body, may, allowed) in posts {
            let reply = match &token {
                Some(token) => api.form(token, uri, body).await,
                None => {
                    let request = axum::http::Request::post(uri)
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(axum::body::Body::from(body.to_string()))
                        .unwrap();
                    api.send(request).await
                }
            };
            assert_eq!(reply.status, expected(who, may, allowed), "POST {uri} as {who:?}: {}", reply.text());
        }
    }
    // Sign-ins write their sessions elsewhere; the audit log holds the domain's writes only.
    assert_eq!(api.state.db.audit_log(None).await.unwrap().len(), audit, "refused actions wrote nothing");

    // What a refusal shows: its code, in the page.
    let registrar = api.token(Role::Registrar).await;
    let page = api.form(&registrar, "/jurys/S/clore", "").await.text();
    assert!(page.contains("JURY_CANDIDATE_UNDECIDED") && page.contains("A-0001"), "{page}");
}

#[test]
fn every_jury_page_answers_each_role_by_its_rule_on_sqlite() {
    on(Workspace::new(), ServerConfig::default(), every_route_answers_each_role_by_its_rule);
}

#[test]
fn every_jury_page_answers_each_role_by_its_rule_on_postgres() {
    let Some(workspace) = Workspace::on_postgres("jury_pages") else { return };
    on(workspace, ServerConfig::default(), every_route_answers_each_role_by_its_rule);
}
