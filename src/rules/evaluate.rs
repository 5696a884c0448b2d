//! Judging: every member of a rule's dimension against its conditions, subjects ordered and
//! limited, groups of rules resolved to their most salient fact.

use super::reads::{Reads, cel_value, figure, figure_map, read_values, show};
use super::{Evaluation, FOCUS_DIMENSION, Fact, FlowFigures, Outcome, Over, Param, Rule, RuleSet, RulesError, Subject};
use crate::dataset::{Basis, Flow, Period, TOTAL_DIMENSION, TOTAL_MEMBER};
use crate::stats::{FIGURES, Figures, Stats};
use cel::{Context, ExecutionError, Program};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

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
    Evaluation { sections: rules.sections.clone(), headings: rules.headings.clone(), facts, outcomes }
}

/// The context every condition is evaluated in: the params, set up once when the rules load.
pub struct Root(Context<'static, 'static>);

impl Root {
    pub(super) fn new(params: &BTreeMap<String, Param>) -> Root {
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
        Ok(other) => Err(format!("condition `{source}` gave {} for `{member}`", super::plain::cel(&other))),
        // A figure the condition reads is absent for this member: the condition is not met.
        Err(ExecutionError::UndeclaredReference(_)) | Err(ExecutionError::NoSuchKey(_)) => Ok(None),
        Err(e) => Err(format!("condition `{source}` failed for `{member}`: {}", super::plain::execution(&e))),
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
