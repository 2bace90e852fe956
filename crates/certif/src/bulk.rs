//! The bulk path: one dossier per line in, one decision per line out, in the same order.
//!
//! Lines are decided in parallel in chunks, then written in input order, so memory stays
//! bounded by the chunk size whatever the input's length.

use std::io::{self, BufRead, Read, Write};

use certif_core::dossier::DossierContext;
use certif_core::{Certification, Curriculum, Dossier, DossierError, Policy, evaluate};
use rayon::prelude::*;

/// How many lines are decided together before being written.
const CHUNK_LINES: usize = 4096;

/// The longest line read (a dossier is a few kilobytes): a longer one is answered with its
/// error line and skipped without being held, so no line can exhaust memory.
pub const MAX_LINE_BYTES: usize = 1 << 20;

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

fn error_line(line_number: usize, message: &str) -> String {
    let message = serde_json::to_string(message).expect("a string serialises");
    format!("{{\"line\":{line_number},\"error\":{message}}}")
}

/// One input line as read: its bytes in the chunk's buffer, or too long to be held.
enum Line {
    Bytes(std::ops::Range<usize>),
    TooLong,
}

fn decide_bytes(bytes: &[u8], line_number: usize, context: Context<'_>) -> Result<String, String> {
    match std::str::from_utf8(bytes) {
        Ok(line) => decide_line(line, line_number, context),
        Err(e) => Err(error_line(line_number, &format!("$: the line is not UTF-8 (byte {})", e.valid_up_to() + 1))),
    }
}

/// Consumes the rest of a line without keeping it; the bytes skipped.
fn skip_line(input: &mut impl BufRead) -> io::Result<usize> {
    let mut skipped = 0;
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(skipped);
        }
        let (used, done) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        input.consume(used);
        skipped += used;
        if done {
            return Ok(skipped);
        }
    }
}

/// Decides one dossier line: the decision as compact JSON, or the line's error object.
pub fn decide_line(line: &str, line_number: usize, context: Context<'_>) -> Result<String, String> {
    let dossier = if line.trim().is_empty() {
        Err(DossierError::new("$", certif_core::messages::dossier::Invalid::BlankLine))
    } else {
        Dossier::from_json(line, context.dossier_context())
    };
    match dossier {
        Ok(dossier) => Ok(evaluate(context.certification, context.curriculum, context.policy, &dossier).to_json_line()),
        Err(error) => Err(error_line(line_number, &error.to_string())),
    }
}

/// Decides every line of `input` and writes one line per dossier to `output`.
pub fn run(mut input: impl BufRead, mut output: impl Write, context: Context<'_>) -> io::Result<Summary> {
    let mut summary = Summary::default();
    // One buffer holds a chunk of lines; lines are slices of it, so reading allocates nothing per line.
    let mut buffer: Vec<u8> = Vec::new();
    let mut lines: Vec<(usize, Line)> = Vec::with_capacity(CHUNK_LINES);
    let mut line_number = 0;
    loop {
        buffer.clear();
        lines.clear();
        while lines.len() < CHUNK_LINES {
            let start = buffer.len();
            let read = (&mut input).take(MAX_LINE_BYTES as u64 + 1).read_until(b'\n', &mut buffer)?;
            if read == 0 {
                break;
            }
            line_number += 1;
            summary.bytes += read;
            if read > MAX_LINE_BYTES && buffer.last() != Some(&b'\n') {
                buffer.truncate(start);
                summary.bytes += skip_line(&mut input)?;
                lines.push((line_number, Line::TooLong));
                continue;
            }
            // A blank line is an invalid line too: it gets its error line, so output line N
            // always answers input line N.
            let mut end = buffer.len();
            while end > start && matches!(buffer[end - 1], b'\n' | b'\r') {
                end -= 1;
            }
            lines.push((line_number, Line::Bytes(start..end)));
        }
        if lines.is_empty() {
            break;
        }
        let decided: Vec<Result<String, String>> = lines
            .par_iter()
            .map(|(number, line)| match line {
                Line::Bytes(range) => decide_bytes(&buffer[range.clone()], *number, context),
                Line::TooLong => {
                    Err(error_line(*number, &format!("$: the line is longer than {} MiB; it was not read", MAX_LINE_BYTES >> 20)))
                }
            })
            .collect();
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
