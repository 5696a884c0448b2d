//! Two rules that state the same figure of the same member in one bulletin: a new "exports fell"
//! rule beside `partners_declining`, which gives exports too, says it twice.
//!
//! What a rule states is read from its fact template: every figure a `{{...}}` prints (not one
//! an `{{#if}}` only tests), of its subjects or of the total, with its flow. Whether two rules
//! meet on the same member is read from the data: the rules run over its latest months (the
//! backtest), and a pair is reported only where both were stated about the same member in one
//! bulletin, with the months it happened.

use crate::Error;
use crate::dataset::{Basis, Flow, Period, TOTAL_DIMENSION, TOTAL_MEMBER};
use crate::history::{self, Scope};
use crate::pipeline::Loaded;
use crate::plan::Plan;
use crate::render;
use crate::rules::Fact;
use crate::stats::FIGURES;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// How many of the data's latest months are searched: two years of bulletins meet most pairs
/// that meet at all, and keep validate quick enough to run before every scheduled run (about
/// 5,600 member bulletins of the U.S. data with `--rules member`). `explain --from --to` runs
/// over the whole history.
const LOOK_BACK_MONTHS: i32 = 24;

/// A figure a template prints: its flow and its name.
type Figure = (Flow, &'static str);

/// What a fact template prints: figures of the fact's subjects, and of the reporter's total.
#[derive(Debug, Default)]
struct Printed {
    subject: BTreeSet<Figure>,
    total: BTreeSet<Figure>,
}

/// Two rules (by index) stated about one member in one bulletin: the member, and the figures
/// both can print, each with the index of the language whose templates print it.
type Meeting = ((usize, usize), String, Vec<(usize, Figure)>);

/// Where two rules met: how often, and the first and last time.
#[derive(Debug, Default)]
struct Met {
    bulletins: usize,
    first: Option<(String, String)>,
    last: Option<(String, String)>,
    figures: BTreeSet<(Flow, &'static str)>,
    langs: BTreeSet<String>,
}

/// A warning for every pair of rules the data shows stating the same figure of the same member
/// in one bulletin, in any of `langs`.
pub fn warnings(run: &Loaded, langs: &[String], templates: Option<&Path>) -> Result<Vec<String>, Error> {
    let rules = &run.rules.rules;
    let printed: Vec<Vec<Printed>> = langs
        .iter()
        .map(|lang| rules.iter().map(|r| printed(&template_text(lang, &r.template, templates), r.over.flow)).collect())
        .collect();
    // Pairs whose templates print a figure in common, on the same basis, that the plan or a
    // group does not keep apart: the only ones the data need be searched for.
    let mut pairs = Vec::new();
    for i in 0..rules.len() {
        for j in i + 1..rules.len() {
            let same_basis = rules[i].over.basis == rules[j].over.basis;
            let (a, b) = (&rules[i], &rules[j]);
            let grouped = a.group.is_some() && a.group == b.group;
            let meet = printed.iter().any(|p| {
                let (x, y) = (&p[i], &p[j]);
                let all_x: BTreeSet<&Figure> = x.subject.iter().chain(&x.total).collect();
                y.subject.iter().chain(&y.total).any(|f| all_x.contains(f))
            });
            // Same template, flow and basis: the plan says a member once (no search needed, but
            // the search would find nothing). A rule group states one rule: likewise.
            let deduplicated = a.template == b.template && a.over.flow == b.over.flow;
            if same_basis && !grouped && meet && !deduplicated {
                pairs.push((i, j));
            }
        }
    }
    if pairs.is_empty() {
        return Ok(vec![]);
    }
    let Some((first, to)) = history::data_span(&run.ds) else {
        return Ok(vec![]);
    };
    let from = Period::from_index(first.index().max(to.index() - (LOOK_BACK_MONTHS - 1)));
    let scope = match run.ds.spec.dimensions.keys().next() {
        Some(dim) if run.rules.has_focus() => Scope::Each { dimension: dim, member: None },
        _ => Scope::Month,
    };
    let periods = history::months(from, to);
    let months = history::over_months(&run.ds, &periods, |stats| {
        let mut found: Vec<Meeting> = Vec::new();
        let judged = history::judge(stats, &run.rules, scope)?;
        for b in &judged {
            for &(i, j) in &pairs {
                let (Some(fa), Some(fb)) = (stated(&b.plan, &rules[i].id), stated(&b.plan, &rules[j].id)) else {
                    continue;
                };
                let mut common = Vec::new();
                let mut member = String::new();
                for (l, p) in printed.iter().enumerate() {
                    let xa = concrete(fa, &p[i]);
                    let xb = concrete(fb, &p[j]);
                    for x in xa.intersection(&xb) {
                        member = x.1.clone();
                        common.push((l, (x.3, x.4)));
                    }
                }
                if !common.is_empty() {
                    found.push(((i, j), member, common));
                }
            }
        }
        Ok((found, judged.len()))
    })?;
    let mut met: BTreeMap<(usize, usize), Met> = BTreeMap::new();
    let mut bulletins = 0;
    for (period, month) in months {
        let Some((found, n)) = month else { continue };
        bulletins += n;
        for (pair, member, common) in found {
            let m = met.entry(pair).or_default();
            m.bulletins += 1;
            let at = (period.to_string(), member);
            m.first.get_or_insert_with(|| at.clone());
            m.last = Some(at);
            for (l, figure) in common {
                m.figures.insert(figure);
                m.langs.insert(langs[l].clone());
            }
        }
    }
    Ok(met
        .into_iter()
        .map(|((i, j), m)| {
            let (a, b) = (&rules[i], &rules[j]);
            let figures: Vec<String> =
                m.figures.iter().map(|(flow, f)| format!("`{f}` of {}", flow_words(*flow))).collect();
            let langs = if m.langs.len() == langs.len() {
                String::new()
            } else {
                format!(" (in the {} templates)", m.langs.iter().cloned().collect::<Vec<_>>().join(", "))
            };
            let (first, last) = (m.first.unwrap_or_default(), m.last.unwrap_or_default());
            format!(
                "rules `{}` ({}) and `{}` ({}) can both state {} of the same member{langs}, and both were \
                 stated about one member in {} of the {bulletins} bulletins from {from} to {to} (first {} {}, \
                 last {} {}): the bulletin may say it twice; give the two rules a `group`, or an `unless` that \
                 leaves out the other's members",
                a.id,
                a.origin,
                b.id,
                b.origin,
                figures.join(", "),
                m.bulletins,
                first.0,
                first.1,
                last.0,
                last.1,
            )
        })
        .collect())
}

/// The fact a rule states in a bulletin, if it does.
fn stated<'a>(plan: &'a Plan, rule: &str) -> Option<&'a Fact> {
    plan.sections.iter().flat_map(|s| &s.facts).map(|pf| &pf.fact).find(|f| f.rule == rule)
}

