//! Signing in and out (spec/api.md, Authentication).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use certif_store::accounts::AccountStore as _;

use super::types::{Credentials, ErrorBody, Session};
use crate::server::auth;
use crate::server::limit::Source;
use crate::server::{ApiError, AppState};

/// Signs in: the token for `Authorization: Bearer`, and the session cookie.
#[utoipa::path(post, path = "/api/auth/login", tag = "session", security(()), request_body = Credentials,
    responses(
        (status = 200, description = "signed in: the token and the CSRF token, and an HttpOnly, SameSite=Strict session cookie (`Set-Cookie`)", body = Session),
        (status = 401, description = "bad credentials or locked account (5 failures in a row lock it for a minute)", body = ErrorBody),
        (status = 422, description = "the body is not `{\"username\", \"password\"}`", body = ErrorBody),
        (status = 429, description = "too many sign-in attempts from this address (`Retry-After` says when to try again)", body = ErrorBody),
        (status = 500, description = "a fault of the server or its database", body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    axum::Extension(source): axum::Extension<Source>,
    body: Result<Json<Credentials>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(credentials) = body.map_err(|e| ApiError::invalid("", e.body_text()))?;
    let session = auth::sign_in(&*state.db, &credentials.username, &credentials.password, &source.0).await?;
    let mut response = Json(Session { csrf: session.csrf, token: session.token.clone() }).into_response();
    response.headers_mut().insert(header::SET_COOKIE, state.cookie(auth::COOKIE, &session.token, "/", Some(auth::SESSION.num_seconds())));
    Ok(response)
}

/// Ends the session.
#[utoipa::path(post, path = "/api/auth/logout", tag = "session",
    responses(
        (status = 204, description = "signed out; the session cookie is cleared"),
        (status = 401, description = "not signed in", body = ErrorBody),
        (status = 403, description = "the session cookie without its CSRF token (`X-CSRF-Token`)", body = ErrorBody),
        (status = 500, description = "a fault of the server or its database", body = ErrorBody)))]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let caller = state.caller(&headers).await?;
    auth::check_csrf(&caller, &headers)?;
    state.db.remove_session(&caller.token_hash).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(header::SET_COOKIE, state.cookie(auth::COOKIE, "", "/", Some(0)));
    Ok(response)
}
