//! The data agrees with itself, or it is refused: wherever a figure can be had two ways, the two
//! must agree to within the rounding of how they are published, and never so far apart that a
//! printed figure, the sign of a change or the direction of a balance would differ.
//!
//! - A given total, balance or year to date against the same figure derived from its parts
//!   (exports and imports, the months), the parts given or derived in turn.
//! - A published growth rate, share or change in share against the one the values give; for a
//!   row that gives no value, the value its parts give, where they do.
//! - A published change in quantity against the quantities (the `quantity` module).
//! - Every member and group against the reporter's total: no share above 100%.
//!
//! Rounding: a figure written with `d` decimals is known to half a unit of its last digit (a
//! whole number too, unless `trailing_zeros: rounding` says its trailing zeros are rounding), and
//! a sum to the half-units of its rows added up.

mod quantity;
mod rates;

use super::{Basis, Dataset, DatasetError, Flow, Obs, ObsKey, Period, SeriesId, Source, TrailingZeros};
use rust_decimal::{Decimal, RoundingStrategy};

/// A figure known to within rounding: its value, the most rounding can have moved it, and the
/// rows it was read or summed from.
#[derive(Debug, Clone)]
struct Known {
    value: Decimal,
    slack: Decimal,
    rows: Vec<Source>,
}

impl Known {
    fn plus(mut self, other: Known, sign: Decimal) -> Known {
        self.value += sign * other.value;
        self.slack += other.slack;
        self.rows.extend(other.rows);
        self
    }
}

/// Published rates that differ from the values' rates by more than rounding, where the dataset
/// says they are computed on revised figures it does not hold.
#[derive(Debug, Default)]
struct Revised {
    rates: usize,
    differ: usize,
    most: Decimal,
}

/// Rows cited in a message: the first few, and how many more.
const CITED: usize = 6;

impl Dataset {
    /// Refuses data that disagrees with itself (see the module's opening comment), and notes
    /// published rates that differ from the values within the margin the dataset accepts.
    pub(super) fn check_consistency(&mut self) -> Result<(), DatasetError> {
        let mut revised = Revised::default();
        self.check_amounts()?;
        self.check_rates(&mut revised)?;
        self.check_quantity_rates(&mut revised)?;
        self.check_within_total()?;
        self.check_groups()?;
        if self.spec.published_rates.revised_base {
            let margin = self.spec.published_rates.margin();
            self.notes.push(if revised.differ == 0 {
                format!(
                    "{}: the {} published rates and changes in share agree with the values to their rounding \
                     (`published_rates` accepts up to {margin} points more)",
                    self.dir.display(),
                    revised.rates
                )
            } else {
                format!(
                    "{}: {} of {} published rates and changes in share differ from what the values give by more \
                     than rounding, by up to {} points (computed by the office on revised figures; \
                     `published_rates` accepts up to {margin} points more than rounding)",
                    self.dir.display(),
                    revised.differ,
                    revised.rates,
                    round(revised.most, 2).normalize()
                )
            });
        }
        Ok(())
    }

    /// Half a unit of the last digit of a figure as written.
    fn half_unit(&self, v: Decimal) -> Decimal {
        half_unit(v, self.spec.trailing_zeros)
    }

    /// The step, in the dataset's unit, at which a bulletin prints an amount of about `v`: two
    /// decimals of the scale word in English, one of 亿 or 万 in Chinese, whichever is finer.
    fn print_step(&self, v: Decimal) -> Decimal {
        let Some(x) = v.abs().checked_mul(self.spec.unit) else { return Decimal::ONE };
        let p = |e: u32| Decimal::from_i128_with_scale(10i128.pow(e), 0);
        let en = if x >= p(12) {
            p(10)
        } else if x >= p(9) {
            p(7)
        } else if x >= p(6) {
            p(4)
        } else {
            Decimal::ONE
        };
        let zh = if x >= p(12) {
            p(10)
        } else if x >= p(8) {
            p(7)
        } else if x >= p(4) {
            p(3)
        } else {
            Decimal::ONE
        };
        en.min(zh) / self.spec.unit
    }

    /// A figure as given, or else derived from its parts.
    fn known(&self, key: ObsKey) -> Option<Known> {
        match self.obs.get(&key) {
            Some(o) => Some(Known { value: o.value, slack: self.half_unit(o.value), rows: vec![o.source] }),
            None => self.by_flows(key).or_else(|| self.by_months(key)),
        }
    }

