//! Spreadsheets as registrars save them, in every convention spec/records.md lists.

use certif_core::dossier::{AccommodationKind, EnglishScore, Sex};
use certif_core::mark::{Mark, MarkEntry};
use certif_core::messages::Lang;
use certif_core::{AccessRoute, Policy};
use certif_ingest::{Checks, Kind, Parsed, Rows, parse, read_sheet};

fn checks_with<R>(f: impl FnOnce(&Checks<'_>) -> R) -> R {
    let (curriculum, certification) = certif_referential::demo_curriculum();
    let policy = Policy::default();
    let is_module = |code: &str| curriculum.module(code).is_some();
    let is_block = |code: &str| certification.block(code).is_some();
    f(&Checks { policy: &policy, is_module: &is_module, is_block: &is_block, is_learner: &|_: &str| true })
}

fn import(kind: Kind, file: &str, bytes: &[u8]) -> Result<Parsed, certif_ingest::IngestError> {
    let sheet = read_sheet(file, bytes)?;
    checks_with(|checks| parse(kind, &sheet, checks))
}

/// The warnings as the registrar reads them, in French.
fn warnings(parsed: &Parsed) -> Vec<String> {
    parsed.warnings.iter().map(ToString::to_string).collect()
}

fn mark(text: &str) -> MarkEntry {
    MarkEntry::Value(text.parse::<Mark>().unwrap())
}

#[test]
fn a_french_excel_csv_in_windows_1252_with_semicolons_and_decimal_commas() {
    let text = "Learner_ID ; Nom de famille;family_name;given_names;birth_date;sex;access_route;enrolled_on;employer;employer_siret;contract_start;contract_end;master;e-mail\r\n\
                A-0001;x;Lefèvre;Élodie Anaïs;14/05/2002;F;apprenticeship;04/09/2023;Aérostructures du Poitou;412 805 987 00010;04/09/2023;31/08/2026;Jérôme Dupont;e@x.fr\r\n\
                A-0002;x;Nguyên;Loïc;2001-12-01;M;vae;2025-11-03;;;;;;l@x.fr\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let parsed = import(Kind::Learners, "apprenants.csv", &bytes).unwrap();
    assert_eq!(warnings(&parsed), ["apprenants.csv:1:0: colonnes ignorées : Nom de famille, e-mail"]);
    assert_eq!(parsed.warnings[0].in_words(Lang::En), "apprenants.csv:1:0: ignored columns: Nom de famille, e-mail");
    let Rows::Learners(rows) = parsed.rows else { panic!("learners") };
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].family_name.as_deref(), Some("Lefèvre"));
    assert_eq!(rows[0].given_names.as_deref(), Some("Élodie Anaïs"));
    assert_eq!(rows[0].sex, Some(Sex::F));
    assert_eq!(rows[0].enrolled_on.to_string(), "2023-09-04");
    let contract = rows[0].contract.as_ref().unwrap();
    assert_eq!(contract.employer.as_deref(), Some("Aérostructures du Poitou"));
    assert_eq!(contract.employer_siret.as_ref().unwrap().as_str(), "41280598700010");
    assert_eq!(contract.master.as_deref(), Some("Jérôme Dupont"));
    assert_eq!(rows[1].access_route, AccessRoute::Vae);
    assert!(rows[1].contract.is_none(), "no employer, no contract");
    assert_eq!(rows[0].line, 2);
}

#[test]
fn long_marks_with_decimal_commas_absences_and_a_utf8_bom() {
    let text =
        "\u{feff}learner_id;module;session1;session2\nA-0001;M1.1.1;12,5;\nA-0001;M1.1.2;ABJ;14\nA-0002;M1.1.1;abi;\nA-0002;M1.1.2;;\n";
    let Rows::Marks(rows) = import(Kind::Marks, "notes.csv", text.as_bytes()).unwrap().rows else { panic!() };
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].session1, mark("12.5"));
    assert_eq!(rows[0].session2, Some(MarkEntry::Pending));
    assert_eq!(rows[1].session1, MarkEntry::JustifiedAbsence);
    assert_eq!(rows[1].session2, Some(mark("14")));
    assert_eq!(rows[2].session1, MarkEntry::UnjustifiedAbsence);
    assert_eq!(rows[3].session1, MarkEntry::Pending);
}

