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
use std::collections::BTreeMap;
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
    /// Another run holds the output folder's lock.
    #[error("{0}")]
    Locked(String),
    /// A written bulletin states a figure the data does not give.
    #[error("{0}")]
    Verify(String),
}

impl Error {
    /// The process exit code, as documented in the README.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::Dataset(_) | Error::Stats(_) => 3,
            Error::Rules(_) | Error::Render(_) => 4,
            Error::Output(_) => 5,
            Error::Locked(_) => 6,
            Error::Verify(_) => 7,
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

    /// The month asked for, or the latest complete one.
    pub fn period(&self, choice: PeriodChoice) -> Result<Period, Error> {
        match choice {
            PeriodChoice::Month(p) => Ok(p),
            PeriodChoice::Latest => Ok(self.latest_complete()?.0),
        }
    }

    /// The latest month with a total for which every dimension the rules use (and the dataset
    /// has) has data too, and why any later month with a total was passed over: a month whose
    /// partner rows have not arrived is not published half-written.
    pub fn latest_complete(&self) -> Result<(Period, Vec<String>), Error> {
        let ds = &self.ds;
        let total = ds.latest_period().ok_or_else(|| StatsError::NoTotal(ds.dir.display().to_string()))?;
        let mut last: BTreeMap<&str, Period> = BTreeMap::new();
        for k in ds.obs.keys() {
            let dim = ds.series[k.series as usize].dimension.as_str();
            let e = last.entry(dim).or_insert(k.period);
            *e = (*e).max(k.period);
        }
        let mut period = total;
        let mut reasons = Vec::new();
        for dim in self.rules.dimensions.iter().filter(|d| ds.spec.dimensions.contains_key(*d)) {
            // Groups are summed from another dimension: that one's rows are what must have come.
            let rows_of = ds.spec.groups.values().find(|g| &g.dimension == dim).map_or(dim.as_str(), |g| g.of.as_str());
            match last.get(rows_of) {
                Some(p) if *p >= period => {}
                Some(p) => {
                    reasons.push(format!("{} has a total, but `{rows_of}` rows end in {p}", p.next_month()));
                    period = *p;
                }
                None => {}
            }
        }
        Ok((period, reasons))
    }
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

/// Every series' value, the value a year earlier and the growth for one period, as CSV: the
/// figures a data team would check a bulletin against, computed without rules or templates.
/// `latest` is the latest month with a total.
pub fn stats_csv(data: &Path, period: PeriodChoice) -> Result<String, Error> {
    let ds = Dataset::load(data)?;
    let period = match period {
        PeriodChoice::Month(p) => p,
        PeriodChoice::Latest => ds.latest_period().ok_or_else(|| StatsError::NoTotal(ds.dir.display().to_string()))?,
    };
    let stats = Stats::compute(&ds, period)?;
    let mut out = String::from("dimension,member,flow,basis,value,prior,yoy_pct\n");
    let plain = |d: Option<rust_decimal::Decimal>| d.map(|d| d.normalize().to_string()).unwrap_or_default();
    for s in &stats.series {
        let f = &s.figures;
        let yoy = f.yoy_pct.map(|g| g.round_dp(6));
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            csv_field(&s.dimension),
            csv_field(&s.member),
            s.flow,
            s.basis,
            plain(Some(f.value)),
            plain(f.prior_value),
            plain(yoy)
        ));
    }
    Ok(out)
}

/// A CSV field, quoted where it holds a comma, a quote or a line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
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
        Format::Md | Format::Txt | Format::Html => renderer.layout(&bulletin, &plan, format)?,
        Format::Json => render::to_json(&bulletin, &plan, &renderer.layout(&bulletin, &plan, Format::Md)?),
    };
    let facts = plan.sections.iter().map(|s| s.facts.len()).sum();
    let file_name = format!("{}-{period}-{}.{}", plan.meta.id, renderer.lang(), format.ext());
    Ok(Written { file_name, text, facts })
}

/// The languages `--lang` names: `all` is every language with templates.
pub fn languages(lang: &str) -> Vec<&str> {
    if lang == "all" { render::LANGUAGES.to_vec() } else { vec![lang] }
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
}

/// What a run did, for the one log line a run writes.
#[derive(Debug, Default)]
pub struct RunReport {
    /// The months written.
    pub periods: Vec<Period>,
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Files that existed and were left alone.
    pub kept: Vec<PathBuf>,
    /// Months passed over, with why.
    pub skipped: Vec<String>,
    /// Facts stated, summed over the bulletins.
    pub facts: usize,
    /// What to print when there is no output folder.
    pub printed: String,
}

