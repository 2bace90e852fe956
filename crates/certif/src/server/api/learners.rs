//! Reading learners: the list, a record, its decision and dossier, its accommodations.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use certif_core::{Decision, Dossier};
use certif_store::Store as _;
use chrono::NaiveDate;

use super::types::{AccommodationsBody, BlockSummary, DossierBody, ErrorBody, LearnerRecord, LearnerSummary, Sorted};
use super::{OnDate, check, date_or_today, identifier};
use crate::server::access::{self, Access};
use crate::server::auth::Caller;
use crate::server::{ApiError, AppState, redact};

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
fn visible_dossier(caller: &Caller, mut dossier: Dossier) -> Dossier {
    if access::read_accommodations(&caller.account, &dossier.learner.id) != Access::Allowed {
        dossier.accommodations.clear();
    }
    dossier
}

/// Learners the caller may see: id, names, access route, title status.
#[utoipa::path(get, path = "/api/learners", tag = "learners", params(OnDate),
    responses(
        (status = 200, description = "the learners the caller may see, with their title's and blocks' status on `on`", body = Vec<LearnerSummary>),
        (status = 401, description = "not signed in", body = ErrorBody),
        (status = 422, description = "`on` is not a date", body = ErrorBody),
        (status = 500, description = "a fault of the server or its database", body = ErrorBody)))]
pub async fn learners(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(on): Query<OnDate>,
) -> Result<Json<Vec<LearnerSummary>>, ApiError> {
    let caller = state.caller(&headers).await?;
    let on = date_or_today(&on)?;
    let curricula = state.curricula().await?;
    if on == chrono::Local::now().date_naive() {
        // Today's cohort is decided once per write (`AppState::cohort`): read, not decided again.
        let cohort = state.cohort().await?;
        let follows = |entry: &certif_app::cohort::CohortEntry| {
            let curriculum = curricula.loaded.iter().find(|(c, _)| *c.id == *entry.curriculum).map(|(c, _)| c);
            move |module: &str| curriculum.is_some_and(|c| c.module(module).is_some())
        };
        let out = cohort
            .entries
            .iter()
            .filter(|e| access::read_learner(&caller.account, &e.id, &follows(e)) == Access::Allowed)
            .map(|e| LearnerSummary {
                access_route: e.access_route,
                blocks: e
                    .block_codes
                    .iter()
                    .zip(&e.blocks)
                    .map(|(code, status)| BlockSummary { code: code.clone(), status: *status })
                    .collect(),
                family_name: e.family_name.clone(),
                given_names: e.given_names.clone(),
                id: e.id.clone(),
                title_status: e.title,
            })
            .collect();
        return Ok(Json(out));
    }
    // Another day: decided anew, a page of learners at a time, in the cohort's order.
    let mut out = Vec::new();
    let mut pages = certif_store::RecordPages::new(certif_app::COHORT_PAGE);
    while let Some(page) = pages.next(&*state.db).await? {
        for (id, records) in page {
            if access::read_learner(&caller.account, &id, &curricula.follows(&records)) != Access::Allowed {
                continue;
            }
            let Ok((dossier, decision)) = certif_app::decide_records(&curricula, &certif_core::Policy::default(), &id, &records, on) else {
                continue;
            };
            out.push(LearnerSummary {
                access_route: dossier.access_route,
                blocks: decision.blocks.iter().map(|b| BlockSummary { code: b.code.to_string(), status: b.status }).collect(),
                family_name: dossier.learner.family_name,
                given_names: dossier.learner.given_names,
                id,
                title_status: decision.title.status,
            });
        }
    }
    Ok(Json(out))
}

/// The learner's record.
#[utoipa::path(get, path = "/api/learners/{id}", tag = "learners", params(("id" = String, Path, description = "learner id")),
    responses(
        (status = 200, description = "the record; accommodations only for the roles that may see them", body = LearnerRecord),
        (status = 401, description = "not signed in", body = ErrorBody),
        (status = 403, description = "not this role", body = ErrorBody),
        (status = 404, description = "no such learner (or not yours)", body = ErrorBody),
        (status = 422, description = "`id` is not an identifier, or the record does not make a dossier", body = ErrorBody),
        (status = 500, description = "a fault of the server or its database", body = ErrorBody)))]
pub async fn learner(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Result<Json<LearnerRecord>, ApiError> {
    let caller = state.caller(&headers).await?;
    let (dossier, _) = readable(&state, &caller, &id, chrono::Local::now().date_naive()).await?;
    Ok(Json(LearnerRecord(visible_dossier(&caller, dossier))))
}

/// The decision, as spec/evaluation.md §5.
#[utoipa::path(get, path = "/api/learners/{id}/decision", tag = "learners", params(("id" = String, Path, description = "learner id"), OnDate),
    responses(
        (status = 200, description = "the decision on `on`; for roles that may not see accommodations, what would tell an adapted English target is left out", body = Decision),
        (status = 401, description = "not signed in", body = ErrorBody),
        (status = 403, description = "not this role", body = ErrorBody),
        (status = 404, description = "no such learner (or not yours)", body = ErrorBody),
        (status = 422, description = "`id` is not an identifier, `on` is not a date, or the record does not make a dossier", body = ErrorBody),
        (status = 500, description = "a fault of the server or its database", body = ErrorBody)))]
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
#[utoipa::path(get, path = "/api/learners/{id}/dossier", tag = "learners", params(("id" = String, Path, description = "learner id"), OnDate),
    responses(
        (status = 200, description = "the dossier on `on`; accommodations only for the roles that may see them", body = Dossier),
        (status = 401, description = "not signed in", body = ErrorBody),
        (status = 403, description = "not this role", body = ErrorBody),
        (status = 404, description = "no such learner (or not yours)", body = ErrorBody),
        (status = 422, description = "`id` is not an identifier, `on` is not a date, or the record does not make a dossier", body = ErrorBody),
        (status = 500, description = "a fault of the server or its database", body = ErrorBody)))]
pub async fn dossier(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(on): Query<OnDate>,
) -> Result<Json<DossierBody>, ApiError> {
    let caller = state.caller(&headers).await?;
    let (dossier, _) = readable(&state, &caller, &id, date_or_today(&on)?).await?;
    Ok(Json(Sorted(visible_dossier(&caller, dossier))))
}

/// The learner's accommodations: registrar, admin, the learner themself.
#[utoipa::path(get, path = "/api/learners/{id}/accommodations", tag = "learners", params(("id" = String, Path, description = "learner id")),
    responses(
        (status = 200, description = "the accommodations (health data)", body = Vec<certif_core::dossier::Accommodation>),
        (status = 401, description = "not signed in", body = ErrorBody),
        (status = 403, description = "not this role", body = ErrorBody),
        (status = 404, description = "no such learner (or not yours)", body = ErrorBody),
        (status = 422, description = "`id` is not an identifier", body = ErrorBody),
        (status = 500, description = "a fault of the server or its database", body = ErrorBody)))]
pub async fn accommodations(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<AccommodationsBody>, ApiError> {
    let caller = state.caller(&headers).await?;
    identifier("id", &id)?;
    check(access::read_accommodations(&caller.account, &id), "read accommodations")?;
    let records = state.db.records_of(&id).await?;
    if records.is_empty() {
        return Err(ApiError::not_found("no such learner"));
    }
    let dossier = certif_store::dossier_from(&records, chrono::Local::now().date_naive(), |_| Some(String::new()))
        .ok_or_else(|| ApiError::not_found("no such learner"))?;
    Ok(Json(Sorted(dossier.accommodations)))
}
