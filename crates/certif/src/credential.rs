//! `certif keys` and `certif credential issue|export|revoke|list|status-list|verify`
//! (spec/credentials.md §2–§4), thin over `certif_app::credentials`. `verify` checks a VC-JWT
//! offline against the issuer's JWKS and, when given, its status list: each check on its own
//! line with its reason code when it failed and a French explanation
//! (`certif_app::credentials::report`). Exit 0 only when every check passes, 1 when one fails,
//! 2 for unusable input (a file unreadable or too large, a JWKS that is not one).

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use certif::inputs::InputError;
use certif_app::Database;
use certif_app::credentials::report::{Report, text};
use certif_app::credentials::{self, Passphrase, Whose};
use certif_credentials::{Jwks, verify_credential};
use certif_store::credentials::{CredentialStore as _, StoredCredential, TITLE};
use clap::Subcommand;

use crate::Format;
use crate::run::runtime;

/// A credential is a few kilobytes; a JWKS a few keys.
const MAX_TOKEN_BYTES: u64 = 1 << 20;
const MAX_JWKS_BYTES: u64 = 1 << 20;
/// A status list of 131,072 entries is far smaller, even uncompressed.
const MAX_STATUS_LIST_BYTES: u64 = 4 << 20;

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Créer une nouvelle clé d'émission Ed25519, scellée par la phrase secrète (CERTIF_KEY_PASSPHRASE, ou le fichier 0600 que nomme CERTIF_KEY_PASSPHRASE_FILE) ; elle signe désormais, les précédentes restent publiées.
    Generate,
    /// Les clés : identifiant, création, retrait ; le JWKS publié avec --jwks.
    List {
        /// Écrire le JWKS (ce que publie /.well-known/jwks.json) sur la sortie standard.
        #[arg(long)]
        jwks: bool,
    },
}

