//! The words of the staff's daily pages: role names in the header, the mark grid's question
//! before a stored mark is cleared, the master's periods awaiting their evaluation.

use super::{Lang, pick};

/// An account's role as people call it (the role's code is `Role::as_str`).
pub fn role(code: &str, lang: Lang) -> &'static str {
    match code {
        "admin" => pick(lang, "administration", "administrator"),
        "registrar" => pick(lang, "scolarité", "registrar"),
        "teacher" => pick(lang, "enseignant", "teacher"),
        "master" => pick(lang, "maître d'apprentissage", "apprenticeship master"),
        "learner" => pick(lang, "apprenant", "learner"),
        "jury" => pick(lang, "jury", "jury"),
        _ => "",
    }
}

/// A phrase of the mark grid and the master's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkUi {
    /// Asked before a stored mark is cleared; the learner's name follows.
    ConfirmClear,
    /// A finished period with no evaluation yet.
    AwaitsEvaluation,
    /// A period not finished yet.
    NotFinished,
    /// How many periods await the master's evaluation; the count comes first.
    PeriodsAwaiting,
    /// Nothing awaits the master.
    NothingAwaits,
    Period,
    Dates,
    /// The transcript's columns.
    UnitOrModule,
    Heading,
    Coefficient,
    FinalMark,
    Ects,
    Status,
    /// A block validated by VAE, and the date of its decision after it.
    ValidatedByVae,
    VaeDecisionOf,
    /// A UE earned with its block's VAE.
    EarnedByVae,
    /// A mark below the module floor; the floor follows.
    BelowFloor,
    PreviousLearner,
    NextLearner,
    Evaluation,
}

pub fn work_ui(phrase: WorkUi, lang: Lang) -> &'static str {
    match phrase {
        WorkUi::ConfirmClear => pick(lang, "Effacer la note enregistrée de", "Clear the stored mark of"),
        WorkUi::AwaitsEvaluation => pick(lang, "attend votre évaluation", "awaits your evaluation"),
        WorkUi::NotFinished => pick(lang, "pas encore terminée", "not finished yet"),
        WorkUi::PeriodsAwaiting => pick(lang, "période(s) attendent votre évaluation", "period(s) await your evaluation"),
        WorkUi::NothingAwaits => pick(lang, "Aucune période n'attend votre évaluation.", "No period awaits your evaluation."),
        WorkUi::Period => pick(lang, "Période", "Period"),
        WorkUi::Dates => pick(lang, "Dates", "Dates"),
        WorkUi::UnitOrModule => pick(lang, "UE / module", "Unit / module"),
        WorkUi::Heading => pick(lang, "Intitulé", "Title"),
        WorkUi::Coefficient => pick(lang, "Coef.", "Coef."),
        WorkUi::FinalMark => pick(lang, "Note retenue", "Final mark"),
        WorkUi::Ects => pick(lang, "ECTS", "ECTS"),
        WorkUi::Status => pick(lang, "Statut", "Status"),
        WorkUi::ValidatedByVae => pick(lang, "Validé par VAE", "Validated by VAE"),
        WorkUi::VaeDecisionOf => pick(lang, "décision du", "decision of"),
        WorkUi::EarnedByVae => pick(lang, "acquise par VAE", "earned by VAE"),
        WorkUi::BelowFloor => pick(lang, "note éliminatoire, inférieure à", "below the minimum mark of"),
        WorkUi::PreviousLearner => pick(lang, "Apprenant précédent", "Previous learner"),
        WorkUi::NextLearner => pick(lang, "Apprenant suivant", "Next learner"),
        WorkUi::Evaluation => pick(lang, "Évaluation", "Evaluation"),
    }
}

/// An import's kind (`certif import KIND`) as people call it.
pub fn import_kind(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "learners" => pick(lang, "Apprenants (identité, voie d'accès, contrat)", "Learners (identity, access route, contract)"),
        "marks" => pick(lang, "Notes", "Marks"),
        "company-periods" => pick(lang, "Périodes en entreprise", "Company periods"),
        "mobility" => pick(lang, "Mobilité internationale", "International mobility"),
        "english" => pick(lang, "Certifications d'anglais", "English certificates"),
        "vae" => pick(lang, "Décisions de VAE", "VAE decisions"),
        "accommodations" => pick(lang, "Aménagements (données de santé)", "Accommodations (health data)"),
        "insertion" => pick(lang, "Enquête d'insertion", "Insertion survey"),
        _ => "",
    }
}

/// A phrase of the imports page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportUi {
    Imports,
    Intro,
    Kind,
    File,
    Check,
    Confirm,
    /// The count of problems comes first.
    Problems,
    /// Shown above a dry run's summary.
    WouldChange,
    Done,
    Warnings,
    NoFile,
    UnknownKind,
    /// The file is larger than a browser import takes; the limit follows.
    TooLarge,
}

pub fn import_ui(phrase: ImportUi, lang: Lang) -> &'static str {
    match phrase {
        ImportUi::Imports => pick(lang, "Imports", "Imports"),
        ImportUi::Intro => pick(
            lang,
            "Choisissez le type de données et le fichier (CSV en UTF-8 ou Windows-1252, séparateur « ; » ou « , », ou XLSX). certif vérifie tout le fichier et montre ce qui changerait : rien n'est écrit avant votre confirmation, et un fichier avec un seul problème n'écrit rien.",
            "Choose the kind of data and the file (CSV in UTF-8 or Windows-1252, separated by \";\" or \",\", or XLSX). certif checks the whole file and shows what would change: nothing is written before you confirm, and a file with a single problem writes nothing.",
        ),
        ImportUi::Kind => pick(lang, "Type de données", "Kind of data"),
        ImportUi::File => pick(lang, "Fichier", "File"),
        ImportUi::Check => pick(lang, "Vérifier le fichier", "Check the file"),
        ImportUi::Confirm => pick(lang, "Confirmer l'import", "Confirm the import"),
        ImportUi::Problems => pick(
            lang,
            "problème(s) : rien n'a été écrit. Corrigez le fichier, puis vérifiez-le de nouveau.",
            "problem(s): nothing was written. Correct the file, then check it again.",
        ),
        ImportUi::WouldChange => {
            pick(lang, "Le fichier est valide. Ce que l'import changerait :", "The file is valid. What the import would change:")
        }
        ImportUi::Done => pick(lang, "Import effectué :", "Imported:"),
        ImportUi::Warnings => pick(lang, "Avertissements", "Warnings"),
        ImportUi::NoFile => pick(lang, "Choisissez un fichier.", "Choose a file."),
        ImportUi::UnknownKind => pick(lang, "Choisissez le type de données.", "Choose the kind of data."),
        ImportUi::TooLarge => pick(
            lang,
            "Fichier trop volumineux pour le navigateur (importez-le avec « certif import ») ; limite en octets :",
            "File too large for the browser (import it with \"certif import\"); limit in bytes:",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_its_words_in_both_languages() {
        for code in ["admin", "registrar", "teacher", "master", "learner", "jury"] {
            assert!(!role(code, Lang::Fr).is_empty() && !role(code, Lang::En).is_empty(), "{code}");
        }
        assert_eq!(role("registrar", Lang::Fr), "scolarité");
    }
}