#[test]
fn wide_marks_have_one_column_per_module_and_ignore_the_rest() {
    let text = "learner_id,nom,M1.1.1,M1.1.2,M1.1.3\nA-0001,Martin,12.5,14,\nA-0002,Petit,ABJ,8.25,11\n";
    let parsed = import(Kind::Marks, "wide.csv", text.as_bytes()).unwrap();
    assert_eq!(warnings(&parsed), ["wide.csv:1:0: colonnes ignorées : nom"]);
    let Rows::Marks(rows) = parsed.rows else { panic!() };
    assert_eq!(rows.len(), 5, "empty cells are skipped");
    assert!(rows.iter().all(|r| r.session2.is_none()), "wide files leave resits alone");
    assert_eq!(rows[4].module, "M1.1.3");
    assert_eq!(rows[4].session1, mark("11"));
}

#[test]
fn every_bad_cell_is_reported_with_file_line_and_column() {
    let text =
        "learner_id;module;session1;session2\nA-0001;M1.1.1;12,5;\nA-0001;M9.9.9;21,5;\nA-0002;M1.1.1;douze;ABX\nA-0001;M1.1.1;10;\n";
    let error = import(Kind::Marks, "notes.csv", text.as_bytes()).unwrap_err();
    let lines: Vec<String> = error.issues.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "notes.csv:3:2: module : \"M9.9.9\" n'est un module d'aucune maquette",
            "notes.csv:3:3: session1 : 21,5 n'est pas entre 0 et 20",
            "notes.csv:4:3: session1 : \"douze\" n'est pas une note (un nombre de 0 à 20, ABJ ou ABI)",
            "notes.csv:4:4: session2 : \"ABX\" n'est pas une note (un nombre de 0 à 20, ABJ ou ABI)",
            "notes.csv:5:1: la note de A-0001 en M1.1.1 figure deux fois dans ce fichier",
        ]
    );
    let lines: Vec<String> = error.issues.iter().map(|issue| issue.in_words(Lang::En)).collect();
    assert_eq!(
        lines,
        [
            "notes.csv:3:2: module: \"M9.9.9\" is not a module of any curriculum",
            "notes.csv:3:3: session1: 21,5 is outside 0..20",
            "notes.csv:4:3: session1: \"douze\" is not a mark (a number in 0..20, ABJ or ABI)",
            "notes.csv:4:4: session2: \"ABX\" is not a mark (a number in 0..20, ABJ or ABI)",
            "notes.csv:5:1: the mark of A-0001 in M1.1.1 appears twice in this file",
        ]
    );
}

#[test]
fn one_bad_row_among_thousands_is_named_and_nothing_is_returned() {
    let mut text = String::from("learner_id;module;session1\n");
    for n in 0..5000 {
        let value = if n == 3210 { "20,01".to_string() } else { format!("{},{}", n % 20, n % 100) };
        text.push_str(&format!("L{n:05};M2.1.1;{value}\n"));
    }
    let error = import(Kind::Marks, "big.csv", text.as_bytes()).unwrap_err();
    assert_eq!(error.total, 1);
    assert_eq!(error.issues[0].to_string(), "big.csv:3212:3: session1 : 20,01 n'est pas entre 0 et 20");
    assert_eq!(error.issues[0].in_words(Lang::En), "big.csv:3212:3: session1: 20,01 is outside 0..20");
}

#[test]
fn more_than_a_hundred_problems_are_counted_but_not_all_listed() {
    let mut text = String::from("learner_id;module;session1\n");
    for n in 0..150 {
        text.push_str(&format!("L{n};M2.1.1;99\n"));
    }
    let error = import(Kind::Marks, "bad.csv", text.as_bytes()).unwrap_err();
    assert_eq!((error.issues.len(), error.total), (100, 150));
    assert!(error.to_string().ends_with("\n… et 50 autres problèmes\n150 problème(s) : rien n'a été importé"), "{error}");
    assert!(error.in_words(Lang::En).ends_with("\n… and 50 more problems\n150 problem(s): nothing was imported"));
}

#[test]
fn a_missing_key_column_is_reported_on_the_header_line() {
    let error = import(Kind::CompanyPeriods, "periods.csv", b"learner_id;start;end\nA;01/01/2024;01/02/2024\n").unwrap_err();
    assert_eq!(error.issues[0].line, 1);
    assert_eq!(
        error.issues[0].message.to_string(),
        "colonne \"period_id\" absente (le fichier des périodes en entreprise a besoin des colonnes learner_id, period_id, start, end)"
    );
    assert_eq!(
        error.issues[0].message.in_words(Lang::En),
        "missing column \"period_id\" (the company periods file needs the columns learner_id, period_id, start, end)"
    );
}

