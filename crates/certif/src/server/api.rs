//! The routes of spec/api.md.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use certif_core::mark::MarkEntry;
use certif_core::{Decision, Dossier};
use certif_store::accounts::AccountStore as _;
use certif_store::{Record, Store as _};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

use super::access::{self, Access};
use super::auth::{self, Caller};
use super::limit::Source;
use super::{ApiError, AppState, headers, limit, openapi, redact};

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/docs", get(openapi::page))
        .route("/api/auth/login", post(login))
        .route("/api/auth/logout", post(logout))
        .route("/api/learners", get(learners))
        .route("/api/learners/{id}", get(learner))
        .route("/api/learners/{id}/decision", get(decision))
        .route("/api/learners/{id}/dossier", get(dossier))
        .route("/api/learners/{id}/what-if", post(what_if).layer(axum::extract::DefaultBodyLimit::max(WHAT_IF_BODY_LIMIT)))
        .route("/api/learners/{id}/accommodations", get(accommodations))
        .route("/api/learners/{id}/marks/{module}", put(put_mark))
        .route("/api/learners/{id}/company-periods/{period}", put(put_period))
        .route("/api/referentials/{code}", get(referential))
        .route("/api/curricula", get(curricula))
        .route("/api/curricula/{id}", get(curriculum))
        .merge(super::ui::routes())
        .layer(axum::middleware::from_fn_with_state(state.clone(), limit::sources_and_sign_in_limit))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .with_state(state)
}

/// An identifier from a path (learner, module, period, code): anything outside the safe
/// charset is refused before it reaches the store (`certif_core::ident`).
fn identifier(field: &str, text: &str) -> Result<(), ApiError> {
    certif_core::ident::check(text).map_err(|e| ApiError::invalid(field, e.to_string()))
}

fn check(access: Access, what: &str) -> Result<(), ApiError> {
    match access {
        Access::Allowed => Ok(()),
        Access::Forbidden => Err(ApiError::forbidden(format!("your role may not {what}"))),
        Access::Hidden => Err(ApiError::not_found("no such learner")),
    }
}

/// How long `/healthz` waits for the write lock: a write queued longer than this is a failure
/// a probe should see (probes give up after a second or two).
const HEALTH_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// 200 when the database answers and takes writes; 503 with the reason otherwise.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "the database answers and can be written"), (status = 503, description = "the database cannot be written now (read-only, standby, locked) or does not answer")))]
pub async fn healthz(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    let unavailable = |message: String| ApiError { status: StatusCode::SERVICE_UNAVAILABLE, code: "unavailable", message, field: None };
    match tokio::time::timeout(HEALTH_WAIT, state.db.check_writable()).await {
        Ok(Ok(())) => Ok("ok"),
        Ok(Err(error)) => Err(unavailable(format!("writes fail: {error}"))),
        Err(_) => Err(unavailable(format!("no write lock within {} s", HEALTH_WAIT.as_secs()))),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    username: String,
    password: String,
}

/// Signs in: the token for `Authorization: Bearer`, and the session cookie.
#[utoipa::path(post, path = "/api/auth/login", request_body = Credentials,
    responses((status = 200, description = "`{\"token\", \"csrf\"}` and an HttpOnly, SameSite=Strict cookie"), (status = 401, description = "bad credentials or locked account")))]
pub async fn login(
    State(state): State<AppState>,
    axum::Extension(source): axum::Extension<Source>,
    body: Result<Json<Credentials>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(credentials) = body.map_err(|e| ApiError::invalid("", e.body_text()))?;
    let session = auth::sign_in(&*state.db, &credentials.username, &credentials.password, &source.0).await?;
    let mut response = Json(json!({"token": session.token, "csrf": session.csrf})).into_response();
    response.headers_mut().insert(header::SET_COOKIE, state.cookie(auth::COOKIE, &session.token, "/", Some(auth::SESSION.num_seconds())));
    Ok(response)
}

