//! Amounts of money: `17.41 trillion yuan`, `473.93 billion yuan`, `$1.64 trillion`.

use super::round;
use crate::dataset::Currency;
use rust_decimal::Decimal;

const SCALES: [(u32, &str); 3] = [(12, "trillion"), (9, "billion"), (6, "million")];

/// Writes `value` units of `unit` currency units in English, to two decimals of its scale,
/// trailing zeros dropped. The sign is left to the words around it ("a deficit of").
pub fn en(value: Decimal, unit: Decimal, currency: Currency) -> String {
    let x = (value * unit).abs();
    let mut number = None;
    for (i, (exp, word)) in SCALES.iter().enumerate() {
        let scale = Decimal::from_i128_with_scale(10i128.pow(*exp), 0);
        if x >= scale {
            let n = round(x / scale, 2);
            // 999.996 billion rounds to 1000 billion: say 1 trillion instead.
            if i > 0 && n >= Decimal::from(1000) {
                let up = Decimal::from_i128_with_scale(10i128.pow(SCALES[i - 1].0), 0);
                number = Some(format!("{} {}", round(x / up, 2).normalize(), SCALES[i - 1].1));
            } else {
                number = Some(format!("{} {word}", n.normalize()));
            }
            break;
        }
    }
    let number = number.unwrap_or_else(|| group_thousands(round(x, 0)));
    match currency {
        Currency::USD => format!("${number}"),
        Currency::CNY => format!("{number} yuan"),
    }
}

/// Writes an amount the way Chinese releases do: 万亿 to two decimals, 亿 to one, 万 to one,
/// trailing zeros dropped (`17.41万亿元`, `4739.3亿元`, `2.41万亿美元`). A value that rounds up
/// to the next scale is written in it (9999.99亿 is `1万亿`).
pub fn zh(value: Decimal, unit: Decimal, currency: Currency) -> String {
    let x = (value * unit).abs();
    let yi = Decimal::from(100_000_000);
    let wan_yi = Decimal::from(1_000_000_000_000u64);
    let wan = Decimal::from(10_000);
    let number = if x >= wan_yi || round(x / yi, 1) >= wan {
        format!("{}万亿", round(x / wan_yi, 2).normalize())
    } else if x >= yi || round(x / wan, 1) >= wan {
        format!("{}亿", round(x / yi, 1).normalize())
    } else if x >= wan {
        format!("{}万", round(x / wan, 1).normalize())
    } else {
        round(x, 0).normalize().to_string()
    };
    match currency {
        Currency::USD => format!("{number}美元"),
        Currency::CNY => format!("{number}元"),
    }
}

/// Reads back an amount as [`en`] writes it: its value in currency units, and the rounding unit
/// it was written to (a hundredth of the scale word, or 1 without one).
pub fn parse_en(text: &str) -> Option<(Decimal, Decimal)> {
    let number = text.strip_prefix('$').or_else(|| text.strip_suffix(" yuan"))?;
    let (digits, exp) = match number.rsplit_once(' ') {
        Some((digits, word)) => (digits, SCALES.iter().find(|(_, w)| *w == word)?.0),
        None => (number, 0),
    };
    let value: Decimal = digits.replace(',', "").parse().ok()?;
    let scale = Decimal::from_i128_with_scale(10i128.pow(exp), 0);
    let step = if exp == 0 { Decimal::ONE } else { scale / Decimal::ONE_HUNDRED };
    Some((value * scale, step))
}

/// Reads back an amount as [`zh`] writes it, as [`parse_en`] does.
pub fn parse_zh(text: &str) -> Option<(Decimal, Decimal)> {
    let number = text.strip_suffix("美元").or_else(|| text.strip_suffix('元'))?;
    let (digits, scale, places) = if let Some(d) = number.strip_suffix("万亿") {
        (d, 1_000_000_000_000i64, 2)
    } else if let Some(d) = number.strip_suffix('亿') {
        (d, 100_000_000, 1)
    } else if let Some(d) = number.strip_suffix('万') {
        (d, 10_000, 1)
    } else {
        (number, 1, 0)
    };
    let value: Decimal = digits.parse().ok()?;
    let scale = Decimal::from(scale);
    Some((value * scale, scale / Decimal::from(10i64.pow(places))))
}

fn group_thousands(d: Decimal) -> String {
    let digits = d.normalize().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_amounts() {
        let hundred_million = Decimal::from(100_000_000);
        let million = Decimal::from(1_000_000);
        for (value, unit, currency, want) in [
            ("174100", hundred_million, Currency::CNY, "17.41 trillion yuan"),
            ("4739.3", hundred_million, Currency::CNY, "473.93 billion yuan"),
            ("21000", hundred_million, Currency::CNY, "2.1 trillion yuan"),
            ("50300", hundred_million, Currency::CNY, "5.03 trillion yuan"),
            ("1642820.4", million, Currency::USD, "$1.64 trillion"),
            ("2407714.6", million, Currency::USD, "$2.41 trillion"),
            ("320218.6", million, Currency::USD, "$320.22 billion"),
            ("-485418.1", million, Currency::USD, "$485.42 billion"),
            ("999999.9", million, Currency::USD, "$1 trillion"),
            ("999.996", million, Currency::USD, "$1 billion"),
            ("8.7", million, Currency::USD, "$8.7 million"),
            ("0.0125", million, Currency::USD, "$12,500"),
            ("0", million, Currency::USD, "$0"),
        ] {
            assert_eq!(en(value.parse().unwrap(), unit, currency), want, "{value}");
        }
    }

    #[test]
    fn chinese_amounts_and_the_scale_boundaries() {
        let yi = Decimal::from(100_000_000);
        let million = Decimal::from(1_000_000);
        let one = Decimal::ONE;
        for (value, unit, currency, want) in [
            ("174100", yi, Currency::CNY, "17.41万亿元"),
            ("4739.3", yi, Currency::CNY, "4739.3亿元"),
            ("21000", yi, Currency::CNY, "2.1万亿元"),
            ("9999.9", yi, Currency::CNY, "9999.9亿元"),
            ("9999.94", yi, Currency::CNY, "9999.9亿元"),
            ("9999.95", yi, Currency::CNY, "1万亿元"),
            ("9999.99", yi, Currency::CNY, "1万亿元"),
            ("10000", yi, Currency::CNY, "1万亿元"),
            ("10050", yi, Currency::CNY, "1.01万亿元"),
            ("1", yi, Currency::CNY, "1亿元"),
            ("0.99999", yi, Currency::CNY, "9999.9万元"),
            ("0.999995", yi, Currency::CNY, "1亿元"),
            ("2407714.6", million, Currency::USD, "2.41万亿美元"),
            ("320218.6", million, Currency::USD, "3202.2亿美元"),
            ("87", million, Currency::USD, "8700万美元"),
            ("9500", one, Currency::CNY, "9500元"),
        ] {
            assert_eq!(zh(value.parse().unwrap(), unit, currency), want, "{value}");
        }
    }
}
