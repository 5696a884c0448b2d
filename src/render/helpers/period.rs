//! Periods in words: `July`, `the first seven months`, `the first half`, `the whole year`.

use crate::dataset::{Basis, Period};

/// The months' English names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// One to twelve in English words.
pub const COUNTS: [&str; 12] =
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

/// The span a figure covers, without its year: `July`, `the first seven months`.
pub fn en(p: Period, basis: Basis) -> String {
    let month = MONTHS[p.month as usize - 1];
    match (basis, p.month) {
        (Basis::Month, _) | (Basis::Ytd, 1) => month.into(),
        (Basis::Ytd, 3) => "the first quarter".into(),
        (Basis::Ytd, 6) => "the first half".into(),
        (Basis::Ytd, 9) => "the first three quarters".into(),
        (Basis::Ytd, 12) => "the whole year".into(),
        (Basis::Ytd, m) => format!("the first {} months", COUNTS[m as usize - 1]),
    }
}

/// The span with its year, as a sentence opens: `in the first seven months of 2019`, `in July 2019`, `in 2019`.
pub fn en_in(p: Period, basis: Basis) -> String {
    match (basis, p.month) {
        (Basis::Month, _) | (Basis::Ytd, 1) => format!("in {} {}", en(p, basis), p.year),
        (Basis::Ytd, 12) => format!("in {}", p.year),
        _ => format!("in {} of {}", en(p, basis), p.year),
    }
}

/// The same span a year earlier, as a comparison ends: `from the same period in 2018`,
/// `from 2018` (a whole year), `from July 2018` (a month, or January's year to date).
pub fn en_year_earlier(p: Period, basis: Basis) -> String {
    let year = p.year - 1;
    match (basis, p.month) {
        (Basis::Month, _) | (Basis::Ytd, 1) => format!("from {} {year}", MONTHS[p.month as usize - 1]),
        (Basis::Ytd, 12) => format!("from {year}"),
        _ => format!("from the same period in {year}"),
    }
}

/// A month with its year: `June 2019`.
pub fn en_month_year(p: Period) -> String {
    format!("{} {}", MONTHS[p.month as usize - 1], p.year)
}

/// A month alone: `June`.
pub fn en_month(p: Period) -> String {
    MONTHS[p.month as usize - 1].into()
}

/// A count in words up to twelve, in figures after: `five`, `13`.
pub fn en_cardinal(n: u32) -> String {
    match n {
        1..=12 => COUNTS[n as usize - 1].into(),
        n => n.to_string(),
    }
}

/// An ordinal in words up to twelfth, in figures after: `fifth`, `13th`, `22nd`.
pub fn en_ordinal(n: u32) -> String {
    const WORDS: [&str; 12] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
        "twelfth",
    ];
    if (1..=12).contains(&n) {
        return WORDS[n as usize - 1].into();
    }
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// An ordinal in Chinese, in Chinese numerals up to 99 and in figures after: `第一`, `第十二`, `第二十一`, `第105`.
pub fn zh_ordinal(n: u32) -> String {
    format!("第{}", zh_numeral(n))
}

/// A number in Chinese numerals up to 99 and in figures after, as numbered sections are (`一`, `十二`).
pub fn zh_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, ones) = (n / 10, n % 10);
    match (tens, ones) {
        _ if n == 0 || n > 99 => n.to_string(),
        (0, o) => DIGITS[o as usize].to_string(),
        (1, 0) => "十".to_string(),
        (1, o) => format!("十{}", DIGITS[o as usize]),
        (t, 0) => format!("{}十", DIGITS[t as usize]),
        (t, o) => format!("{}十{}", DIGITS[t as usize], DIGITS[o as usize]),
    }
}

const ZH_QUARTERS: [(u32, &str); 4] = [(3, "一季度"), (6, "上半年"), (9, "前三季度"), (12, "全年")];

/// The span in Chinese, without its year: `7月`, `前7个月`, `一季度`, `上半年`, `前三季度`, `全年`.
pub fn zh(p: Period, basis: Basis) -> String {
    match (basis, p.month) {
        (Basis::Month, m) | (Basis::Ytd, m @ 1) => format!("{m}月"),
        (Basis::Ytd, m) => {
            ZH_QUARTERS.iter().find(|(q, _)| *q == m).map_or_else(|| format!("前{m}个月"), |(_, w)| (*w).to_string())
        }
    }
}

