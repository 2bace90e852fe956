//! The bodies of the API: every request and response is one of these types (or an engine type
//! of `certif_core`), so the OpenAPI document describes exactly what goes over the wire.
//!
//! Field order is the wire's: the responses first written with `json!` answered their keys in
//! alphabetical order (serde_json's map), and these structs keep that order, so the bytes did
//! not change when the API became typed.

use std::borrow::Cow;

use certif_core::AccessRoute;
use certif_core::decision::{Status, TitleStatus};
use certif_core::dossier::{Accommodation, Dossier};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::openapi::{RefOr, schema::Schema};
use utoipa::{PartialSchema, ToSchema};

/// The body of every error: `{"error": {"code", "field", "message"}}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorDetail {
    /// `unauthorized`, `forbidden`, `not_found`, `invalid`, `stale`, `rate_limited`,
    /// `unreadable`, `unavailable` or `internal`; for a jury refusal, its reason code
    /// (`JURY_SESSION_CLOSED`, …).
    pub code: String,
    /// For `invalid`: the JSON path of the offending field in the request (`""` for the whole
    /// body), or the name of the path segment, query parameter or header; null otherwise.
    #[schema(required = true)]
    pub field: Option<String>,
    pub message: String,
    /// When the jury's rules refuse (spec/jury.md): every reason, each code with its sentence
    /// (`code` is then the first one's). Absent otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
}

/// One reason a jury action is refused: `JURY_SESSION_CLOSED`, `JURY_ROLE_MISSING`, …
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub code: String,
    pub message: String,
}

/// `POST /api/auth/login`'s request.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// A session: the token for `Authorization: Bearer`, and the CSRF token a POST, PUT or DELETE
/// with the session cookie must carry (`X-CSRF-Token`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub csrf: String,
    pub token: String,
}

/// One learner of `GET /api/learners`.
#[derive(Debug, Serialize, ToSchema)]
pub struct LearnerSummary {
    pub access_route: AccessRoute,
    pub blocks: Vec<BlockSummary>,
    #[schema(required = true)]
    pub family_name: Option<String>,
    #[schema(required = true)]
    pub given_names: Option<String>,
    pub id: String,
    pub title_status: TitleStatus,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BlockSummary {
    pub code: String,
    pub status: Status,
}

/// An engine value answered with the keys of its objects in alphabetical order, at every
/// depth (the dossier has always been answered so). The schema is the value's own: JSON
/// objects have no order.
#[derive(Debug)]
pub struct Sorted<T>(pub T);

impl<T: Serialize> Serialize for Sorted<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        let value = serde_json::to_value(&self.0).map_err(S::Error::custom)?;
        value.serialize(serializer)
    }
}

impl<T: ToSchema> PartialSchema for Sorted<T> {
    fn schema() -> RefOr<Schema> {
        T::schema()
    }
}

impl<T: ToSchema> ToSchema for Sorted<T> {
    fn name() -> Cow<'static, str> {
        T::name()
    }
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        T::schemas(schemas);
    }
}

/// The dossier of `GET /api/learners/{id}/dossier` (spec/evaluation.md §1).
pub type DossierBody = Sorted<Dossier>;

/// The accommodations of `GET /api/learners/{id}/accommodations`.
pub type AccommodationsBody = Sorted<Vec<Accommodation>>;

/// `GET /api/learners/{id}`: the dossier without `evaluated_on` (a record is not dated).
#[derive(Debug)]
pub struct LearnerRecord(pub Dossier);

impl Serialize for LearnerRecord {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        let mut value = serde_json::to_value(&self.0).map_err(S::Error::custom)?;
        if let Some(object) = value.as_object_mut() {
            object.remove("evaluated_on");
        }
        value.serialize(serializer)
    }
}

impl PartialSchema for LearnerRecord {
    fn schema() -> RefOr<Schema> {
        let mut schema = Dossier::schema();
        if let RefOr::T(Schema::Object(object)) = &mut schema {
            object.properties.remove("evaluated_on");
            object.required.retain(|name| name != "evaluated_on");
            object.description = Some("A learner's record: the dossier (spec/evaluation.md §1) without `evaluated_on`.".into());
        }
        schema
    }
}

impl ToSchema for LearnerRecord {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("LearnerRecord")
    }
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        <Dossier as ToSchema>::schemas(schemas);
    }
}

