//! Stage 1: load and validate a dataset folder (`dataset.yaml` plus canonical CSV).

pub mod census;
mod period;
mod spec;

pub use period::Period;
pub use spec::{Currency, DimensionSpec, GroupMember, GroupSpec, MemberName, Names, Reporter, Spec};

use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The reporter's whole trade is the single member `all` of the dimension `total`.
pub const TOTAL_DIMENSION: &str = "total";
/// The one member of the `total` dimension.
pub const TOTAL_MEMBER: &str = "all";

/// Why a dataset could not be loaded; every variant names the file and, where there is one, the line.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// A file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// `dataset.yaml` is not valid YAML or does not fit the schema.
    #[error("{path}:{line}:{column}: {message}")]
    Yaml {
        /// The file.
        path: PathBuf,
        /// 1-based line, 0 where the parser gave none.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// `dataset.yaml` parsed but says something impossible.
    #[error("{path}: {message}")]
    Spec {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A CSV row is wrong.
    #[error("{path}:{line}: field `{field}`: {message}")]
    Row {
        /// The file.
        path: PathBuf,
        /// 1-based line of the row in the file.
        line: u64,
        /// The column.
        field: String,
        /// What is wrong.
        message: String,
    },
}

/// Which way goods went; `total` and `balance` are derived from the other two where not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flow {
    /// Exports.
    Export,
    /// Imports.
    Import,
    /// Exports plus imports.
    Total,
    /// Exports minus imports.
    Balance,
}

impl Flow {
    /// Every flow, in the order bulletins discuss them.
    pub const ALL: [Flow; 4] = [Flow::Total, Flow::Export, Flow::Import, Flow::Balance];

    /// The name used in CSV, YAML and rule conditions.
    pub fn as_str(self) -> &'static str {
        match self {
            Flow::Export => "export",
            Flow::Import => "import",
            Flow::Total => "total",
            Flow::Balance => "balance",
        }
    }
}

impl FromStr for Flow {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Flow::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not a flow (export, import, total, balance)"))
    }
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a value covers its month alone or January through that month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// That month alone.
    Month,
    /// Year to date: January through the month.
    Ytd,
}

impl Basis {
    /// The name used in CSV, YAML and rule conditions.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Month => "month",
            Basis::Ytd => "ytd",
        }
    }
}

impl FromStr for Basis {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "month" => Ok(Basis::Month),
            "ytd" => Ok(Basis::Ytd),
            _ => Err(format!("`{s}` is not a basis (month, ytd)")),
        }
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Index of a (dimension, member) pair in [`Dataset::series`].
pub type SeriesId = u32;

/// One (dimension, member) pair the dataset declares.
#[derive(Debug, Clone)]
pub struct Series {
    /// The dimension id, `total` for the reporter's whole trade.
    pub dimension: String,
    /// The member id within the dimension.
    pub member: String,
}

/// Where an observation was read: file and 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// Index into [`Dataset::files`].
    pub file: u16,
    /// 1-based line in that file.
    pub line: u32,
}

/// The key of one observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ObsKey {
    /// Which member.
    pub series: SeriesId,
    /// Which flow.
    pub flow: Flow,
    /// Month alone or year to date.
    pub basis: Basis,
    /// The last month covered.
    pub period: Period,
}

/// One row of canonical CSV, as read.
#[derive(Debug, Clone)]
pub struct Obs {
    /// The amount, in the dataset's unit.
    pub value: Decimal,
    /// The growth rate as published, in percent.
    pub yoy_pct: Option<Decimal>,
    /// The share of the reporter's total as published, in percent.
    pub share_pct: Option<Decimal>,
    /// The change in share as published, in percentage points.
    pub share_change_pp: Option<Decimal>,
    /// Where the row was read.
    pub source: Source,
    /// The value an earlier file gave for the same key, where a later file revised it.
    pub revised_from: Option<(Decimal, Source)>,
}

/// A member of a group for the months from `from` through `until` (either open).
#[derive(Debug, Clone, Copy)]
pub struct Membership {
    /// The member series.
    pub series: SeriesId,
    /// First month of membership.
    pub from: Option<Period>,
    /// Last month of membership.
    pub until: Option<Period>,
}

impl Membership {
    /// Whether the member belongs to the group in month `at`.
    pub fn active(&self, at: Period) -> bool {
        self.from.is_none_or(|f| f <= at) && self.until.is_none_or(|u| at <= u)
    }
}

