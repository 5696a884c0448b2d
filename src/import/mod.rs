//! Importers: an office's published files turned into a dataset folder (canonical CSV plus
//! `dataset.yaml`). Nothing downstream knows they exist: what they write is loaded like any
//! other dataset.
//!
//! A layout (YAML, [`layout`]) says how a table maps to canonical rows; [`read`] turns a CSV or
//! spreadsheet into cells, [`wide`] and [`long`] turn cells into values, [`write`] gives members
//! their ids and writes the folder, [`describe`] writes a starting dataset.yaml. The Census
//! country file has an importer of its own ([`census`]): what it does (codes that decide a
//! row's dimension, months not yet published, names kept from the latest year) is more than a
//! layout says.

pub mod census;
pub mod describe;
pub mod gacc;
pub mod layout;
pub mod long;
pub mod months;
pub mod read;
pub mod rows;
pub mod wide;
pub mod write;

use crate::dataset::DatasetError;
use layout::Layout;
use std::path::{Path, PathBuf};

/// The layouts built into the binary: name and YAML. `census-country` is built in as code.
pub const BUILTIN: [(&str, &str); 1] = [("comtrade", include_str!("layouts/comtrade.yaml"))];

/// The name of the Census importer, which is code rather than a layout.
pub const CENSUS: &str = "census-country";

/// The name of the importer of China customs (GACC) tables, code too: it sums regimes, implies
/// year-earlier values from published rates and checks tables against each other.
pub const GACC: &str = "gacc";

/// What an importer written as code (census-country, gacc) wrote.
#[derive(Debug)]
pub struct Imported {
    /// The canonical CSV.
    pub csv: PathBuf,
    /// The dataset description.
    pub yaml: PathBuf,
    /// Rows written.
    pub rows: usize,
    /// The last month with data.
    pub latest: crate::dataset::Period,
}

/// Why an import wrote nothing; every variant names the file, and the line and column where
/// there is one.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The layout is not valid YAML or does not fit the schema.
    #[error("{path}:{line}:{column}: {message}")]
    Layout {
        /// The layout file.
        path: PathBuf,
        /// 1-based line, 0 where there is none.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A cell of an input file cannot be mapped.
    #[error("{path}:{line}:{column}: {message}")]
    Cell {
        /// The input file.
        path: PathBuf,
        /// 1-based line (row of a sheet).
        line: u64,
        /// 1-based column (A is 1).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// An input file as a whole cannot be mapped.
    #[error("{path}: {message}")]
    File {
        /// The input file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// What the import made does not load as a dataset.
    #[error(transparent)]
    Dataset(#[from] DatasetError),
}

/// A layout by built-in name or file.
pub fn load_layout(name: &str) -> Result<(PathBuf, Layout), ImportError> {
    if let Some((n, text)) = BUILTIN.iter().find(|(n, _)| *n == name) {
        let path = PathBuf::from(format!("<built-in layout {n}>"));
        return Ok((path.clone(), Layout::parse(&path, text)?));
    }
    let path = Path::new(name);
    if !path.exists() && !name.ends_with(".yaml") && !name.ends_with(".yml") {
        let known: Vec<&str> = std::iter::once(CENSUS).chain(BUILTIN.iter().map(|(n, _)| *n)).collect();
        return Err(ImportError::File {
            path: path.into(),
            message: format!("is neither a built-in layout ({}) nor a layout file", known.join(", ")),
        });
    }
    let text = crate::input::read_text(path, crate::input::MAX_RULES_BYTES)
        .map_err(|source| ImportError::Io { path: path.into(), source })?;
    Ok((path.into(), Layout::parse(path, &text)?))
}
