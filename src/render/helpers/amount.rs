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
}
