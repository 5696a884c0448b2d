//! tradescribe: writes the monthly foreign-trade bulletin from trade statistics.
//!
//! The pipeline of DESIGN.md, one module a stage, each reading only the stages before it:
//! [`dataset`] -> [`stats`] -> [`rules`] -> [`plan`] -> [`render`]. Importers ([`import`]) make
//! dataset folders; the commands ([`commands`]) sit on top, sharing [`pipeline`], [`history`]
//! (every month of a range, on all cores) and [`output`]. This file only wires the modules together.

pub mod commands;
pub mod dataset;
mod error;
pub mod history;
pub mod import;
pub mod input;
mod options;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod render;
pub mod rules;
pub mod stats;

pub use commands::eject::eject;
pub use commands::explain::{ExplainFormat, ExplainOptions, explain};
pub use commands::generate::{RunReport, run, run_with_progress};
pub use commands::import::import;
pub use commands::init::{InitOptions, init};
pub use commands::stats::stats_csv;
pub use commands::validate::validate;
pub use commands::verify::{Verified, VerifyOptions, verify};
pub use error::{EXIT_CODES, Error};
pub use options::{GenerateOptions, PeriodChoice, RunOptions};
pub use pipeline::{
    Loaded, Written, file_name, languages, member_file_name, members_with_value, write_bulletin, write_from_stats,
    write_member,
};
