//! The `vae` kind: the VAE jury's decision on a block.

use super::*;

#[derive(Debug, Clone, PartialEq)]
pub struct VaeRow {
    pub line: usize,
    pub learner_id: String,
    pub block: String,
    pub decision: VaeOutcome,
    pub date: Option<NaiveDate>,
}

pub(super) fn vae(r: &mut Reader<'_>, seen: &mut HashSet<String>, checks: &Checks<'_>) -> Vec<VaeRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let learner_id = r.required(row, "learner_id", |t| known_learner(checks, t));
        let block = r.required(row, "block", |t| if (checks.is_block)(t) { Ok(t.to_string()) } else { Err(Problem::NotABlock(t.into())) });
        let decision = r.required(row, "decision", |t| match t.to_lowercase().as_str() {
            "validated" | "validé" | "valide" => Ok(VaeOutcome::Validated),
            "refused" | "refusé" | "refuse" => Ok(VaeOutcome::Refused),
            other => Err(Problem::NotAVaeDecision(other.into())),
        });
        let date = r.value(row, "date", values::date);
        if let (Some(l), Some(b)) = (&learner_id, &block) {
            r.unique(seen, format!("{l}\u{0}{b}"), row, || Row::Vae { learner: l.clone(), block: b.clone() });
        }
        if let (Some(learner_id), Some(block), Some(decision)) = (learner_id, block, decision) {
            out.push(VaeRow { line: row.line, learner_id, block, decision, date });
        }
    }
    out
}
