//! From values read to a dataset folder: members get their ids, every value is checked against
//! the others (a value given twice, a total that is missing), the canonical CSV and, for a new
//! folder, a starting dataset.yaml are made, loaded together as a dataset, and only then written.

use super::describe::{self, Description};
use super::layout::{Layout, ReporterSpec, Shape, Source};
use super::read::{self, Grid};
use super::rows::{At, Raw, header_row, unit};
use super::{ImportError, long, wide};
use crate::dataset::{Dataset, DatasetError, Period, Spec, TOTAL_DIMENSION, TOTAL_MEMBER, builtin};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What an import wrote.
#[derive(Debug)]
pub struct Imported {
    /// The canonical CSV.
    pub csv: PathBuf,
    /// The dataset description.
    pub yaml: PathBuf,
    /// Whether dataset.yaml was written (a new folder) or kept (a folder imported into before).
    pub wrote_yaml: bool,
    /// Rows written.
    pub rows: usize,
    /// The first and last months with data.
    pub first: Period,
    /// The last month with data.
    pub latest: Period,
    /// Members, the reporter's total aside.
    pub members: usize,
}

/// Imports `files` through `layout` into the folder `out`: `trade.csv`, and `dataset.yaml`
/// where the folder has none (one that is there is kept, and the new rows must fit it).
pub fn import(layout: &Layout, by: &str, files: &[PathBuf], out: &Path) -> Result<Imported, ImportError> {
    let mut raws = Vec::new();
    let mut grids: Vec<Grid> = Vec::new();
    let mut named = None;
    let mut the_unit: Option<(Decimal, usize)> = None;
    for (i, path) in files.iter().enumerate() {
        let grid = read::read(path, layout.sheet.as_deref())?;
        let h = header_row(&grid, &layout.header)?;
        let u = unit(&grid, layout, h)?;
        if let Some((first, f)) = the_unit
            && first != u
        {
            return Err(grid.file_error(format!(
                "its values are in units of {u}, those of {} in units of {first}",
                files[f].display()
            )));
        }
        the_unit = Some((u, i));
        match layout.shape {
            Shape::Wide => wide::read(&grid, i, layout, &mut raws)?,
            Shape::Long => long::read(&grid, i, layout, &mut raws, &mut named)?,
        }
        grids.push(grid);
    }
    let cite = |at: At| {
        format!("{}:{}:{}", grids[at.file].path.display(), at.line, grids[at.file].first_column + at.column + 1)
    };
    let Some((unit, _)) = the_unit else {
        return Err(ImportError::File { path: out.into(), message: "no file to import".into() });
    };
    if raws.is_empty() {
        return Err(grids[0].file_error("no values: every cell is empty or means no data".into()));
    }

    // Ids: a country's own id where the label or code is a country, else the label made an id.
    let mut ids: HashMap<(String, String, Option<String>), String> = HashMap::new();
    let mut labels: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut seen: HashMap<(Period, crate::dataset::Basis, crate::dataset::Flow, String, String), At> = HashMap::new();
    for r in &raws {
        let id = if r.dimension == TOTAL_DIMENSION {
            TOTAL_MEMBER.to_string()
        } else {
            ids.entry((r.dimension.clone(), r.label.clone(), r.code.clone()))
                .or_insert_with(|| member_id(&r.label, r.code.as_deref()))
                .clone()
        };
        if id.is_empty() {
            return Err(cell_error(&grids, r.at, format!("`{}` makes no member id: give the member a name", r.label)));
        }
        if let Some(first) = seen.insert((r.period, r.basis, r.flow, r.dimension.clone(), id.clone()), r.at) {
            return Err(cell_error(
                &grids,
                r.at,
                format!(
                    "{} of `{}` ({} {}) again: first at {}",
                    r.flow,
                    if r.label.is_empty() { r.code.as_deref().unwrap_or_default() } else { &r.label },
                    r.period,
                    r.basis,
                    cite(first)
                ),
            ));
        }
        if r.dimension != TOTAL_DIMENSION {
            let label = if r.label.is_empty() { r.code.clone().unwrap_or_default() } else { r.label.clone() };
            labels.entry(r.dimension.clone()).or_default().entry(id.clone()).or_insert(label);
        }
    }
    if !raws.iter().any(|r| r.dimension == TOTAL_DIMENSION) {
        return Err(grids[0].file_error(
            "no row is the reporter's total: name its label or code in `total:` (or give the hierarchy a `total` level)".into(),
        ));
    }

    let mut sorted: Vec<(&Raw, String)> = raws
        .iter()
        .map(|r| {
            let id = if r.dimension == TOTAL_DIMENSION {
                TOTAL_MEMBER.to_string()
            } else {
                ids[&(r.dimension.clone(), r.label.clone(), r.code.clone())].clone()
            };
            (r, id)
        })
        .collect();
    sorted.sort_by(|(a, ai), (b, bi)| {
        (a.period, a.basis, a.dimension != TOTAL_DIMENSION, &a.dimension, ai, a.flow).cmp(&(
            b.period,
            b.basis,
            b.dimension != TOTAL_DIMENSION,
            &b.dimension,
            bi,
            b.flow,
        ))
    });
    let mut csv = String::from("period,basis,flow,dimension,member,value\n");
    for (r, id) in &sorted {
        writeln!(csv, "{},{},{},{},{},{}", r.period, r.basis, r.flow, r.dimension, id, r.value).expect("String");
    }

    let yaml_path = out.join("dataset.yaml");
    let csv_path = out.join("trade.csv");
    let existing = yaml_path.exists();
    let (spec, yaml) = if existing {
        let spec = Spec::load(&yaml_path)?;
        for (dim, members) in &labels {
            for (id, label) in members {
                if !spec.dimensions.get(dim).is_some_and(|d| d.members.contains_key(id)) {
                    let at = raws
                        .iter()
                        .find(|r| &r.dimension == dim && (r.label == *label || r.code.as_deref() == Some(label)))
                        .map(|r| r.at);
                    return Err(ImportError::File {
                        path: yaml_path.clone(),
                        message: format!(
                            "`{label}` ({}) is not a member `{id}` of `{dim}` here: add it, or write a new dataset.yaml \
                             with `tradescribe init {} --from {} --force`",
                            at.map_or_else(String::new, cite),
                            out.display(),
                            csv_path.display()
                        ),
                    });
                }
            }
        }
        (spec, None)
    } else {
        let reporter = match (&layout.reporter, &named) {
            (ReporterSpec::Name(n), _) => Some(n.clone()),
            (ReporterSpec::Column { .. }, Some(((name, code), _))) => Some(
                code.as_deref()
                    .and_then(builtin::country)
                    .or_else(|| builtin::country(name))
                    .map_or(name.clone(), |c| c.en.clone()),
            ),
            (ReporterSpec::Column { .. }, None) => None,
        };
        let source = match &layout.source {
            Source::En(s) => [("en".to_string(), s.clone())].into(),
            Source::Names(n) => n.clone(),
        };
        let text = describe::dataset_yaml(&Description {
            by: by.to_string(),
            id: layout.id.clone(),
            reporter,
            currency: Some(layout.currency.clone()),
            unit: Some(unit),
            source: Some(source),
            files: vec!["trade.csv".into()],
            dimensions: labels.clone(),
        });
        (Spec::parse(&yaml_path, &text)?, Some(text))
    };
    // Loaded as a dataset before anything is written: an import never leaves a folder that
    // `generate` cannot read. Files besides trade.csv that dataset.yaml names are read too.
    let mut sources: Vec<(PathBuf, Box<dyn std::io::Read + Send>)> = Vec::new();
    let names = spec.files.clone().unwrap_or_else(|| vec!["trade.csv".into()]);
    for name in &names {
        let path = out.join(name);
        if path == csv_path {
            sources.push((path, Box::new(std::io::Cursor::new(csv.clone().into_bytes()))));
        } else {
            let file = std::fs::File::open(&path).map_err(|source| DatasetError::Io { path: path.clone(), source })?;
            sources.push((path, Box::new(file)));
        }
    }
    if !names.iter().any(|n| out.join(n) == csv_path) {
        return Err(ImportError::File {
            path: yaml_path,
            message: "its `files:` does not name trade.csv, which the import writes".into(),
        });
    }
    let ds = Dataset::from_sources(out, spec, sources)?;

    std::fs::create_dir_all(out).map_err(|source| ImportError::Io { path: out.into(), source })?;
    let mut writes = vec![(csv_path.clone(), csv)];
    if let Some(text) = yaml {
        writes.push((yaml_path.clone(), text));
    }
    for (path, text) in &writes {
        let tmp = path.with_extension("import-tmp");
        std::fs::write(&tmp, text).map_err(|source| ImportError::Io { path: tmp.clone(), source })?;
    }
    for (path, _) in &writes {
        std::fs::rename(path.with_extension("import-tmp"), path)
            .map_err(|source| ImportError::Io { path: path.clone(), source })?;
    }
    let periods: Vec<Period> = raws.iter().map(|r| r.period).collect();
    Ok(Imported {
        csv: csv_path,
        yaml: yaml_path,
        wrote_yaml: !existing,
        rows: raws.len(),
        first: *periods.iter().min().expect("values were read"),
        latest: ds.latest_period().unwrap_or_else(|| *periods.iter().max().expect("values were read")),
        members: labels.values().map(BTreeMap::len).sum(),
    })
}

fn cell_error(grids: &[Grid], at: At, message: String) -> ImportError {
    grids[at.file].error(at.line, at.column, message)
}

/// A member's id: the built-in country's where the code or label is a country (so that the
/// built-in groups find it), else the label in lower case with words joined by `_`.
pub fn member_id(label: &str, code: Option<&str>) -> String {
    let country = builtin::country(label).or_else(|| code.and_then(builtin::country).filter(|_| label.is_empty()));
    match country {
        Some(c) => c.id(),
        None if label.trim().is_empty() => builtin::normalize(code.unwrap_or_default()),
        None => builtin::normalize(label),
    }
}
