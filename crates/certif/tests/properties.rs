//! Invariants the rules imply, checked on generated dossiers.

use certif::generate::{self, Profile};
use certif_core::decision::Status;
use certif_core::dossier::{DossierContext, ModuleMarks, VaeDecision, VaeOutcome};
use certif_core::mark::{Mark, MarkEntry};
use certif_core::policy::ResitPolicy;
use certif_core::{Certification, Curriculum, Dossier, Policy, evaluate};
use proptest::prelude::*;

fn demo() -> (Curriculum, Certification) {
    certif_referential::demo_curriculum()
}

fn generated(curriculum: &Curriculum, certification: &Certification, profile: usize, seed: u64) -> Dossier {
    let mut rng = fastrand::Rng::with_seed(seed);
    let value = generate::dossier(curriculum, Profile::ALL[profile % Profile::ALL.len()], "P-1", &mut rng);
    let policy = Policy::default();
    Dossier::from_json(&value.to_string(), DossierContext { certification, curriculum, policy: &policy })
        .expect("generated dossiers are valid")
}

fn entry() -> impl Strategy<Value = MarkEntry> {
    prop_oneof![
        8 => (0u16..=2000).prop_map(|h| MarkEntry::Value(Mark::from_hundredths(h).unwrap())),
        1 => Just(MarkEntry::Pending),
        1 => Just(MarkEntry::JustifiedAbsence),
        1 => Just(MarkEntry::UnjustifiedAbsence),
    ]
}

fn policy() -> impl Strategy<Value = Policy> {
    prop_oneof![Just(ResitPolicy::Best), Just(ResitPolicy::Replace)].prop_map(|resit| Policy { resit, ..Policy::default() })
}

/// A generated dossier with `changes` (module index, session 1, session 2) applied over it.
fn changed(profile: usize, seed: u64, changes: &[(usize, MarkEntry, MarkEntry)]) -> (Curriculum, Certification, Dossier) {
    let (curriculum, certification) = demo();
    let mut dossier = generated(&curriculum, &certification, profile, seed);
    for (module, session1, session2) in changes {
        let code = curriculum.modules().nth(module % curriculum.module_count()).unwrap().1.code.clone();
        dossier.marks.retain(|m| m.module != code);
        dossier.marks.push(ModuleMarks { module: code, session1: *session1, session2: *session2 });
    }
    (curriculum, certification, dossier)
}

/// The dossier with `mark` entered in `session` of `module`.
fn enter(dossier: &Dossier, module: &str, session: u8, mark: Mark) -> Dossier {
    let mut dossier = dossier.clone();
    if !dossier.marks.iter().any(|m| m.module == module) {
        dossier.marks.push(ModuleMarks { module: module.into(), session1: MarkEntry::Pending, session2: MarkEntry::Pending });
    }
    let marks = dossier.marks.iter_mut().find(|m| m.module == module).unwrap();
    *(if session == 1 { &mut marks.session1 } else { &mut marks.session2 }) = MarkEntry::Value(mark);
    dossier
}

fn ue_status(decision: &certif_core::Decision, code: &str) -> Status {
    decision.blocks.iter().flat_map(|b| &b.ues).find(|ue| ue.code == code).unwrap().status
}

fn below(mark: Mark) -> Mark {
    Mark::from_hundredths(mark.hundredths() - 1).unwrap()
}

