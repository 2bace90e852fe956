//! France Compétences publishes every RNCP fiche daily as one XML export of about 30,000 fiches
//! (spec/rncp-import.md). This crate reads it as a stream, one fiche at a time, so memory stays
//! bounded whatever the file's size; elements it does not know are skipped (the format grows),
//! and malformed XML is refused with the byte offset and line of the fault. It opens no file and
//! knows no database: callers hand it a reader and store what it yields.
//!
//! Sub-items of a listed competency go to [`Competency::details`](certif_core::certification::Competency),
//! so a competency's `text` stays the fiche's own item; places that hold plain strings (a route's
//! jury, the certification's activities) get the item joined with its sub-items
//! ([`ListItem::joined`]).

mod fiche;
mod lines;
mod list;
pub mod testgen;

use std::io::{BufRead, BufReader, Read, Seek};

use certif_core::{AccessRoute, Certification};
use chrono::NaiveDate;
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use fiche::{FicheBuilder, OTHER, intern};
use lines::LineCounter;
pub use list::{ListItem, split_list};

/// A fiche as the export gives it: the certification certif decides on, and what else the
/// registry says that [`Certification`] has no field for.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImportedFiche {
    /// Code `NUMERO_FICHE`, title, level, codes, certifiers, dates, links, blocks with their
    /// competencies, routes with their jury; award conditions are "all blocks"; modality letters
    /// and transversal competencies are empty (the export has none).
    pub certification: Certification,
    /// `ID_FICHE`, France Compétences' internal number (not the RNCP code).
    pub id_fiche: Option<String>,
    /// `ABREGE`: the kind of certification (`BTS`, `TP`, …) and its name.
    pub abbreviation: Option<CodeLabel>,
    /// `ETAT_FICHE`, e.g. `Publiée`.
    pub state: Option<String>,
    /// `ACTIF`: whether the registration is in force.
    pub active: bool,
    /// `NOMENCLATURE_EUROPE/LIBELLE`, e.g. `Niveau 5`.
    pub level_label: Option<String>,
    /// Labels of the codes in `certification.nsf`, `.formacodes`, `.rome`, in the same order.
    pub nsf_labels: Vec<CodeLabel>,
    pub formacode_labels: Vec<CodeLabel>,
    pub rome_labels: Vec<CodeLabel>,
    /// `DATE_EFFET`: when the registration took effect.
    pub effective_on: Option<NaiveDate>,
    /// `DATE_DE_PUBLICATION`.
    pub published_on: Option<NaiveDate>,
    /// `DATE_LIMITE_DELIVRANCE`: last day a certificate may still be awarded.
    pub delivery_deadline: Option<NaiveDate>,
    /// Each block's `MODALITES_EVALUATION` text (prose about routes and exams, not letters).
    pub assessments: Vec<BlockAssessment>,
    /// Each route's `COMPOSITION` text as written, before it is split into `jury`.
    pub jury_compositions: Vec<JuryComposition>,
    /// `ACTIVITES_VISEES`, `CAPACITES_ATTESTEES`, `SECTEURS_ACTIVITE`, `TYPE_EMPLOI_ACCESSIBLES`,
    /// `OBJECTIFS_CONTEXTE`, trimmed, otherwise as written.
    pub activities: Option<String>,
    pub capacities: Option<String>,
    pub sectors: Option<String>,
    pub jobs: Option<String>,
    pub objectives: Option<String>,
}

/// A code of a nomenclature with its label.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CodeLabel {
    pub code: String,
    pub label: String,
}

/// The assessment text the fiche gives for one block.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BlockAssessment {
    pub block: String,
    pub text: String,
}

/// The jury composition the fiche gives for one route.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct JuryComposition {
    pub route: AccessRoute,
    pub text: String,
}

