//! What a batch of writes does, worked out in memory before anything is written: which rows
//! change, which are new, and the audit entries, so a backend reads what it needs once and
//! writes with a few multi-row statements instead of several statements per record.

use std::collections::{HashMap, HashSet};

use crate::audit::{AuditEntry, ChainLink};
use crate::record::{Record, Table};
use crate::{ApplySummary, StoreError, StoreResult, VersionedRecord};

/// A stored row's identity: its table and key values.
pub type RowKey = (&'static str, Vec<String>);

/// The rows a batch touches, as stored before it: fetched by the backend, keyed by table and key.
#[derive(Debug, Default)]
pub struct Stored {
    rows: HashMap<RowKey, VersionedRecord>,
}

impl Stored {
    pub fn insert(&mut self, record: VersionedRecord) {
        self.rows.insert((record.record.table().name, record.record.key()), record);
    }
}

/// One change, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub entity: &'static str,
    pub entity_key: String,
    pub learner_id: Option<String>,
    pub before: Option<String>,
    pub after: String,
}

/// A row as it must be after the batch, with its new version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalRow {
    pub table: &'static Table,
    pub row: VersionedRecord,
}

/// What the batch does.
#[derive(Debug, Default)]
pub struct Plan {
    pub summary: ApplySummary,
    /// Every change in the batch's order (a row changed twice is audited twice).
    pub changes: Vec<Change>,
    /// Each changed row's final state, learners first (the other tables refer to them).
    pub rows: Vec<FinalRow>,
    /// Each record of the batch as written (merged onto what was stored) with its version.
    pub written: Vec<VersionedRecord>,
}

/// The learner ids a batch refers to and does not itself create: they must exist in the store.
pub fn referenced_learners(records: &[Record]) -> Vec<&str> {
    let created: HashSet<&str> = records.iter().filter(|r| matches!(r, Record::Learner(_))).map(|r| r.learner_id()).collect();
    let mut referenced: Vec<&str> = records.iter().map(|r| r.learner_id()).filter(|id| !created.contains(id)).collect();
    referenced.sort_unstable();
    referenced.dedup();
    referenced
}

/// Works out a batch against what is stored. `expected_version` (optimistic concurrency) applies
/// to a batch of one record: a stale version is a `Conflict` and nothing is planned.
pub fn plan(records: Vec<Record>, mut stored: Stored, expected_version: Option<i64>) -> StoreResult<Plan> {
    let mut plan = Plan::default();
    // Each changed row once, in the order first changed.
    let mut changed: Vec<RowKey> = Vec::new();
    let mut seen: HashSet<RowKey> = HashSet::new();
    for record in records {
        let table = record.table();
        let key = (table.name, record.key());
        let current = stored.rows.get(&key);
        if let (Some(expected), Some(current)) = (expected_version, current)
            && expected != current.version
        {
            return Err(StoreError::Conflict {
                what: format!("{} {}", table.row_words(), key.1.join("/")),
                current_version: current.version,
            });
        }
        let record = record.merged_onto(current.map(|c| &c.record));
        match current {
            Some(current) if current.record == record => {
                plan.summary.unchanged += 1;
                plan.written.push(current.clone());
                continue;
            }
            Some(_) => plan.summary.updated += 1,
            None => plan.summary.inserted += 1,
        }
        let before = current.map(|c| c.record.values_json());
        let version = current.map_or(1, |c| c.version + 1);
        plan.changes.push(Change {
            entity: table.name,
            entity_key: record.audit_key(),
            learner_id: Some(record.learner_id().to_string()),
            before,
            after: record.values_json(),
        });
        let written = VersionedRecord { record, version };
        plan.written.push(written.clone());
        if seen.insert(key.clone()) {
            changed.push(key.clone());
        }
        stored.rows.insert(key, written);
    }
    let mut rows: Vec<FinalRow> =
        changed.into_iter().filter_map(|key| stored.rows.remove(&key)).map(|row| FinalRow { table: row.record.table(), row }).collect();
    let order = |table: &Table| crate::record::TABLES.iter().position(|t| t.name == table.name).unwrap_or(usize::MAX);
    rows.sort_by_key(|r| order(r.table));
    plan.rows = rows;
    Ok(plan)
}

