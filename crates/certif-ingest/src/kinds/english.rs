//! The `english` kind: English certificates, each score read on its test's scale.

use super::*;

#[derive(Debug, Clone, PartialEq)]
pub struct EnglishRow {
    pub line: usize,
    pub learner_id: String,
    pub test: String,
    pub date: NaiveDate,
    pub score: EnglishScore,
}

pub(super) fn english(r: &mut Reader<'_>, seen: &mut HashSet<String>, checks: &Checks<'_>) -> Vec<EnglishRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let learner_id = r.required(row, "learner_id", |t| known_learner(checks, t));
        let test = r.required(row, "test", |t| {
            let name = t.to_uppercase();
            if checks.policy.english_tests.contains_key(&name) {
                Ok(name)
            } else {
                let known = checks.policy.english_tests.keys().cloned().collect();
                Err(Problem::NotAnEnglishTest { text: t.into(), known })
            }
        });
        let date = r.required(row, "date", values::date);
        let score = match &test {
            Some(name) => {
                let definition = &checks.policy.english_tests[name];
                r.required(row, "score", |t| match definition.scale {
                    EnglishScale::Level => match CefrLevel::parse(&t.to_uppercase()) {
                        Some(level @ (CefrLevel::B1 | CefrLevel::B2 | CefrLevel::C1)) => Ok(EnglishScore::Level(level)),
                        _ => Err(Problem::NotALevelOf { text: t.into(), test: name.clone() }),
                    },
                    EnglishScale::Score => {
                        let value = values::number(t).ok_or_else(|| Problem::NotANumber(t.into()))?;
                        if definition.accepts_score(value) {
                            Ok(EnglishScore::Points(value.normalize()))
                        } else {
                            Err(Problem::OutsideTheRangeOf { text: t.into(), test: name.clone(), min: definition.min, max: definition.max })
                        }
                    }
                })
            }
            None => None,
        };
        if let (Some(l), Some(t), Some(d)) = (&learner_id, &test, &date) {
            let described = || Row::English { learner: l.clone(), test: t.clone(), on: *d };
            r.unique(seen, format!("{l}\u{0}{t}\u{0}{d}"), row, described);
        }
        if let (Some(learner_id), Some(test), Some(date), Some(score)) = (learner_id, test, date, score) {
            out.push(EnglishRow { line: row.line, learner_id, test, date, score });
        }
    }
    out
}
