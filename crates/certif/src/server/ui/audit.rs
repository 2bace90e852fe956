//! *Journal d'audit* (`/journal`), the admin's: every write, newest first, 100 a page, with who,
//! when, what and the row's values before and after; filtered by learner (`?apprenant=`) or by
//! account (`?compte=`: the entries it wrote, and the changes made to it).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use certif_core::messages::Lang;
use certif_core::messages::accounts::{AccountsUi, accounts_ui};
use certif_store::Store as _;
use serde::Deserialize;

use super::extract::SignedIn;
use super::{ApiError, AppState, Chrome, chrome, error_page, page};
use crate::server::access::{self, Access};

const PER_PAGE: usize = 100;

#[derive(Deserialize, Default)]
pub(super) struct AuditQuery {
    #[serde(default)]
    apprenant: String,
    #[serde(default)]
    compte: String,
    #[serde(default)]
    page: String,
}

struct EntryRow {
    seq: i64,
    at: String,
    actor: String,
    entity: String,
    key: String,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    heading: &'static str,
    hint: &'static str,
    learner_label: &'static str,
    account_label: &'static str,
    filter_label: &'static str,
    when: &'static str,
    who: &'static str,
    what: &'static str,
    key: &'static str,
    change: &'static str,
    count: String,
    learner: String,
    account: String,
    entries: Vec<EntryRow>,
    previous: Option<String>,
    next: Option<String>,
    page_text: String,
    previous_label: &'static str,
    next_label: &'static str,
}

pub(super) async fn audit_log(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<AuditQuery>,
    SignedIn { caller, lang }: SignedIn,
) -> Response {
    if access::read_audit_log(&caller.account) != Access::Allowed {
        return error_page(ApiError::forbidden(""), Some(&caller), lang, &headers);
    }
    let learner = query.apprenant.trim();
    let entries = match state.db.audit_log(Some(learner).filter(|l| !l.is_empty())).await {
        Ok(entries) => entries,
        Err(e) => return error_page(e.into(), Some(&caller), lang, &headers),
    };
    let account = query.compte.trim();
    let kept: Vec<_> = entries
        .into_iter()
        .rev()
        .filter(|e| account.is_empty() || e.actor == account || (e.entity == "accounts" && e.entity_key == account))
        .collect();
    let pages = kept.len().div_ceil(PER_PAGE).max(1);
    let page_number = query.page.parse::<usize>().unwrap_or(1).clamp(1, pages);
    let link = |n: usize| {
        let mut url = form_urlencoded::Serializer::new(String::new());
        for (key, value) in [("apprenant", learner), ("compte", account)] {
            if !value.is_empty() {
                url.append_pair(key, value);
            }
        }
        url.append_pair("page", &n.to_string());
        url.finish()
    };
    let w = |phrase| accounts_ui(phrase, lang);
    let count = format!("{} {}", kept.len(), w(AccountsUi::EntriesCount));
    let rows = kept.into_iter().skip((page_number - 1) * PER_PAGE).take(PER_PAGE).map(|e| EntryRow {
        seq: e.seq,
        at: format!("{} {}", certif_core::report::time_date_text(&e.at, lang), time_of(&e.at)),
        actor: e.actor,
        entity: e.entity,
        key: e.entity_key,
        before: e.before.unwrap_or_else(|| "—".into()),
        after: e.after.unwrap_or_else(|| "—".into()),
    });
    page(
        AuditPage {
            chrome: chrome(Some(&caller), lang),
            heading: w(AccountsUi::AuditLog),
            hint: w(AccountsUi::AuditHint),
            learner_label: w(AccountsUi::FilterLearner),
            account_label: w(AccountsUi::FilterAccount),
            filter_label: certif_core::messages::ui(certif_core::messages::Ui::Filter, lang),
            when: w(AccountsUi::When),
            who: w(AccountsUi::Who),
            what: w(AccountsUi::What),
            key: w(AccountsUi::Key),
            change: w(AccountsUi::Change),
            count,
            learner: learner.into(),
            account: account.into(),
            entries: rows.collect(),
            previous: (page_number > 1).then(|| link(page_number - 1)),
            next: (page_number < pages).then(|| link(page_number + 1)),
            page_text: page_words(page_number, pages, lang),
            previous_label: certif_core::messages::cohort::cohort_ui(certif_core::messages::cohort::CohortUi::Previous, lang),
            next_label: certif_core::messages::cohort::cohort_ui(certif_core::messages::cohort::CohortUi::Next, lang),
        },
        StatusCode::OK,
        &headers,
    )
}

/// `HH:MM:SS` of an RFC 3339 time (UTC, as the log keeps it).
fn time_of(at: &str) -> String {
    at.get(11..19).map_or_else(String::new, |time| format!("{time} UTC"))
}

fn page_words(page: usize, pages: usize, lang: Lang) -> String {
    use certif_core::messages::cohort::{CohortUi, cohort_ui};
    format!("{} {page} {} {pages}", cohort_ui(CohortUi::Page, lang), cohort_ui(CohortUi::Of, lang))
}
