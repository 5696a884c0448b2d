//! A layout: how one office's table maps to canonical rows, declared in YAML. Every key is
//! documented in docs/src/import.md; `deny_unknown_fields` makes a misspelt key an error with
//! its line and column.

use super::ImportError;
use crate::dataset::{Basis, Currency, Flow, Names};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A layout, as read from YAML.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// `wide` (one column per month) or `long` (one value per row).
    pub shape: Shape,
    /// The sheet of a spreadsheet to read; the first by default.
    #[serde(default)]
    pub sheet: Option<String>,
    /// Where the header row is: its line number, or the text of its first cell.
    pub header: Header,
    /// Where the data ends (`{ first_cell: Footnotes }`); the end of the file by default.
    #[serde(default)]
    pub end: Option<Header>,
    /// The column that names each row's member.
    pub member: MemberSpec,
    /// How a wide table shows which rows belong under which.
    #[serde(default)]
    pub hierarchy: Option<Hierarchy>,
    /// Member labels or codes that are the reporter's whole trade (`Total All Markets`, `0`).
    #[serde(default)]
    pub total: Vec<String>,
    /// The dimension of members that are not the total, where no hierarchy says; `partner`.
    #[serde(default = "partner")]
    pub dimension: String,
    /// Which flow each value is.
    pub flow: FlowSpec,
    /// Currency units in one unit of the values: a number, or `line` to read it from a line
    /// above the header such as "Million Dollars".
    pub unit: UnitSpec,
    /// Wide tables: how to read the month columns.
    #[serde(default)]
    pub months: Months,
    /// Long tables: the column of month labels (or years).
    #[serde(default)]
    pub period: Option<String>,
    /// Long tables: the column of values.
    #[serde(default)]
    pub value: Option<String>,
    /// Cells that mean "no data": no row is written for them.
    #[serde(default = "missing")]
    pub missing: Vec<String>,
    /// Whether a value covers its month alone (`month`) or January through it (`ytd`).
    #[serde(default = "month_basis")]
    pub basis: Basis,
    /// Rows to keep: a column and the values it may have (`{ cmdCode: [TOTAL] }`).
    #[serde(default, rename = "where")]
    pub keep: BTreeMap<String, Vec<String>>,
    /// The dataset's id in the written dataset.yaml.
    #[serde(default)]
    pub id: Option<String>,
    /// Who reports: an English name, or the column that names it.
    pub reporter: ReporterSpec,
    /// The currency of the values.
    pub currency: Currency,
    /// The credit line: English text, or text by language.
    pub source: Source,
}

fn partner() -> String {
    "partner".into()
}

fn missing() -> Vec<String> {
    ["", "-", "na", "n.a.", "NA", "N.A."].map(String::from).to_vec()
}

fn month_basis() -> Basis {
    Basis::Month
}

/// The two shapes of table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// One row per member, one column per month.
    Wide,
    /// One row per value, with member, period and value columns.
    Long,
}

/// A row found by its line number or by the text of its first non-empty cell.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Header {
    /// The 1-based line.
    Line(u64),
    /// The first row whose first non-empty cell reads this (case and spaces aside).
    FirstCell {
        /// The text.
        first_cell: String,
    },
}

/// The member column.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberSpec {
    /// The header of the column with the member's label (or its 1-based number).
    pub column: String,
    /// A column with the member's code, where there is one (`partnerCode`).
    #[serde(default)]
    pub code: Option<String>,
}

/// How the hierarchy is shown, and the dimension of each level.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hierarchy {
    /// `indent` (leading spaces of the label), `code` (a code that starts with its parent's) or
    /// `parent` (a column naming the parent).
    pub by: HierarchyBy,
    /// For `by: parent`: the column with the parent's label or code.
    #[serde(default)]
    pub column: Option<String>,
    /// The dimension of each level from the top: `total`, a dimension, or `skip`.
    pub levels: Vec<String>,
}

/// The ways a table shows its hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HierarchyBy {
    /// Deeper rows are indented further.
    Indent,
    /// A member's code starts with its parent's.
    Code,
    /// A column names the parent.
    Parent,
}

/// Where the flow comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum FlowSpec {
    /// Every value is this flow.
    Fixed(Flow),
    /// Read from each row, file or metadata line.
    Rule(FlowRule),
}

