//! The engine's verdict with its reasons (spec/evaluation.md §5).
//!
//! The stable fields are the spec's; the extra ones (titles, module marks, findings) let a
//! person see which module, which mark, which stay made the difference.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::codes::ReasonCode;
use crate::mark::MarkEntry;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub certification: String,
    pub learner: String,
    pub evaluated_on: NaiveDate,
    pub title: TitleOutcome,
    pub blocks: Vec<BlockOutcome>,
    pub conditions: Conditions,
    pub ects_earned: u32,
    pub warnings: Vec<ReasonCode>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TitleOutcome {
    pub status: TitleStatus,
    pub reasons: Vec<ReasonCode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TitleStatus {
    Awarded,
    NotAwarded,
    Incomplete,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockOutcome {
    pub code: String,
    pub title: String,
    pub status: Status,
    pub via: Via,
    pub ues: Vec<UeOutcome>,
    pub reasons: Vec<ReasonCode>,
}

/// Outcome of a UE or a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Validated,
    NotValidated,
    Incomplete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    Training,
    Vae,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UeOutcome {
    pub code: String,
    pub title: String,
    pub status: Status,
    /// Rounded half-up to 2 decimals; `null` while a module has no final mark.
    pub average: Option<String>,
    pub ects: u32,
    pub modules: Vec<ModuleOutcome>,
    pub reasons: Vec<ReasonCode>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModuleOutcome {
    pub code: String,
    pub title: String,
    #[serde(serialize_with = "crate::mark::serialize_decimal_as_number")]
    pub coefficient: Decimal,
    pub session1: MarkEntry,
    pub session2: MarkEntry,
    /// The mark that counts (R1), if any.
    #[serde(rename = "final")]
    pub final_mark: Option<String>,
    pub below_floor: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
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
pub struct ConditionOutcome {
    pub status: ConditionStatus,
    pub reasons: Vec<ReasonCode>,
    /// What each reason is about: which period, stay or certificate, and the figures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

    /// Builds an outcome from its findings: reasons are their distinct codes, in code order.
    pub fn from_findings(status: ConditionStatus, findings: Vec<Finding>) -> ConditionOutcome {
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
    /// Serialises the decision as compact JSON (one line, for the bulk path).
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).expect("a decision always serialises")
    }
}
