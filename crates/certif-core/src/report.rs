//! The decision as a readable report for a registrar preparing a jury.
//!
//! French first: decimal comma, dates as `18/09/2026`, tests and routes by their names, every
//! reason in words. Reason codes appear only in a last line, so a report can still be searched.
//! English (`Lang::En`) is a full translation: decimal point, dates as `18 September 2026`.
//! Titles of blocks, UEs and modules are the referential's and the curriculum's, untranslated.

use std::fmt::Write;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::certification::Certification;
use crate::codes::ReasonCode;
use crate::curriculum::Curriculum;
use crate::decision::{BlockOutcome, ConditionOutcome, ConditionStatus, Decision, Finding, Status, UeOutcome, Via};
use crate::dossier::{Dossier, EnglishCertificate, MobilityStay};
use crate::engine::{certificate_subject, stay_failures, stay_subject};
use crate::messages::{self, Lang, pick};

mod conditions;
mod format;
mod needs;
mod warnings;

use crate::policy::Policy;
pub use conditions::{certificate_text, condition_lines, span_text, stay_text};
use format::*;
pub use format::{average_text, date_text, exact, hundredths, localized, test_name, time_date_text};

/// Everything the decision was taken on: the report names what the decision only refers to
/// (a stay by its dates, a period by its dates, an equivalence by its basis).
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub certification: &'a Certification,
    pub curriculum: &'a Curriculum,
    pub policy: &'a Policy,
    pub dossier: &'a Dossier,
}

/// Renders a decision as plain text: the verdict, per block its UEs and what failed, per
/// condition met or what is missing, what it would take (spec/evaluation.md §7), warnings.
pub fn decision_text(decision: &Decision, sources: Sources<'_>, lang: Lang) -> String {
    let report = Report { decision, sources, lang };
    let mut out = String::new();
    report.header(&mut out);
    report.blocks(&mut out);
    report.conditions(&mut out);
    report.what_it_takes(&mut out);
    report.warnings(&mut out);
    report.codes(&mut out);
    out
}

struct Report<'a> {
    decision: &'a Decision,
    sources: Sources<'a>,
    lang: Lang,
}

