//! The referentials and curricula: what learners are evaluated against.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use certif_store::Store as _;

use super::identifier;
use super::types::{CurriculumDetail, CurriculumModule, CurriculumSummary, ErrorBody};
use crate::server::{ApiError, AppState};

/// A certification, as spec/referential.md.
#[utoipa::path(get, path = "/api/referentials/{code}", tag = "catalog", params(("code" = String, Path, description = "RNCP code")),
    responses(
        (status = 200, description = "the certification", body = certif_core::Certification),
        (status = 401, description = "not signed in", body = ErrorBody),
        (status = 404, description = "unknown certification", body = ErrorBody),
        (status = 422, description = "`code` is not an identifier", body = ErrorBody),
        (status = 500, description = "a fault of the server or its database", body = ErrorBody)))]
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
#[utoipa::path(get, path = "/api/curricula", tag = "catalog",
    responses(
        (status = 200, description = "id, certification, title, loaded_at of each", body = Vec<CurriculumSummary>),
        (status = 401, description = "not signed in", body = ErrorBody),
        (status = 500, description = "a fault of the server or its database", body = ErrorBody)))]
pub async fn curricula(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Vec<CurriculumSummary>>, ApiError> {
    state.caller(&headers).await?;
    let curricula = state.curricula().await?;
    let stored = state.db.curricula().await?;
    let list = stored
        .into_iter()
        .map(|s| {
            let title = curricula.loaded.iter().find(|(c, _)| c.id == s.id).map(|(c, _)| c.title.clone());
            CurriculumSummary { certification: s.certification, id: s.id, loaded_at: s.loaded_at, title }
        })
        .collect();
    Ok(Json(list))
}

/// One curriculum: its TOML source and its UEs and modules.
#[utoipa::path(get, path = "/api/curricula/{id}", tag = "catalog", params(("id" = String, Path, description = "curriculum id")),
    responses(
        (status = 200, description = "the curriculum", body = CurriculumDetail),
        (status = 401, description = "not signed in", body = ErrorBody),
        (status = 404, description = "unknown curriculum", body = ErrorBody),
        (status = 422, description = "`id` is not an identifier", body = ErrorBody),
        (status = 500, description = "a fault of the server or its database", body = ErrorBody)))]
pub async fn curriculum(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<CurriculumDetail>, ApiError> {
    state.caller(&headers).await?;
    identifier("id", &id)?;
    let stored = state.db.curricula().await?;
    let found = stored.into_iter().find(|c| c.id == id).ok_or_else(|| ApiError::not_found(format!("unknown curriculum {id}")))?;
    let curricula = state.curricula().await?;
    let modules = curricula
        .loaded
        .iter()
        .find(|(c, _)| c.id == id)
        // Stored but not among the loaded curricula (one that no longer loads): no modules to list.
        .map_or_else(Vec::new, |(c, _)| {
            c.modules()
                .map(|(ue, m)| CurriculumModule { module: m.code.to_string(), title: m.title.to_string(), ue: ue.code.to_string() })
                .collect()
        });
    Ok(Json(CurriculumDetail {
        certification: found.certification,
        id: found.id,
        loaded_at: found.loaded_at,
        modules,
        source: found.source,
    }))
}
