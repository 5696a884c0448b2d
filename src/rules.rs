//! Stage 3: which facts are worth saying, chosen by rules written in YAML with CEL conditions.

use crate::dataset::{Basis, Flow, Period, TOTAL_DIMENSION, yaml_message};
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
    #[error("{path}:{line}: rule `{rule}`: {message}")]
    Rule {
        /// The file.
        path: PathBuf,
        /// 1-based line of the rule's `id`.
        line: usize,
        /// The rule id.
        rule: String,
        /// What is wrong, with the condition and a caret under the fault where there is one.
        message: String,
    },
}

/// A rules file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
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

/// A loaded rule, its condition compiled.
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
    /// Where it was written, for messages.
    pub origin: String,
}

/// A rules file, loaded and compiled.
#[derive(Debug)]
pub struct RuleSet {
    /// The file it came from.
    pub path: PathBuf,
    /// Sections in the order the bulletin gives them.
    pub sections: Vec<String>,
    /// The rules in file order.
    pub rules: Vec<Rule>,
}

/// Variables a condition can read besides the figures.
pub const OTHER_VARIABLES: [&str; 7] = ["member", "dimension", "complete", "year", "month_of_year", "total", "flows"];

impl RuleSet {
    /// Loads one rules file, compiling and checking every condition.
    pub fn load(path: &Path) -> Result<RuleSet, RulesError> {
        let text = std::fs::read_to_string(path).map_err(|source| RulesError::Io { path: path.into(), source })?;
        Self::parse(path, &text)
    }

    /// Parses rules from text; `path` is for messages.
    pub fn parse(path: &Path, text: &str) -> Result<RuleSet, RulesError> {
        let file: RulesFile = serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            RulesError::Yaml { path: path.into(), line, column, message: yaml_message(&e) }
        })?;
        let mut seen = HashSet::new();
        let mut rules = Vec::new();
        for spec in file.rules {
            let line = line_of_rule(text, &spec.id);
            let fail = |message: String| RulesError::Rule { path: path.into(), line, rule: spec.id.clone(), message };
            if !seen.insert(spec.id.clone()) {
                return Err(fail("a rule with this id is already defined above".into()));
            }
            if !file.sections.contains(&spec.section) {
                return Err(fail(format!(
                    "section `{}` is not listed in `sections` ({})",
                    spec.section,
                    file.sections.join(", ")
                )));
            }
            let program = compile(&spec.when).map_err(fail)?;
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
            rules.push(Rule {
                origin: format!("{}:{}", path.display(), line),
                id: spec.id,
                section: spec.section,
                over: spec.over,
                when: spec.when,
                program,
                order_by,
                limit: spec.limit,
                salience: spec.salience,
                template: spec.template,
                headline: spec.headline,
                group: spec.group,
            });
        }
        Ok(RuleSet { path: path.into(), sections: file.sections, rules })
    }
}

fn figure_names() -> String {
    FIGURES.iter().map(|(f, _, _)| *f).collect::<Vec<_>>().join(", ")
}

/// The line where `id: <rule>` is written, so that messages point into the YAML.
fn line_of_rule(text: &str, id: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches("- ").trim_start();
            l.strip_prefix("id:").is_some_and(|rest| rest.trim().trim_matches(|c| c == '"' || c == '\'') == id)
        })
        .map_or(0, |i| i + 1)
}

/// Compiles a condition and checks it against a context where every variable is present, so
/// that unknown names and type errors fail when the rules load rather than when a month's data
/// happens to reach them.
fn compile(when: &str) -> Result<Program, String> {
    let program = Program::compile(when).map_err(|e| {
        let mut out = format!("condition does not parse: `{when}`");
        for err in &e.errors {
            let col = err.pos.1.max(0) as usize;
            out.push_str(&format!("\n  {}\n  {}^ {}", when, " ".repeat(col), err.msg));
        }
        out
    })?;
    for var in program.references().variables() {
        if !FIGURES.iter().any(|(f, _, _)| *f == var) && !OTHER_VARIABLES.contains(&var) {
            let col = when.find(var).unwrap_or(0);
            return Err(format!(
                "unknown variable `{var}` in condition\n  {when}\n  {}^ the figures are {}; also {}",
                " ".repeat(col),
                figure_names(),
                OTHER_VARIABLES.join(", ")
            ));
        }
    }
    let root = Context::default();
    let mut ctx = root.new_inner_scope();
    bind_sample(&mut ctx);
    match program.execute(&ctx) {
        Ok(cel::Value::Bool(_)) => Ok(program),
        Ok(other) => Err(format!("condition `{when}` gives {other:?}, not true or false")),
        Err(e) => Err(format!("condition `{when}` cannot be evaluated: {e}")),
    }
}

