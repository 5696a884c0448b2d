//! `explain`: the trail from figures to facts, for a press officer asking why a sentence is there
//! (or is not): for one month's bulletin ([`report`]), for the member bulletins of a month
//! (`--each`), for every month of a range (the backtest, [`backtest`]), and what another rules
//! file would change ([`diff`]).

mod backtest;
mod diff;

use crate::Error;
use crate::dataset::{self, Period};
use crate::history::{self, Judged, Scope};
use crate::options::{GenerateOptions, PeriodChoice};
use crate::pipeline::Loaded;
use crate::plan::Plan;
use crate::rules::{self, Evaluation, Rule, RuleSet, RulesSource};
use crate::stats::Stats;
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// A rule in the JSON outputs: who it is (id, origin, section, salience, conditions), then what
/// it did, `did`.
fn rule_json(rule: &Rule, did: Json) -> Json {
    let mut item = json!({
        "rule": rule.id,
        "origin": rule.origin,
        "section": rule.section,
        "salience": rule.salience,
        "when": rule.when,
        "unless": rule.unless,
    });
    if let (Some(item), Json::Object(did)) = (item.as_object_mut(), did) {
        item.extend(did);
    }
    item
}

/// How many members passed over are listed per rule in text; JSON lists them all.
const SHOWN_REJECTIONS: usize = 8;

/// How `explain` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    /// Text for people: a report, or a table for a range.
    Txt,
    /// A row per rule (a range) or per change (`--diff`), for a spreadsheet.
    Csv,
    /// Everything, for tools.
    Json,
}

/// What `explain` is asked.
#[derive(Debug, Clone)]
pub struct ExplainOptions {
    /// Data, rules and templates; the month, when there is no range; the language of the
    /// sentences `--diff` shows (`all` shows English).
    pub generate: GenerateOptions,
    /// Every month from this one ...
    pub from: Option<Period>,
    /// ... to this one, inclusive: the backtest.
    pub to: Option<Period>,
    /// The bulletins of each member of this dimension, with rules about one member.
    pub each: Option<String>,
    /// With `each`, the bulletin of this member alone.
    pub member: Option<String>,
    /// Another rules file, to show what it would change.
    pub diff: Option<RulesSource>,
    /// Text, CSV or JSON.
    pub format: ExplainFormat,
}

/// Explains the rules: for one month, each rule and why it fired or not; for a range, what each
/// rule did over every month; with `diff`, the bulletins another rules file would change.
pub fn explain(opts: &ExplainOptions) -> Result<String, Error> {
    let mut generate = opts.generate.clone();
    // What a rule does does not depend on the language; `all` shows English sentences.
    if generate.lang == "all" {
        generate.lang = "en".into();
    }
    let run = Loaded::load(&generate)?;
    let scope = scope(&run, opts)?;
    let range = match (opts.from, opts.to) {
        (Some(from), Some(to)) if from <= to => Some((from, to)),
        (Some(_), Some(_)) => return Err(Error::Usage("--from must not be after --to".into())),
        (None, None) => None,
        _ => return Err(Error::Usage("--from and --to go together".into())),
    };
    let data = &generate.data;
    if let Some(other) = &opts.diff {
        let (from, to) = match range {
            Some(r) => r,
            None => (period(&run, &generate, scope)?, period(&run, &generate, scope)?),
        };
        return diff::diff(&run, &generate, other, scope, (from, to), opts.format);
    }
    if let Some((from, to)) = range {
        return backtest::backtest(&run, data, scope, (from, to), opts.format);
    }
    if opts.format == ExplainFormat::Csv {
        return Err(Error::Usage(
            "--format csv is for a range (--from, --to) or --diff; one month's explanation is txt or json".into(),
        ));
    }
    let period = period(&run, &generate, scope)?;
    let stats = Stats::compute(&run.ds, period)?;
    let json = opts.format == ExplainFormat::Json;
    let judged = history::judge(&stats, &run.rules, scope)?;
    match (scope, judged.as_slice()) {
        (Scope::Month, [one]) => Ok(report(&run.rules, &one.eval, &one.plan, data, json, "")),
        (Scope::Each { dimension, member: Some(m) }, []) => Err(Error::Data(format!(
            "{dimension} `{m}` has no value in {period} in {}, so it has no bulletin that month",
            data.display()
        ))),
        (Scope::Each { dimension, member: Some(_) }, [one]) => {
            let about = format!(", the bulletin of {dimension} `{}`", one.member.as_deref().unwrap_or_default());
            Ok(report(&run.rules, &one.eval, &one.plan, data, json, &about))
        }
        (Scope::Each { dimension, .. }, all) => Ok(report_each(&run.rules, all, data, period, dimension, json)),
        (Scope::Month, _) => unreachable!("a month has one bulletin of its own"),
    }
}

