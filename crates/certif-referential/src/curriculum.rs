//! Loading a curriculum (spec/curriculum.md) and checking it against its certification.

use std::collections::HashSet;

use certif_core::curriculum::{MAX_COEFFICIENT, MAX_COEFFICIENT_DECIMALS, MAX_ECTS};
use certif_core::{Certification, Curriculum, Module, TeachingUnit};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use crate::toml_error::{self, line_of};

/// A curriculum that cannot be used: the TOML path of the offending value (0-based
/// indices), its line, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {path}: {message}")]
pub struct CurriculumError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCurriculum {
    id: Spanned<String>,
    certification: Spanned<String>,
    title: String,
    #[serde(default)]
    valid_from: Option<Spanned<toml::Value>>,
    #[serde(default)]
    ue: Vec<RawUe>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUe {
    code: Spanned<String>,
    title: String,
    block: Spanned<String>,
    ects: Spanned<i64>,
    #[serde(default)]
    module: Option<Spanned<Vec<RawModule>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModule {
    code: Spanned<String>,
    title: String,
    coefficient: Spanned<Decimal>,
    modalities: Spanned<Vec<String>>,
    competencies: Spanned<Vec<String>>,
}

/// The fiche: "Ces UE intègrent entre 2 et 6 modules d'enseignements".
const MODULES_PER_UE: std::ops::RangeInclusive<usize> = 2..=6;

struct Checker<'a> {
    text: &'a str,
}

impl Checker<'_> {
    fn error<T>(&self, path: String, span: std::ops::Range<usize>, message: String) -> Result<T, CurriculumError> {
        Err(CurriculumError { path, line: line_of(self.text, span.start), message })
    }
}

/// Reads and checks a curriculum. `find_certification` gives the certifications certif knows.
pub fn load_curriculum<'c>(
    text: &str,
    find_certification: impl Fn(&str) -> Option<&'c Certification>,
) -> Result<(Curriculum, &'c Certification), CurriculumError> {
    let raw: RawCurriculum =
        toml_error::deserialize(text).map_err(|e| CurriculumError { path: e.path, line: e.line, message: e.message })?;
    let check = Checker { text };
    let Some(certification) = find_certification(raw.certification.get_ref()) else {
        return check.error(
            "certification".into(),
            raw.certification.span(),
            format!("unknown certification {:?}", raw.certification.get_ref()),
        );
    };
    let valid_from = match &raw.valid_from {
        None => None,
        Some(value) => {
            let text_value = match value.get_ref() {
                toml::Value::String(s) => s.clone(),
                toml::Value::Datetime(d) => d.to_string(),
                other => format!("{other:?}"),
            };
            match NaiveDate::parse_from_str(&text_value, "%Y-%m-%d") {
                Ok(date) => Some(date),
                Err(_) => return check.error("valid_from".into(), value.span(), format!("{text_value} is not a date (YYYY-MM-DD)")),
            }
        }
    };

    let mut ue_codes: HashSet<String> = HashSet::new();
    let mut module_codes: HashSet<String> = HashSet::new();
    let mut ues = Vec::with_capacity(raw.ue.len());
    for (u, raw_ue) in raw.ue.into_iter().enumerate() {
        let at = |field: &str| format!("ue[{u}].{field}");
        if !ue_codes.insert(raw_ue.code.get_ref().clone()) {
            return check.error(at("code"), raw_ue.code.span(), format!("UE code {:?} is used twice", raw_ue.code.get_ref()));
        }
        let Some(block) = certification.block(raw_ue.block.get_ref()) else {
            return check.error(
                at("block"),
                raw_ue.block.span(),
                format!("{:?} is not a block of {}", raw_ue.block.get_ref(), certification.code),
            );
        };
        let ects = *raw_ue.ects.get_ref();
        if ects <= 0 || ects > i64::from(MAX_ECTS) {
            return check.error(
                at("ects"),
                raw_ue.ects.span(),
                format!("ects must be a positive whole number up to {MAX_ECTS}, not {ects}"),
            );
        }
        let raw_modules = match raw_ue.module {
            Some(modules) => modules,
            None => return check.error(at("module"), raw_ue.code.span(), "a UE needs between 2 and 6 modules; it has none".into()),
        };
        let modules_span = raw_modules.span();
        let raw_modules = raw_modules.into_inner();
        if !MODULES_PER_UE.contains(&raw_modules.len()) {
            return check.error(at("module"), modules_span, format!("a UE needs between 2 and 6 modules; it has {}", raw_modules.len()));
        }
        let mut modules = Vec::with_capacity(raw_modules.len());
        for (m, raw_module) in raw_modules.into_iter().enumerate() {
            let at = |field: &str| format!("ue[{u}].module[{m}].{field}");
            if !module_codes.insert(raw_module.code.get_ref().clone()) {
                return check.error(
                    at("code"),
                    raw_module.code.span(),
                    format!("module code {:?} is used twice", raw_module.code.get_ref()),
                );
            }
            let coefficient = raw_module.coefficient.get_ref().normalize();
            if coefficient <= Decimal::ZERO {
                return check.error(
                    at("coefficient"),
                    raw_module.coefficient.span(),
                    format!("coefficient must be positive, not {coefficient}"),
                );
            }
            if coefficient > MAX_COEFFICIENT || coefficient.scale() > MAX_COEFFICIENT_DECIMALS {
                return check.error(
                    at("coefficient"),
                    raw_module.coefficient.span(),
                    format!(
                        "coefficient must be at most {MAX_COEFFICIENT} with at most {MAX_COEFFICIENT_DECIMALS} decimals, not {coefficient}"
                    ),
                );
            }
            let modalities_span = raw_module.modalities.span();
            let modalities = raw_module.modalities.into_inner();
            // A block with no modality letters (an imported fiche without overlay) takes none.
            if modalities.is_empty() && !block.modalities.is_empty() {
                return check.error(at("modalities"), modalities_span, "a module needs at least one modality".into());
            }
            for (k, letter) in modalities.iter().enumerate() {
                let path = format!("ue[{u}].module[{m}].modalities[{k}]");
                if certification.modality(letter).is_none() {
                    return check.error(path, modalities_span, format!("{letter:?} is not a modality of {}", certification.code));
                }
                if !block.lists_modality(letter) {
                    return check.error(path, modalities_span, format!("block {} does not list modality {letter}", block.code));
                }
            }
            let competencies_span = raw_module.competencies.span();
            let competencies = raw_module.competencies.into_inner();
            for (k, id) in competencies.iter().enumerate() {
                let path = format!("ue[{u}].module[{m}].competencies[{k}]");
                if block.covers_competency(id) {
                    continue;
                }
                let message = if certification.transversal_competency(id).is_some() {
                    format!("transversal competency {id} is not attached to block {}", block.code)
                } else if certification.blocks.iter().any(|b| b.competencies.iter().any(|c| &c.id == id)) {
                    format!("competency {id} belongs to another block than {}", block.code)
                } else {
                    format!("{id:?} is not a competency of {}", certification.code)
                };
                return check.error(path, competencies_span, message);
            }
            modules.push(Module {
                code: raw_module.code.into_inner().into(),
                title: raw_module.title,
                coefficient,
                modalities,
                competencies,
            });
        }
        ues.push(TeachingUnit {
            code: raw_ue.code.into_inner().into(),
            title: raw_ue.title,
            block: block.code.as_str().into(),
            ects: ects as u32,
            modules,
        });
    }
    let curriculum = Curriculum::new(raw.id.into_inner(), certification.code.clone(), raw.title, valid_from, ues);
    Ok((curriculum, certification))
}