/// With its year: `2019年前7个月`, `2019年7月`, `2019年上半年`, `2019年` (the whole year).
pub fn zh_in(p: Period, basis: Basis) -> String {
    match (basis, p.month) {
        (Basis::Ytd, 12) => format!("{}年", p.year),
        _ => format!("{}年{}", p.year, zh(p, basis)),
    }
}

/// A month with its year in Chinese: `2019年6月`.
pub fn zh_month_year(p: Period) -> String {
    format!("{}年{}月", p.year, p.month)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_in_words() {
        for (p, basis, span, with_year) in [
            ("2019-07", Basis::Ytd, "the first seven months", "in the first seven months of 2019"),
            ("2019-07", Basis::Month, "July", "in July 2019"),
            ("2019-01", Basis::Ytd, "January", "in January 2019"),
            ("2019-02", Basis::Ytd, "the first two months", "in the first two months of 2019"),
            ("2019-03", Basis::Ytd, "the first quarter", "in the first quarter of 2019"),
            ("2019-06", Basis::Ytd, "the first half", "in the first half of 2019"),
            ("2019-09", Basis::Ytd, "the first three quarters", "in the first three quarters of 2019"),
            ("2019-11", Basis::Ytd, "the first eleven months", "in the first eleven months of 2019"),
            ("2019-12", Basis::Ytd, "the whole year", "in 2019"),
            ("2019-12", Basis::Month, "December", "in December 2019"),
        ] {
            let p: Period = p.parse().unwrap();
            assert_eq!((en(p, basis).as_str(), en_in(p, basis).as_str()), (span, with_year), "{p} {basis}");
        }
    }

    #[test]
    fn the_span_a_year_earlier() {
        let p = |s: &str| s.parse::<Period>().unwrap();
        assert_eq!(en_year_earlier(p("2019-07"), Basis::Ytd), "from the same period in 2018");
        assert_eq!(en_year_earlier(p("2019-12"), Basis::Ytd), "from 2018");
        assert_eq!(en_year_earlier(p("2019-07"), Basis::Month), "from July 2018");
        assert_eq!(en_year_earlier(p("2019-01"), Basis::Ytd), "from January 2018");
    }

    #[test]
    fn ordinals_in_chinese() {
        for (n, want) in [
            (1, "第一"),
            (3, "第三"),
            (10, "第十"),
            (12, "第十二"),
            (20, "第二十"),
            (21, "第二十一"),
            (99, "第九十九"),
            (100, "第100"),
            (0, "第0"),
        ] {
            assert_eq!(zh_ordinal(n), want, "{n}");
        }
    }

    #[test]
    fn periods_in_chinese() {
        for (p, basis, span, with_year) in [
            ("2019-07", Basis::Ytd, "前7个月", "2019年前7个月"),
            ("2019-07", Basis::Month, "7月", "2019年7月"),
            ("2019-01", Basis::Ytd, "1月", "2019年1月"),
            ("2019-03", Basis::Ytd, "一季度", "2019年一季度"),
            ("2019-06", Basis::Ytd, "上半年", "2019年上半年"),
            ("2019-09", Basis::Ytd, "前三季度", "2019年前三季度"),
            ("2019-11", Basis::Ytd, "前11个月", "2019年前11个月"),
            ("2019-12", Basis::Ytd, "全年", "2019年"),
        ] {
            let p: Period = p.parse().unwrap();
            assert_eq!((zh(p, basis).as_str(), zh_in(p, basis).as_str()), (span, with_year), "{p} {basis}");
        }
        assert_eq!(zh_month_year("2019-06".parse().unwrap()), "2019年6月");
    }

    #[test]
    fn months_and_ordinals() {
        let p: Period = "2019-06".parse().unwrap();
        assert_eq!((en_month_year(p).as_str(), en_month(p.prev()).as_str()), ("June 2019", "May"));
        for (n, want) in [
            (1, "first"),
            (5, "fifth"),
            (12, "twelfth"),
            (13, "13th"),
            (21, "21st"),
            (22, "22nd"),
            (23, "23rd"),
            (111, "111th"),
            (112, "112th"),
            (101, "101st"),
        ] {
            assert_eq!(en_ordinal(n), want, "{n}");
        }
    }
}
