//! The figures of one series at one period, and the names, kinds and meanings a rule reads
//! them by.

use crate::dataset::Period;
use crate::dataset::QuantityUnit;
use crate::dataset::Source;
use rust_decimal::Decimal;
use serde::Serialize;

/// Whether a growth rate was published or derived here from the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RateSource {
    /// Read from the `yoy_pct` column: computed by the publisher against revised data.
    Published,
    /// Computed here from this period's value and the value a year earlier.
    Derived,
}

/// Where a row behind a figure was published, as its `source_url` and `note` columns say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    /// The row, as `file:line`.
    pub row: String,
    /// The address the row's figures were published at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// The row's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Every figure of one series (dimension, member, flow, basis) at one period.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    /// The amount, in the dataset's unit; absent where the row gives published figures only
    /// ("general trade grew 5.7%"), which are then stated as given and nothing is derived.
    pub value: Option<Decimal>,
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
    /// Change in that share from a year earlier, percentage points: as published, else the
    /// difference of the two shares as printed (each to one decimal).
    pub share_change_pp: Option<Decimal>,
    /// Growth minus the total's growth, percentage points: the difference of the two rates as
    /// printed (each to one decimal), so that the text agrees with the figures beside it.
    pub gap_pp: Option<Decimal>,
    /// This series' part of the total's growth, percentage points.
    pub contribution_pp: Option<Decimal>,
    /// 1 for the largest member of the dimension; absent where the dimension is not complete for
    /// the month (see the claims module).
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
    /// How many earlier years have a value for the same months (the history records are set
    /// against): every one the data hold, a year without a value skipped.
    pub history_years: u32,
    /// The first year of that history, gaps or not: where the data run from.
    pub history_from_year: Option<i32>,
    /// Higher than in every earlier year of the history, for the same months.
    pub record_high: bool,
    /// Lower than in every earlier year of the history, for the same months.
    pub record_low: bool,
    /// The latest earlier year at least as high, where this is not a record ("the highest since").
    pub high_since_year: Option<i32>,
    /// The latest earlier year at least as low ("the lowest since").
    pub low_since_year: Option<i32>,
    /// The quantity, in `quantity_unit`.
    pub quantity: Option<Decimal>,
    /// The quantity a year earlier.
    pub prior_quantity: Option<Decimal>,
    /// Year-on-year change in quantity, percent (published where the data gives it).
    pub quantity_yoy_pct: Option<Decimal>,
    /// Where the change in quantity came from.
    pub quantity_yoy_source: Option<RateSource>,
    /// The unit of `quantity` (`10000 t`).
    pub quantity_unit: Option<QuantityUnit>,
    /// The average price: currency units per base unit of quantity (dollars per tonne).
    pub unit_price: Option<Decimal>,
    /// Year-on-year change in the average price, percent, from the values and quantities.
    pub unit_price_yoy_pct: Option<Decimal>,
    /// The data rows behind `value` and `prior_value`, as `file:line`: written out by
    /// [`Meta::cite`] for the figures a JSON bulletin shows, and empty until then.
    pub rows: Vec<String>,
    /// The data rows behind `value` and `prior_value`.
    #[serde(skip)]
    pub sources: Vec<Source>,
    /// Where those rows were published, for the rows that say (`source_url`, `note`): written
    /// out with `rows`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provenance: Vec<Provenance>,
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
    /// An amount in the dataset's unit, or a quantity or a price: a CEL double, exact as far as a
    /// double goes.
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
pub const FIGURES: [(&str, Kind, &str); 32] = [
    ("value", Kind::Amount, "the amount, in the dataset's unit"),
    ("prior_value", Kind::Amount, "the amount a year earlier, in the dataset's unit"),
    ("change_value", Kind::Amount, "value minus prior_value, in the dataset's unit"),
    ("yoy_pct", Kind::Rate, "year-on-year growth, percent (published where the data gives it)"),
    ("share_pct", Kind::Rate, "share of the reporter's total for the same flow, percent"),
    (
        "share_change_pp",
        Kind::Rate,
        "change in that share from a year earlier, percentage points (of the printed shares)",
    ),
    ("gap_pp", Kind::Rate, "yoy_pct minus the total's yoy_pct, percentage points (of the printed rates)"),
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
    ("quantity", Kind::Amount, "the quantity, in the member's unit of quantity (`quantity_unit`)"),
    ("prior_quantity", Kind::Amount, "the quantity a year earlier, in the same unit"),
    ("quantity_yoy_pct", Kind::Rate, "year-on-year change in quantity, percent (published where the data gives it)"),
    ("unit_price", Kind::Amount, "the average price: currency units per base unit of quantity (per tonne)"),
    ("unit_price_yoy_pct", Kind::Rate, "year-on-year change in the average price, percent"),
];

impl Figures {
    /// A figure by its name in [`FIGURES`]; `None` where it cannot be computed.
    pub fn get(&self, name: &str) -> Option<Num> {
        let dec = |d: Option<Decimal>| d.map(Num::Dec);
        let int = |i: Option<u32>| i.map(|i| Num::Int(i as i64));
        match name {
            "value" => dec(self.value),
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
            "quantity" => dec(self.quantity),
            "prior_quantity" => dec(self.prior_quantity),
            "quantity_yoy_pct" => dec(self.quantity_yoy_pct),
            "unit_price" => dec(self.unit_price),
            "unit_price_yoy_pct" => dec(self.unit_price_yoy_pct),
            _ => None,
        }
    }
}
