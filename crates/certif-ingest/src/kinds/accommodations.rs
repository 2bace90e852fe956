//! The `accommodations` kind: disability accommodations (health data).

use super::*;

#[derive(Debug, Clone, PartialEq)]
pub struct AccommodationRow {
    pub line: usize,
    pub learner_id: String,
    pub accommodation: Accommodation,
}

pub(super) fn accommodations(r: &mut Reader<'_>, seen: &mut HashSet<String>, checks: &Checks<'_>) -> Vec<AccommodationRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let learner_id = r.required(row, "learner_id", |t| known_learner(checks, t));
        let kind = r.required(row, "kind", |t| AccommodationKind::parse(t).ok_or_else(|| Problem::NotAnAccommodationKind(t.into())));
        let target_level =
            r.value(row, "target_level", |t| CefrLevel::parse(&t.to_uppercase()).ok_or_else(|| Problem::NotACefrLevel(t.into())));
        if kind == Some(AccommodationKind::EnglishAdaptation) && r.text(row, "target_level").is_none() {
            let column = r.column_number("target_level");
            r.issue(row.line, column, Problem::in_column("target_level", Problem::AdaptationNeedsItsLevel));
        }
        let decided_on = r.value(row, "decided_on", values::date);
        let definitive = r.value(row, "definitive", values::boolean);
        // A learner may hold several of one kind (provisional, then definitive): one per date.
        if let (Some(l), Some(k)) = (&learner_id, &kind) {
            let on = decided_on.map(|d| d.to_string()).unwrap_or_default();
            let described = || Row::Accommodation { learner: l.clone(), kind: *k, on: decided_on };
            r.unique(seen, format!("{l}\u{0}{}\u{0}{on}", k.as_str()), row, described);
        }
        if let (Some(learner_id), Some(kind)) = (learner_id, kind) {
            let accommodation = Accommodation {
                kind,
                target_level,
                note: r.string(row, "note"),
                decided_on,
                decided_by: r.string(row, "decided_by"),
                definitive,
            };
            out.push(AccommodationRow { line: row.line, learner_id, accommodation });
        }
    }
    out
}
