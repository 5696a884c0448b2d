//! Files in a `--templates` folder that replace nothing: a misspelt name, or the wrong layout
//! (`DIR/facts/x.hbs` for `DIR/en/facts/x.hbs`). The renderer reads only `DIR/<lang>/...hbs`
//! files whose names it knows, so such a file is silently ignored by a run; validate says so.

use crate::render::{self, LANGUAGES};
use crate::rules::RuleSet;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// How far (in letters changed) a file name may be from a template's to be suggested.
const CLOSE: usize = 3;

/// A warning for every file under `dir` that replaces no built-in template and is no template
/// a rule names.
pub fn warnings(dir: &Path, rules: &RuleSet) -> Vec<String> {
    let mut files = Vec::new();
    walk(dir, &mut files);
    let builtin: BTreeSet<&str> = render::builtin_files().iter().map(|(p, _)| *p).collect();
    let named: BTreeSet<String> = rules.template_names().into_iter().collect();
    let mut out = Vec::new();
    for file in files {
        let rel = file.strip_prefix(dir).unwrap_or(&file).to_string_lossy().replace('\\', "/");
        let shown = file.display();
        let (first, rest) = rel.split_once('/').unwrap_or(("", &rel));
        if !LANGUAGES.contains(&first) {
            let under: Vec<String> = LANGUAGES.iter().map(|l| format!("{}/{l}/{rel}", dir.display())).collect();
            let why = if LANGUAGES.iter().any(|l| builtin.contains(format!("{l}/{rel}").as_str())) {
                format!("templates go in a folder for their language ({})", under.join(" or "))
            } else if !first.is_empty() && first.len() <= 3 && first.chars().all(|c| c.is_ascii_lowercase()) {
                format!("there are templates only for {}, not `{first}`", LANGUAGES.join(", "))
            } else {
                format!(
                    "templates go in {d}/<lang>/facts/<name>.hbs, {d}/<lang>/headlines/<name>.hbs or \
                     {d}/<lang>/layout.<format>.hbs, <lang> one of {}",
                    LANGUAGES.join(", "),
                    d = dir.display()
                )
            };
            out.push(format!("{shown} replaces nothing: {why}"));
            continue;
        }
        let Some(name) = rest.strip_suffix(".hbs") else {
            out.push(format!("{shown} replaces nothing: only `.hbs` files are read"));
            continue;
        };
        if builtin.contains(rel.as_str()) || named.contains(name) {
            continue;
        }
        // The nearest name it could have meant: a built-in template of its language, or one a rule names.
        let candidates = builtin
            .iter()
            .filter_map(|p| p.strip_prefix(&format!("{first}/")).and_then(|p| p.strip_suffix(".hbs")))
            .map(str::to_string)
            .chain(named.iter().cloned());
        let nearest = candidates.map(|c| (distance(&c, name), c)).filter(|(d, _)| *d <= CLOSE).min();
        let hint = match nearest {
            Some((_, c)) => format!("; did you mean {}/{first}/{c}.hbs?", dir.display()),
            None => String::new(),
        };
        out.push(format!(
            "{shown} replaces nothing: there is no built-in template `{first}/{name}` and no rule names it{hint}"
        ));
    }
    out
}

/// Every file under `dir`, in order, but hidden ones (`.DS_Store`, an editor's swap files).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            continue;
        }
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The edit distance between two names (letters inserted, removed or changed).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(row[j]).min(cur) };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn distance_counts_letters_changed() {
        assert_eq!(super::distance("facts/partner_declinig", "facts/partner_declining"), 1);
        assert_eq!(super::distance("abc", "abc"), 0);
        assert_eq!(super::distance("", "ab"), 2);
        assert_eq!(super::distance("kitten", "sitting"), 3);
    }
}
