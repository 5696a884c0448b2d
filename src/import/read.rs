//! An office's file as a grid of cells, each with its line and column: CSV, or a sheet of a
//! spreadsheet (.xlsx, .xls, .xlsb, .ods, read with calamine).

use super::ImportError;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

/// The largest file read: a monthly table by market is a few hundred kilobytes.
pub const MAX_FILE_BYTES: u64 = 256 << 20;
/// The most cells a grid may hold, so that no file can exhaust memory once unpacked.
pub const MAX_CELLS: usize = 20_000_000;

/// One cell.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    /// The text as read, untrimmed (leading spaces may show the hierarchy).
    pub text: String,
    /// The value of a numeric spreadsheet cell, as the sheet shows it.
    pub number: Option<Decimal>,
    /// The month of a date cell (a spreadsheet header typed as a date).
    pub month: Option<crate::dataset::Period>,
}

impl Cell {
    /// Whether the cell holds nothing.
    pub fn is_empty(&self) -> bool {
        self.number.is_none() && self.month.is_none() && self.text.trim().is_empty()
    }
}

/// One row: its 1-based line (the row number in a spreadsheet) and cells.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line in the file, or row in the sheet.
    pub line: u64,
    /// The cells, left to right.
    pub cells: Vec<Cell>,
}

impl Row {
    /// The cell in 0-based column `i`, empty where the row is shorter.
    pub fn cell(&self, i: usize) -> &Cell {
        static EMPTY: Cell = Cell { text: String::new(), number: None, month: None };
        self.cells.get(i).unwrap_or(&EMPTY)
    }

    /// Whether every cell is empty.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }
}

/// A file read as rows.
#[derive(Debug)]
pub struct Grid {
    /// The file.
    pub path: PathBuf,
    /// Its rows, in order; columns are counted from the sheet's first column.
    pub rows: Vec<Row>,
    /// The 0-based column of the sheet's first column (a sheet may start at column C).
    pub first_column: usize,
}

impl Grid {
    /// An error at a cell: `file:line:column` with the column counted from 1 (A is 1).
    pub fn error(&self, line: u64, column: usize, message: String) -> ImportError {
        ImportError::Cell { path: self.path.clone(), line, column: self.first_column + column + 1, message }
    }

    /// An error about the whole file.
    pub fn file_error(&self, message: String) -> ImportError {
        ImportError::File { path: self.path.clone(), message }
    }
}

/// Reads a CSV file, or a sheet (`sheet`, or the first) of a spreadsheet, by its extension.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Grid, ImportError> {
    let io = |source| ImportError::Io { path: path.into(), source };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(ImportError::File {
            path: path.into(),
            message: format!("{size} bytes is more than a table of trade by market can be ({MAX_FILE_BYTES} at most)"),
        });
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
        // The workbook reader opens the file itself: a named pipe or a device is refused first.
        crate::input::open_regular(path).map_err(io)?;
        spreadsheet(path, sheet)
    } else {
        if sheet.is_some() {
            return Err(ImportError::File {
                path: path.into(),
                message: "`sheet:` is given, but this is not a spreadsheet".into(),
            });
        }
        csv_file(path, &crate::input::read_bytes(path, MAX_FILE_BYTES).map_err(io)?)
    }
}

