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
        let kind = r.required(row, "kind", |t| {
            AccommodationKind::parse(t).ok_or_else(|| {
                format!("{t:?} is not an accommodation kind (extra_time, enlarged_papers, software, english_adaptation, other)")
            })
        });
        let target_level = r.value(row, "target_level", |t| {
            CefrLevel::parse(&t.to_uppercase()).ok_or_else(|| format!("{t:?} is not a CEFR level (A1..C2)"))
        });
        if kind == Some(AccommodationKind::EnglishAdaptation) && r.text(row, "target_level").is_none() {
            let column = r.column_number("target_level");
            r.issue(row.line, column, "target_level: an english_adaptation needs its target level".into());
        }
        let decided_on = r.value(row, "decided_on", values::date);
        let definitive = r.value(row, "definitive", values::boolean);
        // A learner may hold several of one kind (provisional, then definitive): one per date.
        if let (Some(l), Some(k)) = (&learner_id, &kind) {
            let on = decided_on.map(|d| d.to_string()).unwrap_or_default();
            let described = match decided_on {
                Some(d) => format!("the {} accommodation of {l} decided on {d}", k.as_str()),
                None => format!("the undated {} accommodation of {l}", k.as_str()),
            };
            r.unique(seen, format!("{l}\u{0}{}\u{0}{on}", k.as_str()), row, &described);
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
