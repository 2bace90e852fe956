//! Sign-in (`/login`, with its double-submit CSRF cookie and the 429 page of the rate limit)
//! and sign-out (`/logout`).

use askama::Template;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use certif_core::messages::{self, Lang, Ui};
use serde::Deserialize;

use super::extract::{CheckedForm, WithCsrf};
use super::{Chrome, chrome, error_page, lang, page};
use crate::server::auth;
use crate::server::{ApiError, AppState};
use certif_store::accounts::AccountStore as _;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    title: &'static str,
    username_label: &'static str,
    password_label: &'static str,
    submit: &'static str,
    error: Option<String>,
    csrf: String,
}

const LOGIN_CSRF: &str = "certif_login_csrf";

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(name).and_then(|rest| rest.strip_prefix('=')).map(String::from))
}

fn login_form(state: &AppState, lang: Lang, error: Option<String>, status: StatusCode, headers: &HeaderMap) -> Response {
    let csrf = match auth::random_hex(16) {
        Ok(csrf) => csrf,
        Err(e) => return e.into_response(),
    };
    let t = |phrase| messages::ui(phrase, lang);
    let mut response = page(
        LoginPage {
            chrome: chrome(None, lang),
            title: t(Ui::SignInTitle),
            username_label: t(Ui::Username),
            password_label: t(Ui::Password),
            submit: t(Ui::SignInButton),
            error,
            csrf: csrf.clone(),
        },
        status,
        headers,
    );
    // Double-submit: the form's token must match this cookie (no session exists yet).
    response.headers_mut().append(header::SET_COOKIE, state.cookie(LOGIN_CSRF, &csrf, "/login", None));
    response
}

pub(super) async fn login_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    login_form(&state, lang(&headers), None, StatusCode::OK, &headers)
}

/// The sign-in form again, when its source went over the rate limit (429).
pub(in crate::server) fn too_many_sign_ins(state: &AppState, headers: &HeaderMap, wait: std::time::Duration) -> Response {
    let lang = lang(headers);
    let seconds = wait.as_secs().max(1);
    let text = messages::too_many_sign_ins(seconds, lang);
    login_form(state, lang, Some(text), StatusCode::TOO_MANY_REQUESTS, headers)
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    username: String,
    password: String,
    csrf: Option<String>,
}

pub(super) async fn login_submit(
    State(state): State<AppState>,
    axum::Extension(source): axum::Extension<crate::server::limit::Source>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = lang(&headers);
    let expected = cookie_value(&headers, LOGIN_CSRF);
    if form.csrf.is_none() || form.csrf != expected {
        return error_page(ApiError::forbidden("missing or wrong CSRF token"), None, lang, &headers);
    }
    match auth::sign_in(&*state.db, &form.username, &form.password, &source.0).await {
        Ok(session) => {
            let mut response = Redirect::to("/").into_response();
            response
                .headers_mut()
                .insert(header::SET_COOKIE, state.cookie(auth::COOKIE, &session.token, "/", Some(auth::SESSION.num_seconds())));
            response
        }
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            login_form(&state, lang, Some(messages::ui(Ui::WrongCredentials, lang).to_string()), StatusCode::UNAUTHORIZED, &headers)
        }
        Err(e) => error_page(e, None, lang, &headers),
    }
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: Option<String>,
}

impl WithCsrf for CsrfForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

pub(super) async fn logout(State(state): State<AppState>, headers: HeaderMap, checked: CheckedForm<CsrfForm>) -> Response {
    let CheckedForm { caller, lang, .. } = checked;
    // A session the store could not delete is still valid there: say so, never pretend.
    if let Err(e) = state.db.remove_session(&caller.token_hash).await {
        return error_page(e.into(), Some(&caller), lang, &headers);
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().insert(header::SET_COOKIE, state.cookie(auth::COOKIE, "", "/", Some(0)));
    response
}
