//! What if (spec/evaluation.md §7, `POST /api/learners/{id}/what-if`): hypothetical marks and
//! evidence, in the dossier's own shapes and checked by the same rules (`wire`), merged over a
//! learner's dossier so the one engine decides what they would give. Nothing here is stored.
//!
//! Merging: a mark replaces, per module, the sessions it gives (`null` included) and keeps the
//! ones it leaves out; a company period replaces, per id, the fields it gives (a new period
//! needs its dates); stays abroad and English results are added to the learner's own.

use chrono::NaiveDate;

use crate::Code;
use crate::dossier::{CompanyPeriod, Dossier, DossierContext, DossierError, EnglishCertificate, MobilityStay, ModuleMarks};
use crate::mark::MarkEntry;
use crate::messages::dossier::Invalid;

/// Hypotheses as read from a what-if request, every value already checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hypotheses {
    /// The evaluation date asked about (`on`), if given.
    pub on: Option<NaiveDate>,
    pub marks: Vec<HypotheticalMark>,
    pub company_periods: Vec<HypotheticalPeriod>,
    pub mobility: Vec<MobilityStay>,
    pub english: Vec<EnglishCertificate>,
}

/// A module's marks as supposed: `None` keeps the stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HypotheticalMark {
    pub module: Code,
    pub session1: Option<MarkEntry>,
    pub session2: Option<MarkEntry>,
}

/// A company period as supposed: `None` keeps the stored field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HypotheticalPeriod {
    pub id: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub evaluation: Option<MarkEntry>,
}

impl Hypotheses {
    /// Reads a what-if request's JSON (`{"on", "marks", "company_periods", "mobility",
    /// "english"}`); the error names the offending field's JSON path in the request.
    pub fn from_json(text: &str, context: DossierContext<'_>) -> Result<Hypotheses, DossierError> {
        crate::wire::parse_hypotheses(text, context)
    }

    /// The dossier with these hypotheses merged over it (its `evaluated_on` is left as is).
    /// The only error is a period the merge leaves without dates, or ending before it starts.
    pub fn merged_over(&self, dossier: &Dossier) -> Result<Dossier, DossierError> {
        let mut merged = dossier.clone();
        for mark in &self.marks {
            let entry = match merged.marks.iter_mut().position(|m| m.module == mark.module) {
                Some(at) => &mut merged.marks[at],
                None => {
                    merged.marks.push(ModuleMarks {
                        module: mark.module.clone(),
                        session1: MarkEntry::Pending,
                        session2: MarkEntry::Pending,
                    });
                    merged.marks.last_mut().expect("just pushed")
                }
            };
            if let Some(session1) = mark.session1 {
                entry.session1 = session1;
            }
            if let Some(session2) = mark.session2 {
                entry.session2 = session2;
            }
        }
        for (i, period) in self.company_periods.iter().enumerate() {
            let stored = merged.company_periods.iter().position(|p| p.id == period.id);
            let current = stored.map(|at| merged.company_periods[at].clone());
            let missing = |field: &str| {
                DossierError::new(
                    format!("company_periods[{i}].{field}"),
                    Invalid::NotAPeriodOfTheLearner { period: period.id.clone(), field: field.to_string() },
                )
            };
            let start = period.start.or(current.as_ref().map(|p| p.start)).ok_or_else(|| missing("start"))?;
            let end = period.end.or(current.as_ref().map(|p| p.end)).ok_or_else(|| missing("end"))?;
            if end < start {
                return Err(DossierError::new(format!("company_periods[{i}].end"), Invalid::EndsBeforeItStarts { start, end }));
            }
            let evaluation = period.evaluation.or(current.as_ref().map(|p| p.evaluation)).unwrap_or(MarkEntry::Pending);
            let supposed = CompanyPeriod { id: period.id.clone(), start, end, evaluation };
            match stored {
                Some(at) => merged.company_periods[at] = supposed,
                None => merged.company_periods.push(supposed),
            }
        }
        merged.mobility.extend(self.mobility.iter().cloned());
        merged.english.extend(self.english.iter().cloned());
        Ok(merged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use crate::policy::Policy;

    fn read(text: &str) -> Result<Hypotheses, DossierError> {
        let (certification, curriculum, policy) = (certification(), curriculum(), Policy::default());
        Hypotheses::from_json(text, DossierContext { certification: &certification, curriculum: &curriculum, policy: &policy })
    }

    #[test]
    fn a_session_left_out_keeps_the_stored_mark_and_null_clears_it() {
        let mut stored = dossier();
        set_marks(&mut stored, "M1", mark("4"), MarkEntry::Pending);
        let supposed = read(r#"{"marks": [{"module": "M1", "session2": 15}, {"module": "M2", "session1": null}]}"#).unwrap();
        let merged = supposed.merged_over(&stored).unwrap();
        let m1 = merged.marks.iter().find(|m| m.module == "M1").unwrap();
        assert_eq!((m1.session1, m1.session2), (mark("4"), mark("15")));
        assert_eq!(merged.marks.iter().find(|m| m.module == "M2").unwrap().session1, MarkEntry::Pending);
        assert_eq!(merged.marks.len(), stored.marks.len(), "merged per module, not added");
    }

    #[test]
    fn periods_merge_by_id_and_evidence_is_added() {
        let stored = dossier();
        let supposed = read(
            r#"{"on": "2026-10-01", "company_periods": [{"id": "P1", "evaluation": 9}, {"id": "P2", "start": "2026-01-05", "end": "2026-06-26"}],
                "mobility": [{"country": "ES", "start": "2026-02-02", "end": "2026-03-02"}],
                "english": [{"test": "CLES", "score": "C1", "date": "2026-05-05"}]}"#,
        )
        .unwrap();
        assert_eq!(supposed.on, Some(date("2026-10-01")));
        let merged = supposed.merged_over(&stored).unwrap();
        assert_eq!(merged.company_periods.len(), 2);
        assert_eq!((merged.company_periods[0].start, merged.company_periods[0].evaluation), (date("2025-01-06"), mark("9")));
        assert_eq!(merged.company_periods[1].evaluation, MarkEntry::Pending);
        assert_eq!((merged.mobility.len(), merged.english.len()), (2, 2));
        assert_eq!(merged.evaluated_on, stored.evaluated_on);
    }

    #[test]
    fn bad_hypotheses_name_their_path_in_the_request() {
        let path = |text: &str| read(text).unwrap_err().path;
        assert_eq!(path(r#"{"marks": [{"module": "M1", "session1": 20.001}]}"#), "marks[0].session1");
        assert_eq!(path(r#"{"marks": [{"module": "M1"}, {"module": "M1"}]}"#), "marks[1].module");
        assert_eq!(path(r#"{"marks": [{"module": "M1", "session1": 12, "session1": 13}]}"#), "marks[0].session1");
        assert_eq!(path(r#"{"company_periods": [{"id": "P1", "start": "2026-02-01", "end": "2026-01-01"}]}"#), "company_periods[0].end");
        assert_eq!(path(r#"{"english": [{"test": "CLES", "score": "A2", "date": "2026-05-05"}]}"#), "english[0].score");
        assert_eq!(path(r#"{"vae": []}"#), "vae");
        let new_period = read(r#"{"company_periods": [{"id": "P9", "evaluation": 12}]}"#).unwrap();
        assert_eq!(new_period.merged_over(&dossier()).unwrap_err().path, "company_periods[0].start");
    }
}
