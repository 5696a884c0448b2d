//! Stage 2: every figure a sentence could need, computed exactly from a [`Dataset`].
//!
//! Figures are exact decimals. A figure that cannot be computed (no base period, a zero base)
//! is `None`, never zero, so no rule can fire on it.

use crate::dataset::{
    Basis, Currency, Dataset, Flow, MemberName, Names, ObsKey, Period, Reporter, Series, SeriesId, Source,
    TOTAL_DIMENSION,
};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Why statistics could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    /// The dataset has no row for the reporter's total, so no month can be reported.
    #[error("{0}: no observation of the reporter's total (dimension `total`, member `all`)")]
    NoTotal(String),
    /// A year to date lacks a month that the data should have.
    #[error(
        "{dir}: {dimension}/{member} {flow}: no value for {missing}, so the year to date through {period} cannot be summed \
         (other months of that year are there); add the month or a `ytd` row"
    )]
    Gap {
        /// The dataset folder.
        dir: String,
        /// Dimension id.
        dimension: String,
        /// Member id.
        member: String,
        /// The flow.
        flow: Flow,
        /// The missing month.
        missing: Period,
        /// The year to date that needs it.
        period: Period,
    },
    /// The reporter's total trade for the period is not in the data, nor derivable from it.
    #[error("{dir}: no total trade for the reporter in {period} (a `total` row, or exports and imports){latest}")]
    NoData {
        /// The dataset folder.
        dir: String,
        /// The period asked for.
        period: Period,
        /// "; the latest month with a total is YYYY-MM" or empty.
        latest: String,
    },
}

/// Whether a growth rate was published or derived here from the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RateSource {
    /// Read from the `yoy_pct` column: computed by the publisher against revised data.
    Published,
    /// Computed here from this period's value and the value a year earlier.
    Derived,
}

/// Every figure of one series (dimension, member, flow, basis) at one period.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    /// The amount, in the dataset's unit.
    pub value: Decimal,
    /// The amount a year earlier, where known.
    pub prior_value: Option<Decimal>,
    /// `value - prior_value`, in the dataset's unit.
    pub change_value: Option<Decimal>,
    /// Year-on-year growth, percent.
    pub yoy_pct: Option<Decimal>,
    /// Where the growth rate came from.
    pub yoy_source: Option<RateSource>,
    /// Share of the reporter's total for the same flow, percent.
    pub share_pct: Option<Decimal>,
    /// Change in that share from a year earlier, percentage points.
    pub share_change_pp: Option<Decimal>,
    /// Growth minus the total's growth, percentage points.
    pub gap_pp: Option<Decimal>,
    /// This series' part of the total's growth, percentage points.
    pub contribution_pp: Option<Decimal>,
    /// 1 for the largest member of the dimension.
    pub rank_value: Option<u32>,
    /// 1 for the fastest-growing member of the dimension.
    pub rank_growth: Option<u32>,
    /// 1 for the member that added most to the total's growth.
    pub rank_contribution: Option<u32>,
    /// How many members of the dimension have a value (the field `rank_value` ranks among).
    pub ranked_value: u32,
    /// How many members of the dimension have a growth rate.
    pub ranked_growth: u32,
    /// Month basis: change from the month before, percent.
    pub mom_pct: Option<Decimal>,
    /// Month basis: the value of the month before.
    pub last_month_value: Option<Decimal>,
    /// Month basis: what the month before was first reported as, where a later file revised it.
    pub last_month_revised_from: Option<Decimal>,
    /// What this value was first reported as, where a later file revised it.
    pub revised_from: Option<Decimal>,
    /// Month basis: consecutive months, ending with this one, of year-on-year growth (0 if it fell).
    pub growth_streak: Option<u32>,
    /// Month basis: consecutive months, ending with this one, of year-on-year decline (0 if it rose).
    pub decline_streak: Option<u32>,
    /// Month basis: the last month before this streak that moved the same way ("the first decline since").
    pub previous_same: Option<Period>,
    /// Months from `previous_same` to this month.
    pub months_since_previous_same: Option<u32>,
    /// How many earlier years have a value for the same months (the history records are set against).
    pub history_years: u32,
    /// The first year of that history.
    pub history_from_year: Option<i32>,
    /// Higher than in every earlier year of the history, for the same months.
    pub record_high: bool,
    /// Lower than in every earlier year of the history, for the same months.
    pub record_low: bool,
    /// The latest earlier year at least as high, where this is not a record ("the highest since").
    pub high_since_year: Option<i32>,
    /// The latest earlier year at least as low ("the lowest since").
    pub low_since_year: Option<i32>,
    /// The data rows behind `value` and `prior_value`, as `file:line`: written out by
    /// [`Meta::cite`] for the figures a JSON bulletin shows, and empty until then.
    pub rows: Vec<String>,
    /// The data rows behind `value` and `prior_value`.
    #[serde(skip)]
    pub sources: Vec<Source>,
}

