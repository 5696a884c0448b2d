//! Section headings: the verdict that opens a numbered section, the line that announces the
//! numbered sections, and the paragraphs as the layouts number them.
//!
//! What a section's heading template reads: the section's facts, and its members sorted by what
//! their figures say (rising or falling, faster or slower than the total), so that a verdict such
//! as "对欧盟、东盟进出口增长，对美国进出口下降" is chosen by the figures, never at random.

use super::{Bulletin, FiguresCache, RenderError, Renderer, helpers, sentence_gap};
use crate::dataset::{Basis, Flow, TOTAL_DIMENSION};
use crate::plan::{Plan, Section};
use rust_decimal::Decimal;
use serde_json::{Value as Json, json};
use std::collections::HashSet;

/// The context of a heading: the first fact's (its period, basis, flow, total and label), with
/// `subjects`, `first` and `count` standing for the section's members; `facts` (each fact's own
/// context, with its `rule` and `template`) and `rules` (the same by rule id); and the members
/// that `rising`, `falling`, `outpacing` (faster than the total) and `lagging`, as printed.
pub(super) fn context(r: &Renderer, plan: &Plan, section: &Section, cache: &mut FiguresCache) -> Json {
    let facts: Vec<Json> = section
        .facts
        .iter()
        .map(|pf| {
            let mut ctx = r.fact_context(plan, pf, cache);
            ctx["rule"] = json!(pf.fact.rule);
            ctx["template"] = json!(pf.fact.template);
            ctx
        })
        .collect();
    let Some(lead) = section.facts.first() else {
        return json!({});
    };
    let mut ctx = facts[0].clone();
    // The members of the facts that speak of the same flow and basis as the first: a verdict on
    // the year's trade does not mix in a month's exports.
    let mut seen = HashSet::new();
    let mut members = Vec::new();
    for (pf, fact) in section.facts.iter().zip(&facts) {
        if (pf.fact.over.flow, pf.fact.over.basis) != (lead.fact.over.flow, lead.fact.over.basis) {
            continue;
        }
        for s in fact["subjects"].as_array().into_iter().flatten() {
            let key = (s["dimension"].to_string(), s["id"].to_string());
            if s["dimension"] != TOTAL_DIMENSION && seen.insert(key) {
                let mut s = s.clone();
                // A heading comes before the sentences that name the member in full.
                s["name"] = s["short"].clone();
                members.push(s);
            }
        }
    }
    let printed = |s: &Json, figure: &str| {
        s[figure].as_str().and_then(|v| v.parse::<Decimal>().ok()).map(|v| helpers::round(v, 1))
    };
    let which = |figure: &str, up: bool| -> Json {
        let chosen: Vec<&Json> = members
            .iter()
            .filter(|s| printed(s, figure).is_some_and(|v| if up { v > Decimal::ZERO } else { v < Decimal::ZERO }))
            .collect();
        json!(chosen)
    };
    ctx["rising"] = which("yoy_pct", true);
    ctx["falling"] = which("yoy_pct", false);
    ctx["outpacing"] = which("gap_pp", true);
    ctx["lagging"] = which("gap_pp", false);
    ctx["count"] = json!(members.len());
    ctx["first"] = members.first().cloned().unwrap_or(Json::Null);
    ctx["subjects"] = json!(members);
    ctx["rules"] =
        Json::Object(facts.iter().map(|f| (f["rule"].as_str().unwrap_or_default().to_string(), f.clone())).collect());
    ctx["facts"] = json!(facts);
    ctx
}

impl Renderer {
    /// A section's one-line verdict, from its heading template and the section's facts.
    pub(super) fn heading(
        &self,
        name: &str,
        plan: &Plan,
        section: &crate::plan::Section,
        reporter: &Json,
        cache: &mut FiguresCache,
    ) -> Result<String, RenderError> {
        let mut ctx = context(self, plan, section, cache);
        ctx["reporter"] = reporter.clone();
        ctx["reporter_full"] = self.reporter(plan);
        self.fill(&format!("sections/{name}"), ctx)
    }

    /// The line that announces the numbered sections.
    pub(super) fn announcement(&self, plan: &Plan, reporter: &Json) -> Result<String, RenderError> {
        let lede = plan.sections.iter().flat_map(|s| &s.facts).next();
        let flow = lede.map_or(Flow::Total, |f| f.fact.over.flow);
        let ctx = json!({
            "period": plan.period.to_string(),
            "basis": Basis::Ytd,
            "full_year": plan.period.month == 12,
            "flow": flow,
            "reporter": reporter,
            "reporter_full": self.reporter(plan),
            "count": plan.sections.iter().filter(|s| s.heading.is_some()).count(),
        });
        self.fill("announce", ctx)
    }
}

/// The paragraphs as the layouts read them (`body`): the text, and for a section with a
/// heading, the heading, its number among the numbered sections, and before the first, the
/// announcement.
pub(super) fn paragraph_context(bulletin: &Bulletin, lang: &str) -> Json {
    let mut number = 0;
    let paragraphs: Vec<Json> = bulletin
        .paragraphs
        .iter()
        .map(|p| {
            let text = p.sentences.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(sentence_gap(lang));
            let Some(heading) = &p.heading else {
                return json!({ "text": text, "heading": null, "number": null, "announcement": null });
            };
            number += 1;
            let announcement = if number == 1 { bulletin.announcement.clone() } else { None };
            json!({ "text": text, "heading": heading, "number": number, "announcement": announcement })
        })
        .collect();
    json!(paragraphs)
}
