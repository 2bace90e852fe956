//! How a fiche's elements map to certif's fields. The reader hands over each element's text
//! when the element closes, with its path below `FICHE`; containers close after their children,
//! so a container's close completes the record its children filled.

use certif_core::certification::{AccessRouteRule, Certifier, Competency};
use certif_core::{AccessRoute, AwardCondition, Block, Certification};
use chrono::NaiveDate;

use crate::list::split_list;
use crate::{BlockAssessment, CodeLabel, ImportedFiche, JuryComposition};

/// The element names the reader acts on; any other name reads as [`OTHER`] and its text is
/// not kept, which is how unknown elements are skipped.
const KNOWN: &[&str] = &[
    "FICHES",
    "VERSION_FLUX",
    "FICHE",
    "ID_FICHE",
    "NUMERO_FICHE",
    "INTITULE",
    "ABREGE",
    "CODE",
    "LIBELLE",
    "ETAT_FICHE",
    "ACTIF",
    "NOUVELLES_CERTIFICATIONS",
    "NOUVELLE_CERTIFICATION",
    "ID_FICHE_NOUVELLE_CERTIFICATION",
    "ANCIENNES_CERTIFICATIONS",
    "ANCIENNE_CERTIFICATION",
    "ID_FICHE_ANCIENNE_CERTIFICATION",
    "NOMENCLATURE_EUROPE",
    "NIVEAU",
    "FORMACODES",
    "FORMACODE",
    "CODES_NSF",
    "NSF",
    "CODES_ROME",
    "ROME",
    "CERTIFICATEURS",
    "CERTIFICATEUR",
    "SIRET_CERTIFICATEUR",
    "NOM_CERTIFICATEUR",
    "SI_JURY_FI",
    "SI_JURY_CA",
    "SI_JURY_FC",
    "SI_JURY_CQ",
    "SI_JURY_CL",
    "SI_JURY_VAE",
    "COMPOSITION",
    "DATE_FIN_ENREGISTREMENT",
    "DATE_EFFET",
    "DATE_DE_PUBLICATION",
    "DATE_LIMITE_DELIVRANCE",
    "BLOCS_COMPETENCES",
    "BLOC_COMPETENCES",
    "LISTE_COMPETENCES",
    "MODALITES_EVALUATION",
    "ACTIVITES_VISEES",
    "CAPACITES_ATTESTEES",
    "SECTEURS_ACTIVITE",
    "TYPE_EMPLOI_ACCESSIBLES",
    "OBJECTIFS_CONTEXTE",
];

pub(crate) const OTHER: &str = "";

/// The static name of a known element, so paths are kept without allocating.
pub(crate) fn intern(name: &str) -> &'static str {
    KNOWN.iter().find(|known| **known == name).copied().unwrap_or(OTHER)
}

fn route_of(element: &str) -> Option<AccessRoute> {
    Some(match element {
        "SI_JURY_FI" => AccessRoute::Student,
        "SI_JURY_CA" => AccessRoute::Apprenticeship,
        "SI_JURY_FC" => AccessRoute::ContinuingEducation,
        "SI_JURY_CQ" => AccessRoute::ProfessionalisationContract,
        "SI_JURY_CL" => AccessRoute::IndividualCandidate,
        "SI_JURY_VAE" => AccessRoute::Vae,
        _ => return None,
    })
}

/// `dd/mm/yyyy` as the export writes dates; anything else reads as absent.
fn export_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%d/%m/%Y").ok()
}

