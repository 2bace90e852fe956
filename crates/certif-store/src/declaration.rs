//! The national declaration's life cycle (spec/declaration.md §1): each award sent to the
//! Caisse des Dépôts is `exported` in a flow, then `accepted` or `rejected` with the CDC's
//! message. An award with no row is still to declare. Every change is audited (entity
//! `declaration`, key the award's idTechnique); the audit check holds each row against it.

use std::future::Future;

use serde::{Deserialize, Serialize};

use crate::StoreResult;

/// The audit log's entity for a declared award.
pub const AUDITED: &str = "declaration";

/// Where a declared award stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclarationState {
    /// Sent in a flow, no answer yet.
    Exported,
    Accepted,
    /// Refused by the CDC: corrected then exported again (same idTechnique).
    Rejected,
}

impl DeclarationState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeclarationState::Exported => "exported",
            DeclarationState::Accepted => "accepted",
            DeclarationState::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<DeclarationState> {
        [DeclarationState::Exported, DeclarationState::Accepted, DeclarationState::Rejected].into_iter().find(|s| s.as_str() == text)
    }
}

/// The award a declaration is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclaredAward {
    /// The UUID the CDC matches re-exports by.
    pub id_technique: String,
    pub certification: String,
    pub session: String,
    pub learner: String,
}

/// A declared award and where it stands; its JSON is what the audit log records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    #[serde(flatten)]
    pub award: DeclaredAward,
    pub state: DeclarationState,
    /// The `idFlux` of the flow it was last exported in.
    pub flow: String,
    /// RFC 3339.
    pub exported_at: String,
    /// When the CDC's answer was recorded (RFC 3339).
    pub answered_at: Option<String>,
    /// The CDC's message for a rejection.
    pub message: Option<String>,
}

/// The CDC's answer for one award of a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Accepted,
    Rejected(String),
}

/// What certif keeps of its declarations.
pub trait DeclarationStore: Send + Sync {
    /// Records that `awards` went out in flow `flow` at `exported_at` (each row replaced:
    /// a re-export keeps the idTechnique and forgets the earlier answer), audited.
    fn record_export(
        &self,
        flow: &str,
        exported_at: &str,
        awards: Vec<DeclaredAward>,
        actor: &str,
    ) -> impl Future<Output = StoreResult<usize>> + Send;
    /// Records the CDC's answers for awards last exported in `flow`, all or nothing: an
    /// idTechnique not in that flow refuses the whole call (`DECLARATION_NOT_IN_FLOW`).
    fn record_answers(
        &self,
        flow: &str,
        answered_at: &str,
        answers: Vec<(String, Answer)>,
        actor: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Every declared award, by idTechnique.
    fn declarations(&self) -> impl Future<Output = StoreResult<Vec<Declaration>>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declaration_is_one_flat_object() {
        let declaration = Declaration {
            award: DeclaredAward {
                id_technique: "id".into(),
                certification: "RNCP39668".into(),
                session: "jury-2026".into(),
                learner: "A-1".into(),
            },
            state: DeclarationState::Rejected,
            flow: "f".into(),
            exported_at: "2026-12-03T10:00:00Z".into(),
            answered_at: Some("2026-12-04T10:00:00Z".into()),
            message: Some("lieu de naissance inconnu".into()),
        };
        let json = serde_json::to_string(&declaration).unwrap();
        assert!(
            json.starts_with(
                r#"{"id_technique":"id","certification":"RNCP39668","session":"jury-2026","learner":"A-1","state":"rejected""#
            ),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Declaration>(&json).unwrap(), declaration);
        for state in [DeclarationState::Exported, DeclarationState::Accepted, DeclarationState::Rejected] {
            assert_eq!(DeclarationState::parse(state.as_str()), Some(state));
        }
    }
}
