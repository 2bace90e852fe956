//! OpenAPI schemas (feature `openapi`) of the types whose JSON is written by hand, so a derive
//! would describe the Rust fields rather than the JSON: each schema here is the JSON the
//! type's `Serialize` writes.

use std::borrow::Cow;

use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::decision::{Status, UeOutcome};
use crate::dossier::EnglishScore;
use crate::mark::MarkEntry;
use crate::policy::CefrLevel;

fn null() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::Null)
}

/// A mark cell of the dossier: a number in 0..20 with at most 2 decimals, `"ABJ"`, `"ABI"`, or
/// `null` while not known. The 2 decimals are said in words, not as `multipleOf: 0.01`: some validators
/// compute that in binary floating point and would refuse marks such as 12.57.
impl PartialSchema for MarkEntry {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .description(Some("A mark: a number in 0..20 with at most 2 decimals, \"ABJ\" (justified absence), \"ABI\" (unjustified absence, counts as 0), or null while not known."))
            .item(ObjectBuilder::new().schema_type(Type::Number).minimum(Some(0.0)).maximum(Some(20.0)))
            .item(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["ABJ", "ABI"])))
            .item(null())
            .into()
    }
}

impl ToSchema for MarkEntry {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("MarkEntry")
    }
}

/// An English result: a number (points), or the CEFR level a level-based test certifies.
impl PartialSchema for EnglishScore {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .description(Some("A score in points, or the CEFR level a level-based test (CLES) certifies."))
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .item(CefrLevel::schema())
            .into()
    }
}

impl ToSchema for EnglishScore {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("EnglishScore")
    }
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((CefrLevel::name().into(), CefrLevel::schema()));
    }
}

fn two_places(description: &str) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).pattern(Some(r"^[0-9]{1,2}\.[0-9]{2}$")).description(Some(description))
}

/// `{"code", "status", "average", "ects", "finals": {module: final}, "below_floor": [module],
/// "reasons"}` (spec/evaluation.md §5), as `UeOutcome`'s `Serialize` writes it.
impl PartialSchema for UeOutcome {
    fn schema() -> RefOr<Schema> {
        let nullable_two_places = |description: &str| OneOfBuilder::new().item(two_places(description)).item(null());
        ObjectBuilder::new()
            .property("code", ObjectBuilder::new().schema_type(Type::String))
            .required("code")
            .property("status", Ref::from_schema_name("Status"))
            .required("status")
            .property(
                "average",
                nullable_two_places("The UE's average, rounded half-up to 2 decimals; null while a module has no final mark."),
            )
            .required("average")
            .property(
                "ects",
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
                    .minimum(Some(0.0)),
            )
            .required("ects")
            .property(
                "finals",
                ObjectBuilder::new()
                    .description(Some("Per module of the UE, the mark that counts (2 decimals), or null."))
                    .additional_properties(Some(AdditionalProperties::RefOr(nullable_two_places("A module's final mark.").into()))),
            )
            .required("finals")
            .property(
                "below_floor",
                utoipa::openapi::schema::ArrayBuilder::new()
                    .items(ObjectBuilder::new().schema_type(Type::String))
                    .description(Some("The modules below the floor mark; absent when none is.")),
            )
            .property("reasons", utoipa::openapi::schema::ArrayBuilder::new().items(Ref::from_schema_name("ReasonCode")))
            .required("reasons")
            .into()
    }
}

impl ToSchema for UeOutcome {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("UeOutcome")
    }
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((Status::name().into(), Status::schema()));
        schemas.push((crate::ReasonCode::name().into(), crate::ReasonCode::schema()));
    }
}
