//! Accounts, sign-in sessions, the sign-in lock-out and the certifier's settings, on any
//! backend.

use super::*;

pub async fn accounts_and_sessions_round_trip_and_are_audited<S: Store + certif_store::accounts::AccountStore>(store: &S) {
    use certif_store::accounts::{Account, Role, Session};
    let teacher = Account {
        username: "m.durand".into(),
        role: Role::Teacher,
        learner: None,
        modules: vec!["M1.1.1".into(), "M1.1.2".into()],
        apprentices: vec![],
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        disabled: false,
    };
    store.add_account(teacher.clone(), "admin").await.unwrap();
    assert!(matches!(store.add_account(teacher.clone(), "admin").await, Err(StoreError::Invalid(_))), "a username is unique");
    assert_eq!(store.account("m.durand").await.unwrap(), Some(teacher.clone()));

    let session = Session { username: "m.durand".into(), csrf: "c".into(), expires_at: "2026-11-24T12:00:00Z".into() };
    store.add_session("hash-1", session.clone()).await.unwrap();
    assert_eq!(store.session("hash-1", "2026-11-24T11:00:00Z").await.unwrap(), Some(session));
    assert_eq!(store.session("hash-1", "2026-11-24T12:00:01Z").await.unwrap(), None, "an expired session is no session");
    store.remove_session("hash-1").await.unwrap();
    assert_eq!(store.session("hash-1", "2026-11-24T11:00:00Z").await.unwrap(), None);

    store
        .add_session("hash-2", Session { username: "m.durand".into(), csrf: "c".into(), expires_at: "2026-11-24T12:00:00Z".into() })
        .await
        .unwrap();
    store.remove_account("m.durand", "admin").await.unwrap();
    assert_eq!(store.account("m.durand").await.unwrap(), None);
    assert_eq!(store.session("hash-2", "2026-11-24T11:00:00Z").await.unwrap(), None, "removing an account ends its sessions");
    assert!(matches!(store.remove_account("m.durand", "admin").await, Err(StoreError::NotFound(_))));
    let log = store.audit_log(None).await.unwrap();
    assert_eq!(
        log.iter().map(|e| (e.entity.as_str(), e.actor.as_str())).collect::<Vec<_>>(),
        [("accounts", "admin"), ("accounts", "admin")]
    );
    assert!(!log[0].after.as_deref().unwrap().contains("argon2"), "the audit log never holds a password hash");
    assert_eq!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { rows: 2 });
}

