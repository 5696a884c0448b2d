//! The figures a sentence states, with the words that give them a direction.
//!
//! A figure is an amount with its currency and scale ("$2.41 trillion", "17.41 trillion yuan",
//! "4739.3亿元"), a quantity with its unit ("505.71 million tonnes", "5.06亿吨"), an average price
//! ("$477.18 per tonne", "每吨477.18美元"), a percentage, percentage points, a multiple ("3.4
//! times", "2.4-fold", "1.4倍"), a year, a month, a count of months, an ordinal ("76th", "third",
//! "第三"), a span ("the first half", "上半年") or a plain number. Amounts are read back with the
//! render helpers' parsers.

use crate::render::helpers::amount;
use crate::render::helpers::period::{COUNTS, MONTHS};
use rust_decimal::Decimal;

/// What a figure measures: figures of different kinds never stand for each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Money: `$`, `yuan`, `美元` or `元`.
    Amount(&'static str),
    /// A quantity, in base units of `t`, `kg`, `bbl`, `m3` or `items`.
    Quantity(&'static str),
    /// An average price: money (as [`Kind::Amount`]) per base unit of quantity.
    Price(&'static str, &'static str),
    /// Percent.
    Percent,
    /// Percentage points.
    Points,
    /// A multiple.
    Times,
    /// A calendar year.
    Year,
    /// A month of the year, 1 to 12.
    Month,
    /// A count (of months).
    Count,
    /// A rank.
    Ordinal,
    /// A part of the year: quarter, half, three quarters, whole year.
    Span,
    /// Any other number.
    Plain,
}

/// Which way a figure goes, as its words or its sign say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// Up: rose, increased, widened, higher, +.
    Up,
    /// Down: fell, decreased, narrowed, lower, −.
    Down,
}

/// A figure as a sentence states it.
#[derive(Debug, Clone)]
pub struct Figure {
    /// The text, as written.
    pub text: String,
    /// What it measures.
    pub kind: Kind,
    /// Its size (never negative: the direction is in `way`).
    pub value: Decimal,
    /// The rounding it is written to: a unit of its last digit (0 for exact counts and names).
    pub step: Decimal,
    /// The rounding the bulletins' printers write it to (finer than `step` where they drop
    /// trailing zeros: `$2.4 trillion` is 2.40).
    pub fine: Decimal,
    /// Its direction, where its words or a sign give one.
    pub way: Option<Way>,
    /// Whether the direction is a sign written before it (`-0.2%`, `−$495.42 billion`).
    pub signed: bool,
}

impl Figure {
    /// Whether `self`, as written in an edited sentence, says what `other` says: the same kind,
    /// sizes that round to each other, and no opposite directions.
    pub fn agrees_with(&self, other: &Figure) -> bool {
        self.resembles(other) && !self.opposes(other)
    }

    /// Whether a figure as written (`self`, perhaps rounded by hand) and one as the bulletins
    /// print it (`other`) are of one kind and sizes that round to each other, whatever their direction.
    pub fn resembles(&self, other: &Figure) -> bool {
        if self.kind != other.kind {
            return false;
        }
        if self.step.is_zero() || other.fine.is_zero() {
            self.value == other.value
        } else {
            self.value == other.value || (self.value - other.value).abs() * Decimal::TWO < self.step + other.fine
        }
    }

    /// Whether two figures go opposite ways.
    fn opposes(&self, other: &Figure) -> bool {
        // A sign in a table means what it says: a figure without one there is positive.
        let way = |f: &Figure, against: &Figure| match f.way {
            None if against.signed => Some(Way::Up),
            w => w,
        };
        matches!((way(self, other), way(other, self)), (Some(a), Some(b)) if a != b)
    }
}

