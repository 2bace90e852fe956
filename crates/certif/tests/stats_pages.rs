//! The *Statistiques* page and its CSV (spec/declaration.md §2), route × role, on SQLite and
//! PostgreSQL: the registrar and the admin read them, every other role gets 403 and nobody signed
//! in the sign-in page — never the figures.

mod common;

use std::sync::Arc;

use axum::http::{StatusCode, header};
use certif::server::ServerConfig;
use certif_store::accounts::Role;
use common::api::{Api, on_with_promotions};
use common::workspace::Workspace;

const ROUTES: [&str; 3] = ["/statistiques", "/statistiques.csv", "/statistiques?certification=RNCP39668"];

async fn every_route_answers_each_role_by_its_rule(api: Arc<Api>) {
    let tokens = api.tokens().await;
    for uri in ROUTES {
        let reply = api.get(None, uri).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "GET {uri} signed out");
        assert!(!reply.text().contains("Taux de réussite"), "GET {uri} signed out shows no figure");
        for role in Role::ALL {
            let reply = api.get(Some(&tokens[&role]), uri).await;
            let may = matches!(role, Role::Registrar | Role::Admin);
            let expected = if may { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(reply.status, expected, "GET {uri} as {role:?}");
            if !may {
                let text = reply.text();
                assert!(!text.contains("<svg") && !text.contains("Taux de réussite"), "GET {uri} as {role:?} shows no figure: {text}");
            }
        }
    }

    // The registrar's page: the table per year and route, the definitions, three labelled charts.
    let registrar = tokens[&Role::Registrar].clone();
    let page = api.get(Some(&registrar), "/statistiques").await.text();
    for expected in
        ["Statistiques — RNCP39668", "<table id=\"stats-years\">", "2023", "2024", "apprentissage", "toutes voies", "Taux de réussite"]
    {
        assert!(page.contains(expected), "{expected} in the page");
    }
    assert_eq!(page.matches("<svg role=\"img\"").count(), 3, "three charts");
    for id in ["chart-counts", "chart-success", "chart-insertion"] {
        assert!(page.contains(&format!("<title id=\"{id}-title\">")), "{id} has its title");
    }
    assert!(page.contains("/statistiques.csv?certification=RNCP39668"), "the CSV is offered");
    assert!(page.contains("Statistiques</a>"), "the navigation leads to it");

    // The CSV: a BOM, `;`, French headers, decimal commas.
    let reply = api.get(Some(&registrar), "/statistiques.csv").await;
    assert_eq!(reply.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let csv = reply.text();
    assert!(csv.starts_with('\u{feff}'), "a BOM");
    assert!(csv.lines().next().unwrap().starts_with("\u{feff}Année;Voie d'accès;Candidats présentés;"), "{csv}");
    assert!(csv.lines().nth(1).unwrap().starts_with("2023;toutes voies;16;"), "{csv}");
    assert!(csv.contains(";0,"), "rates with a decimal comma: {csv}");

    assert!(page.contains("Taux d&#x27;insertion global") || page.contains("Taux d&#39;insertion global"), "the survey's figures");
    let unknown = api.get(Some(&registrar), "/statistiques?certification=RNCP00000").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.text());
    // The navigation offers it to those who may read it only.
    let teacher = tokens[&Role::Teacher].clone();
    assert!(!api.get(Some(&teacher), "/notes").await.text().contains("/statistiques"));
}

#[test]
fn the_statistics_pages_answer_each_role_by_its_rule_on_sqlite() {
    on_with_promotions(Workspace::new(), ServerConfig::default(), every_route_answers_each_role_by_its_rule);
}

#[test]
fn the_statistics_pages_answer_each_role_by_its_rule_on_postgres() {
    let Some(workspace) = Workspace::on_postgres("stats_pages") else { return };
    on_with_promotions(workspace, ServerConfig::default(), every_route_answers_each_role_by_its_rule);
}
