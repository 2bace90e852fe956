//! The `learners` kind: who is enrolled, by which route, with which contract and curriculum.

use super::*;

#[derive(Debug, Clone, PartialEq)]
pub struct LearnerRow {
    pub line: usize,
    pub learner_id: String,
    pub family_name: Option<String>,
    pub given_names: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub birth_place_insee: Option<String>,
    pub access_route: AccessRoute,
    pub enrolled_on: NaiveDate,
    /// Present when the `employer` cell is set.
    pub contract: Option<ApprenticeshipContract>,
    pub curriculum: Option<String>,
}

pub(super) fn learners(r: &mut Reader<'_>, seen: &mut HashSet<String>) -> Vec<LearnerRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let learner_id = r.required(row, "learner_id", identifier);
        let access_route = r.required(row, "access_route", |t| AccessRoute::parse(t).ok_or_else(|| Problem::NotAnAccessRoute(t.into())));
        let enrolled_on = r.required(row, "enrolled_on", values::date);
        let birth_date = r.value(row, "birth_date", values::date);
        let sex = r.value(row, "sex", |t| match t {
            "F" | "f" => Ok(Sex::F),
            "M" | "m" => Ok(Sex::M),
            other => Err(Problem::NotFOrM(other.into())),
        });
        let employer_siret =
            r.value(row, "employer_siret", |t| Siret::parse(&t.replace(' ', "")).ok_or_else(|| Problem::NotASiret(t.into())));
        let contract_start = r.value(row, "contract_start", values::date);
        let contract_end = r.value(row, "contract_end", values::date);
        ordered(r, row, contract_start, contract_end, "contract_end");
        let contract = r.string(row, "employer").map(|employer| ApprenticeshipContract {
            employer: Some(employer),
            employer_siret,
            start: contract_start,
            end: contract_end,
            master: r.string(row, "master"),
        });
        if let Some(id) = &learner_id {
            r.unique(seen, id.clone(), row, || Row::Learner(id.clone()));
        }
        if let (Some(learner_id), Some(access_route), Some(enrolled_on)) = (learner_id, access_route, enrolled_on) {
            out.push(LearnerRow {
                line: row.line,
                learner_id,
                family_name: r.string(row, "family_name"),
                given_names: r.string(row, "given_names"),
                birth_date,
                sex,
                birth_place_insee: r.string(row, "birth_place_insee"),
                access_route,
                enrolled_on,
                contract,
                curriculum: r.string(row, "curriculum"),
            });
        }
    }
    out
}
