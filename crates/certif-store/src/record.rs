//! The records a dossier is made of, as stored rows: every column is text (ISO dates, marks as
//! `12.5`/`ABJ`/`ABI`), so SQLite and PostgreSQL hold exactly the same values.

use certif_core::dossier::*;
use certif_core::mark::MarkEntry;
use certif_core::{AccessRoute, CefrLevel, Dossier};
use chrono::NaiveDate;

mod dossier;

pub use dossier::{dossier_from, records_of_dossier};

/// One stored fact about a learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Learner(LearnerRecord),
    /// `session2: None` in a write keeps the stored resit (a wide marks file has no resit column).
    Mark {
        learner_id: String,
        module: String,
        session1: MarkEntry,
        session2: Option<MarkEntry>,
    },
    CompanyPeriod {
        learner_id: String,
        period: CompanyPeriod,
    },
    Mobility {
        learner_id: String,
        stay: MobilityStay,
    },
    English {
        learner_id: String,
        certificate: EnglishCertificate,
    },
    Vae {
        learner_id: String,
        decision: VaeDecision,
    },
    Equivalence {
        learner_id: String,
        equivalence: Equivalence,
    },
    Accommodation {
        learner_id: String,
        accommodation: Accommodation,
    },
}

/// A learner: identity, route, enrolment, contract and curriculum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearnerRecord {
    pub learner: Learner,
    pub access_route: AccessRoute,
    pub enrolled_on: NaiveDate,
    pub contract: Option<ApprenticeshipContract>,
    pub curriculum: Option<String>,
}

/// A table: its name, key columns and value columns (all text).
#[derive(Debug, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    pub key: &'static [&'static str],
    pub values: &'static [&'static str],
}

pub const LEARNERS: Table = Table {
    name: "learners",
    key: &["learner_id"],
    values: &[
        "family_name",
        "given_names",
        "birth_date",
        "sex",
        "birth_place_insee",
        "access_route",
        "enrolled_on",
        "employer",
        "employer_siret",
        "contract_start",
        "contract_end",
        "master",
        "curriculum",
    ],
};
pub const MARKS: Table = Table { name: "marks", key: &["learner_id", "module"], values: &["session1", "session2"] };
pub const COMPANY_PERIODS: Table =
    Table { name: "company_periods", key: &["learner_id", "period_id"], values: &["start_on", "end_on", "evaluation"] };
pub const MOBILITY: Table = Table { name: "mobility", key: &["learner_id", "start_on", "country"], values: &["end_on"] };
pub const ENGLISH: Table = Table { name: "english", key: &["learner_id", "test", "taken_on"], values: &["score"] };
pub const VAE: Table = Table { name: "vae", key: &["learner_id", "block"], values: &["decision", "decided_on"] };
pub const EQUIVALENCES: Table = Table { name: "equivalences", key: &["learner_id", "block"], values: &["basis"] };
/// A learner may hold several accommodations of one kind (a provisional decision, then the
/// definitive one), told apart by `decided_on` (`''` when undated).
pub const ACCOMMODATIONS: Table = Table {
    name: "accommodations",
    key: &["learner_id", "kind", "decided_on"],
    values: &["target_level", "note", "decided_by", "definitive"],
};

impl Table {
    /// What one row of the table is, in words for a registrar (the refusal of a stale edit names it).
    pub fn row_words(&self) -> &'static str {
        match self.name {
            "learners" => "la fiche de l'apprenant",
            "marks" => "la note",
            "company_periods" => "la période en entreprise",
            "mobility" => "le séjour de mobilité",
            "english" => "le résultat d'anglais",
            "vae" => "la décision de VAE",
            "equivalences" => "l'équivalence",
            "accommodations" => "l'aménagement",
            other => other,
        }
    }
}

/// Every table, learners first (the others refer to them).
pub const TABLES: [&Table; 8] = [&LEARNERS, &MARKS, &COMPANY_PERIODS, &MOBILITY, &ENGLISH, &VAE, &EQUIVALENCES, &ACCOMMODATIONS];

fn text(value: &impl ToString) -> Option<String> {
    Some(value.to_string())
}

fn mark_text(entry: MarkEntry) -> Option<String> {
    match entry {
        MarkEntry::Pending => None,
        other => Some(other.to_string()),
    }
}

fn parse_mark(value: &Option<String>) -> Result<MarkEntry, String> {
    value.as_deref().map_or(Ok(MarkEntry::Pending), |text| MarkEntry::from_cell(text).map_err(|e| e.to_string()))
}

