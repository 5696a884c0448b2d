//! What a dataset declares that the rules make nothing or too much of: a dimension no rule reads
//! (its rows are loaded and never said), and a member of a ranked dimension that is really a
//! group (the Belt and Road countries declared as a partner): its value counts its members
//! twice, so ranks and shares among the dimension's members would be wrong.

use crate::{dataset, rules};

/// The figures through which a rule reads a dimension's ranks.
const RANKS: [&str; 5] = ["rank_value", "rank_growth", "rank_contribution", "ranked_value", "ranked_growth"];

/// A warning for every dimension no rule reads, and every group among a ranked dimension's members.
pub fn warnings(spec: &dataset::Spec, rules: &rules::RuleSet) -> Vec<String> {
    let mut warnings = Vec::new();
    let over = |dim: &str| rules.rules.iter().filter(|r| r.over.dimension == dim).collect::<Vec<_>>();
    // A dimension whose members only make up groups is read through the groups. Rules about one
    // member (`--each`) may read any dimension.
    let read = |dim: &str| {
        rules.has_focus()
            || !over(dim).is_empty()
            || spec.groups.values().any(|g| g.of == dim && !over(&g.dimension).is_empty())
    };
    for dim in spec.dimensions.keys().filter(|d| !read(d)) {
        warnings.push(format!(
            "dimension `{dim}` is declared in dataset.yaml, but no rule of {} reads it: its rows are never said",
            rules.path.display()
        ));
    }
    for (dim, d) in &spec.dimensions {
        let ranked =
            d.complete != dataset::Completeness::Partial || over(dim).iter().any(|r| RANKS.iter().any(|v| r.reads(v)));
        if !ranked || d.kind == dataset::DimensionKind::Group {
            continue;
        }
        for member in d.members.keys() {
            let summed = spec.groups.get(member).filter(|g| g.dimension == *dim);
            let grouped = spec.dimensions.iter().find(|(other, o)| {
                *other != dim && o.kind == dataset::DimensionKind::Group && o.members.contains_key(member)
            });
            let why = match (summed, grouped) {
                (Some(g), _) => format!("it is a group of `{}` members (under `groups:`)", g.of),
                (None, Some((other, _))) => {
                    format!("it is also a member of `{other}`, whose members are groups (`kind: group`)")
                }
                (None, None) => continue,
            };
            warnings.push(format!(
                "`{member}` of `{dim}` is a group: {why}; `{dim}` is ranked (complete or largest, or a rule reads its ranks), and a group among its members counts its members twice"
            ));
        }
    }
    warnings
}
