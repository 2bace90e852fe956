//! The cohort (`/cohorte`): every learner decided today, with the block matrix, filtered by
//! title status or missing condition; and the same as CSV (`/cohorte.csv`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use certif_core::Decision;
use certif_core::decision::{ConditionStatus, Status, TitleStatus};
use certif_core::messages::{self, Lang, Ui};
use certif_store::Store as _;
use serde::Deserialize;

use super::extract::SignedIn;
use super::{Chrome, chrome, error_page, full_name, page, status_view, title_view};
use crate::server::access::{self, Access};
use crate::server::auth::Caller;
use crate::server::{ApiError, AppState};

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
pub(super) struct CohortQuery {
    statut: Option<String>,
    manque: Option<String>,
}

/// A title status as the API spells it (and the filter's `statut=`).
fn title_key(status: TitleStatus) -> &'static str {
    match status {
        TitleStatus::Awarded => "awarded",
        TitleStatus::NotAwarded => "not_awarded",
        TitleStatus::Incomplete => "incomplete",
    }
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
    if access::read_cohort(&caller.account) != Access::Allowed {
        return Err(ApiError::forbidden(""));
    }
    let curricula = state.curricula().await?;
    let today = chrono::Local::now().date_naive();
    let mut rows = Vec::new();
    let mut blocks = Vec::new();
    for (id, records) in state.db.all_records().await? {
        let Ok((dossier, decision)) = certif_app::decide_records(&curricula, &certif_core::Policy::default(), &id, &records, today) else {
            continue;
        };
        if blocks.is_empty() {
            blocks = decision.blocks.iter().map(|b| b.code.to_string()).collect();
        }
        let status = title_key(decision.title.status);
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
    if key == "blocks" { messages::ui(Ui::BlocksLower, lang).to_string() } else { messages::condition(key, lang).to_string() }
}

pub(super) async fn cohort(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<CohortQuery>,
    SignedIn { caller, lang }: SignedIn,
) -> Response {
    let (blocks, rows) = match cohort_rows(&state, &caller, &query, lang).await {
        Ok(found) => found,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    let t = |phrase| messages::ui(phrase, lang);
    // No filter asked: every learner.
    let selected_status = query.statut.as_deref().unwrap_or("");
    let selected_missing = query.manque.as_deref().unwrap_or("");
    let statuses = [TitleStatus::Awarded, TitleStatus::NotAwarded, TitleStatus::Incomplete]
        .into_iter()
        .map(|s| {
            let key = title_key(s);
            (key, messages::title_status(s, lang).to_string(), key == selected_status)
        })
        .collect();
    let conditions =
        CONDITION_KEYS.iter().copied().chain(["blocks"]).map(|k| (k, condition_label(k, lang), k == selected_missing)).collect();
    let query_string = format!("statut={selected_status}&manque={selected_missing}");
    let count = format!("{} {}", rows.len(), t(Ui::LearnersCount));
    page(
        CohortPage {
            chrome: chrome(Some(&caller), lang),
            heading: t(Ui::Cohort),
            learner_label: t(Ui::Learner),
            title_label: t(Ui::Title),
            missing_label: t(Ui::MissingConditions),
            filter_label: t(Ui::Filter),
            export_label: t(Ui::ExportCsv),
            all_label: t(Ui::All),
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

pub(super) async fn cohort_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<CohortQuery>,
    SignedIn { caller, lang }: SignedIn,
) -> Response {
    let (blocks, rows) = match cohort_rows(&state, &caller, &query, lang).await {
        Ok(found) => found,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    let t = |fr, en| certif_core::messages::pick(lang, fr, en);
    let mut header_row = vec![t("Apprenant", "Learner").to_string(), t("Nom", "Name").into(), t("Titre", "Title").into()];
    header_row.extend(blocks);
    header_row.push(t("Conditions manquantes", "Missing conditions").into());
    let records = rows.into_iter().map(|row| {
        let mut record = vec![row.id, row.name, row.title.0];
        record.extend(row.blocks.into_iter().map(|b| b.0));
        record.push(row.missing);
        record
    });
    // For a spreadsheet, as people read it: a UTF-8 BOM (Excel reads the accents), `;`, headers in words.
    let body = certif_app::status_table::people_csv(&header_row, records);
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"cohorte.csv\"")], body)
        .into_response()
}
