//! The cohort (`/cohorte`): every learner decided today, counted at the top, searched as one
//! types, filtered (title status, what is missing, "only that"), sorted by any column and paged;
//! and the same selection as CSV (`/cohorte.csv`). The decisions come from the server's
//! cohort, decided once per audit head (`AppState::cohort`): a page is a sort, not a decision
//! per learner.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use certif_app::cohort::{Cohort, CohortQuery, MISSING_KEYS, SortKey, missing_key};
use certif_core::decision::TitleStatus;
use certif_core::messages::cohort::{CohortUi, cohort_ui};
use certif_core::messages::{self, Lang, Ui};
use serde::Deserialize;

use super::extract::SignedIn;
use super::{Chrome, chrome, error_page, page, status_view, title_view};
use crate::server::access::{self, Access};
use crate::server::auth::Caller;
use crate::server::{ApiError, AppState};

/// The page's address as people share it: every choice in the query string, French words.
#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct CohortParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    statut: String,
    #[serde(default)]
    manque: String,
    /// "1": missing that and nothing else.
    #[serde(default)]
    seul: String,
    #[serde(default)]
    tri: String,
    /// "desc" for descending.
    #[serde(default)]
    ordre: String,
    #[serde(default)]
    page: String,
    /// Rows a page: 50 by default, "tous" for every row.
    #[serde(default)]
    par: String,
}

const PAGE_SIZES: [usize; 3] = [50, 100, 500];

impl CohortParams {
    fn query(&self) -> CohortQuery {
        CohortQuery {
            text: self.q.clone(),
            title: title_of(&self.statut),
            missing: missing_key(&self.manque),
            missing_only: self.seul == "1",
            sort: SortKey::parse(&self.tri),
            descending: self.ordre == "desc",
            page: self.page.parse().unwrap_or(1),
            per_page: self.per_page(),
        }
    }

    fn per_page(&self) -> usize {
        if self.par == "tous" { 0 } else { self.par.parse().ok().filter(|n| PAGE_SIZES.contains(n)).unwrap_or(PAGE_SIZES[0]) }
    }

    /// This address with some choices changed (always back to the first page unless `page` is given).
    fn with(&self, change: impl FnOnce(&mut CohortParams)) -> String {
        let mut params = CohortParams { page: String::new(), ..self.clone() };
        change(&mut params);
        // The defaults are left out: the address stays short.
        if params.per_page() == PAGE_SIZES[0] {
            params.par.clear();
        }
        if params.page == "1" {
            params.page.clear();
        }
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("q", &params.q),
            ("statut", &params.statut),
            ("manque", &params.manque),
            ("seul", &params.seul),
            ("tri", &params.tri),
            ("ordre", &params.ordre),
            ("page", &params.page),
            ("par", &params.par),
        ] {
            if !value.is_empty() {
                query.append_pair(key, value);
            }
        }
        query.finish()
    }
}

fn title_of(key: &str) -> Option<TitleStatus> {
    [TitleStatus::Awarded, TitleStatus::NotAwarded, TitleStatus::Incomplete].into_iter().find(|s| TitleStatus::as_str(*s) == key)
}

/// What is missing, inside a row's list ("Anglais, blocs").
fn missing_label(key: &str, lang: Lang) -> &'static str {
    if key == "blocks" { messages::ui(Ui::BlocksLower, lang) } else { messages::condition(key, lang) }
}

/// What is missing, starting a line (the filter's options, the counts).
fn missing_heading(key: &str, lang: Lang) -> &'static str {
    if key == "blocks" { cohort_ui(CohortUi::Blocks, lang) } else { messages::condition(key, lang) }
}

