//! The words of the jury's web pages (spec/jury.md §10), French first and English second: the
//! phrases, what each refusal code means, the roles of the fiche and the session's states.

use super::{Lang, pick};
use crate::jury::JuryCode;

/// A phrase of the jury's pages, by what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JuryUi {
    Juries,
    NoSession,
    NewSession,
    SessionId,
    SessionIdHelp,
    Kind,
    KindTitle,
    KindVae,
    Date,
    Name,
    Place,
    Create,
    Status,
    Candidates,
    Members,
    Role,
    Representing,
    Present,
    Absent,
    Account,
    AddMember,
    Remove,
    CompositionCheck,
    CompositionHolds,
    AddAllCandidates,
    CandidatesById,
    AddCandidates,
    Open,
    Decided,
    Proposal,
    Outcome,
    ProposedAward,
    ToDiscuss,
    Undecided,
    Next,
    Previous,
    NextKey,
    BackToDesk,
    PointsDeJury,
    Module,
    Points,
    Justification,
    AddPoints,
    Vote,
    For,
    Against,
    Abstain,
    CastingVote,
    CastingVoteHelp,
    CastingFor,
    CastingAgainst,
    Blocks,
    Expected,
    By,
    RecordVote,
    Close,
    Sign,
    SignAs,
    Signed,
    NotSigned,
    MinutesPdf,
    MinutesJson,
    Publish,
    PublishOn,
    PublishedOn,
    AppealDeadline,
    MyJuryDecisions,
    Refused,
    CastingVoteDecided,
    RecordsChanged,
    Votes,
}