fn csv_file(path: &Path, bytes: &[u8]) -> Result<Grid, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut rows = Vec::new();
    let mut cells = 0;
    for record in rdr.byte_records() {
        let record = record.map_err(|e| ImportError::Cell {
            path: path.into(),
            line: e.position().map_or(0, |p| p.line()),
            column: 1,
            message: format!("not CSV: {e}"),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let mut row = Vec::with_capacity(record.len());
        for (i, field) in record.iter().enumerate() {
            let text = std::str::from_utf8(field).map_err(|_| ImportError::Cell {
                path: path.into(),
                line,
                column: i + 1,
                message: "the text is not UTF-8: save the file as CSV UTF-8".into(),
            })?;
            row.push(Cell { text: text.to_string(), number: None, month: None });
        }
        cells += row.len();
        if cells > MAX_CELLS {
            return Err(too_many_cells(path));
        }
        rows.push(Row { line, cells: row });
    }
    Ok(Grid { path: path.into(), rows, first_column: 0 })
}

fn too_many_cells(path: &Path) -> ImportError {
    ImportError::File { path: path.into(), message: format!("more than {MAX_CELLS} cells") }
}

fn spreadsheet(path: &Path, sheet: Option<&str>) -> Result<Grid, ImportError> {
    use calamine::{Data, Reader};
    let fail = |message: String| ImportError::File { path: path.into(), message };
    let mut book = calamine::open_workbook_auto(path).map_err(|e| fail(format!("cannot read the workbook: {e}")))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .ok_or_else(|| fail(format!("no sheet `{s}` (the sheets are: {})", names.join(", "))))?
            .clone(),
        None => names.first().ok_or_else(|| fail("the workbook has no sheet".into()))?.clone(),
    };
    let range = book.worksheet_range(&name).map_err(|e| fail(format!("sheet `{name}`: {e}")))?;
    let (first_row, first_column) = range.start().map_or((0, 0), |(r, c)| (r as u64, c as usize));
    let (height, width) = range.get_size();
    if height.saturating_mul(width) > MAX_CELLS {
        return Err(too_many_cells(path));
    }
    let mut rows = Vec::with_capacity(height);
    for (i, data) in range.rows().enumerate() {
        let cells = data
            .iter()
            .map(|d| match d {
                Data::Empty => Cell::default(),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                    Cell { text: s.clone(), number: None, month: None }
                }
                Data::Float(f) => Cell { text: f.to_string(), number: sheet_number(&f.to_string()), month: None },
                Data::Int(n) => Cell { text: n.to_string(), number: Some(Decimal::from(*n)), month: None },
                Data::Bool(b) => Cell { text: b.to_string(), number: None, month: None },
                Data::DateTime(d) => {
                    use chrono::Datelike;
                    let month = d.as_datetime().and_then(|t| crate::dataset::Period::new(t.year(), t.month()));
                    Cell { text: month.map_or_else(|| d.to_string(), |m| m.to_string()), number: None, month }
                }
                // As the sheet shows it (`#DIV/0!`), not as calamine names it.
                Data::Error(e) => Cell { text: e.to_string(), number: None, month: None },
            })
            .collect();
        rows.push(Row { line: first_row + i as u64 + 1, cells });
    }
    Ok(Grid { path: path.into(), rows, first_column })
}

/// A spreadsheet number as the sheet shows it. Sheets store binary doubles, printed in full
/// they read 16813.599999999999 or 180549.80000000002 where a sum was stored; a spreadsheet
/// shows 15 significant digits, which gives back the figure typed (16813.6, 180549.8) and keeps
/// the precision where there is more than one decimal (25379.174648).
pub fn sheet_number(text: &str) -> Option<Decimal> {
    let x: f64 = text.parse().ok().filter(|x: &f64| x.is_finite())?;
    Decimal::from_scientific(&format!("{x:.14e}")).ok().map(|d| d.normalize())
}

/// A number as an office prints it in a text cell: `1234.5`, `1,234.5` (commas between groups
/// of three digits), `+12`. `None` for anything else (`1.2e3`, `12%`, `(5)`, `1,23`).
pub fn printed_number(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let t = t.strip_prefix('+').unwrap_or(t);
    let (sign, digits) = match t.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", t),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let grouped = int.contains(',');
    let groups: Vec<&str> = int.split(',').collect();
    let ok_groups =
        !grouped || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !ok_groups || !groups.iter().all(|g| all_digits(g)) || !all_digits(frac) {
        return None;
    }
    if digits.contains('.') && frac.is_empty() {
        return None;
    }
    let plain = format!("{sign}{}{}{frac}", int.replace(',', ""), if frac.is_empty() { "" } else { "." });
    plain.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_numbers_lose_float_noise_not_precision() {
        for (cell, want) in [
            ("16813.599999999999", "16813.6"),
            ("180549.80000000002", "180549.8"),
            ("25379.174648", "25379.174648"),
            ("0", "0"),
            ("12", "12"),
            ("354409.26230399997", "354409.262304"),
            ("1e3", "1000"),
        ] {
            assert_eq!(sheet_number(cell).unwrap().to_string(), want);
        }
        assert_eq!(sheet_number("NaN"), None);
        assert_eq!(sheet_number("1,2"), None);
    }

    #[test]
    fn printed_numbers() {
        for (text, want) in [
            ("1234.5", "1234.5"),
            ("1,234.5", "1234.5"),
            ("12,345,678", "12345678"),
            (" +12 ", "12"),
            ("-0.5", "-0.5"),
            ("0", "0"),
        ] {
            assert_eq!(printed_number(text).map(|d| d.to_string()), Some(want.to_string()), "{text}");
        }
        for text in ["", "1.2e3", "12%", "(5)", "1,23", "1,2345", ",123", "1.", ".5", "1.2.3", "NaN", "12 345", "-"] {
            assert_eq!(printed_number(text), None, "{text}");
        }
    }
}
