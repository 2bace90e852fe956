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

mod format;
mod needs;

use crate::policy::Policy;
use format::*;
pub use format::{average_text, date_text, exact, hundredths, localized, test_name};

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

    fn conditions(&self, out: &mut String) {
        let lang = self.lang;
        let _ = writeln!(out, "\n{}", self.pick("Conditions de délivrance", "Award conditions"));
        for (key, condition) in self.decision.conditions.iter() {
            let _ = writeln!(out, "  {}{}{}", condition_name(key, lang), colon(lang), condition_status(condition.status, lang));
            for line in self.finding_lines(condition) {
                let _ = writeln!(out, "    - {line}");
            }
        }
    }

    /// A condition's findings grouped by what they are about: one line per period, stay or
    /// certificate, its failures joined.
    fn finding_lines(&self, condition: &ConditionOutcome) -> Vec<String> {
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for finding in &condition.findings {
            let subject = self.subject_text(finding);
            let failure = self.failure_text(finding);
            match groups.iter_mut().find(|(s, _)| *s == subject) {
                Some((_, failures)) => failures.push(failure),
                None => groups.push((subject, vec![failure])),
            }
        }
        groups
            .into_iter()
            .map(|(subject, failures)| {
                let failures = failures.join(semicolon(self.lang));
                if subject.is_empty() { failures } else { format!("{subject}{}{failures}", colon(self.lang)) }
            })
            .collect()
    }

    /// What a finding is about, named from the dossier; empty when the failure says it all.
    fn subject_text(&self, finding: &Finding) -> String {
        use ReasonCode::*;
        let dossier = self.sources.dossier;
        match finding.reason {
            CompanyPeriodNotEvaluated | CompanyPeriodBelowPassMark | CompanyPeriodNotFinished => self.period_text(&finding.subject),
            MobilityNotAbroad | MobilityTooShort | MobilityOutsideCompanyPeriod | MobilityNotFinished => {
                dossier.mobility.iter().find(|s| stay_subject(s) == finding.subject).map_or_else(String::new, |s| self.stay_text(s))
            }
            EnglishBelowTarget | EnglishExpired | EnglishAfterEvaluationDate => dossier
                .english
                .iter()
                .find(|c| certificate_subject(c) == finding.subject)
                .map_or_else(String::new, |c| self.certificate_text(c)),
            _ => String::new(),
        }
    }

    fn period_text(&self, id: &str) -> String {
        let period = self.sources.dossier.company_periods.iter().find(|p| p.id == id);
        match period {
            Some(p) => format!("{} {id} ({})", self.pick("période", "period"), self.span(p.start, p.end)),
            None => format!("{} {id}", self.pick("période", "period")),
        }
    }

    fn span(&self, start: NaiveDate, end: NaiveDate) -> String {
        format!("{} {} {} {}", self.pick("du", "from"), self.date(start), self.pick("au", "to"), self.date(end))
    }

    fn stay_text(&self, stay: &MobilityStay) -> String {
        format!(
            "{} {} ({}{}{})",
            self.pick("séjour", "stay"),
            self.span(stay.start, stay.end),
            self.pick("pays", "country"),
            colon(self.lang),
            stay.country
        )
    }

    fn certificate_text(&self, certificate: &EnglishCertificate) -> String {
        format!(
            "{} {} {} {}",
            test_name(&certificate.test),
            score_text(&certificate.score.to_string(), self.lang),
            self.pick("du", "of"),
            self.date(certificate.date)
        )
    }

    /// What is wrong, in words, with the finding's figures.
    fn failure_text(&self, finding: &Finding) -> String {
        use ReasonCode::*;
        let lang = self.lang;
        let value = finding.value.as_deref().unwrap_or_default();
        let threshold = finding.threshold.as_deref().unwrap_or_default();
        match finding.reason {
            AccessRouteNotOpen => {
                let route = crate::AccessRoute::parse(&finding.subject).map_or(finding.subject.as_str(), |r| messages::route(r, lang));
                match lang {
                    Lang::Fr => format!("voie d'accès « {route} » non ouverte pour cette certification"),
                    Lang::En => format!("access route \u{201c}{route}\u{201d} not open for this certification"),
                }
            }
            RegistrationExpired => format!(
                "{} {}, {} {}",
                self.pick("inscription le", "enrolled on"),
                date_or_text(value, lang),
                self.pick("après la fin d'enregistrement de la certification le", "after the certification's registration ended on"),
                date_or_text(threshold, lang)
            ),
            CompanyPeriodNotEvaluated => entry_text(value, lang),
            CompanyPeriodBelowPassMark => {
                format!("{} {} < {}", self.pick("évaluation", "evaluation"), entry_text(value, lang), score_text(threshold, lang))
            }
            CompanyPeriodNotFinished => {
                format!("{} {}", self.pick("pas encore terminée au", "not finished yet on"), date_or_text(threshold, lang))
            }
            MobilityNotFinished => {
                format!("{} {}", self.pick("pas encore terminé au", "not finished yet on"), date_or_text(threshold, lang))
            }
            MobilityNotAbroad => self.pick("pas à l'étranger (France ou outre-mer)", "not abroad (France or an overseas territory)").into(),
            MobilityTooShort => match lang {
                Lang::Fr => format!("{value} jours ; il en faut {threshold}"),
                Lang::En => format!("{value} days; {threshold} needed"),
            },
            MobilityOutsideCompanyPeriod => self.pick("hors des périodes en entreprise", "not within a company period").into(),
            EnglishBelowTarget => {
                let level = if value.is_empty() { self.pick("non reconnu", "not recognised") } else { value };
                match lang {
                    Lang::Fr => format!("niveau {level} ; il faut {threshold}"),
                    Lang::En => format!("level {level}; {threshold} needed"),
                }
            }
            EnglishExpired => format!(
                "{} {}, {} {}",
                self.pick("date de validité", "validity date"),
                date_or_text(value, lang),
                self.pick("dépassée au", "passed on"),
                date_or_text(threshold, lang)
            ),
            EnglishAfterEvaluationDate => self.pick("postérieure à la date d'évaluation", "dated after the evaluation date").into(),
            other => messages::reason(other, lang).into(),
        }
    }

    fn warnings(&self, out: &mut String) {
        let lines: Vec<String> = self.decision.warnings.iter().flat_map(|w| self.warning_lines(*w)).collect();
        if lines.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n{}", self.pick("Avertissements", "Warnings"));
        for line in lines {
            let _ = writeln!(out, "  - {line}");
        }
    }

    fn warning_lines(&self, warning: ReasonCode) -> Vec<String> {
        let dossier = self.sources.dossier;
        match warning {
            ReasonCode::BlockEquivalenceRefused => {
                dossier.equivalences.iter().map(|e| self.equivalence_text(&e.block, e.basis.as_deref())).collect()
            }
            ReasonCode::VaeAfterEvaluationDate => dossier
                .vae
                .iter()
                .filter_map(|v| Some((v, v.date.filter(|d| *d > dossier.evaluated_on)?)))
                .map(|(v, date)| {
                    format!(
                        "{} {} {} {}{}",
                        self.pick("décision de VAE du", "VAE decision of"),
                        self.date(date),
                        self.pick("pour le bloc", "for block"),
                        self.block_title(&v.block),
                        self.pick(
                            ", postérieure à la date d'évaluation : non prise en compte",
                            ", dated after the evaluation date: not taken into account"
                        )
                    )
                })
                .collect(),
            ReasonCode::MobilityBelowRecommended => vec![self.below_recommended_text()],
            other => vec![messages::reason(other, self.lang).to_string()],
        }
    }

    fn equivalence_text(&self, block: &str, basis: Option<&str>) -> String {
        let basis = match basis {
            Some(basis) => format!(" ({} {basis})", self.pick("au titre de", "on the basis of")),
            None => String::new(),
        };
        format!(
            "{} {}{basis} {}",
            self.pick("équivalence refusée pour le bloc", "equivalence refused for block"),
            self.block_title(block),
            self.pick(
                ": aucun bloc ne peut être obtenu de droit par équivalence ; le bloc est jugé sur ses UE",
                ": no block is granted by equivalence; the block is decided on its units"
            )
        )
    }

    fn below_recommended_text(&self) -> String {
        let (dossier, policy) = (self.sources.dossier, self.sources.policy);
        let longest = dossier.mobility.iter().filter(|s| stay_failures(s, dossier, policy).is_empty()).max_by_key(|s| s.days());
        let days = policy.mobility_recommended_days;
        let (lead, recommended) = match self.lang {
            Lang::Fr => ("mobilité plus courte que la durée préconisée", format!("{days} jours préconisés")),
            Lang::En => ("mobility shorter than recommended", format!("{days} days recommended")),
        };
        match longest {
            Some(stay) => format!(
                "{lead}{}{}, {} {}{}{recommended}",
                colon(self.lang),
                self.stay_text(stay),
                stay.days(),
                self.pick("jours", "days"),
                semicolon(self.lang)
            ),
            None => format!("{lead}{}{recommended}", colon(self.lang)),
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

/// A condition's name in the report: the registration condition is the enrolment date's.
fn condition_name(key: &str, lang: Lang) -> &'static str {
    match key {
        "registration" => pick(lang, "Date d'inscription", "Enrolment date"),
        other => messages::condition(other, lang),
    }
}

fn condition_status(status: ConditionStatus, lang: Lang) -> &'static str {
    messages::condition_status(status, lang)
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
