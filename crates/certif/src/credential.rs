//! `certif credential verify` (spec/credentials.md §4): a VC-JWT credential checked offline
//! against the issuer's JWKS and, when given, its status list, by `certif_credentials::verify`.
//! Each check is printed on its own line with its reason code when it failed and a French
//! explanation (the words are here, in one table: the crate's own details are English and
//! shown as the technical detail). Exit 0 only when every check passes, 1 when one fails, 2 for
//! unusable input (a file unreadable or too large, a JWKS that is not one).

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use certif::inputs::InputError;
use certif_credentials::{Check, CheckOutcome, Jwks, Reason, Verification, verify_credential};
use clap::Subcommand;
use serde::Serialize;
use serde_json::Value;

use crate::Format;

/// A credential is a few kilobytes; a JWKS a few keys.
const MAX_TOKEN_BYTES: u64 = 1 << 20;
const MAX_JWKS_BYTES: u64 = 1 << 20;
/// A status list of 131,072 entries is far smaller, even uncompressed.
const MAX_STATUS_LIST_BYTES: u64 = 4 << 20;

#[derive(Subcommand)]
pub enum CredentialCommand {
    /// Vérifier une attestation (VC-JWT Open Badges 3.0) hors ligne : format, signature, déclarations, schéma, dates, révocation ; chaque vérification sur sa ligne ; code 0 seulement si toutes réussissent, 1 sinon, 2 si une entrée est inutilisable.
    Verify {
        /// L'attestation : le JWT compact (FICHIER.jwt), au plus 1 Mio.
        file: PathBuf,
        /// Les clés publiques du certificateur : le JWKS publié à `/.well-known/jwks.json`, enregistré dans un fichier (au plus 1 Mio).
        #[arg(long, value_name = "JWKS.json")]
        jwks: PathBuf,
        /// La liste de statut (révocation) que nomme l'attestation, le JWT publié à `/status/{liste}` (au plus 4 Mio) ; sans elle, la révocation ne peut être vérifiée (STATUS_UNAVAILABLE).
        #[arg(long, value_name = "LISTE.jwt")]
        status_list: Option<PathBuf>,
        /// text, ou json : `{"valid", "checks": [{"check", "passed", "reason", "detail", "explanation"}], "attests"}`.
        #[arg(long)]
        format: Option<Format>,
    },
}

pub fn run(command: CredentialCommand) -> anyhow::Result<ExitCode> {
    match command {
        CredentialCommand::Verify { file, jwks, status_list, format } => {
            verify(&file, &jwks, status_list.as_deref(), crate::resolve(format))
        }
    }
}

fn verify(file: &Path, jwks: &Path, status_list: Option<&Path>, format: Format) -> anyhow::Result<ExitCode> {
    // Bytes that are not UTF-8 cannot be a JWT: read lossily, they fail as MALFORMED.
    let token = String::from_utf8_lossy(&read(file, "l'attestation", MAX_TOKEN_BYTES)?).into_owned();
    let jwks_text = String::from_utf8(read(jwks, "le JWKS", MAX_JWKS_BYTES)?)
        .map_err(|_| InputError(format!("{} : le JWKS n'est pas du texte UTF-8", jwks.display())))?;
    let keys = Jwks::from_json(&jwks_text)
        .map_err(|e| InputError(format!("{} : ce n'est pas un JWKS (objet JSON {{\"keys\": [...]}}) : {e}", jwks.display())))?;
    let list = match status_list {
        Some(path) => Some(String::from_utf8_lossy(&read(path, "la liste de statut", MAX_STATUS_LIST_BYTES)?).into_owned()),
        None => None,
    };
    let verification = verify_credential(&token, &keys, list.as_deref(), chrono::Utc::now());
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&Report::of(&verification))?),
        Format::Text => print!("{}", text(file, &verification)),
    }
    Ok(if verification.is_valid() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Reads at most `limit` bytes of `path`, refusing a larger file by name (exit 2).
fn read(path: &Path, what: &str, limit: u64) -> Result<Vec<u8>, InputError> {
    let name = path.display();
    let cannot = |e: std::io::Error| InputError(format!("{name} ({what}) : lecture impossible : {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(InputError(format!("{name} ({what}) : plus de {} Mio, refusé sans être lu", limit >> 20)));
    }
    Ok(bytes)
}

/// The check's name for people.
fn check_label(check: Check) -> &'static str {
    match check {
        Check::Format => "format",
        Check::Signature => "signature",
        Check::Claims => "déclarations du JWT",
        Check::Schema => "schéma Open Badges",
        Check::ValidFrom => "début de validité",
        Check::ValidUntil => "fin de validité",
        Check::Status => "révocation",
    }
}

/// What a passed check established.
fn passed_text(check: Check) -> &'static str {
    match check {
        Check::Format => "un JWT compact lisible dont le contenu est un objet JSON",
        Check::Signature => "signée (EdDSA) par une clé du JWKS du certificateur, contenu intact",
        Check::Claims => "iss, jti, nbf et sub concordent avec l'attestation",
        Check::Schema => "conforme aux deux schémas 1EdTech de l'AchievementCredential",
        Check::ValidFrom => "la date de début de validité est passée",
        Check::ValidUntil => "pas expirée",
        Check::Status => "non révoquée par son certificateur (ou sans liste de statut : rien ne peut la révoquer)",
    }
}

