//! The words of the registrar's record forms (`/apprenants/{id}/dossier`, `/apprenants/nouveau`):
//! each section, each field (by the import column it fills), and what a save came to.

use super::{Lang, pick};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordsUi {
    /// The edit page's heading; the learner's name follows.
    RecordOf,
    NewLearner,
    /// The link from a learner's page to its forms.
    EditRecord,
    BackToLearner,
    /// The sections, by the kind of record.
    Identity,
    CompanyPeriods,
    English,
    Mobility,
    Vae,
    Accommodations,
    /// Above the accommodations: who may read them.
    HealthData,
    /// The legend of a section's empty form.
    Add,
    Save,
    Create,
    Saved,
    /// A stale edit: someone saved the record meanwhile; what is stored now follows.
    ChangedMeanwhile,
    /// A new record whose key is taken.
    AlreadyExists,
    /// Above a refused form.
    NotSaved,
    /// The contract's fields are kept only with an employer.
    ContractHint,
    CountryHint,
    EvaluationHint,
    ScoreHint,
    /// An empty choice in a list.
    NoneChosen,
    Yes,
    No,
    Female,
    Male,
    Validated,
    Refused,
    /// A section with no record yet.
    NoneYet,
}

pub fn records_ui(phrase: RecordsUi, lang: Lang) -> &'static str {
    use RecordsUi::*;
    match phrase {
        RecordOf => pick(lang, "Dossier de", "Record of"),
        NewLearner => pick(lang, "Nouvel apprenant", "New learner"),
        EditRecord => pick(lang, "Modifier le dossier", "Edit the record"),
        BackToLearner => pick(lang, "Retour à la page de l'apprenant", "Back to the learner's page"),
        Identity => pick(lang, "Identité, inscription et contrat", "Identity, enrolment and contract"),
        CompanyPeriods => pick(lang, "Périodes en entreprise", "Company periods"),
        English => pick(lang, "Certifications d'anglais", "English certificates"),
        Mobility => pick(lang, "Mobilité internationale", "International mobility"),
        Vae => pick(lang, "Décisions de VAE", "VAE decisions"),
        Accommodations => pick(lang, "Aménagements", "Accommodations"),
        HealthData => pick(
            lang,
            "Données de santé : seuls la scolarité, l'administration et l'apprenant lui-même les voient.",
            "Health data: only the registrar, the administration and the learner themself see them.",
        ),
        Add => pick(lang, "Ajouter", "Add"),
        Save => pick(lang, "Enregistrer", "Save"),
        Create => pick(lang, "Créer l'apprenant", "Create the learner"),
        Saved => pick(lang, "Enregistré.", "Saved."),
        ChangedMeanwhile => pick(
            lang,
            "Modifié entre-temps par quelqu'un d'autre ; rien n'a été enregistré. Valeurs enregistrées :",
            "Changed meanwhile by someone else; nothing was saved. Stored values:",
        ),
        AlreadyExists => pick(lang, "Existe déjà ; rien n'a été enregistré.", "Exists already; nothing was saved."),
        NotSaved => pick(lang, "Rien n'a été enregistré : corrigez les champs signalés.", "Nothing was saved: fix the fields shown."),
        ContractHint => pick(
            lang,
            "Le contrat d'apprentissage n'est enregistré que si l'employeur est renseigné.",
            "The apprenticeship contract is kept only when the employer is given.",
        ),
        CountryHint => pick(lang, "code ISO à deux lettres : DE, ES, US…", "two-letter ISO code: DE, ES, US…"),
        EvaluationHint => pick(lang, "note sur 20 (virgule décimale), ABJ ou ABI", "mark out of 20, ABJ or ABI"),
        ScoreHint => pick(lang, "score (virgule décimale) ou niveau B1, B2, C1 selon le test", "score, or level B1, B2, C1 by test"),
        NoneChosen => pick(lang, "—", "—"),
        Yes => pick(lang, "oui", "yes"),
        No => pick(lang, "non", "no"),
        Female => pick(lang, "femme", "female"),
        Male => pick(lang, "homme", "male"),
        Validated => pick(lang, "validé", "validated"),
        Refused => pick(lang, "refusé", "refused"),
        NoneYet => pick(lang, "Aucun pour l'instant.", "None yet."),
    }
}

/// A form field's label, by the import column it fills (the column's name when unknown).
pub fn field(column: &'static str, lang: Lang) -> &'static str {
    match column {
        "learner_id" => pick(lang, "Identifiant", "Id"),
        "family_name" => pick(lang, "Nom", "Family name"),
        "given_names" => pick(lang, "Prénoms", "Given names"),
        "birth_date" => pick(lang, "Date de naissance", "Birth date"),
        "sex" => pick(lang, "Sexe", "Sex"),
        "birth_place_insee" => pick(lang, "Commune de naissance (code INSEE)", "Birthplace (INSEE code)"),
        "access_route" => pick(lang, "Voie d'accès", "Access route"),
        "enrolled_on" => pick(lang, "Inscrit le", "Enrolled on"),
        "curriculum" => pick(lang, "Maquette", "Curriculum"),
        "employer" => pick(lang, "Employeur", "Employer"),
        "employer_siret" => pick(lang, "SIRET de l'employeur", "Employer's SIRET"),
        "contract_start" => pick(lang, "Début du contrat", "Contract start"),
        "contract_end" => pick(lang, "Fin du contrat", "Contract end"),
        "master" => pick(lang, "Maître d'apprentissage", "Apprenticeship master"),
        "period_id" => pick(lang, "Période", "Period"),
        "start" => pick(lang, "Début", "Start"),
        "end" => pick(lang, "Fin", "End"),
        "evaluation" => pick(lang, "Évaluation", "Evaluation"),
        "country" => pick(lang, "Pays", "Country"),
        "test" => pick(lang, "Test", "Test"),
        "date" => pick(lang, "Date", "Date"),
        "score" => pick(lang, "Résultat", "Result"),
        "block" => pick(lang, "Bloc", "Block"),
        "decision" => pick(lang, "Décision", "Decision"),
        "kind" => pick(lang, "Type", "Kind"),
        "decided_on" => pick(lang, "Décidé le", "Decided on"),
        "target_level" => pick(lang, "Niveau visé", "Target level"),
        "note" => pick(lang, "Précisions", "Details"),
        "decided_by" => pick(lang, "Décidé par", "Decided by"),
        "definitive" => pick(lang, "Définitif", "Definitive"),
        other => other,
    }
}
