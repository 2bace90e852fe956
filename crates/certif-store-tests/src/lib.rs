//! The storage scenarios every backend must pass, written once against the `Store` trait.
//! Each backend's test file runs them on a fresh database, through [`all_scenarios!`], so no
//! backend can skip one.

/// Calls `$runner!(scenario, …)` with every scenario of this crate; a backend's test file
/// defines `$runner` to make one test per scenario on a fresh database.
#[macro_export]
macro_rules! all_scenarios {
    ($runner:ident) => {
        $runner!(
            every_record_kind_reads_back_into_the_dossier,
            applying_the_same_batch_twice_changes_nothing,
            a_failing_batch_writes_nothing,
            a_dry_run_reports_but_writes_nothing,
            a_wide_mark_keeps_the_stored_resit,
            a_stale_version_is_refused_and_writes_nothing,
            concurrent_writers_never_lose_an_update,
            replacing_a_curriculum_cannot_drop_a_marked_module,
            every_write_is_audited_and_the_chain_holds,
            a_row_written_twice_in_a_batch_is_audited_twice_and_stored_once,
            a_large_batch_spans_many_statements_and_reads_back_whole,
            a_cohort_read_page_by_page_is_the_cohort_read_whole,
            accounts_and_sessions_round_trip_and_are_audited,
            an_account_changed_or_disabled_loses_its_sessions,
            concurrent_sign_in_failures_are_all_counted_and_lock_the_pair,
            expired_sessions_and_old_failures_are_purged,
            cancelled_writes_leave_nothing_half_done,
            an_accommodation_history_keeps_every_decision_of_one_kind,
            a_jury_session_goes_from_draft_to_published,
            every_write_to_a_closed_session_is_refused_and_changes_nothing,
            a_member_name_sits_once_per_session,
            holders_are_the_published_awards_and_acquired_blocks,
            a_candidate_is_removed_from_a_draft_session,
            deliberations_racing_the_close_are_before_it_or_refused,
            a_later_session_decides_again_on_an_appeal,
            a_change_decided_on_a_stale_reading_is_a_conflict,
            settings_are_kept_replaced_and_audited,
            a_declaration_goes_from_exported_to_answered_and_again,
            a_published_appeal_replaces_the_decision_it_was_about,
            insertion_answers_are_kept_replaced_and_audited,
            an_insertion_answer_of_an_unknown_learner_writes_nothing,
            keys_rotate_and_credentials_are_issued_revoked_and_audited,
            documents_are_recorded_read_back_revoked_and_audited,
            a_refused_batch_of_documents_writes_nothing,
        );
    };
}

use certif_core::dossier::*;
use certif_core::mark::{Mark, MarkEntry};
use certif_core::{AccessRoute, CefrLevel};
use certif_store::audit::{AuditEntry, ChainLink};
use certif_store::record::LearnerRecord;
use certif_store::{AuditVerdict, Record, Store, StoreError, StoredCurriculum, verify_audit};
use chrono::NaiveDate;

