//! The admin's *Comptes* and *Journal d'audit* pages, route × role, on SQLite and PostgreSQL:
//! an account created (a refusal shown beside its field, in French), its scope changed, its
//! password replaced and its state switched — each ending its sessions — then removed on
//! confirmation; the admin cannot lock themselves out; every change is in the audit log, which
//! filters by account and by learner.

mod common;

use std::sync::Arc;

use axum::http::{StatusCode, header};
use certif::server::ServerConfig;
use certif_store::accounts::Role;
use common::api::{Api, on};
use common::workspace::Workspace;

const GOOD: &str = "une+phrase+de+passe+solide+et+longue";

fn location(reply: &common::api::Reply) -> String {
    reply.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

async fn the_admin_manages_accounts_and_reads_the_log(api: Arc<Api>) {
    let tokens = api.tokens().await;
    let admin = tokens[&Role::Admin].clone();

    // Route × role: the admin alone; nobody signed in goes to the sign-in page.
    for uri in ["/comptes", "/comptes/teacher", "/journal"] {
        assert_eq!(api.get(None, uri).await.status, StatusCode::SEE_OTHER, "{uri} signed out");
        for role in Role::ALL {
            let expected = if role == Role::Admin { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(api.get(Some(&tokens[&role]), uri).await.status, expected, "GET {uri} as {role:?}");
        }
    }
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
        let tried = api.form(&tokens[&role], "/comptes", &format!("username=intrus&role=admin&password={GOOD}")).await;
        assert_eq!(tried.status, StatusCode::FORBIDDEN, "POST /comptes as {role:?}");
        for action in ["", "/mot-de-passe", "/etat", "/supprimer"] {
            let uri = format!("/comptes/teacher{action}");
            let tried = api.form(&tokens[&role], &uri, &format!("role=admin&password={GOOD}&disabled=1&confirm=1")).await;
            assert_eq!(tried.status, StatusCode::FORBIDDEN, "POST {uri} as {role:?}");
        }
    }
    assert!(api.get(Some(&admin), "/cohorte").await.text().contains("href=\"/comptes\""), "the admin's navigation leads to it");
    assert!(!api.get(Some(&tokens[&Role::Registrar]), "/cohorte").await.text().contains("href=\"/comptes\""));
    assert_eq!(api.get(Some(&admin), "/comptes/personne").await.status, StatusCode::NOT_FOUND);

    // A refused account: the reason beside its field, what was typed kept (but the password).
    let weak = api.form(&admin, "/comptes", "username=j.martin&role=teacher&modules=M1.1.1&password=motdepasse").await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = weak.text();
    assert!(page.contains("id=\"err-password\">un mot de passe a au moins 12 caractères"), "{page}");
    assert!(page.contains("value=\"j.martin\"") && page.contains("value=\"M1.1.1\"") && !page.contains("motdepasse"), "{page}");
    let unknown = api.form(&admin, "/comptes", &format!("username=j.martin&role=teacher&modules=M9.9.9&password={GOOD}")).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.text().contains("id=\"err-modules\">M9.9.9 n&#39;est pas un module d&#39;une maquette chargée"), "{}", unknown.text());
    let taken = api.form(&admin, "/comptes", &format!("username=teacher&role=teacher&password={GOOD}")).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.text().contains("id=\"err-username\""), "an existing username is refused beside the field");

    // Created: it signs in, within its scope.
    let made = api.form(&admin, "/comptes", &format!("username=j.martin&role=teacher&modules=M1.1.1&password={GOOD}")).await;
    assert_eq!((made.status, location(&made).as_str()), (StatusCode::SEE_OTHER, "/comptes/j.martin?fait=cree"));
    assert!(api.get(Some(&admin), "/comptes/j.martin?fait=cree").await.text().contains("Compte créé."));
    let password = GOOD.replace('+', " ");
    let signed_in = api.login("j.martin", &password).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{:?}", signed_in.body);
    let martin = signed_in.body["token"].as_str().unwrap().to_string();
    assert_eq!(api.get(Some(&martin), "/notes/M1.1.1").await.status, StatusCode::OK);
    assert_eq!(api.get(Some(&martin), "/notes/M1.1.2").await.status, StatusCode::FORBIDDEN);

    // Its scope widened: the change ends the session opened with the old scope.
    let saved = api.form(&admin, "/comptes/j.martin", "role=teacher&modules=M1.1.1%2C+M1.1.2").await;
    assert_eq!(location(&saved), "/comptes/j.martin?fait=enregistre");
    assert_eq!(api.get(Some(&martin), "/notes/M1.1.1").await.status, StatusCode::SEE_OTHER, "the old session ended");
    let martin = api.login("j.martin", &password).await.body["token"].as_str().unwrap().to_string();
    assert_eq!(api.get(Some(&martin), "/notes/M1.1.2").await.status, StatusCode::OK);

    // A new password: the old one and the session go.
    let weak_reset = api.form(&admin, "/comptes/j.martin/mot-de-passe", "password=azerty").await;
    assert_eq!(weak_reset.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reset = api.form(&admin, "/comptes/j.martin/mot-de-passe", "password=un+tout+autre+secret+bien+long").await;
    assert_eq!(location(&reset), "/comptes/j.martin?fait=mot-de-passe");
    assert_eq!(api.get(Some(&martin), "/notes").await.status, StatusCode::SEE_OTHER);
    assert_eq!(api.login("j.martin", &password).await.status, StatusCode::UNAUTHORIZED);
    let martin = api.login("j.martin", "un tout autre secret bien long").await.body["token"].as_str().unwrap().to_string();

    // Disabled: no session, no sign-in, and still listed; enabled again: signs in.
    let disabled = api.form(&admin, "/comptes/j.martin/etat", "disabled=1").await;
    assert_eq!(location(&disabled), "/comptes/j.martin?fait=desactive");
    assert_eq!(api.get(Some(&martin), "/notes").await.status, StatusCode::SEE_OTHER);
    assert_eq!(api.login("j.martin", "un tout autre secret bien long").await.status, StatusCode::UNAUTHORIZED);
    assert!(api.get(Some(&admin), "/comptes").await.text().contains("<td class=\"ko\">désactivé</td>"));
    api.form(&admin, "/comptes/j.martin/etat", "disabled=0").await;
    assert_eq!(api.login("j.martin", "un tout autre secret bien long").await.status, StatusCode::OK);

    // The admin cannot lock themselves out.
    for (uri, body) in
        [("/comptes/admin/etat", "disabled=1"), ("/comptes/admin/supprimer", "confirm=1"), ("/comptes/admin", "role=teacher")]
    {
        let refused = api.form(&admin, uri, body).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
        assert!(refused.text().contains("votre propre compte"), "{uri}: {}", refused.text());
    }
    assert_eq!(api.get(Some(&admin), "/comptes").await.status, StatusCode::OK, "still the admin");

    // Removed only once confirmed.
    let unconfirmed = api.form(&admin, "/comptes/j.martin/supprimer", "").await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unconfirmed.text().contains("Cochez la case"));
    let removed = api.form(&admin, "/comptes/j.martin/supprimer", "confirm=1").await;
    assert_eq!(location(&removed), "/comptes?fait=supprime");
    assert_eq!(api.get(Some(&admin), "/comptes/j.martin").await.status, StatusCode::NOT_FOUND);

    // The log: every change to the account, by the admin, newest first; a learner's writes.
    let log = api.get(Some(&admin), "/journal?compte=j.martin").await.text();
    assert!(log.contains("6 entrée(s)"), "created, saved, new password, disabled, enabled, removed: {log}");
    assert!(log.contains("password_changed") && !log.contains("argon2"), "a new password is logged, never its hash");
    let seqs: Vec<i64> = log.split("<th scope=\"row\">").skip(1).map(|rest| rest.split('<').next().unwrap().parse().unwrap()).collect();
    assert!(seqs.len() == 6 && seqs.windows(2).all(|w| w[0] > w[1]), "newest first: {seqs:?}");
    let teacher = tokens[&Role::Teacher].clone();
    let put = api.put(&teacher, "/api/learners/A-0002/marks/M1.1.1", serde_json::json!({"session1": 13}), None).await;
    assert_eq!(put.status, StatusCode::OK, "{:?}", put.body);
    let by_learner = api.get(Some(&admin), "/journal?apprenant=A-0002").await.text();
    assert!(by_learner.contains("<td>teacher</td><td>marks</td><td>A-0002/M1.1.1</td>"), "{by_learner}");

    // English is a full translation.
    let english = api.get_in_english(&admin, "/comptes").await.text();
    assert!(english.contains("New account") && english.contains("Create the account") && !english.contains("Nouveau compte"), "{english}");
}

/// The test signs in a dozen times from one address: more than the default burst allows.
fn signing_in_often() -> ServerConfig {
    ServerConfig { sign_in_burst: 100, ..ServerConfig::default() }
}

#[test]
fn the_admin_manages_accounts_and_reads_the_log_on_sqlite() {
    on(Workspace::new(), signing_in_often(), the_admin_manages_accounts_and_reads_the_log);
}

#[test]
fn the_admin_manages_accounts_and_reads_the_log_on_postgres() {
    let Some(workspace) = Workspace::on_postgres("accounts_page") else { return };
    on(workspace, signing_in_often(), the_admin_manages_accounts_and_reads_the_log);
}
