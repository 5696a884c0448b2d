//! `verify`: checks written bulletins against the data they were written from, the words as well
//! as the figures, as written or as edited by hand (the four-eyes check before release).
//!
//! For each file (md, txt, html or json, told by its extension; the month, language and member
//! from the JSON or from the name `<dataset>-<period>[-<member>]-<lang>.<ext>`), the bulletin is
//! written again from the data and the two are compared sentence by sentence. A sentence that is
//! the same passes. One that is not (reworded by a press officer) is set against the sentence of
//! the data's bulletin it resembles most: every figure in it must be one that sentence gives, to
//! its rounding and in the same direction; no word may say the opposite of that sentence's
//! (surplus for deficit, lowest for highest, a rise for a fall); and no member may be named that
//! it does not name. A JSON bulletin must also have the data's facts, with the data's figures.

mod figures;
mod words;

use crate::Error;
use crate::dataset::{self, Dataset, Period};
use crate::pipeline::{check_templates, renderer_for, write_from_stats, write_member};
use crate::render::{Format, Renderer};
use crate::rules::{RuleSet, RulesSource};
use crate::stats::{self, Stats};
use figures::Figure;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What `verify` is asked to check.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// The bulletins.
    pub files: Vec<PathBuf>,
    /// The dataset folder they were written from.
    pub data: PathBuf,
    /// The month, where the files do not say.
    pub period: Option<Period>,
    /// The language, where the files do not say.
    pub lang: Option<String>,
    /// The rules they were written with: `default` (`member` for a member's bulletin) if not given.
    pub rules: Option<RulesSource>,
    /// The templates' folder they were written with, if not the built-in templates.
    pub templates: Option<PathBuf>,
}

/// What `verify` checked.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    /// Files checked.
    pub files: usize,
    /// Figures checked: those of the JSON facts and those stated in the words.
    pub figures: usize,
    /// Sentences as the data's bulletin has them.
    pub same: usize,
    /// Sentences worded otherwise, whose figures and words were checked.
    pub reworded: usize,
}

/// Which bulletin a file is: its format, month, language and member.
struct Identity {
    format: Format,
    period: Period,
    lang: String,
    member: Option<String>,
}

/// Checks each file against the data (see the module's opening comment); the first mismatch is an
/// error naming the file, the sentence and the figure.
pub fn verify(opts: &VerifyOptions) -> Result<Verified, Error> {
    if opts.files.is_empty() {
        return Err(Error::Usage("verify: give the bulletins to check (md, txt, html or json files)".into()));
    }
    let ds = Dataset::load(&opts.data)?;
    let id = stats::dataset_id(&ds);
    let mut done = Verified::default();
    let mut stats_cache: BTreeMap<Period, Stats> = BTreeMap::new();
    let mut rules_cache: BTreeMap<String, RuleSet> = BTreeMap::new();
    let mut renderers: BTreeMap<(String, String), Renderer> = BTreeMap::new();
    for file in &opts.files {
        let fail = |m: String| Error::Verify(format!("{}: {m}", file.display()));
        let text = crate::input::read_text(file, crate::input::MAX_BULLETIN_BYTES)
            .map_err(|e| fail(format!("cannot read: {e}")))?;
        let who = identify(file, &text, &id, opts)?;
        let stats = match stats_cache.entry(who.period) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => e.insert(Stats::compute(&ds, who.period)?),
        };
        let source = opts.rules.clone().unwrap_or_else(|| {
            RulesSource::Builtin(if who.member.is_some() { "member" } else { "default" }.to_string())
        });
        let rules = match rules_cache.entry(source.to_string()) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => e.insert(RuleSet::load_with(&source, |_| ())?.0),
        };
        let renderer = match renderers.entry((source.to_string(), who.lang.clone())) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                let renderer = renderer_for(rules, &who.lang, opts.templates.as_deref())?;
                check_templates(rules, &renderer)?;
                e.insert(renderer)
            }
        };
        let written = match &who.member {
            None => write_from_stats(stats, rules, renderer, who.format)?,
            Some(member) => {
                let dim = member_dimension(&ds, member).map_err(&fail)?;
                write_member(stats, rules, renderer, who.format, &dim, member)?
            }
        };
        if who.format == Format::Json {
            done.figures += check_json(&text, &written.text, stats).map_err(fail)?;
        }
        let names = names(&ds, &who.lang);
        let counts = check_words(&text, &written.text, who.format, &names).map_err(fail)?;
        done.figures += counts.figures;
        done.same += counts.same;
        done.reworded += counts.reworded;
        done.files += 1;
    }
    Ok(done)
}