struct Row {
    id: String,
    name: String,
    title: (String, &'static str),
    blocks: Vec<(String, &'static str)>,
    missing: String,
}

/// A sortable column head: its words, the address that sorts by it, and `aria-sort`.
struct Head {
    label: String,
    hover: String,
    href: String,
    sort: &'static str,
}

/// A count at the top, linking to the learners it counts.
struct Count {
    count: usize,
    label: String,
    href: String,
    only: Option<(usize, String)>,
}

#[derive(Template)]
#[template(path = "cohort.html")]
struct CohortPage {
    chrome: Chrome,
    t: CohortWords,
    params: CohortParams,
    statuses: Vec<(&'static str, String, bool)>,
    conditions: Vec<(&'static str, &'static str, bool)>,
    page_sizes: Vec<(String, String, bool)>,
    titles: Vec<Count>,
    missing: Vec<Count>,
    heads: Vec<Head>,
    rows: Vec<Row>,
    matching: String,
    csv: String,
    page: usize,
    pages: usize,
    previous: Option<String>,
    next: Option<String>,
    undecided: Vec<String>,
    /// The link to a new learner's form, for those who may create one.
    new_learner: Option<&'static str>,
}

/// The page's fixed words.
struct CohortWords {
    heading: &'static str,
    overview: &'static str,
    search: &'static str,
    search_hint: &'static str,
    title: &'static str,
    missing: &'static str,
    any_title: &'static str,
    any_missing: &'static str,
    only_that: &'static str,
    per_page: &'static str,
    filter: &'static str,
    reset: &'static str,
    export: &'static str,
    page: &'static str,
    of: &'static str,
    previous: &'static str,
    next: &'static str,
    pagination: &'static str,
    undecided: &'static str,
    only_that_count: &'static str,
    colon: &'static str,
}

impl CohortWords {
    fn new(lang: Lang) -> CohortWords {
        let c = |phrase| cohort_ui(phrase, lang);
        let t = |phrase| messages::ui(phrase, lang);
        CohortWords {
            heading: t(Ui::Cohort),
            overview: c(CohortUi::Overview),
            search: c(CohortUi::Search),
            search_hint: c(CohortUi::SearchHint),
            title: t(Ui::Title),
            missing: t(Ui::MissingConditions),
            any_title: c(CohortUi::AnyTitle),
            any_missing: c(CohortUi::AnyMissing),
            only_that: c(CohortUi::OnlyThat),
            per_page: c(CohortUi::PerPage),
            filter: t(Ui::Filter),
            reset: c(CohortUi::Reset),
            export: t(Ui::ExportCsv),
            page: c(CohortUi::Page),
            of: c(CohortUi::Of),
            previous: c(CohortUi::Previous),
            next: c(CohortUi::Next),
            pagination: c(CohortUi::Pagination),
            undecided: c(CohortUi::Undecided),
            only_that_count: c(CohortUi::OnlyThatCount),
            colon: messages::pick(lang, " :", ":"),
        }
    }
}

/// The cohort, when the caller may read it.
async fn readable_cohort(state: &AppState, caller: &Caller) -> Result<std::sync::Arc<Cohort>, ApiError> {
    if access::read_cohort(&caller.account) != Access::Allowed {
        return Err(ApiError::forbidden(""));
    }
    state.cohort().await
}

fn row(entry: &certif_app::cohort::CohortEntry, lang: Lang) -> Row {
    Row {
        id: entry.id.clone(),
        name: entry.name.clone(),
        title: title_view(entry.title, lang),
        blocks: entry.blocks.iter().map(|s| status_view(*s, lang)).collect(),
        missing: entry.missing.iter().map(|k| missing_label(k, lang)).collect::<Vec<_>>().join(", "),
    }
}

fn heads(cohort: &Cohort, params: &CohortParams, lang: Lang) -> Vec<Head> {
    let query = params.query();
    let t = |phrase| messages::ui(phrase, lang);
    let sort_by = cohort_ui(CohortUi::SortBy, lang);
    let mut columns =
        vec![(SortKey::Id, t(Ui::Learner).to_string(), String::new()), (SortKey::Title, t(Ui::Title).to_string(), String::new())];
    for (n, block) in cohort.blocks.iter().enumerate() {
        columns.push((SortKey::Block(n), block.short.clone(), format!("{} — {}", block.code, block.title)));
    }
    columns.push((SortKey::Missing, t(Ui::MissingConditions).to_string(), String::new()));
    columns
        .into_iter()
        .map(|(key, label, hover)| {
            let current = query.sort == key;
            let descending_next = current && !query.descending;
            let href = params.with(|p| {
                p.tri = key.word();
                p.ordre = if descending_next { "desc".into() } else { String::new() };
            });
            let sort = match (current, query.descending) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            };
            let hover = if hover.is_empty() { format!("{sort_by} {}", label.to_lowercase()) } else { hover };
            Head { label, hover, href, sort }
        })
        .collect()
}

fn dashboard(cohort: &Cohort, lang: Lang) -> (Vec<Count>, Vec<Count>) {
    let dashboard = cohort.dashboard();
    let base = CohortParams::default();
    let titles = [
        (TitleStatus::Awarded, dashboard.awarded),
        (TitleStatus::Incomplete, dashboard.incomplete),
        (TitleStatus::NotAwarded, dashboard.not_awarded),
    ]
    .into_iter()
    .map(|(status, count)| Count {
        count,
        label: messages::title_status(status, lang).to_string(),
        href: base.with(|p| p.statut = TitleStatus::as_str(status).into()),
        only: None,
    })
    .collect();
    let missing = dashboard
        .missing
        .iter()
        .map(|m| Count {
            count: m.learners,
            label: missing_heading(m.key, lang).to_string(),
            href: base.with(|p| p.manque = m.key.into()),
            only: Some((
                m.only,
                base.with(|p| {
                    p.manque = m.key.into();
                    p.seul = "1".into();
                }),
            )),
        })
        .collect();
    (titles, missing)
}

pub(super) async fn cohort(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<CohortParams>,
    SignedIn { caller, lang }: SignedIn,
) -> Response {
    let cohort = match readable_cohort(&state, &caller).await {
        Ok(cohort) => cohort,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    let query = params.query();
    let selection = cohort.select(&query);
    let statuses = [TitleStatus::Awarded, TitleStatus::Incomplete, TitleStatus::NotAwarded]
        .into_iter()
        .map(|s| (TitleStatus::as_str(s), messages::title_status(s, lang).to_string(), query.title == Some(s)))
        .collect();
    let conditions = MISSING_KEYS.iter().map(|&k| (k, missing_heading(k, lang), query.missing == Some(k))).collect();
    let per_page = params.per_page();
    let page_sizes = PAGE_SIZES
        .iter()
        .map(|n| (n.to_string(), n.to_string(), *n == per_page))
        .chain([("tous".to_string(), cohort_ui(CohortUi::Everyone, lang).to_string(), per_page == 0)])
        .collect();
    let (titles, missing) = dashboard(&cohort, lang);
    let at = |page: usize| params.with(|p| p.page = page.to_string());
    page(
        CohortPage {
            chrome: chrome(Some(&caller), lang),
            t: CohortWords::new(lang),
            heads: heads(&cohort, &params, lang),
            rows: selection.rows.iter().map(|entry| row(entry, lang)).collect(),
            matching: format!("{} {}", selection.matching, cohort_ui(CohortUi::Matching, lang)),
            csv: params.with(|p| p.par = String::new()),
            page: selection.page,
            pages: selection.pages,
            previous: (selection.page > 1).then(|| at(selection.page - 1)),
            next: (selection.page < selection.pages).then(|| at(selection.page + 1)),
            undecided: cohort.undecided.iter().map(|(id, why)| format!("{id} : {why}")).collect(),
            new_learner: (access::create_learner(&caller.account) == Access::Allowed)
                .then(|| certif_core::messages::records::records_ui(certif_core::messages::records::RecordsUi::NewLearner, lang)),
            params,
            statuses,
            conditions,
            page_sizes,
            titles,
            missing,
        },
        StatusCode::OK,
        &headers,
    )
}

pub(super) async fn cohort_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<CohortParams>,
    SignedIn { caller, lang }: SignedIn,
) -> Response {
    let cohort = match readable_cohort(&state, &caller).await {
        Ok(cohort) => cohort,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    // The selection as the page shows it, every page at once.
    let selection = cohort.select(&CohortQuery { page: 1, per_page: 0, ..params.query() });
    let t = |fr, en| certif_core::messages::pick(lang, fr, en);
    let mut header_row = vec![t("Apprenant", "Learner").to_string(), t("Nom", "Name").into(), t("Titre", "Title").into()];
    header_row.extend(cohort.blocks.iter().map(|b| b.code.clone()));
    header_row.push(t("Conditions manquantes", "Missing conditions").into());
    let records = selection.rows.iter().map(|entry| {
        let row = row(entry, lang);
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