fn parse_date(value: &Option<String>) -> Result<Option<NaiveDate>, String> {
    value.as_deref().map(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|e| format!("{t:?}: {e}"))).transpose()
}

fn required<T>(value: Option<T>, column: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("{column} is empty"))
}

impl Record {
    pub fn table(&self) -> &'static Table {
        match self {
            Record::Learner(_) => &LEARNERS,
            Record::Mark { .. } => &MARKS,
            Record::CompanyPeriod { .. } => &COMPANY_PERIODS,
            Record::Mobility { .. } => &MOBILITY,
            Record::English { .. } => &ENGLISH,
            Record::Vae { .. } => &VAE,
            Record::Equivalence { .. } => &EQUIVALENCES,
            Record::Accommodation { .. } => &ACCOMMODATIONS,
        }
    }

    pub fn learner_id(&self) -> &str {
        match self {
            Record::Learner(l) => &l.learner.id,
            Record::Mark { learner_id, .. }
            | Record::CompanyPeriod { learner_id, .. }
            | Record::Mobility { learner_id, .. }
            | Record::English { learner_id, .. }
            | Record::Vae { learner_id, .. }
            | Record::Equivalence { learner_id, .. }
            | Record::Accommodation { learner_id, .. } => learner_id,
        }
    }

    /// The key columns' values, in the table's order.
    pub fn key(&self) -> Vec<String> {
        let id = self.learner_id().to_string();
        match self {
            Record::Learner(_) => vec![id],
            Record::Mark { module, .. } => vec![id, module.clone()],
            Record::CompanyPeriod { period, .. } => vec![id, period.id.clone()],
            Record::Mobility { stay, .. } => vec![id, stay.start.to_string(), stay.country.clone()],
            Record::English { certificate, .. } => vec![id, certificate.test.clone(), certificate.date.to_string()],
            Record::Vae { decision, .. } => vec![id, decision.block.clone()],
            Record::Equivalence { equivalence, .. } => vec![id, equivalence.block.clone()],
            Record::Accommodation { accommodation, .. } => {
                vec![id, accommodation.kind.as_str().to_string(), accommodation.decided_on.map(|d| d.to_string()).unwrap_or_default()]
            }
        }
    }

    /// The key as the audit log names it: the key columns joined by `/`, an undated
    /// accommodation's empty date left out (so entries written before accommodations had a
    /// history still name the same row).
    pub fn audit_key(&self) -> String {
        let mut key = self.key();
        if matches!(self, Record::Accommodation { .. }) && key.last().is_some_and(String::is_empty) {
            key.pop();
        }
        key.join("/")
    }

    /// The value columns, in the table's order (`None` is SQL NULL).
    pub fn values(&self) -> Vec<Option<String>> {
        match self {
            Record::Learner(l) => {
                let c = l.contract.as_ref();
                vec![
                    l.learner.family_name.clone(),
                    l.learner.given_names.clone(),
                    l.learner.birth_date.as_ref().and_then(text),
                    l.learner.sex.map(|s| if s == Sex::F { "F".into() } else { "M".into() }),
                    l.learner.birth_place_insee.clone(),
                    text(&l.access_route),
                    text(&l.enrolled_on),
                    c.and_then(|c| c.employer.clone()),
                    c.and_then(|c| c.employer_siret.as_ref().map(|s| s.as_str().to_string())),
                    c.and_then(|c| c.start.as_ref().and_then(text)),
                    c.and_then(|c| c.end.as_ref().and_then(text)),
                    c.and_then(|c| c.master.clone()),
                    l.curriculum.clone(),
                ]
            }
            Record::Mark { session1, session2, .. } => vec![mark_text(*session1), session2.and_then(mark_text)],
            Record::CompanyPeriod { period, .. } => vec![text(&period.start), text(&period.end), mark_text(period.evaluation)],
            Record::Mobility { stay, .. } => vec![text(&stay.end)],
            Record::English { certificate, .. } => vec![text(&certificate.score)],
            Record::Vae { decision, .. } => {
                let outcome = match decision.decision {
                    VaeOutcome::Validated => "validated",
                    VaeOutcome::Refused => "refused",
                };
                vec![text(&outcome), decision.date.as_ref().and_then(text)]
            }
            Record::Equivalence { equivalence, .. } => vec![equivalence.basis.clone()],
            Record::Accommodation { accommodation: a, .. } => {
                vec![a.target_level.as_ref().and_then(text), a.note.clone(), a.decided_by.clone(), a.definitive.as_ref().and_then(text)]
            }
        }
    }

    /// This write applied onto what is stored: a mark written without a resit keeps the stored one.
    pub fn merged_onto(self, stored: Option<&Record>) -> Record {
        match (self, stored) {
            (Record::Mark { learner_id, module, session1, session2: None }, Some(Record::Mark { session2: kept, .. })) => {
                Record::Mark { learner_id, module, session1, session2: Some(kept.unwrap_or_default()) }
            }
            (Record::Mark { learner_id, module, session1, session2: None }, None) => {
                Record::Mark { learner_id, module, session1, session2: Some(MarkEntry::Pending) }
            }
            (record, _) => record,
        }
    }

    /// The values as a JSON object, as the audit log records them.
    pub fn values_json(&self) -> String {
        let table = self.table();
        let mut map: serde_json::Map<String, serde_json::Value> = table
            .values
            .iter()
            .zip(self.values())
            .map(|(column, value)| ((*column).to_string(), value.map_or(serde_json::Value::Null, serde_json::Value::String)))
            .collect();
        // The audit entries keep naming an accommodation's date, as they did before it became
        // part of the key.
        if let Record::Accommodation { accommodation, .. } = self {
            let date = accommodation.decided_on.map_or(serde_json::Value::Null, |d| serde_json::Value::String(d.to_string()));
            map.insert("decided_on".into(), date);
        }
        serde_json::Value::Object(map).to_string()
    }

    /// Reads a stored row back (key and values in the table's column order).
    pub fn from_row(table: &Table, key: &[String], values: &[Option<String>]) -> Result<Record, String> {
        let v = |i: usize| values.get(i).cloned().flatten();
        let learner_id = key.first().cloned().unwrap_or_default();
        let key_at = |i: usize| key.get(i).cloned().unwrap_or_default();
        Ok(match table.name {
            "learners" => {
                let employer = v(7);
                let contract = employer.is_some().then(|| -> Result<ApprenticeshipContract, String> {
                    Ok(ApprenticeshipContract {
                        employer: v(7),
                        employer_siret: v(8).map(|s| Siret::parse(&s).ok_or_else(|| format!("{s:?} is not a SIRET"))).transpose()?,
                        start: parse_date(&v(9))?,
                        end: parse_date(&v(10))?,
                        master: v(11),
                    })
                });
                Record::Learner(LearnerRecord {
                    learner: Learner {
                        id: learner_id,
                        family_name: v(0),
                        given_names: v(1),
                        birth_date: parse_date(&v(2))?,
                        sex: match v(3).as_deref() {
                            Some("F") => Some(Sex::F),
                            Some("M") => Some(Sex::M),
                            _ => None,
                        },
                        birth_place_insee: v(4),
                    },
                    access_route: AccessRoute::parse(&required(v(5), "access_route")?).ok_or("unknown access route")?,
                    enrolled_on: required(parse_date(&v(6))?, "enrolled_on")?,
                    contract: contract.transpose()?,
                    curriculum: v(12),
                })
            }
            "marks" => Record::Mark { learner_id, module: key_at(1), session1: parse_mark(&v(0))?, session2: Some(parse_mark(&v(1))?) },
            "company_periods" => Record::CompanyPeriod {
                learner_id,
                period: CompanyPeriod {
                    id: key_at(1),
                    start: required(parse_date(&v(0))?, "start_on")?,
                    end: required(parse_date(&v(1))?, "end_on")?,
                    evaluation: parse_mark(&v(2))?,
                },
            },
            "mobility" => Record::Mobility {
                learner_id,
                stay: MobilityStay {
                    start: required(parse_date(&Some(key_at(1)))?, "start_on")?,
                    country: key_at(2),
                    end: required(parse_date(&v(0))?, "end_on")?,
                },
            },
            "english" => {
                let score = required(v(0), "score")?;
                let score = match CefrLevel::parse(&score) {
                    Some(level) => EnglishScore::Level(level),
                    None => EnglishScore::Points(certif_core::mark::parse_decimal(&score).ok_or("bad score")?),
                };
                Record::English {
                    learner_id,
                    certificate: EnglishCertificate { test: key_at(1), date: required(parse_date(&Some(key_at(2)))?, "taken_on")?, score },
                }
            }
            "vae" => Record::Vae {
                learner_id,
                decision: VaeDecision {
                    block: key_at(1),
                    decision: if v(0).as_deref() == Some("validated") { VaeOutcome::Validated } else { VaeOutcome::Refused },
                    date: parse_date(&v(1))?,
                },
            },
            "equivalences" => Record::Equivalence { learner_id, equivalence: Equivalence { block: key_at(1), basis: v(0) } },
            "accommodations" => Record::Accommodation {
                learner_id,
                accommodation: Accommodation {
                    kind: AccommodationKind::parse(&key_at(1)).ok_or("unknown accommodation kind")?,
                    target_level: v(0).as_deref().and_then(CefrLevel::parse),
                    note: v(1),
                    decided_on: parse_date(&Some(key_at(2)).filter(|d| !d.is_empty()))?,
                    decided_by: v(2),
                    definitive: v(3).map(|d| d == "true"),
                },
            },
            other => return Err(format!("unknown table {other}")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn date(t: &str) -> NaiveDate {
        NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap()
    }

    pub(super) fn samples() -> Vec<Record> {
        let id = "A-1".to_string();
        vec![
            Record::Learner(LearnerRecord {
                learner: Learner {
                    id: id.clone(),
                    family_name: Some("Lefèvre".into()),
                    given_names: Some("Élodie".into()),
                    birth_date: Some(date("2002-05-14")),
                    sex: Some(Sex::F),
                    birth_place_insee: Some("86194".into()),
                },
                access_route: AccessRoute::Apprenticeship,
                enrolled_on: date("2023-09-04"),
                contract: Some(ApprenticeshipContract {
                    employer: Some("Airbus".into()),
                    employer_siret: Siret::parse("41280598700010"),
                    start: Some(date("2023-09-04")),
                    end: None,
                    master: None,
                }),
                curriculum: Some("ENSMA-GIAE-DEMO".into()),
            }),
            Record::Mark {
                learner_id: id.clone(),
                module: "M1.1.1".into(),
                session1: MarkEntry::JustifiedAbsence,
                session2: Some(MarkEntry::Value("12.5".parse().unwrap())),
            },
            Record::CompanyPeriod {
                learner_id: id.clone(),
                period: CompanyPeriod {
                    id: "P1".into(),
                    start: date("2023-10-02"),
                    end: date("2024-01-26"),
                    evaluation: MarkEntry::Pending,
                },
            },
            Record::Mobility {
                learner_id: id.clone(),
                stay: MobilityStay { country: "DE".into(), start: date("2025-03-03"), end: date("2025-05-30") },
            },
            Record::English {
                learner_id: id.clone(),
                certificate: EnglishCertificate {
                    test: "IELTS".into(),
                    score: EnglishScore::Points("6.5".parse().unwrap()),
                    date: date("2025-06-12"),
                },
            },
            Record::English {
                learner_id: id.clone(),
                certificate: EnglishCertificate {
                    test: "CLES".into(),
                    score: EnglishScore::Level(CefrLevel::B2),
                    date: date("2025-06-13"),
                },
            },
            Record::Vae {
                learner_id: id.clone(),
                decision: VaeDecision { block: "RNCP39668BC03".into(), decision: VaeOutcome::Validated, date: None },
            },
            Record::Equivalence {
                learner_id: id.clone(),
                equivalence: Equivalence { block: "RNCP39668BC01".into(), basis: Some("RNCP35642BC01".into()) },
            },
            Record::Accommodation {
                learner_id: id,
                accommodation: Accommodation {
                    kind: AccommodationKind::EnglishAdaptation,
                    target_level: Some(CefrLevel::B1),
                    note: None,
                    decided_on: Some(date("2024-01-10")),
                    decided_by: Some("Directeur".into()),
                    definitive: Some(true),
                },
            },
        ]
    }

    #[test]
    fn every_record_reads_back_from_its_row() {
        for record in samples() {
            let table = record.table();
            assert_eq!(record.key().len(), table.key.len(), "{}", table.name);
            assert_eq!(record.values().len(), table.values.len(), "{}", table.name);
            let back = Record::from_row(table, &record.key(), &record.values()).unwrap();
            assert_eq!(back, record, "{}", table.name);
        }
    }

    #[test]
    fn a_mark_without_resit_keeps_the_stored_one() {
        let stored = Record::Mark {
            learner_id: "A".into(),
            module: "M".into(),
            session1: MarkEntry::Pending,
            session2: Some(MarkEntry::UnjustifiedAbsence),
        };
        let write = Record::Mark { learner_id: "A".into(), module: "M".into(), session1: MarkEntry::JustifiedAbsence, session2: None };
        let Record::Mark { session2, .. } = write.clone().merged_onto(Some(&stored)) else { panic!() };
        assert_eq!(session2, Some(MarkEntry::UnjustifiedAbsence));
        let Record::Mark { session2, .. } = write.merged_onto(None) else { panic!() };
        assert_eq!(session2, Some(MarkEntry::Pending));
    }
}
