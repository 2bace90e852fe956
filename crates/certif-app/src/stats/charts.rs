//! The statistics' charts, drawn on the server as SVG with plotters (its SVG backend writes
//! text as `<text>` elements: no font is looked up, on the system or anywhere else): (a)
//! candidates per year stacked by route, (b) the success rate per year, (c) the global insertion
//! rate at 6 and 24 months per year. Each SVG is labelled for screen readers (`role="img"`, a
//! `<title>` and a `<desc>` giving the figures in words). The CLI writes them as one file, the
//! page shows them inline.

use std::fmt::Write as _;

use certif_core::AccessRoute;
use certif_core::Decimal;
use certif_core::messages::Lang;
use certif_core::messages::stats::{StatsUi, stats_ui};
use certif_stats::{Statistics, YearFigures};
use plotters::coord::ranged1d::AsRangedCoord;
use plotters::prelude::*;

use super::present::{at, percent, route_words};

const WIDTH: u32 = 720;
const HEIGHT: u32 = 340;
const FONT: &str = "sans-serif";

/// A chart could not be drawn (plotters' backend refused a coordinate or a write).
#[derive(Debug, thiserror::Error)]
#[error("chart {chart}: {message}")]
pub struct ChartError {
    pub chart: &'static str,
    pub message: String,
}

/// One chart: an id (unique on a page), its title, its SVG text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub svg: String,
}

/// Colours told apart by people with the common colour deficiencies (Okabe–Ito).
const ROUTE_COLOURS: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
];

fn failed(chart: &'static str) -> impl Fn(String) -> ChartError {
    move |message| ChartError { chart, message }
}

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// plotters' SVG with a title and a description screen readers announce.
fn labelled(svg: &str, id: &'static str, title: &str, description: &str) -> String {
    let (open, rest) = match svg.find('>') {
        Some(end) if svg.starts_with("<svg") => svg.split_at(end + 1),
        _ => ("<svg xmlns=\"http://www.w3.org/2000/svg\">", svg),
    };
    let open = open.replacen("<svg", &format!("<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\""), 1);
    format!("{open}\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>{rest}", escaped(title), escaped(description))
}

fn rate(value: Option<Decimal>) -> Option<f64> {
    value.and_then(|v| (v * Decimal::from(100)).round_dp(1).to_string().parse().ok())
}

/// The years shown, and the figures of all routes of each.
fn years(stats: &Statistics) -> (i32, i32, Vec<&YearFigures>) {
    let all: Vec<&YearFigures> = stats.years.iter().filter(|y| y.route == "all").collect();
    let first = all.first().map_or(0, |y| y.year);
    let last = all.last().map_or(0, |y| y.year);
    (first, last, all)
}

/// The chart area every chart is drawn on, as SVG: `draw` sets its mesh and draws its series
/// on coordinates `x` × `y`; then the legend, at `legend`.
fn plotted<X: AsRangedCoord, Y: AsRangedCoord>(
    id: &'static str,
    title: &str,
    (x, y): (X, Y),
    legend: SeriesLabelPosition,
    draw: impl FnOnce(&mut ChartContext<'_, SVGBackend<'_>, Cartesian2d<X::CoordDescType, Y::CoordDescType>>) -> Result<(), String>,
) -> Result<String, ChartError> {
    let error = failed(id);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| error(e.to_string()))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 18))
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(44)
            .build_cartesian_2d(x, y)
            .map_err(|e| error(e.to_string()))?;
        draw(&mut chart).map_err(&error)?;
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font((FONT, 12))
            .position(legend)
            .draw()
            .map_err(|e| error(e.to_string()))?;
        root.present().map_err(|e| error(e.to_string()))?;
    }
    Ok(svg)
}