/// A test's requirement is absent: a failure, unless `CERTIF_TEST_ALLOW_SKIP=1` says skipping
/// is wanted (a green run that tested nothing must never look like a pass).
pub fn absent(what: &str) {
    assert!(std::env::var_os("CERTIF_TEST_ALLOW_SKIP").is_some(), "{what} (CERTIF_TEST_ALLOW_SKIP=1 skips knowingly)");
    eprintln!("SKIPPED: {what}");
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn mark(text: &str) -> MarkEntry {
    MarkEntry::Value(text.parse::<Mark>().expect("test mark"))
}

pub fn learner(id: &str) -> Record {
    Record::Learner(LearnerRecord {
        learner: Learner {
            id: id.into(),
            family_name: Some("Lefèvre".into()),
            given_names: Some("Élodie Anaïs".into()),
            birth_date: Some(date("2002-05-14")),
            sex: Some(Sex::F),
            birth_place_insee: Some("86194".into()),
        },
        access_route: AccessRoute::Apprenticeship,
        enrolled_on: date("2023-09-04"),
        contract: Some(ApprenticeshipContract {
            employer: Some("Aérostructures du Poitou".into()),
            employer_siret: Siret::parse("41280598700010"),
            start: Some(date("2023-09-04")),
            end: Some(date("2026-08-31")),
            master: Some("Julien Dupont".into()),
        }),
        curriculum: Some("ENSMA-GIAE-DEMO".into()),
    })
}

/// One record of every kind for a learner.
pub fn every_kind(id: &str) -> Vec<Record> {
    let l = || id.to_string();
    vec![
        learner(id),
        Record::Mark { learner_id: l(), module: "M1.1.1".into(), session1: mark("7"), session2: Some(mark("15")) },
        Record::Mark {
            learner_id: l(),
            module: "M1.1.2".into(),
            session1: MarkEntry::JustifiedAbsence,
            session2: Some(MarkEntry::Pending),
        },
        Record::CompanyPeriod {
            learner_id: l(),
            period: CompanyPeriod { id: "P1".into(), start: date("2023-10-02"), end: date("2024-01-26"), evaluation: mark("13.5") },
        },
        Record::Mobility {
            learner_id: l(),
            stay: MobilityStay { country: "DE".into(), start: date("2025-03-03"), end: date("2025-05-30") },
        },
        Record::English {
            learner_id: l(),
            certificate: EnglishCertificate {
                test: "TOEIC_LR".into(),
                score: EnglishScore::Points("805".parse().unwrap()),
                date: date("2025-06-12"),
            },
        },
        Record::Vae {
            learner_id: l(),
            decision: VaeDecision { block: "RNCP39668BC04".into(), decision: VaeOutcome::Refused, date: Some(date("2026-06-30")) },
        },
        Record::Equivalence {
            learner_id: l(),
            equivalence: Equivalence { block: "RNCP39668BC01".into(), basis: Some("RNCP35642BC01".into()) },
        },
        Record::Accommodation {
            learner_id: l(),
            accommodation: Accommodation {
                kind: AccommodationKind::EnglishAdaptation,
                target_level: Some(CefrLevel::B1),
                note: Some("contrat d'adaptation".into()),
                decided_on: Some(date("2024-01-10")),
                decided_by: Some("Directeur".into()),
                definitive: Some(true),
            },
        },
    ]
}

fn rncp39668(_: Option<&str>) -> Option<String> {
    Some("RNCP39668".into())
}

pub async fn every_record_kind_reads_back_into_the_dossier(store: &impl Store) {
    let summary = store.apply(every_kind("A-0001"), "registrar", false).await.unwrap();
    assert_eq!(summary.inserted, 9);
    let dossier = certif_store::dossier(store, "A-0001", date("2026-09-18"), rncp39668).await.unwrap();
    let expected = certif_store::dossier_from(&every_kind("A-0001"), date("2026-09-18"), rncp39668).unwrap();
    assert_eq!(dossier, expected);
    assert!(matches!(certif_store::dossier(store, "NOBODY", date("2026-09-18"), rncp39668).await, Err(StoreError::NotFound(_))));
}

fn english_adaptation(id: &str, level: CefrLevel, decided_on: Option<&str>, definitive: bool) -> Record {
    Record::Accommodation {
        learner_id: id.into(),
        accommodation: Accommodation {
            kind: AccommodationKind::EnglishAdaptation,
            target_level: Some(level),
            note: None,
            decided_on: decided_on.map(date),
            decided_by: Some("Directeur".into()),
            definitive: Some(definitive),
        },
    }
}

/// A provisional decision, then the definitive one, then an undated one: all three kept, in
/// the dossier, each audited; rewriting one changes only it.
pub async fn an_accommodation_history_keeps_every_decision_of_one_kind(store: &impl Store) {
    let history = vec![
        learner("A-0001"),
        english_adaptation("A-0001", CefrLevel::B1, Some("2024-01-10"), false),
        english_adaptation("A-0001", CefrLevel::A2, Some("2024-06-20"), true),
        english_adaptation("A-0001", CefrLevel::B1, None, false),
    ];
    assert_eq!(store.apply(history.clone(), "registrar", false).await.unwrap().inserted, 4);
    let dossier = certif_store::dossier(store, "A-0001", date("2026-09-18"), rncp39668).await.unwrap();
    let mut levels: Vec<(Option<NaiveDate>, Option<CefrLevel>)> =
        dossier.accommodations.iter().map(|a| (a.decided_on, a.target_level)).collect();
    levels.sort();
    assert_eq!(
        levels,
        [(None, Some(CefrLevel::B1)), (Some(date("2024-01-10")), Some(CefrLevel::B1)), (Some(date("2024-06-20")), Some(CefrLevel::A2))]
    );
    let summary =
        store.apply(vec![english_adaptation("A-0001", CefrLevel::A1, Some("2024-06-20"), true)], "registrar", false).await.unwrap();
    assert_eq!((summary.inserted, summary.updated), (0, 1));
    let keys: Vec<String> =
        store.audit_log(None).await.unwrap().into_iter().filter(|e| e.entity == "accommodations").map(|e| e.entity_key).collect();
    assert_eq!(
        keys,
        [
            "A-0001/english_adaptation/2024-01-10",
            "A-0001/english_adaptation/2024-06-20",
            "A-0001/english_adaptation",
            "A-0001/english_adaptation/2024-06-20"
        ]
    );
    assert!(matches!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { .. }));
}

