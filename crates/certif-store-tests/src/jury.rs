//! Jury sessions (spec/jury.md): the life cycle, a closed session's immutability, holders,
//! appeals and concurrent changes, on any backend.

use super::*;

use certif_core::jury::{CastingVote, JuryPoints, Member, Outcome, Votes};
use certif_store::jury::{Deliberation, Held, Holder, JuryChange, JuryKind, JurySession, JuryStatus, JuryStore};

pub(crate) fn jury_session(id: &str) -> JurySession {
    JurySession {
        id: id.into(),
        certification: "RNCP39668".into(),
        kind: JuryKind::Title,
        date: date("2026-09-18"),
        name: format!("Jury {id}"),
        place: Some("ENSMA, Futuroscope".into()),
    }
}

pub(crate) fn member(name: &str, role: &str) -> Member {
    Member { name: name.into(), role: role.into(), representing: None, present: true, account: None }
}

/// A proposal as the store sees it: an opaque JSON document.
pub(crate) fn proposal(learner: &str, title: &str) -> String {
    format!(r#"{{"learner":"{learner}","title":{{"status":"{title}"}}}}"#)
}

pub(crate) fn deliberation(outcome: Outcome, in_favour: u32, against: u32) -> Deliberation {
    let casting_vote = (in_favour == against).then_some(CastingVote::For);
    Deliberation { outcome, votes: Votes { in_favour, against, abstain: 0, casting_vote }, justification: None }
}

fn blocks(codes: &[&str]) -> Vec<String> {
    codes.iter().map(|c| c.to_string()).collect()
}

fn defer(acquired: &[&str]) -> Outcome {
    Outcome::Defer { expected: "rattrapage du module M5.2".into(), by: date("2027-01-15"), blocks: blocks(acquired) }
}

pub(crate) async fn change<S: JuryStore>(store: &S, id: &str, change: JuryChange) {
    store.change_jury_session(id, change, "registrar").await.unwrap_or_else(|e| panic!("{id}: {e}"));
}

/// A session with members and `outcomes` (learner, outcome) decided, opened and closed; the
/// learners are created.
pub(crate) async fn a_closed_jury_session<S: Store + JuryStore>(store: &S, id: &str, outcomes: &[(&str, Outcome)]) {
    let learners: Vec<String> = outcomes.iter().map(|(l, _)| l.to_string()).collect();
    store.apply(learners.iter().map(|l| learner(l)).collect(), "registrar", false).await.unwrap();
    store.create_jury_session(jury_session(id), "registrar").await.unwrap();
    for m in [member("Anne Directrice", "president"), member("Bruno Études", "member"), member("Chloé Alternance", "member")] {
        change(store, id, JuryChange::AddMember(m)).await;
    }
    change(store, id, JuryChange::AddCandidates(learners.clone())).await;
    let proposals = learners.iter().map(|l| (l.clone(), proposal(l, "awarded"))).collect();
    change(store, id, JuryChange::Open { proposals }).await;
    for (learner, outcome) in outcomes {
        let deliberation = deliberation(outcome.clone(), 3, 0);
        change(store, id, JuryChange::Deliberate { learner: learner.to_string(), deliberation, proposal: proposal(learner, "awarded") })
            .await;
    }
    change(store, id, JuryChange::Close { minutes: format!(r#"{{"session":"{id}"}}"#) }).await;
}

pub(crate) async fn publish<S: JuryStore>(store: &S, id: &str) {
    change(store, id, JuryChange::Publish { on: date("2026-09-25") }).await;
}

/// draft → open → closed → published, with every kind of write: each is audited with its
/// actor, a second deliberation replaces the first (both in the log), the signature binds the
/// minutes' SHA-256, and the audit log still verifies.
pub async fn a_jury_session_goes_from_draft_to_published<S: Store + JuryStore>(store: &S) {
    let ids = ["A-0001", "A-0002", "A-0003"];
    store.apply(ids.iter().map(|id| learner(id)).collect(), "registrar", false).await.unwrap();
    let id = "J-2026-09";
    store.create_jury_session(jury_session(id), "registrar").await.unwrap();
    assert!(matches!(store.create_jury_session(jury_session(id), "registrar").await, Err(StoreError::Invalid(_))), "an id is unique");
    let president = Member { representing: Some("Directeur de l'école".into()), ..member("Anne Directrice", "president") };
    let absent = Member { present: false, ..member("Élise CFA", "cfa_director") };
    for m in [president.clone(), member("Bruno Études", "director_of_studies"), absent.clone(), member("Temp", "teacher")] {
        change(store, id, JuryChange::AddMember(m)).await;
    }
    change(store, id, JuryChange::RemoveMember { name: "Temp".into() }).await;
    change(store, id, JuryChange::AddCandidates(ids.iter().map(|s| s.to_string()).collect())).await;
    change(store, id, JuryChange::AddCandidates(vec!["A-0001".into()])).await; // already there: nothing to do

    // Too early: points and deliberations wait for the opening.
    let points = JuryPoints { module: "M1.1.1".into(), points: "0.50".parse().unwrap(), justification: "assiduité".into() };
    let early = store.change_jury_session(id, JuryChange::SetPoints { learner: "A-0001".into(), points: points.clone() }, "jury").await;
    assert!(matches!(early, Err(StoreError::Invalid(_))), "{early:?}");
    let refused =
        store.change_jury_session(id, JuryChange::Open { proposals: vec![("A-0001".into(), proposal("A-0001", "awarded"))] }, "r");
    assert!(matches!(refused.await, Err(StoreError::Invalid(ref m)) if m.contains("A-0002")), "every candidate needs a proposal");

    let proposals = ids.iter().map(|l| (l.to_string(), proposal(l, "awarded"))).collect();
    change(store, id, JuryChange::Open { proposals }).await;
    change(store, id, JuryChange::SetPoints { learner: "A-0001".into(), points: points.clone() }).await;
    let raised = JuryPoints { points: "1.25".parse().unwrap(), ..points.clone() };
    change(store, id, JuryChange::SetPoints { learner: "A-0001".into(), points: raised.clone() }).await;
    let on_m2 = JuryPoints { module: "M1.1.2".into(), ..points.clone() };
    change(store, id, JuryChange::SetPoints { learner: "A-0002".into(), points: on_m2.clone() }).await;
    change(store, id, JuryChange::RemovePoints { learner: "A-0002".into(), module: "M1.1.2".into() }).await;

    let refuse = Deliberation { justification: Some("fraude constatée".into()), ..deliberation(Outcome::Refuse, 5, 1) };
    let first = JuryChange::Deliberate { learner: "A-0001".into(), deliberation: refuse.clone(), proposal: proposal("A-0001", "awarded") };
    change(store, id, first).await;
    let undecided = store.change_jury_session(id, JuryChange::Close { minutes: "{}".into() }, "president").await;
    assert!(matches!(undecided, Err(StoreError::Refused { code: "JURY_CANDIDATE_UNDECIDED", ref message }) if message.contains("A-0002")));
    let award = deliberation(Outcome::Award, 4, 4);
    let adopted_on = proposal("A-0001", "awarded-with-points");
    change(store, id, JuryChange::Deliberate { learner: "A-0001".into(), deliberation: award.clone(), proposal: adopted_on.clone() }).await;
    let validate = deliberation(Outcome::ValidateBlocks { blocks: blocks(&["RNCP39668BC01"]) }, 6, 0);
    change(
        store,
        id,
        JuryChange::Deliberate { learner: "A-0002".into(), deliberation: validate.clone(), proposal: proposal("A-0002", "x") },
    )
    .await;
    let deferred = deliberation(defer(&[]), 6, 0);
    change(
        store,
        id,
        JuryChange::Deliberate { learner: "A-0003".into(), deliberation: deferred.clone(), proposal: proposal("A-0003", "x") },
    )
    .await;

    let minutes = r#"{"session":"J-2026-09","candidates":3}"#;
    store.change_jury_session(id, JuryChange::Close { minutes: minutes.into() }, "president").await.unwrap();
    let closed = store.jury_session(id).await.unwrap().unwrap();
    assert_eq!(closed.status, JuryStatus::Closed);
    let fixed = closed.minutes.clone().unwrap();
    assert_eq!(fixed.json, minutes);
    assert!(fixed.sha256.len() == 64 && fixed.sha256.bytes().all(|b| b.is_ascii_hexdigit()), "{}", fixed.sha256);
    let wrong = JuryChange::Sign { name: "Anne Directrice".into(), at: "2026-09-18T17:00:00Z".into(), sha256: "0".repeat(64) };
    assert!(matches!(store.change_jury_session(id, wrong, "president").await, Err(StoreError::Invalid(_))), "signing other minutes");
    let sign = JuryChange::Sign { name: "Anne Directrice".into(), at: "2026-09-18T17:00:00Z".into(), sha256: fixed.sha256.clone() };
    store.change_jury_session(id, sign, "president").await.unwrap();
    publish(store, id).await;
    let appeal =
        JuryChange::Appeal { learner: "A-0003".into(), received_on: date("2026-10-02"), note: Some("conteste l'ajournement".into()) };
    change(store, id, appeal).await;

    let stored = store.jury_session(id).await.unwrap().unwrap();
    assert_eq!(stored.session, jury_session(id));
    assert_eq!(stored.status, JuryStatus::Published);
    assert_eq!(stored.published_on, Some(date("2026-09-25")));
    assert!(stored.opened_at.is_some() && stored.closed_at.is_some());
    assert_eq!(stored.minutes, Some(fixed.clone()));
    let signature = stored.signature.clone().unwrap();
    assert_eq!((signature.name.as_str(), signature.signed_at.as_str()), ("Anne Directrice", "2026-09-18T17:00:00Z"));
    assert_eq!(signature.sha256, fixed.sha256);
    assert_eq!(stored.members, [president, member("Bruno Études", "director_of_studies"), absent], "in the order added");
    let learners: Vec<&str> = stored.candidates.iter().map(|c| c.learner.as_str()).collect();
    assert_eq!(learners, ids);
    let a1 = &stored.candidates[0];
    assert_eq!(a1.proposal.as_deref(), Some(proposal("A-0001", "awarded").as_str()), "the proposal taken at opening");
    assert_eq!(a1.points, [raised]);
    let adopted = a1.adopted.clone().unwrap();
    assert_eq!((adopted.deliberation, adopted.proposal), (award, adopted_on), "the second deliberation replaced the first");
    assert!(stored.candidates[1].points.is_empty());
    assert_eq!(stored.candidates[1].adopted.as_ref().unwrap().deliberation, validate);
    assert_eq!(stored.candidates[2].adopted.as_ref().unwrap().deliberation, deferred);
    assert_eq!(stored.appeals.len(), 1);
    assert_eq!((stored.appeals[0].learner.as_str(), stored.appeals[0].received_on), ("A-0003", date("2026-10-02")));

    let summary = store.jury_sessions().await.unwrap();
    assert_eq!(summary.len(), 1);
    assert_eq!((summary[0].status, summary[0].candidates, summary[0].decided), (JuryStatus::Published, 3, 3));

    let log = store.audit_log(None).await.unwrap();
    let jury: Vec<(&str, &str)> =
        log.iter().filter(|e| e.entity.starts_with("jury_")).map(|e| (e.entity.as_str(), e.entity_key.as_str())).collect();
    let count = |entity: &str| jury.iter().filter(|(e, _)| *e == entity).count();
    // Created, opened, closed, signed, published; 4 added and 1 removed; 3 added, 3 opened, 4
    // deliberations; 2 points set on A-0001 and one set and removed on A-0002; 1 appeal.
    assert_eq!(
        [count("jury_session"), count("jury_member"), count("jury_candidate"), count("jury_points"), count("jury_appeal")],
        [5, 5, 10, 4, 1]
    );
    let a1_decisions: Vec<_> = log.iter().filter(|e| e.entity == "jury_candidate" && e.entity_key == "J-2026-09/A-0001").collect();
    let (refused, awarded) = (&a1_decisions[a1_decisions.len() - 2], &a1_decisions[a1_decisions.len() - 1]);
    assert!(refused.after.as_deref().unwrap().contains(r#""outcome":"refuse""#), "{:?}", refused.after);
    assert!(awarded.before.as_deref().unwrap().contains(r#""outcome":"refuse""#), "the replaced decision stays in the log");
    assert!(awarded.after.as_deref().unwrap().contains(r#""outcome":"award""#));
    assert_eq!(awarded.learner_id.as_deref(), Some("A-0001"));
    let signed = log.iter().filter(|e| e.entity == "jury_session").nth(3).unwrap();
    assert_eq!(signed.actor, "president");
    assert!(signed.after.as_deref().unwrap().contains(&fixed.sha256), "the signature's SHA-256 is in the audit log");
    assert!(store.audit_log(Some("A-0003")).await.unwrap().iter().any(|e| e.entity == "jury_appeal"));
    assert!(matches!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { .. }), "jury entries keep the log verifiable");
}

/// Everything stored about a session and the audit log's head and length, to show that a
/// refused write changed nothing.
async fn jury_state<S: Store + JuryStore>(store: &S, id: &str) -> (Option<certif_store::jury::StoredJurySession>, (i64, String), usize) {
    (store.jury_session(id).await.unwrap(), store.audit_head().await.unwrap(), store.audit_log(None).await.unwrap().len())
}

/// Once closed, a session refuses every write but signing and publishing (`JURY_SESSION_CLOSED`),
/// and a refused write changes nothing, audit log included; once published, only an appeal and
/// the signature (once) are taken.
pub async fn every_write_to_a_closed_session_is_refused_and_changes_nothing<S: Store + JuryStore>(store: &S) {
    let id = "J-CLOSED";
    a_closed_jury_session(store, id, &[("A-0001", Outcome::Award), ("A-0002", Outcome::Refuse)]).await;
    store.apply(vec![learner("A-0009")], "registrar", false).await.unwrap();
    let points = JuryPoints { module: "M1.1.1".into(), points: "1".parse().unwrap(), justification: "assiduité".into() };
    let forbidden = || {
        vec![
            JuryChange::AddMember(member("Zoé Nouvelle", "member")),
            JuryChange::RemoveMember { name: "Bruno Études".into() },
            JuryChange::AddCandidates(vec!["A-0009".into()]),
            JuryChange::RemoveCandidate { learner: "A-0002".into() },
            JuryChange::ReferToAppeal { learner: "A-0002".into(), appealed: "J-OTHER".into() },
            JuryChange::Open { proposals: vec![] },
            JuryChange::SetPoints { learner: "A-0001".into(), points: points.clone() },
            JuryChange::RemovePoints { learner: "A-0001".into(), module: "M1.1.1".into() },
            JuryChange::Deliberate {
                learner: "A-0002".into(),
                deliberation: deliberation(Outcome::Award, 3, 0),
                proposal: proposal("A-0002", "awarded"),
            },
            JuryChange::Close { minutes: "{}".into() },
        ]
    };
    let refused = |result: Result<(), StoreError>, what: &str| match result {
        Err(StoreError::Refused { code: "JURY_SESSION_CLOSED", .. }) => {}
        other => panic!("{what}: {other:?}"),
    };
    let before = jury_state(store, id).await;
    for write in forbidden() {
        let what = format!("{write:?}");
        refused(store.change_jury_session(id, write, "registrar").await, &what);
        assert_eq!(jury_state(store, id).await, before, "{what} changed something");
    }
    let appeal = || JuryChange::Appeal { learner: "A-0002".into(), received_on: date("2026-10-01"), note: None };
    refused(store.change_jury_session(id, appeal(), "registrar").await, "an appeal before publication");
    assert_eq!(jury_state(store, id).await, before);

    publish(store, id).await;
    let sha256 = store.jury_session(id).await.unwrap().unwrap().minutes.unwrap().sha256;
    let sign = || JuryChange::Sign { name: "Anne Directrice".into(), at: "2026-09-26T09:00:00Z".into(), sha256: sha256.clone() };
    change(store, id, sign()).await;
    change(store, id, appeal()).await;
    let published = jury_state(store, id).await;
    let mut again = forbidden();
    again.extend([JuryChange::Publish { on: date("2026-09-30") }, sign()]);
    for write in again {
        let what = format!("{write:?}");
        refused(store.change_jury_session(id, write, "registrar").await, &what);
        assert_eq!(jury_state(store, id).await, published, "{what} changed something");
    }
    assert!(matches!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { .. }));
}

/// A name sits once on a session, whatever its case or spaces (`JURY_MEMBER_TWICE`), and the
/// refusal writes nothing; the same person may sit on another session.
pub async fn a_member_name_sits_once_per_session<S: Store + JuryStore>(store: &S) {
    for id in ["J-1", "J-2"] {
        store.create_jury_session(jury_session(id), "registrar").await.unwrap();
        change(store, id, JuryChange::AddMember(member("Anne Directrice", "president"))).await;
    }
    let before = jury_state(store, "J-1").await;
    let twice = store.change_jury_session("J-1", JuryChange::AddMember(member(" anne directrice ", "teacher")), "registrar").await;
    assert!(matches!(twice, Err(StoreError::Refused { code: "JURY_MEMBER_TWICE", .. })), "{twice:?}");
    assert_eq!(jury_state(store, "J-1").await, before);
    let unknown = store.change_jury_session("J-1", JuryChange::RemoveMember { name: "Nobody".into() }, "registrar").await;
    assert!(matches!(unknown, Err(StoreError::NotFound(_))), "{unknown:?}");
    let ghost = store.change_jury_session("J-404", JuryChange::RemoveMember { name: "Nobody".into() }, "registrar").await;
    assert!(matches!(ghost, Err(StoreError::NotFound(_))), "{ghost:?}");
    assert_eq!(jury_state(store, "J-1").await, before);
}

/// Holders are exactly the published awards and acquired blocks: not a refusal, not a deferral
/// without blocks, not a decision of a session closed but not yet published.
pub async fn holders_are_the_published_awards_and_acquired_blocks<S: Store + JuryStore>(store: &S) {
    a_closed_jury_session(
        store,
        "J-PUB",
        &[
            ("A-0001", Outcome::Award),
            ("A-0002", Outcome::ValidateBlocks { blocks: blocks(&["RNCP39668BC02", "RNCP39668BC01"]) }),
            ("A-0003", defer(&[])),
            ("A-0004", defer(&["RNCP39668BC03"])),
            ("A-0005", Outcome::Refuse),
        ],
    )
    .await;
    publish(store, "J-PUB").await;
    a_closed_jury_session(store, "J-LATER", &[("A-0006", Outcome::Award)]).await;
    let holder = |learner: &str, what: Held| Holder {
        learner: learner.into(),
        certification: "RNCP39668".into(),
        what,
        session: "J-PUB".into(),
        jury_date: date("2026-09-18"),
        published_on: date("2026-09-25"),
    };
    let block = |code: &str| Held::Block(code.into());
    let expected = vec![
        holder("A-0001", Held::Title),
        holder("A-0002", block("RNCP39668BC01")),
        holder("A-0002", block("RNCP39668BC02")),
        holder("A-0004", block("RNCP39668BC03")),
    ];
    assert_eq!(store.holders().await.unwrap(), expected);
    publish(store, "J-LATER").await;
    let holders = store.holders().await.unwrap();
    assert_eq!(holders.len(), 5);
    assert_eq!((holders[4].learner.as_str(), &holders[4].what, holders[4].session.as_str()), ("A-0006", &Held::Title, "J-LATER"));
}

/// In draft a candidate is removed (audited, the removal's `after` the JSON null) and may be
/// added again; an unknown learner is refused and nothing is added.
pub async fn a_candidate_is_removed_from_a_draft_session<S: Store + JuryStore>(store: &S) {
    store.apply(vec![learner("A-0001"), learner("A-0002")], "registrar", false).await.unwrap();
    store.create_jury_session(jury_session("J"), "registrar").await.unwrap();
    change(store, "J", JuryChange::AddCandidates(vec!["A-0002".into(), "A-0001".into()])).await;
    change(store, "J", JuryChange::RemoveCandidate { learner: "A-0001".into() }).await;
    let candidates = |s: Option<certif_store::jury::StoredJurySession>| -> Vec<String> {
        s.unwrap().candidates.into_iter().map(|c| c.learner).collect()
    };
    assert_eq!(candidates(store.jury_session("J").await.unwrap()), ["A-0002"]);
    let removal = store.audit_log(Some("A-0001")).await.unwrap().into_iter().last().unwrap();
    assert_eq!(
        (removal.entity.as_str(), removal.entity_key.as_str(), removal.after.as_deref()),
        ("jury_candidate", "J/A-0001", Some("null"))
    );
    assert!(removal.before.is_some());
    let gone = store.change_jury_session("J", JuryChange::RemoveCandidate { learner: "A-0001".into() }, "registrar").await;
    assert!(matches!(gone, Err(StoreError::NotFound(_))), "{gone:?}");

    let before = jury_state(store, "J").await;
    let unknown = store.change_jury_session("J", JuryChange::AddCandidates(vec!["A-0001".into(), "GHOST".into()]), "registrar").await;
    assert!(matches!(unknown, Err(StoreError::Invalid(ref m)) if m.contains("GHOST")), "{unknown:?}");
    assert_eq!(jury_state(store, "J").await, before, "A-0001 is not added either");
    change(store, "J", JuryChange::AddCandidates(vec!["A-0001".into()])).await;
    assert_eq!(candidates(store.jury_session("J").await.unwrap()), ["A-0001", "A-0002"]);
    assert!(matches!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { .. }));
}

/// Deliberations racing the closing: each is either in before the close (and audited before
/// it) or refused with `JURY_SESSION_CLOSED` and not written; the stored outcome is the last
/// accepted one.
pub async fn deliberations_racing_the_close_are_before_it_or_refused<S: Store + JuryStore + Clone + 'static>(store: &S) {
    store.apply(vec![learner("A-0001")], "registrar", false).await.unwrap();
    let id = "J-RACE";
    store.create_jury_session(jury_session(id), "registrar").await.unwrap();
    change(store, id, JuryChange::AddCandidates(vec!["A-0001".into()])).await;
    change(store, id, JuryChange::Open { proposals: vec![("A-0001".into(), proposal("A-0001", "awarded"))] }).await;
    let vote = |n: u32| JuryChange::Deliberate {
        learner: "A-0001".into(),
        deliberation: deliberation(Outcome::Award, n + 1, 0),
        proposal: proposal("A-0001", "awarded"),
    };
    change(store, id, vote(100)).await;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..12u32 {
        let deliberating = store.clone();
        tasks.spawn(async move { (n, deliberating.change_jury_session(id, vote(n), &format!("jury-{n}")).await) });
        if n == 5 {
            let store = store.clone();
            tasks.spawn(async move { (999, store.change_jury_session(id, JuryChange::Close { minutes: "{}".into() }, "president").await) });
        }
    }
    let mut accepted = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined.unwrap() {
            (999, result) => result.unwrap(),
            (n, Ok(())) => accepted.push(n),
            (_, Err(StoreError::Refused { code: "JURY_SESSION_CLOSED", .. })) => {}
            (n, other) => panic!("deliberation {n}: {other:?}"),
        }
    }
    let log = store.audit_log(None).await.unwrap();
    let close_seq = log.iter().rev().find(|e| e.entity == "jury_session" && e.entity_key == id).unwrap().seq;
    let deliberations: Vec<_> = log.iter().filter(|e| e.entity == "jury_candidate" && e.actor.starts_with("jury-")).collect();
    assert_eq!(deliberations.len(), accepted.len(), "each accepted deliberation audited once, no refused one");
    assert!(deliberations.iter().all(|e| e.seq < close_seq), "every accepted deliberation came before the close");
    let stored = store.jury_session(id).await.unwrap().unwrap();
    assert_eq!(stored.status, JuryStatus::Closed);
    let last = deliberations.last().map_or(101, |e| e.actor.trim_start_matches("jury-").parse::<u32>().unwrap() + 1);
    assert_eq!(stored.candidates[0].adopted.as_ref().unwrap().deliberation.votes.in_favour, last);
    assert!(matches!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { .. }));
}

/// A learner who appealed is examined again in a later session, which names the appealed
/// session; the appealed decision stays as it was. Only a recorded appeal can be referred to.
pub async fn a_later_session_decides_again_on_an_appeal<S: Store + JuryStore>(store: &S) {
    a_published_jury_session(store).await;
    let appealed = store.jury_session("J-PUB").await.unwrap();
    store.create_jury_session(jury_session("J-APPEAL"), "registrar").await.unwrap();
    change(store, "J-APPEAL", JuryChange::AddCandidates(vec!["A-0001".into(), "A-0002".into()])).await;
    let before = jury_state(store, "J-APPEAL").await;
    for (learner, session) in [("A-0001", "J-PUB"), ("A-0002", "J-NONE"), ("A-0002", "J-APPEAL")] {
        let refer = JuryChange::ReferToAppeal { learner: learner.into(), appealed: session.into() };
        let refused = store.change_jury_session("J-APPEAL", refer, "registrar").await;
        assert!(matches!(refused, Err(StoreError::Invalid(_))), "{learner} on {session}: {refused:?}");
        assert_eq!(jury_state(store, "J-APPEAL").await, before);
    }
    change(store, "J-APPEAL", JuryChange::ReferToAppeal { learner: "A-0002".into(), appealed: "J-PUB".into() }).await;
    let stored = store.jury_session("J-APPEAL").await.unwrap().unwrap();
    let appeal_of: Vec<Option<&str>> = stored.candidates.iter().map(|c| c.appeal_of.as_deref()).collect();
    assert_eq!(appeal_of, [None, Some("J-PUB")]);
    assert_eq!(store.jury_session("J-PUB").await.unwrap(), appealed, "the appealed session is unchanged");
    assert!(matches!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { .. }));
}

/// A change decided on a reading of the session (the composition checked before opening) is
/// refused with `Conflict` when the session changed since, and writes nothing; on the current
/// version it goes through and answers the next one.
pub async fn a_change_decided_on_a_stale_reading_is_a_conflict<S: Store + JuryStore>(store: &S) {
    store.apply(vec![learner("A-0001")], "registrar", false).await.unwrap();
    store.create_jury_session(jury_session("J"), "registrar").await.unwrap();
    change(store, "J", JuryChange::AddMember(member("Anne Directrice", "president"))).await;
    change(store, "J", JuryChange::AddCandidates(vec!["A-0001".into()])).await;
    let read = store.jury_session("J").await.unwrap().unwrap();
    assert_eq!(read.version, 3, "created, then two changes");
    // Meanwhile, another registrar marks the president absent.
    change(store, "J", JuryChange::RemoveMember { name: "Anne Directrice".into() }).await;
    let before = jury_state(store, "J").await;
    let open = || JuryChange::Open { proposals: vec![("A-0001".into(), proposal("A-0001", "awarded"))] };
    let stale = store.change_jury_session_versioned("J", open(), Some(read.version), "registrar").await;
    assert!(matches!(stale, Err(StoreError::Conflict { current_version: 4, .. })), "{stale:?}");
    assert_eq!(jury_state(store, "J").await, before);
    let opened = store.change_jury_session_versioned("J", open(), Some(4), "registrar").await.unwrap();
    assert_eq!(opened, 5);
    assert_eq!(store.jury_session("J").await.unwrap().unwrap().version, 5);
}

/// What the jury tampering tests start from: session `J-PUB` published (A-0001 awarded, A-0002
/// refused), an appeal of A-0002's, and the audit log intact.
pub async fn a_published_jury_session<S: Store + JuryStore>(store: &S) {
    a_closed_jury_session(store, "J-PUB", &[("A-0001", Outcome::Award), ("A-0002", Outcome::Refuse)]).await;
    publish(store, "J-PUB").await;
    change(store, "J-PUB", JuryChange::Appeal { learner: "A-0002".into(), received_on: date("2026-10-01"), note: None }).await;
    assert!(matches!(verify_audit(store).await.unwrap(), AuditVerdict::Intact { .. }));
}

/// Raw SQL changing a jury row of [`a_published_jury_session`] behind the audit log's back,
/// each with the `(entity, key)` that `verify_audit` must name.
pub const JURY_TAMPERING: &[(&str, &str, &str)] = &[
    (
        "UPDATE jury_candidates SET decision = replace(decision, '\"outcome\":\"refuse\"', '\"outcome\":\"award\"') \
         WHERE learner_id = 'A-0002'",
        "jury_candidate",
        "J-PUB/A-0002",
    ),
    ("UPDATE jury_candidates SET decision = 'forged' WHERE learner_id = 'A-0001'", "jury_candidate", "J-PUB/A-0001"),
    ("UPDATE jury_sessions SET minutes = '{\"session\":\"forged\"}'", "jury_session", "J-PUB"),
    ("UPDATE jury_sessions SET published_on = '2026-09-19'", "jury_session", "J-PUB"),
    ("UPDATE jury_members SET present = 0 WHERE name = 'Bruno Études'", "jury_member", "J-PUB/Bruno Études"),
    (
        "INSERT INTO jury_points (session_id, learner_id, module, points, justification) \
         VALUES ('J-PUB', 'A-0001', 'M1.1.1', '2.00', 'ajouté après coup')",
        "jury_points",
        "J-PUB/A-0001/M1.1.1",
    ),
    ("DELETE FROM jury_appeals", "jury_appeal", "J-PUB/A-0002/2026-10-01"),
];
