//! Whether a dimension's rows for a month have all arrived: data published in parts (the total
//! first, the partners a day later) must not be read as a month in which most partners had no trade.

use super::{Dataset, Period, SeriesId};

/// How many months before a month its count of members is compared with.
pub const ARRIVAL_MONTHS: i32 = 12;

/// A month has arrived in part when its members are fewer than this many tenths of the most
/// members in any of the [`ARRIVAL_MONTHS`] before it: far fewer, where a partner or two coming
/// and going (the U.S. data have 225 to 238 partners a month) is not.
pub const ARRIVED_TENTHS: usize = 8;

/// A dimension whose members in a month are far fewer than in the months before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartArrival {
    /// The dimension whose rows are few (the dimension asked about, or the one its groups sum).
    pub dimension: String,
    /// The month.
    pub period: Period,
    /// Members with a row in the month.
    pub members: usize,
    /// The most members with a row in one of the months before.
    pub before: usize,
    /// That month.
    pub before_period: Period,
}

impl std::fmt::Display for PartArrival {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: `{}` has rows for {} members, where {} had {}: its rows have arrived in part",
            self.period, self.dimension, self.members, self.before_period, self.before
        )
    }
}

impl Dataset {
    /// The members of a dimension that rows can give (not its groups).
    fn row_members(&self, dimension: &str) -> Vec<SeriesId> {
        (0..self.series.len() as SeriesId)
            .filter(|s| self.series[*s as usize].dimension == dimension && !self.groups.contains_key(s))
            .collect()
    }

    /// Where `dimension` (or a dimension its groups are summed from) has arrived in part in
    /// `period`: some members have rows, but far fewer than in a month before. `None` where it
    /// has not, where the month has no rows of it, or where no month before has rows to compare with.
    pub fn arrived_in_part(&self, dimension: &str, period: Period) -> Option<PartArrival> {
        let mut dims = vec![dimension.to_string()];
        for g in self.spec.groups.values().filter(|g| g.dimension == dimension) {
            if !dims.contains(&g.of) {
                dims.push(g.of.clone());
            }
        }
        dims.into_iter().find_map(|dim| {
            let members = self.row_members(&dim);
            let count = |p: Period| members.iter().filter(|s| self.obs.has_period(**s, p)).count();
            let now = count(period);
            let (before, before_period) = (1..=ARRIVAL_MONTHS)
                .map(|back| Period::from_index(period.index() - back))
                .map(|p| (count(p), p))
                .max_by_key(|(n, p)| (*n, *p))?;
            // A month with no rows at all has arrived in part only if its figures are read, and
            // then they are absent, not wrong: the data may give this dimension only for some months.
            (now > 0 && now * 10 < before * ARRIVED_TENTHS).then_some(PartArrival {
                dimension: dim,
                period,
                members: now,
                before,
                before_period,
            })
        })
    }
}
