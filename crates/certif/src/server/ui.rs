//! The web UI, server-rendered (askama) with htmx for in-place edits: sign-in, the cohort with
//! its block matrix, a learner's page, a teacher's mark grid, a master's apprentices, a
//! learner's own progress, and clear 403/404 pages.
//! It uses the same access rules, store and engine as the API; forms carry the session's
//! CSRF token (hidden field, or `X-CSRF-Token` on htmx requests). French by default; the switch
//! at the top of every page (`/langue/en`) remembers English in a cookie.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use certif_core::decision::{ConditionStatus, Status, TitleStatus};
use certif_core::mark::MarkEntry;
use certif_core::messages::{self, Lang};
use certif_core::{Decision, Dossier};
use certif_store::Record;
use certif_store::Store as _;
use certif_store::accounts::{AccountStore as _, Role};
use serde::Deserialize;

use super::access::{self, Access};
use super::auth::{self, Caller};
use super::{ApiError, AppState};

mod apprentices;
mod what_it_takes;
use what_it_takes::mark_text;

const HTMX: &str = include_str!("../../assets/htmx-2.0.11.min.js");
const CSS: &str = include_str!("../../assets/certif.css");

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/", get(home))
        .route(
            "/assets/htmx.min.js",
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript"), (header::CACHE_CONTROL, "public, max-age=86400")], HTMX) }),
        )
        .route(
            "/assets/certif.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css"), (header::CACHE_CONTROL, "public, max-age=3600")], CSS) }),
        )
        .route("/login", get(login_page).post(login_submit))
        .route("/langue/{lang}", get(switch_language))
        .route("/logout", post(logout))
        .route("/cohorte", get(cohort))
        .route("/cohorte.csv", get(cohort_csv))
        .route("/apprenants/{id}", get(learner_page))
        .route("/parcours", get(my_progress))
        .route("/notes", get(my_modules))
        .route("/notes/{module}", get(grid))
        .route("/notes/{module}/{learner}", post(save_mark))
        .route("/apprentis", get(apprentices::apprentices))
        .route("/apprentis/{learner}/periodes/{period}", post(apprentices::save_period))
        .fallback(not_found_page)
}

/// The language of a request: the cookie `/langue/en` sets, else French.
fn lang(headers: &HeaderMap) -> Lang {
    let cookie = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if cookie.split(';').any(|c| c.trim() == "certif_lang=en") { Lang::En } else { Lang::Fr }
}

fn fr_en(lang: Lang, fr: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::En { en } else { fr }
}

/// What the layout shows around every page.
struct Chrome {
    lang: &'static str,
    user: Option<String>,
    role: Option<&'static str>,
    csrf: String,
    nav: Vec<(&'static str, &'static str)>,
    sign_out: &'static str,
    switch_lang: (&'static str, &'static str),
}

fn chrome(caller: Option<&Caller>, lang: Lang) -> Chrome {
    let t = |fr, en| fr_en(lang, fr, en);
    let nav = match caller.map(|c| c.account.role) {
        Some(Role::Admin | Role::Registrar | Role::Jury) => vec![("/cohorte", t("Cohorte", "Cohort"))],
        Some(Role::Teacher) => vec![("/notes", t("Saisie des notes", "Marks entry"))],
        Some(Role::Master) => vec![("/apprentis", t("Mes apprentis", "My apprentices"))],
        Some(Role::Learner) => vec![("/parcours", t("Mon parcours", "My progress"))],
        None => vec![],
    };
    Chrome {
        lang: if lang == Lang::En { "en" } else { "fr" },
        user: caller.map(|c| c.account.username.clone()),
        role: caller.map(|c| c.account.role.as_str()),
        csrf: caller.and_then(|c| c.cookie_csrf.clone()).unwrap_or_default(),
        nav,
        sign_out: t("Se déconnecter", "Sign out"),
        switch_lang: if lang == Lang::En { ("/langue/fr", "Français") } else { ("/langue/en", "English") },
    }
}

