//! Consecutive months do not read alike: with the figures masked, no sentence of one month's
//! U.S. bulletin stands word for word in the next month's, and a re-run gives the same text.

use std::path::Path;
use tradescribe::dataset::{Dataset, Period};
use tradescribe::render::{Format, Renderer};
use tradescribe::rules::RuleSet;

/// Replaces every figure (numbers, percentages, amounts, years) with `#`.
fn mask(sentence: &str) -> String {
    let chars: Vec<char> = sentence.chars().collect();
    let mut out = String::new();
    let mut in_number = false;
    for (i, &c) in chars.iter().enumerate() {
        // A point or comma belongs to a number only between digits: "13.6", "1,234", not "2019."
        let joins = (c == '.' || c == ',') && in_number && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_ascii_digit() || joins {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

/// The sentences of the facts, figures masked: the line that announces numbered sections and the
/// sections' verdicts are set phrases a release repeats from month to month ("The details are as
/// follows."). A full stop after a dotted capital ends an abbreviation (`U.S. exports`), not a
/// sentence.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lines = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('*') && *l != "The details are as follows.");
    for line in lines.map(|l| l.strip_prefix("**").and_then(|h| h.split_once("** ")).map_or(l, |(_, rest)| rest)) {
        let mut start = 0;
        for (i, _) in line.match_indices(". ") {
            let before: Vec<char> = line[..i].chars().rev().take(2).collect();
            if before.len() == 2 && before[0].is_uppercase() && before[1] == '.' {
                continue;
            }
            out.push(mask(line[start..i + 1].trim()));
            start = i + 2;
        }
        out.push(mask(line[start..].trim()));
    }
    out
}

#[test]
fn no_two_consecutive_months_of_2019_share_a_sentence() {
    let ds = Dataset::load(Path::new("data/us-census")).unwrap();
    let renderer = Renderer::new("en", None).unwrap();
    for rules in ["rules/default.yaml", "rules/us-census.yaml", "rules/monthly.yaml"] {
        let rules = RuleSet::load(Path::new(rules)).unwrap();
        let bulletins: Vec<String> = (1..=12)
            .map(|m| {
                let p = Period::new(2019, m).unwrap();
                tradescribe::write_bulletin(&ds, &rules, &renderer, p, Format::Md).unwrap().text
            })
            .collect();
        for pair in bulletins.windows(2) {
            let before = sentences(&pair[0]);
            for s in sentences(&pair[1]) {
                assert!(
                    !before.contains(&s),
                    "{}: `{s}` stands in two consecutive months:\n{}\n{}",
                    rules.path.display(),
                    pair[0],
                    pair[1]
                );
            }
        }
        // Deterministic: the same month twice gives the same words.
        let again =
            tradescribe::write_bulletin(&ds, &rules, &renderer, Period::new(2019, 12).unwrap(), Format::Md).unwrap();
        assert_eq!(again.text, bulletins[11]);
    }
}

#[test]
fn sentences_end_at_full_stops_not_at_abbreviations() {
    assert_eq!(
        sentences("# Head\n\nCanada took 18.0% of U.S. exports. Imports rose 2.1%.\n"),
        ["Canada took #% of U.S. exports.", "Imports rose #%."]
    );
}

#[test]
fn masking_hides_figures_only() {
    assert_eq!(mask("Trade fell 13.6% to $320.22 billion in 2019."), "Trade fell #% to $# billion in #.");
    assert_eq!(mask("It was the 14th month."), "It was the #th month.");
}