fn counts(stats: &Statistics, lang: Lang) -> Result<Chart, ChartError> {
    const ID: &str = "chart-counts";
    let title = stats_ui(StatsUi::ChartCounts, lang).to_string();
    let (first, last, all) = years(stats);
    let top = all.iter().map(|y| y.candidates).max().unwrap_or(0).max(1);
    let coordinates = ((first..last + 1).into_segmented(), 0u32..top + top / 10 + 1);
    let svg = plotted(ID, &title, coordinates, SeriesLabelPosition::UpperLeft, |chart| {
        // The segment after the last year only closes its bar: no label under it.
        let year_label = |value: &SegmentValue<i32>| match value {
            SegmentValue::Exact(year) | SegmentValue::CenterOf(year) if *year <= last => year.to_string(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_label_formatter(&year_label)
            .x_desc(stats_ui(StatsUi::Year, lang))
            .y_desc(stats_ui(StatsUi::Count, lang))
            .label_style((FONT, 13))
            .draw()
            .map_err(|e| e.to_string())?;
        // Each route's bar stacked on the routes before it, year by year.
        let mut base: std::collections::HashMap<i32, u32> = std::collections::HashMap::new();
        for (index, route) in AccessRoute::ALL.into_iter().enumerate() {
            let colour = ROUTE_COLOURS[index % ROUTE_COLOURS.len()];
            let mut bars = Vec::new();
            for year in stats.years.iter().filter(|y| y.route == route.as_str() && y.candidates > 0) {
                let below = base.entry(year.year).or_default();
                let mut bar = Rectangle::new(
                    [(SegmentValue::Exact(year.year), *below), (SegmentValue::Exact(year.year + 1), *below + year.candidates)],
                    colour.filled(),
                );
                bar.set_margin(0, 0, 30, 30);
                bars.push(bar);
                *below += year.candidates;
            }
            if !bars.is_empty() {
                chart
                    .draw_series(bars)
                    .map_err(|e| e.to_string())?
                    .label(route_words(route.as_str(), lang))
                    .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled()));
            }
        }
        Ok(())
    })?;
    let mut description = String::new();
    for year in &all {
        let routes: Vec<String> = stats
            .years
            .iter()
            .filter(|y| y.year == year.year && y.route != "all")
            .map(|y| format!("{} {}", route_words(y.route, lang), y.candidates))
            .collect();
        let _ = write!(description, "{} : {} ({}). ", year.year, year.candidates, routes.join(", "));
    }
    Ok(Chart { id: ID, svg: labelled(&svg, ID, &title, description.trim_end()), title })
}

/// One line of a rates chart: its label, its colour, its rate of a year.
type Series<'a> = (&'a str, RGBColor, &'a dyn Fn(&YearFigures) -> Option<Decimal>);

/// A chart of rates in percent per year: one line a series, a point a year that has a value.
fn rates(stats: &Statistics, lang: Lang, id: &'static str, title: String, series: &[Series<'_>]) -> Result<Chart, ChartError> {
    let (first, last, all) = years(stats);
    let svg = plotted(id, &title, (first - 1..last + 1, 0f64..100f64), SeriesLabelPosition::LowerRight, |chart| {
        chart
            .configure_mesh()
            .x_labels((last - first + 3) as usize)
            .x_label_formatter(&|year| if *year < first || *year > last { String::new() } else { year.to_string() })
            .x_desc(stats_ui(StatsUi::Year, lang))
            .y_desc(stats_ui(StatsUi::Rate, lang))
            .label_style((FONT, 13))
            .draw()
            .map_err(|e| e.to_string())?;
        for (label, colour, value) in series {
            let colour = *colour;
            let points: Vec<(i32, f64)> = all.iter().filter_map(|y| rate(value(y)).map(|r| (y.year, r))).collect();
            if points.is_empty() {
                continue;
            }
            chart
                .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))
                .map_err(|e| e.to_string())?
                .label(*label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], colour.stroke_width(2)));
            chart.draw_series(points.iter().map(|p| Circle::new(*p, 4, colour.filled()))).map_err(|e| e.to_string())?;
        }
        Ok(())
    })?;
    let mut description = String::new();
    for year in &all {
        let values: Vec<String> = series.iter().map(|(label, _, value)| format!("{label} {}", percent(value(year), lang))).collect();
        let _ = write!(description, "{} : {}. ", year.year, values.join(", "));
    }
    Ok(Chart { id, svg: labelled(&svg, id, &title, description.trim_end()), title })
}

