//! `verify`: recomputes every figure of written bulletins from the data.

use crate::Error;
use crate::dataset::{self, Dataset, Period};
use crate::stats::{self, Stats};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Recomputes every figure of bulletins written as JSON from the dataset they were written from,
/// and returns how many figures were checked; a mismatch is an error naming the file, the
/// sentence and the figure.
pub fn verify(files: &[PathBuf], data: &Path) -> Result<usize, Error> {
    let ds = Dataset::load(data)?;
    let mut checked = 0;
    let mut cache: BTreeMap<Period, Stats> = BTreeMap::new();
    for file in files {
        let fail = |m: String| Error::Verify(format!("{}: {m}", file.display()));
        let text = std::fs::read_to_string(file).map_err(|e| fail(format!("cannot read: {e}")))?;
        let doc: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| fail(format!("not a JSON bulletin: {e}")))?;
        let period: Period =
            doc["period"].as_str().and_then(|p| p.parse().ok()).ok_or_else(|| fail("no `period`".into()))?;
        let stats = match cache.entry(period) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => e.insert(Stats::compute(&ds, period)?),
        };
        let facts = doc["facts"].as_array().ok_or_else(|| fail("no `facts`".into()))?;
        for fact in facts {
            let rule = fact["rule"].as_str().unwrap_or_default();
            let basis: dataset::Basis = fact["over"]["basis"]
                .as_str()
                .and_then(|b| b.parse().ok())
                .ok_or_else(|| fail(format!("fact `{rule}` has no basis")))?;
            let sentence = doc["paragraphs"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|p| p["sentences"].as_array().into_iter().flatten())
                .find(|s| s["rule"] == rule)
                .and_then(|s| s["text"].as_str())
                .unwrap_or("(no sentence)");
            let mut subjects: Vec<(&str, &str, &serde_json::Value)> = fact["subjects"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| {
                    (s["dimension"].as_str().unwrap_or_default(), s["member"].as_str().unwrap_or_default(), &s["flows"])
                })
                .collect();
            subjects.push((dataset::TOTAL_DIMENSION, dataset::TOTAL_MEMBER, &fact["total"]));
            for (dim, member, flows) in subjects {
                for (flow, figures) in flows.as_object().into_iter().flatten() {
                    let flow: dataset::Flow = flow.parse().map_err(fail)?;
                    let now = stats.get(dim, member, flow, basis);
                    for (name, _, _) in stats::FIGURES {
                        // The JSON writes a period where the statistics have its year.
                        if name == "previous_same_year" {
                            continue;
                        }
                        let written = &figures[name];
                        let computed = now.and_then(|f| f.get(name));
                        let same = match (written, computed) {
                            (serde_json::Value::Null, None) => true,
                            (serde_json::Value::String(w), Some(stats::Num::Dec(c))) => {
                                w.parse::<rust_decimal::Decimal>().is_ok_and(|w| w == c)
                            }
                            (serde_json::Value::Number(w), Some(stats::Num::Int(c))) => w.as_i64() == Some(c),
                            (serde_json::Value::Bool(w), Some(stats::Num::Bool(c))) => *w == c,
                            _ => false,
                        };
                        if !same {
                            return Err(fail(format!(
                                "the sentence \"{sentence}\" (rule `{rule}`) gives {dim}/{member} {flow} {basis} \
                                 {name} = {written}, but the data gives {}",
                                computed.map_or("nothing".to_string(), |c| format!("{c:?}"))
                            )));
                        }
                        checked += usize::from(!written.is_null());
                    }
                }
            }
        }
    }
    Ok(checked)
}