/// Words that give a figure a direction, and the opposite pairs a sentence may not swap.
const UP_EN: [&str; 34] = [
    "rose",
    "rise",
    "rises",
    "risen",
    "rising",
    "increased",
    "increase",
    "increases",
    "increasing",
    "grew",
    "grow",
    "grows",
    "grown",
    "growing",
    "up",
    "higher",
    "expanded",
    "expands",
    "expanding",
    "widened",
    "widens",
    "climbed",
    "gained",
    "jumped",
    "surged",
    "added",
    "adding",
    "lifting",
    "lifted",
    "above",
    "outpacing",
    "outpaced",
    "doubled",
    "rebounded",
];
const DOWN_EN: [&str; 32] = [
    "fell",
    "fall",
    "falls",
    "fallen",
    "falling",
    "decreased",
    "decrease",
    "decreases",
    "decreasing",
    "declined",
    "decline",
    "declines",
    "declining",
    "down",
    "lower",
    "narrowed",
    "narrows",
    "shrank",
    "shrinks",
    "contracted",
    "contracts",
    "dropped",
    "slipped",
    "slid",
    "cutting",
    "cut",
    "took",
    "off",
    "below",
    "eased",
    "lagging",
    "slowed",
];
const UP_ZH: [&str; 10] = ["增长", "上升", "提升", "扩大", "增加", "高出", "高于", "提高", "回升", "上涨"];
const DOWN_ZH: [&str; 10] = ["下降", "减少", "收窄", "降至", "回落", "低于", "降低", "下滑", "缩小", "下跌"];

/// Pairs of words of opposite meaning: a sentence that has one where the data's has only the other
/// says the opposite of what the data gives.
const OPPOSITES: [(&[&str], &[&str]); 3] = [
    (&["surplus", "surpluses", "顺差"], &["deficit", "deficits", "逆差"]),
    (&["highest", "high", "最高"], &["lowest", "low", "最低"]),
    (&["largest", "biggest", "最大"], &["smallest", "最小"]),
];

/// Base units of quantity as the English helpers write them (plural first) and the Chinese, with
/// the symbol of each.
const UNITS_EN: [(&str, &str); 10] = [
    (" tonnes", "t"),
    (" tonne", "t"),
    (" kilograms", "kg"),
    (" kilogram", "kg"),
    (" barrels", "bbl"),
    (" barrel", "bbl"),
    (" cubic metres", "m3"),
    (" cubic metre", "m3"),
    (" units", "items"),
    (" unit", "items"),
];
const UNITS_ZH: [(&str, &str); 5] = [("立方米", "m3"), ("千克", "kg"), ("吨", "t"), ("桶", "bbl"), ("件", "items")];

/// Ordinal words; not "first", which says "for the first time" as often as it ranks.
const ORDINALS: [&str; 11] =
    ["second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"];
const SPANS_EN: [&str; 4] = ["quarter", "quarters", "half", "whole"];
const SPANS_ZH: [&str; 4] = ["一季度", "上半年", "前三季度", "全年"];
const ZH_DIGITS: &str = "一二三四五六七八九十";

/// The words of a sentence that carry a direction or an opposite, in order, with where each ends.
fn way_words(sentence: &str) -> Vec<(usize, Way)> {
    let mut out = Vec::new();
    for (at, word) in words(sentence) {
        let w = word.to_lowercase();
        if UP_EN.contains(&w.as_str()) {
            out.push((at + word.len(), Way::Up));
        } else if DOWN_EN.contains(&w.as_str()) {
            out.push((at + word.len(), Way::Down));
        }
    }
    for (list, way) in [(&UP_ZH[..], Way::Up), (&DOWN_ZH[..], Way::Down)] {
        for w in list {
            out.extend(sentence.match_indices(w).map(|(at, m)| (at + m.len(), way)));
        }
    }
    out.sort_by_key(|(at, _)| *at);
    out
}

/// Latin words with where they start.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    // Each piece of `split` is a slice of `text`: where it starts is its offset in it.
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// Which of each pair of opposites a sentence uses: (pair, side) for every word found.
pub fn opposites(sentence: &str) -> Vec<(usize, usize, String)> {
    let lower = sentence.to_lowercase();
    let latin: Vec<String> = words(&lower).map(|(_, w)| w.to_string()).collect();
    let mut out = Vec::new();
    for (pair, sides) in OPPOSITES.iter().enumerate() {
        for (side, list) in [sides.0, sides.1].iter().enumerate() {
            for w in list.iter() {
                let found = if w.is_ascii() { latin.iter().any(|l| l == w) } else { sentence.contains(w) };
                if found {
                    out.push((pair, side, (*w).to_string()));
                }
            }
        }
    }
    // Up and down words count as a pair of opposites too.
    for (_, way) in way_words(sentence) {
        let side = usize::from(way == Way::Down);
        if !out.iter().any(|(p, s, _)| *p == OPPOSITES.len() && *s == side) {
            let word = if side == 0 { "a rise" } else { "a fall" };
            out.push((OPPOSITES.len(), side, word.to_string()));
        }
    }
    out
}