fn bind_sample(ctx: &mut Context) {
    let mut sample = HashMap::new();
    for (name, kind, _) in FIGURES {
        let v = match kind {
            Kind::Int => Num::Int(1),
            Kind::Amount | Kind::Rate => Num::Dec(Decimal::ONE),
            Kind::Bool => Num::Bool(true),
        };
        ctx.add_variable_from_value(name, cel_value(v, kind));
        sample.insert(name.to_string(), cel_value(v, kind));
    }
    ctx.add_variable_from_value("member", "m");
    ctx.add_variable_from_value("dimension", "d");
    ctx.add_variable_from_value("complete", true);
    ctx.add_variable_from_value("year", 2000i64);
    ctx.add_variable_from_value("month_of_year", 1i64);
    ctx.add_variable_from_value("total", sample.clone());
    let flows: HashMap<String, cel::Value> =
        Flow::ALL.iter().map(|f| (f.as_str().to_string(), cel::Value::from(sample.clone()))).collect();
    ctx.add_variable_from_value("flows", flows);
}

/// One member a fact is about, with all its figures.
#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    /// Dimension id.
    pub dimension: String,
    /// Member id.
    pub member: String,
    /// Its figures by flow, on the rule's basis.
    pub flows: BTreeMap<Flow, Figures>,
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
    pub total: BTreeMap<Flow, Figures>,
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
    let root = Context::default();
    let mut facts = Vec::new();
    let mut outcomes = Vec::new();
    let members = members_by_dimension(stats);
    for rule in &rules.rules {
        let basis = rule.over.basis;
        let total = flows_of(stats, TOTAL_DIMENSION, crate::dataset::TOTAL_MEMBER, basis);
        let mut chosen = Vec::new();
        let mut rejected = Vec::new();
        for member in members.get(rule.over.dimension.as_str()).into_iter().flatten() {
            let flows = flows_of(stats, &rule.over.dimension, member, basis);
            let Some(own) = flows.get(&rule.over.flow) else {
                rejected.push((member.clone(), format!("no {} {} value", rule.over.flow, basis)));
                continue;
            };
            let mut ctx = root.new_inner_scope();
            let mut why = BTreeMap::new();
            for (name, n, kind) in figure_values(own) {
                ctx.add_variable_from_value(name, cel_value(n, kind));
                why.insert(name.to_string(), why_json(n, kind));
            }
            ctx.add_variable_from_value("member", member.as_str());
            ctx.add_variable_from_value("dimension", rule.over.dimension.as_str());
            ctx.add_variable_from_value("complete", stats.meta.complete.contains(&rule.over.dimension));
            ctx.add_variable_from_value("year", stats.period.year as i64);
            ctx.add_variable_from_value("month_of_year", stats.period.month as i64);
            if let Some(t) = total.get(&rule.over.flow) {
                ctx.add_variable_from_value("total", figure_map(t));
            }
            let flow_maps: HashMap<String, cel::Value> =
                flows.iter().map(|(f, fig)| (f.as_str().to_string(), cel::Value::from(figure_map(fig)))).collect();
            ctx.add_variable_from_value("flows", flow_maps);
            let refs = rule.program.references();
            let read: Vec<&str> = refs.variables();
            why.retain(|k, _| read.contains(&k.as_str()));
            match rule.program.execute(&ctx) {
                Ok(cel::Value::Bool(true)) => chosen.push(Subject {
                    dimension: rule.over.dimension.clone(),
                    member: member.clone(),
                    flows: flows.clone(),
                    why,
                }),
                Ok(_) => rejected.push((member.clone(), format!("`{}` is false for {}", rule.when, show(&why)))),
                Err(ExecutionError::UndeclaredReference(name)) | Err(ExecutionError::NoSuchKey(name)) => {
                    rejected.push((member.clone(), format!("`{name}` cannot be computed")))
                }
                Err(e) => {
                    return Err(RulesError::Rule {
                        path: rules.path.clone(),
                        line: rule.origin.rsplit(':').next().and_then(|l| l.parse().ok()).unwrap_or(0),
                        rule: rule.id.clone(),
                        message: format!("condition `{}` failed for `{member}`: {e}", rule.when),
                    });
                }
            }
        }
        sort_subjects(&mut chosen, rule);
        if let Some(limit) = rule.limit {
            for s in chosen.drain(limit.min(chosen.len())..) {
                rejected.push((s.member, format!("beyond the limit of {limit}")));
            }
        }
        outcomes.push(Outcome { rule: rule.id.clone(), chosen: chosen.len(), rejected });
        if !chosen.is_empty() {
            facts.push(Fact {
                rule: rule.id.clone(),
                origin: rule.origin.clone(),
                section: rule.section.clone(),
                salience: rule.salience,
                template: rule.template.clone(),
                headline: rule.headline.clone(),
                over: rule.over.clone(),
                period: stats.period,
                subjects: chosen,
                total: total.clone(),
            });
        }
    }
    resolve_groups(rules, &mut facts, &mut outcomes);
    Ok(Evaluation { sections: rules.sections.clone(), facts, outcomes })
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