    /// A figure's value as given or derived, as [`Dataset::known`] finds it, without the rows or
    /// the rounding: the common case of a check, made for every row.
    fn value(&self, key: ObsKey) -> Option<Decimal> {
        if let Some(v) = self.obs.amount(&key) {
            return Some(v);
        }
        if matches!(key.flow, Flow::Total | Flow::Balance) {
            let e = self.value(ObsKey { flow: Flow::Export, ..key });
            let i = self.value(ObsKey { flow: Flow::Import, ..key });
            if let (Some(e), Some(i)) = (e, i) {
                return Some(if key.flow == Flow::Total { e + i } else { e - i });
            }
        }
        if key.basis != Basis::Ytd {
            return None;
        }
        key.period.months_to_date().map(|m| self.value(ObsKey { basis: Basis::Month, period: m, ..key })).sum()
    }

    /// A total or balance from exports and imports.
    fn by_flows(&self, key: ObsKey) -> Option<Known> {
        let sign = match key.flow {
            Flow::Total => Decimal::ONE,
            Flow::Balance => Decimal::NEGATIVE_ONE,
            _ => return None,
        };
        let e = self.known(ObsKey { flow: Flow::Export, ..key })?;
        let i = self.known(ObsKey { flow: Flow::Import, ..key })?;
        Some(e.plus(i, sign))
    }

    /// A year to date from its months (January's is January).
    fn by_months(&self, key: ObsKey) -> Option<Known> {
        if key.basis != Basis::Ytd {
            return None;
        }
        let mut sum = Known { value: Decimal::ZERO, slack: Decimal::ZERO, rows: Vec::new() };
        for m in key.period.months_to_date() {
            sum = sum.plus(self.known(ObsKey { basis: Basis::Month, period: m, ..key })?, Decimal::ONE);
        }
        Some(sum)
    }

    fn cite(&self, rows: &[Source]) -> String {
        let mut rows = rows.to_vec();
        rows.sort_by_key(|s| (s.file, s.line));
        rows.dedup();
        let mut out: Vec<String> =
            rows.iter().take(CITED).map(|s| format!("{}:{}", self.files[s.file as usize].display(), s.line)).collect();
        if rows.len() > CITED {
            out.push(format!("and {} more rows", rows.len() - CITED));
        }
        out.join(", ")
    }

    fn refuse(&self, at: Source, field: &str, message: String) -> DatasetError {
        DatasetError::Row {
            path: self.files[at.file as usize].clone(),
            line: at.line as u64,
            field: field.into(),
            message: format!("{message}; the data contradicts itself"),
        }
    }

    /// Every given total, balance and year to date against the same figure from its parts.
    fn check_amounts(&self) -> Result<(), DatasetError> {
        for key in self.obs.keys().filter(|k| k.flow >= Flow::Total || k.basis == Basis::Ytd) {
            let given = self.obs.get(&key).expect("a key of the store");
            if let Some(d) = self.by_flows(key) {
                let what = if key.flow == Flow::Total { "exports plus imports" } else { "exports minus imports" };
                self.compare(key, &given, d, what)?;
            }
            if let Some(d) = self.by_months(key) {
                let what = if key.period.month == 1 { "its January month" } else { "the sum of its months" };
                self.compare(key, &given, d, what)?;
            }
        }
        Ok(())
    }

    /// A given figure against the same figure derived.
    fn compare(&self, key: ObsKey, given: &Obs, derived: Known, what: &str) -> Result<(), DatasetError> {
        let (g, d) = (given.value, derived.value);
        let slack = self.half_unit(g) + derived.slack;
        // Never more than a bulletin's printed step, however coarse the figures: a reader must
        // not find 2.1 trillion beside parts that make 2.05.
        let tolerance = slack.min(self.print_step(g.abs().min(d.abs())));
        let why = if (g - d).abs() > tolerance {
            Some(format!(
                "they differ by {}, where rounding allows {}",
                (g - d).abs().normalize(),
                tolerance.normalize()
            ))
        } else if key.flow == Flow::Balance && sign(g) * sign(d) < 0 {
            Some("one is a surplus and the other a deficit".to_string())
        } else {
            let prior = self.value(ObsKey { period: key.period.year_earlier(), ..key });
            match prior.and_then(|p| growth(g, p, key.flow).zip(growth(d, p, key.flow))) {
                Some((a, b)) if opposite(a, b) || (round(a, 1) - round(b, 1)).abs() > Decimal::new(1, 1) => {
                    Some(format!(
                        "the growth from a year earlier would print as {}% from one and {}% from the other",
                        round(a, 1),
                        round(b, 1)
                    ))
                }
                _ => None,
            }
        };
        match why {
            None => Ok(()),
            Some(why) => Err(self.refuse(
                given.source,
                "value",
                format!("{g} is not {what} ({d}, from {}): {why}", self.cite(&derived.rows)),
            )),
        }
    }

