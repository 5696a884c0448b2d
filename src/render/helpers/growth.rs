//! Growth rates in words: `rose 11.3%`, `fell 8.1%`, `was flat`, `more than doubled`.

use super::{fixed, round};
use rust_decimal::Decimal;

enum Kind {
    Flat,
    Up(String),
    Down(String),
    Doubled { exactly: bool },
    Times(String),
}

/// Classifies a rate on its printed precision, so that what is said matches what is printed.
fn kind(g: Decimal) -> Kind {
    let r = round(g, 1);
    let hundred = Decimal::ONE_HUNDRED;
    if r.is_zero() {
        Kind::Flat
    } else if g >= Decimal::from(200) {
        Kind::Times(fixed(Decimal::ONE + g / hundred, 1))
    } else if g >= hundred {
        Kind::Doubled { exactly: g == hundred }
    } else if r > Decimal::ZERO {
        Kind::Up(fixed(g, 1))
    } else {
        Kind::Down(fixed(-g, 1))
    }
}

/// Verbs for a rise and a fall, chosen by a variant number so that neighbouring sentences and
/// consecutive months do not read alike.
const UP: [&str; 3] = ["rose", "increased", "grew"];
const DOWN: [&str; 3] = ["fell", "decreased", "declined"];
const UP_NOW: [&str; 3] = ["rises", "increases", "grows"];
const DOWN_NOW: [&str; 3] = ["falls", "decreases", "declines"];
const WIDER: [&str; 3] = ["widened", "expanded", "grew"];
const NARROWER: [&str; 3] = ["narrowed", "shrank", "contracted"];

