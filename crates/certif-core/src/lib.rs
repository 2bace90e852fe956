//! certif's domain: what a certification is, what a curriculum and a learner's dossier hold,
//! and the rule engine that turns them into a [`Decision`] with its reasons.
//!
//! Everything here is pure: no file, network, database or clock. Callers parse their input
//! into these types once, at the edge, and the engine trusts them.

pub mod certification;
pub mod codes;
pub mod country;
pub mod curriculum;
pub mod decision;
mod decision_json;
pub mod dossier;
pub mod engine;
#[cfg(test)]
mod fixtures;
pub mod ident;
pub mod jury;
pub mod mark;
pub mod messages;
#[cfg(feature = "openapi")]
mod openapi;
pub mod policy;
pub mod report;
pub mod text;
pub mod what_if;
pub mod what_it_takes;
mod wire;

/// A short code (module, UE, block): stored inline, so copying one never allocates.
pub type Code = compact_str::CompactString;

/// Exact decimal numbers, as every mark, coefficient and average uses them.
pub use rust_decimal::Decimal;

pub use certification::{AccessRoute, AwardCondition, Block, Certification};
pub use codes::ReasonCode;
pub use curriculum::{Curriculum, Module, TeachingUnit};
pub use decision::Decision;
pub use dossier::{Dossier, DossierError};
pub use engine::evaluate;
pub use mark::{Mark, MarkEntry};
pub use policy::{CefrLevel, Policy};
