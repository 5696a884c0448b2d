//! Stage 2: every figure a sentence could need, computed exactly from a [`Dataset`].
//!
//! Figures are exact decimals. A figure that cannot be computed (no base period, a zero base)
//! is `None`, never zero, so no rule can fire on it. [`figures`] names every figure a rule can
//! read; [`calc`] finds values (given, summed or derived) and their growth, runs and records.

mod calc;
mod claims;
mod figures;
mod quantity;
mod trend;

pub use calc::{MIN_RECORD_YEARS, growth_pct, percent};
pub use claims::{COVERAGE_SLACK, Claims};
pub use figures::{FIGURES, Figures, Kind, Num, Provenance, RateSource};
pub use trend::{TREND_MONTHS, TrendMonth};

use crate::dataset::{
    Basis, Currency, Dataset, Flow, MemberName, Names, ObsKey, Period, Reporter, Series, SeriesId, Source, Stated,
    TOTAL_DIMENSION,
};
use calc::{Calc, Streak};
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
    /// The step values are published to, in the unit, where the dataset declares it.
    pub precision: Option<Decimal>,
    /// Dimension id to the dimensions with groups of its members (`partner` to `partner_group`
    /// where the EU is built from partners): a member of those can be larger than any of its own.
    pub grouped_by: BTreeMap<String, Vec<String>>,
    /// Credit line, by language.
    pub source: Names,
    /// Dimension id to its label by language.
    pub labels: BTreeMap<String, Names>,
    /// The dimensions whose ranks can be claimed in the month (see `DimensionSpec::complete` and
    /// the claims module); `total` is one.
    pub complete: Vec<String>,
    /// (dimension, member) to names by language.
    pub names: BTreeMap<String, BTreeMap<String, BTreeMap<String, MemberName>>>,
    /// The dataset's CSV files, as figures cite them.
    #[serde(skip)]
    pub files: Vec<String>,
    /// Where the rows that say so were published: their `source_url` and `note`, by row. Shared
    /// by every bulletin of the dataset.
    #[serde(skip)]
    pub provenance: std::sync::Arc<HashMap<Source, RowProvenance>>,
}

impl Meta {
    /// Writes out the rows behind a figure as `file:line`, with where each was published if its
    /// row says. Done for the figures a JSON bulletin shows, not for all: a dataset of 250
    /// partners has tens of thousands of rows behind its groups' figures alone.
    pub fn cite(&self, figures: &mut Figures) {
        let row = |s: &Source| format!("{}:{}", self.files[s.file as usize], s.line);
        figures.rows = figures.sources.iter().map(row).collect();
        figures.provenance = figures
            .sources
            .iter()
            .filter_map(|s| {
                let (source_url, note) = self.provenance.get(s)?.clone();
                Some(Provenance { row: row(s), source_url, note })
            })
            .collect();
    }
}

