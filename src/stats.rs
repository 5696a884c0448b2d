//! Stage 2: every figure a sentence could need, computed exactly from a [`Dataset`].
//!
//! Figures are exact decimals. A figure that cannot be computed (no base period, a zero base)
//! is `None`, never zero, so no rule can fire on it.

use crate::dataset::{
    Basis, Currency, Dataset, Flow, MemberName, Names, ObsKey, Period, Reporter, SeriesId, Source, TOTAL_DIMENSION,
};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Why statistics could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    /// Nothing in the dataset covers the period asked for.
    #[error("{dir}: no figure for the reporter's total trade in {period}{latest}")]
    NoData {
        /// The dataset folder.
        dir: String,
        /// The period asked for.
        period: Period,
        /// ", the latest is YYYY-MM" or empty.
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
    /// How many members of the dimension have a value (the field `rank_value` ranks among).
    pub ranked_value: u32,
    /// How many members of the dimension have a growth rate.
    pub ranked_growth: u32,
    /// The data rows behind `value` and `prior_value`, as `file:line`.
    pub rows: Vec<String>,
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
    /// (dimension, member) to names by language.
    pub names: BTreeMap<String, BTreeMap<String, BTreeMap<String, MemberName>>>,
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

    /// Computes every figure for `period`.
    pub fn compute(ds: &Dataset, period: Period) -> Result<Stats, StatsError> {
        let calc = Calc { ds };
        if calc.value(0, Flow::Total, Basis::Ytd, period).is_none()
            && calc.value(0, Flow::Total, Basis::Month, period).is_none()
        {
            return Err(StatsError::NoData {
                dir: ds.dir.display().to_string(),
                period,
                latest: ds
                    .latest_period()
                    .map(|p| format!("; the latest month in the data is {p}"))
                    .unwrap_or_default(),
            });
        }
        let mut series = Vec::new();
        for basis in [Basis::Ytd, Basis::Month] {
            for flow in Flow::ALL {
                let total_now = calc.value(0, flow, basis, period);
                let total_prior = calc.value(0, flow, basis, period.year_earlier());
                let total_yoy = total_now.as_ref().and_then(|t| calc.yoy(0, flow, basis, period, t.value).0);
                let first = series.len();
                for (id, s) in ds.series.iter().enumerate() {
                    let id = id as SeriesId;
                    let Some(now) = calc.value(id, flow, basis, period) else {
                        continue;
                    };
                    let prior = calc.value(id, flow, basis, period.year_earlier());
                    let (yoy_pct, yoy_source) = calc.yoy(id, flow, basis, period, now.value);
                    let given = ds.obs.get(&ObsKey { series: id, flow, basis, period });
                    let is_total = s.dimension == TOTAL_DIMENSION;
                    let shares = !is_total && flow != Flow::Balance;
                    let share_of = |v: Option<Decimal>, t: Option<Decimal>| match (v, t) {
                        (Some(v), Some(t)) if shares && t > Decimal::ZERO => Some(v / t * HUNDRED),
                        _ => None,
                    };
                    let computed_share = share_of(Some(now.value), total_now.as_ref().map(|t| t.value));
                    let prior_share = share_of(prior.as_ref().map(|p| p.value), total_prior.as_ref().map(|t| t.value));
                    let share_pct = given.and_then(|o| o.share_pct).filter(|_| shares).or(computed_share);
                    let share_change_pp = given
                        .and_then(|o| o.share_change_pp)
                        .filter(|_| shares)
                        .or_else(|| computed_share.zip(prior_share).map(|(a, b)| a - b));
                    let gap_pp = match (yoy_pct, total_yoy) {
                        (Some(g), Some(t)) if shares => Some(g - t),
                        _ => None,
                    };
                    let contribution_pp = match (&prior, &total_prior) {
                        (Some(p), Some(tp)) if flow != Flow::Balance && tp.value > Decimal::ZERO => {
                            Some((now.value - p.value) / tp.value * HUNDRED)
                        }
                        _ => None,
                    };
                    let mut rows: Vec<String> = now.sources.iter().map(|s| calc.cite(*s)).collect();
                    if let Some(p) = &prior {
                        rows.extend(p.sources.iter().map(|s| calc.cite(*s)));
                    }
                    series.push(SeriesStats {
                        dimension: s.dimension.clone(),
                        member: s.member.clone(),
                        flow,
                        basis,
                        figures: Figures {
                            value: now.value,
                            prior_value: prior.map(|p| p.value),
                            yoy_pct,
                            yoy_source,
                            share_pct,
                            share_change_pp,
                            gap_pp,
                            contribution_pp,
                            rank_value: None,
                            rank_growth: None,
                            ranked_value: 0,
                            ranked_growth: 0,
                            rows,
                        },
                    });
                }
                if flow != Flow::Balance {
                    rank(&mut series[first..]);
                }
            }
        }
        let index = series
            .iter()
            .enumerate()
            .map(|(i, s)| ((s.dimension.clone(), s.member.clone(), s.flow, s.basis), i))
            .collect();
        Ok(Stats { period, meta: meta(ds), series, index })
    }
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
    }
}

