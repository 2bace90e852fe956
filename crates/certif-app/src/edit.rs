//! One record edited in a form (the web's *Dossier* pages). The form's fields are the import's
//! columns: what was typed is read as a file of one row by the import's own parser, checked
//! against the same curricula and learners, and written with the API's stale-edit check
//! (`If-Match`: the version the form was read at), audited as the editor — all or nothing.

use certif_ingest::{Kind, Problem, Sheet, SheetRow};
use certif_store::{Record, Store as _, StoreError, VersionedRecord};

use crate::curricula::Curricula;
use crate::database::Database;
use crate::error::{AppError, InputError};

/// The name a form's one row is read under (its problems are shown beside their fields).
const FORM: &str = "formulaire";

/// Why an edit wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// What the parser refused, each with its field (`""`: the form as a whole), in the
    /// form's order.
    #[error("{}", .0.iter().map(|(field, problem)| format!("{field} : {problem}")).collect::<Vec<_>>().join(" ; "))]
    Fields(Vec<(String, Problem)>),
    /// The record was saved by someone else since the form was read (or, for a new one, it
    /// exists already): what is stored now.
    #[error("modifié entre-temps")]
    Stale { current: Option<VersionedRecord> },
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<StoreError> for EditError {
    fn from(error: StoreError) -> EditError {
        EditError::App(error.into())
    }
}

/// Whether a kind is one record of a learner a form edits (not marks, which have their grid,
/// nor the insertion survey's answers).
pub fn is_editable(kind: Kind) -> bool {
    !matches!(kind, Kind::Marks | Kind::Insertion)
}

/// Reads `fields` (the import's column names, with the text typed) as one row of `kind` and
/// writes it if the stored record is still at `expected_version` (0: there must be none yet).
pub async fn save(
    store: &Database,
    curricula: &Curricula,
    actor: &str,
    kind: Kind,
    fields: &[(String, String)],
    expected_version: i64,
) -> Result<VersionedRecord, EditError> {
    let learner = fields.iter().find(|(name, _)| name == "learner_id").map(|(_, text)| text.trim()).unwrap_or("");
    let known = kind == Kind::Learners
        || (certif_core::ident::is_valid(learner) && store.records_of(learner).await?.iter().any(|r| matches!(r, Record::Learner(_))));
    // A form is held to a file's limits: no cell longer than a spreadsheet's.
    let too_long: Vec<(String, Problem)> = fields
        .iter()
        .filter(|(_, text)| text.len() > certif_ingest::MAX_CELL_BYTES)
        .map(|(name, _)| (name.clone(), Problem::CellTooLong { limit: certif_ingest::MAX_CELL_BYTES }))
        .collect();
    if !too_long.is_empty() {
        return Err(EditError::Fields(too_long));
    }
    let sheet = form_sheet(kind, fields);
    let parsed = crate::import::parse_sheet(kind, &sheet, curricula, &|id| known && id == learner)
        .map_err(|error| EditError::Fields(field_problems(&sheet, error)))?;
    let mut records = crate::import::records_from_rows(parsed.rows);
    let (Some(record), true) = (records.pop(), records.is_empty()) else {
        return Err(AppError::from(InputError(format!("aucun formulaire n'enregistre « {} »", kind.as_str()))).into());
    };
    let key = (record.table().name, record.key());
    match store.put_versioned(record, Some(expected_version), actor).await {
        Ok(stored) => Ok(stored),
        Err(StoreError::Conflict { .. }) => {
            let now = store.versioned_records_of(learner).await?;
            let current = now.into_iter().find(|v| (v.record.table().name, v.record.key()) == key);
            Err(EditError::Stale { current })
        }
        Err(e) => Err(e.into()),
    }
}

/// The form as a sheet: the kind's columns as headers, what was typed as line 2.
fn form_sheet(kind: Kind, fields: &[(String, String)]) -> Sheet {
    let (required, optional) = certif_ingest::columns_of(kind);
    let headers: Vec<String> = required.iter().chain(optional).map(|c| (*c).to_string()).collect();
    let typed = |column: &str| fields.iter().find(|(name, _)| name == column).map_or("", |(_, text)| text.as_str());
    let row = SheetRow::from_cells(2, headers.iter().map(|h| typed(h)));
    Sheet { file: FORM.into(), headers, rows: vec![row] }
}

/// Each problem with the field it is in (its column's header), unwrapped of the column's name.
fn field_problems(sheet: &Sheet, error: certif_ingest::IngestError) -> Vec<(String, Problem)> {
    error
        .issues
        .into_iter()
        .map(|issue| {
            let field = issue.column.checked_sub(1).and_then(|i| sheet.headers.get(i)).cloned().unwrap_or_default();
            let problem = match issue.message {
                Problem::In { problem, .. } => *problem,
                other => other,
            };
            (field, problem)
        })
        .collect()
}

