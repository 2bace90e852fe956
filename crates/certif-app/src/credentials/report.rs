//! A verification's result in words, French first and English in full, for every edge that
//! shows one: `certif credential verify`, the public `/verify` page and `POST /verify`. The
//! verifier's own details are English and shown as the technical detail.

use certif_core::messages::{Lang, pick};
use certif_credentials::{Check, CheckOutcome, Reason, Verification};
use serde::Serialize;
use serde_json::Value;

/// The check's name for people.
pub fn check_label(check: Check, lang: Lang) -> &'static str {
    match check {
        Check::Format => pick(lang, "format", "format"),
        Check::Signature => pick(lang, "signature", "signature"),
        Check::Claims => pick(lang, "déclarations du JWT", "JWT claims"),
        Check::Schema => pick(lang, "schéma Open Badges", "Open Badges schema"),
        Check::ValidFrom => pick(lang, "début de validité", "valid from"),
        Check::ValidUntil => pick(lang, "fin de validité", "valid until"),
        Check::Status => pick(lang, "révocation", "revocation"),
    }
}

/// What a passed check established.
fn passed_text(check: Check, lang: Lang) -> &'static str {
    match check {
        Check::Format => {
            pick(lang, "un JWT compact lisible dont le contenu est un objet JSON", "a readable compact JWT whose payload is a JSON object")
        }
        Check::Signature => pick(
            lang,
            "signée (EdDSA) par une clé du JWKS du certificateur, contenu intact",
            "signed (EdDSA) by a key of the certifier's JWKS, content intact",
        ),
        Check::Claims => {
            pick(lang, "iss, jti, nbf et sub concordent avec l'attestation", "iss, jti, nbf and sub agree with the credential")
        }
        Check::Schema => pick(
            lang,
            "conforme aux deux schémas 1EdTech de l'AchievementCredential",
            "valid against both 1EdTech AchievementCredential schemas",
        ),
        Check::ValidFrom => pick(lang, "la date de début de validité est passée", "its valid-from date has passed"),
        Check::ValidUntil => pick(lang, "pas expirée", "not expired"),
        Check::Status => pick(
            lang,
            "non révoquée par son certificateur (ou sans liste de statut : rien ne peut la révoquer)",
            "not revoked by its certifier (or without a status list: nothing can revoke it)",
        ),
    }
}

/// Why a check failed, by reason code.
fn reason_text(reason: Reason, lang: Lang) -> &'static str {
    match reason {
        Reason::Malformed => pick(
            lang,
            "illisible : ce n'est pas un JWT compact (trois parties base64url, contenu objet JSON) ou une date n'en est pas une",
            "unreadable: not a compact JWT (three base64url parts, a JSON object payload), or a date is not one",
        ),
        Reason::SignatureInvalid => pick(
            lang,
            "la signature ne correspond pas au contenu : l'attestation a été modifiée, ou l'algorithme n'est pas EdDSA",
            "the signature does not match the content: the credential was altered, or the algorithm is not EdDSA",
        ),
        Reason::KeyUnknown => pick(
            lang,
            "la clé qui a signé n'est pas dans le JWKS donné : ce certificateur ne l'a pas publiée",
            "the signing key is not in the JWKS given: this certifier did not publish it",
        ),
        Reason::ClaimsMismatch => pick(
            lang,
            "les déclarations du JWT (iss, jti, nbf, sub, exp) contredisent l'attestation",
            "the JWT claims (iss, jti, nbf, sub, exp) contradict the credential",
        ),
        Reason::SchemaInvalid => pick(
            lang,
            "l'attestation ne respecte pas les schémas Open Badges 3.0 (1EdTech)",
            "the credential breaks the Open Badges 3.0 schemas (1EdTech)",
        ),
        Reason::NotYetValid => {
            pick(lang, "pas encore valide : sa date de début de validité est à venir", "not yet valid: its valid-from date is to come")
        }
        Reason::Expired => pick(lang, "expirée : sa date de fin de validité est passée", "expired: its valid-until date has passed"),
        Reason::Revoked => pick(
            lang,
            "révoquée : le certificateur l'a retirée (bit posé dans sa liste de statut)",
            "revoked: the certifier withdrew it (its bit is set in the status list)",
        ),
        Reason::StatusUnavailable => pick(
            lang,
            "la révocation n'a pu être vérifiée : liste de statut absente, illisible, mal signée ou qui n'est pas celle de l'attestation",
            "revocation could not be checked: the status list is missing, unreadable, badly signed or not the credential's",
        ),
    }
}

