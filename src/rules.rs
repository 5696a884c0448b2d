//! Stage 3: which facts are worth saying, chosen by rules written in YAML with CEL conditions.

use crate::dataset::{Basis, Flow, Period, TOTAL_DIMENSION, TOTAL_MEMBER, yaml_message};
use crate::stats::{FIGURES, Figures, Kind, Num, Stats};
use cel::{Context, ExecutionError, Program};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Why a rules file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
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

/// A rules file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    params: BTreeMap<String, serde_yaml::Value>,
    #[serde(default)]
    dimensions: Vec<String>,
    sections: Vec<String>,
    rules: Vec<RuleSpec>,
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    section: String,
    over: Over,
    #[serde(default = "always")]
    when: String,
    #[serde(default)]
    unless: Option<String>,
    #[serde(default)]
    order_by: Vec<String>,
    #[serde(default)]
    limit: Option<usize>,
    #[serde(default)]
    salience: i64,
    template: String,
    #[serde(default)]
    headline: Option<String>,
    #[serde(default)]
    group: Option<String>,
}

fn always() -> String {
    "true".into()
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

/// What a condition reads: its variables, and the fields it reads under `total.` and `flows.`.
#[derive(Debug, Clone, Default)]
struct Reads {
    /// Every variable the condition names.
    vars: Vec<String>,
    /// `total.<figure>` as `(None, figure)`, `flows.<flow>.<figure>` as `(Some(flow), figure)`,
    /// outside `has(...)`.
    fields: Vec<(Option<Flow>, String)>,
    /// Every `total.<figure>` and `flows.<flow>.<figure>` written, for the trail.
    tokens: Vec<String>,
}

impl Reads {
    fn of(source: &str, program: &Program) -> Reads {
        let tokens = source
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .filter(|t| {
                let parts: Vec<&str> = t.split('.').collect();
                matches!(parts.as_slice(), ["total", _] | ["flows", _, _])
            })
            .map(String::from)
            .collect();
        Reads {
            vars: program.references().variables().into_iter().map(String::from).collect(),
            fields: field_reads(source),
            tokens,
        }
    }

    fn has(&self, var: &str) -> bool {
        self.vars.iter().any(|v| v == var)
    }
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

/// A fault in a condition: what, and where in the condition's text.
struct CondError {
    offset: Option<usize>,
    message: String,
}

impl RuleSet {
    /// Loads one rules file, compiling and checking every condition.
    pub fn load(path: &Path) -> Result<RuleSet, RulesError> {
        Ok(Self::load_with(path, |_| ())?.0)
    }

    /// Loads rules, handing `named` the templates they name (`facts/<name>`, `headlines/<name>`)
    /// as soon as the file is read, before its conditions are compiled: the templates can be
    /// compiled meanwhile. What `named` returns comes back beside the rules.
    pub fn load_with<T>(path: &Path, named: impl FnOnce(Vec<String>) -> T) -> Result<(RuleSet, T), RulesError> {
        let text = std::fs::read_to_string(path).map_err(|source| RulesError::Io { path: path.into(), source })?;
        Self::parse_with(path, &text, named)
    }

    /// Parses rules from text; `path` is for messages.
    pub fn parse(path: &Path, text: &str) -> Result<RuleSet, RulesError> {
        Ok(Self::parse_with(path, text, |_| ())?.0)
    }

    fn parse_with<T>(
        path: &Path,
        text: &str,
        named: impl FnOnce(Vec<String>) -> T,
    ) -> Result<(RuleSet, T), RulesError> {
        let file: RulesFile = serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            RulesError::Yaml { path: path.into(), line, column, message: yaml_message(&e) }
        })?;
        let given = named(template_names(file.rules.iter().map(|r| (&r.template, r.headline.as_ref()))));
        let params = parse_params(path, &file.params)?;
        let samples = samples(&params);
        let mut seen = HashSet::new();
        let mut rules = Vec::new();
        for spec in file.rules {
            // A repeated id is refused at its second use, so that is the one to point at.
            let nth = usize::from(seen.contains(&spec.id));
            let (line, column) = position_of_rule(text, &spec.id, nth);
            let fail =
                |message: String| RulesError::Rule { path: path.into(), line, column, rule: spec.id.clone(), message };
            if !seen.insert(spec.id.clone()) {
                return Err(fail("a rule with this id is already defined above".into()));
            }
            let dim = &spec.over.dimension;
            if dim != TOTAL_DIMENSION && !file.dimensions.contains(dim) {
                return Err(fail(format!(
                    "over: dimension `{dim}` is not declared in the file's `dimensions` ({}); \
                     declare the dimensions the rules use, so that a misspelt one is caught",
                    file.dimensions.join(", ")
                )));
            }
            if !file.sections.contains(&spec.section) {
                return Err(fail(format!(
                    "section `{}` is not listed in `sections` ({})",
                    spec.section,
                    file.sections.join(", ")
                )));
            }
            let condition = |key: &str, source: &str| {
                compile(source, &params, &samples).map_err(|e| {
                    let (l, c) = position_in_condition(text, line, key, e.offset);
                    RulesError::Rule {
                        path: path.into(),
                        line: l,
                        column: c,
                        rule: spec.id.clone(),
                        message: e.message,
                    }
                })
            };
            let program = condition("when", &spec.when)?;
            let unless_program = spec.unless.as_deref().map(|u| condition("unless", u)).transpose()?;
            let mut order_by = Vec::new();
            for key in &spec.order_by {
                let (name, desc) = match key.strip_prefix('-') {
                    Some(n) => (n, true),
                    None => (key.as_str(), false),
                };
                if !FIGURES.iter().any(|(f, kind, _)| *f == name && *kind != Kind::Bool) {
                    return Err(fail(format!("order_by: `{name}` is not a figure ({})", figure_names())));
                }
                order_by.push((name.to_string(), desc));
            }
            let when_reads = Reads::of(&spec.when, &program);
            let unless_reads = spec.unless.as_deref().zip(unless_program.as_ref()).map(|(s, p)| Reads::of(s, p));
            rules.push(Rule {
                when_reads,
                unless_reads,
                origin: format!("{}:{}", path.display(), line),
                line,
                id: spec.id,
                section: spec.section,
                over: spec.over,
                when: spec.when,
                program,
                unless: spec.unless,
                unless_program,
                order_by,
                limit: spec.limit,
                salience: spec.salience,
                template: spec.template,
                headline: spec.headline,
                group: spec.group,
            });
        }
        let root = Root::new(&params);
        let set =
            RuleSet { path: path.into(), params, dimensions: file.dimensions, sections: file.sections, rules, root };
        Ok((set, given))
    }

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

fn parse_params(path: &Path, raw: &BTreeMap<String, serde_yaml::Value>) -> Result<BTreeMap<String, Param>, RulesError> {
    let fail = |message: String| Err(RulesError::Params { path: path.into(), message });
    let mut params = BTreeMap::new();
    for (name, value) in raw {
        let identifier = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !identifier {
            return fail(format!("`{name}` is not a name a condition can use (letters, digits and _)"));
        }
        if FIGURES.iter().any(|(f, _, _)| f == name) || OTHER_VARIABLES.contains(&name.as_str()) {
            return fail(format!("`{name}` is already a figure or variable; choose another name"));
        }
        let param = match value {
            serde_yaml::Value::Bool(b) => Param::Bool(*b),
            serde_yaml::Value::Number(n) if n.is_i64() => Param::Int(n.as_i64().expect("checked")),
            serde_yaml::Value::Number(n) => match n.as_f64() {
                Some(f) if f.is_finite() => Param::Float(f),
                _ => return fail(format!("`{name}`: {n} is not a usable number")),
            },
            other => return fail(format!("`{name}` must be a number or true/false, not {other:?}")),
        };
        params.insert(name.clone(), param);
    }
    Ok(params)
}

fn figure_names() -> String {
    FIGURES.iter().map(|(f, _, _)| *f).collect::<Vec<_>>().join(", ")
}

/// Where the `nth` (from 0) `id: <rule>` is written (1-based line and column of `id`), so
/// messages point into the YAML; a comment after the id is allowed.
fn position_of_rule(text: &str, id: &str, nth: usize) -> (usize, usize) {
    let mut found = 0;
    for (i, l) in text.lines().enumerate() {
        let body = l.trim_start().trim_start_matches("- ").trim_start();
        let value = body.strip_prefix("id:").map(|rest| rest.split(" #").next().unwrap_or_default().trim());
        if value.is_some_and(|v| v.trim_matches(|c| c == '"' || c == '\'') == id) {
            if found == nth {
                return (i + 1, l.len() - body.len() + 1);
            }
            found += 1;
        }
    }
    (0, 0)
}

/// The line and column in the file of `offset` within the rule's `key:` condition, where the
/// condition is written on one line; else the position of the key itself.
fn position_in_condition(text: &str, rule_line: usize, key: &str, offset: Option<usize>) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let start = rule_line.saturating_sub(1);
    for (i, l) in lines.iter().enumerate().skip(start + 1) {
        let body = l.trim_start();
        if body.starts_with("- ") {
            break;
        }
        if let Some(rest) = body.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let key_col = l.len() - body.len();
            let value = rest.trim_start();
            let mut col = key_col + key.len() + 1 + (rest.len() - value.len());
            if value.starts_with('"') || value.starts_with('\'') {
                col += 1;
            }
            return (i + 1, col + offset.unwrap_or(0) + 1);
        }
    }
    (rule_line, 1)
}

