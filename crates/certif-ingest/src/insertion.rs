//! The insertion survey's file (`certif import insertion`, spec/declaration.md §2): one answer a
//! row, checked cell by cell like every import, its messages in French. The spec's words are
//! read (`employed`, `cdi`…), and so are their French spellings (`en emploi`, `intérim`…).

use std::collections::HashSet;

use certif_stats::{Answer, Contract, HORIZONS, Situation};

use crate::kinds::{Checks, Reader, identifier};
use crate::{SheetRow, values};

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

fn situation(text: &str) -> Result<Situation, String> {
    let word = folded(text);
    let found = match word.as_str() {
        "en_emploi" | "emploi" => Some(Situation::Employed),
        "en_recherche_d_emploi" | "recherche_d_emploi" | "demandeur_d_emploi" => Some(Situation::JobSeeking),
        "en_etudes" | "etudes" | "poursuite_d_etudes" => Some(Situation::Studying),
        "inapte" | "dans_l_incapacite_de_travailler" => Some(Situation::UnableToWork),
        "autre" => Some(Situation::Other),
        other => Situation::parse(other),
    };
    found.ok_or_else(|| {
        format!("{text:?} n'est pas une situation (employed, job_seeking, studying, unable_to_work, other — ou en emploi, en recherche d'emploi, en études, inapte, autre)")
    })
}

fn contract(text: &str) -> Result<Contract, String> {
    let word = folded(text);
    let found = match word.as_str() {
        "independant" => Some(Contract::Independent),
        "autre" => Some(Contract::Other),
        other => Contract::parse(other),
    };
    found.ok_or_else(|| format!("{text:?} n'est pas un contrat (cdi, cdd, interim, independent, other — ou intérim, indépendant, autre)"))
}

fn months_after(text: &str) -> Result<u32, String> {
    text.trim().parse::<u32>().ok().filter(|m| HORIZONS.contains(m)).ok_or_else(|| format!("{text:?} : l'enquête est à 6 ou à 24 mois"))
}

/// A ROME code: a letter and four digits (`H1206`).
fn rome(text: &str) -> Result<String, String> {
    let code = text.trim().to_uppercase();
    let bytes = code.as_bytes();
    if bytes.len() == 5 && bytes[0].is_ascii_uppercase() && bytes[1..].iter().all(u8::is_ascii_digit) {
        Ok(code)
    } else {
        Err(format!("{text:?} n'est pas un code ROME (une lettre et quatre chiffres, H1206)"))
    }
}

fn in_french(message: String) -> String {
    message
        .replace("is not a date (YYYY-MM-DD or DD/MM/YYYY)", "n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)")
        .replace("is not a yes/no value (true/false, oui/non, 1/0)", "n'est pas oui ou non (oui/non, true/false, 1/0)")
}

/// A cell that must be filled, said in French.
fn required<'s, T>(r: &mut Reader<'s>, row: &'s SheetRow, name: &str, parse: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
    if r.text(row, name).is_none() {
        let column = r.column_number(name);
        r.issue(row.line, column, format!("{name} : obligatoire"));
        return None;
    }
    r.value(row, name, |t| parse(t).map_err(in_french))
}

pub(crate) fn rows(r: &mut Reader<'_>, seen: &mut HashSet<String>, checks: &Checks<'_>) -> Vec<InsertionRow> {
    let mut out = Vec::new();
    for row in &r.sheet.rows {
        let learner = required(r, row, "learner_id", |t| {
            let id = identifier(t)?;
            if (checks.is_learner)(&id) {
                Ok(id)
            } else {
                Err(format!("{id:?} n'est pas un apprenant connu (importez d'abord les apprenants)"))
            }
        });
        let surveyed_on = required(r, row, "surveyed_on", values::date);
        let months = required(r, row, "months_after", months_after);
        let situation = required(r, row, "situation", situation);
        let in_target_job = required(r, row, "in_target_job", values::boolean);
        let contract = r.value(row, "contract", contract);
        let rome = r.value(row, "rome", rome);
        if let (Some(l), Some(m)) = (&learner, months)
            && !seen.insert(format!("{l}\u{0}{m}"))
        {
            r.issue(row.line, 1, format!("la réponse de {l} à {m} mois figure deux fois dans ce fichier"));
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
        assert!(situation("retraité").unwrap_err().contains("n'est pas une situation"));
        assert_eq!(contract("Intérim"), Ok(Contract::Interim));
        assert_eq!(contract("indépendant"), Ok(Contract::Independent));
        assert_eq!(contract("CDI"), Ok(Contract::Cdi));
        assert!(contract("stage").is_err());
    }

    #[test]
    fn horizons_and_rome_codes_are_checked() {
        assert_eq!(months_after("24"), Ok(24));
        assert!(months_after("12").unwrap_err().contains("6 ou à 24"));
        assert_eq!(rome("h1206"), Ok("H1206".to_string()));
        assert!(rome("H12").is_err());
    }
}
