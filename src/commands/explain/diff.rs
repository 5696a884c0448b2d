//! `explain --diff OTHER`: the bulletins another rules file would change over a range, with the
//! facts it would add or remove and the sentences that would read differently.

use super::backtest::cell;
use super::{ExplainFormat, check_focus, load_other};
use crate::Error;
use crate::dataset::Period;
use crate::history::{self, Judged, Scope};
use crate::options::GenerateOptions;
use crate::pipeline::{Loaded, check_templates, renderer_for};
use crate::plan::Plan;
use crate::render::Renderer;
use crate::rules::{RuleSet, RulesSource};
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How a fact differs between the two bulletins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Only the other rules state it.
    Added,
    /// Only the first rules state it.
    Removed,
    /// Both state it, about other members.
    Changed,
}

impl Change {
    fn word(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

/// A fact of one rule that the other rules file states differently.
struct FactChange {
    change: Change,
    rule: String,
    before: Vec<String>,
    after: Vec<String>,
}

/// A bulletin that would change.
struct Changed {
    period: Period,
    member: Option<String>,
    facts: Vec<FactChange>,
    /// Sentences only in the first bulletin (`-`) or only in the other's (`+`), in reading order;
    /// the headline is a sentence.
    sentences: Vec<(char, String)>,
}

/// Compares the bulletins of `run`'s rules with those of `other` for every month of the range.
pub(super) fn diff(
    run: &Loaded,
    opts: &GenerateOptions,
    other: &RulesSource,
    scope: Scope,
    (from, to): (Period, Period),
    format: ExplainFormat,
) -> Result<String, Error> {
    let theirs = load_other(other)?;
    let each = match scope {
        Scope::Month => None,
        Scope::Each { dimension, .. } => Some(dimension),
    };
    check_focus(&theirs, each)?;
    let their_renderer = renderer_for(&theirs, &opts.lang, opts.templates.as_deref())?;
    check_templates(&theirs, &their_renderer)?;
    let ours = &run.rules;
    let periods = history::months(from, to);
    let months = history::over_months(&run.ds, &periods, |stats| {
        let a = history::judge(stats, ours, scope)?;
        let b = history::judge(stats, &theirs, scope)?;
        let mut changed = Vec::new();
        for (a, b) in a.iter().zip(&b) {
            debug_assert_eq!(a.member, b.member, "both judged the same members");
            if signature(&a.plan) == signature(&b.plan) {
                continue;
            }
            changed.push(compare(a, b, (&run.renderer, &their_renderer))?);
        }
        Ok((changed, a.len()))
    })?;
    let mut bulletins = 0;
    let mut all = Vec::new();
    for (_, month) in months {
        if let Some((changed, n)) = month {
            bulletins += n;
            all.extend(changed);
        }
    }
    let header = Header { ours, theirs: &theirs, opts, from, to, bulletins };
    Ok(match format {
        ExplainFormat::Txt => text(&header, &all),
        ExplainFormat::Csv => csv(&all),
        ExplainFormat::Json => to_json(&header, &all),
    })
}

/// What makes a bulletin's words: its facts in order, each with its rule, template, members and
/// first mentions, and the headline's. Two plans with the same signature read the same, since
/// the words come from the same templates and figures; only plans that differ are written.
fn signature(plan: &Plan) -> String {
    let mut s = String::new();
    for pf in plan.headline.iter().chain(plan.sections.iter().flat_map(|x| &x.facts)) {
        let f = &pf.fact;
        write!(s, "{}|{}|{}|{:?}|", f.rule, f.template, f.headline.as_deref().unwrap_or(""), pf.first_mention).unwrap();
        for subject in &f.subjects {
            write!(s, "{}/{},", subject.dimension, subject.member).unwrap();
        }
        s.push('\n');
    }
    for section in &plan.sections {
        write!(s, "[{}:{}]", section.id, section.facts.len()).unwrap();
    }
    s
}

/// The facts each plan states, by rule: the members of each.
fn stated(plan: &Plan) -> BTreeMap<&str, Vec<String>> {
    plan.sections
        .iter()
        .flat_map(|s| &s.facts)
        .map(|pf| (pf.fact.rule.as_str(), pf.fact.subjects.iter().map(|s| s.member.clone()).collect()))
        .collect()
}

/// How two bulletins of the same month (and member) differ.
fn compare(a: &Judged, b: &Judged, (ra, rb): (&Renderer, &Renderer)) -> Result<Changed, Error> {
    let (fa, fb) = (stated(&a.plan), stated(&b.plan));
    let mut facts = Vec::new();
    for (rule, before) in &fa {
        match fb.get(rule) {
            None => facts.push(FactChange {
                change: Change::Removed,
                rule: rule.to_string(),
                before: before.clone(),
                after: vec![],
            }),
            Some(after) if after != before => facts.push(FactChange {
                change: Change::Changed,
                rule: rule.to_string(),
                before: before.clone(),
                after: after.clone(),
            }),
            Some(_) => {}
        }
    }
    for (rule, after) in fb.iter().filter(|(r, _)| !fa.contains_key(*r)) {
        facts.push(FactChange { change: Change::Added, rule: rule.to_string(), before: vec![], after: after.clone() });
    }
    let words = |r: &Renderer, plan: &Plan| -> Result<Vec<String>, Error> {
        let bulletin = r.write_with(plan, false)?;
        let body = bulletin.paragraphs.into_iter().flat_map(|p| p.sentences).map(|s| s.text);
        Ok(std::iter::once(format!("headline: {}", bulletin.headline)).chain(body).collect())
    };
    let sentences = changes(&words(ra, &a.plan)?, &words(rb, &b.plan)?);
    Ok(Changed { period: a.plan.period, member: a.member.clone(), facts, sentences })
}

/// The sentences only in `a` (`-`) and only in `b` (`+`), in reading order: the longest common
/// subsequence of the two is left out.
fn changes(a: &[String], b: &[String]) -> Vec<(char, String)> {
    // common[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut common = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] { common[i + 1][j + 1] + 1 } else { common[i + 1][j].max(common[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j == b.len() || (i < a.len() && common[i + 1][j] >= common[i][j + 1]) {
            out.push(('-', a[i].clone()));
            i += 1;
        } else {
            out.push(('+', b[j].clone()));
            j += 1;
        }
    }
    out
}