/// The most bytes one text, tag (with its attributes) or other piece of markup may take; a
/// fiche's longest text is a few kilobytes.
pub const MAX_TEXT_BYTES: u64 = 4 << 20;
/// The most bytes one element of the export (a fiche) may take, all it holds included.
pub const MAX_FICHE_BYTES: u64 = 8 << 20;
/// The deepest elements may nest (a fiche nests 4 deep).
pub const MAX_DEPTH: usize = 32;
/// The most a zipped export may unpack to, and its largest compression ratio: a real export
/// is about 1 GB and compresses 10 to 20 times; a zip bomb, a thousand times.
pub const MAX_XML_BYTES: u64 = 16 << 30;
pub const MAX_COMPRESSION_RATIO: u64 = 100;

/// Why an export cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum RncpXmlError {
    /// The XML is not well-formed, or goes past a limit; `offset` counts bytes from 0, `line`
    /// counts from 1.
    #[error("malformed XML at line {line} (byte {offset}): {message}")]
    Malformed { offset: u64, line: u64, message: String },
    /// The file is not an export of France Compétences' RNCP fiches at all.
    #[error("ce fichier n'est pas un export des fiches RNCP de France Compétences : {0}")]
    NotAnExport(String),
    /// A zip entry that would unpack past [`MAX_XML_BYTES`] or [`MAX_COMPRESSION_RATIO`].
    #[error("the zip entry {name} unpacks to {size} bytes from {compressed}: {why}")]
    ZipBomb { name: String, size: u64, compressed: u64, why: String },
    #[error("cannot read the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a readable zip archive: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("the zip archive holds no .xml file")]
    NoXmlInZip,
}

/// What a read went through so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadSummary {
    pub fiches: u64,
    pub blocks: u64,
    /// XML bytes read (uncompressed), for a progress bar.
    pub bytes: u64,
}

/// The fiches of an XML export, read one at a time. Stops after the first error.
pub struct Fiches<R> {
    reader: Reader<LineCounter<R>>,
    buffer: Vec<u8>,
    /// Names of the open elements (interned; unknown names are [`OTHER`], whose text is not
    /// kept, so unknown elements cost nothing).
    path: Vec<&'static str>,
    /// For each open element, the line it opens on and where its text starts in `text`.
    opened: Vec<(u64, usize)>,
    /// The text of the open elements, innermost last: an element's text is cut off when it
    /// closes, so text around an unknown child stays with its parent.
    text: String,
    fiche: Option<FicheBuilder>,
    version: Option<String>,
    summary: ReadSummary,
    finished: bool,
    /// Whether the root element was opened (it must be `FICHES`).
    rooted: bool,
}

impl<R: BufRead> Fiches<R> {
    pub fn new(input: R) -> Self {
        let mut lines = LineCounter::new(input);
        lines.set_limits(MAX_TEXT_BYTES, u64::MAX);
        let mut reader = Reader::from_reader(lines);
        reader.config_mut().trim_text(false);
        Fiches {
            reader,
            buffer: Vec::with_capacity(64 * 1024),
            path: Vec::new(),
            opened: Vec::new(),
            text: String::new(),
            fiche: None,
            version: None,
            summary: ReadSummary::default(),
            finished: false,
            rooted: false,
        }
    }

    /// `VERSION_FLUX` (`4.1` today), once read: it comes before the first fiche.
    pub fn format_version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    pub fn summary(&self) -> ReadSummary {
        ReadSummary { bytes: self.reader.get_ref().consumed(), ..self.summary }
    }

    fn malformed(&self, offset: u64, message: String) -> RncpXmlError {
        RncpXmlError::Malformed { offset, line: self.reader.get_ref().line_of(offset), message }
    }

