//! Finding a value (given, a group's sum, exports and imports, or the sum of its months), its
//! growth, the runs of months it ends and how it compares with earlier years.

use super::{HUNDRED, RateSource, StatsError};
use crate::dataset::{Basis, Dataset, Flow, ObsKey, Period, Series, SeriesId, Source};
use rust_decimal::Decimal;

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
pub(super) struct Streak {
    pub(super) growth: Option<u32>,
    pub(super) decline: Option<u32>,
    pub(super) previous_same: Option<Period>,
}

/// How a value compares with the same months of earlier years.
#[derive(Debug, Default)]
pub(super) struct History {
    pub(super) years: u32,
    /// The first year with a value.
    pub(super) from: Option<i32>,
    pub(super) record_high: bool,
    pub(super) record_low: bool,
    pub(super) high_since: Option<i32>,
    pub(super) low_since: Option<i32>,
}

/// Earlier years a record is set against: at least this many, or it is no record.
pub const MIN_RECORD_YEARS: u32 = 3;

#[derive(Clone, Copy)]
pub(super) struct Calc<'a> {
    pub(super) ds: &'a Dataset,
    /// The reported month: groups take their membership from it for every period they are summed
    /// over, so that a group's growth compares the same members (the EU without the UK in 2020
    /// against the EU without the UK in 2019).
    pub(super) at: Period,
    /// Read every revised row as it was first reported: what a figure was before revisions.
    pub(super) as_first_reported: bool,
    /// The first year any row gives: how far back records look.
    pub(super) first_year: i32,
}

impl<'a> Calc<'a> {
    /// Figures as they now stand, for `period`; refused where the reporter's total is missing.
    pub(super) fn new(ds: &'a Dataset, period: Period) -> Result<Calc<'a>, StatsError> {
        let first_year = (0..ds.series.len() as SeriesId)
            .filter_map(|s| ds.obs.first_period(s))
            .min()
            .map_or(period.year, |p| p.year);
        let calc = Calc { ds, at: period, as_first_reported: false, first_year };
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
    pub(super) fn no_gap(&self, id: SeriesId, s: &Series, flow: Flow, basis: Basis) -> Result<(), StatsError> {
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
    pub(super) fn amount(&self, series: SeriesId, flow: Flow, basis: Basis, period: Period) -> Option<Decimal> {
        self.eval(series, flow, basis, period, &mut None)
    }

    /// A value, adding the rows behind it to `sources` (only if the value exists).
    pub(super) fn traced(
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
    pub(super) fn eval(
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
            // A group with no member in the reported month (RCEP before 2022) has no value, not zero.
            let mut sum = None;
            for m in members.iter().filter(|m| m.active(self.at)) {
                sum = Some(sum.unwrap_or(Decimal::ZERO) + self.eval(m.series, flow, basis, period, trace)?);
            }
            return sum;
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
    pub(super) fn ytd_gap(&self, series: SeriesId, flow: Flow, basis: Basis, period: Period) -> Option<Period> {
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
    pub(super) fn yoy(
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
    pub(super) fn direction(&self, series: SeriesId, flow: Flow, period: Period) -> Option<std::cmp::Ordering> {
        let now = self.amount(series, flow, Basis::Month, period)?;
        let g = self.yoy(series, flow, Basis::Month, period, now).0?;
        Some(g.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero).cmp(&Decimal::ZERO))
    }

    /// The run of months of year-on-year growth or decline ending at `period`, and the last month
    /// before it that moved the same way; nothing where the run reaches back to the start of the data.
    pub(super) fn streak(&self, series: SeriesId, flow: Flow, period: Period) -> Streak {
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

    /// `now` against the same months of every earlier year the data hold: a year without a value
    /// is skipped, not taken for the start of the data.
    pub(super) fn history(&self, series: SeriesId, flow: Flow, basis: Basis, period: Period, now: Decimal) -> History {
        let mut h = History { record_high: true, record_low: true, ..History::default() };
        for year in (self.first_year..period.year).rev() {
            let Some(p) = Period::new(year, period.month) else { continue };
            let Some(v) = self.amount(series, flow, basis, p) else { continue };
            h.years += 1;
            h.from = Some(year);
            if v >= now {
                h.record_high = false;
                h.high_since.get_or_insert(year);
            }
            if v <= now {
                h.record_low = false;
                h.low_since.get_or_insert(year);
            }
        }
        if h.years < MIN_RECORD_YEARS {
            h.record_high = false;
            h.record_low = false;
        }
        h
    }
}
