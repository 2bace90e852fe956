//! The decision as one line of compact JSON, written directly for the bulk path.
//!
//! The bytes are exactly serde_json's for the `Serialize` impls of `decision.rs` and
//! `what_it_takes.rs` (a test compares them on every public vector and on generated dossiers);
//! what this saves is serde's per-field work: keys and enum names are constants written as they
//! are, and only free text goes through an escaping check. Any text that needs escaping is
//! written by serde_json itself.

use std::sync::LazyLock;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::codes::ReasonCode;
use crate::decision::{BlockOutcome, ConditionOutcome, ConditionStatus, Decision, Finding, Status, TitleStatus, UeOutcome, Via};
use crate::mark::{Mark, TwoPlaces};
use crate::what_it_takes::{ConditionNeeds, UeNeeds, WhatItTakes};

/// Appends the decision's JSON (no newline) to `out`.
pub fn write_decision(decision: &Decision, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"certification\":");
    string(out, &decision.certification);
    out.extend_from_slice(b",\"learner\":");
    string(out, &decision.learner);
    out.extend_from_slice(b",\"evaluated_on\":");
    date(out, decision.evaluated_on);
    out.extend_from_slice(b",\"title\":{\"status\":");
    literal(out, title_status(decision.title.status));
    out.extend_from_slice(b",\"reasons\":");
    reasons(out, &decision.title.reasons);
    out.extend_from_slice(b"},\"blocks\":");
    list(out, &decision.blocks, block);
    out.extend_from_slice(b",\"conditions\":{");
    for (i, (name, condition)) in decision.conditions.iter().into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        literal(out, name);
        out.push(b':');
        condition_outcome(out, condition);
    }
    out.extend_from_slice(b"},\"ects_earned\":");
    unsigned(out, u64::from(decision.ects_earned));
    out.extend_from_slice(b",\"warnings\":");
    reasons(out, &decision.warnings);
    out.extend_from_slice(b",\"what_it_takes\":");
    what_it_takes(out, &decision.what_it_takes);
    out.push(b'}');
}

fn block(out: &mut Vec<u8>, block: &BlockOutcome) {
    out.extend_from_slice(b"{\"code\":");
    string(out, &block.code);
    out.extend_from_slice(b",\"status\":");
    literal(out, status(block.status));
    out.extend_from_slice(b",\"via\":");
    literal(out, via(block.via));
    out.extend_from_slice(b",\"ues\":");
    list(out, &block.ues, ue);
    out.extend_from_slice(b",\"reasons\":");
    reasons(out, &block.reasons);
    out.push(b'}');
}

fn ue(out: &mut Vec<u8>, ue: &UeOutcome) {
    out.extend_from_slice(b"{\"code\":");
    string(out, &ue.code);
    out.extend_from_slice(b",\"status\":");
    literal(out, status(ue.status));
    out.extend_from_slice(b",\"average\":");
    optional_decimal(out, ue.average);
    out.extend_from_slice(b",\"ects\":");
    unsigned(out, u64::from(ue.ects));
    out.extend_from_slice(b",\"finals\":{");
    for (i, module) in ue.modules.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, &module.code);
        out.push(b':');
        optional_decimal(out, module.final_mark);
    }
    out.push(b'}');
    if ue.modules.iter().any(|m| m.below_floor) {
        out.extend_from_slice(b",\"below_floor\":[");
        for (i, module) in ue.modules.iter().filter(|m| m.below_floor).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, &module.code);
        }
        out.push(b']');
    }
    out.extend_from_slice(b",\"reasons\":");
    reasons(out, &ue.reasons);
    out.push(b'}');
}

fn condition_outcome(out: &mut Vec<u8>, condition: &ConditionOutcome) {
    out.extend_from_slice(b"{\"status\":");
    literal(out, condition_status(condition.status));
    out.extend_from_slice(b",\"reasons\":");
    reasons(out, &condition.reasons);
    if !condition.findings.is_empty() {
        out.extend_from_slice(b",\"findings\":");
        list(out, &condition.findings, finding);
    }
    out.push(b'}');
}

fn finding(out: &mut Vec<u8>, finding: &Finding) {
    out.extend_from_slice(b"{\"reason\":");
    literal(out, reason_name(finding.reason));
    out.extend_from_slice(b",\"subject\":");
    string(out, &finding.subject);
    if let Some(value) = &finding.value {
        out.extend_from_slice(b",\"value\":");
        string(out, value);
    }
    if let Some(threshold) = &finding.threshold {
        out.extend_from_slice(b",\"threshold\":");
        string(out, threshold);
    }
    out.push(b'}');
}

fn what_it_takes(out: &mut Vec<u8>, needs: &WhatItTakes) {
    out.extend_from_slice(b"{\"ues\":");
    list(out, &needs.ues, ue_needs);
    out.extend_from_slice(b",\"conditions\":");
    condition_needs(out, &needs.conditions);
    out.push(b'}');
}

fn ue_needs(out: &mut Vec<u8>, needs: &UeNeeds) {
    out.extend_from_slice(b"{\"code\":");
    string(out, &needs.code);
    out.extend_from_slice(b",\"changeable\":");
    list(out, &needs.changeable, |out, code| string(out, code));
    out.extend_from_slice(b",\"alone\":");
    list(out, &needs.alone, |out, alone| {
        out.extend_from_slice(b"{\"module\":");
        string(out, &alone.module);
        out.extend_from_slice(b",\"session\":");
        unsigned(out, u64::from(alone.session));
        out.extend_from_slice(b",\"least_mark\":");
        optional_mark(out, alone.least_mark);
        out.push(b'}');
    });
    out.extend_from_slice(b",\"together\":");
    optional_mark(out, needs.together);
    out.push(b'}');
}

