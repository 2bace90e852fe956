//! certif's documents typeset as PDF: the jury minutes (procès-verbal, spec/jury.md §6) and
//! what a holder takes away (spec/credentials.md §1): the diploma, one attestation page per
//! acquired block, the transcript (relevé).
//!
//! typst runs in-process, as a library: the templates are compiled in, the fonts embedded
//! (typst-assets' Libertinus Serif and DejaVu Sans Mono), and a document's data is a JSON file
//! of a virtual file system the template reads with `json(...)` — never text spliced into
//! markup, so a name like `#emph[x]` is printed as written. Nothing is read from disk or the
//! network. The holder's documents share one look (`templates/common.typ`) and each carries its
//! verification URL, printed and as a QR code drawn here as SVG (an image file of the same
//! virtual file system).

use std::sync::LazyLock;

use certif_core::codes::ReasonCode;
use certif_core::decision::TitleStatus;
use certif_core::messages::{self, Lang};
use serde_json::{Map, Value};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::layout::PagedDocument;
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The template refused the data (a field missing or of the wrong type), or typst failed.
    #[error("le document ne peut être composé : {0}")]
    Typeset(String),
    /// The composed document could not be written as PDF.
    #[error("le PDF ne peut être écrit : {0}")]
    Pdf(String),
    /// The document's data has no verification URL, or one too long for a QR code.
    #[error("le code QR de vérification ne peut être fait : {0}")]
    Qr(String),
}

/// A holder's document (spec/credentials.md §1), by its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Diploma,
    Attestation,
    Transcript,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Diploma, Kind::Attestation, Kind::Transcript];

    /// The kind's name on the command line, in files and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Diploma => "diploma",
            Kind::Attestation => "attestation",
            Kind::Transcript => "transcript",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// What the kind is called in French.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Diploma => "diplôme",
            Kind::Attestation => "attestation de validation de blocs de compétences",
            Kind::Transcript => "relevé de notes",
        }
    }

    fn source(self) -> &'static Source {
        match self {
            Kind::Diploma => &SHARED.diploma,
            Kind::Attestation => &SHARED.attestation,
            Kind::Transcript => &SHARED.transcript,
        }
    }
}

/// The minutes' template (A4, French, page numbers); it reads `/minutes.json` and `/words.json`.
const MINUTES_TEMPLATE: &str = include_str!("../templates/minutes.typ");
const MINUTES_DATA: &str = "/minutes.json";
const WORDS_DATA: &str = "/words.json";
/// The holder's documents: one template a kind, the look they share, their data and QR code.
const DIPLOMA_TEMPLATE: &str = include_str!("../templates/diploma.typ");
const ATTESTATION_TEMPLATE: &str = include_str!("../templates/attestation.typ");
const TRANSCRIPT_TEMPLATE: &str = include_str!("../templates/transcript.typ");
const COMMON_TEMPLATE: &str = include_str!("../templates/common.typ");
const DOCUMENT_DATA: &str = "/data.json";
const QR_IMAGE: &str = "/qr.svg";

/// What every render shares and is built once: the standard library, the fonts and their book,
/// the parsed template.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    minutes: Source,
    diploma: Source,
    attestation: Source,
    transcript: Source,
    common: Source,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        minutes: Source::new(file(virtual_path("/minutes.typ")), MINUTES_TEMPLATE.to_string()),
        diploma: Source::new(file(virtual_path("/diploma.typ")), DIPLOMA_TEMPLATE.to_string()),
        attestation: Source::new(file(virtual_path("/attestation.typ")), ATTESTATION_TEMPLATE.to_string()),
        transcript: Source::new(file(virtual_path("/transcript.typ")), TRANSCRIPT_TEMPLATE.to_string()),
        common: Source::new(file(virtual_path("/common.typ")), COMMON_TEMPLATE.to_string()),
    }
});

fn virtual_path(path: &str) -> VirtualPath {
    VirtualPath::new(path)
}

fn file(path: VirtualPath) -> FileId {
    FileId::new(None, path)
}

