//! The statistics for people: text with each figure's definition beside it, and a CSV file for
//! spreadsheets (BOM, `;`, French headers, decimal commas, cells neutralised). A rate that
//! cannot be given (under 5 respondents, nothing to divide) is "n.d." (*non disponible*) in
//! French, "n/a" in English.

use std::fmt::Write as _;

use certif_core::AccessRoute;
use certif_core::Decimal;
use certif_core::messages::stats::{Figure, StatsUi, contract, definition, name, stats_ui};
use certif_core::messages::{Lang, route};
use certif_stats::{Contract, HORIZONS, Insertion, Statistics, YearFigures};

use crate::status_table::people_csv;

/// A route's words, `all` being every route.
pub fn route_words(code: &str, lang: Lang) -> &'static str {
    match AccessRoute::parse(code) {
        Some(r) => route(r, lang),
        None => stats_ui(StatsUi::AllRoutes, lang),
    }
}

/// A decimal in the reader's notation: `11,5` in French, `11.5` in English.
pub fn decimal(value: Decimal, lang: Lang) -> String {
    let text = value.normalize().to_string();
    if lang == Lang::Fr { text.replace('.', ",") } else { text }
}

/// A rate as a percentage to a tenth (`80,0 %`), or "n.d." / "n/a".
pub fn percent(rate: Option<Decimal>, lang: Lang) -> String {
    match rate {
        Some(rate) => {
            let text = format!("{:.1}", (rate * Decimal::from(100)).round_dp(1));
            match lang {
                Lang::Fr => format!("{} %", text.replace('.', ",")),
                Lang::En => format!("{text}%"),
            }
        }
        None => stats_ui(StatsUi::NotAvailable, lang).to_string(),
    }
}

fn optional(value: Option<Decimal>, lang: Lang) -> String {
    value.map_or_else(|| stats_ui(StatsUi::NotAvailable, lang).to_string(), |v| decimal(v, lang))
}

/// The contracts of the employed respondents: `CDI 2, CDD 1`, or `—`.
pub fn contracts(insertion: &Insertion, lang: Lang) -> String {
    let parts: Vec<String> = insertion.contracts.iter().map(|(c, n)| format!("{} {n}", contract(c.as_str(), lang))).collect();
    if parts.is_empty() { "—".to_string() } else { parts.join(", ") }
}

/// A figure of a year and route, as shown.
pub fn year_value(year: &YearFigures, figure: Figure, lang: Lang) -> String {
    match figure {
        Figure::Candidates => year.candidates.to_string(),
        Figure::Awarded => year.awarded.to_string(),
        Figure::Deferred => year.deferred.to_string(),
        Figure::Refused => year.refused.to_string(),
        Figure::AwardedVae => year.awarded_vae.to_string(),
        Figure::BlocksVae => year.blocks_vae.to_string(),
        Figure::SuccessRate => percent(year.success_rate, lang),
        Figure::MedianMonths => optional(year.median_months_to_award, lang),
        _ => String::new(),
    }
}

/// A figure of one horizon of the survey, as shown.
pub fn horizon_value(insertion: &Insertion, figure: Figure, lang: Lang) -> String {
    match figure {
        Figure::Respondents => insertion.respondents.to_string(),
        Figure::Neutralised => insertion.neutralised.to_string(),
        Figure::Employed => insertion.employed.to_string(),
        Figure::InTargetJob => insertion.in_target_job.to_string(),
        Figure::GlobalRate => percent(insertion.global_rate, lang),
        Figure::TargetRate => percent(insertion.target_rate, lang),
        Figure::ResponseRate => percent(insertion.response_rate, lang),
        Figure::Contracts => contracts(insertion, lang),
        _ => String::new(),
    }
}

/// The insertion of a horizon (`6`, `24`), empty when none was computed.
pub fn at(year: &YearFigures, months: u32) -> Insertion {
    year.insertion.get(&months.to_string()).cloned().unwrap_or_default()
}

