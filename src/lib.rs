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
use std::collections::{BTreeMap, HashSet};
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
    /// The data cannot be used as asked (a member id that cannot go into a file name).
    #[error("{0}")]
    Data(String),
}

impl Error {
    /// The process exit code, as documented in the README.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::Dataset(_) | Error::Stats(_) | Error::Data(_) => 3,
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
    /// Loads the rules, the templates they name and the data, each on its own thread: each takes
    /// a bulletin several milliseconds. A fault in the rules, then the templates, is the one
    /// reported, before any in the data, as if they were loaded first.
    pub fn load(opts: &GenerateOptions) -> Result<Loaded, Error> {
        let (front, ds) = std::thread::scope(|scope| {
            let ds = scope.spawn(|| Dataset::load(&opts.data));
            let front = || -> Result<(RuleSet, Renderer), Error> {
                // The templates the rules name are compiled while their conditions are.
                let (rules, renderer) = RuleSet::load_with(&opts.rules, |named| {
                    let named: HashSet<String> = named.into_iter().collect();
                    scope.spawn(move || {
                        Renderer::with_only(&opts.lang, opts.templates.as_deref(), &|n| named.contains(n))
                    })
                })?;
                let renderer = renderer.join().expect("compiling templates does not panic")?;
                check_templates(&rules, &renderer)?;
                Ok((rules, renderer))
            };
            (front(), ds.join().expect("loading the data does not panic"))
        });
        let (rules, renderer) = front?;
        Ok(Loaded { rules, renderer, ds: ds? })
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
        self.latest_complete_with(None)
    }

