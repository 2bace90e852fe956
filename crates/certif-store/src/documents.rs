//! The holders' documents issued as PDF (spec/credentials.md §1): each has an id (UUID v4, the
//! one its verification URL carries) and is kept with the SHA-256 of its bytes, whom it was
//! issued to, from which published session, when, and whether it was revoked (an appeal that
//! changes the decision revokes what the old one issued). The PDF itself is not kept. Every
//! change is audited (entity `document`, key the id); the audit check holds each row against its
//! latest entry.

use std::future::Future;

use crate::StoreResult;

/// The audit log's entity for a document.
pub const AUDITED: &str = "document";

/// The kinds of documents recorded (the minutes are the jury's, kept with its session).
pub const KINDS: [&str; 3] = ["diploma", "attestation", "transcript"];

/// One issued document as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IssuedDocument {
    /// A UUID (version 4), as its verification URL carries it.
    pub id: String,
    /// `diploma`, `attestation` or `transcript`.
    pub kind: String,
    pub learner: String,
    /// The published jury session whose decision the document states.
    pub session: String,
    /// The SHA-256 of the PDF's bytes, hex.
    pub sha256: String,
    /// RFC 3339, UTC.
    pub issued_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation_reason: Option<String>,
}

/// What certif keeps of the documents it issued.
pub trait DocumentStore: Send + Sync {
    /// Records documents just issued, all in one transaction with their audit entries. An id
    /// already recorded, an unknown kind or learner, a session that is not published, or a
    /// SHA-256 that is not 64 hex digits refuses the whole batch (`StoreError::Invalid`),
    /// nothing written.
    fn record_documents(&self, documents: Vec<IssuedDocument>, actor: &str) -> impl Future<Output = StoreResult<()>> + Send;

    /// The document with this id, if any.
    fn document(&self, id: &str) -> impl Future<Output = StoreResult<Option<IssuedDocument>>> + Send;

    /// The document whose PDF has this SHA-256 (hex, lowercase), if certif issued it: what
    /// `POST /verify` answers for an uploaded PDF.
    fn document_by_sha256(&self, sha256: &str) -> impl Future<Output = StoreResult<Option<IssuedDocument>>> + Send;

    /// Every document issued to `learner`, oldest first.
    fn documents_of(&self, learner: &str) -> impl Future<Output = StoreResult<Vec<IssuedDocument>>> + Send;

    /// Revokes every document of `learner` issued from `session` and still standing, at `at`
    /// (RFC 3339) for `reason` (an appeal that changed the decision); answers how many. Those
    /// already revoked keep their first revocation.
    fn revoke_documents(
        &self,
        learner: &str,
        session: &str,
        reason: &str,
        at: &str,
        actor: &str,
    ) -> impl Future<Output = StoreResult<usize>> + Send;
}

/// A document's values as the audit log holds them (a JSON object, keys sorted).
pub fn values_json(document: &IssuedDocument) -> String {
    serde_json::json!({
        "kind": document.kind,
        "learner": document.learner,
        "session": document.session,
        "sha256": document.sha256,
        "issued_at": document.issued_at,
        "revoked_at": document.revoked_at,
        "revocation_reason": document.revocation_reason,
    })
    .to_string()
}

/// Why a document cannot be recorded as given, if it cannot (before any SQL).
pub fn invalid(document: &IssuedDocument) -> Option<String> {
    if !KINDS.contains(&document.kind.as_str()) {
        return Some(format!("document {} : type {:?} inconnu ({})", document.id, document.kind, KINDS.join(", ")));
    }
    if document.sha256.len() != 64 || !document.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(format!("document {} : SHA-256 attendu en 64 chiffres hexadécimaux", document.id));
    }
    if document.id.trim().is_empty() {
        return Some("un document a un identifiant".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> IssuedDocument {
        IssuedDocument {
            id: "0b7c5c3e-5f0e-4c1a-9a51-2f3d1c8e6a10".into(),
            kind: "diploma".into(),
            learner: "A-0001".into(),
            session: "J-1".into(),
            sha256: "ab".repeat(32),
            issued_at: "2026-10-02T08:00:00Z".into(),
            revoked_at: None,
            revocation_reason: None,
        }
    }

    #[test]
    fn a_document_is_audited_with_every_value_keys_sorted() {
        let json = values_json(&document());
        assert!(
            json.starts_with(r#"{"issued_at":"2026-10-02T08:00:00Z","kind":"diploma","learner":"A-0001","revocation_reason":null"#),
            "{json}"
        );
    }

    #[test]
    fn a_document_of_an_unknown_kind_or_with_a_short_digest_is_refused() {
        assert_eq!(invalid(&document()), None);
        assert!(invalid(&IssuedDocument { kind: "minutes".into(), ..document() }).is_some());
        assert!(invalid(&IssuedDocument { sha256: "ab".into(), ..document() }).is_some());
        assert!(invalid(&IssuedDocument { sha256: "zz".repeat(32), ..document() }).is_some());
    }
}
