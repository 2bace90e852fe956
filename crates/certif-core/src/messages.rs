//! User-facing words, French first and English second. Code never spells them inline.

pub mod accounts;
pub mod cli;
pub mod cohort;
pub mod credentials;
pub mod dossier;
pub mod import;
pub mod jury;
pub mod records;
pub mod stats;
pub mod workbench;

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

/// A jury seat's role, by its code in a composition (spec/jury.md §1); `None` for a role
/// certif has no words for (shown as written).
pub fn jury_role(role: &str, lang: Lang) -> Option<&'static str> {
    Some(match role {
        "president" => pick(lang, "président du jury", "jury president"),
        "director_of_studies" => pick(lang, "directeur des études et de la formation", "director of studies"),
        "alternance_manager" => pick(lang, "responsable de la formation par alternance", "work-study programme manager"),
        "partner_training_manager" => pick(lang, "responsable de formation de l'unité en convention", "partner unit's training manager"),
        "teacher" => pick(lang, "enseignant", "teacher"),
        "cfa_director" => pick(lang, "directeur du CFA partenaire", "partner CFA's director"),
        _ => return None,
    })
}

/// A jury's decision in words, by its code on the minutes (ADM, VAL, AJ, REF).
pub fn jury_outcome(code: &str, lang: Lang) -> &'static str {
    match code {
        "ADM" => pick(lang, "admis : titre délivré", "awarded: title granted"),
        "VAL" => pick(lang, "validation de blocs de compétences", "competency blocks validated"),
        "AJ" => pick(lang, "ajourné", "deferred"),
        "REF" => pick(lang, "refusé", "refused"),
        _ => "",
    }
}

/// A jury session's kind (`title` or `vae`).
pub fn jury_kind(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "title" => pick(lang, "jury de délivrance du titre", "title jury"),
        "vae" => pick(lang, "jury de validation des acquis de l'expérience (VAE)", "VAE jury"),
        _ => "",
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

/// A phrase of the web pages (`certif serve`), by what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ui {
    Cohort,
    MarksEntry,
    MyApprentices,
    MyProgress,
    SignOut,
    ForbiddenTitle,
    ForbiddenText,
    NotFoundTitle,
    NotFoundText,
    Error,
    EvaluationOutOf20,
    Save,
    Saved,
    ChangedMeanwhile,
    LearnersCount,
    Learner,
    Title,
    MissingConditions,
    Filter,
    ExportCsv,
    All,
    BlocksLower,
    Value,
    Needed,
    TargetAdapted,
    Accommodation,
    CompetencyBlocks,
    AwardConditions,
    CompanyPeriods,
    InternationalMobility,
    English,
    EvaluationLower,
    SignInTitle,
    Username,
    Password,
    SignInButton,
    WrongCredentials,
    MarksEntryOf,
    Session1,
    Resit,
    GridHelp,
    MyModules,
    Session1Lower,
    ResitLower,
    NotAloneMarkMissing,
    NotAloneEvenTwenty,
    SameMarkInEach,
    LeastMarkColon,
    NoMarkSuffices,
    LevelNeeded,
    AtLeastLower,
    AtLeast,
    DaysAbroad,
    Stay,
    ShortBy,
    Days,
    PeriodsColon,
    EvaluationOfAtLeast,
    WhatItTakes,
    WhatItTakesIntro,
    Module,
    Session,
    LeastMarkAlone,
}