fn pick(words: &[&'static str; 3], variant: usize) -> &'static str {
    words[variant % words.len()]
}

/// A fall that would print as `100.0%` in English: to nothing (`Some(true)`), or to a sliver
/// that rounds away (`Some(false)`). "Fell 100.0% to $0" is said as "fell to zero".
fn wiped(g: Decimal) -> Option<bool> {
    (round(g, 1) == -Decimal::ONE_HUNDRED).then_some(g == -Decimal::ONE_HUNDRED)
}

/// As a verb phrase in the past tense: `rose 4.2%`.
pub fn en(g: Decimal) -> String {
    en_against(g, "a year earlier", 0)
}

/// The same against another base, with the verb of `variant`: `increased 4.2%`,
/// `rose to 4.9 times the level of the month before`.
pub fn en_against(g: Decimal, base: &str, variant: usize) -> String {
    match wiped(g) {
        Some(true) => return "fell to zero".into(),
        Some(false) => return format!("{} more than 99.9%", pick(&DOWN, variant)),
        None => {}
    }
    match kind(g) {
        Kind::Flat => "was flat".into(),
        Kind::Up(p) => format!("{} {p}%", pick(&UP, variant)),
        Kind::Down(p) => format!("{} {p}%", pick(&DOWN, variant)),
        Kind::Doubled { exactly: true } => "doubled".into(),
        Kind::Doubled { exactly: false } => "more than doubled".into(),
        Kind::Times(t) => format!("rose to {t} times the level of {base}"),
    }
}

/// As a verb phrase leading to the new level, whatever the rate, with an optional qualifier after
/// the rate: `rose 4.2% year on year to X`, `held steady at X`, `more than doubled to X`,
/// `rose to 3.4 times the level of a year earlier, at X`.
pub fn en_to(g: Decimal, amount: &str, qualifier: &str, variant: usize) -> String {
    let q = if qualifier.is_empty() { String::new() } else { format!(" {qualifier}") };
    if wiped(g) == Some(true) {
        return "fell to zero".into();
    }
    match kind(g) {
        Kind::Flat => format!("held steady{q} at {amount}"),
        Kind::Times(t) => format!("rose to {t} times the level of a year earlier, at {amount}"),
        _ => format!("{}{q} to {amount}", en_against(g, "a year earlier", variant)),
    }
}

/// As a short phrase after a comma: `up 4.2%`.
pub fn en_noun(g: Decimal) -> String {
    match wiped(g) {
        Some(true) => return "down to zero".into(),
        Some(false) => return "down more than 99.9%".into(),
        None => {}
    }
    match kind(g) {
        Kind::Flat => "flat".into(),
        Kind::Up(p) => format!("up {p}%"),
        Kind::Down(p) => format!("down {p}%"),
        Kind::Doubled { exactly: true } => "double".into(),
        Kind::Doubled { exactly: false } => "more than double".into(),
        Kind::Times(t) => format!("{t} times the level of a year earlier"),
    }
}

/// As a headline verb in the present tense, for a plural subject (`exports rise 4.2%`).
pub fn en_headline_plural(g: Decimal, variant: usize) -> String {
    en_headline(g, variant)
        .split(' ')
        .map(|w| match w {
            "rises" | "increases" | "grows" | "falls" | "decreases" | "declines" | "holds" | "doubles" => {
                w.strip_suffix('s').unwrap_or(w)
            }
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// As a headline verb in the present tense: `rises 4.2%`.
pub fn en_headline(g: Decimal, variant: usize) -> String {
    match wiped(g) {
        Some(true) => return "falls to zero".into(),
        Some(false) => return format!("{} more than 99.9%", pick(&DOWN_NOW, variant)),
        None => {}
    }
    match kind(g) {
        Kind::Flat => "holds steady".into(),
        Kind::Up(p) => format!("{} {p}%", pick(&UP_NOW, variant)),
        Kind::Down(p) => format!("{} {p}%", pick(&DOWN_NOW, variant)),
        Kind::Doubled { exactly: true } => "doubles".into(),
        Kind::Doubled { exactly: false } => "more than doubles".into(),
        Kind::Times(t) => format!("grows {t}-fold"),
    }
}

/// A balance's change, ready for its amount: `widened 47.4% to`, `narrowed 3.0% to`, `held steady at`.
pub fn en_balance(g: Decimal, variant: usize) -> String {
    match kind(g) {
        Kind::Flat => "held steady at".into(),
        Kind::Up(p) => format!("{} {p}% to", pick(&WIDER, variant)),
        Kind::Down(p) => format!("{} {p}% to", pick(&NARROWER, variant)),
        Kind::Doubled { exactly: true } => "doubled to".into(),
        Kind::Doubled { exactly: false } => "more than doubled to".into(),
        Kind::Times(t) => format!("grew {t}-fold to"),
    }
}

/// A change in dollars first, then in percent, spelt out, as the U.S. Census Bureau writes it:
/// `increased $28.2 billion, or 8.2 percent` (with `verb`), `up $28.2 billion, or 8.2 percent`.
/// The direction is the rate's (for a balance, whether the deficit or surplus grew); `change`
/// is in currency units, its sign ignored. Figures that round to nothing say so.
pub fn en_change_by(change: Decimal, pct: Decimal, verb: bool, currency: &crate::dataset::Currency) -> String {
    let billions = super::amount::en_billions(change, Decimal::ONE, currency, false);
    let tenth_of_billion = round(change.abs() / Decimal::from(1_000_000_000), 1);
    let direction = match round(pct, 1).cmp(&Decimal::ZERO) {
        std::cmp::Ordering::Equal if tenth_of_billion.is_zero() => None,
        std::cmp::Ordering::Equal => Some(change > Decimal::ZERO),
        o => Some(o == std::cmp::Ordering::Greater),
    };
    let Some(up) = direction else {
        return if verb { "was virtually unchanged".into() } else { "virtually unchanged".into() };
    };
    let dollars = if tenth_of_billion.is_zero() {
        format!("less than {}", super::amount::en_billions(Decimal::from(100_000_000), Decimal::ONE, currency, false))
    } else {
        billions
    };
    let percent = if round(pct, 1).is_zero() { "less than 0.1 percent".to_string() } else { en_percent(pct.abs()) };
    let word = match (verb, up) {
        (true, true) => "increased",
        (true, false) => "decreased",
        (false, true) => "up",
        (false, false) => "down",
    };
    format!("{word} {dollars}, or {percent}")
}

/// The size of a rate with `percent` spelt out, one decimal: `8.2 percent` (the words around it
/// give the direction).
pub fn en_percent(g: Decimal) -> String {
    format!("{} percent", fixed(g.abs(), 1))
}

/// Whether two rates point the same way as printed (both up, both down, or both flat).
pub fn same_direction(a: Decimal, b: Decimal) -> bool {
    round(a, 1).cmp(&Decimal::ZERO) == round(b, 1).cmp(&Decimal::ZERO)
}

/// A number as Chinese releases print rates: one decimal, none where it is zero (`8`, `4.2`).
pub fn zh_number(d: Decimal) -> String {
    let s = fixed(d, 1);
    s.strip_suffix(".0").map_or_else(|| s.clone(), str::to_string)
}

/// In Chinese, after the amount: `增长4.2%`, `下降8%`, `持平`, `增长1.4倍` (Chinese counts the
/// rise in multiples above 100%: 增长1.4倍 is up 140%). A whole number has no `.0`, as GACC prints.
pub fn zh(g: Decimal) -> String {
    match kind(g) {
        Kind::Flat => "持平".into(),
        Kind::Up(_) => format!("增长{}%", zh_number(g)),
        // A fall that is not to nothing is never printed as one of 100%.
        Kind::Down(p) if p == "100.0" && g != -Decimal::ONE_HUNDRED => "下降超过99.9%".into(),
        Kind::Down(_) => format!("下降{}%", zh_number(-g)),
        Kind::Doubled { .. } | Kind::Times(_) => format!("增长{}倍", zh_number(g / Decimal::ONE_HUNDRED)),
    }
}

/// A balance's change in Chinese: `扩大47.4%`, `收窄3%`, `基本持平`.
pub fn zh_balance(g: Decimal) -> String {
    match kind(g) {
        Kind::Flat => "基本持平".into(),
        Kind::Up(_) => format!("扩大{}%", zh_number(g)),
        Kind::Down(_) => format!("收窄{}%", zh_number(-g)),
        Kind::Doubled { .. } | Kind::Times(_) => format!("扩大{}倍", zh_number(g / Decimal::ONE_HUNDRED)),
    }
}

/// The direction alone, for a verdict: `增长`, `下降`, `持平`.
pub fn zh_direction(g: Decimal) -> &'static str {
    match kind(g) {
        Kind::Flat => "持平",
        Kind::Down(_) => "下降",
        _ => "增长",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_in_words() {
        for (g, verb, noun, head) in [
            ("4.2", "rose 4.2%", "up 4.2%", "rises 4.2%"),
            ("-8.1", "fell 8.1%", "down 8.1%", "falls 8.1%"),
            ("-13.6499", "fell 13.6%", "down 13.6%", "falls 13.6%"),
            ("0.04", "was flat", "flat", "holds steady"),
            ("-0.0499", "was flat", "flat", "holds steady"),
            ("-0.05", "fell 0.1%", "down 0.1%", "falls 0.1%"),
            ("0.05", "rose 0.1%", "up 0.1%", "rises 0.1%"),
            ("99.95", "rose 100.0%", "up 100.0%", "rises 100.0%"),
            ("100", "doubled", "double", "doubles"),
            ("140", "more than doubled", "more than double", "more than doubles"),
            (
                "240",
                "rose to 3.4 times the level of a year earlier",
                "3.4 times the level of a year earlier",
                "grows 3.4-fold",
            ),
            ("10", "rose 10.0%", "up 10.0%", "rises 10.0%"),
        ] {
            let g: Decimal = g.parse().unwrap();
            assert_eq!((en(g).as_str(), en_noun(g).as_str(), en_headline(g, 0).as_str()), (verb, noun, head), "{g}");
        }
    }

    #[test]
    fn growth_in_chinese() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        for (g, want, balance) in [
            ("4.2", "增长4.2%", "扩大4.2%"),
            ("-8.1", "下降8.1%", "收窄8.1%"),
            ("0.04", "持平", "基本持平"),
            ("-0.05", "下降0.1%", "收窄0.1%"),
            ("140", "增长1.4倍", "扩大1.4倍"),
            ("100", "增长1倍", "扩大1倍"),
            ("99.95", "增长100%", "扩大100%"),
            // GACC prints whole numbers without a decimal: "增长8%", "扩大45%", "下降2%".
            ("8", "增长8%", "扩大8%"),
            ("45.04", "增长45%", "扩大45%"),
            ("-2.0", "下降2%", "收窄2%"),
            ("-24.0", "下降24%", "收窄24%"),
            ("10.96", "增长11%", "扩大11%"),
            ("-100", "下降100%", "收窄100%"),
        ] {
            assert_eq!((zh(d(g)).as_str(), zh_balance(d(g)).as_str()), (want, balance), "{g}");
        }
        assert_eq!(zh(d("-99.97")), "下降超过99.9%");
        assert_eq!(zh(d("-99.94")), "下降99.9%");
        for (g, want) in [("4.2", "增长"), ("-0.06", "下降"), ("0.04", "持平"), ("250", "增长")] {
            assert_eq!(zh_direction(d(g)), want, "{g}");
        }
        for (d_, want) in [("12.0", "12"), ("15.6", "15.6"), ("0.04", "0"), ("-0.04", "0"), ("42.04", "42")] {
            assert_eq!(zh_number(d(d_)), want, "{d_}");
        }
    }

    #[test]
    fn a_fall_to_nothing_is_never_a_fall_of_100_percent() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(en(d("-100")), "fell to zero");
        assert_eq!(en_to(d("-100"), "$0", "", 0), "fell to zero");
        assert_eq!(en_noun(d("-100")), "down to zero");
        assert_eq!(en(d("-99.97")), "fell more than 99.9%");
        assert_eq!(en_noun(d("-99.97")), "down more than 99.9%");
        assert_eq!(en(d("-99.94")), "fell 99.9%");
        // Chinese keeps its own wording (a fall to nothing is 下降100%).
        assert_eq!(zh(d("-100")), "下降100%");
    }

    #[test]
    fn headline_verbs_agree_with_a_plural_subject() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        for (g, variant, want) in [
            ("4.2", 0, "rise 4.2%"),
            ("4.2", 1, "increase 4.2%"),
            ("4.2", 2, "grow 4.2%"),
            ("-4.2", 0, "fall 4.2%"),
            ("-4.2", 1, "decrease 4.2%"),
            ("-4.2", 2, "decline 4.2%"),
            ("0.01", 0, "hold steady"),
            ("100", 0, "double"),
            ("150", 0, "more than double"),
            ("250", 0, "grow 3.5-fold"),
            ("-100", 0, "fall to zero"),
        ] {
            assert_eq!(en_headline_plural(d(g), variant), want, "{g}");
        }
    }

    #[test]
    fn dollars_then_percent_as_the_census_writes() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let usd = &crate::dataset::Currency::USD;
        assert_eq!(en_change_by(d("28200000000"), d("8.2"), true, usd), "increased $28.2 billion, or 8.2 percent");
        assert_eq!(en_change_by(d("-3400000000"), d("-0.2"), false, usd), "down $3.4 billion, or 0.2 percent");
        // A deficit that widened: its change is negative, its rate (of its size) positive.
        assert_eq!(en_change_by(d("-14600000000"), d("3.0"), true, usd), "increased $14.6 billion, or 3.0 percent");
        assert_eq!(
            en_change_by(d("40000000"), d("0.3"), true, usd),
            "increased less than $0.1 billion, or 0.3 percent"
        );
        assert_eq!(
            en_change_by(d("400000000"), d("0.01"), true, usd),
            "increased $0.4 billion, or less than 0.1 percent"
        );
        assert_eq!(en_change_by(d("40000000"), d("0.01"), true, usd), "was virtually unchanged");
    }

    #[test]
    fn growth_against_another_base() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(en_against(d("390"), "the month before", 0), "rose to 4.9 times the level of the month before");
        assert_eq!(en_against(d("-20.5"), "the month before", 0), "fell 20.5%");
        // The verb varies with the variant; the figure and the flat and multiple forms do not.
        assert_eq!(en_against(d("4.2"), "a year earlier", 1), "increased 4.2%");
        assert_eq!(en_against(d("-4.2"), "a year earlier", 5), "declined 4.2%");
        assert_eq!(en_against(d("0.01"), "a year earlier", 2), "was flat");
        assert_eq!(en_headline(d("4.2"), 2), "grows 4.2%");
        assert_eq!(en_balance(d("-3"), 1), "shrank 3.0% to");
    }

    #[test]
    fn growth_to_a_level() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        for (g, want) in [
            ("4.2", "rose 4.2% to X"),
            ("-8.1", "fell 8.1% to X"),
            ("0.04", "held steady at X"),
            ("150", "more than doubled to X"),
            ("250", "rose to 3.5 times the level of a year earlier, at X"),
        ] {
            assert_eq!(en_to(d(g), "X", "", 0), want, "{g}");
        }
        for (g, want) in [
            ("4.2", "rose 4.2% year on year to X"),
            ("0.01", "held steady year on year at X"),
            ("100", "doubled year on year to X"),
            ("250", "rose to 3.5 times the level of a year earlier, at X"),
        ] {
            assert_eq!(en_to(d(g), "X", "year on year", 0), want, "{g}");
        }
    }

    #[test]
    fn balances_and_directions() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        for (g, want) in [
            ("47.4", "widened 47.4% to"),
            ("-30.6", "narrowed 30.6% to"),
            ("0.01", "held steady at"),
            ("150", "more than doubled to"),
            ("300", "grew 4.0-fold to"),
        ] {
            assert_eq!(en_balance(d(g), 0), want, "{g}");
        }
        assert!(same_direction(d("6.7"), d("1.3")));
        assert!(!same_direction(d("6.7"), d("-1.3")));
        assert!(same_direction(d("0.04"), d("-0.04")));
        assert!(!same_direction(d("0.05"), d("0.04")));
    }
}
