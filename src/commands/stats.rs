//! `stats`: the growth table of one month as CSV, without rules or templates.

use crate::Error;
use crate::dataset::Dataset;
use crate::options::PeriodChoice;
use crate::stats::{Stats, StatsError};
use std::path::Path;

/// Every series' value, the value a year earlier and the growth for one period, as CSV: the
/// figures a data team would check a bulletin against, computed without rules or templates.
/// `latest` is the latest month with a total.
pub fn stats_csv(data: &Path, period: PeriodChoice) -> Result<String, Error> {
    let ds = Dataset::load(data)?;
    let period = match period {
        PeriodChoice::Month(p) => p,
        PeriodChoice::Latest => ds.latest_period().ok_or_else(|| StatsError::NoTotal(ds.dir.display().to_string()))?,
    };
    // Written into memory, which cannot fail: printed whole or, on an error, not at all.
    let mut out = csv::Writer::from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>, row: [&str; 7]| out.write_record(row).expect("a write into memory");
    write(&mut out, ["dimension", "member", "flow", "basis", "value", "prior", "yoy_pct"]);
    let plain = |d: Option<rust_decimal::Decimal>| d.map(|d| d.normalize().to_string()).unwrap_or_default();
    Stats::growth_table(&ds, period, |g| {
        let (value, prior, yoy) = (plain(Some(g.value)), plain(g.prior), plain(g.yoy_pct.map(|g| g.round_dp(6))));
        let s = g.series;
        write(&mut out, [&s.dimension, &s.member, g.flow.as_str(), g.basis.as_str(), &value, &prior, &yoy]);
    })?;
    let bytes = out.into_inner().expect("a write into memory");
    Ok(String::from_utf8(bytes).expect("fields that are all UTF-8"))
}
