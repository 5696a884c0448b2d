//! tradescribe: writes the monthly foreign-trade bulletin from trade statistics.
//!
//! The pipeline of DESIGN.md, one module a stage, each reading only the stage before it:
//! [`dataset`] -> [`stats`] -> [`rules`] -> [`plan`] -> [`render`].

pub mod dataset;
pub mod output;
pub mod plan;
pub mod render;
pub mod rules;
pub mod stats;

use dataset::{Dataset, DatasetError, Period};
use render::{Format, RenderError, Renderer};
use rules::{RuleSet, RulesError};
use stats::{Stats, StatsError};
use std::path::{Path, PathBuf};

/// Anything that stops a bulletin being written; each maps to a documented exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The dataset is wrong.
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    /// The figures cannot be computed for the period.
    #[error(transparent)]
    Stats(#[from] StatsError),
    /// The rules are wrong.
    #[error(transparent)]
    Rules(#[from] RulesError),
    /// The templates are wrong, or a fact cannot be put into words.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The bulletin cannot be written.
    #[error(transparent)]
    Output(#[from] output::OutputError),
    /// The command line asks for something impossible.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// The process exit code, as documented in the README.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::Dataset(_) | Error::Stats(_) => 3,
            Error::Rules(_) | Error::Render(_) => 4,
            Error::Output(_) => 5,
        }
    }
}

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
    /// The rules file.
    pub rules: PathBuf,
    /// A folder of templates overriding the built-in ones.
    pub templates: Option<PathBuf>,
    /// Which period.
    pub period: PeriodChoice,
    /// The output format.
    pub format: Format,
    /// The language.
    pub lang: String,
}

/// A bulletin ready to print or save.
#[derive(Debug, Clone)]
pub struct Written {
    /// `<dataset>-<period>-<lang>.<ext>`.
    pub file_name: String,
    /// The contents.
    pub text: String,
    /// How many facts it states.
    pub facts: usize,
}

/// Runs the whole pipeline for one period; nothing is written to disk here.
pub fn generate(opts: &GenerateOptions) -> Result<Written, Error> {
    let rules = RuleSet::load(&opts.rules)?;
    let renderer = Renderer::new(&opts.lang, opts.templates.as_deref())?;
    check_templates(&rules, &renderer)?;
    let ds = Dataset::load(&opts.data)?;
    let period = match opts.period {
        PeriodChoice::Month(p) => p,
        PeriodChoice::Latest => {
            ds.latest_period().ok_or_else(|| StatsError::NoTotal(opts.data.display().to_string()))?
        }
    };
    write_bulletin(&ds, &rules, &renderer, period, opts.format)
}

/// The pipeline after loading: stats, rules, plan and words for one period of a loaded dataset.
pub fn write_bulletin(
    ds: &Dataset,
    rules: &RuleSet,
    renderer: &Renderer,
    period: Period,
    format: Format,
) -> Result<Written, Error> {
    let stats = Stats::compute(ds, period)?;
    let eval = rules::evaluate(rules, &stats)?;
    let plan = plan::plan(&eval, &stats.meta, period);
    let bulletin = renderer.write(&plan)?;
    let text = match format {
        Format::Md | Format::Txt => renderer.layout(&bulletin, format)?,
        Format::Json => render::to_json(&bulletin, &plan, &renderer.layout(&bulletin, Format::Md)?),
    };
    let facts = plan.sections.iter().map(|s| s.facts.len()).sum();
    let file_name = format!("{}-{}-{}.{}", plan.meta.id, period, renderer.lang(), format.ext());
    Ok(Written { file_name, text, facts })
}

/// What `save` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// The file was written.
    Written(PathBuf),
    /// The file existed and was left alone.
    Kept(PathBuf),
}

/// Writes a bulletin into `dir` as `<dataset>-<period>-<lang>.<ext>`, whole or not at all; a file
/// that exists is left alone unless `force`.
pub fn save(written: &Written, dir: &Path, force: bool) -> Result<Saved, Error> {
    let path = dir.join(&written.file_name);
    if path.exists() && !force {
        return Ok(Saved::Kept(path));
    }
    output::write_atomic(&path, &written.text)?;
    Ok(Saved::Written(path))
}

/// Checks, before any data is read, that every template a rule names exists.
fn check_templates(rules: &RuleSet, renderer: &Renderer) -> Result<(), RenderError> {
    for rule in &rules.rules {
        let named = std::iter::once(("facts", &rule.template)).chain(rule.headline.iter().map(|h| ("headlines", h)));
        for (kind, name) in named {
            if !renderer.has_template(kind, name) {
                return Err(RenderError::MissingTemplate {
                    origin: rule.origin.clone(),
                    rule: rule.id.clone(),
                    template: name.clone(),
                    path: format!("templates/{}/{kind}/{name}.hbs", renderer.lang()),
                });
            }
        }
    }
    Ok(())
}

/// Imports a U.S. Census `country.csv` into a dataset folder.
pub fn import_census(file: &Path, out: &Path) -> Result<dataset::census::Imported, Error> {
    Ok(dataset::census::import(file, out)?)
}