/// A figure as a rule condition reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// An exact decimal (values, rates, points).
    Dec(Decimal),
    /// A count or a rank or a year.
    Int(i64),
    /// A yes or no.
    Bool(bool),
}

/// The kind of a figure in a rule condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An amount in the dataset's unit: a CEL double, exact as far as a double goes.
    Amount,
    /// A rate or percentage points: a CEL double rounded to one decimal, as the bulletin prints it,
    /// so that a condition never says "rose" of a rate the text will print as 0.0%.
    Rate,
    /// A CEL int.
    Int,
    /// A CEL bool.
    Bool,
}

/// Every figure a rule can read: name, kind, meaning and unit.
pub const FIGURES: [(&str, Kind, &str); 27] = [
    ("value", Kind::Amount, "the amount, in the dataset's unit"),
    ("prior_value", Kind::Amount, "the amount a year earlier, in the dataset's unit"),
    ("change_value", Kind::Amount, "value minus prior_value, in the dataset's unit"),
    ("yoy_pct", Kind::Rate, "year-on-year growth, percent (published where the data gives it)"),
    ("share_pct", Kind::Rate, "share of the reporter's total for the same flow, percent"),
    ("share_change_pp", Kind::Rate, "change in that share from a year earlier, percentage points"),
    ("gap_pp", Kind::Rate, "yoy_pct minus the total's yoy_pct, percentage points"),
    ("contribution_pp", Kind::Rate, "part of the total's growth, percentage points"),
    ("rank_value", Kind::Int, "1 for the largest member of the dimension"),
    ("rank_growth", Kind::Int, "1 for the fastest-growing member of the dimension"),
    ("rank_contribution", Kind::Int, "1 for the member that added most to the total's growth"),
    ("ranked_value", Kind::Int, "how many members have a value"),
    ("ranked_growth", Kind::Int, "how many members have a growth rate"),
    ("mom_pct", Kind::Rate, "month basis: change from the month before, percent"),
    ("last_month_value", Kind::Amount, "month basis: the month before's value"),
    ("last_month_revised_from", Kind::Amount, "month basis: the month before's value as first reported, if revised"),
    ("revised_from", Kind::Amount, "this value as first reported, if a later file revised it"),
    ("growth_streak", Kind::Int, "month basis: consecutive months of year-on-year growth ending now"),
    ("decline_streak", Kind::Int, "month basis: consecutive months of year-on-year decline ending now"),
    (
        "months_since_previous_same",
        Kind::Int,
        "month basis: months since the last move the same way before this streak",
    ),
    ("previous_same_year", Kind::Int, "month basis: the year of that last move"),
    ("history_years", Kind::Int, "how many earlier years have a value for the same months"),
    ("history_from_year", Kind::Int, "the first year of that history"),
    ("record_high", Kind::Bool, "higher than in every earlier year, for the same months"),
    ("record_low", Kind::Bool, "lower than in every earlier year, for the same months"),
    ("high_since_year", Kind::Int, "the latest earlier year at least as high (not set for a record)"),
    ("low_since_year", Kind::Int, "the latest earlier year at least as low (not set for a record)"),
];

