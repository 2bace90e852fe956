//! User-facing words, French first and English second. Code never spells them inline.

use crate::codes::ReasonCode;
use crate::decision::{ConditionStatus, Status, TitleStatus, Via};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub fn parse(text: &str) -> Option<Lang> {
        match text {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The words for `lang` of a pair written French first.
pub fn pick(lang: Lang, fr: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

/// What a reason code means, in plain words.
pub fn reason(code: ReasonCode, lang: Lang) -> &'static str {
    use ReasonCode::*;
    match code {
        UeBelowPassMark => pick(lang, "moyenne de l'UE inférieure à la note de passage", "UE average below the pass mark"),
        ModuleBelowFloor => pick(lang, "note éliminatoire dans un module", "a module mark below the floor"),
        MarkMissing => pick(lang, "note manquante", "mark missing"),
        BlockNotValidated => pick(lang, "bloc non validé", "block not validated"),
        BlockIncomplete => pick(lang, "bloc incomplet", "block incomplete"),
        AccessRouteNotOpen => {
            pick(lang, "voie d'accès non ouverte pour cette certification", "access route not open for this certification")
        }
        ApprenticeshipContractMissing => pick(lang, "contrat d'apprentissage manquant", "apprenticeship contract missing"),
        RegistrationExpired => pick(
            lang,
            "inscription après la fin d'enregistrement de la certification",
            "enrolled after the certification's registration ended",
        ),
        CompanyPeriodsMissing => pick(lang, "aucune période en entreprise", "no company period"),
        CompanyPeriodNotEvaluated => pick(lang, "période en entreprise non évaluée", "company period not evaluated"),
        CompanyPeriodBelowPassMark => pick(lang, "période en entreprise sous la note de passage", "company period below the pass mark"),
        MobilityMissing => pick(lang, "aucune mobilité internationale", "no international mobility"),
        MobilityNotAbroad => {
            pick(lang, "séjour hors de l'étranger (France ou outre-mer)", "stay not abroad (France or overseas territory)")
        }
        MobilityTooShort => pick(lang, "séjour trop court", "stay too short"),
        MobilityOutsideCompanyPeriod => pick(lang, "séjour hors d'une période en entreprise", "stay outside a company period"),
        EnglishMissing => pick(lang, "aucune certification en anglais", "no English certificate"),
        EnglishBelowTarget => pick(lang, "niveau d'anglais insuffisant", "English level below the target"),
        EnglishExpired => pick(lang, "certification en anglais expirée", "English certificate expired"),
        EnglishAfterEvaluationDate => {
            pick(lang, "certification en anglais postérieure à la date d'évaluation", "English certificate dated after the evaluation date")
        }
        BlockEquivalenceRefused => pick(
            lang,
            "équivalence refusée : aucun bloc ne peut être obtenu de droit par équivalence",
            "equivalence refused: no block is granted by equivalence",
        ),
        MobilityBelowRecommended => {
            pick(lang, "mobilité sous la durée préconisée (12 semaines)", "mobility below the recommended length (12 weeks)")
        }
        CompanyPeriodNotFinished | MobilityNotFinished | VaeAfterEvaluationDate => second_edition_reason(code, lang),
    }
}

pub fn title_status(status: TitleStatus, lang: Lang) -> &'static str {
    match status {
        TitleStatus::Awarded => pick(lang, "DÉLIVRÉ", "AWARDED"),
        TitleStatus::NotAwarded => pick(lang, "NON DÉLIVRÉ", "NOT AWARDED"),
        TitleStatus::Incomplete => pick(lang, "INCOMPLET", "INCOMPLETE"),
    }
}

pub fn status(status: Status, lang: Lang) -> &'static str {
    match status {
        Status::Validated => pick(lang, "validé", "validated"),
        Status::NotValidated => pick(lang, "non validé", "not validated"),
        Status::Incomplete => pick(lang, "incomplet", "incomplete"),
    }
}

pub fn via(via: Via, lang: Lang) -> &'static str {
    match via {
        Via::Training => pick(lang, "formation", "training"),
        Via::Vae => pick(lang, "VAE", "VAE"),
    }
}

pub fn condition_status(status: ConditionStatus, lang: Lang) -> &'static str {
    match status {
        ConditionStatus::Met => pick(lang, "remplie", "met"),
        ConditionStatus::Unmet => pick(lang, "non remplie", "unmet"),
        ConditionStatus::Incomplete => pick(lang, "en attente", "pending"),
        ConditionStatus::NotRequired => pick(lang, "non requise", "not required"),
    }
}

/// The name of a title condition, by its key in the decision.
pub fn condition(key: &str, lang: Lang) -> &'static str {
    match key {
        "access" => pick(lang, "Voie d'accès", "Access route"),
        "registration" => pick(lang, "Enregistrement", "Registration"),
        "company_periods" => pick(lang, "Périodes en entreprise", "Company periods"),
        "mobility" => pick(lang, "Mobilité internationale", "International mobility"),
        "english" => pick(lang, "Anglais", "English"),
        _ => pick(lang, "Condition", "Condition"),
    }
}

/// An access route's name.
pub fn route(route: crate::AccessRoute, lang: Lang) -> &'static str {
    use crate::AccessRoute::*;
    match route {
        Student => pick(lang, "formation initiale", "student"),
        Apprenticeship => pick(lang, "apprentissage", "apprenticeship"),
        ContinuingEducation => pick(lang, "formation continue", "continuing education"),
        ProfessionalisationContract => pick(lang, "contrat de pro.", "professionalisation"),
        IndividualCandidate => pick(lang, "candidat libre", "individual candidate"),
        Vae => pick(lang, "VAE", "VAE"),
    }
}

pub fn word(key: &str, lang: Lang) -> &'static str {
    match key {
        "learner" => pick(lang, "Apprenant", "Learner"),
        "evaluated_on" => pick(lang, "évalué le", "evaluated on"),
        "title" => pick(lang, "Titre", "Title"),
        "blocks" => pick(lang, "Blocs de compétences", "Competency blocks"),
        "conditions" => pick(lang, "Conditions de délivrance", "Award conditions"),
        "warnings" => pick(lang, "Avertissements", "Warnings"),
        "average" => pick(lang, "moyenne", "average"),
        "final" => pick(lang, "note retenue", "final mark"),
        "missing" => pick(lang, "manquante", "missing"),
        "below_floor" => pick(lang, "éliminatoire", "below floor"),
        "ects" => pick(lang, "ECTS acquis", "ECTS earned"),
        "threshold" => pick(lang, "seuil", "threshold"),
        "days" => pick(lang, "jours", "days"),
        "reasons" => pick(lang, "motifs", "reasons"),
        _ => "",
    }
}

// Reason codes of the engine's second edition (spec/evaluation.md §6): facts not yet happened.

fn second_edition_reason(code: ReasonCode, lang: Lang) -> &'static str {
    match code {
        ReasonCode::CompanyPeriodNotFinished => {
            pick(lang, "période en entreprise non terminée à la date d'évaluation", "company period not finished on the evaluation date")
        }
        ReasonCode::MobilityNotFinished => {
            pick(lang, "séjour non terminé à la date d'évaluation", "stay not finished on the evaluation date")
        }
        ReasonCode::VaeAfterEvaluationDate => pick(
            lang,
            "décision de VAE postérieure à la date d'évaluation : ignorée",
            "VAE decision dated after the evaluation date: ignored",
        ),
        _ => "",
    }
}
