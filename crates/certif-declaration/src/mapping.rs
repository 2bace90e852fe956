//! An award as the schema wants it: every value mapped as spec/declaration.md §1 says.

use certif_core::AccessRoute;
use certif_core::dossier::{Learner, Sex};
use chrono::{Datelike, NaiveDate};

/// A published award of the title, with what the declaration needs of its holder.
#[derive(Debug, Clone)]
pub struct Award {
    /// The UUID kept with the award: the same on every re-export.
    pub id_technique: String,
    pub learner: Learner,
    /// The name in use, when it differs from the birth name.
    pub usage_name: Option<String>,
    pub route: AccessRoute,
    pub enrolled_on: Option<NaiveDate>,
    /// The jury's date: the start of validity.
    pub jury_date: NaiveDate,
    /// The CEFR level (A1…C2) of the English certificate that met the condition.
    pub english_level: Option<String>,
    /// The diploma's public verification URL, when one was issued.
    pub proof_url: Option<String>,
}

/// What a record lacks for the schema: the fields, in the spec's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{learner} : {}", fields.join(", "))]
pub struct Missing {
    pub learner: String,
    pub fields: Vec<&'static str>,
}

/// An award mapped: every value the flow writes, checked against the schema's bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub id_technique: String,
    pub proof_url: Option<String>,
    pub valid_from: NaiveDate,
    pub english_level: Option<String>,
    pub access_mode: &'static str,
    pub vae: bool,
    pub enrolled_on: Option<NaiveDate>,
    pub birth_name: String,
    pub usage_name: Option<String>,
    pub given_names: [Option<String>; 3],
    pub birth_date: NaiveDate,
    pub sex: &'static str,
    pub birth_insee: String,
}

/// The schema's `modaliteAcces` of a route.
pub fn access_mode(route: AccessRoute) -> &'static str {
    match route {
        AccessRoute::Apprenticeship => "FORMATION_INITIALE_APPRENTISSAGE",
        AccessRoute::Student => "FORMATION_INITIALE_HORS_APPRENTISSAGE",
        AccessRoute::ContinuingEducation => "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
        AccessRoute::ProfessionalisationContract => "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION",
        AccessRoute::IndividualCandidate => "CANDIDAT_LIBRE",
        AccessRoute::Vae => "VAE",
    }
}

/// Given names as `prenom1`..`prenom3`: split on spaces and commas (a hyphenated name is one
/// name); beyond three, the rest stays with the third, so nothing is lost.
pub fn given_names(text: &str) -> [Option<String>; 3] {
    let names: Vec<&str> = text.split([' ', ',']).map(str::trim).filter(|n| !n.is_empty()).collect();
    let mut out: [Option<String>; 3] = [None, None, None];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = match i {
            0 | 1 => names.get(i).map(|n| n.to_string()),
            _ => (names.len() > 2).then(|| names[2..].join(" ")),
        };
    }
    out
}

const NAME_MAX: usize = 60;

fn text(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|v| !v.is_empty()).map(String::from)
}

