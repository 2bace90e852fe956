//! The words of the documents and verifiable credentials a holder takes away (spec/credentials.md):
//! the public verification page and the learner's list, French first and English second.

use super::{Lang, pick};

/// A phrase of the verification page and the learner's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialUi {
    Verification,
    VerifyIntro,
    Stands,
    Revoked,
    Superseded,
    NotValid,
    Unknown,
    UnknownText,
    What,
    Nature,
    Title,
    Block,
    IssuedBy,
    Siret,
    JuryDate,
    PublishedOn,
    IssuedOn,
    Holder,
    HolderHashed,
    RevokedOn,
    Reason,
    Checks,
    Check,
    Result,
    Code,
    Explanation,
    Passed,
    Failed,
    VerifyAnother,
    PasteJwt,
    OrUploadPdf,
    Verify,
    NothingGiven,
    MyCredentials,
    NoCredentials,
    DownloadJwt,
    DownloadJson,
    ShareLink,
    Valid,
    Document,
    Diploma,
    Attestation,
    Transcript,
    Certification,
    DocumentStands,
    DocumentRevoked,
    Sha256,
    PdfUnknown,
}

pub fn ui(phrase: CredentialUi, lang: Lang) -> &'static str {
    use CredentialUi::*;
    match phrase {
        Verification => pick(lang, "Vérification d'une attestation", "Credential verification"),
        VerifyIntro => pick(
            lang,
            "Cette page dit ce que certif a délivré, à qui, quand, et si c'est toujours en vigueur. Chaque vérification est détaillée ci-dessous.",
            "This page says what certif issued, to whom, when, and whether it still stands. Each check is detailed below.",
        ),
        Stands => pick(
            lang,
            "En vigueur : cette attestation a été délivrée par le certificateur et n'a pas été retirée.",
            "Valid: this credential was issued by the certifier and has not been withdrawn.",
        ),
        Revoked => {
            pick(lang, "RÉVOQUÉE : le certificateur a retiré cette attestation.", "REVOKED: the certifier has withdrawn this credential.")
        }
        Superseded => pick(
            lang,
            "RETIRÉE : la décision qu'elle atteste a été remplacée par une décision rendue en appel.",
            "WITHDRAWN: the decision it attests was replaced by a decision on appeal.",
        ),
        NotValid => pick(
            lang,
            "NON VALIDE : au moins une vérification a échoué (voir ci-dessous).",
            "NOT VALID: at least one check failed (see below).",
        ),
        Unknown => pick(lang, "Attestation inconnue", "Unknown credential"),
        UnknownText => pick(
            lang,
            "Aucune attestation ni aucun document de certif ne porte cet identifiant.",
            "No certif credential or document has this identifier.",
        ),
        What => pick(lang, "Ce qui est attesté", "What it attests"),
        Nature => pick(lang, "Nature", "Kind"),
        Title => pick(lang, "Titre (diplôme)", "Title (diploma)"),
        Block => pick(lang, "Bloc de compétences", "Competency block"),
        IssuedBy => pick(lang, "Délivré par", "Issued by"),
        Siret => pick(lang, "SIRET", "SIRET"),
        JuryDate => pick(lang, "Date du jury", "Jury date"),
        PublishedOn => pick(lang, "Décision publiée le", "Decision published on"),
        IssuedOn => pick(lang, "Attestation émise le", "Credential issued on"),
        Holder => pick(lang, "Titulaire", "Holder"),
        HolderHashed => pick(
            lang,
            "identifiant haché et salé (le titulaire le prouve en montrant son identifiant)",
            "hashed, salted identifier (the holder proves it by showing their identifier)",
        ),
        RevokedOn => pick(lang, "Retirée le", "Withdrawn on"),
        Reason => pick(lang, "Motif", "Reason"),
        Checks => pick(lang, "Vérifications", "Checks"),
        Check => pick(lang, "Vérification", "Check"),
        Result => pick(lang, "Résultat", "Result"),
        Code => pick(lang, "Code", "Code"),
        Explanation => pick(lang, "Explication", "Explanation"),
        Passed => pick(lang, "réussie", "passed"),
        Failed => pick(lang, "échouée", "failed"),
        VerifyAnother => pick(lang, "Vérifier une attestation ou un document", "Verify a credential or a document"),
        PasteJwt => pick(lang, "Attestation numérique (JWT collé)", "Digital credential (pasted JWT)"),
        OrUploadPdf => pick(lang, "ou document PDF délivré par certif", "or a PDF document issued by certif"),
        Verify => pick(lang, "Vérifier", "Verify"),
        NothingGiven => pick(lang, "Collez un JWT ou choisissez un PDF.", "Paste a JWT or choose a PDF."),
        MyCredentials => pick(lang, "Documents et attestations numériques", "Documents and digital credentials"),
        NoCredentials => pick(lang, "Aucune attestation délivrée pour l'instant.", "No credential issued yet."),
        DownloadJwt => pick(lang, "JWT", "JWT"),
        DownloadJson => pick(lang, "JSON décodé", "decoded JSON"),
        ShareLink => pick(lang, "lien de vérification à partager", "verification link to share"),
        Valid => pick(lang, "en vigueur", "valid"),
        Document => pick(lang, "Document", "Document"),
        Diploma => pick(lang, "Diplôme", "Diploma"),
        Attestation => pick(lang, "Attestation de blocs de compétences", "Certificate of competency blocks"),
        Transcript => pick(lang, "Relevé de notes", "Transcript"),
        Certification => pick(lang, "Certification", "Certification"),
        DocumentStands => pick(
            lang,
            "En vigueur : ce document a été délivré par le certificateur et n'a pas été retiré.",
            "Valid: this document was issued by the certifier and has not been withdrawn.",
        ),
        DocumentRevoked => {
            pick(lang, "RÉVOQUÉ : le certificateur a retiré ce document.", "REVOKED: the certifier has withdrawn this document.")
        }
        Sha256 => pick(lang, "Empreinte SHA-256 du PDF délivré", "SHA-256 of the PDF issued"),
        PdfUnknown => pick(
            lang,
            "NON RECONNU : certif n'a délivré aucun document dont le PDF soit exactement celui-ci (un document modifié, même d'un octet, n'est plus celui délivré).",
            "NOT RECOGNISED: certif issued no document whose PDF is exactly this one (a document altered by a single byte is no longer the one issued).",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_has_both_languages() {
        use CredentialUi::*;
        for phrase in [Verification, Stands, Revoked, Superseded, NotValid, MyCredentials, ShareLink] {
            assert!(!ui(phrase, Lang::Fr).is_empty() && !ui(phrase, Lang::En).is_empty());
            assert_ne!(ui(phrase, Lang::Fr), ui(phrase, Lang::En));
        }
    }
}
