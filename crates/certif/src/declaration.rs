//! `certif config` (the certifier's settings) and `certif declaration export|status|record`
//! (the CDC accrochage flow and its life cycle, spec/declaration.md §1): thin over
//! `certif_app::declaration` and `certif_declaration`. A flow goes to a file written whole then
//! renamed, split into numbered files beyond 200,000 awards, and only then recorded as
//! exported; holders whose records lack what the schema requires are left out and listed
//! (exit 1), never sent half-filled.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use certif::inputs::InputError;
use certif_app::Database;
use certif_app::declaration::{self, ToDeclare, Which};
use certif_declaration::{FlowWriter, MAX_PER_FLOW, passage};
use certif_store::config::ConfigStore as _;
use chrono::NaiveDate;
use clap::Subcommand;

use crate::run::runtime;

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Donner sa valeur à un réglage (cdc.emitter_id_client, cdc.certifier_id_client, cdc.certifier_contract_id, base_url).
    Set { key: String, value: String },
    /// La valeur d'un réglage.
    Get { key: String },
    /// Chaque réglage et sa valeur, et ceux qui manquent.
    List,
}

#[derive(Subcommand)]
pub enum DeclarationCommand {
    /// Écrire le flux d'accrochage des titres délivrés (publiés) : tous, ceux d'une session, ou d'une période de publication.
    Export {
        #[arg(long)]
        session: Option<String>,
        /// Publiés à partir du (AAAA-MM-JJ).
        #[arg(long)]
        from: Option<String>,
        /// Publiés jusqu'au (AAAA-MM-JJ).
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value = certif_referential::DEFAULT_CERTIFICATION)]
        certification: String,
        /// Le fichier du flux (au-delà de 200 000 titulaires : FICHIER-1.xml, FICHIER-2.xml…) ; sinon la sortie standard.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Reprendre aussi les titres déjà exportés ou acceptés (même idTechnique) ; sinon seulement ceux à déclarer et ceux rejetés.
        #[arg(long)]
        again: bool,
    },
    /// Où en est chaque titre : à déclarer, exporté, accepté, rejeté (avec le message), à retirer.
    Status {
        #[arg(long, default_value = certif_referential::DEFAULT_CERTIFICATION)]
        certification: String,
        /// text ou json.
        #[arg(long, default_value = "text")]
        format: String,
    },
    /// Enregistrer la réponse de la Caisse des Dépôts à un flux (son idFlux, ou le fichier du flux).
    Record {
        flow: String,
        /// Les idTechnique acceptés.
        #[arg(long, num_args = 1..)]
        accepted: Vec<String>,
        /// Les idTechnique rejetés, chacun avec le message de la CDC : ID:MESSAGE.
        #[arg(long, num_args = 1..)]
        rejected: Vec<String>,
        /// Tous les autres titres du flux sont acceptés.
        #[arg(long)]
        others_accepted: bool,
    },
}

