//! Month labels as statistics offices print them: `2025 Feb`, `Feb-25`, `February 2025`,
//! `2019M07`, `201907`, `2019-07`, `2019/07`, `07/2019`, `2019年7月`; and a year alone (`2019`),
//! which stands for January through December. Month names are read with chrono.

use crate::dataset::Period;
use chrono::NaiveDate;

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// One month.
    Month(Period),
    /// A whole year: its value is January through December.
    Year(i32),
}

/// The forms with a month name, as chrono formats (a day is added to parse them).
const NAMED: [&str; 16] = [
    "%Y %b", "%b %Y", "%b-%y", "%b-%Y", "%b %y", "%b. %Y", "%Y-%b", "%d-%b-%y", "%b%y", "%b%Y", "%Y%b", "%Y %b.",
    "%Y %B", "%B %Y", "%B-%y", "%B-%Y",
];

/// The forms the docs list, for messages.
pub const FORMS: &str =
    "2025 Feb, Feb 2025, Feb-25, February 2025, 2019M07, 201907, 2019-07, 2019/07, 07/2019, 2019年7月, or a year";

/// Reads a label in any of the forms above, or with `format` (a chrono format such as `%b %Y`)
/// where the layout gives one. `None` for anything else, which the import refuses.
pub fn parse(label: &str, format: Option<&str>) -> Option<Label> {
    let t = label.trim().trim_end_matches(['*', '^', '#']).trim();
    // "Sept" is common in print; chrono knows "Sep" and "September".
    let lower = t.to_ascii_lowercase();
    let fixed;
    let t = match lower.find("sept") {
        Some(i) if !lower.contains("september") => {
            fixed = format!("{}{}", &t[..i + 3], &t[i + 4..]);
            fixed.as_str()
        }
        _ => t,
    };
    if let Some(format) = format {
        return named(t, format).map(Label::Month);
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let month = |y: &str, m: &str| -> Option<Label> {
        if !(digits(y) && y.len() == 4 && digits(m) && (1..=2).contains(&m.len())) {
            return None;
        }
        Period::new(y.parse().ok()?, m.parse().ok()?).map(Label::Month)
    };
    if digits(t) && t.len() == 4 {
        let year: i32 = t.parse().ok()?;
        return Period::new(year, 12).map(|_| Label::Year(year));
    }
    if digits(t) && t.len() == 6 {
        return month(&t[..4], &t[4..]);
    }
    if let Some((y, m)) = t.split_once(['M', 'm', '-', '/', '.']) {
        if let Some(found) = month(y, m) {
            return Some(found);
        }
        // 07/2019
        if let Some(found) = month(m, y).filter(|_| t.contains('/')) {
            return Some(found);
        }
    }
    if let Some(rest) = t.strip_suffix('月')
        && let Some((y, m)) = rest.split_once('年')
    {
        return month(y.trim(), m.trim());
    }
    NAMED.iter().find_map(|f| named(t, f)).map(Label::Month)
}

/// A label in one chrono format; formats without a day get the first of the month.
fn named(label: &str, format: &str) -> Option<Period> {
    use chrono::Datelike;
    let date = if format.contains("%d") {
        NaiveDate::parse_from_str(label, format).ok()?
    } else {
        NaiveDate::parse_from_str(&format!("{label}|1"), &format!("{format}|%d")).ok()?
    };
    Period::new(date.year(), date.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(s: &str) -> Label {
        Label::Month(s.parse().unwrap())
    }

    #[test]
    fn every_form_offices_print() {
        for (label, want) in [
            ("2025 Feb", "2025-02"),
            ("2025 FEB", "2025-02"),
            ("2025 February", "2025-02"),
            ("Feb 2025", "2025-02"),
            ("February 2025", "2025-02"),
            ("Feb-25", "2025-02"),
            ("feb-25", "2025-02"),
            ("Feb-2025", "2025-02"),
            ("Sept 2019", "2019-09"),
            ("Jul 19", "2019-07"),
            ("2019M07", "2019-07"),
            ("2019m7", "2019-07"),
            ("201907", "2019-07"),
            ("2019-07", "2019-07"),
            ("2019/07", "2019-07"),
            ("07/2019", "2019-07"),
            ("2019.07", "2019-07"),
            ("2019年7月", "2019-07"),
            (" 2025 Feb* ", "2025-02"),
            ("Dec-99", "1999-12"),
        ] {
            assert_eq!(parse(label, None), Some(month(want)), "{label}");
        }
        assert_eq!(parse("2019", None), Some(Label::Year(2019)));
    }

    #[test]
    fn what_is_not_a_month_is_refused() {
        for label in [
            "",
            "Total",
            "2019 Q1",
            "2019Q1",
            "201913",
            "2019-00",
            "13/2019",
            "Febr 2025",
            "2025 Feb 3",
            "20190",
            "Data Series",
            "1700",
        ] {
            assert_eq!(parse(label, None), None, "{label}");
        }
    }

    #[test]
    fn a_layout_may_fix_the_format() {
        assert_eq!(parse("2025 Feb", Some("%Y %b")), Some(month("2025-02")));
        assert_eq!(parse("Feb 2025", Some("%Y %b")), None);
    }
}
