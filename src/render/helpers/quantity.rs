//! Quantities with their units, and average prices: `505.71 million tonnes`, `5.06亿吨`,
//! `$477.18 per tonne`, `增加9.5%`, `下跌8.3%`.

use super::{Fmt, dec, fixed, growth, money, round, text, verb};
use crate::dataset::{BaseUnit, Currency, CurrencyStyle, QuantityUnit};
use rust_decimal::Decimal;
use serde_json::Value as Json;

/// Reads parameter `i` as a unit of quantity (`10000 t`), as the figures give it.
fn unit_param(p: &[&Json], i: usize) -> Result<QuantityUnit, String> {
    match p.get(i) {
        Some(Json::String(s)) => s.parse(),
        Some(Json::Null) => Err("the member has no unit of quantity; guard with its quantity".into()),
        _ => Err(format!("needs a unit of quantity as parameter {}", i + 1)),
    }
}

/// The English helpers: `{{quantity quantity quantity_unit}}`, `{{unit_price unit_price
/// quantity_unit}}`, and the changes, with the growth verbs (`rose 9.5%`).
pub(super) const EN_HELPERS: [(&str, Fmt); 4] = [
    ("quantity", |p, _| text(en(dec(p, 0)?, unit_param(p, 1)?))),
    ("unit_price", |p, root| text(en_price(dec(p, 0)?, &money(root)?.1, unit_param(p, 1)?.base))),
    ("quantity_change", |p, root| text(growth::en_against(dec(p, 0)?, "a year earlier", verb(root, p, 1)))),
    ("price_change", |p, root| text(growth::en_against(dec(p, 0)?, "a year earlier", verb(root, p, 1)))),
];

/// The Chinese helpers, under the same names.
pub(super) const ZH_HELPERS: [(&str, Fmt); 4] = [
    ("quantity", |p, _| text(zh(dec(p, 0)?, unit_param(p, 1)?))),
    ("unit_price", |p, root| text(zh_price(dec(p, 0)?, &money(root)?.1, unit_param(p, 1)?.base))),
    ("quantity_change", |p, _| text(zh_change(dec(p, 0)?))),
    ("price_change", |p, _| text(zh_price_change(dec(p, 0)?))),
];

/// The English name of a base unit: singular and plural.
fn en_word(base: BaseUnit) -> (&'static str, &'static str) {
    match base {
        BaseUnit::Tonne => ("tonne", "tonnes"),
        BaseUnit::Kilogram => ("kilogram", "kilograms"),
        BaseUnit::Barrel => ("barrel", "barrels"),
        BaseUnit::CubicMetre => ("cubic metre", "cubic metres"),
        BaseUnit::Item => ("unit", "units"),
    }
}

/// The Chinese name of a base unit.
fn zh_word(base: BaseUnit) -> &'static str {
    match base {
        BaseUnit::Tonne => "吨",
        BaseUnit::Kilogram => "千克",
        BaseUnit::Barrel => "桶",
        BaseUnit::CubicMetre => "立方米",
        BaseUnit::Item => "件",
    }
}

/// A quantity in English, in base units: millions and billions to two decimals, trailing zeros
/// dropped (`505.71 million tonnes`, `1.07 billion tonnes`), smaller ones in full
/// (`12,500 tonnes`). A quantity that rounds up to the next scale is written in it.
pub fn en(quantity: Decimal, unit: QuantityUnit) -> String {
    let x = (quantity * unit.scale).abs();
    let (one, many) = en_word(unit.base);
    let million = Decimal::from(1_000_000);
    let billion = Decimal::from(1_000_000_000);
    if x >= billion || round(x / million, 2) >= Decimal::from(1000) {
        return format!("{} billion {many}", round(x / billion, 2).normalize());
    }
    if x >= million {
        return format!("{} million {many}", round(x / million, 2).normalize());
    }
    let n = round(x, 0);
    format!("{} {}", thousands(n), if n == Decimal::ONE { one } else { many })
}

/// A quantity as Chinese releases write it: 亿 to two decimals, 万 to one, trailing zeros
/// dropped (`5.06亿吨`, `5477.6万吨`); a quantity that rounds up to the next scale is written in
/// it (9999.96万吨 is `1亿吨`).
pub fn zh(quantity: Decimal, unit: QuantityUnit) -> String {
    let x = (quantity * unit.scale).abs();
    let yi = Decimal::from(100_000_000);
    let wan = Decimal::from(10_000);
    let word = zh_word(unit.base);
    if x >= yi || round(x / wan, 1) >= wan {
        format!("{}亿{word}", round(x / yi, 2).normalize())
    } else if x >= wan {
        format!("{}万{word}", round(x / wan, 1).normalize())
    } else {
        format!("{}{word}", round(x, 0).normalize())
    }
}