/// `NIV7` to 7; only the eight levels of the European framework are levels.
fn export_level(text: &str) -> Option<u8> {
    text.strip_prefix("NIV").unwrap_or(text).parse().ok().filter(|level| (1..=8).contains(level))
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

fn yes(text: &str) -> bool {
    text.eq_ignore_ascii_case("oui")
}

/// A fiche being read: the records in progress (a coded entry, a certifier, a route, a block)
/// are completed when their container closes.
pub(crate) struct FicheBuilder {
    fiche: ImportedFiche,
    code: String,
    label: String,
    certifier: Certifier,
    route_active: String,
    route_composition: String,
    block: Block,
    block_list: String,
    block_assessment: String,
}

impl FicheBuilder {
    pub(crate) fn new() -> Self {
        let certification = Certification {
            code: String::new(),
            title: String::new(),
            level: None,
            certifiers: Vec::new(),
            registration_end: None,
            predecessors: Vec::new(),
            successors: Vec::new(),
            nsf: Vec::new(),
            formacodes: Vec::new(),
            rome: Vec::new(),
            blocks: Vec::new(),
            transversal_competencies: Vec::new(),
            modalities: Vec::new(),
            access_routes: Vec::new(),
            jury_rules: None,
            award_conditions: vec![AwardCondition::AllBlocks],
            objectives: None,
            activities: Vec::new(),
        };
        FicheBuilder {
            fiche: ImportedFiche {
                certification,
                id_fiche: None,
                abbreviation: None,
                state: None,
                active: false,
                level_label: None,
                nsf_labels: Vec::new(),
                formacode_labels: Vec::new(),
                rome_labels: Vec::new(),
                effective_on: None,
                published_on: None,
                delivery_deadline: None,
                assessments: Vec::new(),
                jury_compositions: Vec::new(),
                activities: None,
                capacities: None,
                sectors: None,
                jobs: None,
                objectives: None,
            },
            code: String::new(),
            label: String::new(),
            certifier: empty_certifier(),
            route_active: String::new(),
            route_composition: String::new(),
            block: empty_block(),
            block_list: String::new(),
            block_assessment: String::new(),
        }
    }

    /// Records an element that just closed, by its path below `FICHE`, with its trimmed text.
    pub(crate) fn close(&mut self, path: &[&'static str], text: &str) {
        let fiche = &mut self.fiche;
        let c = &mut fiche.certification;
        match path {
            ["ID_FICHE"] => fiche.id_fiche = non_empty(text),
            ["NUMERO_FICHE"] => c.code = text.to_string(),
            ["INTITULE"] => c.title = text.to_string(),
            ["ETAT_FICHE"] => fiche.state = non_empty(text),
            ["ACTIF"] => fiche.active = yes(text),
            ["ABREGE", "CODE"] => self.code = text.to_string(),
            ["ABREGE", "LIBELLE"] => self.label = text.to_string(),
            ["ABREGE"] => self.fiche.abbreviation = self.take_code_label(),
            ["NOUVELLES_CERTIFICATIONS", "NOUVELLE_CERTIFICATION", "ID_FICHE_NOUVELLE_CERTIFICATION"] if !text.is_empty() => {
                c.successors.push(text.to_string())
            }
            ["ANCIENNES_CERTIFICATIONS", "ANCIENNE_CERTIFICATION", "ID_FICHE_ANCIENNE_CERTIFICATION"] if !text.is_empty() => {
                c.predecessors.push(text.to_string())
            }
            ["NOMENCLATURE_EUROPE", "NIVEAU"] => c.level = export_level(text),
            ["NOMENCLATURE_EUROPE", "LIBELLE"] => fiche.level_label = non_empty(text),
            ["FORMACODES" | "CODES_NSF" | "CODES_ROME", "FORMACODE" | "NSF" | "ROME", "CODE"] => self.code = text.to_string(),
            ["FORMACODES" | "CODES_NSF" | "CODES_ROME", "FORMACODE" | "NSF" | "ROME", "LIBELLE"] => self.label = text.to_string(),
            [list @ ("FORMACODES" | "CODES_NSF" | "CODES_ROME"), "FORMACODE" | "NSF" | "ROME"] => {
                if let Some(entry) = self.take_code_label() {
                    let fiche = &mut self.fiche;
                    let c = &mut fiche.certification;
                    let (codes, labels) = match *list {
                        "FORMACODES" => (&mut c.formacodes, &mut fiche.formacode_labels),
                        "CODES_NSF" => (&mut c.nsf, &mut fiche.nsf_labels),
                        _ => (&mut c.rome, &mut fiche.rome_labels),
                    };
                    codes.push(entry.code.clone());
                    labels.push(entry);
                }
            }
            ["CERTIFICATEURS", "CERTIFICATEUR", "SIRET_CERTIFICATEUR"] => self.certifier.siret = text.to_string(),
            ["CERTIFICATEURS", "CERTIFICATEUR", "NOM_CERTIFICATEUR"] => self.certifier.name = text.to_string(),
            ["CERTIFICATEURS", "CERTIFICATEUR"] => {
                let certifier = std::mem::replace(&mut self.certifier, empty_certifier());
                if !certifier.siret.is_empty() || !certifier.name.is_empty() {
                    c.certifiers.push(certifier);
                }
            }
            [route, "ACTIF"] if route_of(route).is_some() => self.route_active = text.to_string(),
            [route, "COMPOSITION"] if route_of(route).is_some() => self.route_composition = text.to_string(),
            [element] if route_of(element).is_some() => {
                let route = route_of(element).expect("matched by the guard");
                let open = yes(&std::mem::take(&mut self.route_active));
                let composition = std::mem::take(&mut self.route_composition);
                let jury = if open { split_list(&composition).iter().map(|item| item.joined()).collect() } else { Vec::new() };
                c.access_routes.push(AccessRouteRule { route, open, jury });
                if !composition.is_empty() {
                    fiche.jury_compositions.push(JuryComposition { route, text: composition });
                }
            }
            ["BLOCS_COMPETENCES", "BLOC_COMPETENCES", "CODE"] => self.block.code = text.to_string(),
            ["BLOCS_COMPETENCES", "BLOC_COMPETENCES", "LIBELLE"] => self.block.title = text.to_string(),
            ["BLOCS_COMPETENCES", "BLOC_COMPETENCES", "LISTE_COMPETENCES"] => self.block_list = text.to_string(),
            ["BLOCS_COMPETENCES", "BLOC_COMPETENCES", "MODALITES_EVALUATION"] => self.block_assessment = text.to_string(),
            ["BLOCS_COMPETENCES", "BLOC_COMPETENCES"] => {
                let mut block = std::mem::replace(&mut self.block, empty_block());
                block.competencies = split_list(&std::mem::take(&mut self.block_list))
                    .into_iter()
                    .enumerate()
                    .map(|(n, item)| Competency { id: format!("{}-C{}", block.code, n + 1), text: item.text, details: item.details })
                    .collect();
                let assessment = std::mem::take(&mut self.block_assessment);
                if !assessment.is_empty() {
                    fiche.assessments.push(BlockAssessment { block: block.code.clone(), text: assessment });
                }
                c.blocks.push(block);
            }
            ["DATE_FIN_ENREGISTREMENT"] => c.registration_end = export_date(text),
            ["DATE_EFFET"] => fiche.effective_on = export_date(text),
            ["DATE_DE_PUBLICATION"] => fiche.published_on = export_date(text),
            ["DATE_LIMITE_DELIVRANCE"] => fiche.delivery_deadline = export_date(text),
            ["ACTIVITES_VISEES"] => fiche.activities = non_empty(text),
            ["CAPACITES_ATTESTEES"] => fiche.capacities = non_empty(text),
            ["SECTEURS_ACTIVITE"] => fiche.sectors = non_empty(text),
            ["TYPE_EMPLOI_ACCESSIBLES"] => fiche.jobs = non_empty(text),
            ["OBJECTIFS_CONTEXTE"] => fiche.objectives = non_empty(text),
            _ => {}
        }
    }

    fn take_code_label(&mut self) -> Option<CodeLabel> {
        let code = std::mem::take(&mut self.code);
        let label = std::mem::take(&mut self.label);
        (!code.is_empty()).then_some(CodeLabel { code, label })
    }

    /// The fiche as read. Routes are put in certif's order (the export's own order, too);
    /// the targeted activities and the objectives also fill the certification's fields.
    pub(crate) fn finish(mut self) -> ImportedFiche {
        let fiche = &mut self.fiche;
        let c = &mut fiche.certification;
        c.access_routes.sort_by_key(|rule| rule.route);
        c.objectives = fiche.objectives.clone();
        c.activities =
            fiche.activities.as_deref().map(|text| split_list(text).iter().map(|item| item.joined()).collect()).unwrap_or_default();
        self.fiche
    }
}

fn empty_certifier() -> Certifier {
    Certifier { siret: String::new(), name: String::new(), commercial_name: None }
}

fn empty_block() -> Block {
    Block {
        code: String::new(),
        title: String::new(),
        competencies: Vec::new(),
        transversal: Vec::new(),
        modalities: Vec::new(),
        short_title: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_are_interned_and_others_are_not() {
        assert_eq!(intern("SI_JURY_VAE"), "SI_JURY_VAE");
        assert_eq!(intern("PUBLICATION_JO"), OTHER);
        assert_eq!(intern("CODE_"), OTHER);
        assert!(KNOWN.iter().all(|name| !name.is_empty()));
    }

    #[test]
    fn levels_and_dates_read_the_export_shapes() {
        assert_eq!(export_level("NIV7"), Some(7));
        assert_eq!(export_level("NIV5"), Some(5));
        assert_eq!(export_level("NIV9"), None);
        assert_eq!(export_level(""), None);
        assert_eq!(export_date("31/08/2028"), NaiveDate::from_ymd_opt(2028, 8, 31));
        assert_eq!(export_date("2028-08-31"), None);
        assert_eq!(export_date("31/02/2028"), None);
    }

    #[test]
    fn a_route_without_its_active_flag_is_closed_and_has_no_jury() {
        let mut builder = FicheBuilder::new();
        builder.close(&["SI_JURY_CL", "COMPOSITION"], "Trois professionnels");
        builder.close(&["SI_JURY_CL"], "");
        builder.close(&["SI_JURY_VAE", "ACTIF"], "Oui");
        builder.close(&["SI_JURY_VAE"], "");
        let fiche = builder.finish();
        let routes = &fiche.certification.access_routes;
        assert_eq!((routes[0].route, routes[0].open, routes[0].jury.len()), (AccessRoute::IndividualCandidate, false, 0));
        assert_eq!((routes[1].route, routes[1].open, routes[1].jury.len()), (AccessRoute::Vae, true, 0));
        assert_eq!(
            fiche.jury_compositions,
            [JuryComposition { route: AccessRoute::IndividualCandidate, text: "Trois professionnels".into() }]
        );
    }
}
