//! Streaming behaviour on small hand-written exports: unknown elements, malformed XML and its
//! line, truncated files, the callback and iterator forms, zip exports.

use std::io::{Cursor, Write};

use certif_core::AccessRoute;
use certif_rncp_xml::{Fiches, ImportedFiche, RncpXmlError, ZipExport, read_export, read_zip_export};

fn read(xml: &str) -> Result<Vec<ImportedFiche>, RncpXmlError> {
    Fiches::new(xml.as_bytes()).collect()
}

fn malformed(xml: &str) -> (u64, u64, String) {
    match read(xml) {
        Err(RncpXmlError::Malformed { offset, line, message }) => (offset, line, message),
        other => panic!("expected a malformed-XML error, got {other:?}"),
    }
}

const ONE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<FICHES>
<VERSION_FLUX>4.1</VERSION_FLUX>
<FICHE>
<NUMERO_FICHE>RNCP1</NUMERO_FICHE>
<INTITULE>Titre &amp; test &#x2019;&#233;</INTITULE>
<SI_JURY_FI><ACTIF>Non</ACTIF></SI_JURY_FI>
<SI_JURY_VAE><ACTIF>Oui</ACTIF><COMPOSITION>Trois professionnels</COMPOSITION></SI_JURY_VAE>
<BLOCS_COMPETENCES><BLOC_COMPETENCES><CODE>RNCP1BC01</CODE><LIBELLE>Bloc</LIBELLE><LISTE_COMPETENCES><![CDATA[- Faire <vite>
- Refaire]]></LISTE_COMPETENCES></BLOC_COMPETENCES></BLOCS_COMPETENCES>
<ACTIF>Oui</ACTIF>
</FICHE>
</FICHES>
";

#[test]
fn entities_cdata_and_closed_routes_are_read() {
    let fiches = read(ONE).unwrap();
    assert_eq!(fiches.len(), 1);
    let c = &fiches[0].certification;
    assert_eq!(c.code, "RNCP1");
    assert_eq!(c.title, "Titre & test ’é");
    let texts: Vec<&str> = c.blocks[0].competencies.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["Faire <vite>", "Refaire"]);
    assert_eq!(c.access_routes.len(), 2);
    assert_eq!((c.access_routes[0].route, c.access_routes[0].open), (AccessRoute::Student, false));
    assert!(c.access_routes[0].jury.is_empty());
    assert_eq!((c.access_routes[1].route, c.access_routes[1].open), (AccessRoute::Vae, true));
    assert_eq!(c.access_routes[1].jury, ["Trois professionnels"]);
    assert!(fiches[0].active);
    assert_eq!(c.level, None, "missing elements are simply absent");
    assert!(c.certifiers.is_empty() && c.registration_end.is_none() && fiches[0].id_fiche.is_none());
}

#[test]
fn unknown_elements_are_skipped_wherever_they_are() {
    let with_unknown = ONE
        .replace(
            "<NUMERO_FICHE>",
            "<NOUVEAU_CHAMP attribut=\"x\"><SOUS_CHAMP>y</SOUS_CHAMP><INTITULE>pas le titre</INTITULE></NOUVEAU_CHAMP>\n<VIDE/>\n<NUMERO_FICHE>",
        )
        .replace("<CODE>RNCP1BC01</CODE>", "<CODE>RNCP1BC01</CODE><POIDS>3</POIDS>")
        .replace("<VERSION_FLUX>", "<EN_TETE><DATE>2026-09-29</DATE></EN_TETE><VERSION_FLUX>")
        .replace("</FICHES>", "<FIN/></FICHES>");
    assert_eq!(read(&with_unknown).unwrap(), read(ONE).unwrap());
}

#[test]
fn markup_inside_a_text_field_keeps_the_text_around_it() {
    let xml =
        ONE.replace("<INTITULE>Titre &amp; test &#x2019;&#233;</INTITULE>", "<INTITULE>Titre <EM>important</EM>et <BR/>suite</INTITULE>");
    assert_eq!(read(&xml).unwrap()[0].certification.title, "Titre et suite");
}

