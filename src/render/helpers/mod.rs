//! The press-office conventions, one module each: amounts, growth, percentage points, periods, lists.
//!
//! Each module has pure functions over exact decimals (tested table by table) and the
//! handlebars adapters here only read parameters and call them.

pub mod amount;
pub mod flow;
pub mod growth;
pub mod list;
pub mod period;
pub mod points;

use crate::dataset::{Basis, Currency, Flow, Period};
use handlebars::{Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, RenderErrorReason, ScopedJson};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value as Json;

/// Rounds half away from zero, as statistics offices do (2.675 -> 2.68, -0.05 -> -0.1).
pub fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounds to exactly `dp` decimals and prints them all: 12 -> "12.0".
pub fn fixed(d: Decimal, dp: u32) -> String {
    let mut r = round(d, dp);
    r.rescale(dp);
    if r.is_zero() {
        r.set_sign_positive(true);
    }
    r.to_string()
}

type Fmt = fn(&[&Json], &Json) -> Result<Json, String>;

/// A helper that formats its parameters with a pure function; usable inline and as a subexpression.
struct FnHelper {
    name: &'static str,
    f: Fmt,
}

impl HelperDef for FnHelper {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let params: Vec<&Json> = h.params().iter().map(|p| p.value()).collect();
        let out = (self.f)(&params, ctx.data()).map_err(|m| {
            let args: Vec<String> = h.params().iter().map(|p| p.relative_path().cloned().unwrap_or_default()).collect();
            RenderErrorReason::Other(format!("helper `{}` ({}): {m}", self.name, args.join(" ")))
        })?;
        Ok(ScopedJson::Derived(out))
    }
}

/// Reads parameter `i` as an exact decimal; a figure that is absent is an error, never a blank.
pub fn dec(params: &[&Json], i: usize) -> Result<Decimal, String> {
    match params.get(i) {
        None => Err(format!("needs a parameter {}", i + 1)),
        Some(Json::Null) => Err("the figure is absent for this subject; guard the rule's condition".into()),
        Some(Json::String(s)) => s.parse().map_err(|_| format!("`{s}` is not a number")),
        Some(Json::Number(n)) => n.to_string().parse().map_err(|_| format!("`{n}` is not a number")),
        Some(other) => Err(format!("`{other}` is not a number")),
    }
}

/// Reads the first parameter as a whole number (a rank, a count).
fn whole(params: &[&Json]) -> Result<u64, String> {
    params.first().and_then(|v| v.as_u64()).ok_or_else(|| "needs a whole number".into())
}

fn text(s: String) -> Result<Json, String> {
    Ok(Json::String(s))
}

fn root_period(root: &Json) -> Result<(Period, Basis), String> {
    let period = root["period"].as_str().and_then(|p| p.parse().ok()).ok_or("the context has no `period`")?;
    let basis = match root["basis"].as_str() {
        Some("month") => Basis::Month,
        Some("ytd") => Basis::Ytd,
        _ => return Err("the context has no `basis`".into()),
    };
    Ok((period, basis))
}

fn money(root: &Json) -> Result<(Decimal, Currency), String> {
    let unit = root["unit"].as_str().and_then(|u| u.parse().ok()).ok_or("the context has no `unit`")?;
    let currency =
        serde_json::from_value(root["currency_format"].clone()).map_err(|_| "the context has no `currency_format`")?;
    Ok((unit, currency))
}

