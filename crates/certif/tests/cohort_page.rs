//! The cohort page on the demo cohort (68 learners), on SQLite and PostgreSQL: counts at the
//! top, search without accents, filters that combine ("missing exactly: English"), sorting by
//! any column, pages, the CSV of the same selection, block heads with short names, and a
//! write seen at once (the decided cohort is kept only until the next write).

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use certif::server::ServerConfig;
use certif_store::accounts::Role;
use common::api::{Api, on};
use common::workspace::Workspace;
use serde_json::json;

/// The page's learner rows: (id, name, title, missing), as shown.
fn rows(page: &str) -> Vec<(String, String, String, String)> {
    let Some(body) = page.split("<tbody>").nth(1).and_then(|rest| rest.split("</tbody>").next()) else { return Vec::new() };
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let id = between(row, "href=\"/apprenants/", "\"");
            let name = between(row, "</a> ", "</th>");
            let cells: Vec<String> = row.split("<td").skip(1).map(|c| between(c, ">", "</td>")).collect();
            (id, name, cells.first().cloned().unwrap_or_default(), cells.last().cloned().unwrap_or_default())
        })
        .collect()
}

fn between(text: &str, start: &str, end: &str) -> String {
    text.split_once(start).and_then(|(_, rest)| rest.split_once(end)).map(|(inside, _)| inside.trim().to_string()).unwrap_or_default()
}

/// The number a count link of the overview shows for `href`.
fn count(page: &str, href: &str) -> usize {
    let link = format!("href=\"/cohorte?{href}\">");
    let overview = between(page, "<section class=\"overview\"", "</section>");
    let after = page.split_once(&link).map(|(_, rest)| rest).unwrap_or_else(|| panic!("no count for {href} in {overview}"));
    between(after, "<strong>", "</strong>").parse().unwrap()
}

fn folded(text: &str) -> String {
    certif_core::text::folded(text)
}

