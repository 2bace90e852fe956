//! RNCP export import and the referential commands end to end, on SQLite and on PostgreSQL
//! (when `CERTIF_TEST_POSTGRES_URL` names a server): import, re-import, refusal of malformed
//! XML, search and filters, links both ways, overlays, and a decision for an imported
//! certification.

mod common;

use common::workspace::Workspace;
use serde_json::Value;

/// One test per backend for each scenario.
macro_rules! on_both_backends {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $scenario() { super::$scenario(&super::Workspace::new()); })*
        }
        mod postgres {
            $(#[test] fn $scenario() {
                if let Some(w) = super::Workspace::on_postgres(&format!("ref_{}", &stringify!($scenario)[..20])) { super::$scenario(&w); }
            })*
        }
    };
}

on_both_backends!(
    the_real_extract_imports_with_every_field,
    malformed_xml_is_refused_with_its_line_and_nothing_is_written,
    search_finds_words_and_filters_by_code_level_and_state,
    an_overlay_survives_a_newer_fiche_and_links_show_both_ways,
    a_dossier_for_an_imported_certification_is_decided,
);

fn extract() -> Option<String> {
    common::shared().map(|s| s.join("reference/rncp-export-extract.xml").to_string_lossy().into_owned())
}

fn json(w: &Workspace, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&w.ok(&all)).unwrap()
}

fn codes(found: &Value) -> Vec<&str> {
    found.as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect()
}

