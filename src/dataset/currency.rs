//! Currencies: an ISO 4217 code and how amounts in it are written in each language.
//!
//! `currency: SGD` in dataset.yaml is enough: the common currencies' symbols and names are in
//! [`COMMON`], every other active code is known with its minor units, and anything can be
//! overridden (`currency: { code: SGD, zh: 新元 }`).

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A currency and how amounts in it are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Currency {
    /// The ISO 4217 code: `USD`.
    pub code: Cow<'static, str>,
    /// The symbol English amounts put first in the `symbol` style: `$`, `S$`, `€`.
    pub symbol: Cow<'static, str>,
    /// The English name, plural, as amounts in the `name` style end: `yuan`, `Singapore dollars`.
    pub en: Cow<'static, str>,
    /// The Chinese name, as Chinese amounts end: `美元` (`2.41万亿美元`), `元`.
    pub zh: Cow<'static, str>,
    /// Digits after the decimal point in the currency (2 for cents, 0 for the yen).
    pub minor_units: u8,
    /// How English writes an amount.
    pub style: Style,
}

/// How English writes an amount of money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// The symbol first: `$1.64 trillion`, `S$12.5 billion`.
    Symbol,
    /// The name after: `17.41 trillion yuan`, `9.2 trillion yen`.
    Name,
    /// The code first: `CHF 1.2 billion`.
    Code,
}

/// (code, symbol, English name, Chinese name, English style): the currencies trade releases are
/// commonly written in. Minor units come from [`MINOR_UNITS`] for these as for all others.
const COMMON: [(&str, &str, &str, &str, Style); 34] = [
    ("USD", "$", "U.S. dollars", "美元", Style::Symbol),
    ("CNY", "¥", "yuan", "元", Style::Name),
    ("EUR", "€", "euros", "欧元", Style::Symbol),
    ("GBP", "£", "pounds", "英镑", Style::Symbol),
    ("JPY", "¥", "yen", "日元", Style::Name),
    ("SGD", "S$", "Singapore dollars", "新加坡元", Style::Symbol),
    ("HKD", "HK$", "Hong Kong dollars", "港元", Style::Symbol),
    ("KRW", "₩", "won", "韩元", Style::Name),
    ("INR", "₹", "rupees", "印度卢比", Style::Symbol),
    ("CHF", "CHF", "Swiss francs", "瑞士法郎", Style::Code),
    ("CAD", "C$", "Canadian dollars", "加元", Style::Symbol),
    ("AUD", "A$", "Australian dollars", "澳元", Style::Symbol),
    ("NZD", "NZ$", "New Zealand dollars", "新西兰元", Style::Symbol),
    ("TWD", "NT$", "New Taiwan dollars", "新台币", Style::Symbol),
    ("MOP", "MOP$", "patacas", "澳门元", Style::Symbol),
    ("RUB", "₽", "roubles", "卢布", Style::Name),
    ("BRL", "R$", "reais", "雷亚尔", Style::Symbol),
    ("MXN", "MXN", "Mexican pesos", "墨西哥比索", Style::Code),
    ("ZAR", "R", "rand", "兰特", Style::Symbol),
    ("SEK", "SEK", "Swedish kronor", "瑞典克朗", Style::Code),
    ("NOK", "NOK", "Norwegian kroner", "挪威克朗", Style::Code),
    ("DKK", "DKK", "Danish kroner", "丹麦克朗", Style::Code),
    ("THB", "฿", "baht", "泰铢", Style::Name),
    ("MYR", "RM", "ringgit", "林吉特", Style::Symbol),
    ("IDR", "Rp", "rupiah", "印尼盾", Style::Symbol),
    ("PHP", "₱", "Philippine pesos", "菲律宾比索", Style::Symbol),
    ("VND", "₫", "dong", "越南盾", Style::Name),
    ("TRY", "₺", "lira", "土耳其里拉", Style::Name),
    ("SAR", "SAR", "riyals", "沙特里亚尔", Style::Code),
    ("AED", "AED", "dirhams", "阿联酋迪拉姆", Style::Code),
    ("PLN", "PLN", "zlotys", "兹罗提", Style::Code),
    ("ILS", "₪", "shekels", "以色列新谢克尔", Style::Symbol),
    ("CZK", "CZK", "Czech koruny", "捷克克朗", Style::Code),
    ("HUF", "HUF", "forints", "匈牙利福林", Style::Code),
];

/// The active ISO 4217 codes (list one, 2024-2025 amendments), by their minor units; codes for
/// precious metals, testing and "no currency" (XAU, XTS, XXX...) are left out, as no trade
/// figure is stated in them.
const MINOR_UNITS: [(u8, &str); 4] = [
    (
        2,
        "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN \
         BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP \
         GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP \
         LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR \
         NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN \
         SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR \
         ZMW ZWG",
    ),
    (0, "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"),
    (3, "BHD IQD JOD KWD LYD OMR TND"),
    (4, "CLF UYW"),
];

impl Currency {
    /// U.S. dollars: `$2.41 trillion`, `2.41万亿美元`.
    pub const USD: Currency = Currency::common(0);
    /// Chinese yuan: `17.41 trillion yuan`, `17.41万亿元`.
    pub const CNY: Currency = Currency::common(1);