#[derive(Subcommand)]
pub enum CredentialCommand {
    /// Délivrer les attestations numériques (une par titre délivré, une par bloc acquis) des décisions publiées d'un apprenant, d'une session ou de toutes ; celles déjà délivrées sont laissées.
    Issue {
        /// L'apprenant.
        learner: Option<String>,
        /// Tous les titulaires d'une session publiée.
        #[arg(long, conflicts_with_all = ["learner", "all"])]
        session: Option<String>,
        /// Tous les titulaires de toutes les sessions publiées.
        #[arg(long, conflicts_with = "learner")]
        all: bool,
    },
    /// Écrire les attestations d'un apprenant : NOM.jwt (le JWT compact) et NOM.json (l'attestation décodée), et jwks.json (les clés publiques).
    Export {
        learner: String,
        /// Le dossier où les écrire (créé s'il manque) ; le dossier courant sinon.
        #[arg(long, default_value = ".")]
        output_dir: PathBuf,
    },
    /// Les attestations délivrées (d'un apprenant, ou toutes) : identifiant, titre ou bloc, session, état.
    List {
        learner: Option<String>,
        #[arg(long)]
        format: Option<Format>,
    },
    /// Révoquer une attestation (son bit est posé dans sa liste de statut) ; audité.
    Revoke {
        /// L'identifiant de l'attestation (urn:uuid:… ou l'UUID seul).
        id: String,
        /// Pourquoi (conservé et montré par la page de vérification).
        #[arg(long)]
        reason: String,
    },
    /// Écrire la liste de statut (révocation) signée, telle que /status/LISTE la publie : pour vérifier hors ligne.
    StatusList {
        /// La liste (1 par défaut).
        #[arg(default_value = "1")]
        list: String,
        #[arg(long)]
        output: Option<PathBuf>,
    },
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

pub fn run(url: &str, actor: &str, command: CredentialCommand) -> anyhow::Result<ExitCode> {
    if let CredentialCommand::Verify { file, jwks, status_list, format } = command {
        return verify(&file, &jwks, status_list.as_deref(), crate::resolve(format));
    }
    runtime()?.block_on(async {
        let db = Database::open(url).await?;
        let now = chrono::Utc::now();
        match command {
            CredentialCommand::Verify { .. } => unreachable!("verified above, without a database"),
            CredentialCommand::Issue { learner, session, all } => {
                let whose = match (learner, session, all) {
                    (Some(learner), _, _) => Whose::Learner(learner),
                    (None, Some(session), _) => Whose::Session(session),
                    (None, None, true) => Whose::Everyone,
                    (None, None, false) => {
                        return Err(InputError("dites pour qui : APPRENANT, --session S ou --all".into()).into());
                    }
                };
                let passphrase = Passphrase::from_env()?;
                let issued = credentials::issue(&db, &whose, &passphrase, now, actor).await?;
                for credential in &issued.issued {
                    println!("{}\t{}\t{}\t{}", credential.id, credential.learner, credential.achievement, credential.session);
                }
                eprintln!("{} attestation(s) délivrée(s) ; {} déjà délivrée(s) auparavant", issued.issued.len(), issued.already);
            }
            CredentialCommand::Export { learner, output_dir } => {
                let held = credentials::of_learner(&db, &learner).await?;
                if held.is_empty() {
                    return Err(InputError(format!("{learner} : aucune attestation délivrée (certif credential issue {learner})")).into());
                }
                std::fs::create_dir_all(&output_dir).with_context(|| format!("{} : création impossible", output_dir.display()))?;
                for credential in &held {
                    let name = export_name(credential);
                    let decoded = credentials::decoded(credential)?;
                    write(&output_dir.join(format!("{name}.jwt")), format!("{}\n", credential.jwt).as_bytes())?;
                    write(&output_dir.join(format!("{name}.json")), format!("{}\n", serde_json::to_string_pretty(&decoded)?).as_bytes())?;
                    println!("{}", output_dir.join(format!("{name}.jwt")).display());
                }
                write(&output_dir.join("jwks.json"), credentials::jwks(&db).await?.to_json().as_bytes())?;
                eprintln!("{} attestation(s) écrite(s) dans {}, avec jwks.json", held.len(), output_dir.display());
            }
            CredentialCommand::List { learner, format } => {
                let held = match &learner {
                    Some(learner) => credentials::of_learner(&db, learner).await?,
                    None => db.credentials().await?,
                };
                match crate::resolve(format) {
                    Format::Json => {
                        let rows: Vec<serde_json::Value> = held.iter().map(listed_json).collect();
                        println!("{}", serde_json::to_string_pretty(&rows)?);
                    }
                    Format::Text => {
                        for c in &held {
                            let state = match (&c.revoked_at, &c.revocation_reason) {
                                (Some(at), reason) => format!("révoquée le {} ({})", french_date(at), reason.as_deref().unwrap_or("")),
                                (None, _) => "valide".into(),
                            };
                            println!("{}\t{}\t{}\t{}\t{state}", c.id, c.learner, achievement_words(&c.achievement), c.session);
                        }
                        eprintln!("{} attestation(s)", held.len());
                    }
                }
            }
            CredentialCommand::Revoke { id, reason } => {
                let revoked = credentials::revoke(&db, &id, &reason, now, actor).await?;
                eprintln!(
                    "{} révoquée ({}, {}) : bit {} de la liste {}",
                    revoked.id,
                    revoked.learner,
                    achievement_words(&revoked.achievement),
                    revoked.status_index,
                    revoked.status_list
                );
            }
            CredentialCommand::StatusList { list, output } => {
                let passphrase = Passphrase::from_env()?;
                let key = credentials::signing_key(&db, &passphrase).await?;
                let base = credentials::base_url(&db).await?;
                let Some(document) = credentials::status_list_jwt(&db, &base, &key, &list, now).await? else {
                    return Err(InputError(format!("liste de statut {list} : aucune attestation n'y a de bit")).into());
                };
                match output {
                    Some(path) => {
                        write(&path, format!("{}\n", document.jwt).as_bytes())?;
                        eprintln!("{} : {} attestation(s), {} révoquée(s)", path.display(), document.entries, document.revoked);
                    }
                    None => println!("{}", document.jwt),
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// `certif keys generate|list`.
pub fn keys(url: &str, actor: &str, command: KeysCommand) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let db = Database::open(url).await?;
        match command {
            KeysCommand::Generate => {
                let passphrase = Passphrase::from_env()?;
                let kid = credentials::generate_key(&db, &passphrase, chrono::Utc::now(), actor).await?;
                println!("{kid}");
                eprintln!("clé d'émission créée ; elle signe désormais, les précédentes restent publiées");
            }
            KeysCommand::List { jwks: true } => println!("{}", credentials::jwks(&db).await?.to_json()),
            KeysCommand::List { jwks: false } => {
                let keys = db.issuer_keys().await?;
                for key in &keys {
                    let state =
                        key.retired_at.as_deref().map_or_else(|| "signe".to_string(), |at| format!("retirée le {}", french_date(at)));
                    println!("{}\tcréée le {}\t{state}", key.kid, french_date(&key.created_at));
                }
                eprintln!("{} clé(s)", keys.len());
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// `A-0001-titre`, `A-0001-RNCP39668BC01`: the files of one credential.
fn export_name(credential: &StoredCredential) -> String {
    let what = if credential.achievement == TITLE { "titre" } else { credential.achievement.as_str() };
    let safe =
        |text: &str| text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect::<String>();
    format!("{}-{}-{}", safe(&credential.learner), safe(&credential.session), safe(what))
}

fn achievement_words(achievement: &str) -> String {
    if achievement == TITLE { "titre".into() } else { format!("bloc {achievement}") }
}

/// The date of an RFC 3339 time, in French (DD/MM/YYYY): these lines are French.
fn french_date(at: &str) -> String {
    certif_core::report::time_date_text(at, certif_core::messages::Lang::Fr)
}

fn listed_json(c: &StoredCredential) -> serde_json::Value {
    serde_json::json!({
        "id": c.id,
        "learner": c.learner,
        "session": c.session,
        "achievement": c.achievement,
        "status_list": c.status_list,
        "status_index": c.status_index,
        "issued_at": c.issued_at,
        "revoked_at": c.revoked_at,
        "revocation_reason": c.revocation_reason,
    })
}

/// Writes a whole file, or nothing: a temporary file beside it, then renamed.
fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let temporary = path.with_extension("partial");
    std::fs::write(&temporary, bytes).with_context(|| format!("{} : écriture impossible", temporary.display()))?;
    std::fs::rename(&temporary, path).with_context(|| format!("{} : écriture impossible", path.display()))?;
    Ok(())
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
        Format::Json => println!("{}", serde_json::to_string_pretty(&Report::of(&verification, crate::run::lang()))?),
        Format::Text => print!("{}", text(&file.display().to_string(), &verification, crate::run::lang())),
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
