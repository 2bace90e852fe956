//! The insertion survey's file (`certif import insertion`, spec/declaration.md §2): one answer a
//! row, checked cell by cell like every import. The spec's words are read (`employed`, `cdi`…),
//! and so are their French spellings (`en emploi`, `intérim`…).

use std::collections::HashSet;

use certif_stats::{Answer, Contract, HORIZONS, Situation};

use crate::kinds::{Checks, Reader, known_learner};
use crate::{Problem, Row, values};

pub(crate) const REQUIRED: &[&str] = &["learner_id", "surveyed_on", "months_after", "situation", "in_target_job"];
pub(crate) const OPTIONAL: &[&str] = &["contract", "rome"];

/// One answer, with the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct InsertionRow {
    pub line: usize,
    pub answer: Answer,
}

/// Lower case, accents and apostrophes folded, spaces and dashes as `_`: `En recherche
/// d’emploi` → `en_recherche_d_emploi`.
fn folded(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            ' ' | '-' | '\'' | '’' => '_',
            other => other,
        })
        .collect()
}

fn situation(text: &str) -> Result<Situation, Problem> {
    let word = folded(text);
    let found = match word.as_str() {
        "en_emploi" | "emploi" => Some(Situation::Employed),
        "en_recherche_d_emploi" | "recherche_d_emploi" | "demandeur_d_emploi" => Some(Situation::JobSeeking),
        "en_etudes" | "etudes" | "poursuite_d_etudes" => Some(Situation::Studying),
        "inapte" | "dans_l_incapacite_de_travailler" => Some(Situation::UnableToWork),
        "autre" => Some(Situation::Other),
        other => Situation::parse(other),
    };
    found.ok_or_else(|| Problem::NotASituation(text.into()))
}

fn contract(text: &str) -> Result<Contract, Problem> {
    let word = folded(text);
    let found = match word.as_str() {
        "independant" => Some(Contract::Independent),
        "autre" => Some(Contract::Other),
        other => Contract::parse(other),
    };
    found.ok_or_else(|| Problem::NotAContract(text.into()))
}

fn months_after(text: &str) -> Result<u32, Problem> {
    text.trim().parse::<u32>().ok().filter(|m| HORIZONS.contains(m)).ok_or_else(|| Problem::NotAHorizon(text.into()))
}

/// A ROME code: a letter and four digits (`H1206`).
fn rome(text: &str) -> Result<String, Problem> {
    let code = text.trim().to_uppercase();
    let bytes = code.as_bytes();
    if bytes.len() == 5 && bytes[0].is_ascii_uppercase() && bytes[1..].iter().all(u8::is_ascii_digit) {
        Ok(code)
    } else {
        Err(Problem::NotARomeCode(text.into()))
    }
}

pub(crate) fn rows(r: &mut Reader<'_>, seen: &mut HashSet<String>, checks: &Checks<'_>) -> Vec<InsertionRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let learner = r.required(row, "learner_id", |t| known_learner(checks, t));
        let surveyed_on = r.required(row, "surveyed_on", values::date);
        let months = r.required(row, "months_after", months_after);
        let situation = r.required(row, "situation", situation);
        let in_target_job = r.required(row, "in_target_job", values::boolean);
        let contract = r.value(row, "contract", contract);
        let rome = r.value(row, "rome", rome);
        if let (Some(l), Some(m)) = (&learner, months) {
            r.unique(seen, format!("{l}\u{0}{m}"), row, || Row::Answer { learner: l.clone(), months: m });
        }
        if let (Some(learner), Some(surveyed_on), Some(months_after), Some(situation), Some(in_target_job)) =
            (learner, surveyed_on, months, situation, in_target_job)
        {
            let answer = Answer { learner, surveyed_on, months_after, situation, in_target_job, contract, rome };
            out.push(InsertionRow { line: row.line, answer });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_s_words_and_their_french_spellings_are_read() {
        assert_eq!(situation("employed"), Ok(Situation::Employed));
        assert_eq!(situation("En recherche d’emploi"), Ok(Situation::JobSeeking));
        assert_eq!(situation("en études"), Ok(Situation::Studying));
        assert_eq!(situation("unable_to_work"), Ok(Situation::UnableToWork));
        assert!(situation("retraité").unwrap_err().to_string().contains("n'est pas une situation"));
        assert_eq!(contract("Intérim"), Ok(Contract::Interim));
        assert_eq!(contract("indépendant"), Ok(Contract::Independent));
        assert_eq!(contract("CDI"), Ok(Contract::Cdi));
        assert!(contract("stage").is_err());
    }

    #[test]
    fn horizons_and_rome_codes_are_checked() {
        assert_eq!(months_after("24"), Ok(24));
        assert!(months_after("12").unwrap_err().to_string().contains("6 ou à 24"));
        assert_eq!(rome("h1206"), Ok("H1206".to_string()));
        assert!(rome("H12").is_err());
    }
}