pub async fn applying_the_same_batch_twice_changes_nothing(store: &impl Store) {
    store.apply(every_kind("A-0001"), "registrar", false).await.unwrap();
    let audit_rows = store.audit_log(None).await.unwrap().len();
    let again = store.apply(every_kind("A-0001"), "registrar", false).await.unwrap();
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 9));
    assert_eq!(store.audit_log(None).await.unwrap().len(), audit_rows, "an unchanged row is not audited");
}

pub async fn a_failing_batch_writes_nothing(store: &impl Store) {
    store.apply(vec![learner("A-0001")], "registrar", false).await.unwrap();
    let before = (store.learner_ids().await.unwrap(), store.audit_log(None).await.unwrap());
    let mut batch = every_kind("A-0002");
    batch.push(Record::Mark { learner_id: "GHOST".into(), module: "M1.1.1".into(), session1: mark("12"), session2: None });
    let error = store.apply(batch, "registrar", false).await.unwrap_err();
    assert!(matches!(error, StoreError::Invalid(ref m) if m.contains("GHOST")), "{error}");
    assert_eq!((store.learner_ids().await.unwrap(), store.audit_log(None).await.unwrap()), before);
}

pub async fn a_dry_run_reports_but_writes_nothing(store: &impl Store) {
    let summary = store.apply(every_kind("A-0001"), "registrar", true).await.unwrap();
    assert_eq!(summary.inserted, 9);
    assert!(store.learner_ids().await.unwrap().is_empty());
    assert!(store.audit_log(None).await.unwrap().is_empty());
}

pub async fn a_wide_mark_keeps_the_stored_resit(store: &impl Store) {
    store.apply(every_kind("A-0001"), "registrar", false).await.unwrap();
    let wide = Record::Mark { learner_id: "A-0001".into(), module: "M1.1.1".into(), session1: mark("8"), session2: None };
    store.apply(vec![wide], "teacher", false).await.unwrap();
    let records = store.records_of("A-0001").await.unwrap();
    let stored = records.iter().find(|r| matches!(r, Record::Mark { module, .. } if module == "M1.1.1")).unwrap();
    assert_eq!(
        stored,
        &Record::Mark { learner_id: "A-0001".into(), module: "M1.1.1".into(), session1: mark("8"), session2: Some(mark("15")) }
    );
}