impl Figures {
    /// A figure by its name in [`FIGURES`]; `None` where it cannot be computed.
    pub fn get(&self, name: &str) -> Option<Num> {
        let dec = |d: Option<Decimal>| d.map(Num::Dec);
        let int = |i: Option<u32>| i.map(|i| Num::Int(i as i64));
        match name {
            "value" => Some(Num::Dec(self.value)),
            "prior_value" => dec(self.prior_value),
            "change_value" => dec(self.change_value),
            "yoy_pct" => dec(self.yoy_pct),
            "share_pct" => dec(self.share_pct),
            "share_change_pp" => dec(self.share_change_pp),
            "gap_pp" => dec(self.gap_pp),
            "contribution_pp" => dec(self.contribution_pp),
            "rank_value" => int(self.rank_value),
            "rank_growth" => int(self.rank_growth),
            "rank_contribution" => int(self.rank_contribution),
            "ranked_value" => int(Some(self.ranked_value)),
            "ranked_growth" => int(Some(self.ranked_growth)),
            "mom_pct" => dec(self.mom_pct),
            "last_month_value" => dec(self.last_month_value),
            "last_month_revised_from" => dec(self.last_month_revised_from),
            "revised_from" => dec(self.revised_from),
            "growth_streak" => int(self.growth_streak),
            "decline_streak" => int(self.decline_streak),
            "months_since_previous_same" => int(self.months_since_previous_same),
            "previous_same_year" => self.previous_same.map(|p| Num::Int(p.year as i64)),
            "history_years" => int(Some(self.history_years)),
            "history_from_year" => self.history_from_year.map(|y| Num::Int(y as i64)),
            "record_high" => Some(Num::Bool(self.record_high)),
            "record_low" => Some(Num::Bool(self.record_low)),
            "high_since_year" => self.high_since_year.map(|y| Num::Int(y as i64)),
            "low_since_year" => self.low_since_year.map(|y| Num::Int(y as i64)),
            _ => None,
        }
    }
}

/// The figures of one series.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesStats {
    /// Dimension id.
    pub dimension: String,
    /// Member id.
    pub member: String,
    /// The flow.
    pub flow: Flow,
    /// Month alone or year to date.
    pub basis: Basis,
    /// Its figures.
    pub figures: Figures,
}

/// What later stages need to know about the dataset, carried forward so they need not read it.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// The dataset's id, for file names.
    pub id: String,
    /// The reporter, by language.
    pub reporter: BTreeMap<String, Reporter>,
    /// The currency of values.
    pub currency: Currency,
    /// Currency units per unit of value.
    pub unit: Decimal,
    /// Credit line, by language.
    pub source: Names,
    /// Dimension id to its label by language.
    pub labels: BTreeMap<String, Names>,
    /// The dimensions whose ranks can be claimed (see `DimensionSpec::complete`); `total` is one.
    pub complete: Vec<String>,
    /// (dimension, member) to names by language.
    pub names: BTreeMap<String, BTreeMap<String, BTreeMap<String, MemberName>>>,
    /// The dataset's CSV files, as figures cite them.
    #[serde(skip)]
    pub files: Vec<String>,
}

impl Meta {
    /// Writes out the rows behind a figure as `file:line`. Done for the figures a JSON bulletin
    /// shows, not for all: a dataset of 250 partners has tens of thousands of rows behind its
    /// groups' figures alone.
    pub fn cite(&self, figures: &mut Figures) {
        figures.rows = figures.sources.iter().map(|s| format!("{}:{}", self.files[s.file as usize], s.line)).collect();
    }
}

/// All figures for one period.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// The period the figures are for.
    pub period: Period,
    /// About the dataset.
    pub meta: Meta,
    /// One entry per series that has a value.
    pub series: Vec<SeriesStats>,
    #[serde(skip)]
    index: HashMap<(String, String, Flow, Basis), usize>,
}

impl Stats {
    /// The figures of a series, if it has a value.
    pub fn get(&self, dimension: &str, member: &str, flow: Flow, basis: Basis) -> Option<&Figures> {
        self.index.get(&(dimension.to_string(), member.to_string(), flow, basis)).map(|&i| &self.series[i].figures)
    }

    /// The reporter's total figures for a flow and basis.
    pub fn total(&self, flow: Flow, basis: Basis) -> Option<&Figures> {
        self.get(TOTAL_DIMENSION, crate::dataset::TOTAL_MEMBER, flow, basis)
    }

