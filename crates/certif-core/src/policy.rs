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

impl EnglishTest {
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
    fn overseas_territories_are_not_abroad() {
        let policy = Policy::default();
        assert!(!policy.is_abroad("RE"));
        assert!(policy.is_abroad("DE"));
    }
}
