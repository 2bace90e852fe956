//! What it would take (spec/evaluation.md §7): beside the verdict, what would change it.
//!
//! Every figure is found by asking the rule functions themselves (R1/R2 for marks, R6 for
//! English scores, R5 for stays), never by a separate formula: the least mark is a binary
//! search over hundredths 0.00..20.00 of a predicate that is monotone (a higher mark never
//! lowers a final mark under either resit policy, and a higher final never unvalidates a UE).

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::Code;
use crate::codes::ReasonCode;
use crate::curriculum::{Curriculum, TeachingUnit};
use crate::decision::{BlockOutcome, ConditionOutcome, ConditionStatus, Conditions, Status, Via};
use crate::dossier::{Dossier, EnglishCertificate, EnglishScore, ModuleMarks};
use crate::engine::{certified_level, r2_teaching_unit, r6_english_target, stay_failures};
use crate::mark::{Mark, MarkEntry, TwoPlaces};
use crate::policy::{CefrLevel, EnglishScale, Policy};

/// `{"ues": [...], "conditions": {...}}`: empty for an awarded title.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhatItTakes {
    pub ues: Vec<UeNeeds>,
    pub conditions: ConditionNeeds,
}

impl WhatItTakes {
    pub fn is_empty(&self) -> bool {
        self.ues.is_empty() && self.conditions == ConditionNeeds::default()
    }
}

/// A UE not validated (in a block not validated by VAE) and the marks that would validate it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UeNeeds {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: Code,
    /// Its modules that can still receive a mark, in curriculum order.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub changeable: Vec<Code>,
    /// One entry per changeable module.
    pub alone: Vec<AloneMark>,
    /// The least single mark that, given to every changeable module in its next session,
    /// validates the UE; `None` when none can.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, required = true))]
    #[serde(serialize_with = "mark_text")]
    pub together: Option<Mark>,
}

/// The least mark one module alone would need in its next session, every other mark as it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AloneMark {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub module: Code,
    /// 1: the module has no session-1 mark yet; 2: a resit.
    pub session: u8,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, required = true))]
    #[serde(serialize_with = "mark_text")]
    pub least_mark: Option<Mark>,
}

