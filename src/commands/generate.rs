//! `generate`: a month or a range of months, in every language and format asked for, printed or
//! saved into an output folder (with `--each`, a bulletin for each member of a dimension).

use crate::dataset::{self, Period};
use crate::options::{GenerateOptions, PeriodChoice, RunOptions};
use crate::output::{self, Saved};
use crate::pipeline::{
    Loaded, Written, check_templates, fact_count, file_name, languages, lay_out, member_file_name, member_plan,
    members_with_value, parallel_map, renderer_for,
};
use crate::render::{Format, Renderer};
use crate::stats::{self, Stats, StatsError};
use crate::{Error, plan, rules};
use std::collections::BTreeMap;
use std::path::PathBuf;

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
    /// What loading the data found worth a line in the log (published rates that differ from
    /// the values within the margin the dataset accepts).
    pub notes: Vec<String>,
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
             write member bulletins; use the built-in `member` rules (the default with --each) or add focus rules"
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
    let mut report = RunReport { notes: run.ds.notes.clone(), ..RunReport::default() };
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
            let plan = plan::plan(&eval, &stats, period);
            let bulletins = self.texts(&plan, |lang, f| file_name(&plan.meta.id, period, lang, f))?;
            return Ok(MonthWork::Done { bulletins, kept: vec![], passed_over: vec![] });
        };
        let members = members_with_value(&stats, dim);
        let passed_over: Vec<String> = self.run.ds.spec.dimensions[dim]
            .members
            .keys()
            .filter(|m| members.binary_search(m).is_err())
            .map(|m| format!("{period}: {dim} `{m}` has no trade in the period"))
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
                        for saved in parallel_map(&bulletins, SAVE_THREADS, |w| {
                            output::save(dir, &w.file_name, &w.text, self.opts.force)
                        }) {
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
