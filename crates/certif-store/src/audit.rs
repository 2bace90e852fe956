//! The audit log: every write, with who, when, what, before and after, each row carrying the
//! hash of the one before it, so altering or removing any row breaks the chain.

use sha2::{Digest, Sha256};

/// One row of `audit_log`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    /// 1, 2, 3…: a gap means a removed row.
    pub seq: i64,
    /// RFC 3339 UTC timestamp.
    pub at: String,
    pub actor: String,
    /// The table written (`marks`, `learners`, …).
    pub entity: String,
    /// The row's key, `/`-joined (`A-0001/M1.1.1`).
    pub entity_key: String,
    pub learner_id: Option<String>,
    /// The row's values before and after, as JSON; `None` for an insert / a delete.
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of the empty chain's head.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an entry that its hash covers.
#[derive(Debug, Clone, Copy)]
pub struct ChainLink<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub entity: &'a str,
    pub entity_key: &'a str,
    pub learner_id: Option<&'a str>,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub prev_hash: &'a str,
}

impl ChainLink<'_> {
    /// SHA-256 over every field, each length-prefixed so no two entries can collide by
    /// shifting text between fields.
    pub fn hash(&self) -> String {
        let mut hasher = Sha256::new();
        let mut field = |value: Option<&str>| match value {
            None => hasher.update(b"-\n"),
            Some(text) => {
                hasher.update(text.len().to_string().as_bytes());
                hasher.update(b":");
                hasher.update(text.as_bytes());
                hasher.update(b"\n");
            }
        };
        field(Some(&self.seq.to_string()));
        field(Some(self.at));
        field(Some(self.actor));
        field(Some(self.entity));
        field(Some(self.entity_key));
        field(self.learner_id);
        field(self.before);
        field(self.after);
        field(Some(self.prev_hash));
        hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl AuditEntry {
    fn link(&self) -> ChainLink<'_> {
        ChainLink {
            seq: self.seq,
            at: &self.at,
            actor: &self.actor,
            entity: &self.entity,
            entity_key: &self.entity_key,
            learner_id: self.learner_id.as_deref(),
            before: self.before.as_deref(),
            after: self.after.as_deref(),
            prev_hash: &self.prev_hash,
        }
    }
}

/// What `certif audit verify` finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerdict {
    Intact {
        rows: usize,
    },
    /// The first row that does not hold: altered, or following a removed row.
    Broken {
        seq: i64,
        reason: String,
    },
    /// The chain holds, but a stored row is not what its latest audit entry says: data
    /// written without its audit row, or an audited change whose data is not there.
    Unaudited {
        entity: String,
        key: String,
        reason: String,
    },
}

/// Checks a whole log, oldest first, against the stored head (`count`, `hash` of the last
/// row), so that removing the last rows is caught too.
pub fn verify(entries: &[AuditEntry], head: Option<(i64, String)>) -> AuditVerdict {
    let mut prev_hash = GENESIS.to_string();
    for (index, entry) in entries.iter().enumerate() {
        let expected_seq = index as i64 + 1;
        if entry.seq != expected_seq {
            return AuditVerdict::Broken {
                seq: expected_seq,
                reason: format!("row {expected_seq} is missing (the next row is {})", entry.seq),
            };
        }
        if entry.prev_hash != prev_hash {
            return AuditVerdict::Broken { seq: entry.seq, reason: "its link to the previous row does not match".into() };
        }
        if entry.link().hash() != entry.hash {
            return AuditVerdict::Broken { seq: entry.seq, reason: "its content does not match its hash (altered)".into() };
        }
        prev_hash = entry.hash.clone();
    }
    let (count, hash) = head.unwrap_or((0, GENESIS.to_string()));
    if count != entries.len() as i64 || hash != prev_hash {
        let seq = entries.len() as i64 + 1;
        return AuditVerdict::Broken { seq, reason: format!("the log ends at row {} but {count} rows were written", entries.len()) };
    }
    AuditVerdict::Intact { rows: entries.len() }
}

/// Checks stored rows `(entity, key, values as JSON)` against the log, oldest first: each row
/// must be exactly its latest entry's `after`, and each entity among `entities` that the log
/// records must be stored, unless its latest entry removed it (`after` the JSON null). (The
/// record tables are never deleted from, so both hold whenever every write and its audit rows
/// were committed together.)
pub fn check_rows<'a>(
    entries: &[AuditEntry],
    entities: &[&str],
    rows: impl IntoIterator<Item = (&'a str, String, String)>,
) -> Option<AuditVerdict> {
    let mut latest: std::collections::HashMap<(String, String), &AuditEntry> = std::collections::HashMap::new();
    for entry in entries.iter().filter(|e| entities.contains(&e.entity.as_str())) {
        latest.insert((entry.entity.clone(), entry.entity_key.clone()), entry);
    }
    let unaudited = |entity: &str, key: &str, reason: String| AuditVerdict::Unaudited { entity: entity.into(), key: key.into(), reason };
    for (entity, key, values) in rows {
        match latest.remove(&(entity.to_string(), key.clone())) {
            None => return Some(unaudited(entity, &key, "it is stored but no audit entry records it".into())),
            Some(entry) if entry.after.as_deref() == Some(REMOVED) => {
                return Some(unaudited(entity, &key, format!("it is stored but audit entry {} removed it", entry.seq)));
            }
            Some(entry) if entry.after.as_deref() != Some(values.as_str()) => {
                return Some(unaudited(entity, &key, format!("its stored values differ from its latest audit entry ({})", entry.seq)));
            }
            Some(_) => {}
        }
    }
    let missing = latest.into_values().filter(|e| e.after.as_deref() != Some(REMOVED)).min_by_key(|e| e.seq)?;
    Some(unaudited(&missing.entity, &missing.entity_key, format!("audit entry {} records it but it is not stored", missing.seq)))
}

