//! Calendar months, the unit every observation is dated in.

use std::fmt;
use std::str::FromStr;

/// A calendar month, `YYYY-MM`; the last month of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    /// The calendar year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
}

impl Period {
    /// A month, checked.
    pub fn new(year: i32, month: u32) -> Option<Period> {
        ((1..=12).contains(&month) && (1800..=9999).contains(&year)).then_some(Period { year, month })
    }

    /// The same month a year earlier: the base of year-on-year growth.
    pub fn year_earlier(self) -> Period {
        Period { year: self.year - 1, month: self.month }
    }

    /// The month before.
    pub fn prev(self) -> Period {
        if self.month == 1 {
            Period { year: self.year - 1, month: 12 }
        } else {
            Period { year: self.year, month: self.month - 1 }
        }
    }

    /// The month after.
    pub fn next_month(self) -> Period {
        if self.month == 12 {
            Period { year: self.year + 1, month: 1 }
        } else {
            Period { year: self.year, month: self.month + 1 }
        }
    }

    /// Months since January of year 0: consecutive months have consecutive indexes.
    pub fn index(self) -> i32 {
        self.year * 12 + self.month as i32 - 1
    }

    /// The month of an [`Period::index`].
    pub fn from_index(i: i32) -> Period {
        Period { year: i.div_euclid(12), month: i.rem_euclid(12) as u32 + 1 }
    }

    /// The months January through this one, in order.
    pub fn months_to_date(self) -> impl Iterator<Item = Period> {
        (1..=self.month).map(move |month| Period { year: self.year, month })
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a month of the form YYYY-MM");
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        Period::new(year, month).ok_or_else(bad)
    }
}

impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let p: Period = "2019-07".parse().unwrap();
        assert_eq!(p, Period { year: 2019, month: 7 });
        assert_eq!(p.to_string(), "2019-07");
        assert_eq!(p.year_earlier().to_string(), "2018-07");
        assert_eq!("2020-01".parse::<Period>().unwrap().prev().to_string(), "2019-12");
        assert_eq!(p.months_to_date().count(), 7);
        assert_eq!(Period::from_index(p.index()), p);
        assert_eq!(Period::from_index(p.index() + 6).to_string(), "2020-01");
    }

    #[test]
    fn rejects_bad_months() {
        for bad in ["2019-13", "2019-00", "2019-7", "19-07", "2019/07", "", "2019-07-01", "abcd-ef"] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }
}
