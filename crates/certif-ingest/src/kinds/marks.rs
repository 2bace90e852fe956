//! The `marks` kind, long (a row a mark) or wide (a column a module).

use super::*;

#[derive(Debug, Clone, PartialEq)]
pub struct MarkRow {
    pub line: usize,
    pub learner_id: String,
    pub module: String,
    pub session1: MarkEntry,
    /// `None` when the file has no `session2` column (wide files): the stored resit stays.
    pub session2: Option<MarkEntry>,
}

pub(super) fn long_marks(r: &mut Reader<'_>, seen: &mut HashSet<String>, checks: &Checks<'_>) -> Vec<MarkRow> {
    let mut out = Vec::new();
    let has_resit_column = r.index.contains_key("session2");
    for row in &r.sheet.rows {
        let learner_id = r.required(row, "learner_id", |t| known_learner(checks, t));
        let module =
            r.required(row, "module", |t| if (checks.is_module)(t) { Ok(t.to_string()) } else { Err(Problem::NotAModule(t.into())) });
        let session1 = if r.text(row, "session1").is_some() { r.value(row, "session1", values::mark) } else { Some(MarkEntry::Pending) };
        let session2 = if !has_resit_column {
            Some(None)
        } else if r.text(row, "session2").is_some() {
            r.value(row, "session2", values::mark).map(Some)
        } else {
            Some(Some(MarkEntry::Pending))
        };
        if let (Some(l), Some(m)) = (&learner_id, &module) {
            r.unique(seen, format!("{l}\u{0}{m}"), row, || Row::Mark { learner: l.clone(), module: m.clone() });
        }
        if let (Some(learner_id), Some(module), Some(session1), Some(session2)) = (learner_id, module, session1, session2) {
            out.push(MarkRow { line: row.line, learner_id, module, session1, session2 });
        }
    }
    out
}

pub(super) fn wide_marks(r: &mut Reader<'_>, seen: &mut HashSet<String>, modules: &[(usize, String)], checks: &Checks<'_>) -> Vec<MarkRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let Some(learner_id) = r.required(row, "learner_id", |t| known_learner(checks, t)) else { continue };
        r.unique(seen, learner_id.clone(), row, || Row::Learner(learner_id.clone()));
        for (index, module) in modules {
            let text = row.cell(*index);
            if text.is_empty() {
                continue;
            }
            match values::mark(text) {
                Ok(session1) => {
                    out.push(MarkRow { line: row.line, learner_id: learner_id.clone(), module: module.clone(), session1, session2: None })
                }
                Err(problem) => r.issue(row.line, index + 1, Problem::in_column(module, problem)),
            }
        }
    }
    out
}
