//! What wide and long tables share: finding the header and the columns, reading a value cell,
//! the flow of a file, and the observation both turn their rows into.

use super::ImportError;
use super::layout::{FlowSpec, Header, Layout, UnitSpec};
use super::read::{Grid, Row, printed_number};
use crate::dataset::{Basis, Flow, Period};
use rust_decimal::Decimal;

/// One value read from an office's file, before members get their ids.
#[derive(Debug, Clone)]
pub struct Raw {
    /// The member's label as printed, trimmed.
    pub label: String,
    /// The member's code, where the table gives one.
    pub code: Option<String>,
    /// `total`, or the member's dimension.
    pub dimension: String,
    /// Exports or imports.
    pub flow: Flow,
    /// The month alone or the year to date.
    pub basis: Basis,
    /// The month.
    pub period: Period,
    /// The value, in the layout's unit.
    pub value: Decimal,
    /// Where it was read.
    pub at: At,
}

/// A cell of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    /// Index of the file among those imported.
    pub file: usize,
    /// 1-based line.
    pub line: u64,
    /// 0-based column in the grid.
    pub column: usize,
}

/// The index of the header row and its line.
pub fn header_row(grid: &Grid, header: &Header) -> Result<usize, ImportError> {
    find_row(grid, header, 0).ok_or_else(|| {
        grid.file_error(match header {
            Header::Line(n) => format!("the file has no line {n} for `header`"),
            Header::FirstCell { first_cell } => format!("no line starts with `{first_cell}` (the layout's `header`)"),
        })
    })
}

/// The first row at or after `from` that `at` describes.
pub fn find_row(grid: &Grid, at: &Header, from: usize) -> Option<usize> {
    match at {
        Header::Line(n) => grid.rows.iter().position(|r| r.line == *n).filter(|i| *i >= from),
        Header::FirstCell { first_cell } => {
            let want = squash(first_cell);
            grid.rows[from..]
                .iter()
                .position(|r| r.cells.iter().find(|c| !c.is_empty()).is_some_and(|c| squash(&c.text) == want))
                .map(|i| i + from)
        }
    }
}

/// Text compared loosely: case and runs of spaces aside.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The 0-based column a layout names, by its header text or its 1-based number.
pub fn column(grid: &Grid, header: &Row, name: &str, key: &str) -> Result<usize, ImportError> {
    let want = squash(name);
    if let Some(i) = header.cells.iter().position(|c| squash(&c.text) == want) {
        return Ok(i);
    }
    if let Ok(n) = name.trim().parse::<usize>()
        && n >= 1
    {
        return Ok(n - 1);
    }
    let found: Vec<String> = header.cells.iter().filter(|c| !c.is_empty()).map(|c| c.text.trim().to_string()).collect();
    Err(grid.error(header.line, 0, format!("no column `{name}` for `{key}` in the header ({})", found.join(", "))))
}

/// Reads a value cell: `None` for a cell that means "no data", an error for anything that is
/// not a number an export or import can be.
pub fn value(grid: &Grid, row: &Row, column: usize, layout: &Layout) -> Result<Option<Decimal>, ImportError> {
    let cell = row.cell(column);
    let text = cell.text.trim();
    if cell.number.is_none() && layout.missing.iter().any(|m| m.trim() == text) {
        return Ok(None);
    }
    let v = cell.number.or_else(|| printed_number(text)).ok_or_else(|| {
        grid.error(
            row.line,
            column,
            format!("`{text}` is not a number (list it under `missing:` if it means that there is no data)"),
        )
    })?;
    if v < Decimal::ZERO {
        return Err(grid.error(row.line, column, format!("`{text}` is negative: exports and imports cannot be")));
    }
    if v > crate::dataset::MAX_VALUE {
        return Err(grid.error(row.line, column, format!("`{text}` is above 10^15: is the unit right?")));
    }
    Ok(Some(v.normalize()))
}