/// A mark as a request gives it: a number, a string (`12,5`, `ABJ`, `ABI`) or null. Anything
/// else is kept as `Invalid` and refused where the handler checks the value, so the order of
/// the checks (who may write, then what) does not depend on the body.
#[derive(Debug, Clone, PartialEq)]
pub enum MarkInput {
    Null,
    Number(serde_json::Number),
    Text(String),
    Invalid,
}

impl<'de> Deserialize<'de> for MarkInput {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Null => MarkInput::Null,
            serde_json::Value::Number(n) => MarkInput::Number(n),
            serde_json::Value::String(s) => MarkInput::Text(s),
            _ => MarkInput::Invalid,
        })
    }
}

impl Serialize for MarkInput {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            MarkInput::Null | MarkInput::Invalid => serializer.serialize_none(),
            MarkInput::Number(n) => n.serialize(serializer),
            MarkInput::Text(s) => serializer.serialize_str(s),
        }
    }
}

impl PartialSchema for MarkInput {
    fn schema() -> RefOr<Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .description(Some(
                "A mark: a number in 0..20 with at most 2 decimals, a string (a decimal comma or point, \"ABJ\", \"ABI\"), or null for not known yet.",
            ))
            .item(ObjectBuilder::new().schema_type(Type::Number).minimum(Some(0.0)).maximum(Some(20.0)))
            .item(ObjectBuilder::new().schema_type(Type::String))
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .into()
    }
}

impl ToSchema for MarkInput {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("MarkInput")
    }
}

/// A field that, when present, holds a value (`null` included): `Some(value)`; absent: `None`.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// `PUT /api/learners/{id}/marks/{module}`'s request; a session left out is null.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkRequest {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = MarkInput)]
    pub session1: Option<MarkInput>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = MarkInput)]
    pub session2: Option<MarkInput>,
}

/// A date as a request gives it: a string YYYY-MM-DD; anything else is kept to be refused
/// where the handler checks it.
#[derive(Debug, Clone, PartialEq)]
pub enum DateInput {
    Text(String),
    Invalid,
}

impl<'de> Deserialize<'de> for DateInput {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(s) => DateInput::Text(s),
            _ => DateInput::Invalid,
        })
    }
}

impl Serialize for DateInput {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            DateInput::Text(s) => serializer.serialize_str(s),
            DateInput::Invalid => serializer.serialize_none(),
        }
    }
}

/// `PUT /api/learners/{id}/company-periods/{period}`'s request: the evaluation (null clears it;
/// left out, it is kept), and for a registrar the dates (a new period needs both).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodRequest {
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = MarkInput)]
    pub evaluation: Option<MarkInput>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = NaiveDate)]
    pub start: Option<DateInput>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = NaiveDate)]
    pub end: Option<DateInput>,
}

/// The stored mark of `PUT /api/learners/{id}/marks/{module}`, also given as its `ETag`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoredMark {
    pub learner: String,
    pub module: String,
    /// The mark as text (`12.5`, `ABJ`, `ABI`), null while not known.
    #[schema(required = true)]
    pub session1: Option<String>,
    #[schema(required = true)]
    pub session2: Option<String>,
    pub version: i64,
}

/// The stored period of `PUT /api/learners/{id}/company-periods/{period}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoredPeriod {
    pub end: NaiveDate,
    /// The evaluation as text (`14`, `ABJ`, `ABI`), null while not known.
    #[schema(required = true)]
    pub evaluation: Option<String>,
    pub learner: String,
    pub period: String,
    pub start: NaiveDate,
    pub version: i64,
}

/// One stored curriculum of `GET /api/curricula`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CurriculumSummary {
    pub certification: String,
    pub id: String,
    pub loaded_at: String,
    /// Null for a stored curriculum that no longer loads.
    #[schema(required = true)]
    pub title: Option<String>,
}

/// `GET /api/curricula/{id}`: its TOML source and its modules.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CurriculumDetail {
    pub certification: String,
    pub id: String,
    pub loaded_at: String,
    pub modules: Vec<CurriculumModule>,
    pub source: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CurriculumModule {
    pub module: String,
    pub title: String,
    pub ue: String,
}

/// `POST /verify`'s JSON answer about an uploaded PDF: whether certif issued it, and whether it
/// still stands.
#[derive(Serialize)]
pub(crate) struct PdfAnswer {
    pub(crate) sha256: String,
    pub(crate) issued: bool,
    pub(crate) id: Option<String>,
    pub(crate) kind: Option<String>,
    pub(crate) stands: bool,
    pub(crate) revoked_at: Option<String>,
}
