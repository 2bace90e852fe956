//! The certifier's adjustable rules (spec/evaluation.md §2 and §4), as data with defaults.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Pass marks, floors, resits, English and mobility thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// UE average needed; also the company-period pass mark.
    pub pass_mark: Decimal,
    /// No module final mark below this in a validated UE (note éliminatoire).
    pub module_floor: Decimal,
    pub resit: ResitPolicy,
    /// A resit mark counts for at most this.
    pub resit_cap: Decimal,
    /// CEFR level needed for the title.
    pub english_target: CefrLevel,
    pub mobility_min_days: u32,
    pub mobility_recommended_days: u32,
    /// Countries (ISO 3166-1 alpha-2) that do not count as abroad.
    pub not_abroad: Vec<String>,
    /// Accepted English tests by name (`TOEIC_LR`, …). A table given in an override file
    /// replaces the default entry of the same name and keeps the others.
    pub english_tests: BTreeMap<String, EnglishTest>,
    /// The most points de jury a session may add to one module's final mark (spec/jury.md §4).
    pub jury_points_max: Decimal,
}

/// How a resit mark combines with the first-session mark (R1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResitPolicy {
    /// final = max(session1, capped session2)
    Best,
    /// final = capped session2
    Replace,
}

/// One external English test and the scores that certify each CEFR level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnglishTest {
    /// `score` for numeric tests, `level` for tests that certify a level directly (CLES).
    pub scale: EnglishScale,
    /// Inclusive range of valid scores (numeric tests).
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub b1: Option<Decimal>,
    pub b2: Option<Decimal>,
    pub c1: Option<Decimal>,
    /// Months a result stays valid; none for no limit.
    pub validity_months: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnglishScale {
    Score,
    Level,
}

/// Common European Framework of Reference level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CefrLevel {
    A1,
    A2,
    B1,
    B2,
    C1,
    C2,
}

impl CefrLevel {
    pub const ALL: [CefrLevel; 6] = [Self::A1, Self::A2, Self::B1, Self::B2, Self::C1, Self::C2];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::A1 => "A1",
            Self::A2 => "A2",
            Self::B1 => "B1",
            Self::B2 => "B2",
            Self::C1 => "C1",
            Self::C2 => "C2",
        }
    }

    pub fn parse(text: &str) -> Option<CefrLevel> {
        Self::ALL.into_iter().find(|level| level.as_str() == text)
    }
}

impl fmt::Display for CefrLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn dec(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

fn score_test(min: Decimal, max: Decimal, b1: Decimal, b2: Decimal, c1: Decimal, validity_months: Option<u32>) -> EnglishTest {
    EnglishTest { scale: EnglishScale::Score, min: Some(min), max: Some(max), b1: Some(b1), b2: Some(b2), c1: Some(c1), validity_months }
}

impl Default for Policy {
    fn default() -> Policy {
        let english_tests = BTreeMap::from([
            ("TOEIC_LR".to_string(), score_test(dec(10, 0), dec(990, 0), dec(550, 0), dec(785, 0), dec(945, 0), Some(24))),
            ("TOEFL_IBT".to_string(), score_test(dec(0, 0), dec(120, 0), dec(42, 0), dec(72, 0), dec(95, 0), Some(24))),
            ("IELTS".to_string(), score_test(dec(0, 0), dec(9, 0), dec(40, 1), dec(55, 1), dec(70, 1), Some(24))),
            ("LINGUASKILL".to_string(), score_test(dec(82, 0), dec(180, 0), dec(140, 0), dec(160, 0), dec(180, 0), None)),
            ("CAMBRIDGE_SCALE".to_string(), score_test(dec(80, 0), dec(230, 0), dec(140, 0), dec(160, 0), dec(180, 0), None)),
            (
                "CLES".to_string(),
                EnglishTest { scale: EnglishScale::Level, min: None, max: None, b1: None, b2: None, c1: None, validity_months: None },
            ),
        ]);
        Policy {
            pass_mark: dec(10, 0),
            module_floor: dec(6, 0),
            resit: ResitPolicy::Best,
            resit_cap: dec(10, 0),
            jury_points_max: dec(2, 0),
            english_target: CefrLevel::B2,
            mobility_min_days: 63,
            mobility_recommended_days: 84,
            not_abroad: ["FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC", "TF"].map(String::from).to_vec(),
            english_tests,
        }
    }
}

/// A partial policy as written in an override file: what it names replaces the default.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyOverride {
    pub pass_mark: Option<Decimal>,
    pub module_floor: Option<Decimal>,
    pub resit: Option<ResitPolicy>,
    pub resit_cap: Option<Decimal>,
    pub english_target: Option<CefrLevel>,
    pub mobility_min_days: Option<u32>,
    pub mobility_recommended_days: Option<u32>,
    pub not_abroad: Option<Vec<String>>,
    #[serde(default)]
    pub english_tests: BTreeMap<String, EnglishTest>,
    pub jury_points_max: Option<Decimal>,
}