    /// Computes every figure for `period`, each with the data rows behind it, a flow and basis at
    /// a time: every figure of a series depends only on its own flow and basis.
    pub fn compute(ds: &Dataset, period: Period) -> Result<Stats, StatsError> {
        let calc = Calc::new(ds, period)?;
        let first_report = Calc { ds, at: period, as_first_reported: true };
        let mut all = Vec::new();
        for basis in [Basis::Ytd, Basis::Month] {
            for flow in Flow::ALL {
                let mut series = Vec::new();
                let total_now = calc.amount(0, flow, basis, period);
                let total_prior = calc.amount(0, flow, basis, period.year_earlier());
                let total_yoy = total_now.and_then(|t| calc.yoy(0, flow, basis, period, t).0);
                let one = |id: SeriesId, s: &Series| -> Result<Option<SeriesStats>, StatsError> {
                    calc.no_gap(id, s, flow, basis)?;
                    let mut sources = Vec::new();
                    let Some(now) = calc.traced(id, flow, basis, period, &mut sources) else {
                        return Ok(None);
                    };
                    let prior = calc.traced(id, flow, basis, period.year_earlier(), &mut sources);
                    let (yoy_pct, yoy_source) = calc.yoy(id, flow, basis, period, now);
                    let given = ds.obs.get(&ObsKey { series: id, flow, basis, period });
                    let shares = s.dimension != TOTAL_DIMENSION && flow != Flow::Balance;
                    let share_of = |v: Option<Decimal>, t: Option<Decimal>| match (v, t) {
                        (Some(v), Some(t)) if shares && t > Decimal::ZERO => percent(v, t),
                        _ => None,
                    };
                    let computed_share = share_of(Some(now), total_now);
                    let prior_share = share_of(prior, total_prior);
                    let share_pct = given.and_then(|o| o.share_pct).filter(|_| shares).or(computed_share);
                    let share_change_pp = given
                        .and_then(|o| o.share_change_pp)
                        .filter(|_| shares)
                        .or_else(|| computed_share.zip(prior_share).map(|(a, b)| a - b));
                    let gap_pp = match (yoy_pct, total_yoy) {
                        (Some(g), Some(t)) if shares => Some(g - t),
                        _ => None,
                    };
                    let contribution_pp = match (prior, total_prior) {
                        (Some(p), Some(tp)) if flow != Flow::Balance && tp > Decimal::ZERO => percent(now - p, tp),
                        _ => None,
                    };
                    let month = basis == Basis::Month;
                    let last_month = if month { calc.amount(id, flow, basis, period.prev()) } else { None };
                    let streak = if month { calc.streak(id, flow, period) } else { Streak::default() };
                    let history = calc.history(id, flow, basis, period, now);
                    // A value differs from its first report where any row behind it was revised.
                    let revised = |p: Period| {
                        if !ds.obs.has_revisions() {
                            return None;
                        }
                        let current = calc.amount(id, flow, basis, p)?;
                        first_report.amount(id, flow, basis, p).filter(|first| *first != current)
                    };
                    Ok(Some(SeriesStats {
                        dimension: s.dimension.clone(),
                        member: s.member.clone(),
                        flow,
                        basis,
                        figures: Figures {
                            value: now,
                            prior_value: prior,
                            change_value: prior.map(|p| now - p),
                            yoy_pct,
                            yoy_source,
                            share_pct,
                            share_change_pp,
                            gap_pp,
                            contribution_pp,
                            rank_value: None,
                            rank_growth: None,
                            rank_contribution: None,
                            ranked_value: 0,
                            ranked_growth: 0,
                            mom_pct: last_month.and_then(|l| growth_pct(now, l, flow)),
                            last_month_value: last_month,
                            last_month_revised_from: if month { revised(period.prev()) } else { None },
                            revised_from: revised(period),
                            growth_streak: streak.growth,
                            decline_streak: streak.decline,
                            previous_same: streak.previous_same,
                            months_since_previous_same: streak.previous_same.map(|p| months_between(p, period)),
                            history_years: history.years,
                            history_from_year: (history.years > 0).then(|| period.year - history.years as i32),
                            record_high: history.record_high,
                            record_low: history.record_low,
                            high_since_year: history.high_since,
                            low_since_year: history.low_since,
                            rows: Vec::new(),
                            sources,
                        },
                    }))
                };
                for computed in in_parallel(&ds.series, one) {
                    series.extend(computed?);
                }
                if flow != Flow::Balance {
                    rank(&mut series);
                }
                all.extend(series);
            }
        }
        let index = all
            .iter()
            .enumerate()
            .map(|(i, s)| ((s.dimension.clone(), s.member.clone(), s.flow, s.basis), i))
            .collect();
        Ok(Stats { period, meta: meta(ds), series: all, index })
    }