/// The passage of `award`, or every field its record lacks for the schema.
pub fn passage(award: &Award) -> Result<Passage, Missing> {
    let learner = &award.learner;
    let mut fields = Vec::new();
    let birth_name = text(learner.family_name.as_deref());
    if birth_name.as_ref().is_none_or(|n| n.chars().count() > NAME_MAX) {
        fields.push("nom de naissance");
    }
    let given = given_names(learner.given_names.as_deref().unwrap_or(""));
    if given[0].is_none() || given.iter().flatten().any(|n| n.chars().count() > NAME_MAX) {
        fields.push("prénom");
    }
    let birth_date = learner.birth_date.filter(|d| (1900..=2099).contains(&d.year()));
    if birth_date.is_none() {
        fields.push("date de naissance");
    }
    let sex = learner.sex.map(|s| match s {
        Sex::F => "F",
        Sex::M => "M",
    });
    if sex.is_none() {
        fields.push("sexe");
    }
    let insee = text(learner.birth_place_insee.as_deref()).filter(|c| c.len() == 5 && c.chars().all(|c| c.is_ascii_alphanumeric()));
    if insee.is_none() {
        fields.push("lieu de naissance (code INSEE)");
    }
    let (Some(birth_name), Some(birth_date), Some(sex), Some(birth_insee), [Some(_), ..]) = (birth_name, birth_date, sex, insee, &given)
    else {
        return Err(Missing { learner: learner.id.clone(), fields });
    };
    if !fields.is_empty() {
        return Err(Missing { learner: learner.id.clone(), fields });
    }
    let usage_name = text(award.usage_name.as_deref()).filter(|u| *u != birth_name && u.chars().count() <= NAME_MAX);
    Ok(Passage {
        id_technique: award.id_technique.clone(),
        proof_url: text(award.proof_url.as_deref()).filter(|u| u.len() <= 255),
        valid_from: award.jury_date,
        english_level: award.english_level.clone().filter(|l| ["A1", "A2", "B1", "B2", "C1", "C2"].contains(&l.as_str())),
        access_mode: access_mode(award.route),
        vae: award.route == AccessRoute::Vae,
        enrolled_on: award.enrolled_on,
        birth_name,
        usage_name,
        given_names: given,
        birth_date,
        sex,
        birth_insee,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn award() -> Award {
        Award {
            id_technique: "db855769-bcd6-4253-93cf-e666db666c0a".into(),
            learner: Learner {
                id: "A-0001".into(),
                family_name: Some("Dupont".into()),
                given_names: Some("Antoine Julien".into()),
                birth_date: NaiveDate::from_ymd_opt(1996, 11, 15),
                sex: Some(Sex::M),
                birth_place_insee: Some("31555".into()),
            },
            usage_name: None,
            route: AccessRoute::Apprenticeship,
            enrolled_on: NaiveDate::from_ymd_opt(2023, 9, 4),
            jury_date: NaiveDate::from_ymd_opt(2026, 9, 18).unwrap(),
            english_level: Some("B2".into()),
            proof_url: None,
        }
    }

    #[test]
    fn each_route_has_its_access_mode() {
        let modes: Vec<&str> = AccessRoute::ALL.into_iter().map(access_mode).collect();
        assert_eq!(
            modes,
            [
                "FORMATION_INITIALE_HORS_APPRENTISSAGE",
                "FORMATION_INITIALE_APPRENTISSAGE",
                "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
                "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION",
                "CANDIDAT_LIBRE",
                "VAE",
            ]
        );
    }

    #[test]
    fn given_names_fill_three_slots_and_lose_nothing() {
        assert_eq!(given_names("Antoine"), [Some("Antoine".into()), None, None]);
        assert_eq!(given_names(" Jean-Pierre ,  Marie "), [Some("Jean-Pierre".into()), Some("Marie".into()), None]);
        assert_eq!(given_names("A B C D"), [Some("A".into()), Some("B".into()), Some("C D".into())]);
        assert_eq!(given_names("  "), [None, None, None]);
    }

    #[test]
    fn a_complete_record_maps_and_a_lacking_one_says_all_it_lacks() {
        let p = passage(&award()).unwrap();
        assert_eq!((p.access_mode, p.vae, p.sex, p.birth_insee.as_str()), ("FORMATION_INITIALE_APPRENTISSAGE", false, "M", "31555"));
        assert_eq!(p.usage_name, None, "no usage name when it is the birth name");
        let mut lacking = award();
        lacking.learner.birth_place_insee = None;
        lacking.learner.sex = None;
        let missing = passage(&lacking).unwrap_err();
        assert_eq!(missing.fields, ["sexe", "lieu de naissance (code INSEE)"]);
        assert_eq!(missing.to_string(), "A-0001 : sexe, lieu de naissance (code INSEE)");
        let mut vae = award();
        vae.route = AccessRoute::Vae;
        vae.usage_name = Some("Martin".into());
        vae.english_level = Some("B3".into());
        let p = passage(&vae).unwrap();
        assert!(p.vae && p.usage_name.as_deref() == Some("Martin") && p.english_level.is_none());
    }
}
