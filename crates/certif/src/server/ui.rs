//! The web UI, server-rendered (askama) with htmx for in-place edits: sign-in, the cohort with
//! its block matrix, a learner's page, a teacher's mark grid, a master's apprentices, a
//! learner's own progress, and clear 403/404 pages.
//! It uses the same access rules, store and engine as the API; forms carry the session's
//! CSRF token (hidden field, or `X-CSRF-Token` on htmx requests). French by default; the switch
//! at the top of every page (`/langue/en`) remembers English in a cookie.
//!
//! One module a page, as `templates/`: `login` (sign-in, sign-out), `cohort`, `learner`,
//! `progress` (*Mon parcours*), `records` (*Dossier*: the registrar's record forms), `marks` (a
//! teacher's modules and grid), `apprentices`, `stats`
//! (*Statistiques*), `accounts` (*Comptes*), `audit` (*Journal d'audit*), and
//! `what_it_takes` (a section of the learner's page). This file holds the router and what
//! every page shares (the layout, the error page); `extract` the signed-in caller and the
//! checked form; every rule on who may do what is in `super::access`; every word in
//! `certif_core::messages`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use certif_core::Dossier;
use certif_core::decision::{Status, TitleStatus};
use certif_core::mark::MarkEntry;
use certif_core::messages::{self, Lang, Ui};

use super::access;
use super::auth::Caller;
use super::{ApiError, AppState};

mod accounts;
mod apprentices;
mod audit;
mod cohort;
mod decision_body;
mod extract;
mod imports;
mod jury;
mod learner;
mod login;
mod marks;
mod progress;
mod records;
mod stats;
mod verify;
mod what_it_takes;

pub(super) use login::too_many_sign_ins;

const HTMX: &str = include_str!("../../assets/htmx-2.0.11.min.js");
const CSS: &str = include_str!("../../assets/certif.css");
const JURY_JS: &str = include_str!("../../assets/jury.js");
const GRID_JS: &str = include_str!("../../assets/grid.js");
const FAVICON: &str = include_str!("../../assets/favicon.svg");

/// An asset compiled into the binary, served with its type and how long it may be cached.
fn asset(content_type: &'static str, cache: &'static str, body: &'static str) -> axum::routing::MethodRouter<AppState> {
    axum::routing::get(move || async move { ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, cache)], body) })
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/", get(home))
        .route("/assets/htmx.min.js", asset("text/javascript", "public, max-age=86400", HTMX))
        .route("/assets/certif.css", asset("text/css", "public, max-age=3600", CSS))
        .route("/assets/jury.js", asset("text/javascript", "public, max-age=3600", JURY_JS))
        .route("/assets/grid.js", asset("text/javascript", "public, max-age=3600", GRID_JS))
        .route("/assets/favicon.svg", asset("image/svg+xml", "public, max-age=86400", FAVICON))
        .route("/login", get(login::login_page).post(login::login_submit))
        .route("/langue/{lang}", get(switch_language))
        .route("/logout", post(login::logout))
        .route("/cohorte", get(cohort::cohort))
        .route("/cohorte.csv", get(cohort::cohort_csv))
        .route("/apprenants/nouveau", get(records::new_learner).post(records::create_learner))
        .route("/apprenants/{id}", get(learner::learner_page))
        .route("/apprenants/{id}/dossier", get(records::record_forms))
        .route("/apprenants/{id}/dossier/{section}", post(records::save_record))
        .route("/apprenants/{id}/attestations/{file}", get(learner::credential_file))
        .route("/parcours", get(progress::my_progress))
        .route("/notes", get(marks::my_modules))
        .route("/notes/{module}", get(marks::grid))
        .route("/notes/{module}/{learner}", post(marks::save_mark))
        .route("/apprentis", get(apprentices::apprentices))
        .route("/apprentis/{learner}/periodes/{period}", post(apprentices::save_period))
        .route(
            "/imports",
            get(imports::imports).post(imports::check).layer(axum::extract::DefaultBodyLimit::max(imports::MAX_UPLOAD_BYTES + 64 * 1024)),
        )
        .route(
            "/imports/confirmer",
            post(imports::confirm).layer(axum::extract::DefaultBodyLimit::max(imports::MAX_UPLOAD_BYTES * 4 / 3 + 64 * 1024)),
        )
        .route("/comptes", get(accounts::accounts).post(accounts::create))
        .route("/comptes/{username}", get(accounts::account).post(accounts::save))
        .route("/comptes/{username}/mot-de-passe", post(accounts::reset_password))
        .route("/comptes/{username}/etat", post(accounts::set_state))
        .route("/comptes/{username}/supprimer", post(accounts::remove))
        .route("/journal", get(audit::audit_log))
        .route("/statistiques", get(stats::statistics))
        .route("/statistiques.csv", get(stats::statistics_csv))
        .route("/jurys", get(jury::sessions).post(jury::create))
        .route("/jurys/{id}", get(jury::session))
        .route("/jurys/{id}/membres", post(jury::add_member))
        .route("/jurys/{id}/membres/retirer", post(jury::remove_member))
        .route("/jurys/{id}/proces-verbal.json", get(jury::minutes_json))
        .route("/jurys/{id}/proces-verbal.pdf", get(jury::minutes_pdf))
        .route("/jurys/{id}/{action}", post(jury::act))
        .route("/jurys/{id}/candidats/{learner}", get(jury::candidate::candidate))
        .route("/jurys/{id}/candidats/{learner}/points", post(jury::candidate::points))
        .route("/jurys/{id}/candidats/{learner}/deliberation", post(jury::candidate::deliberate))
        .merge(verify::routes())
        .fallback(not_found_page)
}