pub async fn a_stale_version_is_refused_and_writes_nothing(store: &impl Store) {
    store.apply(vec![learner("A-0001")], "registrar", false).await.unwrap();
    let write = |value: &str| Record::Mark {
        learner_id: "A-0001".into(),
        module: "M2.1.1".into(),
        session1: mark(value),
        session2: Some(MarkEntry::Pending),
    };
    let first = store.put_versioned(write("11"), None, "teacher").await.unwrap();
    let second = store.put_versioned(write("12"), Some(first.version), "teacher").await.unwrap();
    assert_eq!(second.version, first.version + 1);
    let stale = store.put_versioned(write("13"), Some(first.version), "other-teacher").await.unwrap_err();
    assert!(matches!(stale, StoreError::Conflict { current_version, .. } if current_version == second.version), "{stale}");
    let records = store.records_of("A-0001").await.unwrap();
    assert!(records.contains(&write("12")), "the stale write changed nothing");
    // What an edit form reads: every record with its version, the learner first.
    let versioned = store.versioned_records_of("A-0001").await.unwrap();
    assert!(matches!(versioned[0].record, Record::Learner(_)) && versioned[0].version == 1, "{versioned:?}");
    assert!(versioned.contains(&certif_store::VersionedRecord { record: write("12"), version: second.version }), "{versioned:?}");
    assert_eq!(versioned.into_iter().map(|v| v.record).collect::<Vec<_>>(), records);
    // A new record expected absent (version 0) is refused once it exists.
    let taken = store.put_versioned(learner("A-0001"), Some(0), "registrar").await.unwrap_err();
    assert!(matches!(taken, StoreError::Conflict { current_version: 1, .. }), "{taken}");
}

/// Two writers read the same version and write different marks concurrently: exactly one
/// wins, the other is told of the conflict, and the stored mark is the winner's.
pub async fn concurrent_writers_never_lose_an_update<S: Store + Clone + 'static>(store: &S) {
    store.apply(vec![learner("A-0001")], "registrar", false).await.unwrap();
    let write = |value: String| Record::Mark {
        learner_id: "A-0001".into(),
        module: "M3.1.1".into(),
        session1: mark(&value),
        session2: Some(MarkEntry::Pending),
    };
    let mut current = store.put_versioned(write("20".into()), None, "teacher").await.unwrap().version;
    for round in 0..10 {
        let (a, b) = (store.clone(), store.clone());
        let (wa, wb) = (write(format!("{round}.25")), write(format!("{round}.75")));
        let ta = tokio::spawn(async move { a.put_versioned(wa, Some(current), "teacher-a").await });
        let tb = tokio::spawn(async move { b.put_versioned(wb, Some(current), "teacher-b").await });
        let results = [ta.await.unwrap(), tb.await.unwrap()];
        let winners: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        let conflicts = results.iter().filter(|r| matches!(r, Err(StoreError::Conflict { .. }))).count();
        assert_eq!((winners.len(), conflicts), (1, 1), "round {round}: {results:?}");
        assert_eq!(winners[0].version, current + 1);
        let stored = store.records_of("A-0001").await.unwrap();
        assert!(stored.contains(&winners[0].record), "round {round}: the winner's mark is the stored one");
        current = winners[0].version;
    }
}

pub async fn replacing_a_curriculum_cannot_drop_a_marked_module(store: &impl Store) {
    let curriculum = |source: &str| StoredCurriculum {
        id: "ENSMA-GIAE-DEMO".into(),
        certification: "RNCP39668".into(),
        source: source.into(),
        loaded_at: "2026-11-23T10:00:00Z".into(),
    };
    let modules = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    store.save_curriculum(curriculum("v1"), modules(&["M1.1.1", "M1.1.2"]), "manager").await.unwrap();
    store.apply(every_kind("A-0001"), "registrar", false).await.unwrap();
    let refused = store.save_curriculum(curriculum("v2"), modules(&["M1.1.2"]), "manager").await.unwrap_err();
    assert!(matches!(refused, StoreError::Invalid(ref m) if m.contains("M1.1.1")), "{refused}");
    assert_eq!(store.curricula().await.unwrap()[0].source, "v1");
    store.save_curriculum(curriculum("v3"), modules(&["M1.1.1", "M1.1.2", "M1.1.3"]), "manager").await.unwrap();
    assert_eq!(store.curricula().await.unwrap()[0].source, "v3");
}