/// Registers the helpers of a language; `false` where the language has none.
pub fn register(hb: &mut Handlebars, lang: &str) -> bool {
    let words: &[(&'static str, Fmt)] = match lang {
        "en" => &EN,
        "zh" => &ZH,
        _ => return false,
    };
    for (name, f) in COMMON.iter().chain(words) {
        hb.register_helper(name, Box::new(FnHelper { name, f: *f }));
    }
    true
}

/// Helpers that read the same in every language: tests for `{{#if}}`.
const COMMON: [(&str, Fmt); 8] = [
    // Signs of rates and points as printed (one decimal): a change of 0.04 points is no rise.
    ("pos_pct", |p, _| Ok(Json::Bool(round(dec(p, 0)?, 1) > Decimal::ZERO))),
    ("neg_pct", |p, _| Ok(Json::Bool(round(dec(p, 0)?, 1) < Decimal::ZERO))),
    ("variant", |p, root| {
        let n = p.first().and_then(|v| v.as_u64()).filter(|n| *n > 0).ok_or("needs how many variants there are")?;
        Ok(Json::from(root["seed"].as_u64().unwrap_or(0) % n))
    }),
    ("same_direction", |p, _| Ok(Json::Bool(growth::same_direction(dec(p, 0)?, dec(p, 1)?)))),
    ("opposite_signs", |p, _| Ok(Json::Bool((dec(p, 0)? < Decimal::ZERO) != (dec(p, 1)? < Decimal::ZERO)))),
    ("zero", |p, _| Ok(Json::Bool(dec(p, 0)?.is_zero()))),
    ("neg", |p, _| Ok(Json::Bool(dec(p, 0)? < Decimal::ZERO))),
    ("pos", |p, _| Ok(Json::Bool(dec(p, 0)? > Decimal::ZERO))),
];

/// Whether two amounts print alike in the language's own writing: 205 and 209 million dollars
/// differ in English ($205 million, $209 million) but not in Chinese (2.1亿美元).
fn same_amount(
    p: &[&Json],
    root: &Json,
    write: fn(Decimal, Decimal, &Currency) -> Result<String, String>,
) -> Result<Json, String> {
    let (unit, currency) = money(root)?;
    Ok(Json::Bool(write(dec(p, 0)?, unit, &currency) == write(dec(p, 1)?, unit, &currency)))
}

/// Which verb a growth helper uses: the sentence's place in the bulletin (so neighbouring sentences
/// differ and consecutive months move on by one), plus an offset the template may give as the
/// parameter at `i` (the second verb of a sentence takes 1).
fn verb(root: &Json, p: &[&Json], i: usize) -> usize {
    let offset = p.get(i).and_then(|v| v.as_u64()).unwrap_or(0);
    (root["position"].as_u64().unwrap_or(0) + offset) as usize
}

fn names(p: &[&Json], join: fn(&[String]) -> String) -> Result<Json, String> {
    let subjects = p.first().and_then(|v| v.as_array()).ok_or("needs the subjects")?;
    let names: Vec<String> = subjects.iter().map(|s| s["name"].as_str().unwrap_or_default().to_string()).collect();
    text(join(&names))
}

/// One figure of every subject, each written by `write`, joined as a list: `11.3% and 10.8%`.
fn each(
    p: &[&Json],
    write: &dyn Fn(Decimal) -> Result<String, String>,
    join: fn(&[String]) -> String,
) -> Result<Json, String> {
    let subjects = p.first().and_then(|v| v.as_array()).ok_or("needs the subjects")?;
    let field = p.get(1).and_then(|v| v.as_str()).ok_or("needs the name of a figure")?;
    let items = subjects.iter().map(|s| dec(&[&s[field]], 0).and_then(write)).collect::<Result<Vec<_>, _>>()?;
    text(join(&items))
}

fn pct_text(d: Decimal) -> String {
    format!("{}%", fixed(d, 1))
}

/// A rate or share as Chinese releases print it: one decimal, none where it is zero (`12%`,
/// `15.6%`, `增长8%`).
pub fn zh_pct_text(d: Decimal) -> String {
    format!("{}%", growth::zh_number(d))
}

/// The flow a helper speaks of: its parameter at `i` where given, else the sentence's own.
fn flow_of(p: &[&Json], i: usize, root: &Json) -> Result<Flow, String> {
    let flow =
        p.get(i).and_then(|v| v.as_str()).or_else(|| root["flow"].as_str()).ok_or("the context has no `flow`")?;
    flow.parse().map_err(|_| format!("`{flow}` is not a flow"))
}

fn strings(p: &[&Json]) -> Vec<String> {
    p.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect()
}

fn month_param(p: &[&Json]) -> Result<Period, String> {
    p.first().and_then(|v| v.as_str()).and_then(|v| v.parse().ok()).ok_or_else(|| "needs a month, YYYY-MM".into())
}

/// The English helpers.
const EN: [(&str, Fmt); 20] = [
    ("pct", |p, _| text(pct_text(dec(p, 0)?))),
    ("numeral", |p, _| text(whole(p)?.to_string())),
    ("amount", |p, root| {
        let (unit, currency) = money(root)?;
        text(amount::try_en(dec(p, 0)?, unit, &currency)?)
    }),
    ("growth", |p, root| {
        let base = p.get(1).and_then(|b| b.as_str()).filter(|b| !b.is_empty()).unwrap_or("a year earlier");
        text(growth::en_against(dec(p, 0)?, base, verb(root, p, 2)))
    }),
    ("growth_to", |p, root| {
        let (unit, currency) = money(root)?;
        let qualifier = p.get(2).and_then(|q| q.as_str()).unwrap_or_default();
        text(growth::en_to(dec(p, 0)?, &amount::try_en(dec(p, 1)?, unit, &currency)?, qualifier, verb(root, p, 3)))
    }),
    ("growth_noun", |p, _| text(growth::en_noun(dec(p, 0)?))),
    ("growth_head", |p, root| text(growth::en_headline(dec(p, 0)?, verb(root, p, 1)))),
    ("balance_change", |p, root| text(growth::en_balance(dec(p, 0)?, verb(root, p, 1)))),
    ("pp", |p, _| text(points::en(dec(p, 0)?))),
    ("pp_change", |p, _| text(points::en_change(dec(p, 0)?))),
    ("period", |_, root| {
        let (p, b) = root_period(root)?;
        text(period::en(p, b))
    }),
    ("period_in", |_, root| {
        let (p, b) = root_period(root)?;
        text(period::en_in(p, b))
    }),
    ("month_year", |p, _| text(period::en_month_year(month_param(p)?))),
    ("prev_month", |_, root| {
        let (p, _) = root_period(root)?;
        text(period::en_month(p.prev()))
    }),
    ("ordinal", |p, _| text(period::en_ordinal(whole(p)? as u32))),
    ("list", |p, _| text(list::en(&strings(p)))),
    ("names", |p, _| names(p, list::en)),
    ("pcts", |p, _| each(p, &|d| Ok(pct_text(d)), list::en)),
    ("same_amount", |p, root| same_amount(p, root, amount::try_en)),
    ("amounts", |p, root| {
        let (unit, currency) = money(root)?;
        each(p, &|d| amount::try_en(d, unit, &currency), list::en)
    }),
];

/// The Chinese helpers, under the same names where they do the same job.
const ZH: [(&str, Fmt); 24] = [
    ("ordinal", |p, _| text(period::zh_ordinal(whole(p)? as u32))),
    ("numeral", |p, _| text(period::zh_numeral(whole(p)? as u32))),
    ("pct", |p, _| text(zh_pct_text(dec(p, 0)?))),
    // The flow in words (进出口, 出口, 进口), the preposition before a partner (对, 对, 自) and the
    // total a share is of (外贸总值, 出口总值, 进口总值): a sentence over exports says exports.
    ("trade", |p, root| text(flow::zh_trade(flow_of(p, 0, root)?).into())),
    ("to", |p, root| text(flow::zh_to(flow_of(p, 0, root)?).into())),
    ("total_of", |p, root| text(flow::zh_total_of(flow_of(p, 0, root)?).into())),
    ("overall", |p, root| text(flow::zh_overall(flow_of(p, 0, root)?).into())),
    ("trade_with", |p, root| {
        let name = p.first().and_then(|v| v.as_str()).ok_or("needs a name")?;
        text(flow::zh_trade_with(flow_of(p, 1, root)?, name))
    }),
    ("direction", |p, _| text(growth::zh_direction(dec(p, 0)?).into())),
    ("amount", |p, root| {
        let (unit, currency) = money(root)?;
        text(amount::try_zh(dec(p, 0)?, unit, &currency)?)
    }),
    ("growth", |p, _| text(growth::zh(dec(p, 0)?))),
    ("balance_change", |p, _| text(growth::zh_balance(dec(p, 0)?))),
    ("pp", |p, _| text(points::zh(dec(p, 0)?))),
    ("pp_change", |p, _| text(points::zh_change(dec(p, 0)?))),
    ("period", |_, root| {
        let (p, b) = root_period(root)?;
        text(period::zh(p, b))
    }),
    ("period_in", |_, root| {
        let (p, b) = root_period(root)?;
        text(period::zh_in(p, b))
    }),
    ("month_year", |p, _| text(period::zh_month_year(month_param(p)?))),
    ("prev_month", |_, root| {
        let (p, _) = root_period(root)?;
        text(format!("{}月", p.prev().month))
    }),
    ("count", |p, _| text(whole(p)?.to_string())),
    ("list", |p, _| text(list::zh(&strings(p)))),
    ("names", |p, _| names(p, list::zh)),
    ("pcts", |p, _| each(p, &|d| Ok(zh_pct_text(d)), list::zh)),
    ("same_amount", |p, root| same_amount(p, root, amount::try_zh)),
    ("amounts", |p, root| {
        let (unit, currency) = money(root)?;
        each(p, &|d| amount::try_zh(d, unit, &currency), list::zh)
    }),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_away_from_zero_on_exact_decimals() {
        for (input, dp, want) in [
            ("2.675", 2, "2.68"),
            ("-0.05", 1, "-0.1"),
            ("99.95", 1, "100.0"),
            ("0.05", 1, "0.1"),
            ("-2.675", 2, "-2.68"),
            ("4.24999", 1, "4.2"),
            ("12", 1, "12.0"),
            ("-0.04", 1, "0.0"),
        ] {
            assert_eq!(fixed(input.parse().unwrap(), dp), want, "{input}");
        }
    }
}
