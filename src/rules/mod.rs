//! Stage 3: which facts are worth saying, chosen by rules written in YAML with CEL conditions.
//!
//! [`load`] reads and checks a rules file, compiling its conditions; [`reads`] is what a
//! condition can read of a member's figures; [`evaluate`] judges every member by every rule and
//! keeps the facts.

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/rules.rs"));
}
mod evaluate;
mod load;
mod plain;
use load::template_names;
mod reads;

pub use evaluate::{Partial, Root, combine, evaluate, evaluate_focus, evaluate_shared};
pub use load::check_condition;

use crate::dataset::{Basis, Flow, Period};
use crate::stats::Figures;
use cel::Program;
use reads::Reads;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where a rules file comes from: one built into the binary (the repository's `rules/`, named by
/// its file stem), or a file an office keeps of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RulesSource {
    /// A built-in rules file: `default`, `member`, `us-census`...
    Builtin(String),
    /// A rules file on disk.
    File(PathBuf),
}

impl RulesSource {
    /// The built-in rules file of this name, if there is one.
    pub fn builtin(name: &str) -> Option<RulesSource> {
        builtin_text(name).map(|_| RulesSource::Builtin(name.to_string()))
    }

    /// What `--rules` names: a built-in name (`us-census`), else a path to a file.
    pub fn parse(arg: &str) -> RulesSource {
        RulesSource::builtin(arg).unwrap_or_else(|| RulesSource::File(PathBuf::from(arg)))
    }

    /// The path messages name: the file, or `rules/<name>.yaml` for a built-in (the file in the
    /// repository it was built from, and the one `eject` writes).
    pub fn path(&self) -> PathBuf {
        match self {
            RulesSource::Builtin(name) => Path::new("rules").join(format!("{name}.yaml")),
            RulesSource::File(path) => path.clone(),
        }
    }

    /// The text of the rules.
    pub fn read(&self) -> Result<String, RulesError> {
        match self {
            RulesSource::Builtin(name) => Ok(builtin_text(name).expect("a built-in name is checked").to_string()),
            RulesSource::File(path) => crate::input::read_text(path, crate::input::MAX_RULES_BYTES)
                .map_err(|source| RulesError::Io { path: path.clone(), source, builtins: builtin_names().join(", ") }),
        }
    }
}

impl std::fmt::Display for RulesSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RulesSource::Builtin(name) => write!(f, "{name} (built in)"),
            RulesSource::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// The names of the built-in rules files, in order.
pub fn builtin_names() -> Vec<&'static str> {
    builtin::BUILTIN.iter().map(|(path, _)| path.strip_suffix(".yaml").unwrap_or(path)).collect()
}

/// Every built-in rules file as (file name, contents): what `eject` writes out.
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    builtin::BUILTIN
}

fn builtin_text(name: &str) -> Option<&'static str> {
    builtin::BUILTIN.iter().find(|(path, _)| path.strip_suffix(".yaml") == Some(name)).map(|(_, text)| *text)
}