/// A row's `source_url` and `note`.
pub type RowProvenance = (Option<String>, Option<String>);

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
    /// The reporter's monthly trade over the [`TREND_MONTHS`] months ending at `period`, oldest first.
    #[serde(skip)]
    pub trend: Vec<TrendMonth>,
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
        let first_report = Calc { as_first_reported: true, ..calc };
        let mut all = Vec::new();
        let mut complete: Vec<String> = ds.spec.dimensions.keys().cloned().collect();
        for basis in [Basis::Ytd, Basis::Month] {
            let claims = claims::claims(ds, &calc, period, basis);
            complete.retain(|d| claims[d].complete);
            let contributions = |dim: &str| claims.get(dim).is_none_or(|c| c.contributions);
            for flow in Flow::ALL {
                let mut series = Vec::new();
                let total_now = calc.amount(0, flow, basis, period);
                let total_prior = calc.amount(0, flow, basis, period.year_earlier());
                let total_yoy = total_now.and_then(|t| calc.yoy(0, flow, basis, period, t).0);
                let one = |id: SeriesId, s: &Series| -> Result<Option<SeriesStats>, StatsError> {
                    calc.no_gap(id, s, flow, basis)?;
                    let mut sources = Vec::new();
                    let Some(now) = calc.traced(id, flow, basis, period, &mut sources) else {
                        let key = ObsKey { series: id, flow, basis, period };
                        return Ok(ds.obs.stated(&key).map(|st| stated(ds, s, key, st)));
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
                    // Differences the text states are those of the figures as printed (one
                    // decimal): a reader subtracting 13.4 from 13.4 must not read 0.1.
                    let share_change_pp = given
                        .and_then(|o| o.share_change_pp)
                        .filter(|_| shares)
                        .or_else(|| share_pct.zip(prior_share).map(|(a, b)| printed(a) - printed(b)));
                    let gap_pp = match (yoy_pct, total_yoy) {
                        (Some(g), Some(t)) if shares => Some(printed(g) - printed(t)),
                        _ => None,
                    };
                    let contribution_pp = match (prior, total_prior) {
                        (Some(p), Some(tp))
                            if flow != Flow::Balance && tp > Decimal::ZERO && contributions(&s.dimension) =>
                        {
                            percent(now - p, tp)
                        }
                        _ => None,
                    };
                    let month = basis == Basis::Month;
                    let last_month = if month { calc.amount(id, flow, basis, period.prev()) } else { None };
                    let streak = if month { calc.streak(id, flow, period) } else { Streak::default() };
                    let history = calc.history(id, flow, basis, period, now);
                    let q = quantity::quantities(ds, id, flow, basis, period, Some(now), prior);
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
                            value: Some(now),
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
                            history_from_year: history.from,
                            record_high: history.record_high,
                            record_low: history.record_low,
                            high_since_year: history.high_since,
                            low_since_year: history.low_since,
                            quantity: q.quantity,
                            prior_quantity: q.prior_quantity,
                            quantity_yoy_pct: q.quantity_yoy_pct,
                            quantity_yoy_source: q.quantity_yoy_pct.map(|_| rate_source(q.quantity_yoy_published)),
                            quantity_unit: q.unit,
                            unit_price: q.unit_price,
                            unit_price_yoy_pct: q.unit_price_yoy_pct,
                            rows: Vec::new(),
                            sources,
                            provenance: Vec::new(),
                        },
                    }))
                };
                for computed in in_parallel(&ds.series, one) {
                    series.extend(computed?);
                }
                if flow != Flow::Balance {
                    rank(&mut series, &claims);
                }
                all.extend(series);
            }
        }
        let index = all
            .iter()
            .enumerate()
            .map(|(i, s)| ((s.dimension.clone(), s.member.clone(), s.flow, s.basis), i))
            .collect();
        Ok(Stats { period, meta: meta(ds, complete), series: all, index, trend: calc.trend() })
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

/// The figures of a row that gives published figures but no value: stated as given, nothing
/// derived from them (no gap to the total, no rank, no contribution).
fn stated(ds: &Dataset, s: &Series, key: ObsKey, st: &Stated) -> SeriesStats {
    let shares = s.dimension != TOTAL_DIMENSION && key.flow != Flow::Balance;
    let q = quantity::quantities(ds, key.series, key.flow, key.basis, key.period, None, None);
    SeriesStats {
        dimension: s.dimension.clone(),
        member: s.member.clone(),
        flow: key.flow,
        basis: key.basis,
        figures: Figures {
            yoy_pct: st.yoy_pct,
            yoy_source: st.yoy_pct.map(|_| RateSource::Published),
            share_pct: st.share_pct.filter(|_| shares),
            share_change_pp: st.share_change_pp.filter(|_| shares),
            quantity: q.quantity,
            quantity_yoy_pct: q.quantity_yoy_pct.filter(|_| q.quantity_yoy_published),
            quantity_yoy_source: q.quantity_yoy_pct.filter(|_| q.quantity_yoy_published).map(|_| RateSource::Published),
            quantity_unit: q.unit,
            sources: vec![st.source],
            ..Figures::default()
        },
    }
}

