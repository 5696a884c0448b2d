//! What a command is asked to do, parsed and checked: plain structs the commands read.

use crate::dataset::Period;
use crate::render::Format;
use crate::rules::RulesSource;
use std::path::PathBuf;

/// Which period to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodChoice {
    /// The latest month in the data.
    Latest,
    /// This month.
    Month(Period),
}

impl std::str::FromStr for PeriodChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s == "latest" { Ok(PeriodChoice::Latest) } else { s.parse().map(PeriodChoice::Month) }
    }
}

/// What `generate` needs.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// The dataset folder.
    pub data: PathBuf,
    /// The rules: built in, or a file.
    pub rules: RulesSource,
    /// A folder of templates overriding the built-in ones.
    pub templates: Option<PathBuf>,
    /// Which period.
    pub period: PeriodChoice,
    /// The output format.
    pub format: Format,
    /// The language.
    pub lang: String,
}

/// A scheduled run: a month or a range of months, in every language and format asked for.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Data, rules, templates, the month (`period`, used when there is no range) and the language
    /// (`all` for every language).
    pub generate: GenerateOptions,
    /// The formats to write.
    pub formats: Vec<Format>,
    /// A range of months instead of one: from ...
    pub from: Option<Period>,
    /// ... to, inclusive.
    pub to: Option<Period>,
    /// Write files here instead of printing.
    pub out: Option<PathBuf>,
    /// Replace bulletins that exist.
    pub force: bool,
    /// One bulletin for each member of this dimension, with rules that have `focus` rules.
    pub each: Option<String>,
}