fn condition_needs(out: &mut Vec<u8>, needs: &ConditionNeeds) {
    out.push(b'{');
    let mut first = true;
    let mut field = |out: &mut Vec<u8>, name: &[u8]| {
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(name);
    };
    if let Some(english) = &needs.english {
        field(out, b"\"english\":{\"level_needed\":");
        literal(out, english.level_needed.as_str());
        out.extend_from_slice(b",\"scores\":{");
        for (i, (test, score)) in english.scores.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, test);
            out.push(b':');
            string(out, score);
        }
        out.extend_from_slice(b"}}");
    }
    if let Some(mobility) = &needs.mobility {
        field(out, b"\"mobility\":{\"days_needed\":");
        unsigned(out, u64::from(mobility.days_needed));
        out.extend_from_slice(b",\"stays\":");
        list(out, &mobility.stays, |out, stay| {
            out.extend_from_slice(b"{\"index\":");
            unsigned(out, stay.index as u64);
            out.extend_from_slice(b",\"days_missing\":");
            signed(out, stay.days_missing);
            out.push(b'}');
        });
        out.push(b'}');
    }
    if let Some(periods) = &needs.company_periods {
        field(out, b"\"company_periods\":{\"periods\":");
        list(out, &periods.periods, |out, period| string(out, period));
        out.extend_from_slice(b",\"evaluation_needed\":");
        literal(out, TwoPlaces(periods.evaluation_needed).to_text().as_str());
        out.push(b'}');
    }
    out.push(b'}');
}

fn list<T>(out: &mut Vec<u8>, items: &[T], mut write: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, item);
    }
    out.push(b']');
}

fn reasons(out: &mut Vec<u8>, codes: &[ReasonCode]) {
    list(out, codes, |out, code| literal(out, reason_name(*code)));
}

/// A text known to need no escaping (a name of certif's own vocabulary, a formatted number).
fn literal(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    out.extend_from_slice(text.as_bytes());
    out.push(b'"');
}

/// Free text: written as it is when JSON needs no escape in it, else by serde_json.
fn string(out: &mut Vec<u8>, text: &str) {
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        literal(out, text);
    } else {
        serde_json::to_writer(&mut *out, text).expect("a string serialises");
    }
}

fn optional_decimal(out: &mut Vec<u8>, value: Option<Decimal>) {
    match value {
        Some(value) => literal(out, TwoPlaces(value).to_text().as_str()),
        None => out.extend_from_slice(b"null"),
    }
}

fn optional_mark(out: &mut Vec<u8>, mark: Option<Mark>) {
    optional_decimal(out, mark.map(|m| m.value()));
}

fn date(out: &mut Vec<u8>, date: NaiveDate) {
    serde_json::to_writer(&mut *out, &date).expect("a date serialises");
}

fn unsigned(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

fn signed(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    unsigned(out, n.unsigned_abs());
}

fn title_status(status: TitleStatus) -> &'static str {
    status.as_str()
}

fn status(status: Status) -> &'static str {
    match status {
        Status::Validated => "validated",
        Status::NotValidated => "not_validated",
        Status::Incomplete => "incomplete",
    }
}

fn via(via: Via) -> &'static str {
    match via {
        Via::Training => "training",
        Via::Vae => "vae",
    }
}

fn condition_status(status: ConditionStatus) -> &'static str {
    match status {
        ConditionStatus::Met => "met",
        ConditionStatus::Unmet => "unmet",
        ConditionStatus::Incomplete => "incomplete",
        ConditionStatus::NotRequired => "not_required",
    }
}

/// Each reason code's name, as its `Serialize` writes it (taken from it, so they cannot differ).
fn reason_name(code: ReasonCode) -> &'static str {
    static NAMES: LazyLock<Vec<String>> = LazyLock::new(|| {
        let mut names = vec![String::new(); ReasonCode::ALL.len()];
        for code in ReasonCode::ALL {
            let json = serde_json::to_string(&code).expect("a reason code serialises");
            names[code as usize] = json.trim_matches('"').to_string();
        }
        names
    });
    NAMES[code as usize].as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_code_has_its_serde_name() {
        for code in ReasonCode::ALL {
            assert_eq!(format!("\"{}\"", reason_name(code)), serde_json::to_string(&code).unwrap());
        }
    }

    #[test]
    fn enum_names_are_serde_names() {
        for s in [Status::Validated, Status::NotValidated, Status::Incomplete] {
            assert_eq!(format!("\"{}\"", status(s)), serde_json::to_string(&s).unwrap());
        }
        for s in [TitleStatus::Awarded, TitleStatus::NotAwarded, TitleStatus::Incomplete] {
            assert_eq!(format!("\"{}\"", title_status(s)), serde_json::to_string(&s).unwrap());
        }
        for s in [ConditionStatus::Met, ConditionStatus::Unmet, ConditionStatus::Incomplete, ConditionStatus::NotRequired] {
            assert_eq!(format!("\"{}\"", condition_status(s)), serde_json::to_string(&s).unwrap());
        }
        for v in [Via::Training, Via::Vae] {
            assert_eq!(format!("\"{}\"", via(v)), serde_json::to_string(&v).unwrap());
        }
    }

    #[test]
    fn free_text_is_escaped_exactly_as_serde_json_does() {
        for text in ["A-0001", "Léa \"la\" Martin", "tab\there", "back\\slash", "\u{7f}\u{1}", ""] {
            let mut out = Vec::new();
            string(&mut out, text);
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(text).unwrap());
        }
    }

    #[test]
    fn integers_are_written_as_serde_json_writes_them() {
        for n in [0u64, 7, 10, 63, 1000, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            unsigned(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
        for n in [0i64, -1, -63, i64::MIN, i64::MAX] {
            let mut out = Vec::new();
            signed(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }
}
