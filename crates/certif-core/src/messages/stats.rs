//! The words of the statistics (spec/declaration.md §2: `certif stats` and the *Statistiques*
//! page), French first and English second: each figure's name and its definition, printed
//! beside it, the charts' titles and what stands for "n/a".

use super::{Lang, pick};

/// A figure of the statistics, by what it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Candidates,
    Awarded,
    Deferred,
    Refused,
    AwardedVae,
    BlocksVae,
    SuccessRate,
    MedianMonths,
    Respondents,
    Neutralised,
    Employed,
    InTargetJob,
    GlobalRate,
    TargetRate,
    ResponseRate,
    Contracts,
}

impl Figure {
    /// The figures of a year and route, in the spec's order.
    pub const OF_YEAR: [Figure; 8] = [
        Figure::Candidates,
        Figure::Awarded,
        Figure::Deferred,
        Figure::Refused,
        Figure::AwardedVae,
        Figure::BlocksVae,
        Figure::SuccessRate,
        Figure::MedianMonths,
    ];
    /// The figures of one horizon of the insertion survey.
    pub const OF_HORIZON: [Figure; 8] = [
        Figure::Respondents,
        Figure::Neutralised,
        Figure::Employed,
        Figure::InTargetJob,
        Figure::GlobalRate,
        Figure::TargetRate,
        Figure::ResponseRate,
        Figure::Contracts,
    ];
}

/// A figure's short name (a column header).
pub fn name(figure: Figure, lang: Lang) -> &'static str {
    use Figure::*;
    match figure {
        Candidates => pick(lang, "Candidats présentés", "Candidates"),
        Awarded => pick(lang, "Titre délivré", "Awarded"),
        Deferred => pick(lang, "Ajournés", "Deferred"),
        Refused => pick(lang, "Refusés", "Refused"),
        AwardedVae => pick(lang, "Titre par la VAE", "Awarded through VAE"),
        BlocksVae => pick(lang, "Blocs par la VAE", "Blocks through VAE"),
        SuccessRate => pick(lang, "Taux de réussite", "Success rate"),
        MedianMonths => pick(lang, "Délai médian (mois)", "Median time (months)"),
        Respondents => pick(lang, "Répondants", "Respondents"),
        Neutralised => pick(lang, "Neutralisés", "Neutralised"),
        Employed => pick(lang, "En emploi", "Employed"),
        InTargetJob => pick(lang, "Dans le métier visé", "In the target job"),
        GlobalRate => pick(lang, "Taux d'insertion global", "Global insertion rate"),
        TargetRate => pick(lang, "Taux d'insertion dans le métier visé", "Insertion rate in the target job"),
        ResponseRate => pick(lang, "Taux de réponse", "Response rate"),
        Contracts => pick(lang, "Contrats", "Contracts"),
    }
}

/// What a figure counts, as printed beside it.
pub fn definition(figure: Figure, lang: Lang) -> &'static str {
    use Figure::*;
    match figure {
        Candidates => pick(
            lang,
            "candidats présentés à un jury dont les décisions sont publiées (année de la publication)",
            "candidates presented to a jury whose decisions are published (year of publication)",
        ),
        Awarded => pick(lang, "candidats à qui le jury a délivré le titre", "candidates the jury awarded the title"),
        Deferred => pick(lang, "candidats ajournés", "candidates deferred"),
        Refused => pick(lang, "candidats refusés", "candidates refused"),
        AwardedVae => pick(lang, "titres entiers délivrés par la VAE", "whole titles awarded through VAE"),
        BlocksVae => pick(lang, "blocs acquis par la VAE sans le titre entier", "blocks acquired through VAE without the whole title"),
        SuccessRate => pick(lang, "titres délivrés / candidats présentés", "awarded / candidates"),
        MedianMonths => pick(
            lang,
            "médiane des mois entiers de l'inscription à la publication du titre",
            "median of whole months from enrolment to the award's publication",
        ),
        Respondents => pick(
            lang,
            "titulaires ayant répondu à l'enquête (leur réponse la plus récente)",
            "holders who answered the survey (their latest answer)",
        ),
        Neutralised => pick(
            lang,
            "répondants en études ou dans l'incapacité de travailler, exclus des taux",
            "respondents studying or unable to work, left out of the rates",
        ),
        Employed => pick(lang, "répondants en emploi", "respondents in employment"),
        InTargetJob => pick(
            lang,
            "en emploi dans un métier visé (codes ROME de la fiche, ou marqué visé)",
            "employed in a target job (the fiche's ROME codes, or marked as target)",
        ),
        GlobalRate => pick(
            lang,
            "en emploi / (répondants − neutralisés) ; n.d. sous 5 répondants retenus",
            "employed / (respondents − neutralised); n/a under 5 respondents counted",
        ),
        TargetRate => pick(
            lang,
            "dans le métier visé / (répondants − neutralisés) ; n.d. sous 5 répondants retenus",
            "in a target job / (respondents − neutralised); n/a under 5 respondents counted",
        ),
        ResponseRate => pick(lang, "répondants / titulaires de l'année et de la voie", "respondents / holders of the year and route"),
        Contracts => pick(lang, "contrats des répondants en emploi", "contracts of the employed respondents"),
    }
}

