//! *Ce qu'il faudrait* (What it would take) on the learner's page, above the details
//! (spec/evaluation.md §7): per UE not validated, the marks its changeable modules would need,
//! alone and all together; per condition not met, what it needs. In words and in the page's
//! language (decimal comma in French), never as raw codes. It is shown to the learner, their
//! master, the registrar and the admin, from the decision as the caller may see it (redacted:
//! no adapted English target for those who may not see accommodations).

use certif_core::mark::{Mark, MarkEntry, TwoPlaces};
use certif_core::messages::{self, Lang, Ui};
use certif_core::{Decision, Dossier};
use certif_store::accounts::Account;

use certif_app::Curricula;

/// A mark as entered, in French form (`12,5`, `ABJ`), `—` when not yet known.
pub(super) fn mark_text(entry: &MarkEntry) -> String {
    match entry {
        MarkEntry::Pending => "—".into(),
        other => other.to_string().replace('.', ","),
    }
}

/// A decimal with its two places, a comma in French.
fn number(text: &str, lang: Lang) -> String {
    if lang == Lang::Fr { text.replace('.', ",") } else { text.to_string() }
}

fn least(mark: Option<Mark>, lang: Lang) -> Option<String> {
    mark.map(|m| number(TwoPlaces(m.value()).to_text().as_str(), lang))
}

/// One changeable module: what it is, which session, the least mark it alone would need.
pub struct ModuleNeed {
    pub module: String,
    pub session: &'static str,
    pub alone: String,
}

pub struct UeNeed {
    pub code: String,
    pub title: String,
    pub modules: Vec<ModuleNeed>,
    /// The sentence on the least single mark for every changeable module together.
    pub together: String,
}

/// The section: its words and its lines. `None` when there is nothing it would take (the
/// title is awarded) or the caller's role does not read it (teacher, jury).
pub struct Section {
    pub heading: &'static str,
    pub intro: &'static str,
    pub module_label: &'static str,
    pub session_label: &'static str,
    pub alone_label: &'static str,
    pub ues: Vec<UeNeed>,
    pub conditions: Vec<(String, Vec<String>)>,
}

/// A test's name as people write it.
fn test_name(code: &str) -> String {
    match code {
        "TOEIC_LR" => "TOEIC Listening & Reading".into(),
        "TOEFL_IBT" => "TOEFL iBT".into(),
        "CAMBRIDGE_SCALE" => "Cambridge English Scale".into(),
        "LINGUASKILL" => "Linguaskill".into(),
        other => other.replace('_', " "),
    }
}

/// The section for `decision`, which is already as `account` may see it.
pub fn section(curricula: &Curricula, account: &Account, dossier: &Dossier, decision: &Decision, lang: Lang) -> Option<Section> {
    let needs = &decision.what_it_takes;
    if !crate::server::access::read_what_it_takes(account) || needs.is_empty() {
        return None;
    }
    let t = |phrase| messages::ui(phrase, lang);
    let curriculum = |module: &str| {
        curricula.loaded.iter().find(|(c, cert)| cert.code == decision.certification.as_str() && c.module(module).is_some()).map(|(c, _)| c)
    };
    let ues = needs
        .ues
        .iter()
        .map(|ue| {
            let found = ue.changeable.first().and_then(|m| curriculum(m));
            let module_title = |code: &str| found.and_then(|c| c.module(code)).map(|m| m.title.clone()).filter(|title| title != code);
            UeNeed {
                code: ue.code.to_string(),
                // A UE the curriculum does not name is shown by its code alone.
                title: found.and_then(|c| c.ues.iter().find(|u| u.code == ue.code)).map_or_else(String::new, |u| u.title.clone()),
                modules: ue
                    .alone
                    .iter()
                    .map(|a| ModuleNeed {
                        module: match module_title(&a.module) {
                            Some(title) => format!("{} — {title}", a.module),
                            None => a.module.to_string(),
                        },
                        session: if a.session == 1 { t(Ui::Session1Lower) } else { t(Ui::ResitLower) },
                        alone: least(a.least_mark, lang).unwrap_or_else(|| {
                            // Out of reach alone: another module has no mark yet, or even 20 is not enough.
                            if ue.alone.iter().any(|other| other.module != a.module && other.session == 1) {
                                t(Ui::NotAloneMarkMissing).to_string()
                            } else {
                                t(Ui::NotAloneEvenTwenty).to_string()
                            }
                        }),
                    })
                    .collect(),
                together: match least(ue.together, lang) {
                    Some(mark) if ue.changeable.len() > 1 => {
                        format!("{} {mark}", t(Ui::SameMarkInEach))
                    }
                    Some(mark) => format!("{} {mark}", t(Ui::LeastMarkColon)),
                    None => t(Ui::NoMarkSuffices).to_string(),
                },
            }
        })
        .collect();

    let mut conditions = Vec::new();
    let c = &needs.conditions;
    if let Some(english) = &c.english {
        let mut lines = vec![format!("{} {}", t(Ui::LevelNeeded), english.level_needed)];
        for (test, score) in &english.scores {
            lines.push(format!("{} : {} {}", test_name(test), t(Ui::AtLeastLower), number(score, lang)));
        }
        conditions.push((messages::condition("english", lang).to_string(), lines));
    }
    if let Some(mobility) = &c.mobility {
        let mut lines = vec![format!("{} {} {}", t(Ui::AtLeast), mobility.days_needed, t(Ui::DaysAbroad))];
        for stay in &mobility.stays {
            let Some(abroad) = dossier.mobility.get(stay.index) else { continue };
            lines.push(format!(
                "{} {}, {} → {} : {} {} {}",
                t(Ui::Stay),
                abroad.country,
                abroad.start,
                abroad.end,
                t(Ui::ShortBy),
                stay.days_missing,
                t(Ui::Days)
            ));
        }
        conditions.push((messages::condition("mobility", lang).to_string(), lines));
    }
    if let Some(periods) = &c.company_periods {
        let needed = number(TwoPlaces(periods.evaluation_needed).to_text().as_str(), lang);
        let lines = vec![format!("{} {} — {} {needed}", t(Ui::PeriodsColon), periods.periods.join(", "), t(Ui::EvaluationOfAtLeast))];
        conditions.push((messages::condition("company_periods", lang).to_string(), lines));
    }
    Some(Section {
        heading: t(Ui::WhatItTakes),
        intro: t(Ui::WhatItTakesIntro),
        module_label: t(Ui::Module),
        session_label: t(Ui::Session),
        alone_label: t(Ui::LeastMarkAlone),
        ues,
        conditions,
    })
}
