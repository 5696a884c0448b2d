//! `init`: a starting dataset.yaml for canonical CSV.

use crate::Error;
use crate::dataset::{Currency, Dataset, TOTAL_DIMENSION};
use crate::import::ImportError;
use crate::import::describe::{self, Description};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What `init` is told.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// The dataset folder.
    pub dir: PathBuf,
    /// Canonical CSV files inside it.
    pub from: Vec<PathBuf>,
    /// The reporter's English name.
    pub reporter: Option<String>,
    /// An ISO 4217 code.
    pub currency: Option<String>,
    /// Currency units in one unit of value.
    pub unit: Option<String>,
    /// The credit line, in English.
    pub source: Option<String>,
    /// The dataset's id.
    pub id: Option<String>,
    /// Replace a dataset.yaml that is there.
    pub force: bool,
}

/// Writes `dir/dataset.yaml` from the members found in the CSV files, and says what it wrote and
/// what is left to fill in.
pub fn init(o: &InitOptions) -> Result<String, Error> {
    let yaml_path = o.dir.join("dataset.yaml");
    if yaml_path.exists() && !o.force {
        return Err(Error::Usage(format!("{} exists: --force replaces it", yaml_path.display())));
    }
    let currency = o
        .currency
        .as_deref()
        .map(|c| {
            serde_yaml::from_str::<Currency>(c)
                .map_err(|e| Error::Usage(format!("--currency: {}", crate::dataset::yaml_message(&e))))
        })
        .transpose()?;
    let unit = o
        .unit
        .as_deref()
        .map(|u| {
            u.parse::<Decimal>()
                .ok()
                .filter(|u| *u > Decimal::ZERO)
                .ok_or_else(|| Error::Usage(format!("--unit: `{u}` is not a positive number")))
        })
        .transpose()?;
    let dir = std::fs::canonicalize(&o.dir).map_err(|source| ImportError::Io { path: o.dir.clone(), source })?;
    let mut files = Vec::new();
    let mut dimensions: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for file in &o.from {
        let full = std::fs::canonicalize(file).map_err(|source| ImportError::Io { path: file.clone(), source })?;
        let relative = full.strip_prefix(&dir).map_err(|_| {
            Error::Usage(format!(
                "{} is not inside {}: dataset.yaml names its files from its own folder",
                file.display(),
                o.dir.display()
            ))
        })?;
        files.push(relative.to_string_lossy().replace('\\', "/"));
        members(file, &mut dimensions)?;
    }
    let text = describe::dataset_yaml(&Description {
        by: "tradescribe init".into(),
        id: o.id.clone(),
        reporter: o.reporter.clone(),
        currency,
        unit,
        source: o.source.clone().map(|s| [("en".to_string(), s)].into()),
        files,
        dimensions,
    });
    std::fs::write(&yaml_path, &text).map_err(|source| ImportError::Io { path: yaml_path.clone(), source })?;
    let count: usize = text.lines().filter(|l| l.starts_with("      ") && l.contains(": { en: ")).count();
    Ok(match Dataset::load(&o.dir) {
        Ok(_) => format!(
            "wrote {} ({count} names); it loads: check the names, fill in the `zh` ones and decide `complete`",
            yaml_path.display()
        ),
        Err(e) => format!("wrote {} ({count} names); before a first bulletin: {e}", yaml_path.display()),
    })
}

/// The (dimension, member) pairs of a canonical CSV file, the total aside.
fn members(file: &Path, into: &mut BTreeMap<String, BTreeMap<String, String>>) -> Result<(), Error> {
    let fail = |line: u64, message: String| ImportError::Cell { path: file.into(), line, column: 1, message };
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(file)
        .map_err(|e| fail(0, format!("cannot read: {e}")))?;
    let headers = rdr.headers().map_err(|e| fail(1, e.to_string()))?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(d), Some(m)) = (col("dimension"), col("member")) else {
        return Err(fail(
            1,
            "not canonical CSV: no `dimension` and `member` columns (import the office's file first)".into(),
        )
        .into());
    };
    for record in rdr.records() {
        let record = record.map_err(|e| fail(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let (dim, member) = (record.get(d).unwrap_or_default(), record.get(m).unwrap_or_default());
        if dim.is_empty() || member.is_empty() {
            return Err(
                fail(record.position().map_or(0, |p| p.line()), "a row without a dimension or member".into()).into()
            );
        }
        if dim != TOTAL_DIMENSION {
            into.entry(dim.to_string()).or_default().entry(member.to_string()).or_insert_with(|| member.to_string());
        }
    }
    Ok(())
}
