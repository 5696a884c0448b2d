//! Stage 1: load and validate a dataset folder (`dataset.yaml` plus canonical CSV).

mod arrival;
pub mod builtin;
mod check;
mod currency;
mod period;
mod quantity;
mod read;
mod rows;
mod spec;
mod store;

pub use arrival::{ARRIVAL_MONTHS, ARRIVED_TENTHS, PartArrival};
pub use currency::{Currency, Style as CurrencyStyle};
pub use period::Period;
pub use quantity::{BaseUnit, QuantityUnit};
pub use spec::{
    Completeness, DimensionKind, DimensionSpec, FullName, GroupMember, GroupSpec, MemberName, Names, Plural,
    PublishedRates, Reporter, Spec, TrailingZeros, file_safe,
};
pub use store::Observations;

use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt;
use std::io::Read;
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
#[derive(Debug, Clone, Copy)]
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

/// What a row may give besides its value and rates: a quantity and where the figure was
/// published. Kept apart from the values: few rows have one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annex {
    /// The quantity, in the member's unit (`quantity_unit` in dataset.yaml).
    pub quantity: Option<Decimal>,
    /// The change in quantity as published, in percent.
    pub quantity_yoy_pct: Option<Decimal>,
    /// The address the figure was published at (`source_url`).
    pub source_url: Option<String>,
    /// A note on the row (`note`): how it was made, what it covers.
    pub note: Option<String>,
}

/// A row that gives published figures but no value ("general trade grew 5.7%, 59.8% of the
/// total"): its figures are stated as given, and nothing is derived from them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stated {
    /// The growth rate as published, in percent.
    pub yoy_pct: Option<Decimal>,
    /// The share of the reporter's total as published, in percent.
    pub share_pct: Option<Decimal>,
    /// The change in share as published, in percentage points.
    pub share_change_pp: Option<Decimal>,
    /// Where the row was read.
    pub source: Source,
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
    pub obs: Observations,
    /// Groups: series summed from the members active in the reported month.
    pub groups: HashMap<SeriesId, Vec<Membership>>,
    /// (dimension, member) to series, keyed by [`read::pair_key`].
    index: FastMap<String, SeriesId>,
    /// What loading found worth a line in the log: published rates that differ from the values
    /// by more than rounding, where the dataset says they may.
    pub notes: Vec<String>,
}

/// The largest value a row may hold: beyond it a unit is wrong, and sums could overflow.
pub const MAX_VALUE: Decimal = Decimal::from_parts(2764472320, 232830, 0, false, 0); // 1e15
/// The largest growth rate a row may publish, percent.
pub const MAX_RATE: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

impl Dataset {
    /// Loads `dir/dataset.yaml` and the CSV files it names (all `*.csv` in `dir` by default).
    ///
    /// The order of `files:` is the order of releases: a row a later file gives again revises the
    /// earlier one. Without `files:` the order is unknown, and two files giving the same row are
    /// refused. Every file must be a regular file inside the folder.
    pub fn load(dir: &Path) -> Result<Dataset, DatasetError> {
        let spec_path = dir.join("dataset.yaml");
        let spec = Spec::load(&spec_path)?;
        let ordered = spec.files.is_some();
        let mut sources = Vec::new();
        for path in Dataset::csv_files(dir, &spec)? {
            // Regular files only, each bounded: a FIFO would hang the run, /dev/zero never ends.
            let file = crate::input::open_bounded(&path, crate::input::MAX_CSV_BYTES)
                .map_err(|source| DatasetError::Io { path: path.clone(), source })?;
            sources.push((path, file));
        }
        Dataset::read(dir, spec, sources, ordered)
    }

