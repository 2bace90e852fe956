//! A teacher's marks: *Mes modules* (`/notes`), a module's grid (`/notes/{module}`), and the
//! save of one row (`POST /notes/{module}/{learner}`, htmx), refused on a mark someone changed
//! meanwhile, showing the current value.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use certif_core::mark::MarkEntry;
use certif_core::messages::workbench::{WorkUi, work_ui};
use certif_core::messages::{self, Ui};
use certif_store::Record;
use certif_store::Store as _;
use certif_store::accounts::Role;
use serde::Deserialize;

use super::extract::{CheckedForm, SignedIn, WithCsrf};
use super::{Chrome, chrome, error_page, input_text, page};
use crate::server::access::{self, Access};
use crate::server::{ApiError, AppState};

#[derive(Template)]
#[template(path = "modules.html")]
struct ModulesPage {
    chrome: Chrome,
    heading: &'static str,
    modules: Vec<(String, String)>,
}

pub(super) async fn my_modules(headers: HeaderMap, State(state): State<AppState>, signed_in: SignedIn) -> Response {
    let SignedIn { caller, lang } = signed_in;
    if access::list_modules(&caller.account) != Access::Allowed {
        return error_page(ApiError::forbidden(""), Some(&caller), lang, &headers);
    }
    let curricula = match state.curricula().await {
        Ok(c) => c,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    let (heading, modules) = if caller.account.role == Role::Teacher {
        let modules = caller
            .account
            .modules
            .iter()
            .map(|m| {
                // A module no loaded curriculum has is listed without a title (no error hidden).
                let title = curricula
                    .loaded
                    .iter()
                    .find_map(|(cur, _)| cur.module(m).map(|module| module.title.clone()))
                    .unwrap_or_else(String::new);
                (m.clone(), title)
            })
            .collect();
        (Ui::MyModules, modules)
    } else {
        // The registrar and the admin: every module of every loaded curriculum, once each.
        let mut seen = std::collections::HashSet::new();
        let every = curricula.loaded.iter().flat_map(|(cur, _)| cur.modules());
        let modules = every.filter(|(_, m)| seen.insert(m.code.to_string())).map(|(_, m)| (m.code.to_string(), m.title.clone())).collect();
        (Ui::MarksEntry, modules)
    };
    page(ModulesPage { chrome: chrome(Some(&caller), lang), heading: messages::ui(heading, lang), modules }, StatusCode::OK, &headers)
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
    confirm_clear: &'static str,
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
    confirm_clear: &'static str,
    row: GridRow,
}

fn version_of(records: &[Record], module: &str) -> (MarkEntry, MarkEntry) {
    records
        .iter()
        .find_map(|r| match r {
            // No resit stored, or no mark at all: nothing entered yet.
            Record::Mark { module: m, session1, session2, .. } if m == module => Some((*session1, session2.unwrap_or(MarkEntry::Pending))),
            _ => None,
        })
        .unwrap_or((MarkEntry::Pending, MarkEntry::Pending))
}

/// The learner's name on their row (none before their identity record is imported).
fn name_of(records: &[Record]) -> String {
    records
        .iter()
        .find_map(|r| match r {
            Record::Learner(l) => Some(l.learner.display_name()),
            _ => None,
        })
        .unwrap_or_else(String::new)
}

pub(super) async fn grid(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(module): Path<String>,
    SignedIn { caller, lang }: SignedIn,
) -> Response {
    if !certif_core::ident::is_valid(&module) {
        return error_page(ApiError::not_found(""), Some(&caller), lang, &headers);
    }
    // Who may see the grid is checked before anything is read.
    if access::read_mark_grid(&caller.account, &module) != Access::Allowed {
        return error_page(ApiError::forbidden(""), Some(&caller), lang, &headers);
    }
    // Read before the records: a mark entered in between shows as a conflict, never lost.
    let versions: std::collections::HashMap<String, i64> = match state.db.mark_versions(&module).await {
        Ok(versions) => versions.into_iter().collect(),
        Err(e) => return error_page(e.into(), Some(&caller), lang, &headers),
    };
    let curricula = match state.curricula().await {
        Ok(c) => c,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    // The cohort a page of records at a time: only the module's rows are kept.
    let mut rows = Vec::new();
    let mut pages = certif_store::RecordPages::new(certif_app::COHORT_PAGE);
    loop {
        let page = match pages.next(&*state.db).await {
            Ok(Some(page)) => page,
            Ok(None) => break,
            Err(e) => return error_page(e.into(), Some(&caller), lang, &headers),
        };
        for (id, records) in page {
            // A row posts to /notes/MODULE/ID: an id outside the safe charset never becomes a URL.
            if !certif_core::ident::is_valid(&id) || !curricula.follows(&records)(&module) {
                continue;
            }
            let (s1, s2) = version_of(&records, &module);
            let version = versions.get(&id).copied().unwrap_or(0);
            rows.push(GridRow {
                learner: id,
                name: name_of(&records),
                session1: input_text(s1),
                session2: input_text(s2),
                version,
                message: String::new(),
                class: "",
            });
        }
    }
    let t = |phrase| messages::ui(phrase, lang);
    page(
        GridPage {
            chrome: chrome(Some(&caller), lang),
            heading: format!("{} {module}", t(Ui::MarksEntryOf)),
            module,
            learner_label: t(Ui::Learner),
            session1_label: t(Ui::Session1),
            session2_label: t(Ui::Resit),
            save_label: t(Ui::Save),
            confirm_clear: work_ui(WorkUi::ConfirmClear, lang),
            help: t(Ui::GridHelp),
            rows,
        },
        StatusCode::OK,
        &headers,
    )
}

#[derive(Deserialize)]
pub(super) struct MarkForm {
    session1: String,
    session2: String,
    version: i64,
    csrf: Option<String>,
}

impl WithCsrf for MarkForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

pub(super) async fn save_mark(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((module, learner)): Path<(String, String)>,
    CheckedForm { caller, lang, form }: CheckedForm<MarkForm>,
) -> Response {
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
    let follows = curricula.follows(&records);
    if records.is_empty() || access::write_mark(&caller.account, &learner, &module, &follows) != Access::Allowed || !follows(&module) {
        return error_page(ApiError::forbidden(""), Some(&caller), lang, &headers);
    }
    let t = |phrase| messages::ui(phrase, lang);
    let mut row = GridRow {
        learner: learner.clone(),
        name: name_of(&records),
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
                    row.message = t(Ui::Saved).into();
                    row.class = "ok";
                }
                Err(certif_store::StoreError::Conflict { current_version, .. }) => {
                    row.message = match state.db.records_of(&learner).await {
                        Ok(now) => {
                            let (s1, s2) = version_of(&now, &module);
                            format!("{} {} / {}", t(Ui::ChangedMeanwhile), input_text(s1), input_text(s2))
                        }
                        // The current value cannot be read: say so rather than show it empty.
                        Err(e) => ApiError::from(e).message,
                    };
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
            row.message = e.in_words(lang);
            row.class = "ko";
        }
    }
    let fragment = GridRowFragment {
        module,
        session1_label: t(Ui::Session1),
        session2_label: t(Ui::Resit),
        save_label: t(Ui::Save),
        confirm_clear: work_ui(WorkUi::ConfirmClear, lang),
        row,
    };
    match fragment.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::internal(format!("template: {e}")).into_response(),
    }
}
