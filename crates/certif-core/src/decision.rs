//! The engine's verdict with its reasons (spec/evaluation.md §5).
//!
//! The stable fields are the spec's; the extra ones (titles, module marks, findings) let a
//! person see which module, which mark, which stay made the difference.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Code;
use crate::codes::ReasonCode;
use crate::mark::{ShortText, TwoPlaces};
use crate::what_it_takes::WhatItTakes;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub certification: Code,
    pub learner: String,
    pub evaluated_on: NaiveDate,
    pub title: TitleOutcome,
    pub blocks: Vec<BlockOutcome>,
    pub conditions: Conditions,
    pub ects_earned: u32,
    pub warnings: Vec<ReasonCode>,
    /// What would change the verdict (spec/evaluation.md §7); empty for an awarded title.
    pub what_it_takes: WhatItTakes,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TitleOutcome {
    pub status: TitleStatus,
    pub reasons: Vec<ReasonCode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TitleStatus {
    Awarded,
    NotAwarded,
    Incomplete,
}

impl TitleStatus {
    /// As the JSON decision spells it (`awarded`, `not_awarded`, `incomplete`).
    pub fn as_str(self) -> &'static str {
        match self {
            TitleStatus::Awarded => "awarded",
            TitleStatus::NotAwarded => "not_awarded",
            TitleStatus::Incomplete => "incomplete",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockOutcome {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: Code,
    pub status: Status,
    pub via: Via,
    pub ues: Vec<UeOutcome>,
    pub reasons: Vec<ReasonCode>,
}

/// Outcome of a UE or a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Validated,
    NotValidated,
    Incomplete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Via {
    Training,
    Vae,
}

/// Serialised by hand (below) to keep module detail compact: decisions are written by the
/// hundred thousand on the bulk path.
#[derive(Debug, Clone, PartialEq)]
pub struct UeOutcome {
    pub code: Code,
    pub status: Status,
    /// Shown rounded half-up to 2 decimals; `null` while a module has no final mark.
    pub average: Option<Decimal>,
    pub ects: u32,
    pub modules: Vec<ModuleOutcome>,
    pub reasons: Vec<ReasonCode>,
}

/// `{"code", "status", "average", "ects", "finals": {module: final}, "below_floor": [module],
/// "reasons"}`; `below_floor` only when some module is below it.
impl Serialize for UeOutcome {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Finals<'a>(&'a [ModuleOutcome]);
        impl Serialize for Finals<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for module in self.0 {
                    map.serialize_entry(&module.code, &module.final_mark.map(|f| TwoPlacesText(TwoPlaces(f).to_text())))?;
                }
                map.end()
            }
        }
        let below_floor: Vec<&str> = self.modules.iter().filter(|m| m.below_floor).map(|m| m.code.as_str()).collect();
        let fields = if below_floor.is_empty() { 6 } else { 7 };
        let mut ue = serializer.serialize_struct("UeOutcome", fields)?;
        ue.serialize_field("code", &self.code)?;
        ue.serialize_field("status", &self.status)?;
        ue.serialize_field("average", &self.average.map(|a| TwoPlacesText(TwoPlaces(a).to_text())))?;
        ue.serialize_field("ects", &self.ects)?;
        ue.serialize_field("finals", &Finals(&self.modules))?;
        if !below_floor.is_empty() {
            ue.serialize_field("below_floor", &below_floor)?;
        }
        ue.serialize_field("reasons", &self.reasons)?;
        ue.end()
    }
}

struct TwoPlacesText(ShortText);

impl Serialize for TwoPlacesText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.as_str())
    }
}

/// One module's part in its UE. The marks as entered are the dossier's.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleOutcome {
    pub code: Code,
    /// The mark that counts (R1), if any.
    pub final_mark: Option<Decimal>,
    pub below_floor: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conditions {
    pub access: ConditionOutcome,
    pub registration: ConditionOutcome,
    pub company_periods: ConditionOutcome,
    pub mobility: ConditionOutcome,
    pub english: ConditionOutcome,
}

impl Conditions {
    pub fn iter(&self) -> [(&'static str, &ConditionOutcome); 5] {
        [
            ("access", &self.access),
            ("registration", &self.registration),
            ("company_periods", &self.company_periods),
            ("mobility", &self.mobility),
            ("english", &self.english),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConditionOutcome {
    pub status: ConditionStatus,
    pub reasons: Vec<ReasonCode>,
    /// What each reason is about: which period, stay or certificate, and the figures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConditionStatus {
    Met,
    Unmet,
    Incomplete,
    NotRequired,
}

/// One fact behind a reason: its subject (a period id, a stay, a certificate) and the value
/// compared with the threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub reason: ReasonCode,
    pub subject: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<String>,
}

impl ConditionOutcome {
    pub fn met() -> ConditionOutcome {
        ConditionOutcome { status: ConditionStatus::Met, reasons: Vec::new(), findings: Vec::new() }
    }

    pub fn not_required() -> ConditionOutcome {
        ConditionOutcome { status: ConditionStatus::NotRequired, reasons: Vec::new(), findings: Vec::new() }
    }

    /// Builds an outcome from its findings: reasons are their distinct codes, in code order;
    /// findings are sorted so the dossier's list order never shows in a decision.
    pub fn from_findings(status: ConditionStatus, mut findings: Vec<Finding>) -> ConditionOutcome {
        findings.sort_unstable_by(|a, b| (a.reason, &a.subject, &a.value).cmp(&(b.reason, &b.subject, &b.value)));
        findings.dedup();
        let reasons = distinct(findings.iter().map(|f| f.reason));
        ConditionOutcome { status, reasons, findings }
    }
}

/// Distinct reason codes in their canonical order.
pub fn distinct(codes: impl IntoIterator<Item = ReasonCode>) -> Vec<ReasonCode> {
    let mut codes: Vec<ReasonCode> = codes.into_iter().collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

impl Decision {
    /// Serialises the decision as compact JSON (one line, for the bulk path): the same bytes
    /// as `serde_json::to_string`, written faster.
    pub fn to_json_line(&self) -> String {
        let mut out = Vec::with_capacity(4096);
        crate::decision_json::write_decision(self, &mut out);
        String::from_utf8(out).expect("every part written is UTF-8")
    }
}
