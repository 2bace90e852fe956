//! The real two-fiche extract of France Compétences' export (RNCP35340 and its successor RNCP40792).

use std::path::PathBuf;

use certif_core::AccessRoute;
use certif_rncp_xml::{ImportedFiche, RncpXmlError, read_export};

fn extract() -> Option<Vec<ImportedFiche>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/rncp-export-extract.xml");
    let Ok(file) = std::fs::File::open(&path) else {
        eprintln!("SKIPPED: {} is absent", path.display());
        return None;
    };
    let mut fiches = Vec::new();
    read_export(std::io::BufReader::new(file), |fiche| {
        fiches.push(fiche);
        Ok::<(), RncpXmlError>(())
    })
    .unwrap();
    Some(fiches)
}

fn date(text: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[test]
fn both_fiches_are_read_with_their_identity_codes_and_dates() {
    let Some(fiches) = extract() else { return };
    assert_eq!(fiches.len(), 2);
    let (old, new) = (&fiches[0], &fiches[1]);
    assert_eq!(old.certification.code, "RNCP35340");
    assert_eq!(old.id_fiche.as_deref(), Some("20892"));
    assert!(old.certification.title.starts_with("Services informatiques aux organisations : Option A « Solutions d’infrastructure"));
    assert_eq!(old.abbreviation, Some(("BTS".into(), "Brevet de technicien supérieur".into())));
    assert_eq!(old.state.as_deref(), Some("Publiée"));
    assert!(!old.active);
    assert!(new.active);
    assert_eq!(old.certification.level, Some(5));
    assert_eq!(old.level_label.as_deref(), Some("Niveau 5"));
    assert_eq!(old.certification.registration_end, date("2025-08-31"));
    assert_eq!(old.effective_on, date("2020-09-01"));
    assert_eq!(old.published_on, date("2021-03-09"));
    assert_eq!(old.delivery_deadline, None);
    assert!(old.activities.as_deref().unwrap().starts_with("La personne titulaire du diplôme participe"));
    assert!(new.activities.as_deref().unwrap().starts_with("Activités communes aux deux options :"));
    assert_eq!(new.certification.code, "RNCP40792");
    assert_eq!(new.id_fiche.as_deref(), Some("28178"));
    assert_eq!(new.certification.registration_end, date("2028-08-31"));
    assert_eq!(new.effective_on, date("2025-09-01"));
    assert_eq!(new.published_on, date("2025-06-13"));
    assert_eq!(new.delivery_deadline, date("2031-08-31"));
    for fiche in &fiches {
        let c = &fiche.certification;
        assert_eq!(c.nsf, ["326"]);
        assert_eq!(fiche.nsf_labels[0].1, "Informatique, traitement de l'information, réseaux de transmission");
        assert_eq!(c.formacodes, ["24220", "31084"]);
        assert_eq!(fiche.formacode_labels[1], ("31084".into(), "Informatique de gestion".into()));
        assert_eq!(c.rome, ["M1810", "M1801", "M1805"]);
        assert_eq!(fiche.rome_labels[2].1, "Études et développement informatique");
        assert_eq!(c.certifiers.len(), 1);
        assert_eq!(c.certifiers[0].siret, "11004401300040");
        assert_eq!(c.certifiers[0].name, "MINISTERE DE L'ENSEIGNEMENT SUPERIEUR ET DE LA RECHERCHE");
        assert_eq!(c.award_conditions, [certif_core::AwardCondition::AllBlocks]);
        assert!(fiche.capacities.is_some() && fiche.sectors.is_some() && fiche.jobs.is_some() && fiche.objectives.is_some());
    }
}

#[test]
fn predecessors_and_successors_link_both_ways() {
    let Some(fiches) = extract() else { return };
    assert_eq!(fiches[0].certification.predecessors, ["RNCP17108"]);
    assert_eq!(fiches[0].certification.successors, ["RNCP40792"]);
    assert_eq!(fiches[1].certification.predecessors, ["RNCP35340"]);
    assert!(fiches[1].certification.successors.is_empty());
}

#[test]
fn the_five_blocks_of_rncp40792_with_their_competencies_and_sub_items() {
    let Some(fiches) = extract() else { return };
    let blocks = &fiches[1].certification.blocks;
    let codes: Vec<&str> = blocks.iter().map(|b| b.code.as_str()).collect();
    assert_eq!(codes, ["RNCP40792BC01", "RNCP40792BC02", "RNCP40792BC03", "RNCP40792BC04", "RNCP40792BC05"]);
    assert_eq!(blocks[0].title, "Support et mise à disposition de services informatiques");
    assert_eq!(
        blocks[1].title,
        "Administration des systèmes et des réseaux (Option A, « Solutions d’infrastructure, systèmes et réseaux »)"
    );
    let first = &blocks[0].competencies[0];
    assert_eq!(first.id, "RNCP40792BC01-C1");
    assert_eq!(first.text, "Gérer le patrimoine informatique");
    assert_eq!(first.details[0], "Recenser et identifier les ressources numériques");
    assert_eq!(first.details.len(), 6);
    assert_eq!(blocks[0].competencies[1].text, "Répondre aux incidents et aux demandes d’assistance et d’évolution");
    assert_eq!(blocks[1].competencies[0].text, "Concevoir une solution d’infrastructure réseau");
    assert_eq!(blocks[1].competencies[0].details[0], "Analyser un besoin exprimé et son contexte juridique");
    assert_eq!(blocks[2].competencies[0].text, "Concevoir et développer une solution applicative");
    assert_eq!(blocks[3].competencies[0].text, "Protéger les données à caractère personnel");
    assert_eq!(blocks[3].competencies[1].text, "Préserver l'identité numérique de l’organisation");
    assert_eq!(blocks[4].competencies[0].text, "Protéger les données à caractère personnel");
    assert!(blocks.iter().all(|b| b.modalities.is_empty() && b.transversal.is_empty()));
    assert_eq!(fiches[1].block_modalities.len(), 5);
    assert!(fiches[1].block_modalities[0].1.starts_with("Scolaires (établissements publics ou privés sous contrat)"));
}

#[test]
fn the_blocks_of_rncp35340_are_split_on_runs_of_spaces() {
    let Some(fiches) = extract() else { return };
    let bc01 = &fiches[0].certification.blocks[0];
    let texts: Vec<&str> = bc01.competencies.iter().map(|c| c.text.as_str()).collect();
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
    assert_eq!(fiches[0].certification.blocks.len(), 5);
    assert_eq!(fiches[0].certification.blocks[3].competencies.len(), 3);
}

#[test]
fn every_route_is_open_with_its_jury() {
    let Some(fiches) = extract() else { return };
    for fiche in &fiches {
        let routes: Vec<AccessRoute> = fiche.certification.access_routes.iter().map(|r| r.route).collect();
        assert_eq!(routes, AccessRoute::ALL);
        for rule in &fiche.certification.access_routes {
            assert!(rule.open, "{:?}", rule.route);
            assert_eq!(rule.jury.len(), 3, "{:?}: {:?}", rule.route, rule.jury);
            assert!(rule.jury[0].starts_with("Le jury, nommé pour chaque session par arrêté du recteur d’académie"));
            assert!(rule.jury[1].starts_with("De professeurs de l’enseignement public"));
            assert_eq!(rule.jury[2], "De membres de la profession intéressée par le diplôme, employeurs et salariés.");
        }
        assert_eq!(fiche.jury_texts.len(), 6);
    }
}
