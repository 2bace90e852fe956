//! The decision as a readable report for a registrar preparing a jury.

use std::fmt::Write;

use crate::certification::Certification;
use crate::curriculum::Curriculum;
use crate::decision::{Decision, Status};
use crate::mark::TwoPlaces;
use crate::messages::{self, Lang};

/// Renders a decision as plain text: per block its UEs, averages and failures; per condition
/// met or what is missing. Codes stand beside the words so a report can be searched.
/// Titles of blocks, UEs and modules come from the certification and curriculum decided against.
pub fn decision_text(decision: &Decision, certification: &Certification, curriculum: &Curriculum, lang: Lang) -> String {
    let mut out = String::new();
    let w = |key| messages::word(key, lang);
    let _ = writeln!(
        out,
        "{} {} — {} ({} {})",
        w("learner"),
        decision.learner,
        decision.certification,
        w("evaluated_on"),
        decision.evaluated_on
    );
    let _ =
        writeln!(out, "{} : {} [{}]", w("title"), messages::title_status(decision.title.status, lang), serde_plain(&decision.title.status));
    for reason in &decision.title.reasons {
        let _ = writeln!(out, "  - {} [{}]", messages::reason(*reason, lang), reason);
    }
    let _ = writeln!(out, "{} : {}", w("ects"), decision.ects_earned);
    let _ = writeln!(out, "\n{}", w("blocks"));
    for block in &decision.blocks {
        let _ = writeln!(
            out,
            "  {} {} — {} ({})",
            mark_for(block.status),
            block.code,
            messages::status(block.status, lang),
            messages::via(block.via, lang)
        );
        if let Some(block) = certification.block(&block.code) {
            let _ = writeln!(out, "      {}", block.title);
        }
        for ue in &block.ues {
            let average = ue.average.map_or("—".to_string(), |a| TwoPlaces(a).to_string());
            let ue_title = curriculum.ues.iter().find(|u| u.code == ue.code).map_or("", |u| u.title.as_str());
            let _ = writeln!(
                out,
                "      {} {} {} — {} ; {} {} ; {} ECTS",
                mark_for(ue.status),
                ue.code,
                ue_title,
                messages::status(ue.status, lang),
                w("average"),
                average,
                ue.ects
            );
            for module in &ue.modules {
                let note = if module.final_mark.is_none() {
                    format!(" ({})", w("missing"))
                } else if module.below_floor {
                    format!(" ({})", w("below_floor"))
                } else {
                    String::new()
                };
                if ue.status != Status::Validated {
                    let _ = writeln!(
                        out,
                        "          {} {} : {} {}{}",
                        module.code,
                        curriculum.module(&module.code).map_or("", |m| m.title.as_str()),
                        w("final"),
                        module.final_mark.map_or("—".to_string(), |f| TwoPlaces(f).to_string()),
                        note
                    );
                }
            }
            for reason in &ue.reasons {
                let _ = writeln!(out, "          ! {} [{}]", messages::reason(*reason, lang), reason);
            }
        }
    }
    let _ = writeln!(out, "\n{}", w("conditions"));
    for (key, condition) in decision.conditions.iter() {
        let _ = writeln!(out, "  {} : {}", messages::condition(key, lang), messages::condition_status(condition.status, lang));
        for finding in &condition.findings {
            let mut line = format!("      - {} [{}]", messages::reason(finding.reason, lang), finding.reason);
            if !finding.subject.is_empty() {
                let _ = write!(line, " : {}", finding.subject);
            }
            match (&finding.value, &finding.threshold) {
                (Some(value), Some(threshold)) => {
                    let _ = write!(line, " ({value} ; {} {threshold})", w("threshold"));
                }
                (Some(value), None) => {
                    let _ = write!(line, " ({value})");
                }
                _ => {}
            }
            let _ = writeln!(out, "{line}");
        }
    }
    if !decision.warnings.is_empty() {
        let _ = writeln!(out, "\n{}", w("warnings"));
        for warning in &decision.warnings {
            let _ = writeln!(out, "  - {} [{}]", messages::reason(*warning, lang), warning);
        }
    }
    out
}

fn mark_for(status: Status) -> &'static str {
    match status {
        Status::Validated => "[x]",
        Status::NotValidated => "[!]",
        Status::Incomplete => "[ ]",
    }
}

fn serde_plain<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}
