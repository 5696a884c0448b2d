//! The default rules and templates, English and Chinese, write a bulletin for any month of the
//! shipped data: a rule never fires a fact its template cannot put into words.

use std::path::Path;
use tradescribe::dataset::{Basis, Dataset, Flow, Period};
use tradescribe::render::{Format, Renderer};
use tradescribe::rules::RuleSet;
use tradescribe::stats::Stats;

fn check_all(data: &str, periods: impl Iterator<Item = Period>) -> usize {
    let ds = Dataset::load(Path::new(data)).unwrap();
    let rules = RuleSet::load(Path::new("rules/default.yaml")).unwrap();
    let renderer = Renderer::new("en", None).unwrap();
    let zh = Renderer::new("zh", None).unwrap();
    let mut n = 0;
    for p in periods {
        let stats = Stats::compute(&ds, p).unwrap_or_else(|e| panic!("{data} {p}: {e}"));
        let w = tradescribe::write_from_stats(&stats, &rules, &renderer, Format::Md)
            .unwrap_or_else(|e| panic!("{data} {p}: {e}"));
        assert!(w.text.starts_with("# ") && w.facts >= 1, "{data} {p}:\n{}", w.text);
        // The lede states the year-to-date total as the statistics have it.
        let total = stats.total(Flow::Total, Basis::Ytd).unwrap();
        let amount = tradescribe::render::helpers::amount::en(total.value.unwrap(), ds.spec.unit, &ds.spec.currency);
        let lede = w.text.lines().nth(2).unwrap_or_default();
        assert!(lede.contains(&amount), "{data} {p}: the lede does not state {amount}:\n{lede}");
        assert!(!w.text.contains("  ") && !w.text.contains(" ."), "{data} {p}: stray spacing:\n{}", w.text);
        // A change that prints as nothing is not stated as a change.
        assert!(!w.text.contains(" 0 percentage points"), "{data} {p}: a change of 0 points:\n{}", w.text);
        // The Chinese bulletin states the same facts.
        let z = tradescribe::write_from_stats(&stats, &rules, &zh, Format::Md)
            .unwrap_or_else(|e| panic!("{data} {p} zh: {e}"));
        assert_eq!(z.facts, w.facts, "{data} {p}");
        assert!(!z.text.contains(" 。") && !z.text.contains("，，"), "{data} {p}: stray punctuation:\n{}", z.text);
        chinese_conventions(&z.text, &format!("{data} {p}"));
        n += 1;
    }
    n
}

/// What a GACC press officer would edit in any Chinese bulletin: 我国 after its first mention,
/// 分别 twice in a sentence, 其中 twice in the lede or the month's paragraph, a whole number
/// printed with ".0", a full year compared "同比" or with "去年同期".
fn chinese_conventions(text: &str, at: &str) {
    let body: Vec<&str> = text.lines().skip(1).filter(|l| !l.is_empty()).collect();
    assert!(body.iter().map(|l| l.matches("我国").count()).sum::<usize>() <= 1, "{at}: 我国 twice:\n{text}");
    for sentence in text.split('。') {
        assert!(sentence.matches("分别").count() <= 1, "{at}: 分别 twice in `{sentence}`");
    }
    for paragraph in body.iter().take(2) {
        assert!(paragraph.matches("其中").count() <= 1, "{at}: 其中 twice in `{paragraph}`");
    }
    for whole in [".0%", ".0个百分点", ".0倍"] {
        assert!(!text.contains(whole), "{at}: `{whole}`:\n{text}");
    }
    if at.ends_with("-12") {
        let lede = body.first().copied().unwrap_or_default();
        let year: i32 = at[at.len() - 7..at.len() - 3].parse().unwrap();
        assert!(lede.contains(&format!("比{}年", year - 1)), "{at}: {lede}");
        assert!(!lede.contains("同比") && !lede.contains("去年同期"), "{at}: {lede}");
    }
}

#[test]
fn every_period_of_the_china_data() {
    let periods = ["2018-07", "2019-06", "2019-07"].into_iter().map(|p| p.parse().unwrap());
    assert_eq!(check_all("data/china-2019", periods), 3);
}

#[test]
fn a_month_in_every_season_of_every_year_of_the_us_data() {
    // Every seventh month from January 1987, the first month with a world total, so that each
    // calendar month comes up and every year is visited.
    let mut periods = Vec::new();
    let mut p: Period = "1987-01".parse().unwrap();
    while p <= "2022-01".parse().unwrap() {
        periods.push(p);
        for _ in 0..7 {
            p = Period::new(p.year + (p.month == 12) as i32, p.month % 12 + 1).unwrap();
        }
    }
    let n = periods.len();
    assert_eq!(check_all("data/us-census", periods.into_iter()), n);
}
