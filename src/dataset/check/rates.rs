//! Published growth rates, shares and changes in share against the values: a row's own value,
//! or for a row that gives none ("ordinary trade grew 5.7%"), the value its parts give.

use super::{Known, Rate, Revised, growth_range, half_unit, opposite, round, share_range, sign};
use crate::dataset::{Dataset, DatasetError, Flow, ObsKey, Source, TOTAL_DIMENSION, TrailingZeros};
use rust_decimal::Decimal;

/// A row's published rates, with its value (given, or derived from its parts).
struct Published {
    key: ObsKey,
    source: Source,
    yoy_pct: Option<Decimal>,
    share_pct: Option<Decimal>,
    share_change_pp: Option<Decimal>,
    now: Known,
    /// Whether the row gives the value itself.
    given: bool,
}

impl Dataset {
    /// The rows that publish a rate, a share or a change in share, in the order of the rows, each
    /// with its value: as given, or for a row that gives none ("ordinary trade grew 5.7%"), as
    /// its parts give it (exports and imports, the months), where they do; a row without a value
    /// whose parts are not all there has nothing to be checked against.
    fn published(&self) -> Vec<Published> {
        let mut out: Vec<Published> = self
            .obs
            .rated()
            .into_iter()
            .map(|key| {
                let o = self.obs.get(&key).expect("a key of the store");
                let now = Known { value: o.value, slack: self.half_unit(o.value), rows: vec![o.source] };
                Published {
                    key,
                    source: o.source,
                    yoy_pct: o.yoy_pct,
                    share_pct: o.share_pct,
                    share_change_pp: o.share_change_pp,
                    now,
                    given: true,
                }
            })
            .collect();
        out.extend(self.obs.stated_keys().filter_map(|key| {
            let st = self.obs.stated(&key).expect("a key of the stated rows");
            if st.yoy_pct.is_none() && st.share_pct.is_none() && st.share_change_pp.is_none() {
                return None;
            }
            let now = self.known(key)?;
            Some(Published {
                key,
                source: st.source,
                yoy_pct: st.yoy_pct,
                share_pct: st.share_pct,
                share_change_pp: st.share_change_pp,
                now,
                given: false,
            })
        }));
        out.sort_by_key(|p| (p.source.file, p.source.line));
        out
    }

    /// What a refusal of a published rate adds: how to declare rates on a revised base, or that
    /// the declared margin does not cover it either.
    pub(super) fn rate_hint(&self) -> String {
        if self.spec.published_rates.revised_base {
            format!(
                ", nor within the {} points that dataset.yaml accepts beyond rounding",
                self.spec.published_rates.margin()
            )
        } else {
            "; if the office computes its rates on revised figures that the files do not hold, say so in dataset.yaml \
             (`published_rates: { revised_base: true, margin_pp: ... }`)"
                .to_string()
        }
    }

    /// Whether a published rate (or change in share) is what the values give, `lo` to `hi` with
    /// their rounding (`mid` without), to its own rounding; or, where the dataset says the office
    /// computes on revised figures, within the margin it accepts beyond that, in the same
    /// direction (counted in `revised` for the log).
    pub(super) fn rate_agrees(
        &self,
        revised: &mut Revised,
        r: Decimal,
        (lo, mid, hi): (Decimal, Decimal, Decimal),
    ) -> bool {
        revised.rates += 1;
        let published = Rate { value: r, half: half_unit(r, TrailingZeros::Digits) };
        if published.within(lo, hi, Decimal::ZERO) {
            return true;
        }
        let margin = self.spec.published_rates.margin();
        if margin > Decimal::ZERO && published.within(lo, hi, margin) && !opposite(r, mid) {
            revised.differ += 1;
            revised.most = revised.most.max((r - mid).abs());
            return true;
        }
        false
    }

    /// Published growth rates, shares and changes in share against the values.
    pub(super) fn check_rates(&self, revised: &mut Revised) -> Result<(), DatasetError> {
        let hint = self.rate_hint();
        for o in self.published() {
            let (key, now) = (o.key, &o.now);
            // A value derived from its parts is cited with them.
            let value = if o.given {
                now.value.to_string()
            } else {
                format!("{} (the row gives none; from {})", now.value, self.cite(&now.rows))
            };
            let a_year_earlier = ObsKey { period: key.period.year_earlier(), ..key };
            // A balance has a growth rate only while it stays a surplus or a deficit.
            if let (Some(r), Some(prior), Flow::Balance) = (o.yoy_pct, self.value(a_year_earlier), key.flow)
                && sign(prior) * sign(now.value) < 0
            {
                return Err(self.refuse(
                    o.source,
                    "yoy_pct",
                    format!(
                        "a growth rate ({r}%) is published for a balance of {value} that was {prior} a year earlier: a \
                         balance that changes sign has no growth rate"
                    ),
                ));
            }
            if let (Some(r), Some(prior)) = (o.yoy_pct, self.known(a_year_earlier))
                && let Some((lo, g, hi)) = growth_range(now, &prior, key.flow)
                && !self.rate_agrees(revised, r, (lo, g, hi))
            {
                return Err(self.refuse(
                    o.source,
                    "yoy_pct",
                    format!(
                        "the published rate {r}% is not the growth from {} ({}) to {value}: the values give {}% ({} \
                         to {} with their rounding){hint}",
                        prior.value,
                        self.cite(&prior.rows),
                        round(g, 2),
                        round(lo, 2),
                        round(hi, 2)
                    ),
                ));
            }
            let (series, dimension) = (key.series, &self.series[key.series as usize].dimension);
            if series == 0 || key.flow == Flow::Balance || dimension == TOTAL_DIMENSION {
                continue;
            }
            let total = |k: ObsKey| self.known(ObsKey { series: 0, ..k });
            let Some(share_now) = total(key).and_then(|t| share_range(now, &t)) else { continue };
            if let Some(s) = o.share_pct {
                let published = Rate { value: s, half: half_unit(s, TrailingZeros::Digits) };
                if !published.within(share_now.0, share_now.2, Decimal::ZERO) {
                    return Err(self.refuse(
                        o.source,
                        "share_pct",
                        format!(
                            "the published share {s}% is not {value} of the total {} ({}): that is {}% ({} to {} with \
                             the rounding of the values)",
                            total(key).map_or(Decimal::ZERO, |t| t.value),
                            total(key).map(|t| self.cite(&t.rows)).unwrap_or_default(),
                            round(share_now.1, 2),
                            round(share_now.0, 2),
                            round(share_now.2, 2)
                        ),
                    ));
                }
            }
            let prior_share =
                self.known(a_year_earlier).zip(total(a_year_earlier)).and_then(|(p, t)| share_range(&p, &t));
            if let (Some(c), Some(before)) = (o.share_change_pp, prior_share) {
                let (lo, mid, hi) = (share_now.0 - before.2, share_now.1 - before.1, share_now.2 - before.0);
                if !self.rate_agrees(revised, c, (lo, mid, hi)) {
                    return Err(self.refuse(
                        o.source,
                        "share_change_pp",
                        format!(
                            "the published change in share {c} points is not the change the values give: {} points \
                             ({} to {} with their rounding){hint}",
                            round(mid, 2),
                            round(lo, 2),
                            round(hi, 2)
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}