    /// The CSV files a dataset reads, in the order read: those `files:` names, else every
    /// `*.csv` in the folder by name; each must be a regular file inside the folder.
    pub fn csv_files(dir: &Path, spec: &Spec) -> Result<Vec<PathBuf>, DatasetError> {
        let spec_path = dir.join("dataset.yaml");
        Ok(match &spec.files {
            Some(names) => names.iter().map(|n| rows::inside(dir, &spec_path, n)).collect::<Result<Vec<_>, _>>()?,
            None => {
                let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
                    .map_err(|source| DatasetError::Io { path: dir.to_path_buf(), source })?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "csv"))
                    .collect();
                found.sort();
                for path in &found {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    rows::inside(dir, &spec_path, &name)?;
                }
                found
            }
        })
    }

    /// Builds a dataset from a description and CSV streams, in order (a later one revises an
    /// earlier one); `dir` names the folder in messages and file names.
    pub fn from_sources<R: Read + Send>(
        dir: &Path,
        spec: Spec,
        sources: Vec<(PathBuf, R)>,
    ) -> Result<Dataset, DatasetError> {
        Dataset::read(dir, spec, sources, true)
    }

    /// [`Dataset::from_sources`]; `ordered` is whether the order of the sources is the order of
    /// releases (else a row given by two of them is refused).
    fn read<R: Read + Send>(
        dir: &Path,
        spec: Spec,
        sources: Vec<(PathBuf, R)>,
        ordered: bool,
    ) -> Result<Dataset, DatasetError> {
        let spec_path = dir.join("dataset.yaml");
        if sources.is_empty() {
            return Err(DatasetError::Spec { path: spec_path, message: "the dataset has no CSV file".into() });
        }
        if sources.len() > u16::MAX as usize {
            return Err(DatasetError::Spec { path: spec_path, message: "the dataset has too many CSV files".into() });
        }
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
        let index: FastMap<String, SeriesId> = series
            .iter()
            .enumerate()
            .map(|(i, s)| (read::pair_key(&mut String::new(), &s.dimension, &s.member).to_string(), i as SeriesId))
            .collect();
        let id = |dimension: &str, member: &str| index[read::pair_key(&mut String::new(), dimension, member)];
        let mut groups = HashMap::new();
        for (group, g) in &spec.groups {
            let members = g
                .members
                .iter()
                .map(|m| {
                    let (member, from, until) = m.parts();
                    Membership { series: id(&g.of, member), from, until }
                })
                .collect();
            groups.insert(id(&g.dimension, group), members);
        }
        let files: Vec<PathBuf> = sources.iter().map(|(p, _)| p.clone()).collect();
        let mut obs = Observations::new(series.len());
        let lookup = read::Lookup::new(&spec, &index, &groups);
        let mut last_line = 0;
        for (file, (path, input)) in sources.into_iter().enumerate() {
            let file = file as u16;
            obs.begin_file(file, last_line).map_err(|m| DatasetError::Spec { path: path.clone(), message: m })?;
            let lines = read::read_rows(&path, input, &lookup, |parsed| {
                for p in &parsed.plain {
                    if obs.put_plain(p, file) != Some(true) {
                        // Taken, or beyond what the store can cite: `merge` says which.
                        let row =
                            read::Row { key: p.key(), value: Some(p.value()), rates: None, annex: None, line: p.line };
                        rows::merge(&mut obs, &files, file, row, ordered)?;
                    }
                }
                std::mem::take(&mut parsed.odd)
                    .into_iter()
                    .try_for_each(|row| rows::merge(&mut obs, &files, file, row, ordered))
            })?;
            last_line = u32::try_from(lines).ok().filter(|l| *l < 1 << 30).ok_or_else(|| DatasetError::Spec {
                path: path.clone(),
                message: "the dataset's files have more than a billion lines".into(),
            })?;
        }
        let mut ds = Dataset { dir: dir.to_path_buf(), spec, series, files, obs, groups, index, notes: Vec::new() };
        ds.drop_superseded();
        ds.check_consistency()?;
        Ok(ds)
    }

    /// The series id of a (dimension, member) pair, if declared.
    pub fn series_id(&self, dimension: &str, member: &str) -> Option<SeriesId> {
        self.index.get(read::pair_key(&mut String::new(), dimension, member)).copied()
    }

    /// The latest month with an observation of the reporter's total: a month with only some
    /// partners' rows is not a month a bulletin can be written for.
    pub fn latest_period(&self) -> Option<Period> {
        self.obs.last_period(0)
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
                .keys()
                .filter(|k| {
                    let file = self.obs.get(k).expect("a key of the store").source.file;
                    self.parts(*k).iter().any(|p| self.newer(*p, file))
                })
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
}

/// A map keyed by ids from dataset.yaml, hashed quickly: every CSV row looks up its member, and
/// the ids are the office's own, so SipHash's defence against chosen keys buys nothing here.
pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// The multiply-rotate hash of the Firefox and rustc hash tables, eight bytes at a time.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        // The table picks a bucket from the low bits, which a multiply mixes least: rotate the
        // well-mixed high bits down (as rustc-hash 2 does).
        self.0.rotate_left(26)
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
