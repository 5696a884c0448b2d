//! Which languages a run writes, and the names each needs: a bulletin in one language must not
//! borrow another's words ("2019年前7个月China's外贸…").
//!
//! Where every bulletin of a language would borrow (the reporter's name, the credit line), the
//! language is refused: nothing in it could be published. Where only some would (a member
//! without a name in the language, named only in the months a rule chooses it), it is a
//! warning: an office may name in Chinese only the partners its rules state (the U.S. data names
//! 51 of its 246 partners in Chinese), and validate cannot know which members next month's
//! bulletin will name.

use crate::Error;
use crate::dataset::{Dataset, TOTAL_DIMENSION};
use crate::render::{LANGUAGES, ZH_LABELS};
use crate::rules::{FOCUS_DIMENSION, RuleSet};
use std::collections::BTreeSet;

/// How many members without a name a warning lists.
const SHOWN: usize = 5;

/// The languages to check: `lang`; every language with templates (`all`); or, for an empty
/// `lang`, every language the dataset has names for and there are templates for. Also notes on
/// languages the dataset names that have no templates.
pub fn to_check(ds: &Dataset, lang: &str) -> (Vec<String>, Vec<String>) {
    match lang {
        "all" => (LANGUAGES.iter().map(|l| l.to_string()).collect(), vec![]),
        "" => {
            let named = named_languages(ds);
            let (with, without): (Vec<String>, Vec<String>) =
                named.into_iter().partition(|l| LANGUAGES.contains(&l.as_str()));
            let notes = without
                .iter()
                .map(|l| {
                    format!(
                        "the dataset has names in `{l}`, for which there are no templates (there are for {}): no `{l}` \
                         bulletin can be written",
                        LANGUAGES.join(", ")
                    )
                })
                .collect();
            (if with.is_empty() { vec!["en".to_string()] } else { with }, notes)
        }
        one => (vec![one.to_string()], vec![]),
    }
}

/// Every language the dataset names something in: the reporter, the credit line, a label or a member.
fn named_languages(ds: &Dataset) -> BTreeSet<String> {
    let spec = &ds.spec;
    let mut langs: BTreeSet<String> = spec.reporter.keys().chain(spec.source.keys()).cloned().collect();
    for dim in spec.dimensions.values() {
        langs.extend(dim.label.keys().cloned());
        langs.extend(dim.members.values().flat_map(|names| names.keys().cloned()));
    }
    langs
}

/// Refuses a language every bulletin of which would borrow another language's words: the
/// dataset has no reporter name or no credit line in it.
pub fn refuse(ds: &Dataset, lang: &str) -> Result<(), Error> {
    let yaml = ds.dir.join("dataset.yaml");
    let spec = &ds.spec;
    let fallback = |what: &str| match (lang, spec.reporter.get("en")) {
        ("en", _) | (_, None) => format!("every {lang} bulletin would lack {what}"),
        (_, Some(en)) if what.starts_with("the reporter") => {
            format!("every {lang} bulletin would name the reporter in English (\"{}\" in {lang} text)", en.possessive)
        }
        _ => format!("every {lang} bulletin would give {what} in English"),
    };
    let hint = |field: &str, example: &str| {
        format!("add `{lang}: {example}` under `{field}`, or check only the languages the dataset has (--lang en)")
    };
    if !spec.reporter.contains_key(lang) {
        return Err(Error::Data(format!(
            "{}: `reporter` has no `{lang}` name, so {}; {}",
            yaml.display(),
            fallback("the reporter's name"),
            hint("reporter", "{ name: ..., possessive: ... }")
        )));
    }
    if !spec.source.contains_key(lang) {
        return Err(Error::Data(format!(
            "{}: `source` has no `{lang}` line, so {}; {}",
            yaml.display(),
            fallback("the credit line"),
            hint("source", "...")
        )));
    }
    Ok(())
}

/// Warnings about the members and labels of the dimensions the rules read that have no name in
/// `lang`: a bulletin naming one would borrow another language's.
pub fn warnings(ds: &Dataset, rules: &RuleSet, lang: &str) -> Vec<String> {
    let yaml = ds.dir.join("dataset.yaml");
    // Rules about one member read whichever dimension `--each` names.
    let read: BTreeSet<&str> = if rules.has_focus() {
        ds.spec.dimensions.keys().map(String::as_str).collect()
    } else {
        rules.rules.iter().map(|r| r.over.dimension.as_str()).collect()
    };
    let mut out = Vec::new();
    for (id, dim) in ds.spec.dimensions.iter().filter(|(id, _)| read.contains(id.as_str())) {
        if *id == TOTAL_DIMENSION || *id == FOCUS_DIMENSION {
            continue;
        }
        let missing: Vec<&str> =
            dim.members.iter().filter(|(_, names)| !names.contains_key(lang)).map(|(m, _)| m.as_str()).collect();
        if !missing.is_empty() {
            let mut list = missing.iter().take(SHOWN).map(|m| m.to_string()).collect::<Vec<_>>().join(", ");
            if missing.len() > SHOWN {
                list.push_str(&format!(" and {} more", missing.len() - SHOWN));
            }
            out.push(format!(
                "{lang}: {} of the {} members of `{id}` have no {lang} name, so a {lang} bulletin that names one \
                 gives its name in another language: {list} (add `{lang}:` names in {})",
                missing.len(),
                dim.members.len(),
                yaml.display()
            ));
        }
        // English falls back to the dimension's id; Chinese has words of its own for common dimensions.
        let built_in = lang == "en" || (lang == "zh" && ZH_LABELS.iter().any(|(d, _)| d == id));
        if !dim.label.contains_key(lang) && !built_in {
            out.push(format!(
                "{lang}: dimension `{id}` has no {lang} label, so {lang} sentences about its members call them by \
                 another language's (add `{lang}:` under its `label` in {})",
                yaml.display()
            ));
        }
    }
    out
}
