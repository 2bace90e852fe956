//! `/healthz` says the process is alive; `/readyz` says ok only when the database takes writes
//! and holds this binary's schema: a database opened read-only answers 503 with the reason,
//! though it still reads, and so does one migrated by a newer certif.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use certif::server::{AppState, router};
use certif_app::Database;
use common::workspace::Workspace;
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn probe(state: &AppState, path: &str) -> (StatusCode, String) {
    let response = router(state.clone()).oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

async fn state(url: &str) -> AppState {
    AppState::new(Database::open(url).await.unwrap())
}

#[test]
fn readyz_is_503_when_the_database_refuses_writes_and_healthz_stays_ok() {
    let w = Workspace::new();
    w.ok(&["demo", "--no-promotions"]);
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        let writable = state(&w.url()).await;
        assert_eq!(probe(&writable, "/healthz").await, (StatusCode::OK, "ok".to_string()));
        assert_eq!(probe(&writable, "/readyz").await, (StatusCode::OK, "ok".to_string()));
        let read_only = state(&format!("{}?mode=ro", w.url())).await;
        let (status, body) = probe(&read_only, "/readyz").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert!(body.contains("readonly"), "the reason is given: {body}");
        assert_eq!(probe(&read_only, "/healthz").await, (StatusCode::OK, "ok".to_string()), "alive, though not ready");
    });
}

#[test]
fn readyz_is_503_when_a_newer_certif_migrated_the_database() {
    let w = Workspace::new();
    w.ok(&["user", "list"]);
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        let server = state(&w.url()).await;
        assert_eq!(probe(&server, "/readyz").await, (StatusCode::OK, "ok".to_string()));
        // What a newer binary's migration leaves behind, while this server still runs.
        use sqlx::Connection as _;
        let mut connection = sqlx::SqliteConnection::connect(&w.url()).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'future', TRUE, X'00', 0)",
        )
        .execute(&mut connection)
        .await
        .unwrap();
        let (status, body) = probe(&server, "/readyz").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert!(body.contains("9999") && body.contains("newer"), "the migration is named: {body}");
        assert_eq!(probe(&server, "/healthz").await.0, StatusCode::OK);
    });
}
