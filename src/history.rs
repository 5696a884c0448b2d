//! Every month of a range through statistics, rules and plan, on all cores: what the backtest
//! (`explain --from --to`), its `--diff` and `validate`'s look back over the data share.
//!
//! The statistics of a month depend on no other month's, so the months are shared out among
//! the threads; each month's statistics are computed once for all of its bulletins (the month's,
//! or each member's) and dropped when the month is done.

use crate::Error;
use crate::dataset::{Dataset, Period};
use crate::pipeline::{members_with_value, parallel_map};
use crate::plan::{self, Plan};
use crate::rules::{self, Evaluation, RuleSet};
use crate::stats::{Stats, StatsError};
use std::sync::atomic::{AtomicBool, Ordering};

/// One bulletin as the rules and the plan left it, before it has words.
pub struct Judged {
    /// The member of a member bulletin (`--each`); `None` for the month's own bulletin.
    pub member: Option<String>,
    /// What every rule found.
    pub eval: Evaluation,
    /// What the bulletin states.
    pub plan: Plan,
}

/// Which bulletins of a month are judged.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// The month's bulletin.
    Month,
    /// A bulletin for each member of `dimension` with a value in the month, or for `member` alone.
    Each {
        /// The dimension (`partner`).
        dimension: &'a str,
        /// The one member asked for, if any.
        member: Option<&'a str>,
    },
}

/// The months from `from` to `to`, both included.
pub fn months(from: Period, to: Period) -> Vec<Period> {
    (from.index()..=to.index()).map(Period::from_index).collect()
}

/// The first and the last month the data has any row for.
pub fn data_span(ds: &Dataset) -> Option<(Period, Period)> {
    let mut periods = ds.obs.keys().map(|k| k.period);
    let first = periods.next()?;
    Some(periods.fold((first, first), |(lo, hi), p| (lo.min(p), hi.max(p))))
}

/// The bulletins of one month under `scope`, judged by `rules`.
pub fn judge(stats: &Stats, rules: &RuleSet, scope: Scope) -> Result<Vec<Judged>, Error> {
    let Scope::Each { dimension, member } = scope else {
        let eval = rules::evaluate(rules, stats)?;
        let plan = plan::plan(&eval, stats, stats.period);
        return Ok(vec![Judged { member: None, eval, plan }]);
    };
    let mut members = members_with_value(stats, dimension);
    if let Some(one) = member {
        members.retain(|m| m == one);
    }
    let shared = rules::evaluate_shared(rules, stats)?;
    let mut out = Vec::with_capacity(members.len());
    for m in members {
        let focus = rules::evaluate_focus(rules, stats, dimension, &m)?;
        let eval = rules::combine(rules, &shared, focus);
        let plan = plan::plan(&eval, stats, stats.period);
        out.push(Judged { member: Some(m), eval, plan });
    }
    Ok(out)
}

/// Runs `f` on the statistics of every month of `periods`, on every core, and gives the results
/// in the order of the months; a month the data has no total for is `None` (passed over). On
/// the first error no further month is started, and the error of the earliest month that ran
/// and failed is returned.
pub fn over_months<R: Send>(
    ds: &Dataset,
    periods: &[Period],
    f: impl Fn(&Stats) -> Result<R, Error> + Sync,
) -> Result<Vec<(Period, Option<R>)>, Error> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let failed = AtomicBool::new(false);
    let span = data_span(ds);
    let results = parallel_map(periods, threads, |&period| -> Option<Result<Option<R>, Error>> {
        if failed.load(Ordering::Relaxed) {
            return None;
        }
        // A month outside the data has no total: not even looked for.
        if span.is_none_or(|(first, last)| period < first || period > last) {
            return Some(Ok(None));
        }
        let result = match Stats::compute(ds, period) {
            Ok(stats) => f(&stats).map(Some),
            Err(StatsError::NoData { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        };
        if result.is_err() {
            failed.store(true, Ordering::Relaxed);
        }
        Some(result)
    });
    let mut out = Vec::with_capacity(periods.len());
    for (period, result) in periods.iter().zip(results) {
        match result {
            Some(Ok(r)) => out.push((*period, r)),
            Some(Err(e)) => return Err(e),
            // Not started because a month failed: its error is further on.
            None => {}
        }
    }
    Ok(out)
}