/// The offset of the operator CEL names in an overload error (`_>_`), for the caret.
fn operator_offset(source: &str, function: &str) -> Option<usize> {
    let op = function.trim_matches('_');
    let bytes = source.as_bytes();
    source.match_indices(op).map(|(i, _)| i).find(|&i| {
        // `>` must not be the start of `>=`, nor the end of `<=`, `>=`, `==` or `!=`.
        let next = bytes.get(i + op.len()).copied();
        let prev = i.checked_sub(1).map(|p| bytes[p]);
        !(op.len() == 1 && (next == Some(b'=') || matches!(prev, Some(b'<' | b'>' | b'=' | b'!'))))
    })
}

fn caret(source: &str, offset: usize, note: &str) -> String {
    format!("\n  {source}\n  {}^ {note}", " ".repeat(offset))
}

/// Compiles and type-checks one condition as a rules file without `params` would: `Err` holds
/// the message, with a caret under the fault.
pub fn check_condition(source: &str) -> Result<(), String> {
    let params = BTreeMap::new();
    compile(source, &params, &samples(&params)).map(|_| ()).map_err(|e| e.message)
}

/// The templates of rules given as (fact template, headline template).
fn template_names<'a>(rules: impl Iterator<Item = (&'a String, Option<&'a String>)>) -> Vec<String> {
    rules
        .flat_map(|(fact, headline)| {
            std::iter::once(format!("facts/{fact}")).chain(headline.map(|h| format!("headlines/{h}")))
        })
        .collect()
}

