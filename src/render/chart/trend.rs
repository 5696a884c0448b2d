//! The trend chart: the reporter's monthly exports and imports as lines, the balance as columns,
//! and below them each month's year-on-year growth; the reported month is shaded. A month the
//! data lacks is a gap in the lines, never a zero.

use super::{Anchor, MUTED, Svg, WIDTH, coord, text_width, tick_label, ticks};
use crate::dataset::Period;
use crate::stats::TrendMonth;
use rust_decimal::Decimal;

/// Exports' colour: a blue that stays apart from the imports' orange for colour-blind readers.
pub const EXPORT: &str = "#1f5fa8";
/// Imports' colour.
pub const IMPORT: &str = "#d9711c";
/// The balance's colour: a grey-blue, quieter than the flows.
pub const BALANCE: &str = "#9aa7b4";
/// The shading of the reported month.
const MARK: &str = "#fbeccb";

/// The words a trend chart is drawn with, in the page's language.
pub struct Words<'a> {
    /// The legend's name for exports.
    pub exports: &'a str,
    /// For imports.
    pub imports: &'a str,
    /// For the balance.
    pub balance: &'a str,
    /// The upper panel's unit: `Billions of U.S. dollars`.
    pub amounts: &'a str,
    /// The lower panel's: `Year-on-year growth, %`.
    pub growth: &'a str,
    /// A month's label on the axis: `Jul`, `7月`.
    pub month: &'a dyn Fn(Period) -> String,
    /// A year's label beneath it: `2019`, `2019年`.
    pub year: &'a dyn Fn(i32) -> String,
    /// Whether tick labels group thousands (`1,500`).
    pub group: bool,
}

const TICK_SIZE: f64 = 11.0;
const RIGHT: f64 = WIDTH - 12.0;
const UPPER: (f64, f64) = (52.0, 222.0);
const LOWER: (f64, f64) = (268.0, 360.0);

/// The chart, or nothing where the data has no month of the window; amounts are divided by
/// `divisor` to be read in the unit `words.amounts` names.
pub fn svg(
    id: &str,
    months: &[TrendMonth],
    divisor: Decimal,
    reported: Period,
    words: &Words,
    (title, desc): (&str, &str),
) -> Option<String> {
    let shown = |v: Option<Decimal>| v.and_then(|v| v.checked_div(divisor)).map(coord);
    let exports: Vec<Option<f64>> = months.iter().map(|m| shown(m.export)).collect();
    let imports: Vec<Option<f64>> = months.iter().map(|m| shown(m.import)).collect();
    let balance: Vec<Option<f64>> = months.iter().map(|m| shown(m.balance)).collect();
    let export_growth: Vec<Option<f64>> = months.iter().map(|m| m.export_yoy_pct.map(coord)).collect();
    let import_growth: Vec<Option<f64>> = months.iter().map(|m| m.import_yoy_pct.map(coord)).collect();
    let amounts: Vec<f64> = exports.iter().chain(&imports).chain(&balance).flatten().copied().collect();
    if amounts.is_empty() {
        return None;
    }
    let rates: Vec<f64> = export_growth.iter().chain(&import_growth).flatten().copied().collect();
    let upper = Axis::new(&amounts, 8, UPPER, words.group);
    let lower = (!rates.is_empty()).then(|| Axis::new(&rates, 4, LOWER, true));
    let bottom = lower.as_ref().map_or(UPPER.1, |_| LOWER.1);
    let height = bottom + 44.0;
    let left = upper.width().max(lower.as_ref().map_or(0.0, Axis::width)) + 10.0;
    let slot = (RIGHT - left) / months.len().max(1) as f64;
    let x = |i: usize| left + (i as f64 + 0.5) * slot;

    let mut svg = Svg::new(id, height, title, desc);
    if let Some(i) = months.iter().position(|m| m.period == reported) {
        svg.rect(left + i as f64 * slot, UPPER.0 - 4.0, slot, bottom - UPPER.0 + 8.0, MARK);
    }
    legend(&mut svg, left, words);
    svg.text(0.0, 38.0, Anchor::Start, TICK_SIZE, &format!("fill=\"{MUTED}\""), words.amounts);
    upper.draw(&mut svg, left);
    let zero = upper.y(0.0);
    for (i, b) in balance.iter().enumerate() {
        if let Some(b) = b {
            let y = upper.y(*b);
            let w = slot * 0.55;
            svg.rect(x(i) - w / 2.0, y.min(zero), w, (y - zero).abs().max(0.5), BALANCE);
        }
    }
    series(&mut svg, &exports, &upper, &x, EXPORT);
    series(&mut svg, &imports, &upper, &x, IMPORT);
    if let Some(lower) = &lower {
        svg.text(0.0, 250.0, Anchor::Start, TICK_SIZE, &format!("fill=\"{MUTED}\""), words.growth);
        lower.draw(&mut svg, left);
        series(&mut svg, &export_growth, lower, &x, EXPORT);
        series(&mut svg, &import_growth, lower, &x, IMPORT);
    }
    // Every third month back from the reported one, which is always labelled; a year is
    // written under the first labelled month of it.
    let mut last_year = None;
    for i in (0..months.len()).rev().step_by(3).collect::<Vec<_>>().into_iter().rev() {
        let p = months[i].period;
        let style = if p == reported { "font-weight=\"bold\" fill=\"#222\"" } else { "fill=\"#444\"" };
        svg.line((x(i), bottom), (x(i), bottom + 4.0), MUTED, 1.0);
        svg.text(x(i), bottom + 18.0, Anchor::Middle, TICK_SIZE, style, &(words.month)(p));
        if last_year != Some(p.year) {
            svg.text(x(i), bottom + 36.0, Anchor::Middle, TICK_SIZE, style, &(words.year)(p.year));
            last_year = Some(p.year);
        }
    }
    Some(svg.finish())
}