    const fn common(i: usize) -> Currency {
        let (code, symbol, en, zh, style) = COMMON[i];
        Currency {
            code: Cow::Borrowed(code),
            symbol: Cow::Borrowed(symbol),
            en: Cow::Borrowed(en),
            zh: Cow::Borrowed(zh),
            minor_units: 2,
            style,
        }
    }

    /// The currency of an ISO 4217 code, as built in: the common ones with their symbols and
    /// names, the others written with their code. `None` for a code that is not an active one.
    pub fn builtin(code: &str) -> Option<Currency> {
        let minor_units = MINOR_UNITS.iter().find(|(_, codes)| codes.split_whitespace().any(|c| c == code))?.0;
        let found = COMMON.iter().position(|c| c.0 == code);
        Some(match found {
            Some(i) => Currency { minor_units, ..Currency::common(i) },
            None => {
                let code: Cow<'static, str> = Cow::Owned(code.to_string());
                Currency {
                    symbol: code.clone(),
                    en: code.clone(),
                    zh: code.clone(),
                    code,
                    minor_units,
                    style: Style::Code,
                }
            }
        })
    }
}

/// `currency:` as a map: a code with what differs from the built-in.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Overrides {
    code: String,
    symbol: Option<String>,
    en: Option<String>,
    zh: Option<String>,
    minor_units: Option<u8>,
    style: Option<Style>,
}

/// Reads a code or a map in place, so that errors keep the line and column of the value.
struct Given;

impl<'de> serde::de::Visitor<'de> for Given {
    type Value = Currency;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an ISO 4217 code (SGD) or { code: SGD, symbol:, en:, zh:, minor_units:, style: }")
    }

    fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<Currency, E> {
        resolve(Overrides { code: code.to_string(), symbol: None, en: None, zh: None, minor_units: None, style: None })
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Currency, A::Error> {
        resolve(Overrides::deserialize(serde::de::value::MapAccessDeserializer::new(map))?)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Currency, D::Error> {
        d.deserialize_any(Given)
    }
}

/// The built-in currency of a code, with the overrides applied.
fn resolve<E: serde::de::Error>(o: Overrides) -> Result<Currency, E> {
    if o.code.trim().is_empty() {
        return Err(E::custom("`currency` is empty: fill in an ISO 4217 code (USD, EUR, SGD...)"));
    }
    let shaped = o.code.len() == 3 && o.code.bytes().all(|b| b.is_ascii_uppercase());
    let base = match Currency::builtin(&o.code) {
        Some(c) => c,
        // A code no longer or not yet in the list (DEM, a new one) works when it says how it is written.
        None if shaped && o.symbol.is_some() && o.en.is_some() && o.zh.is_some() => Currency {
            code: Cow::Owned(o.code.clone()),
            symbol: Cow::Borrowed(""),
            en: Cow::Borrowed(""),
            zh: Cow::Borrowed(""),
            minor_units: 2,
            style: Style::Symbol,
        },
        None => {
            return Err(E::custom(format!(
                "`{}` is not an ISO 4217 currency code (USD, EUR, SGD...); for one that is not in the \
                     list, give `symbol`, `en` and `zh` as well",
                o.code
            )));
        }
    };
    let text = |given: Option<String>, built: Cow<'static, str>| given.map_or(built, Cow::Owned);
    let c = Currency {
        code: base.code,
        symbol: text(o.symbol, base.symbol),
        en: text(o.en, base.en),
        zh: text(o.zh, base.zh),
        minor_units: o.minor_units.unwrap_or(base.minor_units),
        style: o.style.unwrap_or(base.style),
    };
    if c.minor_units > 4 {
        return Err(E::custom(format!("`minor_units: {}`: no currency has more than 4", c.minor_units)));
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<Currency, String> {
        serde_yaml::from_str(yaml).map_err(|e| e.to_string())
    }

    #[test]
    fn codes_alone_are_enough() {
        let sgd = parse("SGD").unwrap();
        assert_eq!(
            (sgd.symbol.as_ref(), sgd.zh.as_ref(), sgd.minor_units, sgd.style),
            ("S$", "新加坡元", 2, Style::Symbol)
        );
        assert_eq!(parse("JPY").unwrap().minor_units, 0);
        assert_eq!(parse("KWD").unwrap().minor_units, 3);
        let kes = parse("KES").unwrap();
        assert_eq!((kes.symbol.as_ref(), kes.en.as_ref(), kes.style), ("KES", "KES", Style::Code));
        assert_eq!(parse("USD").unwrap(), Currency::USD);
        assert_eq!(parse("CNY").unwrap(), Currency::CNY);
    }

    #[test]
    fn overrides_replace_what_they_name() {
        let c = parse("{ code: SGD, zh: 新元 }").unwrap();
        assert_eq!((c.symbol.as_ref(), c.zh.as_ref()), ("S$", "新元"));
        let dem = parse("{ code: DEM, symbol: DM, en: Deutsche Mark, zh: 德国马克 }").unwrap();
        assert_eq!(dem.symbol, "DM");
    }

    #[test]
    fn unknown_codes_are_refused() {
        for bad in ["XYZ", "usd", "DEM", "{ code: SGD, colour: red }", "{ code: JPY, minor_units: 9 }"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse("XYZ").unwrap_err().contains("not an ISO 4217 currency code"));
    }

    #[test]
    fn every_common_currency_is_an_active_code() {
        for c in COMMON {
            assert!(Currency::builtin(c.0).is_some(), "{}", c.0);
        }
    }
}