impl Policy {
    /// This policy with an override applied on top.
    pub fn with(mut self, changes: PolicyOverride) -> Policy {
        if let Some(v) = changes.pass_mark {
            self.pass_mark = v;
        }
        if let Some(v) = changes.module_floor {
            self.module_floor = v;
        }
        if let Some(v) = changes.resit {
            self.resit = v;
        }
        if let Some(v) = changes.jury_points_max {
            self.jury_points_max = v;
        }
        if let Some(v) = changes.resit_cap {
            self.resit_cap = v;
        }
        if let Some(v) = changes.english_target {
            self.english_target = v;
        }
        if let Some(v) = changes.mobility_min_days {
            self.mobility_min_days = v;
        }
        if let Some(v) = changes.mobility_recommended_days {
            self.mobility_recommended_days = v;
        }
        if let Some(v) = changes.not_abroad {
            self.not_abroad = v;
        }
        self.english_tests.extend(changes.english_tests);
        self
    }

    pub fn is_abroad(&self, country: &str) -> bool {
        !self.not_abroad.iter().any(|c| c == country)
    }
}

/// A policy value out of its bounds: its path among the policy's keys
/// (`pass_mark`, `english_tests.TOEIC_LR.b2`, `not_abroad[3]`) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct PolicyBoundError {
    pub path: String,
    pub message: String,
}

/// The longest stay length a policy may ask for, in days (ten years).
pub const MAX_DAYS: u32 = 3660;
/// The longest validity an English test may have, in months (a hundred years).
pub const MAX_VALIDITY_MONTHS: u32 = 1200;
/// The largest score an English test's scale may reach.
pub const MAX_SCORE: Decimal = Decimal::from_parts(100_000, 0, 0, false, 0);

impl Policy {
    /// Refuses any value out of its bounds: marks in 0..20 with at most 2 decimals, days
    /// positive and bounded, countries known, English tables ordered within their scale.
    /// With these bounds (and the curriculum's), the engine's exact arithmetic cannot overflow.
    pub fn check_bounds(&self) -> Result<(), PolicyBoundError> {
        let error = |path: String, message: String| Err(PolicyBoundError { path, message });
        for (key, value) in [
            ("pass_mark", self.pass_mark),
            ("module_floor", self.module_floor),
            ("resit_cap", self.resit_cap),
            ("jury_points_max", self.jury_points_max),
        ] {
            if let Err(e) = crate::mark::Mark::new(value) {
                return error(key.into(), format!("{e} (a mark in 0..20 with at most 2 decimals)"));
            }
        }
        for (key, days) in [("mobility_min_days", self.mobility_min_days), ("mobility_recommended_days", self.mobility_recommended_days)] {
            if !(1..=MAX_DAYS).contains(&days) {
                return error(key.into(), format!("{days} is outside 1..{MAX_DAYS} days"));
            }
        }
        for (i, country) in self.not_abroad.iter().enumerate() {
            if !crate::country::is_iso_country(country) {
                return error(format!("not_abroad[{i}]"), format!("{country:?} is not an ISO 3166-1 alpha-2 country code (upper case)"));
            }
        }
        for (name, test) in &self.english_tests {
            test.check_bounds().map_err(|(key, message)| PolicyBoundError { path: format!("english_tests.{name}.{key}"), message })?;
        }
        Ok(())
    }
}

