//! Published changes in quantity against the quantities: "imports of crude oil rose 9.5% to
//! 285.64 million tonnes" must be what the quantities of both years give, to the rounding of
//! both, as a growth rate must be what the values give.

use super::{Known, Revised, growth_range, round};
use crate::dataset::{Basis, Dataset, DatasetError, Flow, ObsKey, Source};
use rust_decimal::Decimal;

impl Dataset {
    /// A quantity as a row gives it, else exports plus imports for a total, else for a year to
    /// date the sum of its months (each must give one).
    fn known_quantity(&self, key: ObsKey) -> Option<Known> {
        if let Some(q) = self.obs.annex(&key).and_then(|a| a.quantity) {
            let row = self.obs.get(&key).map(|o| o.source).or_else(|| self.obs.stated(&key).map(|s| s.source))?;
            return Some(Known { value: q, slack: self.half_unit(q), rows: vec![row] });
        }
        match key.flow {
            Flow::Total => {
                let e = self.known_quantity(ObsKey { flow: Flow::Export, ..key })?;
                Some(e.plus(self.known_quantity(ObsKey { flow: Flow::Import, ..key })?, Decimal::ONE))
            }
            Flow::Balance => None,
            _ if key.basis == Basis::Month => None,
            _ => {
                let mut sum = Known { value: Decimal::ZERO, slack: Decimal::ZERO, rows: Vec::new() };
                for m in key.period.months_to_date() {
                    sum =
                        sum.plus(self.known_quantity(ObsKey { basis: Basis::Month, period: m, ..key })?, Decimal::ONE);
                }
                Some(sum)
            }
        }
    }

    /// Every published change in quantity against the quantities of its year and the year before,
    /// where both are there.
    pub(super) fn check_quantity_rates(&self, revised: &mut Revised) -> Result<(), DatasetError> {
        let mut published: Vec<(Source, ObsKey, Decimal)> = self
            .obs
            .annexes()
            .filter_map(|(key, a)| {
                let r = a.quantity_yoy_pct?;
                let row = self.obs.get(key).map(|o| o.source).or_else(|| self.obs.stated(key).map(|s| s.source))?;
                Some((row, *key, r))
            })
            .collect();
        published.sort_by_key(|(row, _, _)| (row.file, row.line));
        for (row, key, r) in published {
            let (Some(now), Some(prior)) =
                (self.known_quantity(key), self.known_quantity(ObsKey { period: key.period.year_earlier(), ..key }))
            else {
                continue;
            };
            let Some((lo, g, hi)) = growth_range(&now, &prior, Flow::Export) else { continue };
            if !self.rate_agrees(revised, r, (lo, g, hi)) {
                return Err(self.refuse(
                    row,
                    "quantity_yoy_pct",
                    format!(
                        "the published change in quantity {r}% is not the change from {} ({}) to {} ({}): the \
                         quantities give {}% ({} to {} with their rounding){}",
                        prior.value,
                        self.cite(&prior.rows),
                        now.value,
                        self.cite(&now.rows),
                        round(g, 2),
                        round(lo, 2),
                        round(hi, 2),
                        self.rate_hint()
                    ),
                ));
            }
        }
        Ok(())
    }
}