/// Ends the session.
#[utoipa::path(post, path = "/api/auth/logout", responses((status = 204, description = "signed out"), (status = 401, description = "not signed in")))]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let caller = state.caller(&headers).await?;
    auth::check_csrf(&caller, &headers)?;
    state.db.remove_session(&caller.token_hash).await?;
    state.forget_session(&caller.token_hash).await;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(header::SET_COOKIE, state.cookie(auth::COOKIE, "", "/", Some(0)));
    Ok(response)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct OnDate {
    /// The evaluation date (YYYY-MM-DD), today by default.
    on: Option<String>,
}

fn date_or_today(on: &OnDate) -> Result<NaiveDate, ApiError> {
    match &on.on {
        None => Ok(chrono::Local::now().date_naive()),
        Some(text) => {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| ApiError::invalid("on", format!("{text:?} is not a date (YYYY-MM-DD)")))
        }
    }
}

/// A learner the caller may read, decided as of `on`.
async fn readable(state: &AppState, caller: &Caller, id: &str, on: NaiveDate) -> Result<(Dossier, Decision), ApiError> {
    identifier("id", id)?;
    let curricula = state.curricula().await?;
    let records = state.db.records_of(id).await?;
    if records.is_empty() {
        // Whoever may read every learner may know this one does not exist; others learn nothing.
        return Err(ApiError::not_found("no such learner"));
    }
    check(access::read_learner(&caller.account, id, &curricula.follows(&records)), "read this learner")?;
    let (dossier, decision) = certif_app::decide_records(&curricula, &certif_core::Policy::default(), id, &records, on)
        .map_err(|e| ApiError::invalid("", e.0))?;
    Ok((dossier, decision))
}

/// The dossier as this caller may see it: accommodations (health data) only for those who may.
fn visible_dossier(caller: &Caller, mut dossier: Dossier) -> Value {
    if access::read_accommodations(&caller.account, &dossier.learner.id) != Access::Allowed {
        dossier.accommodations.clear();
    }
    serde_json::from_str(&dossier.to_json()).unwrap_or(Value::Null)
}

/// Learners the caller may see: id, names, access route, title status.
#[utoipa::path(get, path = "/api/learners", params(OnDate), responses((status = 200, description = "learners the caller may see"), (status = 401, description = "not signed in")))]
pub async fn learners(State(state): State<AppState>, headers: HeaderMap, Query(on): Query<OnDate>) -> Result<Json<Value>, ApiError> {
    let caller = state.caller(&headers).await?;
    let on = date_or_today(&on)?;
    let curricula = state.curricula().await?;
    let mut out = Vec::new();
    for (id, records) in state.db.all_records().await? {
        if access::read_learner(&caller.account, &id, &curricula.follows(&records)) != Access::Allowed {
            continue;
        }
        let Ok((dossier, decision)) = certif_app::decide_records(&curricula, &certif_core::Policy::default(), &id, &records, on) else {
            continue;
        };
        out.push(json!({
            "id": id,
            "family_name": dossier.learner.family_name,
            "given_names": dossier.learner.given_names,
            "access_route": dossier.access_route,
            "title_status": decision.title.status,
            "blocks": decision.blocks.iter().map(|b| json!({"code": b.code, "status": b.status})).collect::<Vec<_>>(),
        }));
    }
    Ok(Json(Value::Array(out)))
}

/// The learner's record.
#[utoipa::path(get, path = "/api/learners/{id}", params(("id" = String, Path, description = "learner id")),
    responses((status = 200, description = "the record"), (status = 403, description = "not this role"), (status = 404, description = "no such learner (or not yours)")))]
pub async fn learner(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let caller = state.caller(&headers).await?;
    let (dossier, _) = readable(&state, &caller, &id, chrono::Local::now().date_naive()).await?;
    let mut record = visible_dossier(&caller, dossier);
    if let Some(object) = record.as_object_mut() {
        object.remove("evaluated_on");
    }
    Ok(Json(record))
}