pub fn config(url: &str, actor: &str, command: ConfigCommand) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let db = Database::open(url).await?;
        match command {
            ConfigCommand::Set { key, value } => {
                declaration::set_setting(&db, &key, &value, actor).await?;
                eprintln!("{key} = {}", value.trim());
            }
            ConfigCommand::Get { key } => match db.config(&key).await? {
                Some(value) => println!("{value}"),
                None => {
                    eprintln!("{key} : non défini (certif config set {key} VALEUR)");
                    return Ok(ExitCode::from(1));
                }
            },
            ConfigCommand::List => {
                let set = db.configs().await?;
                for (key, value) in &set {
                    println!("{key} = {value}");
                }
                for (key, what, ..) in declaration::SETTINGS {
                    if !set.iter().any(|(k, _)| k == key) {
                        println!("{key} : non défini — {what}");
                    }
                }
                let base_url = certif_app::address::BASE_URL_KEY;
                if !set.iter().any(|(k, _)| k == base_url) {
                    println!(
                        "{base_url} : non défini — adresse des pages de vérification des documents (par défaut {})",
                        certif_app::address::DEFAULT_BASE_URL
                    );
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn date(flag: &str, text: &str) -> Result<NaiveDate, InputError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| InputError(format!("{flag} {text} : date attendue AAAA-MM-JJ")))
}

/// The file of flow `n` of `count`: the name given, numbered when there are several.
fn numbered(output: &Path, n: usize, count: usize) -> PathBuf {
    if count == 1 {
        return output.to_path_buf();
    }
    let stem = output.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let extension = output.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_else(|| "xml".into());
    output.with_file_name(format!("{stem}-{n}.{extension}"))
}

pub fn declaration(url: &str, actor: &str, command: DeclarationCommand) -> anyhow::Result<ExitCode> {
    match command {
        DeclarationCommand::Export { session, from, to, certification, output, again } => {
            let which = Which {
                certification,
                session,
                from: from.as_deref().map(|t| date("--from", t)).transpose()?,
                to: to.as_deref().map(|t| date("--to", t)).transpose()?,
                again,
            };
            export(url, actor, which, output)
        }
        DeclarationCommand::Status { certification, format } => status(url, &certification, &format),
        DeclarationCommand::Record { flow, accepted, rejected, others_accepted } => {
            let rejected = rejected
                .iter()
                .map(|r| match r.split_once(':') {
                    Some((id, message)) => Ok((id.trim().to_string(), message.to_string())),
                    None => Err(InputError(format!("--rejected {r} : attendu ID:MESSAGE"))),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let flow = flow_of(&flow)?;
            runtime()?.block_on(async {
                let db = Database::open(url).await?;
                let count = declaration::record_answer(&db, &flow, accepted, rejected, others_accepted, actor).await?;
                eprintln!("flux {flow} : {count} réponse(s) enregistrée(s)");
                Ok(ExitCode::SUCCESS)
            })
        }
    }
}

/// A flow named by its idFlux, or by the file that holds it.
fn flow_of(text: &str) -> anyhow::Result<String> {
    let path = Path::new(text);
    if !path.is_file() {
        return Ok(text.to_string());
    }
    let file = std::fs::File::open(path).map_err(|e| InputError(format!("{text} : {e}")))?;
    match certif_declaration::flow_id_of(io::BufReader::new(file)) {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err(InputError(format!("{text} : pas d'idFlux, ce n'est pas un flux d'accrochage")).into()),
        Err(e) => Err(InputError(format!("{text} : {e}")).into()),
    }
}

fn status(url: &str, certification: &str, format: &str) -> anyhow::Result<ExitCode> {
    if !matches!(format, "text" | "json") {
        return Err(InputError(format!("--format {format} : text ou json")).into());
    }
    runtime()?.block_on(async {
        let db = Database::open(url).await?;
        let lines = declaration::status(&db, certification).await?;
        let mut out = BufWriter::new(io::stdout().lock());
        if format == "json" {
            serde_json::to_writer_pretty(&mut out, &lines)?;
            writeln!(out)?;
            return Ok(ExitCode::SUCCESS);
        }
        let mut counts = std::collections::BTreeMap::new();
        for line in &lines {
            *counts.entry(line.standing).or_insert(0usize) += 1;
            let mut text = format!("{}  {}  {}  {}", line.learner, line.session, line.id_technique, line.standing.label());
            if let (Some(flow), Some(at)) = (&line.flow, &line.exported_at) {
                text.push_str(&format!(" — flux {flow} du {}", people_time(at)));
            }
            if let Some(message) = &line.message {
                text.push_str(&format!(" — « {message} »"));
            }
            writeln!(out, "{text}")?;
        }
        let summary: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {}", s.label())).collect();
        writeln!(out, "{} titre(s) : {}", lines.len(), if summary.is_empty() { "aucun".into() } else { summary.join(", ") })?;
        Ok(ExitCode::SUCCESS)
    })
}

/// An RFC 3339 time as people read it: DD/MM/YYYY HH:MM.
fn people_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at).map(|t| t.format("%d/%m/%Y %H:%M").to_string()).unwrap_or_else(|_| at.to_string())
}

/// What writing the flows did.
pub struct Written {
    pub passages: usize,
    pub files: Vec<PathBuf>,
    pub left_out: Vec<String>,
}

/// Writes `awards` as flows (to `output`, numbered beyond [`MAX_PER_FLOW`], or to standard
/// output) and records each flow's awards as exported once the flow is whole. Each award is
/// mapped once (the flow itself streams to disk); a holder the schema cannot take is left out
/// and listed.
pub async fn write_flows(
    db: &Database,
    certification: &str,
    awards: Vec<ToDeclare>,
    output: Option<&Path>,
    actor: &str,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> anyhow::Result<Written> {
    let mut left_out = Vec::new();
    let mut kept = Vec::with_capacity(awards.len());
    for to_declare in awards {
        match passage(&to_declare.award) {
            Ok(mapped) => kept.push((mapped, to_declare.declared)),
            Err(missing) => left_out.push(missing.to_string()),
        }
    }
    let count = kept.len().div_ceil(MAX_PER_FLOW);
    if output.is_none() && count > 1 {
        return Err(InputError(format!("{} titulaires : plus d'un flux, donnez --output FICHIER", kept.len())).into());
    }
    let exported_at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let mut files = Vec::new();
    for (n, chunk) in kept.chunks(MAX_PER_FLOW).enumerate() {
        let header = declaration::header(db, certification, certif_app::random_uuid()?, now).await?;
        let write = |out: &mut dyn Write| -> anyhow::Result<()> {
            let mut flow = FlowWriter::start(out, &header)?;
            for (mapped, _) in chunk {
                flow.passage(mapped)?;
            }
            flow.finish()?.flush()?;
            Ok(())
        };
        match output {
            None => write(&mut BufWriter::new(io::stdout().lock()))?,
            Some(output) => {
                let file = numbered(output, n + 1, count);
                let partial = file.with_extension("xml.partiel");
                let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&partial)?);
                write(&mut out)?;
                out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
                std::fs::rename(&partial, &file)?;
                eprintln!("{} : {} titulaire(s), flux {}", file.display(), chunk.len(), header.flow_id);
                files.push(file);
            }
        }
        // Recorded once the flow is whole: a flow lost before this is simply exported again.
        let declared = chunk.iter().map(|(_, declared)| declared.clone()).collect();
        declaration::record_export(db, &header.flow_id, &exported_at, declared, actor).await?;
    }
    Ok(Written { passages: kept.len(), files, left_out })
}

fn export(url: &str, actor: &str, which: Which, output: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let db = Database::open(url).await?;
        let now = chrono::Local::now().fixed_offset();
        // Refused before anything is written while a setting is unset.
        declaration::header(&db, &which.certification, String::new(), now).await?;
        let awards = declaration::awards(&db, &which).await?;
        let written = write_flows(&db, &which.certification, awards, output.as_deref(), actor, now).await?;
        if written.passages == 0 {
            eprintln!("aucun titre à déclarer (certif declaration status)");
        } else {
            eprintln!("{} titre(s) déclaré(s) dans {} flux", written.passages, written.passages.div_ceil(MAX_PER_FLOW));
        }
        if written.left_out.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("{} titulaire(s) laissé(s) de côté, leur dossier ne dit pas ce que le schéma exige :", written.left_out.len());
        for line in &written.left_out {
            eprintln!("  {line}");
        }
        io::stderr().flush()?;
        Ok(ExitCode::from(1))
    })
}
