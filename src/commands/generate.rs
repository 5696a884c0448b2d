//! `generate`: a month or a range of months, in every language and format asked for, printed or
//! saved into an output folder (with `--each`, a bulletin for each member of a dimension).
//!
//! Saved, a run takes the folder's lock, completes what an interrupted run left, and writes each
//! month's files together (see `output`); a file whose recorded inputs are those of this run is
//! left alone, one written from other inputs is written again.

use crate::dataset::{self, Period};
use crate::options::{GenerateOptions, PeriodChoice, RunOptions};
use crate::output::{self, Inputs, MonthRecord, OutputError, Staleness, fingerprint};
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
    /// Months whose files were written again because their inputs changed, each with why.
    pub rewritten: Vec<String>,
    /// What the run found left by interrupted runs, and completed or removed.
    pub recovered: output::Recovery,
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

/// Checks, before anything is written, that every file name the run could write fits in a
/// folder: the dataset's id, and with `--each` every member id, go into them.
fn check_names(run: &Loaded, opts: &RunOptions, id: &str, langs: &[String]) -> Result<(), Error> {
    let yaml = run.ds.dir.join("dataset.yaml");
    // Every month is written YYYY-MM: one stands for all.
    let month = Period { year: 2019, month: 1 };
    let lang = langs.iter().max_by_key(|l| l.len()).map_or("en", String::as_str);
    let format = *opts.formats.iter().max_by_key(|f| f.ext().len()).unwrap_or(&Format::Md);
    let longest = file_name(id, month, lang, format).len().max(MonthRecord::file_name(id, month).len());
    if longest > output::NAME_MAX {
        return Err(Error::Data(format!(
            "{}: the dataset's id ({} bytes) is too long to go into file names: `<id>-<period>-<lang>.<ext>` would \
             be {longest} bytes, more than the {} a file name may have; shorten `id`",
            yaml.display(),
            id.len(),
            output::NAME_MAX
        )));
    }
    let Some(dim) = opts.each.as_deref() else { return Ok(()) };
    for member in run.ds.spec.dimensions[dim].members.keys() {
        let length = member_file_name(id, month, member, lang, format).len();
        if length > output::NAME_MAX {
            let short: String = member.chars().take(24).collect();
            return Err(Error::Data(format!(
                "{}: member `{short}...` of dimension `{dim}` ({} bytes) cannot go into a file name (--each {dim}): \
                 `<dataset>-<period>-<member>-<lang>.<ext>` would be {length} bytes, more than the {} a file name \
                 may have; shorten its id there and in the data",
                yaml.display(),
                member.len(),
                output::NAME_MAX
            )));
        }
    }
    Ok(())
}

/// Runs the pipeline for every month, language and format asked for (with `each`, for every
/// member of that dimension too). With an output folder (created if missing) it takes the
/// folder's lock first, completes any month an interrupted run left half renamed, and writes
/// each month's files together, after all of that month's bulletins were written in memory.
///
/// The months are computed on all cores, and within a month the members; each month's
/// statistics are computed once and shared by its bulletins. Files are saved month by month in
/// order: on an error, the months before it are saved, nothing after, and the error returned.
pub fn run(opts: &RunOptions) -> Result<RunReport, Error> {
    run_with_progress(opts, &mut |_, _| {})
}

