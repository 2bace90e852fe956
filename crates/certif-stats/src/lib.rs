//! The statistics of spec/declaration.md §2, computed from published jury decisions and the
//! insertion survey: per year of award (the jury's publication date) and per route (`all`
//! first), exact to the ten-thousandth (decimals, never binary floats, until the JSON writes
//! a rate as a number); a rate over fewer than [`MIN_RESPONDENTS`] respondents left after the
//! exclusions is `None` ("n/a"), never a misleading percentage.

use std::collections::{BTreeMap, HashMap};

use certif_core::AccessRoute;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// Below this many respondents (after exclusions) a rate is "n/a".
pub const MIN_RESPONDENTS: u32 = 5;

/// What a published jury decided for one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Award,
    ValidateBlocks,
    Defer,
    Refuse,
}

/// A candidate presented to a jury whose decisions are published.
#[derive(Debug, Clone)]
pub struct Presented {
    pub learner: String,
    pub route: AccessRoute,
    pub published_on: NaiveDate,
    pub outcome: Outcome,
    /// Blocks the decision made acquired (partial validations, VAE by block).
    pub blocks_acquired: u32,
    pub enrolled_on: Option<NaiveDate>,
}

/// A survey answer's situation (spec: `situation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Situation {
    Employed,
    JobSeeking,
    Studying,
    UnableToWork,
    Other,
}

impl Situation {
    pub const ALL: [Situation; 5] =
        [Situation::Employed, Situation::JobSeeking, Situation::Studying, Situation::UnableToWork, Situation::Other];

    /// The spec's word (`situation` column, stored as is).
    pub fn as_str(self) -> &'static str {
        match self {
            Situation::Employed => "employed",
            Situation::JobSeeking => "job_seeking",
            Situation::Studying => "studying",
            Situation::UnableToWork => "unable_to_work",
            Situation::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Situation> {
        Situation::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Continuing studies or unable to work: left out of the rates' denominators.
    pub fn neutralised(self) -> bool {
        matches!(self, Situation::Studying | Situation::UnableToWork)
    }
}

/// The contract of an employed respondent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Contract {
    Cdi,
    Cdd,
    Interim,
    Independent,
    Other,
}

impl Contract {
    pub const ALL: [Contract; 5] = [Contract::Cdi, Contract::Cdd, Contract::Interim, Contract::Independent, Contract::Other];

    /// The spec's word (`contract` column, stored as is).
    pub fn as_str(self) -> &'static str {
        match self {
            Contract::Cdi => "cdi",
            Contract::Cdd => "cdd",
            Contract::Interim => "interim",
            Contract::Independent => "independent",
            Contract::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Contract> {
        Contract::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// One answer of the insertion survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub learner: String,
    pub surveyed_on: NaiveDate,
    /// 6 or 24.
    pub months_after: u32,
    pub situation: Situation,
    pub in_target_job: bool,
    pub contract: Option<Contract>,
    pub rome: Option<String>,
}

fn number<S: Serializer>(value: &Option<Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        // The JSON wants numbers (rates in 0..1): written from the exact decimal.
        Some(d) => serializer.serialize_f64(d.to_string().parse().unwrap_or(0.0)),
        None => serializer.serialize_none(),
    }
}

/// Insertion at one horizon (6 or 24 months).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Insertion {
    /// Every answer.
    pub respondents: u32,
    /// Continuing studies or unable to work.
    pub neutralised: u32,
    pub employed: u32,
    pub in_target_job: u32,
    /// employed / (respondents − neutralised); `None` under [`MIN_RESPONDENTS`].
    #[serde(serialize_with = "number")]
    pub global_rate: Option<Decimal>,
    /// in a target job / (respondents − neutralised); `None` under [`MIN_RESPONDENTS`].
    #[serde(serialize_with = "number")]
    pub target_rate: Option<Decimal>,
    /// respondents / holders of the year and route surveyed.
    #[serde(serialize_with = "number")]
    pub response_rate: Option<Decimal>,
    pub contracts: BTreeMap<Contract, u32>,
}

/// The figures of one year and one route (`all`, or a route).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearFigures {
    pub year: i32,
    pub route: &'static str,
    pub candidates: u32,
    pub awarded: u32,
    pub deferred: u32,
    pub refused: u32,
    pub awarded_vae: u32,
    pub blocks_vae: u32,
    #[serde(serialize_with = "number")]
    pub success_rate: Option<Decimal>,
    /// The median of whole months from enrolment to the award's publication.
    #[serde(serialize_with = "number")]
    pub median_months_to_award: Option<Decimal>,
    pub insertion: BTreeMap<String, Insertion>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statistics {
    pub certification: String,
    pub years: Vec<YearFigures>,
}

fn ratio(part: u32, whole: u32) -> Option<Decimal> {
    (whole > 0).then(|| (Decimal::from(part) / Decimal::from(whole)).round_dp(4))
}

fn months_between(from: NaiveDate, to: NaiveDate) -> Option<u32> {
    if to < from {
        return None;
    }
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        months -= 1;
    }
    u32::try_from(months).ok()
}

