//! The real two-fiche extract of France Compétences' export (RNCP35340 and its successor
//! RNCP40792), read field by field.

use std::path::PathBuf;

use certif_core::{AccessRoute, AwardCondition};
use certif_rncp_xml::{BlockAssessment, CodeLabel, Fiches, ImportedFiche};
use chrono::NaiveDate;

fn extract() -> Option<Vec<ImportedFiche>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/rncp-export-extract.xml");
    let Ok(file) = std::fs::File::open(&path) else {
        // A run that tested nothing must not look like a pass.
        let what = format!("the real export extract {} is absent", path.display());
        assert!(std::env::var_os("CERTIF_TEST_ALLOW_SKIP").is_some(), "{what} (CERTIF_TEST_ALLOW_SKIP=1 skips knowingly)");
        eprintln!("SKIPPED: {what}");
        return None;
    };
    let mut fiches = Fiches::new(std::io::BufReader::new(file));
    let read: Vec<ImportedFiche> = fiches.by_ref().collect::<Result<_, _>>().unwrap();
    assert_eq!(fiches.format_version(), Some("4.1"));
    assert_eq!(fiches.summary().bytes, std::fs::metadata(&path).unwrap().len());
    Some(read)
}

fn date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn labelled(code: &str, label: &str) -> CodeLabel {
    CodeLabel { code: code.into(), label: label.into() }
}

/// Fields both fiches share: the same diploma, renewed.
fn assert_shared_fields(fiche: &ImportedFiche) {
    let c = &fiche.certification;
    assert_eq!(c.level, Some(5));
    assert_eq!(fiche.level_label.as_deref(), Some("Niveau 5"));
    assert_eq!(fiche.abbreviation, Some(labelled("BTS", "Brevet de technicien supérieur")));
    assert_eq!(fiche.state.as_deref(), Some("Publiée"));
    assert_eq!(c.nsf, ["326"]);
    assert_eq!(fiche.nsf_labels, [labelled("326", "Informatique, traitement de l'information, réseaux de transmission")]);
    assert_eq!(c.formacodes, ["24220", "31084"]);
    assert_eq!(fiche.formacode_labels, [labelled("24220", "Gestion réseau informatique"), labelled("31084", "Informatique de gestion")]);
    assert_eq!(c.rome, ["M1810", "M1801", "M1805"]);
    assert_eq!(
        fiche.rome_labels,
        [
            labelled("M1810", "Production et exploitation de systèmes d'information"),
            labelled("M1801", "Administration de systèmes d'information"),
            labelled("M1805", "Études et développement informatique"),
        ]
    );
    assert_eq!(c.certifiers.len(), 1);
    assert_eq!(c.certifiers[0].siret, "11004401300040");
    assert_eq!(c.certifiers[0].name, "MINISTERE DE L'ENSEIGNEMENT SUPERIEUR ET DE LA RECHERCHE");
    assert_eq!(c.certifiers[0].commercial_name, None);
    assert_eq!(c.award_conditions, [AwardCondition::AllBlocks]);
    assert!(c.modalities.is_empty() && c.transversal_competencies.is_empty() && c.jury_rules.is_none());
    assert!(c.blocks.iter().all(|b| b.modalities.is_empty() && b.transversal.is_empty()));
    assert_eq!(c.blocks.len(), 5);
    for (n, block) in c.blocks.iter().enumerate() {
        assert_eq!(block.code, format!("{}BC0{}", c.code, n + 1));
        for (k, competency) in block.competencies.iter().enumerate() {
            assert_eq!(competency.id, format!("{}-C{}", block.code, k + 1));
            assert!(!competency.text.is_empty() && competency.text.trim() == competency.text);
        }
    }
    let assessed: Vec<&str> = fiche.assessments.iter().map(|a| a.block.as_str()).collect();
    let codes: Vec<&str> = c.blocks.iter().map(|b| b.code.as_str()).collect();
    assert_eq!(assessed, codes);
    assert!(fiche.assessments.iter().all(|a| a.text.starts_with("Scolaires (établissements publics ou privés sous contrat), Apprentis")));
    assert_eq!(c.objectives, fiche.objectives);
}