#[test]
fn empty_elements_read_as_empty_text() {
    let xml = ONE.replace("<ACTIF>Non</ACTIF></SI_JURY_FI>", "</SI_JURY_FI><SI_JURY_CA/><ID_FICHE/>");
    let fiches = read(&xml).unwrap();
    let routes: Vec<(AccessRoute, bool)> = fiches[0].certification.access_routes.iter().map(|r| (r.route, r.open)).collect();
    assert_eq!(routes, [(AccessRoute::Student, false), (AccessRoute::Apprenticeship, false), (AccessRoute::Vae, true)]);
    assert_eq!(fiches[0].id_fiche, None);
}

#[test]
fn windows_line_ends_are_normalised() {
    let fiches = read(&ONE.replace('\n', "\r\n")).unwrap();
    let texts: Vec<&str> = fiches[0].certification.blocks[0].competencies.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["Faire <vite>", "Refaire"]);
}

#[test]
fn a_mismatched_end_tag_names_its_line_and_byte() {
    let broken = ONE.replace("<INTITULE>Titre &amp; test &#x2019;&#233;</INTITULE>", "<INTITULE>Titre</INTITULEX>");
    let (offset, line, message) = malformed(&broken);
    assert_eq!(line, 6);
    assert_eq!(offset, broken.find("</INTITULEX>").unwrap() as u64);
    assert!(message.contains("INTITULE"), "{message}");
}

#[test]
fn an_unknown_entity_names_its_line_and_byte() {
    let broken = ONE.replace("Trois professionnels", "Trois&nbsp;professionnels");
    let (offset, line, message) = malformed(&broken);
    assert_eq!(line, 8);
    assert_eq!(offset, broken.find("&nbsp;").unwrap() as u64);
    assert!(message.contains("&nbsp;"), "{message}");
}

#[test]
fn bytes_that_are_not_utf8_are_refused_with_their_line() {
    let refuse = |at: usize| {
        let mut bytes = ONE.as_bytes().to_vec();
        bytes[at] = 0xff;
        match Fiches::new(bytes.as_slice()).collect::<Result<Vec<_>, _>>() {
            Err(RncpXmlError::Malformed { offset, line, .. }) => (offset, line),
            other => panic!("{other:?}"),
        }
    };
    let in_text = ONE.find("Titre &amp;").unwrap() + 2;
    assert_eq!(refuse(in_text), (in_text as u64, 6));
    let in_cdata = ONE.find("Refaire").unwrap();
    assert_eq!(refuse(in_cdata), (in_cdata as u64, 10));
}

#[test]
fn a_fault_far_into_a_large_file_names_the_right_line() {
    let mut export = Vec::new();
    certif_rncp_xml::testgen::write_export(&mut export, 40).unwrap();
    let mut text = String::from_utf8(export).unwrap();
    let cut = text.rfind("<ETAT_FICHE>").unwrap();
    text.insert_str(cut, "<OUPS></ETAT_FICHE>");
    let fault = cut as u64 + "<OUPS>".len() as u64;
    let expected_line = text[..cut].matches('\n').count() as u64 + 1;
    assert!(text.len() > 1_000_000);
    let mut fiches = Fiches::new(text.as_bytes());
    let read = fiches.by_ref().take_while(Result::is_ok).count();
    assert_eq!(read, 39, "every fiche before the fault is read");
    let Err(RncpXmlError::Malformed { offset, line, .. }) = Fiches::new(text.as_bytes()).nth(39).unwrap() else { panic!() };
    assert_eq!((offset, line), (fault, expected_line));
    assert!(fiches.next().is_none(), "the read stops after an error");
}

#[test]
fn a_truncated_file_is_refused_at_its_end() {
    let truncated = &ONE[..ONE.find("<ACTIF>Oui</ACTIF>\n</FICHE>").unwrap()];
    let (offset, line, message) = malformed(truncated);
    assert_eq!(offset, truncated.len() as u64);
    assert_eq!(line, 11, "the file ends at the start of line 11");
    assert!(message.contains("opened on line 4"), "{message}");
}