/// One render: the shared template and fonts, and this document's data files (the look the
/// holder's documents share is a second source).
struct DocumentWorld {
    main: Source,
    files: Vec<(FileId, Bytes)>,
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == SHARED.common.id() {
            Ok(SHARED.common.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .iter()
            .find(|(file, _)| *file == id)
            .map(|(_, bytes)| bytes.clone())
            .ok_or_else(|| FileError::NotFound(id.vpath().as_rootless_path().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    /// A document states its own dates: "today" is never read.
    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        None
    }
}

/// The words the minutes show for the codes they hold (roles, outcomes, title statuses,
/// reasons, the session's kind), in French, from `certif_core::messages`.
fn minutes_words(minutes: &Value) -> Value {
    let lang = Lang::Fr;
    let mut roles = Map::new();
    for member in minutes.get("members").and_then(Value::as_array).into_iter().flatten() {
        if let Some(role) = member.get("role").and_then(Value::as_str) {
            let words = messages::jury_role(role, lang).unwrap_or(role);
            roles.insert(role.to_string(), Value::from(words));
        }
    }
    let reasons: Map<String, Value> =
        ReasonCode::ALL.iter().map(|code| (code.as_str().to_string(), Value::from(messages::reason(*code, lang)))).collect();
    let titles: Map<String, Value> =
        [("awarded", TitleStatus::Awarded), ("not_awarded", TitleStatus::NotAwarded), ("incomplete", TitleStatus::Incomplete)]
            .into_iter()
            .map(|(key, status)| (key.to_string(), Value::from(messages::title_status(status, lang))))
            .collect();
    let outcomes: Map<String, Value> =
        ["ADM", "VAL", "AJ", "REF"].into_iter().map(|code| (code.to_string(), Value::from(messages::jury_outcome(code, lang)))).collect();
    let kind = minutes.get("kind").and_then(Value::as_str).unwrap_or_default();
    serde_json::json!({
        "roles": roles,
        "reasons": reasons,
        "titles": titles,
        "outcomes": outcomes,
        "kind": messages::jury_kind(kind, lang),
    })
}

/// The jury minutes as a PDF (A4, French, fonts embedded), typeset from the minutes' JSON as
/// `certif_app::jury::view::minutes_json` gives it (the signature included once given).
pub fn minutes_pdf(minutes: &Value) -> Result<Vec<u8>, DocumentError> {
    let world = DocumentWorld {
        main: SHARED.minutes.clone(),
        files: vec![
            (file(virtual_path(MINUTES_DATA)), json_bytes(minutes)),
            (file(virtual_path(WORDS_DATA)), json_bytes(&minutes_words(minutes))),
        ],
    };
    let session = minutes.get("session").and_then(Value::as_str).unwrap_or("minutes");
    render(&world, &format!("certif-minutes-{session}"), false)
}

/// A holder's document of `kind` as a PDF (A4, French, fonts embedded, PDF/A-2b), typeset from
/// the JSON `certif_app::documents` builds; its `verify_url` is printed and drawn as a QR code.
pub fn document_pdf(kind: Kind, data: &Value) -> Result<Vec<u8>, DocumentError> {
    let url = data.get("verify_url").and_then(Value::as_str).ok_or_else(|| DocumentError::Qr("verify_url manque".into()))?;
    let world = DocumentWorld {
        main: kind.source().clone(),
        files: vec![(file(virtual_path(DOCUMENT_DATA)), json_bytes(data)), (file(virtual_path(QR_IMAGE)), Bytes::new(qr_svg(url)?))],
    };
    let id = data.get("id").and_then(Value::as_str).unwrap_or(kind.as_str());
    render(&world, &format!("certif-{}-{id}", kind.as_str()), true)
}

/// The diploma (spec/credentials.md §1).
pub fn diploma_pdf(data: &Value) -> Result<Vec<u8>, DocumentError> {
    document_pdf(Kind::Diploma, data)
}

/// The attestation: one page per acquired block.
pub fn attestation_pdf(data: &Value) -> Result<Vec<u8>, DocumentError> {
    document_pdf(Kind::Attestation, data)
}

/// The transcript (relevé de notes).
pub fn transcript_pdf(data: &Value) -> Result<Vec<u8>, DocumentError> {
    document_pdf(Kind::Transcript, data)
}

/// `url` as a QR code (error correction M: a printed page gets creased), as SVG.
pub fn qr_svg(url: &str) -> Result<Vec<u8>, DocumentError> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| DocumentError::Qr(format!("{url} : {e}")))?;
    let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(240, 240).quiet_zone(true).build();
    Ok(svg.into_bytes())
}

fn json_bytes(value: &Value) -> Bytes {
    // A `serde_json::Value` always serialises (its map keys are strings).
    Bytes::new(serde_json::to_vec(value).unwrap_or_default())
}

/// Compiles the world's main template and writes it as PDF (PDF/A-2b when `archival`).
fn render(world: &DocumentWorld, ident: &str, archival: bool) -> Result<Vec<u8>, DocumentError> {
    let document = typst::compile::<PagedDocument>(world).output.map_err(|errors| DocumentError::Typeset(explain(world, &errors)))?;
    let standards = if archival {
        typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_2b]).map_err(|e| DocumentError::Pdf(e.to_string()))?
    } else {
        typst_pdf::PdfStandards::default()
    };
    let options = typst_pdf::PdfOptions { ident: Smart::Custom(ident), standards, ..Default::default() };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| DocumentError::Pdf(explain(world, &errors)));
    // The memoisation cache would otherwise keep every render's intermediate results.
    typst::comemo::evict(10);
    pdf
}

/// typst's diagnostics as one message: each error with the template file and line it arose at
/// (the document's own template or the look they share), and typst's hints.
fn explain(world: &DocumentWorld, errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|error| {
            let place = error
                .span
                .id()
                .and_then(|id| world.source(id).ok())
                .and_then(|source| {
                    let line = source.range(error.span).and_then(|range| source.lines().byte_to_line(range.start))?;
                    let name = source.id().vpath().as_rootless_path().display().to_string();
                    Some(format!("{name}:{} : ", line + 1))
                })
                .unwrap_or_default();
            let hints: String = error.hints.iter().map(|hint| format!(" ({hint})")).collect();
            format!("{place}{}{hints}", error.message)
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

#[cfg(test)]
mod tests;
