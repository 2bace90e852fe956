//! The cohort's status as a table for people: one line per learner, one column per block.

use std::fmt::Write;

use certif_core::decision::{ConditionStatus, Decision, Status, TitleStatus};
use certif_core::messages::{self, Lang};

/// One learner's line: id, name and the decision.
pub struct Row<'a> {
    pub learner: &'a str,
    pub name: String,
    pub route: &'a str,
    pub decision: &'a Decision,
}

fn block_cell(status: Status) -> char {
    match status {
        Status::Validated => '✔',
        Status::NotValidated => '✘',
        Status::Incomplete => '·',
    }
}

fn condition_cell(status: ConditionStatus) -> char {
    match status {
        ConditionStatus::Met => '✔',
        ConditionStatus::Unmet => '✘',
        ConditionStatus::Incomplete => '·',
        ConditionStatus::NotRequired => '—',
    }
}

/// Renders the table with a legend and a count per title status.
pub fn render(rows: &[Row<'_>], lang: Lang) -> String {
    let mut out = String::new();
    let blocks = rows.first().map_or(0, |r| r.decision.blocks.len());
    let block_header: String = (1..=blocks).map(|n| format!("B{n} ")).collect();
    let _ = writeln!(out, "{:<10} {:<24} {:<18} {}Acc Enr Ent Mob Ang  {:<12} Motifs", "Apprenant", "Nom", "Voie", block_header, "Titre");
    for row in rows {
        let d = row.decision;
        let cells: String = d.blocks.iter().map(|b| format!("{}  ", block_cell(b.status))).collect();
        let conditions: String = d.conditions.iter().iter().map(|(_, c)| format!(" {}  ", condition_cell(c.status))).collect();
        let reasons: Vec<&str> = d.title.reasons.iter().map(|r| r.as_str()).collect();
        let _ = writeln!(
            out,
            "{:<10} {:<24} {:<18} {}{} {:<12} {}",
            row.learner,
            truncate(&row.name, 24),
            row.route,
            cells,
            conditions,
            messages::title_status(d.title.status, lang),
            reasons.join(", ")
        );
    }
    let count = |status| rows.iter().filter(|r| r.decision.title.status == status).count();
    let _ = writeln!(
        out,
        "\n{} apprenants : {} {}, {} {}, {} {}",
        rows.len(),
        count(TitleStatus::Awarded),
        messages::title_status(TitleStatus::Awarded, lang),
        count(TitleStatus::NotAwarded),
        messages::title_status(TitleStatus::NotAwarded, lang),
        count(TitleStatus::Incomplete),
        messages::title_status(TitleStatus::Incomplete, lang)
    );
    let _ = writeln!(out, "✔ validé / remplie   ✘ non validé / non remplie   · incomplet / en attente   — non requise");
    out
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width { text.to_string() } else { text.chars().take(width - 1).chain(['…']).collect() }
}

/// The cohort as a CSV file for people (a spreadsheet opens it as is): a UTF-8 BOM, `;`
/// between cells, headers and values in words (French first), one column per block and per
/// award condition, the title's reasons in words; every cell neutralised (`csv_cell`).
pub fn cohort_csv(rows: &[Row<'_>], lang: Lang) -> Vec<u8> {
    let t = |fr, en| messages::pick(lang, fr, en);
    let mut header: Vec<String> = vec![t("Apprenant", "Learner").into(), t("Nom", "Name").into(), t("Voie", "Route").into()];
    header.push(t("Titre", "Title").into());
    if let Some(first) = rows.first() {
        header.extend(first.decision.blocks.iter().map(|b| b.code.to_string()));
        header.extend(first.decision.conditions.iter().iter().map(|(key, _)| messages::condition(key, lang).to_string()));
    }
    header.extend([t("ECTS acquis", "ECTS earned").to_string(), t("Motifs", "Reasons").to_string()]);
    let mut records = Vec::with_capacity(rows.len());
    for row in rows {
        let d = row.decision;
        let mut record = vec![row.learner.to_string(), row.name.clone(), row.route.to_string()];
        record.push(messages::title_status(d.title.status, lang).to_string());
        record.extend(d.blocks.iter().map(|b| messages::status(b.status, lang).to_string()));
        record.extend(d.conditions.iter().iter().map(|(_, c)| messages::condition_status(c.status, lang).to_string()));
        record.push(d.ects_earned.to_string());
        let reasons: Vec<&str> = d.title.reasons.iter().map(|r| messages::reason(*r, lang)).collect();
        record.push(reasons.join(" ; "));
        records.push(record);
    }
    people_csv(&header, records)
}

/// A CSV file for people (a spreadsheet opens it as is): a UTF-8 BOM, `;` between cells, the
/// header line then the rows, every cell neutralised (`csv_cell`).
pub fn people_csv<H: AsRef<str>>(header: &[H], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(b"\xEF\xBB\xBF".to_vec());
    // Writing into memory cannot fail.
    let _ = writer.write_record(header.iter().map(|cell| csv_cell(cell.as_ref()).into_owned()));
    for record in rows {
        let _ = writer.write_record(record.iter().map(|cell| csv_cell(cell).into_owned()));
    }
    writer.into_inner().unwrap_or_default()
}

/// A CSV cell a spreadsheet will not run (OWASP, "CSV Injection"): a cell starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return is read as a formula by Excel or LibreOffice, so it
/// gets a leading `'`, which they show as text. Quoting is the CSV writer's job.
pub fn csv_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}").into() } else { text.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_plain_text_is_not() {
        assert_eq!(csv_cell("=HYPERLINK(\"http://evil.example\",\"x\")"), "'=HYPERLINK(\"http://evil.example\",\"x\")");
        for formula in ["+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_cell(formula), format!("'{formula}"));
        }
        assert_eq!(csv_cell("Lefèvre Élodie"), "Lefèvre Élodie");
        assert_eq!(csv_cell("A-0001"), "A-0001");
    }
}
