//! Stage 4: the shape of the article: sections in order, facts by salience, a headline, which
//! mentions of a member are its first, what a claim to be the largest must add (a runner-up level
//! with it, a group that is larger), and which figures the article has already stated.

use crate::dataset::{Basis, Flow, Period};
use crate::rules::{Evaluation, Fact, Subject};
use crate::stats::{Meta, Stats, TrendMonth};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// At most this many facts in one section: a bulletin is read, not searched.
pub const MAX_FACTS_PER_SECTION: usize = 8;

/// A fact placed in the article.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedFact {
    /// The fact.
    pub fact: Fact,
    /// For each subject, whether this is the article's first mention of it (full name) or not (short form).
    pub first_mention: Vec<bool>,
    /// For each subject, what a claim about its rank must take into account.
    pub notes: Vec<Notes>,
}

/// What the plan knows of a subject that its own figures do not say. Set only for a subject
/// whose rule's condition reads its rank (`rank_value`): one that is called the largest.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Notes {
    /// The runner-up, where the subject ranks first and their shares differ by less than the
    /// 0.1 points a share is printed to: the two are level, and neither is "the largest".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_with: Option<Runner>,
    /// A member of a dimension made of groups of this one's members that is larger (the EU,
    /// above Mexico among U.S. partners): the subject is then the largest single partner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub larger_group: Option<String>,
}

/// A member named beside a fact's subject.
#[derive(Debug, Clone, Serialize)]
pub struct Runner {
    /// The member and its figures on the fact's basis.
    pub subject: Subject,
    /// Whether this is the article's first mention of it.
    pub first_mention: bool,
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
    /// What the page's charts draw.
    #[serde(skip)]
    pub charts: Charts,
}

/// At most this many bars in a chart of a dimension, unless the bulletin names more members.
pub const MAX_BARS: usize = 8;

/// The figures behind the page's charts, exact until they are drawn.
#[derive(Debug, Clone, Default)]
pub struct Charts {
    /// The reporter's monthly trade, oldest first, ending at the reported month.
    pub trend: Vec<TrendMonth>,
    /// One chart for each dimension the bulletin speaks of, in the order it first does.
    pub breakdowns: Vec<Breakdown>,
}

/// The members of one dimension, largest first, with their growth.
#[derive(Debug, Clone)]
pub struct Breakdown {
    /// The dimension.
    pub dimension: String,
    /// The flow charted: total trade where the members have it.
    pub flow: Flow,
    /// Month alone or year to date, as the bulletin's facts about the dimension.
    pub basis: Basis,
    /// The members, largest value first.
    pub bars: Vec<Bar>,
}

/// One member's figures in a [`Breakdown`].
#[derive(Debug, Clone)]
pub struct Bar {
    /// The member id.
    pub member: String,
    /// Its value, in the dataset's unit.
    pub value: Decimal,
    /// Its year-on-year growth, percent, where there is one.
    pub yoy_pct: Option<Decimal>,
    /// Its share of the reporter's total for the flow, percent.
    pub share_pct: Option<Decimal>,
    /// Whether the bulletin names it (else it is one of the largest, shown for comparison).
    pub named: bool,
}

/// Orders, caps and de-duplicates facts into an article, with the figures its charts draw.
pub fn plan(eval: &Evaluation, stats: &Stats, period: Period) -> Plan {
    let meta = &stats.meta;
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
            let mut notes: Vec<Notes> = fact.subjects.iter().map(|s| notes_of(&fact, s, stats)).collect();
            for runner in notes.iter_mut().filter_map(|n| n.level_with.as_mut()) {
                let s = &runner.subject;
                runner.first_mention = mentioned.insert((s.dimension.clone(), s.member.clone()));
            }
            planned.push(PlannedFact { fact, first_mention, notes });
        }
        if !planned.is_empty() {
            sections.push(Section { id: id.clone(), heading: eval.headings.get(id).cloned(), facts: planned });
        }
    }
    let headline = eval.facts.iter().filter(|f| f.headline.is_some()).max_by_key(|f| f.salience).map(|f| PlannedFact {
        first_mention: vec![true; f.subjects.len()],
        notes: f.subjects.iter().map(|s| notes_of(f, s, stats)).collect(),
        fact: f.clone(),
    });
    let charts = Charts { trend: stats.trend.clone(), breakdowns: breakdowns(&sections, stats) };
    Plan { period, meta: meta.clone(), headline, sections, dropped, charts }
}

