//! Writing marks and company-period evaluations: versioned (`ETag`, `If-Match`) and audited.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use certif_core::mark::MarkEntry;
use certif_store::{Record, Store as _};
use chrono::NaiveDate;
use serde::Serialize;

use super::types::{DateInput, ErrorBody, MarkInput, MarkRequest, PeriodRequest, StoredMark, StoredPeriod};
use super::{body_of, check, identifier};
use crate::server::{ApiError, AppState, access, auth};

/// A mark in a request: a number, a string (`12,5`, `ABJ`, `ABI`) or null.
fn mark_entry(value: &MarkInput, field: &str) -> Result<MarkEntry, ApiError> {
    let text = match value {
        MarkInput::Null => return Ok(MarkEntry::Pending),
        MarkInput::Number(n) => n.to_string(),
        MarkInput::Text(s) => s.clone(),
        MarkInput::Invalid => return Err(ApiError::invalid(field, "a mark is a number, \"ABJ\", \"ABI\" or null")),
    };
    MarkEntry::from_cell(&text).map_err(|e| ApiError::invalid(field, e.to_string()))
}

/// A stored mark as the API answers it: its text (`12.5`, `ABJ`, `ABI`), null while not known.
fn mark_text(mark: &MarkEntry) -> Option<String> {
    match mark {
        MarkEntry::Pending => None,
        other => Some(other.to_string()),
    }
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

fn with_etag(body: impl Serialize, version: i64) -> Response {
    let mut response = Json(body).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// Writes a mark; answers the stored mark with its `ETag`. A stale `If-Match` is 412.
#[utoipa::path(put, path = "/api/learners/{id}/marks/{module}", tag = "writes",
    params(("id" = String, Path, description = "learner id"), ("module" = String, Path, description = "module code"),
        ("If-Match" = Option<String>, Header, description = "the ETag of the mark as last read: a stale one answers 412 and writes nothing")),
    request_body = MarkRequest,
    responses(
        (status = 200, description = "the stored mark, with its `ETag`", body = StoredMark),
        (status = 401, description = "not signed in", body = ErrorBody),
        (status = 403, description = "not your module, not this role, or the session cookie without its CSRF token", body = ErrorBody),
        (status = 404, description = "no such learner (or not yours)", body = ErrorBody),
        (status = 412, description = "stale `If-Match`: written by someone else since; nothing is written", body = ErrorBody),
        (status = 422, description = "invalid mark, unknown field, a module not in the learner's curriculum, or a malformed `If-Match`: `field` says which", body = ErrorBody),
        (status = 500, description = "a fault of the server or its database", body = ErrorBody)))]
pub async fn put_mark(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, module)): Path<(String, String)>,
    body: Result<Json<serde_json::Value>, axum::extract::rejection::JsonRejection>,
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
    let request: MarkRequest = body_of(body, "the body is an object {\"session1\", \"session2\"}")?;
    let session1 = mark_entry(request.session1.as_ref().unwrap_or(&MarkInput::Null), "session1")?;
    let session2 = mark_entry(request.session2.as_ref().unwrap_or(&MarkInput::Null), "session2")?;
    let record = Record::Mark { learner_id: id.clone(), module: module.clone(), session1, session2: Some(session2) };
    let stored = state.db.put_versioned(record, expected_version(&headers)?, &caller.account.username).await?;
    let Record::Mark { session1, session2, .. } = &stored.record else {
        return Err(ApiError::internal("a mark was stored as something else"));
    };
    let body = StoredMark {
        learner: id,
        module,
        session1: mark_text(session1),
        session2: session2.as_ref().and_then(mark_text),
        version: stored.version,
    };
    Ok(with_etag(body, stored.version))
}

/// Writes a company period's evaluation (and, for a registrar, its dates).
#[utoipa::path(put, path = "/api/learners/{id}/company-periods/{period}", tag = "writes",
    params(("id" = String, Path, description = "learner id"), ("period" = String, Path, description = "period id"),
        ("If-Match" = Option<String>, Header, description = "the ETag of the period as last read: a stale one answers 412 and writes nothing")),
    request_body = PeriodRequest,
    responses(
        (status = 200, description = "the stored period, with its `ETag`", body = StoredPeriod),
        (status = 401, description = "not signed in", body = ErrorBody),
        (status = 403, description = "not your apprentice, dates by a master, or the session cookie without its CSRF token", body = ErrorBody),
        (status = 404, description = "no such learner (or not yours)", body = ErrorBody),
        (status = 412, description = "stale `If-Match`: written by someone else since; nothing is written", body = ErrorBody),
        (status = 422, description = "invalid value or unknown field (`field` says which), a new period without its dates, or a malformed `If-Match`", body = ErrorBody),
        (status = 500, description = "a fault of the server or its database", body = ErrorBody)))]
pub async fn put_period(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, period)): Path<(String, String)>,
    body: Result<Json<serde_json::Value>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let caller = state.caller(&headers).await?;
    auth::check_csrf(&caller, &headers)?;
    identifier("id", &id)?;
    identifier("period", &period)?;
    let request: PeriodRequest = body_of(body, "the body is an object {\"evaluation\"}")?;
    let changes_dates = request.start.is_some() || request.end.is_some();
    check(access::write_period(&caller.account, &id, changes_dates), "write this period")?;
    let records = state.db.records_of(&id).await?;
    if records.is_empty() {
        return Err(ApiError::not_found("no such learner"));
    }
    let current = records.iter().find_map(|r| match r {
        Record::CompanyPeriod { period: p, .. } if p.id == period => Some(p.clone()),
        _ => None,
    });
    let date = |field: &str, given: &Option<DateInput>, fallback: Option<NaiveDate>| -> Result<NaiveDate, ApiError> {
        match given {
            Some(DateInput::Text(text)) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| ApiError::invalid(field, format!("{text:?} is not a date (YYYY-MM-DD)"))),
            Some(DateInput::Invalid) => Err(ApiError::invalid(field, "a date is a string YYYY-MM-DD")),
            None => fallback.ok_or_else(|| ApiError::invalid(field, "a new period needs its start and end")),
        }
    };
    let start = date("start", &request.start, current.as_ref().map(|p| p.start))?;
    let end = date("end", &request.end, current.as_ref().map(|p| p.end))?;
    if end < start {
        return Err(ApiError::invalid("end", "the period ends before it starts"));
    }
    let evaluation = match &request.evaluation {
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
    let body = StoredPeriod {
        end: p.end,
        evaluation: mark_text(&p.evaluation),
        learner: id,
        period: p.id.clone(),
        start: p.start,
        version: stored.version,
    };
    Ok(with_etag(body, stored.version))
}
