//! *Mes apprentis*: a master's apprentices with their company periods, and the evaluation
//! form of each period. The form carries the version it was drawn from: a save on a period
//! someone changed meanwhile is refused, showing the current value (like the mark grid). The
//! page says which finished periods await the master's evaluation, and a save redraws the
//! apprentice's title badge along with the row.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use certif_core::messages::workbench::{WorkUi, work_ui};
use certif_core::messages::{self, Lang, Ui};
use certif_core::report::date_text;
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
    /// What the period waits for, if anything: (words, class).
    state: Option<(&'static str, &'static str)>,
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
    /// How many finished periods await an evaluation, in words.
    awaiting: String,
    period_label: &'static str,
    dates_label: &'static str,
    evaluation_label: &'static str,
    save_label: &'static str,
    apprentices: Vec<ApprenticeView>,
}

/// A saved row, and the apprentice's title badge redrawn out of band (htmx `hx-swap-oob`).
#[derive(Template)]
#[template(path = "period_fragment.html")]
struct PeriodRowFragment {
    evaluation_label: &'static str,
    save_label: &'static str,
    row: PeriodRow,
    badge: Option<(String, (String, &'static str))>,
}

/// What a period waits for on `today`: its end (not finished), or the master's evaluation.
fn period_state(
    period: &certif_core::dossier::CompanyPeriod,
    today: chrono::NaiveDate,
    lang: Lang,
) -> Option<(&'static str, &'static str)> {
    if period.end > today {
        Some((work_ui(WorkUi::NotFinished, lang), "wait"))
    } else if period.evaluation == certif_core::mark::MarkEntry::Pending {
        Some((work_ui(WorkUi::AwaitsEvaluation, lang), "ko"))
    } else {
        None
    }
}

fn dates(period: &certif_core::dossier::CompanyPeriod, lang: Lang) -> String {
    format!("{} → {}", date_text(period.start, lang), date_text(period.end, lang))
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn period_rows(learner: &str, records: &[Record], versions: &[(String, i64)], lang: Lang) -> Vec<PeriodRow> {
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
            dates: dates(p, lang),
            state: period_state(p, today(), lang),
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
        let Ok((dossier, decision)) = certif_app::decide_records(&curricula, &certif_core::Policy::default(), id, &records, today()) else {
            continue;
        };
        list.push(ApprenticeView {
            id: id.clone(),
            name: full_name(&dossier),
            title: title_view(decision.title.status, lang),
            periods: period_rows(id, &records, &versions, lang),
        });
    }
    let t = |phrase| messages::ui(phrase, lang);
    let waiting = list.iter().flat_map(|a| &a.periods).filter(|p| p.state.is_some_and(|(_, class)| class == "ko")).count();
    let awaiting = match waiting {
        0 => work_ui(WorkUi::NothingAwaits, lang).to_string(),
        n => format!("{n} {}", work_ui(WorkUi::PeriodsAwaiting, lang)),
    };
    page(
        ApprenticesPage {
            chrome: chrome(Some(&caller), lang),
            heading: t(Ui::MyApprentices),
            awaiting,
            period_label: work_ui(WorkUi::Period, lang),
            dates_label: work_ui(WorkUi::Dates, lang),
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
        dates: dates(&current, lang),
        state: period_state(&current, today(), lang),
        evaluation: form.evaluation.clone(),
        version: form.version,
        message: String::new(),
        class: "ko",
    };
    let mut saved = false;
    match certif_core::mark::MarkEntry::from_cell(&form.evaluation).map_err(|e| e.in_words(lang)) {
        Ok(evaluation) => {
            let evaluated = certif_core::dossier::CompanyPeriod { evaluation, ..current };
            let waits = period_state(&evaluated, today(), lang);
            let record = Record::CompanyPeriod { learner_id: learner.clone(), period: evaluated };
            match state.db.put_versioned(record, Some(form.version), &caller.account.username).await {
                Ok(stored) => {
                    row.version = stored.version;
                    row.evaluation = input_text(evaluation);
                    row.state = waits;
                    row.message = t(Ui::Saved).into();
                    row.class = "ok";
                    saved = true;
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
    // The title may have changed with the evaluation: its badge is drawn again.
    let badge = if saved { badge(&state, &learner, lang).await } else { None };
    let fragment = PeriodRowFragment { evaluation_label: t(Ui::EvaluationOutOf20), save_label: t(Ui::Save), row, badge };
    match fragment.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::internal(format!("template: {e}")).into_response(),
    }
}

/// The apprentice's title badge as decided now, for an out-of-band swap; none when the decision
/// cannot be made (the row still says the evaluation was saved).
async fn badge(state: &AppState, learner: &str, lang: Lang) -> Option<(String, (String, &'static str))> {
    let curricula = state.curricula().await.ok()?;
    let records = state.db.records_of(learner).await.ok()?;
    let (_, decision) = certif_app::decide_records(&curricula, &certif_core::Policy::default(), learner, &records, today()).ok()?;
    Some((learner.to_string(), title_view(decision.title.status, lang)))
}
