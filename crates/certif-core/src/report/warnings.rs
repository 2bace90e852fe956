//! The report's warnings, each said about what it concerns.

use super::*;

impl Report<'_> {
    pub(super) fn warnings(&self, out: &mut String) {
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
}