/// What each award condition not met needs; a met or not required condition is absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConditionNeeds {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub english: Option<EnglishNeeds>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobility: Option<MobilityNeeds>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_periods: Option<PeriodNeeds>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnglishNeeds {
    /// The target of R6 (the policy's, or the adaptation that applies).
    pub level_needed: CefrLevel,
    /// Per test, the least score (or level) that certifies `level_needed`; a test that cannot
    /// certify it has no entry.
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::HashMap<String, String>))]
    #[serde(serialize_with = "ordered_map")]
    pub scores: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MobilityNeeds {
    pub days_needed: u32,
    /// The stays that fail only by their length, with the days each lacks.
    pub stays: Vec<StayShortBy>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StayShortBy {
    /// The stay's position in the dossier's `mobility` list.
    pub index: usize,
    pub days_missing: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodNeeds {
    /// Periods without an evaluation, not finished, or below the pass mark, by start date.
    pub periods: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    #[serde(serialize_with = "decimal_text")]
    pub evaluation_needed: Decimal,
}

fn mark_text<S: Serializer>(mark: &Option<Mark>, serializer: S) -> Result<S::Ok, S::Error> {
    match mark {
        Some(mark) => serializer.serialize_str(TwoPlaces(mark.value()).to_text().as_str()),
        None => serializer.serialize_none(),
    }
}

fn decimal_text<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(TwoPlaces(*value).to_text().as_str())
}

fn ordered_map<S: Serializer>(entries: &[(String, String)], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_map(entries.iter().map(|(k, v)| (k, v)))
}

/// The next session of a module that can still change (spec §7 `changeable`): 1 when it has no
/// session-1 mark (null, `ABJ`, or no entry at all), 2 when it has one (or `ABI`) and no resit.
pub fn next_session(marks: Option<&ModuleMarks>) -> Option<u8> {
    match marks {
        None => Some(1),
        Some(m) if m.session1.counted().is_none() => Some(1),
        Some(m) if m.session2.counted().is_none() => Some(2),
        Some(_) => None,
    }
}

/// The module's marks with `mark` entered in `session`, everything else as it is.
fn with_mark(code: &Code, marks: Option<&ModuleMarks>, session: u8, mark: Mark) -> ModuleMarks {
    let mut changed =
        marks.cloned().unwrap_or(ModuleMarks { module: code.clone(), session1: MarkEntry::Pending, session2: MarkEntry::Pending });
    if session == 1 {
        changed.session1 = MarkEntry::Value(mark);
    } else {
        changed.session2 = MarkEntry::Value(mark);
    }
    changed
}

/// The least mark in 0.00..20.00 for which `validates` holds, if any; `validates` is monotone.
fn least_mark(validates: impl Fn(Mark) -> bool) -> Option<Mark> {
    let at = |hundredths: u16| Mark::from_hundredths(hundredths).unwrap_or_else(|_| Mark::zero());
    let (mut low, mut high) = (0u16, 2000u16);
    if !validates(at(high)) {
        return None;
    }
    while low < high {
        let middle = low + (high - low) / 2;
        if validates(at(middle)) {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    Some(at(low))
}

/// What a UE needs: its changeable modules, the least mark each alone needs, and the least
/// single mark for all of them together — each found by R2 on the changed marks.
pub fn ue_needs(ue: &TeachingUnit, marks: &[Option<&ModuleMarks>], policy: &Policy) -> UeNeeds {
    let sessions: Vec<Option<u8>> = marks.iter().map(|m| next_session(*m)).collect();
    let validates_with = |changes: &[(usize, Mark)]| {
        let changed: Vec<(usize, ModuleMarks)> =
            changes.iter().filter_map(|&(i, mark)| Some((i, with_mark(&ue.modules[i].code, marks[i], sessions[i]?, mark)))).collect();
        let hypothetical: Vec<Option<&ModuleMarks>> =
            marks.iter().enumerate().map(|(i, m)| changed.iter().find(|(c, _)| *c == i).map_or(*m, |(_, marks)| Some(marks))).collect();
        r2_teaching_unit(ue, &hypothetical, policy).status == Status::Validated
    };
    let changeable: Vec<usize> = (0..ue.modules.len()).filter(|&i| sessions[i].is_some()).collect();
    let alone = changeable
        .iter()
        .map(|&i| AloneMark {
            module: ue.modules[i].code.clone(),
            session: sessions[i].unwrap_or(1),
            least_mark: least_mark(|mark| validates_with(&[(i, mark)])),
        })
        .collect();
    let together = least_mark(|mark| {
        let changes: Vec<(usize, Mark)> = changeable.iter().map(|&i| (i, mark)).collect();
        validates_with(&changes)
    });
    UeNeeds { code: ue.code.clone(), changeable: changeable.iter().map(|&i| ue.modules[i].code.clone()).collect(), alone, together }
}

/// The least score (or level) of each test that certifies `level` (R6's `certified_level`).
pub fn english_scores(level: CefrLevel, dossier: &Dossier, policy: &Policy) -> Vec<(String, String)> {
    let mut scores = Vec::new();
    for (name, test) in &policy.english_tests {
        let candidates: Vec<EnglishScore> = match test.scale {
            // Below the B1 threshold a score certifies A2: the range's minimum is a candidate.
            EnglishScale::Score => {
                let mut points: Vec<Decimal> = [test.min, test.b1, test.b2, test.c1].into_iter().flatten().collect();
                points.sort();
                points.into_iter().map(EnglishScore::Points).collect()
            }
            // The levels a level test certifies (spec §1: B1, B2, C1).
            EnglishScale::Level => [CefrLevel::B1, CefrLevel::B2, CefrLevel::C1].map(EnglishScore::Level).to_vec(),
        };
        let reaching = candidates.into_iter().find(|&score| {
            let certificate = EnglishCertificate { test: name.clone(), score, date: dossier.evaluated_on };
            certified_level(&certificate, policy).is_some_and(|certified| certified >= level)
        });
        if let Some(score) = reaching {
            let text = match score {
                EnglishScore::Points(points) => points.normalize().to_string(),
                EnglishScore::Level(level) => level.to_string(),
            };
            scores.push((name.clone(), text));
        }
    }
    scores
}

fn not_met(condition: &ConditionOutcome) -> bool {
    matches!(condition.status, ConditionStatus::Unmet | ConditionStatus::Incomplete)
}

/// What would change the decision made of `blocks` and `conditions` (spec §7).
pub fn what_it_takes(
    curriculum: &Curriculum,
    policy: &Policy,
    dossier: &Dossier,
    marks_by_module: &[Option<&ModuleMarks>],
    blocks: &[BlockOutcome],
    conditions: &Conditions,
) -> WhatItTakes {
    let mut ues = Vec::new();
    let mut offset = 0;
    for ue in &curriculum.ues {
        let marks = &marks_by_module[offset..offset + ue.modules.len()];
        offset += ue.modules.len();
        let Some(block) = blocks.iter().find(|b| b.code == ue.block) else { continue };
        let validated = block.ues.iter().any(|outcome| outcome.code == ue.code && outcome.status == Status::Validated);
        if block.via != Via::Vae && !validated {
            ues.push(ue_needs(ue, marks, policy));
        }
    }

    let english = not_met(&conditions.english).then(|| {
        let level_needed = r6_english_target(dossier, policy);
        EnglishNeeds { level_needed, scores: english_scores(level_needed, dossier, policy) }
    });
    let mobility = not_met(&conditions.mobility).then(|| MobilityNeeds {
        days_needed: policy.mobility_min_days,
        stays: dossier
            .mobility
            .iter()
            .enumerate()
            .filter(|(_, stay)| {
                let failures = stay_failures(stay, dossier, policy);
                !failures.is_empty() && failures.iter().all(|f| f.reason == ReasonCode::MobilityTooShort)
            })
            .map(|(index, stay)| StayShortBy { index, days_missing: i64::from(policy.mobility_min_days) - stay.days() })
            .collect(),
    });
    let company_periods = not_met(&conditions.company_periods).then(|| {
        let mut periods: Vec<_> = dossier
            .company_periods
            .iter()
            .filter(|p| p.end > dossier.evaluated_on || p.evaluation.counted().is_none_or(|mark| mark < policy.pass_mark))
            .collect();
        periods.sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
        let mut ids: Vec<String> = periods.into_iter().map(|p| p.id.clone()).collect();
        ids.dedup();
        PeriodNeeds { periods: ids, evaluation_needed: policy.pass_mark }
    });
    WhatItTakes { ues, conditions: ConditionNeeds { english, mobility, company_periods } }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::{Accommodation, AccommodationKind, CompanyPeriod, MobilityStay, VaeDecision, VaeOutcome};
    use crate::fixtures::*;
    use crate::policy::ResitPolicy;

    fn ue_of(decision: &crate::Decision, code: &str) -> UeNeeds {
        decision.what_it_takes.ues.iter().find(|ue| ue.code == code).cloned().unwrap_or_else(|| panic!("no {code}"))
    }

    fn text(mark: Option<Mark>) -> Option<String> {
        mark.map(|m| TwoPlaces(m.value()).to_string())
    }

    fn alone(needs: &UeNeeds) -> Vec<(&str, u8, Option<String>)> {
        needs.alone.iter().map(|a| (a.module.as_str(), a.session, text(a.least_mark))).collect()
    }

    #[test]
    fn an_awarded_title_needs_nothing() {
        let decision = decide(&dossier());
        assert!(decision.what_it_takes.is_empty());
        assert_eq!(serde_json::to_value(&decision.what_it_takes).unwrap(), serde_json::json!({"ues": [], "conditions": {}}));
    }

    #[test]
    fn a_module_without_a_mark_needs_what_brings_the_average_to_the_pass_mark() {
        let mut d = dossier();
        set_marks(&mut d, "M1", MarkEntry::Pending, MarkEntry::Pending);
        set_marks(&mut d, "M2", mark("6"), MarkEntry::Pending);
        let needs = ue_of(&decide(&d), "UE1");
        assert_eq!(needs.changeable, ["M1", "M2"]);
        // 2×M1 + 6 ≥ 30; M2 alone cannot: M1 still has no mark.
        assert_eq!(alone(&needs), [("M1", 1, Some("12.00".into())), ("M2", 2, None)]);
        // 2×x + max(6, min(x, 10)) ≥ 30.
        assert_eq!(text(needs.together), Some("10.00".into()));
    }

    #[test]
    fn the_least_mark_is_exact_to_the_hundredth() {
        let mut d = dossier();
        set_marks(&mut d, "M1", MarkEntry::Pending, MarkEntry::Pending);
        set_marks(&mut d, "M2", mark("7.33"), mark("5"));
        let needs = ue_of(&decide(&d), "UE1");
        // (30 − 7.33) / 2 = 11.335: 11.34 validates, 11.33 does not.
        assert_eq!(alone(&needs), [("M1", 1, Some("11.34".into()))]);
        set_marks(&mut d, "M1", mark("11.34"), MarkEntry::Pending);
        assert_eq!(decide(&d).blocks[0].ues[0].status, Status::Validated);
        set_marks(&mut d, "M1", mark("11.33"), MarkEntry::Pending);
        assert_eq!(decide(&d).blocks[0].ues[0].status, Status::NotValidated);
    }

    #[test]
    fn a_resit_capped_at_10_may_never_reach_what_is_needed() {
        let mut d = dossier();
        set_marks(&mut d, "M3", mark("4"), MarkEntry::Pending);
        set_marks(&mut d, "M4", mark("12"), MarkEntry::Pending);
        let needs = ue_of(&decide(&d), "UE2");
        // M3 needs 8 (average) and 6 (floor); M4 alone leaves M3 below the floor.
        assert_eq!(alone(&needs), [("M3", 2, Some("8.00".into())), ("M4", 2, None)]);
        set_marks(&mut d, "M4", mark("9"), MarkEntry::Pending);
        let needs = ue_of(&decide(&d), "UE2");
        // M3 would need 11, but a resit counts for at most 10.
        assert_eq!(alone(&needs), [("M3", 2, None), ("M4", 2, None)]);
        assert_eq!(text(needs.together), Some("10.00".into()));
        let capped = Policy { resit_cap: dec("9.5"), ..Policy::default() };
        let decision = crate::evaluate(&certification(), &curriculum(), &capped, &d);
        assert_eq!(ue_of(&decision, "UE2").together, None, "9.5 + 9.5 < 20");
    }

    #[test]
    fn under_the_replace_policy_a_lower_resit_counts_in_together() {
        let mut d = dossier();
        set_marks(&mut d, "M3", mark("2"), MarkEntry::Pending);
        set_marks(&mut d, "M4", mark("16"), MarkEntry::Pending);
        let best = ue_of(&decide(&d), "UE2");
        // best: max(2, x) ≥ 6 (floor) and max(2, x) + 16 ≥ 20.
        assert_eq!(text(best.together), Some("6.00".into()));
        let replace = Policy { resit: ResitPolicy::Replace, ..Policy::default() };
        let decision = crate::evaluate(&certification(), &curriculum(), &replace, &d);
        // replace: M4's resit replaces its 16, so min(x, 10) twice must reach 20.
        assert_eq!(text(ue_of(&decision, "UE2").together), Some("10.00".into()));
    }

    #[test]
    fn a_justified_absence_waits_for_a_first_mark_and_an_unjustified_one_for_a_resit() {
        let mut d = dossier();
        set_marks(&mut d, "M3", MarkEntry::JustifiedAbsence, MarkEntry::Pending);
        set_marks(&mut d, "M4", MarkEntry::UnjustifiedAbsence, MarkEntry::Pending);
        let needs = ue_of(&decide(&d), "UE2");
        assert_eq!(alone(&needs), [("M3", 1, None), ("M4", 2, None)]);
        assert_eq!(text(needs.together), Some("10.00".into()));
    }

    #[test]
    fn a_module_with_both_sessions_marked_cannot_change() {
        let mut d = dossier();
        set_marks(&mut d, "M3", mark("4"), mark("5"));
        set_marks(&mut d, "M4", mark("12"), MarkEntry::Pending);
        let needs = ue_of(&decide(&d), "UE2");
        assert_eq!(needs.changeable, ["M4"]);
        assert_eq!(alone(&needs), [("M4", 2, None)]);
        assert_eq!(needs.together, None);
        set_marks(&mut d, "M4", mark("12"), MarkEntry::UnjustifiedAbsence);
        assert_eq!(ue_of(&decide(&d), "UE2").changeable, Vec::<Code>::new());
    }

    #[test]
    fn ues_come_in_curriculum_order_and_a_block_validated_by_vae_needs_nothing() {
        let mut d = dossier();
        set_marks(&mut d, "M7", mark("1"), MarkEntry::Pending);
        set_marks(&mut d, "M1", mark("1"), MarkEntry::Pending);
        set_marks(&mut d, "M3", MarkEntry::Pending, MarkEntry::Pending);
        let codes = |d: &Dossier| decide(d).what_it_takes.ues.iter().map(|u| u.code.to_string()).collect::<Vec<_>>();
        assert_eq!(codes(&d), ["UE1", "UE2", "UE4"]);
        d.vae.push(VaeDecision { block: "TESTBC01".into(), decision: VaeOutcome::Validated, date: None });
        assert_eq!(codes(&d), ["UE4"]);
    }

    fn adaptation(level: CefrLevel) -> Accommodation {
        Accommodation {
            kind: AccommodationKind::EnglishAdaptation,
            target_level: Some(level),
            note: None,
            decided_on: None,
            decided_by: None,
            definitive: Some(true),
        }
    }

    fn scores(needs: &EnglishNeeds) -> Vec<(&str, &str)> {
        needs.scores.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    #[test]
    fn english_says_the_level_needed_and_the_least_score_of_each_test() {
        let mut d = dossier();
        d.english[0].score = EnglishScore::Points(dec("700"));
        let needs = decide(&d).what_it_takes.conditions.english.unwrap();
        assert_eq!(needs.level_needed, CefrLevel::B2);
        assert_eq!(
            scores(&needs),
            [
                ("CAMBRIDGE_SCALE", "160"),
                ("CLES", "B2"),
                ("IELTS", "5.5"),
                ("LINGUASKILL", "160"),
                ("TOEFL_IBT", "72"),
                ("TOEIC_LR", "785")
            ]
        );
        d.english.clear();
        d.accommodations.push(adaptation(CefrLevel::A2));
        let needs = decide(&d).what_it_takes.conditions.english.unwrap();
        assert_eq!(needs.level_needed, CefrLevel::A2);
        assert!(scores(&needs).contains(&("TOEIC_LR", "10")) && scores(&needs).contains(&("CLES", "B1")), "{needs:?}");
    }

    #[test]
    fn a_test_that_cannot_certify_the_level_has_no_score() {
        let d = dossier();
        assert_eq!(english_scores(CefrLevel::C2, &d, &Policy::default()), []);
        let c1 = english_scores(CefrLevel::C1, &d, &Policy::default());
        assert!(c1.contains(&("LINGUASKILL".into(), "180".into())) && c1.contains(&("CLES".into(), "C1".into())), "{c1:?}");
    }

    #[test]
    fn mobility_says_the_days_needed_and_what_a_stay_only_too_short_lacks() {
        let mut d = dossier();
        d.mobility = vec![
            MobilityStay { country: "DE".into(), start: date("2024-02-03"), end: date("2024-03-03") },
            MobilityStay { country: "ES".into(), start: date("2025-02-03"), end: date("2025-03-24") },
            MobilityStay { country: "FR".into(), start: date("2025-02-03"), end: date("2025-06-20") },
        ];
        let needs = decide(&d).what_it_takes.conditions.mobility.unwrap();
        assert_eq!(needs.days_needed, 63);
        // The first stay is also outside any company period; the second is 50 days long.
        assert_eq!(needs.stays, [StayShortBy { index: 1, days_missing: 13 }]);
    }

    #[test]
    fn company_periods_name_those_missing_an_evaluation_unfinished_or_below() {
        let mut d = dossier();
        let period =
            |id: &str, start: &str, end: &str, evaluation| CompanyPeriod { id: id.into(), start: date(start), end: date(end), evaluation };
        d.company_periods = vec![
            period("P9", "2026-09-01", "2026-12-18", mark("15")),
            period("P1", "2024-09-02", "2024-12-20", mark("9")),
            period("P2", "2025-01-06", "2025-06-27", mark("14")),
            period("P3", "2025-09-01", "2025-12-19", MarkEntry::Pending),
        ];
        let needs = decide(&d).what_it_takes.conditions.company_periods.unwrap();
        assert_eq!(needs.periods, ["P1", "P3", "P9"]);
        assert_eq!(serde_json::to_value(&needs).unwrap()["evaluation_needed"], "10.00");
    }

    #[test]
    fn the_shape_is_the_spec_s() {
        let mut d = dossier();
        set_marks(&mut d, "M3", mark("4"), MarkEntry::Pending);
        d.english.clear();
        let value = serde_json::to_value(&decide(&d).what_it_takes).unwrap();
        assert_eq!(
            value["ues"],
            serde_json::json!([{"code": "UE2", "changeable": ["M3", "M4"],
                "alone": [{"module": "M3", "session": 2, "least_mark": "8.00"}, {"module": "M4", "session": 2, "least_mark": null}],
                "together": "8.00"}])
        );
        assert_eq!(value["conditions"]["english"]["level_needed"], "B2");
        assert_eq!(value["conditions"]["english"]["scores"]["TOEIC_LR"], "785");
        assert!(value["conditions"].get("mobility").is_none() && value["conditions"].get("company_periods").is_none());
    }
}
