//! What the HTML page shows besides the text: the key figures in words a reader takes in at once
//! ("deficit widened 3.0%"), the charts, and each chart's numbers as a table. Everything here is
//! HTML-escaped once, as it is made; the layout inserts it as it is.

use super::chart::{self, bars, trend};
use super::helpers::{self, amount, growth, period};
use super::{ZH_LABELS, html_escape};
use crate::dataset::{Basis, Flow, Period};
use crate::plan::{Breakdown, Plan};
use crate::stats::{Figures, TrendMonth};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value as Json, json};
use std::fmt::Write;

/// One chart as the layout places it: a caption, the SVG, and its numbers as a table.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// The chart's id in the page.
    pub id: String,
    /// What it shows.
    pub title: String,
    /// Its units and how to read it.
    pub unit: String,
    /// The inline SVG.
    pub svg: String,
    /// The same numbers as an HTML table, for screen readers and for copying.
    pub table: String,
}

/// The page's language: Chinese, or English for any other.
#[derive(Clone, Copy, PartialEq)]
enum Lang {
    En,
    Zh,
}

impl Lang {
    fn of(lang: &str) -> Lang {
        if lang == "zh" { Lang::Zh } else { Lang::En }
    }

    fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        if self == Lang::Zh { zh } else { en }
    }

    fn amount(self, v: Decimal, plan: &Plan) -> String {
        match self {
            Lang::Zh => amount::zh(v, plan.meta.unit, &plan.meta.currency),
            Lang::En => amount::en(v, plan.meta.unit, &plan.meta.currency),
        }
    }

    /// A rate in words: `up 4.2%`, `增长4.2%`.
    fn growth(self, g: Decimal) -> String {
        match self {
            Lang::Zh => growth::zh(g),
            Lang::En => growth::en_noun(g),
        }
    }

    fn flow(self, flow: Flow) -> &'static str {
        match (self, flow) {
            (Lang::En, Flow::Total) => "total trade",
            (Lang::En, Flow::Export) => "exports",
            (Lang::En, Flow::Import) => "imports",
            (Lang::En, Flow::Balance) => "the trade balance",
            (Lang::Zh, Flow::Total) => "进出口",
            (Lang::Zh, Flow::Export) => "出口",
            (Lang::Zh, Flow::Import) => "进口",
            (Lang::Zh, Flow::Balance) => "贸易差额",
        }
    }

    /// The span of a basis with its year, as a caption says it: `the first seven months of 2019`, `2019年前7个月`.
    fn span(self, p: Period, basis: Basis) -> String {
        match self {
            Lang::Zh => period::zh_in(p, basis),
            Lang::En => period::en_in(p, basis).trim_start_matches("in ").to_string(),
        }
    }

    fn month_year(self, p: Period) -> String {
        match self {
            Lang::Zh => period::zh_month_year(p),
            Lang::En => period::en_month_year(p),
        }
    }
}

/// The reporter's year-to-date (or the bulletin's) flows as table rows: what, how much, and how
/// it changed in words; the balance is called a surplus or a deficit and said to have widened or
/// narrowed. Also the span they cover, for the caption.
pub fn key_figures(plan: &Plan, lang: &str) -> (String, Json) {
    let l = Lang::of(lang);
    let Some(fact) = plan.sections.iter().flat_map(|s| &s.facts).map(|f| &f.fact).find(|f| !f.total.is_empty()) else {
        return (String::new(), json!([]));
    };
    let mut rows = Vec::new();
    for (flow, en, zh) in
        [(Flow::Total, "Total trade", "进出口"), (Flow::Export, "Exports", "出口"), (Flow::Import, "Imports", "进口")]
    {
        if let Some(f) = fact.total.get(&flow)
            && let Some(value) = f.value
        {
            let change = f.yoy_pct.map_or("—".to_string(), |g| l.growth(g));
            rows.push(row(l.pick(en, zh), &l.amount(value, plan), &change));
        }
    }
    if let Some(f) = fact.total.get(&Flow::Balance)
        && let Some(value) = f.value
    {
        let (label, change) = balance(l, f, value, plan);
        rows.push(row(&label, &l.amount(value, plan), &change));
    }
    (html_escape(&l.span(fact.period, fact.over.basis)), Json::Array(rows))
}

fn row(label: &str, value: &str, change: &str) -> Json {
    json!({ "label": html_escape(label), "value_text": html_escape(value), "change_text": html_escape(change) })
}

