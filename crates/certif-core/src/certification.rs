//! A certification as the RNCP registry describes it (spec/referential.md).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One RNCP certification: its codes, blocks, routes and award conditions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Certification {
    pub code: String,
    pub title: String,
    /// European qualification level (7 for a master's-level engineering degree).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub level: Option<u8>,
    #[serde(default)]
    pub certifiers: Vec<Certifier>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub registration_end: Option<NaiveDate>,
    #[serde(default)]
    pub predecessors: Vec<String>,
    #[serde(default)]
    pub successors: Vec<String>,
    #[serde(default)]
    pub nsf: Vec<String>,
    #[serde(default)]
    pub formacodes: Vec<String>,
    #[serde(default)]
    pub rome: Vec<String>,
    #[serde(default)]
    pub blocks: Vec<Block>,
    #[serde(default)]
    pub transversal_competencies: Vec<Competency>,
    #[serde(default)]
    pub modalities: Vec<Modality>,
    #[serde(default)]
    pub access_routes: Vec<AccessRouteRule>,
    /// How the jury is chaired and how ties are broken, in the fiche's words.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub jury_rules: Option<String>,
    #[serde(default = "default_award_conditions")]
    pub award_conditions: Vec<AwardCondition>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub objectives: Option<String>,
    #[serde(default)]
    pub activities: Vec<String>,
}

fn default_award_conditions() -> Vec<AwardCondition> {
    vec![AwardCondition::AllBlocks]
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Certifier {
    pub siret: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub commercial_name: Option<String>,
}

/// A block of competencies (bloc de compétences), independently validatable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Block {
    pub code: String,
    pub title: String,
    #[serde(default)]
    pub competencies: Vec<Competency>,
    /// Ids of the transversal competencies the fiche attaches to this block.
    #[serde(default)]
    pub transversal: Vec<String>,
    /// Letters of the evaluation modalities the fiche lists for this block.
    #[serde(default)]
    pub modalities: Vec<String>,
    /// A few words for narrow places (a table's column head), from the certifier's overlay:
    /// the fiche publishes only the full title. See [`Block::short`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Competency {
    pub id: String,
    pub text: String,
    /// Sub-items the fiche lists under this competency (imported fiches often have them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Modality {
    pub letter: String,
    pub text: String,
}

/// How a candidate reaches the certification (voie d'accès).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccessRoute {
    Student,
    Apprenticeship,
    ContinuingEducation,
    ProfessionalisationContract,
    IndividualCandidate,
    Vae,
}

impl AccessRoute {
    pub const ALL: [AccessRoute; 6] = [
        Self::Student,
        Self::Apprenticeship,
        Self::ContinuingEducation,
        Self::ProfessionalisationContract,
        Self::IndividualCandidate,
        Self::Vae,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Student => "student",
            Self::Apprenticeship => "apprenticeship",
            Self::ContinuingEducation => "continuing_education",
            Self::ProfessionalisationContract => "professionalisation_contract",
            Self::IndividualCandidate => "individual_candidate",
            Self::Vae => "vae",
        }
    }

    pub fn parse(text: &str) -> Option<AccessRoute> {
        Self::ALL.into_iter().find(|route| route.as_str() == text)
    }
}

impl std::fmt::Display for AccessRoute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a route is open, and who sits on its jury.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccessRouteRule {
    pub route: AccessRoute,
    pub open: bool,
    #[serde(default)]
    pub jury: Vec<String>,
}

/// What the title requires besides the learner's route and registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AwardCondition {
    AllBlocks,
    CompanyPeriods,
    /// The English level of the policy (`english_target`, B2 by default).
    #[serde(rename = "english_b2")]
    English,
    InternationalMobility,
}

impl Certification {
    pub fn block(&self, code: &str) -> Option<&Block> {
        self.blocks.iter().find(|block| block.code == code)
    }

    pub fn transversal_competency(&self, id: &str) -> Option<&Competency> {
        self.transversal_competencies.iter().find(|c| c.id == id)
    }

    pub fn modality(&self, letter: &str) -> Option<&Modality> {
        self.modalities.iter().find(|m| m.letter == letter)
    }

    pub fn requires(&self, condition: AwardCondition) -> bool {
        self.award_conditions.contains(&condition)
    }

    /// Whether candidates may be certified through this route (R7).
    pub fn route_is_open(&self, route: AccessRoute) -> bool {
        self.access_routes.iter().any(|rule| rule.route == route && rule.open)
    }
}

impl Block {
    /// Whether a competency id belongs to this block, directly or as an attached transversal one.
    pub fn covers_competency(&self, id: &str) -> bool {
        self.competencies.iter().any(|c| c.id == id) || self.transversal.iter().any(|t| t == id)
    }

    pub fn lists_modality(&self, letter: &str) -> bool {
        self.modalities.iter().any(|m| m == letter)
    }

    /// The block's short name: the overlay's, else the title's first words (about 25
    /// characters, cut between words, "…" when cut).
    pub fn short(&self) -> String {
        if let Some(short) = &self.short_title {
            return short.clone();
        }
        let mut short = String::new();
        for word in self.title.split_whitespace() {
            if !short.is_empty() && short.chars().count() + 1 + word.chars().count() > 25 {
                return format!("{short}…");
            }
            if !short.is_empty() {
                short.push(' ');
            }
            short.push_str(word);
        }
        short
    }
}
