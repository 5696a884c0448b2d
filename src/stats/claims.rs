//! What can be claimed of a dimension in a month: ranks ("the largest", "the fastest-growing",
//! "more than any other") need every member that could outrank one to be in the data.
//!
//! - A month whose rows have arrived in part ([`Dataset::arrived_in_part`]) claims no rank.
//! - `complete: true` is checked against the total: the members' values must add up to the
//!   total to within the rounding of a share (half of 0.1%), in the month and a year earlier,
//!   for each flow the members give; otherwise the month claims no rank.
//! - `complete: largest` claims ranks by value only, and no contribution to growth.
//! - `complete: false` ranks the members in the data; the rules see `complete` false.

use super::calc::Calc;
use crate::dataset::{Basis, Completeness, Dataset, Flow, Period, SeriesId};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// How far the members of a complete dimension may add up from the total: half of the 0.1% a
/// share is printed to (in parts of the total).
pub const COVERAGE_SLACK: Decimal = Decimal::from_parts(5, 0, 0, false, 4);

/// What a dimension's figures may claim in a month, on one basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claims {
    /// Ranks by value ("the largest").
    pub value_ranks: bool,
    /// Ranks by growth and by contribution to growth.
    pub other_ranks: bool,
    /// Contributions to the total's growth.
    pub contributions: bool,
    /// What rules read as `complete`.
    pub complete: bool,
}

const NONE: Claims = Claims { value_ranks: false, other_ranks: false, contributions: true, complete: false };

/// The claims of every declared dimension for `period`, on `basis`.
pub(super) fn claims(ds: &Dataset, calc: &Calc, period: Period, basis: Basis) -> BTreeMap<String, Claims> {
    let months: Vec<Period> = match basis {
        Basis::Month => vec![period],
        Basis::Ytd => period.months_to_date().collect(),
    };
    ds.spec
        .dimensions
        .iter()
        .map(|(dim, spec)| {
            let partial = months.iter().any(|m| ds.arrived_in_part(dim, *m).is_some());
            let claims = match spec.complete {
                _ if partial => NONE,
                Completeness::Partial => {
                    Claims { value_ranks: true, other_ranks: true, contributions: true, complete: false }
                }
                Completeness::Largest => {
                    Claims { value_ranks: true, other_ranks: false, contributions: false, complete: true }
                }
                Completeness::Complete => {
                    if covered(ds, calc, dim, period, basis) && covered(ds, calc, dim, period.year_earlier(), basis) {
                        Claims { value_ranks: true, other_ranks: true, contributions: true, complete: true }
                    } else {
                        NONE
                    }
                }
            };
            (dim.clone(), claims)
        })
        .collect()
}

/// Whether the members of `dimension` add up to the total for every flow they give, to the
/// rounding of a share; true where they give none (no rank rests on them).
pub fn covered(ds: &Dataset, calc: &Calc, dimension: &str, period: Period, basis: Basis) -> bool {
    let members: Vec<SeriesId> = (0..ds.series.len() as SeriesId)
        .filter(|s| ds.series[*s as usize].dimension == dimension && !ds.groups.contains_key(s))
        .collect();
    [Flow::Export, Flow::Import, Flow::Total].into_iter().all(|flow| {
        let Some(total) = calc.amount(0, flow, basis, period) else { return true };
        let values: Vec<Decimal> = members.iter().filter_map(|m| calc.amount(*m, flow, basis, period)).collect();
        if values.is_empty() {
            return true;
        }
        let sum: Decimal = values.iter().sum();
        (sum - total).abs() <= COVERAGE_SLACK * total.abs()
    })
}
