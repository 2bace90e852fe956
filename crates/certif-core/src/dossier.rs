//! Everything known about one learner for one certification (spec/evaluation.md §1).
//!
//! A `Dossier` is only built by [`Dossier::from_json`] (or by a store that checked the same
//! rules), so its values are trusted: marks are in range, dates ordered, codes known.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::Code;
use crate::certification::{AccessRoute, Certification};
use crate::curriculum::Curriculum;
use crate::mark::{MarkEntry, serialize_decimal_as_number};
use crate::policy::{CefrLevel, Policy};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dossier {
    pub certification: String,
    pub evaluated_on: NaiveDate,
    pub learner: Learner,
    pub access_route: AccessRoute,
    pub enrolled_on: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apprenticeship_contract: Option<ApprenticeshipContract>,
    pub marks: Vec<ModuleMarks>,
    pub company_periods: Vec<CompanyPeriod>,
    pub mobility: Vec<MobilityStay>,
    pub english: Vec<EnglishCertificate>,
    pub vae: Vec<VaeDecision>,
    pub equivalences: Vec<Equivalence>,
    pub accommodations: Vec<Accommodation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Learner {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_names: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_place_insee: Option<String>,
}

impl Learner {
    /// The name lists show: family name then given names, a part not given left out.
    pub fn display_name(&self) -> String {
        match (self.family_name.as_deref(), self.given_names.as_deref()) {
            (Some(family), Some(given)) => format!("{family} {given}").trim().to_string(),
            (Some(one), None) | (None, Some(one)) => one.trim().to_string(),
            (None, None) => String::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Sex {
    F,
    M,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprenticeshipContract {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub employer_siret: Option<Siret>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub master: Option<String>,
}

/// A French establishment number: 14 digits that pass the Luhn check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Siret(String);

impl Siret {
    pub fn parse(text: &str) -> Option<Siret> {
        let digits_only = text.len() == 14 && text.bytes().all(|b| b.is_ascii_digit());
        (digits_only && luhn_valid(text)).then(|| Siret(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The marks of one module: first session and resit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModuleMarks {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub module: Code,
    pub session1: MarkEntry,
    pub session2: MarkEntry,
}

/// A period at the employer, evaluated by the apprenticeship master and the tutor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompanyPeriod {
    pub id: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub evaluation: MarkEntry,
}

/// A stay abroad (or not: the country decides).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MobilityStay {
    pub country: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl MobilityStay {
    /// Length in days, both ends included.
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnglishCertificate {
    pub test: String,
    pub score: EnglishScore,
    pub date: NaiveDate,
}

/// A numeric result, or the level a level-based test (CLES) certifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnglishScore {
    Points(Decimal),
    Level(CefrLevel),
}

impl Serialize for EnglishScore {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            EnglishScore::Points(points) => serialize_decimal_as_number(points, serializer),
            EnglishScore::Level(level) => serializer.serialize_str(level.as_str()),
        }
    }
}

impl std::fmt::Display for EnglishScore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EnglishScore::Points(points) => points.fmt(f),
            EnglishScore::Level(level) => level.fmt(f),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VaeDecision {
    pub block: String,
    pub decision: VaeOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VaeOutcome {
    Validated,
    Refused,
}

/// A request to hold a block by equivalence with another certification's block. The fiche
/// refuses them all; they are kept so the decision can say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Equivalence {
    pub block: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

/// A disability accommodation. Health data: only roles that need it may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Accommodation {
    pub kind: AccommodationKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_level: Option<CefrLevel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definitive: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccommodationKind {
    ExtraTime,
    EnlargedPapers,
    Software,
    EnglishAdaptation,
    Other,
}

impl AccommodationKind {
    pub const ALL: [AccommodationKind; 5] = [Self::ExtraTime, Self::EnlargedPapers, Self::Software, Self::EnglishAdaptation, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ExtraTime => "extra_time",
            Self::EnlargedPapers => "enlarged_papers",
            Self::Software => "software",
            Self::EnglishAdaptation => "english_adaptation",
            Self::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<AccommodationKind> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// A dossier that is not valid input: where (a JSON path such as `marks[3].session1`) and why
/// (displayed in French; `in_words` for English too).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct DossierError {
    pub path: String,
    pub message: crate::messages::dossier::Invalid,
}

impl DossierError {
    pub fn new(path: impl Into<String>, message: crate::messages::dossier::Invalid) -> DossierError {
        DossierError { path: path.into(), message }
    }

    /// `path: why`, the why in `lang`.
    pub fn in_words(&self, lang: crate::messages::Lang) -> String {
        format!("{}: {}", self.path, self.message.in_words(lang))
    }
}

/// What a dossier is checked against.
#[derive(Debug, Clone, Copy)]
pub struct DossierContext<'a> {
    pub certification: &'a Certification,
    pub curriculum: &'a Curriculum,
    pub policy: &'a Policy,
}

impl Dossier {
    /// Parses and checks a dossier's JSON text; the error names the offending field's JSON path.
    pub fn from_json(text: &str, context: DossierContext<'_>) -> Result<Dossier, DossierError> {
        crate::wire::parse_dossier(text, context)
    }

    /// The dossier as JSON (spec/evaluation.md §1), which `from_json` reads back unchanged.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a dossier always serialises")
    }

    /// The English level the learner must reach (R6): the policy's target, or the adapted
    /// target of the `english_adaptation` that applies on `evaluated_on`.
    pub fn english_target(&self, policy: &Policy) -> CefrLevel {
        crate::engine::r6_english_target(self, policy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siret_with_valid_luhn_is_accepted() {
        assert!(Siret::parse("41280598700010").is_some());
        assert!(Siret::parse("19860073600021").is_some());
    }

    #[test]
    fn siret_with_bad_checksum_or_shape_is_refused() {
        assert!(Siret::parse("41280598700011").is_none());
        assert!(Siret::parse("4128059870001").is_none());
        assert!(Siret::parse("4128059870001a").is_none());
    }

    #[test]
    fn stay_length_counts_both_ends() {
        let stay = MobilityStay {
            country: "DE".into(),
            start: NaiveDate::from_ymd_opt(2025, 3, 3).unwrap(),
            end: NaiveDate::from_ymd_opt(2025, 5, 4).unwrap(),
        };
        assert_eq!(stay.days(), 63);
    }
}