    /// Where the parser's fault is. quick-xml points at the start of the faulty markup; a byte
    /// that is not UTF-8 in text is found exactly, as the event's buffer then holds just the
    /// bytes consumed since the event's start.
    fn fault_offset(&self, start: u64, error: &quick_xml::Error) -> u64 {
        let consumed = self.reader.get_ref().consumed();
        if let quick_xml::Error::Encoding(_) = error
            && consumed - start == self.buffer.len() as u64
            && let Err(utf8) = std::str::from_utf8(&self.buffer)
        {
            return start + utf8.valid_up_to() as u64;
        }
        self.reader.error_position().max(start)
    }

    /// Why reading stopped at a limit: the event or the element that grew past it.
    fn past_limit(&self, start: u64) -> RncpXmlError {
        let counter = self.reader.get_ref();
        match self.opened.get(1) {
            Some(&(line, _)) if counter.consumed() > counter.end() => RncpXmlError::Malformed {
                offset: counter.item_start(),
                line,
                message: format!("the element opened on line {line} holds more than {MAX_FICHE_BYTES} bytes, the limit"),
            },
            _ => self.malformed(start, format!("a text or tag of more than {MAX_TEXT_BYTES} bytes, the limit")),
        }
    }

    /// Reads events up to the end of the next fiche, or of the file.
    fn advance(&mut self) -> Result<Option<ImportedFiche>, RncpXmlError> {
        loop {
            self.buffer.clear();
            self.reader.get_mut().mark();
            let start = self.reader.buffer_position();
            let event = match self.reader.read_event_into(&mut self.buffer) {
                Ok(event) => event,
                Err(quick_xml::Error::Io(_)) if self.reader.get_ref().over_limit() => return Err(self.past_limit(start)),
                Err(quick_xml::Error::Io(error)) => return Err(std::io::Error::new(error.kind(), error.to_string()).into()),
                Err(error) if !self.rooted => return Err(RncpXmlError::NotAnExport(format!("ce n'est pas du XML ({error})"))),
                Err(error) => return Err(self.malformed(self.fault_offset(start, &error), error.to_string())),
            };
            // The root's own text is never needed: keeping it would grow with the file.
            let collecting = self.path.len() > 1 && self.path.last().is_some_and(|name| *name != OTHER);
            match event {
                Event::Start(element) => {
                    let name = intern(element.local_name().as_ref());
                    let root = self.path.is_empty().then(|| shown(&element));
                    self.open(name, root)?;
                }
                Event::Empty(element) => {
                    let name = intern(element.local_name().as_ref());
                    let root = self.path.is_empty().then(|| shown(&element));
                    self.open(name, root)?;
                    if let Some(fiche) = self.close() {
                        return Ok(Some(fiche));
                    }
                }
                Event::End(_) => {
                    if let Some(fiche) = self.close() {
                        return Ok(Some(fiche));
                    }
                }
                Event::Text(text) if collecting => self.text.push_str(&text.xml10_content()),
                Event::CData(data) if collecting => self.text.push_str(&data.xml10_content()),
                Event::Text(text) if !self.rooted && !is_blank(text.as_ref()) => {
                    return Err(RncpXmlError::NotAnExport("il ne commence pas par un élément XML <FICHES>".into()));
                }
                Event::GeneralRef(reference) => match resolve(&reference) {
                    Ok(c) if collecting => self.text.push(c),
                    Ok(_) => {}
                    Err(message) => return Err(self.malformed(start, message)),
                },
                Event::Eof => {
                    if let Some((line, _)) = self.opened.last() {
                        let offset = self.reader.buffer_position();
                        return Err(self.malformed(offset, format!("the file ends before the element opened on line {line} is closed")));
                    }
                    if !self.rooted {
                        return Err(RncpXmlError::NotAnExport("il ne contient aucun élément <FICHES>".into()));
                    }
                    return Ok(None);
                }
                Event::Text(_) | Event::CData(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
            if self.text.len() as u64 > MAX_TEXT_BYTES {
                let (line, _) = self.opened.last().copied().unwrap_or_default();
                return Err(self.malformed(
                    start,
                    format!("the text of the element opened on line {line} is longer than {MAX_TEXT_BYTES} bytes, the limit"),
                ));
            }
        }
    }

    /// Opens an element (`root`: its name as written, for the root element).
    fn open(&mut self, name: &'static str, root: Option<String>) -> Result<(), RncpXmlError> {
        let offset = self.reader.get_ref().mark_offset();
        if self.path.is_empty() {
            if self.rooted {
                return Err(self.malformed(offset, "a second root element after </FICHES>".into()));
            }
            if name != "FICHES" {
                let found = root.unwrap_or_default();
                return Err(RncpXmlError::NotAnExport(format!("son élément racine est <{found}>, pas <FICHES>")));
            }
            self.rooted = true;
        }
        if self.path.len() >= MAX_DEPTH {
            return Err(self.malformed(offset, format!("elements nested more than {MAX_DEPTH} deep, the limit")));
        }
        if name == "FICHE" && self.path.len() == 1 {
            self.fiche = Some(FicheBuilder::new());
        }
        if self.path.len() == 1 {
            self.reader.get_mut().start_item(offset, MAX_FICHE_BYTES);
        }
        self.path.push(name);
        self.opened.push((self.reader.get_ref().mark_line(), self.text.len()));
        Ok(())
    }

    /// Closes the innermost element; returns the fiche it completes, if it is one.
    fn close(&mut self) -> Option<ImportedFiche> {
        let depth = self.path.len();
        let (_, text_from) = self.opened.pop().unwrap_or_default();
        let text = self.text[text_from..].trim();
        if depth > 2
            && let Some(fiche) = self.fiche.as_mut()
        {
            fiche.close(&self.path[2..], text);
        }
        if depth == 2 && self.path[1] == "VERSION_FLUX" {
            self.version = Some(text.to_string());
        }
        if depth == 2 {
            self.reader.get_mut().end_item();
        }
        let closed = self.path.pop();
        self.text.truncate(text_from);
        if depth == 2 && closed == Some("FICHE") {
            let fiche = self.fiche.take()?.finish();
            self.summary.fiches += 1;
            self.summary.blocks += fiche.certification.blocks.len() as u64;
            return Some(fiche);
        }
        None
    }
}

impl<R: BufRead> Iterator for Fiches<R> {
    type Item = Result<ImportedFiche, RncpXmlError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let result = self.advance();
        self.finished = !matches!(result, Ok(Some(_)));
        result.transpose()
    }
}

/// An element's name as a message shows it (a name may be long).
fn shown(element: &BytesStart<'_>) -> String {
    element.local_name().as_ref().chars().take(64).collect()
}

/// Whitespace, or a byte-order mark, as a file may hold before its root element.
fn is_blank(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim().is_empty()
}

/// XML's five predefined entities and character references; a document without a DTD can
/// define no other.
fn resolve(reference: &BytesRef<'_>) -> Result<char, String> {
    if let Some(c) = reference.resolve_char_ref().map_err(|error| error.to_string())? {
        return Ok(c);
    }
    match &**reference {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        other => Err(format!("unknown entity &{other};")),
    }
}

/// Reads an XML export, calling `on_fiche` for each fiche in order. Stops at the first
/// malformed byte, or at the first error `on_fiche` returns.
pub fn read_export<R: BufRead, E: From<RncpXmlError>>(
    input: R,
    mut on_fiche: impl FnMut(ImportedFiche) -> Result<(), E>,
) -> Result<ReadSummary, E> {
    let mut fiches = Fiches::new(input);
    for fiche in fiches.by_ref() {
        on_fiche(fiche?)?;
    }
    Ok(fiches.summary())
}

/// A zipped export (`export-fiches-rncp-v4-1-YYYY-MM-DD.zip`): its XML entry, read as a stream
/// without unpacking it.
pub struct ZipExport<R> {
    archive: zip::ZipArchive<R>,
    index: usize,
    name: String,
    size: u64,
}

impl<R: Read + Seek> ZipExport<R> {
    /// Finds the export's XML entry (the first `.xml` entry, macOS resource forks aside), and
    /// refuses it when it would unpack past [`MAX_XML_BYTES`] or [`MAX_COMPRESSION_RATIO`].
    pub fn new(archive: R) -> Result<Self, RncpXmlError> {
        let mut archive = zip::ZipArchive::new(archive)?;
        let index = (0..archive.len())
            .find(|&i| matches!(archive.name_for_index(i), Some(Ok(name)) if is_export_entry(&name)))
            .ok_or(RncpXmlError::NoXmlInZip)?;
        let entry = archive.by_index_raw(index)?;
        let (name, size, compressed) = (entry.name()?.into_owned(), entry.size(), entry.compressed_size());
        drop(entry);
        let why = if size > MAX_XML_BYTES {
            Some(format!("more than {MAX_XML_BYTES} bytes, the limit"))
        } else if size > (1 << 20) && size / compressed.max(1) > MAX_COMPRESSION_RATIO {
            Some(format!("compressed more than {MAX_COMPRESSION_RATIO} times, the limit (a zip bomb, not an export)"))
        } else {
            None
        };
        if let Some(why) = why {
            return Err(RncpXmlError::ZipBomb { name, size, compressed, why });
        }
        Ok(ZipExport { archive, index, name, size })
    }