pub async fn every_write_is_audited_and_the_chain_holds(store: &impl Store) {
    store.apply(every_kind("A-0001"), "registrar", false).await.unwrap();
    store.apply(every_kind("A-0002"), "registrar", false).await.unwrap();
    let change = Record::Mark { learner_id: "A-0001".into(), module: "M1.1.2".into(), session1: mark("14"), session2: None };
    store.apply(vec![change], "teacher", false).await.unwrap();
    let log = store.audit_log(None).await.unwrap();
    assert_eq!(log.len(), 19);
    let last = log.last().unwrap();
    assert_eq!((last.actor.as_str(), last.entity.as_str(), last.entity_key.as_str()), ("teacher", "marks", "A-0001/M1.1.2"));
    assert!(last.before.as_deref().unwrap().contains("\"session1\":\"ABJ\""));
    assert!(last.after.as_deref().unwrap().contains("\"session1\":\"14\""));
    assert_eq!(store.audit_log(Some("A-0002")).await.unwrap().len(), 9);
    assert_eq!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { rows: 19 });
}

pub async fn a_row_written_twice_in_a_batch_is_audited_twice_and_stored_once(store: &impl Store) {
    let write = |value: &str| Record::Mark { learner_id: "A-0001".into(), module: "M1.1.1".into(), session1: mark(value), session2: None };
    let summary = store.apply(vec![learner("A-0001"), write("9"), write("11"), write("11")], "registrar", false).await.unwrap();
    assert_eq!((summary.inserted, summary.updated, summary.unchanged), (2, 1, 1));
    let marks: Vec<Record> = store.records_of("A-0001").await.unwrap().into_iter().filter(|r| matches!(r, Record::Mark { .. })).collect();
    assert_eq!(
        marks,
        vec![Record::Mark {
            learner_id: "A-0001".into(),
            module: "M1.1.1".into(),
            session1: mark("11"),
            session2: Some(MarkEntry::Pending)
        }]
    );
    let log = store.audit_log(Some("A-0001")).await.unwrap();
    let mark_entries: Vec<_> = log.iter().filter(|e| e.entity == "marks").collect();
    assert_eq!(mark_entries.len(), 2);
    assert!(mark_entries[1].before.as_deref().unwrap().contains("\"session1\":\"9\""));
    // The next single write sees the version the batch left: two changes, version 2.
    let next = store.put_versioned(write("12"), Some(2), "teacher").await.unwrap();
    assert_eq!(next.version, 3);
    assert_eq!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { rows: 4 });
}

/// More rows than one statement carries, for many learners: every row reads back, each
/// learner's records grouped, and the chain holds.
pub async fn a_large_batch_spans_many_statements_and_reads_back_whole(store: &impl Store) {
    let ids: Vec<String> = (0..700).map(|i| format!("L-{i:04}")).collect();
    let batch: Vec<Record> = ids.iter().flat_map(|id| every_kind(id)).collect();
    let summary = store.apply(batch, "registrar", false).await.unwrap();
    assert_eq!(summary.inserted, 700 * 9);
    let all = store.all_records().await.unwrap();
    assert_eq!(all.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(), ids);
    for (id, records) in all.iter().step_by(97) {
        assert_eq!(records, &store.records_of(id).await.unwrap(), "{id}: the cohort read and the learner read agree");
        assert!(matches!(records[0], Record::Learner(_)), "{id}: the learner record comes first");
    }
    // Pages wider than one statement's 500 learners read back whole too.
    let first = store.records_page(None, 600).await.unwrap();
    let rest = store.records_page(Some(&first[599].0), 600).await.unwrap();
    assert_eq!((first.len(), rest.len()), (600, 100));
    assert_eq!(first.into_iter().chain(rest).collect::<Vec<_>>(), all);
    assert_eq!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { rows: 700 * 9 });
    let again = store.apply(ids.iter().flat_map(|id| every_kind(id)).collect(), "registrar", false).await.unwrap();
    assert_eq!(again.unchanged, 700 * 9);
}

