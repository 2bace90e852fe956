//! *Imports* (`/imports`): the registrar (or the admin) uploads a spreadsheet of one kind and
//! reads either every problem with its `FILE:LINE:COLUMN`, or what the import would change (a
//! dry run); then confirms (`/imports/confirmer`). The confirmation carries the file itself
//! (base64, in the CSRF-checked form), so any server behind a proxy can take it: it is read and
//! checked again before it is written, all or nothing, audited as the caller — the same path as
//! `certif import` (`certif_app::import::import_sheet`).

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use certif_app::import::{ImportError, import_sheet};
use certif_core::messages::cli::{Said, say};
use certif_core::messages::workbench::{ImportUi, import_kind, import_ui};
use certif_core::messages::{Lang, Ui};
use certif_ingest::Kind;
use serde::Deserialize;

use super::extract::{CheckedForm, SignedIn, WithCsrf, check_form_csrf};
use super::{Chrome, chrome, error_page, page};
use crate::server::access::{self, Access};
use crate::server::auth::Caller;
use crate::server::{ApiError, AppState};

/// The largest file a browser import takes (bigger ones go through `certif import`).
pub(super) const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;

/// What a check or an import came to.
struct Outcome {
    file: String,
    kind: &'static str,
    /// Every problem, `FILE:LINE:COLUMN: message`, and how many there were in all.
    problems: Vec<String>,
    total: usize,
    /// The summary line (rows, new, changed, unchanged).
    summary: String,
    warnings: Vec<String>,
    /// The file, for the confirmation (a dry run without problems only).
    payload: Option<String>,
    done: bool,
}

#[derive(Template)]
#[template(path = "imports.html")]
struct ImportsPage {
    chrome: Chrome,
    heading: &'static str,
    intro: &'static str,
    kind_label: &'static str,
    file_label: &'static str,
    check_label: &'static str,
    confirm_label: &'static str,
    problems_label: &'static str,
    would_change_label: &'static str,
    done_label: &'static str,
    warnings_label: &'static str,
    /// (kind, its words, chosen)
    kinds: Vec<(&'static str, &'static str, bool)>,
    outcome: Option<Outcome>,
    /// A problem with the form itself (no file, no kind).
    error: Option<String>,
}

fn imports_page(caller: &Caller, lang: Lang, chosen: Option<Kind>, outcome: Option<Outcome>, error: Option<String>) -> ImportsPage {
    let t = |phrase| import_ui(phrase, lang);
    ImportsPage {
        chrome: chrome(Some(caller), lang),
        heading: t(ImportUi::Imports),
        intro: t(ImportUi::Intro),
        kind_label: t(ImportUi::Kind),
        file_label: t(ImportUi::File),
        check_label: t(ImportUi::Check),
        confirm_label: t(ImportUi::Confirm),
        problems_label: t(ImportUi::Problems),
        would_change_label: t(ImportUi::WouldChange),
        done_label: t(ImportUi::Done),
        warnings_label: t(ImportUi::Warnings),
        kinds: Kind::ALL.into_iter().map(|k| (k.as_str(), import_kind(k.as_str(), lang), Some(k) == chosen)).collect(),
        outcome,
        error,
    }
}

/// The 403 page for a caller who may not import; `None` for one who may.
fn refused(caller: &Caller, lang: Lang, headers: &HeaderMap) -> Option<Response> {
    match access::import_records(&caller.account) {
        Access::Allowed => None,
        _ => Some(error_page(ApiError::forbidden(""), Some(caller), lang, headers)),
    }
}

/// `GET /imports`: the form.
pub(super) async fn imports(headers: HeaderMap, SignedIn { caller, lang }: SignedIn) -> Response {
    if let Some(page) = refused(&caller, lang, &headers) {
        return page;
    }
    page(imports_page(&caller, lang, None, None, None), StatusCode::OK, &headers)
}