/// Compiles a condition and checks it against a context where every variable is present, so
/// that unknown names and type errors fail when the rules load rather than when a month's data
/// happens to reach them.
fn compile(source: &str, params: &BTreeMap<String, Param>, samples: &[Context]) -> Result<Program, CondError> {
    let program = Program::compile(source).map_err(|e| {
        // The parser counts columns from 1.
        let offset = |err: &cel::ParseError| (err.pos.1 - 1).max(0) as usize;
        let first = e.errors.first().map(offset);
        let mut message = "condition does not parse:".to_string();
        for err in &e.errors {
            message.push_str(&caret(source, offset(err), &err.msg));
        }
        CondError { offset: first, message }
    })?;
    for var in program.references().variables() {
        let known =
            FIGURES.iter().any(|(f, _, _)| *f == var) || OTHER_VARIABLES.contains(&var) || params.contains_key(var);
        if !known {
            let offset = find_identifier(source, var);
            let note = format!("the figures are {}; also {}", figure_names(), OTHER_VARIABLES.join(", "));
            let note = if params.is_empty() {
                note
            } else {
                format!("{note}; params {}", params.keys().cloned().collect::<Vec<_>>().join(", "))
            };
            return Err(CondError {
                offset,
                message: format!("unknown variable `{var}` in condition:{}", caret(source, offset.unwrap_or(0), &note)),
            });
        }
    }
    for ctx in samples {
        check_sample(&program, ctx, source)?;
    }
    Ok(program)
}