/// Learner ids whose byte order differs from a French collation's (case, accents, digits).
pub const IDS_IN_NO_LOCALE_ORDER: [&str; 11] = ["b-2", "B-1", "a-10", "A-2", "É-1", "E-1", "z", "Z", "0-1", "é-1", "a-9"];

/// The cohort read page by page (keyset, after the last id of the previous page) is exactly the
/// cohort read whole: same learners in the same (byte) order, same records in the same order,
/// whatever the page's size; past the last learner, an empty page.
pub async fn a_cohort_read_page_by_page_is_the_cohort_read_whole(store: &impl Store) {
    let mut batch = Vec::new();
    for (n, id) in IDS_IN_NO_LOCALE_ORDER.iter().enumerate() {
        // Every other learner has only their learner record: pages hold groups of both sizes.
        if n % 2 == 0 { batch.extend(every_kind(id)) } else { batch.push(learner(id)) }
    }
    store.apply(batch, "registrar", false).await.unwrap();
    let all = store.all_records().await.unwrap();
    let mut in_bytes: Vec<&str> = IDS_IN_NO_LOCALE_ORDER.to_vec();
    in_bytes.sort_unstable();
    assert_eq!(all.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(), in_bytes, "the cohort in its ids' byte order");
    for size in [1, 3, 10, 11, 500] {
        let mut read = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = store.records_page(after.as_deref(), size).await.unwrap();
            assert!(page.len() <= size, "a page of {size} holds {}", page.len());
            let Some((last, _)) = page.last() else { break };
            after = Some(last.clone());
            read.extend(page);
        }
        assert_eq!(read, all, "pages of {size}");
    }
    assert_eq!(store.records_page(Some("é-1"), 5).await.unwrap(), vec![], "nothing after the last id");
    assert_eq!(store.records_page(Some("a"), 2).await.unwrap(), all[5..7].to_vec(), "from an id that is not stored");
}

/// Writes cut off at random points under load — futures dropped by a timeout of 0–3 ms,
/// tasks aborted from outside — each happen whole (data and audit rows) or not at all, and
/// leave no connection inside a transaction: later writes go through at once.
pub async fn cancelled_writes_leave_nothing_half_done<S: Store + certif_store::accounts::AccountStore + Clone + 'static>(store: &S) {
    use std::time::Duration;
    let learners: Vec<String> = (1..=4).map(|i| format!("A-{i:04}")).collect();
    store.apply(learners.iter().map(|id| learner(id)).collect(), "registrar", false).await.unwrap();
    let modules = ["M1.1.1", "M1.1.2", "M2.1.1"];
    let write = |n: usize| Record::Mark {
        learner_id: learners[n % learners.len()].clone(),
        module: modules[n % modules.len()].into(),
        session1: mark(&format!("{}.{:02}", n % 20, n % 100)),
        session2: Some(MarkEntry::Pending),
    };
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..160 {
        let store = store.clone();
        let patience = Duration::from_micros(fastrand::u64(0..3_000));
        match n % 4 {
            0 => {
                let record = write(n);
                tasks.spawn(async move { drop(tokio::time::timeout(patience, store.put_versioned(record, None, "teacher")).await) });
            }
            1 => {
                let batch = vec![write(n), write(n + 1), write(n + 2)];
                tasks.spawn(async move { drop(tokio::time::timeout(patience, store.apply(batch, "registrar", false)).await) });
            }
            2 => {
                let record = write(n);
                let task = tokio::spawn(async move { drop(store.put_versioned(record, None, "teacher").await) });
                tasks.spawn(async move {
                    tokio::time::sleep(patience).await;
                    task.abort();
                });
            }
            _ => {
                tasks.spawn(
                    async move { drop(tokio::time::timeout(patience, store.add_account(account(&format!("t{n}")), "admin")).await) },
                );
            }
        }
    }
    while tasks.join_next().await.is_some() {}

    // Every pooled connection serves a write at once (idle connections are handed out in turn).
    for n in 0..24 {
        let answer = tokio::time::timeout(Duration::from_secs(10), store.put_versioned(write(n), None, "after")).await;
        assert!(matches!(answer, Ok(Ok(_))), "write {n} after the cancelled ones: {answer:?}");
        let writable = tokio::time::timeout(Duration::from_secs(10), store.check_writable()).await;
        assert!(matches!(writable, Ok(Ok(()))), "{writable:?}");
    }
    // Writes still running on their own tasks end before the checks (they queue for the lock
    // like this one).
    store.add_account(account("last"), "admin").await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    // The chain holds, and every stored record is what its latest audit entry says.
    assert!(matches!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { .. }));
    let log = store.audit_log(None).await.unwrap();
    for record in store.all_records().await.unwrap().into_iter().flat_map(|(_, records)| records) {
        let key = record.audit_key();
        let latest = log.iter().rev().find(|e| e.entity == record.table().name && e.entity_key == key);
        assert_eq!(latest.and_then(|e| e.after.clone()), Some(record.values_json()), "{key}: stored as audited");
    }
    // Every stored account has its audit entry, and every audited account is stored.
    let mut audited: Vec<String> = log.iter().filter(|e| e.entity == "accounts").map(|e| e.entity_key.clone()).collect();
    audited.sort();
    let stored: Vec<String> = store.accounts().await.unwrap().into_iter().map(|a| a.username).collect();
    assert_eq!(audited, stored, "accounts and their audit entries");
}

