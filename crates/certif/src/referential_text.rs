//! Certifications and coverage reports as text for a person.

use std::fmt::Write;

use certif_core::Certification;
use certif_referential::Coverage;

/// A certification as a person reads the fiche: codes, blocks, competencies, routes, conditions.
pub fn certification_text(c: &Certification) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", c.code, c.title);
    if let Some(level) = c.level {
        let _ = writeln!(out, "Niveau {level}");
    }
    for certifier in &c.certifiers {
        let commercial = certifier.commercial_name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
        let _ = writeln!(out, "Certificateur : {}{} — SIRET {}", certifier.name, commercial, certifier.siret);
    }
    if let Some(end) = c.registration_end {
        let _ = writeln!(out, "Fin d'enregistrement : {end}");
    }
    let list = |items: &[String]| if items.is_empty() { "—".to_string() } else { items.join(", ") };
    let _ = writeln!(out, "Certification(s) antérieure(s) : {}", list(&c.predecessors));
    if !c.successors.is_empty() {
        let _ = writeln!(out, "Nouvelle(s) certification(s) : {}", list(&c.successors));
    }
    let _ = writeln!(out, "NSF : {}", list(&c.nsf));
    let _ = writeln!(out, "Formacodes : {}", list(&c.formacodes));
    let _ = writeln!(out, "ROME : {}", list(&c.rome));

    let _ = writeln!(out, "\nBlocs de compétences");
    for block in &c.blocks {
        let _ = writeln!(out, "  {} — {}", block.code, block.title);
        for competency in &block.competencies {
            let _ = writeln!(out, "    {}  {}", competency.id, competency.text);
        }
        for id in &block.transversal {
            let _ = writeln!(out, "    {id}  (transversale)");
        }
        if !block.modalities.is_empty() {
            let _ = writeln!(out, "    Modalités : {}", block.modalities.join(", "));
        }
    }
    if !c.transversal_competencies.is_empty() {
        let _ = writeln!(out, "\nCompétences transversales");
        for competency in &c.transversal_competencies {
            let _ = writeln!(out, "  {}  {}", competency.id, competency.text);
        }
    }
    if !c.modalities.is_empty() {
        let _ = writeln!(out, "\nModalités d'évaluation");
        for modality in &c.modalities {
            let _ = writeln!(out, "  {} — {}", modality.letter, modality.text);
        }
    }
    let _ = writeln!(out, "\nVoies d'accès");
    for rule in &c.access_routes {
        let _ = writeln!(out, "  {:<30} {}", rule.route.as_str(), if rule.open { "ouverte" } else { "fermée" });
        for member in &rule.jury {
            let _ = writeln!(out, "      jury : {member}");
        }
    }
    if let Some(rules) = &c.jury_rules {
        let _ = writeln!(out, "  {rules}");
    }
    let conditions: Vec<String> = c
        .award_conditions
        .iter()
        .map(|a| serde_json::to_value(a).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default())
        .collect();
    let _ = writeln!(out, "\nConditions de délivrance : {}", conditions.join(", "));
    out
}

/// The coverage check as a person reads it: per block, UEs and ECTS, who covers what, findings.
pub fn coverage_text(coverage: &Coverage) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Maquette {} pour {}", coverage.curriculum, coverage.certification);
    for block in &coverage.blocks {
        let _ = writeln!(out, "\n{} — {} ({} ECTS)", block.code, block.title, block.ects);
        for ue in &block.ues {
            let _ = writeln!(out, "  {} {} — {} ECTS", ue.code, ue.title, ue.ects);
        }
        let _ = writeln!(out, "  Compétences :");
        for item in &block.competencies {
            let by = if item.modules.is_empty() { "NON COUVERTE".to_string() } else { item.modules.join(", ") };
            let _ = writeln!(out, "    {:<20} {by}", item.id);
        }
        let _ = writeln!(out, "  Modalités :");
        for item in &block.modalities {
            let by = match (item.modules.is_empty(), item.assessed_for_title) {
                (false, _) => item.modules.join(", "),
                (true, true) => "évaluée pour le titre".to_string(),
                (true, false) => "NON UTILISÉE".to_string(),
            };
            let _ = writeln!(out, "    {:<20} {by}", item.id);
        }
    }
    let _ = writeln!(out);
    if coverage.errors.is_empty() && coverage.warnings.is_empty() {
        let _ = writeln!(out, "Aucune anomalie : la maquette couvre le référentiel.");
    }
    for finding in &coverage.errors {
        let _ = writeln!(out, "ERREUR {} [{}] {}", code_text(&finding.code), finding.block, finding.message);
    }
    for finding in &coverage.warnings {
        let _ = writeln!(out, "AVERTISSEMENT {} [{}] {}", code_text(&finding.code), finding.block, finding.message);
    }
    out
}

fn code_text<T: serde::Serialize>(code: &T) -> String {
    serde_json::to_value(code).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}
