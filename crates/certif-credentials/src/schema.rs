//! The two 1EdTech OB 3.0 AchievementCredential JSON schemas (draft 2019-09), embedded
//! (`schemas/PROVENANCE.md`): the published one and the stricter 2024-09-12 download. Every
//! credential certif issues must satisfy both.

use std::sync::LazyLock;

use serde_json::Value;

const RELAXED_TEXT: &str = include_str!("../schemas/ob_v3p0_achievementcredential_schema.json");
const STRICT_TEXT: &str = include_str!("../schemas/ob_v3p0_achievementcredential_schema.strict-2024-09-12.json");

/// Which of the two schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaName {
    Relaxed,
    Strict20240912,
}

impl std::fmt::Display for SchemaName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Relaxed => "ob_v3p0_achievementcredential_schema",
            Self::Strict20240912 => "ob_v3p0_achievementcredential_schema (strict 2024-09-12)",
        })
    }
}

/// One place where a credential breaks a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaViolation {
    pub schema: SchemaName,
    /// JSON pointer into the credential.
    pub instance_path: String,
    pub message: String,
}

impl std::fmt::Display for SchemaViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = if self.instance_path.is_empty() { "/" } else { &self.instance_path };
        write!(f, "{}: {path}: {}", self.schema, self.message)
    }
}

type Compiled = Result<jsonschema::Validator, String>;

fn compile(text: &str) -> Compiled {
    let schema: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    // Formats asserted: a `validFrom` that is not a date-time is a broken credential.
    jsonschema::options().should_validate_formats(true).build(&schema).map_err(|e| e.to_string())
}

static RELAXED: LazyLock<Compiled> = LazyLock::new(|| compile(RELAXED_TEXT));
static STRICT: LazyLock<Compiled> = LazyLock::new(|| compile(STRICT_TEXT));

/// Checks `credential` against both schemas; every violation, with its schema and JSON path.
pub fn validate_achievement_credential(credential: &Value) -> Result<(), Vec<SchemaViolation>> {
    let mut violations = Vec::new();
    for (schema, compiled) in [(SchemaName::Relaxed, &*RELAXED), (SchemaName::Strict20240912, &*STRICT)] {
        match compiled {
            Ok(validator) => violations.extend(validator.iter_errors(credential).map(|error| SchemaViolation {
                schema,
                instance_path: error.instance_path().as_str().to_owned(),
                message: error.to_string(),
            })),
            Err(why) => violations.push(SchemaViolation {
                schema,
                instance_path: String::new(),
                message: format!("the embedded schema does not compile: {why}"),
            }),
        }
    }
    if violations.is_empty() { Ok(()) } else { Err(violations) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_embedded_schemas_compile() {
        assert!(RELAXED.is_ok(), "{:?}", RELAXED.as_ref().err());
        assert!(STRICT.is_ok(), "{:?}", STRICT.as_ref().err());
    }

    #[test]
    fn the_specification_example_passes_the_relaxed_schema() {
        let example: Value = serde_json::from_str(include_str!("../tests/data/example-spec-basic-openbadgecredential.json")).unwrap();
        let relaxed: Vec<_> = validate_achievement_credential(&example)
            .err()
            .unwrap_or_default()
            .into_iter()
            .filter(|violation| violation.schema == SchemaName::Relaxed)
            .collect();
        assert!(relaxed.is_empty(), "{relaxed:?}");
    }

    #[test]
    fn a_credential_without_issuer_is_refused_by_both() {
        let mut example: Value = serde_json::from_str(include_str!("../tests/data/example-spec-basic-openbadgecredential.json")).unwrap();
        example.as_object_mut().unwrap().remove("issuer");
        let violations = validate_achievement_credential(&example).unwrap_err();
        assert!(violations.iter().any(|v| v.schema == SchemaName::Relaxed && v.message.contains("issuer")));
        assert!(violations.iter().any(|v| v.schema == SchemaName::Strict20240912 && v.message.contains("issuer")));
    }

    #[test]
    fn draft_2019_09_tuple_items_are_enforced_on_the_context() {
        // `items` as an array is 2019-09 syntax: a validator on another draft would ignore it.
        let mut example: Value = serde_json::from_str(include_str!("../tests/data/example-spec-basic-openbadgecredential.json")).unwrap();
        example["@context"][1] = Value::from("https://example.com/not-open-badges.json");
        let violations = validate_achievement_credential(&example).unwrap_err();
        assert!(violations.iter().any(|v| v.schema == SchemaName::Strict20240912 && v.instance_path == "/@context/1"), "{violations:?}");
    }

    #[test]
    fn formats_are_asserted_a_date_that_is_not_a_date_time_fails() {
        let mut example: Value = serde_json::from_str(include_str!("../tests/data/example-spec-basic-openbadgecredential.json")).unwrap();
        example["validFrom"] = Value::from("le 3 juillet 2026");
        let violations = validate_achievement_credential(&example).unwrap_err();
        assert!(violations.iter().any(|v| v.schema == SchemaName::Relaxed && v.instance_path == "/validFrom"), "{violations:?}");
        assert!(violations.iter().any(|v| v.schema == SchemaName::Strict20240912 && v.instance_path == "/validFrom"), "{violations:?}");
    }
}
