//! France Compétences publishes every RNCP fiche daily as one XML export (spec/rncp-import.md).
//! This crate reads it as a stream: one fiche at a time, whatever the file's size, skipping
//! elements it does not know (the format grows). No database here: callers store the fiches.

mod list;
pub mod testgen;

use std::io::{BufRead, Read, Seek};

use certif_core::certification::{AccessRouteRule, Certifier, Competency};
use certif_core::{AccessRoute, AwardCondition, Block, Certification};
use chrono::NaiveDate;
use quick_xml::Reader;
use quick_xml::events::Event;

pub use list::{ListItem, split_list};

/// A fiche as the export gives it: the certification certif decides on, and what else the
/// registry says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedFiche {
    pub certification: Certification,
    pub id_fiche: Option<String>,
    /// Short name of the kind of diploma (`BTS`, `TP`, …) and its label.
    pub abbreviation: Option<(String, String)>,
    /// `ETAT_FICHE`, e.g. `Publiée`.
    pub state: Option<String>,
    /// `ACTIF`: whether the registration is in force.
    pub active: bool,
    pub level_label: Option<String>,
    pub nsf_labels: Vec<(String, String)>,
    pub formacode_labels: Vec<(String, String)>,
    pub rome_labels: Vec<(String, String)>,
    pub effective_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    /// Last day a certificate may still be delivered (`DATE_LIMITE_DELIVRANCE`).
    pub delivery_deadline: Option<NaiveDate>,
    /// Each block's `MODALITES_EVALUATION` text, by block code.
    pub block_modalities: Vec<(String, String)>,
    /// Each open route's jury composition as the fiche writes it.
    pub jury_texts: Vec<(AccessRoute, String)>,
    pub activities: Option<String>,
    pub capacities: Option<String>,
    pub sectors: Option<String>,
    pub jobs: Option<String>,
    pub objectives: Option<String>,
}

/// A fault in the export: malformed XML (with its byte offset and line), or a read failure.
#[derive(Debug, thiserror::Error)]
pub enum RncpXmlError {
    #[error("malformed XML at byte {offset} (line {line}): {message}")]
    Malformed { offset: u64, line: u64, message: String },
    #[error("cannot read the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a usable zip export: {0}")]
    Zip(String),
}

/// Counts lines in what the XML reader consumes, and keeps the last bytes, so an error's
/// line is known without holding the file in memory.
struct LineCountingReader<R> {
    inner: R,
    consumed: u64,
    newlines: u64,
    recent: std::collections::VecDeque<u8>,
}

const RECENT_BYTES: usize = 1 << 16;

impl<R: BufRead> LineCountingReader<R> {
    fn new(inner: R) -> Self {
        LineCountingReader { inner, consumed: 0, newlines: 0, recent: std::collections::VecDeque::with_capacity(RECENT_BYTES) }
    }

    /// The 1-based line of a byte offset at or shortly before what was consumed.
    fn line_of(&self, offset: u64) -> u64 {
        let behind = self.consumed.saturating_sub(offset);
        let window = self.recent.len() as u64;
        let counted_back = self.recent.iter().skip(window.saturating_sub(behind) as usize).filter(|b| **b == b'\n').count() as u64;
        self.newlines - counted_back + 1
    }
}

impl<R: BufRead> Read for LineCountingReader<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCountingReader<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if let Ok(buffer) = self.inner.fill_buf() {
            let taken = &buffer[..amount.min(buffer.len())];
            self.newlines += taken.iter().filter(|b| **b == b'\n').count() as u64;
            for byte in taken {
                if self.recent.len() == RECENT_BYTES {
                    self.recent.pop_front();
                }
                self.recent.push_back(*byte);
            }
        }
        self.consumed += amount as u64;
        self.inner.consume(amount);
    }
}

/// What one read of an export found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadSummary {
    pub fiches: u64,
    pub blocks: u64,
    pub bytes: u64,
}