/// The decision, as spec/evaluation.md §5.
#[utoipa::path(get, path = "/api/learners/{id}/decision", params(("id" = String, Path, description = "learner id"), OnDate),
    responses((status = 200, description = "the decision"), (status = 403, description = "not this role"), (status = 404, description = "no such learner (or not yours)")))]
pub async fn decision(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(on): Query<OnDate>,
) -> Result<Json<Decision>, ApiError> {
    let caller = state.caller(&headers).await?;
    let (_, decision) = readable(&state, &caller, &id, date_or_today(&on)?).await?;
    Ok(Json(redact::decision_for(&caller.account, &id, decision)))
}

/// The dossier, as spec/evaluation.md §1.
#[utoipa::path(get, path = "/api/learners/{id}/dossier", params(("id" = String, Path, description = "learner id"), OnDate),
    responses((status = 200, description = "the dossier"), (status = 403, description = "not this role"), (status = 404, description = "no such learner (or not yours)")))]
pub async fn dossier(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(on): Query<OnDate>,
) -> Result<Json<Value>, ApiError> {
    let caller = state.caller(&headers).await?;
    let (dossier, _) = readable(&state, &caller, &id, date_or_today(&on)?).await?;
    Ok(Json(visible_dossier(&caller, dossier)))
}

/// The largest what-if request read (a whole curriculum's marks take a few kilobytes).
const WHAT_IF_BODY_LIMIT: usize = 64 * 1024;

/// A what-if request: hypothetical marks and evidence in the shapes of the dossier's lists
/// (spec/evaluation.md §1), merged over the learner's stored record. The handler reads it with
/// `certif_core::what_if::Hypotheses`, the dossier's own rules; this type is its schema.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct WhatIfRequest {
    /// The evaluation date (YYYY-MM-DD), today by default.
    on: Option<String>,
    /// Per module, the sessions supposed (a number in 0..20 with at most 2 decimals, null,
    /// "ABJ" or "ABI"); a session left out keeps the stored mark.
    marks: Option<Vec<HypotheticalMark>>,
    /// Per period id, the fields supposed; a field left out keeps the stored one (a new period
    /// needs its dates).
    company_periods: Option<Vec<HypotheticalPeriod>>,
    /// Stays abroad added to the learner's.
    mobility: Option<Vec<HypotheticalStay>>,
    /// English results added to the learner's (only for roles that may see accommodations:
    /// whether a result meets the target would tell an adapted target).
    english: Option<Vec<HypotheticalEnglish>>,
}

#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct HypotheticalMark {
    module: String,
    #[schema(value_type = Option<Object>)]
    session1: Option<Value>,
    #[schema(value_type = Option<Object>)]
    session2: Option<Value>,
}

#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct HypotheticalPeriod {
    id: String,
    start: Option<String>,
    end: Option<String>,
    #[schema(value_type = Option<Object>)]
    evaluation: Option<Value>,
}

#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct HypotheticalStay {
    /// ISO 3166-1 alpha-2, upper case.
    country: String,
    start: String,
    end: String,
}

#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct HypotheticalEnglish {
    /// A test of the policy (TOEIC_LR, IELTS, CLES…).
    test: String,
    /// A number, or a CEFR level for CLES.
    #[schema(value_type = Object)]
    score: Value,
    date: String,
}

/// What the learner's decision would be with hypothetical marks and evidence merged over their
/// record (spec/evaluation.md §7): the decision JSON, as the decision route answers it. Nothing
/// is stored or audited; with the session cookie it needs the CSRF token like any POST.
#[utoipa::path(post, path = "/api/learners/{id}/what-if", params(("id" = String, Path, description = "learner id")),
    request_body = WhatIfRequest,
    responses((status = 200, description = "the decision the hypotheses would give, as `GET /api/learners/{id}/decision`"),
        (status = 401, description = "not signed in"),
        (status = 403, description = "not this role, missing CSRF token with the cookie, or English results asked by a role that may not see accommodations"),
        (status = 404, description = "no such learner (or not yours)"),
        (status = 413, description = "the request is over 64 KiB"),
        (status = 422, description = "invalid hypothesis: `field` is its JSON path in the request")))]
