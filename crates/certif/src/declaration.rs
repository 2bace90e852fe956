//! `certif config` (the certifier's settings) and `certif declaration export` (the CDC
//! accrochage flow, spec/declaration.md §1): thin over `certif_app::declaration` and
//! `certif_declaration`. A flow goes to a file written whole then renamed, split into numbered
//! files beyond 200,000 awards; holders whose records lack what the schema requires are left
//! out and listed (exit 1), never sent half-filled.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use certif::inputs::InputError;
use certif_app::Database;
use certif_app::declaration::{self, Which};
use certif_declaration::{FlowWriter, MAX_PER_FLOW, Passage, passage};
use certif_store::config::ConfigStore as _;
use chrono::NaiveDate;
use clap::Subcommand;

use crate::run::runtime;

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Donner sa valeur à un réglage (cdc.emitter_id_client, cdc.certifier_id_client, cdc.certifier_contract_id).
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
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn date(flag: &str, text: &str) -> Result<NaiveDate, InputError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| InputError(format!("{flag} {text} : date attendue AAAA-MM-JJ")))
}

/// A fresh UUID (version 4) for a flow.
fn flow_id() -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("aucun aléa disponible : {e}"))?;
    Ok(certif_declaration::uuid_text(bytes, 4))
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

pub fn declaration(url: &str, command: DeclarationCommand) -> anyhow::Result<ExitCode> {
    let DeclarationCommand::Export { session, from, to, certification, output } = command;
    let which = Which {
        certification,
        session,
        from: from.as_deref().map(|t| date("--from", t)).transpose()?,
        to: to.as_deref().map(|t| date("--to", t)).transpose()?,
    };
    runtime()?.block_on(async {
        let db = Database::open(url).await?;
        let now = chrono::Local::now().fixed_offset();
        // Refused before anything is written while a setting is unset.
        declaration::header(&db, &which.certification, String::new(), now).await?;
        let awards = declaration::awards(&db, &which).await?;
        let (mut passages, mut left_out): (Vec<Passage>, Vec<String>) = (Vec::new(), Vec::new());
        for award in &awards {
            match passage(award) {
                Ok(p) => passages.push(p),
                Err(missing) => left_out.push(missing.to_string()),
            }
        }
        let flows: Vec<&[Passage]> = passages.chunks(MAX_PER_FLOW).collect();
        let flows = if flows.is_empty() { vec![&passages[..]] } else { flows };
        match &output {
            None if flows.len() > 1 => {
                return Err(InputError(format!("{} titulaires : plus d'un flux, donnez --output FICHIER", passages.len())).into());
            }
            None => {
                let header = declaration::header(&db, &which.certification, flow_id()?, now).await?;
                let mut flow = FlowWriter::start(BufWriter::new(io::stdout().lock()), &header)?;
                for p in flows[0] {
                    flow.passage(p)?;
                }
                flow.finish()?;
            }
            Some(output) => {
                for (n, chunk) in flows.iter().enumerate() {
                    let file = numbered(output, n + 1, flows.len());
                    let header = declaration::header(&db, &which.certification, flow_id()?, now).await?;
                    let partial = file.with_extension("xml.partiel");
                    let mut flow = FlowWriter::start(BufWriter::new(std::fs::File::create(&partial)?), &header)?;
                    for p in chunk.iter() {
                        flow.passage(p)?;
                    }
                    flow.finish()?.into_inner().map_err(|e| e.into_error())?.sync_all()?;
                    std::fs::rename(&partial, &file)?;
                    eprintln!("{} : {} titulaire(s), flux {}", file.display(), chunk.len(), header.flow_id);
                }
            }
        }
        eprintln!("{} titre(s) déclaré(s) dans {} flux", passages.len(), flows.len());
        if left_out.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("{} titulaire(s) laissé(s) de côté, leur dossier ne dit pas ce que le schéma exige :", left_out.len());
        for line in &left_out {
            eprintln!("  {line}");
        }
        io::stderr().flush()?;
        Ok(ExitCode::from(1))
    })
}