/// Reads an XML export, calling `on_fiche` for each fiche in order. Stops at the first
/// malformed byte with its offset and line, or at the first error `on_fiche` returns.
pub fn read_export<R: BufRead, E: From<RncpXmlError>>(
    input: R,
    mut on_fiche: impl FnMut(ImportedFiche) -> Result<(), E>,
) -> Result<ReadSummary, E> {
    let mut reader = Reader::from_reader(LineCountingReader::new(input));
    reader.config_mut().trim_text(false);
    let mut buffer = Vec::with_capacity(8192);
    let mut summary = ReadSummary::default();
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut fiche: Option<FicheBuilder> = None;
    loop {
        let event = reader.read_event_into(&mut buffer);
        let event = match event {
            Ok(event) => event,
            Err(error) => {
                let offset = reader.error_position();
                let line = reader.get_ref().line_of(offset);
                return Err(RncpXmlError::Malformed { offset, line, message: error.to_string() }.into());
            }
        };
        match event {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                if name == "FICHE" && path.len() == 1 {
                    fiche = Some(FicheBuilder::default());
                }
                path.push(name);
                text.clear();
            }
            Event::Text(content) => {
                let unescaped = content.unescape().map_err(|e| {
                    let offset = reader.buffer_position();
                    RncpXmlError::Malformed { offset, line: reader.get_ref().line_of(offset), message: e.to_string() }
                })?;
                text.push_str(&unescaped);
            }
            Event::CData(content) => text.push_str(&String::from_utf8_lossy(&content.into_inner())),
            Event::End(_) => {
                if let Some(builder) = fiche.as_mut()
                    && path.len() > 2
                {
                    builder.set(&path[2..], text.trim());
                }
                let closed = path.pop();
                if closed.as_deref() == Some("FICHE")
                    && path.len() == 1
                    && let Some(builder) = fiche.take()
                {
                    let imported = builder.build();
                    summary.fiches += 1;
                    summary.blocks += imported.certification.blocks.len() as u64;
                    on_fiche(imported)?;
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    if !path.is_empty() {
        let offset = reader.buffer_position();
        let line = reader.get_ref().line_of(offset);
        return Err(RncpXmlError::Malformed { offset, line, message: format!("the file ends inside <{}>", path.join("><")) }.into());
    }
    summary.bytes = reader.get_ref().consumed;
    Ok(summary)
}

/// Reads a zipped export (`export-fiches-rncp-v4-1-YYYY-MM-DD.zip`): its XML entry, streamed.
pub fn read_zip_export<R: Read + Seek, E: From<RncpXmlError>>(
    archive: R,
    on_fiche: impl FnMut(ImportedFiche) -> Result<(), E>,
) -> Result<ReadSummary, E> {
    let mut archive = zip::ZipArchive::new(archive).map_err(|e| RncpXmlError::Zip(e.to_string()))?;
    let index = (0..archive.len())
        .find(|&i| archive.name_for_index(i).is_some_and(|n| n.to_ascii_lowercase().ends_with(".xml")))
        .ok_or_else(|| RncpXmlError::Zip("the archive holds no .xml file".into()))?;
    let entry = archive.by_index(index).map_err(|e| RncpXmlError::Zip(e.to_string()))?;
    read_export(std::io::BufReader::with_capacity(1 << 16, entry), on_fiche)
}

/// A fiche being read: fields are set as their elements close.
#[derive(Default)]
struct FicheBuilder {
    fiche: ImportedFiche,
    certifier: (String, String),
    coded: (String, String),
    block: Option<(Block, String, String)>,
    jury: (String, String),
}

impl Default for ImportedFiche {
    fn default() -> Self {
        ImportedFiche {
            certification: Certification {
                code: String::new(),
                title: String::new(),
                level: None,
                certifiers: Vec::new(),
                registration_end: None,
                predecessors: Vec::new(),
                successors: Vec::new(),
                nsf: Vec::new(),
                formacodes: Vec::new(),
                rome: Vec::new(),
                blocks: Vec::new(),
                transversal_competencies: Vec::new(),
                modalities: Vec::new(),
                access_routes: Vec::new(),
                jury_rules: None,
                award_conditions: vec![AwardCondition::AllBlocks],
                objectives: None,
                activities: Vec::new(),
            },
            id_fiche: None,
            abbreviation: None,
            state: None,
            active: false,
            level_label: None,
            nsf_labels: Vec::new(),
            formacode_labels: Vec::new(),
            rome_labels: Vec::new(),
            effective_on: None,
            published_on: None,
            delivery_deadline: None,
            block_modalities: Vec::new(),
            jury_texts: Vec::new(),
            activities: None,
            capacities: None,
            sectors: None,
            jobs: None,
            objectives: None,
        }
    }
}

/// `dd/mm/yyyy` as the export writes dates; anything else is treated as absent.
fn export_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%d/%m/%Y").ok()
}

fn route_of(element: &str) -> Option<AccessRoute> {
    Some(match element {
        "SI_JURY_FI" => AccessRoute::Student,
        "SI_JURY_CA" => AccessRoute::Apprenticeship,
        "SI_JURY_FC" => AccessRoute::ContinuingEducation,
        "SI_JURY_CQ" => AccessRoute::ProfessionalisationContract,
        "SI_JURY_CL" => AccessRoute::IndividualCandidate,
        "SI_JURY_VAE" => AccessRoute::Vae,
        _ => return None,
    })
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

impl FicheBuilder {
    /// Records the text of an element that just closed, by its path below `FICHE`.
    fn set(&mut self, path: &[String], text: &str) {
        let c = &mut self.fiche.certification;
        let p: Vec<&str> = path.iter().map(String::as_str).collect();
        match p.as_slice() {
            ["ID_FICHE"] => self.fiche.id_fiche = non_empty(text),
            ["NUMERO_FICHE"] => c.code = text.to_string(),
            ["INTITULE"] => c.title = text.to_string(),
            ["ETAT_FICHE"] => self.fiche.state = non_empty(text),
            ["ACTIF"] => self.fiche.active = text.eq_ignore_ascii_case("oui"),
            ["ABREGE", "CODE"] => self.fiche.abbreviation.get_or_insert_default().0 = text.to_string(),
            ["ABREGE", "LIBELLE"] => self.fiche.abbreviation.get_or_insert_default().1 = text.to_string(),
            ["NOUVELLES_CERTIFICATIONS", "NOUVELLE_CERTIFICATION", "ID_FICHE_NOUVELLE_CERTIFICATION"] if !text.is_empty() => {
                c.successors.push(text.to_string())
            }
            ["ANCIENNES_CERTIFICATIONS", "ANCIENNE_CERTIFICATION", "ID_FICHE_ANCIENNE_CERTIFICATION"] if !text.is_empty() => {
                c.predecessors.push(text.to_string())
            }
            ["NOMENCLATURE_EUROPE", "NIVEAU"] => c.level = text.trim_start_matches("NIV").parse().ok(),
            ["NOMENCLATURE_EUROPE", "LIBELLE"] => self.fiche.level_label = non_empty(text),
            [_, _, "CODE"] | [_, _, "LIBELLE"] if matches!(p[0], "FORMACODES" | "CODES_NSF" | "CODES_ROME") => {
                if p[2] == "CODE" {
                    self.coded.0 = text.to_string()
                } else {
                    self.coded.1 = text.to_string()
                }
            }
            ["FORMACODES", "FORMACODE"] | ["CODES_NSF", "NSF"] | ["CODES_ROME", "ROME"] => {
                let (code, label) = std::mem::take(&mut self.coded);
                if !code.is_empty() {
                    let (codes, labels) = match p[0] {
                        "FORMACODES" => (&mut c.formacodes, &mut self.fiche.formacode_labels),
                        "CODES_NSF" => (&mut c.nsf, &mut self.fiche.nsf_labels),
                        _ => (&mut c.rome, &mut self.fiche.rome_labels),
                    };
                    codes.push(code.clone());
                    labels.push((code, label));
                }
            }
            ["CERTIFICATEURS", "CERTIFICATEUR", "SIRET_CERTIFICATEUR"] => self.certifier.0 = text.to_string(),
            ["CERTIFICATEURS", "CERTIFICATEUR", "NOM_CERTIFICATEUR"] => self.certifier.1 = text.to_string(),
            ["CERTIFICATEURS", "CERTIFICATEUR"] => {
                let (siret, name) = std::mem::take(&mut self.certifier);
                if !siret.is_empty() || !name.is_empty() {
                    c.certifiers.push(Certifier { siret, name, commercial_name: None });
                }
            }
            [route, "ACTIF"] if route_of(route).is_some() => self.jury.0 = text.to_string(),
            [route, "COMPOSITION"] if route_of(route).is_some() => self.jury.1 = text.to_string(),
            [route] if route_of(route).is_some() => {
                let (active, composition) = std::mem::take(&mut self.jury);
                let route = route_of(route).expect("matched above");
                let open = active.eq_ignore_ascii_case("oui");
                let jury = if open { split_list(&composition).into_iter().map(|item| joined(&item)).collect() } else { Vec::new() };
                if open && !composition.is_empty() {
                    self.fiche.jury_texts.push((route, composition));
                }
                c.access_routes.push(AccessRouteRule { route, open, jury });
            }
            ["BLOCS_COMPETENCES", "BLOC_COMPETENCES", field] => {
                let (block, list, modalities) = self.block.get_or_insert_with(|| {
                    (
                        Block {
                            code: String::new(),
                            title: String::new(),
                            competencies: Vec::new(),
                            transversal: Vec::new(),
                            modalities: Vec::new(),
                        },
                        String::new(),
                        String::new(),
                    )
                });
                match *field {
                    "CODE" => block.code = text.to_string(),
                    "LIBELLE" => block.title = text.to_string(),
                    "LISTE_COMPETENCES" => *list = text.to_string(),
                    "MODALITES_EVALUATION" => *modalities = text.to_string(),
                    _ => {}
                }
            }
            ["BLOCS_COMPETENCES", "BLOC_COMPETENCES"] => {
                if let Some((mut block, list, modalities)) = self.block.take() {
                    block.competencies = split_list(&list)
                        .into_iter()
                        .enumerate()
                        .map(|(n, item)| Competency { id: format!("{}-C{}", block.code, n + 1), text: item.text, details: item.details })
                        .collect();
                    if !modalities.is_empty() {
                        self.fiche.block_modalities.push((block.code.clone(), modalities));
                    }
                    c.blocks.push(block);
                }
            }
            ["DATE_FIN_ENREGISTREMENT"] => c.registration_end = export_date(text),
            ["DATE_EFFET"] => self.fiche.effective_on = export_date(text),
            ["DATE_DE_PUBLICATION"] => self.fiche.published_on = export_date(text),
            ["DATE_LIMITE_DELIVRANCE"] => self.fiche.delivery_deadline = export_date(text),
            ["ACTIVITES_VISEES"] => self.fiche.activities = non_empty(text),
            ["CAPACITES_ATTESTEES"] => self.fiche.capacities = non_empty(text),
            ["SECTEURS_ACTIVITE"] => self.fiche.sectors = non_empty(text),
            ["TYPE_EMPLOI_ACCESSIBLES"] => self.fiche.jobs = non_empty(text),
            ["OBJECTIFS_CONTEXTE"] => self.fiche.objectives = non_empty(text),
            _ => {}
        }
    }

    fn build(mut self) -> ImportedFiche {
        let c = &mut self.fiche.certification;
        c.objectives = self.fiche.objectives.clone();
        c.activities =
            self.fiche.activities.as_deref().map(|a| split_list(a).into_iter().map(|i| joined(&i)).collect()).unwrap_or_default();
        self.fiche
    }
}

/// An item with its sub-items, as one line of text.
fn joined(item: &ListItem) -> String {
    if item.details.is_empty() { item.text.clone() } else { format!("{} : {}", item.text, item.details.join(" ; ")) }
}