    /// Each series' value for `period`, its value a year earlier and the growth, for every flow and
    /// basis in the order of [`Stats::compute`]: the aggregation a data team would run on the
    /// same CSV, without the ranks, shares, streaks and records a bulletin needs besides.
    pub fn growth_table(ds: &Dataset, period: Period, mut take: impl FnMut(Growth)) -> Result<(), StatsError> {
        // The value, the value a year earlier and the growth.
        type Line = (Decimal, Option<Decimal>, Option<Decimal>);
        let calc = Calc::new(ds, period)?;
        for basis in [Basis::Ytd, Basis::Month] {
            for flow in Flow::ALL {
                let one = |id: SeriesId, s: &Series| -> Result<Option<Line>, StatsError> {
                    calc.no_gap(id, s, flow, basis)?;
                    let Some(now) = calc.amount(id, flow, basis, period) else { return Ok(None) };
                    let prior = calc.amount(id, flow, basis, period.year_earlier());
                    Ok(Some((now, prior, calc.yoy(id, flow, basis, period, now).0)))
                };
                for (s, computed) in ds.series.iter().zip(in_parallel(&ds.series, one)) {
                    if let Some((value, prior, yoy_pct)) = computed? {
                        take(Growth { series: s, flow, basis, value, prior, yoy_pct });
                    }
                }
            }
        }
        Ok(())
    }
}

/// One line of [`Stats::growth_table`].
#[derive(Debug)]
pub struct Growth<'a> {
    /// The series.
    pub series: &'a Series,
    /// Its flow.
    pub flow: Flow,
    /// Month or year to date.
    pub basis: Basis,
    /// The value for the period.
    pub value: Decimal,
    /// The value a year earlier.
    pub prior: Option<Decimal>,
    /// Year-on-year growth, percent: published where the row gives it, else derived.
    pub yoy_pct: Option<Decimal>,
}

/// `f` over every series, in order, on every core for a dataset large enough to be worth it. The
/// 260 series of the U.S. data are not: measured side by side, threads from 128 series on left a
/// bulletin as fast (62 ms) and made the 2019 batch, whose months already run on both cores, 8%
/// slower.
fn in_parallel<T: Send>(series: &[Series], f: impl Fn(SeriesId, &Series) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || series.len() < 2048 {
        return series.iter().enumerate().map(|(i, s)| f(i as SeriesId, s)).collect();
    }
    let chunk = series.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let parts: Vec<_> = series
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                scope.spawn(move || {
                    part.iter().enumerate().map(|(i, s)| f((c * chunk + i) as SeriesId, s)).collect::<Vec<T>>()
                })
            })
            .collect();
        parts.into_iter().flat_map(|p| p.join().expect("no statistics thread panics")).collect()
    })
}

/// Months from `a` to `b`.
fn months_between(a: Period, b: Period) -> u32 {
    ((b.year - a.year) * 12 + b.month as i32 - a.month as i32).max(0) as u32
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// Ranks members within each dimension (all entries share one flow and basis), largest first.
fn rank(entries: &mut [SeriesStats]) {
    let mut by_dim: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        if e.dimension != TOTAL_DIMENSION {
            by_dim.entry(e.dimension.clone()).or_default().push(i);
        }
    }
    for members in by_dim.values() {
        let values: Vec<(usize, Decimal)> = members.iter().map(|&i| (i, entries[i].figures.value)).collect();
        let growths: Vec<(usize, Decimal)> =
            members.iter().filter_map(|&i| entries[i].figures.yoy_pct.map(|g| (i, g))).collect();
        for (i, r, n) in competition_ranks(&values) {
            entries[i].figures.rank_value = Some(r);
            entries[i].figures.ranked_value = n;
        }
        for (i, r, n) in competition_ranks(&growths) {
            entries[i].figures.rank_growth = Some(r);
            entries[i].figures.ranked_growth = n;
        }
        let contributions: Vec<(usize, Decimal)> =
            members.iter().filter_map(|&i| entries[i].figures.contribution_pp.map(|c| (i, c))).collect();
        for (i, r, _) in competition_ranks(&contributions) {
            entries[i].figures.rank_contribution = Some(r);
        }
    }
}

