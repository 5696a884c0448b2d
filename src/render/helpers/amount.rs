//! Amounts of money: `17.41 trillion yuan`, `473.93 billion yuan`, `$1.64 trillion`.

use super::round;
use crate::dataset::{Currency, CurrencyStyle as Style};
use rust_decimal::Decimal;

const SCALES: [(u32, &str); 3] = [(12, "trillion"), (9, "billion"), (6, "million")];

/// `|value × unit|`, the amount in currency units; `None` where it is beyond what a decimal
/// holds (about 7.9e28), which no trade figure is: the dataset's unit is wrong.
fn product(value: Decimal, unit: Decimal) -> Option<Decimal> {
    value.checked_mul(unit).map(|x| x.abs())
}

/// The amount in trillions (10^12 currency units) where it is too large to compute in units: the
/// unit is divided first, so the product is no larger than the value and cannot overflow (such an
/// amount has 17 digits before the point, and a decimal keeps 28).
fn trillions(value: Decimal, unit: Decimal) -> Decimal {
    (value * (unit / Decimal::from(1_000_000_000_000u64))).abs()
}

/// [`en`] for a sentence: `Err` where the amount is too large to compute, rather than a number
/// in trillions no release would print.
pub fn try_en(value: Decimal, unit: Decimal, currency: &Currency) -> Result<String, String> {
    product(value, unit).map(|_| en(value, unit, currency)).ok_or_else(|| too_large(value, unit))
}

/// [`en_precise`] for a sentence, as [`try_en`].
pub fn try_en_precise(
    value: Decimal,
    unit: Decimal,
    currency: &Currency,
    precision: Option<Decimal>,
) -> Result<String, String> {
    product(value, unit).map(|_| en_precise(value, unit, currency, precision)).ok_or_else(|| too_large(value, unit))
}

/// [`zh`] for a sentence, as [`try_en`].
pub fn try_zh(value: Decimal, unit: Decimal, currency: &Currency) -> Result<String, String> {
    product(value, unit).map(|_| zh(value, unit, currency)).ok_or_else(|| too_large(value, unit))
}

fn too_large(value: Decimal, unit: Decimal) -> String {
    format!("{value} times the unit {unit} is too large to write as an amount; check the dataset's `unit`")
}

/// Writes `value` units of `unit` currency units in English, to two decimals of its scale,
/// trailing zeros dropped. The sign is left to the words around it ("a deficit of"). An amount
/// too large to compute in units (see [`try_en`]) is written in trillions.
pub fn en(value: Decimal, unit: Decimal, currency: &Currency) -> String {
    let Some(x) = product(value, unit) else {
        return with_currency(format!("{} trillion", round(trillions(value, unit), 2).normalize()), currency);
    };
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
    with_currency(number.unwrap_or_else(|| below_scales(x, currency, true)), currency)
}

/// A number written with its currency: `$1.2 billion`, `1.2 billion yuan`, `SGD 1.2 billion`.
fn with_currency(number: String, currency: &Currency) -> String {
    match currency.style {
        Style::Symbol => format!("{}{number}", currency.symbol),
        Style::Name => format!("{number} {}", currency.en),
        Style::Code => format!("{} {number}", currency.code),
    }
}

/// An amount too small for a scale word, in whole units, or to the currency's minor units
/// where it has a fraction of one (`$12,500.50`; the yen has none: `¥12,501`).
fn below_scales(x: Decimal, currency: &Currency, grouped: bool) -> String {
    let minor = u32::from(currency.minor_units);
    let whole = round(x, 0);
    let mut exact = round(x, minor);
    if exact == whole {
        return if grouped { group_thousands(whole) } else { whole.normalize().to_string() };
    }
    exact.rescale(minor);
    let text = exact.to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let int = if grouped { group_thousands(int.parse().unwrap_or_default()) } else { int.to_string() };
    format!("{int}.{frac}")
}

/// [`en`], with no more digits than values published to `precision` (a step of the unit) carry:
/// below a million, a series published to $0.1 million writes `$0.6 million`, not `$600,000`.
pub fn en_precise(value: Decimal, unit: Decimal, currency: &Currency, precision: Option<Decimal>) -> String {
    let x = (value * unit).abs();
    let million = Decimal::from(1_000_000);
    let Some(step) = precision.map(|p| p * unit).filter(|s| *s > Decimal::ONE_THOUSAND && x < million && !x.is_zero())
    else {
        return en(value, unit, currency);
    };
    // The decimals of the step in millions: 0.1 million is one.
    let places = (step / million).normalize().scale();
    let n = round(x / million, places);
    if n.is_zero() {
        let least = Decimal::new(1, places);
        return format!("less than {}", with_currency(format!("{least} million"), currency));
    }
    with_currency(format!("{} million", n.normalize()), currency)
}

/// Writes an amount in billions to one decimal, thousands grouped, as the U.S. Census Bureau does
/// (`$54.0 billion`, `$2,230.3 billion`); with `bare`, the number and currency symbol alone
/// (`$54.0`), for a list "in billions of dollars".
pub fn en_billions(value: Decimal, unit: Decimal, currency: &Currency, bare: bool) -> String {
    let b = round((value * unit).abs() / Decimal::from(1_000_000_000), 1);
    let (whole, tenth) = (b.trunc(), ((b - b.trunc()) * Decimal::TEN).trunc());
    let number = format!("{}.{}", group_thousands(whole), tenth.normalize());
    match (bare, currency.style) {
        (true, Style::Symbol) => format!("{}{number}", currency.symbol),
        (true, _) => number,
        (false, _) => with_currency(format!("{number} billion"), currency),
    }
}