/// The three charts, in the spec's order; a chart with no year says so in words.
pub fn charts(stats: &Statistics, lang: Lang) -> Result<Vec<Chart>, ChartError> {
    if stats.years.is_empty() {
        let nothing = stats_ui(StatsUi::NoPublishedJury, lang);
        let ids = [
            ("chart-counts", StatsUi::ChartCounts),
            ("chart-success", StatsUi::ChartSuccess),
            ("chart-insertion", StatsUi::ChartInsertion),
        ];
        return Ok(ids
            .into_iter()
            .map(|(id, phrase)| {
                let title = stats_ui(phrase, lang).to_string();
                let body = format!(
                    "<svg width=\"{WIDTH}\" height=\"60\" viewBox=\"0 0 {WIDTH} 60\" xmlns=\"http://www.w3.org/2000/svg\"><text x=\"10\" y=\"35\" font-family=\"{FONT}\" font-size=\"14\">{}</text></svg>",
                    escaped(nothing)
                );
                Chart { id, svg: labelled(&body, id, &title, nothing), title }
            })
            .collect());
    }
    let success = stats_ui(StatsUi::ChartSuccess, lang).to_string();
    let insertion = stats_ui(StatsUi::ChartInsertion, lang).to_string();
    let success_rate = |y: &YearFigures| y.success_rate;
    let at_6 = |y: &YearFigures| at(y, 6).global_rate;
    let at_24 = |y: &YearFigures| at(y, 24).global_rate;
    let success_label = certif_core::messages::stats::name(certif_core::messages::stats::Figure::SuccessRate, lang);
    Ok(vec![
        counts(stats, lang)?,
        rates(stats, lang, "chart-success", success, &[(success_label, ROUTE_COLOURS[0], &success_rate)])?,
        rates(
            stats,
            lang,
            "chart-insertion",
            insertion,
            &[
                (stats_ui(StatsUi::InsertionAt6, lang), ROUTE_COLOURS[1], &at_6),
                (stats_ui(StatsUi::InsertionAt24, lang), ROUTE_COLOURS[2], &at_24),
            ],
        )?,
    ])
}

/// The charts as one SVG document (`certif stats --plot FILE.svg`): one under the other.
pub fn document(stats: &Statistics, lang: Lang) -> Result<String, ChartError> {
    let charts = charts(stats, lang)?;
    let mut y = 0;
    let mut body = String::new();
    for chart in &charts {
        let height = if chart.svg.contains(&format!("height=\"{HEIGHT}\"")) { HEIGHT } else { 60 };
        // A nested <svg> placed at its offset keeps each chart's own title and description.
        let placed = chart.svg.replacen("<svg ", &format!("<svg x=\"0\" y=\"{y}\" "), 1);
        body.push_str(&placed);
        body.push('\n');
        y += height;
    }
    let title = format!("{} — {}", stats_ui(StatsUi::Statistics, lang), stats.certification);
    let titles: Vec<&str> = charts.iter().map(|c| c.title.as_str()).collect();
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{y}\" viewBox=\"0 0 {WIDTH} {y}\" role=\"img\" aria-labelledby=\"stats-title\">\n<title id=\"stats-title\">{}</title>\n<desc>{}</desc>\n{body}</svg>\n",
        escaped(&title),
        escaped(&titles.join(" ; "))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_chart_has_a_title_and_a_description_for_screen_readers() {
        let svg = labelled(
            "<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/></svg>",
            "c",
            "Taux <&>",
            "2026 : 80 %",
        );
        assert!(svg.starts_with("<svg role=\"img\" aria-labelledby=\"c-title c-desc\" width=\"10\""), "{svg}");
        assert!(svg.contains("<title id=\"c-title\">Taux &lt;&amp;&gt;</title>"), "{svg}");
        assert!(svg.contains("<desc id=\"c-desc\">2026 : 80 %</desc>"), "{svg}");
    }
}