/// The month asked for; `latest` is the latest month every dimension the run reads has reached.
fn period(run: &Loaded, opts: &GenerateOptions, scope: Scope) -> Result<Period, Error> {
    match (opts.period, scope) {
        (PeriodChoice::Month(p), _) => Ok(p),
        (PeriodChoice::Latest, Scope::Each { dimension, .. }) => Ok(run.latest_complete_with(Some(dimension))?.0),
        (PeriodChoice::Latest, Scope::Month) => Ok(run.latest_complete()?.0),
    }
}

/// Which bulletins are explained: rules about one member (over `focus`) need `--each`, `--each`
/// needs them and a dimension the dataset declares, and `--member` one of its members.
fn scope<'a>(run: &Loaded, opts: &'a ExplainOptions) -> Result<Scope<'a>, Error> {
    check_focus(&run.rules, opts.each.as_deref())?;
    let Some(dim) = opts.each.as_deref() else {
        if opts.member.is_some() {
            return Err(Error::Usage("--member goes with --each DIMENSION (--each partner --member canada)".into()));
        }
        return Ok(Scope::Month);
    };
    let ds = &run.ds;
    let yaml = ds.dir.join("dataset.yaml");
    let Some(spec) = ds.spec.dimensions.get(dim).filter(|_| dim != dataset::TOTAL_DIMENSION) else {
        let declared: Vec<&str> = ds.spec.dimensions.keys().map(String::as_str).collect();
        return Err(Error::Usage(format!(
            "--each {dim}: {} declares no such dimension; it declares: {}",
            yaml.display(),
            if declared.is_empty() { "none".to_string() } else { declared.join(", ") }
        )));
    };
    if let Some(m) = opts.member.as_deref().filter(|m| !spec.members.contains_key(*m)) {
        return Err(Error::Usage(format!("--member {m}: {} declares no member `{m}` of `{dim}`", yaml.display())));
    }
    Ok(Scope::Each { dimension: dim, member: opts.member.as_deref() })
}

/// Rules about one member explain member bulletins (`--each`), and member bulletins need such rules.
pub(crate) fn check_focus(rules: &RuleSet, each: Option<&str>) -> Result<(), Error> {
    let focus: Vec<&str> = rules.focus_rules().map(|r| r.id.as_str()).collect();
    let path = rules.path.display();
    match each {
        None if !focus.is_empty() => Err(Error::Usage(format!(
            "{path} has rules about one member (over `focus`: {}); they make a bulletin for each member of a \
             dimension: give --each DIMENSION (e.g. --each partner)",
            focus.join(", ")
        ))),
        Some(dim) if focus.is_empty() => Err(Error::Usage(format!(
            "--each {dim}: {path} has no rules about one member (rules over the `focus` dimension); use the \
             built-in `member` rules (the default with --each) or add focus rules"
        ))),
        _ => Ok(()),
    }
}

/// What became of one rule in one bulletin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum State {
    /// Its fact is in the bulletin.
    Stated,
    /// It fired, but this more salient rule of its group was stated instead.
    Group(String),
    /// It fired and won its group, but the plan left its fact out, for this reason.
    Plan(String),
    /// No member met its condition.
    NotFired,
}

/// One rule in one bulletin: its state, the members it chose (before its group was resolved)
/// and whether its limit left out members that met its condition.
pub(crate) struct Verdict<'a> {
    pub state: State,
    pub chosen: Vec<&'a str>,
    pub limited: bool,
}

/// How the evaluation says a rule lost to its group, and was cut by its limit (rules/evaluate.rs).
const LOST_TO_GROUP: &str = "fired instead";
const BEYOND_LIMIT: &str = "beyond the limit of";

/// What became of a rule in a bulletin.
pub(crate) fn verdict<'a>(rule: &Rule, eval: &'a Evaluation, plan: &Plan) -> Verdict<'a> {
    let rejected: &[(String, String)] =
        eval.outcomes.iter().find(|o| o.rule == rule.id).map_or(&[], |o| o.rejected.as_slice());
    let limited = rejected.iter().any(|(_, why)| why.starts_with(BEYOND_LIMIT));
    if let Some(fact) = eval.facts.iter().find(|f| f.rule == rule.id) {
        let chosen = fact.subjects.iter().map(|s| s.member.as_str()).collect();
        let stated = plan.sections.iter().flat_map(|s| &s.facts).any(|f| f.fact.rule == rule.id);
        let state = if stated {
            State::Stated
        } else {
            let why = plan.dropped.iter().find(|(r, _)| *r == rule.id).map(|(_, why)| why.clone());
            State::Plan(why.unwrap_or_else(|| "left out by the plan".into()))
        };
        return Verdict { state, chosen, limited };
    }
    let lost: Vec<&(String, String)> = rejected.iter().filter(|(_, why)| why.ends_with(LOST_TO_GROUP)).collect();
    match lost.first() {
        Some((_, why)) => Verdict {
            state: State::Group(why.clone()),
            chosen: lost.iter().map(|(m, _)| m.as_str()).collect(),
            limited,
        },
        None => Verdict { state: State::NotFired, chosen: vec![], limited },
    }
}

