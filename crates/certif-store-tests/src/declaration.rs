//! The national declaration's life cycle: exported in a flow, answered by the CDC, exported
//! again after a rejection under the same idTechnique; every change audited, a refused answer
//! writing nothing.

use super::*;
use crate::jury::{a_closed_jury_session, change, deliberation, proposal, publish};
use certif_core::jury::Outcome;
use certif_store::declaration::{Answer, DeclarationState, DeclarationStore, DeclaredAward};
use certif_store::jury::{Holder, JuryChange, JuryStore};

fn award(id: &str, learner: &str) -> DeclaredAward {
    DeclaredAward { id_technique: id.into(), certification: "RNCP39668".into(), session: "J-PUB".into(), learner: learner.into() }
}

async fn states<S: DeclarationStore>(store: &S) -> Vec<(String, DeclarationState, String, Option<String>)> {
    store.declarations().await.unwrap().into_iter().map(|d| (d.award.id_technique, d.state, d.flow, d.message)).collect()
}

pub async fn a_declaration_goes_from_exported_to_answered_and_again<S: Store + DeclarationStore>(store: &S) {
    store.apply(vec![learner("A-0001"), learner("A-0002")], "registrar", false).await.unwrap();
    assert!(store.declarations().await.unwrap().is_empty(), "nothing declared yet");
    let exported =
        store.record_export("F1", "2026-12-03T10:00:00+01:00", vec![award("id-1", "A-0001"), award("id-2", "A-0002")], "registrar");
    assert_eq!(exported.await.unwrap(), 2);
    let twice = store.record_export("F0", "2026-12-03T10:00:00+01:00", vec![award("id-3", "A-0001"), award("id-3", "A-0001")], "registrar");
    assert!(matches!(twice.await, Err(StoreError::Invalid(_))));

    // An answer naming an award not in the flow refuses the whole call.
    let before = states(store).await;
    let answers = vec![("id-1".to_string(), Answer::Accepted), ("id-9".to_string(), Answer::Rejected("?".into()))];
    let refused = store.record_answers("F1", "2026-12-20T09:00:00Z", answers, "registrar").await;
    assert!(matches!(refused, Err(StoreError::Refused { code: "DECLARATION_NOT_IN_FLOW", .. })), "{refused:?}");
    assert_eq!(states(store).await, before);
    let in_other_flow = store.record_answers("F2", "2026-12-20T09:00:00Z", vec![("id-1".into(), Answer::Accepted)], "registrar").await;
    assert!(matches!(in_other_flow, Err(StoreError::Refused { .. })));

    let answers = vec![("id-1".to_string(), Answer::Accepted), ("id-2".to_string(), Answer::Rejected("code commune inconnu".into()))];
    store.record_answers("F1", "2026-12-20T09:00:00Z", answers, "registrar").await.unwrap();
    assert_eq!(
        states(store).await,
        [
            ("id-1".into(), DeclarationState::Accepted, "F1".into(), None),
            ("id-2".into(), DeclarationState::Rejected, "F1".into(), Some("code commune inconnu".into())),
        ]
    );
    // Corrected, exported again: the same idTechnique, a new flow, the answer forgotten.
    store.record_export("F2", "2027-01-05T10:00:00+01:00", vec![award("id-2", "A-0002")], "registrar").await.unwrap();
    let again = store.declarations().await.unwrap().into_iter().find(|d| d.award.id_technique == "id-2").unwrap();
    assert_eq!((again.state, again.flow.as_str(), again.answered_at, again.message), (DeclarationState::Exported, "F2", None, None));
    let late = store.record_answers("F1", "2027-01-06T09:00:00Z", vec![("id-2".into(), Answer::Accepted)], "registrar").await;
    assert!(matches!(late, Err(StoreError::Refused { .. })), "id-2 now belongs to F2");

    let log = store.audit_log(None).await.unwrap();
    let entries: Vec<(&str, bool)> =
        log.iter().filter(|e| e.entity == "declaration").map(|e| (e.entity_key.as_str(), e.before.is_some())).collect();
    assert_eq!(entries, [("id-1", false), ("id-2", false), ("id-1", true), ("id-2", true), ("id-2", true)]);
    assert!(log.iter().filter(|e| e.entity == "declaration").all(|e| e.actor == "registrar" && e.learner_id.is_some()));
    assert_eq!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { rows: log.len() });
}

/// A decision taken on appeal in a later published session replaces the appealed one: what
/// the earlier session awarded is no longer held (its minutes stay as they were).
pub async fn a_published_appeal_replaces_the_decision_it_was_about<S: Store + JuryStore>(store: &S) {
    a_closed_jury_session(store, "J-PUB", &[("A-0001", Outcome::Award), ("A-0002", Outcome::Refuse)]).await;
    publish(store, "J-PUB").await;
    let held = |holders: Vec<Holder>| holders.into_iter().map(|h| (h.learner, h.session)).collect::<Vec<_>>();
    assert_eq!(held(store.holders().await.unwrap()), [("A-0001".to_string(), "J-PUB".to_string())]);
    change(store, "J-PUB", JuryChange::Appeal { learner: "A-0001".into(), received_on: date("2026-10-01"), note: None }).await;
    store.create_jury_session(crate::jury::jury_session("J-APPEAL"), "registrar").await.unwrap();
    change(store, "J-APPEAL", JuryChange::AddCandidates(vec!["A-0001".into()])).await;
    change(store, "J-APPEAL", JuryChange::ReferToAppeal { learner: "A-0001".into(), appealed: "J-PUB".into() }).await;
    change(store, "J-APPEAL", JuryChange::Open { proposals: vec![("A-0001".into(), proposal("A-0001", "awarded"))] }).await;
    let deliberation = deliberation(Outcome::Refuse, 3, 0);
    let deliberate = JuryChange::Deliberate { learner: "A-0001".into(), deliberation, proposal: proposal("A-0001", "awarded") };
    change(store, "J-APPEAL", deliberate).await;
    change(store, "J-APPEAL", JuryChange::Close { minutes: r#"{"session":"J-APPEAL"}"#.into() }).await;
    assert_eq!(held(store.holders().await.unwrap()).len(), 1, "the appeal's decision is not published yet");
    let minutes = store.jury_session("J-PUB").await.unwrap().unwrap().minutes;
    publish(store, "J-APPEAL").await;
    assert!(store.holders().await.unwrap().is_empty(), "the award appealed no longer stands, the new decision refuses");
    assert_eq!(store.jury_session("J-PUB").await.unwrap().unwrap().minutes, minutes, "the appealed session is unchanged");
    assert!(matches!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { .. }));
}
