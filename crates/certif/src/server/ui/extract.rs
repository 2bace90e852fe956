//! What a page handler needs before it starts: the signed-in caller ([`SignedIn`]), and for a
//! state-changing form the form with a valid CSRF token ([`CheckedForm`]). A request without
//! them is answered here: the sign-in page (redirect) without a session, the 403 page for a
//! form without its token, the error page for a store that cannot be read.

use axum::extract::{Form, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use certif_core::messages::Lang;
use serde::de::DeserializeOwned;

use super::{error_page, lang};
use crate::server::auth::{self, Caller};
use crate::server::{ApiError, AppState};

/// The signed-in caller of a page, and the page's language.
pub(super) struct SignedIn {
    pub caller: Caller,
    pub lang: Lang,
}

async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<SignedIn, Response> {
    let lang = lang(headers);
    let mut caller = state.caller(headers).await.map_err(|e| error_page(e, None, lang, headers))?;
    // The header's words only: a page still answers if the curricula cannot be read now.
    caller.brand = state.curricula().await.ok().and_then(|c| c.brand());
    Ok(SignedIn { caller, lang })
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        signed_in(state, &parts.headers).await
    }
}

/// A form that carries the session's CSRF token in its `csrf` field.
pub(super) trait WithCsrf {
    fn csrf(&self) -> Option<&str>;
}

/// A state-changing form, read (as `Form` would: its own rejection first), from a signed-in
/// caller, with the session's CSRF token: the `csrf` field, or the `X-CSRF-Token` header (htmx).
pub(super) struct CheckedForm<T> {
    pub caller: Caller,
    pub lang: Lang,
    pub form: T,
}

impl<T> FromRequest<AppState> for CheckedForm<T>
where
    T: DeserializeOwned + WithCsrf + Send,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let headers = request.headers().clone();
        let Form(form) = Form::<T>::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        let SignedIn { caller, lang } = signed_in(state, &headers).await?;
        check_form_csrf(&caller, &headers, form.csrf()).map_err(|e| error_page(e, Some(&caller), lang, &headers))?;
        Ok(CheckedForm { caller, lang, form })
    }
}

/// The session's CSRF token, from a form field or the `X-CSRF-Token` header.
pub(super) fn check_form_csrf(caller: &Caller, headers: &HeaderMap, field: Option<&str>) -> Result<(), ApiError> {
    let mut headers = headers.clone();
    if let Some(token) = field
        && let Ok(value) = HeaderValue::from_str(token)
    {
        headers.insert("x-csrf-token", value);
    }
    auth::check_csrf(caller, &headers)
}