/// Standard competition ranking ("1224"), highest first: returns (item, rank, how many ranked).
pub fn competition_ranks(items: &[(usize, Decimal)]) -> Vec<(usize, u32, u32)> {
    let n = items.len() as u32;
    items.iter().map(|&(i, v)| (i, 1 + items.iter().filter(|&&(_, w)| w > v).count() as u32, n)).collect()
}

/// Year-on-year growth in percent from a value and its base; `None` where it means nothing.
///
/// A balance grows when its size grows in the same direction (a widening surplus or deficit);
/// across a change of sign there is no rate.
pub fn growth_pct(value: Decimal, base: Decimal, flow: Flow) -> Option<Decimal> {
    if flow == Flow::Balance {
        if base.is_zero() || value.is_sign_negative() != base.is_sign_negative() || value.is_zero() {
            return None;
        }
        return Some((value.abs() - base.abs()) / base.abs() * HUNDRED);
    }
    (base > Decimal::ZERO).then(|| (value - base) / base * HUNDRED)
}

struct Val {
    value: Decimal,
    sources: Vec<Source>,
}

struct Calc<'a> {
    ds: &'a Dataset,
}

impl Calc<'_> {
    /// A value as given, else derived from its flows, else summed from its months.
    fn value(&self, series: SeriesId, flow: Flow, basis: Basis, period: Period) -> Option<Val> {
        if let Some(o) = self.ds.obs.get(&ObsKey { series, flow, basis, period }) {
            return Some(Val { value: o.value, sources: vec![o.source] });
        }
        let parts = match flow {
            Flow::Total | Flow::Balance => {
                let ex = self.value(series, Flow::Export, basis, period);
                let im = self.value(series, Flow::Import, basis, period);
                ex.zip(im).map(|(mut e, i)| {
                    let value = if flow == Flow::Total { e.value + i.value } else { e.value - i.value };
                    e.sources.extend(i.sources);
                    Val { value, sources: e.sources }
                })
            }
            _ => None,
        };
        if parts.is_some() || basis == Basis::Month {
            return parts;
        }
        let mut sum = Val { value: Decimal::ZERO, sources: Vec::new() };
        for m in period.months_to_date() {
            let v = self.value(series, flow, Basis::Month, m)?;
            sum.value += v.value;
            sum.sources.extend(v.sources);
        }
        Some(sum)
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
        if let Some(g) = self.ds.obs.get(&ObsKey { series, flow, basis, period }).and_then(|o| o.yoy_pct) {
            return (Some(g), Some(RateSource::Published));
        }
        match self.value(series, flow, basis, period.year_earlier()).and_then(|p| growth_pct(now, p.value, flow)) {
            Some(g) => (Some(g), Some(RateSource::Derived)),
            None => (None, None),
        }
    }

    fn cite(&self, s: Source) -> String {
        format!("{}:{}", self.ds.files[s.file as usize].display(), s.line)
    }
}

fn meta(ds: &Dataset) -> Meta {
    let spec = &ds.spec;
    let id = spec.id.clone().unwrap_or_else(|| {
        ds.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "bulletin".into())
    });
    Meta {
        id,
        reporter: spec.reporter.clone(),
        currency: spec.currency,
        unit: spec.unit,
        source: spec.source.clone(),
        labels: spec.dimensions.iter().map(|(k, d)| (k.clone(), d.label.clone())).collect(),
        names: spec.dimensions.iter().map(|(k, d)| (k.clone(), d.members.clone())).collect(),
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