/// What the report's heading says.
struct Header<'a> {
    ours: &'a RuleSet,
    theirs: &'a RuleSet,
    opts: &'a GenerateOptions,
    from: Period,
    to: Period,
    bulletins: usize,
}

/// `canada, mexico`, or `-` for none.
fn members(list: &[String]) -> String {
    if list.is_empty() { "-".into() } else { list.join(", ") }
}

fn text(h: &Header, all: &[Changed]) -> String {
    let range = if h.from == h.to { format!("for {}", h.from) } else { format!("{} to {}", h.from, h.to) };
    let mut out = format!(
        "Rules {} (-) against {} (+) on {}, {range}: {} of {} bulletins would change\n",
        h.ours.path.display(),
        h.theirs.path.display(),
        h.opts.data.display(),
        all.len(),
        h.bulletins
    );
    for c in all {
        let whose = c.member.as_ref().map(|m| format!(", the bulletin of `{m}`")).unwrap_or_default();
        writeln!(out, "\n{}{whose}", c.period).unwrap();
        for f in &c.facts {
            let line = match f.change {
                Change::Added => format!("  + fact {} ({})", f.rule, members(&f.after)),
                Change::Removed => format!("  - fact {} ({})", f.rule, members(&f.before)),
                Change::Changed => format!("  ~ fact {} ({} -> {})", f.rule, members(&f.before), members(&f.after)),
            };
            writeln!(out, "{line}").unwrap();
        }
        for (sign, sentence) in &c.sentences {
            writeln!(out, "  {sign} {sentence}").unwrap();
        }
    }
    out
}

/// A row per change: a fact added, removed or changed, or a sentence removed or added.
fn csv(all: &[Changed]) -> String {
    let mut out = "period,member,change,rule,before,after,sentence\n".to_string();
    for c in all {
        let member = cell(c.member.as_deref().unwrap_or(""));
        for f in &c.facts {
            let (before, after) = (cell(&f.before.join(";")), cell(&f.after.join(";")));
            writeln!(out, "{},{member},fact {},{},{before},{after},", c.period, f.change.word(), cell(&f.rule))
                .unwrap();
        }
        for (sign, sentence) in &c.sentences {
            let change = if *sign == '-' { "sentence removed" } else { "sentence added" };
            writeln!(out, "{},{member},{change},,,,{}", c.period, cell(sentence)).unwrap();
        }
    }
    out
}

fn to_json(h: &Header, all: &[Changed]) -> String {
    let changes: Vec<_> = all
        .iter()
        .map(|c| {
            json!({
                "period": c.period,
                "member": c.member,
                "facts": c.facts.iter().map(|f| json!({"change": f.change.word(), "rule": f.rule, "before": f.before, "after": f.after})).collect::<Vec<_>>(),
                "sentences": c.sentences.iter().map(|(sign, text)| json!({"change": if *sign == '-' { "removed" } else { "added" }, "text": text})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({
        "data": h.opts.data.display().to_string(),
        "rules": h.ours.path.display().to_string(),
        "other": h.theirs.path.display().to_string(),
        "lang": h.opts.lang,
        "from": h.from,
        "to": h.to,
        "bulletins": h.bulletins,
        "changed": all.len(),
        "changes": changes,
    });
    serde_json::to_string_pretty(&doc).expect("plain data serialises") + "\n"
}