fn show(why: &BTreeMap<String, Json>) -> String {
    if why.is_empty() {
        return "this member".into();
    }
    why.iter().map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>().join(", ")
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

    const HEAD: &str = "sections: [partners]\nrules:\n";

    #[test]
    fn bad_conditions_fail_at_load_naming_file_rule_and_position() {
        let e = err(&format!(
            "{HEAD}  - id: fast\n    section: partners\n    over: {{ dimension: partner, flow: total, basis: ytd }}\n    when: \"yoy_pct >\"\n    template: t\n"
        ));
        assert!(e.starts_with("rules/test.yaml:3: rule `fast`: condition does not parse"), "{e}");
        assert!(e.contains("          ^"), "{e}");

        let e = err(&format!(
            "{HEAD}  - id: fast\n    section: partners\n    over: {{ dimension: partner, flow: total, basis: ytd }}\n    when: \"yoy_pc > 1.0\"\n    template: t\n"
        ));
        assert!(e.contains("rule `fast`: unknown variable `yoy_pc`"), "{e}");

        let e = err(&format!(
            "{HEAD}  - id: fast\n    section: partners\n    over: {{ dimension: partner, flow: total, basis: ytd }}\n    when: \"yoy_pct > 'a'\"\n    template: t\n"
        ));
        assert!(e.contains("cannot be evaluated"), "{e}");

        let e = err(&format!(
            "{HEAD}  - id: fast\n    section: partners\n    over: {{ dimension: partner, flow: total, basis: ytd }}\n    when: \"total.nope > 1.0\"\n    template: t\n"
        ));
        assert!(e.contains("No such key: nope"), "{e}");
    }

    #[test]
    fn schema_errors_name_line_and_column() {
        let e = err(&format!("{HEAD}  - id: fast\n    sction: partners\n"));
        assert!(e.starts_with("rules/test.yaml:4:5: "), "{e}");
        assert!(e.contains("unknown field `sction`"), "{e}");
        let e = err(&format!(
            "{HEAD}  - id: a\n    section: partners\n    over: {{ dimension: partner, flow: outflow, basis: ytd }}\n    template: t\n"
        ));
        assert!(e.contains("unknown variant `outflow`"), "{e}");
    }

    #[test]
    fn duplicate_ids_and_unknown_sections_are_refused() {
        let rule = "  - id: a\n    section: partners\n    over: { dimension: partner, flow: total, basis: ytd }\n    template: t\n";
        let e = err(&format!("{HEAD}{rule}{rule}"));
        assert!(e.starts_with("rules/test.yaml:3: rule `a`: a rule with this id is already defined"), "{e}");
        let e = err(&format!("{HEAD}{}", rule.replace("section: partners", "section: nowhere")));
        assert!(e.contains("section `nowhere` is not listed"), "{e}");
    }
}