pub async fn what_if(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<Decision>, ApiError> {
    let caller = state.caller(&headers).await?;
    auth::check_csrf(&caller, &headers)?;
    identifier("id", &id)?;
    let curricula = state.curricula().await?;
    let records = state.db.records_of(&id).await?;
    if records.is_empty() {
        return Err(ApiError::not_found("no such learner"));
    }
    check(access::read_learner(&caller.account, &id, &curricula.follows(&records)), "read this learner")?;
    let body = body.map_err(|e| ApiError { status: e.status(), code: "unreadable", message: e.body_text(), field: None })?;
    let text = std::str::from_utf8(&body).map_err(|_| ApiError::invalid("$", "the request is not UTF-8 text"))?;
    let (hypotheses, decision) =
        certif_app::decide_what_if(&curricula, &certif_core::Policy::default(), &id, &records, chrono::Local::now().date_naive(), text)
            .map_err(|e| ApiError::invalid("", e.0))?
            .map_err(|e| ApiError::invalid(e.path, e.message))?;
    if !hypotheses.english.is_empty() && !redact::may_see_health_data(&caller.account, &id) {
        return Err(ApiError::forbidden("your role may not suppose English results: they would tell whether the target is adapted"));
    }
    Ok(Json(redact::decision_for(&caller.account, &id, decision)))
}

/// The learner's accommodations: registrar, admin, the learner themself.
#[utoipa::path(get, path = "/api/learners/{id}/accommodations", params(("id" = String, Path, description = "learner id")),
    responses((status = 200, description = "the accommodations"), (status = 403, description = "not this role"), (status = 404, description = "no such learner (or not yours)")))]
pub async fn accommodations(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let caller = state.caller(&headers).await?;
    identifier("id", &id)?;
    check(access::read_accommodations(&caller.account, &id), "read accommodations")?;
    let records = state.db.records_of(&id).await?;
    if records.is_empty() {
        return Err(ApiError::not_found("no such learner"));
    }
    let dossier = certif_store::dossier_from(&records, chrono::Local::now().date_naive(), |_| Some(String::new()))
        .ok_or_else(|| ApiError::not_found("no such learner"))?;
    let full: Value = serde_json::from_str(&dossier.to_json()).unwrap_or(Value::Null);
    Ok(Json(full.get("accommodations").cloned().unwrap_or_else(|| json!([]))))
}

/// A mark in a request: a number, a string (`12,5`, `ABJ`, `ABI`) or null.
fn mark_entry(value: &Value, field: &str) -> Result<MarkEntry, ApiError> {
    let text = match value {
        Value::Null => return Ok(MarkEntry::Pending),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return Err(ApiError::invalid(field, "a mark is a number, \"ABJ\", \"ABI\" or null")),
    };
    MarkEntry::from_cell(&text).map_err(|e| ApiError::invalid(field, e.to_string()))
}

fn expected_version(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    match headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) {
        None => Ok(None),
        Some(tag) => tag
            .trim()
            .trim_start_matches("W/")
            .trim_matches('"')
            .parse()
            .map(Some)
            .map_err(|_| ApiError::invalid("If-Match", format!("{tag} is not an ETag of certif"))),
    }
}

fn with_etag(body: Value, version: i64) -> Response {
    let mut response = Json(body).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// Writes a mark; answers the stored mark with its `ETag`. A stale `If-Match` is 412.
#[utoipa::path(put, path = "/api/learners/{id}/marks/{module}", params(("id" = String, Path, description = "learner id"), ("module" = String, Path, description = "module code")),
    request_body(content = Object, description = "`{\"session1\", \"session2\"}`: numbers, \"ABJ\", \"ABI\" or null"),
    responses((status = 200, description = "the stored mark, with its ETag"), (status = 403, description = "not your module"), (status = 412, description = "stale If-Match"), (status = 422, description = "invalid mark")))]
