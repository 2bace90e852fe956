//! certif's documents typeset as PDF: for now the jury minutes (procès-verbal, spec/jury.md §6).
//!
//! typst runs in-process, as a library: the templates are compiled in, the fonts embedded
//! (typst-assets' Libertinus Serif and DejaVu Sans Mono), and a document's data is a JSON file
//! of a virtual file system the template reads with `json(...)` — never text spliced into
//! markup, so a name like `#emph[x]` is printed as written. Nothing is read from disk or the
//! network.

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
}

/// The minutes' template (A4, French, page numbers); it reads `/minutes.json` and `/words.json`.
const MINUTES_TEMPLATE: &str = include_str!("../templates/minutes.typ");
const MINUTES_DATA: &str = "/minutes.json";
const WORDS_DATA: &str = "/words.json";

/// What every render shares and is built once: the standard library, the fonts and their book,
/// the parsed template.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    minutes: Source,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        minutes: Source::new(file(virtual_path("/minutes.typ")), MINUTES_TEMPLATE.to_string()),
    }
});

fn virtual_path(path: &str) -> VirtualPath {
    VirtualPath::new(path)
}

fn file(path: VirtualPath) -> FileId {
    FileId::new(None, path)
}

/// One render: the shared template and fonts, and this document's data files.
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
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::NotFound(id.vpath().as_rootless_path().into())) }
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
    let data = |value: &Value| Bytes::new(serde_json::to_vec(value).expect("a JSON value always serialises"));
    let world = DocumentWorld {
        main: SHARED.minutes.clone(),
        files: vec![(file(virtual_path(MINUTES_DATA)), data(minutes)), (file(virtual_path(WORDS_DATA)), data(&minutes_words(minutes)))],
    };
    let document = typst::compile::<PagedDocument>(&world).output.map_err(|errors| DocumentError::Typeset(explain(&world, &errors)))?;
    let session = minutes.get("session").and_then(Value::as_str).unwrap_or("minutes");
    let ident = format!("certif-minutes-{session}");
    let options = typst_pdf::PdfOptions { ident: Smart::Custom(&ident), ..Default::default() };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| DocumentError::Pdf(explain(&world, &errors)));
    // The memoisation cache would otherwise keep every render's intermediate results.
    typst::comemo::evict(10);
    pdf
}

/// typst's diagnostics as one message: each error with the template line it arose at, and
/// typst's hints.
fn explain(world: &DocumentWorld, errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|error| {
            let line = error
                .span
                .id()
                .and_then(|id| world.source(id).ok())
                .and_then(|source| source.range(error.span).and_then(|range| source.lines().byte_to_line(range.start)))
                .map(|line| format!("minutes.typ:{} : ", line + 1))
                .unwrap_or_default();
            let hints: String = error.hints.iter().map(|hint| format!(" ({hint})")).collect();
            format!("{line}{}{hints}", error.message)
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

#[cfg(test)]
mod tests;