/// The audit rows for a batch's changes, chained onto the head `(count, hash)`.
pub fn audit_entries(changes: &[Change], head: (i64, String), at: &str, actor: &str) -> Vec<AuditEntry> {
    let (mut seq, mut prev_hash) = head;
    changes
        .iter()
        .map(|change| {
            seq += 1;
            let link = ChainLink {
                seq,
                at,
                actor,
                entity: change.entity,
                entity_key: &change.entity_key,
                learner_id: change.learner_id.as_deref(),
                before: change.before.as_deref(),
                after: Some(&change.after),
                prev_hash: &prev_hash,
            };
            let hash = link.hash();
            AuditEntry {
                seq,
                at: at.to_string(),
                actor: actor.to_string(),
                entity: change.entity.to_string(),
                entity_key: change.entity_key.clone(),
                learner_id: change.learner_id.clone(),
                before: change.before.clone(),
                after: Some(change.after.clone()),
                prev_hash: std::mem::replace(&mut prev_hash, hash.clone()),
                hash,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use certif_core::mark::{Mark, MarkEntry};

    fn mark(learner: &str, module: &str, value: &str) -> Record {
        Record::Mark {
            learner_id: learner.into(),
            module: module.into(),
            session1: MarkEntry::Value(value.parse::<Mark>().unwrap()),
            session2: Some(MarkEntry::Pending),
        }
    }

    #[test]
    fn a_plan_inserts_updates_and_skips_against_what_is_stored() {
        let mut stored = Stored::default();
        stored.insert(VersionedRecord { record: mark("A", "M1", "10"), version: 3 });
        stored.insert(VersionedRecord { record: mark("A", "M2", "12"), version: 1 });
        let plan = plan(vec![mark("A", "M1", "11"), mark("A", "M2", "12"), mark("A", "M3", "8")], stored, None).unwrap();
        assert_eq!((plan.summary.inserted, plan.summary.updated, plan.summary.unchanged), (1, 1, 1));
        let versions: Vec<(String, i64)> = plan.rows.iter().map(|r| (r.row.record.key()[1].clone(), r.row.version)).collect();
        assert_eq!(versions, vec![("M1".into(), 4), ("M3".into(), 1)]);
        assert_eq!(plan.changes.len(), 2);
        assert_eq!(plan.changes[0].before.as_deref(), Some(r#"{"session1":"10","session2":null}"#));
    }

    #[test]
    fn a_stale_expected_version_is_a_conflict() {
        let mut stored = Stored::default();
        stored.insert(VersionedRecord { record: mark("A", "M1", "10"), version: 3 });
        let error = plan(vec![mark("A", "M1", "11")], stored, Some(2)).unwrap_err();
        assert!(matches!(error, StoreError::Conflict { current_version: 3, .. }));
    }

    #[test]
    fn referenced_learners_are_sorted_once() {
        let records = vec![mark("B", "M1", "10"), mark("A", "M1", "9"), mark("B", "M2", "10")];
        assert_eq!(referenced_learners(&records), vec!["A", "B"]);
    }

    #[test]
    fn audit_entries_chain_onto_the_head() {
        let changes = vec![
            Change { entity: "marks", entity_key: "A/M1".into(), learner_id: Some("A".into()), before: None, after: "{}".into() },
            Change { entity: "marks", entity_key: "A/M2".into(), learner_id: Some("A".into()), before: None, after: "{}".into() },
        ];
        let entries = audit_entries(&changes, (7, "h7".into()), "2026-11-24T00:00:00Z", "registrar");
        assert_eq!((entries[0].seq, entries[0].prev_hash.as_str()), (8, "h7"));
        assert_eq!((entries[1].seq, &entries[1].prev_hash), (9, &entries[0].hash));
        assert_eq!(entries[1].actor, "registrar");
    }
}
