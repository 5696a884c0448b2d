//! `validate`: the dataset, rules and templates checked together; nothing is written.

use crate::options::{GenerateOptions, PeriodChoice};
use crate::pipeline::{Loaded, members_with_value, write_bulletin, write_from_stats, write_member};
use crate::render::Format;
use crate::stats::Stats;
use crate::{Error, dataset, rules};

/// Checks a dataset, rules and templates together, and writes the latest bulletin in memory to
/// prove they fit; returns a summary. Nothing is written to disk. Rules for member bulletins
/// (with `focus` rules) are proved on the first member with a value of the first dimension the
/// dataset declares.
pub fn validate(opts: &GenerateOptions) -> Result<String, Error> {
    let run = Loaded::load(opts)?;
    let period = run.period(PeriodChoice::Latest)?;
    let (written, about) = if run.rules.has_focus() {
        let stats = Stats::compute(&run.ds, period)?;
        let member = run
            .ds
            .spec
            .dimensions
            .keys()
            .find_map(|d| members_with_value(&stats, d).into_iter().next().map(|m| (d.clone(), m)));
        match member {
            Some((dim, member)) => (
                write_member(&stats, &run.rules, &run.renderer, Format::Md, &dim, &member)?,
                format!(" on {dim} `{member}`"),
            ),
            None => (write_from_stats(&stats, &run.rules, &run.renderer, Format::Md)?, String::new()),
        }
    } else {
        (write_bulletin(&run.ds, &run.rules, &run.renderer, period, Format::Md)?, String::new())
    };
    let mut dims: Vec<&str> = run.ds.spec.dimensions.keys().map(String::as_str).collect();
    dims.insert(0, dataset::TOTAL_DIMENSION);
    dims.push(rules::FOCUS_DIMENSION);
    let idle: Vec<String> = run
        .rules
        .rules
        .iter()
        .filter(|r| !dims.contains(&r.over.dimension.as_str()))
        .map(|r| format!("{} ({})", r.id, r.over.dimension))
        .collect();
    let mut out = format!(
        "ok: {} ({} rows in {} files), {} ({} rules), templates for `{}`{}; the bulletin for {period}{about} states {} facts\n",
        run.ds.dir.display(),
        run.ds.obs.len(),
        run.ds.files.len(),
        run.rules.path.display(),
        run.rules.rules.len(),
        run.renderer.lang(),
        opts.templates.as_ref().map(|t| format!(" (with {})", t.display())).unwrap_or_default(),
        written.facts,
    );
    if !idle.is_empty() {
        out.push_str(&format!("note: the dataset has no dimension for these rules: {}\n", idle.join(", ")));
    }
    Ok(out)
}
