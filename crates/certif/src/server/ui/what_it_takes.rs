//! *Ce qu'il faudrait* (What it would take) on the learner's page, above the details
//! (spec/evaluation.md §7): per UE not validated, the marks its changeable modules would need,
//! alone and all together; per condition not met, what it needs. In words and in the page's
//! language (decimal comma in French), never as raw codes. It is shown to the learner, their
//! master, the registrar and the admin, from the decision as the caller may see it (redacted:
//! no adapted English target for those who may not see accommodations).

use certif_core::mark::{Mark, MarkEntry, TwoPlaces};
use certif_core::messages::{self, Lang};
use certif_core::{Decision, Dossier};
use certif_store::accounts::{Account, Role};

use super::fr_en;
use crate::records::Curricula;

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

/// Whether the role reads "what it would take" on the learner's page.
fn reads_it(account: &Account) -> bool {
    matches!(account.role, Role::Admin | Role::Registrar | Role::Master | Role::Learner)
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
    if !reads_it(account) || needs.is_empty() {
        return None;
    }
    let t = |fr, en| fr_en(lang, fr, en);
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
                title: found.and_then(|c| c.ues.iter().find(|u| u.code == ue.code)).map(|u| u.title.clone()).unwrap_or_default(),
                modules: ue
                    .alone
                    .iter()
                    .map(|a| ModuleNeed {
                        module: match module_title(&a.module) {
                            Some(title) => format!("{} — {title}", a.module),
                            None => a.module.to_string(),
                        },
                        session: if a.session == 1 { t("session 1", "session 1") } else { t("rattrapage", "resit") },
                        alone: least(a.least_mark, lang).unwrap_or_else(|| {
                            // Out of reach alone: another module has no mark yet, or even 20 is not enough.
                            if ue.alone.iter().any(|other| other.module != a.module && other.session == 1) {
                                t("impossible seul : une autre note manque encore", "not alone: another mark is still missing").to_string()
                            } else {
                                t("impossible seul : même 20 ne suffit pas", "not alone: even 20 is not enough").to_string()
                            }
                        }),
                    })
                    .collect(),
                together: match least(ue.together, lang) {
                    Some(mark) if ue.changeable.len() > 1 => {
                        format!(
                            "{} {mark}",
                            t(
                                "Ou la même note dans chacun de ces modules, au moins :",
                                "Or the same mark in each of these modules, at least:"
                            )
                        )
                    }
                    Some(mark) => format!("{} {mark}", t("Note minimale :", "Least mark:")),
                    None => t("Aucune note dans ces modules ne suffit à valider l'UE.", "No mark in these modules can validate the UE.")
                        .to_string(),
                },
            }
        })
        .collect();

    let mut conditions = Vec::new();
    let c = &needs.conditions;
    if let Some(english) = &c.english {
        let mut lines = vec![format!("{} {}", t("Niveau requis :", "Level needed:"), english.level_needed)];
        for (test, score) in &english.scores {
            lines.push(format!("{} : {} {}", test_name(test), t("au moins", "at least"), number(score, lang)));
        }
        conditions.push((messages::condition("english", lang).to_string(), lines));
    }
    if let Some(mobility) = &c.mobility {
        let mut lines = vec![format!("{} {} {}", t("Au moins", "At least"), mobility.days_needed, t("jours à l'étranger", "days abroad"))];
        for stay in &mobility.stays {
            let Some(abroad) = dossier.mobility.get(stay.index) else { continue };
            lines.push(format!(
                "{} {}, {} → {} : {} {} {}",
                t("Séjour", "Stay"),
                abroad.country,
                abroad.start,
                abroad.end,
                t("il manque", "short by"),
                stay.days_missing,
                t("jours", "days")
            ));
        }
        conditions.push((messages::condition("mobility", lang).to_string(), lines));
    }
    if let Some(periods) = &c.company_periods {
        let needed = number(TwoPlaces(periods.evaluation_needed).to_text().as_str(), lang);
        let lines = vec![format!(
            "{} {} — {} {needed}",
            t("Périodes :", "Periods:"),
            periods.periods.join(", "),
            t("évaluation d'au moins", "evaluation of at least")
        )];
        conditions.push((messages::condition("company_periods", lang).to_string(), lines));
    }
    Some(Section {
        heading: t("Ce qu'il faudrait", "What it would take"),
        intro: t(
            "Pour chaque UE non validée, la note minimale que chaque module encore modifiable devrait obtenir seul, les autres notes restant telles quelles.",
            "For each UE not validated, the least mark each module that can still change would need alone, every other mark as it is.",
        ),
        module_label: t("Module", "Module"),
        session_label: t("Session", "Session"),
        alone_label: t("Note minimale seul", "Least mark alone"),
        ues,
        conditions,
    })
}