/// An average price in English, to two decimals at most, in the currency's own style:
/// `$477.18 per tonne`, `3,412.5 yuan per tonne`.
pub fn en_price(price: Decimal, currency: &Currency, base: BaseUnit) -> String {
    let p = round(price.abs(), 2).normalize();
    let (int, frac) = split(p);
    let number = format!("{}{frac}", thousands(int));
    let per = en_word(base).0;
    match currency.style {
        CurrencyStyle::Symbol => format!("{}{number} per {per}", currency.symbol),
        CurrencyStyle::Name => format!("{number} {} per {per}", currency.en),
        CurrencyStyle::Code => format!("{} {number} per {per}", currency.code),
    }
}

/// An average price in Chinese: `每吨477.18美元`.
pub fn zh_price(price: Decimal, currency: &Currency, base: BaseUnit) -> String {
    let p = round(price.abs(), 2).normalize();
    format!("每{}{p}{}", zh_word(base), currency.zh)
}

/// A change in quantity in Chinese: `增加9.5%`, `减少12.6%`, `持平`, `增加1.4倍` (releases count
/// quantities up and down, 增加 and 减少, where values 增长 and 下降).
pub fn zh_change(g: Decimal) -> String {
    zh_moved(g, "增加", "减少")
}

/// A change in price in Chinese: `上涨34.6%`, `下跌8.3%`, `持平`.
pub fn zh_price_change(g: Decimal) -> String {
    zh_moved(g, "上涨", "下跌")
}

fn zh_moved(g: Decimal, up: &str, down: &str) -> String {
    let r = round(g, 1);
    if r.is_zero() {
        "持平".into()
    } else if g >= Decimal::ONE_HUNDRED {
        // As with values, a rise of 100% or more is counted in multiples: 增加1.4倍 is up 140%.
        format!("{up}{}倍", fixed(g / Decimal::ONE_HUNDRED, 1))
    } else if r > Decimal::ZERO {
        format!("{up}{}%", fixed(g, 1))
    } else {
        format!("{down}{}%", fixed(-g, 1))
    }
}

/// The whole part and the decimals (with their point) of a non-negative decimal.
fn split(d: Decimal) -> (Decimal, String) {
    let int = d.trunc();
    let text = d.to_string();
    let frac = text.find('.').map_or(String::new(), |i| text[i..].to_string());
    (int, frac)
}

fn thousands(d: Decimal) -> String {
    super::amount::group_thousands(d.trunc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(s: &str) -> QuantityUnit {
        s.parse().unwrap()
    }

    #[test]
    fn quantities_in_english() {
        for (q, u, want) in [
            ("50571", "10000 t", "505.71 million tonnes"),
            ("106895", "10000 t", "1.07 billion tonnes"),
            ("28600", "10000 t", "286 million tonnes"),
            ("99999.9", "10000 t", "1 billion tonnes"),
            ("1.25", "10000 t", "12,500 tonnes"),
            ("1", "t", "1 tonne"),
            ("0", "t", "0 tonnes"),
            ("2500", "1000 bbl", "2.5 million barrels"),
            ("971", "100000000 m3", "97.1 billion cubic metres"),
        ] {
            assert_eq!(en(q.parse().unwrap(), unit(u)), want, "{q} {u}");
        }
    }

    #[test]
    fn quantities_in_chinese() {
        for (q, u, want) in [
            ("50571", "10000 t", "5.06亿吨"),
            ("5477.6", "10000 t", "5477.6万吨"),
            ("9657", "10000 t", "9657万吨"),
            ("9999.96", "10000 t", "1亿吨"),
            ("8851", "10000 t", "8851万吨"),
            ("9500", "t", "9500吨"),
            ("971", "100000000 m3", "971亿立方米"),
        ] {
            assert_eq!(zh(q.parse().unwrap(), unit(u)), want, "{q} {u}");
        }
    }

    #[test]
    fn prices_and_changes() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(en_price(d("477.1828"), &Currency::USD, BaseUnit::Tonne), "$477.18 per tonne");
        assert_eq!(en_price(d("3412.5"), &Currency::CNY, BaseUnit::Tonne), "3,412.5 yuan per tonne");
        assert_eq!(en_price(d("64.1"), &Currency::USD, BaseUnit::Barrel), "$64.1 per barrel");
        assert_eq!(zh_price(d("477.1828"), &Currency::USD, BaseUnit::Tonne), "每吨477.18美元");
        for (g, quantity, price) in [
            ("9.508", "增加9.5%", "上涨9.5%"),
            ("-8.31", "减少8.3%", "下跌8.3%"),
            ("0.04", "持平", "持平"),
            ("140", "增加1.4倍", "上涨1.4倍"),
        ] {
            assert_eq!((zh_change(d(g)).as_str(), zh_price_change(d(g)).as_str()), (quantity, price), "{g}");
        }
    }
}