/// The language of a request: the cookie `/langue/en` sets, else French.
pub(super) fn lang(headers: &HeaderMap) -> Lang {
    // No cookie (or one that is not text): the default language.
    let cookie = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if cookie.split(';').any(|c| c.trim() == "certif_lang=en") { Lang::En } else { Lang::Fr }
}

/// What the layout shows around every page.
pub(super) struct Chrome {
    lang: &'static str,
    user: Option<String>,
    role: Option<&'static str>,
    /// The certifier and the certification, for a signed-in page.
    brand: Option<(String, String)>,
    csrf: String,
    nav: Vec<(&'static str, &'static str)>,
    sign_out: &'static str,
    switch_lang: (&'static str, &'static str),
}

pub(super) fn chrome(caller: Option<&Caller>, lang: Lang) -> Chrome {
    let t = |phrase| messages::ui(phrase, lang);
    // One entry: the page the role lands on.
    let nav = caller.map_or_else(Vec::new, |c| {
        let to = access::landing(c.account.role);
        let label = match to {
            "/cohorte" => t(Ui::Cohort),
            "/notes" => t(Ui::MarksEntry),
            "/apprentis" => t(Ui::MyApprentices),
            _ => t(Ui::MyProgress),
        };
        let mut nav = vec![(to, label)];
        if to != "/notes" && access::list_modules(&c.account) == access::Access::Allowed {
            nav.push(("/notes", t(Ui::MarksEntry)));
        }
        if access::read_jury(&c.account) == access::Access::Allowed {
            nav.push(("/jurys", messages::jury::ui(messages::jury::JuryUi::Juries, lang)));
        }
        if access::import_records(&c.account) == access::Access::Allowed {
            nav.push(("/imports", messages::workbench::import_ui(messages::workbench::ImportUi::Imports, lang)));
        }
        if access::read_statistics(&c.account) == access::Access::Allowed {
            nav.push(("/statistiques", messages::stats::stats_ui(messages::stats::StatsUi::Statistics, lang)));
        }
        if access::manage_accounts(&c.account) == access::Access::Allowed {
            nav.push(("/comptes", messages::accounts::accounts_ui(messages::accounts::AccountsUi::Accounts, lang)));
        }
        nav
    });
    Chrome {
        lang: if lang == Lang::En { "en" } else { "fr" },
        user: caller.map(|c| c.account.username.clone()),
        brand: caller.and_then(|c| c.brand.clone()),
        role: caller.map(|c| messages::workbench::role(c.account.role.as_str(), lang)),
        // No token to echo when nobody is signed in, or for a bearer token.
        csrf: caller.and_then(|c| c.cookie_csrf.as_deref()).unwrap_or("").to_string(),
        nav,
        sign_out: t(Ui::SignOut),
        switch_lang: if lang == Lang::En { ("/langue/fr", "Français") } else { ("/langue/en", "English") },
    }
}