/// Exactly one of its keys says where the flow comes from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowRule {
    /// A column whose values are mapped by `values`.
    #[serde(default)]
    pub column: Option<String>,
    /// For `column`: each value and its flow.
    #[serde(default)]
    pub values: BTreeMap<String, Flow>,
    /// For `column`: values whose rows are left out (re-exports, counted within exports).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// One file per flow: a word in the file's name for each flow (`exports`).
    #[serde(default)]
    pub file_name: BTreeMap<Flow, String>,
    /// One file per flow: text in a line above the header for each flow.
    #[serde(default)]
    pub line: BTreeMap<Flow, String>,
}

/// The unit, fixed or read.
#[derive(Debug, Clone)]
pub enum UnitSpec {
    /// Currency units in one unit of value.
    Fixed(Decimal),
    /// Read from a line above the header: "Million Dollars", "Thousands of US dollars".
    Line,
}

impl<'de> Deserialize<'de> for UnitSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<UnitSpec, D::Error> {
        use serde::de::Error;
        match serde_yaml::Value::deserialize(d)? {
            serde_yaml::Value::String(s) if s == "line" => Ok(UnitSpec::Line),
            serde_yaml::Value::Number(n) => match n.to_string().parse::<Decimal>() {
                Ok(u) if u > Decimal::ZERO => Ok(UnitSpec::Fixed(u)),
                _ => Err(D::Error::custom(format!("`unit: {n}` must be a positive number"))),
            },
            _ => Err(D::Error::custom("`unit` is a number (1000000 for millions) or `line`")),
        }
    }
}

/// How month columns are read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Months {
    /// A chrono format all labels are in (`%Y %b`); by default any of the forms offices print.
    #[serde(default)]
    pub format: Option<String>,
    /// Header cells of columns that are not months (`Total`, `Year to date`).
    #[serde(default)]
    pub ignore: Vec<String>,
}

/// The reporter.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ReporterSpec {
    /// Its English name.
    Name(String),
    /// Read from each row: all rows must name the same one.
    Column {
        /// The column with its name.
        column: String,
        /// A column with its code (an ISO 3166 code names it better than a label does).
        #[serde(default)]
        code: Option<String>,
    },
}

/// A credit line.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Source {
    /// In English.
    En(String),
    /// By language.
    Names(Names),
}

impl Layout {
    /// Parses and checks a layout; `path` names it in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Layout, ImportError> {
        let yaml_error = |e: serde_yaml::Error| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            let message = crate::input::yaml_limit_message(crate::dataset::yaml_message(&e));
            ImportError::Layout { path: path.into(), line, column, message }
        };
        // Aliases of aliases expand without bound: counted before anything is built from them.
        crate::input::check_yaml_expansion(text).map_err(yaml_error)?;
        let layout: Layout = serde_yaml::from_str(text).map_err(yaml_error)?;
        let fail =
            |message: &str| Err(ImportError::Layout { path: path.into(), line: 0, column: 0, message: message.into() });
        match layout.shape {
            Shape::Long if layout.period.is_none() || layout.value.is_none() => {
                return fail("a long layout names its `period` and `value` columns");
            }
            Shape::Wide if layout.period.is_some() || layout.value.is_some() => {
                return fail("`period` and `value` are for long layouts; a wide one reads months from its header");
            }
            _ => {}
        }
        if let FlowSpec::Rule(r) = &layout.flow {
            let given = usize::from(r.column.is_some())
                + usize::from(!r.file_name.is_empty())
                + usize::from(!r.line.is_empty());
            if given != 1 {
                return fail("`flow` is a flow (export, import), or one of { column: }, { file_name: } or { line: }");
            }
            if r.column.is_some() && r.values.is_empty() {
                return fail("`flow: { column: }` needs `values:`, each value with its flow (X: export)");
            }
        }
        if let Some(h) = &layout.hierarchy {
            if h.levels.is_empty() {
                return fail("`hierarchy` needs `levels`: the dimension of each level, from the top");
            }
            if (h.by == HierarchyBy::Parent) != h.column.is_some() {
                return fail("`hierarchy: { by: parent }` and only it names the parent's `column`");
            }
            if h.by == HierarchyBy::Code && layout.member.code.is_none() {
                return fail("`hierarchy: { by: code }` needs the member's `code` column");
            }
        }
        if layout.dimension == crate::dataset::TOTAL_DIMENSION {
            return fail("`dimension: total` is the reporter's total: name it with `total:` instead");
        }
        Ok(layout)
    }
}