/// Runs the pipeline for every month, language and format asked for. With an output folder it
/// takes the folder's lock first, and writes each month's files only after all of that month's
/// bulletins were written in memory.
pub fn run(opts: &RunOptions) -> Result<RunReport, Error> {
    let _lock = match &opts.out {
        Some(dir) => Some(output::Lock::take(dir)?),
        None => None,
    };
    let langs: Vec<String> = languages(&opts.generate.lang).into_iter().map(String::from).collect();
    let first = GenerateOptions { lang: langs[0].clone(), ..opts.generate.clone() };
    let loaded = Loaded::load(&first)?;
    let mut renderers = vec![loaded.renderer];
    for lang in &langs[1..] {
        let r = Renderer::new(lang, opts.generate.templates.as_deref())?;
        check_templates(&loaded.rules, &r)?;
        renderers.push(r);
    }
    let run = Loaded { renderer: renderers.remove(0), ..loaded };
    let mut report = RunReport::default();
    let periods: Vec<Period> = match (opts.from, opts.to) {
        (Some(from), Some(to)) if from <= to => {
            let mut v = vec![from];
            while *v.last().expect("not empty") < to {
                v.push(v.last().expect("not empty").next_month());
            }
            v
        }
        (Some(_), Some(_)) => return Err(Error::Usage("--from must not be after --to".into())),
        (None, None) => {
            let period = match opts.generate.period {
                PeriodChoice::Month(p) => p,
                PeriodChoice::Latest => {
                    let (p, reasons) = run.latest_complete()?;
                    report.skipped.extend(reasons);
                    p
                }
            };
            vec![period]
        }
        _ => return Err(Error::Usage("--from and --to go together".into())),
    };
    let ranged = periods.len() > 1;
    let id = stats::dataset_id(&run.ds);
    for period in periods {
        // A month whose files are all there already is nothing to do: not even its figures are
        // computed, so a scheduled re-run over a long range costs little.
        if let (Some(dir), false) = (&opts.out, opts.force) {
            let names: Vec<PathBuf> = langs
                .iter()
                .flat_map(|l| {
                    let id = &id;
                    opts.formats.iter().map(move |f| dir.join(format!("{id}-{period}-{l}.{}", f.ext())))
                })
                .collect();
            if names.iter().all(|p| p.exists()) {
                report.kept.extend(names);
                continue;
            }
        }
        let stats = match Stats::compute(&run.ds, period) {
            Ok(s) => s,
            // In a range, a month the data does not reach is passed over, not an error.
            Err(StatsError::NoData { .. }) if ranged => {
                report.skipped.push(format!("{period}: no total trade in the data"));
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let mut month = Vec::new();
        for renderer in std::iter::once(&run.renderer).chain(&renderers) {
            for &format in &opts.formats {
                month.push(write_from_stats(&stats, &run.rules, renderer, format)?);
            }
        }
        for written in month {
            report.facts += written.facts;
            match &opts.out {
                None => report.printed.push_str(&written.text),
                Some(dir) => match save(&written, dir, opts.force)? {
                    Saved::Written(p) => report.written.push(p),
                    Saved::Kept(p) => report.kept.push(p),
                },
            }
        }
        report.periods.push(period);
    }
    Ok(report)
}

/// Recomputes every figure of bulletins written as JSON from the dataset they were written from,
/// and returns how many figures were checked; a mismatch is an error naming the file, the
/// sentence and the figure.
pub fn verify(files: &[PathBuf], data: &Path) -> Result<usize, Error> {
    let ds = Dataset::load(data)?;
    let mut checked = 0;
    let mut cache: BTreeMap<Period, Stats> = BTreeMap::new();
    for file in files {
        let fail = |m: String| Error::Verify(format!("{}: {m}", file.display()));
        let text = std::fs::read_to_string(file).map_err(|e| fail(format!("cannot read: {e}")))?;
        let doc: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| fail(format!("not a JSON bulletin: {e}")))?;
        let period: Period =
            doc["period"].as_str().and_then(|p| p.parse().ok()).ok_or_else(|| fail("no `period`".into()))?;
        let stats = match cache.entry(period) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => e.insert(Stats::compute(&ds, period)?),
        };
        let facts = doc["facts"].as_array().ok_or_else(|| fail("no `facts`".into()))?;
        for fact in facts {
            let rule = fact["rule"].as_str().unwrap_or_default();
            let basis: dataset::Basis = fact["over"]["basis"]
                .as_str()
                .and_then(|b| b.parse().ok())
                .ok_or_else(|| fail(format!("fact `{rule}` has no basis")))?;
            let sentence = doc["paragraphs"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|p| p["sentences"].as_array().into_iter().flatten())
                .find(|s| s["rule"] == rule)
                .and_then(|s| s["text"].as_str())
                .unwrap_or("(no sentence)");
            let mut subjects: Vec<(&str, &str, &serde_json::Value)> = fact["subjects"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| {
                    (s["dimension"].as_str().unwrap_or_default(), s["member"].as_str().unwrap_or_default(), &s["flows"])
                })
                .collect();
            subjects.push((dataset::TOTAL_DIMENSION, dataset::TOTAL_MEMBER, &fact["total"]));
            for (dim, member, flows) in subjects {
                for (flow, figures) in flows.as_object().into_iter().flatten() {
                    let flow: dataset::Flow = flow.parse().map_err(fail)?;
                    let now = stats.get(dim, member, flow, basis);
                    for (name, _, _) in stats::FIGURES {
                        // The JSON writes a period where the statistics have its year.
                        if name == "previous_same_year" {
                            continue;
                        }
                        let written = &figures[name];
                        let computed = now.and_then(|f| f.get(name));
                        let same = match (written, computed) {
                            (serde_json::Value::Null, None) => true,
                            (serde_json::Value::String(w), Some(stats::Num::Dec(c))) => {
                                w.parse::<rust_decimal::Decimal>().is_ok_and(|w| w == c)
                            }
                            (serde_json::Value::Number(w), Some(stats::Num::Int(c))) => w.as_i64() == Some(c),
                            (serde_json::Value::Bool(w), Some(stats::Num::Bool(c))) => *w == c,
                            _ => false,
                        };
                        if !same {
                            return Err(fail(format!(
                                "the sentence \"{sentence}\" (rule `{rule}`) gives {dim}/{member} {flow} {basis} \
                                 {name} = {written}, but the data gives {}",
                                computed.map_or("nothing".to_string(), |c| format!("{c:?}"))
                            )));
                        }
                        checked += usize::from(!written.is_null());
                    }
                }
            }
        }
    }
    Ok(checked)
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