/// The figures a sentence states, in order.
pub fn figures(sentence: &str) -> Vec<Figure> {
    let mut out: Vec<(usize, usize, Figure)> = Vec::new();
    let b = sentence.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let start_ok = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.' || b[i - 1] == b',');
        if start_ok && (b[i].is_ascii_digit() || (b[i] == b'$' && b.get(i + 1).is_some_and(u8::is_ascii_digit))) {
            let (end, figure) = number_at(sentence, i, None);
            out.push((i, end, figure));
            i = end;
            continue;
        }
        // A sign before a figure, where a word does not end: -0.2%, +3.0%, −$495.42 billion.
        let sign = if b[i] == b'-' || b[i] == b'+' {
            Some((1, if b[i] == b'+' { Way::Up } else { Way::Down }))
        } else if sentence.is_char_boundary(i) && sentence[i..].starts_with('−') {
            Some(('−'.len_utf8(), Way::Down))
        } else {
            None
        };
        if let Some((len, way)) = sign
            && start_ok
            && b.get(i + len).is_some_and(|c| c.is_ascii_digit() || *c == b'$')
        {
            let (end, figure) = number_at(sentence, i + len, Some(way));
            out.push((i, end, figure));
            i = end;
            continue;
        }
        i += 1;
    }
    out.extend(word_figures(sentence));
    out.sort_by_key(|(at, _, _)| *at);
    // The direction of a figure without a sign: the last direction word between the figure
    // before it and this one.
    let ways = way_words(sentence);
    let mut previous_end = 0;
    for (at, end, f) in &mut out {
        if !f.signed && matches!(f.kind, Kind::Percent | Kind::Points | Kind::Times | Kind::Amount(_)) {
            f.way = ways.iter().rev().find(|(w, _)| *w <= *at && *w >= previous_end).map(|(_, way)| *way);
        }
        previous_end = *end;
    }
    out.into_iter().map(|(_, _, f)| f).collect()
}

