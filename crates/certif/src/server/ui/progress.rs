//! *Mon parcours*: a learner's own page, the learner page of the learner the account is.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::extract::SignedIn;
use super::{error_page, learner::show_learner};
use crate::server::{ApiError, AppState, access};

pub(super) async fn my_progress(State(state): State<AppState>, headers: HeaderMap, signed_in: SignedIn) -> Response {
    let SignedIn { caller, lang } = signed_in;
    match access::own_progress(&caller.account) {
        Some(id) => show_learner(&state, &headers, &caller, lang, id).await,
        None => error_page(ApiError::forbidden(""), Some(&caller), lang, &headers),
    }
}