/// A phrase of the jury's pages in the language asked.
pub fn ui(phrase: JuryUi, lang: Lang) -> &'static str {
    use JuryUi::*;
    match phrase {
        Juries => pick(lang, "Jurys", "Juries"),
        NoSession => pick(lang, "Aucune session de jury.", "No jury session."),
        NewSession => pick(lang, "Nouvelle session", "New session"),
        SessionId => pick(lang, "Identifiant (facultatif)", "Identifier (optional)"),
        SessionIdHelp => pick(lang, "lettres, chiffres, tirets ; généré sinon", "letters, digits, dashes; generated otherwise"),
        Kind => pick(lang, "Nature", "Kind"),
        KindTitle => pick(lang, "délivrance du titre", "award of the title"),
        KindVae => pick(lang, "VAE", "VAE"),
        Date => pick(lang, "Date de délibération", "Deliberation date"),
        Name => pick(lang, "Nom", "Name"),
        Place => pick(lang, "Lieu", "Place"),
        Create => pick(lang, "Créer", "Create"),
        Status => pick(lang, "État", "Status"),
        Candidates => pick(lang, "Candidats", "Candidates"),
        Members => pick(lang, "Membres du jury", "Jury members"),
        Role => pick(lang, "Rôle", "Role"),
        Representing => pick(lang, "Représentant de", "Representing"),
        Present => pick(lang, "présent", "present"),
        Absent => pick(lang, "absent", "absent"),
        Account => pick(lang, "Compte certif (facultatif)", "certif account (optional)"),
        AddMember => pick(lang, "Ajouter le membre", "Add the member"),
        Remove => pick(lang, "Retirer", "Remove"),
        CompositionCheck => pick(lang, "Composition du jury", "Jury composition"),
        CompositionHolds => pick(
            lang,
            "La composition est conforme à la fiche : la session peut être ouverte.",
            "The composition meets the fiche: the session can open.",
        ),
        AddAllCandidates => pick(lang, "Ajouter tous les candidats éligibles", "Add every eligible candidate"),
        CandidatesById => pick(lang, "Identifiants (séparés par des espaces)", "Identifiers (separated by spaces)"),
        AddCandidates => pick(lang, "Ajouter ces candidats", "Add these candidates"),
        Open => pick(lang, "Ouvrir la session", "Open the session"),
        Decided => pick(lang, "décidés", "decided"),
        Proposal => pick(lang, "Proposition", "Proposal"),
        Outcome => pick(lang, "Décision", "Outcome"),
        ProposedAward => pick(lang, "Titre proposé", "Title proposed"),
        ToDiscuss => pick(lang, "À discuter", "To discuss"),
        Undecided => pick(lang, "non décidé", "undecided"),
        Next => pick(lang, "Candidat suivant", "Next candidate"),
        Previous => pick(lang, "Candidat précédent", "Previous candidate"),
        NextKey => pick(lang, "touche « s » : candidat suivant, « p » : précédent", "key “n”: next candidate, “p”: previous"),
        BackToDesk => pick(lang, "Retour à la liste", "Back to the list"),
        PointsDeJury => pick(lang, "Points de jury", "Jury points"),
        Module => pick(lang, "Module", "Module"),
        Points => pick(lang, "Points (0,01 à 2)", "Points (0.01 to 2)"),
        Justification => pick(lang, "Justification", "Justification"),
        AddPoints => pick(lang, "Accorder les points", "Grant the points"),
        Vote => pick(lang, "Vote", "Vote"),
        For => pick(lang, "Pour", "For"),
        Against => pick(lang, "Contre", "Against"),
        Abstain => pick(lang, "Abstentions", "Abstentions"),
        CastingVote => pick(lang, "Voix prépondérante du président", "President's casting vote"),
        CastingVoteHelp => pick(lang, "Égalité des voix : la voix du président départage.", "A tie: the president's vote decides."),
        CastingFor => pick(lang, "pour", "for"),
        CastingAgainst => pick(lang, "contre", "against"),
        Blocks => pick(lang, "Blocs validés retenus", "Validated blocks granted"),
        Expected => pick(lang, "Ce qui est attendu (ajournement)", "What is expected (deferral)"),
        By => pick(lang, "Pour le", "By"),
        RecordVote => pick(lang, "Enregistrer la décision", "Record the decision"),
        Close => pick(lang, "Clore la session", "Close the session"),
        Sign => pick(lang, "Signer le procès-verbal", "Sign the minutes"),
        SignAs => pick(lang, "Nom du président signataire", "Name of the signing president"),
        Signed => pick(lang, "Procès-verbal signé", "Minutes signed"),
        NotSigned => pick(lang, "Procès-verbal non signé", "Minutes not signed"),
        MinutesPdf => pick(lang, "Télécharger le procès-verbal (PDF)", "Download the minutes (PDF)"),
        MinutesJson => pick(lang, "Procès-verbal (JSON)", "Minutes (JSON)"),
        Publish => pick(lang, "Publier les décisions", "Publish the decisions"),
        PublishOn => pick(lang, "Date de publication", "Publication date"),
        PublishedOn => pick(lang, "Publiée le", "Published on"),
        AppealDeadline => pick(lang, "Recours possible jusqu'au", "Appeal possible until"),
        MyJuryDecisions => pick(lang, "Décision du jury", "Jury decision"),
        Refused => pick(lang, "Refusé", "Refused"),
        CastingVoteDecided => pick(lang, "décidé par la voix prépondérante du président", "decided by the president's casting vote"),
        RecordsChanged => pick(
            lang,
            "Le dossier a changé depuis la délibération : la décision adoptée reste celle du dossier d'alors.",
            "The records changed since the deliberation: the outcome stands on the records as they were.",
        ),
        Votes => pick(lang, "Voix", "Votes"),
    }
}

