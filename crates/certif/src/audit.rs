//! `certif audit verify | log | anchor | keygen`: the audit log's checks, and its anchor outside
//! the database (a signed statement of how long the log was and how it ended, which a rewrite
//! of the database cannot forge).

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use certif::inputs::InputError;
use certif_app::Database;
use certif_store::anchor::{self, Anchor};
use certif_store::{AuditVerdict, Store};

use certif_core::messages::cli::Said;

use crate::run::runtime;

/// The signing key's variable: a 32-byte seed in hex, never stored in the database.
const SIGNING_KEY: &str = "CERTIF_AUDIT_KEY";
/// The public key's variable: all an auditor needs to check anchors.
const PUBLIC_KEY: &str = "CERTIF_AUDIT_PUBLIC_KEY";

fn env_key(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.trim().is_empty())
}

fn signing_key() -> anyhow::Result<anchor::SigningKey> {
    let text = env_key(SIGNING_KEY).ok_or_else(|| {
        InputError(format!(
            "{SIGNING_KEY} n'est pas définie : la clé qui signe les ancres vient de l'environnement, jamais de la base \
             (`certif audit keygen` en crée une) / {SIGNING_KEY} is not set: the key signing anchors comes from the environment"
        ))
    })?;
    anchor::signing_key(&text).map_err(|e| InputError(format!("{SIGNING_KEY} : {e}")).into())
}

/// The key that checks an anchor: the public key, else the one derived from the signing key.
fn verifying_key() -> anyhow::Result<anchor::VerifyingKey> {
    if let Some(text) = env_key(PUBLIC_KEY) {
        return anchor::verifying_key(&text).map_err(|e| InputError(format!("{PUBLIC_KEY} : {e}")).into());
    }
    if env_key(SIGNING_KEY).is_some() {
        return Ok(signing_key()?.verifying_key());
    }
    Err(InputError(format!(
        "ni {PUBLIC_KEY} ni {SIGNING_KEY} n'est définie : la clé qui vérifie une ancre vient de l'environnement, \
         jamais de la base ni de l'ancre / neither {PUBLIC_KEY} nor {SIGNING_KEY} is set"
    ))
    .into())
}

/// The verdict as one line; whether it holds.
fn verdict_line(verdict: &AuditVerdict) -> (String, bool) {
    match verdict {
        AuditVerdict::Intact { rows } => (format!("journal d'audit intact : {rows} entrées"), true),
        AuditVerdict::Broken { seq, reason } => (format!("journal d'audit ROMPU à l'entrée {seq} : {reason}"), false),
        AuditVerdict::Unaudited { entity, key, reason } => {
            (format!("journal d'audit ROMPU : {entity} {key} ne correspond pas au journal ({reason})"), false)
        }
    }
}

fn read_anchor(file: &Path) -> anyhow::Result<Anchor> {
    // An anchor is a few hundred bytes.
    let bytes = certif::inputs::read_file(file, 1 << 20)?;
    serde_json::from_slice(&bytes).map_err(|e| InputError(format!("{}: ce n'est pas une ancre d'audit : {e}", file.display())).into())
}

/// Checks the chain, every stored record against its latest entry, and with `anchor` that the
/// log still holds the entry the anchor vouches for. Exit 1 naming what is wrong.
pub fn verify(url: &str, anchor: Option<&Path>) -> anyhow::Result<ExitCode> {
    let anchor = match anchor {
        Some(file) => Some((read_anchor(file)?, verifying_key()?)),
        None => None,
    };
    runtime()?.block_on(async {
        let store = Database::open(url).await?;
        let snapshot = store.audit_snapshot().await?;
        let (line, mut holds) = verdict_line(&snapshot.verdict());
        println!("{line}");
        if let Some((anchor, key)) = anchor {
            match anchor.check_signature(&key).and_then(|()| anchor.check_log(&snapshot.entries)) {
                Ok(()) => {
                    println!("ancre du {} respectée : l'entrée {} a le hash ancré ({})", anchor.at, anchor.count, short(&anchor.hash))
                }
                Err(error) => {
                    println!("ANCRE NON RESPECTÉE : {}", error.text(crate::run::lang()));
                    holds = false;
                }
            }
        }
        Ok(if holds { ExitCode::SUCCESS } else { ExitCode::FAILURE })
    })
}

fn short(hash: &str) -> String {
    format!("{}…", &hash[..hash.len().min(16)])
}

/// Signs the head of an intact log with `CERTIF_AUDIT_KEY`; prints the anchor or writes it to
/// `out`. A broken log is not anchored (exit 1).
pub fn anchor(url: &str, out: Option<&Path>) -> anyhow::Result<ExitCode> {
    let key = signing_key()?;
    runtime()?.block_on(async {
        let store = Database::open(url).await?;
        let snapshot = store.audit_snapshot().await?;
        let (line, holds) = verdict_line(&snapshot.verdict());
        if !holds {
            println!("{line}");
            eprintln!("certif: {}", crate::run::say(Said::NoAnchorForABrokenLog));
            return Ok(ExitCode::FAILURE);
        }
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let anchor = Anchor::sign(snapshot.head.0, &snapshot.head.1, &at, &key);
        let json = serde_json::to_string_pretty(&anchor)? + "\n";
        match out {
            None => io::stdout().lock().write_all(json.as_bytes())?,
            Some(file) => {
                // Written beside, then renamed: a reader never sees half an anchor.
                let partial = file.with_extension("partial");
                std::fs::write(&partial, &json).map_err(|e| InputError(format!("{}: écriture impossible : {e}", partial.display())))?;
                std::fs::rename(&partial, file).map_err(|e| InputError(format!("{}: écriture impossible : {e}", file.display())))?;
                eprintln!(
                    "ancre écrite dans {} : {} entrées, dernière {}, clé {}",
                    file.display(),
                    anchor.count,
                    short(&anchor.hash),
                    anchor.key_id
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Prints a new key pair, as the environment takes it.
pub fn keygen() -> anyhow::Result<ExitCode> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("no randomness from the system: {e}"))?;
    let (secret, public) = anchor::key_pair(seed);
    println!("{SIGNING_KEY}={secret}");
    println!("{PUBLIC_KEY}={public}");
    let id = anchor::verifying_key(&public).map(|k| anchor::key_id(&k)).unwrap_or_default();
    eprintln!("clé {id} créée : gardez {SIGNING_KEY} secrète et hors de la base ; {PUBLIC_KEY} suffit pour vérifier les ancres");
    Ok(ExitCode::SUCCESS)
}

pub fn log(url: &str, learner: Option<&str>) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = Database::open(url).await?;
        let mut out = io::stdout().lock();
        for entry in store.audit_log(learner).await? {
            writeln!(
                out,
                "{:>6} {} {:<12} {:<16} {:<28} {} → {}",
                entry.seq,
                entry.at,
                entry.actor,
                entry.entity,
                entry.entity_key,
                entry.before.as_deref().unwrap_or("—"),
                entry.after.as_deref().unwrap_or("—")
            )?;
        }
        Ok(ExitCode::SUCCESS)
    })
}