/// Standard competition ranking ("1224"), highest first: returns (item, rank, how many ranked).
pub fn competition_ranks(items: &[(usize, Decimal)]) -> Vec<(usize, u32, u32)> {
    let n = items.len() as u32;
    // A member's rank is one more than the number of larger values: counted in a sorted copy,
    // since a dimension of 20,000 products makes counting pair by pair take minutes.
    let mut larger_first: Vec<Decimal> = items.iter().map(|(_, v)| *v).collect();
    larger_first.sort_unstable_by(|a, b| b.cmp(a));
    items.iter().map(|&(i, v)| (i, 1 + larger_first.partition_point(|w| *w > v) as u32, n)).collect()
}

/// Year-on-year growth in percent from a value and its base; `None` where it means nothing.
///
/// A balance grows when its size grows in the same direction (a widening surplus or deficit);
/// across a change of sign there is no rate.
pub fn growth_pct(value: Decimal, base: Decimal, flow: Flow) -> Option<Decimal> {
    if flow == Flow::Balance {
        if !same_sign(value, base) {
            return None;
        }
        return percent(value.abs() - base.abs(), base.abs());
    }
    if base <= Decimal::ZERO {
        return None;
    }
    percent(value - base, base)
}

/// Whether two balances are both surpluses or both deficits (a zero is neither).
fn same_sign(a: Decimal, b: Decimal) -> bool {
    !a.is_zero() && !b.is_zero() && a.is_sign_negative() == b.is_sign_negative()
}

/// `part / whole` in percent; `None` for a zero whole or a quotient too large to hold.
pub fn percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    part.checked_div(whole)?.checked_mul(HUNDRED)
}

/// A run of months moving the same way.
#[derive(Debug, Default)]
struct Streak {
    growth: Option<u32>,
    decline: Option<u32>,
    previous_same: Option<Period>,
}

/// How a value compares with the same months of earlier years.
#[derive(Debug, Default)]
struct History {
    years: u32,
    record_high: bool,
    record_low: bool,
    high_since: Option<i32>,
    low_since: Option<i32>,
}

/// Earlier years a record is set against: at least this many, or it is no record.
pub const MIN_RECORD_YEARS: u32 = 3;

struct Calc<'a> {
    ds: &'a Dataset,
    /// The reported month: groups take their membership from it for every period they are summed
    /// over, so that a group's growth compares the same members (the EU without the UK in 2020
    /// against the EU without the UK in 2019).
    at: Period,
    /// Read every revised row as it was first reported: what a figure was before revisions.
    as_first_reported: bool,
}