/// What a refusal code means.
pub fn refusal(code: JuryCode, lang: Lang) -> &'static str {
    use JuryCode::*;
    match code {
        JuryRoleMissing => pick(lang, "un rôle du jury manque", "a role of the jury is missing"),
        JuryRoleTooMany => pick(lang, "un rôle est tenu par trop de membres", "a role is held by too many members"),
        JuryTooFewTeachers => pick(lang, "trop peu d'enseignants", "too few teachers"),
        JuryTooManyTeachers => pick(lang, "trop d'enseignants", "too many teachers"),
        JuryMemberTwice => pick(lang, "une même personne siège deux fois", "the same person sits twice"),
        JuryCandidateUndecided => pick(lang, "un candidat n'a pas de décision", "a candidate has no outcome"),
        JurySessionClosed => pick(lang, "la session est close : plus rien n'y change", "the session is closed: nothing in it changes"),
        JuryAwardNotProposed => pick(
            lang,
            "le titre n'est pas proposé : un vote ne lève pas une condition",
            "the title is not proposed: a vote cannot waive a condition",
        ),
        JuryBlockNotValidated => {
            pick(lang, "un bloc retenu n'est pas validé dans la proposition", "a block granted is not validated in the proposal")
        }
        JuryJustificationRequired => pick(
            lang,
            "une décision contraire à la proposition doit être justifiée",
            "an outcome against the proposal needs a justification",
        ),
        JuryVotesExceedPresent => pick(lang, "plus de voix que de membres présents", "more votes than members present"),
        JuryOutcomeRejected => {
            pick(lang, "la décision est rejetée par le vote : votez sur une autre", "the outcome is voted down: vote on another")
        }
        JuryCastingVoteRequired => {
            pick(lang, "égalité des voix : la voix prépondérante du président est requise", "a tie: the president's casting vote is needed")
        }
        JuryCastingVoteWithoutTie => pick(lang, "voix prépondérante sans égalité des voix", "a casting vote without a tie"),
        JuryDeferNeedsExpectation => {
            pick(lang, "un ajournement dit ce qui est attendu et pour quand", "a deferral says what is expected and by when")
        }
        JuryPointsOutOfRange => {
            pick(lang, "points de jury hors des bornes ou sans justification", "jury points out of range or unjustified")
        }
        JuryAppealTooLate => pick(lang, "recours reçu après le délai de deux mois", "appeal received after the two months"),
    }
}

/// A role of the fiche's jury in words; a role of another certification by its code.
pub fn role(code: &str, lang: Lang) -> &str {
    match code {
        "president" => {
            pick(lang, "Président (directeur de l'école ou son représentant)", "President (the school's director or representative)")
        }
        "director_of_studies" => pick(lang, "Directeur des études et de la formation", "Director of studies and training"),
        "alternance_manager" => pick(lang, "Responsable de la formation par alternance", "Head of the apprenticeship programme"),
        "partner_training_manager" => pick(lang, "Responsable de formation du partenaire (CNAM)", "Partner's training manager (CNAM)"),
        "teacher" => pick(lang, "Enseignant", "Teacher"),
        "cfa_director" => pick(lang, "Directeur du CFA partenaire", "Director of the partner CFA"),
        other => other,
    }
}

/// A session's state (`draft`, `open`, `closed`, `published`) in words.
pub fn status(code: &str, lang: Lang) -> &str {
    match code {
        "draft" => pick(lang, "en préparation", "in preparation"),
        "open" => pick(lang, "ouverte", "open"),
        "closed" => pick(lang, "close", "closed"),
        "published" => pick(lang, "publiée", "published"),
        other => other,
    }
}

/// An outcome by its code on the minutes (ADM, VAL, AJ, REF), in words.
pub fn outcome(code: &str, lang: Lang) -> &str {
    match code {
        "ADM" => pick(lang, "ADM — titre délivré", "ADM — title awarded"),
        "VAL" => pick(lang, "VAL — blocs validés", "VAL — blocks validated"),
        "AJ" => pick(lang, "AJ — ajourné", "AJ — deferred"),
        "REF" => pick(lang, "REF — refusé", "REF — refused"),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_and_role_reads_in_both_languages() {
        for code in [JuryCode::JuryRoleMissing, JuryCode::JuryAppealTooLate, JuryCode::JurySessionClosed] {
            assert_ne!(refusal(code, Lang::Fr), refusal(code, Lang::En));
        }
        assert_eq!(role("teacher", Lang::Fr), "Enseignant");
        assert_eq!(role("examiner", Lang::En), "examiner", "another certification's role is shown by its code");
        assert_eq!(outcome("AJ", Lang::Fr), "AJ — ajourné");
        assert_eq!(status("published", Lang::En), "published");
    }
}