pub async fn put_mark(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, module)): Path<(String, String)>,
    body: Result<Json<Value>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let caller = state.caller(&headers).await?;
    auth::check_csrf(&caller, &headers)?;
    identifier("id", &id)?;
    identifier("module", &module)?;
    let curricula = state.curricula().await?;
    let records = state.db.records_of(&id).await?;
    if records.is_empty() {
        return Err(check(access::write_mark(&caller.account, &id, &module, &|_| false), "write this mark")
            .err()
            .unwrap_or_else(|| ApiError::not_found("no such learner")));
    }
    check(access::write_mark(&caller.account, &id, &module, &curricula.follows(&records)), "write this mark")?;
    if !curricula.follows(&records)(&module) {
        return Err(ApiError::invalid("module", format!("{module} is not a module of the learner's curriculum")));
    }
    let Json(body) = body.map_err(|e| ApiError::invalid("", e.body_text()))?;
    let Some(object) = body.as_object() else { return Err(ApiError::invalid("", "the body is an object {\"session1\", \"session2\"}")) };
    if let Some(unknown) = object.keys().find(|k| *k != "session1" && *k != "session2") {
        return Err(ApiError::invalid(unknown.clone(), "unknown field"));
    }
    let session1 = mark_entry(object.get("session1").unwrap_or(&Value::Null), "session1")?;
    let session2 = mark_entry(object.get("session2").unwrap_or(&Value::Null), "session2")?;
    let record = Record::Mark { learner_id: id.clone(), module: module.clone(), session1, session2: Some(session2) };
    let stored = state.db.put_versioned(record, expected_version(&headers)?, &caller.account.username).await?;
    let Record::Mark { session1, session2, .. } = &stored.record else {
        return Err(ApiError::internal("a mark was stored as something else"));
    };
    let text = |m: &MarkEntry| match m {
        MarkEntry::Pending => Value::Null,
        other => Value::String(other.to_string()),
    };
    Ok(with_etag(
        json!({"learner": id, "module": module, "session1": text(session1), "session2": session2.as_ref().map_or(Value::Null, text), "version": stored.version}),
        stored.version,
    ))
}

/// Writes a company period's evaluation (and, for a registrar, its dates).
#[utoipa::path(put, path = "/api/learners/{id}/company-periods/{period}", params(("id" = String, Path, description = "learner id"), ("period" = String, Path, description = "period id")),
    request_body(content = Object, description = "`{\"evaluation\"}`, and `start`/`end` (YYYY-MM-DD) for a registrar"),
    responses((status = 200, description = "the stored period, with its ETag"), (status = 403, description = "not your apprentice, or dates by a master"), (status = 412, description = "stale If-Match"), (status = 422, description = "invalid value")))]
