//! The growth chart of one dimension: a horizontal bar of year-on-year growth for each member,
//! in the order given (largest value first).
//!
//! Names stand in a column of their own, right-aligned, and the bars start right of it: between
//! the column and the zero line there is room for the widest label of a falling member, so that a
//! value label, placed beyond its bar's end, can never reach a name.

use super::{Anchor, MUTED, Svg, WIDTH, coord, fit, rate_label, text_width};
use rust_decimal::Decimal;

/// A rise's colour.
pub const UP: &str = "#2b6cb0";
/// A fall's colour: orange-brown, told apart from the blue without needing red and green.
pub const DOWN: &str = "#c05621";

/// One bar.
pub struct Item {
    /// The member's name.
    pub label: String,
    /// Its growth, percent; without one, the bar is a note.
    pub growth: Option<Decimal>,
    /// Whether its name is set in bold (a member the text names, among others shown for scale).
    pub strong: bool,
}

const SIZE: f64 = 12.0;
const ROW: f64 = 28.0;
const BAR: f64 = 16.0;
const PAD: f64 = 6.0;
/// Names wider than this are cut with an ellipsis (the table beneath has them whole).
const MAX_NAME: f64 = 230.0;

/// The chart; `none` is the note for a member without a rate (`n/a`).
pub fn svg(id: &str, items: &[Item], none: &str, (title, desc): (&str, &str)) -> String {
    let names: Vec<String> = items.iter().map(|i| fit(&i.label, SIZE, MAX_NAME / 1.1)).collect();
    let labels: Vec<String> = items.iter().map(|i| i.growth.map_or_else(|| none.to_string(), rate_label)).collect();
    let values: Vec<Option<f64>> = items.iter().map(|i| i.growth.map(coord)).collect();
    let widest = |neg: bool| {
        labels
            .iter()
            .zip(&values)
            .filter(|(_, v)| v.is_some_and(|v| v < 0.0) == neg)
            .map(|(l, _)| text_width(l, SIZE) + PAD)
            .fold(0.0, f64::max)
    };
    // Bold runs about a tenth wider.
    let name_column = names.iter().map(|n| text_width(n, SIZE) * 1.1).fold(0.0, f64::max) + 8.0;
    let start = name_column + 12.0 + widest(true);
    let end = WIDTH - 8.0 - widest(false);
    let most = values.iter().flatten().copied().fold(0.0, f64::max);
    let least = values.iter().flatten().copied().fold(0.0, f64::min);
    let scale = if most - least > 0.0 { (end - start) / (most - least) } else { 0.0 };
    let zero = start - least * scale;
    let height = 8.0 + ROW * items.len() as f64 + 6.0;

    let mut svg = Svg::new(id, height, title, desc);
    for (i, (((name, label), value), item)) in names.iter().zip(&labels).zip(&values).zip(items).enumerate() {
        let top = 8.0 + ROW * i as f64;
        let baseline = top + ROW / 2.0 + 4.0;
        let weight = if item.strong { "font-weight=\"bold\" fill=\"#222\"" } else { "" };
        svg.text(name_column, baseline, Anchor::End, SIZE, weight, name);
        match value {
            Some(v) => {
                let w = (v.abs() * scale).max(1.0);
                let (x, colour) = if *v < 0.0 { (zero - w, DOWN) } else { (zero, UP) };
                svg.rect(x, top + (ROW - BAR) / 2.0, w, BAR, colour);
                if *v < 0.0 {
                    svg.text(x - PAD, baseline, Anchor::End, SIZE, "", label);
                } else {
                    svg.text(x + w + PAD, baseline, Anchor::Start, SIZE, "", label);
                }
            }
            None => svg.text(zero + PAD, baseline, Anchor::Start, SIZE, &format!("fill=\"{MUTED}\""), label),
        }
    }
    svg.line((zero, 2.0), (zero, height - 2.0), "#444", 1.0);
    svg.finish()
}
