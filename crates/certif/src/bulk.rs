//! The bulk path: one dossier per line in, one decision per line out, in the same order.
//!
//! Lines are decided in parallel in chunks, then written in input order, so memory stays
//! bounded by the chunk size whatever the input's length.

use std::io::{self, BufRead, Write};

use certif_core::dossier::DossierContext;
use certif_core::{Certification, Curriculum, Dossier, DossierError, Policy, evaluate};
use rayon::prelude::*;

/// How many lines are decided together before being written.
const CHUNK_LINES: usize = 4096;

/// Everything a dossier is decided against.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub certification: &'a Certification,
    pub curriculum: &'a Curriculum,
    pub policy: &'a Policy,
}

impl<'a> Context<'a> {
    fn dossier_context(&self) -> DossierContext<'a> {
        DossierContext { certification: self.certification, curriculum: self.curriculum, policy: self.policy }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub dossiers: usize,
    pub invalid: usize,
    pub bytes: usize,
}

/// Decides one dossier line: the decision as compact JSON, or the line's error object.
pub fn decide_line(line: &str, line_number: usize, context: Context<'_>) -> Result<String, String> {
    let dossier = if line.trim().is_empty() {
        Err(DossierError::new("$", "blank line: one dossier is expected on every line"))
    } else {
        Dossier::from_json(line, context.dossier_context())
    };
    match dossier {
        Ok(dossier) => Ok(evaluate(context.certification, context.curriculum, context.policy, &dossier).to_json_line()),
        Err(error) => {
            let message = serde_json::to_string(&error.to_string()).expect("a string serialises");
            Err(format!("{{\"line\":{line_number},\"error\":{message}}}"))
        }
    }
}

/// Decides every line of `input` and writes one line per dossier to `output`.
pub fn run(mut input: impl BufRead, mut output: impl Write, context: Context<'_>) -> io::Result<Summary> {
    let mut summary = Summary::default();
    // One buffer holds a chunk of lines; lines are slices of it, so reading allocates nothing per line.
    let mut buffer = String::new();
    let mut lines: Vec<(usize, std::ops::Range<usize>)> = Vec::with_capacity(CHUNK_LINES);
    let mut line_number = 0;
    loop {
        buffer.clear();
        lines.clear();
        while lines.len() < CHUNK_LINES {
            let start = buffer.len();
            let read = input.read_line(&mut buffer)?;
            if read == 0 {
                break;
            }
            line_number += 1;
            summary.bytes += read;
            // A blank line is an invalid line too: it gets its error line, so output line N
            // always answers input line N.
            let line = buffer[start..].trim_end_matches(['\n', '\r']);
            lines.push((line_number, start..start + line.len()));
        }
        if lines.is_empty() {
            break;
        }
        let decided: Vec<Result<String, String>> =
            lines.par_iter().map(|(number, range)| decide_line(&buffer[range.clone()], *number, context)).collect();
        for result in decided {
            summary.dossiers += 1;
            let text = result.unwrap_or_else(|error| {
                summary.invalid += 1;
                error
            });
            output.write_all(text.as_bytes())?;
            output.write_all(b"\n")?;
        }
    }
    output.flush()?;
    Ok(summary)
}
