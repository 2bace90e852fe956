//! The `certif` command line, as a library so tests and benchmarks drive the same code.

pub mod bulk;
pub mod demo_jury;
pub mod demo_stats;
pub mod generate;
pub mod inputs;
pub mod referential_text;
pub mod server;