fn the_real_extract_imports_with_every_field(w: &Workspace) {
    let Some(extract) = extract() else { return };
    let output = w.certif(&["referential", "import", &extract]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("2 fiches (2 nouvelles, 0 mises à jour, 0 inchangées), 10 blocs"));

    // Through the store, each fiche reads back exactly as the parser read it (every field), plus
    // the links other fiches declare.
    let parsed: Vec<certif_rncp_xml::ImportedFiche> =
        certif_rncp_xml::Fiches::new(std::io::BufReader::new(std::fs::File::open(&extract).unwrap())).map(Result::unwrap).collect();
    for fiche in &parsed {
        let shown = json(w, &["referential", "show", &fiche.certification.code]);
        assert_eq!(shown, serde_json::to_value(&fiche.certification).unwrap(), "{}", fiche.certification.code);
    }
    let c = json(w, &["referential", "show", "RNCP40792"]);
    assert_eq!(c["level"], 7 - 2);
    assert_eq!(c["predecessors"], serde_json::json!(["RNCP35340"]));
    let blocks = c["blocks"].as_array().unwrap();
    let firsts: Vec<(&str, &str)> =
        blocks.iter().map(|b| (b["code"].as_str().unwrap(), b["competencies"][0]["text"].as_str().unwrap())).collect();
    assert_eq!(
        firsts,
        [
            ("RNCP40792BC01", "Gérer le patrimoine informatique"),
            ("RNCP40792BC02", "Concevoir une solution d’infrastructure réseau"),
            ("RNCP40792BC03", "Concevoir et développer une solution applicative"),
            ("RNCP40792BC04", "Protéger les données à caractère personnel"),
            ("RNCP40792BC05", "Protéger les données à caractère personnel"),
        ]
    );
    assert_eq!(blocks[0]["title"], "Support et mise à disposition de services informatiques");
    let routes = c["access_routes"].as_array().unwrap();
    assert_eq!(routes.len(), 6);
    assert!(routes.iter().all(|r| r["open"] == true && r["jury"].as_array().unwrap().len() == 3));
    assert_eq!(routes[1]["route"], "apprenticeship");
    assert_eq!(routes[1]["jury"][2], "De membres de la profession intéressée par le diplôme, employeurs et salariés.");
    let old = json(w, &["referential", "show", "RNCP35340"]);
    assert_eq!(
        (old["predecessors"].clone(), old["successors"].clone()),
        (serde_json::json!(["RNCP17108"]), serde_json::json!(["RNCP40792"]))
    );

    // Re-importing changes nothing; a changed fiche is updated in place.
    let audit = w.audit_rows();
    let again = w.certif(&["referential", "import", &extract]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("(0 nouvelles, 0 mises à jour, 2 inchangées)"));
    assert_eq!(w.audit_rows(), audit, "an unchanged import is not audited");
    // The last mention is RNCP40792's first competency.
    let mut text = std::fs::read_to_string(&extract).unwrap();
    let at = text.rfind("Gérer le patrimoine informatique").unwrap();
    text.replace_range(at..at + "Gérer le patrimoine".len(), "Gérer le parc");
    let changed = w.write("export.xml", text.as_bytes());
    let output = w.certif(&["referential", "import", &changed]);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("(0 nouvelles, 1 mises à jour, 1 inchangées)"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(w.audit_rows(), audit + 1);
    assert_eq!(codes(&json(w, &["referential", "search", "parc informatique"])), ["RNCP40792"]);

    // A zipped export imports the same way.
    let zip_path = w.path("export-fiches-rncp-v4-1-2026-09-29.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    zip.start_file(
        "export-fiches-rncp-v4-1-2026-09-29.xml",
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    std::io::Write::write_all(&mut zip, std::fs::read(&extract).unwrap().as_slice()).unwrap();
    zip.finish().unwrap();
    let output = w.certif(&["referential", "import", &zip_path]);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("(0 nouvelles, 1 mises à jour, 1 inchangées)"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn malformed_xml_is_refused_with_its_line_and_nothing_is_written(w: &Workspace) {
    let Some(extract) = extract() else { return };
    let text = std::fs::read_to_string(&extract).unwrap();
    // The second fiche's closing tag is misspelt: the first fiche was read (and would have been
    // written) before the fault is met.
    let at = text.rfind("</FICHE>").unwrap();
    let broken = format!("{}</FICHES_>{}", &text[..at], &text[at + "</FICHE>".len()..]);
    let line = broken[..at].matches('\n').count() + 1;
    let file = w.write("broken.xml", broken.as_bytes());
    let output = w.certif(&["referential", "import", &file]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&file) && stderr.contains(&format!("malformed XML at line {line}")), "{stderr}");
    assert_eq!(codes(&json(w, &["referential", "list"])), ["RNCP39668"], "nothing was written");
    assert_eq!(w.audit_rows(), 0);
}

fn search_finds_words_and_filters_by_code_level_and_state(w: &Workspace) {
    let Some(extract) = extract() else { return };
    w.ok(&["referential", "import", &extract]);
    assert_eq!(codes(&json(w, &["referential", "list"])), ["RNCP35340", "RNCP39668", "RNCP40792"]);
    assert_eq!(codes(&json(w, &["referential", "list", "--active"])), ["RNCP40792"]);
    // Words from a competency, a block title, a title; all words must match.
    assert_eq!(codes(&json(w, &["referential", "search", "cybersécurité", "--active"])), ["RNCP40792"]);
    let mut found =
        codes(&json(w, &["referential", "search", "patrimoine informatique"])).into_iter().map(String::from).collect::<Vec<_>>();
    found.sort();
    assert_eq!(found, ["RNCP35340", "RNCP40792"]);
    assert!(codes(&json(w, &["referential", "search", "patrimoine aéronautique"])).is_empty());
    assert_eq!(codes(&json(w, &["referential", "search", "--rome", "M1810", "--level", "5", "--active"])), ["RNCP40792"]);
    assert_eq!(codes(&json(w, &["referential", "search", "--nsf", "326"])), ["RNCP35340", "RNCP40792"]);
    assert_eq!(codes(&json(w, &["referential", "search", "--rome", "H1402"])), ["RNCP39668"], "the embedded certification is found too");
    assert!(codes(&json(w, &["referential", "search", "--level", "7", "--nsf", "326"])).is_empty());
    // What a user types is never query syntax.
    assert!(codes(&json(w, &["referential", "search", "\"NEAR( OR -*"])).is_empty());
}

/// A renewed RNCP39668 fiche, and a certification that declares it replaces RNCP39668.
fn renewed_fiches() -> String {
    let blocks: String = (1..=7)
        .map(|n| {
            format!(
                "<BLOC_COMPETENCES><CODE>RNCP39668BC0{n}</CODE><LIBELLE>Bloc {n} renouvelé</LIBELLE>\
                 <LISTE_COMPETENCES>Première compétence du bloc {n}\nSeconde compétence</LISTE_COMPETENCES></BLOC_COMPETENCES>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>\n\
         <FICHE><ID_FICHE>1</ID_FICHE><NUMERO_FICHE>RNCP39668</NUMERO_FICHE><INTITULE>Ingénieur diplômé de l'ENSMA (fiche renouvelée)</INTITULE>\
         <ACTIF>Oui</ACTIF><NOMENCLATURE_EUROPE><NIVEAU>NIV7</NIVEAU></NOMENCLATURE_EUROPE>\
         <ANCIENNES_CERTIFICATIONS><ANCIENNE_CERTIFICATION><ID_FICHE_ANCIENNE_CERTIFICATION>RNCP35642</ID_FICHE_ANCIENNE_CERTIFICATION></ANCIENNE_CERTIFICATION></ANCIENNES_CERTIFICATIONS>\
         <DATE_FIN_ENREGISTREMENT>31/08/2031</DATE_FIN_ENREGISTREMENT><BLOCS_COMPETENCES>{blocks}</BLOCS_COMPETENCES><UN_ELEMENT_NOUVEAU>ignoré</UN_ELEMENT_NOUVEAU></FICHE>\n\
         <FICHE><NUMERO_FICHE>RNCP99999</NUMERO_FICHE><INTITULE>Successeur</INTITULE><ACTIF>Oui</ACTIF>\
         <ANCIENNES_CERTIFICATIONS><ANCIENNE_CERTIFICATION><ID_FICHE_ANCIENNE_CERTIFICATION>RNCP39668</ID_FICHE_ANCIENNE_CERTIFICATION></ANCIENNE_CERTIFICATION></ANCIENNES_CERTIFICATIONS></FICHE>\n\
         </FICHES>\n"
    )
}

fn an_overlay_survives_a_newer_fiche_and_links_show_both_ways(w: &Workspace) {
    let embedded = json(w, &["referential", "show", "RNCP39668"]);
    w.ok(&["referential", "import", &w.write("renewed.xml", renewed_fiches().as_bytes())]);
    let renewed = json(w, &["referential", "show", "RNCP39668"]);
    assert_eq!(renewed["title"], "Ingénieur diplômé de l'ENSMA (fiche renouvelée)");
    assert_eq!(renewed["registration_end"], "2031-08-31");
    assert_eq!(renewed["blocks"][0]["competencies"][0]["text"], "Première compétence du bloc 1");
    // The overlay's data is kept over the new fiche.
    for field in ["award_conditions", "modalities", "transversal_competencies"] {
        assert_eq!(renewed[field], embedded[field], "{field}");
    }
    assert_eq!(renewed["blocks"][1]["modalities"], serde_json::json!(["A", "B", "C", "D", "E"]));
    assert_eq!(renewed["blocks"][1]["transversal"], embedded["blocks"][1]["transversal"]);
    // RNCP99999 declares it replaces RNCP39668: both fiches show the link.
    assert_eq!(renewed["successors"], serde_json::json!(["RNCP99999"]));
    assert_eq!(json(w, &["referential", "show", "RNCP99999"])["predecessors"], serde_json::json!(["RNCP39668"]));
    // A generic certification decides on all blocks; an overlay of one's own changes that.
    assert_eq!(json(w, &["referential", "show", "RNCP99999"])["award_conditions"], serde_json::json!(["all_blocks"]));
    let overlay = w.write("overlay.toml", b"certification = \"RNCP99999\"\naward_conditions = [\"all_blocks\", \"english_b2\"]\n");
    w.ok(&["referential", "overlay", &overlay]);
    assert_eq!(json(w, &["referential", "show", "RNCP99999"])["award_conditions"], serde_json::json!(["all_blocks", "english_b2"]));
    let misfit = w.write("misfit.toml", b"certification = \"RNCP99999\"\n[blocks.RNCP99999BC01]\n");
    let output = w.certif(&["referential", "overlay", &misfit]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("RNCP99999 has no block RNCP99999BC01"));
}

/// A curriculum of our own for RNCP40792 (BTS SIO): one UE per block, every competency covered.
fn bts_sio_curriculum(certification: &Value) -> String {
    let mut toml =
        String::from("id = \"BTS-SIO-TEST\"\ncertification = \"RNCP40792\"\ntitle = \"BTS SIO (test)\"\nvalid_from = \"2025-09-01\"\n");
    for (n, block) in certification["blocks"].as_array().unwrap().iter().enumerate() {
        let ids: Vec<String> =
            block["competencies"].as_array().unwrap().iter().map(|c| format!("\"{}\"", c["id"].as_str().unwrap())).collect();
        let (first, second) = ids.split_at(ids.len() / 2);
        toml.push_str(&format!(
            "\n[[ue]]\ncode = \"UE{n}\"\ntitle = \"Unité {n}\"\nblock = \"{}\"\nects = 12\n",
            block["code"].as_str().unwrap()
        ));
        for (m, covered) in [first, second].iter().enumerate() {
            toml.push_str(&format!(
                "\n  [[ue.module]]\n  code = \"M{n}.{m}\"\n  title = \"Module {n}.{m}\"\n  coefficient = 1\n  modalities = []\n  competencies = [{}]\n",
                covered.join(", ")
            ));
        }
    }
    toml
}

fn a_dossier_for_an_imported_certification_is_decided(w: &Workspace) {
    let Some(extract) = extract() else { return };
    w.ok(&["referential", "import", &extract]);
    let certification = json(w, &["referential", "show", "RNCP40792"]);
    let curriculum = w.write("bts-sio.toml", bts_sio_curriculum(&certification).as_bytes());
    let coverage = json(w, &["curriculum", "check", &curriculum]);
    assert!(coverage["errors"].as_array().is_some_and(Vec::is_empty), "{coverage}");
    w.ok(&["curriculum", "load", &curriculum]);
    w.ok(&[
        "import",
        "learners",
        &w.write(
            "learners.csv",
            "learner_id;family_name;given_names;access_route;enrolled_on;employer;contract_start;contract_end;curriculum\n\
        S-1;Martin;Léa;apprenticeship;01/09/2025;Infogérance Poitou;01/09/2025;31/08/2027;BTS-SIO-TEST\n\
        S-2;Bernard;Hugo;apprenticeship;01/09/2025;Infogérance Poitou;01/09/2025;31/08/2027;BTS-SIO-TEST\n"
                .as_bytes(),
        ),
    ]);
    let mut marks = String::from("learner_id;module;session1\n");
    for n in 0..5 {
        for m in 0..2 {
            marks.push_str(&format!("S-1;M{n}.{m};12,5\nS-2;M{n}.{m};{}\n", if n == 3 { "4" } else { "14" }));
        }
    }
    w.ok(&["import", "marks", &w.write("marks.csv", marks.as_bytes())]);
    let status: Value = serde_json::from_str(&w.ok(&["status", "--on", "2027-07-01", "--format", "json"])).unwrap();
    assert_eq!(status[0]["learner"], "S-1");
    assert_eq!(status[0]["certification"], "RNCP40792");
    assert_eq!(status[0]["title"]["status"], "awarded", "{}", status[0]);
    assert_eq!(status[0]["blocks"].as_array().unwrap().len(), 5);
    assert_eq!(status[1]["title"]["status"], "not_awarded");
    assert_eq!(status[1]["blocks"][3]["status"], "not_validated");
    assert_eq!(status[1]["blocks"][2]["status"], "validated");
}