fn page(template: impl Template, status: StatusCode, headers: &HeaderMap) -> Response {
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

fn error_page(error: ApiError, caller: Option<&Caller>, lang: Lang, headers: &HeaderMap) -> Response {
    if error.status == StatusCode::UNAUTHORIZED {
        return Redirect::to("/login").into_response();
    }
    let (title, text) = match error.status {
        StatusCode::FORBIDDEN => (
            fr_en(lang, "Accès refusé (403)", "Access denied (403)"),
            fr_en(lang, "Votre rôle ne permet pas d'ouvrir cette page.", "Your role may not open this page."),
        ),
        StatusCode::NOT_FOUND => (
            fr_en(lang, "Page introuvable (404)", "Not found (404)"),
            fr_en(lang, "Cette page n'existe pas, ou ne vous est pas accessible.", "This page does not exist, or is not yours to see."),
        ),
        _ => (fr_en(lang, "Erreur", "Error"), ""),
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
        Ok(caller) => Redirect::to(match caller.account.role {
            Role::Admin | Role::Registrar | Role::Jury => "/cohorte",
            Role::Teacher => "/notes",
            Role::Master => "/apprentis",
            Role::Learner => "/parcours",
        })
        .into_response(),
    }
}

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
    let t = |fr, en| fr_en(lang, fr, en);
    let mut response = page(
        LoginPage {
            chrome: chrome(None, lang),
            title: t("Connexion", "Sign in"),
            username_label: t("Identifiant", "Username"),
            password_label: t("Mot de passe", "Password"),
            submit: t("Se connecter", "Sign in"),
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

async fn login_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    login_form(&state, lang(&headers), None, StatusCode::OK, &headers)
}

/// The sign-in form again, when its source went over the rate limit (429).
pub(super) fn too_many_sign_ins(state: &AppState, headers: &HeaderMap, wait: std::time::Duration) -> Response {
    let lang = lang(headers);
    let seconds = wait.as_secs().max(1);
    let text = match lang {
        Lang::Fr => format!("Trop de tentatives de connexion depuis cette adresse : réessayez dans {seconds} s."),
        Lang::En => format!("Too many sign-in attempts from this address: try again in {seconds} s."),
    };
    login_form(state, lang, Some(text), StatusCode::TOO_MANY_REQUESTS, headers)
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    csrf: Option<String>,
}

async fn login_submit(
    State(state): State<AppState>,
    axum::Extension(source): axum::Extension<super::limit::Source>,
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
        Err(e) if e.status == StatusCode::UNAUTHORIZED => login_form(
            &state,
            lang,
            Some(fr_en(lang, "Identifiant ou mot de passe incorrect.", "Wrong username or password.").to_string()),
            StatusCode::UNAUTHORIZED,
            &headers,
        ),
        Err(e) => error_page(e, None, lang, &headers),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

/// The signed-in caller and the page language; else the page to answer (sign-in, or 403 for a
/// form without its CSRF token). `form_csrf` is given for state-changing forms.
async fn signed_in(state: &AppState, headers: &HeaderMap, form_csrf: Option<Option<&str>>) -> Result<(Caller, Lang), Response> {
    let lang = lang(headers);
    let caller = state.caller(headers).await.map_err(|e| error_page(e, None, lang, headers))?;
    if let Some(field) = form_csrf {
        check_form_csrf(&caller, headers, field).map_err(|e| error_page(e, Some(&caller), lang, headers))?;
    }
    Ok((caller, lang))
}

/// A form's CSRF token: the `csrf` field, or the `X-CSRF-Token` header (htmx).
fn check_form_csrf(caller: &Caller, headers: &HeaderMap, field: Option<&str>) -> Result<(), ApiError> {
    let mut headers = headers.clone();
    if let Some(token) = field
        && let Ok(value) = HeaderValue::from_str(token)
    {
        headers.insert("x-csrf-token", value);
    }
    auth::check_csrf(caller, &headers)
}

async fn logout(State(state): State<AppState>, headers: HeaderMap, Form(form): Form<CsrfForm>) -> Response {
    let (caller, _) = match signed_in(&state, &headers, Some(form.csrf.as_deref())).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let _ = state.db.remove_session(&caller.token_hash).await;
    state.forget_session(&caller.token_hash).await;
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().insert(header::SET_COOKIE, state.cookie(auth::COOKIE, "", "/", Some(0)));
    response
}

/// A status as words and as a CSS class (colour is never the only sign).
fn status_view(status: Status, lang: Lang) -> (String, &'static str) {
    let class = match status {
        Status::Validated => "ok",
        Status::NotValidated => "ko",
        Status::Incomplete => "wait",
    };
    (messages::status(status, lang).to_string(), class)
}

fn title_view(status: TitleStatus, lang: Lang) -> (String, &'static str) {
    let class = match status {
        TitleStatus::Awarded => "ok",
        TitleStatus::NotAwarded => "ko",
        TitleStatus::Incomplete => "wait",
    };
    (messages::title_status(status, lang).to_string(), class)
}

struct CohortRow {
    id: String,
    name: String,
    title: (String, &'static str),
    blocks: Vec<(String, &'static str)>,
    missing: String,
}

#[derive(Template)]
#[template(path = "cohort.html")]
struct CohortPage {
    chrome: Chrome,
    heading: &'static str,
    learner_label: &'static str,
    title_label: &'static str,
    missing_label: &'static str,
    filter_label: &'static str,
    export_label: &'static str,
    all_label: &'static str,
    blocks: Vec<String>,
    statuses: Vec<(&'static str, String, bool)>,
    conditions: Vec<(&'static str, String, bool)>,
    rows: Vec<CohortRow>,
    query: String,
    count: String,
}

#[derive(Deserialize, Default)]
struct CohortQuery {
    statut: Option<String>,
    manque: Option<String>,
}

const CONDITION_KEYS: [&str; 5] = ["access", "registration", "company_periods", "mobility", "english"];

fn unmet_conditions(decision: &Decision) -> Vec<&'static str> {
    let mut missing: Vec<&'static str> = decision
        .conditions
        .iter()
        .into_iter()
        .filter(|(_, c)| matches!(c.status, ConditionStatus::Unmet | ConditionStatus::Incomplete))
        .map(|(key, _)| key)
        .collect();
    if decision.blocks.iter().any(|b| b.status != Status::Validated) {
        missing.push("blocks");
    }
    missing
}

/// Every learner the caller may see, decided today, filtered as asked.
async fn cohort_rows(
    state: &AppState,
    caller: &Caller,
    query: &CohortQuery,
    lang: Lang,
) -> Result<(Vec<String>, Vec<CohortRow>), ApiError> {
    if !matches!(caller.account.role, Role::Admin | Role::Registrar | Role::Jury) {
        return Err(ApiError::forbidden(""));
    }
    let curricula = state.curricula().await?;
    let today = chrono::Local::now().date_naive();
    let mut rows = Vec::new();
    let mut blocks = Vec::new();
    for (id, records) in state.db.all_records().await? {
        let Ok((dossier, decision)) = crate::records::decide_records(&curricula, &certif_core::Policy::default(), &id, &records, today)
        else {
            continue;
        };
        if blocks.is_empty() {
            blocks = decision.blocks.iter().map(|b| b.code.to_string()).collect();
        }
        let status = serde_json::to_value(decision.title.status).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        if query.statut.as_deref().is_some_and(|s| !s.is_empty() && s != status) {
            continue;
        }
        let missing = unmet_conditions(&decision);
        if query.manque.as_deref().is_some_and(|m| !m.is_empty() && !missing.contains(&m)) {
            continue;
        }
        rows.push(CohortRow {
            name: full_name(&dossier),
            title: title_view(decision.title.status, lang),
            blocks: decision.blocks.iter().map(|b| status_view(b.status, lang)).collect(),
            missing: missing.iter().map(|k| condition_label(k, lang)).collect::<Vec<_>>().join(", "),
            id,
        });
    }
    Ok((blocks, rows))
}

fn condition_label(key: &str, lang: Lang) -> String {
    if key == "blocks" { fr_en(lang, "blocs", "blocks").to_string() } else { messages::condition(key, lang).to_string() }
}

fn full_name(dossier: &Dossier) -> String {
    format!("{} {}", dossier.learner.family_name.clone().unwrap_or_default(), dossier.learner.given_names.clone().unwrap_or_default())
        .trim()
        .to_string()
}

async fn cohort(State(state): State<AppState>, headers: HeaderMap, Query(query): Query<CohortQuery>) -> Response {
    let (caller, lang) = match signed_in(&state, &headers, None).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let (blocks, rows) = match cohort_rows(&state, &caller, &query, lang).await {
        Ok(found) => found,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    let t = |fr, en| fr_en(lang, fr, en);
    let selected_status = query.statut.clone().unwrap_or_default();
    let selected_missing = query.manque.clone().unwrap_or_default();
    let statuses = [TitleStatus::Awarded, TitleStatus::NotAwarded, TitleStatus::Incomplete]
        .into_iter()
        .map(|s| {
            let key = match s {
                TitleStatus::Awarded => "awarded",
                TitleStatus::NotAwarded => "not_awarded",
                TitleStatus::Incomplete => "incomplete",
            };
            (key, messages::title_status(s, lang).to_string(), key == selected_status)
        })
        .collect();
    let conditions =
        CONDITION_KEYS.iter().copied().chain(["blocks"]).map(|k| (k, condition_label(k, lang), k == selected_missing)).collect();
    let query_string = format!("statut={selected_status}&manque={selected_missing}");
    let count = format!("{} {}", rows.len(), t("apprenant(s)", "learner(s)"));
    page(
        CohortPage {
            chrome: chrome(Some(&caller), lang),
            heading: t("Cohorte", "Cohort"),
            learner_label: t("Apprenant", "Learner"),
            title_label: t("Titre", "Title"),
            missing_label: t("Conditions manquantes", "Missing conditions"),
            filter_label: t("Filtrer", "Filter"),
            export_label: t("Exporter en CSV", "Export as CSV"),
            all_label: t("Tous", "All"),
            blocks,
            statuses,
            conditions,
            rows,
            query: query_string,
            count,
        },
        StatusCode::OK,
        &headers,
    )
}

async fn cohort_csv(State(state): State<AppState>, headers: HeaderMap, Query(query): Query<CohortQuery>) -> Response {
    let (caller, lang) = match signed_in(&state, &headers, None).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let (blocks, rows) = match cohort_rows(&state, &caller, &query, lang).await {
        Ok(found) => found,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    let mut header_row = vec!["learner_id".to_string(), "name".into(), "title".into()];
    header_row.extend(blocks);
    header_row.push("missing".into());
    let _ = writer.write_record(&header_row);
    for row in rows {
        let mut record = vec![row.id, row.name, row.title.0];
        record.extend(row.blocks.into_iter().map(|b| b.0));
        record.push(row.missing);
        let _ = writer.write_record(record.iter().map(|cell| crate::status_table::csv_cell(cell).into_owned()));
    }
    let body = writer.into_inner().unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"cohorte.csv\"")], body)
        .into_response()
}

struct UeView {
    code: String,
    average: String,
    status: (String, &'static str),
    marks: Vec<(String, String)>,
    reasons: Vec<String>,
}

struct BlockView {
    code: String,
    title: String,
    status: (String, &'static str),
    ues: Vec<UeView>,
    reasons: Vec<String>,
}

struct ConditionView {
    name: String,
    status: String,
    class: &'static str,
    reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "learner.html")]
struct LearnerPage {
    chrome: Chrome,
    name: String,
    id: String,
    title: (String, &'static str),
    title_label: &'static str,
    blocks_label: &'static str,
    conditions_label: &'static str,
    periods_label: &'static str,
    mobility_label: &'static str,
    english_label: &'static str,
    blocks: Vec<BlockView>,
    conditions: Vec<ConditionView>,
    periods: Vec<String>,
    mobility: Vec<String>,
    english: Vec<String>,
    what_it_takes: Option<what_it_takes::Section>,
}

fn learner_view(
    state_curricula: &crate::records::Curricula,
    caller: &Caller,
    dossier: &Dossier,
    decision: Decision,
    lang: Lang,
) -> LearnerPage {
    let t = |fr, en| fr_en(lang, fr, en);
    let sees_health_data = super::redact::may_see_health_data(&caller.account, &dossier.learner.id);
    let decision = &super::redact::decision_for(&caller.account, &dossier.learner.id, decision);
    let policy = state_curricula.policies.get(decision.certification.as_str()).cloned().unwrap_or_default();
    let adapted = sees_health_data && super::redact::english_target_adapted(dossier, &policy);
    let certification = state_curricula.loaded.iter().find(|(_, c)| c.code == decision.certification.as_str()).map(|(_, c)| c);
    let reason_words = |codes: &[certif_core::codes::ReasonCode]| {
        codes.iter().map(|r| format!("{} ({})", messages::reason(*r, lang), r.as_str())).collect::<Vec<_>>()
    };
    let marks_of = |module: &str| dossier.marks.iter().find(|m| m.module.as_str() == module);
    let blocks = decision
        .blocks
        .iter()
        .map(|b| BlockView {
            code: b.code.to_string(),
            title: certification.and_then(|c| c.block(b.code.as_str())).map(|block| block.title.clone()).unwrap_or_default(),
            status: status_view(b.status, lang),
            reasons: reason_words(&b.reasons),
            ues: b
                .ues
                .iter()
                .map(|u| UeView {
                    code: u.code.to_string(),
                    average: u.average.map(|a| format!("{:.2}", a).replace('.', ",")).unwrap_or_else(|| "—".into()),
                    status: status_view(u.status, lang),
                    reasons: reason_words(&u.reasons),
                    marks: u
                        .modules
                        .iter()
                        .map(|m| {
                            let entered = marks_of(m.code.as_str())
                                .map_or("—".to_string(), |mk| format!("{} / {}", mark_text(&mk.session1), mark_text(&mk.session2)));
                            (m.code.to_string(), entered)
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let conditions = decision
        .conditions
        .iter()
        .into_iter()
        .map(|(key, c)| {
            let mut reasons = reason_words(&c.reasons);
            for f in &c.findings {
                let mut line = format!("{} : {}", f.subject, messages::reason(f.reason, lang));
                if let Some(value) = &f.value {
                    line.push_str(&format!(" — {} {value}", t("valeur", "value")));
                }
                if let Some(threshold) = &f.threshold {
                    line.push_str(&format!(" ; {} {threshold}", t("il faut", "needed")));
                }
                reasons.push(line);
            }
            if key == "english" && adapted {
                let target = dossier.english_target(&policy);
                reasons.push(format!("{} {target} ({})", t("Cible adaptée :", "Target adapted:"), t("aménagement", "accommodation")));
            }
            ConditionView {
                name: messages::condition(key, lang).to_string(),
                status: messages::condition_status(c.status, lang).to_string(),
                class: match c.status {
                    ConditionStatus::Met | ConditionStatus::NotRequired => "ok",
                    ConditionStatus::Unmet => "ko",
                    ConditionStatus::Incomplete => "wait",
                },
                reasons,
            }
        })
        .collect();
    LearnerPage {
        chrome: chrome(Some(caller), lang),
        name: full_name(dossier),
        id: dossier.learner.id.clone(),
        title: title_view(decision.title.status, lang),
        title_label: t("Titre", "Title"),
        blocks_label: t("Blocs de compétences", "Competency blocks"),
        conditions_label: t("Conditions de délivrance", "Award conditions"),
        periods_label: t("Périodes en entreprise", "Company periods"),
        mobility_label: t("Mobilité internationale", "International mobility"),
        english_label: t("Anglais", "English"),
        what_it_takes: what_it_takes::section(state_curricula, &caller.account, dossier, decision, lang),
        blocks,
        conditions,
        periods: dossier
            .company_periods
            .iter()
            .map(|p| format!("{} : {} → {}, {} {}", p.id, p.start, p.end, t("évaluation", "evaluation"), mark_text(&p.evaluation)))
            .collect(),
        mobility: dossier.mobility.iter().map(|m| format!("{} : {} → {}", m.country, m.start, m.end)).collect(),
        english: dossier
            .english
            .iter()
            .map(|e| {
                let score =
                    serde_json::to_value(e.score).ok().map(|v| v.as_str().map_or_else(|| v.to_string(), String::from)).unwrap_or_default();
                format!("{} : {score} ({})", e.test, e.date)
            })
            .collect(),
    }
}

async fn show_learner(state: &AppState, headers: &HeaderMap, id: &str) -> Response {
    let lang = lang(headers);
    let caller = match state.caller(headers).await {
        Ok(caller) => caller,
        Err(e) => return error_page(e, None, lang, headers),
    };
    let curricula = match state.curricula().await {
        Ok(c) => c,
        Err(e) => return error_page(e, Some(&caller), lang, headers),
    };
    if !certif_core::ident::is_valid(id) {
        return error_page(ApiError::not_found(""), Some(&caller), lang, headers);
    }
    let records = match state.db.records_of(id).await {
        Ok(records) => records,
        Err(e) => return error_page(e.into(), Some(&caller), lang, headers),
    };
    if records.is_empty() {
        return error_page(ApiError::not_found(""), Some(&caller), lang, headers);
    }
    let follows = super::api::follows(&curricula, &records);
    match access::read_learner(&caller.account, id, &follows) {
        Access::Allowed => {}
        Access::Forbidden => return error_page(ApiError::forbidden(""), Some(&caller), lang, headers),
        Access::Hidden => return error_page(ApiError::not_found(""), Some(&caller), lang, headers),
    }
    match crate::records::decide_records(&curricula, &certif_core::Policy::default(), id, &records, chrono::Local::now().date_naive()) {
        Ok((dossier, decision)) => page(learner_view(&curricula, &caller, &dossier, decision, lang), StatusCode::OK, headers),
        Err(e) => error_page(ApiError::invalid("", e.0), Some(&caller), lang, headers),
    }
}

async fn learner_page(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    show_learner(&state, &headers, &id).await
}

async fn my_progress(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = lang(&headers);
    match state.caller(&headers).await {
        Ok(caller) => match caller.account.learner.clone() {
            Some(id) if caller.account.role == Role::Learner => show_learner(&state, &headers, &id).await,
            _ => error_page(ApiError::forbidden(""), Some(&caller), lang, &headers),
        },
        Err(e) => error_page(e, None, lang, &headers),
    }
}

#[derive(Template)]
#[template(path = "modules.html")]
struct ModulesPage {
    chrome: Chrome,
    heading: &'static str,
    modules: Vec<(String, String)>,
}

async fn my_modules(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let (caller, lang) = match signed_in(&state, &headers, None).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    if caller.account.role != Role::Teacher {
        return error_page(ApiError::forbidden(""), Some(&caller), lang, &headers);
    }
    let curricula = state.curricula().await.ok();
    let modules = caller
        .account
        .modules
        .iter()
        .map(|m| {
            let title = curricula
                .as_ref()
                .and_then(|c| c.loaded.iter().find_map(|(cur, _)| cur.module(m).map(|module| module.title.clone())))
                .unwrap_or_default();
            (m.clone(), title)
        })
        .collect();
    page(
        ModulesPage { chrome: chrome(Some(&caller), lang), heading: fr_en(lang, "Mes modules", "My modules"), modules },
        StatusCode::OK,
        &headers,
    )
}

struct GridRow {
    learner: String,
    name: String,
    session1: String,
    session2: String,
    version: i64,
    message: String,
    class: &'static str,
}

#[derive(Template)]
#[template(path = "grid.html")]
struct GridPage {
    chrome: Chrome,
    module: String,
    heading: String,
    learner_label: &'static str,
    session1_label: &'static str,
    session2_label: &'static str,
    save_label: &'static str,
    help: &'static str,
    rows: Vec<GridRow>,
}

#[derive(Template)]
#[template(path = "grid_row.html")]
struct GridRowFragment {
    module: String,
    session1_label: &'static str,
    session2_label: &'static str,
    save_label: &'static str,
    row: GridRow,
}

fn version_of(records: &[Record], module: &str) -> (MarkEntry, MarkEntry) {
    records
        .iter()
        .find_map(|r| match r {
            Record::Mark { module: m, session1, session2, .. } if m == module => Some((*session1, session2.unwrap_or_default())),
            _ => None,
        })
        .unwrap_or_default()
}

fn input_text(entry: MarkEntry) -> String {
    match entry {
        MarkEntry::Pending => String::new(),
        other => other.to_string().replace('.', ","),
    }
}

async fn grid(State(state): State<AppState>, headers: HeaderMap, Path(module): Path<String>) -> Response {
    let (caller, lang) = match signed_in(&state, &headers, None).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    if !certif_core::ident::is_valid(&module) {
        return error_page(ApiError::not_found(""), Some(&caller), lang, &headers);
    }
    // Read before the records: a mark entered in between shows as a conflict, never lost.
    let versions: std::collections::HashMap<String, i64> = match state.db.mark_versions(&module).await {
        Ok(versions) => versions.into_iter().collect(),
        Err(e) => return error_page(e.into(), Some(&caller), lang, &headers),
    };
    let allowed = match caller.account.role {
        Role::Admin | Role::Registrar => true,
        Role::Teacher => caller.account.modules.contains(&module),
        _ => false,
    };
    if !allowed {
        return error_page(ApiError::forbidden(""), Some(&caller), lang, &headers);
    }
    let curricula = match state.curricula().await {
        Ok(c) => c,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    let all = match state.db.all_records().await {
        Ok(all) => all,
        Err(e) => return error_page(e.into(), Some(&caller), lang, &headers),
    };
    let mut rows = Vec::new();
    for (id, records) in all {
        // A row posts to /notes/MODULE/ID: an id outside the safe charset never becomes a URL.
        if !certif_core::ident::is_valid(&id) || !super::api::follows(&curricula, &records)(&module) {
            continue;
        }
        let (s1, s2) = version_of(&records, &module);
        let version = versions.get(&id).copied().unwrap_or(0);
        let name = records.iter().find_map(|r| match r {
            Record::Learner(l) => {
                Some(format!("{} {}", l.learner.family_name.clone().unwrap_or_default(), l.learner.given_names.clone().unwrap_or_default()))
            }
            _ => None,
        });
        rows.push(GridRow {
            learner: id,
            name: name.unwrap_or_default(),
            session1: input_text(s1),
            session2: input_text(s2),
            version,
            message: String::new(),
            class: "",
        });
    }
    let t = |fr, en| fr_en(lang, fr, en);
    page(
        GridPage {
            chrome: chrome(Some(&caller), lang),
            heading: format!("{} {module}", t("Saisie des notes —", "Marks —")),
            module,
            learner_label: t("Apprenant", "Learner"),
            session1_label: t("Session 1", "Session 1"),
            session2_label: t("Rattrapage", "Resit"),
            save_label: t("Enregistrer", "Save"),
            help: t(
                "Tabulation pour passer d'une case à l'autre, Entrée pour enregistrer la ligne. Virgule ou point décimal ; ABJ, ABI acceptés ; vide = pas de note.",
                "Tab moves between cells, Enter saves the row. Decimal comma or point; ABJ, ABI accepted; empty = no mark.",
            ),
            rows,
        },
        StatusCode::OK,
        &headers,
    )
}

#[derive(Deserialize)]
struct MarkForm {
    session1: String,
    session2: String,
    version: i64,
    csrf: Option<String>,
}

async fn save_mark(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((module, learner)): Path<(String, String)>,
    Form(form): Form<MarkForm>,
) -> Response {
    let (caller, lang) = match signed_in(&state, &headers, Some(form.csrf.as_deref())).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let curricula = match state.curricula().await {
        Ok(c) => c,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    if !certif_core::ident::is_valid(&module) || !certif_core::ident::is_valid(&learner) {
        return error_page(ApiError::not_found(""), Some(&caller), lang, &headers);
    }
    let records = match state.db.records_of(&learner).await {
        Ok(records) => records,
        Err(e) => return error_page(e.into(), Some(&caller), lang, &headers),
    };
    let follows = super::api::follows(&curricula, &records);
    if records.is_empty() || access::write_mark(&caller.account, &learner, &module, &follows) != Access::Allowed || !follows(&module) {
        return error_page(ApiError::forbidden(""), Some(&caller), lang, &headers);
    }
    let t = |fr, en| fr_en(lang, fr, en);
    let mut row = GridRow {
        learner: learner.clone(),
        name: String::new(),
        session1: form.session1.clone(),
        session2: form.session2.clone(),
        version: form.version,
        message: String::new(),
        class: "",
    };
    match (MarkEntry::from_cell(&form.session1), MarkEntry::from_cell(&form.session2)) {
        (Ok(session1), Ok(session2)) => {
            let record = Record::Mark { learner_id: learner.clone(), module: module.clone(), session1, session2: Some(session2) };
            // Version 0: the grid saw no mark, so one entered meanwhile is a conflict too.
            let expected = Some(form.version);
            match state.db.put_versioned(record, expected, &caller.account.username).await {
                Ok(stored) => {
                    row.version = stored.version;
                    row.session1 = input_text(session1);
                    row.session2 = input_text(session2);
                    row.message = t("Enregistré", "Saved").into();
                    row.class = "ok";
                }
                Err(certif_store::StoreError::Conflict { current_version, .. }) => {
                    let (s1, s2) = version_of(&state.db.records_of(&learner).await.unwrap_or_default(), &module);
                    row.message = format!(
                        "{} {} / {}",
                        t("Modifiée entre-temps par quelqu'un d'autre ; valeur actuelle :", "Changed meanwhile by someone else; now:"),
                        input_text(s1),
                        input_text(s2)
                    );
                    row.version = current_version;
                    row.class = "ko";
                }
                Err(e) => {
                    row.message = ApiError::from(e).message;
                    row.class = "ko";
                }
            }
        }
        (Err(e), _) | (_, Err(e)) => {
            row.message = e.to_string();
            row.class = "ko";
        }
    }
    let fragment = GridRowFragment {
        module,
        session1_label: t("Session 1", "Session 1"),
        session2_label: t("Rattrapage", "Resit"),
        save_label: t("Enregistrer", "Save"),
        row,
    };
    match fragment.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::internal(format!("template: {e}")).into_response(),
    }
}
