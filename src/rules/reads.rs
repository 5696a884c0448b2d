//! The figures a condition reads: a member's figures as CEL values, the fields it names under
//! `total.` and `flows.`, and the values it read, kept for the explain trail.

use super::Param;
use crate::dataset::Flow;
use crate::stats::{FIGURES, Figures, Kind, Num};
use cel::Program;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, HashMap};

/// What a condition reads: its variables, and the fields it reads under `total.` and `flows.`.
#[derive(Debug, Clone, Default)]
pub(super) struct Reads {
    /// Every variable the condition names.
    pub(super) vars: Vec<String>,
    /// `total.<figure>` as `(None, figure)`, `flows.<flow>.<figure>` as `(Some(flow), figure)`,
    /// outside `has(...)`.
    pub(super) fields: Vec<(Option<Flow>, String)>,
    /// Every `total.<figure>` and `flows.<flow>.<figure>` written, for the trail.
    tokens: Vec<String>,
}

impl Reads {
    pub(super) fn of(source: &str, program: &Program) -> Reads {
        let tokens = source
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .filter(|t| {
                let parts: Vec<&str> = t.split('.').collect();
                matches!(parts.as_slice(), ["total", _] | ["flows", _, _])
            })
            .map(String::from)
            .collect();
        // The CEL interpreter gives the variables from a hash set, in a different order each run:
        // sorted, a message naming several ("`decline_streak`, `growth_streak` cannot be
        // computed") reads the same every run, and explain's output can be compared.
        let mut vars: Vec<String> = program.references().variables().into_iter().map(String::from).collect();
        vars.sort_unstable();
        Reads { vars, fields: field_reads(source), tokens }
    }

    pub(super) fn has(&self, var: &str) -> bool {
        self.vars.iter().any(|v| v == var)
    }
}

/// The fields a condition reads outside `has(...)`: `total.<figure>` as `(None, figure)`,
/// `flows.<flow>.<figure>` as `(Some(flow), figure)`. A read inside `has()` only asks whether the
/// figure exists, so it is not a read of an absent figure.
pub(super) fn field_reads(source: &str) -> Vec<(Option<Flow>, String)> {
    let mut out = Vec::new();
    let is_token = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    let mut i = 0;
    let chars: Vec<(usize, char)> = source.char_indices().collect();
    while i < chars.len() {
        if !is_token(chars[i].1) {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        while i < chars.len() && is_token(chars[i].1) {
            i += 1;
        }
        let end = chars.get(i).map_or(source.len(), |c| c.0);
        let token = &source[start..end];
        let inside_has = source[..start].trim_end().ends_with("has(");
        let parts: Vec<&str> = token.split('.').collect();
        match parts.as_slice() {
            ["total", fig] if !inside_has => out.push((None, fig.to_string())),
            ["flows", flow, fig] if !inside_has => {
                if let Ok(f) = flow.parse() {
                    out.push((Some(f), fig.to_string()));
                }
            }
            _ => {}
        }
    }
    out
}

/// Records the values a condition reads: its figures, `total.<figure>`, `flows.<flow>.<figure>`,
/// its params, and the other variables, as the condition saw them.
pub(super) fn read_values(
    reads: &Reads,
    own: &Figures,
    total: Option<&Figures>,
    flows: &BTreeMap<Flow, Figures>,
    params: &BTreeMap<String, Param>,
    why: &mut BTreeMap<String, Json>,
) {
    let shown = |f: &Figures, name: &str| {
        let kind = FIGURES.iter().find(|(n, _, _)| *n == name).map(|(_, k, _)| *k)?;
        f.get(name).map(|n| why_json(n, kind))
    };
    for var in &reads.vars {
        if let Some(v) = shown(own, var) {
            why.insert(var.to_string(), v);
        } else if let Some(p) = params.get(var) {
            why.insert(var.to_string(), json!(p));
        }
    }
    // Field reads (`total.yoy_pct`, `flows.import.value`) are found in the text of the condition.
    for token in &reads.tokens {
        let parts: Vec<&str> = token.split('.').collect();
        let value = match parts.as_slice() {
            ["total", fig] => total.and_then(|t| shown(t, fig)),
            ["flows", flow, fig] => flow.parse::<Flow>().ok().and_then(|f| flows.get(&f)).and_then(|f| shown(f, fig)),
            _ => continue,
        };
        why.insert(token.to_string(), value.unwrap_or(Json::Null));
    }
}

pub(super) fn show(why: &BTreeMap<String, Json>) -> String {
    if why.is_empty() {
        return "this member".into();
    }
    let plain = |v: &Json| v.as_str().map_or_else(|| v.to_string(), str::to_string);
    why.iter().map(|(k, v)| format!("{k} = {}", plain(v))).collect::<Vec<_>>().join(", ")
}

/// A figure as CEL reads it, for comparison only (nothing printed comes from these): amounts as
/// doubles, rates and points rounded first to the one decimal the bulletin prints.
pub(super) fn cel_value(n: Num, kind: Kind) -> cel::Value {
    match n {
        Num::Dec(d) if kind == Kind::Rate => cel::Value::Float(
            d.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .to_f64()
                .unwrap_or(f64::NAN),
        ),
        Num::Dec(d) => cel::Value::Float(d.to_f64().unwrap_or(f64::NAN)),
        Num::Int(i) => cel::Value::Int(i),
        Num::Bool(b) => cel::Value::Bool(b),
    }
}

/// A figure as the explain trail shows it: what the condition read, decimals as their digits.
fn why_json(n: Num, kind: Kind) -> Json {
    match n {
        Num::Dec(d) if kind == Kind::Rate => {
            json!(d.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero).to_string())
        }
        Num::Dec(d) => json!(d.normalize().to_string()),
        Num::Int(i) => json!(i),
        Num::Bool(b) => json!(b),
    }
}

fn figure_values(f: &Figures) -> impl Iterator<Item = (&'static str, Num, Kind)> + '_ {
    FIGURES.iter().filter_map(|(name, kind, _)| f.get(name).map(|n| (*name, n, *kind)))
}

pub(super) fn figure_map(f: &Figures) -> HashMap<String, cel::Value> {
    figure_values(f).map(|(k, n, kind)| (k.to_string(), cel_value(n, kind))).collect()
}

pub(super) fn figure(f: &Figures, name: &str) -> Option<Decimal> {
    match f.get(name)? {
        Num::Dec(d) => Some(d),
        Num::Int(i) => Some(Decimal::from(i)),
        Num::Bool(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_reads_leave_out_presence_tests() {
        let reads = field_reads("has(flows.import.yoy_pct) && flows.export.value > total.value || has( total.gap_pp)");
        assert_eq!(reads, vec![(Some(Flow::Export), "value".to_string()), (None, "value".to_string())]);
    }
}
