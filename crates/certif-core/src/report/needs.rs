//! The report's "what it would take" section (spec/evaluation.md §7), in words.

use std::fmt::Write;

use super::Report;
use super::format::*;
use crate::decision::TitleStatus;
use crate::messages::{self, Lang};
use crate::what_it_takes::{ConditionNeeds, UeNeeds};

impl Report<'_> {
    pub(super) fn what_it_takes(&self, out: &mut String) {
        if self.decision.title.status == TitleStatus::Awarded {
            return;
        }
        let _ = writeln!(out, "\n{}", self.pick("Ce qu'il faudrait", "What it would take"));
        let needs = &self.decision.what_it_takes;
        if needs.is_empty() {
            let _ = writeln!(
                out,
                "  {}",
                self.pick(
                    "Aucune note, aucun séjour ni aucune certification d'anglais n'y suffirait : voir les conditions non remplies.",
                    "No mark, stay or English certificate would be enough: see the unmet conditions."
                )
            );
            return;
        }
        for ue in &needs.ues {
            self.ue_needs(out, ue);
        }
        self.condition_needs(out, &needs.conditions);
    }

    /// Whether a module of the UE other than `module` has no final mark yet.
    fn others_lack_a_mark(&self, ue: &str, module: &str) -> bool {
        let outcome = self.decision.blocks.iter().flat_map(|b| &b.ues).find(|u| u.code == ue);
        outcome.is_some_and(|ue| ue.modules.iter().any(|m| m.code != module && m.final_mark.is_none()))
    }

    fn session_text(&self, session: u8) -> &'static str {
        if session == 1 { self.pick("1re session", "first session") } else { self.pick("rattrapage", "resit") }
    }

    fn ue_needs(&self, out: &mut String, needs: &UeNeeds) {
        let lang = self.lang;
        let _ = writeln!(out, "  {}", self.ue_title(&needs.code));
        if needs.changeable.is_empty() {
            let _ =
                writeln!(out, "    - {}", self.pick("aucun module ne peut plus recevoir de note", "no module can still receive a mark"));
            return;
        }
        for alone in &needs.alone {
            let least = match alone.least_mark {
                Some(mark) => format!(
                    "{} {}{}",
                    self.pick("au moins", "at least"),
                    hundredths(mark.value(), lang),
                    self.pick(", les autres notes restant inchangées", ", every other mark unchanged")
                ),
                None if self.others_lack_a_mark(&needs.code, &alone.module) => self
                    .pick(
                        "aucune note ne suffirait à elle seule tant que d'autres modules sont sans note",
                        "no mark would be enough on its own while other modules have no mark",
                    )
                    .into(),
                None if alone.session == 2 => match lang {
                    Lang::Fr => format!(
                        "même un 20 ne suffirait pas à lui seul (un rattrapage compte pour {} au plus)",
                        shortest(self.sources.policy.resit_cap, lang)
                    ),
                    Lang::En => format!(
                        "not even 20 would be enough on its own (a resit counts for at most {})",
                        shortest(self.sources.policy.resit_cap, lang)
                    ),
                },
                None => self.pick("même un 20 ne suffirait pas à lui seul", "not even 20 would be enough on its own").into(),
            };
            let _ = writeln!(out, "    - {}, {}{}{least}", self.module_title(&alone.module), self.session_text(alone.session), colon(lang));
        }
        if needs.changeable.len() > 1 {
            let together = match needs.together {
                Some(mark) => format!("{} {}", self.pick("au moins", "at least"), hundredths(mark.value(), lang)),
                None => self.pick("aucune ne suffirait", "none would be enough").into(),
            };
            let _ = writeln!(
                out,
                "    - {}{}{together}",
                self.pick("une même note dans chacun de ces modules", "the same mark in each of these modules"),
                colon(lang)
            );
        }
    }

    fn condition_needs(&self, out: &mut String, needs: &ConditionNeeds) {
        let lang = self.lang;
        if let Some(english) = &needs.english {
            let scores: Vec<String> =
                english.scores.iter().map(|(test, score)| format!("{} {}", test_name(test), score_text(score, lang))).collect();
            let scores = if scores.is_empty() {
                self.pick("aucun test ne certifie ce niveau", "no test certifies this level").to_string()
            } else {
                format!(
                    "{}{}{}",
                    self.pick("soit au moins l'un de ces résultats", "that is at least one of these results"),
                    colon(lang),
                    scores.join(", ")
                )
            };
            let _ = writeln!(
                out,
                "  {}{}{} {}, {scores}",
                messages::condition("english", lang),
                colon(lang),
                self.pick("niveau", "level"),
                english.level_needed
            );
        }
        if let Some(mobility) = &needs.mobility {
            let within = if self.sources.dossier.access_route == crate::AccessRoute::Vae {
                ""
            } else {
                self.pick(", pendant une période en entreprise", ", during a company period")
            };
            let _ = writeln!(
                out,
                "  {}{}{} {} {}{within}",
                messages::condition("mobility", lang),
                colon(lang),
                self.pick("un séjour à l'étranger d'au moins", "a stay abroad of at least"),
                mobility.days_needed,
                self.pick("jours", "days")
            );
            for short in &mobility.stays {
                let Some(stay) = self.sources.dossier.mobility.get(short.index) else { continue };
                let (days, missing) = (stay.days(), short.days_missing);
                let length = match lang {
                    Lang::Fr => format!("{days} jours ; il en manque {missing}"),
                    Lang::En => format!("{days} days; {missing} days short"),
                };
                let _ = writeln!(out, "    - {}{}{length}", self.stay_text(stay), colon(lang));
            }
        }
        if let Some(periods) = &needs.company_periods {
            let _ = writeln!(
                out,
                "  {}{}{} {} {}",
                messages::condition("company_periods", lang),
                colon(lang),
                self.pick("une évaluation d'au moins", "an evaluation of at least"),
                hundredths(periods.evaluation_needed, lang),
                self.pick("à l'issue de chacune de ces périodes :", "at the end of each of these periods:")
            );
            for id in &periods.periods {
                let _ = writeln!(out, "    - {}", self.period_text(id));
            }
        }
    }
}