#[test]
fn company_periods_mobility_english_vae_and_accommodations_are_checked_like_a_dossier() {
    let periods = "learner_id;period_id;start;end;evaluation\nA;P1;02/10/2023;26/01/2024;13,5\nA;P2;02/04/2024;30/03/2024;\n";
    let error = import(Kind::CompanyPeriods, "p.csv", periods.as_bytes()).unwrap_err();
    assert_eq!(error.issues[0].to_string(), "p.csv:3:4: end : se termine le 30/03/2024, avant de commencer le 02/04/2024");
    assert_eq!(error.issues[0].in_words(Lang::En), "p.csv:3:4: end: ends on 30 March 2024, before it starts on 2 April 2024");

    let stays = "learner_id;start;country;end\nA;03/03/2025;de;30/05/2025\nB;03/03/2025;ZZ;30/05/2025\n";
    let error = import(Kind::Mobility, "m.csv", stays.as_bytes()).unwrap_err();
    assert_eq!(error.issues.len(), 1);
    assert_eq!(error.issues[0].line, 3);

    let english =
        "learner_id;test;date;score\nA;toeic_lr;12/06/2025;805\nB;CLES;01/02/2025;b2\nC;IELTS;01/02/2025;6,5\nD;TOEIC_LR;01/02/2025;1000\n";
    let error = import(Kind::English, "e.csv", english.as_bytes()).unwrap_err();
    assert_eq!(error.issues.len(), 1);
    assert_eq!(error.issues[0].to_string(), "e.csv:5:4: score : 1000 est hors de l'échelle de TOEIC Listening & Reading (10 à 990)");
    assert_eq!(error.issues[0].in_words(Lang::En), "e.csv:5:4: score: 1000 is outside the range of TOEIC Listening & Reading (10 to 990)");
    let Rows::English(rows) =
        import(Kind::English, "e.csv", english.lines().take(4).collect::<Vec<_>>().join("\n").as_bytes()).unwrap().rows
    else {
        panic!()
    };
    assert_eq!(rows[2].score, EnglishScore::Points("6.5".parse().unwrap()));

    let vae = "learner_id;block;decision;date\nA;RNCP39668BC03;validé;30/06/2026\nA;RNCP39668BC09;refused;\n";
    let error = import(Kind::Vae, "v.csv", vae.as_bytes()).unwrap_err();
    assert_eq!(error.issues[0].line, 3);

    let accommodations =
        "learner_id;kind;target_level;decided_on;definitive\nA;english_adaptation;B1;10/01/2024;oui\nB;english_adaptation;;;non\n";
    let error = import(Kind::Accommodations, "a.csv", accommodations.as_bytes()).unwrap_err();
    assert_eq!(
        error.issues[0].to_string(),
        "a.csv:3:3: target_level : une adaptation de l'anglais (english_adaptation) a besoin de son niveau visé"
    );
    assert_eq!(
        error.issues[0].in_words(Lang::En),
        "a.csv:3:3: target_level: an English adaptation (english_adaptation) needs its target level"
    );
    let Rows::Accommodations(rows) =
        import(Kind::Accommodations, "a.csv", accommodations.lines().take(2).collect::<Vec<_>>().join("\n").as_bytes()).unwrap().rows
    else {
        panic!()
    };
    assert_eq!(rows[0].accommodation.kind, AccommodationKind::EnglishAdaptation);
    assert_eq!(rows[0].accommodation.definitive, Some(true));
}