fn assert_routes(fiche: &ImportedFiche, bullet_text: &str) {
    let routes: Vec<AccessRoute> = fiche.certification.access_routes.iter().map(|r| r.route).collect();
    assert_eq!(routes, AccessRoute::ALL);
    for rule in &fiche.certification.access_routes {
        assert!(rule.open, "{}", rule.route);
        assert_eq!(rule.jury.len(), 3, "{}: {:?}", rule.route, rule.jury);
        assert_eq!(
            rule.jury[0],
            "Le jury, nommé pour chaque session par arrêté du recteur d’académie, est présidé par un enseignant-chercheur ou par un inspecteur d’académie-inspecteur pédagogique régionale de la spécialité du diplôme. Il est composé à parts égales :"
        );
        assert!(rule.jury[1].starts_with("De professeurs de l’enseignement public, représentant la majorité des personnels enseignants"));
        assert!(rule.jury[1].ends_with("ou exerçant en centre de formation d’apprentis ou en section d’apprentissage."));
        assert_eq!(rule.jury[2], "De membres de la profession intéressée par le diplôme, employeurs et salariés.");
    }
    let compositions: Vec<AccessRoute> = fiche.jury_compositions.iter().map(|j| j.route).collect();
    assert_eq!(compositions, AccessRoute::ALL);
    assert!(fiche.jury_compositions.iter().all(|j| j.text.contains(bullet_text)));
}

#[test]
fn rncp35340_field_by_field() {
    let Some(fiches) = extract() else { return };
    assert_eq!(fiches.len(), 2);
    let fiche = &fiches[0];
    let c = &fiche.certification;
    assert_eq!(c.code, "RNCP35340");
    assert_eq!(fiche.id_fiche.as_deref(), Some("20892"));
    assert_eq!(
        c.title,
        "Services informatiques aux organisations : Option A « Solutions d’infrastructure, systèmes et réseaux » ; Option B « Solutions logicielles et applications métiers »"
    );
    assert!(!fiche.active);
    assert_eq!(c.predecessors, ["RNCP17108"]);
    assert_eq!(c.successors, ["RNCP40792"]);
    assert_eq!(c.registration_end, date(2025, 8, 31));
    assert_eq!(fiche.effective_on, date(2020, 9, 1));
    assert_eq!(fiche.published_on, date(2021, 3, 9));
    assert_eq!(fiche.delivery_deadline, None);
    assert_shared_fields(fiche);
    assert_routes(fiche, "     - De professeurs");

    let blocks = &c.blocks;
    assert_eq!(blocks[0].title, "Support et mise à disposition de services informatiques");
    assert_eq!(
        blocks[1].title,
        "Option A : « Solutions d’infrastructure, systèmes et réseaux » : Administration des systèmes et des réseaux"
    );
    assert_eq!(blocks[2].title, "Option A « Solutions d’infrastructure, systèmes et réseaux » Cybersécurité des services informatiques");
    assert_eq!(blocks[3].title, "Option B « Solutions logicielles et applications métiers » : Conception et développement d’applications");
    assert_eq!(blocks[4].title, "Option B « Solutions logicielles et applications métiers »: Cybersécurité des services informatiques");
    let counts: Vec<usize> = blocks.iter().map(|b| b.competencies.len()).collect();
    assert_eq!(counts, [6, 3, 5, 3, 5]);
    assert!(blocks.iter().flat_map(|b| &b.competencies).all(|c| c.details.is_empty()), "this fiche's lists are flat");
    let texts: Vec<&str> = blocks[0].competencies.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Gérer le patrimoine informatique",
            "Répondre aux incidents et aux demandes d’assistance et d’évolution",
            "Développer la présence en ligne de l’organisation",
            "Travailler en mode projet",
            "Mettre à disposition des utilisateurs un service informatique",
            "Organiser son développement professionnel",
        ]
    );
    assert_eq!(blocks[1].competencies[0].text, "Concevoir une solution d’infrastructure réseau");
    assert_eq!(blocks[2].competencies[1].text, "Préserver l'identité numérique de l’organisation");
    assert_eq!(blocks[2].competencies[4].text, "Assurer la cybersécurité d’une infrastructure réseau, d’un système, d’un service");
    assert_eq!(blocks[3].competencies[2].text, "Gérer les données");
    assert_eq!(blocks[4].competencies[4].text, "Assurer la cybersécurité d’une solution applicative et de son développement");

    assert_eq!(fiche.assessments[0], BlockAssessment { block: "RNCP35340BC01".into(), text: fiche.assessments[0].text.clone() });
    assert!(fiche.assessments[0].text.ends_with("Forme ponctuelle orale de 40 minutes"));
    assert!(fiche.assessments[4].text.ends_with("Forme ponctuelle écrite de 4 heures"));

    let text = |field: &Option<String>| field.clone().unwrap();
    assert!(text(&fiche.activities).starts_with("La personne titulaire du diplôme participe à la production"));
    assert!(text(&fiche.activities).ends_with("le déploiement et la mise en production d’une solution applicative."));
    assert_eq!(text(&fiche.activities).chars().count(), 2958);
    assert!(text(&fiche.capacities).starts_with("* Support et mise à disposition de services informatiques :    - Gérer"));
    assert!(text(&fiche.capacities).ends_with("Parcours de certification complémentaire"));
    assert!(text(&fiche.sectors).starts_with("La personne titulaire du diplôme peut exercer son activité dans différents cadres"));
    assert!(text(&fiche.sectors).ends_with("- éditeur de logiciels informatiques."));
    assert!(text(&fiche.jobs).starts_with("Option « Solutions d’infrastructure, systèmes et réseaux » :"));
    assert!(text(&fiche.jobs).ends_with("- technicien d'études informatiques."));
    assert!(text(&fiche.objectives).starts_with("Un service informatique rendu à une organisation est défini comme"));
    assert!(text(&fiche.objectives).ends_with("Solutions logicielles et applications métiers."));

    // The targeted activities are paragraphs, each with the dashed list it introduces.
    assert_eq!(c.activities.len(), 5, "{:?}", c.activities);
    assert!(c.activities[0].contains("Elle intervient plus particulièrement dans : l’installation, l’intégration, l’administration"));
    assert!(c.activities[1].starts_with("En fonction de la taille de l’organisation cliente"));
    assert!(c.activities[1].contains("aux missions suivantes : l’étude et la caractérisation de solutions d’évolution ou d’optimisation d’une infrastructure ; la prise en charge"));
    assert_eq!(c.activities[2], "Option « Solutions logicielles et applications métiers »");
}

