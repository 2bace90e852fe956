//! The cohort's status as a table for people: one line per learner, one column per block.

use std::io;

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

/// The cohort as a table for people, written as its rows come (page by page: `rows` as often as
/// wanted, then `finish`), a legend and a count per title status at the end. The columns have
/// fixed widths, so nothing waits for the last row but the counts; the blocks' header is the
/// first row's (every learner of a cohort has the same blocks).
pub struct TableWriter<W: io::Write> {
    out: W,
    lang: Lang,
    started: bool,
    rows: usize,
    counts: [usize; 3],
}

impl<W: io::Write> TableWriter<W> {
    pub fn new(out: W, lang: Lang) -> Self {
        TableWriter { out, lang, started: false, rows: 0, counts: [0; 3] }
    }

    fn header(&mut self, blocks: usize) -> io::Result<()> {
        self.started = true;
        let block_header: String = (1..=blocks).map(|n| format!("B{n} ")).collect();
        writeln!(self.out, "{:<10} {:<24} {:<18} {}Acc Enr Ent Mob Ang  {:<12} Motifs", "Apprenant", "Nom", "Voie", block_header, "Titre")
    }

    /// Writes these learners' lines (the header first, with the first of them).
    pub fn rows(&mut self, rows: &[Row<'_>]) -> io::Result<()> {
        if let (false, Some(first)) = (self.started, rows.first()) {
            self.header(first.decision.blocks.len())?;
        }
        for row in rows {
            let d = row.decision;
            let cells: String = d.blocks.iter().map(|b| format!("{}  ", block_cell(b.status))).collect();
            let conditions: String = d.conditions.iter().iter().map(|(_, c)| format!(" {}  ", condition_cell(c.status))).collect();
            let reasons: Vec<&str> = d.title.reasons.iter().map(|r| r.as_str()).collect();
            writeln!(
                self.out,
                "{:<10} {:<24} {:<18} {}{} {:<12} {}",
                row.learner,
                truncate(&row.name, 24),
                row.route,
                cells,
                conditions,
                messages::title_status(d.title.status, self.lang),
                reasons.join(", ")
            )?;
            self.rows += 1;
            self.counts[match d.title.status {
                TitleStatus::Awarded => 0,
                TitleStatus::NotAwarded => 1,
                TitleStatus::Incomplete => 2,
            }] += 1;
        }
        self.out.flush()
    }

    /// Writes the counts and the legend (the header too, for a cohort without learners).
    pub fn finish(mut self) -> io::Result<W> {
        if !self.started {
            self.header(0)?;
        }
        let lang = self.lang;
        let [awarded, not_awarded, incomplete] = self.counts;
        writeln!(
            self.out,
            "\n{} apprenants : {} {}, {} {}, {} {}",
            self.rows,
            awarded,
            messages::title_status(TitleStatus::Awarded, lang),
            not_awarded,
            messages::title_status(TitleStatus::NotAwarded, lang),
            incomplete,
            messages::title_status(TitleStatus::Incomplete, lang)
        )?;
        writeln!(self.out, "✔ validé / remplie   ✘ non validé / non remplie   · incomplet / en attente   — non requise")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width { text.to_string() } else { text.chars().take(width - 1).chain(['…']).collect() }
}

/// The cohort as a CSV file for people (a spreadsheet opens it as is), written as its rows come
/// (page by page: `rows` as often as wanted, then `finish`): a UTF-8 BOM, `;` between cells,
/// headers and values in words (French first), one column per block and per award condition
/// (the first row's: every learner of a cohort has the same), the title's reasons in words;
/// every cell neutralised (`csv_cell`).
pub struct CohortCsv<W: io::Write> {
    /// The file until its header is written (the BOM with it: nothing before the first row),
    /// then the CSV writer over it.
    waiting: Option<W>,
    writer: Option<csv::Writer<W>>,
    lang: Lang,
}

impl<W: io::Write> CohortCsv<W> {
    pub fn new(out: W, lang: Lang) -> Self {
        CohortCsv { waiting: Some(out), writer: None, lang }
    }

    /// The CSV writer, the BOM and the header written first (`first` names the columns).
    fn writer(&mut self, first: Option<&Row<'_>>) -> io::Result<&mut csv::Writer<W>> {
        if let Some(mut out) = self.waiting.take() {
            out.write_all(BOM)?;
            let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(out);
            let lang = self.lang;
            let t = |fr, en| messages::pick(lang, fr, en);
            let mut header: Vec<String> = vec![t("Apprenant", "Learner").into(), t("Nom", "Name").into(), t("Voie", "Route").into()];
            header.push(t("Titre", "Title").into());
            if let Some(first) = first {
                header.extend(first.decision.blocks.iter().map(|b| b.code.to_string()));
                header.extend(first.decision.conditions.iter().iter().map(|(key, _)| messages::condition(key, lang).to_string()));
            }
            header.extend([t("ECTS acquis", "ECTS earned").to_string(), t("Motifs", "Reasons").to_string()]);
            write_people_record(&mut writer, &header)?;
            self.writer = Some(writer);
        }
        self.writer.as_mut().ok_or_else(|| io::Error::other("fichier CSV déjà terminé / CSV file already ended"))
    }

    /// Writes these learners' lines (the header first, with the first of them).
    pub fn rows(&mut self, rows: &[Row<'_>]) -> io::Result<()> {
        let Some(first) = rows.first() else { return Ok(()) };
        let lang = self.lang;
        let writer = self.writer(Some(first))?;
        for row in rows {
            let d = row.decision;
            let mut record = vec![row.learner.to_string(), row.name.clone(), row.route.to_string()];
            record.push(messages::title_status(d.title.status, lang).to_string());
            record.extend(d.blocks.iter().map(|b| messages::status(b.status, lang).to_string()));
            record.extend(d.conditions.iter().iter().map(|(_, c)| messages::condition_status(c.status, lang).to_string()));
            record.push(d.ects_earned.to_string());
            let reasons: Vec<&str> = d.title.reasons.iter().map(|r| messages::reason(*r, lang)).collect();
            record.push(reasons.join(" ; "));
            write_people_record(writer, &record)?;
        }
        writer.flush()
    }

    /// Ends the file (its header alone, for a cohort without learners).
    pub fn finish(mut self) -> io::Result<W> {
        let writer = self.writer(None)?;
        writer.flush()?;
        match self.writer.take() {
            Some(writer) => writer.into_inner().map_err(|e| e.into_error()),
            None => Err(io::Error::other("fichier CSV déjà terminé / CSV file already ended")),
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn write_people_record<W: io::Write, H: AsRef<str>>(writer: &mut csv::Writer<W>, cells: &[H]) -> io::Result<()> {
    Ok(writer.write_record(cells.iter().map(|cell| csv_cell(cell.as_ref()).into_owned()))?)
}

/// A CSV file for people (a spreadsheet opens it as is): a UTF-8 BOM, `;` between cells, the
/// header line then the rows, every cell neutralised (`csv_cell`).
pub fn people_csv<H: AsRef<str>>(header: &[H], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(BOM.to_vec());
    // Writing into memory cannot fail.
    let _ = write_people_record(&mut writer, header);
    for record in rows {
        let _ = write_people_record(&mut writer, &record[..]);
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