pub fn explanation(outcome: &CheckOutcome, lang: Lang) -> &'static str {
    outcome.reason.map_or_else(|| passed_text(outcome.check, lang), |reason| reason_text(reason, lang))
}

/// What a credential attests, read from its payload.
#[derive(Debug, Clone, Serialize)]
pub struct Attests {
    pub achievement: String,
    pub issuer: String,
    /// DD/MM/YYYY.
    pub valid_from: String,
}

impl Attests {
    pub fn of(credential: &Value) -> Self {
        let text = |value: Option<&Value>| value.and_then(Value::as_str).unwrap_or("?").to_owned();
        let valid_from = credential
            .get("validFrom")
            .and_then(Value::as_str)
            .and_then(|date| chrono::DateTime::parse_from_rfc3339(date).ok())
            .map_or_else(|| "?".to_owned(), |date| date.format("%d/%m/%Y").to_string());
        Self {
            achievement: text(credential.pointer("/credentialSubject/achievement/name")),
            issuer: text(credential.pointer("/issuer/name")),
            valid_from,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckLine {
    /// The crate's name: format, signature, claims, schema, valid_from, valid_until, status.
    pub check: &'static str,
    pub passed: bool,
    /// The reason code, when it failed.
    pub reason: Option<&'static str>,
    /// The verifier's own words (English).
    pub detail: String,
    /// In the reader's language.
    pub explanation: &'static str,
    #[serde(skip)]
    pub label: &'static str,
}

/// A verification as JSON (`--format json`, `POST /verify`).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub valid: bool,
    pub checks: Vec<CheckLine>,
    /// Set only when valid.
    pub attests: Option<Attests>,
}

impl Report {
    pub fn of(verification: &Verification, lang: Lang) -> Self {
        let checks = verification
            .checks
            .iter()
            .map(|outcome| CheckLine {
                check: outcome.check.name(),
                passed: outcome.passed,
                reason: outcome.reason.map(Reason::code),
                detail: outcome.detail.clone(),
                explanation: explanation(outcome, lang),
                label: check_label(outcome.check, lang),
            })
            .collect();
        Report { valid: verification.is_valid(), checks, attests: attests(verification) }
    }
}

pub fn attests(verification: &Verification) -> Option<Attests> {
    verification.credential.as_ref().filter(|_| verification.is_valid()).map(Attests::of)
}

/// The verification as text, a check a line (`certif credential verify`).
pub fn text(source: &str, verification: &Verification, lang: Lang) -> String {
    let mut out = format!("{} {source}\n", pick(lang, "Vérification de", "Verifying"));
    for outcome in &verification.checks {
        let label = check_label(outcome.check, lang);
        match outcome.reason {
            None => out.push_str(&format!("✓ {label:<20} {} — {}\n", pick(lang, "réussi", "passed"), explanation(outcome, lang))),
            Some(reason) => {
                // Offline, the status list is a file the command is given.
                let hint = if reason == Reason::StatusUnavailable {
                    pick(lang, " ; donnez-la avec --status-list", "; give it with --status-list")
                } else {
                    ""
                };
                out.push_str(&format!(
                    "✗ {label:<20} {} {reason} — {}{hint} ({} : {})\n",
                    pick(lang, "échoué", "failed"),
                    explanation(outcome, lang),
                    pick(lang, "détail", "detail"),
                    outcome.detail
                ))
            }
        }
    }
    match attests(verification) {
        Some(what) => out.push_str(&match lang {
            Lang::Fr => format!(
                "Attestation valide : « {} », délivrée par {}, valable depuis le {}.\n",
                what.achievement, what.issuer, what.valid_from
            ),
            Lang::En => format!("Valid credential: “{}”, issued by {}, valid since {}.\n", what.achievement, what.issuer, what.valid_from),
        }),
        None => {
            let failed: Vec<&str> = verification.checks.iter().filter(|o| !o.passed).map(|o| check_label(o.check, lang)).collect();
            out.push_str(&match lang {
                Lang::Fr => format!("Attestation NON valide : {} vérification(s) échouée(s) ({}).\n", failed.len(), failed.join(", ")),
                Lang::En => format!("Credential NOT valid: {} check(s) failed ({}).\n", failed.len(), failed.join(", ")),
            });
        }
    }
    out
}