#[test]
fn rncp40792_field_by_field() {
    let Some(fiches) = extract() else { return };
    let fiche = &fiches[1];
    let c = &fiche.certification;
    assert_eq!(c.code, "RNCP40792");
    assert_eq!(fiche.id_fiche.as_deref(), Some("28178"));
    assert_eq!(
        c.title,
        "Services informatiques aux organisations, Option A : « Solutions d’infrastructure, systèmes et réseaux » ; Option B : « Solutions logicielles et applications métiers »"
    );
    assert!(fiche.active);
    assert_eq!(c.predecessors, ["RNCP35340"]);
    assert!(c.successors.is_empty());
    assert_eq!(c.registration_end, date(2028, 8, 31));
    assert_eq!(fiche.effective_on, date(2025, 9, 1));
    assert_eq!(fiche.published_on, date(2025, 6, 13));
    assert_eq!(fiche.delivery_deadline, date(2031, 8, 31));
    assert_shared_fields(fiche);
    assert_routes(fiche, "         * De professeurs");

    let blocks = &c.blocks;
    let titles: Vec<&str> = blocks.iter().map(|b| b.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Support et mise à disposition de services informatiques",
            "Administration des systèmes et des réseaux (Option A, « Solutions d’infrastructure, systèmes et réseaux »)",
            "Conception et développement d’applications (Option B, « Solutions logicielles et applications métiers »)",
            "Cybersécurité des services informatiques (Option A, « Solutions d’infrastructure, systèmes et réseaux » )",
            "Cybersécurité des services informatiques (Option B, « Solutions logicielles et applications métiers »)",
        ]
    );
    let shape: Vec<Vec<usize>> = blocks.iter().map(|b| b.competencies.iter().map(|c| c.details.len()).collect()).collect();
    assert_eq!(shape, [vec![6, 3, 3, 3, 3, 4], vec![6, 6, 5], vec![11, 5, 4], vec![4, 2, 4, 5, 6], vec![4, 2, 4, 5, 6]]);

    let first = &blocks[0].competencies[0];
    assert_eq!(first.id, "RNCP40792BC01-C1");
    assert_eq!(first.text, "Gérer le patrimoine informatique");
    assert_eq!(first.details[0], "Recenser et identifier les ressources numériques");
    assert_eq!(first.details[5], "Vérifier le respect des règles d’utilisation des ressources numériques");
    assert_eq!(blocks[0].competencies[1].text, "Répondre aux incidents et aux demandes d’assistance et d’évolution");
    assert_eq!(blocks[0].competencies[5].text, "Organiser son développement professionnel");
    assert_eq!(blocks[0].competencies[5].details[3], "Développer son projet professionnel");
    assert_eq!(blocks[1].competencies[0].id, "RNCP40792BC02-C1");
    assert_eq!(blocks[1].competencies[0].text, "Concevoir une solution d’infrastructure réseau");
    assert_eq!(blocks[1].competencies[0].details[0], "Analyser un besoin exprimé et son contexte juridique");
    assert_eq!(blocks[2].competencies[0].text, "Concevoir et développer une solution applicative");
    assert_eq!(
        blocks[2].competencies[0].details[5],
        "Exploiter les technologies Web pour mettre en oeuvre les échanges entre applications, y compris de mobilité"
    );
    assert_eq!(blocks[2].competencies[2].text, "Gérer les données");
    assert_eq!(blocks[3].competencies[0].text, "Protéger les données à caractère personnel");
    assert_eq!(blocks[3].competencies[1].text, "Préserver l'identité numérique de l’organisation");
    assert_eq!(blocks[3].competencies[4].text, "Assurer la cybersécurité d’une infrastructure réseau, d’un système, d’un service");
    assert_eq!(blocks[4].competencies[0].id, "RNCP40792BC05-C1");
    assert_eq!(blocks[4].competencies[0].text, "Protéger les données à caractère personnel");
    assert_eq!(blocks[4].competencies[4].details[4], "Analyser les connexions (logs)");

    assert!(fiche.assessments[0].text.ends_with("Enseignement à distance.    Ponctuelle orale"));
    assert!(fiche.assessments[3].text.ends_with("Ponctuelle écrite"));

    let text = |field: &Option<String>| field.clone().unwrap();
    assert!(
        text(&fiche.activities)
            .starts_with("Activités communes aux deux options :     Support et mise à disposition de services informatiques :")
    );
    assert!(text(&fiche.activities).ends_with("mise en oeuvre de contre-mesures"));
    assert!(text(&fiche.capacities).starts_with("Compétences communes aux deux options :"));
    assert!(text(&fiche.capacities).ends_with("proposer et mettre en oeuvre des contre-mesures"));
    assert!(text(&fiche.sectors).starts_with("Option A, « Solutions d’infrastructure, systèmes et réseaux » :"));
    assert!(text(&fiche.jobs).ends_with("des fonctions de management d’une équipe."));
    assert!(
        text(&fiche.objectives)
            .starts_with("La personne titulaire du brevet de technicien supérieur (BTS) Services informatiques aux organisations")
    );
    assert!(text(&fiche.objectives).ends_with("(décision, contrôle, coordination)."));
}