/// A phrase of the statistics, by what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsUi {
    Statistics,
    Intro,
    Year,
    Route,
    AllRoutes,
    /// "n/a": a rate under 5 respondents, or nothing to divide.
    NotAvailable,
    AfterMonths,
    NoPublishedJury,
    DownloadCsv,
    Charts,
    ChartCounts,
    ChartSuccess,
    ChartInsertion,
    Rate,
    Count,
    InsertionAt6,
    InsertionAt24,
    Definitions,
    InsertionTable,
    Horizon,
}

pub fn stats_ui(phrase: StatsUi, lang: Lang) -> &'static str {
    use StatsUi::*;
    match phrase {
        Statistics => pick(lang, "Statistiques", "Statistics"),
        Intro => pick(
            lang,
            "Par année de délivrance (date de publication du jury) et par voie d'accès : ce que le renouvellement de l'enregistrement demande.",
            "By year of award (the jury's publication date) and by access route: what a registration's renewal asks for.",
        ),
        Year => pick(lang, "Année", "Year"),
        Route => pick(lang, "Voie d'accès", "Route"),
        AllRoutes => pick(lang, "toutes voies", "all routes"),
        NotAvailable => pick(lang, "n.d.", "n/a"),
        AfterMonths => pick(lang, "mois après", "months after"),
        NoPublishedJury => {
            pick(lang, "Aucune décision de jury publiée pour cette certification.", "No published jury decision for this certification.")
        }
        DownloadCsv => pick(lang, "Télécharger ces chiffres (CSV)", "Download these figures (CSV)"),
        Charts => pick(lang, "Graphiques", "Charts"),
        ChartCounts => pick(lang, "Candidats présentés par année et par voie d'accès", "Candidates per year and access route"),
        ChartSuccess => pick(lang, "Taux de réussite par année", "Success rate per year"),
        ChartInsertion => pick(lang, "Taux d'insertion à 6 et 24 mois par année", "Insertion rates at 6 and 24 months per year"),
        Rate => pick(lang, "Taux (%)", "Rate (%)"),
        Count => pick(lang, "Candidats", "Candidates"),
        InsertionAt6 => pick(lang, "Insertion globale à 6 mois", "Global insertion at 6 months"),
        InsertionAt24 => pick(lang, "Insertion globale à 24 mois", "Global insertion at 24 months"),
        Definitions => pick(lang, "Définitions", "Definitions"),
        InsertionTable => pick(lang, "Insertion des titulaires à 6 et 24 mois", "Holders' insertion at 6 and 24 months"),
        Horizon => pick(lang, "Horizon", "Horizon"),
    }
}

/// A contract's word (`cdi` → CDI, `interim` → intérim).
pub fn contract(code: &str, lang: Lang) -> &'static str {
    match code {
        "cdi" => "CDI",
        "cdd" => "CDD",
        "interim" => pick(lang, "Intérim", "Temporary"),
        "independent" => pick(lang, "Indépendant", "Self-employed"),
        _ => pick(lang, "Autre", "Other"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_has_a_name_and_a_definition_in_both_languages() {
        for figure in Figure::OF_YEAR.into_iter().chain(Figure::OF_HORIZON) {
            for lang in [Lang::Fr, Lang::En] {
                assert!(!name(figure, lang).is_empty() && !definition(figure, lang).is_empty(), "{figure:?}");
            }
            assert_ne!(definition(figure, Lang::Fr), definition(figure, Lang::En), "{figure:?} is translated");
        }
        assert_eq!(stats_ui(StatsUi::NotAvailable, Lang::Fr), "n.d.");
    }
}