/// The month, language and member of a bulletin: from the command line, else the JSON, else the
/// file name; its format from its extension.
fn identify(file: &Path, text: &str, id: &str, opts: &VerifyOptions) -> Result<Identity, Error> {
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or_default();
    let format = match ext {
        "md" => Format::Md,
        "txt" => Format::Txt,
        "html" | "htm" => Format::Html,
        "json" => Format::Json,
        _ => {
            return Err(Error::Usage(format!(
                "{}: cannot tell how the bulletin is written: its name must end in .md, .txt, .html or .json",
                file.display()
            )));
        }
    };
    let doc: Option<serde_json::Value> = (format == Format::Json).then(|| serde_json::from_str(text).ok()).flatten();
    if format == Format::Json && doc.is_none() {
        return Err(Error::Verify(format!("{}: not a JSON bulletin", file.display())));
    }
    // `<id>-<YYYY-MM>[-<member>]-<lang>`, the names `generate --out` gives.
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let named = stem.strip_prefix(id).and_then(|r| r.strip_prefix('-')).and_then(|rest| {
        let period: Period = rest.get(..7)?.parse().ok()?;
        let (middle, lang) = rest[7..].rsplit_once('-')?;
        let member = middle.strip_prefix('-').filter(|m| !m.is_empty()).map(String::from);
        (middle.is_empty() || member.is_some()).then(|| (period, lang.to_string(), member))
    });
    let from_doc = |field: &str| doc.as_ref().and_then(|d| d[field].as_str().map(String::from));
    let period = opts
        .period
        .or_else(|| from_doc("period").and_then(|p| p.parse().ok()))
        .or(named.as_ref().map(|n| n.0))
        .ok_or_else(|| {
            Error::Usage(format!(
                "{}: cannot tell which month the bulletin is for: name it {id}-<YYYY-MM>[-<member>]-<lang>.{ext} \
                 or give --period",
                file.display()
            ))
        })?;
    let lang = opts.lang.clone().or_else(|| from_doc("lang")).or(named.as_ref().map(|n| n.1.clone())).ok_or_else(
        || {
            Error::Usage(format!(
                "{}: cannot tell the bulletin's language: name it {id}-<YYYY-MM>[-<member>]-<lang>.{ext} or give --lang",
                file.display()
            ))
        },
    )?;
    if !crate::render::LANGUAGES.contains(&lang.as_str()) {
        return Err(Error::Usage(format!(
            "{}: `{lang}` is not a language with templates ({})",
            file.display(),
            crate::render::LANGUAGES.join(", ")
        )));
    }
    Ok(Identity { format, period, lang, member: named.and_then(|n| n.2) })
}