#[test]
fn predecessors_and_successors_link_both_ways() {
    let Some(fiches) = extract() else { return };
    let (old, new) = (&fiches[0].certification, &fiches[1].certification);
    assert!(old.successors.contains(&new.code));
    assert!(new.predecessors.contains(&old.code));
}

#[test]
fn the_extract_reads_the_same_from_a_zip() {
    let Some(fiches) = extract() else { return };
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/rncp-export-extract.xml");
    let xml = std::fs::read(path).unwrap();
    let mut zipped = std::io::Cursor::new(Vec::new());
    {
        use std::io::Write;
        let mut writer = zip::ZipWriter::new(&mut zipped);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        writer.start_file("export-fiches-rncp-v4-1-2026-09-29.xml", options).unwrap();
        writer.write_all(&xml).unwrap();
        writer.finish().unwrap();
    }
    assert!(zipped.get_ref().len() < xml.len() / 3, "the entry is compressed");
    let mut export = certif_rncp_xml::ZipExport::new(std::io::Cursor::new(zipped.into_inner())).unwrap();
    assert_eq!(export.entry_name(), "export-fiches-rncp-v4-1-2026-09-29.xml");
    assert_eq!(export.xml_size(), xml.len() as u64);
    let from_zip: Vec<ImportedFiche> = export.fiches().unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(from_zip, fiches);
}