impl EnglishTest {
    /// A numeric test needs `min < max` within 0..100000, thresholds within that range in
    /// increasing order (b1 < b2 < c1), every figure with at most 2 decimals; a level test
    /// (CLES) has no figures. Errors name the offending key.
    fn check_bounds(&self) -> Result<(), (&'static str, String)> {
        if let Some(months) = self.validity_months
            && !(1..=MAX_VALIDITY_MONTHS).contains(&months)
        {
            return Err(("validity_months", format!("{months} is outside 1..{MAX_VALIDITY_MONTHS} months")));
        }
        let figures = [("min", self.min), ("max", self.max), ("b1", self.b1), ("b2", self.b2), ("c1", self.c1)];
        if self.scale == EnglishScale::Level {
            return match figures.iter().find(|(_, value)| value.is_some()) {
                Some((key, _)) => Err((key, "a test of scale \"level\" certifies levels, it has no scores".into())),
                None => Ok(()),
            };
        }
        for (key, value) in figures {
            if let Some(value) = value
                && (value.is_sign_negative() || value > MAX_SCORE || value.normalize().scale() > 2)
            {
                return Err((key, format!("{value} is not a score in 0..{MAX_SCORE} with at most 2 decimals")));
            }
        }
        let (Some(min), Some(max)) = (self.min, self.max) else {
            return Err((if self.min.is_none() { "min" } else { "max" }, "a test of scale \"score\" needs its min and max".into()));
        };
        if min >= max {
            return Err(("max", format!("{max} is not above min {min}")));
        }
        let mut previous: Option<(&str, Decimal)> = None;
        for (key, threshold) in [("b1", self.b1), ("b2", self.b2), ("c1", self.c1)] {
            let Some(threshold) = threshold else { continue };
            if threshold < min || threshold > max {
                return Err((key, format!("{threshold} is outside the test's range {min}..{max}")));
            }
            if let Some((before, value)) = previous
                && threshold <= value
            {
                return Err((key, format!("{threshold} is not above {before} ({value})")));
            }
            previous = Some((key, threshold));
        }
        Ok(())
    }

    /// The CEFR level a numeric score certifies: below the B1 threshold it certifies A2.
    pub fn level_for_score(&self, score: Decimal) -> CefrLevel {
        let reaches = |threshold: Option<Decimal>| threshold.is_some_and(|t| score >= t);
        if reaches(self.c1) {
            CefrLevel::C1
        } else if reaches(self.b2) {
            CefrLevel::B2
        } else if reaches(self.b1) {
            CefrLevel::B1
        } else {
            CefrLevel::A2
        }
    }

