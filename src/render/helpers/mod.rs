//! The press-office conventions, one module each: amounts, growth, percentage points, periods,
//! lists, quantities.
//!
//! Each module has pure functions over exact decimals (tested table by table) and the
//! handlebars adapters here only read parameters and call them.

pub mod amount;
pub mod flow;
pub mod growth;
pub mod list;
pub mod period;
pub mod points;
pub mod quantity;
pub mod words;

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
        // Where in the context each param comes from: the figure's `said` sits beside it.
        let paths: Vec<Option<&Vec<String>>> = h.params().iter().map(|p| p.context_path()).collect();
        let root = ctx.data();
        PARAM_PATHS.with(|p| *p.borrow_mut() = paths.iter().map(|p| p.cloned()).collect());
        let out = (self.f)(&params, root).map_err(|m| {
            let args: Vec<String> = h.params().iter().map(|p| p.relative_path().cloned().unwrap_or_default()).collect();
            RenderErrorReason::Other(format!("helper `{}` ({}): {m}", self.name, args.join(" ")))
        })?;
        if PRINTS.contains(&self.name) {
            record(self.name, &params, &paths);
        }
        Ok(ScopedJson::Derived(out))
    }
}

/// The helpers that print a figure of their parameters (the others test or choose).
const PRINTS: [&str; 17] = [
    "amount",
    "growth",
    "growth_to",
    "growth_noun",
    "growth_head",
    "balance_change",
    "pp",
    "pp_change",
    "pct",
    "pcts",
    "amounts",
    "billions",
    "change_by",
    "changed_by",
    "percent",
    "diff_billions",
    "billions_list",
];

