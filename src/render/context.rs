//! What a fact template reads: the subjects with their names, number and figures (each flow's,
//! with which of them the bulletin has stated already), the runner-up or larger group the plan
//! noted, the total, the period; and which series a printed figure belongs to.

use crate::dataset::{Basis, Flow};
use crate::plan::{Plan, PlannedFact, Stated};
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;

/// Everything a fact template can read: the subjects with their names and figures, the total, the period.
pub(super) fn fact_context(
    lang: &str,
    reporter: Json,
    plan: &Plan,
    pf: &PlannedFact,
    cache: &mut FiguresCache,
    stated: &Stated,
) -> Json {
    let fact = &pf.fact;
    let flow = fact.over.flow;
    let basis = fact.over.basis;
    let subjects: Vec<Json> = fact
        .subjects
        .iter()
        .zip(&pf.first_mention)
        .enumerate()
        .map(|(i, (s, &first))| {
            let mut obj = subject_json(lang, plan, s, first, flow, basis, cache, stated);
            let notes = pf.notes.get(i).cloned().unwrap_or_default();
            if let Some(runner) = &notes.level_with {
                let r = subject_json(lang, plan, &runner.subject, runner.first_mention, flow, basis, cache, stated);
                obj.insert("level_with".into(), Json::Object(r));
            }
            if let Some(group) = &notes.larger_group {
                obj.insert("larger_group".into(), json!(group));
            }
            Json::Object(obj)
        })
        .collect();
    let labels = plan.meta.labels.get(&fact.over.dimension);
    let label = labels.and_then(|l| l.get(lang)).cloned().or_else(|| {
        // Chinese text with an English label reads badly: the common dimensions have a Chinese
        // word here for datasets that give none.
        let zh = ZH_LABELS.iter().find(|(d, _)| *d == fact.over.dimension).map(|(_, w)| w.to_string());
        if lang == "zh" { zh.or_else(|| labels.and_then(|l| l.get("en")).cloned()) } else { None }
    });
    // Built field by field: `json!` would copy every value given to it once more.
    let mut ctx = serde_json::Map::new();
    ctx.insert("period".into(), Json::String(fact.period.to_string()));
    ctx.insert("year".into(), json!(fact.period.year));
    ctx.insert("month".into(), json!(fact.period.month));
    ctx.insert("basis".into(), json!(fact.over.basis));
    ctx.insert("flow".into(), json!(flow));
    // Templates compare the code (`eq currency "CNY"`); the amount helpers read how it is written.
    ctx.insert("currency".into(), json!(plan.meta.currency.code));
    ctx.insert("currency_format".into(), json!(plan.meta.currency));
    ctx.insert("unit".into(), Json::String(plan.meta.unit.to_string()));
    if let Some(p) = plan.meta.precision {
        ctx.insert("precision".into(), Json::String(p.to_string()));
    }
    ctx.insert("reporter".into(), reporter);
    ctx.insert("label".into(), Json::String(label.unwrap_or_else(|| fact.over.dimension.replace('_', " "))));
    ctx.insert("count".into(), json!(subjects.len()));
    ctx.insert("first".into(), subjects.first().cloned().unwrap_or(Json::Null));
    ctx.insert("subjects".into(), Json::Array(subjects));
    let total_key = (crate::dataset::TOTAL_DIMENSION, crate::dataset::TOTAL_MEMBER, fact.over.basis);
    let mut total = figures_json(&fact.total, flow, total_key, cache);
    mark_stated(&mut total, stated, total_key.0, total_key.1, flow, basis);
    ctx.insert("total".into(), Json::Object(total));
    ctx.insert("is_ytd".into(), Json::Bool(fact.over.basis == Basis::Ytd));
    // A whole year is compared with the year before ("比2018年", "比上年"), not "the same period".
    ctx.insert("full_year".into(), Json::Bool(fact.over.basis == Basis::Ytd && fact.period.month == 12));
    ctx.insert("prior_year".into(), json!(fact.period.year - 1));
    // The source in the bulletin's own language, for "据…统计"; none where it has no such name.
    ctx.insert("source".into(), json!(plan.meta.source.get(lang)));
    // Whether ranks in the dimension can be claimed ("the largest of all types"): templates
    // that list members say so only then.
    ctx.insert("complete".into(), Json::Bool(plan.meta.complete.contains(&fact.over.dimension)));
    Json::Object(ctx)
}