async fn the_cohort_is_searched_filtered_sorted_and_paged(api: Arc<Api>) {
    let registrar = api.token(Role::Registrar).await;
    let get = |uri: &str| {
        let (api, registrar, uri) = (api.clone(), registrar.clone(), uri.to_string());
        async move {
            let reply = api.get(Some(&registrar), &uri).await;
            assert_eq!(reply.status, StatusCode::OK, "{uri}");
            reply.text()
        }
    };
    let page = get("/cohorte").await;
    assert!(page.contains("68 apprenant(s) correspondent"), "{page}");
    assert_eq!(rows(&page).len(), 50, "50 a page by default");
    assert!(page.contains("Page 1 sur 2") && page.contains("href=\"/cohorte?page=2\" rel=\"next\""), "{page}");
    assert_eq!(rows(&get("/cohorte?page=2").await).len(), 18);
    assert_eq!(rows(&get("/cohorte?page=9").await).len(), 18, "a page past the end is the last");
    assert_eq!(rows(&get("/cohorte?par=tous").await).len(), 68);

    // The overview counts the whole cohort, and each count leads to the learners it counts.
    let by_title: Vec<usize> = ["statut=awarded", "statut=incomplete", "statut=not_awarded"].iter().map(|h| count(&page, h)).collect();
    assert_eq!(by_title.iter().sum::<usize>(), 68, "{by_title:?}");
    let awarded = get("/cohorte?statut=awarded&par=tous").await;
    assert_eq!(rows(&awarded).len(), by_title[0]);
    assert!(rows(&awarded).iter().all(|r| r.2 == "DÉLIVRÉ"));
    let english = count(&page, "manque=english");
    let only_english = count(&page, "manque=english&#38;seul=1");
    assert!(
        english > only_english && only_english > 0,
        "the demo has learners missing English alone and with more: {english}, {only_english}"
    );

    // Missing exactly English: English and nothing else; combined with a title status.
    let exactly = rows(&get("/cohorte?manque=english&seul=1&par=tous").await);
    assert_eq!(exactly.len(), only_english);
    assert!(exactly.iter().all(|r| r.3 == "Anglais"), "{exactly:?}");
    let with_more = rows(&get("/cohorte?manque=english&par=tous").await);
    assert_eq!(with_more.len(), english);
    assert!(with_more.iter().all(|r| r.3.split(", ").any(|m| m == "Anglais")));
    let combined = rows(&get("/cohorte?manque=english&statut=incomplete&par=tous").await);
    assert!(combined.iter().all(|r| r.2 == "INCOMPLET" && r.3.contains("Anglais")), "{combined:?}");

    // Search: by id, or by name with neither case nor accents.
    let all = rows(&get("/cohorte?par=tous").await);
    let (id, name) = all
        .iter()
        .find(|r| r.1 != folded(&r.1) && !r.1.contains('&'))
        .map(|r| (r.0.clone(), r.1.clone()))
        .expect("a name with a capital or an accent");
    let words = folded(&name).to_uppercase().replace('-', " ");
    let uri = format!("/cohorte?q={}", words.replace(' ', "+"));
    assert!(rows(&get(&uri).await).iter().any(|r| r.0 == id), "{words} finds {id} {name}");
    let by_id = rows(&get("/cohorte?q=a-0007").await);
    assert_eq!(by_id.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["A-0007"]);
    assert!(get("/cohorte?q=zzzzqx").await.contains("0 apprenant(s) correspondent"));

    // Sorting: by name (accents aside), by id descending; the heads say which.
    let by_name = rows(&get("/cohorte?tri=nom&par=tous").await);
    let names: Vec<String> = by_name.iter().map(|r| folded(&r.1)).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
    let sorted_page = get("/cohorte?tri=id&ordre=desc").await;
    assert_eq!(rows(&sorted_page)[0].0, all.iter().map(|r| r.0.clone()).max().unwrap());
    assert!(sorted_page.contains("aria-sort=\"descending\"><a href=\"/cohorte?tri=id\""), "sorted descending; the head sorts back");
    let by_missing = rows(&get("/cohorte?tri=manque&ordre=desc&par=tous").await);
    let counts: Vec<usize> = by_missing.iter().map(|r| if r.3.is_empty() { 0 } else { r.3.split(", ").count() }).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");

    // Block heads: a short French name, the code and full title on hover.
    assert!(page.contains("title=\"RNCP39668BC01 — Résoudre des problèmes"), "{page}");
    assert!(page.contains(">Problèmes complexes</a>"));

    // The CSV holds the same selection, every page of it.
    let csv = api.get(Some(&registrar), "/cohorte.csv?manque=english&seul=1").await.text();
    assert_eq!(csv.lines().count(), 1 + only_english, "{csv}");
    assert!(csv.lines().skip(1).all(|line| line.ends_with(";Anglais")), "{csv}");

    // A write is seen at once: the cohort is decided again after it.
    let before = rows(&get("/cohorte?q=A-0001").await);
    assert_eq!(before[0].2, "DÉLIVRÉ");
    let teacher = api.token(Role::Teacher).await;
    let put = api.put(&teacher, "/api/learners/A-0001/marks/M1.1.1", json!({"session1": 2, "session2": null}), None).await;
    assert_eq!(put.status, StatusCode::OK, "{:?}", put.body);
    let after = rows(&get("/cohorte?q=A-0001").await);
    assert_eq!(after[0].2, "NON DÉLIVRÉ", "the new mark is decided");

    // Bad choices in the address are ignored, never an error page.
    let odd = get("/cohorte?page=abc&par=7&tri=bloc99&statut=x&manque=y").await;
    assert_eq!(rows(&odd).len(), 50, "{odd}");

    // English is a full translation.
    let english_page = api
        .send(
            axum::http::Request::get("/cohorte")
                .header("authorization", format!("Bearer {registrar}"))
                .header("cookie", "certif_lang=en")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .text();
    assert!(english_page.contains("68 learner(s) match") && english_page.contains("Page 1 of 2"), "{english_page}");
    assert!(!english_page.contains("apprenant(s)") && !english_page.contains("Rechercher"));
}

#[test]
fn the_cohort_is_searched_filtered_sorted_and_paged_on_sqlite() {
    on(Workspace::new(), ServerConfig::default(), the_cohort_is_searched_filtered_sorted_and_paged);
}

#[test]
fn the_cohort_is_searched_filtered_sorted_and_paged_on_postgres() {
    let Some(workspace) = Workspace::on_postgres("cohort_page") else { return };
    on(workspace, ServerConfig::default(), the_cohort_is_searched_filtered_sorted_and_paged);
}