impl<'a> Calc<'a> {
    /// Figures as they now stand, for `period`; refused where the reporter's total is missing.
    fn new(ds: &'a Dataset, period: Period) -> Result<Calc<'a>, StatsError> {
        let calc = Calc { ds, at: period, as_first_reported: false };
        if calc.amount(0, Flow::Total, Basis::Ytd, period).is_none()
            && calc.amount(0, Flow::Total, Basis::Month, period).is_none()
        {
            return Err(StatsError::NoData {
                dir: ds.dir.display().to_string(),
                period,
                latest: ds
                    .latest_period()
                    .filter(|p| *p != period)
                    .map(|p| format!("; the latest month with a total is {p}"))
                    .unwrap_or_default(),
            });
        }
        Ok(calc)
    }

    /// Refuses a year to date of the period, or of a year earlier, with a month missing.
    fn no_gap(&self, id: SeriesId, s: &Series, flow: Flow, basis: Basis) -> Result<(), StatsError> {
        for p in [self.at, self.at.year_earlier()] {
            if let Some(missing) = self.ytd_gap(id, flow, basis, p) {
                return Err(StatsError::Gap {
                    dir: self.ds.dir.display().to_string(),
                    dimension: s.dimension.clone(),
                    member: s.member.clone(),
                    flow,
                    missing,
                    period: p,
                });
            }
        }
        Ok(())
    }

    /// A value, without the rows behind it.
    fn amount(&self, series: SeriesId, flow: Flow, basis: Basis, period: Period) -> Option<Decimal> {
        self.eval(series, flow, basis, period, &mut None)
    }

    /// A value, adding the rows behind it to `sources` (only if the value exists).
    fn traced(
        &self,
        series: SeriesId,
        flow: Flow,
        basis: Basis,
        period: Period,
        sources: &mut Vec<Source>,
    ) -> Option<Decimal> {
        let mut trace = Some(Vec::new());
        let v = self.eval(series, flow, basis, period, &mut trace)?;
        sources.extend(trace.unwrap_or_default());
        Some(v)
    }

    /// A value as given, else summed from a group's members, else derived from its flows, else
    /// summed from its months. Where any part is missing the value is missing.
    fn eval(
        &self,
        series: SeriesId,
        flow: Flow,
        basis: Basis,
        period: Period,
        trace: &mut Option<Vec<Source>>,
    ) -> Option<Decimal> {
        let key = ObsKey { series, flow, basis, period };
        // Most reads want the value alone: the rest of the row is decoded only when asked for.
        if trace.is_none() && !self.as_first_reported {
            if let Some(v) = self.ds.obs.amount(&key) {
                return Some(v);
            }
        } else if let Some(o) = self.ds.obs.get(&key) {
            if let Some(t) = trace {
                t.push(o.source);
            }
            return Some(match o.revised_from {
                Some((first, _)) if self.as_first_reported => first,
                _ => o.value,
            });
        }
        if let Some(members) = self.ds.groups.get(&series) {
            let mut sum = Decimal::ZERO;
            for m in members.iter().filter(|m| m.active(self.at)) {
                sum += self.eval(m.series, flow, basis, period, trace)?;
            }
            return Some(sum);
        }
        if matches!(flow, Flow::Total | Flow::Balance) {
            let ex = self.eval(series, Flow::Export, basis, period, trace);
            let im = self.eval(series, Flow::Import, basis, period, trace);
            if let (Some(e), Some(i)) = (ex, im) {
                return Some(if flow == Flow::Total { e + i } else { e - i });
            }
        }
        if basis == Basis::Month {
            return None;
        }
        if trace.is_none() && !self.as_first_reported {
            return self.ds.obs.month_sum(series, flow, period);
        }
        let mut sum = Decimal::ZERO;
        for m in period.months_to_date() {
            sum += self.eval(series, flow, Basis::Month, m, trace)?;
        }
        Some(sum)
    }

    /// The first month missing from a year to date after a month that is there: a hole in the
    /// data, which would otherwise silently drop the member from ranks.
    fn ytd_gap(&self, series: SeriesId, flow: Flow, basis: Basis, period: Period) -> Option<Period> {
        if basis != Basis::Ytd
            || self.amount(series, flow, basis, period).is_some()
            || self.ds.groups.contains_key(&series)
        {
            return None;
        }
        let months: Vec<(Period, bool)> =
            period.months_to_date().map(|m| (m, self.amount(series, flow, Basis::Month, m).is_some())).collect();
        // A month missing after one that is there; a member whose rows start later in the year
        // (a new partner, or a month-alone row beside published year-to-date ones) has no gap.
        let first_present = months.iter().position(|(_, present)| *present)?;
        months[first_present..].iter().find(|(_, present)| !present).map(|(m, _)| *m)
    }

    /// The published rate where the row gives one, else the rate derived from the values.
    fn yoy(
        &self,
        series: SeriesId,
        flow: Flow,
        basis: Basis,
        period: Period,
        now: Decimal,
    ) -> (Option<Decimal>, Option<RateSource>) {
        let prior = self.amount(series, flow, basis, period.year_earlier());
        let published = |b: Basis| self.ds.obs.get(&ObsKey { series, flow, basis: b, period }).and_then(|o| o.yoy_pct);
        // January's year to date is January: its published rate stands for both.
        let carried = (basis == Basis::Ytd
            && period.month == 1
            && !self.ds.obs.contains_key(&ObsKey { series, flow, basis, period }))
        .then(|| published(Basis::Month))
        .flatten();
        if let Some(g) = published(basis).or(carried) {
            // A balance that changed sign has no rate, whoever computed one.
            if flow == Flow::Balance && prior.is_some_and(|p| !same_sign(now, p)) {
                return (None, None);
            }
            return (Some(g), Some(RateSource::Published));
        }
        match prior.and_then(|p| growth_pct(now, p, flow)) {
            Some(g) => (Some(g), Some(RateSource::Derived)),
            None => (None, None),
        }
    }

    /// Which way a month moved year on year, as it will be printed: rates that round to 0.0% are
    /// flat, so that a bulletin never calls a month that "was flat" part of a run of declines.
    fn direction(&self, series: SeriesId, flow: Flow, period: Period) -> Option<std::cmp::Ordering> {
        let now = self.amount(series, flow, Basis::Month, period)?;
        let g = self.yoy(series, flow, Basis::Month, period, now).0?;
        Some(g.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero).cmp(&Decimal::ZERO))
    }

