//! Stage 4: the shape of the article: sections in order, facts by salience, a headline, and
//! which mentions of a member are its first.

use crate::dataset::{Basis, Flow, Period};
use crate::rules::{Evaluation, Fact};
use crate::stats::Meta;
use serde::Serialize;
use std::collections::HashSet;

/// At most this many facts in one section: a bulletin is read, not searched.
pub const MAX_FACTS_PER_SECTION: usize = 8;

/// A fact placed in the article.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedFact {
    /// The fact.
    pub fact: Fact,
    /// For each subject, whether this is the article's first mention of it (full name) or not (short form).
    pub first_mention: Vec<bool>,
}

/// A section with something to say.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Its id from the rules file.
    pub id: String,
    /// The template of its heading (`sections/<name>`), where the rules give it one.
    pub heading: Option<String>,
    /// Its facts, most salient first.
    pub facts: Vec<PlannedFact>,
}

/// The article before it has words.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The period it reports.
    pub period: Period,
    /// About the dataset.
    pub meta: Meta,
    /// The fact the headline is made from.
    pub headline: Option<PlannedFact>,
    /// The sections, in the rules file's order, none empty.
    pub sections: Vec<Section>,
    /// Facts left out, with why.
    pub dropped: Vec<(String, String)>,
}

/// Orders, caps and de-duplicates facts into an article.
pub fn plan(eval: &Evaluation, meta: &Meta, period: Period) -> Plan {
    let mut dropped = Vec::new();
    let mut described: HashSet<(String, String, String, Flow, Basis)> = HashSet::new();
    let mut mentioned: HashSet<(String, String)> = HashSet::new();
    let mut sections = Vec::new();
    for id in &eval.sections {
        let mut facts: Vec<&Fact> = eval.facts.iter().filter(|f| &f.section == id).collect();
        // Stable, so rules of equal salience keep the file's order.
        facts.sort_by_key(|f| std::cmp::Reverse(f.salience));
        let mut planned = Vec::new();
        for fact in facts {
            if planned.len() == MAX_FACTS_PER_SECTION {
                dropped.push((fact.rule.clone(), format!("section `{id}` already has {MAX_FACTS_PER_SECTION} facts")));
                continue;
            }
            let mut fact = fact.clone();
            // The same figures of a member are not described twice by the same template.
            let (template, flow, basis) = (fact.template.clone(), fact.over.flow, fact.over.basis);
            fact.subjects
                .retain(|s| described.insert((template.clone(), s.dimension.clone(), s.member.clone(), flow, basis)));
            if fact.subjects.is_empty() {
                dropped.push((fact.rule.clone(), "every subject was already described this way".into()));
                continue;
            }
            let first_mention =
                fact.subjects.iter().map(|s| mentioned.insert((s.dimension.clone(), s.member.clone()))).collect();
            planned.push(PlannedFact { fact, first_mention });
        }
        if !planned.is_empty() {
            sections.push(Section { id: id.clone(), heading: eval.headings.get(id).cloned(), facts: planned });
        }
    }
    let headline = eval
        .facts
        .iter()
        .filter(|f| f.headline.is_some())
        .max_by_key(|f| f.salience)
        .map(|f| PlannedFact { first_mention: vec![true; f.subjects.len()], fact: f.clone() });
    Plan { period, meta: meta.clone(), headline, sections, dropped }
}

impl Plan {
    /// The plan with the data rows behind its facts' figures, and their totals', written out as
    /// `file:line`: for the JSON output, which shows them. A Markdown bulletin does not, and a
    /// batch of thousands need not write out the hundreds of rows behind a group's figures.
    pub fn with_rows(&self) -> Plan {
        let mut plan = self.clone();
        for pf in plan.headline.iter_mut().chain(plan.sections.iter_mut().flat_map(|s| s.facts.iter_mut())) {
            let fact = &mut pf.fact;
            for flows in fact.subjects.iter_mut().map(|s| &mut s.flows).chain([&mut fact.total]) {
                for figures in std::sync::Arc::make_mut(flows).values_mut() {
                    plan.meta.cite(figures);
                }
            }
        }
        plan
    }
}