/// Why a check failed, by reason code.
fn reason_text(reason: Reason) -> &'static str {
    match reason {
        Reason::Malformed => {
            "illisible : ce n'est pas un JWT compact (trois parties base64url, contenu objet JSON) ou une date n'en est pas une"
        }
        Reason::SignatureInvalid => {
            "la signature ne correspond pas au contenu : l'attestation a été modifiée, ou l'algorithme n'est pas EdDSA"
        }
        Reason::KeyUnknown => "la clé qui a signé n'est pas dans le JWKS donné : ce certificateur ne l'a pas publiée",
        Reason::ClaimsMismatch => "les déclarations du JWT (iss, jti, nbf, sub, exp) contredisent l'attestation",
        Reason::SchemaInvalid => "l'attestation ne respecte pas les schémas Open Badges 3.0 (1EdTech)",
        Reason::NotYetValid => "pas encore valide : sa date de début de validité est à venir",
        Reason::Expired => "expirée : sa date de fin de validité est passée",
        Reason::Revoked => "révoquée : le certificateur l'a retirée (bit posé dans sa liste de statut)",
        Reason::StatusUnavailable => {
            "la révocation n'a pu être vérifiée : liste de statut absente (--status-list), illisible, mal signée ou qui n'est pas celle de l'attestation"
        }
    }
}

fn explanation(outcome: &CheckOutcome) -> &'static str {
    outcome.reason.map_or_else(|| passed_text(outcome.check), reason_text)
}

/// What a valid credential attests, read from the verified payload.
#[derive(Serialize)]
struct Attests {
    achievement: String,
    issuer: String,
    /// DD/MM/YYYY.
    valid_from: String,
}

impl Attests {
    fn of(credential: &Value) -> Self {
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

#[derive(Serialize)]
struct CheckLine<'a> {
    /// The crate's name: format, signature, claims, schema, valid_from, valid_until, status.
    check: &'static str,
    passed: bool,
    /// The reason code, when it failed.
    reason: Option<&'static str>,
    /// The verifier's own words (English).
    detail: &'a str,
    /// In French.
    explanation: &'static str,
}

/// `--format json`.
#[derive(Serialize)]
struct Report<'a> {
    valid: bool,
    checks: Vec<CheckLine<'a>>,
    /// Set only when valid.
    attests: Option<Attests>,
}

impl<'a> Report<'a> {
    fn of(verification: &'a Verification) -> Self {
        let checks = verification
            .checks
            .iter()
            .map(|outcome| CheckLine {
                check: outcome.check.name(),
                passed: outcome.passed,
                reason: outcome.reason.map(Reason::code),
                detail: &outcome.detail,
                explanation: explanation(outcome),
            })
            .collect();
        Report { valid: verification.is_valid(), checks, attests: attests(verification) }
    }
}

fn attests(verification: &Verification) -> Option<Attests> {
    verification.credential.as_ref().filter(|_| verification.is_valid()).map(Attests::of)
}

fn text(file: &Path, verification: &Verification) -> String {
    let mut out = format!("Vérification de {}\n", file.display());
    for outcome in &verification.checks {
        let label = check_label(outcome.check);
        match outcome.reason {
            None => out.push_str(&format!("✓ {label:<20} réussi — {}\n", explanation(outcome))),
            Some(reason) => {
                out.push_str(&format!("✗ {label:<20} échoué {reason} — {} (détail : {})\n", explanation(outcome), outcome.detail))
            }
        }
    }
    match attests(verification) {
        Some(what) => out.push_str(&format!(
            "Attestation valide : « {} », délivrée par {}, valable depuis le {}.\n",
            what.achievement, what.issuer, what.valid_from
        )),
        None => {
            let failed: Vec<&str> = verification.checks.iter().filter(|o| !o.passed).map(|o| check_label(o.check)).collect();
            out.push_str(&format!("Attestation NON valide : {} vérification(s) échouée(s) ({}).\n", failed.len(), failed.join(", ")));
        }
    }
    out
}