/// The figures a fact states, each as (dimension, member, basis, flow, figure).
fn concrete(fact: &Fact, p: &Printed) -> BTreeSet<(String, String, Basis, Flow, &'static str)> {
    let basis = fact.over.basis;
    let mut out = BTreeSet::new();
    for s in &fact.subjects {
        for (flow, f) in &p.subject {
            out.insert((s.dimension.clone(), s.member.clone(), basis, *flow, *f));
        }
    }
    for (flow, f) in &p.total {
        out.insert((TOTAL_DIMENSION.to_string(), TOTAL_MEMBER.to_string(), basis, *flow, *f));
    }
    out
}

fn flow_words(flow: Flow) -> &'static str {
    match flow {
        Flow::Total => "total trade",
        Flow::Export => "exports",
        Flow::Import => "imports",
        Flow::Balance => "the balance",
    }
}

/// The text of a fact template as a run would use it: the override's, else the built-in one.
fn template_text(lang: &str, name: &str, overrides: Option<&Path>) -> String {
    let rel = format!("{lang}/facts/{name}.hbs");
    if let Some(text) =
        overrides.and_then(|dir| crate::input::read_text(&dir.join(&rel), crate::input::MAX_TEMPLATE_BYTES).ok())
    {
        return text;
    }
    render::builtin_files().iter().find(|(p, _)| *p == rel).map(|(_, t)| t.to_string()).unwrap_or_default()
}

