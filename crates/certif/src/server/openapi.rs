//! The OpenAPI 3.1 document of every API route, generated from the handlers' annotations, and
//! an interactive reference page (RapiDoc, vendored in `assets/`).

use axum::Json;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use utoipa::OpenApi;

use super::api;

#[derive(OpenApi)]
#[openapi(
    info(title = "certif", description = "Competency-based certification: learners' records, decisions with their reasons (spec/api.md)."),
    paths(
        api::healthz,
        api::login,
        api::logout,
        api::learners,
        api::learner,
        api::decision,
        api::dossier,
        api::what_if,
        api::accommodations,
        api::put_mark,
        api::put_period,
        api::referential,
        api::curricula,
        api::curriculum
    ),
    components(schemas(api::Credentials, api::WhatIfRequest, api::HypotheticalMark, api::HypotheticalPeriod, api::HypotheticalStay, api::HypotheticalEnglish)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// `GET /api/openapi.json`
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

const RAPIDOC: &str = include_str!("../../assets/rapidoc-9.3.8.min.js");

/// `GET /api/docs`: the interactive reference, its script served from the binary, under a
/// policy that lets it load nothing remote.
pub async fn page(uri: axum::http::Uri) -> Response {
    if uri.query() == Some("rapidoc.js") {
        return ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=86400")], RAPIDOC)
            .into_response();
    }
    let mut page = Html(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>certif — API</title>\
         <script type=\"module\" src=\"/api/docs?rapidoc.js\"></script></head>\
         <body><rapi-doc spec-url=\"/api/openapi.json\" render-style=\"read\" allow-server-selection=\"false\" load-fonts=\"false\"></rapi-doc></body></html>",
    )
    .into_response();
    page.headers_mut().insert(header::CONTENT_SECURITY_POLICY, axum::http::HeaderValue::from_static(super::headers::DOCS_CSP));
    page
}
