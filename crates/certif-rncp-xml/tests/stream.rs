//! Streaming behaviour: unknown elements, malformed XML, closed routes, zip exports.

use std::io::{Cursor, Write};

use certif_rncp_xml::{ImportedFiche, RncpXmlError, read_export, read_zip_export};

fn read(xml: &str) -> Result<Vec<ImportedFiche>, RncpXmlError> {
    let mut fiches = Vec::new();
    read_export(xml.as_bytes(), |fiche| {
        fiches.push(fiche);
        Ok::<(), RncpXmlError>(())
    })?;
    Ok(fiches)
}

const ONE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FICHES>\n<VERSION_FLUX>4.1</VERSION_FLUX>\n<FICHE>\n<NUMERO_FICHE>RNCP1</NUMERO_FICHE>\n<INTITULE>Titre &amp; test</INTITULE>\n<NOUVEAU_CHAMP><SOUS_CHAMP>x</SOUS_CHAMP></NOUVEAU_CHAMP>\n<SI_JURY_FI><ACTIF>Non</ACTIF></SI_JURY_FI>\n<SI_JURY_VAE><ACTIF>Oui</ACTIF><COMPOSITION>Trois professionnels</COMPOSITION></SI_JURY_VAE>\n<BLOCS_COMPETENCES><BLOC_COMPETENCES><CODE>RNCP1BC01</CODE><LIBELLE>Bloc</LIBELLE><LISTE_COMPETENCES><![CDATA[- Faire\n- Refaire]]></LISTE_COMPETENCES></BLOC_COMPETENCES></BLOCS_COMPETENCES>\n<ACTIF>Oui</ACTIF>\n</FICHE>\n</FICHES>\n";

#[test]
fn unknown_elements_are_skipped_and_entities_and_cdata_read() {
    let fiches = read(ONE).unwrap();
    assert_eq!(fiches.len(), 1);
    let c = &fiches[0].certification;
    assert_eq!(c.title, "Titre & test");
    assert_eq!(c.blocks[0].competencies.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), ["Faire", "Refaire"]);
    assert!(!c.access_routes[0].open);
    assert!(c.access_routes[0].jury.is_empty());
    assert_eq!(c.access_routes[1].jury, ["Trois professionnels"]);
    assert!(fiches[0].active);
}

#[test]
fn malformed_xml_names_its_line_and_byte() {
    let broken = ONE.replace("<INTITULE>Titre &amp; test</INTITULE>", "<INTITULE>Titre</INTITULEX>");
    let error = read(&broken).unwrap_err();
    let RncpXmlError::Malformed { line, offset, .. } = error else { panic!("{error}") };
    assert_eq!(line, 6);
    let expected_offset = broken.find("</INTITULEX>").unwrap() as u64;
    assert!(offset >= expected_offset && offset <= expected_offset + 12, "offset {offset}, expected near {expected_offset}");
}

#[test]
fn a_truncated_file_is_refused() {
    let truncated = &ONE[..ONE.find("<ACTIF>Oui</ACTIF>\n</FICHE>").unwrap()];
    assert!(matches!(read(truncated), Err(RncpXmlError::Malformed { .. })));
}

#[test]
fn the_callback_can_stop_the_read() {
    let two = ONE.replace("</FICHE>\n</FICHES>", "</FICHE>\n<FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE></FICHE>\n</FICHES>");
    let mut seen = 0;
    let result = read_export(two.as_bytes(), |_| {
        seen += 1;
        Err(RncpXmlError::Zip("stop".into()))
    });
    assert!(result.is_err());
    assert_eq!(seen, 1);
}

#[test]
fn a_zipped_export_is_read_from_its_xml_entry() {
    let mut bytes = Vec::new();
    {
        let mut writer = zip::ZipWriter::new(Cursor::new(&mut bytes));
        writer.start_file("export-fiches-rncp-v4-1-2026-09-29.xml", zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(ONE.as_bytes()).unwrap();
        writer.finish().unwrap();
    }
    let mut codes = Vec::new();
    let summary = read_zip_export(Cursor::new(bytes), |fiche| {
        codes.push(fiche.certification.code);
        Ok::<(), RncpXmlError>(())
    })
    .unwrap();
    assert_eq!(codes, ["RNCP1"]);
    assert_eq!(summary.fiches, 1);
    assert!(matches!(read_zip_export(Cursor::new(b"not a zip".to_vec()), |_| Ok::<(), RncpXmlError>(())), Err(RncpXmlError::Zip(_))));
}
