//! Invariants the rules imply, checked on generated dossiers.

use certif::generate::{self, Profile};
use certif_core::decision::Status;
use certif_core::dossier::{DossierContext, VaeDecision, VaeOutcome};
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
        let before = evaluate(&certification, &curriculum, &policy, &dossier);
        let mut rng = fastrand::Rng::with_seed(shuffle);
        rng.shuffle(&mut dossier.marks);
        rng.shuffle(&mut dossier.company_periods);
        rng.shuffle(&mut dossier.mobility);
        rng.shuffle(&mut dossier.english);
        rng.shuffle(&mut dossier.vae);
        rng.shuffle(&mut dossier.equivalences);
        rng.shuffle(&mut dossier.accommodations);
        prop_assert_eq!(evaluate(&certification, &curriculum, &policy, &dossier), before);
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
