//! The OpenAPI 3.1 document of every API route, generated from the handlers' annotations and
//! the body types (`api::types`, the engine's types with certif-core's `openapi` feature), and
//! an interactive reference page (RapiDoc, vendored in `assets/`).

use std::borrow::Cow;

use axum::Json;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{OpenApi, PartialSchema, ToSchema};

use super::api;

#[derive(OpenApi)]
#[openapi(
    info(title = "certif", description = "Competency-based certification: learners' records, decisions with their reasons (spec/api.md). Every request and response body has its schema; every error answers `{\"error\": {\"code\", \"field\", \"message\"}}` (`ErrorBody`), with `reasons` when the jury's rules refuse."),
    paths(
        api::healthz,
        api::readyz,
        super::metrics::metrics,
        document,
        page,
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
        api::curriculum,
        api::jury::list_juries,
        api::jury::create_jury,
        api::jury::show_jury,
        api::jury::add_member,
        api::jury::remove_member,
        api::jury::add_candidates,
        api::jury::remove_candidate,
        api::jury::open_jury,
        api::jury::points,
        api::jury::deliberate,
        api::jury::close_jury,
        api::jury::sign_jury,
        api::jury::publish_jury,
        api::jury::appeal,
        api::jury::minutes,
        api::jury::holders,
        api::jury::jury_decisions
    ),
    components(schemas(api::types::ErrorBody)),
    tags(
        (name = "health", description = "whether the server is alive (`/healthz`), ready to work on its database (`/readyz`), and what it is doing (`/metrics`)"),
        (name = "documentation", description = "this document and its interactive reference"),
        (name = "session", description = "signing in and out"),
        (name = "learners", description = "learners' records, decisions, dossiers and what-if"),
        (name = "writes", description = "marks and company-period evaluations: versioned (`ETag`, `If-Match`) and audited"),
        (name = "catalog", description = "referentials and curricula"),
        (name = "jury", description = "jury sessions (spec/jury.md): prepared by the registrar or the admin, read by them and the jury, conducted by them or the session's president; holders; a learner's published decisions")
    ),
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

/// This document, as `GET /api/openapi.json` answers it.
#[derive(Serialize)]
#[serde(transparent)]
pub struct OpenApiDocument(utoipa::openapi::OpenApi);

impl PartialSchema for OpenApiDocument {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .description(Some("An OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.0): this one."))
            .property("openapi", ObjectBuilder::new().schema_type(Type::String))
            .required("openapi")
            .property("info", ObjectBuilder::new().schema_type(Type::Object))
            .required("info")
            .property("paths", ObjectBuilder::new().schema_type(Type::Object))
            .property("components", ObjectBuilder::new().schema_type(Type::Object))
            .into()
    }
}

impl ToSchema for OpenApiDocument {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("OpenApiDocument")
    }
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "documentation", security(()),
    responses((status = 200, description = "the OpenAPI 3.1 document of every API route", body = OpenApiDocument)))]
pub async fn document() -> Json<OpenApiDocument> {
    Json(OpenApiDocument(ApiDoc::openapi()))
}

const RAPIDOC: &str = include_str!("../../assets/rapidoc-9.3.8.min.js");

/// The interactive reference (RapiDoc), its script served from the binary (`/api/docs?rapidoc.js`),
/// under a policy that lets it load nothing remote.
#[utoipa::path(get, path = "/api/docs", tag = "documentation", security(()),
    responses((status = 200, description = "the reference page (HTML); with the query `rapidoc.js`, its script (JavaScript)",
        content((String = "text/html"), (String = "text/javascript")))))]
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
