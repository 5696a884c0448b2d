//! Charts as inline SVG, written by hand: a page that needs no script, font or image from
//! anywhere, and whose every label is placed where it cannot collide with another.
//!
//! Figures arrive as exact decimals and become floating point only here, for geometry; every
//! number a reader sees is printed from the decimal. Labels are placed from an estimate of their
//! width that errs wide (the widest common sans-serif, DejaVu Sans, and a full em for Chinese), and
//! `tests/browser.rs` checks the result in a real browser.

pub mod bars;
pub mod trend;

use super::html_escape;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write;

/// The width every chart is drawn at, in SVG user units (CSS pixels at full size); the page
/// scales a chart down to fit a narrower screen.
pub const WIDTH: f64 = 640.0;

/// Text colour for labels.
const INK: &str = "#222";
/// Text colour for axes and notes.
const MUTED: &str = "#555";

/// A figure as a coordinate: only for geometry, never printed.
pub fn coord(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// How wide `text` is at `size` pixels, erring wide: DejaVu Sans's advances for Latin text,
/// one em for Chinese characters and full-width punctuation.
pub fn text_width(text: &str, size: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}' => 1.0,
            '“' | '”' | '‘' | '’' | '—' | '…' => 1.0,
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' => 0.34,
            'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.45,
            'm' | 'w' | 'M' | 'W' | '%' => 1.0,
            '+' | '−' | '=' | '<' | '>' => 0.84,
            '0'..='9' | 'a'..='z' | '$' | '#' | '?' => 0.64,
            'A'..='Z' | '&' => 0.78,
            _ => 0.8,
        })
        .sum();
    em * size
}

/// Cuts `text` to fit `width` at `size`, ending it with an ellipsis where it had to be cut.
pub fn fit(text: &str, size: f64, width: f64) -> String {
    if text_width(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&format!("{out}{c}…"), size) > width {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// Round tick values covering `lo..=hi` (which include zero where the data does), at most
/// `max` of them: steps of 1, 2, 2.5 or 5 times a power of ten.
pub fn ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let (lo, hi) = if hi - lo < 1e-9 { (lo - 1.0, hi + 1.0) } else { (lo, hi) };
    let raw = (hi - lo) / (max.max(2) - 1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * power).find(|s| *s >= raw).unwrap_or(10.0 * power);
    let first = (lo / step).floor() as i64;
    let last = (hi / step).ceil() as i64;
    // At most `max` and two more by construction; the cap only guards against a range no figure has.
    (first..=last).take(max + 2).map(|i| i as f64 * step).collect()
}

/// A tick value as printed: no more decimals than the step needs, thousands grouped where
/// `group` (English), a true minus sign.
pub fn tick_label(v: f64, step: f64, group: bool) -> String {
    let decimals = if step.fract().abs() < 1e-9 {
        0
    } else if (step * 10.0).fract().abs() < 1e-9 {
        1
    } else {
        2
    };
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut digits = String::new();
    for (i, c) in int.chars().enumerate() {
        if group && i > 0 && (int.len() - i).is_multiple_of(3) {
            digits.push(',');
        }
        digits.push(c);
    }
    let sign = if v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') { "−" } else { "" };
    match frac {
        Some(f) => format!("{sign}{digits}.{f}"),
        None => format!("{sign}{digits}"),
    }
}

/// A rate as a chart label: `+2.8%`, `−13.6%`, `0.0%`.
pub fn rate_label(g: Decimal) -> String {
    let text = super::helpers::fixed(g, 1);
    match text.strip_prefix('-') {
        Some(abs) => format!("−{abs}%"),
        None if text.chars().any(|c| c.is_ascii_digit() && c != '0') => format!("+{text}%"),
        None => format!("{text}%"),
    }
}

/// An SVG document being written: every chart has an accessible name and description.
pub struct Svg {
    out: String,
}

/// Where a text's x coordinate is.
#[derive(Clone, Copy)]
pub enum Anchor {
    /// Its left edge.
    Start,
    /// Its middle.
    Middle,
    /// Its right edge.
    End,
}

impl Svg {
    /// Opens a chart `height` high, named by `title` and described by `desc` (plain text).
    pub fn new(id: &str, height: f64, title: &str, desc: &str) -> Svg {
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"{id}\" viewBox=\"0 0 {WIDTH} {height:.0}\" \
             width=\"{WIDTH}\" height=\"{height:.0}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\
             <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
            html_escape(title),
            html_escape(desc),
        );
        Svg { out }
    }

    /// Writes `text` with its baseline at `y`.
    pub fn text(&mut self, x: f64, y: f64, anchor: Anchor, size: f64, style: &str, text: &str) {
        let anchor = match anchor {
            Anchor::Start => "",
            Anchor::Middle => " text-anchor=\"middle\"",
            Anchor::End => " text-anchor=\"end\"",
        };
        let style = if style.is_empty() { format!(" fill=\"{INK}\"") } else { format!(" {style}") };
        let _ = write!(
            self.out,
            "<text x=\"{x:.1}\" y=\"{y:.1}\"{anchor} font-size=\"{size}\"{style}>{}</text>",
            html_escape(text)
        );
    }

    /// Writes a filled rectangle.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str) {
        let _ =
            write!(self.out, "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{fill}\"/>");
    }

    /// Writes a line.
    pub fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &str, width: f64) {
        let _ = write!(
            self.out,
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{stroke}\" stroke-width=\"{width}\"/>"
        );
    }

    /// Writes a polyline through `points`, which must have two or more.
    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: &str) {
        let pts: Vec<String> = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = write!(
            self.out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2\" stroke-linejoin=\"round\"/>",
            pts.join(" ")
        );
    }

    /// Writes a dot.
    pub fn dot(&mut self, (x, y): (f64, f64), r: f64, fill: &str) {
        let _ = write!(self.out, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r}\" fill=\"{fill}\"/>");
    }

    /// Closes the document.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(-70.0, 210.0, 6), vec![-100.0, 0.0, 100.0, 200.0, 300.0]);
        assert_eq!(ticks(0.0, 15.3, 5), vec![0.0, 5.0, 10.0, 15.0, 20.0]);
        assert_eq!(ticks(-13.6, 5.5, 5), vec![-15.0, -10.0, -5.0, 0.0, 5.0, 10.0]);
        assert_eq!(ticks(0.0, 0.0, 5), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
    }

    #[test]
    fn labels_print_signs_and_groups() {
        assert_eq!(tick_label(-100.0, 50.0, true), "−100");
        assert_eq!(tick_label(15000.0, 5000.0, true), "15,000");
        assert_eq!(tick_label(15000.0, 5000.0, false), "15000");
        assert_eq!(tick_label(2.5, 2.5, true), "2.5");
        assert_eq!(tick_label(-0.0, 1.0, true), "0");
        assert_eq!(rate_label("-13.64".parse().unwrap()), "−13.6%");
        assert_eq!(rate_label("2.75".parse().unwrap()), "+2.8%");
        assert_eq!(rate_label("-0.04".parse().unwrap()), "0.0%");
    }

    #[test]
    fn long_names_are_cut_to_fit() {
        let cut = fit("the Association of Southeast Asian Nations (ASEAN)", 12.0, 120.0);
        assert!(cut.ends_with('…') && text_width(&cut, 12.0) <= 120.0, "{cut}");
        assert_eq!(fit("Mexico", 12.0, 120.0), "Mexico");
    }
}