/// Writes one bulletin's report as text or JSON; `about` follows the period in the heading.
pub fn report(rules: &RuleSet, eval: &Evaluation, plan: &Plan, data: &Path, json: bool, about: &str) -> String {
    if json {
        let items: Vec<Json> = rules
            .rules
            .iter()
            .zip(&eval.outcomes)
            .map(|(rule, outcome)| {
                let fact = eval.facts.iter().find(|f| f.rule == rule.id);
                let v = verdict(rule, eval, plan);
                rule_json(rule, json!({
                    "fired": fact.is_some(),
                    "stated": v.state == State::Stated,
                    "dropped_by_plan": match &v.state { State::Plan(why) => Some(why), _ => None },
                    "chosen": fact.map(|f| f.subjects.iter().map(|s| json!({"member": s.member, "why": s.why})).collect::<Vec<_>>()),
                    "rejected": outcome.rejected.iter().map(|(m, why)| json!({"member": m, "why": why})).collect::<Vec<_>>(),
                }))
            })
            .collect();
        let doc = json!({ "data": data.display().to_string(), "rules": rules.path.display().to_string(), "period": plan.period, "params": rules.params, "explain": items });
        return serde_json::to_string_pretty(&doc).expect("plain data serialises") + "\n";
    }
    let mut out = heading(rules, data, &format!("{}{about}", plan.period));
    let w = &mut out;
    for section in &rules.sections {
        writeln!(w, "\n[{section}]").unwrap();
        for (rule, outcome) in rules.rules.iter().zip(&eval.outcomes) {
            if &rule.section != section {
                continue;
            }
            let fact = eval.facts.iter().find(|f| f.rule == rule.id);
            let state = match verdict(rule, eval, plan).state {
                State::Stated => "FIRED, stated".to_string(),
                // A rule that lost to its group fired; its subjects carry the group's verdict.
                State::Group(why) | State::Plan(why) => format!("FIRED, not stated: {why}"),
                State::NotFired => "did not fire".to_string(),
            };
            rule_lines(w, rule, &state);
            for s in fact.map(|f| f.subjects.as_slice()).unwrap_or_default() {
                writeln!(w, "  + {}: {}", s.member, show_why(&s.why)).unwrap();
            }
            if outcome.rejected.is_empty() && fact.is_none() {
                writeln!(w, "  no members of `{}` in this dataset", rule.over.dimension).unwrap();
            }
            rejected_lines(
                w,
                outcome.rejected.iter().map(|(m, why)| (m.as_str(), why.as_str())),
                outcome.rejected.len(),
            );
        }
    }
    out
}