#[test]
fn an_xlsx_workbook_is_read_from_its_first_sheet() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    for (col, header) in ["learner_id", "Period_ID", "start", "end", "evaluation", "commentaire"].iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    sheet.write_string(1, 0, "A-0001").unwrap();
    sheet.write_string(1, 1, "P1").unwrap();
    sheet.write_datetime_with_format(1, 2, ExcelDateTime::from_ymd(2023, 10, 2).unwrap(), &date_format).unwrap();
    sheet.write_string(1, 3, "26/01/2024").unwrap();
    sheet.write_number(1, 4, 13.75).unwrap();
    sheet.write_string(1, 5, "très bien").unwrap();
    sheet.write_string(2, 0, "A-0001").unwrap();
    sheet.write_string(2, 1, "P2").unwrap();
    sheet.write_string(2, 2, "2024-04-02").unwrap();
    sheet.write_string(2, 3, "2024-08-30").unwrap();
    sheet.write_string(2, 4, "ABJ").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let parsed = import(Kind::CompanyPeriods, "periodes.xlsx", &bytes).unwrap();
    assert_eq!(warnings(&parsed), ["periodes.xlsx:1:0: colonnes ignorées : commentaire"]);
    let Rows::CompanyPeriods(rows) = parsed.rows else { panic!() };
    assert_eq!(rows[0].start.to_string(), "2023-10-02");
    assert_eq!(rows[0].end.to_string(), "2024-01-26");
    assert_eq!(rows[0].evaluation, mark("13.75"));
    assert_eq!(rows[1].evaluation, MarkEntry::JustifiedAbsence);
    assert_eq!(rows[1].line, 3);
}

#[test]
fn a_file_that_is_neither_csv_nor_xlsx_is_refused() {
    assert!(read_sheet("notes.ods", b"").is_err());
    assert!(read_sheet("notes.xlsx", b"not a zip").is_err());
}

#[test]
fn an_unknown_learner_is_reported_in_the_same_pass_as_every_other_problem() {
    let (curriculum, certification) = certif_referential::demo_curriculum();
    let policy = Policy::default();
    let is_module = |code: &str| curriculum.module(code).is_some();
    let is_block = |code: &str| certification.block(code).is_some();
    let is_learner = |id: &str| id == "A-0001";
    let checks = Checks { policy: &policy, is_module: &is_module, is_block: &is_block, is_learner: &is_learner };
    let text = "learner_id;module;session1\nGHOST;M1.1.1;12\nA-0001;M1.1.1;douze\n../../etc;M1.1.1;10\n";
    let sheet = read_sheet("notes.csv", text.as_bytes()).unwrap();
    let error = parse(Kind::Marks, &sheet, &checks).unwrap_err();
    let said = error.to_string();
    assert!(
        said.contains("notes.csv:2:1: learner_id : \"GHOST\" n'est pas un apprenant connu (importez d'abord les apprenants)"),
        "{said}"
    );
    assert!(said.contains("notes.csv:3:3: session1 : \"douze\" n'est pas une note"), "{said}");
    assert!(said.contains("notes.csv:4:1: learner_id : \"../../etc\" n'est pas un identifiant"), "{said}");
    let said = error.in_words(Lang::En);
    assert!(said.contains("notes.csv:2:1: learner_id: \"GHOST\" is not a known learner (import the learners first)"), "{said}");
    assert!(said.contains("notes.csv:3:3: session1: \"douze\" is not a mark"), "{said}");
    assert!(said.contains("notes.csv:4:1: learner_id: \"../../etc\" is not an identifier"), "{said}");
    assert!(said.ends_with("3 problem(s): nothing was imported"), "{said}");
}

#[test]
fn a_learner_may_hold_several_accommodations_of_one_kind_told_apart_by_their_date() {
    let text = "learner_id;kind;target_level;decided_on;definitive\n\
                A;english_adaptation;B1;10/01/2024;non\n\
                A;english_adaptation;A2;20/06/2024;oui\n\
                A;english_adaptation;B1;;non\n\
                A;english_adaptation;A2;20/06/2024;oui\n";
    let error = import(Kind::Accommodations, "a.csv", text.as_bytes()).unwrap_err();
    assert_eq!(error.total, 1, "{error}");
    assert!(
        error.issues[0].to_string()
            == "a.csv:5:1: l'aménagement adaptation de l'anglais de A décidé le 20/06/2024 figure deux fois dans ce fichier",
        "{error}"
    );
    assert_eq!(
        error.issues[0].in_words(Lang::En),
        "a.csv:5:1: the English adaptation accommodation of A decided on 20 June 2024 appears twice in this file"
    );
    let parsed = import(Kind::Accommodations, "a.csv", text.rsplit_once("A;english").unwrap().0.as_bytes()).unwrap();
    let Rows::Accommodations(rows) = parsed.rows else { panic!("accommodations") };
    assert_eq!(rows.len(), 3);
}