    pub fn accepts_score(&self, score: Decimal) -> bool {
        self.min.is_none_or(|min| score >= min) && self.max.is_none_or(|max| score <= max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toeic_thresholds_follow_the_table() {
        let policy = Policy::default();
        let toeic = &policy.english_tests["TOEIC_LR"];
        assert_eq!(toeic.level_for_score(dec(784, 0)), CefrLevel::B1);
        assert_eq!(toeic.level_for_score(dec(785, 0)), CefrLevel::B2);
        assert_eq!(toeic.level_for_score(dec(549, 0)), CefrLevel::A2);
        assert_eq!(toeic.level_for_score(dec(990, 0)), CefrLevel::C1);
        assert!(!toeic.accepts_score(dec(995, 0)));
        assert!(!toeic.accepts_score(dec(5, 0)));
    }

    #[test]
    fn ielts_half_bands_are_exact() {
        let policy = Policy::default();
        assert_eq!(policy.english_tests["IELTS"].level_for_score(dec(55, 1)), CefrLevel::B2);
        assert_eq!(policy.english_tests["IELTS"].level_for_score(dec(50, 1)), CefrLevel::B1);
    }

    #[test]
    fn an_override_replaces_only_what_it_names() {
        let changes = PolicyOverride { pass_mark: Some(dec(12, 0)), ..Default::default() };
        let policy = Policy::default().with(changes);
        assert_eq!(policy.pass_mark, dec(12, 0));
        assert_eq!(policy.module_floor, dec(6, 0));
        assert_eq!(policy.english_tests.len(), 6);
    }

    #[test]
    fn the_default_policy_is_within_its_bounds() {
        assert_eq!(Policy::default().check_bounds(), Ok(()));
    }

    fn bound_error(policy: Policy) -> String {
        policy.check_bounds().unwrap_err().path
    }

    #[test]
    fn marks_of_a_policy_stay_within_0_to_20_with_2_decimals() {
        assert_eq!(bound_error(Policy { pass_mark: dec(25, 0), ..Policy::default() }), "pass_mark");
        assert_eq!(bound_error(Policy { pass_mark: Decimal::from_i128_with_scale(10i128.pow(28), 0), ..Policy::default() }), "pass_mark");
        assert_eq!(bound_error(Policy { module_floor: dec(-1, 0), ..Policy::default() }), "module_floor");
        assert_eq!(bound_error(Policy { resit_cap: dec(10005, 3), ..Policy::default() }), "resit_cap");
        assert_eq!(Policy { pass_mark: dec(20, 0), module_floor: dec(0, 0), ..Policy::default() }.check_bounds(), Ok(()));
    }

    #[test]
    fn days_are_positive_and_bounded_and_countries_known() {
        assert_eq!(bound_error(Policy { mobility_min_days: 0, ..Policy::default() }), "mobility_min_days");
        assert_eq!(bound_error(Policy { mobility_recommended_days: u32::MAX, ..Policy::default() }), "mobility_recommended_days");
        assert_eq!(bound_error(Policy { not_abroad: vec!["FR".into(), "fr".into()], ..Policy::default() }), "not_abroad[1]");
    }

    #[test]
    fn english_tables_are_ordered_within_their_range() {
        let with_toeic = |change: fn(&mut EnglishTest)| {
            let mut policy = Policy::default();
            change(policy.english_tests.get_mut("TOEIC_LR").unwrap());
            policy
        };
        assert_eq!(bound_error(with_toeic(|t| t.b2 = Some(dec(500, 0)))), "english_tests.TOEIC_LR.b2");
        assert_eq!(bound_error(with_toeic(|t| t.c1 = Some(dec(1000, 0)))), "english_tests.TOEIC_LR.c1");
        assert_eq!(bound_error(with_toeic(|t| t.max = Some(dec(10, 0)))), "english_tests.TOEIC_LR.max");
        assert_eq!(bound_error(with_toeic(|t| t.min = None)), "english_tests.TOEIC_LR.min");
        assert_eq!(bound_error(with_toeic(|t| t.max = Some(dec(1_000_000, 0)))), "english_tests.TOEIC_LR.max");
        assert_eq!(bound_error(with_toeic(|t| t.validity_months = Some(0))), "english_tests.TOEIC_LR.validity_months");
        assert_eq!(bound_error(with_toeic(|t| t.b1 = Some(dec(550_125, 3)))), "english_tests.TOEIC_LR.b1");
        assert_eq!(with_toeic(|t| t.b1 = None).check_bounds(), Ok(()));
        let mut policy = Policy::default();
        policy.english_tests.get_mut("CLES").unwrap().b2 = Some(dec(2, 0));
        assert_eq!(bound_error(policy), "english_tests.CLES.b2");
    }

    #[test]
    fn overseas_territories_are_not_abroad() {
        let policy = Policy::default();
        assert!(!policy.is_abroad("RE"));
        assert!(policy.is_abroad("DE"));
    }
}
