//! Does the curriculum cover the referential? (spec/curriculum.md, "Coverage check")

use certif_core::{AwardCondition, Certification, Curriculum};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub curriculum: String,
    pub certification: String,
    pub errors: Vec<CoverageFinding>,
    pub warnings: Vec<CoverageFinding>,
    pub blocks: Vec<BlockCoverage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageFinding {
    pub code: FindingCode,
    pub block: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FindingCode {
    CompetencyNotCovered,
    ModalityNotUsed,
    BlockWithoutUe,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockCoverage {
    pub code: String,
    pub title: String,
    pub ects: u32,
    pub ues: Vec<UeSummary>,
    pub competencies: Vec<ItemCoverage>,
    pub modalities: Vec<ItemCoverage>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UeSummary {
    pub code: String,
    pub title: String,
    pub ects: u32,
}

/// A competency or modality and the modules that cover or use it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemCoverage {
    pub id: String,
    pub text: String,
    pub modules: Vec<String>,
    /// D and E are assessed once for the whole title when the award conditions include them.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub assessed_for_title: bool,
}

impl Coverage {
    /// Exit status for the check: 1 with any error, else 0.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Which modalities are assessed once for the title rather than module by module.
fn assessed_for_title(certification: &Certification, letter: &str) -> bool {
    match letter {
        "D" => certification.requires(AwardCondition::InternationalMobility),
        "E" => certification.requires(AwardCondition::English),
        _ => false,
    }
}

pub fn check_coverage(certification: &Certification, curriculum: &Curriculum) -> Coverage {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut blocks = Vec::new();
    for block in &certification.blocks {
        let ues: Vec<_> = curriculum.ues_of_block(&block.code).collect();
        if ues.is_empty() {
            errors.push(CoverageFinding {
                code: FindingCode::BlockWithoutUe,
                block: block.code.clone(),
                item: None,
                message: format!("no UE prepares for block {}: nobody could validate it through training", block.code),
            });
        }
        let modules_where = |matches: &dyn Fn(&certif_core::Module) -> bool| -> Vec<String> {
            ues.iter().flat_map(|ue| &ue.modules).filter(|m| matches(m)).map(|m| m.code.to_string()).collect()
        };
        let mut competencies = Vec::new();
        let own = block.competencies.iter().map(|c| (c.id.clone(), c.text.clone()));
        let transversal = block.transversal.iter().map(|id| {
            let text = certification.transversal_competency(id).map(|c| c.text.clone()).unwrap_or_default();
            (id.clone(), text)
        });
        for (id, text) in own.chain(transversal) {
            let modules = modules_where(&|m| m.competencies.contains(&id));
            if modules.is_empty() {
                warnings.push(CoverageFinding {
                    code: FindingCode::CompetencyNotCovered,
                    block: block.code.clone(),
                    item: Some(id.clone()),
                    message: format!("no module of block {} covers competency {id}", block.code),
                });
            }
            competencies.push(ItemCoverage { id, text, modules, assessed_for_title: false });
        }
        let mut modalities = Vec::new();
        for letter in &block.modalities {
            let modules = modules_where(&|m| m.modalities.contains(letter));
            let for_title = assessed_for_title(certification, letter);
            if modules.is_empty() && !for_title {
                warnings.push(CoverageFinding {
                    code: FindingCode::ModalityNotUsed,
                    block: block.code.clone(),
                    item: Some(letter.clone()),
                    message: format!("no module of block {} uses modality {letter}", block.code),
                });
            }
            let text = certification.modality(letter).map(|m| m.text.clone()).unwrap_or_default();
            modalities.push(ItemCoverage { id: letter.clone(), text, modules, assessed_for_title: for_title });
        }
        blocks.push(BlockCoverage {
            code: block.code.clone(),
            title: block.title.clone(),
            ects: ues.iter().map(|ue| ue.ects).sum(),
            ues: ues.iter().map(|ue| UeSummary { code: ue.code.to_string(), title: ue.title.clone(), ects: ue.ects }).collect(),
            competencies,
            modalities,
        });
    }
    Coverage { curriculum: curriculum.id.clone(), certification: certification.code.clone(), errors, warnings, blocks }
}
