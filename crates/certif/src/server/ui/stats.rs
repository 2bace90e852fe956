//! *Statistiques* (`/statistiques`, registrars and admins): the figures of the registration's
//! renewal per year and route, the insertion survey's per horizon, each figure's definition, the
//! charts inline (SVG drawn on the server), and the same numbers as CSV (`/statistiques.csv`).
//! `?certification=CODE` picks another certification than RNCP39668.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use certif_app::stats::charts::{self, Chart};
use certif_app::stats::present::{at, horizon_value, route_words, year_value};
use certif_core::messages::Lang;
use certif_core::messages::stats::{Figure, StatsUi, definition, name, stats_ui};
use certif_stats::{HORIZONS, Statistics};
use serde::Deserialize;

use super::extract::SignedIn;
use super::{Chrome, chrome, error_page, page};
use crate::server::access::{self, Access};
use crate::server::auth::Caller;
use crate::server::{ApiError, AppState};

struct Line {
    year: i32,
    route: &'static str,
    /// Set on the insertion table's lines: `6 mois après`.
    horizon: String,
    cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    chrome: Chrome,
    heading: String,
    intro: &'static str,
    nothing: Option<&'static str>,
    year_label: &'static str,
    route_label: &'static str,
    horizon_label: &'static str,
    insertion_label: &'static str,
    outcomes: Vec<&'static str>,
    insertion: Vec<&'static str>,
    years: Vec<Line>,
    horizons: Vec<Line>,
    charts_label: &'static str,
    charts: Vec<Chart>,
    definitions_label: &'static str,
    definitions: Vec<(&'static str, &'static str)>,
    csv_label: &'static str,
    csv_href: String,
}

#[derive(Deserialize, Default)]
pub(super) struct StatsQuery {
    certification: Option<String>,
}

/// The statistics the caller asked for, once they may read them.
async fn figures(state: &AppState, caller: &Caller, query: &StatsQuery) -> Result<Statistics, ApiError> {
    if access::read_statistics(&caller.account) != Access::Allowed {
        return Err(ApiError::forbidden(""));
    }
    let code = query.certification.as_deref().filter(|c| !c.is_empty()).unwrap_or(certif_referential::DEFAULT_CERTIFICATION);
    if certif_core::ident::check(code).is_err() {
        return Err(ApiError::not_found(""));
    }
    Ok(certif_app::stats::statistics(&state.db, code).await?)
}

fn lines(stats: &Statistics, lang: Lang) -> (Vec<Line>, Vec<Line>) {
    let mut years = Vec::new();
    let mut horizons = Vec::new();
    for year in &stats.years {
        let route = route_words(year.route, lang);
        let cells = Figure::OF_YEAR.iter().map(|f| year_value(year, *f, lang)).collect();
        years.push(Line { year: year.year, route, horizon: String::new(), cells });
        for months in HORIZONS {
            let insertion = at(year, months);
            let cells = Figure::OF_HORIZON.iter().map(|f| horizon_value(&insertion, *f, lang)).collect();
            let horizon = format!("{months} {}", stats_ui(StatsUi::AfterMonths, lang));
            horizons.push(Line { year: year.year, route, horizon, cells });
        }
    }
    (years, horizons)
}

pub(super) async fn statistics(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<StatsQuery>,
    SignedIn { caller, lang }: SignedIn,
) -> Response {
    let stats = match figures(&state, &caller, &query).await {
        Ok(stats) => stats,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    let charts = match charts::charts(&stats, lang) {
        Ok(charts) => charts,
        Err(e) => return error_page(ApiError::internal(e.to_string()), Some(&caller), lang, &headers),
    };
    let (years, horizons) = lines(&stats, lang);
    let words = |figures: &[Figure]| figures.iter().map(|f| name(*f, lang)).collect::<Vec<_>>();
    let definitions = Figure::OF_YEAR.iter().chain(&Figure::OF_HORIZON).map(|f| (name(*f, lang), definition(*f, lang))).collect();
    let statistics = StatsPage {
        chrome: chrome(Some(&caller), lang),
        heading: format!("{} — {}", stats_ui(StatsUi::Statistics, lang), stats.certification),
        intro: stats_ui(StatsUi::Intro, lang),
        nothing: stats.years.is_empty().then(|| stats_ui(StatsUi::NoPublishedJury, lang)),
        year_label: stats_ui(StatsUi::Year, lang),
        route_label: stats_ui(StatsUi::Route, lang),
        horizon_label: stats_ui(StatsUi::Horizon, lang),
        insertion_label: stats_ui(StatsUi::InsertionTable, lang),
        outcomes: words(&Figure::OF_YEAR),
        insertion: words(&Figure::OF_HORIZON),
        years,
        horizons,
        charts_label: stats_ui(StatsUi::Charts, lang),
        charts,
        definitions_label: stats_ui(StatsUi::Definitions, lang),
        definitions,
        csv_label: stats_ui(StatsUi::DownloadCsv, lang),
        csv_href: format!("/statistiques.csv?certification={}", stats.certification),
    };
    page(statistics, StatusCode::OK, &headers)
}

pub(super) async fn statistics_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<StatsQuery>,
    SignedIn { caller, lang }: SignedIn,
) -> Response {
    let stats = match figures(&state, &caller, &query).await {
        Ok(stats) => stats,
        Err(e) => return error_page(e, Some(&caller), lang, &headers),
    };
    let body = certif_app::stats::present::csv(&stats, lang);
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"statistiques.csv\"")], body)
        .into_response()
}
