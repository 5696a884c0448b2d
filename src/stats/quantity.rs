//! Quantities beside values: how much of a product, its growth, and the average price (value
//! per unit of quantity) with its change.

use super::calc::{growth_pct, percent};
use crate::dataset::{Basis, Dataset, Flow, ObsKey, Period, QuantityUnit, SeriesId};
use rust_decimal::Decimal;

/// The quantity figures of one series at one period.
#[derive(Debug, Default)]
pub(super) struct Quantities {
    pub(super) quantity: Option<Decimal>,
    pub(super) prior_quantity: Option<Decimal>,
    pub(super) quantity_yoy_pct: Option<Decimal>,
    /// Whether the change in quantity was published (else derived).
    pub(super) quantity_yoy_published: bool,
    pub(super) unit: Option<QuantityUnit>,
    pub(super) unit_price: Option<Decimal>,
    pub(super) unit_price_yoy_pct: Option<Decimal>,
}

/// A quantity as a row gives it, else exports plus imports for a total, else a year to date
/// summed from its months (each must give one). Groups have none: their members may count in
/// different units.
fn amount(ds: &Dataset, series: SeriesId, flow: Flow, basis: Basis, period: Period) -> Option<Decimal> {
    let key = ObsKey { series, flow, basis, period };
    if let Some(q) = ds.obs.annex(&key).and_then(|a| a.quantity) {
        return Some(q);
    }
    if flow == Flow::Total {
        let e = amount(ds, series, Flow::Export, basis, period)?;
        return e.checked_add(amount(ds, series, Flow::Import, basis, period)?);
    }
    if basis == Basis::Month || ds.obs.contains_key(&key) || ds.obs.stated(&key).is_some() {
        return None;
    }
    let mut sum = Decimal::ZERO;
    for m in period.months_to_date() {
        let month = ObsKey { basis: Basis::Month, period: m, ..key };
        sum = sum.checked_add(ds.obs.annex(&month).and_then(|a| a.quantity)?)?;
    }
    Some(sum)
}

/// The average price: currency units per base unit of quantity (dollars per tonne), from a value
/// in the dataset's unit and a quantity in the member's.
fn unit_price(value: Decimal, quantity: Decimal, money: Decimal, unit: QuantityUnit) -> Option<Decimal> {
    if quantity <= Decimal::ZERO {
        return None;
    }
    value.checked_mul(money)?.checked_div(quantity.checked_mul(unit.scale)?)
}

/// The quantity figures of a series: `value` and `prior` are its value now and a year earlier.
#[allow(clippy::too_many_arguments)]
pub(super) fn quantities(
    ds: &Dataset,
    series: SeriesId,
    flow: Flow,
    basis: Basis,
    period: Period,
    value: Option<Decimal>,
    prior: Option<Decimal>,
) -> Quantities {
    let s = &ds.series[series as usize];
    let unit = ds.spec.dimensions.get(&s.dimension).and_then(|d| d.quantity_unit_of(&s.member));
    let Some(unit) = unit.filter(|_| matches!(flow, Flow::Export | Flow::Import | Flow::Total)) else {
        return Quantities::default();
    };
    let quantity = amount(ds, series, flow, basis, period);
    let prior_quantity = amount(ds, series, flow, basis, period.year_earlier());
    let key = ObsKey { series, flow, basis, period };
    let published = ds.obs.annex(&key).and_then(|a| a.quantity_yoy_pct);
    let derived = quantity.zip(prior_quantity).and_then(|(q, p)| growth_pct(q, p, flow));
    let money = ds.spec.unit;
    let price = |v: Option<Decimal>, q: Option<Decimal>| unit_price(v?, q?, money, unit);
    let (now_price, prior_price) = (price(value, quantity), price(prior, prior_quantity));
    Quantities {
        quantity,
        prior_quantity,
        quantity_yoy_pct: published.or(derived),
        quantity_yoy_published: published.is_some(),
        unit: Some(unit).filter(|_| quantity.is_some() || published.is_some()),
        unit_price: now_price,
        // From the values and quantities themselves: a ratio of two rounded rates would carry
        // both roundings into a third figure.
        unit_price_yoy_pct: now_price.zip(prior_price).and_then(|(n, p)| percent(n.checked_sub(p)?, p)),
    }
}