    /// [`Loaded::latest_complete`], where the dimension of an `--each` run must have reached the month too.
    pub fn latest_complete_with(&self, each: Option<&str>) -> Result<(Period, Vec<String>), Error> {
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
        let dims = self.rules.dimensions.iter().map(String::as_str).chain(each);
        for dim in dims.filter(|d| ds.spec.dimensions.contains_key(*d)) {
            // Groups are summed from another dimension: that one's rows are what must have come.
            let rows_of = ds.spec.groups.values().find(|g| g.dimension == dim).map_or(dim, |g| g.of.as_str());
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
    // Written into memory, which cannot fail: printed whole or, on an error, not at all.
    let mut out = csv::Writer::from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>, row: [&str; 7]| out.write_record(row).expect("a write into memory");
    write(&mut out, ["dimension", "member", "flow", "basis", "value", "prior", "yoy_pct"]);
    let plain = |d: Option<rust_decimal::Decimal>| d.map(|d| d.normalize().to_string()).unwrap_or_default();
    Stats::growth_table(&ds, period, |g| {
        let (value, prior, yoy) = (plain(Some(g.value)), plain(g.prior), plain(g.yoy_pct.map(|g| g.round_dp(6))));
        let s = g.series;
        write(&mut out, [&s.dimension, &s.member, g.flow.as_str(), g.basis.as_str(), &value, &prior, &yoy]);
    })?;
    let bytes = out.into_inner().expect("a write into memory");
    Ok(String::from_utf8(bytes).expect("fields that are all UTF-8"))
}

/// Checks a dataset, rules and templates together, and writes the latest bulletin in memory to
/// prove they fit; returns a summary. Nothing is written to disk. Rules for member bulletins
/// (with `focus` rules) are proved on the first member with a value of the first dimension the
/// dataset declares.
pub fn validate(opts: &GenerateOptions) -> Result<String, Error> {
    let run = Loaded::load(opts)?;
    let period = run.period(PeriodChoice::Latest)?;
    let (written, about) = if run.rules.has_focus() {
        let stats = Stats::compute(&run.ds, period)?;
        let member = run
            .ds
            .spec
            .dimensions
            .keys()
            .find_map(|d| members_with_value(&stats, d).into_iter().next().map(|m| (d.clone(), m)));
        match member {
            Some((dim, member)) => (
                write_member(&stats, &run.rules, &run.renderer, Format::Md, &dim, &member)?,
                format!(" on {dim} `{member}`"),
            ),
            None => (write_from_stats(&stats, &run.rules, &run.renderer, Format::Md)?, String::new()),
        }
    } else {
        (write_bulletin(&run.ds, &run.rules, &run.renderer, period, Format::Md)?, String::new())
    };
    let mut dims: Vec<&str> = run.ds.spec.dimensions.keys().map(String::as_str).collect();
    dims.insert(0, dataset::TOTAL_DIMENSION);
    dims.push(rules::FOCUS_DIMENSION);
    let idle: Vec<String> = run
        .rules
        .rules
        .iter()
        .filter(|r| !dims.contains(&r.over.dimension.as_str()))
        .map(|r| format!("{} ({})", r.id, r.over.dimension))
        .collect();
    let mut out = format!(
        "ok: {} ({} rows in {} files), {} ({} rules), templates for `{}`{}; the bulletin for {period}{about} states {} facts\n",
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
    let eval = rules::evaluate(rules, stats)?;
    let plan = plan::plan(&eval, &stats.meta, stats.period);
    let file_name = file_name(&plan.meta.id, stats.period, renderer.lang(), format);
    let bulletin = renderer.write(&plan)?;
    Ok(Written { file_name, text: lay_out(renderer, &bulletin, &plan, format)?, facts: fact_count(&plan) })
}

/// A member bulletin (`generate --each DIMENSION`) for one member of `dimension`: the rules over
/// `focus` evaluated for it, with the shared rules (the total, other dimensions) for context.
pub fn write_member(
    stats: &Stats,
    rules: &RuleSet,
    renderer: &Renderer,
    format: Format,
    dimension: &str,
    member: &str,
) -> Result<Written, Error> {
    let shared = rules::evaluate_shared(rules, stats)?;
    let plan = member_plan(stats, rules, &shared, dimension, member)?;
    let bulletin = renderer.write(&plan)?;
    Ok(Written {
        file_name: member_file_name(&plan.meta.id, stats.period, member, renderer.lang(), format),
        text: lay_out(renderer, &bulletin, &plan, format)?,
        facts: fact_count(&plan),
    })
}

/// The plan of one member's bulletin, from the period's shared facts and the member's own.
fn member_plan(
    stats: &Stats,
    rules: &RuleSet,
    shared: &rules::Partial,
    dimension: &str,
    member: &str,
) -> Result<plan::Plan, Error> {
    let focus = rules::evaluate_focus(rules, stats, dimension, member)?;
    let eval = rules::combine(rules, shared, focus);
    Ok(plan::plan(&eval, &stats.meta, stats.period))
}

/// `<dataset>-<period>-<lang>.<ext>`: a bulletin's file name.
pub fn file_name(id: &str, period: Period, lang: &str, format: Format) -> String {
    format!("{id}-{period}-{lang}.{}", format.ext())
}

/// `<dataset>-<period>-<member>-<lang>.<ext>`: a member bulletin's file name.
pub fn member_file_name(id: &str, period: Period, member: &str, lang: &str, format: Format) -> String {
    format!("{id}-{period}-{member}-{lang}.{}", format.ext())
}

/// The members of `dimension` with a value for the period, in the order of their ids.
pub fn members_with_value(stats: &Stats, dimension: &str) -> Vec<String> {
    let set: std::collections::BTreeSet<&str> =
        stats.series.iter().filter(|s| s.dimension == dimension).map(|s| s.member.as_str()).collect();
    set.into_iter().map(String::from).collect()
}

fn fact_count(plan: &plan::Plan) -> usize {
    plan.sections.iter().map(|s| s.facts.len()).sum()
}

/// A written bulletin in one format.
fn lay_out(
    renderer: &Renderer,
    bulletin: &render::Bulletin,
    plan: &plan::Plan,
    format: Format,
) -> Result<String, Error> {
    Ok(match format {
        Format::Md | Format::Txt | Format::Html => renderer.layout(bulletin, plan, format)?,
        Format::Json => render::to_json(bulletin, plan, &renderer.layout(bulletin, plan, Format::Md)?),
    })
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
    /// One bulletin for each member of this dimension, with rules that have `focus` rules.
    pub each: Option<String>,
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
    /// Members passed over in an `--each` run because they have no value in a month.
    pub passed_over: Vec<String>,
    /// Facts stated, summed over the bulletins.
    pub facts: usize,
    /// How many bulletins were written (in memory; saved or printed).
    pub bulletins: usize,
    /// What to print when there is no output folder.
    pub printed: String,
}

/// Checks that the rules suit the run: rules over `focus` need `--each`, and `--each` needs them
/// and a dimension the dataset declares, whose member ids can go into file names.
fn check_each(run: &Loaded, each: Option<&str>) -> Result<(), Error> {
    let focus: Vec<&str> = run.rules.focus_rules().map(|r| r.id.as_str()).collect();
    let path = run.rules.path.display();
    let Some(dim) = each else {
        if focus.is_empty() {
            return Ok(());
        }
        return Err(Error::Usage(format!(
            "{path} has rules about one member (over `focus`: {}); they write a bulletin for each member \
             of a dimension: give --each DIMENSION (e.g. --each partner)",
            focus.join(", ")
        )));
    };
    let ds = &run.ds;
    let declared: Vec<&str> = ds.spec.dimensions.keys().map(String::as_str).collect();
    let Some(spec) = ds.spec.dimensions.get(dim).filter(|_| dim != dataset::TOTAL_DIMENSION) else {
        return Err(Error::Usage(format!(
            "--each {dim}: {} declares no such dimension; it declares: {}",
            ds.dir.join("dataset.yaml").display(),
            if declared.is_empty() { "none".to_string() } else { declared.join(", ") }
        )));
    };
    if focus.is_empty() {
        return Err(Error::Usage(format!(
            "--each {dim}: {path} has no rules about one member (rules over the `focus` dimension), so it cannot \
             write member bulletins; use rules/member.yaml (the default with --each) or add focus rules"
        )));
    }
    if let Some(bad) = spec.members.keys().find(|m| !dataset::file_safe(m)) {
        return Err(Error::Data(format!(
            "{}: member `{bad}` of dimension `{dim}` cannot go into a file name (--each {dim}): a member id may hold \
             only letters, digits, '-', '_' and '.', and may not start with '.'; rename it there and in the data",
            ds.dir.join("dataset.yaml").display()
        )));
    }
    Ok(())
}

/// Runs the pipeline for every month, language and format asked for (with `each`, for every
/// member of that dimension too). With an output folder it takes the folder's lock first, and
/// writes each month's files only after all of that month's bulletins were written in memory.
///
/// The months are computed on all cores, and within a month the members; each month's
/// statistics are computed once and shared by its bulletins. Files are saved month by month in
/// order: on an error, the months before it are saved, nothing after, and the error returned.
pub fn run(opts: &RunOptions) -> Result<RunReport, Error> {
    let _lock = match &opts.out {
        Some(dir) => Some(output::Lock::take(dir)?),
        None => None,
    };
    let langs: Vec<String> = languages(&opts.generate.lang).into_iter().map(String::from).collect();
    let first = GenerateOptions { lang: langs[0].clone(), ..opts.generate.clone() };
    let loaded = Loaded::load(&first)?;
    check_each(&loaded, opts.each.as_deref())?;
    let mut renderers = vec![loaded.renderer];
    for lang in &langs[1..] {
        let r = renderer_for(&loaded.rules, lang, opts.generate.templates.as_deref())?;
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
                    let (p, reasons) = run.latest_complete_with(opts.each.as_deref())?;
                    report.skipped.extend(reasons);
                    p
                }
            };
            vec![period]
        }
        _ => return Err(Error::Usage("--from and --to go together".into())),
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let month_threads = threads.min(periods.len()).max(1);
    let job = Job {
        run: &run,
        renderers: std::iter::once(&run.renderer).chain(&renderers).collect(),
        opts,
        id: stats::dataset_id(&run.ds),
        ranged: periods.len() > 1,
        member_threads: (threads / month_threads).max(1),
    };
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    let next = AtomicUsize::new(0);
    // Months at or after `limit` are not started: set at the first error.
    let limit = AtomicUsize::new(periods.len());
    let mut failure = None;
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<MonthWork, Error>)>();
        for _ in 0..month_threads {
            let (tx, next, limit, job, periods) = (tx.clone(), &next, &limit, &job, &periods);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, SeqCst);
                    if i >= limit.load(SeqCst) || i >= periods.len() {
                        break;
                    }
                    let work = job.month(periods[i]);
                    if work.is_err() {
                        limit.fetch_min(i + 1, SeqCst);
                    }
                    if tx.send((i, work)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Saved in the order of the months, each as soon as it and those before it are ready.
        let mut ready = BTreeMap::new();
        let mut next_save = 0;
        'receive: for (i, work) in rx.iter() {
            ready.insert(i, work);
            while let Some(work) = ready.remove(&next_save) {
                let done = work.and_then(|w| job.take(periods[next_save], w, &mut report));
                if let Err(e) = done {
                    limit.fetch_min(next_save, SeqCst);
                    failure = Some(e);
                    break 'receive;
                }
                next_save += 1;
            }
        }
        drop(rx);
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(report),
    }
}