thread_local! {
    /// The context paths of the figures printed while [`printing`] runs; `None` otherwise.
    static PRINTED: std::cell::RefCell<Option<Vec<Vec<String>>>> = const { std::cell::RefCell::new(None) };
    /// The context paths of the parameters of the helper being called.
    static PARAM_PATHS: std::cell::RefCell<Vec<Option<Vec<String>>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` (which fills a template), and returns with its result the context path of every
/// figure a helper printed meanwhile (`["first", "share_pct"]`): what the sentence stated.
pub fn printing<R>(f: impl FnOnce() -> R) -> (R, Vec<Vec<String>>) {
    PRINTED.with(|p| *p.borrow_mut() = Some(Vec::new()));
    let r = f();
    let printed = PRINTED.with(|p| p.borrow_mut().take()).unwrap_or_default();
    (r, printed)
}

/// Records what a printing helper printed. A helper given a list of subjects and a figure's name
/// (`pcts subjects "share_pct"`) printed that figure of each.
fn record(name: &str, params: &[&Json], paths: &[Option<&Vec<String>>]) {
    PRINTED.with(|p| {
        let mut p = p.borrow_mut();
        let Some(out) = p.as_mut() else { return };
        let listed = matches!(name, "pcts" | "amounts" | "billions_list");
        if listed {
            let (Some(Some(base)), Some(n)) = (paths.first(), params.first().and_then(|v| v.as_array()).map(Vec::len))
            else {
                return;
            };
            let fields: Vec<&str> = if name == "billions_list" {
                vec!["value"]
            } else {
                params[1..].iter().filter_map(|f| f.as_str()).collect()
            };
            for field in fields {
                out.extend((0..n).map(|i| [base.as_slice(), &[i.to_string(), field.to_string()]].concat()));
            }
            return;
        }
        out.extend(paths.iter().flatten().map(|p| p.to_vec()));
    });
}

/// Whether the figure at parameter `i` of the helper being called was stated earlier in the
/// bulletin: `said.<figure>` beside it in the context is true.
fn said(root: &Json, i: usize) -> bool {
    PARAM_PATHS.with(|p| {
        let p = p.borrow();
        let Some(Some(path)) = p.get(i) else { return false };
        let Some((figure, parent)) = path.split_last() else { return false };
        let mut v = root;
        for key in parent {
            v = match v {
                Json::Object(m) => m.get(key).unwrap_or(&Json::Null),
                Json::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get(i)).unwrap_or(&Json::Null),
                _ => &Json::Null,
            };
        }
        v["said"][figure].as_bool().unwrap_or(false)
    })
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

/// The step the dataset's values are published to, where it declares one.
fn precision(root: &Json) -> Option<Decimal> {
    root["precision"].as_str().and_then(|p| p.parse().ok())
}

/// An amount in English, with no more digits than the data carry: to the step the dataset
/// declares, else to the decimals the figure was read or summed with (0.6 from a table in tenths
/// of a million is "$0.6 million", 0.016355 from one in dollars is "$16,355").
fn en_amount(d: Decimal, root: &Json) -> Result<String, String> {
    let (unit, currency) = money(root)?;
    amount::try_en_precise(d, unit, &currency, precision(root).or(Some(Decimal::new(1, d.scale()))))
}

/// The flow a fact is about, from the context.
fn flow(root: &Json) -> Result<crate::dataset::Flow, String> {
    root["flow"].as_str().and_then(|f| f.parse().ok()).ok_or_else(|| "the context has no `flow`".into())
}

/// Whether a subject (a name and its forms, as the context gives it) takes a plural verb.
/// `was first` goes by the form the subject is named by (`name`); `was first "short"` and
/// `was first "full"` by that form.
fn plural(p: &[&Json]) -> Result<bool, String> {
    let subject = p.first().ok_or("needs a subject")?;
    let key = match p.get(1).and_then(|f| f.as_str()) {
        Some("short") => "short_plural",
        Some("full") => "full_plural",
        _ => "plural",
    };
    subject[key].as_bool().ok_or_else(|| "needs a subject with its names (first, or one of subjects)".into())
}

/// Registers the helpers of a language; `false` where the language has none.
pub fn register(hb: &mut Handlebars, lang: &str) -> bool {
    type Helpers = &'static [(&'static str, Fmt)];
    let (words, quantities): (Helpers, Helpers) = match lang {
        "en" => (&EN, &quantity::EN_HELPERS),
        "zh" => (&ZH, &quantity::ZH_HELPERS),
        _ => return false,
    };
    for (name, f) in COMMON.iter().chain(words).chain(quantities) {
        hb.register_helper(name, Box::new(FnHelper { name, f: *f }));
    }
    true
}

/// Helpers that read the same in every language: tests for `{{#if}}`.
const COMMON: [(&str, Fmt); 10] = [
    // Signs of rates and points as printed (one decimal): a change of 0.04 points is no rise.
    ("pos_pct", |p, _| Ok(Json::Bool(round(dec(p, 0)?, 1) > Decimal::ZERO))),
    ("neg_pct", |p, _| Ok(Json::Bool(round(dec(p, 0)?, 1) < Decimal::ZERO))),
    // `variant n` picks one of n phrasings by the month and rule; `variant n @index` moves on by
    // one for each subject, so that the sentences of a list do not open alike.
    ("variant", |p, root| {
        let n = p.first().and_then(|v| v.as_u64()).filter(|n| *n > 0).ok_or("needs how many variants there are")?;
        let offset = p.get(1).and_then(|v| v.as_u64()).unwrap_or(0);
        Ok(Json::from((root["seed"].as_u64().unwrap_or(0) + offset) % n))
    }),
    // Whether two rates or shares print alike (one decimal): "each with 14.3%".
    ("same_pct", |p, _| Ok(Json::Bool(round(dec(p, 0)?, 1) == round(dec(p, 1)?, 1)))),
    // Whether two shares are too close to call one the larger (the plan's `level_with`): "virtually level".
    ("level_pct", |p, _| Ok(Json::Bool((dec(p, 0)? - dec(p, 1)?).abs() < crate::plan::LEVEL_PP))),
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
const EN: [(&str, Fmt); 36] = [
    ("pct", |p, _| text(pct_text(dec(p, 0)?))),
    ("numeral", |p, _| text(whole(p)?.to_string())),
    ("amount", |p, root| text(en_amount(dec(p, 0)?, root)?)),
    ("growth", |p, root| {
        let base = p.get(1).and_then(|b| b.as_str()).filter(|b| !b.is_empty()).unwrap_or("a year earlier");
        text(growth::en_against(dec(p, 0)?, base, verb(root, p, 2)))
    }),
    // The amount is left out where the bulletin has stated it already: "exports to Canada fell 2.5%".
    ("growth_to", |p, root| {
        let qualifier = p.get(2).and_then(|q| q.as_str()).unwrap_or_default();
        let (g, variant) = (dec(p, 0)?, verb(root, p, 3));
        if said(root, 1) {
            let q = if qualifier.is_empty() { String::new() } else { format!(" {qualifier}") };
            return text(format!("{}{q}", growth::en_against(g, "a year earlier", variant)));
        }
        text(growth::en_to(g, &en_amount(dec(p, 1)?, root)?, qualifier, variant))
    }),
    ("growth_noun", |p, _| text(growth::en_noun(dec(p, 0)?))),
    // Present tense, agreeing with the flow: "trade rises", "exports rise".
    ("growth_head", |p, root| {
        let (g, variant) = (dec(p, 0)?, verb(root, p, 1));
        let plural = flow(root).is_ok_and(words::flow_plural);
        text(if plural { growth::en_headline_plural(g, variant) } else { growth::en_headline(g, variant) })
    }),
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
    // The same span a year earlier, as a comparison ends: "from the same period in 2018",
    // "from 2018", "from July 2018".
    ("year_earlier", |_, root| {
        let (p, b) = root_period(root)?;
        text(period::en_year_earlier(p, b))
    }),
    ("month_year_earlier", |_, root| {
        let (p, _) = root_period(root)?;
        text(period::en_month_year(p.year_earlier()))
    }),
    ("ordinal", |p, _| text(period::en_ordinal(whole(p)? as u32))),
    ("list", |p, _| text(list::en(&strings(p)))),
    ("names", |p, _| names(p, list::en)),
    ("pcts", |p, _| each(p, &|d| Ok(pct_text(d)), list::en)),
    ("same_amount", |p, root| {
        let (a, b) = (en_amount(dec(p, 0)?, root)?, en_amount(dec(p, 1)?, root)?);
        Ok(Json::Bool(a == b))
    }),
    ("amounts", |p, root| each(p, &|d| en_amount(d, root), list::en)),
    // In billions to one decimal, as the Census writes them; `billions x "bare"` for a list
    // "in billions of dollars": `$31.8`.
    ("billions", |p, root| {
        let (unit, currency) = money(root)?;
        let bare = p.get(1).and_then(|b| b.as_str()) == Some("bare");
        text(amount::en_billions(dec(p, 0)?, unit, &currency, bare))
    }),
    // A change in dollars, then percent: `changed_by change_value yoy_pct` is "increased $28.2
    // billion, or 8.2 percent"; `change_by` is "up $28.2 billion, or 8.2 percent".
    ("changed_by", |p, root| {
        let (unit, currency) = money(root)?;
        text(growth::en_change_by(dec(p, 0)? * unit, dec(p, 1)?, true, &currency))
    }),
    ("change_by", |p, root| {
        let (unit, currency) = money(root)?;
        text(growth::en_change_by(dec(p, 0)? * unit, dec(p, 1)?, false, &currency))
    }),
    ("percent", |p, _| text(growth::en_percent(dec(p, 0)?))),
    // A difference in billions before "than": `$1.2 billion more`, `$0.4 billion less`,
    // `less than $0.1 billion away from` where it rounds to nothing.
    ("diff_billions", |p, root| {
        let (unit, currency) = money(root)?;
        let d = dec(p, 0)?;
        let b = amount::en_billions(d, unit, &currency, false);
        text(if round(d * unit / Decimal::from(1_000_000_000), 1).is_zero() {
            format!("within {} of", amount::en_billions(Decimal::from(100_000_000), Decimal::ONE, &currency, false))
        } else if d > Decimal::ZERO {
            format!("{b} more than")
        } else {
            format!("{b} less than")
        })
    }),
    // Members with an amount each in billions, in brackets, as the Census lists balances "in
    // billions of dollars": `China ($31.8), Mexico ($8.5), and Japan ($5.5)`.
    ("billions_list", |p, root| {
        let (unit, currency) = money(root)?;
        let subjects = p.first().and_then(|v| v.as_array()).ok_or("needs the subjects")?;
        let items = subjects
            .iter()
            .map(|s| {
                let v = dec(&[&s["value"]], 0)?;
                // A name that ends in brackets, "the Association of Southeast Asian Nations
                // (ASEAN)", takes its short form before the amount's.
                let name = s["name"].as_str().filter(|n| !n.ends_with(')')).or(s["short"].as_str()).unwrap_or_default();
                Ok(format!("{name} ({})", amount::en_billions(v, unit, &currency, true)))
            })
            .collect::<Result<Vec<_>, String>>()?;
        text(list::en_serial(&items))
    }),
    ("cardinal", |p, _| text(period::en_cardinal(whole(p)? as u32))),
    // The words for the fact's flow, so that one template serves a rule over any flow.
    ("flow_noun", |_, root| text(words::flow_noun(flow(root)?).into())),
    ("flow_with", |p, root| {
        let name = p.first().and_then(|n| n.as_str()).ok_or("needs a name")?;
        text(words::flow_with(flow(root)?, name))
    }),
    ("flow_total", |_, root| text(words::flow_total(flow(root)?).into())),
    ("flow_prep", |_, root| text(words::flow_prep(flow(root)?).into())),
    ("flow_partner", |p, root| {
        let many = p.first().and_then(|m| m.as_bool()).unwrap_or(false);
        text(words::flow_partner(flow(root)?, many))
    }),
    ("flow_was", |_, root| text(words::was(words::flow_plural(flow(root)?)).into())),
    // "was" or "were", as the subject's name is singular or plural.
    ("was", |p, _| text(words::was(plural(p)?).into())),
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