/// A stored record as its form shows it: each field's text as it would be typed (dates ISO,
/// as a date field holds them; marks and scores with a decimal comma).
pub fn fields_of(record: &Record) -> Vec<(&'static str, String)> {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let id = record.learner_id().to_string();
    match record {
        Record::Learner(l) => {
            let c = l.contract.as_ref();
            vec![
                ("learner_id", id),
                ("access_route", l.access_route.as_str().into()),
                ("enrolled_on", l.enrolled_on.to_string()),
                ("family_name", l.learner.family_name.clone().unwrap_or_default()),
                ("given_names", l.learner.given_names.clone().unwrap_or_default()),
                ("birth_date", day(l.learner.birth_date)),
                ("sex", l.learner.sex.map(|s| if s == certif_core::dossier::Sex::F { "F" } else { "M" }).unwrap_or_default().into()),
                ("birth_place_insee", l.learner.birth_place_insee.clone().unwrap_or_default()),
                ("employer", c.and_then(|c| c.employer.clone()).unwrap_or_default()),
                ("employer_siret", c.and_then(|c| c.employer_siret.as_ref()).map(|s| s.as_str().to_string()).unwrap_or_default()),
                ("contract_start", day(c.and_then(|c| c.start))),
                ("contract_end", day(c.and_then(|c| c.end))),
                ("master", c.and_then(|c| c.master.clone()).unwrap_or_default()),
                ("curriculum", l.curriculum.clone().unwrap_or_default()),
            ]
        }
        Record::Mark { module, session1, session2, .. } => vec![
            ("learner_id", id),
            ("module", module.clone()),
            ("session1", mark_text(*session1)),
            ("session2", session2.map(mark_text).unwrap_or_default()),
        ],
        Record::CompanyPeriod { period, .. } => vec![
            ("learner_id", id),
            ("period_id", period.id.clone()),
            ("start", period.start.to_string()),
            ("end", period.end.to_string()),
            ("evaluation", mark_text(period.evaluation)),
        ],
        Record::Mobility { stay, .. } => {
            vec![("learner_id", id), ("start", stay.start.to_string()), ("country", stay.country.clone()), ("end", stay.end.to_string())]
        }
        Record::English { certificate, .. } => vec![
            ("learner_id", id),
            ("test", certificate.test.clone()),
            ("date", certificate.date.to_string()),
            ("score", certificate.score.to_string().replace('.', ",")),
        ],
        Record::Vae { decision, .. } => vec![
            ("learner_id", id),
            ("block", decision.block.clone()),
            (
                "decision",
                match decision.decision {
                    certif_core::dossier::VaeOutcome::Validated => "validated",
                    certif_core::dossier::VaeOutcome::Refused => "refused",
                }
                .into(),
            ),
            ("date", day(decision.date)),
        ],
        Record::Equivalence { equivalence, .. } => {
            vec![("learner_id", id), ("block", equivalence.block.clone()), ("basis", equivalence.basis.clone().unwrap_or_default())]
        }
        Record::Accommodation { accommodation: a, .. } => vec![
            ("learner_id", id),
            ("kind", a.kind.as_str().into()),
            ("target_level", a.target_level.map(|l| l.as_str().to_string()).unwrap_or_default()),
            ("note", a.note.clone().unwrap_or_default()),
            ("decided_on", day(a.decided_on)),
            ("decided_by", a.decided_by.clone().unwrap_or_default()),
            ("definitive", a.definitive.map(|d| if d { "oui" } else { "non" }).unwrap_or_default().into()),
        ],
    }
}

/// A mark as a person types it back into a field: nothing when pending, a decimal comma.
pub fn mark_text(entry: certif_core::mark::MarkEntry) -> String {
    match entry {
        certif_core::mark::MarkEntry::Pending => String::new(),
        other => other.to_string().replace('.', ","),
    }
}

/// The kind of file a record would be imported with (`None`: no form edits it).
pub fn kind_of(record: &Record) -> Option<Kind> {
    match record {
        Record::Learner(_) => Some(Kind::Learners),
        Record::CompanyPeriod { .. } => Some(Kind::CompanyPeriods),
        Record::Mobility { .. } => Some(Kind::Mobility),
        Record::English { .. } => Some(Kind::English),
        Record::Vae { .. } => Some(Kind::Vae),
        Record::Accommodation { .. } => Some(Kind::Accommodations),
        Record::Mark { .. } | Record::Equivalence { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| ((*a).to_string(), (*b).to_string())).collect()
    }

    #[test]
    fn a_form_is_read_as_one_row_under_the_kinds_headers() {
        let sheet = form_sheet(Kind::English, &typed(&[("score", "785"), ("learner_id", "A-1"), ("test", "TOEIC"), ("ignored", "x")]));
        assert_eq!(sheet.headers, ["learner_id", "test", "date", "score"]);
        assert_eq!(sheet.rows.len(), 1);
        assert_eq!(sheet.rows[0].cells().collect::<Vec<_>>(), ["A-1", "TOEIC", "", "785"]);
    }

    #[test]
    fn each_problem_is_given_its_field_unwrapped_of_the_column() {
        let sheet = form_sheet(Kind::English, &typed(&[("learner_id", "A-1")]));
        let issue = |column, message| certif_ingest::Issue { file: FORM.into(), line: 2, column, message };
        let error = certif_ingest::IngestError {
            issues: vec![issue(3, Problem::in_column("date", Problem::Required)), issue(0, Problem::MarksNeedModules)],
            total: 2,
        };
        let problems = field_problems(&sheet, error);
        assert_eq!(problems, vec![("date".to_string(), Problem::Required), (String::new(), Problem::MarksNeedModules)]);
    }
}