fn rate_source(published: bool) -> RateSource {
    if published { RateSource::Published } else { RateSource::Derived }
}

/// Months from `a` to `b`.
fn months_between(a: Period, b: Period) -> u32 {
    ((b.year - a.year) * 12 + b.month as i32 - a.month as i32).max(0) as u32
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// A rate or share as printed: rounded half away from zero to one decimal.
fn printed(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// Ranks members within each dimension (all entries share one flow and basis), largest first,
/// where the dimension's claims allow ranks.
fn rank(entries: &mut [SeriesStats], claims: &BTreeMap<String, Claims>) {
    let mut by_dim: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        if e.dimension != TOTAL_DIMENSION {
            by_dim.entry(e.dimension.clone()).or_default().push(i);
        }
    }
    for (dim, members) in &by_dim {
        let Some(claims) = claims.get(dim) else { continue };
        if !claims.value_ranks {
            continue;
        }
        // A member without a value is left out of every rank: its published figures are stated
        // as given, and nothing is derived from them.
        let valued: Vec<usize> = members.iter().copied().filter(|&i| entries[i].figures.value.is_some()).collect();
        let values: Vec<(usize, Decimal)> =
            valued.iter().filter_map(|&i| entries[i].figures.value.map(|v| (i, v))).collect();
        let growths: Vec<(usize, Decimal)> =
            valued.iter().filter_map(|&i| entries[i].figures.yoy_pct.map(|g| (i, g))).collect();
        for (i, r, n) in competition_ranks(&values) {
            entries[i].figures.rank_value = Some(r);
            entries[i].figures.ranked_value = n;
        }
        if !claims.other_ranks {
            continue;
        }
        for (i, r, n) in competition_ranks(&growths) {
            entries[i].figures.rank_growth = Some(r);
            entries[i].figures.ranked_growth = n;
        }
        let contributions: Vec<(usize, Decimal)> =
            valued.iter().filter_map(|&i| entries[i].figures.contribution_pp.map(|c| (i, c))).collect();
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

/// The dataset's id for file names: `id` in dataset.yaml, else the folder's name.
pub fn dataset_id(ds: &Dataset) -> String {
    ds.spec.id.clone().unwrap_or_else(|| {
        ds.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "bulletin".into())
    })
}

/// What later stages need of the dataset; `complete` are the dimensions whose ranks can be claimed
/// in the month.
fn meta(ds: &Dataset, complete: Vec<String>) -> Meta {
    let spec = &ds.spec;
    let id = dataset_id(ds);
    Meta {
        id,
        reporter: spec.reporter.clone(),
        currency: spec.currency.clone(),
        unit: spec.unit,
        precision: spec.precision,
        grouped_by: spec.groups.values().fold(BTreeMap::new(), |mut m: BTreeMap<String, Vec<String>>, g| {
            let dims = m.entry(g.of.clone()).or_default();
            if !dims.contains(&g.dimension) {
                dims.push(g.dimension.clone());
            }
            m
        }),
        source: spec.source.clone(),
        labels: spec.dimensions.iter().map(|(k, d)| (k.clone(), d.label.clone())).collect(),
        complete: std::iter::once(TOTAL_DIMENSION.to_string()).chain(complete).collect(),
        names: spec.dimensions.iter().map(|(k, d)| (k.clone(), d.members.clone())).collect(),
        files: ds.files.iter().map(|f| f.display().to_string()).collect(),
        provenance: std::sync::Arc::new(
            ds.obs
                .annexes()
                .filter(|(_, a)| a.source_url.is_some() || a.note.is_some())
                .filter_map(|(k, a)| {
                    let source = ds.obs.get(k).map(|o| o.source).or_else(|| ds.obs.stated(k).map(|s| s.source))?;
                    Some((source, (a.source_url.clone(), a.note.clone())))
                })
                .collect(),
        ),
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