/// [`run`], calling `progress(done, months)` before the first month and after each month is
/// saved or printed, for a progress bar.
pub fn run_with_progress(opts: &RunOptions, progress: &mut dyn FnMut(usize, usize)) -> Result<RunReport, Error> {
    if let (Some(from), Some(to)) = (opts.from, opts.to)
        && from > to
    {
        return Err(Error::Usage("--from must not be after --to".into()));
    }
    let mut report = RunReport::default();
    let (_lock, before) = match &opts.out {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|source| OutputError { path: dir.clone(), source })?;
            let lock = output::Lock::take(dir)?;
            report.recovered = output::recover(dir)?;
            // The inputs as they are before loading: compared with them after (below).
            (Some(lock), Some(Inputs::of_sources(&opts.generate.data, &opts.generate.rules)))
        }
        None => (None, None),
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
    report.notes = run.ds.notes.clone();
    let id = stats::dataset_id(&run.ds);
    let inputs = match before {
        Some(before) => {
            check_names(&run, opts, &id, &langs)?;
            let mut after = Inputs::of_sources(&opts.generate.data, &opts.generate.rules).map_err(Error::Data)?;
            fingerprint::check_unchanged(&before, &after, &opts.generate.data).map_err(Error::Data)?;
            for r in std::iter::once(&run.renderer).chain(&renderers) {
                after.add_templates(r);
            }
            Some(after)
        }
        None => None,
    };
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
        id,
        ranged: periods.len() > 1,
        member_threads: (threads / month_threads).max(1),
        inputs: inputs.as_ref(),
    };
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    let next = AtomicUsize::new(0);
    // Months at or after `limit` are not started: set at the first error.
    let limit = AtomicUsize::new(periods.len());
    let mut failure = None;
    progress(0, periods.len());
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
                progress(next_save, periods.len());
            }
        }
        drop(rx);
    });
    if let Some(e) = failure {
        return Err(e);
    }
    // A range the data does not reach at all is a mistake (a wrong year, the wrong dataset), not
    // a run with nothing to do.
    if job.ranged && report.periods.is_empty() && report.kept.is_empty() {
        let (from, to) = (periods[0], periods[periods.len() - 1]);
        let latest = run.ds.latest_period().map_or("none".to_string(), |p| p.to_string());
        return Err(Error::Data(format!(
            "{}: no month from {from} to {to} has total trade in the data (its latest month with a total is {latest})",
            run.ds.dir.display()
        )));
    }
    Ok(report)
}

/// One month's bulletins, written in memory and not yet saved.
enum MonthWork {
    /// Passed over, with why.
    Skipped(String),
    /// Every file of the month exists, written from this run's inputs; nothing was computed.
    Kept(Vec<PathBuf>),
    /// The bulletins to save or print, in that order; the files left as they are (written from
    /// this run's inputs); members passed over; why files that exist are written again; and
    /// the month's record of inputs, where there is an output folder; and how many bulletins
    /// have a file to save or print, with their facts, each counted once.
    Done {
        bulletins: Vec<Written>,
        tally: (usize, usize),
        kept: Vec<PathBuf>,
        passed_over: Vec<String>,
        stale: Vec<String>,
        record: Option<MonthRecord>,
    },
}

/// What every month of a run shares.
struct Job<'a> {
    run: &'a Loaded,
    renderers: Vec<&'a Renderer>,
    opts: &'a RunOptions,
    id: String,
    ranged: bool,
    member_threads: usize,
    /// The inputs of the run, where there is an output folder.
    inputs: Option<&'a Inputs>,
}