pub(super) fn page(template: impl Template, status: StatusCode, headers: &HeaderMap) -> Response {
    let mut response = match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => ApiError::internal(format!("template: {e}")).into_response(),
    };
    let _ = headers;
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(super::headers::PAGE_CSP));
    response
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    chrome: Chrome,
    title: String,
    text: String,
}

pub(super) fn error_page(error: ApiError, caller: Option<&Caller>, lang: Lang, headers: &HeaderMap) -> Response {
    if error.status == StatusCode::UNAUTHORIZED {
        return Redirect::to("/login").into_response();
    }
    let (title, text) = match error.status {
        StatusCode::FORBIDDEN => (messages::ui(Ui::ForbiddenTitle, lang), messages::ui(Ui::ForbiddenText, lang)),
        StatusCode::NOT_FOUND => (messages::ui(Ui::NotFoundTitle, lang), messages::ui(Ui::NotFoundText, lang)),
        _ => (messages::ui(Ui::Error, lang), ""),
    };
    let text = if text.is_empty() { error.message } else { text.to_string() };
    page(MessagePage { chrome: chrome(caller, lang), title: title.to_string(), text }, error.status, headers)
}

async fn not_found_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let caller = state.caller(&headers).await.ok();
    error_page(ApiError::not_found(""), caller.as_ref(), lang(&headers), &headers)
}

/// `/langue/fr|en`: sets the language cookie and goes back to the page it came from.
async fn switch_language(State(state): State<AppState>, headers: HeaderMap, Path(chosen): Path<String>) -> Response {
    if chosen != "fr" && chosen != "en" {
        return StatusCode::NOT_FOUND.into_response();
    }
    // Back to the same page of this site only (the path of the Referer, never another host).
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|at| rest[at..].to_string()))
        .filter(|path| path.starts_with('/') && !path.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    let mut response = Redirect::to(&back).into_response();
    response.headers_mut().insert(header::SET_COOKIE, state.cookie("certif_lang", &chosen, "/", Some(31_536_000)));
    response
}

async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match state.caller(&headers).await {
        Err(_) => Redirect::to("/login").into_response(),
        Ok(caller) => Redirect::to(access::landing(caller.account.role)).into_response(),
    }
}

/// A status as words and as a CSS class (colour is never the only sign).
pub(super) fn status_view(status: Status, lang: Lang) -> (String, &'static str) {
    let class = match status {
        Status::Validated => "ok",
        Status::NotValidated => "ko",
        Status::Incomplete => "wait",
    };
    (messages::status(status, lang).to_string(), class)
}

pub(super) fn title_view(status: TitleStatus, lang: Lang) -> (String, &'static str) {
    let class = match status {
        TitleStatus::Awarded => "ok",
        TitleStatus::NotAwarded => "ko",
        TitleStatus::Incomplete => "wait",
    };
    (messages::title_status(status, lang).to_string(), class)
}

pub(super) fn full_name(dossier: &Dossier) -> String {
    dossier.learner.display_name()
}

pub(super) fn input_text(entry: MarkEntry) -> String {
    certif_app::edit::mark_text(entry)
}
