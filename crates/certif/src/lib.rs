//! The `certif` command line, as a library so tests and benchmarks drive the same code.

pub mod bulk;
pub mod database;
pub mod fiches;
pub mod generate;
pub mod inputs;
pub mod records;
pub mod referential_text;
pub mod server;
pub mod status_table;