pub async fn put_period(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, period)): Path<(String, String)>,
    body: Result<Json<Value>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let caller = state.caller(&headers).await?;
    auth::check_csrf(&caller, &headers)?;
    identifier("id", &id)?;
    identifier("period", &period)?;
    let Json(body) = body.map_err(|e| ApiError::invalid("", e.body_text()))?;
    let Some(object) = body.as_object() else { return Err(ApiError::invalid("", "the body is an object {\"evaluation\"}")) };
    if let Some(unknown) = object.keys().find(|k| !["evaluation", "start", "end"].contains(&k.as_str())) {
        return Err(ApiError::invalid(unknown.clone(), "unknown field"));
    }
    let changes_dates = object.contains_key("start") || object.contains_key("end");
    check(access::write_period(&caller.account, &id, changes_dates), "write this period")?;
    let records = state.db.records_of(&id).await?;
    if records.is_empty() {
        return Err(ApiError::not_found("no such learner"));
    }
    let current = records.iter().find_map(|r| match r {
        Record::CompanyPeriod { period: p, .. } if p.id == period => Some(p.clone()),
        _ => None,
    });
    let date = |field: &str, fallback: Option<NaiveDate>| -> Result<NaiveDate, ApiError> {
        match object.get(field) {
            Some(Value::String(text)) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| ApiError::invalid(field, format!("{text:?} is not a date (YYYY-MM-DD)"))),
            Some(_) => Err(ApiError::invalid(field, "a date is a string YYYY-MM-DD")),
            None => fallback.ok_or_else(|| ApiError::invalid(field, "a new period needs its start and end")),
        }
    };
    let start = date("start", current.as_ref().map(|p| p.start))?;
    let end = date("end", current.as_ref().map(|p| p.end))?;
    if end < start {
        return Err(ApiError::invalid("end", "the period ends before it starts"));
    }
    let evaluation = match object.get("evaluation") {
        Some(value) => mark_entry(value, "evaluation")?,
        None => current.as_ref().map_or(MarkEntry::Pending, |p| p.evaluation),
    };
    let record = Record::CompanyPeriod {
        learner_id: id.clone(),
        period: certif_core::dossier::CompanyPeriod { id: period.clone(), start, end, evaluation },
    };
    let stored = state.db.put_versioned(record, expected_version(&headers)?, &caller.account.username).await?;
    let Record::CompanyPeriod { period: p, .. } = &stored.record else {
        return Err(ApiError::internal("a period was stored as something else"));
    };
    let evaluation = match p.evaluation {
        MarkEntry::Pending => Value::Null,
        other => Value::String(other.to_string()),
    };
    Ok(with_etag(
        json!({"learner": id, "period": p.id, "start": p.start, "end": p.end, "evaluation": evaluation, "version": stored.version}),
        stored.version,
    ))
}

/// A certification, as spec/referential.md.
#[utoipa::path(get, path = "/api/referentials/{code}", params(("code" = String, Path, description = "RNCP code")),
    responses((status = 200, description = "the certification"), (status = 404, description = "unknown")))]
pub async fn referential(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Json<certif_core::Certification>, ApiError> {
    state.caller(&headers).await?;
    identifier("code", &code)?;
    let resolved =
        certif_app::resolve(&*state.db, &code).await?.ok_or_else(|| ApiError::not_found(format!("unknown certification {code}")))?;
    Ok(Json(resolved.certification))
}

/// The stored curricula.
#[utoipa::path(get, path = "/api/curricula", responses((status = 200, description = "id, certification, title, loaded_at of each")))]
pub async fn curricula(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    state.caller(&headers).await?;
    let curricula = state.curricula().await?;
    let stored = state.db.curricula().await?;
    let list: Vec<Value> = stored
        .iter()
        .map(|s| {
            let title = curricula.loaded.iter().find(|(c, _)| c.id == s.id).map(|(c, _)| c.title.clone());
            json!({"id": s.id, "certification": s.certification, "title": title, "loaded_at": s.loaded_at})
        })
        .collect();
    Ok(Json(Value::Array(list)))
}

/// One curriculum: its TOML source and its UEs and modules.
#[utoipa::path(get, path = "/api/curricula/{id}", params(("id" = String, Path, description = "curriculum id")), responses((status = 200, description = "the curriculum"), (status = 404, description = "unknown")))]
pub async fn curriculum(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    state.caller(&headers).await?;
    identifier("id", &id)?;
    let stored = state.db.curricula().await?;
    let found = stored.iter().find(|c| c.id == id).ok_or_else(|| ApiError::not_found(format!("unknown curriculum {id}")))?;
    let curricula = state.curricula().await?;
    let modules: Vec<Value> = curricula
        .loaded
        .iter()
        .find(|(c, _)| c.id == id)
        // Stored but not among the loaded curricula (one that no longer loads): no modules to list.
        .map_or_else(Vec::new, |(c, _)| c.modules().map(|(ue, m)| json!({"ue": ue.code, "module": m.code, "title": m.title})).collect());
    Ok(Json(
        json!({"id": found.id, "certification": found.certification, "loaded_at": found.loaded_at, "source": found.source, "modules": modules}),
    ))
}
