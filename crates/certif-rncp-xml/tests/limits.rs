//! Hostile exports: texts, tags, fiches and nesting past their limits, zip bombs, and files
//! that are no export at all are refused early, having read little.

use std::io::{BufReader, Cursor, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use certif_rncp_xml::{Fiches, ImportedFiche, MAX_COMPRESSION_RATIO, MAX_DEPTH, MAX_FICHE_BYTES, MAX_TEXT_BYTES, RncpXmlError, ZipExport};

/// `head`, then `size` bytes of `fill` repeated, then `tail`, generated as they are read; counts
/// what was read.
struct Generated {
    head: Vec<u8>,
    fill: &'static [u8],
    size: u64,
    tail: Vec<u8>,
    /// Bytes given so far.
    given: u64,
    read: Arc<AtomicU64>,
}

impl Generated {
    fn new(head: &str, fill: &'static str, size: u64, tail: &str) -> (Generated, Arc<AtomicU64>) {
        let read = Arc::new(AtomicU64::new(0));
        let (head, tail) = (head.as_bytes().to_vec(), tail.as_bytes().to_vec());
        (Generated { head, fill: fill.as_bytes(), size, tail, given: 0, read: read.clone() }, read)
    }

    fn byte(&self, at: u64) -> Option<u8> {
        let head = self.head.len() as u64;
        if at < head {
            Some(self.head[at as usize])
        } else if at < head + self.size {
            Some(self.fill[((at - head) % self.fill.len() as u64) as usize])
        } else {
            self.tail.get((at - head - self.size) as usize).copied()
        }
    }
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < out.len()
            && let Some(byte) = self.byte(self.given)
        {
            out[n] = byte;
            n += 1;
            self.given += 1;
        }
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn first_error(input: impl Read) -> RncpXmlError {
    match Fiches::new(BufReader::new(input)).find_map(Result::err) {
        Some(error) => error,
        None => panic!("the export was read without error"),
    }
}

fn malformed(error: RncpXmlError) -> (u64, u64, String) {
    match error {
        RncpXmlError::Malformed { offset, line, message } => (offset, line, message),
        other => panic!("expected a malformed-XML error, got {other:?}"),
    }
}

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FICHES>\n<FICHE>\n<NUMERO_FICHE>RNCP1</NUMERO_FICHE>\n";

#[test]
fn a_title_of_300_mb_is_refused_after_reading_a_little_more_than_the_limit() {
    let head = format!("{HEAD}<INTITULE>");
    let (title, read) = Generated::new(&head, "titre ", 300 << 20, "</INTITULE>\n</FICHE>\n</FICHES>\n");
    let (offset, line, message) = malformed(first_error(title));
    assert_eq!((offset, line), (head.len() as u64, 5));
    assert_eq!(message, format!("a text or tag of more than {MAX_TEXT_BYTES} bytes, the limit"));
    assert!(read.load(Ordering::Relaxed) < 2 * MAX_TEXT_BYTES, "{} bytes read", read.load(Ordering::Relaxed));
}

#[test]
fn an_attribute_of_300_mb_is_refused_where_its_tag_starts() {
    let head = format!("{HEAD}<INTITULE langue=\"");
    let (tag, read) = Generated::new(&head, "fr", 300 << 20, "\">Titre</INTITULE>\n</FICHE>\n</FICHES>\n");
    let (offset, line, message) = malformed(first_error(tag));
    assert_eq!((offset, line), (HEAD.len() as u64, 5));
    assert!(message.starts_with("a text or tag of more than"), "{message}");
    assert!(read.load(Ordering::Relaxed) < 2 * MAX_TEXT_BYTES);
}

#[test]
fn a_title_cut_into_small_pieces_is_refused_past_the_same_limit() {
    let head = format!("{HEAD}<INTITULE>");
    let (title, _) = Generated::new(&head, "aaaaaaaaaaaaaaaaaaaa&amp;", 300 << 20, "</INTITULE>\n</FICHE>\n</FICHES>\n");
    let (_, line, message) = malformed(first_error(title));
    assert_eq!(line, 5);
    assert!(message.starts_with("the text of the element opened on line 5 is longer than"), "{message}");
}

#[test]
fn a_fiche_of_many_small_elements_is_refused_past_its_limit() {
    let (fiche, read) = Generated::new(HEAD, "<CODE_ROME>M1805</CODE_ROME>\n", 300 << 20, "</FICHE>\n</FICHES>\n");
    let (offset, line, message) = malformed(first_error(fiche));
    assert_eq!((offset, line), (HEAD.find("<FICHE>").unwrap() as u64, 3));
    assert_eq!(message, format!("the element opened on line 3 holds more than {MAX_FICHE_BYTES} bytes, the limit"));
    assert!(read.load(Ordering::Relaxed) < MAX_FICHE_BYTES + MAX_TEXT_BYTES);
}

#[test]
fn elements_nested_past_the_limit_are_refused() {
    let (nested, _) = Generated::new(HEAD, "<X>", 300 << 20, "");
    let (_, line, message) = malformed(first_error(nested));
    assert_eq!(line, 5);
    assert_eq!(message, format!("elements nested more than {MAX_DEPTH} deep, the limit"));
}

#[test]
fn real_sized_fiches_are_far_below_the_limits() {
    let mut export = Vec::new();
    certif_rncp_xml::testgen::write_export(&mut export, 3).unwrap();
    let fiches: Vec<ImportedFiche> = Fiches::new(export.as_slice()).collect::<Result<_, _>>().unwrap();
    assert_eq!(fiches.len(), 3);
    assert!((export.len() as u64) < MAX_FICHE_BYTES / 16, "{} bytes for 3 fiches", export.len());
}

fn not_an_export(bytes: &[u8]) -> String {
    match Fiches::new(bytes).find_map(Result::err) {
        Some(RncpXmlError::NotAnExport(why)) => why,
        other => panic!("expected a refusal as no export, got {other:?}"),
    }
}

#[test]
fn a_file_that_is_no_export_is_refused_as_such() {
    assert_eq!(not_an_export(b"learner_id;module\nA-0001;M1.1.1\n"), "il ne commence pas par un élément XML <FICHES>");
    assert_eq!(not_an_export(b""), "il ne contient aucun élément <FICHES>");
    assert_eq!(not_an_export(b"  \n"), "il ne contient aucun élément <FICHES>");
    assert_eq!(
        not_an_export(b"<?xml version=\"1.0\"?>\n<catalogue><livre/></catalogue>"),
        "son élément racine est <catalogue>, pas <FICHES>"
    );
    assert!(not_an_export(b"\xff\xfe<\x00F\x00").starts_with("ce n'est pas du XML"), "binary");
    let error = Fiches::new(&b"<html>"[..]).next().unwrap().unwrap_err();
    assert_eq!(
        error.to_string(),
        "ce fichier n'est pas un export des fiches RNCP de France Compétences : son élément racine est <html>, pas <FICHES>"
    );
    assert!(Fiches::new(&b"\xEF\xBB\xBF<FICHES></FICHES>"[..]).next().is_none(), "an empty export, with a byte-order mark");
}

fn zipped(name: &str, content: &[u8]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    writer.start_file(name, options).unwrap();
    writer.write_all(content).unwrap();
    writer.finish().unwrap().into_inner()
}

#[test]
fn a_zip_entry_compressed_past_the_ratio_is_refused_before_it_is_unpacked() {
    let bomb = format!("{HEAD}<INTITULE>{}</INTITULE></FICHE></FICHES>", "a".repeat(8 << 20));
    let bytes = zipped("export.xml", bomb.as_bytes());
    match ZipExport::new(Cursor::new(bytes)) {
        Err(RncpXmlError::ZipBomb { name, size, why, .. }) => {
            assert_eq!((name.as_str(), size), ("export.xml", bomb.len() as u64));
            assert!(why.contains(&format!("compressed more than {MAX_COMPRESSION_RATIO} times")), "{why}");
        }
        other => panic!("expected a zip bomb, got {:?}", other.err()),
    }
}

/// The declared uncompressed size of every entry, in its local header and the central
/// directory, set to `size`.
fn declare_size(zip: &mut [u8], size: u32) {
    for at in 0..zip.len().saturating_sub(4) {
        match &zip[at..at + 4] {
            b"PK\x03\x04" => zip[at + 22..at + 26].copy_from_slice(&size.to_le_bytes()),
            b"PK\x01\x02" => zip[at + 24..at + 28].copy_from_slice(&size.to_le_bytes()),
            _ => {}
        }
    }
}

#[test]
fn a_zip_entry_unpacking_past_the_size_it_declares_is_refused() {
    let mut export = Vec::new();
    certif_rncp_xml::testgen::write_export(&mut export, 30).unwrap();
    let mut bytes = zipped("export.xml", &export);
    declare_size(&mut bytes, 100_000);
    let mut zip = ZipExport::new(Cursor::new(bytes)).unwrap();
    assert_eq!(zip.xml_size(), 100_000);
    let error = zip.fiches().unwrap().find_map(Result::err).unwrap();
    assert!(matches!(error, RncpXmlError::Io(_)), "{error:?}");
    assert!(error.to_string().contains("declare"), "{error}");
}