/// Checks (`dry_run`) or imports `bytes` as `kind`, as the page shows it.
async fn run(
    state: &AppState,
    caller: &Caller,
    kind: Kind,
    file: String,
    bytes: Vec<u8>,
    dry_run: bool,
    lang: Lang,
) -> Result<Outcome, ApiError> {
    let quiet: certif_store::Progress = std::sync::Arc::new(|_, _| {});
    let mut outcome = Outcome {
        file: file.clone(),
        kind: import_kind(kind.as_str(), lang),
        problems: Vec::new(),
        total: 0,
        summary: String::new(),
        warnings: Vec::new(),
        payload: None,
        done: !dry_run,
    };
    match import_sheet(&state.db, &caller.account.username, kind, &file, &bytes, dry_run, quiet).await {
        Ok(imported) => {
            let s = imported.summary;
            outcome.summary = say(
                Said::Imported { file: &file, rows: imported.rows, new: s.inserted, changed: s.updated, unchanged: s.unchanged, dry_run },
                lang,
            );
            outcome.warnings = imported.warnings.iter().map(|w| w.in_words(lang)).collect();
            if dry_run {
                outcome.payload = Some(URL_SAFE_NO_PAD.encode(&bytes));
            }
            Ok(outcome)
        }
        Err(ImportError::Sheet(problems)) => {
            outcome.problems = problems.issues.iter().map(|p| p.in_words(lang)).collect();
            outcome.total = problems.total;
            outcome.done = false;
            Ok(outcome)
        }
        Err(ImportError::App(error)) => Err(error.into()),
    }
}

/// The page after a check or an import: 422 when the file has problems.
fn outcome_page(outcome: Result<Outcome, ApiError>, caller: &Caller, kind: Kind, lang: Lang, headers: &HeaderMap) -> Response {
    match outcome {
        Ok(outcome) => {
            let status = if outcome.problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            page(imports_page(caller, lang, Some(kind), Some(outcome), None), status, headers)
        }
        Err(e) => error_page(e, Some(caller), lang, headers),
    }
}

/// `POST /imports` (multipart: `kind`, `file`, `csrf`): the file checked, nothing written.
pub(super) async fn check(State(state): State<AppState>, headers: HeaderMap, signed_in: SignedIn, mut form: Multipart) -> Response {
    let SignedIn { caller, lang } = signed_in;
    if let Some(page) = refused(&caller, lang, &headers) {
        return page;
    }
    let (mut kind, mut file, mut csrf) = (None, None, None);
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return error_page(ApiError::invalid("file", e.body_text()), Some(&caller), lang, &headers),
        };
        match field.name() {
            Some("kind") => kind = field.text().await.ok(),
            Some("csrf") => csrf = field.text().await.ok(),
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_string();
                match field.bytes().await {
                    Ok(bytes) if !name.is_empty() && !bytes.is_empty() => file = Some((name, bytes.to_vec())),
                    Ok(_) => {}
                    Err(e) => return error_page(ApiError::invalid("file", e.body_text()), Some(&caller), lang, &headers),
                }
            }
            _ => {}
        }
    }
    if let Err(e) = check_form_csrf(&caller, &headers, csrf.as_deref()) {
        return error_page(e, Some(&caller), lang, &headers);
    }
    let chosen = kind.as_deref().and_then(Kind::parse);
    let refuse = |why: String| page(imports_page(&caller, lang, chosen, None, Some(why)), StatusCode::UNPROCESSABLE_ENTITY, &headers);
    let Some(kind) = chosen else { return refuse(import_ui(ImportUi::UnknownKind, lang).into()) };
    let Some((name, bytes)) = file else { return refuse(import_ui(ImportUi::NoFile, lang).into()) };
    if bytes.len() > MAX_UPLOAD_BYTES {
        return refuse(format!("{} {MAX_UPLOAD_BYTES}", import_ui(ImportUi::TooLarge, lang)));
    }
    let outcome = run(&state, &caller, kind, name, bytes, true, lang).await;
    outcome_page(outcome, &caller, kind, lang, &headers)
}

#[derive(Deserialize)]
pub(super) struct ConfirmForm {
    kind: String,
    file: String,
    payload: String,
    csrf: Option<String>,
}

impl WithCsrf for ConfirmForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

/// `POST /imports/confirmer`: the checked file, read and checked again, then written.
pub(super) async fn confirm(State(state): State<AppState>, headers: HeaderMap, form: CheckedForm<ConfirmForm>) -> Response {
    let CheckedForm { caller, lang, form } = form;
    if let Some(page) = refused(&caller, lang, &headers) {
        return page;
    }
    let chosen = Kind::parse(&form.kind);
    let bytes = URL_SAFE_NO_PAD.decode(form.payload.as_bytes()).ok().filter(|b| !b.is_empty() && b.len() <= MAX_UPLOAD_BYTES);
    let (Some(kind), Some(bytes)) = (chosen, bytes) else {
        let why = certif_core::messages::ui(Ui::Error, lang).to_string();
        return page(imports_page(&caller, lang, chosen, None, Some(why)), StatusCode::UNPROCESSABLE_ENTITY, &headers);
    };
    let outcome = run(&state, &caller, kind, form.file, bytes, false, lang).await;
    outcome_page(outcome, &caller, kind, lang, &headers)
}
