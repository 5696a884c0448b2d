//! Percentage points, never written as percent: `6 percentage points`, `up 2.9 percentage points`.

use super::round;
use rust_decimal::Decimal;

/// A size in percentage points, one decimal at most, a whole number without it.
pub fn en(pp: Decimal) -> String {
    let r = round(pp.abs(), 1).normalize();
    let unit = if r == Decimal::ONE { "percentage point" } else { "percentage points" };
    format!("{r} {unit}")
}

/// A change in percentage points with its direction: `up 2.9 percentage points`.
pub fn en_change(pp: Decimal) -> String {
    let r = round(pp, 1);
    if r.is_zero() {
        "unchanged".into()
    } else if r > Decimal::ZERO {
        format!("up {}", en(pp))
    } else {
        format!("down {}", en(pp))
    }
}

/// A size in percentage points in Chinese: `6个百分点`.
pub fn zh(pp: Decimal) -> String {
    format!("{}个百分点", round(pp.abs(), 1).normalize())
}

/// A change in percentage points in Chinese: `提升2.9个百分点`, `下降1.6个百分点`, `持平`.
pub fn zh_change(pp: Decimal) -> String {
    let r = round(pp, 1);
    if r.is_zero() {
        "持平".into()
    } else if r > Decimal::ZERO {
        format!("提升{}", zh(pp))
    } else {
        format!("下降{}", zh(pp))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_in_words() {
        for (pp, size, change) in [
            ("6.0", "6 percentage points", "up 6 percentage points"),
            ("2.9", "2.9 percentage points", "up 2.9 percentage points"),
            ("-1.64", "1.6 percentage points", "down 1.6 percentage points"),
            ("1.04", "1 percentage point", "up 1 percentage point"),
            ("0.04", "0 percentage points", "unchanged"),
            ("-0.05", "0.1 percentage points", "down 0.1 percentage points"),
        ] {
            let pp: Decimal = pp.parse().unwrap();
            assert_eq!((en(pp).as_str(), en_change(pp).as_str()), (size, change), "{pp}");
        }
    }

    #[test]
    fn points_in_chinese() {
        for (pp, size, change) in [
            ("6.0", "6个百分点", "提升6个百分点"),
            ("2.9", "2.9个百分点", "提升2.9个百分点"),
            ("-1.64", "1.6个百分点", "下降1.6个百分点"),
            ("0.04", "0个百分点", "持平"),
        ] {
            let pp: Decimal = pp.parse().unwrap();
            assert_eq!((zh(pp).as_str(), zh_change(pp).as_str()), (size, change), "{pp}");
        }
    }
}
