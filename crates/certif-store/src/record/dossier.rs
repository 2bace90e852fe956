//! Records to a learner's `Dossier` and back.

use super::*;

/// A learner's dossier from their stored records, or `None` without a learner record.
/// `certification_of` gives the certification of the learner's curriculum.
pub fn dossier_from(
    records: &[Record],
    evaluated_on: NaiveDate,
    certification_of: impl Fn(Option<&str>) -> Option<String>,
) -> Option<Dossier> {
    let learner = records.iter().find_map(|r| match r {
        Record::Learner(l) => Some(l),
        _ => None,
    })?;
    let mut dossier = Dossier {
        certification: certification_of(learner.curriculum.as_deref()).unwrap_or_else(|| "RNCP39668".to_string()),
        evaluated_on,
        learner: learner.learner.clone(),
        access_route: learner.access_route,
        enrolled_on: learner.enrolled_on,
        apprenticeship_contract: learner.contract.clone(),
        marks: Vec::new(),
        company_periods: Vec::new(),
        mobility: Vec::new(),
        english: Vec::new(),
        vae: Vec::new(),
        equivalences: Vec::new(),
        accommodations: Vec::new(),
    };
    for record in records {
        match record {
            Record::Learner(_) => {}
            Record::Mark { module, session1, session2, .. } => dossier.marks.push(ModuleMarks {
                module: module.as_str().into(),
                session1: *session1,
                session2: session2.unwrap_or_default(),
            }),
            Record::CompanyPeriod { period, .. } => dossier.company_periods.push(period.clone()),
            Record::Mobility { stay, .. } => dossier.mobility.push(stay.clone()),
            Record::English { certificate, .. } => dossier.english.push(certificate.clone()),
            Record::Vae { decision, .. } => dossier.vae.push(decision.clone()),
            Record::Equivalence { equivalence, .. } => dossier.equivalences.push(equivalence.clone()),
            Record::Accommodation { accommodation, .. } => dossier.accommodations.push(accommodation.clone()),
        }
    }
    Some(dossier)
}

/// The records that hold a dossier, the learner record first (its curriculum named).
pub fn records_of_dossier(dossier: &Dossier, curriculum: Option<&str>) -> Vec<Record> {
    let id = || dossier.learner.id.clone();
    let mut records = vec![Record::Learner(LearnerRecord {
        learner: dossier.learner.clone(),
        access_route: dossier.access_route,
        enrolled_on: dossier.enrolled_on,
        contract: dossier.apprenticeship_contract.clone(),
        curriculum: curriculum.map(String::from),
    })];
    records.extend(dossier.marks.iter().map(|m| Record::Mark {
        learner_id: id(),
        module: m.module.to_string(),
        session1: m.session1,
        session2: Some(m.session2),
    }));
    records.extend(dossier.company_periods.iter().map(|p| Record::CompanyPeriod { learner_id: id(), period: p.clone() }));
    records.extend(dossier.mobility.iter().map(|s| Record::Mobility { learner_id: id(), stay: s.clone() }));
    records.extend(dossier.english.iter().map(|c| Record::English { learner_id: id(), certificate: c.clone() }));
    records.extend(dossier.vae.iter().map(|d| Record::Vae { learner_id: id(), decision: d.clone() }));
    records.extend(dossier.equivalences.iter().map(|e| Record::Equivalence { learner_id: id(), equivalence: e.clone() }));
    records.extend(dossier.accommodations.iter().map(|a| Record::Accommodation { learner_id: id(), accommodation: a.clone() }));
    records
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::{date, samples};

    #[test]
    fn a_dossier_round_trips_through_its_records() {
        let dossier = dossier_from(&samples(), date("2026-09-18"), |_| Some("RNCP39668".into())).unwrap();
        let records = records_of_dossier(&dossier, Some("ENSMA-GIAE-DEMO"));
        assert_eq!(dossier_from(&records, date("2026-09-18"), |_| Some("RNCP39668".into())).unwrap(), dossier);
    }

    #[test]
    fn a_dossier_is_assembled_from_records() {
        let dossier = dossier_from(&samples(), date("2026-09-18"), |c| c.map(|_| "RNCP39668".to_string())).unwrap();
        assert_eq!(dossier.learner.id, "A-1");
        assert_eq!(dossier.marks.len(), 1);
        assert_eq!(dossier.english.len(), 2);
        assert_eq!(dossier.accommodations.len(), 1);
        assert!(dossier_from(&samples()[1..], date("2026-09-18"), |_| None).is_none());
    }
}
