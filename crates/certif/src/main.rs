//! `certif`: the command line over the referential, curricula and the rule engine.

use std::io::{self, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use certif::bulk::{self, Context};
use certif::inputs::{self, InputError};
use certif::referential_text;
use certif_core::dossier::DossierContext;
use certif_core::messages::Lang;
use certif_core::{Dossier, evaluate};
use clap::{Parser, Subcommand, ValueEnum};

mod audit;
mod bench_http;
mod bench_records;
mod referentials;
mod run;
mod stored;
mod users;

/// The bulk path allocates many small values from two threads; mimalloc handles that best.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "certif", version, about = "Runs a competency-based professional certification: referential, curricula, decisions.")]
struct Cli {
    /// The database: `sqlite://certif.db` (the default, created on first use).
    #[arg(long, global = true, env = "CERTIF_DATABASE_URL", default_value = "sqlite://certif.db")]
    database: String,
    /// Who is making the change, as the audit log records it.
    #[arg(long, global = true, env = "CERTIF_ACTOR", default_value = "cli")]
    actor: String,
    /// Language of everything printed for people: fr (the default) or en.
    #[arg(long, global = true, env = "CERTIF_LANG", default_value = "fr")]
    lang: LangArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The certifications certif knows (RNCP39668 embedded).
    Referential {
        #[command(subcommand)]
        command: ReferentialCommand,
    },
    /// Curricula (maquettes): check one against its certification.
    Curriculum {
        #[command(subcommand)]
        command: CurriculumCommand,
    },
    /// Decide a dossier (or one dossier per line with --jsonl) and print the decision.
    Evaluate {
        /// The dossier (JSON, spec/evaluation.md §1); `-` for stdin.
        #[arg(required_unless_present = "jsonl", conflicts_with = "jsonl")]
        dossier: Option<PathBuf>,
        /// The curriculum the learner follows (TOML, spec/curriculum.md).
        #[arg(long)]
        curriculum: PathBuf,
        /// Overrides of the default policy (TOML, spec/evaluation.md §2).
        #[arg(long)]
        policy: Option<PathBuf>,
        /// Bulk mode: one dossier per line of FILE (`-` for stdin), one decision per line out.
        #[arg(long, value_name = "FILE")]
        jsonl: Option<PathBuf>,
        /// Output format; JSON by default when stdout is not a terminal.
        #[arg(long)]
        format: Option<Format>,
    },
    /// Import a registrar's spreadsheet (CSV or XLSX) into the database: all rows checked first, nothing written on any error.
    Import {
        /// learners, marks, company-periods, mobility, english, vae or accommodations.
        kind: String,
        file: PathBuf,
        /// Check and report without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Every stored learner's decision (or one learner's), through the same engine.
    Status {
        learner: Option<String>,
        /// The evaluation date (default: today).
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        format: Option<StatusFormat>,
    },
    /// Export stored data.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// The audit log: read it, verify its hash chain.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// A consistent copy of the database in a new file (SQLite).
    Backup { file: PathBuf },
    /// Create (or recreate) the demo database: RNCP39668, the demo curriculum and a generated cohort covering every decision path; print its status.
    Demo {
        /// How many learners (at least one per decision path).
        #[arg(long, default_value_t = 68)]
        learners: usize,
        #[arg(long)]
        format: Option<Format>,
    },
    /// Measure the bulk path (`evaluate --jsonl`) on generated dossiers, JSON parsing included.
    Bench {
        /// How many dossiers to generate.
        #[arg(long, default_value_t = 20_000)]
        dossiers: usize,
        /// How many timed runs (the median is reported).
        #[arg(long, default_value_t = 7)]
        runs: usize,
        /// Seed of the generator, for reproducible inputs.
        #[arg(long, default_value_t = 39668)]
        seed: u64,
        /// Print the generated dossiers (JSON lines) instead of measuring, to time `evaluate --jsonl` itself.
        #[arg(long)]
        emit: bool,
    },
    /// Serve the JSON API (spec/api.md), its OpenAPI document and reference page.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Mark cookies `Secure` (when served over HTTPS, e.g. behind a TLS reverse proxy).
        #[arg(long, env = "CERTIF_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Take the client's address from the last `X-Forwarded-For` entry (only behind a reverse proxy that sets it).
        #[arg(long, env = "CERTIF_TRUST_PROXY")]
        trust_proxy: bool,
    },
    /// Accounts of the web application.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load the API (decision and cohort routes) from a client in the same process; print req/s, p50/p99, errors.
    BenchHttp {
        /// Concurrent connections.
        #[arg(long, default_value_t = 32)]
        connections: usize,
        /// Seconds per route.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// The evaluation date of the decisions.
        #[arg(long, default_value = "2026-09-18")]
        on: String,
    },
    /// Write a synthetic RNCP export in the shape of France Compétences' file (for benchmarks of `referential import`).
    BenchExport {
        file: PathBuf,
        /// How many fiches (the real export has about 30,000: about 1 GB).
        #[arg(long, default_value_t = 30_000)]
        fiches: usize,
    },
    /// Measure the records path on an empty database: import generated learners and marks (CSV), re-import, status.
    BenchRecords {
        #[arg(long, default_value_t = 10_000)]
        learners: usize,
        /// Mark rows in all (long format).
        #[arg(long, default_value_t = 100_000)]
        marks: usize,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Add {
        username: String,
        /// admin, registrar, teacher, master, learner or jury.
        #[arg(long)]
        role: String,
        /// A learner account's own learner id.
        #[arg(long)]
        learner: Option<String>,
        /// A teacher's modules.
        #[arg(long, value_delimiter = ',')]
        modules: Vec<String>,
        /// A master's apprentices (learner ids).
        #[arg(long, value_delimiter = ',')]
        apprentices: Vec<String>,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Every account, its role and scope.
    List,
    /// Remove an account (and its sessions).
    Remove { username: String },
}

#[derive(Subcommand)]
enum ReferentialCommand {
    /// Show one certification (RNCP39668 by default), embedded or imported, with its overlay and links.
    Show {
        code: Option<String>,
        #[arg(long)]
        format: Option<Format>,
    },
    /// Import France Compétences' RNCP export (.xml or .zip) into the database, in one transaction.
    Import { file: PathBuf },
    /// Every certification certif knows: code, level, active, title.
    List {
        /// Only certifications whose registration is in force.
        #[arg(long)]
        active: bool,
        #[arg(long)]
        format: Option<Format>,
    },
    /// Full-text search over titles, blocks and competencies, with filters.
    Search {
        /// Words to find (all of them, as word prefixes); accents optional on SQLite.
        query: Option<String>,
        /// Only certifications with this ROME code.
        #[arg(long)]
        rome: Option<String>,
        /// Only certifications with this NSF code.
        #[arg(long)]
        nsf: Option<String>,
        /// Only certifications of this level (3 to 8).
        #[arg(long)]
        level: Option<u8>,
        #[arg(long)]
        active: bool,
        /// At most this many results.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        format: Option<Format>,
    },
    /// Store a certification overlay (modality letters, transversal competencies, award conditions, policy) over its fiche.
    Overlay { file: PathBuf },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// A learner's dossier (spec/evaluation.md §1) as stored; `certif evaluate` on it gives the decision `certif status` gives.
    Dossier {
        learner: String,
        #[arg(long)]
        on: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check that no audit row was altered or removed and that every stored record is what its latest row says (exit 1 naming the first problem).
    Verify {
        /// An anchor written by `audit anchor`: its signature is checked with CERTIF_AUDIT_PUBLIC_KEY (or CERTIF_AUDIT_KEY), and the log must still hold the entry it vouches for.
        #[arg(long, value_name = "FILE")]
        anchor: Option<PathBuf>,
    },
    /// Sign the log's length and last hash with CERTIF_AUDIT_KEY, to keep outside the database.
    Anchor {
        /// Write the anchor to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Create a key pair for anchors: prints CERTIF_AUDIT_KEY (secret) and CERTIF_AUDIT_PUBLIC_KEY.
    Keygen,
    /// Print the audit log, oldest first.
    Log {
        #[arg(long)]
        learner: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum StatusFormat {
    Text,
    Json,
    Csv,
}

#[derive(Subcommand)]
enum CurriculumCommand {
    /// Check a curriculum and store it in the database.
    Load { file: PathBuf },
    /// Check that a curriculum loads and covers its certification's competencies and modalities.
    Check {
        file: PathBuf,
        #[arg(long)]
        format: Option<Format>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Fr,
    En,
}

impl From<LangArg> for Lang {
    fn from(lang: LangArg) -> Lang {
        match lang {
            LangArg::Fr => Lang::Fr,
            LangArg::En => Lang::En,
        }
    }
}

/// JSON for machines, text for people: the default follows where stdout goes.
fn resolve(format: Option<Format>) -> Format {
    format.unwrap_or(if io::stdout().is_terminal() { Format::Text } else { Format::Json })
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => report(error),
    }
}

/// Input errors exit 2 with their message; a closed pipe is not an error; anything else exits 1.
fn report(error: anyhow::Error) -> ExitCode {
    if let Some(input) = error.downcast_ref::<InputError>() {
        eprintln!("certif: {input}");
        ExitCode::from(2)
    } else if let Some(app) = error.downcast_ref::<certif_app::AppError>() {
        eprintln!("certif: {error:#}");
        ExitCode::from(app.exit_status())
    } else if let Some(issues) = error.downcast_ref::<certif_ingest::IngestError>() {
        eprintln!("{issues}");
        ExitCode::from(2)
    } else if error.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe) {
        ExitCode::SUCCESS
    } else {
        eprintln!("certif: {error:#}");
        ExitCode::FAILURE
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    run::set_lang(cli.lang.into());
    match cli.command {
        Command::Referential { command: ReferentialCommand::Show { code, format } } => {
            let code = code.unwrap_or_else(|| certif_referential::DEFAULT_CERTIFICATION.to_string());
            referentials::show(&cli.database, &code, resolve(format) == Format::Json)
        }
        Command::Referential { command: ReferentialCommand::Import { file } } => referentials::import(&cli.database, &cli.actor, &file),
        Command::Referential { command: ReferentialCommand::Overlay { file } } => referentials::overlay(&cli.database, &cli.actor, &file),
        Command::Referential { command: ReferentialCommand::List { active, format } } => {
            let query = certif_store::fiches::FicheQuery { active_only: active, ..Default::default() };
            referentials::find(&cli.database, query, resolve(format) == Format::Json)
        }
        Command::Referential { command: ReferentialCommand::Search { query, rome, nsf, level, active, limit, format } } => {
            let query = certif_store::fiches::FicheQuery { text: query, rome, nsf, level, active_only: active, limit: Some(limit) };
            referentials::find(&cli.database, query, resolve(format) == Format::Json)
        }
        Command::Curriculum { command: CurriculumCommand::Load { file } } => stored::curriculum_load(&cli.database, &cli.actor, &file),
        Command::Import { kind, file, dry_run } => stored::import(&cli.database, &cli.actor, &kind, &file, dry_run),
        Command::Status { learner, on, format } => {
            let format = format.unwrap_or(if io::stdout().is_terminal() { StatusFormat::Text } else { StatusFormat::Json });
            let format = match format {
                StatusFormat::Text => stored::StatusFormat::Text,
                StatusFormat::Json => stored::StatusFormat::Json,
                StatusFormat::Csv => stored::StatusFormat::Csv,
            };
            stored::status(&cli.database, learner.as_deref(), on.as_deref(), format)
        }
        Command::Export { command: ExportCommand::Dossier { learner, on } } => {
            stored::export_dossier(&cli.database, &learner, on.as_deref())
        }
        Command::Audit { command: AuditCommand::Verify { anchor } } => audit::verify(&cli.database, anchor.as_deref()),
        Command::Audit { command: AuditCommand::Anchor { out } } => audit::anchor(&cli.database, out.as_deref()),
        Command::Audit { command: AuditCommand::Keygen } => audit::keygen(),
        Command::Audit { command: AuditCommand::Log { learner } } => audit::log(&cli.database, learner.as_deref()),
        Command::Backup { file } => stored::backup(&cli.database, &file),
        Command::Curriculum { command: CurriculumCommand::Check { file, format } } => {
            let known = referentials::known_for_curriculum(&cli.database, &file)?;
            let (curriculum, certification) = inputs::curriculum(&file, &known)?;
            let coverage = certif_referential::check_coverage(&certification, &curriculum);
            match resolve(format) {
                Format::Json => println!("{}", serde_json::to_string_pretty(&coverage)?),
                Format::Text => print!("{}", referential_text::coverage_text(&coverage)),
            }
            Ok(if coverage.has_errors() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Command::Evaluate { dossier, curriculum, policy, jsonl, format } => {
            let lang = cli.lang;
            let known = referentials::known_for_curriculum(&cli.database, &curriculum)?;
            let (curriculum, certification) = inputs::curriculum(&curriculum, &known)?;
            let policy = inputs::policy(policy.as_deref())?;
            let context = Context { certification: &certification, curriculum: &curriculum, policy: &policy };
            if let Some(path) = jsonl {
                return evaluate_bulk(&path, context);
            }
            let path = dossier.expect("clap requires a dossier without --jsonl");
            let text = inputs::read_input(&path)?;
            let dossier_context = DossierContext { certification: &certification, curriculum: &curriculum, policy: &policy };
            let dossier = Dossier::from_json(&text, dossier_context).map_err(|e| InputError(format!("{}: {e}", path.display())))?;
            let decision = evaluate(&certification, &curriculum, &policy, &dossier);
            match resolve(format) {
                Format::Json => println!("{}", serde_json::to_string_pretty(&decision)?),
                Format::Text => {
                    let sources = certif_core::report::Sources {
                        certification: &certification,
                        curriculum: &curriculum,
                        policy: &policy,
                        dossier: &dossier,
                    };
                    print!("{}", certif_core::report::decision_text(&decision, sources, lang.into()))
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench { dossiers, runs, seed, emit } => bench(dossiers, runs, seed, emit),
        Command::Serve { bind, secure_cookies, trust_proxy } => users::serve(
            &cli.database,
            &bind,
            certif::server::ServerConfig { secure_cookies, trust_proxy, ..certif::server::ServerConfig::default() },
        ),
        Command::BenchHttp { connections, seconds, on } => bench_http::run(&cli.database, connections, seconds, &on),
        Command::User { command: UserCommand::Add { username, role, learner, modules, apprentices, password_stdin } } => {
            users::add(&cli.database, &cli.actor, users::NewAccount { username, role, learner, modules, apprentices }, password_stdin)
        }
        Command::User { command: UserCommand::List } => users::list(&cli.database),
        Command::User { command: UserCommand::Remove { username } } => users::remove(&cli.database, &cli.actor, &username),
        Command::BenchExport { file, fiches } => {
            let out = std::io::BufWriter::new(std::fs::File::create(&file).with_context(|| format!("cannot create {}", file.display()))?);
            let bytes = certif_rncp_xml::testgen::write_export(out, fiches)?;
            eprintln!("{}: {fiches} fiches, {:.1} MB", file.display(), bytes as f64 / 1e6);
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchRecords { learners, marks } => bench_records::run(&cli.database, learners, marks),
        Command::Demo { learners, format } => {
            let format = match resolve(format) {
                Format::Text => stored::StatusFormat::Text,
                Format::Json => stored::StatusFormat::Json,
            };
            stored::demo(&cli.database, learners, format)
        }
    }
}

fn bench(dossiers: usize, runs: usize, seed: u64, emit: bool) -> anyhow::Result<ExitCode> {
    let (curriculum, certification) = certif_referential::demo_curriculum();
    let policy = certif_core::Policy::default();
    let context = Context { certification: &certification, curriculum: &curriculum, policy: &policy };
    let input = certif::generate::jsonl(&curriculum, dossiers, seed);
    if emit {
        io::stdout().lock().write_all(input.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "bulk path: {dossiers} generated dossiers ({:.1} MB, seed {seed}), {} worker threads, {runs} runs",
        input.len() as f64 / 1e6,
        rayon::current_num_threads()
    );
    let mut seconds = Vec::with_capacity(runs);
    let mut output_bytes = 0;
    for _ in 0..runs.max(1) {
        let mut output = Vec::new();
        let start = std::time::Instant::now();
        let summary = bulk::run(input.as_bytes(), &mut output, context)?;
        seconds.push(start.elapsed().as_secs_f64());
        if summary.invalid > 0 || summary.dossiers != dossiers {
            let first_error = String::from_utf8_lossy(&output).lines().find(|l| l.contains("\"error\":")).map(String::from);
            anyhow::bail!("generated dossiers must all be valid: {summary:?}, first error {first_error:?}");
        }
        output_bytes = output.len();
    }
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    println!(
        "median {:.1} ms: {:.0} dossiers/s, {:.1} MB/s in, {:.1} MB/s out (best {:.1} ms, worst {:.1} ms)",
        median * 1e3,
        dossiers as f64 / median,
        input.len() as f64 / 1e6 / median,
        output_bytes as f64 / 1e6 / median,
        seconds[0] * 1e3,
        seconds[seconds.len() - 1] * 1e3
    );
    Ok(ExitCode::SUCCESS)
}

fn evaluate_bulk(path: &Path, context: Context<'_>) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout().lock();
    let output = io::BufWriter::with_capacity(1 << 16, stdout);
    let summary = if path == Path::new("-") {
        bulk::run(io::stdin().lock(), output, context)?
    } else {
        let file = std::fs::File::open(path).map_err(|e| InputError(format!("{}: cannot read: {e}", path.display())))?;
        bulk::run(BufReader::with_capacity(1 << 20, file), output, context).with_context(|| format!("{}", path.display()))?
    };
    io::stderr().flush().ok();
    Ok(if summary.invalid > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