/// The admin changes an account: its role and scope, its password, its state. Each change is
/// kept, audited (a new password as `password_changed`, never its hash) and ends the sessions
/// opened under the old rights; an unknown account is `NotFound` and writes nothing.
pub async fn an_account_changed_or_disabled_loses_its_sessions<S: Store + certif_store::accounts::AccountStore>(store: &S) {
    use certif_store::accounts::{Role, Session};
    let session = |n: &str| Session { username: "m.durand".into(), csrf: n.into(), expires_at: "2026-11-24T12:00:00Z".into() };
    let live = |hash: &'static str| async move { store.session(hash, "2026-11-24T11:00:00Z").await.unwrap().is_some() };
    let teacher = account("m.durand");
    store.add_account(teacher.clone(), "admin").await.unwrap();
    store.add_session("s1", session("1")).await.unwrap();

    let wider = certif_store::accounts::Account { modules: vec!["M1.1.1".into(), "M1.1.2".into()], ..teacher.clone() };
    store.update_account(wider.clone(), "admin").await.unwrap();
    assert_eq!(store.account("m.durand").await.unwrap(), Some(wider.clone()));
    assert!(!live("s1").await, "a session opened with the old scope ends");

    store.add_session("s2", session("2")).await.unwrap();
    store.update_account(wider.clone(), "admin").await.unwrap();
    assert!(live("s2").await, "saving the same account again ends nothing");

    let new_password =
        certif_store::accounts::Account { password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2Fsdg$bm91dmVhdQ".into(), ..wider };
    store.update_account(new_password.clone(), "admin").await.unwrap();
    assert!(!live("s2").await, "a new password ends the sessions");

    store.add_session("s3", session("3")).await.unwrap();
    let disabled = certif_store::accounts::Account { disabled: true, ..new_password };
    store.update_account(disabled.clone(), "admin").await.unwrap();
    assert_eq!(store.account("m.durand").await.unwrap().map(|a| a.disabled), Some(true));
    assert!(!live("s3").await, "disabling ends the sessions");
    assert!(store.accounts().await.unwrap().iter().any(|a| a.username == "m.durand" && a.disabled), "a disabled account is still listed");

    let before = store.audit_head().await.unwrap();
    let ghost = certif_store::accounts::Account { role: Role::Admin, ..account("nobody") };
    assert!(matches!(store.update_account(ghost, "admin").await, Err(StoreError::NotFound(_))));
    assert_eq!(store.audit_head().await.unwrap(), before, "an unknown account writes nothing");

    let log = store.audit_log(None).await.unwrap();
    let afters: Vec<&str> = log.iter().filter_map(|e| e.after.as_deref()).collect();
    assert_eq!(afters.len(), 5, "created, widened, saved again, new password, disabled: {afters:?}");
    assert!(afters.iter().all(|a| !a.contains("argon2")), "the audit log never holds a password hash");
    assert!(afters[3].contains("\"password_changed\":true") && !afters[2].contains("password_changed"), "{afters:?}");
    assert!(afters[4].contains("\"disabled\":true"), "{}", afters[4]);
    assert_eq!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { rows: 5 });
}

/// 40 failures at once for one (username, source): every one is counted (the answers are 1 to
/// 40, each once), the fifth locks the pair until the given time, other sources and the
/// account-wide count are separate, and once the lock has ended the count starts again.
pub async fn concurrent_sign_in_failures_are_all_counted_and_lock_the_pair<S: certif_store::accounts::AccountStore + Clone + 'static>(
    store: &S,
) {
    use certif_store::accounts::ANY_SOURCE;
    let (now, lock) = ("2026-11-24T10:00:00Z", "2026-11-24T10:01:00Z");
    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.count_failure("m.durand", "192.0.2.7", now, 5, lock).await.unwrap() })
        })
        .collect();
    let mut counts = Vec::new();
    for task in tasks {
        counts.push(task.await.unwrap().failures);
    }
    counts.sort_unstable();
    assert_eq!(counts, (1..=40).collect::<Vec<i64>>(), "no failure lost, none counted twice");
    let pair = store.failures("m.durand", "192.0.2.7").await.unwrap().unwrap();
    assert_eq!((pair.failures, pair.locked_until.as_deref()), (40, Some(lock)));
    assert_eq!(store.failures("m.durand", "198.51.100.1").await.unwrap(), None, "another source is not locked");
    assert_eq!(store.failures("m.durand", ANY_SOURCE).await.unwrap(), None);

    let still = store.count_failure("m.durand", "192.0.2.7", "2026-11-24T10:00:59Z", 5, "2026-11-24T10:01:59Z").await.unwrap();
    assert_eq!((still.failures, still.locked_until.as_deref()), (41, Some(lock)), "a lock is not extended by refused tries");
    let after = store.count_failure("m.durand", "192.0.2.7", "2026-11-24T10:01:00Z", 5, "2026-11-24T10:02:00Z").await.unwrap();
    assert_eq!((after.failures, after.locked_until), (1, None), "once the lock ended, the count starts again");

    for _ in 0..3 {
        store.count_failure("m.durand", ANY_SOURCE, now, i64::MAX, lock).await.unwrap();
    }
    assert_eq!(store.failures("m.durand", ANY_SOURCE).await.unwrap().unwrap().failures, 3);
    store.clear_failures("m.durand", &["192.0.2.7", ANY_SOURCE]).await.unwrap();
    assert_eq!(store.failures("m.durand", "192.0.2.7").await.unwrap(), None);
    assert_eq!(store.failures("m.durand", ANY_SOURCE).await.unwrap(), None);
}