#[test]
fn markup_that_never_ends_is_refused_where_it_starts() {
    let (offset, line, _) = malformed("<FICHES>\n<FICHE>\n<!-- commentaire\n</FICHE>\n</FICHES>\n");
    assert_eq!((offset, line), (17, 3));
}

#[test]
fn the_callback_sees_each_fiche_and_can_stop_the_read() {
    let two = ONE.replace("</FICHE>\n</FICHES>", "</FICHE>\n<FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE></FICHE>\n</FICHES>");
    let mut codes = Vec::new();
    let summary = read_export(two.as_bytes(), |fiche| {
        codes.push(fiche.certification.code);
        Ok::<(), RncpXmlError>(())
    })
    .unwrap();
    assert_eq!(codes, ["RNCP1", "RNCP2"]);
    assert_eq!((summary.fiches, summary.blocks, summary.bytes), (2, 1, two.len() as u64));

    #[derive(Debug)]
    enum Stop {
        Enough,
        Xml(RncpXmlError),
    }
    impl From<RncpXmlError> for Stop {
        fn from(error: RncpXmlError) -> Self {
            Stop::Xml(error)
        }
    }
    let mut seen = 0;
    let result = read_export(two.as_bytes(), |_| {
        seen += 1;
        Err(Stop::Enough)
    });
    assert!(matches!(result, Err(Stop::Enough)));
    assert_eq!(seen, 1);
    let broken = read_export(&b"<FICHES><FICHE></FICHES>"[..], |_| Ok::<(), Stop>(()));
    assert!(matches!(broken, Err(Stop::Xml(RncpXmlError::Malformed { .. }))));
}

fn zipped(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut writer = zip::ZipWriter::new(Cursor::new(&mut bytes));
    for (name, content) in entries {
        writer.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(content.as_bytes()).unwrap();
    }
    writer.finish().unwrap();
    bytes
}

#[test]
fn a_zipped_export_is_read_from_its_xml_entry() {
    let bytes = zipped(&[("LISEZMOI.txt", "licence ouverte"), ("export-fiches-rncp-v4-1-2026-09-29.xml", ONE)]);
    let mut codes = Vec::new();
    let summary = read_zip_export(Cursor::new(bytes.clone()), |fiche| {
        codes.push(fiche.certification.code);
        Ok::<(), RncpXmlError>(())
    })
    .unwrap();
    assert_eq!(codes, ["RNCP1"]);
    assert_eq!((summary.fiches, summary.bytes), (1, ONE.len() as u64));

    let mut export = ZipExport::new(Cursor::new(bytes)).unwrap();
    assert_eq!(export.entry_name(), "export-fiches-rncp-v4-1-2026-09-29.xml");
    assert_eq!(export.xml_size(), ONE.len() as u64);
    let once: Vec<ImportedFiche> = export.fiches().unwrap().collect::<Result<_, _>>().unwrap();
    let twice: Vec<ImportedFiche> = export.fiches().unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(once, twice);
}

#[test]
fn a_zip_without_xml_or_not_a_zip_is_refused() {
    let no_xml = zipped(&[("LISEZMOI.txt", "licence ouverte")]);
    assert!(matches!(ZipExport::new(Cursor::new(no_xml)), Err(RncpXmlError::NoXmlInZip)));
    assert!(matches!(ZipExport::new(Cursor::new(b"not a zip".to_vec())), Err(RncpXmlError::Zip(_))));
    let broken = zipped(&[("export.xml", "<FICHES>\n<FICHE>\n</FICHES>")]);
    let result = read_zip_export(Cursor::new(broken), |_| Ok::<(), RncpXmlError>(()));
    assert!(matches!(result, Err(RncpXmlError::Malformed { line: 3, .. })), "{result:?}");
}