/// The `after` of an audit entry that removed its row.
pub const REMOVED: &str = "null";

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut entries = Vec::new();
        let mut prev = GENESIS.to_string();
        for seq in 1..=n {
            let mut entry = AuditEntry {
                seq,
                at: "2026-11-23T10:00:00Z".into(),
                actor: "registrar".into(),
                entity: "marks".into(),
                entity_key: format!("A/M{seq}"),
                learner_id: Some("A".into()),
                before: None,
                after: Some(format!("{{\"session1\":\"{seq}\"}}")),
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            entry.hash = entry.link().hash();
            prev = entry.hash.clone();
            entries.push(entry);
        }
        entries
    }

    fn head(entries: &[AuditEntry]) -> Option<(i64, String)> {
        entries.last().map(|e| (e.seq, e.hash.clone()))
    }

    #[test]
    fn an_untouched_chain_is_intact() {
        let entries = chain(5);
        assert_eq!(verify(&entries, head(&entries)), AuditVerdict::Intact { rows: 5 });
        assert_eq!(verify(&[], None), AuditVerdict::Intact { rows: 0 });
    }

    #[test]
    fn an_altered_row_is_named() {
        let mut entries = chain(5);
        let h = head(&entries);
        entries[2].after = Some("{\"session1\":\"20\"}".into());
        assert!(matches!(verify(&entries, h), AuditVerdict::Broken { seq: 3, .. }));
    }

    #[test]
    fn a_removed_row_is_named() {
        let mut entries = chain(5);
        let h = head(&entries);
        entries.remove(1);
        assert!(matches!(verify(&entries, h), AuditVerdict::Broken { seq: 2, .. }));
    }

    #[test]
    fn removing_the_last_rows_is_caught_by_the_head() {
        let mut entries = chain(5);
        let h = head(&entries);
        entries.truncate(3);
        assert!(matches!(verify(&entries, h), AuditVerdict::Broken { seq: 4, .. }));
    }

    #[test]
    fn a_row_must_be_what_its_latest_entry_says() {
        let entries = chain(3);
        let row = |key: &str, value: &str| ("marks", key.to_string(), format!("{{\"session1\":\"{value}\"}}"));
        let all = || vec![row("A/M1", "1"), row("A/M2", "2"), row("A/M3", "3")];
        assert_eq!(check_rows(&entries, &["marks"], all()), None);
        let changed = vec![row("A/M1", "1"), row("A/M2", "20"), row("A/M3", "3")];
        assert!(matches!(check_rows(&entries, &["marks"], changed), Some(AuditVerdict::Unaudited { key, .. }) if key == "A/M2"));
        let mut extra = all();
        extra.push(row("A/M4", "4"));
        assert!(matches!(check_rows(&entries, &["marks"], extra), Some(AuditVerdict::Unaudited { key, .. }) if key == "A/M4"));
        assert!(
            matches!(check_rows(&entries, &["marks"], all().into_iter().skip(1)), Some(AuditVerdict::Unaudited { key, .. }) if key == "A/M1")
        );
        assert_eq!(check_rows(&entries, &["learners"], Vec::new()), None, "only the entities named are checked");
        let mut removed = entries.clone();
        removed[1].after = Some(REMOVED.into());
        let without = vec![row("A/M1", "1"), row("A/M3", "3")];
        assert_eq!(check_rows(&removed, &["marks"], without.clone()), None, "a removed row is not stored");
        assert!(matches!(check_rows(&removed, &["marks"], all()), Some(AuditVerdict::Unaudited { key, .. }) if key == "A/M2"));
    }

    #[test]
    fn shifting_text_between_fields_changes_the_hash() {
        let a = ChainLink {
            seq: 1,
            at: "t",
            actor: "ab",
            entity: "c",
            entity_key: "k",
            learner_id: None,
            before: None,
            after: None,
            prev_hash: GENESIS,
        };
        let b = ChainLink { actor: "a", entity: "bc", ..a };
        assert_ne!(a.hash(), b.hash());
    }
}