    /// The run of months of year-on-year growth or decline ending at `period`, and the last month
    /// before it that moved the same way; nothing where the run reaches back to the start of the data.
    fn streak(&self, series: SeriesId, flow: Flow, period: Period) -> Streak {
        use std::cmp::Ordering::*;
        let Some(dir) = self.direction(series, flow, period) else { return Streak::default() };
        let mut len = 1;
        let mut m = period.prev();
        while self.direction(series, flow, m) == Some(dir) {
            len += 1;
            m = m.prev();
        }
        // A run that goes back to the first month with a rate may have started earlier: its
        // length is unknown, and saying "the third consecutive month" would be wrong.
        if self.direction(series, flow, m).is_none() {
            return Streak::default();
        }
        let previous_same = if dir == Equal {
            None
        } else {
            loop {
                match self.direction(series, flow, m) {
                    None => break None,
                    Some(d) if d == dir => break Some(m),
                    Some(_) => m = m.prev(),
                }
            }
        };
        let (growth, decline) = match dir {
            Greater => (len, 0),
            Less => (0, len),
            Equal => (0, 0),
        };
        Streak { growth: Some(growth), decline: Some(decline), previous_same }
    }

    /// `now` against the same months of every earlier year with a value, back to the first gap.
    fn history(&self, series: SeriesId, flow: Flow, basis: Basis, period: Period, now: Decimal) -> History {
        let mut h = History { record_high: true, record_low: true, ..History::default() };
        let mut year = period.year - 1;
        while let Some(p) = Period::new(year, period.month) {
            let Some(v) = self.amount(series, flow, basis, p) else { break };
            h.years += 1;
            if v >= now {
                h.record_high = false;
                h.high_since.get_or_insert(year);
            }
            if v <= now {
                h.record_low = false;
                h.low_since.get_or_insert(year);
            }
            year -= 1;
        }
        if h.years < MIN_RECORD_YEARS {
            h.record_high = false;
            h.record_low = false;
        }
        h
    }
}

/// The dataset's id for file names: `id` in dataset.yaml, else the folder's name.
pub fn dataset_id(ds: &Dataset) -> String {
    ds.spec.id.clone().unwrap_or_else(|| {
        ds.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "bulletin".into())
    })
}

fn meta(ds: &Dataset) -> Meta {
    let spec = &ds.spec;
    let id = dataset_id(ds);
    Meta {
        id,
        reporter: spec.reporter.clone(),
        currency: spec.currency,
        unit: spec.unit,
        source: spec.source.clone(),
        labels: spec.dimensions.iter().map(|(k, d)| (k.clone(), d.label.clone())).collect(),
        complete: std::iter::once(TOTAL_DIMENSION.to_string())
            .chain(spec.dimensions.iter().filter(|(_, d)| d.complete).map(|(k, _)| k.clone()))
            .collect(),
        names: spec.dimensions.iter().map(|(k, d)| (k.clone(), d.members.clone())).collect(),
        files: ds.files.iter().map(|f| f.display().to_string()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn growth_is_exact_and_absent_without_a_base() {
        assert_eq!(growth_pct(d("104.2"), d("100"), Flow::Total), Some(d("4.2")));
        assert_eq!(growth_pct(d("91.9"), d("100"), Flow::Export), Some(d("-8.1")));
        assert_eq!(growth_pct(d("5"), d("0"), Flow::Import), None);
        // A deficit that widens from 10 to 15 grew 50%; a surplus that turns into a deficit has no rate.
        assert_eq!(growth_pct(d("-15"), d("-10"), Flow::Balance), Some(d("50")));
        assert_eq!(growth_pct(d("155"), d("105.2"), Flow::Balance).map(|g| g.round_dp(1)), Some(d("47.3")));
        assert_eq!(growth_pct(d("-5"), d("10"), Flow::Balance), None);
    }

    #[test]
    fn ranks_share_places_on_ties() {
        let r = competition_ranks(&[(0, d("5")), (1, d("9")), (2, d("5")), (3, d("1"))]);
        assert_eq!(r, vec![(0, 2, 4), (1, 1, 4), (2, 2, 4), (3, 4, 4)]);
    }
}
