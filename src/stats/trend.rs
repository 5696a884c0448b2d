//! The reporter's monthly trade over the two years to the reported month: what a release charts
//! first.

use super::calc::Calc;
use crate::dataset::{Basis, Flow, Period};
use rust_decimal::Decimal;
use serde::Serialize;

/// How many months a trend covers: two years and the month reported, so that the month a year
/// earlier is in the picture too.
pub const TREND_MONTHS: i32 = 25;

/// The reporter's total trade in one month alone. A month the data does not have is all `None`,
/// drawn as a gap, never as a zero.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendMonth {
    /// The month.
    pub period: Period,
    /// Exports, in the dataset's unit.
    pub export: Option<Decimal>,
    /// Imports, in the dataset's unit.
    pub import: Option<Decimal>,
    /// Exports minus imports, in the dataset's unit.
    pub balance: Option<Decimal>,
    /// Exports' year-on-year growth, percent (published where the data gives it).
    pub export_yoy_pct: Option<Decimal>,
    /// Imports' year-on-year growth, percent (published where the data gives it).
    pub import_yoy_pct: Option<Decimal>,
}

impl Calc<'_> {
    /// The reporter's month-alone exports, imports and balance over the [`TREND_MONTHS`] months
    /// ending at the reported month, each with its growth: the figures a fact about the total on
    /// the month basis reads.
    pub(super) fn trend(&self) -> Vec<TrendMonth> {
        let last = self.at.index();
        (last + 1 - TREND_MONTHS..=last)
            .map(|i| {
                let period = Period::from_index(i);
                let value = |flow| self.amount(0, flow, Basis::Month, period);
                let growth = |flow, v: Option<Decimal>| v.and_then(|v| self.yoy(0, flow, Basis::Month, period, v).0);
                let (export, import) = (value(Flow::Export), value(Flow::Import));
                TrendMonth {
                    period,
                    export,
                    import,
                    balance: value(Flow::Balance),
                    export_yoy_pct: growth(Flow::Export, export),
                    import_yoy_pct: growth(Flow::Import, import),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Stats, growth_pct};
    use super::*;
    use crate::dataset::Dataset;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn stats(data: &str) -> Stats {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(data);
        Stats::compute(&Dataset::load(&dir).unwrap(), Period::new(2019, 7).unwrap()).unwrap()
    }

    #[test]
    fn the_trend_covers_25_months_with_gaps_where_the_data_has_no_month() {
        let stats = stats("data/china-2019");
        let t = &stats.trend;
        assert_eq!(t.len(), TREND_MONTHS as usize);
        assert_eq!((t[0].period, t[24].period), (Period::new(2017, 7).unwrap(), Period::new(2019, 7).unwrap()));
        type Five = (Option<Decimal>, Option<Decimal>, Option<Decimal>, Option<Decimal>, Option<Decimal>);
        let figures = |m: &TrendMonth| -> Five { (m.export, m.import, m.balance, m.export_yoy_pct, m.import_yoy_pct) };
        let some =
            |v: [&str; 5]| -> Five { (Some(d(v[0])), Some(d(v[1])), Some(d(v[2])), Some(d(v[3])), Some(d(v[4]))) };
        // Published rows, the balance derived from them, the published rates.
        assert_eq!(figures(&t[24]), some(["15300", "12100", "3200", "10.3", "0.4"]));
        assert_eq!(figures(&t[12]), some(["13900", "12100", "1800", "6.0", "20.9"]));
        // Every other month is missing: a gap, never a zero.
        for (i, m) in t.iter().enumerate().filter(|(i, _)| *i != 12 && *i != 24) {
            assert_eq!(figures(m), (None, None, None, None, None), "{i}");
        }
    }

    #[test]
    fn the_trend_derives_growth_from_the_values_where_none_is_published() {
        let stats = stats("data/us-census");
        let july = stats.trend.last().unwrap();
        // data/us-census/trade.csv: the 2019-07 and 2018-07 month rows of total/all.
        assert_eq!(july.export, Some(d("133201.267861")));
        assert_eq!(july.balance, Some(d("133201.267861") - d("218473.345544")));
        assert_eq!(july.export_yoy_pct, growth_pct(d("133201.267861"), d("133808.243514"), Flow::Export));
        assert_eq!(july.import_yoy_pct, growth_pct(d("218473.345544"), d("216854.224361"), Flow::Import));
        assert!(stats.trend.iter().all(|m| m.export.is_some() && m.import_yoy_pct.is_some()));
    }
}
