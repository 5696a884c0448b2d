//! `explain`: the trail from figures to facts, for a press officer asking why a sentence is there
//! (or is not).

use crate::Error;
use crate::options::GenerateOptions;
use crate::pipeline::Loaded;
use crate::plan::{self, Plan};
use crate::render::Format;
use crate::rules::{self, Evaluation, RuleSet};
use crate::stats::Stats;
use serde_json::{Value as Json, json};
use std::fmt::Write as _;
use std::path::Path;

/// How many members passed over are listed per rule in text; JSON lists them all.
const SHOWN_REJECTIONS: usize = 8;

/// Every rule for one period: whether it fired, the values its condition read for each member it
/// chose or passed over, and what the plan left out. Text for people, JSON for tools.
pub fn explain(opts: &GenerateOptions) -> Result<String, Error> {
    let run = Loaded::load(opts)?;
    let period = run.period(opts.period)?;
    let stats = Stats::compute(&run.ds, period)?;
    let eval = rules::evaluate(&run.rules, &stats)?;
    let plan = plan::plan(&eval, &stats, period);
    Ok(report(&run.rules, &eval, &plan, &opts.data, opts.format == Format::Json))
}

/// Writes the report as text or JSON.
pub fn report(rules: &RuleSet, eval: &Evaluation, plan: &Plan, data: &Path, json: bool) -> String {
    let in_plan = |rule: &str| plan.sections.iter().flat_map(|s| &s.facts).any(|f| f.fact.rule == rule);
    let dropped = |rule: &str| plan.dropped.iter().find(|(r, _)| r == rule).map(|(_, why)| why.clone());
    if json {
        let items: Vec<Json> = rules
            .rules
            .iter()
            .zip(&eval.outcomes)
            .map(|(rule, outcome)| {
                let fact = eval.facts.iter().find(|f| f.rule == rule.id);
                json!({
                    "rule": rule.id,
                    "origin": rule.origin,
                    "section": rule.section,
                    "salience": rule.salience,
                    "when": rule.when,
                    "unless": rule.unless,
                    "fired": fact.is_some(),
                    "stated": in_plan(&rule.id),
                    "dropped_by_plan": dropped(&rule.id),
                    "chosen": fact.map(|f| f.subjects.iter().map(|s| json!({"member": s.member, "why": s.why})).collect::<Vec<_>>()),
                    "rejected": outcome.rejected.iter().map(|(m, why)| json!({"member": m, "why": why})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let doc = json!({ "data": data.display().to_string(), "rules": rules.path.display().to_string(), "period": plan.period, "params": rules.params, "explain": items });
        return serde_json::to_string_pretty(&doc).expect("plain data serialises") + "\n";
    }
    let mut out = String::new();
    let w = &mut out;
    writeln!(w, "Rules {} on {} for {}", rules.path.display(), data.display(), plan.period).unwrap();
    if !rules.params.is_empty() {
        let params: Vec<String> = rules.params.iter().map(|(k, v)| format!("{k} = {}", json!(v))).collect();
        writeln!(w, "params: {}", params.join(", ")).unwrap();
    }
    for section in &rules.sections {
        writeln!(w, "\n[{section}]").unwrap();
        for (rule, outcome) in rules.rules.iter().zip(&eval.outcomes).filter(|(r, _)| &r.section == section) {
            let fact = eval.facts.iter().find(|f| f.rule == rule.id);
            let state = match (fact, in_plan(&rule.id), dropped(&rule.id)) {
                (Some(_), true, _) => "FIRED, stated".to_string(),
                (Some(_), false, Some(why)) => format!("FIRED, not stated: {why}"),
                (Some(_), false, None) => "FIRED, not stated".to_string(),
                (None, ..) => match outcome.rejected.iter().find(|(_, why)| why.ends_with("fired instead")) {
                    // A rule that lost to its group fired; its subjects carry the group's verdict.
                    Some((_, why)) => format!("FIRED, not stated: {why}"),
                    None => "did not fire".to_string(),
                },
            };
            writeln!(w, "{} (salience {}, {}): {state}", rule.id, rule.salience, rule.origin).unwrap();
            let unless = rule.unless.as_ref().map(|u| format!(" unless `{u}`")).unwrap_or_default();
            writeln!(
                w,
                "  over {} {} {}, when `{}`{unless}",
                rule.over.dimension, rule.over.flow, rule.over.basis, rule.when
            )
            .unwrap();
            for s in fact.map(|f| f.subjects.as_slice()).unwrap_or_default() {
                let why: Vec<String> = s.why.iter().map(|(k, v)| format!("{k} = {}", plain(v))).collect();
                writeln!(w, "  + {}: {}", s.member, if why.is_empty() { "always".into() } else { why.join(", ") })
                    .unwrap();
            }
            if outcome.rejected.is_empty() && fact.is_none() {
                writeln!(w, "  no members of `{}` in this dataset", rule.over.dimension).unwrap();
            }
            for (member, why) in outcome.rejected.iter().take(SHOWN_REJECTIONS) {
                writeln!(w, "  - {member}: {why}").unwrap();
            }
            if outcome.rejected.len() > SHOWN_REJECTIONS {
                let more = outcome.rejected.len() - SHOWN_REJECTIONS;
                writeln!(w, "  ... and {more} more passed over (--format json lists them all)").unwrap();
            }
        }
    }
    out
}

/// A JSON value as a person reads it: strings without quotes.
fn plain(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}