/// Writes an amount the way Chinese releases do: 万亿 to two decimals, 亿 to one, 万 to one,
/// trailing zeros dropped (`17.41万亿元`, `4739.3亿元`, `2.41万亿美元`). A value that rounds up
/// to the next scale is written in it (9999.99亿 is `1万亿`). An amount too large to compute in
/// units (see [`try_zh`]) is written in 万亿.
pub fn zh(value: Decimal, unit: Decimal, currency: &Currency) -> String {
    let Some(x) = product(value, unit) else {
        return format!("{}万亿{}", round(trillions(value, unit), 2).normalize(), currency.zh);
    };
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
        below_scales(x, currency, false)
    };
    format!("{number}{}", currency.zh)
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
    let step = if exp == 0 { Decimal::new(1, value.scale()) } else { scale / Decimal::ONE_HUNDRED };
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
    let places = if scale == 1 { value.scale() } else { places };
    let scale = Decimal::from(scale);
    Some((value * scale, scale / Decimal::from(10i64.pow(places))))
}

/// The whole number `d` with its thousands grouped: `2,230`.
pub(crate) fn group_thousands(d: Decimal) -> String {
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
            assert_eq!(en(value.parse().unwrap(), unit, &currency), want, "{value}");
        }
    }

    #[test]
    fn no_more_digits_than_the_data_carry() {
        let million = Decimal::from(1_000_000);
        let tenth = Some(Decimal::new(1, 1));
        for (value, precision, want) in [
            ("0.6", tenth, "$0.6 million"),
            ("0.6", None, "$600,000"),
            ("0.0125", Some(Decimal::new(1, 4)), "$12,500"),
            ("0.25", Some(Decimal::new(1, 2)), "$0.25 million"),
            ("8.7", tenth, "$8.7 million"),
            ("1642820.4", tenth, "$1.64 trillion"),
            ("0", tenth, "$0"),
            // A declared step coarser than the value: never "$0 million".
            ("0.04", tenth, "less than $0.1 million"),
        ] {
            assert_eq!(en_precise(value.parse().unwrap(), million, &Currency::USD, precision), want, "{value}");
        }
    }

    #[test]
    fn billions_as_the_census_writes_them() {
        let million = Decimal::from(1_000_000);
        for (value, want, bare) in [
            ("54012.3", "$54.0 billion", "$54.0"),
            ("2230312", "$2,230.3 billion", "$2,230.3"),
            ("-31812.9", "$31.8 billion", "$31.8"),
            ("49.9", "$0.0 billion", "$0.0"),
            ("999960", "$1,000.0 billion", "$1,000.0"),
        ] {
            let v = value.parse().unwrap();
            assert_eq!(en_billions(v, million, &Currency::USD, false), want, "{value}");
            assert_eq!(en_billions(v, million, &Currency::USD, true), bare, "{value}");
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
            assert_eq!(zh(value.parse().unwrap(), unit, &currency), want, "{value}");
        }
    }

    #[test]
    fn currencies_as_data() {
        let million = Decimal::from(1_000_000);
        let c = |code: &str| Currency::builtin(code).unwrap();
        for (value, code, en_want, zh_want) in [
            ("12534.2", "SGD", "S$12.53 billion", "125.3亿新加坡元"),
            ("9286200", "JPY", "9.29 trillion yen", "9.29万亿日元"),
            ("412.77", "EUR", "€412.77 million", "4.1亿欧元"),
            ("1200", "CHF", "CHF 1.2 billion", "12亿瑞士法郎"),
            ("350", "KES", "KES 350 million", "3.5亿KES"),
            // Below a million, to the currency's minor units where there is a fraction of one.
            ("0.0125005", "USD", "$12,500.50", "1.3万美元"),
            ("0.0125005", "JPY", "12,501 yen", "1.3万日元"),
            ("0.0000995", "SGD", "S$99.50", "99.50新加坡元"),
            ("0.0000995", "KRW", "100 won", "100韩元"),
            ("0.0000995", "KWD", "KWD 99.500", "99.500KWD"),
        ] {
            let v: Decimal = value.parse().unwrap();
            assert_eq!(en(v, million, &c(code)), en_want, "{value} {code}");
            assert_eq!(zh(v, million, &c(code)), zh_want, "{value} {code}");
        }
        let mut own = c("SGD");
        own.zh = "新元".into();
        assert_eq!(zh("12534.2".parse().unwrap(), million, &own), "125.3亿新元");
    }

    #[test]
    fn an_amount_too_large_to_compute_is_an_error_in_a_sentence_and_never_a_panic() {
        let unit = Decimal::from(1_000_000_000_000u64);
        let value: Decimal = "96000000000000000.125".parse().unwrap();
        let want = "96000000000000000.125 times the unit 1000000000000 is too large to write as an amount; check the dataset's `unit`";
        assert_eq!(try_en(value, unit, &Currency::USD).unwrap_err(), want);
        assert_eq!(try_zh(-value, unit, &Currency::CNY).unwrap_err(), want.replacen("96", "-96", 1));
        assert_eq!(en(value, unit, &Currency::USD), "$96000000000000000.13 trillion");
        assert_eq!(zh(-value, unit, &Currency::CNY), "96000000000000000.13万亿元");
        let fits: Decimal = "79228162514".parse().unwrap();
        assert_eq!(try_en(fits, unit, &Currency::USD).unwrap(), "$79228162514 trillion");
    }

    #[test]
    fn amounts_with_cents_read_back() {
        assert_eq!(parse_en("$12,500.50"), Some(("12500.50".parse().unwrap(), "0.01".parse().unwrap())));
        assert_eq!(parse_zh("99.50元"), Some(("99.50".parse().unwrap(), "0.01".parse().unwrap())));
    }
}