impl Job<'_> {
    /// The names of the files a bulletin (of a member, or of the month) is written to, in every
    /// language and format.
    fn names(&self, period: Period, member: Option<&str>) -> Vec<String> {
        let mut names = Vec::new();
        for r in &self.renderers {
            for &f in &self.opts.formats {
                names.push(match member {
                    Some(m) => member_file_name(&self.id, period, m, r.lang(), f),
                    None => file_name(&self.id, period, r.lang(), f),
                });
            }
        }
        names
    }

    /// Whether a file must be written: always when printing or forcing; else when it is missing
    /// or was written from other inputs than this run's.
    fn staleness(&self, record: Option<&MonthRecord>, name: &str) -> Staleness {
        match (&self.opts.out, record, self.inputs) {
            (Some(dir), Some(record), Some(inputs)) if !self.opts.force => record.staleness(dir, name, inputs),
            _ => Staleness::Missing,
        }
    }

    /// The paths of `names` where every one is fresh, else `None`.
    fn all_fresh(&self, record: Option<&MonthRecord>, names: &[String]) -> Option<Vec<PathBuf>> {
        let dir = self.opts.out.as_ref()?;
        names
            .iter()
            .all(|n| self.staleness(record, n) == Staleness::Fresh)
            .then(|| names.iter().map(|n| dir.join(n)).collect())
    }

    fn month(&self, period: Period) -> Result<MonthWork, Error> {
        let each = self.opts.each.as_deref();
        let record = self.opts.out.as_ref().map(|dir| MonthRecord::read(dir, &self.id, period));
        // A month whose files are all there, written from these same inputs, is nothing to do:
        // not even its figures are computed, so a scheduled re-run over a long range costs little.
        if each.is_none()
            && let Some(names) = self.all_fresh(record.as_ref(), &self.names(period, None))
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
            return Ok(self.sort_out(bulletins, vec![], vec![], record));
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
            match self.all_fresh(record.as_ref(), &self.names(period, Some(&m))) {
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
        Ok(self.sort_out(bulletins, kept, passed_over, record))
    }

    /// Splits a month's bulletins into those to save (missing, or written from other inputs) and
    /// those left as they are, with why files that exist are written again.
    fn sort_out(
        &self,
        bulletins: Vec<Written>,
        mut kept: Vec<PathBuf>,
        passed_over: Vec<String>,
        record: Option<MonthRecord>,
    ) -> MonthWork {
        let mut stale: Vec<String> = Vec::new();
        let mut todo = Vec::new();
        // A bulletin is one plan written in every language and format, its files one after
        // another (see `texts`): it counts once, with its facts, if any of its files is written.
        let files_each = self.renderers.len() * self.opts.formats.len();
        let (mut tally, mut counted, mut facts) = ((0, 0), false, 0);
        for (i, w) in bulletins.into_iter().enumerate() {
            if i % files_each == 0 {
                (counted, facts) = (false, w.facts);
            }
            match self.staleness(record.as_ref(), &w.file_name) {
                Staleness::Fresh => {
                    kept.extend(self.opts.out.as_ref().map(|d| d.join(&w.file_name)));
                    continue;
                }
                Staleness::Missing => todo.push(w),
                Staleness::Stale(why) => {
                    if !stale.contains(&why) {
                        stale.push(why);
                    }
                    todo.push(w);
                }
            }
            if !counted {
                (counted, tally) = (true, (tally.0 + 1, tally.1 + facts));
            }
        }
        MonthWork::Done { bulletins: todo, tally, kept, passed_over, stale, record }
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

    /// Saves or prints one month's bulletins, and records what was done. Saved, the month's
    /// files and its record of inputs are written together.
    fn take(&self, period: Period, work: MonthWork, report: &mut RunReport) -> Result<(), Error> {
        match work {
            MonthWork::Skipped(why) => report.skipped.push(why),
            MonthWork::Kept(names) => report.kept.extend(names),
            MonthWork::Done { bulletins, tally, kept, passed_over, stale, record } => {
                report.kept.extend(kept);
                report.passed_over.extend(passed_over);
                report.bulletins += tally.0;
                report.facts += tally.1;
                match (&self.opts.out, self.inputs) {
                    (Some(dir), Some(inputs)) if !bulletins.is_empty() => {
                        let names: Vec<String> = bulletins.iter().map(|w| w.file_name.clone()).collect();
                        let mut record = record.unwrap_or_default();
                        record.update(dir, &names, inputs);
                        let mut files: Vec<(String, Vec<u8>)> =
                            bulletins.into_iter().map(|w| (w.file_name, w.text.into_bytes())).collect();
                        files.push((MonthRecord::file_name(&self.id, period), record.to_text().into_bytes()));
                        output::commit(dir, &files)?;
                        if !stale.is_empty() {
                            report.rewritten.push(format!("{period}: written again: {}", stale.join("; ")));
                        }
                        report.written.extend(names.iter().map(|n| dir.join(n)));
                    }
                    (Some(_), _) => {}
                    (None, _) => bulletins.iter().for_each(|w| report.printed.push_str(&w.text)),
                }
                report.periods.push(period);
            }
        }
        Ok(())
    }
}