/// The figures a template prints, `own` being the flow of its rule: every figure named in a
/// `{{...}}` that prints (not a block's opening, which only tests, nor a `(subexpression)`),
/// as a path (`share_pct`, `first.flows.export.value`, `total.yoy_pct`) or a quoted name given
/// to a helper (`{{pcts subjects "yoy_pct"}}`); but not inside `{{#each fresh}}` or a block on
/// `stated`, where the template itself leaves out what an earlier sentence said.
fn printed(text: &str, own: Flow) -> Printed {
    let mut out = Printed::default();
    let mut rest = text;
    // For each block open at this point, whether it keeps repetition out.
    let mut guarded: Vec<bool> = Vec::new();
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let inner = after[..end].trim_matches(|c| c == '{' || c == '}' || c == '~').trim();
        rest = &after[end + 2..];
        // A block over `fresh` (the subjects no earlier sentence spoke of) or on `stated` (whether
        // one did) is the renderer keeping a figure from being said twice: what it prints is not
        // counted.
        if let Some(opening) = inner.strip_prefix('#') {
            let words = opening.split(|c: char| !(c.is_alphanumeric() || c == '_'));
            guarded.push(words.into_iter().any(|w| w == "fresh" || w == "stated"));
            continue;
        }
        if inner.starts_with('/') {
            guarded.pop();
            continue;
        }
        if inner.is_empty()
            || inner.starts_with(['!', '^', '>'])
            || inner.starts_with("else")
            || guarded.contains(&true)
        {
            continue;
        }
        // Subexpressions test or combine; what they read is not printed as it is.
        let mut flat = String::new();
        let mut depth = 0usize;
        for c in inner.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                c if depth == 0 => flat.push(c),
                _ => {}
            }
        }
        let tokens: Vec<&str> = flat.split_whitespace().collect();
        // `{{path}}` prints the path; `{{helper args...}}` prints what the helper makes of its args.
        let args = if tokens.len() > 1 { &tokens[1..] } else { &tokens[..] };
        for token in args {
            let token = token.rsplit('=').next().unwrap_or(token);
            let (quoted, path) = match token.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
                Some(name) => (true, name),
                None => (false, token),
            };
            let mut path = path.trim_start_matches("../").trim_start_matches("this.");
            let total = !quoted && path.starts_with("total.");
            if total {
                path = &path["total.".len()..];
            }
            path = path.strip_prefix("first.").unwrap_or(path);
            let mut flow = own;
            if let Some(p) = path.strip_prefix("flows.")
                && let Some((f, figure)) = p.split_once('.')
                && let Ok(f) = f.parse::<Flow>()
            {
                flow = f;
                path = figure;
            }
            if let Some((name, _, _)) = FIGURES.iter().find(|(n, _, _)| *n == path) {
                let set = if total { &mut out.total } else { &mut out.subject };
                set.insert((flow, name));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_prints_what_its_mustaches_print_not_what_its_blocks_test() {
        let p = printed(
            "{{#each subjects}}{{#if (neg_pct gap_pp)}}{{name}} {{growth_to yoy_pct value \"\" @index}}, \
             {{pct share_pct}}{{/if}}{{#if flows.export.yoy_pct}}{{amount flows.export.value}}{{/if}}{{/each}} \
             {{pcts subjects \"yoy_pct\"}} {{pp total.yoy_pct}} {{first.flows.import.value}}",
            Flow::Total,
        );
        let subject: Vec<Figure> = p.subject.into_iter().collect();
        assert_eq!(
            subject,
            vec![
                (Flow::Export, "value"),
                (Flow::Import, "value"),
                (Flow::Total, "share_pct"),
                (Flow::Total, "value"),
                (Flow::Total, "yoy_pct"),
            ]
        );
        assert_eq!(p.total.into_iter().collect::<Vec<_>>(), vec![(Flow::Total, "yoy_pct")]);
    }

    #[test]
    fn what_a_template_leaves_out_once_said_is_not_counted() {
        let p = printed(
            "{{#each fresh}}{{amount value}}{{/each}}{{#each subjects}}{{#unless stated}}{{pct share_pct}}\
             {{else}}{{pp gap_pp}}{{/unless}}{{amount flows.export.value}}{{/each}}",
            Flow::Total,
        );
        assert_eq!(p.subject.into_iter().collect::<Vec<_>>(), vec![(Flow::Export, "value")]);
    }
}