/// A loaded, validated dataset.
#[derive(Debug)]
pub struct Dataset {
    /// The folder it was loaded from.
    pub dir: PathBuf,
    /// `dataset.yaml`.
    pub spec: Spec,
    /// Every declared (dimension, member); index 0 is the reporter's total.
    pub series: Vec<Series>,
    /// The CSV files read, in the order read.
    pub files: Vec<PathBuf>,
    /// Every observation.
    pub obs: HashMap<ObsKey, Obs>,
    /// Groups: series summed from the members active in the reported month.
    pub groups: HashMap<SeriesId, Vec<Membership>>,
    index: HashMap<(String, String), SeriesId>,
}

/// The largest value a row may hold: beyond it a unit is wrong, and sums could overflow.
pub const MAX_VALUE: Decimal = Decimal::from_parts(2764472320, 232830, 0, false, 0); // 1e15
/// The largest growth rate a row may publish, percent.
pub const MAX_RATE: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

const REQUIRED_COLUMNS: [&str; 6] = ["period", "basis", "flow", "dimension", "member", "value"];
const OPTIONAL_COLUMNS: [&str; 3] = ["yoy_pct", "share_pct", "share_change_pp"];

impl Dataset {
    /// Loads `dir/dataset.yaml` and the CSV files it names (all `*.csv` in `dir` by default).
    pub fn load(dir: &Path) -> Result<Dataset, DatasetError> {
        let spec_path = dir.join("dataset.yaml");
        let spec = Spec::load(&spec_path)?;
        let mut series = vec![Series { dimension: TOTAL_DIMENSION.into(), member: TOTAL_MEMBER.into() }];
        for (dim, d) in &spec.dimensions {
            if dim == TOTAL_DIMENSION {
                return Err(DatasetError::Spec {
                    path: spec_path,
                    message: "dimension `total` is built in and cannot be declared".into(),
                });
            }
            for member in d.members.keys() {
                series.push(Series { dimension: dim.clone(), member: member.clone() });
            }
        }
        let index =
            series.iter().enumerate().map(|(i, s)| ((s.dimension.clone(), s.member.clone()), i as SeriesId)).collect();
        let files = match &spec.files {
            Some(names) => names.iter().map(|n| dir.join(n)).collect(),
            None => {
                let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
                    .map_err(|source| DatasetError::Io { path: dir.to_path_buf(), source })?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "csv"))
                    .collect();
                found.sort();
                found
            }
        };
        if files.is_empty() {
            return Err(DatasetError::Spec { path: spec_path, message: "the dataset has no CSV file".into() });
        }
        let mut ds =
            Dataset { dir: dir.to_path_buf(), spec, series, files, obs: HashMap::new(), groups: HashMap::new(), index };
        for (id, g) in &ds.spec.groups {
            let members = g
                .members
                .iter()
                .map(|m| {
                    let (member, from, until) = m.parts();
                    let series = ds.index[&(g.of.clone(), member.to_string())];
                    Membership { series, from, until }
                })
                .collect();
            let group = ds.index[&(g.dimension.clone(), id.clone())];
            ds.groups.insert(group, members);
        }
        for i in 0..ds.files.len() {
            ds.read_csv(i)?;
        }
        ds.drop_superseded();
        ds.check_consistency()?;
        Ok(ds)
    }

    /// The series id of a (dimension, member) pair, if declared.
    pub fn series_id(&self, dimension: &str, member: &str) -> Option<SeriesId> {
        self.index.get(&(dimension.to_string(), member.to_string())).copied()
    }

    /// The latest month with an observation of the reporter's total: a month with only some
    /// partners' rows is not a month a bulletin can be written for.
    pub fn latest_period(&self) -> Option<Period> {
        self.obs.keys().filter(|k| k.series == 0).map(|k| k.period).max()
    }

    /// Drops rows that a later file made stale: a total, balance or year to date given by one file
    /// whose parts (exports, imports, months) a later file revised. The figure is then derived
    /// from the revised parts instead of stating the old one.
    fn drop_superseded(&mut self) {
        if self.files.len() < 2 {
            return;
        }
        loop {
            let stale: Vec<ObsKey> = self
                .obs
                .iter()
                .filter(|(k, o)| self.parts(**k).iter().any(|p| self.newer(*p, o.source.file)))
                .map(|(k, _)| *k)
                .collect();
            if stale.is_empty() {
                return;
            }
            for k in stale {
                self.obs.remove(&k);
            }
        }
    }

    /// The rows a figure can be derived from.
    fn parts(&self, k: ObsKey) -> Vec<ObsKey> {
        let mut parts = Vec::new();
        if matches!(k.flow, Flow::Total | Flow::Balance) {
            parts.push(ObsKey { flow: Flow::Export, ..k });
            parts.push(ObsKey { flow: Flow::Import, ..k });
        }
        if k.basis == Basis::Ytd {
            parts.extend(k.period.months_to_date().map(|m| ObsKey { basis: Basis::Month, period: m, ..k }));
        }
        parts
    }

    /// Whether a figure comes, directly or through its parts, from a file later than `file`.
    fn newer(&self, k: ObsKey, file: u16) -> bool {
        match self.obs.get(&k) {
            Some(o) => o.source.file > file,
            None => self.parts(k).iter().any(|p| self.newer(*p, file)),
        }
    }

    /// Refuses figures the data gives twice over that disagree: a total that is not exports plus
    /// imports, a balance that is not exports minus imports, a year to date that is not the sum of
    /// its months. Published figures are rounded, so they may differ by up to 1%.
    fn check_consistency(&self) -> Result<(), DatasetError> {
        let tolerance = Decimal::new(1, 2);
        let mut keys: Vec<&ObsKey> = self.obs.keys().collect();
        keys.sort_by_key(|k| (k.series, k.period, k.basis, k.flow));
        for key in keys {
            let o = &self.obs[key];
            let given = |flow: Flow, basis: Basis, period: Period| {
                self.obs.get(&ObsKey { series: key.series, flow, basis, period })
            };
            let check = |what: &str, derived: Decimal, parts: Vec<&Obs>, scale: Decimal| {
                if (o.value - derived).abs() > tolerance * scale.abs() {
                    let cite = |s: Source| format!("{}:{}", self.files[s.file as usize].display(), s.line);
                    let parts: Vec<String> = parts.iter().map(|p| cite(p.source)).collect();
                    return Err(DatasetError::Row {
                        path: self.files[o.source.file as usize].clone(),
                        line: o.source.line as u64,
                        field: "value".into(),
                        message: format!(
                            "{} is not {what} ({derived}, from {}); the data contradicts itself",
                            o.value,
                            parts.join(", ")
                        ),
                    });
                }
                Ok(())
            };
            if matches!(key.flow, Flow::Total | Flow::Balance)
                && let (Some(e), Some(i)) =
                    (given(Flow::Export, key.basis, key.period), given(Flow::Import, key.basis, key.period))
            {
                if key.flow == Flow::Total {
                    check("exports plus imports", e.value + i.value, vec![e, i], o.value)?;
                } else {
                    check("exports minus imports", e.value - i.value, vec![e, i], e.value + i.value)?;
                }
            }
            if key.basis == Basis::Ytd && key.period.month > 1 {
                let months: Option<Vec<&Obs>> =
                    key.period.months_to_date().map(|m| given(key.flow, Basis::Month, m)).collect();
                if let Some(months) = months {
                    let sum = months.iter().map(|m| m.value).sum();
                    let scale =
                        if key.flow == Flow::Balance { months.iter().map(|m| m.value.abs()).sum() } else { o.value };
                    check("the sum of its months", sum, months, scale)?;
                }
            }
        }
        Ok(())
    }

    fn read_csv(&mut self, file: usize) -> Result<(), DatasetError> {
        let path = self.files[file].clone();
        let io = |source| DatasetError::Io { path: path.clone(), source };
        let bytes = std::fs::read(&path).map_err(io)?;
        let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(bytes.as_slice());
        let row_err = |line: u64, field: &str, message: String| DatasetError::Row {
            path: path.clone(),
            line,
            field: field.to_string(),
            message,
        };
        let headers = rdr.headers().map_err(|e| row_err(1, "header", csv_message(&e)))?.clone();
        let mut col = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            if !REQUIRED_COLUMNS.contains(&h) && !OPTIONAL_COLUMNS.contains(&h) {
                return Err(row_err(1, h, format!("unknown column; the columns are {}", known_columns())));
            }
            if col.insert(h.to_string(), i).is_some() {
                return Err(row_err(1, h, "column given twice".into()));
            }
        }
        for c in REQUIRED_COLUMNS {
            if !col.contains_key(c) {
                return Err(row_err(1, c, format!("missing column; the columns are {}", known_columns())));
            }
        }
        let mut record = csv::StringRecord::new();
        loop {
            match rdr.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    // A short row names the first field it lacks; a long one, the header it overruns.
                    let field = match e.kind() {
                        csv::ErrorKind::UnequalLengths { len, .. } => headers.get(*len as usize).unwrap_or("row"),
                        _ => "row",
                    };
                    return Err(row_err(line, field, csv_message(&e)));
                }
            }
            let line = record.position().map_or(0, |p| p.line());
            let get = |name: &str| col.get(name).and_then(|&i| record.get(i)).unwrap_or("");
            let parse = |name: &str| -> Result<Option<Decimal>, DatasetError> {
                let text = get(name);
                if text.is_empty() {
                    return Ok(None);
                }
                parse_decimal(text).map(Some).map_err(|m| row_err(line, name, m))
            };
            let period: Period = get("period").parse().map_err(|m| row_err(line, "period", m))?;
            let basis: Basis = get("basis").parse().map_err(|m| row_err(line, "basis", m))?;
            let flow: Flow = get("flow").parse().map_err(|m| row_err(line, "flow", m))?;
            let dimension = get("dimension");
            let member = get("member");
            if dimension != TOTAL_DIMENSION && !self.spec.dimensions.contains_key(dimension) {
                let known: Vec<&str> = self.spec.dimensions.keys().map(String::as_str).collect();
                return Err(row_err(
                    line,
                    "dimension",
                    format!("`{dimension}` is not declared in dataset.yaml (declared: total, {})", known.join(", ")),
                ));
            }
            let series = self.series_id(dimension, member).ok_or_else(|| {
                let hint = if dimension == TOTAL_DIMENSION { " (the total's one member is `all`)" } else { "" };
                row_err(line, "member", format!("`{member}` is not a member of `{dimension}` in dataset.yaml{hint}"))
            })?;
            let value = parse("value")?.ok_or_else(|| row_err(line, "value", "is empty".into()))?;
            if value.is_sign_negative() && !value.is_zero() && flow != Flow::Balance {
                return Err(row_err(line, "value", format!("`{value}` is negative; only a balance can be")));
            }
            if value.abs() > MAX_VALUE {
                return Err(row_err(line, "value", format!("`{value}` is larger than {MAX_VALUE}: check the unit")));
            }
            let yoy_pct = parse("yoy_pct")?;
            if let Some(g) = yoy_pct {
                let floor = if flow == Flow::Balance { -MAX_RATE } else { -Decimal::ONE_HUNDRED };
                if g < floor || g > MAX_RATE {
                    return Err(row_err(line, "yoy_pct", format!("`{g}` is not a possible growth rate for {flow}")));
                }
            }
            let share_pct = parse("share_pct")?;
            if let Some(sh) = share_pct.filter(|sh| *sh < Decimal::ZERO || *sh > Decimal::ONE_HUNDRED) {
                return Err(row_err(line, "share_pct", format!("`{sh}` is not a share between 0 and 100")));
            }
            let share_change_pp = parse("share_change_pp")?;
            if let Some(c) = share_change_pp.filter(|c| c.abs() > Decimal::ONE_HUNDRED) {
                return Err(row_err(line, "share_change_pp", format!("`{c}` is not a change of a share")));
            }
            if self.groups.contains_key(&series) {
                return Err(row_err(
                    line,
                    "member",
                    format!("`{member}` is a group in dataset.yaml: its values are summed from its members, not read"),
                ));
            }
            let key = ObsKey { series, flow, basis, period };
            let source = Source { file: file as u16, line: line as u32 };
            let mut obs = Obs { value, yoy_pct, share_pct, share_change_pp, source, revised_from: None };
            if let Some(prev) = self.obs.get(&key) {
                // A later file revises an earlier one; within one file a key may appear once.
                if prev.source.file as usize == file {
                    return Err(row_err(
                        line,
                        "row",
                        format!(
                            "duplicate of {}:{} (same period, basis, flow, dimension and member)",
                            self.files[file].display(),
                            prev.source.line
                        ),
                    ));
                }
                // Keep the first report, however many releases revised it since.
                obs.revised_from = Some(prev.revised_from.unwrap_or((prev.value, prev.source)));
            }
            self.obs.insert(key, obs);
        }
        Ok(())
    }
}