pub async fn expired_sessions_and_old_failures_are_purged<S: certif_store::accounts::AccountStore>(store: &S) {
    use certif_store::accounts::{Account, Role, Session};
    let jury = Account {
        username: "jury".into(),
        role: Role::Jury,
        learner: None,
        modules: vec![],
        apprentices: vec![],
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        disabled: false,
    };
    store.add_account(jury, "admin").await.unwrap();
    let session = |expires_at: &str| Session { username: "jury".into(), csrf: "c".into(), expires_at: expires_at.into() };
    store.add_session("old", session("2026-11-24T09:00:00Z")).await.unwrap();
    store.add_session("live", session("2026-11-24T22:00:00Z")).await.unwrap();
    store.count_failure("jury", "192.0.2.1", "2026-11-23T08:00:00Z", 5, "2026-11-23T08:01:00Z").await.unwrap();
    store.count_failure("jury", "192.0.2.2", "2026-11-24T09:59:00Z", 5, "2026-11-24T10:00:00Z").await.unwrap();
    let gone = store.purge("2026-11-24T10:00:00Z", "2026-11-23T10:00:00Z").await.unwrap();
    assert_eq!(gone, 2, "the expired session and the day-old failure");
    assert_eq!(store.session("live", "2026-11-24T10:00:00Z").await.unwrap().map(|s| s.expires_at), Some("2026-11-24T22:00:00Z".into()));
    assert!(store.failures("jury", "192.0.2.1").await.unwrap().is_none());
    assert!(store.failures("jury", "192.0.2.2").await.unwrap().is_some());
}

pub(crate) fn account(username: &str) -> certif_store::accounts::Account {
    certif_store::accounts::Account {
        username: username.into(),
        role: certif_store::accounts::Role::Teacher,
        learner: None,
        modules: vec!["M1.1.1".into()],
        apprentices: vec![],
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        disabled: false,
    }
}

/// A setting is read back, replaced, listed by key, and each change is in the audit log, which
/// the check holds against the stored values.
pub async fn settings_are_kept_replaced_and_audited<S: Store + certif_store::config::ConfigStore>(store: &S) {
    assert_eq!(store.config("cdc.emitter_id_client").await.unwrap(), None);
    store.set_config("cdc.emitter_id_client", "AB123CDE", "registrar").await.unwrap();
    store.set_config("cdc.certifier_id_client", "E564ACB0", "registrar").await.unwrap();
    store.set_config("cdc.emitter_id_client", "ZZ999", "admin").await.unwrap();
    assert_eq!(store.config("cdc.emitter_id_client").await.unwrap().as_deref(), Some("ZZ999"));
    let all = store.configs().await.unwrap();
    assert_eq!(all, [("cdc.certifier_id_client".to_string(), "E564ACB0".to_string()), ("cdc.emitter_id_client".into(), "ZZ999".into())]);
    let log = store.audit_log(None).await.unwrap();
    let settings: Vec<(&str, Option<&str>, Option<&str>, &str)> = log
        .iter()
        .filter(|e| e.entity == "config")
        .map(|e| (e.entity_key.as_str(), e.before.as_deref(), e.after.as_deref(), e.actor.as_str()))
        .collect();
    assert_eq!(
        settings,
        [
            ("cdc.emitter_id_client", None, Some("\"AB123CDE\""), "registrar"),
            ("cdc.certifier_id_client", None, Some("\"E564ACB0\""), "registrar"),
            ("cdc.emitter_id_client", Some("\"AB123CDE\""), Some("\"ZZ999\""), "admin"),
        ]
    );
    assert_eq!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { rows: log.len() });
}