/// The flow every value of a file has, where the layout says it per file (fixed, by the file's
/// name or by a line above the header); `None` where it is read row by row.
pub fn file_flow(grid: &Grid, layout: &Layout, header: usize) -> Result<Option<Flow>, ImportError> {
    let rule = match &layout.flow {
        FlowSpec::Fixed(f) => return Ok(Some(*f)),
        FlowSpec::Rule(r) => r,
    };
    let found: Vec<Flow> = if !rule.file_name.is_empty() {
        let name = grid.path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        rule.file_name.iter().filter(|(_, word)| name.contains(&word.to_lowercase())).map(|(f, _)| *f).collect()
    } else if !rule.line.is_empty() {
        let lines: Vec<String> =
            grid.rows[..header].iter().flat_map(|r| r.cells.iter().map(|c| squash(&c.text))).collect();
        rule.line.iter().filter(|(_, text)| lines.iter().any(|l| l.contains(&squash(text)))).map(|(f, _)| *f).collect()
    } else {
        return Ok(None);
    };
    match found.as_slice() {
        [one] => Ok(Some(*one)),
        [] => Err(grid.file_error(format!(
            "cannot tell whether it holds exports or imports: {}",
            if rule.file_name.is_empty() {
                format!("no line above the header has {}", quoted(rule.line.values()))
            } else {
                format!("its name has none of {}", quoted(rule.file_name.values()))
            }
        ))),
        _ => Err(grid.file_error("it reads as both exports and imports (the layout's `flow`)".into())),
    }
}

fn quoted<'a>(words: impl Iterator<Item = &'a String>) -> String {
    words.map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ")
}

/// The unit a file's values are in: the layout's, or read from a line above the header.
pub fn unit(grid: &Grid, layout: &Layout, header: usize) -> Result<Decimal, ImportError> {
    let UnitSpec::Fixed(u) = layout.unit else {
        let mut found: Vec<(Decimal, u64, usize, String)> = Vec::new();
        for row in &grid.rows[..header] {
            for (i, cell) in row.cells.iter().enumerate() {
                if let Some(u) = unit_words(&cell.text) {
                    found.push((u, row.line, i, cell.text.trim().to_string()));
                }
            }
        }
        return match found.as_slice() {
            [(u, ..)] => Ok(*u),
            [] => Err(grid.file_error(
                "no line above the header gives the unit (such as \"Million Dollars\"); give `unit:` as a number"
                    .into(),
            )),
            [(u, ..), rest @ ..] if rest.iter().all(|r| r.0 == *u) => Ok(*u),
            [(_, _, _, a), .., (_, line, column, b)] => {
                Err(grid.error(*line, *column, format!("the unit is given twice, differently: `{a}` and `{b}`")))
            }
        };
    };
    Ok(u)
}

/// The multiplier a unit line states: "Million Dollars" is 1000000, "Thousands of US dollars"
/// 1000, "100 million yuan" 100000000; `None` for a line that states no unit.
pub fn unit_words(text: &str) -> Option<Decimal> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty() && *w != "unit" && *w != "units" && *w != "in")
        .collect();
    // A unit line is short: the scale and the currency, perhaps a few words around them.
    if words.is_empty() || words.len() > 6 {
        return None;
    }
    let scale = |w: &str| match w {
        "thousand" | "thousands" | "'000" | "000" | "000s" => Some(3),
        "million" | "millions" | "mn" | "mio" => Some(6),
        "billion" | "billions" | "bn" => Some(9),
        "hundred" => Some(2),
        _ => None,
    };
    let mut exp = None;
    let mut factor = Decimal::ONE;
    for w in &words {
        if let Some(e) = scale(w) {
            exp = Some(exp.unwrap_or(0) + e);
        } else if let Ok(n) = w.parse::<u64>() {
            factor *= Decimal::from(n);
        }
    }
    let exp = exp?;
    Some(factor * Decimal::from(10u64.pow(exp)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_lines() {
        for (text, want) in [
            ("Million Dollars", 1_000_000u64),
            ("Thousand Dollars", 1000),
            ("Thousands of US dollars", 1000),
            ("Unit: 100 million yuan", 100_000_000),
            ("S$ Million", 1_000_000),
            ("(US$ '000)", 1000),
            ("Billion Euro", 1_000_000_000),
        ] {
            assert_eq!(unit_words(text), Some(Decimal::from(want)), "{text}");
        }
        for text in ["Merchandise Trade By Market, Monthly", "Data last updated: 17 Mar 2025", ""] {
            assert_eq!(unit_words(text), None, "{text}");
        }
    }
}