/// The report of a month's member bulletins (`--each` without `--member`): for each rule, in how
/// many bulletins it fired and was stated, the members it chose and those it passed over.
fn report_each(rules: &RuleSet, all: &[Judged], data: &Path, period: Period, dimension: &str, json: bool) -> String {
    /// One rule across the bulletins.
    #[derive(Default)]
    struct Across<'a> {
        fired: usize,
        stated: usize,
        not_stated: BTreeMap<String, usize>,
        chosen: BTreeMap<&'a str, &'a BTreeMap<String, Json>>,
        rejected: BTreeMap<&'a str, &'a str>,
    }
    let mut across: Vec<Across> = rules.rules.iter().map(|_| Across::default()).collect();
    for b in all {
        for (i, rule) in rules.rules.iter().enumerate() {
            let a = &mut across[i];
            let v = verdict(rule, &b.eval, &b.plan);
            match v.state {
                State::NotFired => {}
                State::Stated => {
                    a.fired += 1;
                    a.stated += 1;
                }
                State::Group(why) | State::Plan(why) => {
                    a.fired += 1;
                    *a.not_stated.entry(why).or_default() += 1;
                }
            }
            if let Some(fact) = b.eval.facts.iter().find(|f| f.rule == rule.id) {
                for s in &fact.subjects {
                    a.chosen.entry(&s.member).or_insert(&s.why);
                }
            }
            for o in b.eval.outcomes.iter().filter(|o| o.rule == rule.id) {
                for (m, why) in &o.rejected {
                    a.rejected.entry(m).or_insert(why);
                }
            }
        }
    }
    let n = all.len();
    if json {
        let items: Vec<Json> = rules
            .rules
            .iter()
            .zip(&across)
            .map(|(rule, a)| {
                rule_json(rule, json!({
                    "bulletins": n,
                    "fired": a.fired,
                    "stated": a.stated,
                    "not_stated": a.not_stated,
                    "chosen": a.chosen.iter().map(|(m, why)| json!({"member": m, "why": why})).collect::<Vec<_>>(),
                    "rejected": a.rejected.iter().map(|(m, why)| json!({"member": m, "why": why})).collect::<Vec<_>>(),
                }))
            })
            .collect();
        let doc = json!({
            "data": data.display().to_string(), "rules": rules.path.display().to_string(), "period": period,
            "each": dimension, "bulletins": n, "params": rules.params, "explain": items,
        });
        return serde_json::to_string_pretty(&doc).expect("plain data serialises") + "\n";
    }
    let about = format!("{period}: {n} bulletins, one for each `{dimension}` member with a value");
    let mut out = heading(rules, data, &about);
    let w = &mut out;
    for section in &rules.sections {
        writeln!(w, "\n[{section}]").unwrap();
        for (rule, a) in rules.rules.iter().zip(&across).filter(|(r, _)| &r.section == section) {
            let mut state = match (a.fired, a.stated) {
                (0, _) => format!("did not fire in any of the {n} bulletins"),
                (f, s) if f == n && s == n => format!("FIRED, stated in every bulletin ({n})"),
                (f, s) => format!("FIRED in {f} of {n} bulletins, stated in {s}"),
            };
            for (why, k) in &a.not_stated {
                write!(state, "; not stated in {k}: {why}").unwrap();
            }
            rule_lines(w, rule, &state);
            for (m, why) in a.chosen.iter().take(SHOWN_REJECTIONS) {
                writeln!(w, "  + {m}: {}", show_why(why)).unwrap();
            }
            if a.chosen.len() > SHOWN_REJECTIONS {
                let more = a.chosen.len() - SHOWN_REJECTIONS;
                writeln!(w, "  ... and {more} more chosen (--format json lists them all)").unwrap();
            }
            rejected_lines(w, a.rejected.iter().map(|(m, why)| (*m, *why)), a.rejected.len());
        }
    }
    out
}

/// The first lines of a report: the rules, the data, what is explained, and the params.
fn heading(rules: &RuleSet, data: &Path, about: &str) -> String {
    let mut out = format!("Rules {} on {} for {about}\n", rules.path.display(), data.display());
    if !rules.params.is_empty() {
        let params: Vec<String> = rules.params.iter().map(|(k, v)| format!("{k} = {}", json!(v))).collect();
        writeln!(out, "params: {}", params.join(", ")).unwrap();
    }
    out
}

/// A rule's heading line and the line saying what it looks at.
fn rule_lines(w: &mut String, rule: &Rule, state: &str) {
    writeln!(w, "{} (salience {}, {}): {state}", rule.id, rule.salience, rule.origin).unwrap();
    let unless = rule.unless.as_ref().map(|u| format!(" unless `{u}`")).unwrap_or_default();
    let over = &rule.over;
    writeln!(w, "  over {} {} {}, when `{}`{unless}", over.dimension, over.flow, over.basis, rule.when).unwrap();
}

/// The first members passed over, with why, and how many more there are.
fn rejected_lines<'a>(w: &mut String, rejected: impl Iterator<Item = (&'a str, &'a str)>, count: usize) {
    for (member, why) in rejected.take(SHOWN_REJECTIONS) {
        writeln!(w, "  - {member}: {why}").unwrap();
    }
    if count > SHOWN_REJECTIONS {
        let more = count - SHOWN_REJECTIONS;
        writeln!(w, "  ... and {more} more passed over (--format json lists them all)").unwrap();
    }
}

/// The values a condition read, as a person reads them.
fn show_why(why: &BTreeMap<String, Json>) -> String {
    if why.is_empty() {
        return "always".into();
    }
    let parts: Vec<String> = why.iter().map(|(k, v)| format!("{k} = {}", plain(v))).collect();
    parts.join(", ")
}

/// A JSON value as a person reads it: strings without quotes.
fn plain(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The rules file a `--diff` names, loaded and checked like the first.
pub(crate) fn load_other(source: &RulesSource) -> Result<RuleSet, Error> {
    Ok(rules::RuleSet::load_with(source, |_| ())?.0)
}
