//! What several commands share: loading the inputs, and writing one month's bulletin (or one
//! member's) in memory, from statistics through rules and plan to words.

use crate::dataset::{Dataset, Period};
use crate::options::{GenerateOptions, PeriodChoice};
use crate::render::{self, Format, RenderError, Renderer};
use crate::rules::{self, RuleSet};
use crate::stats::{Stats, StatsError};
use crate::{Error, plan};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

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
    /// partner rows have not arrived, or have arrived only in part (far fewer members than in the
    /// months before: see [`Dataset::arrived_in_part`]), is not published half-written.
    pub fn latest_complete(&self) -> Result<(Period, Vec<String>), Error> {
        self.latest_complete_with(None)
    }

    /// [`Loaded::latest_complete`], where the dimension of an `--each` run must have reached the month too.
    pub fn latest_complete_with(&self, each: Option<&str>) -> Result<(Period, Vec<String>), Error> {
        let ds = &self.ds;
        let total = ds.latest_period().ok_or_else(|| StatsError::NoTotal(ds.dir.display().to_string()))?;
        let mut last: BTreeMap<&str, Period> = BTreeMap::new();
        // Rows that state published figures without a value have come too.
        for k in ds.obs.keys().chain(ds.obs.stated_keys()) {
            let dim = ds.series[k.series as usize].dimension.as_str();
            let e = last.entry(dim).or_insert(k.period);
            *e = (*e).max(k.period);
        }
        let mut period = total;
        let mut reasons = Vec::new();
        let dims: Vec<&str> = self
            .rules
            .dimensions
            .iter()
            .map(String::as_str)
            .chain(each)
            .filter(|d| ds.spec.dimensions.contains_key(*d))
            .collect();
        for &dim in &dims {
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
        // Back past months that have arrived in part, as far as the data go.
        let first = ds.obs.first_period(0).unwrap_or(period);
        while period > first {
            let Some(part) = dims.iter().find_map(|d| ds.arrived_in_part(d, period)) else { break };
            reasons.push(part.to_string());
            period = period.prev();
        }
        Ok((period, reasons))
    }
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
    let plan = plan::plan(&eval, stats, stats.period);
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
pub fn member_plan(
    stats: &Stats,
    rules: &RuleSet,
    shared: &rules::Partial,
    dimension: &str,
    member: &str,
) -> Result<plan::Plan, Error> {
    let focus = rules::evaluate_focus(rules, stats, dimension, member)?;
    let eval = rules::combine(rules, shared, focus);
    Ok(plan::plan(&eval, stats, stats.period))
}

/// `<dataset>-<period>-<lang>.<ext>`: a bulletin's file name.
pub fn file_name(id: &str, period: Period, lang: &str, format: Format) -> String {
    format!("{id}-{period}-{lang}.{}", format.ext())
}

/// `<dataset>-<period>-<member>-<lang>.<ext>`: a member bulletin's file name.
pub fn member_file_name(id: &str, period: Period, member: &str, lang: &str, format: Format) -> String {
    format!("{id}-{period}-{member}-{lang}.{}", format.ext())
}

/// The members of `dimension` with trade in the period (a value other than zero, month or year
/// to date), in the order of their ids: a member with none gets no bulletin, which could only
/// say that trade "fell 100%" to nothing.
pub fn members_with_value(stats: &Stats, dimension: &str) -> Vec<String> {
    let set: std::collections::BTreeSet<&str> = stats
        .series
        .iter()
        .filter(|s| s.dimension == dimension && s.figures.value.is_some_and(|v| !v.is_zero()))
        .map(|s| s.member.as_str())
        .collect();
    set.into_iter().map(String::from).collect()
}

/// How many facts a bulletin states.
pub fn fact_count(plan: &plan::Plan) -> usize {
    plan.sections.iter().map(|s| s.facts.len()).sum()
}

/// A written bulletin in one format.
pub fn lay_out(
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

/// The templates of `lang` the rules can use: those their facts and headlines name.
pub fn renderer_for(rules: &RuleSet, lang: &str, overrides: Option<&Path>) -> Result<Renderer, RenderError> {
    let named: HashSet<String> = rules.template_names().into_iter().collect();
    Renderer::with_only(lang, overrides, &|name| named.contains(name))
}

/// Checks that every template a rule names exists: a fault reported before any in the data.
pub fn check_templates(rules: &RuleSet, renderer: &Renderer) -> Result<(), RenderError> {
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
    for (section, name) in &rules.headings {
        if !renderer.has_template("sections", name) {
            return Err(RenderError::MissingHeading {
                origin: rules.path.display().to_string(),
                section: section.clone(),
                template: name.clone(),
                path: format!("templates/{}/sections/{name}.hbs", renderer.lang()),
            });
        }
    }
    Ok(())
}

/// `f` over `items` on up to `threads` threads, the results in the order of the items.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
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