/// The figure whose digits start at `at` (after a `$`, or a sign already read), and where it ends.
fn number_at(s: &str, at: usize, sign: Option<Way>) -> (usize, Figure) {
    let b = s.as_bytes();
    let dollar = b[at] == b'$';
    let mut end = at + usize::from(dollar);
    while end < b.len() {
        let c = b[end];
        let digit_after = b.get(end + 1).is_some_and(u8::is_ascii_digit);
        let thousands = c == b','
            && b.len() >= end + 4
            && b[end + 1..end + 4].iter().all(u8::is_ascii_digit)
            && b.get(end + 4).is_none_or(|x| !x.is_ascii_digit());
        if c.is_ascii_digit() || (c == b'.' && digit_after) || thousands {
            end += 1;
        } else {
            break;
        }
    }
    let digits = s[at + usize::from(dollar)..end].replace(',', "");
    let value: Decimal = digits.parse().unwrap_or_default();
    let step = Decimal::new(1, value.scale());
    let rest = &s[end..];
    let figure = |text_end: usize, kind: Kind, value: Decimal, fine: Decimal, scale: Decimal| {
        let start = if sign.is_some() { s[..at].char_indices().last().map_or(at, |(i, _)| i) } else { at };
        let text = s[start..text_end].to_string();
        (text_end, Figure { text, kind, value, step: step * scale, fine, way: sign, signed: sign.is_some() })
    };
    // Chinese prices: `每吨477.18美元`, the unit before the figure.
    let per_zh = UNITS_ZH.iter().find(|(w, _)| s[..at].ends_with(&format!("每{w}"))).map(|(_, u)| *u);
    // English amounts: `$2.41 trillion`, `473.93 billion yuan`, `$12,500`; prices: `$477.18 per tonne`.
    for word in [" trillion", " billion", " million", ""] {
        let after = rest;
        if !after.starts_with(word) {
            continue;
        }
        let tail = &after[word.len()..];
        let (currency, extra) = if dollar {
            ("$", 0)
        } else if tail.starts_with(" yuan") {
            ("yuan", " yuan".len())
        } else if tail.starts_with(" dollars") || tail.starts_with(" U.S. dollars") {
            ("$", if tail.starts_with(" dollars") { " dollars".len() } else { " U.S. dollars".len() })
        } else {
            continue;
        };
        let text_end = end + word.len() + extra;
        let read = if currency == "$" {
            amount::parse_en(&format!("${digits}{word}"))
        } else {
            amount::parse_en(&format!("{digits}{word} yuan"))
        };
        if let Some((v, fine)) = read {
            let scale = if word.is_empty() { Decimal::ONE } else { fine * Decimal::ONE_HUNDRED };
            if let Some((per, unit)) = word.is_empty().then(|| per_unit(&s[text_end..])).flatten() {
                return figure(text_end + per, Kind::Price(currency, unit), v, fine, scale);
            }
            return figure(text_end, Kind::Amount(currency), v, fine, scale);
        }
    }
    // English quantities: `505.71 million tonnes`, `1.07 billion tonnes`, `12,500 tonnes`.
    for (word, scale) in [(" billion", 1_000_000_000i64), (" million", 1_000_000), ("", 1)] {
        let Some(tail) = rest.strip_prefix(word) else { continue };
        if let Some((unit_word, unit)) = UNITS_EN.iter().find(|(w, _)| tail.starts_with(w)) {
            let scale = Decimal::from(scale);
            // The helpers write millions and billions to two decimals, smaller quantities whole.
            let fine = if word.is_empty() { Decimal::ONE } else { Decimal::new(1, 2) * scale };
            let text_end = end + word.len() + unit_word.len();
            return figure(text_end, Kind::Quantity(unit), value * scale, fine, scale);
        }
    }
    // Chinese amounts: `17.41万亿元`, `4739.3亿元`, `2.41万亿美元`.
    for unit in ["万亿美元", "万亿元", "亿美元", "亿元", "万美元", "万元", "美元", "元"] {
        if rest.starts_with(unit)
            && let Some((v, fine)) = amount::parse_zh(&format!("{digits}{unit}"))
        {
            let currency = if unit.ends_with("美元") { "美元" } else { "元" };
            let scale = [("万亿", 1_000_000_000_000i64), ("亿", 100_000_000), ("万", 10_000)]
                .iter()
                .find(|(w, _)| unit.starts_with(w))
                .map_or(Decimal::ONE, |(_, n)| Decimal::from(*n));
            if let Some(per) = per_zh {
                return figure(end + unit.len(), Kind::Price(currency, per), v, fine, scale);
            }
            return figure(end + unit.len(), Kind::Amount(currency), v, fine, scale);
        }
    }
    // Chinese quantities: `5.06亿吨`, `5477.6万吨`, `9500吨`.
    for (word, scale, dp) in [("亿", 100_000_000i64, 2), ("万", 10_000, 1), ("", 1, 0)] {
        let Some(tail) = rest.strip_prefix(word) else { continue };
        if let Some((unit_word, unit)) = UNITS_ZH.iter().find(|(w, _)| tail.starts_with(w)) {
            let scale = Decimal::from(scale);
            let text_end = end + word.len() + unit_word.len();
            return figure(text_end, Kind::Quantity(unit), value * scale, Decimal::new(1, dp) * scale, scale);
        }
    }
    let whole = value.scale() == 0;
    let kinds: [(&str, Kind); 11] = [
        ("%", Kind::Percent),
        (" percentage points", Kind::Points),
        (" percentage point", Kind::Points),
        (" percent", Kind::Percent),
        (" per cent", Kind::Percent),
        ("个百分点", Kind::Points),
        (" times", Kind::Times),
        ("-fold", Kind::Times),
        ("倍", Kind::Times),
        ("个月", Kind::Count),
        ("年", Kind::Year),
    ];
    for (suffix, kind) in kinds {
        if rest.starts_with(suffix) {
            if matches!(kind, Kind::Count | Kind::Year) {
                return figure(end + suffix.len(), kind, value, Decimal::ZERO, Decimal::ZERO);
            }
            // Rates and points are printed to a tenth, a whole one without its zero (6 points).
            return figure(end + suffix.len(), kind, value, step.min(Decimal::new(1, 1)), Decimal::ONE);
        }
    }
    let exact = |kind: Kind, end: usize| figure(end, kind, value, Decimal::ZERO, Decimal::ZERO);
    if whole && rest.starts_with('月') {
        return exact(Kind::Month, end + '月'.len_utf8());
    }
    for suffix in ["st", "nd", "rd", "th"] {
        if whole && rest.starts_with(suffix) && !rest[2..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            return exact(Kind::Ordinal, end + 2);
        }
    }
    if whole && digits.len() == 4 && (1800..=2199).contains(&value.mantissa()) {
        return exact(Kind::Year, end);
    }
    figure(end, Kind::Plain, value, step, Decimal::ONE)
}

