//! tradescribe: writes the monthly foreign-trade bulletin from trade statistics.
//!
//! The pipeline of DESIGN.md, one module a stage, each reading only the stage before it:
//! [`dataset`] -> [`stats`] -> [`rules`] -> [`plan`] -> [`render`].

pub mod dataset;
pub mod explain;
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

/// The rules, templates and dataset of a run, loaded and checked against each other.
pub struct Loaded {
    /// The rules.
    pub rules: RuleSet,
    /// The templates.
    pub renderer: Renderer,
    /// The data.
    pub ds: Dataset,
}

impl Loaded {
    /// Loads rules and templates first (a fault there is found before the data is read), then the data.
    pub fn load(opts: &GenerateOptions) -> Result<Loaded, Error> {
        let rules = RuleSet::load(&opts.rules)?;
        let renderer = Renderer::new(&opts.lang, opts.templates.as_deref())?;
        check_templates(&rules, &renderer)?;
        let ds = Dataset::load(&opts.data)?;
        Ok(Loaded { rules, renderer, ds })
    }

    /// The month asked for, or the latest with a total.
    pub fn period(&self, choice: PeriodChoice) -> Result<Period, Error> {
        match choice {
            PeriodChoice::Month(p) => Ok(p),
            PeriodChoice::Latest => {
                Ok(self.ds.latest_period().ok_or_else(|| StatsError::NoTotal(self.ds.dir.display().to_string()))?)
            }
        }
    }
}

/// Runs the whole pipeline for one period; nothing is written to disk here.
pub fn generate(opts: &GenerateOptions) -> Result<Written, Error> {
    let run = Loaded::load(opts)?;
    let period = run.period(opts.period)?;
    write_bulletin(&run.ds, &run.rules, &run.renderer, period, opts.format)
}

/// Every rule for one period: whether it fired, the values its condition read for each member it
/// chose or passed over, and what the plan left out. Text for people, JSON for tools.
pub fn explain(opts: &GenerateOptions) -> Result<String, Error> {
    let run = Loaded::load(opts)?;
    let period = run.period(opts.period)?;
    let stats = Stats::compute(&run.ds, period)?;
    let eval = rules::evaluate(&run.rules, &stats)?;
    let plan = plan::plan(&eval, &stats.meta, period);
    Ok(explain::report(&run.rules, &eval, &plan, &opts.data, opts.format == Format::Json))
}

/// Checks a dataset, rules and templates together, and writes the latest bulletin in memory to
/// prove they fit; returns a summary. Nothing is written to disk.
pub fn validate(opts: &GenerateOptions) -> Result<String, Error> {
    let run = Loaded::load(opts)?;
    let period = run.period(PeriodChoice::Latest)?;
    let written = write_bulletin(&run.ds, &run.rules, &run.renderer, period, Format::Md)?;
    let mut dims: Vec<&str> = run.ds.spec.dimensions.keys().map(String::as_str).collect();
    dims.insert(0, dataset::TOTAL_DIMENSION);
    let idle: Vec<String> = run
        .rules
        .rules
        .iter()
        .filter(|r| !dims.contains(&r.over.dimension.as_str()))
        .map(|r| format!("{} ({})", r.id, r.over.dimension))
        .collect();
    let mut out = format!(
        "ok: {} ({} rows in {} files), {} ({} rules), templates for `{}`{}; the bulletin for {period} states {} facts\n",
        run.ds.dir.display(),
        run.ds.obs.len(),
        run.ds.files.len(),
        run.rules.path.display(),
        run.rules.rules.len(),
        run.renderer.lang(),
        opts.templates.as_ref().map(|t| format!(" (with {})", t.display())).unwrap_or_default(),
        written.facts,
    );
    if !idle.is_empty() {
        out.push_str(&format!("note: the dataset has no dimension for these rules: {}\n", idle.join(", ")));
    }
    Ok(out)
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
    write_from_stats(&stats, rules, renderer, format)
}

/// The pipeline after the statistics: rules, plan and words.
pub fn write_from_stats(stats: &Stats, rules: &RuleSet, renderer: &Renderer, format: Format) -> Result<Written, Error> {
    let period = stats.period;
    let eval = rules::evaluate(rules, stats)?;
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
