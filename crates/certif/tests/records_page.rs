//! The registrar's *Dossier* forms, route × role, on SQLite and PostgreSQL: a learner created
//! (refused beside its fields first, in French), their identity and contract edited, a stale
//! edit refused, an English certificate, a company period, a mobility stay, a VAE decision and
//! an accommodation added — each read by the import's parser, each write audited as its
//! author — and the accommodation seen by nobody but the registrar, the admin and the learner.

mod common;

use std::sync::Arc;

use axum::http::{StatusCode, header};
use certif_store::Store as _;
use certif_store::accounts::Role;
use common::api::{Api, on};
use common::workspace::Workspace;

fn location(reply: &common::api::Reply) -> String {
    reply.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

/// The version a form of the page carries.
fn version_of(page: &str, form: &str) -> String {
    let at = page.find(&format!("id=\"{form}\"")).unwrap_or_else(|| panic!("no form {form} in {page}"));
    let rest = &page[at..];
    rest.split("name=\"version\" value=\"").nth(1).and_then(|v| v.split('"').next()).unwrap().to_string()
}

/// What a field of a form says is wrong with it.
fn problem_of(page: &str, field_id: &str) -> String {
    let marker = format!("id=\"{field_id}-error\">");
    let at = page.find(&marker).unwrap_or_else(|| panic!("no problem for {field_id} in {page}"));
    page[at + marker.len()..].split('<').next().unwrap().to_string()
}

async fn audit_count(api: &Api, learner: &str) -> usize {
    api.state.db.audit_log(Some(learner)).await.unwrap().len()
}

async fn the_registrar_keeps_records_in_the_browser(api: Arc<Api>) {
    let tokens = api.tokens().await;
    let registrar = tokens[&Role::Registrar].clone();
    let admin = tokens[&Role::Admin].clone();

    // Route × role: the registrar and the admin; a learner asking for another learner's gets 404.
    for uri in ["/apprenants/A-0002/dossier", "/apprenants/nouveau"] {
        assert_eq!(api.get(None, uri).await.status, StatusCode::SEE_OTHER, "{uri} signed out");
        for role in Role::ALL {
            let expected = match role {
                Role::Admin | Role::Registrar => StatusCode::OK,
                Role::Learner if uri.contains("A-0002") => StatusCode::NOT_FOUND,
                _ => StatusCode::FORBIDDEN,
            };
            assert_eq!(api.get(Some(&tokens[&role]), uri).await.status, expected, "GET {uri} as {role:?}");
        }
    }
    assert_eq!(api.get(Some(&tokens[&Role::Learner]), "/apprenants/A-0001/dossier").await.status, StatusCode::FORBIDDEN);
    assert_eq!(api.get(Some(&registrar), "/apprenants/Z-9999/dossier").await.status, StatusCode::NOT_FOUND);
    let before = audit_count(&api, "A-0002").await;
    for role in [Role::Teacher, Role::Master, Role::Jury, Role::Learner] {
        for section in ["identite", "anglais", "amenagements"] {
            let uri = format!("/apprenants/A-0002/dossier/{section}");
            let tried = api.form(&tokens[&role], &uri, "version=0&test=TOEIC_LR&date=2026-01-10&score=800&kind=extra_time").await;
            let expected = if role == Role::Learner { StatusCode::NOT_FOUND } else { StatusCode::FORBIDDEN };
            assert_eq!(tried.status, expected, "POST {uri} as {role:?}");
        }
        let tried = api.form(&tokens[&role], "/apprenants/nouveau", "learner_id=X-0001&access_route=student&enrolled_on=2026-09-01").await;
        assert_eq!(tried.status, StatusCode::FORBIDDEN, "POST /apprenants/nouveau as {role:?}");
    }
    assert_eq!(audit_count(&api, "A-0002").await, before, "a refused write writes nothing");
    assert!(api.state.db.records_of("X-0001").await.unwrap().is_empty());
    assert_eq!(api.form(&registrar, "/apprenants/A-0002/dossier/notes", "version=0").await.status, StatusCode::NOT_FOUND);

    // The mark grids are reached from the navigation: every module for the registrar.
    let modules = api.get(Some(&registrar), "/notes").await.text();
    assert!(modules.contains("<h1>Saisie des notes</h1>") && modules.contains("href=\"/notes/M7.1.1\""), "{modules}");
    assert!(api.get(Some(&registrar), "/cohorte").await.text().contains("href=\"/notes\""));

    // The ways in: the cohort and the learner's page, for those who may edit.
    assert!(api.get(Some(&registrar), "/cohorte").await.text().contains("href=\"/apprenants/nouveau\""));
    assert!(!api.get(Some(&tokens[&Role::Jury]), "/cohorte").await.text().contains("href=\"/apprenants/nouveau\""));
    assert!(api.get(Some(&registrar), "/apprenants/A-0002").await.text().contains("href=\"/apprenants/A-0002/dossier\""));
    assert!(!api.get(Some(&tokens[&Role::Jury]), "/apprenants/A-0002").await.text().contains("/dossier\""));

    // A new learner refused: each reason beside its field, in French; what was typed kept.
    let wrong = "learner_id=B-0001&family_name=Durand&given_names=Zo%C3%A9&access_route=apprenticeship&enrolled_on=&employer=Dassault&employer_siret=12345678901234&contract_start=2026-09-01&contract_end=2025-08-31";
    let refused = api.form(&registrar, "/apprenants/nouveau", wrong).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text();
    assert_eq!(problem_of(&page, "identite-nouveau-enrolled_on"), "obligatoire");
    assert!(problem_of(&page, "identite-nouveau-employer_siret").contains("n&#39;est pas un SIRET"), "{page}");
    assert!(problem_of(&page, "identite-nouveau-contract_end").starts_with("se termine le 31/08/2025"), "{page}");
    assert!(page.contains("value=\"Durand\"") && page.contains("value=\"Dassault\""), "what was typed is kept");
    assert!(page.contains("aria-invalid=\"true\""));
    assert!(api.state.db.records_of("B-0001").await.unwrap().is_empty(), "nothing written");

    // Created.
    let right = "learner_id=B-0001&family_name=Durand&given_names=Zo%C3%A9&sex=F&access_route=apprenticeship&enrolled_on=2026-09-01&employer=Dassault+Aviation&employer_siret=&contract_start=2026-09-01&contract_end=2029-08-31&master=M.+Roux";
    let created = api.form(&registrar, "/apprenants/nouveau", right).await;
    assert_eq!(
        (created.status, location(&created).as_str()),
        (StatusCode::SEE_OTHER, "/apprenants/B-0001/dossier?enregistre=identite#identite")
    );
    let page = api.get(Some(&registrar), "/apprenants/B-0001/dossier?enregistre=identite").await.text();
    assert!(page.contains("Dossier de Durand Zoé"), "{page}");
    assert!(page.contains("Enregistré."));
    assert!(page.contains("value=\"Dassault Aviation\"") && page.contains("value=\"2029-08-31\""), "{page}");
    let taken = api.form(&registrar, "/apprenants/nouveau", right).await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "an id already taken is refused");
    assert!(taken.text().contains("Existe déjà"));

    // Identity edited; the same form sent again with the old version is refused, nothing written.
    let version = version_of(&page, "identite-1");
    let edit = |master: &str, version: &str| {
        format!(
            "form=identite-1&version={version}&family_name=Durand&given_names=Zo%C3%A9&sex=F&access_route=apprenticeship&enrolled_on=2026-09-01&employer=Dassault+Aviation&contract_start=2026-09-01&contract_end=2029-08-31&master={master}"
        )
    };
    let saved = api.form(&registrar, "/apprenants/B-0001/dossier/identite", &edit("Mme+Leroy", &version)).await;
    assert_eq!(location(&saved), "/apprenants/B-0001/dossier?enregistre=identite#identite");
    let stale = api.form(&admin, "/apprenants/B-0001/dossier/identite", &edit("M.+Petit", &version)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let page = stale.text();
    assert!(page.contains("Modifié entre-temps") && page.contains("Mme Leroy"), "the stored value is shown: {page}");
    let learner = api.get(Some(&registrar), "/api/learners/B-0001/dossier").await;
    assert_eq!(learner.body["apprenticeship_contract"]["master"], "Mme Leroy", "{:?}", learner.body);
    assert_eq!(learner.body["learner"]["id"], "B-0001", "the id is the address's, whatever the form says");

    // An English certificate: out of its test's range, then right.
    let out = api
        .form(&registrar, "/apprenants/B-0001/dossier/anglais", "form=anglais-nouveau&version=0&test=TOEIC_LR&date=2027-03-01&score=995")
        .await;
    assert_eq!(out.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem_of(&out.text(), "anglais-nouveau-score").contains("hors de l&#39;échelle"), "{}", out.text());
    let toeic = api
        .form(&registrar, "/apprenants/B-0001/dossier/anglais", "form=anglais-nouveau&version=0&test=TOEIC_LR&date=2027-03-01&score=815")
        .await;
    assert_eq!(location(&toeic), "/apprenants/B-0001/dossier?enregistre=anglais#anglais");

    // A field longer than a spreadsheet's cell is refused as an import's would be.
    let long = format!("version=0&period_id=P9&start=2026-09-01&end=2027-01-31&evaluation={}", "1".repeat(200_000));
    let refused = api.form(&registrar, "/apprenants/B-0001/dossier/periodes", &long).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem_of(&refused.text(), "periodes-nouveau-evaluation").contains("la limite"), "{}", refused.text().len());

    // A company period, a mobility stay, a VAE decision.
    let period = "version=0&period_id=P1&start=2026-09-01&end=2027-01-31&evaluation=14%2C5";
    assert_eq!(api.form(&registrar, "/apprenants/B-0001/dossier/periodes", period).await.status, StatusCode::SEE_OTHER);
    let stay = "version=0&country=de&start=2027-02-01&end=2027-05-31";
    assert_eq!(api.form(&registrar, "/apprenants/B-0001/dossier/mobilite", stay).await.status, StatusCode::SEE_OTHER);
    let vae = "version=0&block=RNCP39668BC07&decision=validated&date=2027-06-15";
    let vae = api.form(&registrar, "/apprenants/B-0001/dossier/vae", vae).await;
    assert_eq!(vae.status, StatusCode::SEE_OTHER, "{}", vae.text());
    let dossier = api.get(Some(&registrar), "/api/learners/B-0001/dossier").await.body;
    assert_eq!(dossier["english"][0]["score"], 815, "{dossier}");
    assert_eq!(dossier["company_periods"][0]["evaluation"], 14.5, "{dossier}");
    assert_eq!(dossier["mobility"][0]["country"], "DE", "{dossier}");
    assert_eq!(dossier["vae"][0]["decision"], "validated", "{dossier}");

    // An accommodation for A-0001 (the learner's account): health data.
    let accommodation =
        "version=0&kind=english_adaptation&decided_on=2026-10-02&target_level=B1&definitive=oui&decided_by=MDPH&note=dyslexie";
    let added = api.form(&registrar, "/apprenants/A-0001/dossier/amenagements", accommodation).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text());
    for (role, seen) in Role::ALL.map(|r| (r, matches!(r, Role::Admin | Role::Registrar | Role::Learner))) {
        let reply = api.get(Some(&tokens[&role]), "/api/learners/A-0001/accommodations").await;
        assert_eq!(reply.status == StatusCode::OK, seen, "accommodations as {role:?}: {:?}", reply.status);
        if seen {
            assert!(reply.body.to_string().contains("dyslexie"), "{role:?}: {:?}", reply.body);
        }
        let page = api.get(Some(&tokens[&role]), "/apprenants/A-0001").await;
        if !seen {
            assert!(!page.text().contains("dyslexie") && !page.text().contains("MDPH"), "{role:?} reads no health data");
        }
    }
    let forms = api.get(Some(&registrar), "/apprenants/A-0001/dossier").await.text();
    assert!(forms.contains("Données de santé") && forms.contains("value=\"dyslexie\""), "{forms}");

    // Every write audited as its author.
    let log = api.state.db.audit_log(Some("B-0001")).await.unwrap();
    let tables: Vec<&str> = log.iter().map(|e| e.entity.as_str()).collect();
    for table in ["learners", "english", "company_periods", "mobility", "vae"] {
        assert!(tables.contains(&table), "{table} audited: {tables:?}");
    }
    assert!(log.iter().all(|e| e.actor == "registrar"), "{log:?}");
    let health = api.state.db.audit_log(Some("A-0001")).await.unwrap();
    assert!(health.iter().any(|e| e.entity == "accommodations" && e.actor == "registrar"));

    // English is a full translation.
    let english = api.get_in_english(&registrar, "/apprenants/B-0001/dossier").await.text();
    assert!(english.contains("Record of") && english.contains("Company periods") && english.contains("Employer"), "{english}");
    assert!(!english.contains("Périodes en entreprise") && !english.contains("Employeur"), "{english}");
}

#[test]
fn the_registrar_keeps_records_in_the_browser_on_sqlite() {
    on(Workspace::new(), certif::server::ServerConfig::default(), the_registrar_keeps_records_in_the_browser);
}

#[test]
fn the_registrar_keeps_records_in_the_browser_on_postgres() {
    let Some(workspace) = Workspace::on_postgres("records_page") else { return };
    on(workspace, certif::server::ServerConfig::default(), the_registrar_keeps_records_in_the_browser);
}
