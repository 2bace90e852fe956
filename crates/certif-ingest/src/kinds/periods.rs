//! The `company_periods` and `mobility` kinds: the periods at the employer and the stays abroad.

use super::*;

#[derive(Debug, Clone, PartialEq)]
pub struct CompanyPeriodRow {
    pub line: usize,
    pub learner_id: String,
    pub period_id: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub evaluation: MarkEntry,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MobilityRow {
    pub line: usize,
    pub learner_id: String,
    pub country: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

pub(super) fn company_periods(r: &mut Reader<'_>, seen: &mut HashSet<String>, checks: &Checks<'_>) -> Vec<CompanyPeriodRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let learner_id = r.required(row, "learner_id", |t| known_learner(checks, t));
        let period_id = r.required(row, "period_id", identifier);
        let start = r.required(row, "start", values::date);
        let end = r.required(row, "end", values::date);
        ordered(r, row, start, end, "end");
        let evaluation =
            if r.text(row, "evaluation").is_some() { r.value(row, "evaluation", values::mark) } else { Some(MarkEntry::Pending) };
        if let (Some(l), Some(p)) = (&learner_id, &period_id) {
            r.unique(seen, format!("{l}\u{0}{p}"), row, || Row::Period { learner: l.clone(), period: p.clone() });
        }
        if let (Some(learner_id), Some(period_id), Some(start), Some(end), Some(evaluation)) =
            (learner_id, period_id, start, end, evaluation)
        {
            out.push(CompanyPeriodRow { line: row.line, learner_id, period_id, start, end, evaluation });
        }
    }
    out
}

pub(super) fn mobility(r: &mut Reader<'_>, seen: &mut HashSet<String>, checks: &Checks<'_>) -> Vec<MobilityRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let learner_id = r.required(row, "learner_id", |t| known_learner(checks, t));
        let start = r.required(row, "start", values::date);
        let country = r.required(row, "country", |t| {
            let code = t.to_uppercase();
            if certif_core::country::is_iso_country(&code) { Ok(code) } else { Err(Problem::NotACountry(t.into())) }
        });
        let end = r.required(row, "end", values::date);
        ordered(r, row, start, end, "end");
        if let (Some(l), Some(s), Some(c)) = (&learner_id, &start, &country) {
            let described = || Row::Stay { learner: l.clone(), country: c.clone(), start: *s };
            r.unique(seen, format!("{l}\u{0}{s}\u{0}{c}"), row, described);
        }
        if let (Some(learner_id), Some(start), Some(country), Some(end)) = (learner_id, start, country, end) {
            out.push(MobilityRow { line: row.line, learner_id, country, start, end });
        }
    }
    out
}