/// ` per tonne` (and the other units) at the start of `rest`: its length and the unit's symbol.
fn per_unit(rest: &str) -> Option<(usize, &'static str)> {
    let tail = rest.strip_prefix(" per")?;
    UNITS_EN.iter().find(|(w, _)| tail.starts_with(w)).map(|(w, u)| (" per".len() + w.len(), *u))
}

/// Figures written in words: months, counts, ordinals and spans of the year, in English and Chinese.
fn word_figures(sentence: &str) -> Vec<(usize, usize, Figure)> {
    let mut out = Vec::new();
    let exact = |text: &str, kind: Kind, value: usize| Figure {
        text: text.to_string(),
        kind,
        value: Decimal::from(value),
        step: Decimal::ZERO,
        fine: Decimal::ZERO,
        way: None,
        signed: false,
    };
    for (at, word) in words(sentence) {
        let w = word.to_lowercase();
        let end = at + word.len();
        if let Some(m) = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(&w)) {
            // "May" begins sentences as a verb rarely in bulletins; a month all the same.
            out.push((at, end, exact(word, Kind::Month, m + 1)));
        } else if let Some(n) = COUNTS.iter().position(|c| *c == w) {
            out.push((at, end, exact(word, Kind::Count, n + 1)));
        } else if let Some(n) = ORDINALS.iter().position(|o| *o == w) {
            out.push((at, end, exact(word, Kind::Ordinal, n + 2)));
        } else if let Some(n) = SPANS_EN.iter().position(|o| *o == w) {
            out.push((at, end, exact(word, Kind::Span, n)));
        }
    }
    for (n, span) in SPANS_ZH.iter().enumerate() {
        out.extend(sentence.match_indices(span).map(|(at, m)| (at, at + m.len(), exact(m, Kind::Span, n + 10))));
    }
    // 第一, 第十二: Chinese ordinals in Chinese numerals.
    for (at, _) in sentence.match_indices('第') {
        let numeral: String = sentence[at + '第'.len_utf8()..].chars().take_while(|c| ZH_DIGITS.contains(*c)).collect();
        if let Some(n) = zh_number(&numeral) {
            let end = at + '第'.len_utf8() + numeral.len();
            out.push((at, end, exact(&sentence[at..end], Kind::Ordinal, n)));
        }
    }
    out
}

