//! Loading a rules file: the YAML read, every condition compiled and type-checked against
//! sample figures, and faults reported with the file, the line and a caret under the fault.

use super::reads::{Reads, cel_value};
use super::{OTHER_VARIABLES, Over, Param, Root, Rule, RuleSet, RulesError, RulesSource};
use crate::dataset::{Flow, TOTAL_DIMENSION, yaml_message};
use crate::stats::{FIGURES, Kind, Num};
use cel::{Context, ExecutionError, Program};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// A rules file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    params: BTreeMap<String, serde_yaml::Value>,
    #[serde(default)]
    dimensions: Vec<String>,
    sections: Vec<SectionSpec>,
    rules: Vec<RuleSpec>,
}

/// A section: its id alone, or its id with the template of its heading (`sections/<heading>`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, expecting = "a section id, or `{ id: ..., heading: ... }`")]
enum SectionSpec {
    Id(String),
    Headed { id: String, heading: String },
}

impl SectionSpec {
    fn id(&self) -> &str {
        match self {
            SectionSpec::Id(id) | SectionSpec::Headed { id, .. } => id,
        }
    }
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

/// A fault in a condition: what, and where in the condition's text.
struct CondError {
    offset: Option<usize>,
    message: String,
}

impl RuleSet {
    /// Loads one rules file, compiling and checking every condition.
    pub fn load(path: &Path) -> Result<RuleSet, RulesError> {
        Ok(Self::load_with(&RulesSource::File(path.into()), |_| ())?.0)
    }

    /// Loads rules, handing `named` the templates they name (`facts/<name>`, `headlines/<name>`)
    /// as soon as the file is read, before its conditions are compiled: the templates can be
    /// compiled meanwhile. What `named` returns comes back beside the rules.
    pub fn load_with<T>(
        source: &RulesSource,
        named: impl FnOnce(Vec<String>) -> T,
    ) -> Result<(RuleSet, T), RulesError> {
        let text = source.read()?;
        Self::parse_with(&source.path(), &text, named)
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
        let yaml_error = |e: serde_yaml::Error| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            RulesError::Yaml {
                path: path.into(),
                line,
                column,
                message: crate::input::yaml_limit_message(yaml_message(&e)),
            }
        };
        // `params` takes any YAML value: aliases of aliases are bounded before they are expanded.
        crate::input::check_yaml_expansion(text).map_err(yaml_error)?;
        let file: RulesFile = serde_yaml::from_str(text).map_err(yaml_error)?;
        let given = named(template_names(file.rules.iter().map(|r| (&r.template, r.headline.as_ref()))));
        let params = parse_params(path, &file.params)?;
        let sections: Vec<String> = file.sections.iter().map(|s| s.id().to_string()).collect();
        let headings: BTreeMap<String, String> = file
            .sections
            .iter()
            .filter_map(|s| match s {
                SectionSpec::Headed { id, heading } => Some((id.clone(), heading.clone())),
                SectionSpec::Id(_) => None,
            })
            .collect();
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
            if !sections.contains(&spec.section) {
                return Err(fail(format!(
                    "section `{}` is not listed in `sections` ({})",
                    spec.section,
                    sections.join(", ")
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
        let set = RuleSet { path: path.into(), params, dimensions: file.dimensions, sections, headings, rules, root };
        Ok((set, given))
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
            other => {
                return fail(format!("`{name}` must be a number or true/false, not {}", super::plain::yaml(other)));
            }
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
pub(super) fn template_names<'a>(rules: impl Iterator<Item = (&'a String, Option<&'a String>)>) -> Vec<String> {
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
    check_size(source)?;
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

/// The longest condition, in bytes: the built-in rules' longest is about a hundred.
pub const MAX_CONDITION_BYTES: usize = 2000;
/// The most operators a condition may hold (`&&`, `+`, `<`, `!`, ...): the parser and the
/// interpreter recurse once an operator, and a few thousand overflow the stack.
pub const MAX_CONDITION_OPERATORS: usize = 200;
/// How deeply brackets may nest in a condition.
pub const MAX_CONDITION_NESTING: usize = 24;

/// Bounds a condition before it is compiled: length, operators and nesting (outside quoted text).
fn check_size(source: &str) -> Result<(), CondError> {
    let fail = |offset: usize, message: String| Err(CondError { offset: Some(offset), message });
    if source.len() > MAX_CONDITION_BYTES {
        return fail(
            0,
            format!(
                "the condition is {} bytes long; at most {MAX_CONDITION_BYTES} are allowed: split it into rules or params",
                source.len()
            ),
        );
    }
    let bytes = source.as_bytes();
    let (mut operators, mut depth, mut quote, mut i) = (0, 0usize, None, 0);
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                // `&&`, `||`, `==`, `<=` and the like count once.
                b'&' | b'|' | b'=' if bytes.get(i + 1) == Some(&b) => {
                    operators += 1;
                    i += 1;
                }
                b'<' | b'>' | b'!' if bytes.get(i + 1) == Some(&b'=') => {
                    operators += 1;
                    i += 1;
                }
                b'+' | b'-' | b'*' | b'/' | b'%' | b'<' | b'>' | b'!' | b'?' | b'.' => operators += 1,
                _ => {}
            },
        }
        if depth > MAX_CONDITION_NESTING {
            return fail(i, format!("brackets nest more than {MAX_CONDITION_NESTING} deep"));
        }
        if operators > MAX_CONDITION_OPERATORS {
            return fail(
                i,
                format!("the condition has more than {MAX_CONDITION_OPERATORS} operators: split it into rules"),
            );
        }
        i += 1;
    }
    Ok(())
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
        Ok(other) => Err(CondError {
            offset: None,
            message: format!("condition `{source}` gives {}, not true or false", super::plain::cel(&other)),
        }),
        Err(e) => {
            let offset = match &e {
                ExecutionError::NoSuchOverload(o) => operator_offset(source, o.function()),
                ExecutionError::NoSuchKey(k) => find_identifier(source, k),
                _ => None,
            };
            let message =
                format!("type error in condition:{}", caret(source, offset.unwrap_or(0), &super::plain::execution(&e)));
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
        assert!(e.contains("rule `fast`: condition `yoy_pct + 1.0` gives 101.0, not true or false"), "{e}");
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
    fn operators_are_found_whole() {
        assert_eq!(operator_offset("a >= 1 && b > 2", "_>_"), Some(12));
        assert_eq!(operator_offset("a >= 1 && b > 2", "_>=_"), Some(2));
        assert_eq!(operator_offset("a != b", "_==_"), None);
        assert_eq!(find_identifier("gap_pp > 0 && gap > 1", "gap"), Some(14));
    }
}