/// The statistics as text: per year and route, each figure, its value, its definition.
pub fn text(stats: &Statistics, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", stats_ui(StatsUi::Statistics, lang), stats.certification);
    let _ = writeln!(out, "{}", stats_ui(StatsUi::Intro, lang));
    if stats.years.is_empty() {
        let _ = writeln!(out, "\n{}", stats_ui(StatsUi::NoPublishedJury, lang));
    }
    let line = |out: &mut String, indent: &str, figure: Figure, value: String| {
        let _ = writeln!(out, "{indent}{:<36} {value:>22}   {}", name(figure, lang), definition(figure, lang));
    };
    for year in &stats.years {
        let _ = writeln!(out, "\n{} — {}", year.year, route_words(year.route, lang));
        for figure in Figure::OF_YEAR {
            line(&mut out, "  ", figure, year_value(year, figure, lang));
        }
        for months in HORIZONS {
            let insertion = at(year, months);
            let _ = writeln!(out, "  {months} {}", stats_ui(StatsUi::AfterMonths, lang));
            for figure in Figure::OF_HORIZON {
                line(&mut out, "    ", figure, horizon_value(&insertion, figure, lang));
            }
        }
    }
    out
}

/// The CSV's header line.
fn header(lang: Lang) -> Vec<String> {
    let mut header = vec![stats_ui(StatsUi::Year, lang).to_string(), stats_ui(StatsUi::Route, lang).to_string()];
    header.extend(Figure::OF_YEAR.iter().map(|f| name(*f, lang).to_string()));
    for months in HORIZONS {
        let after = format!("{months} {}", stats_ui(StatsUi::AfterMonths, lang));
        for figure in Figure::OF_HORIZON.iter().filter(|f| **f != Figure::Contracts) {
            header.push(format!("{} ({after})", name(*figure, lang)));
        }
        for c in Contract::ALL {
            header.push(format!("{} ({after})", contract(c.as_str(), lang)));
        }
    }
    header
}

/// A rate as a spreadsheet number: `0,8` (a share of 1), "n.d." / "n/a" when not given.
fn rate_cell(rate: Option<Decimal>, lang: Lang) -> String {
    optional(rate, lang)
}

/// The statistics as a CSV file for spreadsheets, one line a year and route.
pub fn csv(stats: &Statistics, lang: Lang) -> Vec<u8> {
    let rows = stats.years.iter().map(|year| {
        let mut row = vec![year.year.to_string(), route_words(year.route, lang).to_string()];
        for figure in Figure::OF_YEAR {
            row.push(match figure {
                Figure::SuccessRate => rate_cell(year.success_rate, lang),
                other => year_value(year, other, lang),
            });
        }
        for months in HORIZONS {
            let i = at(year, months);
            row.extend([i.respondents, i.neutralised, i.employed, i.in_target_job].map(|n| n.to_string()));
            row.extend([i.global_rate, i.target_rate, i.response_rate].map(|r| rate_cell(r, lang)));
            row.extend(Contract::ALL.iter().map(|c| i.contracts.get(c).copied().unwrap_or(0).to_string()));
        }
        row
    });
    people_csv(&header(lang), rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn rates_are_percentages_with_a_decimal_comma_and_n_d_when_not_given() {
        assert_eq!(percent(Some(d("0.8")), Lang::Fr), "80,0 %");
        assert_eq!(percent(Some(d("0.6667")), Lang::En), "66.7%");
        assert_eq!(percent(None, Lang::Fr), "n.d.");
        assert_eq!(percent(None, Lang::En), "n/a");
        assert_eq!(decimal(d("11.50"), Lang::Fr), "11,5");
    }

    #[test]
    fn the_csv_has_a_header_cell_for_every_value() {
        let stats = certif_stats::statistics("RNCP39668", &[], &[], &[]);
        let bytes = csv(&stats, Lang::Fr);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let header = text.lines().next().unwrap();
        assert!(header.starts_with("Année;Voie d'accès;Candidats présentés;"), "{header}");
        // 2 + 8 + 2 × (7 + 5)
        assert_eq!(header.split(';').count(), 34);
    }
}