    /// Every member's given value against the reporter's total: a part is never more than the whole.
    fn check_within_total(&self) -> Result<(), DatasetError> {
        for key in self.obs.keys().filter(|k| k.series != 0 && k.flow != Flow::Balance) {
            let Some(t) = self.value(ObsKey { series: 0, ..key }) else { continue };
            let v = self.obs.amount(&key).expect("a key of the store");
            if v <= t {
                continue;
            }
            let total = self.known(ObsKey { series: 0, ..key }).expect("a total with a value");
            if v - t > self.half_unit(v) + total.slack {
                let o = self.obs.get(&key).expect("a key of the store");
                return Err(self.refuse(
                    o.source,
                    "value",
                    format!(
                        "{v} is more than the reporter's total ({t}, from {}): a share of {}%",
                        self.cite(&total.rows),
                        round(v / t.max(Decimal::new(1, 28)) * Decimal::ONE_HUNDRED, 1)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Every group, with each membership it has over time, against the reporter's total.
    fn check_groups(&self) -> Result<(), DatasetError> {
        let (Some(first), Some(last)) = (self.obs.first_period(0), self.obs.last_period(0)) else { return Ok(()) };
        let mut ids: Vec<&SeriesId> = self.groups.keys().collect();
        ids.sort();
        for &group in ids {
            let members = &self.groups[&group];
            // The membership is the same between the months members join or leave: one set each.
            let mut changes: Vec<Period> = vec![Period { year: 1800, month: 1 }];
            for m in members {
                changes.extend(m.from);
                changes.extend(m.until.map(Period::next_month));
            }
            changes.sort();
            changes.dedup();
            let mut sets: Vec<(Period, Vec<SeriesId>)> = Vec::new();
            for at in changes {
                let set: Vec<SeriesId> = members.iter().filter(|m| m.active(at)).map(|m| m.series).collect();
                if !set.is_empty() && !sets.iter().any(|(_, s)| *s == set) {
                    sets.push((at, set));
                }
            }
            let mut p = first;
            while p <= last {
                for flow in [Flow::Export, Flow::Import, Flow::Total] {
                    let key = |series| ObsKey { series, flow, basis: Basis::Month, period: p };
                    let Some(t) = self.value(key(0)) else { continue };
                    for (at, set) in &sets {
                        let sum: Option<Decimal> = set.iter().map(|s| self.value(key(*s))).sum();
                        if let Some(sum) = sum.filter(|s| *s > t) {
                            self.group_over(group, *at, set, key(0), sum)?;
                        }
                    }
                }
                p = p.next_month();
            }
        }
        Ok(())
    }

    /// Refuses a group whose members add up to more than the total, beyond rounding.
    fn group_over(
        &self,
        group: SeriesId,
        at: Period,
        set: &[SeriesId],
        total: ObsKey,
        sum: Decimal,
    ) -> Result<(), DatasetError> {
        let t = self.known(total).expect("a total with a value");
        let parts: Vec<Known> = set.iter().filter_map(|s| self.known(ObsKey { series: *s, ..total })).collect();
        let slack: Decimal = parts.iter().map(|k| k.slack).sum::<Decimal>() + t.slack;
        if sum - t.value <= slack {
            return Ok(());
        }
        let rows: Vec<Source> = parts.iter().flat_map(|k| k.rows.iter().copied()).collect();
        let name = &self.series[group as usize].member;
        let since = if at.year == 1800 { String::new() } else { format!(" (as of {at})") };
        Err(DatasetError::Spec {
            path: self.dir.join("dataset.yaml"),
            message: format!(
                "group `{name}`: its members{since} add up to {sum} in {} {} (from {}), more than the reporter's \
                 total of {} ({}): a share of {}%; the data contradicts itself",
                total.period,
                total.flow,
                self.cite(&rows),
                t.value,
                self.cite(&t.rows),
                round(sum / t.value.max(Decimal::new(1, 28)) * Decimal::ONE_HUNDRED, 1)
            ),
        })
    }
}

/// A published rate and half a unit of its last digit.
struct Rate {
    value: Decimal,
    half: Decimal,
}

impl Rate {
    /// Whether the rate is in `lo..=hi` widened by its own rounding and `margin`.
    fn within(&self, lo: Decimal, hi: Decimal, margin: Decimal) -> bool {
        lo - self.half - margin <= self.value && self.value <= hi + self.half + margin
    }
}

/// Half a unit of the last digit of `v` as written (`12.50`: 0.005); of a whole number's last
/// nonzero digit where trailing zeros are rounding (`21000`: 500).
pub(super) fn half_unit(v: Decimal, zeros: TrailingZeros) -> Decimal {
    let scale = v.scale();
    if scale > 0 || zeros == TrailingZeros::Digits || v.is_zero() {
        return Decimal::from_i128_with_scale(5, (scale + 1).min(28));
    }
    let mut m = v.mantissa().unsigned_abs();
    let mut zeros = 0u32;
    while m.is_multiple_of(10) {
        m /= 10;
        zeros += 1;
    }
    if zeros == 0 { Decimal::new(5, 1) } else { Decimal::from_i128_with_scale(5 * 10i128.pow(zeros - 1), 0) }
}

/// Rounds half away from zero, as bulletins print.
fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// -1, 0 or 1.
fn sign(d: Decimal) -> i8 {
    if d.is_zero() {
        0
    } else if d.is_sign_negative() {
        -1
    } else {
        1
    }
}

/// Whether two rates print with opposite directions (one up, the other down).
fn opposite(a: Decimal, b: Decimal) -> bool {
    sign(round(a, 1)) * sign(round(b, 1)) < 0
}

/// Year-on-year growth in percent, as the statistics compute it: a balance grows when its size
/// does on the same side; no rate across a change of sign or from a base of zero.
fn growth(value: Decimal, base: Decimal, flow: Flow) -> Option<Decimal> {
    let (v, b) = if flow == Flow::Balance {
        if value.is_zero() || base.is_zero() || value.is_sign_negative() != base.is_sign_negative() {
            return None;
        }
        (value.abs(), base.abs())
    } else {
        (value, base)
    };
    if b <= Decimal::ZERO {
        return None;
    }
    (v - b).checked_div(b)?.checked_mul(Decimal::ONE_HUNDRED)
}

/// The growth from `prior` to `now` (low, central, high) over every value their rounding allows;
/// `None` where the base could be zero or the sign of a balance is not pinned down.
fn growth_range(now: &Known, prior: &Known, flow: Flow) -> Option<(Decimal, Decimal, Decimal)> {
    let mid = growth(now.value, prior.value, flow)?;
    let (v, p) = if flow == Flow::Balance { (now.value.abs(), prior.value.abs()) } else { (now.value, prior.value) };
    if p - prior.slack <= Decimal::ZERO || (flow == Flow::Balance && v - now.slack <= Decimal::ZERO) {
        return None;
    }
    let lo = growth((v - now.slack).max(Decimal::ZERO), p + prior.slack, Flow::Total)?;
    let hi = growth(v + now.slack, p - prior.slack, Flow::Total)?;
    Some((lo, mid, hi))
}

/// The share of `part` in `whole` (low, central, high) over every value their rounding allows;
/// `None` where the whole could be zero.
fn share_range(part: &Known, whole: &Known) -> Option<(Decimal, Decimal, Decimal)> {
    if whole.value - whole.slack <= Decimal::ZERO {
        return None;
    }
    let pct = |a: Decimal, b: Decimal| a.checked_div(b)?.checked_mul(Decimal::ONE_HUNDRED);
    let lo = pct((part.value - part.slack).max(Decimal::ZERO), whole.value + whole.slack)?;
    let hi = pct(part.value + part.slack, whole.value - whole.slack)?;
    Some((lo, pct(part.value, whole.value)?, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn a_figure_is_known_to_half_its_last_digit() {
        let digits = TrailingZeros::Digits;
        assert_eq!(half_unit(d("4739.3"), digits), d("0.05"));
        assert_eq!(half_unit(d("12.50"), digits), d("0.005"));
        assert_eq!(half_unit(d("21000"), digits), d("0.5"));
        assert_eq!(half_unit(d("21000"), TrailingZeros::Rounding), d("500"));
        assert_eq!(half_unit(d("174100"), TrailingZeros::Rounding), d("50"));
        assert_eq!(half_unit(d("4739"), TrailingZeros::Rounding), d("0.5"));
        assert_eq!(half_unit(d("0"), TrailingZeros::Rounding), d("0.5"));
    }

    #[test]
    fn growth_over_rounded_values_is_a_range() {
        let k = |v: &str, slack: &str| Known { value: d(v), slack: d(slack), rows: vec![] };
        // 15500 and 10600, each to the hundred: 46.2%, anywhere from 45.1% to 47.4%.
        let (lo, mid, hi) = growth_range(&k("15500", "50"), &k("10600", "50"), Flow::Balance).unwrap();
        assert_eq!((round(lo, 1), round(mid, 1), round(hi, 1)), (d("45.1"), d("46.2"), d("47.4")));
        assert!(growth_range(&k("5", "0.5"), &k("0.4", "0.5"), Flow::Export).is_none());
        let (lo, _, hi) = share_range(&k("21000", "500"), &k("174100", "50")).unwrap();
        assert!(lo < d("12.0") && d("12.0") < hi);
    }
}