/// The balance's name and its change: `Trade deficit`, `deficit widened 3.0%`; where it changed
/// sign there is no rate, and the change says what it was a year earlier.
fn balance(l: Lang, f: &Figures, value: Decimal, plan: &Plan) -> (String, String) {
    let (en, zh) = match value.cmp(&Decimal::ZERO) {
        std::cmp::Ordering::Greater => ("surplus", "顺差"),
        std::cmp::Ordering::Less => ("deficit", "逆差"),
        std::cmp::Ordering::Equal => ("balance", "差额"),
    };
    let label = l.pick(&format!("Trade {en}"), &format!("贸易{zh}")).to_string();
    let change = match (f.yoy_pct, f.prior_value) {
        (Some(g), _) => match l {
            Lang::Zh => format!("{zh}{}", growth::zh_balance(g)),
            Lang::En => {
                let verb = growth::en_balance(g, 0);
                format!("{en} {}", verb.trim_end_matches(" to").trim_end_matches(" at"))
            }
        },
        (None, Some(p)) if !p.is_zero() => {
            let (was_en, was_zh) = if p > Decimal::ZERO { ("surplus", "顺差") } else { ("deficit", "逆差") };
            let amount = l.amount(p, plan);
            l.pick(&format!("a {was_en} of {amount} a year earlier"), &format!("上年同期为{was_zh}{amount}"))
                .to_string()
        }
        _ => "—".to_string(),
    };
    (label, change)
}

/// Every chart of the page: the monthly trend, then one for each dimension the bulletin speaks of.
pub fn charts(plan: &Plan, lang: &str) -> Vec<Chart> {
    let l = Lang::of(lang);
    let mut out: Vec<Chart> = trend_chart(plan, l).into_iter().collect();
    for b in &plan.charts.breakdowns {
        let id = format!("chart-{}", out.len() + 1);
        out.push(breakdown_chart(plan, l, b, id));
    }
    out
}

/// The unit monthly amounts are charted in, as a divisor of the dataset's values and in words;
/// nothing where the dataset's unit is too small or large for the division.
fn display_unit(l: Lang, largest: Decimal, plan: &Plan) -> Option<(Decimal, String)> {
    let money = largest.abs().checked_mul(plan.meta.unit).unwrap_or(Decimal::MAX);
    // The currency's names as dataset.yaml has them: "billions of U.S. dollars", "亿美元".
    let c = &plan.meta.currency;
    let scales: [(u64, String); 2] = match l {
        Lang::En => [(1_000_000_000, format!("billions of {}", c.en)), (1_000_000, format!("millions of {}", c.en))],
        Lang::Zh => [(100_000_000, format!("亿{}", c.zh)), (10_000, format!("万{}", c.zh))],
    };
    let plain = match l {
        Lang::En => c.en.to_string(),
        Lang::Zh => c.zh.to_string(),
    };
    let (scale, words) = scales
        .iter()
        .find(|(s, _)| money >= Decimal::from(*s))
        .map_or((Decimal::ONE, plain), |(s, w)| (Decimal::from(*s), w.clone()));
    Some((scale.checked_div(plan.meta.unit)?, words))
}