/// One member as a template reads it: its figures, its names and their number, and which of
/// its figures the bulletin has already stated (`said`).
#[allow(clippy::too_many_arguments)]
fn subject_json(
    lang: &str,
    plan: &Plan,
    s: &crate::rules::Subject,
    first: bool,
    flow: Flow,
    basis: Basis,
    cache: &mut FiguresCache,
    stated: &Stated,
) -> serde_json::Map<String, Json> {
    let names = plan.meta.names.get(&s.dimension).and_then(|d| d.get(&s.member));
    let name = names.and_then(|n| n.get(lang).or_else(|| n.get("en")));
    let full = name.map_or(s.member.as_str(), |n| n.full());
    let short = name.map_or(s.member.as_str(), |n| n.short());
    let (full_plural, short_plural) = name.map_or((false, false), |n| (n.full_plural(), n.short_plural()));
    let mut obj = figures_json(&s.flows, flow, (&s.dimension, &s.member, basis), cache);
    mark_stated(&mut obj, stated, &s.dimension, &s.member, flow, basis);
    obj.insert("id".into(), json!(s.member));
    obj.insert("dimension".into(), json!(s.dimension));
    obj.insert("full".into(), json!(full));
    obj.insert("short".into(), json!(short));
    obj.insert("name".into(), json!(if first { full } else { short }));
    obj.insert("plural".into(), json!(if first { full_plural } else { short_plural }));
    obj.insert("full_plural".into(), json!(full_plural));
    obj.insert("short_plural".into(), json!(short_plural));
    obj.insert("first_mention".into(), json!(first));
    obj
}

/// Adds `said` (the figures of the series the bulletin has stated) to a series' figures and to
/// each flow's under `flows`.
fn mark_stated(
    obj: &mut serde_json::Map<String, Json>,
    stated: &Stated,
    dimension: &str,
    member: &str,
    flow: Flow,
    basis: Basis,
) {
    let said = |f: Flow| -> Json {
        Json::Object(
            stated.of(dimension, member, f, basis).into_iter().map(|k| (k.to_string(), Json::Bool(true))).collect(),
        )
    };
    obj.insert("said".into(), said(flow));
    if let Some(Json::Object(flows)) = obj.get_mut("flows") {
        for f in Flow::ALL {
            if let Some(Json::Object(figures)) = flows.get_mut(f.as_str()) {
                figures.insert("said".into(), said(f));
            }
        }
    }
}

/// The series and figure a template printed, from the path of the value it printed:
/// `first.value`, `subjects.1.flows.export.value`, `first.level_with.share_pct`, `total.yoy_pct`.
pub(super) fn figure_at<'a>(pf: &'a PlannedFact, path: &'a [String]) -> Option<(&'a str, &'a str, Flow, &'a str)> {
    let fact = &pf.fact;
    let (who, rest): ((&str, &str), &[String]) = match path {
        [head, rest @ ..] if head == "total" => ((crate::dataset::TOTAL_DIMENSION, crate::dataset::TOTAL_MEMBER), rest),
        [head, rest @ ..] if head == "first" => (subject_at(pf, 0, rest)?, rest),
        [head, i, rest @ ..] if head == "subjects" => (subject_at(pf, i.parse().ok()?, rest)?, rest),
        _ => return None,
    };
    let rest = rest.strip_prefix(&["level_with".to_string()][..]).unwrap_or(rest);
    match rest {
        [figure] => Some((who.0, who.1, fact.over.flow, figure)),
        [flows, flow, figure] if flows == "flows" => Some((who.0, who.1, flow.parse().ok()?, figure)),
        _ => None,
    }
}

/// Subject `i` of a fact, or the runner-up level with it where the path goes on to `level_with`.
fn subject_at<'a>(pf: &'a PlannedFact, i: usize, rest: &[String]) -> Option<(&'a str, &'a str)> {
    if rest.first().is_some_and(|r| r == "level_with") {
        let r = &pf.notes.get(i)?.level_with.as_ref()?.subject;
        return Some((&r.dimension, &r.member));
    }
    let s = pf.fact.subjects.get(i)?;
    Some((&s.dimension, &s.member))
}

/// Chinese labels of the common dimensions, for datasets that give no `zh` label.
pub const ZH_LABELS: [(&str, &str); 6] = [
    ("partner", "贸易伙伴"),
    ("partner_group", "贸易伙伴组别"),
    ("enterprise_type", "企业类型"),
    ("trade_mode", "贸易方式"),
    ("product", "商品"),
    ("customs_district", "海关关区"),
];

/// Every flow's figures as JSON, by (dimension, member, basis): one bulletin's facts about the
/// same member on the same basis read the same figures, turned into JSON once.
pub(super) type FiguresCache = std::collections::HashMap<(String, String, Basis), serde_json::Map<String, Json>>;

/// A series' figures for its own flow at the top level, and every flow's under `flows`.
fn figures_json(
    flows: &BTreeMap<Flow, crate::stats::Figures>,
    flow: Flow,
    (dimension, member, basis): (&str, &str, Basis),
    cache: &mut FiguresCache,
) -> serde_json::Map<String, Json> {
    let all = cache.entry((dimension.to_string(), member.to_string(), basis)).or_insert_with(|| {
        Flow::ALL
            .iter()
            .map(|f| {
                let mut fig = flows.get(f).and_then(|fig| serde_json::to_value(fig).ok());
                // The data rows are for the JSON output's trail, not for sentences.
                if let Some(Json::Object(m)) = &mut fig {
                    m.remove("rows");
                }
                (f.as_str().to_string(), fig.unwrap_or(Json::Null))
            })
            .collect()
    });
    let mut obj = match all.get(flow.as_str()) {
        Some(Json::Object(m)) => m.clone(),
        _ => serde_json::Map::new(),
    };
    obj.insert("flows".into(), Json::Object(all.clone()));
    obj
}
