//! A decision explained on a page (`decision_body.html`): the learner's page and the jury's
//! candidate page. The title, what it would take, the award conditions in the report's words
//! (`certif_core::report::condition_lines`), then a transcript: block → UE → module with its
//! title, coefficient, session 1, resit, final mark and ECTS; company periods, stays and English
//! certificates with dates as people write them. No raw code where a word exists.

use certif_core::codes::ReasonCode;
use certif_core::decision::{ConditionStatus, Via};
use certif_core::mark::MarkEntry;
use certif_core::messages::workbench::{WorkUi, work_ui};
use certif_core::messages::{self, Lang, Ui};
use certif_core::report::{self, average_text, date_text, hundredths, localized};
use certif_core::{Decision, Dossier};

use super::what_it_takes::{self, mark_text};
use super::{status_view, title_view};
use crate::server::auth::Caller;
use crate::server::redact;

/// One line of the transcript: a UE (its average and status) or one of its modules (its marks).
pub(in crate::server::ui) struct TranscriptRow {
    /// `ue` or `module`: the row's class.
    pub(in crate::server::ui) kind: &'static str,
    pub(in crate::server::ui) code: String,
    pub(in crate::server::ui) title: String,
    pub(in crate::server::ui) coefficient: String,
    pub(in crate::server::ui) session1: String,
    pub(in crate::server::ui) resit: String,
    pub(in crate::server::ui) final_mark: String,
    pub(in crate::server::ui) ects: String,
    pub(in crate::server::ui) status: Option<(String, &'static str)>,
    pub(in crate::server::ui) notes: Vec<String>,
}

pub(in crate::server::ui) struct BlockView {
    pub(in crate::server::ui) code: String,
    pub(in crate::server::ui) title: String,
    pub(in crate::server::ui) status: (String, &'static str),
    /// "Validated by VAE (decision of …)", for a block so validated.
    pub(in crate::server::ui) vae: Option<String>,
    pub(in crate::server::ui) reasons: Vec<String>,
    pub(in crate::server::ui) rows: Vec<TranscriptRow>,
}

pub(in crate::server::ui) struct ConditionView {
    pub(in crate::server::ui) name: String,
    pub(in crate::server::ui) status: String,
    pub(in crate::server::ui) class: &'static str,
    pub(in crate::server::ui) reasons: Vec<String>,
}

/// The transcript's column headings.
pub(in crate::server::ui) struct Columns {
    pub(in crate::server::ui) unit: &'static str,
    pub(in crate::server::ui) title: &'static str,
    pub(in crate::server::ui) coefficient: &'static str,
    pub(in crate::server::ui) session1: &'static str,
    pub(in crate::server::ui) resit: &'static str,
    pub(in crate::server::ui) final_mark: &'static str,
    pub(in crate::server::ui) ects: &'static str,
    pub(in crate::server::ui) status: &'static str,
    pub(in crate::server::ui) period: &'static str,
    pub(in crate::server::ui) dates: &'static str,
    pub(in crate::server::ui) evaluation: &'static str,
}

/// A decision explained (title, what it would take, conditions, blocks, the details), as the
/// caller may see it.
pub(in crate::server::ui) struct DecisionBody {
    pub(in crate::server::ui) title: (String, &'static str),
    pub(in crate::server::ui) title_label: &'static str,
    pub(in crate::server::ui) ects_label: &'static str,
    pub(in crate::server::ui) ects_earned: u32,
    pub(in crate::server::ui) blocks_label: &'static str,
    pub(in crate::server::ui) conditions_label: &'static str,
    pub(in crate::server::ui) periods_label: &'static str,
    pub(in crate::server::ui) mobility_label: &'static str,
    pub(in crate::server::ui) english_label: &'static str,
    pub(in crate::server::ui) columns: Columns,
    pub(in crate::server::ui) blocks: Vec<BlockView>,
    pub(in crate::server::ui) conditions: Vec<ConditionView>,
    /// Period, dates, evaluation.
    pub(in crate::server::ui) periods: Vec<(String, String, String)>,
    pub(in crate::server::ui) mobility: Vec<String>,
    pub(in crate::server::ui) english: Vec<String>,
    pub(in crate::server::ui) what_it_takes: Option<what_it_takes::Section>,
}

/// Reasons in words, each once, leaving out those the transcript already shows (a missing mark
/// is the module's empty cell).
fn reason_words(codes: &[ReasonCode], lang: Lang) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for code in codes.iter().filter(|c| **c != ReasonCode::MarkMissing) {
        let said = messages::reason(*code, lang).to_string();
        if !said.is_empty() && !words.contains(&said) {
            words.push(said);
        }
    }
    words
}

/// A mark entry as the transcript shows it: `12,50`, `ABJ`, `—`.
fn entry(entry: &MarkEntry, lang: Lang) -> String {
    match entry {
        MarkEntry::Value(mark) => hundredths(mark.value(), lang),
        other => mark_text(other),
    }
}

/// `decision` on `dossier` explained for `caller` (redacted as their role requires).
pub(in crate::server::ui) fn decision_body(
    curricula: &certif_app::Curricula,
    caller: &Caller,
    dossier: &Dossier,
    decision: Decision,
    lang: Lang,
) -> DecisionBody {
    let t = |phrase| messages::ui(phrase, lang);
    let w = |phrase| work_ui(phrase, lang);
    let sees_health_data = redact::may_see_health_data(&caller.account, &dossier.learner.id);
    let decision = &redact::decision_for(&caller.account, &dossier.learner.id, decision);
    // A certification without an overlay of its own follows the default policy.
    let policy = curricula.policies.get(decision.certification.as_str()).cloned().unwrap_or_else(certif_core::Policy::default);
    let adapted = sees_health_data && redact::english_target_adapted(dossier, &policy);
    // The learner's curriculum: of their certification, holding the UEs they were decided on.
    let first_ue = decision.blocks.iter().flat_map(|b| &b.ues).next().map(|u| u.code.as_str());
    let loaded = curricula
        .loaded
        .iter()
        .filter(|(_, c)| c.code == decision.certification.as_str())
        .find(|(cur, _)| first_ue.is_none_or(|ue| cur.ues.iter().any(|x| x.code == ue)));
    let marks_of = |module: &str| dossier.marks.iter().find(|m| m.module.as_str() == module);
    let blocks = decision
        .blocks
        .iter()
        .map(|b| {
            let by_vae = b.via == Via::Vae;
            let mut rows = Vec::new();
            for u in &b.ues {
                let ue = loaded.and_then(|(cur, _)| cur.ues.iter().find(|x| x.code == u.code));
                let below = u.reasons.contains(&ReasonCode::UeBelowPassMark);
                rows.push(TranscriptRow {
                    kind: "ue",
                    code: u.code.to_string(),
                    title: ue.map_or_else(String::new, |x| x.title.clone()),
                    coefficient: String::new(),
                    session1: String::new(),
                    resit: String::new(),
                    final_mark: match (by_vae, u.average) {
                        (true, _) => w(WorkUi::EarnedByVae).to_string(),
                        (false, Some(average)) => average_text(average, below, policy.pass_mark, lang),
                        (false, None) => "—".into(),
                    },
                    ects: u.ects.to_string(),
                    status: Some(status_view(u.status, lang)),
                    // Under VAE the UE's marks do not matter: neither do their failures.
                    notes: if by_vae { Vec::new() } else { reason_words(&u.reasons, lang) },
                });
                if by_vae {
                    continue;
                }
                for m in &u.modules {
                    let module = loaded.and_then(|(cur, _)| cur.module(m.code.as_str()));
                    let entered = marks_of(m.code.as_str());
                    let mut notes = Vec::new();
                    if m.below_floor {
                        notes.push(format!("{} {}", w(WorkUi::BelowFloor), localized(&policy.module_floor.normalize().to_string(), lang)));
                    }
                    rows.push(TranscriptRow {
                        kind: "module",
                        code: m.code.to_string(),
                        title: module.map_or_else(String::new, |x| x.title.clone()),
                        coefficient: module.map_or_else(String::new, |x| localized(&x.coefficient.normalize().to_string(), lang)),
                        session1: entered.map_or_else(|| "—".into(), |e| entry(&e.session1, lang)),
                        resit: entered.map_or_else(|| "—".into(), |e| entry(&e.session2, lang)),
                        final_mark: m.final_mark.map_or_else(|| "—".into(), |f| hundredths(f, lang)),
                        ects: String::new(),
                        status: None,
                        notes,
                    });
                }
            }
            let vae = by_vae.then(|| {
                let date = dossier.vae.iter().filter(|v| v.block == b.code).find_map(|v| v.date);
                match date {
                    Some(d) => format!("{} ({} {})", w(WorkUi::ValidatedByVae), w(WorkUi::VaeDecisionOf), date_text(d, lang)),
                    None => w(WorkUi::ValidatedByVae).to_string(),
                }
            });
            BlockView {
                code: b.code.to_string(),
                // A block the referential does not name is shown by its code alone.
                title: loaded.and_then(|(_, c)| c.block(b.code.as_str())).map_or_else(String::new, |block| block.title.clone()),
                status: status_view(b.status, lang),
                vae,
                reasons: if by_vae { Vec::new() } else { reason_words(&b.reasons, lang) },
                rows,
            }
        })
        .collect();
    let worded = match loaded {
        Some((curriculum, certification)) => {
            let sources = report::Sources { certification, curriculum, policy: &policy, dossier };
            report::condition_lines(decision, sources, lang)
        }
        // Without its curriculum the decision could not have been made; say the statuses.
        None => decision.conditions.iter().into_iter().map(|(key, c)| (key, c.status, reason_words(&c.reasons, lang))).collect(),
    };
    let conditions = worded
        .into_iter()
        .map(|(key, status, mut reasons)| {
            if key == "english" && adapted {
                let target = dossier.english_target(&policy);
                reasons.push(format!("{} {target} ({})", t(Ui::TargetAdapted), t(Ui::Accommodation)));
            }
            ConditionView {
                name: messages::condition(key, lang).to_string(),
                status: messages::condition_status(status, lang).to_string(),
                class: match status {
                    ConditionStatus::Met | ConditionStatus::NotRequired => "ok",
                    ConditionStatus::Unmet => "ko",
                    ConditionStatus::Incomplete => "wait",
                },
                reasons,
            }
        })
        .collect();
    DecisionBody {
        title: title_view(decision.title.status, lang),
        title_label: t(Ui::Title),
        ects_label: messages::word("ects", lang),
        ects_earned: decision.ects_earned,
        blocks_label: t(Ui::CompetencyBlocks),
        conditions_label: t(Ui::AwardConditions),
        periods_label: t(Ui::CompanyPeriods),
        mobility_label: t(Ui::InternationalMobility),
        english_label: t(Ui::English),
        columns: Columns {
            unit: w(WorkUi::UnitOrModule),
            title: w(WorkUi::Heading),
            coefficient: w(WorkUi::Coefficient),
            session1: t(Ui::Session1),
            resit: t(Ui::Resit),
            final_mark: w(WorkUi::FinalMark),
            ects: w(WorkUi::Ects),
            status: w(WorkUi::Status),
            period: w(WorkUi::Period),
            dates: w(WorkUi::Dates),
            evaluation: w(WorkUi::Evaluation),
        },
        what_it_takes: what_it_takes::section(curricula, &caller.account, dossier, decision, lang),
        blocks,
        conditions,
        periods: dossier
            .company_periods
            .iter()
            .map(|p| (p.id.clone(), report::span_text(p.start, p.end, lang), entry(&p.evaluation, lang)))
            .collect(),
        mobility: dossier.mobility.iter().map(|m| report::stay_text(m, lang)).collect(),
        english: dossier.english.iter().map(|e| report::certificate_text(e, lang)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_said_once_and_a_missing_mark_is_left_to_its_cell() {
        let codes = [ReasonCode::MarkMissing, ReasonCode::UeBelowPassMark, ReasonCode::MarkMissing, ReasonCode::UeBelowPassMark];
        let words = reason_words(&codes, Lang::Fr);
        assert_eq!(words, vec![messages::reason(ReasonCode::UeBelowPassMark, Lang::Fr).to_string()]);
    }

    #[test]
    fn an_entry_is_written_as_people_write_marks() {
        let twelve = MarkEntry::from_cell("12,5").unwrap();
        assert_eq!(entry(&twelve, Lang::Fr), "12,50");
        assert_eq!(entry(&twelve, Lang::En), "12.50");
        assert_eq!(entry(&MarkEntry::Pending, Lang::Fr), "—");
        assert_eq!(entry(&MarkEntry::JustifiedAbsence, Lang::Fr), "ABJ");
    }
}