/// A phrase of the web pages in the language asked.
pub fn ui(phrase: Ui, lang: Lang) -> &'static str {
    match phrase {
        Ui::Cohort => pick(lang, "Cohorte", "Cohort"),
        Ui::MarksEntry => pick(lang, "Saisie des notes", "Marks entry"),
        Ui::MyApprentices => pick(lang, "Mes apprentis", "My apprentices"),
        Ui::MyProgress => pick(lang, "Mon parcours", "My progress"),
        Ui::SignOut => pick(lang, "Se déconnecter", "Sign out"),
        Ui::ForbiddenTitle => pick(lang, "Accès refusé (403)", "Access denied (403)"),
        Ui::ForbiddenText => pick(lang, "Votre rôle ne permet pas d'ouvrir cette page.", "Your role may not open this page."),
        Ui::NotFoundTitle => pick(lang, "Page introuvable (404)", "Not found (404)"),
        Ui::NotFoundText => {
            pick(lang, "Cette page n'existe pas, ou ne vous est pas accessible.", "This page does not exist, or is not yours to see.")
        }
        Ui::Error => pick(lang, "Erreur", "Error"),
        Ui::EvaluationOutOf20 => pick(lang, "Évaluation (sur 20)", "Evaluation (out of 20)"),
        Ui::Save => pick(lang, "Enregistrer", "Save"),
        Ui::Saved => pick(lang, "Enregistré", "Saved"),
        Ui::ChangedMeanwhile => {
            pick(lang, "Modifiée entre-temps par quelqu'un d'autre ; valeur actuelle :", "Changed meanwhile by someone else; now:")
        }
        Ui::LearnersCount => pick(lang, "apprenant(s)", "learner(s)"),
        Ui::Learner => pick(lang, "Apprenant", "Learner"),
        Ui::Title => pick(lang, "Titre", "Title"),
        Ui::MissingConditions => pick(lang, "Conditions manquantes", "Missing conditions"),
        Ui::Filter => pick(lang, "Filtrer", "Filter"),
        Ui::ExportCsv => pick(lang, "Exporter en CSV", "Export as CSV"),
        Ui::All => pick(lang, "Tous", "All"),
        Ui::BlocksLower => pick(lang, "blocs", "blocks"),
        Ui::Value => pick(lang, "valeur", "value"),
        Ui::Needed => pick(lang, "il faut", "needed"),
        Ui::TargetAdapted => pick(lang, "Cible adaptée :", "Target adapted:"),
        Ui::Accommodation => pick(lang, "aménagement", "accommodation"),
        Ui::CompetencyBlocks => pick(lang, "Blocs de compétences", "Competency blocks"),
        Ui::AwardConditions => pick(lang, "Conditions de délivrance", "Award conditions"),
        Ui::CompanyPeriods => pick(lang, "Périodes en entreprise", "Company periods"),
        Ui::InternationalMobility => pick(lang, "Mobilité internationale", "International mobility"),
        Ui::English => pick(lang, "Anglais", "English"),
        Ui::EvaluationLower => pick(lang, "évaluation", "evaluation"),
        Ui::SignInTitle => pick(lang, "Connexion", "Sign in"),
        Ui::Username => pick(lang, "Identifiant", "Username"),
        Ui::Password => pick(lang, "Mot de passe", "Password"),
        Ui::SignInButton => pick(lang, "Se connecter", "Sign in"),
        Ui::WrongCredentials => pick(lang, "Identifiant ou mot de passe incorrect.", "Wrong username or password."),
        Ui::MarksEntryOf => pick(lang, "Saisie des notes —", "Marks —"),
        Ui::Session1 => pick(lang, "Session 1", "Session 1"),
        Ui::Resit => pick(lang, "Rattrapage", "Resit"),
        Ui::GridHelp => pick(
            lang,
            "Tabulation pour passer d'une case à l'autre, Entrée pour enregistrer la ligne. Virgule ou point décimal ; ABJ, ABI acceptés ; vide = pas de note.",
            "Tab moves between cells, Enter saves the row. Decimal comma or point; ABJ, ABI accepted; empty = no mark.",
        ),
        Ui::MyModules => pick(lang, "Mes modules", "My modules"),
        Ui::Session1Lower => pick(lang, "session 1", "session 1"),
        Ui::ResitLower => pick(lang, "rattrapage", "resit"),
        Ui::NotAloneMarkMissing => pick(lang, "impossible seul : une autre note manque encore", "not alone: another mark is still missing"),
        Ui::NotAloneEvenTwenty => pick(lang, "impossible seul : même 20 ne suffit pas", "not alone: even 20 is not enough"),
        Ui::SameMarkInEach => {
            pick(lang, "Ou la même note dans chacun de ces modules, au moins :", "Or the same mark in each of these modules, at least:")
        }
        Ui::LeastMarkColon => pick(lang, "Note minimale :", "Least mark:"),
        Ui::NoMarkSuffices => {
            pick(lang, "Aucune note dans ces modules ne suffit à valider l'UE.", "No mark in these modules can validate the UE.")
        }
        Ui::LevelNeeded => pick(lang, "Niveau requis :", "Level needed:"),
        Ui::AtLeastLower => pick(lang, "au moins", "at least"),
        Ui::AtLeast => pick(lang, "Au moins", "At least"),
        Ui::DaysAbroad => pick(lang, "jours à l'étranger", "days abroad"),
        Ui::Stay => pick(lang, "Séjour", "Stay"),
        Ui::ShortBy => pick(lang, "il manque", "short by"),
        Ui::Days => pick(lang, "jours", "days"),
        Ui::PeriodsColon => pick(lang, "Périodes :", "Periods:"),
        Ui::EvaluationOfAtLeast => pick(lang, "évaluation d'au moins", "evaluation of at least"),
        Ui::WhatItTakes => pick(lang, "Ce qu'il faudrait", "What it would take"),
        Ui::WhatItTakesIntro => pick(
            lang,
            "Pour chaque UE non validée, la note minimale que chaque module encore modifiable devrait obtenir seul, les autres notes restant telles quelles.",
            "For each UE not validated, the least mark each module that can still change would need alone, every other mark as it is.",
        ),
        Ui::Module => pick(lang, "Module", "Module"),
        Ui::Session => pick(lang, "Session", "Session"),
        Ui::LeastMarkAlone => pick(lang, "Note minimale seul", "Least mark alone"),
    }
}

/// The sign-in page's answer to a source over the rate limit (429).
pub fn too_many_sign_ins(seconds: u64, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!("Trop de tentatives de connexion depuis cette adresse : réessayez dans {seconds} s."),
        Lang::En => format!("Too many sign-in attempts from this address: try again in {seconds} s."),
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