/// A SQL string literal (for the tampering statements below).
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// What the anchor tests start from: A-0001's records (entries 1–9), then M1.1.1's first
/// session changed from 7 to 9 (entry 10).
pub async fn a_log_of_ten_entries(store: &impl Store) {
    store.apply(every_kind("A-0001"), "registrar", false).await.unwrap();
    let change = Record::Mark { learner_id: "A-0001".into(), module: "M1.1.1".into(), session1: mark("9"), session2: Some(mark("15")) };
    store.apply(vec![change], "teacher", false).await.unwrap();
    assert_eq!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { rows: 10 });
}

/// Raw SQL that removes the last change without a trace the chain would show: the mark back
/// to its value, entry 10 deleted, the head moved back onto entry 9.
pub fn statements_removing_the_last_change(entries: &[AuditEntry]) -> Vec<String> {
    vec![
        "UPDATE marks SET session1 = '7', version = 1 WHERE learner_id = 'A-0001' AND module = 'M1.1.1'".into(),
        "DELETE FROM audit_log WHERE seq = 10".into(),
        format!("UPDATE audit_head SET count = 9, hash = {} WHERE id = 1", literal(&entries[8].hash)),
    ]
}

/// Raw SQL that edits entry 2 (who wrote it) and recomputes every hash after it, and the head.
pub fn statements_rewriting_and_rechaining(entries: &[AuditEntry]) -> Vec<String> {
    let mut statements = Vec::new();
    let mut prev_hash = entries[0].hash.clone();
    for entry in &entries[1..] {
        let actor = if entry.seq == 2 { "someone else" } else { entry.actor.as_str() };
        let hash = ChainLink {
            seq: entry.seq,
            at: &entry.at,
            actor,
            entity: &entry.entity,
            entity_key: &entry.entity_key,
            learner_id: entry.learner_id.as_deref(),
            before: entry.before.as_deref(),
            after: entry.after.as_deref(),
            prev_hash: &prev_hash,
        }
        .hash();
        statements.push(format!(
            "UPDATE audit_log SET actor = {}, prev_hash = {}, hash = {} WHERE seq = {}",
            literal(actor),
            literal(&prev_hash),
            literal(&hash),
            entry.seq
        ));
        prev_hash = hash;
    }
    statements.push(format!("UPDATE audit_head SET hash = {} WHERE id = 1", literal(&prev_hash)));
    statements
}

mod accounts;
mod credentials;
mod declaration;
mod documents;
mod insertion;
mod jury;
use accounts::account;
pub use accounts::*;
pub use credentials::*;
pub use declaration::*;
pub use documents::*;
pub use insertion::*;
pub use jury::*;
