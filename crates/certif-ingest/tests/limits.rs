//! Spreadsheets that declare or hold more than an import can take are refused before memory
//! grows with them; sparse and short ones cost what they hold.

use std::io::{Cursor, Write};

use certif_ingest::{IngestError, Limits, MAX_COLUMNS, MAX_ROWS, read_sheet, read_sheet_within};

fn refusal(result: Result<certif_ingest::Sheet, IngestError>) -> String {
    match result {
        Err(error) => {
            assert_eq!(error.total, 1, "{error}");
            error.issues[0].to_string()
        }
        Ok(sheet) => panic!("expected a refusal, read {} rows", sheet.rows.len()),
    }
}

/// A workbook of one sheet, zipped by hand so its XML says exactly what the test needs.
fn workbook(sheet_xml: &str) -> Vec<u8> {
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet_xml),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn sheet_xml(dimension: &str, cells: &[(&str, &str)]) -> String {
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>"#
    );
    for (reference, text) in cells {
        let row: String = reference.chars().filter(char::is_ascii_digit).collect();
        xml.push_str(&format!(r#"<row r="{row}"><c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c></row>"#));
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

#[test]
fn a_workbook_declaring_the_whole_grid_is_refused_before_anything_is_allocated() {
    // The 1.6 KB bomb of issue 9: cells A1 and XFD1048576 only.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "learner_id").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    assert!(bytes.len() < 8 * 1024, "{} bytes", bytes.len());
    let message = refusal(read_sheet("bombe.xlsx", &bytes));
    assert_eq!(
        message,
        format!(
            "bombe.xlsx:0:0: la première feuille déclare la plage A1:XFD1048576, au-delà des limites de {MAX_ROWS} lignes et {MAX_COLUMNS} colonnes"
        )
    );
}

#[test]
fn a_cell_beyond_the_limits_is_refused_whatever_dimension_the_sheet_declares() {
    let bytes = workbook(&sheet_xml("A1:B2", &[("A1", "learner_id"), ("XFD1048576", "x")]));
    let message = refusal(read_sheet("menteur.xlsx", &bytes));
    assert!(message.starts_with("menteur.xlsx:1048576:16384: la cellule XFD1048576 est au-delà des limites"), "{message}");
}

#[test]
fn a_sparse_sheet_is_read_sparse() {
    let bytes = workbook(&sheet_xml("A1:C900000", &[("A1", "learner_id"), ("C1", "module"), ("A900000", "A-0001")]));
    let sheet = read_sheet("creux.xlsx", &bytes).unwrap();
    assert_eq!(sheet.headers, ["learner_id", "", "module"]);
    assert_eq!(sheet.rows.len(), 1);
    assert_eq!((sheet.rows[0].line, sheet.rows[0].cell(0), sheet.rows[0].cell(2)), (900_000, "A-0001", ""));
}

#[test]
fn a_workbook_part_that_unpacks_past_the_limit_is_refused_before_it_is_unpacked() {
    let big = sheet_xml("A1:A2", &[("A1", "learner_id"), ("A2", &"x".repeat(200_000))]);
    let limits = Limits { xlsx_part_bytes: 100_000, ..Limits::default() };
    let message = refusal(read_sheet_within("gros.xlsx", &workbook(&big), &limits));
    assert!(message.contains("sa partie xl/worksheets/sheet1.xml fait"), "{message}");
}

/// The declared size of every entry named `name`, in its local header and the central
/// directory, set to `size`.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    for at in 0..zip.len().saturating_sub(46) {
        let (size_at, name_at) = match &zip[at..at + 4] {
            b"PK\x03\x04" => (at + 22, at + 30),
            b"PK\x01\x02" => (at + 24, at + 46),
            _ => continue,
        };
        if zip.get(name_at..name_at + name.len()) == Some(name) {
            zip[size_at..size_at + 4].copy_from_slice(&size.to_le_bytes());
        }
    }
}

#[test]
fn a_workbook_part_unpacking_past_its_declared_size_is_refused() {
    let big = sheet_xml("A1:A2", &[("A1", "learner_id"), ("A2", &"x".repeat(200_000))]);
    let mut bytes = workbook(&big);
    declare_size(&mut bytes, "xl/worksheets/sheet1.xml", 1_000);
    let message = refusal(read_sheet("menteur.xlsx", &bytes));
    assert!(
        message.starts_with("menteur.xlsx:0:0: première feuille illisible") && message.contains("larger than its declared"),
        "{message}"
    );
}

#[test]
fn a_csv_header_of_a_million_columns_is_refused_at_the_header() {
    // The 1 MB CSV of issue 9: a 1,000,000-column header, then 2,000 short rows.
    let mut text = (0..1_000_000).map(|n| format!("c{n}")).collect::<Vec<_>>().join(";");
    text.push('\n');
    for n in 0..2_000 {
        text.push_str(&format!("A-{n};1\n"));
    }
    let message = refusal(read_sheet("large.csv", text.as_bytes()));
    assert_eq!(message, format!("large.csv:1:{}: l'en-tête a plus de {MAX_COLUMNS} colonnes, la limite", MAX_COLUMNS + 1));
}

#[test]
fn an_empty_header_of_a_million_columns_costs_nothing_and_rows_are_not_padded() {
    let mut text = String::from("learner_id;module");
    text.push_str(&";".repeat(1_000_000));
    text.push('\n');
    for n in 0..2_000 {
        text.push_str(&format!("A-{n};M1.1.1\n"));
    }
    let sheet = read_sheet("large.csv", text.as_bytes()).unwrap();
    assert_eq!(sheet.headers, ["learner_id", "module"]);
    assert_eq!(sheet.rows.len(), 2_000);
    assert_eq!(sheet.rows[1999].cells().count(), 2);
}

#[test]
fn a_cell_longer_than_the_limit_is_refused_with_its_line_and_column() {
    let text = format!("learner_id;note\nA-0001;ok\nA-0002;{}\n", "x".repeat(200_000));
    let message = refusal(read_sheet("notes.csv", text.as_bytes()));
    assert_eq!(message, "notes.csv:3:2: une cellule de plus de 131072 octets, la limite");
}

#[test]
fn rows_cells_and_file_size_each_have_a_limit() {
    let text = "learner_id;module\nA;1\nB;2\nC;3\n";
    let rows = Limits { rows: 3, ..Limits::default() };
    assert_eq!(refusal(read_sheet_within("m.csv", text.as_bytes(), &rows)), "m.csv:4:0: plus de 3 lignes, la limite (découpez le fichier)");
    let cells = Limits { cells: 5, ..Limits::default() };
    assert_eq!(
        refusal(read_sheet_within("m.csv", text.as_bytes(), &cells)),
        "m.csv:3:2: plus de 5 cellules remplies, la limite (découpez le fichier)"
    );
    let size = Limits { file_bytes: 10, ..Limits::default() };
    assert_eq!(
        refusal(read_sheet_within("m.csv", text.as_bytes(), &size)),
        format!("m.csv:0:0: le fichier fait {} octets, plus que la limite de 10 (découpez-le)", text.len())
    );
    let exact = Limits { rows: 4, cells: 8, file_bytes: text.len(), ..Limits::default() };
    assert_eq!(read_sheet_within("m.csv", text.as_bytes(), &exact).unwrap().rows.len(), 3, "limits are inclusive");
}

#[test]
fn excel_unicode_text_is_utf16_with_tabs() {
    let text = "learner_id\tmodule\tsession1\r\nA-0001\tM1.1.1\t12,5\r\nA-0002\tM1.1.2\tABJ\r\n";
    let bytes: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let sheet = read_sheet("notes.txt", &bytes).unwrap();
    assert_eq!(sheet.headers, ["learner_id", "module", "session1"]);
    let rows: Vec<Vec<&str>> = sheet.rows.iter().map(|r| r.cells().collect()).collect();
    assert_eq!(rows, [["A-0001", "M1.1.1", "12,5"], ["A-0002", "M1.1.2", "ABJ"]]);
    assert_eq!(sheet.rows[1].line, 3);
}
