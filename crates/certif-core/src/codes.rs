//! Reason codes (spec/evaluation.md §6): the stable vocabulary of every decision.

use serde::{Deserialize, Serialize};

/// Why a block, a condition or the title is not (yet) what the learner needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReasonCode {
    UeBelowPassMark,
    ModuleBelowFloor,
    MarkMissing,
    BlockNotValidated,
    BlockIncomplete,
    AccessRouteNotOpen,
    ApprenticeshipContractMissing,
    RegistrationExpired,
    CompanyPeriodsMissing,
    CompanyPeriodNotEvaluated,
    CompanyPeriodBelowPassMark,
    CompanyPeriodNotFinished,
    MobilityMissing,
    MobilityNotAbroad,
    MobilityTooShort,
    MobilityOutsideCompanyPeriod,
    MobilityNotFinished,
    EnglishMissing,
    EnglishBelowTarget,
    EnglishExpired,
    EnglishAfterEvaluationDate,
    BlockEquivalenceRefused,
    MobilityBelowRecommended,
    VaeAfterEvaluationDate,
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 24] = [
        Self::UeBelowPassMark,
        Self::ModuleBelowFloor,
        Self::MarkMissing,
        Self::BlockNotValidated,
        Self::BlockIncomplete,
        Self::AccessRouteNotOpen,
        Self::ApprenticeshipContractMissing,
        Self::RegistrationExpired,
        Self::CompanyPeriodsMissing,
        Self::CompanyPeriodNotEvaluated,
        Self::CompanyPeriodBelowPassMark,
        Self::CompanyPeriodNotFinished,
        Self::MobilityMissing,
        Self::MobilityNotAbroad,
        Self::MobilityTooShort,
        Self::MobilityOutsideCompanyPeriod,
        Self::MobilityNotFinished,
        Self::EnglishMissing,
        Self::EnglishBelowTarget,
        Self::EnglishExpired,
        Self::EnglishAfterEvaluationDate,
        Self::BlockEquivalenceRefused,
        Self::MobilityBelowRecommended,
        Self::VaeAfterEvaluationDate,
    ];

    /// The code as it appears in decisions, e.g. `UE_BELOW_PASS_MARK`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UeBelowPassMark => "UE_BELOW_PASS_MARK",
            Self::ModuleBelowFloor => "MODULE_BELOW_FLOOR",
            Self::MarkMissing => "MARK_MISSING",
            Self::BlockNotValidated => "BLOCK_NOT_VALIDATED",
            Self::BlockIncomplete => "BLOCK_INCOMPLETE",
            Self::AccessRouteNotOpen => "ACCESS_ROUTE_NOT_OPEN",
            Self::ApprenticeshipContractMissing => "APPRENTICESHIP_CONTRACT_MISSING",
            Self::RegistrationExpired => "REGISTRATION_EXPIRED",
            Self::CompanyPeriodsMissing => "COMPANY_PERIODS_MISSING",
            Self::CompanyPeriodNotEvaluated => "COMPANY_PERIOD_NOT_EVALUATED",
            Self::CompanyPeriodBelowPassMark => "COMPANY_PERIOD_BELOW_PASS_MARK",
            Self::CompanyPeriodNotFinished => "COMPANY_PERIOD_NOT_FINISHED",
            Self::MobilityMissing => "MOBILITY_MISSING",
            Self::MobilityNotAbroad => "MOBILITY_NOT_ABROAD",
            Self::MobilityTooShort => "MOBILITY_TOO_SHORT",
            Self::MobilityOutsideCompanyPeriod => "MOBILITY_OUTSIDE_COMPANY_PERIOD",
            Self::MobilityNotFinished => "MOBILITY_NOT_FINISHED",
            Self::EnglishMissing => "ENGLISH_MISSING",
            Self::EnglishBelowTarget => "ENGLISH_BELOW_TARGET",
            Self::EnglishExpired => "ENGLISH_EXPIRED",
            Self::EnglishAfterEvaluationDate => "ENGLISH_AFTER_EVALUATION_DATE",
            Self::BlockEquivalenceRefused => "BLOCK_EQUIVALENCE_REFUSED",
            Self::MobilityBelowRecommended => "MOBILITY_BELOW_RECOMMENDED",
            Self::VaeAfterEvaluationDate => "VAE_AFTER_EVALUATION_DATE",
        }
    }
}

impl std::fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialized_form_is_the_spec_code() {
        for code in ReasonCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