    pub fn entry_name(&self) -> &str {
        &self.name
    }

    /// Uncompressed size of the XML entry, to set against [`ReadSummary::bytes`].
    pub fn xml_size(&self) -> u64 {
        self.size
    }

    /// The entry's fiches, decompressed as they are read; the entry may not unpack past the
    /// size it declares.
    pub fn fiches(&mut self) -> Result<Fiches<impl BufRead + '_>, RncpXmlError> {
        let entry = self.archive.by_index(self.index)?;
        Ok(Fiches::new(BufReader::with_capacity(64 * 1024, Declared { inner: entry, left: self.size })))
    }
}

/// A zip entry's bytes, refused past the size the archive declares for it (the ratio was
/// checked against that size).
struct Declared<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Declared<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        self.left = self
            .left
            .checked_sub(n as u64)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "the zip entry unpacks past the size it declares"))?;
        Ok(n)
    }
}

fn is_export_entry(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    name.to_ascii_lowercase().ends_with(".xml") && !name.starts_with("__MACOSX/") && !file.starts_with("._")
}

/// Reads a zipped export, calling `on_fiche` for each fiche in order, as [`read_export`] does.
pub fn read_zip_export<R: Read + Seek, E: From<RncpXmlError>>(
    archive: R,
    on_fiche: impl FnMut(ImportedFiche) -> Result<(), E>,
) -> Result<ReadSummary, E> {
    let mut export = ZipExport::new(archive)?;
    let mut fiches = export.fiches()?;
    let mut on_fiche = on_fiche;
    for fiche in fiches.by_ref() {
        on_fiche(fiche?)?;
    }
    Ok(fiches.summary())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_of_a_zip_export() {
        assert!(is_export_entry("export-fiches-rncp-v4-1-2026-09-29.xml"));
        assert!(is_export_entry("export/EXPORT.XML"));
        assert!(!is_export_entry("__MACOSX/export.xml"));
        assert!(!is_export_entry("export/._export.xml"));
        assert!(!is_export_entry("readme.txt"));
    }

    #[test]
    fn references_resolve_to_characters_or_are_refused() {
        assert_eq!(resolve(&BytesRef::new("amp")), Ok('&'));
        assert_eq!(resolve(&BytesRef::new("#x2019")), Ok('’'));
        assert_eq!(resolve(&BytesRef::new("#233")), Ok('é'));
        assert!(resolve(&BytesRef::new("nbsp")).unwrap_err().contains("&nbsp;"));
        assert!(resolve(&BytesRef::new("#0")).is_err());
    }
}