/// One month's bulletins, written in memory and not yet saved.
enum MonthWork {
    /// Passed over, with why.
    Skipped(String),
    /// Every file of the month exists; nothing was computed.
    Kept(Vec<PathBuf>),
    /// The bulletins in the order they are saved or printed, the files of members whose files
    /// all exist, and members passed over.
    Done { bulletins: Vec<Written>, kept: Vec<PathBuf>, passed_over: Vec<String> },
}

/// What every month of a run shares.
struct Job<'a> {
    run: &'a Loaded,
    renderers: Vec<&'a Renderer>,
    opts: &'a RunOptions,
    id: String,
    ranged: bool,
    member_threads: usize,
}

impl Job<'_> {
    /// The files a bulletin (of a member, or of the month) would be written to, in every
    /// language and format; `None` when printing or forcing, where existing files do not matter.
    fn existing(&self, period: Period, member: Option<&str>) -> Option<Vec<PathBuf>> {
        let dir = self.opts.out.as_ref().filter(|_| !self.opts.force)?;
        let mut names = Vec::new();
        for r in &self.renderers {
            for &f in &self.opts.formats {
                names.push(dir.join(match member {
                    Some(m) => member_file_name(&self.id, period, m, r.lang(), f),
                    None => file_name(&self.id, period, r.lang(), f),
                }));
            }
        }
        names.iter().all(|p| p.exists()).then_some(names)
    }

    fn month(&self, period: Period) -> Result<MonthWork, Error> {
        let each = self.opts.each.as_deref();
        // A month whose files are all there already is nothing to do: not even its figures are
        // computed, so a scheduled re-run over a long range costs little.
        if each.is_none()
            && let Some(names) = self.existing(period, None)
        {
            return Ok(MonthWork::Kept(names));
        }
        let stats = match Stats::compute(&self.run.ds, period) {
            Ok(s) => s,
            // In a range, a month the data does not reach is passed over, not an error.
            Err(StatsError::NoData { .. }) if self.ranged => {
                return Ok(MonthWork::Skipped(format!("{period}: no total trade in the data")));
            }
            Err(e) => return Err(e.into()),
        };
        let rules = &self.run.rules;
        let Some(dim) = each else {
            let eval = rules::evaluate(rules, &stats)?;
            let plan = plan::plan(&eval, &stats.meta, period);
            let bulletins = self.texts(&plan, |lang, f| file_name(&plan.meta.id, period, lang, f))?;
            return Ok(MonthWork::Done { bulletins, kept: vec![], passed_over: vec![] });
        };
        let members = members_with_value(&stats, dim);
        let passed_over: Vec<String> = self.run.ds.spec.dimensions[dim]
            .members
            .keys()
            .filter(|m| members.binary_search(m).is_err())
            .map(|m| format!("{period}: {dim} `{m}` has no value"))
            .collect();
        let mut kept = Vec::new();
        let mut todo = Vec::new();
        for m in members {
            match self.existing(period, Some(&m)) {
                Some(names) => kept.extend(names),
                None => todo.push(m),
            }
        }
        if todo.is_empty() && !kept.is_empty() {
            return Ok(MonthWork::Kept(kept));
        }
        let shared = rules::evaluate_shared(rules, &stats)?;
        let write = |member: &str| -> Result<Vec<Written>, Error> {
            let plan = member_plan(&stats, rules, &shared, dim, member)?;
            self.texts(&plan, |lang, f| member_file_name(&plan.meta.id, period, member, lang, f))
        };
        let mut bulletins = Vec::new();
        for written in parallel_map(&todo, self.member_threads, |m| write(m)) {
            bulletins.extend(written?);
        }
        Ok(MonthWork::Done { bulletins, kept, passed_over })
    }

    /// A plan in every language and format, in that order.
    fn texts(&self, plan: &plan::Plan, name: impl Fn(&str, Format) -> String) -> Result<Vec<Written>, Error> {
        let facts = fact_count(plan);
        let with_rows = self.opts.formats.contains(&Format::Json);
        let mut out = Vec::new();
        for renderer in &self.renderers {
            let bulletin = renderer.write_with(plan, with_rows)?;
            for &format in &self.opts.formats {
                let text = lay_out(renderer, &bulletin, plan, format)?;
                out.push(Written { file_name: name(renderer.lang(), format), text, facts });
            }
        }
        Ok(out)
    }

    /// Saves or prints one month's bulletins, and records what was done.
    fn take(&self, period: Period, work: MonthWork, report: &mut RunReport) -> Result<(), Error> {
        match work {
            MonthWork::Skipped(why) => report.skipped.push(why),
            MonthWork::Kept(names) => report.kept.extend(names),
            MonthWork::Done { bulletins, kept, passed_over } => {
                report.kept.extend(kept);
                report.passed_over.extend(passed_over);
                report.bulletins += bulletins.len();
                report.facts += bulletins.iter().map(|w| w.facts).sum::<usize>();
                match &self.opts.out {
                    None => bulletins.iter().for_each(|w| report.printed.push_str(&w.text)),
                    Some(dir) => {
                        // Each file is synced to disk before it is renamed into place; syncing
                        // waits on the disk, so several files are saved at once.
                        for saved in parallel_map(&bulletins, SAVE_THREADS, |w| save(w, dir, self.opts.force)) {
                            match saved? {
                                Saved::Written(p) => report.written.push(p),
                                Saved::Kept(p) => report.kept.push(p),
                            }
                        }
                    }
                }
                report.periods.push(period);
            }
        }
        Ok(())
    }
}

/// How many files are saved at once: saving waits on the disk, not the processor.
const SAVE_THREADS: usize = 8;

/// `f` over `items` on up to `threads` threads, the results in the order of the items.
fn parallel_map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut out: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a worker thread panicked")).collect()
    });
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
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

/// The templates of `lang` the rules can use: those their facts and headlines name.
fn renderer_for(rules: &RuleSet, lang: &str, overrides: Option<&Path>) -> Result<Renderer, RenderError> {
    let named: HashSet<String> = rules.template_names().into_iter().collect();
    Renderer::with_only(lang, overrides, &|name| named.contains(name))
}

/// Checks that every template a rule names exists: a fault reported before any in the data.
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