/// The contexts every condition is checked against, made once for a rules file. Two samples, so
/// that each side of `&&` and `||` is reached in one of them: in the first every flag is true and
/// every count large, in the second every flag false and every count 0.
fn samples(params: &BTreeMap<String, Param>) -> Vec<Context<'static, 'static>> {
    [Sample::High, Sample::Low]
        .into_iter()
        .map(|sample| {
            let mut ctx = Context::default();
            bind_sample(&mut ctx, params, sample);
            ctx
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Sample {
    High,
    Low,
}

fn check_sample(program: &Program, ctx: &Context, source: &str) -> Result<(), CondError> {
    match program.execute(ctx) {
        Ok(cel::Value::Bool(_)) => Ok(()),
        Ok(other) => {
            Err(CondError { offset: None, message: format!("condition `{source}` gives {other:?}, not true or false") })
        }
        Err(e) => {
            let offset = match &e {
                ExecutionError::NoSuchOverload(o) => operator_offset(source, o.function()),
                ExecutionError::NoSuchKey(k) => find_identifier(source, k),
                _ => None,
            };
            let message = format!("type error in condition:{}", caret(source, offset.unwrap_or(0), &e.to_string()));
            Err(CondError { offset, message })
        }
    }
}

/// The offset of `name` as a whole identifier in `source`.
fn find_identifier(source: &str, name: &str) -> Option<usize> {
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let bytes = source.as_bytes();
    source.match_indices(name).map(|(i, _)| i).find(|&i| {
        let before = i.checked_sub(1).map(|p| bytes[p]);
        let after = bytes.get(i + name.len()).copied();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

fn bind_sample(ctx: &mut Context, params: &BTreeMap<String, Param>, sample: Sample) {
    let high = sample == Sample::High;
    let mut sample = HashMap::new();
    for (name, kind, _) in FIGURES {
        let v = match kind {
            Kind::Int => Num::Int(if high { 9999 } else { 0 }),
            Kind::Amount | Kind::Rate => Num::Dec(if high { Decimal::ONE_HUNDRED } else { -Decimal::ONE_HUNDRED }),
            Kind::Bool => Num::Bool(high),
        };
        ctx.add_variable_from_value(name, cel_value(v, kind));
        sample.insert(name.to_string(), cel_value(v, kind));
    }
    for (name, p) in params {
        ctx.add_variable_from_value(name.as_str(), p.cel());
    }
    ctx.add_variable_from_value("member", "m");
    ctx.add_variable_from_value("dimension", "d");
    ctx.add_variable_from_value("complete", high);
    ctx.add_variable_from_value("year", if high { 9999i64 } else { 0 });
    ctx.add_variable_from_value("month_of_year", if high { 12i64 } else { 1 });
    ctx.add_variable_from_value("total", sample.clone());
    let flows: HashMap<String, cel::Value> =
        Flow::ALL.iter().map(|f| (f.as_str().to_string(), cel::Value::from(sample.clone()))).collect();
    ctx.add_variable_from_value("flows", flows);
}

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
    /// The facts, one per rule that fired.
    pub facts: Vec<Fact>,
    /// What every rule did.
    pub outcomes: Vec<Outcome>,
}

/// Evaluates every rule over one period's figures.
pub fn evaluate(rules: &RuleSet, stats: &Stats) -> Result<Evaluation, RulesError> {
    let part = evaluate_where(rules, stats, |_| true)?;
    Ok(combine(rules, &Partial::default(), part))
}

/// Facts found by some of a file's rules, before the rules' groups are resolved: what a period's
/// shared rules found once, or what its `focus` rules found for one member. [`combine`] joins them.
#[derive(Debug, Clone, Default)]
pub struct Partial {
    /// Each fact with the index of its rule in the file, in file order.
    facts: Vec<(usize, Fact)>,
    /// What each rule evaluated did, with the index of the rule.
    outcomes: Vec<(usize, Outcome)>,
}

impl Partial {
    /// How many rules fired.
    pub fn facts(&self) -> usize {
        self.facts.len()
    }
}

/// Evaluates the rules that are not about the focus member (`total` and other dimensions), once
/// for a period; every member's bulletin shares what they find.
pub fn evaluate_shared(rules: &RuleSet, stats: &Stats) -> Result<Partial, RulesError> {
    evaluate_where(rules, stats, |r| r.over.dimension != FOCUS_DIMENSION)
}

/// Evaluates the `focus` rules for one member of `dimension`: its figures, ranks and shares are
/// those the statistics computed among all the dimension's members, so a condition on a rank is
/// as true of it as in a bulletin that lists every member. Its facts are about
/// `dimension`/`member`.
pub fn evaluate_focus(rules: &RuleSet, stats: &Stats, dimension: &str, member: &str) -> Result<Partial, RulesError> {
    let root = &rules.root;
    let complete = stats.meta.complete.iter().any(|d| d == dimension);
    let mut part = Partial::default();
    let mut views: HashMap<Basis, (View, View)> = HashMap::new();
    for (i, rule) in rules.rules.iter().enumerate().filter(|(_, r)| r.over.dimension == FOCUS_DIMENSION) {
        let over = Over { dimension: dimension.to_string(), ..rule.over.clone() };
        let (view, total) = views.entry(over.basis).or_insert_with(|| {
            (View::of(stats, dimension, member, over.basis), View::of(stats, TOTAL_DIMENSION, TOTAL_MEMBER, over.basis))
        });
        let (chosen, rejected) = match judge(rules, rule, &over, stats, root, total, view, complete, member)? {
            Ok(subject) => (vec![subject], vec![]),
            Err(why) => (vec![], vec![(member.to_string(), why)]),
        };
        push_fact(&mut part, i, rule, over, stats.period, chosen, rejected, &total.flows);
    }
    Ok(part)
}

/// Joins what the shared rules found with what the focus rules found for one member, in the rules
/// file's order, and keeps of each group only the most salient fact.
pub fn combine(rules: &RuleSet, shared: &Partial, focus: Partial) -> Evaluation {
    let mut facts: Vec<(usize, Fact)> = shared.facts.iter().cloned().chain(focus.facts).collect();
    let mut outcomes: Vec<(usize, Outcome)> = shared.outcomes.iter().cloned().chain(focus.outcomes).collect();
    // Stable: one index has at most one fact and one outcome.
    facts.sort_by_key(|(i, _)| *i);
    outcomes.sort_by_key(|(i, _)| *i);
    let mut facts: Vec<Fact> = facts.into_iter().map(|(_, f)| f).collect();
    let mut outcomes: Vec<Outcome> = outcomes.into_iter().map(|(_, o)| o).collect();
    resolve_groups(rules, &mut facts, &mut outcomes);
    Evaluation { sections: rules.sections.clone(), facts, outcomes }
}

/// The context every condition is evaluated in: the params, set up once when the rules load.
pub struct Root(Context<'static, 'static>);

impl Root {
    fn new(params: &BTreeMap<String, Param>) -> Root {
        let mut root = Context::default();
        for (name, p) in params {
            root.add_variable_from_value(name.as_str(), p.cel());
        }
        Root(root)
    }
}

impl std::ops::Deref for Root {
    type Target = Context<'static, 'static>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::fmt::Debug for Root {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Root")
    }
}

/// One member's figures on one basis, by flow, looked up once for all the rules that read them.
struct View {
    flows: FlowFigures,
}

impl View {
    fn of(stats: &Stats, dimension: &str, member: &str, basis: Basis) -> View {
        View { flows: std::sync::Arc::new(flows_of(stats, dimension, member, basis)) }
    }
}

/// Evaluates the rules `which` picks over every member of their dimensions.
fn evaluate_where(rules: &RuleSet, stats: &Stats, which: impl Fn(&Rule) -> bool) -> Result<Partial, RulesError> {
    let root = &rules.root;
    let mut part = Partial::default();
    let members = members_by_dimension(stats);
    let mut views: HashMap<(&str, &str, Basis), View> = HashMap::new();
    let mut totals: HashMap<Basis, View> = HashMap::new();
    for (i, rule) in rules.rules.iter().enumerate().filter(|(_, r)| which(r)) {
        let basis = rule.over.basis;
        let total = &*totals.entry(basis).or_insert_with(|| View::of(stats, TOTAL_DIMENSION, TOTAL_MEMBER, basis));
        let complete = stats.meta.complete.contains(&rule.over.dimension);
        let mut chosen = Vec::new();
        let mut rejected = Vec::new();
        for member in members.get(rule.over.dimension.as_str()).into_iter().flatten() {
            let dim = rule.over.dimension.as_str();
            let view = views.entry((dim, member, basis)).or_insert_with(|| View::of(stats, dim, member, basis));
            match judge(rules, rule, &rule.over, stats, root, total, view, complete, member)? {
                Ok(subject) => chosen.push(subject),
                Err(why) => rejected.push((member.clone(), why)),
            }
        }
        sort_subjects(&mut chosen, rule);
        if let Some(limit) = rule.limit {
            for s in chosen.drain(limit.min(chosen.len())..) {
                rejected.push((s.member, format!("beyond the limit of {limit}")));
            }
        }
        push_fact(&mut part, i, rule, rule.over.clone(), stats.period, chosen, rejected, &total.flows);
    }
    Ok(part)
}

/// Records what one rule did, and its fact if it chose any member.
#[allow(clippy::too_many_arguments)]
fn push_fact(
    part: &mut Partial,
    index: usize,
    rule: &Rule,
    over: Over,
    period: Period,
    chosen: Vec<Subject>,
    rejected: Vec<(String, String)>,
    total: &FlowFigures,
) {
    part.outcomes.push((index, Outcome { rule: rule.id.clone(), chosen: chosen.len(), rejected }));
    if !chosen.is_empty() {
        part.facts.push((
            index,
            Fact {
                rule: rule.id.clone(),
                origin: rule.origin.clone(),
                section: rule.section.clone(),
                salience: rule.salience,
                template: rule.template.clone(),
                headline: rule.headline.clone(),
                over,
                period,
                subjects: chosen,
                total: total.clone(),
            },
        ));
    }
}

/// Whether one member meets a rule, reading its figures of `over` (the rule's own, or for a focus
/// rule the member's real dimension): `Ok(Ok(subject))` if it does, `Ok(Err(why not))` if not.
/// Only the variables the rule's conditions name are given to them.
#[allow(clippy::too_many_arguments)]
fn judge(
    rules: &RuleSet,
    rule: &Rule,
    over: &Over,
    stats: &Stats,
    root: &Context,
    total: &View,
    view: &View,
    complete: bool,
    member: &str,
) -> Result<Result<Subject, String>, RulesError> {
    let basis = over.basis;
    let flows = &view.flows;
    let Some(own) = flows.get(&over.flow) else {
        return Ok(Err(format!("no {} {} value", over.flow, basis)));
    };
    let total_own = total.flows.get(&over.flow);
    let reads: Vec<&Reads> = std::iter::once(&rule.when_reads).chain(&rule.unless_reads).collect();
    let reads_var = |name: &str| reads.iter().any(|r| r.has(name));
    let mut ctx = root.new_inner_scope();
    for (name, kind, _) in FIGURES.iter().filter(|(name, _, _)| reads_var(name)) {
        if let Some(n) = own.get(name) {
            ctx.add_variable_from_value(*name, cel_value(n, *kind));
        }
    }
    ctx.add_variable_from_value("member", member);
    ctx.add_variable_from_value("dimension", over.dimension.as_str());
    ctx.add_variable_from_value("complete", complete);
    ctx.add_variable_from_value("year", stats.period.year as i64);
    ctx.add_variable_from_value("month_of_year", stats.period.month as i64);
    if let Some(t) = total_own.filter(|_| reads_var("total")) {
        ctx.add_variable_from_value("total", figure_map(t));
    }
    if reads_var("flows") {
        let flow_maps: HashMap<String, cel::Value> =
            flows.iter().map(|(f, fig)| (f.as_str().to_string(), cel::Value::from(figure_map(fig)))).collect();
        ctx.add_variable_from_value("flows", flow_maps);
    }
    let mut why = BTreeMap::new();
    for r in &reads {
        read_values(r, own, total_own, flows, &rules.params, &mut why);
    }
    let others = [
        ("member", json!(member)),
        ("dimension", json!(over.dimension)),
        ("complete", json!(complete)),
        ("year", json!(stats.period.year)),
        ("month_of_year", json!(stats.period.month)),
    ];
    for (name, value) in others {
        if reads_var(name) {
            why.insert(name.to_string(), value);
        }
    }
    // A figure the condition names that this member lacks.
    let lacks = |v: &String| FIGURES.iter().any(|(f, _, _)| f == v) && own.get(v).is_none();
    // A condition that reads an absent figure is not met, even where CEL would let `||`
    // or `&&` pass over the missing side.
    let reads_absent = |r: &Reads| {
        let flat = r.vars.iter().any(lacks);
        flat || r.fields.iter().any(|(flow, fig)| {
            let figures = match flow {
                None => total_own,
                Some(f) => flows.get(f),
            };
            figures.is_none_or(|f| f.get(fig).is_none())
        })
    };
    let verdict = |program: &Program, source: &str, r: &Reads| match program.execute(&ctx) {
        _ if reads_absent(r) => Ok(None),
        Ok(cel::Value::Bool(b)) => Ok(Some(b)),
        Ok(other) => Err(format!("condition `{source}` gave {other:?} for `{member}`")),
        // A figure the condition reads is absent for this member: the condition is not met.
        Err(ExecutionError::UndeclaredReference(_)) | Err(ExecutionError::NoSuchKey(_)) => Ok(None),
        Err(e) => Err(format!("condition `{source}` failed for `{member}`: {e}")),
    };
    let fail = |message: String| RulesError::Rule {
        path: rules.path.clone(),
        line: rule.line,
        column: 0,
        rule: rule.id.clone(),
        message,
    };
    let absent = |r: &Reads| {
        let missing: Vec<String> = r.vars.iter().filter(|v| lacks(v)).map(|v| format!("`{v}`")).collect();
        if missing.is_empty() {
            "a figure the condition reads cannot be computed".to_string()
        } else {
            format!("{} cannot be computed", missing.join(", "))
        }
    };
    Ok(match verdict(&rule.program, &rule.when, &rule.when_reads).map_err(fail)? {
        None => Err(absent(&rule.when_reads)),
        Some(false) => Err(format!("`{}` is false: {}", rule.when, show(&why))),
        Some(true) => {
            let except = match (&rule.unless, &rule.unless_program, &rule.unless_reads) {
                (Some(source), Some(program), Some(r)) => verdict(program, source, r).map_err(fail)?,
                _ => Some(false),
            };
            if except == Some(true) {
                let source = rule.unless.as_deref().unwrap_or_default();
                Err(format!("unless `{source}` is true: {}", show(&why)))
            } else {
                Ok(Subject {
                    dimension: over.dimension.clone(),
                    member: member.to_string(),
                    flows: view.flows.clone(),
                    why,
                })
            }
        }
    })
}

/// Keeps, of the facts whose rules share a group, only the most salient (the first written on a tie).
fn resolve_groups(rules: &RuleSet, facts: &mut Vec<Fact>, outcomes: &mut [Outcome]) {
    let group_of = |id: &str| rules.rules.iter().find(|r| r.id == id).and_then(|r| r.group.clone());
    let mut winners: BTreeMap<String, (i64, String)> = BTreeMap::new();
    for f in facts.iter() {
        if let Some(g) = group_of(&f.rule) {
            let best = winners.entry(g).or_insert((f.salience, f.rule.clone()));
            if f.salience > best.0 {
                *best = (f.salience, f.rule.clone());
            }
        }
    }
    facts.retain(|f| {
        let Some(g) = group_of(&f.rule) else {
            return true;
        };
        let winner = &winners[&g].1;
        if winner == &f.rule {
            return true;
        }
        if let Some(o) = outcomes.iter_mut().find(|o| o.rule == f.rule) {
            for s in &f.subjects {
                o.rejected.push((s.member.clone(), format!("rule `{winner}` of group `{g}` fired instead")));
            }
            o.chosen = 0;
        }
        false
    });
}

/// The fields a condition reads outside `has(...)`: `total.<figure>` as `(None, figure)`,
/// `flows.<flow>.<figure>` as `(Some(flow), figure)`. A read inside `has()` only asks whether the
/// figure exists, so it is not a read of an absent figure.
fn field_reads(source: &str) -> Vec<(Option<Flow>, String)> {
    let mut out = Vec::new();
    let is_token = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    let mut i = 0;
    let chars: Vec<(usize, char)> = source.char_indices().collect();
    while i < chars.len() {
        if !is_token(chars[i].1) {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        while i < chars.len() && is_token(chars[i].1) {
            i += 1;
        }
        let end = chars.get(i).map_or(source.len(), |c| c.0);
        let token = &source[start..end];
        let inside_has = source[..start].trim_end().ends_with("has(");
        let parts: Vec<&str> = token.split('.').collect();
        match parts.as_slice() {
            ["total", fig] if !inside_has => out.push((None, fig.to_string())),
            ["flows", flow, fig] if !inside_has => {
                if let Ok(f) = flow.parse() {
                    out.push((Some(f), fig.to_string()));
                }
            }
            _ => {}
        }
    }
    out
}

/// Records the values a condition reads: its figures, `total.<figure>`, `flows.<flow>.<figure>`,
/// its params, and the other variables, as the condition saw them.
fn read_values(
    reads: &Reads,
    own: &Figures,
    total: Option<&Figures>,
    flows: &BTreeMap<Flow, Figures>,
    params: &BTreeMap<String, Param>,
    why: &mut BTreeMap<String, Json>,
) {
    let shown = |f: &Figures, name: &str| {
        let kind = FIGURES.iter().find(|(n, _, _)| *n == name).map(|(_, k, _)| *k)?;
        f.get(name).map(|n| why_json(n, kind))
    };
    for var in &reads.vars {
        if let Some(v) = shown(own, var) {
            why.insert(var.to_string(), v);
        } else if let Some(p) = params.get(var) {
            why.insert(var.to_string(), json!(p));
        }
    }
    // Field reads (`total.yoy_pct`, `flows.import.value`) are found in the text of the condition.
    for token in &reads.tokens {
        let parts: Vec<&str> = token.split('.').collect();
        let value = match parts.as_slice() {
            ["total", fig] => total.and_then(|t| shown(t, fig)),
            ["flows", flow, fig] => flow.parse::<Flow>().ok().and_then(|f| flows.get(&f)).and_then(|f| shown(f, fig)),
            _ => continue,
        };
        why.insert(token.to_string(), value.unwrap_or(Json::Null));
    }
}

fn show(why: &BTreeMap<String, Json>) -> String {
    if why.is_empty() {
        return "this member".into();
    }
    let plain = |v: &Json| v.as_str().map_or_else(|| v.to_string(), str::to_string);
    why.iter().map(|(k, v)| format!("{k} = {}", plain(v))).collect::<Vec<_>>().join(", ")
}

fn members_by_dimension(stats: &Stats) -> BTreeMap<&str, Vec<String>> {
    let mut out: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for s in &stats.series {
        let list = out.entry(s.dimension.as_str()).or_default();
        if !list.contains(&s.member) {
            list.push(s.member.clone());
        }
    }
    out
}

fn flows_of(stats: &Stats, dimension: &str, member: &str, basis: Basis) -> BTreeMap<Flow, Figures> {
    Flow::ALL.iter().filter_map(|&f| stats.get(dimension, member, f, basis).map(|fig| (f, fig.clone()))).collect()
}

/// A figure as CEL reads it, for comparison only (nothing printed comes from these): amounts as
/// doubles, rates and points rounded first to the one decimal the bulletin prints.
fn cel_value(n: Num, kind: Kind) -> cel::Value {
    match n {
        Num::Dec(d) if kind == Kind::Rate => cel::Value::Float(
            d.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .to_f64()
                .unwrap_or(f64::NAN),
        ),
        Num::Dec(d) => cel::Value::Float(d.to_f64().unwrap_or(f64::NAN)),
        Num::Int(i) => cel::Value::Int(i),
        Num::Bool(b) => cel::Value::Bool(b),
    }
}

/// A figure as the explain trail shows it: what the condition read, decimals as their digits.
fn why_json(n: Num, kind: Kind) -> Json {
    match n {
        Num::Dec(d) if kind == Kind::Rate => {
            json!(d.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero).to_string())
        }
        Num::Dec(d) => json!(d.normalize().to_string()),
        Num::Int(i) => json!(i),
        Num::Bool(b) => json!(b),
    }
}

fn figure_values(f: &Figures) -> impl Iterator<Item = (&'static str, Num, Kind)> + '_ {
    FIGURES.iter().filter_map(|(name, kind, _)| f.get(name).map(|n| (*name, n, *kind)))
}

fn figure_map(f: &Figures) -> HashMap<String, cel::Value> {
    figure_values(f).map(|(k, n, kind)| (k.to_string(), cel_value(n, kind))).collect()
}

fn figure(f: &Figures, name: &str) -> Option<Decimal> {
    match f.get(name)? {
        Num::Dec(d) => Some(d),
        Num::Int(i) => Some(Decimal::from(i)),
        Num::Bool(_) => None,
    }
}

/// Orders subjects by the rule's keys; a missing figure sorts last, and the member id breaks ties
/// so that the order never depends on the order of the data.
fn sort_subjects(subjects: &mut [Subject], rule: &Rule) {
    let flow = rule.over.flow;
    subjects.sort_by(|a, b| {
        for (key, desc) in &rule.order_by {
            let fa = a.flows.get(&flow).and_then(|f| figure(f, key));
            let fb = b.flows.get(&flow).and_then(|f| figure(f, key));
            let ord = match (fa, fb) {
                (Some(x), Some(y)) if *desc => y.cmp(&x),
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            if ord.is_ne() {
                return ord;
            }
        }
        a.member.cmp(&b.member)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(rules: &str) -> String {
        RuleSet::parse(Path::new("rules/test.yaml"), rules).unwrap_err().to_string()
    }

    const HEAD: &str = "dimensions: [partner]\nsections: [partners]\nrules:\n";

    fn rule(when: &str) -> String {
        format!(
            "{HEAD}  - id: fast\n    section: partners\n    over: {{ dimension: partner, flow: total, basis: ytd }}\n    when: \"{when}\"\n    template: t\n"
        )
    }

    #[test]
    fn a_syntax_error_points_at_its_column() {
        // The condition starts at column 12 of line 7, so the end of the expression (offset 9) is column 21.
        let e = err(&rule("yoy_pct >"));
        assert!(e.starts_with("rules/test.yaml:7:21: rule `fast`: condition does not parse:"), "{e}");
        assert!(e.contains("\n  yoy_pct >\n           ^ "), "{e}");
    }

    #[test]
    fn an_unknown_variable_points_at_itself() {
        let e = err(&rule("share_pct >= 5.0 && gap > 0.0"));
        assert!(e.starts_with("rules/test.yaml:7:32: rule `fast`: unknown variable `gap` in condition:"), "{e}");
        assert!(
            e.contains("\n  share_pct >= 5.0 && gap > 0.0\n                      ^ the figures are value, "),
            "{e}"
        );
    }

    #[test]
    fn a_type_error_points_at_the_operator() {
        let e = err(&rule("yoy_pct >= 1.0 && yoy_pct > 'a'"));
        assert!(e.starts_with("rules/test.yaml:7:38: rule `fast`: type error in condition:"), "{e}");
        assert!(e.contains("\n  yoy_pct >= 1.0 && yoy_pct > 'a'\n                            ^ "), "{e}");
        let e = err(&rule("total.nope > 1.0"));
        assert!(e.starts_with("rules/test.yaml:7:18: rule `fast`: type error in condition:"), "{e}");
        assert!(e.contains("No such key: nope"), "{e}");
        let e = err(&rule("yoy_pct + 1.0"));
        assert!(e.contains("rule `fast`: condition `yoy_pct + 1.0` gives Float(101.0), not true or false"), "{e}");
    }

    #[test]
    fn schema_errors_name_line_and_column() {
        let e = err(&format!("{HEAD}  - id: fast\n    sction: partners\n"));
        assert!(e.starts_with("rules/test.yaml:5:5: "), "{e}");
        assert!(e.contains("unknown field `sction`"), "{e}");
        let e = err(&rule("true").replace("flow: total", "flow: outflow"));
        assert!(e.starts_with("rules/test.yaml:6:39: rules[0].over.flow: unknown variant `outflow`"), "{e}");
    }

    #[test]
    fn duplicate_ids_and_unknown_sections_are_refused() {
        let one = "  - id: a\n    section: partners\n    over: { dimension: partner, flow: total, basis: ytd }\n    template: t\n";
        let e = err(&format!("{HEAD}{one}{one}"));
        assert!(e.starts_with("rules/test.yaml:8:5: rule `a`: a rule with this id is already defined above"), "{e}");
        let e = err(&format!("{HEAD}{}", one.replace("section: partners", "section: nowhere")));
        assert!(e.contains("section `nowhere` is not listed in `sections` (partners)"), "{e}");
    }

    #[test]
    fn a_dimension_must_be_declared() {
        let e = err(&rule("true").replace("dimension: partner,", "dimension: partnr,"));
        assert!(
            e.starts_with("rules/test.yaml:4:5: rule `fast`: over: dimension `partnr` is not declared in the file's `dimensions` (partner)"),
            "{e}"
        );
    }

    #[test]
    fn params_are_named_thresholds() {
        let text =
            format!("params:\n  major_share: 5.0\n  top: 3\n{}", rule("share_pct >= major_share && rank_value <= top"));
        let set = RuleSet::parse(Path::new("rules/test.yaml"), &text).unwrap();
        assert_eq!(set.params["major_share"], Param::Float(5.0));
        assert_eq!(set.params["top"], Param::Int(3));
        let e = err(&format!("params:\n  yoy_pct: 5.0\n{}", rule("true")));
        assert_eq!(e, "rules/test.yaml: params: `yoy_pct` is already a figure or variable; choose another name");
        let e = err(&format!("params:\n  level: high\n{}", rule("true")));
        assert!(e.starts_with("rules/test.yaml: params: `level` must be a number or true/false"), "{e}");
        let e = err(&format!("params:\n  major_share: 5.0\n{}", rule("share_pct >= minor_share")));
        assert!(e.contains("unknown variable `minor_share`") && e.contains("params major_share"), "{e}");
    }

    #[test]
    fn unless_is_compiled_and_checked_like_when() {
        let text = rule("true").replace("    template: t\n", "    unless: \"member == \"\n    template: t\n");
        let e = err(&text);
        assert!(e.starts_with("rules/test.yaml:8:"), "{e}");
        assert!(e.contains("condition does not parse"), "{e}");
    }

    #[test]
    fn field_reads_leave_out_presence_tests() {
        let reads = field_reads("has(flows.import.yoy_pct) && flows.export.value > total.value || has( total.gap_pp)");
        assert_eq!(reads, vec![(Some(Flow::Export), "value".to_string()), (None, "value".to_string())]);
    }

    #[test]
    fn operators_are_found_whole() {
        assert_eq!(operator_offset("a >= 1 && b > 2", "_>_"), Some(12));
        assert_eq!(operator_offset("a >= 1 && b > 2", "_>=_"), Some(2));
        assert_eq!(operator_offset("a != b", "_==_"), None);
        assert_eq!(find_identifier("gap_pp > 0 && gap > 1", "gap"), Some(14));
    }
}