/// Why a rules file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source} (the built-in rules are {builtins}: `--rules NAME` uses one)")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
        /// The names of the built-in rules, for the message.
        builtins: String,
    },
    /// Not valid YAML, or not the schema.
    #[error("{path}:{line}:{column}: {message}")]
    Yaml {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// One rule is wrong.
    #[error("{path}:{line}:{column}: rule `{rule}`: {message}")]
    Rule {
        /// The file.
        path: PathBuf,
        /// 1-based line: of the fault in a condition, else of the rule's `id`.
        line: usize,
        /// 1-based column, likewise.
        column: usize,
        /// The rule id.
        rule: String,
        /// What is wrong, with the condition and a caret under the fault where there is one.
        message: String,
    },
    /// The `params` block is wrong.
    #[error("{path}: params: {message}")]
    Params {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Which series a rule looks at.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Over {
    /// The dimension, `total` for the reporter's whole trade.
    pub dimension: String,
    /// The flow whose figures the condition reads.
    pub flow: Flow,
    /// Month alone or year to date.
    pub basis: Basis,
}

/// A loaded rule, its conditions compiled.
#[derive(Debug)]
pub struct Rule {
    /// Unique id.
    pub id: String,
    /// The section its facts go in.
    pub section: String,
    /// The series it looks at.
    pub over: Over,
    /// The condition as written.
    pub when: String,
    program: Program,
    /// The exception as written: a subject for which it is true is left out.
    pub unless: Option<String>,
    unless_program: Option<Program>,
    order_by: Vec<(String, bool)>,
    /// At most this many subjects.
    pub limit: Option<usize>,
    /// How important its facts are; the higher, the earlier.
    pub salience: i64,
    /// The sentence template for its facts.
    pub template: String,
    /// The template that turns its fact into a headline, if it can headline.
    pub headline: Option<String>,
    /// At most one rule of a group states a fact: the most salient that fires.
    pub group: Option<String>,
    /// Where it was written, for messages (`file:line`).
    pub origin: String,
    /// The line of its `id`.
    pub line: usize,
    /// What `when` reads, found once when the rules load.
    when_reads: Reads,
    /// What `unless` reads.
    unless_reads: Option<Reads>,
}

/// A rules file, loaded and compiled.
#[derive(Debug)]
pub struct RuleSet {
    /// The file it came from.
    pub path: PathBuf,
    /// Named thresholds the conditions refer to.
    pub params: BTreeMap<String, Param>,
    /// The dimensions the rules may look at; a dataset without one simply gets no facts from it.
    pub dimensions: Vec<String>,
    /// Sections in the order the bulletin gives them.
    pub sections: Vec<String>,
    /// Section id to the template of its heading (`sections/<name>`), for the sections that
    /// have one: a house style whose sections are numbered and open with a one-line verdict.
    pub headings: BTreeMap<String, String>,
    /// The rules in file order.
    pub rules: Vec<Rule>,
    /// The context conditions are evaluated in.
    root: Root,
}

/// A named threshold from the `params` block.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Param {
    /// A whole number.
    Int(i64),
    /// A number with decimals.
    Float(f64),
    /// Yes or no.
    Bool(bool),
}

impl Param {
    fn cel(self) -> cel::Value {
        match self {
            Param::Int(i) => cel::Value::Int(i),
            Param::Float(f) => cel::Value::Float(f),
            Param::Bool(b) => cel::Value::Bool(b),
        }
    }
}

/// The dimension under which a rules file for member bulletins (`generate --each DIMENSION`)
/// speaks of the member a bulletin is about: its rules are evaluated for that one member.
pub const FOCUS_DIMENSION: &str = "focus";

/// Variables a condition can read besides the figures.
pub const OTHER_VARIABLES: [&str; 7] = ["member", "dimension", "complete", "year", "month_of_year", "total", "flows"];

/// A series' figures by flow, shared: the facts of a bulletin about one member, and the
/// bulletins of one month, point at the same figures instead of copying them.
pub type FlowFigures = std::sync::Arc<BTreeMap<Flow, Figures>>;

fn shared_flows<S: serde::Serializer>(flows: &FlowFigures, s: S) -> Result<S::Ok, S::Error> {
    flows.as_ref().serialize(s)
}

/// One member a fact is about, with all its figures.
#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    /// Dimension id.
    pub dimension: String,
    /// Member id.
    pub member: String,
    /// Its figures by flow, on the rule's basis (shared by every fact about it).
    #[serde(serialize_with = "shared_flows")]
    pub flows: FlowFigures,
    /// The values the condition read, by variable.
    pub why: BTreeMap<String, Json>,
}

/// A notable fact: what a rule found.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    /// The rule that found it.
    pub rule: String,
    /// Where the rule is written.
    pub origin: String,
    /// The section it belongs in.
    pub section: String,
    /// How important it is.
    pub salience: i64,
    /// Its sentence template.
    pub template: String,
    /// Its headline template, if it can headline.
    pub headline: Option<String>,
    /// What the rule looked at.
    pub over: Over,
    /// The period.
    pub period: Period,
    /// The members it is about, in the rule's order.
    pub subjects: Vec<Subject>,
    /// The reporter's total figures by flow, on the same basis.
    #[serde(serialize_with = "shared_flows")]
    pub total: FlowFigures,
}

/// What one rule did with one period's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The rule id.
    pub rule: String,
    /// How many subjects it chose.
    pub chosen: usize,
    /// For each member it did not choose, why.
    pub rejected: Vec<(String, String)>,
}

/// Facts and the trail that led to them.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// The sections in order.
    pub sections: Vec<String>,
    /// Section id to the template of its heading, where it has one.
    pub headings: BTreeMap<String, String>,
    /// The facts, one per rule that fired.
    pub facts: Vec<Fact>,
    /// What every rule did.
    pub outcomes: Vec<Outcome>,
}

impl Rule {
    /// Whether the rule reads a variable (a figure, `complete`...) in its conditions or orders
    /// its members by it.
    pub fn reads(&self, var: &str) -> bool {
        self.when_reads.has(var)
            || self.unless_reads.as_ref().is_some_and(|r| r.has(var))
            || self.order_by.iter().any(|(key, _)| key == var)
    }
}

impl RuleSet {
    /// The templates the rules name, as `facts/<template>` and `headlines/<headline>`.
    pub fn template_names(&self) -> Vec<String> {
        template_names(self.rules.iter().map(|r| (&r.template, r.headline.as_ref())))
    }

    /// The rules about the member of a member bulletin (`over.dimension: focus`).
    pub fn focus_rules(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(|r| r.over.dimension == FOCUS_DIMENSION)
    }

    /// Whether the file writes member bulletins: it has a rule over `focus`.
    pub fn has_focus(&self) -> bool {
        self.focus_rules().next().is_some()
    }
}
