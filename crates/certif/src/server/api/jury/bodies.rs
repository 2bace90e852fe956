//! The jury routes' request and response bodies (spec/jury.md §9). Requests are read with
//! `body_of` (a field the type lacks is refused, naming it); the answers a session, the minutes
//! and the holders give are `certif_app::jury`'s own types.

use std::borrow::Cow;

use certif_core::Decimal;
use certif_core::jury::CastingVote;
use certif_store::jury::JuryKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::openapi::{RefOr, schema::Schema};
use utoipa::{PartialSchema, ToSchema};

/// `POST /api/juries`: a draft session (spec/jury.md §3).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewJuryRequest {
    /// The session's id (an identifier); generated (`jury-YYYYMMDD-N`) when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `title` (every route but VAE) or `vae`.
    pub kind: JuryKind,
    /// The deliberation date: every proposal's `evaluated_on`.
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// RNCP39668 when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certification: Option<String>,
}

/// The session `POST /api/juries` created.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JuryCreated {
    pub id: String,
}

/// `POST /api/juries/{id}/members`: a seat (spec/jury.md §3).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    pub name: String,
    /// A role of the certification's jury (`president`, `teacher`, …).
    pub role: String,
    /// For a representative: the person represented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representing: Option<String>,
    /// True when left out; an absent member stays on the minutes as absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub present: Option<bool>,
    /// The certif account sitting in the seat (an existing one): the president's account
    /// conducts the session. Never on the minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

/// `POST /api/juries/{id}/candidates`: `{"all": true}` (every learner who fits) or
/// `{"learners": [...]}` (those, or none if one does not fit).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidatesRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learners: Option<Vec<String>>,
}

/// How many candidates a request added.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidatesAdded {
    pub added: usize,
}

/// A number of points: a JSON number or a string (a decimal comma or point).
#[derive(Debug, Clone, PartialEq)]
pub enum PointsInput {
    Number(serde_json::Number),
    Text(String),
    Invalid,
}

impl PointsInput {
    pub fn decimal(&self) -> Option<Decimal> {
        match self {
            PointsInput::Number(n) => n.to_string().parse().ok(),
            PointsInput::Text(t) => t.trim().replace(',', ".").parse().ok(),
            PointsInput::Invalid => None,
        }
    }
}

impl<'de> Deserialize<'de> for PointsInput {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Number(n) => PointsInput::Number(n),
            serde_json::Value::String(s) => PointsInput::Text(s),
            _ => PointsInput::Invalid,
        })
    }
}

impl Serialize for PointsInput {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PointsInput::Number(n) => n.serialize(serializer),
            PointsInput::Text(s) => serializer.serialize_str(s),
            PointsInput::Invalid => serializer.serialize_none(),
        }
    }
}

impl PartialSchema for PointsInput {
    fn schema() -> RefOr<Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .description(Some("Points de jury: 0.01 to the policy's maximum (2 by default), at most 2 decimals; a number or a string (a decimal comma or point)."))
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .item(ObjectBuilder::new().schema_type(Type::String))
            .into()
    }
}

impl ToSchema for PointsInput {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PointsInput")
    }
}

/// `POST /api/juries/{id}/candidates/{learner}/points` (spec/jury.md §4).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PointsRequest {
    pub module: String,
    #[schema(value_type = PointsInput)]
    pub points: PointsInput,
    pub justification: String,
}

/// The outcome voted on (spec/jury.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    Award,
    ValidateBlocks,
    Defer,
    Refuse,
}

/// `POST /api/juries/{id}/candidates/{learner}/deliberation`: a vote on one outcome (spec/jury.md §5).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliberationRequest {
    pub outcome: OutcomeKind,
    /// The blocks acquired: for `validate_blocks`, and for `defer` the blocks validated meanwhile.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<String>,
    #[serde(rename = "for")]
    pub in_favour: u32,
    pub against: u32,
    #[serde(default)]
    pub abstain: u32,
    /// The president's casting vote: on a tie only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub casting_vote: Option<CastingVote>,
    /// Required for a decision against the proposal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// For `defer`: what is awaited (resit, evidence)…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// …and by when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<NaiveDate>,
}

/// An adopted outcome.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdoptedBody {
    pub learner: String,
    /// On the minutes: ADM, VAL, AJ or REF.
    pub code: String,
    /// Whether the president's casting vote decided it (a tie).
    pub casting_vote_decided: bool,
}

/// A closed session: the SHA-256 of its minutes' canonical JSON.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosedBody {
    pub minutes_sha256: String,
}

/// `POST /api/juries/{id}/sign`: the president signs the closed minutes.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignRequest {
    /// The name of the member presiding, as seated.
    #[serde(rename = "as")]
    pub name: String,
}

/// The signature recorded: the SHA-256 of the minutes signed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignedBody {
    pub sha256: String,
}

/// `POST /api/juries/{id}/publish`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// The publication date (not before the deliberation).
    pub on: NaiveDate,
}

/// The decisions published: they take effect; appeals are received until `appeal_deadline`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishedBody {
    pub published_on: NaiveDate,
    pub appeal_deadline: NaiveDate,
}

/// `POST /api/juries/{id}/candidates/{learner}/appeal` (spec/jury.md §7).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealRequest {
    pub received_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