/// The dimension a member bulletin's member belongs to.
fn member_dimension(ds: &Dataset, member: &str) -> Result<String, String> {
    let dims: Vec<&String> =
        ds.spec.dimensions.iter().filter(|(_, d)| d.members.contains_key(member)).map(|(k, _)| k).collect();
    match dims.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(format!("names member `{member}`, which no dimension of {} has", ds.dir.display())),
        many => Err(format!(
            "names member `{member}`, which several dimensions have ({}): cannot tell which bulletin it is",
            many.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// Member names in a language (full and short, without a leading "the"), longest first, with
/// their ids.
fn names(ds: &Dataset, lang: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (dim, d) in &ds.spec.dimensions {
        for (member, by_lang) in &d.members {
            let Some(name) = by_lang.get(lang).or_else(|| by_lang.get("en")) else { continue };
            for n in [name.full(), name.short()] {
                let n = n.strip_prefix("the ").or_else(|| n.strip_prefix("The ")).unwrap_or(n);
                if !n.trim().is_empty() {
                    out.push((n.to_string(), format!("{dim}/{member}")));
                }
            }
        }
    }
    out.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
    out.dedup();
    out
}

/// The members a sentence names.
fn named(sentence: &str, names: &[(String, String)]) -> Vec<String> {
    let mut taken = vec![false; sentence.len()];
    let mut out = Vec::new();
    for (name, id) in names {
        for (at, _) in sentence.match_indices(name.as_str()) {
            let end = at + name.len();
            let latin = name.is_ascii();
            let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
            if taken[at..end].iter().any(|t| *t)
                || (latin && (!boundary(sentence[..at].chars().last()) || !boundary(sentence[end..].chars().next())))
            {
                continue;
            }
            taken[at..end].iter_mut().for_each(|t| *t = true);
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
    }
    out
}

/// How many sentences and figures the words had.
#[derive(Debug, Default)]
struct Counts {
    figures: usize,
    same: usize,
    reworded: usize,
}

/// Compares a bulletin's words with the words written from the data, sentence by sentence.
fn check_words(given: &str, data: &str, format: Format, names: &[(String, String)]) -> Result<Counts, String> {
    let split =
        |text: &str| -> Vec<String> { words::units(text, format).iter().flat_map(|u| words::sentences(u)).collect() };
    let ours = split(data);
    let theirs = split(given);
    if theirs.is_empty() {
        return Err("has no sentence to check".into());
    }
    let reference: Vec<(Vec<Figure>, Vec<String>)> =
        ours.iter().map(|s| (figures::figures(s), named(s, names))).collect();
    let mut counts = Counts::default();
    for sentence in &theirs {
        if ours.contains(sentence) {
            counts.same += 1;
            counts.figures += figures::figures(sentence).len();
            continue;
        }
        counts.reworded += 1;
        let figures = figures::figures(sentence);
        let members = named(sentence, names);
        let lower: Vec<String> = sentence.split(|c: char| !c.is_alphanumeric()).map(str::to_lowercase).collect();
        // The data's sentence it resembles most: shared figures weigh most, then names, then words.
        let score = |i: usize| {
            let (fs, ms) = &reference[i];
            let shared = figures.iter().filter(|f| fs.iter().any(|g| f.resembles(g))).count();
            let names = members.iter().filter(|m| ms.contains(m)).count();
            let words = ours[i]
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() > 2 && lower.contains(&w.to_lowercase()))
                .count();
            4 * shared
                + 3 * names
                + words
                + ours[i].chars().filter(|c| sentence.contains(*c) && !c.is_ascii()).count() / 4
        };
        let Some(best) = (0..ours.len()).max_by_key(|i| (score(*i), std::cmp::Reverse(*i))) else {
            return Err(format!("the sentence \"{sentence}\" is not in the bulletin written from the data"));
        };
        let (fs, ms) = &reference[best];
        let theirs_says = |what: String| {
            format!("the sentence \"{sentence}\" {what}; the bulletin written from the data says \"{}\"", ours[best])
        };
        for f in &figures {
            if !fs.iter().any(|g| f.agrees_with(g)) {
                let direction = if fs.iter().any(|g| f.resembles(g)) { " in that direction" } else { "" };
                return Err(theirs_says(format!(
                    "gives {}, a figure the data does not give for it{direction}",
                    f.text
                )));
            }
        }
        counts.figures += figures.len();
        let ours_opposites = figures::opposites(&ours[best]);
        for (pair, side, word) in figures::opposites(sentence) {
            let ours_has = |s: usize| ours_opposites.iter().any(|(p, x, _)| *p == pair && *x == s);
            if !ours_has(side) && ours_has(1 - side) {
                return Err(theirs_says(format!("says {word} where the data gives the opposite")));
            }
        }
        if let Some(m) = members.iter().find(|m| !ms.contains(m)) {
            return Err(theirs_says(format!("names {m}, which the data's sentence does not")));
        }
    }
    Ok(counts)
}

/// A JSON bulletin's facts against those written from the data: the same facts, rules and
/// subjects, and every figure as the data gives it. Returns how many figures were checked.
fn check_json(given: &str, data: &str, stats: &Stats) -> Result<usize, String> {
    let doc: serde_json::Value = serde_json::from_str(given).map_err(|e| format!("not a JSON bulletin: {e}"))?;
    let ours: serde_json::Value = serde_json::from_str(data).map_err(|e| format!("cannot read back: {e}"))?;
    let facts = doc["facts"].as_array().ok_or("no `facts`")?;
    let key = |f: &serde_json::Value| {
        let subjects: Vec<String> = f["subjects"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| {
                format!("{}/{}", s["dimension"].as_str().unwrap_or_default(), s["member"].as_str().unwrap_or_default())
            })
            .collect();
        format!("{} ({})", f["rule"].as_str().unwrap_or_default(), subjects.join(", "))
    };
    let want: Vec<String> = ours["facts"].as_array().into_iter().flatten().map(key).collect();
    let have: Vec<String> = facts.iter().map(key).collect();
    if let Some(missing) = want.iter().find(|w| !have.contains(w)) {
        return Err(format!("lacks the fact {missing} that the data gives (facts: {})", have.len()));
    }
    if let Some(extra) = have.iter().find(|h| !want.contains(h)) {
        return Err(format!("has the fact {extra}, which the data does not give"));
    }
    check_figures(&doc, facts, stats)
}

/// Every figure of every fact of a JSON bulletin, recomputed from the data.
fn check_figures(doc: &serde_json::Value, facts: &[serde_json::Value], stats: &Stats) -> Result<usize, String> {
    let mut checked = 0;
    for fact in facts {
        let rule = fact["rule"].as_str().unwrap_or_default();
        let basis: dataset::Basis = fact["over"]["basis"]
            .as_str()
            .and_then(|b| b.parse().ok())
            .ok_or_else(|| format!("fact `{rule}` has no basis"))?;
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
                let flow: dataset::Flow = flow.parse()?;
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
                        return Err(format!(
                            "the sentence \"{sentence}\" (rule `{rule}`) gives {dim}/{member} {flow} {basis} \
                             {name} = {written}, but the data gives {}",
                            computed.map_or("nothing".to_string(), |c| match c {
                                stats::Num::Dec(d) => d.normalize().to_string(),
                                stats::Num::Int(i) => i.to_string(),
                                stats::Num::Bool(b) => b.to_string(),
                            })
                        ));
                    }
                    checked += usize::from(!written.is_null());
                }
            }
        }
    }
    Ok(checked)
}
