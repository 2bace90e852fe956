//! *Mes apprentis*: a master's apprentices with their company periods, and the evaluation
//! form of each period. The form carries the version it was drawn from: a save on a period
//! someone changed meanwhile is refused, showing the current value (like the mark grid).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use certif_core::messages::{self, Ui};
use certif_store::Record;
use certif_store::Store as _;
use serde::Deserialize;

use super::extract::{CheckedForm, SignedIn, WithCsrf};
use super::{ApiError, AppState, Chrome, access, chrome, error_page, full_name, input_text, page, title_view};
use crate::server::access::Access;

struct PeriodRow {
    learner: String,
    period: String,
    dates: String,
    evaluation: String,
    version: i64,
    message: String,
    class: &'static str,
}

struct ApprenticeView {
    id: String,
    name: String,
    title: (String, &'static str),
    periods: Vec<PeriodRow>,
}

#[derive(Template)]
#[template(path = "apprentices.html")]
struct ApprenticesPage {
    chrome: Chrome,
    heading: &'static str,
    evaluation_label: &'static str,
    save_label: &'static str,
    apprentices: Vec<ApprenticeView>,
}

#[derive(Template)]
#[template(path = "period_row.html")]
struct PeriodRowFragment {
    evaluation_label: &'static str,
    save_label: &'static str,
    row: PeriodRow,
}

fn period_rows(learner: &str, records: &[Record], versions: &[(String, i64)]) -> Vec<PeriodRow> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::CompanyPeriod { period, .. } => Some(period),
            _ => None,
        })
        .filter(|p| certif_core::ident::is_valid(&p.id))
        .map(|p| PeriodRow {
            learner: learner.to_string(),
            period: p.id.clone(),
            dates: format!("{} → {}", p.start, p.end),
            evaluation: input_text(p.evaluation),
            version: versions.iter().find(|(id, _)| *id == p.id).map_or(0, |(_, v)| *v),
            message: String::new(),
            class: "",
        })
        .collect()
}

pub(super) async fn apprentices(State(state): State<AppState>, headers: HeaderMap, signed_in: SignedIn) -> Response {
    let SignedIn { caller, lang } = signed_in;
    if access::list_apprentices(&caller.account) != Access::Allowed {
        return error_page(ApiError::forbidden(""), Some(&caller), lang, &headers);
    }
    let curricula = match state.curricula().await {
        Ok(c) => c,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    let mut list = Vec::new();
    for id in caller.account.apprentices.iter().filter(|id| certif_core::ident::is_valid(id)) {
        let (records, versions) = match (state.db.records_of(id).await, state.db.period_versions(id).await) {
            (Ok(records), Ok(versions)) => (records, versions),
            (Err(e), _) | (_, Err(e)) => return error_page(e.into(), Some(&caller), lang, &headers),
        };
        let Ok((dossier, decision)) =
            certif_app::decide_records(&curricula, &certif_core::Policy::default(), id, &records, chrono::Local::now().date_naive())
        else {
            continue;
        };
        list.push(ApprenticeView {
            id: id.clone(),
            name: full_name(&dossier),
            title: title_view(decision.title.status, lang),
            periods: period_rows(id, &records, &versions),
        });
    }
    let t = |phrase| messages::ui(phrase, lang);
    page(
        ApprenticesPage {
            chrome: chrome(Some(&caller), lang),
            heading: t(Ui::MyApprentices),
            evaluation_label: t(Ui::EvaluationOutOf20),
            save_label: t(Ui::Save),
            apprentices: list,
        },
        StatusCode::OK,
        &headers,
    )
}

#[derive(Deserialize)]
pub(super) struct PeriodForm {
    evaluation: String,
    /// The version the form was drawn from (0: none was stored).
    version: i64,
    csrf: Option<String>,
}

impl WithCsrf for PeriodForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

pub(super) async fn save_period(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((learner, period)): Path<(String, String)>,
    CheckedForm { caller, lang, form }: CheckedForm<PeriodForm>,
) -> Response {
    if !certif_core::ident::is_valid(&learner) || !certif_core::ident::is_valid(&period) {
        return error_page(ApiError::not_found(""), Some(&caller), lang, &headers);
    }
    if access::write_period(&caller.account, &learner, false) != Access::Allowed {
        return error_page(ApiError::forbidden(""), Some(&caller), lang, &headers);
    }
    let t = |phrase| messages::ui(phrase, lang);
    let records = match state.db.records_of(&learner).await {
        Ok(records) => records,
        Err(e) => return error_page(e.into(), Some(&caller), lang, &headers),
    };
    let Some(current) = records.iter().find_map(|r| match r {
        Record::CompanyPeriod { period: p, .. } if p.id == period => Some(p.clone()),
        _ => None,
    }) else {
        return error_page(ApiError::not_found(""), Some(&caller), lang, &headers);
    };
    let mut row = PeriodRow {
        learner: learner.clone(),
        period: period.clone(),
        dates: format!("{} → {}", current.start, current.end),
        evaluation: form.evaluation.clone(),
        version: form.version,
        message: String::new(),
        class: "ko",
    };
    match certif_core::mark::MarkEntry::from_cell(&form.evaluation).map_err(|e| e.to_string()) {
        Ok(evaluation) => {
            let record = Record::CompanyPeriod {
                learner_id: learner.clone(),
                period: certif_core::dossier::CompanyPeriod { evaluation, ..current },
            };
            match state.db.put_versioned(record, Some(form.version), &caller.account.username).await {
                Ok(stored) => {
                    row.version = stored.version;
                    row.evaluation = input_text(evaluation);
                    row.message = t(Ui::Saved).into();
                    row.class = "ok";
                }
                Err(certif_store::StoreError::Conflict { current_version, .. }) => {
                    row.message = match state.db.records_of(&learner).await {
                        Ok(now) => {
                            let value = now.iter().find_map(|r| match r {
                                Record::CompanyPeriod { period: p, .. } if p.id == period => Some(input_text(p.evaluation)),
                                _ => None,
                            });
                            format!(
                                "{} {}",
                                t(Ui::ChangedMeanwhile),
                                // The period was deleted meanwhile: no value to show.
                                value.as_deref().unwrap_or("")
                            )
                        }
                        // The current value cannot be read: say so rather than show it empty.
                        Err(e) => ApiError::from(e).message,
                    };
                    row.version = current_version;
                }
                Err(e) => row.message = ApiError::from(e).message,
            }
        }
        Err(e) => row.message = e,
    }
    let fragment = PeriodRowFragment { evaluation_label: t(Ui::EvaluationOutOf20), save_label: t(Ui::Save), row };
    match fragment.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::internal(format!("template: {e}")).into_response(),
    }
}
