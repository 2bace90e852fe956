//! The report's award conditions: each met or what is missing, its findings in words.

use super::*;

/// `du 01/02/2026 au 30/04/2026`.
pub fn span_text(start: NaiveDate, end: NaiveDate, lang: Lang) -> String {
    format!("{} {} {} {}", pick(lang, "du", "from"), date_text(start, lang), pick(lang, "au", "to"), date_text(end, lang))
}

/// `séjour du 01/02/2026 au 30/04/2026 (pays : DE)`.
pub fn stay_text(stay: &MobilityStay, lang: Lang) -> String {
    format!(
        "{} {} ({}{}{})",
        pick(lang, "séjour", "stay"),
        span_text(stay.start, stay.end, lang),
        pick(lang, "pays", "country"),
        colon(lang),
        stay.country
    )
}

/// `TOEIC Listening & Reading 785 du 12/06/2025`.
pub fn certificate_text(certificate: &EnglishCertificate, lang: Lang) -> String {
    format!(
        "{} {} {} {}",
        test_name(&certificate.test),
        score_text(&certificate.score.to_string(), lang),
        pick(lang, "du", "of"),
        date_text(certificate.date, lang)
    )
}

/// Each award condition as the report words it, for a page: its key, its status and its lines
/// (one per period, stay or certificate, its failures joined).
pub fn condition_lines(decision: &Decision, sources: Sources<'_>, lang: Lang) -> Vec<(&'static str, ConditionStatus, Vec<String>)> {
    let report = Report { decision, sources, lang };
    decision.conditions.iter().into_iter().map(|(key, condition)| (key, condition.status, report.finding_lines(condition))).collect()
}

impl Report<'_> {
    pub(super) fn conditions(&self, out: &mut String) {
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

    pub(super) fn period_text(&self, id: &str) -> String {
        let period = self.sources.dossier.company_periods.iter().find(|p| p.id == id);
        match period {
            Some(p) => format!("{} {id} ({})", self.pick("période", "period"), self.span(p.start, p.end)),
            None => format!("{} {id}", self.pick("période", "period")),
        }
    }

    fn span(&self, start: NaiveDate, end: NaiveDate) -> String {
        span_text(start, end, self.lang)
    }

    pub(super) fn stay_text(&self, stay: &MobilityStay) -> String {
        stay_text(stay, self.lang)
    }

    fn certificate_text(&self, certificate: &EnglishCertificate) -> String {
        certificate_text(certificate, self.lang)
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