/// A figure in the chart's unit, one decimal, for the tables: `135.6`, `−69.4`, `—` where absent.
fn in_unit(v: Option<Decimal>, divisor: Decimal, l: Lang) -> String {
    let Some(v) = v.and_then(|v| v.checked_div(divisor)) else { return "—".into() };
    let text = helpers::fixed(v, 1);
    let (sign, abs) = text.strip_prefix('-').map_or(("", text.as_str()), |a| ("−", a));
    let (int, frac) = abs.split_once('.').unwrap_or((abs, "0"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if l == Lang::En && i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{frac}")
}

fn trend_chart(plan: &Plan, l: Lang) -> Option<Chart> {
    let months = &plan.charts.trend;
    let (first, last) = (months.first()?.period, months.last()?.period);
    let largest = months.iter().flat_map(|m| [m.export, m.import, m.balance]).flatten().map(|v| v.abs()).max()?;
    let (divisor, unit) = display_unit(l, largest, plan)?;
    let reporter = plan.meta.reporter.get(if l == Lang::Zh { "zh" } else { "en" }).or(plan.meta.reporter.get("en"));
    let (from, to) = (l.month_year(first), l.month_year(last));
    let title = match (l, reporter) {
        (Lang::Zh, r) => format!("{}月度进出口（{from}—{to}）", r.map_or("", |r| r.possessive.as_str())),
        (Lang::En, Some(r)) => capitalise(&format!("{} monthly exports and imports, {from} to {to}", r.possessive)),
        (Lang::En, None) => format!("Monthly exports and imports, {from} to {to}"),
    };
    let mut note = match l {
        Lang::Zh => format!("金额单位：{unit}；增速为同比（%）；阴影为{}", l.month_year(plan.period)),
        Lang::En => {
            format!("Amounts in {unit}; growth in percent on a year earlier; {} shaded", l.month_year(plan.period))
        }
    };
    if months.iter().any(|m| m.export.is_none() && m.import.is_none() && m.balance.is_none()) {
        note.push_str(l.pick("; months without figures are left blank", "；无数据月份留空"));
    }
    let desc = trend_desc(plan, l, months, &unit, &from, &to);
    let short_month = |p: Period| match l {
        Lang::Zh => format!("{}月", p.month),
        Lang::En => period::en_month(p).chars().take(3).collect(),
    };
    let year = |y: i32| if l == Lang::Zh { format!("{y}年") } else { y.to_string() };
    let words = trend::Words {
        exports: l.pick("Exports", "出口"),
        imports: l.pick("Imports", "进口"),
        balance: l.pick("Balance", "贸易差额"),
        amounts: &capitalise(&unit),
        growth: l.pick("Year-on-year growth, %", "同比增速（%）"),
        month: &short_month,
        year: &year,
        group: l == Lang::En,
    };
    let id = "chart-1";
    let svg = trend::svg(id, months, divisor, plan.period, &words, (&title, &desc))?;
    let table = trend_table(l, months, divisor, &title, &unit);
    Some(Chart { id: id.into(), title: html_escape(&title), unit: html_escape(&note), svg, table })
}

/// Capitalises the first letter (`the United States'` -> `The United States'`).
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

fn trend_desc(plan: &Plan, l: Lang, months: &[TrendMonth], unit: &str, from: &str, to: &str) -> String {
    let mut desc = match l {
        Lang::Zh => format!("{from}至{to}月度出口、进口折线图，贸易差额为柱形，单位：{unit}；下方为各月同比增速。"),
        Lang::En => format!(
            "Line chart of monthly exports and imports from {from} to {to}, in {unit}, with the trade balance \
             as columns, and below it each month's year-on-year growth."
        ),
    };
    if let Some(m) = months.iter().find(|m| m.period == plan.period) {
        let part = |v: Option<Decimal>, g: Option<Decimal>, en: &str, zh: &str| {
            let v = v.map(|v| l.amount(v, plan))?;
            let g = g.map(|g| l.growth(g));
            Some(match (l, g) {
                (Lang::Zh, Some(g)) => format!("{zh}{v}，{g}"),
                (Lang::Zh, None) => format!("{zh}{v}"),
                (Lang::En, Some(g)) => format!("{en} were {v}, {g} year on year"),
                (Lang::En, None) => format!("{en} were {v}"),
            })
        };
        let parts: Vec<String> = [
            part(m.export, m.export_yoy_pct, "exports", "出口"),
            part(m.import, m.import_yoy_pct, "imports", "进口"),
            m.balance.map(|b| {
                let v = l.amount(b, plan);
                match b.cmp(&Decimal::ZERO) {
                    std::cmp::Ordering::Less => {
                        l.pick(&format!("the deficit was {v}"), &format!("贸易逆差{v}")).to_string()
                    }
                    std::cmp::Ordering::Greater => {
                        l.pick(&format!("the surplus was {v}"), &format!("贸易顺差{v}")).to_string()
                    }
                    std::cmp::Ordering::Equal => l.pick("trade was balanced", "贸易平衡").to_string(),
                }
            }),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !parts.is_empty() {
            let month = l.month_year(plan.period);
            match l {
                Lang::Zh => write!(desc, "{month}，{}。", parts.join("；")),
                Lang::En => write!(desc, " In {month}, {}.", parts.join("; ")),
            }
            .expect("a write into a string");
        }
    }
    let missing = months.iter().filter(|m| m.export.is_none() && m.import.is_none() && m.balance.is_none()).count();
    if missing > 0 {
        let n = months.len();
        match l {
            Lang::Zh => write!(desc, "{n}个月中有{missing}个月无当月数据。"),
            Lang::En => write!(desc, " The data has no monthly figures for {missing} of the {n} months."),
        }
        .expect("a write into a string");
    }
    desc
}

fn trend_table(l: Lang, months: &[TrendMonth], divisor: Decimal, title: &str, unit: &str) -> String {
    let heads = match l {
        Lang::Zh => ["月份", "出口", "进口", "贸易差额", "出口同比", "进口同比"],
        Lang::En => ["Month", "Exports", "Imports", "Balance", "Exports, year on year", "Imports, year on year"],
    };
    let rate = |g: Option<Decimal>| g.map_or("—".to_string(), chart::rate_label);
    let rows: Vec<Vec<String>> = months
        .iter()
        .map(|m| {
            vec![
                l.month_year(m.period),
                in_unit(m.export, divisor, l),
                in_unit(m.import, divisor, l),
                in_unit(m.balance, divisor, l),
                rate(m.export_yoy_pct),
                rate(m.import_yoy_pct),
            ]
        })
        .collect();
    let caption = match l {
        Lang::Zh => format!("{title}（金额单位：{unit}）"),
        Lang::En => format!("{title} (amounts in {unit})"),
    };
    table(&caption, &heads, &rows)
}

fn breakdown_chart(plan: &Plan, l: Lang, b: &Breakdown, id: String) -> Chart {
    let code = if l == Lang::Zh { "zh" } else { "en" };
    let labels = plan.meta.labels.get(&b.dimension);
    let label = labels
        .and_then(|n| n.get(code))
        .cloned()
        .or_else(|| {
            (l == Lang::Zh)
                .then(|| ZH_LABELS.iter().find(|(d, _)| *d == b.dimension).map(|(_, w)| w.to_string()))
                .flatten()
        })
        .or_else(|| labels.and_then(|n| n.get("en")).cloned())
        .unwrap_or_else(|| b.dimension.replace('_', " "));
    let name = |member: &str, full: bool| {
        let names = plan.meta.names.get(&b.dimension).and_then(|d| d.get(member));
        let n = names.and_then(|n| n.get(code).or_else(|| n.get("en")));
        n.map_or(member, |n| if full { n.full() } else { n.short() }).to_string()
    };
    let span = l.span(plan.period, b.basis);
    let flow = l.flow(b.flow);
    let title = match l {
        Lang::Zh => format!("{span}{label}{flow}同比增速"),
        Lang::En => format!("{}: growth of {flow} in {span}", capitalise(&label)),
    };
    // Where the chart adds members for scale, those the text names are set in bold.
    let mixed = b.bars.iter().any(|bar| bar.named) && b.bars.iter().any(|bar| !bar.named);
    let note = match (l, mixed) {
        (Lang::Zh, false) => "单位：%；按金额由大到小排列",
        (Lang::Zh, true) => "单位：%；按金额由大到小排列；加粗者为正文提及",
        (Lang::En, false) => "Percent change on a year earlier; largest by value first",
        (Lang::En, true) => "Percent change on a year earlier; largest by value first; in bold, those the text names",
    };
    let none = l.pick("n/a", "无可比数据");
    let items: Vec<bars::Item> = b
        .bars
        .iter()
        // A name standing alone starts with a capital: `The UK`.
        .map(|bar| bars::Item {
            label: capitalise(&name(&bar.member, false)),
            growth: bar.yoy_pct,
            strong: mixed && bar.named,
        })
        .collect();
    let said: Vec<String> = b
        .bars
        .iter()
        .map(|bar| {
            let n = name(&bar.member, false);
            match (l, bar.yoy_pct) {
                (Lang::Zh, Some(g)) => format!("{n}{}", l.growth(g)),
                (Lang::En, Some(g)) => format!("{n} {}", l.growth(g)),
                (_, None) => format!("{n}{}", l.pick(" (no comparable figure)", "无可比数据")),
            }
        })
        .collect();
    let desc = match l {
        Lang::Zh => format!("{span}按{label}分{flow}同比增速条形图，按金额由大到小排列：{}。", said.join("，")),
        Lang::En => format!(
            "Bar chart of the year-on-year growth of {flow} in {span} by {label}, largest first: {}.",
            said.join(", ")
        ),
    };
    let svg = bars::svg(&id, &items, none, (&title, &desc));
    let heads = match l {
        Lang::Zh => [label.clone(), "金额".into(), "占比".into(), "同比".into()],
        Lang::En => [capitalise(&label), "Amount".into(), "Share of total".into(), "Year on year".into()],
    };
    let rows: Vec<Vec<String>> = b
        .bars
        .iter()
        .map(|bar| {
            vec![
                capitalise(&name(&bar.member, true)),
                l.amount(bar.value, plan),
                bar.share_pct.map_or("—".into(), |s| format!("{}%", helpers::fixed(s, 1))),
                bar.yoy_pct.map_or(none.to_string(), chart::rate_label),
            ]
        })
        .collect();
    let table = table(&title, &heads.each_ref().map(String::as_str), &rows);
    Chart { id, title: html_escape(&title), unit: html_escape(note), svg, table }
}

/// An HTML table: a caption, a header row, rows whose first cell names them.
fn table(caption: &str, heads: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("<table><caption>{}</caption><thead><tr>", html_escape(caption));
    for h in heads {
        let _ = write!(out, "<th scope=\"col\">{}</th>", html_escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for r in rows {
        out.push_str("<tr>");
        for (i, cell) in r.iter().enumerate() {
            let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
            let close = if i == 0 { "th" } else { "td" };
            let _ = write!(out, "<{tag}>{}</{close}>", html_escape(cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}