impl Report<'_> {
    fn pick(&self, fr: &'static str, en: &'static str) -> &'static str {
        pick(self.lang, fr, en)
    }

    fn date(&self, date: NaiveDate) -> String {
        date_text(date, self.lang)
    }

    fn learner_name(&self) -> String {
        let learner = &self.sources.dossier.learner;
        let parts: Vec<&str> = [learner.given_names.as_deref(), learner.family_name.as_deref()].into_iter().flatten().collect();
        if parts.is_empty() { learner.id.clone() } else { format!("{} ({} {})", parts.join(" "), self.pick("dossier", "file"), learner.id) }
    }

    fn header(&self, out: &mut String) {
        let lang = self.lang;
        let certification = self.sources.certification;
        let _ =
            writeln!(out, "{}{}{} — {}", self.pick("Certification", "Certification"), colon(lang), certification.code, certification.title);
        let _ = writeln!(out, "{}{}{}", self.pick("Apprenant", "Learner"), colon(lang), self.learner_name());
        let _ = writeln!(out, "{} {}", self.pick("Situation au", "Position as of"), self.date(self.decision.evaluated_on));
        let _ = writeln!(out);
        let _ = writeln!(out, "{}{}{}", self.pick("Titre", "Title"), colon(lang), title_status(self.decision.title.status, lang));
        if !self.decision.title.reasons.is_empty() {
            let _ = writeln!(out, "  {}{}", self.pick("Motifs", "Reasons"), colon(lang).trim_end());
            for reason in &self.decision.title.reasons {
                let _ = writeln!(out, "  - {}", title_reason(*reason, lang));
            }
        }
        let _ = writeln!(out, "{}{}{}", self.pick("Crédits ECTS acquis", "ECTS credits earned"), colon(lang), self.decision.ects_earned);
    }

    fn blocks(&self, out: &mut String) {
        let _ = writeln!(out, "\n{}", self.pick("Blocs de compétences", "Competency blocks"));
        for block in &self.decision.blocks {
            self.block(out, block);
        }
    }

    fn block_title(&self, code: &str) -> String {
        match self.sources.certification.block(code) {
            Some(block) => format!("{code} — {}", block.title),
            None => code.to_string(),
        }
    }

    fn ue_title(&self, code: &str) -> String {
        match self.sources.curriculum.ues.iter().find(|u| u.code == code) {
            Some(ue) => format!("{code} {}", ue.title),
            None => code.to_string(),
        }
    }

    fn module_title(&self, code: &str) -> String {
        match self.sources.curriculum.module(code) {
            Some(module) => format!("{code} {}", module.title),
            None => code.to_string(),
        }
    }

    fn block(&self, out: &mut String, block: &BlockOutcome) {
        let title = self.block_title(&block.code);
        if block.via == Via::Vae {
            self.block_by_vae(out, block, &title);
            return;
        }
        let _ = writeln!(out, "  {title}{}{}", colon(self.lang), status_of_block(block.status, self.lang));
        for ue in &block.ues {
            self.ue(out, ue);
        }
    }

    /// A block validated by VAE: its UEs are acquired with it, their marks do not matter.
    fn block_by_vae(&self, out: &mut String, block: &BlockOutcome, title: &str) {
        let date = self.sources.dossier.vae.iter().filter(|v| v.block == block.code).find_map(|v| v.date);
        let when = match (date, self.lang) {
            (None, _) => String::new(),
            (Some(d), Lang::Fr) => format!(" (décision du {})", self.date(d)),
            (Some(d), Lang::En) => format!(", decision of {}", self.date(d)),
        };
        let _ = writeln!(
            out,
            "  {title}{}{}{when}",
            colon(self.lang),
            self.pick("validé par VAE", "validated by accreditation of prior experience (VAE)")
        );
        let _ = writeln!(
            out,
            "    {}",
            self.pick(
                "Ses UE sont acquises avec lui, quelles que soient leurs notes :",
                "Its units are earned with it, whatever their marks:"
            )
        );
        for ue in &block.ues {
            let _ = writeln!(
                out,
                "    {} — {}{}{} ECTS",
                self.ue_title(&ue.code),
                self.pick("acquise", "earned"),
                semicolon(self.lang),
                ue.ects
            );
        }
    }

    fn average(&self, ue: &UeOutcome, average: Decimal) -> String {
        let below = ue.reasons.contains(&ReasonCode::UeBelowPassMark);
        average_text(average, below, self.sources.policy.pass_mark, self.lang)
    }

    fn ue(&self, out: &mut String, ue: &UeOutcome) {
        let lang = self.lang;
        let mut line = format!("    {} — {}", self.ue_title(&ue.code), status_of_ue(ue.status, lang));
        if let Some(average) = ue.average {
            let _ = write!(line, "{}{} {}", semicolon(lang), self.pick("moyenne", "average"), self.average(ue, average));
        }
        let _ = writeln!(out, "{line}{}{} ECTS", semicolon(lang), ue.ects);
        if ue.status == Status::Validated {
            return;
        }
        if let (true, Some(average)) = (ue.reasons.contains(&ReasonCode::UeBelowPassMark), ue.average) {
            let _ = writeln!(
                out,
                "      {}{}{} < {}",
                self.pick("moyenne inférieure à la note de passage", "average below the pass mark"),
                colon(lang),
                self.average(ue, average),
                shortest(self.sources.policy.pass_mark, lang)
            );
        }
        for module in &ue.modules {
            let mark = match module.final_mark {
                None => self.pick("note manquante", "mark missing").to_string(),
                Some(mark) if module.below_floor => format!(
                    "{}, {} {}",
                    hundredths(mark, lang),
                    self.pick("note éliminatoire, inférieure à", "below the minimum mark of"),
                    shortest(self.sources.policy.module_floor, lang)
                ),
                Some(mark) => hundredths(mark, lang),
            };
            let _ = writeln!(out, "      {}{}{mark}", self.module_title(&module.code), colon(lang));
        }
    }

    /// Every reason code of the decision, once, for searching: the body says them in words.
    fn codes(&self, out: &mut String) {
        let decision = self.decision;
        let mut codes: Vec<ReasonCode> = decision.title.reasons.clone();
        codes.extend(decision.blocks.iter().filter(|b| b.via != Via::Vae).flat_map(|b| b.reasons.iter().copied()));
        codes.extend(decision.conditions.iter().iter().flat_map(|(_, c)| c.reasons.iter().copied()));
        codes.extend(decision.warnings.iter().copied());
        let codes = crate::decision::distinct(codes);
        if codes.is_empty() {
            return;
        }
        let codes: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        let _ = writeln!(out, "\n{}{}{}", self.pick("Codes des motifs", "Reason codes"), colon(self.lang), codes.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::{Equivalence, VaeDecision, VaeOutcome};
    use crate::fixtures::*;
    use crate::mark::MarkEntry;

    fn report(dossier: &Dossier, lang: Lang) -> String {
        let (certification, curriculum, policy) = (certification(), curriculum(), Policy::default());
        let decision = decide(dossier);
        decision_text(&decision, Sources { certification: &certification, curriculum: &curriculum, policy: &policy, dossier }, lang)
    }

    #[test]
    fn dates_are_written_as_a_registrar_writes_them() {
        assert_eq!(date_text(date("2026-09-18"), Lang::Fr), "18/09/2026");
        assert_eq!(date_text(date("2026-09-18"), Lang::En), "18 September 2026");
        assert_eq!(date_text(date("2025-03-03"), Lang::En), "3 March 2025");
    }

    #[test]
    fn decimals_take_a_comma_in_french_and_a_point_in_english() {
        assert_eq!(hundredths(dec("12.845"), Lang::Fr), "12,85");
        assert_eq!(hundredths(dec("12.845"), Lang::En), "12.85");
        assert_eq!(hundredths(dec("10"), Lang::Fr), "10,00");
        assert_eq!(score_text("5.5", Lang::Fr), "5,5");
        assert_eq!(score_text("B2", Lang::Fr), "B2");
    }

    #[test]
    fn an_average_rounding_up_to_the_pass_mark_is_shown_exact() {
        let pass = dec("10");
        assert_eq!(average_text(dec("9.995"), true, pass, Lang::Fr), "9,995");
        assert_eq!(average_text(dec("9.995"), true, pass, Lang::En), "9.995");
        // Not misleading: rounded as usual.
        assert_eq!(average_text(dec("8.746"), true, pass, Lang::Fr), "8,75");
        assert_eq!(average_text(dec("12.845"), false, pass, Lang::Fr), "12,85");
        // Never rounded up when cut.
        assert_eq!(average_text(dec("9.99999999"), true, pass, Lang::Fr), "9,9999…");
    }

    #[test]
    fn a_ue_averaging_9_995_reads_9_995_below_10() {
        let mut d = dossier();
        set_marks(&mut d, "M3", mark("10"), mark("9"));
        set_marks(&mut d, "M4", mark("9.99"), MarkEntry::UnjustifiedAbsence);
        let text = report(&d, Lang::Fr);
        assert!(text.contains("UE2 UE2 — non validée ; moyenne 9,995 ; 6 ECTS"), "{text}");
        assert!(text.contains("moyenne inférieure à la note de passage : 9,995 < 10"), "{text}");
        assert!(!text.contains("10,00 <"), "{text}");
    }

    #[test]
    fn a_block_validated_by_vae_does_not_list_its_ues_failures() {
        let mut d = dossier();
        set_marks(&mut d, "M3", mark("2"), mark("3"));
        d.vae.push(VaeDecision { block: "TESTBC01".into(), decision: VaeOutcome::Validated, date: Some(date("2026-06-30")) });
        let text = report(&d, Lang::Fr);
        assert!(text.contains("TESTBC01 — Block 1 : validé par VAE (décision du 30/06/2026)"), "{text}");
        assert!(text.contains("Ses UE sont acquises avec lui, quelles que soient leurs notes"), "{text}");
        for word in ["non validée", "éliminatoire", "moyenne inférieure", "Ce qu'il faudrait", "MODULE_BELOW_FLOOR"] {
            assert!(!text.contains(word), "{word} in {text}");
        }
    }

    #[test]
    fn the_equivalence_warning_names_the_block_and_the_basis() {
        let mut d = dossier();
        d.equivalences.push(Equivalence { block: "TESTBC02".into(), basis: Some("RNCP35642BC01".into()) });
        let text = report(&d, Lang::Fr);
        assert!(text.contains("équivalence refusée pour le bloc TESTBC02 — Block 2 (au titre de RNCP35642BC01)"), "{text}");
        let text = report(&d, Lang::En);
        assert!(text.contains("equivalence refused for block TESTBC02 — Block 2 (on the basis of RNCP35642BC01)"), "{text}");
    }

    #[test]
    fn what_it_takes_is_a_section_with_exact_hundredths() {
        let mut d = dossier();
        set_marks(&mut d, "M1", MarkEntry::Pending, MarkEntry::Pending);
        set_marks(&mut d, "M2", mark("7.33"), mark("5"));
        d.mobility[0].end = date("2025-02-12");
        let text = report(&d, Lang::Fr);
        assert!(
            text.contains("Ce qu'il faudrait\n  UE1 UE1\n    - M1 M1, 1re session : au moins 11,34, les autres notes restant inchangées\n"),
            "{text}"
        );
        assert!(text.contains("séjour du 03/02/2025 au 12/02/2025 (pays : DE) : 10 jours ; il en faut 63"), "{text}");
        assert!(text.contains("séjour du 03/02/2025 au 12/02/2025 (pays : DE) : 10 jours ; il en manque 53"), "{text}");
    }

    #[test]
    fn the_french_body_has_no_raw_tokens_and_the_english_no_french_words() {
        let mut d = dossier();
        set_marks(&mut d, "M3", mark("4"), MarkEntry::Pending);
        d.english[0].score = crate::dossier::EnglishScore::Points(dec("700"));
        let french = report(&d, Lang::Fr);
        let (body, codes) = french.split_once("Codes des motifs").expect("a codes line");
        assert!(codes.contains("UE_BELOW_PASS_MARK"), "{french}");
        for token in ["[", "TOEIC_LR", "not_awarded", "seuil", "_"] {
            assert!(!body.contains(token), "{token} in {body}");
        }
        assert!(body.contains("TOEIC Listening & Reading 700 du 12/06/2025 : niveau B1 ; il faut B2"), "{body}");
        let english = report(&d, Lang::En);
        for word in [" du ", " au ", "moyenne", "validée", "jours", "niveau", "Titre", " : "] {
            assert!(!english.contains(word), "{word} in {english}");
        }
    }
}