fn known_columns() -> String {
    let mut all: Vec<&str> = REQUIRED_COLUMNS.to_vec();
    all.extend(OPTIONAL_COLUMNS.iter().copied());
    all.join(", ")
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } if len < expected_len => {
            format!("missing: the row has {len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("the row has {len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".into(),
        _ => e.to_string(),
    }
}

/// serde_yaml's message without its trailing "at line L column C", which the caller prints first.
pub fn yaml_message(e: &serde_yaml::Error) -> String {
    let m = e.to_string();
    match m.rfind(" at line ") {
        Some(i) if e.location().is_some() => m[..i].to_string(),
        _ => m,
    }
}

/// Parses a plain decimal (`-12.5`), refusing thousands separators, exponents, NaN and infinities.
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let ok = !text.is_empty()
        && text.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')));
    let parsed = if ok { Decimal::from_str(text).ok() } else { None };
    parsed.ok_or_else(|| format!("`{text}` is not a plain decimal number (like 1234.5)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_plain() {
        assert_eq!(parse_decimal("1234.5").unwrap().to_string(), "1234.5");
        assert_eq!(parse_decimal("-0.05").unwrap().to_string(), "-0.05");
        for bad in ["1,234.5", "NaN", "inf", "1e3", "", "12a", "--1", "1.2.3"] {
            assert!(parse_decimal(bad).is_err(), "{bad}");
        }
    }
}
