//! `validate`: the dataset, rules and templates checked together, in every language a run would
//! write; nothing is written. Besides what would stop a run, it refuses or warns about what
//! would make one read wrong: names borrowed from another language ([`languages`]), override
//! templates that replace nothing ([`overrides`]), and two rules stating the same figure of the
//! same member in one bulletin ([`overlap`]), and a dimension no rule reads or a group ranked
//! among members ([`coverage`]).

mod coverage;
mod languages;
mod overlap;
mod overrides;

use crate::dataset::Period;
use crate::options::{GenerateOptions, PeriodChoice};
use crate::pipeline::{
    Loaded, check_templates, members_with_value, renderer_for, write_bulletin, write_from_stats, write_member,
};
use crate::render::{Format, Renderer};
use crate::stats::Stats;
use crate::{Error, dataset, rules};

/// Checks a dataset, rules and templates together, and writes the latest bulletin in memory in
/// each language to prove they fit; returns a summary, with notes and warnings. Nothing is
/// written to disk. `opts.lang` is a language, `all` (every language with templates: what
/// `generate --lang all` writes), or empty for every language the dataset has names for.
/// Rules for member bulletins (with `focus` rules) are proved on the first member with a value
/// of the first dimension the dataset declares.
pub fn validate(opts: &GenerateOptions) -> Result<String, Error> {
    let one = !opts.lang.is_empty() && opts.lang != "all";
    let first = GenerateOptions { lang: if one { opts.lang.clone() } else { "en".into() }, ..opts.clone() };
    let run = Loaded::load(&first)?;
    let (langs, mut notes) = languages::to_check(&run.ds, &opts.lang);
    // A language whose every bulletin would borrow another's names is refused before any is written.
    for lang in &langs {
        languages::refuse(&run.ds, lang)?;
    }
    let period = run.period(PeriodChoice::Latest)?;
    let mut out = String::new();
    let mut renderers: Vec<Renderer> = Vec::new();
    for lang in langs.iter().filter(|l| *l != run.renderer.lang()) {
        let r = renderer_for(&run.rules, lang, opts.templates.as_deref())?;
        check_templates(&run.rules, &r)?;
        renderers.push(r);
    }
    for lang in &langs {
        let renderer = match renderers.iter().find(|r| r.lang() == lang) {
            Some(r) => r,
            None => &run.renderer,
        };
        out.push_str(&prove(&run, renderer, period, opts)?);
    }
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
    if !idle.is_empty() {
        notes.push(format!("the dataset has no dimension for these rules: {}", idle.join(", ")));
    }
    let mut warnings = Vec::new();
    for lang in &langs {
        warnings.extend(languages::warnings(&run.ds, &run.rules, lang));
    }
    if let Some(dir) = &opts.templates {
        warnings.extend(overrides::warnings(dir, &run.rules));
    }
    warnings.extend(overlap::warnings(&run, &langs, opts.templates.as_deref())?);
    warnings.extend(coverage::warnings(&run.ds.spec, &run.rules));
    for note in notes {
        out.push_str(&format!("note: {note}\n"));
    }
    for warning in warnings {
        out.push_str(&format!("warning: {warning}\n"));
    }
    Ok(out)
}

/// Writes the latest bulletin in memory in the renderer's language, and says what it states.
fn prove(run: &Loaded, renderer: &Renderer, period: Period, opts: &GenerateOptions) -> Result<String, Error> {
    let (written, about) = if run.rules.has_focus() {
        let stats = Stats::compute(&run.ds, period)?;
        match first_member(run, &stats) {
            Some((dim, member)) => (
                write_member(&stats, &run.rules, renderer, Format::Md, &dim, &member)?,
                format!(" on {dim} `{member}`"),
            ),
            None => (write_from_stats(&stats, &run.rules, renderer, Format::Md)?, String::new()),
        }
    } else {
        (write_bulletin(&run.ds, &run.rules, renderer, period, Format::Md)?, String::new())
    };
    Ok(format!(
        "ok: {} ({} rows in {} files), {} ({} rules), templates for `{}`{}; the bulletin for {period}{about} states {} facts\n",
        run.ds.dir.display(),
        run.ds.obs.len(),
        run.ds.files.len(),
        run.rules.path.display(),
        run.rules.rules.len(),
        renderer.lang(),
        opts.templates.as_ref().map(|t| format!(" (with {})", t.display())).unwrap_or_default(),
        written.facts,
    ))
}

/// The member a member bulletin is proved on: the first with a value, of the first dimension
/// the dataset declares that has one.
fn first_member(run: &Loaded, stats: &Stats) -> Option<(String, String)> {
    run.ds.spec.dimensions.keys().find_map(|d| members_with_value(stats, d).into_iter().next().map(|m| (d.clone(), m)))
}
