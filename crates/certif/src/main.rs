//! `certif`: the command line over the referential, curricula and the rule engine.

use std::io::{self, BufReader, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use certif::bulk::{self, Context};
use certif::inputs::{self, InputError};
use certif::referential_text;
use certif_core::dossier::DossierContext;
use certif_core::{Dossier, evaluate};
use clap::Parser;

mod audit;
mod bench_credentials;
mod bench_declaration;
mod bench_documents;
mod bench_http;
mod bench_jury;
mod bench_records;
mod cli;
mod credential;
mod declaration;
mod documents;
mod jury;
mod referentials;
mod run;
mod stats;
mod stored;
mod users;

use cli::*;

/// The bulk path allocates many small values from two threads; mimalloc handles that best.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        eprintln!("{}", issues.in_words(run::lang()));
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
            let dossier = Dossier::from_json(&text, dossier_context)
                .map_err(|e| InputError(format!("{}: {}", path.display(), e.in_words(lang.into()))))?;
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
        Command::Serve { bind, secure_cookies, trusted_proxies, base_url, log_format } => {
            let config = certif::server::ServerConfig { secure_cookies, trusted_proxies, ..certif::server::ServerConfig::default() };
            users::serve(&cli.database, &bind, config, base_url.as_deref(), log_format.into())
        }
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
        Command::Jury { command } => jury::run(&cli.database, &cli.actor, command),
        Command::Holders { format } => jury::holders(&cli.database, format),
        Command::Stats { certification, format, plot } => stats::stats(&cli.database, &certification, format, plot.as_deref()),
        Command::Config { command } => declaration::config(&cli.database, &cli.actor, command),
        Command::Declaration { command } => declaration::declaration(&cli.database, &cli.actor, command),
        Command::Credential { command } => credential::run(&cli.database, &cli.actor, command),
        Command::Keys { command } => credential::keys(&cli.database, &cli.actor, command),
        Command::BenchCredentials { count } => bench_credentials::run(count),
        Command::BenchJury { candidates } => bench_jury::run(candidates),
        Command::BenchDeclaration { holders, output } => bench_declaration::run(holders, output),
        Command::Document { kind, learner, session, output, output_dir } => {
            documents::run(&cli.database, &cli.actor, kind, learner, session, documents::Output { file: output, dir: output_dir })
        }
        Command::BenchDocuments { holders, output_dir } => bench_documents::run(holders, output_dir),
        Command::BenchRecords { learners, marks } => bench_records::run(&cli.database, learners, marks),
        Command::Demo { learners, format, no_promotions } => {
            let format = match resolve(format) {
                Format::Text => stored::StatusFormat::Text,
                Format::Json => stored::StatusFormat::Json,
            };
            stored::demo(&cli.database, learners, format, !no_promotions)
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
