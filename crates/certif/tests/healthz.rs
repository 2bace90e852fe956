//! `/healthz` says ok only when the database takes writes: a database opened read-only
//! answers 503 with the reason, though it still reads.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use certif::server::{AppState, router};
use certif_app::Database;
use common::workspace::Workspace;
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn healthz(url: &str) -> (StatusCode, String) {
    let state = AppState::new(Database::open(url).await.unwrap());
    let response = router(state).oneshot(Request::get("/healthz").body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[test]
fn healthz_is_503_when_the_database_refuses_writes() {
    let w = Workspace::new();
    w.ok(&["demo"]);
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        assert_eq!(healthz(&w.url()).await, (StatusCode::OK, "ok".to_string()));
        let (status, body) = healthz(&format!("{}?mode=ro", w.url())).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert!(body.contains("readonly"), "the reason is given: {body}");
    });
}
