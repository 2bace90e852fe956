//! `certif stats`: the statistics of spec/declaration.md §2 from the store, as text (each
//! figure with its definition), JSON (the spec's shape) or CSV (for spreadsheets), and with
//! `--plot FILE.svg` the charts — all from `certif_app::stats`.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use certif_app::Database;
use certif_app::stats::{charts, present};
use clap::ValueEnum;

use crate::run::{lang, runtime};

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum StatsFormat {
    Text,
    Json,
    Csv,
}

/// Writes `bytes` to `path` whole: a temporary file beside it, renamed over it.
fn write_whole(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    std::fs::write(&partial, bytes).with_context(|| format!("{} : écriture impossible", partial.display()))?;
    std::fs::rename(&partial, path).with_context(|| format!("{} : écriture impossible", path.display()))?;
    Ok(())
}

pub fn stats(url: &str, certification: &str, format: StatsFormat, plot: Option<&Path>) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let db = Database::open(url).await?;
        let stats = certif_app::stats::statistics(&db, certification).await?;
        let lang = lang();
        if let Some(path) = plot {
            write_whole(path, charts::document(&stats, lang)?.as_bytes())?;
        }
        let mut out = io::stdout().lock();
        match format {
            StatsFormat::Text => out.write_all(present::text(&stats, lang).as_bytes())?,
            StatsFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&stats)?)?,
            StatsFormat::Csv => out.write_all(&present::csv(&stats, lang))?,
        }
        Ok(ExitCode::SUCCESS)
    })
}
