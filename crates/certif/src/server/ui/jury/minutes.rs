//! The minutes of a closed session: JSON (the source of truth) and PDF (certif-documents).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use certif_app::AppError;
use certif_app::jury;
use certif_core::messages::Lang;

use super::super::error_page;
use super::super::extract::SignedIn;
use super::{allowed, checked_id};
use crate::server::access;
use crate::server::auth::Caller;
use crate::server::{ApiError, AppState};

/// The minutes of a closed session as JSON, for a caller who reads the jury (`Err`: the page
/// to answer — 404 before closing).
async fn closed_minutes(
    state: &AppState,
    headers: &HeaderMap,
    caller: &Caller,
    lang: Lang,
    id: &str,
) -> Result<serde_json::Value, Response> {
    if let Err(e) = allowed(access::read_jury(&caller.account)).and_then(|()| checked_id(id)) {
        return Err(error_page(e, Some(caller), lang, headers));
    }
    match jury::minutes_json(&state.db, id).await {
        Ok(minutes) => Ok(minutes),
        Err(AppError::Input(_)) => Err(error_page(ApiError::not_found(""), Some(caller), lang, headers)),
        Err(e) => Err(error_page(e.into(), Some(caller), lang, headers)),
    }
}

/// `/jurys/{id}/proces-verbal.json`: the minutes as JSON (the source of truth), once closed.
pub(in crate::server::ui) async fn minutes_json(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    signed_in: SignedIn,
) -> Response {
    let SignedIn { caller, lang } = signed_in;
    match closed_minutes(&state, &headers, &caller, lang, &id).await {
        Ok(minutes) => axum::Json(minutes).into_response(),
        Err(page) => page,
    }
}

/// `/jurys/{id}/proces-verbal.pdf`: the minutes typeset (certif-documents), once closed.
pub(in crate::server::ui) async fn minutes_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    signed_in: SignedIn,
) -> Response {
    let SignedIn { caller, lang } = signed_in;
    let minutes = match closed_minutes(&state, &headers, &caller, lang, &id).await {
        Ok(minutes) => minutes,
        Err(page) => return page,
    };
    // Typesetting takes a core for a moment: off the async workers.
    match tokio::task::spawn_blocking(move || certif_documents::minutes_pdf(&minutes)).await {
        Ok(Ok(pdf)) => {
            let disposition = format!("attachment; filename=\"proces-verbal-{id}.pdf\"");
            ([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, disposition)], pdf).into_response()
        }
        Ok(Err(e)) => error_page(ApiError::internal(format!("minutes PDF: {e}")), Some(&caller), lang, &headers),
        Err(e) => error_page(ApiError::internal(format!("minutes PDF: {e}")), Some(&caller), lang, &headers),
    }
}