/// A number up to 99 in Chinese numerals.
fn zh_number(text: &str) -> Option<usize> {
    let digit = |c: char| ZH_DIGITS.chars().position(|d| d == c).map(|p| p + 1).filter(|d| *d < 10);
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [] => None,
        [a] => digit(*a).or((*a == '十').then_some(10)),
        ['十', b] => Some(10 + digit(*b)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(String, Kind, String, Option<Way>)> {
        figures(s).into_iter().map(|f| (f.text, f.kind, f.value.normalize().to_string(), f.way)).collect()
    }

    #[test]
    fn figures_are_read_with_their_kind_and_direction() {
        let got = kinds("Exports rose 6.7% to 9.48 trillion yuan and imports fell 1.3% to $473.93 billion.");
        assert_eq!(
            got,
            vec![
                ("6.7%".into(), Kind::Percent, "6.7".into(), Some(Way::Up)),
                ("9.48 trillion yuan".into(), Kind::Amount("yuan"), "9480000000000".into(), None),
                ("1.3%".into(), Kind::Percent, "1.3".into(), Some(Way::Down)),
                ("$473.93 billion".into(), Kind::Amount("$"), "473930000000".into(), None),
            ]
        );
        let got =
            kinds("In the first seven months of 2019, 6 percentage points higher; the 14th month; grows 3.4-fold.");
        let k: Vec<Kind> = got.iter().map(|g| g.1.clone()).collect();
        assert_eq!(k, vec![Kind::Count, Kind::Year, Kind::Points, Kind::Ordinal, Kind::Times]);
        let got = kinds("2019年前7个月，我国进出口17.41万亿元，同比增长4.2%。自美国进口4739.3亿元，下降24.0%，第三。");
        let k: Vec<(Kind, String)> = got.iter().map(|g| (g.1.clone(), g.2.clone())).collect();
        assert_eq!(
            k,
            vec![
                (Kind::Year, "2019".into()),
                (Kind::Count, "7".into()),
                (Kind::Amount("元"), "17410000000000".into()),
                (Kind::Percent, "4.2".into()),
                (Kind::Amount("元"), "473930000000".into()),
                (Kind::Percent, "24".into()),
                (Kind::Ordinal, "3".into()),
            ]
        );
        assert_eq!(got[3].3, Some(Way::Up));
        assert_eq!(got[5].3, Some(Way::Down));
        let got = kinds("Balance | −$495.42 billion | +3.0%");
        assert_eq!((got[0].3, got[1].3), (Some(Way::Down), Some(Way::Up)));
    }

    #[test]
    fn quantities_and_prices_are_read_with_their_unit() {
        let got =
            kinds("Imports of crude oil grew 9.5% to 505.71 million tonnes, at $477.18 per tonne; 12,500 tonnes.");
        assert_eq!(
            got[1..],
            [
                ("505.71 million tonnes".into(), Kind::Quantity("t"), "505710000".into(), None),
                ("$477.18 per tonne".into(), Kind::Price("$", "t"), "477.18".into(), None),
                ("12,500 tonnes".into(), Kind::Quantity("t"), "12500".into(), None),
            ]
        );
        let got = kinds("进口原油5.06亿吨，增加9.5%，进口均价下跌8.3%；天然气9657万吨；每吨477.18美元。");
        let k: Vec<(Kind, String, Option<Way>)> = got.iter().map(|g| (g.1.clone(), g.2.clone(), g.3)).collect();
        assert_eq!(
            k,
            vec![
                (Kind::Quantity("t"), "506000000".into(), None),
                (Kind::Percent, "9.5".into(), Some(Way::Up)),
                (Kind::Percent, "8.3".into(), Some(Way::Down)),
                (Kind::Quantity("t"), "96570000".into(), None),
                (Kind::Price("美元", "t"), "477.18".into(), None),
            ]
        );
        let one = |s: &str| figures(s).remove(0);
        assert!(one("506 million tonnes").agrees_with(&one("505.71 million tonnes")));
        assert!(!one("505.71 million barrels").agrees_with(&one("505.71 million tonnes")));
        assert!(!one("505.71 billion tonnes").agrees_with(&one("505.71 million tonnes")));
        assert!(!one("$477.18 per barrel").agrees_with(&one("$477.18 per tonne")));
        assert!(!one("$477.18").agrees_with(&one("$477.18 per tonne")));
        assert!(one("5.1亿吨").agrees_with(&one("5.06亿吨")));
        assert!(!one("5.06万吨").agrees_with(&one("5.06亿吨")));
        assert!(!one("上涨8.3%").agrees_with(&one("下跌8.3%")));
    }

    #[test]
    fn figures_agree_to_their_rounding_and_direction() {
        let one = |s: &str| figures(s).remove(0);
        assert!(one("$2.4 trillion").agrees_with(&one("$2.41 trillion")));
        assert!(!one("$2.3 trillion").agrees_with(&one("$2.41 trillion")));
        assert!(!one("rose 5.2%").agrees_with(&one("rose 4.2%")));
        assert!(one("climbed 4.2%").agrees_with(&one("rose 4.2%")));
        assert!(!one("fell 4.2%").agrees_with(&one("rose 4.2%")));
        assert!(!one("| $495.42 billion").agrees_with(&one("| −$495.42 billion")));
        assert!(!one("4.2 yuan").agrees_with(&one("$4.2")));
    }
}