fn changes() -> impl Strategy<Value = Vec<(usize, MarkEntry, MarkEntry)>> {
    proptest::collection::vec((0usize..43, entry(), entry()), 0..8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn raising_a_module_mark_never_unvalidates_its_ue(
        profile in 0usize..17, seed in any::<u64>(), module in 0usize..43,
        session1 in entry(), session2 in entry(), raise in 1u16..=2000, in_resit in any::<bool>(), policy in policy(),
    ) {
        let (curriculum, certification) = demo();
        let mut dossier = generated(&curriculum, &certification, profile, seed);
        let code = curriculum.modules().nth(module).unwrap().1.code.clone();
        dossier.marks.retain(|m| m.module != code);
        dossier.marks.push(certif_core::dossier::ModuleMarks { module: code.clone(), session1, session2 });
        let before = evaluate(&certification, &curriculum, &policy, &dossier);

        let marks = dossier.marks.iter_mut().find(|m| m.module == code).unwrap();
        let slot = if in_resit { &mut marks.session2 } else { &mut marks.session1 };
        if let MarkEntry::Value(mark) = *slot {
            *slot = MarkEntry::Value(Mark::from_hundredths((mark.hundredths() + raise).min(2000)).unwrap());
        } else {
            return Ok(());
        }
        let after = evaluate(&certification, &curriculum, &policy, &dossier);
        for (b, a) in before.blocks.iter().flat_map(|b| &b.ues).zip(after.blocks.iter().flat_map(|b| &b.ues)) {
            if b.status == Status::Validated {
                prop_assert_eq!(a.status, Status::Validated, "UE {} lost its validation", b.code);
            }
        }
    }

    #[test]
    fn the_order_of_the_dossiers_lists_never_changes_the_decision(profile in 0usize..17, seed in any::<u64>(), shuffle in any::<u64>()) {
        let (curriculum, certification) = demo();
        let policy = Policy::default();
        let mut dossier = generated(&curriculum, &certification, profile, seed);
        dossier.vae.push(VaeDecision { block: "RNCP39668BC02".into(), decision: VaeOutcome::Refused, date: None });
        let original = dossier.clone();
        let before = evaluate(&certification, &curriculum, &policy, &dossier);
        let mut rng = fastrand::Rng::with_seed(shuffle);
        rng.shuffle(&mut dossier.marks);
        rng.shuffle(&mut dossier.company_periods);
        rng.shuffle(&mut dossier.mobility);
        rng.shuffle(&mut dossier.english);
        rng.shuffle(&mut dossier.vae);
        rng.shuffle(&mut dossier.equivalences);
        rng.shuffle(&mut dossier.accommodations);
        let mut after = evaluate(&certification, &curriculum, &policy, &dossier);
        // `what_it_takes` names a stay by its place in the list: the same stay, wherever it went.
        if let Some(mobility) = &mut after.what_it_takes.conditions.mobility {
            for stay in &mut mobility.stays {
                stay.index = original.mobility.iter().position(|s| *s == dossier.mobility[stay.index]).unwrap();
            }
            mobility.stays.sort_by_key(|s| s.index);
        }
        prop_assert_eq!(after, before);
    }

    #[test]
    fn a_validated_vae_decision_always_validates_its_block(profile in 0usize..17, seed in any::<u64>(), block in 0usize..7) {
        let (curriculum, certification) = demo();
        let policy = Policy::default();
        let mut dossier = generated(&curriculum, &certification, profile, seed);
        let code = certification.blocks[block].code.clone();
        dossier.vae.push(VaeDecision { block: code.clone(), decision: VaeOutcome::Validated, date: None });
        let decision = evaluate(&certification, &curriculum, &policy, &dossier);
        let outcome = decision.blocks.iter().find(|b| b.code == code).unwrap();
        prop_assert_eq!(outcome.status, Status::Validated);
        prop_assert_eq!(outcome.via, certif_core::decision::Via::Vae);
    }

    #[test]
    fn decimal_results_never_depend_on_the_order_of_the_modules(profile in 0usize..17, seed in any::<u64>(), shuffle in any::<u64>()) {
        let (curriculum, certification) = demo();
        let policy = Policy::default();
        let dossier = generated(&curriculum, &certification, profile, seed);
        let mut rng = fastrand::Rng::with_seed(shuffle);
        let mut ues = curriculum.ues.clone();
        for ue in &mut ues {
            rng.shuffle(&mut ue.modules);
        }
        let reordered = Curriculum::new(curriculum.id.clone(), curriculum.certification.clone(), curriculum.title.clone(), curriculum.valid_from, ues);
        let a = evaluate(&certification, &curriculum, &policy, &dossier);
        let b = evaluate(&certification, &reordered, &policy, &dossier);
        for (x, y) in a.blocks.iter().flat_map(|b| &b.ues).zip(b.blocks.iter().flat_map(|b| &b.ues)) {
            prop_assert_eq!(x.average, y.average, "UE {}", x.code);
            prop_assert_eq!(x.status, y.status);
        }
        prop_assert_eq!(a.title, b.title);
        prop_assert_eq!(a.ects_earned, b.ects_earned);
    }

    #[test]
    fn an_exported_dossier_reads_back_identically(profile in 0usize..17, seed in any::<u64>()) {
        let (curriculum, certification) = demo();
        let policy = Policy::default();
        let dossier = generated(&curriculum, &certification, profile, seed);
        let again = Dossier::from_json(&dossier.to_json(), DossierContext { certification: &certification, curriculum: &curriculum, policy: &policy }).unwrap();
        prop_assert_eq!(again, dossier);
    }

    #[test]
    fn the_bulk_path_writes_the_same_bytes_as_serde_json(profile in 0usize..17, seed in any::<u64>(), policy in policy()) {
        let (curriculum, certification) = demo();
        let dossier = generated(&curriculum, &certification, profile, seed);
        let decision = evaluate(&certification, &curriculum, &policy, &dossier);
        prop_assert_eq!(decision.to_json_line(), serde_json::to_string(&decision).unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn giving_a_module_its_alone_mark_validates_the_ue_and_a_hundredth_less_does_not(
        profile in 0usize..17, seed in any::<u64>(), changes in changes(), policy in policy(),
    ) {
        let (curriculum, certification, dossier) = changed(profile, seed, &changes);
        let decision = evaluate(&certification, &curriculum, &policy, &dossier);
        for ue in &decision.what_it_takes.ues {
            prop_assert_eq!(ue.alone.len(), ue.changeable.len());
            for alone in &ue.alone {
                let Some(least) = alone.least_mark else { continue };
                let with = evaluate(&certification, &curriculum, &policy, &enter(&dossier, alone.module.as_str(), alone.session, least));
                prop_assert_eq!(ue_status(&with, &ue.code), Status::Validated, "{} {} at {}", ue.code, alone.module, least);
                if least.hundredths() > 0 {
                    let less = evaluate(&certification, &curriculum, &policy, &enter(&dossier, alone.module.as_str(), alone.session, below(least)));
                    prop_assert_ne!(ue_status(&less, &ue.code), Status::Validated, "{} {} at {} − 0.01", ue.code, alone.module, least);
                }
            }
        }
    }

    #[test]
    fn giving_every_changeable_module_the_together_mark_validates_the_ue_and_a_hundredth_less_does_not(
        profile in 0usize..17, seed in any::<u64>(), changes in changes(), policy in policy(),
    ) {
        let (curriculum, certification, dossier) = changed(profile, seed, &changes);
        let decision = evaluate(&certification, &curriculum, &policy, &dossier);
        for ue in &decision.what_it_takes.ues {
            let Some(together) = ue.together else { continue };
            let everyone = |mark: Mark| ue.alone.iter().fold(dossier.clone(), |d, alone| enter(&d, alone.module.as_str(), alone.session, mark));
            let with = evaluate(&certification, &curriculum, &policy, &everyone(together));
            prop_assert_eq!(ue_status(&with, &ue.code), Status::Validated, "{} at {}", ue.code, together);
            if together.hundredths() > 0 {
                let less = evaluate(&certification, &curriculum, &policy, &everyone(below(together)));
                prop_assert_ne!(ue_status(&less, &ue.code), Status::Validated, "{} at {} − 0.01", ue.code, together);
            }
        }
    }

    /// Spec §7: empty for an awarded title. The public vector `enrolled-after-expiry` shows that
    /// access and registration, which no mark or evidence can change, add nothing to it.
    #[test]
    fn what_it_takes_is_empty_exactly_when_the_title_is_awarded(
        profile in 0usize..17, seed in any::<u64>(), changes in changes(), policy in policy(),
    ) {
        use certif_core::decision::{ConditionStatus, TitleStatus};
        let (curriculum, certification, dossier) = changed(profile, seed, &changes);
        let decision = evaluate(&certification, &curriculum, &policy, &dossier);
        if decision.title.status == TitleStatus::Awarded {
            prop_assert!(decision.what_it_takes.is_empty(), "{:?}", decision.what_it_takes);
        }
        let changeable_conditions = [&decision.conditions.company_periods, &decision.conditions.mobility, &decision.conditions.english];
        let awarded_but_for_access_and_registration = decision.blocks.iter().all(|b| b.status == Status::Validated)
            && changeable_conditions.iter().all(|c| matches!(c.status, ConditionStatus::Met | ConditionStatus::NotRequired));
        prop_assert_eq!(decision.what_it_takes.is_empty(), awarded_but_for_access_and_registration, "{:?}", decision.title);
    }
}

#[test]
fn every_generated_profile_takes_its_decision_path() {
    use certif_core::decision::TitleStatus;
    let (curriculum, certification) = demo();
    let policy = Policy::default();
    for (n, profile) in Profile::ALL.iter().enumerate() {
        let dossier = generated(&curriculum, &certification, n, 7);
        let decision = evaluate(&certification, &curriculum, &policy, &dossier);
        let expected = match profile {
            Profile::Awarded | Profile::ResitCapped | Profile::EnglishAdaptation | Profile::VaeComplete | Profile::Equivalence => {
                TitleStatus::Awarded
            }
            Profile::InProgress | Profile::VaePartial | Profile::MobilityMissing => TitleStatus::Incomplete,
            _ => TitleStatus::NotAwarded,
        };
        assert_eq!(decision.title.status, expected, "{profile:?}: {:?}", decision.title.reasons);
    }
}
