//! Units of quantity: what a product's `quantity` column counts (`10000 t`, `bbl`, `m3`).

use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// What a quantity is counted in, before any multiple.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BaseUnit {
    /// Metric tonnes (`t`).
    Tonne,
    /// Kilograms (`kg`).
    Kilogram,
    /// Barrels (`bbl`).
    Barrel,
    /// Cubic metres (`m3`).
    CubicMetre,
    /// Items counted one by one: vehicles, aircraft (`items`).
    Item,
}

impl BaseUnit {
    /// Every base unit with the symbol `dataset.yaml` writes it with.
    pub const ALL: [(BaseUnit, &'static str); 5] = [
        (BaseUnit::Tonne, "t"),
        (BaseUnit::Kilogram, "kg"),
        (BaseUnit::Barrel, "bbl"),
        (BaseUnit::CubicMetre, "m3"),
        (BaseUnit::Item, "items"),
    ];

    /// The symbol: `t`, `kg`, `bbl`, `m3`, `items`.
    pub fn symbol(self) -> &'static str {
        BaseUnit::ALL.iter().find(|(u, _)| *u == self).map(|(_, s)| *s).expect("every unit has a symbol")
    }
}

/// A unit of the `quantity` column: a multiple of a base unit. `10000 t` is GACC's 万吨.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QuantityUnit {
    /// How many base units one unit of the column is (10000 for `10000 t`).
    pub scale: Decimal,
    /// The base unit.
    pub base: BaseUnit,
}

/// The largest multiple a unit may be: beyond it the unit is a mistake, and products of
/// quantities could overflow.
const MAX_SCALE: Decimal = Decimal::from_parts(3567587328, 232, 0, false, 0); // 1e12

impl FromStr for QuantityUnit {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let symbols = BaseUnit::ALL.iter().map(|(_, s)| *s).collect::<Vec<_>>().join(", ");
        let bad = |why: &str| {
            format!(
                "`{s}` is not a unit of quantity: {why} (a base unit {symbols}, after an optional multiple: `10000 t`)"
            )
        };
        let (scale, symbol) = match s.trim().split_once(' ') {
            Some((n, u)) => {
                (super::parse_decimal(n.trim()).map_err(|_| bad("the multiple is not a number"))?, u.trim())
            }
            None => (Decimal::ONE, s.trim()),
        };
        if scale <= Decimal::ZERO || scale > MAX_SCALE {
            return Err(bad("the multiple must be positive and at most 1000000000000"));
        }
        let base = BaseUnit::ALL
            .iter()
            .find(|(_, sym)| *sym == symbol)
            .map(|(u, _)| *u)
            .ok_or_else(|| bad("unknown base unit"))?;
        Ok(QuantityUnit { scale: scale.normalize(), base })
    }
}

impl fmt::Display for QuantityUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scale == Decimal::ONE {
            f.write_str(self.base.symbol())
        } else {
            write!(f, "{} {}", self.scale, self.base.symbol())
        }
    }
}

impl serde::Serialize for QuantityUnit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for QuantityUnit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_parse_and_print_back() {
        for (text, shown) in
            [("t", "t"), ("10000 t", "10000 t"), (" 10000.0  t ", "10000 t"), ("m3", "m3"), ("1000 bbl", "1000 bbl")]
        {
            let u: QuantityUnit = text.parse().unwrap();
            assert_eq!(u.to_string(), shown, "{text}");
        }
        assert_eq!("100000000 m3".parse::<QuantityUnit>().unwrap().base, BaseUnit::CubicMetre);
        for bad in ["tons", "10000 tons", "0 t", "-5 t", "1e4 t", "", "10000000000000 t"] {
            let e = bad.parse::<QuantityUnit>().unwrap_err();
            assert!(e.contains("is not a unit of quantity"), "{bad}: {e}");
        }
    }
}
