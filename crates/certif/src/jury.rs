//! `certif jury …` and `certif holders` (spec/jury.md §2): each command one call into
//! `certif_app::jury`, its result printed for people (French) or as JSON.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use certif::inputs::InputError;
use certif_app::Database;
use certif_app::jury::{self, Candidates, NewSession, Vote};
use certif_core::Decimal;
use certif_core::jury::{CastingVote, Member, Outcome, Votes};
use certif_core::messages::cli::Said;
use certif_store::jury::{Held, JuryKind};
use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};

use crate::run::{runtime, say};

#[derive(Subcommand)]
pub enum JuryCommand {
    /// Créer une session de jury (brouillon).
    Create {
        /// Identifiant de la session (généré s'il manque).
        session: Option<String>,
        #[arg(long)]
        kind: KindArg,
        /// Date de délibération (JJ/MM/AAAA ou AAAA-MM-JJ).
        #[arg(long)]
        date: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        place: Option<String>,
        #[arg(long, default_value = "RNCP39668")]
        certification: String,
    },
    /// Les membres du jury.
    Member {
        #[command(subcommand)]
        command: MemberCommand,
    },
    /// Les candidats de la session.
    Candidates {
        #[command(subcommand)]
        command: CandidatesCommand,
    },
    /// Ouvrir la session : la composition doit être respectée ; les propositions sont calculées.
    Open { session: String },
    /// Points de jury sur le module d'un candidat.
    Points {
        session: String,
        learner: String,
        module: String,
        points: String,
        #[arg(long)]
        justification: String,
    },
    /// Délibérer sur un candidat.
    Deliberate {
        session: String,
        learner: String,
        #[arg(long)]
        outcome: OutcomeArg,
        /// Blocs validés acquis (séparés par des virgules).
        #[arg(long, value_delimiter = ',')]
        blocks: Vec<String>,
        #[arg(long = "for")]
        in_favour: u32,
        #[arg(long)]
        against: u32,
        #[arg(long, default_value_t = 0)]
        abstain: u32,
        #[arg(long)]
        casting_vote: Option<CastingArg>,
        #[arg(long)]
        justification: Option<String>,
        /// Ce qui est attendu (ajournement).
        #[arg(long)]
        expected: Option<String>,
        /// Pour quand (ajournement).
        #[arg(long)]
        by: Option<String>,
    },
    /// Clore la session : plus rien ne change ; le procès-verbal et son SHA-256 sont fixés.
    Close { session: String },
    /// Signature du procès-verbal par le président.
    Sign {
        session: String,
        #[arg(long = "as")]
        name: String,
    },
    /// Publier les décisions (elles prennent effet ; le délai de recours court).
    Publish {
        session: String,
        #[arg(long)]
        on: String,
    },
    /// Le procès-verbal : JSON (source de vérité) ou PDF (A4, en français), sur la sortie standard ou dans --output.
    Minutes {
        session: String,
        #[arg(long, default_value = "json")]
        format: MinutesFormat,
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Enregistrer un recours contre une décision publiée.
    Appeal {
        session: String,
        learner: String,
        #[arg(long)]
        received_on: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Où en est la session : membres, composition, candidats.
    Show {
        session: String,
        #[arg(long, default_value = "text")]
        format: ShowFormat,
    },
    /// Les sessions.
    List,
}

#[derive(Subcommand)]
pub enum MemberCommand {
    Add {
        session: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        representing: Option<String>,
        #[arg(long)]
        absent: bool,
        /// Le compte certif qui siège (il agit dans ce rôle sur le web et l'API).
        #[arg(long)]
        account: Option<String>,
    },
    Remove {
        session: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
pub enum CandidatesCommand {
    Add {
        session: String,
        #[arg(long, conflicts_with = "learners")]
        all: bool,
        #[arg(required_unless_present = "all")]
        learners: Vec<String>,
        /// Ces candidats ont fait un recours contre la décision publiée de cette session : la nouvelle décision la remplace.
        #[arg(long, conflicts_with = "all")]
        appeal_of: Option<String>,
    },
    Remove {
        session: String,
        learner: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    Title,
    Vae,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OutcomeArg {
    Award,
    ValidateBlocks,
    Defer,
    Refuse,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum CastingArg {
    For,
    Against,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum MinutesFormat {
    Json,
    Pdf,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ShowFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum HoldersFormat {
    Text,
    Json,
    Csv,
}

fn date(option: &str, text: &str) -> Result<NaiveDate, InputError> {
    certif_ingest::date(text).map_err(|_| InputError(format!("{option} {text} : ce n'est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ)")))
}

fn people_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Runs one `jury` command against the database.
pub fn run(url: &str, actor: &str, command: JuryCommand) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let db = Database::open(url).await?;
        match command {
            JuryCommand::Create { session, kind, date: on, name, place, certification } => {
                let kind = match kind {
                    KindArg::Title => JuryKind::Title,
                    KindArg::Vae => JuryKind::Vae,
                };
                let new = NewSession { id: session, certification, kind, date: date("--date", &on)?, name, place };
                let id = jury::create(&db, new, actor).await?;
                println!("{id}");
                eprintln!("session {id} créée (brouillon)");
            }
            JuryCommand::Member { command: MemberCommand::Add { session, name, role, representing, absent, account } } => {
                let member = Member { name: name.trim().to_string(), role, representing, present: !absent, account };
                jury::add_member(&db, &session, member, actor).await?;
                eprintln!("{name} : membre de la session {session}");
            }
            JuryCommand::Member { command: MemberCommand::Remove { session, name } } => {
                jury::remove_member(&db, &session, &name, actor).await?;
                eprintln!("{name} : retiré de la session {session}");
            }
            JuryCommand::Candidates { command: CandidatesCommand::Add { session, learners, appeal_of: Some(appealed), .. } } => {
                for learner in &learners {
                    jury::add_appeal_candidate(&db, &session, learner, &appealed, actor).await?;
                    eprintln!("{learner} : candidat de la session {session}, sur recours contre la session {appealed}");
                }
            }
            JuryCommand::Candidates { command: CandidatesCommand::Add { session, all, learners, appeal_of: None } } => {
                let which = if all { Candidates::All } else { Candidates::Some(learners) };
                let added = jury::add_candidates(&db, &session, which, actor).await?;
                eprintln!("{added} candidat(s) ajouté(s) à la session {session}");
            }
            JuryCommand::Candidates { command: CandidatesCommand::Remove { session, learner } } => {
                jury::remove_candidate(&db, &session, &learner, actor).await?;
                eprintln!("{learner} : retiré des candidats de la session {session}");
            }
            JuryCommand::Open { session } => {
                jury::open(&db, &session, actor).await?;
                eprintln!("session {session} ouverte : la composition est respectée, les propositions sont calculées");
            }
            JuryCommand::Points { session, learner, module, points, justification } => {
                let value: Decimal = points
                    .replace(',', ".")
                    .parse()
                    .map_err(|_| InputError(format!("{points} : ce n'est pas un nombre de points (ex. 0,20)")))?;
                jury::points(&db, &session, &learner, &module, value, &justification, actor).await?;
                eprintln!("{learner} : {points} point(s) de jury sur {module}");
            }
            JuryCommand::Deliberate {
                session,
                learner,
                outcome,
                blocks,
                in_favour,
                against,
                abstain,
                casting_vote,
                justification,
                expected,
                by,
            } => {
                let outcome = match outcome {
                    OutcomeArg::Award => Outcome::Award,
                    OutcomeArg::ValidateBlocks => Outcome::ValidateBlocks { blocks },
                    OutcomeArg::Refuse => Outcome::Refuse,
                    OutcomeArg::Defer => {
                        let by = by.map(|by| date("--by", &by)).transpose()?;
                        Outcome::defer(expected, by, blocks).map_err(|refusal| certif_app::AppError::Refused(vec![refusal]))?
                    }
                };
                let casting_vote = casting_vote.map(|c| match c {
                    CastingArg::For => CastingVote::For,
                    CastingArg::Against => CastingVote::Against,
                });
                let votes = Votes { in_favour, against, abstain, casting_vote };
                let adopted = jury::deliberate(&db, &session, &learner, Vote { outcome, votes, justification }, actor).await?;
                let casting = if adopted.casting_vote_decided { " (voix prépondérante de la présidence)" } else { "" };
                println!("{learner} : {}{casting}", adopted.code);
            }
            JuryCommand::Close { session } => {
                jury::close(&db, &session, actor).await?;
                let view = jury::show(&db, &session).await?;
                eprintln!("session {session} close ; procès-verbal SHA-256 {}", view.minutes_sha256.unwrap_or_default());
            }
            JuryCommand::Sign { session, name } => {
                let sha256 = jury::sign(&db, &session, &name, actor).await?;
                eprintln!("procès-verbal de la session {session} signé par {name} (SHA-256 {sha256})");
            }
            JuryCommand::Publish { session, on } => {
                let on = date("--on", &on)?;
                jury::publish(&db, &session, on, actor).await?;
                eprintln!(
                    "décisions de la session {session} publiées le {} ; recours jusqu'au {}",
                    people_date(on),
                    people_date(jury::appeal_deadline(on))
                );
            }
            JuryCommand::Minutes { session, format, output } => {
                let minutes = jury::minutes_json(&db, &session).await?;
                let bytes = match format {
                    MinutesFormat::Json => (serde_json::to_string_pretty(&minutes)? + "\n").into_bytes(),
                    MinutesFormat::Pdf => certif_documents::minutes_pdf(&minutes)?,
                };
                match output {
                    Some(path) => {
                        write_atomically(&path, &bytes)?;
                        eprintln!("{}", say(Said::MinutesWritten { session: &session, file: &path.display().to_string() }));
                    }
                    None => io::stdout().lock().write_all(&bytes)?,
                }
            }
            JuryCommand::Appeal { session, learner, received_on, note } => {
                jury::appeal(&db, &session, &learner, date("--received-on", &received_on)?, note, actor).await?;
                eprintln!("recours de {learner} enregistré (session {session})");
            }
            JuryCommand::Show { session, format } => {
                let view = jury::show(&db, &session).await?;
                let mut out = io::stdout().lock();
                if format == ShowFormat::Json {
                    writeln!(out, "{}", serde_json::to_string_pretty(&view)?)?;
                } else {
                    write!(out, "{}", show_text(&view))?;
                }
            }
            JuryCommand::List => {
                let mut out = io::stdout().lock();
                for s in jury::list(&db).await? {
                    writeln!(
                        out,
                        "{:<20} {:<10} {:<5} {} {:<9} {}/{} décidé(s)  {}",
                        s.session.id,
                        s.session.certification,
                        s.session.kind.as_str(),
                        people_date(s.session.date),
                        status_word(s.status),
                        s.decided,
                        s.candidates,
                        s.session.name
                    )?;
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Writes `bytes` to `path` whole or not at all: a temporary file beside it, renamed over it.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), InputError> {
    let unwritable = |e: &dyn std::fmt::Display| InputError(format!("{} : écriture impossible : {e}", path.display()));
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| unwritable(&e))?;
    file.write_all(bytes).and_then(|()| file.as_file().sync_all()).map_err(|e| unwritable(&e))?;
    file.persist(path).map_err(|e| unwritable(&e.error))?;
    Ok(())
}

fn status_word(status: certif_store::jury::JuryStatus) -> &'static str {
    use certif_store::jury::JuryStatus::*;
    match status {
        Draft => "brouillon",
        Open => "ouverte",
        Closed => "close",
        Published => "publiée",
    }
}

fn show_text(view: &jury::SessionView) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ =
        writeln!(out, "{} — {} ({}), {} : {}", view.id, view.name, view.certification, people_date(view.date), status_word(view.status));
    let _ = writeln!(out, "\nMembres :");
    for m in &view.members {
        let representing = m.representing.as_deref().map(|r| format!(", représentant {r}")).unwrap_or_default();
        let _ = writeln!(out, "  {:<28} {:<26}{representing}{}", m.name, m.role, if m.present { "" } else { " (absent)" });
    }
    if view.composition.is_empty() {
        let _ = writeln!(out, "Composition : respectée");
    } else {
        let _ = writeln!(out, "Composition : non respectée");
        for r in &view.composition {
            let _ = writeln!(out, "  {} : {}", r.code.as_str(), r.message);
        }
    }
    let decided = view.candidates.iter().filter(|c| c.outcome.is_some()).count();
    let _ = writeln!(out, "\nCandidats ({decided}/{} décidés) :", view.candidates.len());
    for c in &view.candidates {
        let proposed = c.proposal.pointer("/title/status").and_then(|s| s.as_str()).unwrap_or("-");
        let _ = writeln!(
            out,
            "  {:<10} {:<28} proposition {:<12} décision {}{}",
            c.learner,
            c.name,
            proposed,
            c.code.unwrap_or("-"),
            c.notices.iter().map(|n| format!(" [{n}]")).collect::<String>()
        );
    }
    out
}

/// `certif holders`: every published award and acquired block.
pub fn holders(url: &str, format: HoldersFormat) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let db = Database::open(url).await?;
        let holders = jury::holders(&db).await?;
        let mut out = io::stdout().lock();
        let what = |held: &Held| match held {
            Held::Title => "titre".to_string(),
            Held::Block(code) => code.clone(),
        };
        match format {
            HoldersFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&holders)?)?,
            HoldersFormat::Text => {
                for h in &holders {
                    writeln!(
                        out,
                        "{:<10} {:<10} {:<16} session {} du {}, publiée le {}",
                        h.learner,
                        h.certification,
                        what(&h.what),
                        h.session,
                        people_date(h.jury_date),
                        people_date(h.published_on)
                    )?;
                }
            }
            HoldersFormat::Csv => {
                let header = ["Apprenant", "Certification", "Acquis", "Session", "Date du jury", "Date de publication"];
                let rows = holders.iter().map(|h| {
                    vec![
                        h.learner.clone(),
                        h.certification.clone(),
                        what(&h.what),
                        h.session.clone(),
                        people_date(h.jury_date),
                        people_date(h.published_on),
                    ]
                });
                out.write_all(&certif_app::status_table::people_csv(&header, rows))?;
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
