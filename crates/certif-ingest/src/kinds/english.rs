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
                let known: Vec<&str> = checks.policy.english_tests.keys().map(String::as_str).collect();
                Err(format!("{t:?} is not a known English test ({})", known.join(", ")))
            }
        });
        let date = r.required(row, "date", values::date);
        let score = match &test {
            Some(name) => {
                let definition = &checks.policy.english_tests[name];
                r.required(row, "score", |t| match definition.scale {
                    EnglishScale::Level => match CefrLevel::parse(&t.to_uppercase()) {
                        Some(level @ (CefrLevel::B1 | CefrLevel::B2 | CefrLevel::C1)) => Ok(EnglishScore::Level(level)),
                        _ => Err(format!("{t:?} is not a level {name} certifies (B1, B2 or C1)")),
                    },
                    EnglishScale::Score => {
                        let value = values::number(t).ok_or_else(|| format!("{t:?} is not a number"))?;
                        if definition.accepts_score(value) {
                            Ok(EnglishScore::Points(value.normalize()))
                        } else {
                            Err(format!("{t} is outside the range of {name}"))
                        }
                    }
                })
            }
            None => None,
        };
        if let (Some(l), Some(t), Some(d)) = (&learner_id, &test, &date) {
            r.unique(seen, format!("{l}\u{0}{t}\u{0}{d}"), row, &format!("the {t} result of {l} on {d}"));
        }
        if let (Some(learner_id), Some(test), Some(date), Some(score)) = (learner_id, test, date, score) {
            out.push(EnglishRow { line: row.line, learner_id, test, date, score });
        }
    }
    out
}
