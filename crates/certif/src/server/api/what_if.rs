//! `POST /api/learners/{id}/what-if` (spec/evaluation.md §7).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use certif_core::Decision;
use certif_core::dossier::EnglishScore;
use certif_store::Store as _;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::types::{ErrorBody, MarkInput};
use super::{check, identifier};
use crate::server::access;
use crate::server::auth;
use crate::server::{ApiError, AppState, redact};

/// The largest what-if request read (a whole curriculum's marks take a few kilobytes).
pub const BODY_LIMIT: usize = 64 * 1024;

/// A what-if request: hypothetical marks and evidence in the shapes of the dossier's lists
/// (spec/evaluation.md §1), merged over the learner's stored record. The handler reads the
/// request with `certif_core::what_if::Hypotheses`, the dossier's own rules (so an error
/// names the JSON path of the offending value); this type is its shape, and reads the same
/// requests (a test says so).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIfRequest {
    /// The evaluation date, today by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<NaiveDate>,
    /// Per module, the sessions supposed; a session left out keeps the stored mark.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<HypotheticalMark>,
    /// Per period id, the fields supposed; a field left out keeps the stored one (a new period
    /// needs its dates).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub company_periods: Vec<HypotheticalPeriod>,
    /// Stays abroad added to the learner's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mobility: Vec<HypotheticalStay>,
    /// English results added to the learner's (only for roles that may see accommodations:
    /// whether a result meets the target would tell an adapted target).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub english: Vec<HypotheticalEnglish>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HypotheticalMark {
    pub module: String,
    /// A number in 0..20 with at most 2 decimals, null, "ABJ" or "ABI".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = certif_core::MarkEntry)]
    pub session1: Option<MarkInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = certif_core::MarkEntry)]
    pub session2: Option<MarkInput>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HypotheticalPeriod {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = certif_core::MarkEntry)]
    pub evaluation: Option<MarkInput>,
}

/// A stay abroad, as the dossier's `mobility` entries.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HypotheticalStay {
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// An English result, as the dossier's `english` entries.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HypotheticalEnglish {
    /// A test of the policy (TOEIC_LR, IELTS, CLES…).
    pub test: String,
    /// A number, or a CEFR level for CLES.
    #[schema(value_type = EnglishScore)]
    pub score: serde_json::Value,
    pub date: NaiveDate,
}

/// What the learner's decision would be with hypothetical marks and evidence merged over their
/// record (spec/evaluation.md §7): the decision JSON, as the decision route answers it. Nothing
/// is stored or audited; with the session cookie it needs the CSRF token like any POST.
#[utoipa::path(post, path = "/api/learners/{id}/what-if", tag = "learners", params(("id" = String, Path, description = "learner id")),
    request_body = WhatIfRequest,
    responses(
        (status = 200, description = "the decision the hypotheses would give, as `GET /api/learners/{id}/decision`", body = Decision),
        (status = 401, description = "not signed in", body = ErrorBody),
        (status = 403, description = "not this role, missing CSRF token with the cookie, or English results asked by a role that may not see accommodations", body = ErrorBody),
        (status = 404, description = "no such learner (or not yours)", body = ErrorBody),
        (status = 413, description = "the request is over 64 KiB", body = ErrorBody),
        (status = 422, description = "invalid hypothesis: `field` is its JSON path in the request", body = ErrorBody),
        (status = 500, description = "a fault of the server or its database", body = ErrorBody)))]
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
    let body =
        body.map_err(|e| ApiError { status: e.status(), code: "unreadable", message: e.body_text(), field: None, reasons: Vec::new() })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema's type reads the requests the handler takes, and refuses a field it lacks.
    #[test]
    fn the_request_type_reads_what_the_handler_reads() {
        let request: WhatIfRequest = serde_json::from_str(
            r#"{"on": "2026-06-30", "marks": [{"module": "M1.1.1", "session1": 12.5, "session2": null}, {"module": "M1.1.2", "session2": "ABJ"}],
                "company_periods": [{"id": "P1", "start": "2025-09-01", "end": "2026-01-31", "evaluation": 14}],
                "mobility": [{"country": "DE", "start": "2026-02-01", "end": "2026-05-31"}],
                "english": [{"test": "TOEIC_LR", "score": 850, "date": "2026-03-01"}, {"test": "CLES", "score": "B2", "date": "2026-03-01"}]}"#,
        )
        .unwrap();
        assert_eq!((request.marks.len(), request.company_periods.len(), request.mobility.len(), request.english.len()), (2, 1, 1, 2));
        assert!(serde_json::from_str::<WhatIfRequest>(r#"{"accommodations": []}"#).is_err());
    }
}