/// A chart for each dimension the sections speak of: the members they name and, where the
/// dimension's ranks can be claimed, the largest others up to [`MAX_BARS`], for scale.
fn breakdowns(sections: &[Section], stats: &Stats) -> Vec<Breakdown> {
    let facts: Vec<&Fact> = sections.iter().flat_map(|s| &s.facts).map(|f| &f.fact).collect();
    let mut dimensions: Vec<&str> = Vec::new();
    for f in &facts {
        for s in f.subjects.iter().filter(|s| s.dimension != crate::dataset::TOTAL_DIMENSION) {
            if !dimensions.contains(&s.dimension.as_str()) {
                dimensions.push(&s.dimension);
            }
        }
    }
    dimensions
        .into_iter()
        .filter_map(|dimension| {
            let about: Vec<&&Fact> =
                facts.iter().filter(|f| f.subjects.iter().any(|s| s.dimension == dimension)).collect();
            let named: Vec<&str> = about
                .iter()
                .flat_map(|f| &f.subjects)
                .filter(|s| s.dimension == dimension)
                .map(|s| s.member.as_str())
                .collect();
            // The year to date where the bulletin speaks of it, as a release's tables do.
            let basis = if about.iter().any(|f| f.over.basis == Basis::Ytd) { Basis::Ytd } else { Basis::Month };
            // Total trade, else the flow the facts are about, where the members have it.
            let flows = std::iter::once(Flow::Total).chain(about.iter().map(|f| f.over.flow));
            let flow = flows
                .filter(|f| *f != Flow::Balance)
                .find(|f| named.iter().any(|m| stats.get(dimension, m, *f, basis).is_some()))?;
            // A member given by published rates alone has no value to draw.
            let bar = |member: &str, named: bool| {
                let f = stats.get(dimension, member, flow, basis)?;
                Some(Bar {
                    member: member.to_string(),
                    value: f.value?,
                    yoy_pct: f.yoy_pct,
                    share_pct: f.share_pct,
                    named,
                })
            };
            let mut bars: Vec<Bar> = Vec::new();
            for m in &named {
                if !bars.iter().any(|b| b.member == *m) {
                    bars.extend(bar(m, true));
                }
            }
            if stats.meta.complete.iter().any(|d| d == dimension) {
                let mut largest: Vec<(u32, &str)> = stats
                    .series
                    .iter()
                    .filter(|s| s.dimension == dimension && s.flow == flow && s.basis == basis)
                    .filter_map(|s| s.figures.rank_value.map(|r| (r, s.member.as_str())))
                    .collect();
                largest.sort();
                for (_, m) in largest {
                    if bars.len() >= MAX_BARS {
                        break;
                    }
                    if !bars.iter().any(|b| b.member == m) {
                        bars.extend(bar(m, false));
                    }
                }
            }
            // Largest first; equal values by id, so the order never depends on the facts'.
            bars.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.member.cmp(&b.member)));
            (!bars.is_empty()).then(|| Breakdown { dimension: dimension.to_string(), flow, basis, bars })
        })
        .collect()
}

/// Shares differing by less than this, in points, print as level or a tenth apart: too close to
/// call one of them the largest.
pub const LEVEL_PP: Decimal = Decimal::from_parts(1, 0, 0, false, 1);

