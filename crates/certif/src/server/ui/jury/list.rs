//! The sessions (`/jurys`) and, for the registrar, a new one.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use certif_app::jury::{self, NewSession};
use certif_core::messages::jury::{self as words, JuryUi};
use certif_store::jury::JuryKind;
use serde::Deserialize;

use super::super::extract::{CheckedForm, SignedIn, WithCsrf};
use super::super::{Chrome, chrome, error_page, page};
use super::{Words, allowed, date_text, filled, refused};
use crate::server::access::{self, Access};
use crate::server::{ApiError, AppState};

struct SessionLine {
    id: String,
    name: String,
    date: String,
    status: String,
    candidates: usize,
}

#[derive(Template)]
#[template(path = "jury_list.html")]
struct ListPage {
    chrome: Chrome,
    t: Words,
    sessions: Vec<SessionLine>,
    may_prepare: bool,
    today: String,
}

/// `/jurys`: every session, and the registrar's form for a new one.
pub(in crate::server::ui) async fn sessions(State(state): State<AppState>, headers: HeaderMap, signed_in: SignedIn) -> Response {
    let SignedIn { caller, lang } = signed_in;
    if let Err(e) = allowed(access::read_jury(&caller.account)) {
        return error_page(e, Some(&caller), lang, &headers);
    }
    let list = match jury::list(&state.db).await {
        Ok(list) => list,
        Err(e) => return error_page(e.into(), Some(&caller), lang, &headers),
    };
    let sessions = list
        .into_iter()
        .map(|s| SessionLine {
            id: s.session.id,
            name: s.session.name,
            date: date_text(s.session.date),
            status: words::status(s.status.as_str(), lang).to_string(),
            candidates: s.candidates,
        })
        .collect();
    let list = ListPage {
        chrome: chrome(Some(&caller), lang),
        t: Words::new(lang),
        sessions,
        may_prepare: access::prepare_jury(&caller.account) == Access::Allowed,
        today: chrono::Local::now().date_naive().to_string(),
    };
    page(list, StatusCode::OK, &headers)
}

#[derive(Deserialize)]
pub(in crate::server::ui) struct CreateForm {
    #[serde(default)]
    id: String,
    kind: String,
    date: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    place: String,
    csrf: Option<String>,
}

impl WithCsrf for CreateForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

/// `POST /jurys`: a new draft session, then its page.
pub(in crate::server::ui) async fn create(State(state): State<AppState>, headers: HeaderMap, form: CheckedForm<CreateForm>) -> Response {
    let CheckedForm { caller, lang, form } = form;
    if let Err(e) = allowed(access::prepare_jury(&caller.account)) {
        return error_page(e, Some(&caller), lang, &headers);
    }
    let (Some(kind), Ok(date)) = (JuryKind::parse(&form.kind), chrono::NaiveDate::parse_from_str(&form.date, "%Y-%m-%d")) else {
        return error_page(ApiError::invalid("date", format!("{} / {}", form.kind, form.date)), Some(&caller), lang, &headers);
    };
    let new = NewSession {
        id: filled(&form.id),
        certification: certif_referential::DEFAULT_CERTIFICATION.to_string(),
        kind,
        date,
        name: filled(&form.name),
        place: filled(&form.place),
    };
    match jury::create(&state.db, new, &caller.account.username).await {
        Ok(id) => Redirect::to(&format!("/jurys/{id}")).into_response(),
        Err(e) => match refused(e, lang) {
            Ok((_, notices)) => {
                let text = notices.into_iter().map(|n| n.text).collect::<Vec<_>>().join(" ; ");
                error_page(ApiError::invalid("", text), Some(&caller), lang, &headers)
            }
            Err(e) => error_page(e, Some(&caller), lang, &headers),
        },
    }
}