/// The legend across the top.
fn legend(svg: &mut Svg, left: f64, words: &Words) {
    let mut at = left;
    for (name, colour, line) in
        [(words.exports, EXPORT, true), (words.imports, IMPORT, true), (words.balance, BALANCE, false)]
    {
        if line {
            svg.line((at, 11.0), (at + 16.0, 11.0), colour, 2.0);
            svg.dot((at + 8.0, 11.0), 2.5, colour);
        } else {
            svg.rect(at + 3.0, 6.0, 10.0, 10.0, colour);
        }
        svg.text(at + 22.0, 16.0, Anchor::Start, 12.0, "", name);
        at += 22.0 + text_width(name, 12.0) + 20.0;
    }
}

/// Lines through runs of consecutive months, a dot on every month with a figure.
fn series(svg: &mut Svg, values: &[Option<f64>], axis: &Axis, x: &dyn Fn(usize) -> f64, colour: &str) {
    let mut run: Vec<(f64, f64)> = Vec::new();
    for (i, v) in values.iter().chain([&None]).enumerate() {
        match v {
            Some(v) => run.push((x(i), axis.y(*v))),
            None => {
                if run.len() > 1 {
                    svg.polyline(&run, colour);
                }
                run.clear();
            }
        }
    }
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v {
            svg.dot((x(i), axis.y(*v)), 2.5, colour);
        }
    }
}

/// A vertical axis: round ticks over the values and zero, mapped onto a panel.
struct Axis {
    ticks: Vec<f64>,
    labels: Vec<String>,
    top: f64,
    bottom: f64,
}

impl Axis {
    fn new(values: &[f64], max_ticks: usize, (top, bottom): (f64, f64), group: bool) -> Axis {
        let lo = values.iter().copied().fold(0.0, f64::min);
        let hi = values.iter().copied().fold(0.0, f64::max);
        let ticks = ticks(lo, hi, max_ticks);
        let step = ticks.get(1).zip(ticks.first()).map_or(1.0, |(b, a)| b - a);
        let labels = ticks.iter().map(|t| tick_label(*t, step, group)).collect();
        Axis { ticks, labels, top, bottom }
    }

    fn width(&self) -> f64 {
        self.labels.iter().map(|l| text_width(l, TICK_SIZE)).fold(0.0, f64::max)
    }

    fn y(&self, v: f64) -> f64 {
        let (lo, hi) = (self.ticks[0], self.ticks[self.ticks.len() - 1]);
        self.bottom - (v - lo) / (hi - lo) * (self.bottom - self.top)
    }

    /// Grid lines and tick labels; the zero line darker.
    fn draw(&self, svg: &mut Svg, left: f64) {
        for (t, label) in self.ticks.iter().zip(&self.labels) {
            let y = self.y(*t);
            let (colour, width) = if t.abs() < 1e-9 { ("#666", 1.0) } else { ("#e2e2e2", 1.0) };
            svg.line((left, y), (RIGHT, y), colour, width);
            svg.text(left - 6.0, y + 4.0, Anchor::End, TICK_SIZE, &format!("fill=\"{MUTED}\""), label);
        }
    }
}