/// What a claim about `subject`'s rank must take into account; nothing for a rule that does not
/// read the rank.
fn notes_of(fact: &Fact, subject: &Subject, stats: &Stats) -> Notes {
    let (flow, basis, dim) = (fact.over.flow, fact.over.basis, subject.dimension.as_str());
    let Some(own) = subject.flows.get(&flow).filter(|_| subject.why.contains_key("rank_value")) else {
        return Notes::default();
    };
    let larger_group = stats.meta.grouped_by.get(dim).into_iter().flatten().find_map(|groups| {
        let larger = |s: &&crate::stats::SeriesStats| {
            s.dimension == *groups && s.flow == flow && s.basis == basis && s.figures.value > own.value
        };
        stats.series.iter().filter(larger).max_by_key(|s| s.figures.value).map(|s| s.member.clone())
    });
    let level_with = (own.rank_value == Some(1))
        .then(|| {
            stats
                .series
                .iter()
                .find(|s| s.dimension == dim && s.flow == flow && s.basis == basis && s.figures.rank_value == Some(2))
        })
        .flatten()
        .filter(|runner| !fact.subjects.iter().any(|s| s.dimension == runner.dimension && s.member == runner.member))
        .filter(|runner| match (own.share_pct, runner.figures.share_pct) {
            (Some(a), Some(b)) => (a - b).abs() < LEVEL_PP,
            _ => false,
        })
        .map(|runner| Runner {
            subject: Subject {
                dimension: runner.dimension.clone(),
                member: runner.member.clone(),
                flows: std::sync::Arc::new(flows_of(stats, dim, &runner.member, basis)),
                why: BTreeMap::new(),
            },
            first_mention: false,
        });
    Notes { level_with, larger_group }
}

/// A member's figures on one basis, by flow.
fn flows_of(stats: &Stats, dimension: &str, member: &str, basis: Basis) -> BTreeMap<Flow, crate::stats::Figures> {
    Flow::ALL.iter().filter_map(|&f| stats.get(dimension, member, f, basis).map(|fig| (f, fig.clone()))).collect()
}

/// The figures an article has stated so far, by (dimension, member, flow, basis, figure): a figure
/// is stated once, and a later sentence about the same member is told which it need not repeat.
#[derive(Debug, Clone, Default)]
pub struct Stated(HashSet<(String, String, Flow, Basis, String)>);

impl Stated {
    /// Records a figure as stated.
    pub fn add(&mut self, dimension: &str, member: &str, flow: Flow, basis: Basis, figure: &str) {
        self.0.insert((dimension.into(), member.into(), flow, basis, figure.into()));
    }

    /// The figures of one series already stated.
    pub fn of(&self, dimension: &str, member: &str, flow: Flow, basis: Basis) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .0
            .iter()
            .filter(|(d, m, f, b, _)| d == dimension && m == member && *f == flow && *b == basis)
            .map(|(_, _, _, _, figure)| figure.as_str())
            .collect();
        out.sort_unstable();
        out
    }
}

impl Plan {
    /// The plan with the data rows behind its facts' figures, and their totals', written out as
    /// `file:line`: for the JSON output, which shows them. A Markdown bulletin does not, and a
    /// batch of thousands need not write out the hundreds of rows behind a group's figures.
    pub fn with_rows(&self) -> Plan {
        let mut plan = self.clone();
        for pf in plan.headline.iter_mut().chain(plan.sections.iter_mut().flat_map(|s| s.facts.iter_mut())) {
            let fact = &mut pf.fact;
            let runners = pf.notes.iter_mut().filter_map(|n| n.level_with.as_mut()).map(|r| &mut r.subject.flows);
            for flows in fact.subjects.iter_mut().map(|s| &mut s.flows).chain([&mut fact.total]).chain(runners) {
                for figures in std::sync::Arc::make_mut(flows).values_mut() {
                    plan.meta.cite(figures);
                }
            }
        }
        plan
    }
}
