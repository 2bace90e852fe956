//! A school's programme (maquette) for one certification: UEs, modules, ECTS (spec/curriculum.md).
//!
//! Values of this type have passed the loader's checks against their certification; the
//! engine trusts them.

use rustc_hash::FxHashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::Code;

/// The largest coefficient a module may have. With at most 2 decimals on marks and 4 on
/// coefficients, a UE's weighted sum stays below 10^12 units of 10^-6: exact decimal arithmetic
/// (96-bit mantissa) cannot overflow whatever the curriculum the loader accepts.
pub const MAX_COEFFICIENT: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);
/// Decimals a coefficient may have.
pub const MAX_COEFFICIENT_DECIMALS: u32 = 4;
/// The most ECTS a UE may carry.
pub const MAX_ECTS: u32 = 1000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Curriculum {
    pub id: String,
    pub certification: String,
    pub title: String,
    pub valid_from: Option<NaiveDate>,
    pub ues: Vec<TeachingUnit>,
    #[serde(skip)]
    module_index: FxHashMap<Code, (usize, usize, usize)>,
}

/// A teaching unit (UE): ECTS earned as a whole, attached to one block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeachingUnit {
    pub code: Code,
    pub title: String,
    pub block: Code,
    pub ects: u32,
    pub modules: Vec<Module>,
}

/// A separately assessed course (module, matière).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Module {
    pub code: Code,
    pub title: String,
    /// Weight in the UE average; positive.
    pub coefficient: Decimal,
    pub modalities: Vec<String>,
    pub competencies: Vec<String>,
}

impl Curriculum {
    pub fn new(id: String, certification: String, title: String, valid_from: Option<NaiveDate>, ues: Vec<TeachingUnit>) -> Curriculum {
        let module_index = ues
            .iter()
            .enumerate()
            .flat_map(|(u, ue)| ue.modules.iter().enumerate().map(move |(m, module)| (module.code.clone(), (u, m))))
            .enumerate()
            .map(|(flat, (code, (u, m)))| (code, (u, m, flat)))
            .collect();
        Curriculum { id, certification, title, valid_from, ues, module_index }
    }

    /// Where a module sits: (UE index, module index within the UE).
    pub fn locate_module(&self, code: &str) -> Option<(usize, usize)> {
        self.module_index.get(code).map(|&(u, m, _)| (u, m))
    }

    /// The module's position when all modules are listed UE after UE.
    pub fn module_position(&self, code: &str) -> Option<usize> {
        self.module_index.get(code).map(|&(_, _, flat)| flat)
    }

    pub fn module(&self, code: &str) -> Option<&Module> {
        self.locate_module(code).map(|(u, m)| &self.ues[u].modules[m])
    }

    pub fn module_count(&self) -> usize {
        self.module_index.len()
    }

    pub fn ues_of_block<'a>(&'a self, block: &'a str) -> impl Iterator<Item = &'a TeachingUnit> + 'a {
        self.ues.iter().filter(move |ue| ue.block == block)
    }

    pub fn modules(&self) -> impl Iterator<Item = (&TeachingUnit, &Module)> {
        self.ues.iter().flat_map(|ue| ue.modules.iter().map(move |m| (ue, m)))
    }
}