fn median(mut values: Vec<u32>) -> Option<Decimal> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(Decimal::from(values[n / 2])),
        _ => Some((Decimal::from(values[n / 2 - 1]) + Decimal::from(values[n / 2])) / Decimal::from(2)),
    }
}

/// The horizons the survey asks about.
pub const HORIZONS: [u32; 2] = [6, 24];

/// Each learner's latest answer at each horizon of [`HORIZONS`], read once for every figure.
type Latest<'a> = HashMap<&'a str, [Option<&'a Answer>; 2]>;

fn latest_answers(answers: &[Answer]) -> Latest<'_> {
    let mut latest: Latest<'_> = HashMap::new();
    for answer in answers {
        let Some(horizon) = HORIZONS.iter().position(|&m| m == answer.months_after) else { continue };
        let kept = &mut latest.entry(answer.learner.as_str()).or_default()[horizon];
        if kept.is_none_or(|k| answer.surveyed_on > k.surveyed_on) {
            *kept = Some(answer);
        }
    }
    latest
}

fn insertion(holders: &[&Presented], latest: &Latest<'_>, horizon: usize, target_romes: &[String]) -> Insertion {
    // A holder's latest answer at this horizon counts, once (a holder presented twice in a
    // year, once).
    let mut counted_holders = std::collections::HashSet::with_capacity(holders.len());
    let answers: Vec<&Answer> = holders
        .iter()
        .filter(|h| counted_holders.insert(h.learner.as_str()))
        .filter_map(|h| latest.get(h.learner.as_str()).and_then(|a| a[horizon]))
        .collect();
    let mut figures = Insertion::default();
    for answer in answers {
        figures.respondents += 1;
        if answer.situation.neutralised() {
            figures.neutralised += 1;
        }
        if answer.situation == Situation::Employed {
            figures.employed += 1;
            let target = answer.in_target_job || answer.rome.as_ref().is_some_and(|r| target_romes.contains(r));
            if target {
                figures.in_target_job += 1;
            }
            *figures.contracts.entry(answer.contract.unwrap_or(Contract::Other)).or_default() += 1;
        }
    }
    let counted = figures.respondents - figures.neutralised;
    if counted >= MIN_RESPONDENTS {
        figures.global_rate = ratio(figures.employed, counted);
        figures.target_rate = ratio(figures.in_target_job, counted);
    }
    figures.response_rate = ratio(figures.respondents, counted_holders.len() as u32);
    figures
}

fn figures(year: i32, route: &'static str, presented: &[&Presented], latest: &Latest<'_>, target_romes: &[String]) -> YearFigures {
    let count = |outcome: Outcome| presented.iter().filter(|p| p.outcome == outcome).count() as u32;
    let holders: Vec<&Presented> = presented.iter().copied().filter(|p| p.outcome == Outcome::Award).collect();
    let awarded = holders.len() as u32;
    let vae = |p: &&&Presented| p.route == AccessRoute::Vae;
    YearFigures {
        year,
        route,
        candidates: presented.len() as u32,
        awarded,
        deferred: count(Outcome::Defer),
        refused: count(Outcome::Refuse),
        awarded_vae: holders.iter().filter(vae).count() as u32,
        blocks_vae: presented.iter().filter(vae).filter(|p| p.outcome != Outcome::Award).map(|p| p.blocks_acquired).sum(),
        success_rate: ratio(awarded, presented.len() as u32),
        median_months_to_award: median(
            holders.iter().filter_map(|h| h.enrolled_on.and_then(|e| months_between(e, h.published_on))).collect(),
        ),
        insertion: HORIZONS.iter().enumerate().map(|(h, m)| (m.to_string(), insertion(&holders, latest, h, target_romes))).collect(),
    }
}

/// Every year's figures, for all routes then each route presented that year.
pub fn statistics(certification: &str, presented: &[Presented], answers: &[Answer], target_romes: &[String]) -> Statistics {
    let mut by_year: BTreeMap<i32, Vec<&Presented>> = BTreeMap::new();
    for p in presented {
        by_year.entry(p.published_on.year()).or_default().push(p);
    }
    let latest = latest_answers(answers);
    let mut years = Vec::new();
    for (year, all) in by_year {
        years.push(figures(year, "all", &all, &latest, target_romes));
        for route in AccessRoute::ALL {
            let of_route: Vec<&Presented> = all.iter().copied().filter(|p| p.route == route).collect();
            if !of_route.is_empty() {
                years.push(figures(year, route.as_str(), &of_route, &latest, target_romes));
            }
        }
    }
    Statistics { certification: certification.to_string(), years }
}

#[cfg(test)]
mod tests;
