//! The English house style (docs/src/style-en.md), checked where a convention can be checked
//! mechanically: over every month of the shipped data (the U.S. from 1987, China's three periods),
//! in each built-in house style and in the bulletins of the groups of partners (whose names
//! include plural ones), no figure is stated twice, no "since Y" names the first year of the data,
//! nothing "fell 100.0%", names declared plural take plural verbs, and no three sentences open
//! alike.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use tradescribe::dataset::{Dataset, Flow, MemberName, Period, TOTAL_DIMENSION, TOTAL_MEMBER};
use tradescribe::plan::{Plan, PlannedFact};
use tradescribe::render::helpers::amount;
use tradescribe::render::{Bulletin, Renderer};
use tradescribe::rules::RuleSet;
use tradescribe::stats::{Figures, Stats};

/// What a bulletin must not do, as a list of faults (empty when it reads as it should).
struct Checker<'a> {
    ds: &'a Dataset,
    /// The first year with data of each (dimension, member).
    first_year: HashMap<(String, String), i32>,
}

impl<'a> Checker<'a> {
    fn new(ds: &'a Dataset) -> Checker<'a> {
        // Read from the CSV itself, not from the statistics: the first year is where the rows start.
        let mut first_year: HashMap<(String, String), i32> = HashMap::new();
        let csv = std::fs::read_to_string(ds.dir.join("trade.csv")).unwrap();
        for line in csv.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let year: i32 = f[0][..4].parse().unwrap();
            let e = first_year.entry((f[3].to_string(), f[4].to_string())).or_insert(year);
            *e = (*e).min(year);
        }
        Checker { ds, first_year }
    }

    fn check(&self, plan: &Plan, bulletin: &Bulletin, faults: &mut Vec<String>) {
        let what = format!("{} {}", plan.period, bulletin.headline);
        let mut stated: HashMap<String, usize> = HashMap::new();
        let mut openings: BTreeMap<String, usize> = BTreeMap::new();
        let facts = plan.sections.iter().flat_map(|s| &s.facts);
        let sentences = bulletin.paragraphs.iter().flat_map(|p| &p.sentences);
        for (i, (pf, sentence)) in facts.zip(sentences).enumerate() {
            let text = &sentence.text;
            let fault = |f: String| format!("{what}: {f}:\n  {text}");
            for fall in ["fell", "decreased", "declined", "down", "shrank", "narrowed", "contracted"] {
                if text.contains(&format!("{fall} 100.0%")) {
                    faults.push(fault("a fall of 100.0%".into()));
                }
            }
            for year in since_years(text) {
                for s in &sentence.subjects {
                    let (dim, member) = s.split_once('/').unwrap();
                    if self.first_year.get(&(dim.to_string(), member.to_string())) == Some(&year) {
                        faults.push(fault(format!("\"since {year}\", the first year of {s}'s data")));
                    }
                }
            }
            for (form, plural) in self.names_of(pf) {
                let lower = text.to_lowercase();
                let verbs: &[&str] = if plural { &["was", "is", "has"] } else { &["were", "are", "have"] };
                for v in verbs {
                    if lower.contains(&format!("{} {v} ", form.to_lowercase())) {
                        faults.push(fault(format!("`{form}` {v}")));
                    }
                }
            }
            for key in figures_stated(self.ds, pf, text) {
                if let Some(before) = stated.insert(key.clone(), i) {
                    faults.push(fault(format!("{key} was stated already in sentence {}", before + 1)));
                }
            }
            for part in split_sentences(text) {
                if part.starts_with("Of that,") {
                    faults.push(fault("a sentence opens \"Of that,\"".into()));
                }
                let opening: Vec<&str> = part.split(' ').take(3).collect();
                *openings.entry(opening.join(" ")).or_default() += 1;
            }
        }
        for (opening, n) in openings.into_iter().filter(|(_, n)| *n >= 3) {
            faults.push(format!("{what}: {n} sentences open \"{opening}\""));
        }
    }

    /// The names a sentence writes of its subjects, each with whether it is plural.
    fn names_of(&self, pf: &PlannedFact) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        for s in &pf.fact.subjects {
            let Some(name) = self.ds.spec.dimensions.get(&s.dimension).and_then(|d| d.members.get(&s.member)) else {
                continue;
            };
            if let Some(en) = name.get("en") {
                out.push((en.full().to_string(), en.full_plural()));
                out.push((en.short().to_string(), en.short_plural()));
                if let MemberName::Plain(_) = en {
                    out.truncate(out.len() - 1);
                }
            }
        }
        out
    }
}

/// The years of "since 2004" (not "since March 2004") in a text.
fn since_years(text: &str) -> Vec<i32> {
    text.match_indices("since ")
        .filter_map(|(i, _)| {
            let rest = &text[i + 6..];
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            (digits.len() == 4).then(|| digits.parse().unwrap())
        })
        .collect()
}

/// A sentence template's text split into its sentences.
fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for i in 1..bytes.len().saturating_sub(1) {
        if bytes[i] == b' ' && matches!(bytes[i - 1], b'.' | b';') && bytes[i + 1].is_ascii_uppercase() {
            out.push(&text[start..i]);
            start = i + 1;
        }
    }
    out.push(&text[start..]);
    out
}

/// The figures a sentence states, as `dimension/member flow basis figure`: each figure of its
/// subjects whose printed form is in the text, where no other figure of theirs prints alike.
fn figures_stated(ds: &Dataset, pf: &PlannedFact, text: &str) -> Vec<String> {
    let basis = pf.fact.over.basis;
    let mut subjects: Vec<(&str, &str, &BTreeMap<Flow, Figures>)> =
        pf.fact.subjects.iter().map(|s| (s.dimension.as_str(), s.member.as_str(), &*s.flows)).collect();
    for n in &pf.notes {
        if let Some(r) = &n.level_with {
            subjects.push((&r.subject.dimension, &r.subject.member, &r.subject.flows));
        }
    }
    let mut by_form: HashMap<String, Vec<String>> = HashMap::new();
    for (dim, member, flows) in subjects {
        for (flow, f) in flows.iter() {
            let key = |figure: &str| format!("{dim}/{member} {flow} {basis:?} {figure}");
            let (unit, currency) = (ds.spec.unit, &ds.spec.currency);
            // A row that gives published rates only has no value to print.
            if let Some(value) = f.value {
                let precise = Some(rust_decimal::Decimal::new(1, value.scale()));
                let amounts = [
                    amount::en_precise(value, unit, currency, precise),
                    amount::en_billions(value, unit, currency, false),
                    format!("({})", amount::en_billions(value, unit, currency, true)),
                ];
                for form in amounts {
                    by_form.entry(form).or_default().push(key("value"));
                }
            }
            for (figure, v) in [("yoy_pct", f.yoy_pct), ("share_pct", f.share_pct), ("mom_pct", f.mom_pct)] {
                let Some(v) = v else { continue };
                let printed = tradescribe::render::helpers::fixed(v.abs(), 1);
                if printed == "0.0" || printed == "100.0" {
                    continue;
                }
                for form in [format!("{printed}%"), format!("{printed} percent")] {
                    by_form.entry(form).or_default().push(key(figure));
                }
            }
        }
    }
    let mut out = Vec::new();
    for (form, keys) in by_form {
        let mut keys: Vec<String> = keys;
        keys.dedup();
        if keys.len() == 1 && contains_token(text, &form) {
            out.push(keys.remove(0));
        }
    }
    out
}

/// Whether `form` stands in `text` as a whole figure: not inside a longer number.
fn contains_token(text: &str, form: &str) -> bool {
    text.match_indices(form).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + form.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit() || c == '.' || c == '$')
            && !after.is_some_and(|c| {
                c.is_alphanumeric()
                    || (c == '.' && text[i + form.len() + 1..].starts_with(|d: char| d.is_ascii_digit()))
            })
    })
}

fn months(from: &str, to: &str) -> Vec<Period> {
    let (mut p, to): (Period, Period) = (from.parse().unwrap(), to.parse().unwrap());
    let mut out = Vec::new();
    while p <= to {
        out.push(p);
        p = p.next_month();
    }
    out
}

/// Every bulletin of a month: each house style, and (every third month) a member bulletin for
/// each group of partners.
fn bulletins_of(stats: &Stats, styles: &[RuleSet], member: &RuleSet, en: &Renderer) -> Vec<(Plan, Bulletin)> {
    let mut out = Vec::new();
    for rules in styles {
        let eval = tradescribe::rules::evaluate(rules, stats).unwrap();
        let plan = tradescribe::plan::plan(&eval, stats, stats.period);
        let b = en.write_with(&plan, false).unwrap();
        out.push((plan, b));
    }
    // The groups' bulletins every third month: enough to bring each plural name up many times.
    if !stats.period.month.is_multiple_of(3) {
        return out;
    }
    let shared = tradescribe::rules::evaluate_shared(member, stats).unwrap();
    for m in tradescribe::members_with_value(stats, "partner_group") {
        let plan = tradescribe::pipeline::member_plan(stats, member, &shared, "partner_group", &m).unwrap();
        let b = en.write_with(&plan, false).unwrap();
        out.push((plan, b));
    }
    out
}

/// The faults of every bulletin of `periods` of the dataset at `data`, in each house style (and
/// the groups' member bulletins every third month), with the number of bulletins checked. The
/// months are shared between two threads.
fn faults_over(data: &str, periods: &[Period]) -> (Vec<String>, usize) {
    let ds = Dataset::load(Path::new(data)).unwrap();
    let styles: Vec<RuleSet> = ["default", "us-census", "monthly"]
        .iter()
        .map(|s| RuleSet::load(Path::new(&format!("rules/{s}.yaml"))).unwrap())
        .collect();
    let member = RuleSet::load(Path::new("rules/member.yaml")).unwrap();
    let en = Renderer::new("en", None).unwrap();
    let checker = Checker::new(&ds);
    std::thread::scope(|scope| {
        let parts: Vec<_> = periods
            .chunks(periods.len().div_ceil(2))
            .map(|part| {
                let (ds, styles, member, en, checker) = (&ds, &styles, &member, &en, &checker);
                scope.spawn(move || {
                    let (mut faults, mut n) = (Vec::new(), 0);
                    for &p in part {
                        let stats = Stats::compute(ds, p).unwrap_or_else(|e| panic!("{data} {p}: {e}"));
                        for (plan, b) in bulletins_of(&stats, styles, member, en) {
                            checker.check(&plan, &b, &mut faults);
                            n += 1;
                        }
                    }
                    (faults, n)
                })
            })
            .collect();
        parts.into_iter().map(|h| h.join().unwrap()).fold((Vec::new(), 0), |(mut f, n), (g, m)| {
            f.extend(g);
            (f, n + m)
        })
    })
}

fn assert_no_faults(faults: &[String]) {
    if let Ok(path) = std::env::var("STYLE_FAULTS") {
        std::fs::write(path, faults.join("\n")).unwrap();
    }
    let shown: Vec<&String> = faults.iter().take(30).collect();
    assert!(
        faults.is_empty(),
        "{} faults, the first:\n{}",
        faults.len(),
        shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn every_month_of_the_us_data_keeps_the_house_style() {
    // From January 1987, the first month with a world total, to the last month of the data.
    let last = Dataset::load(Path::new("data/us-census")).unwrap().latest_period().unwrap();
    assert_eq!(last.to_string(), "2022-01");
    let (faults, bulletins) = faults_over("data/us-census", &months("1987-01", &last.to_string()));
    assert!(bulletins > 421 * 3, "{bulletins} bulletins");
    assert_no_faults(&faults);
}

#[test]
fn every_period_of_the_china_data_keeps_the_house_style() {
    let periods: Vec<Period> = ["2018-07", "2019-06", "2019-07"].iter().map(|p| p.parse().unwrap()).collect();
    let (faults, bulletins) = faults_over("data/china-2019", &periods);
    assert!(bulletins >= 3 * 3, "{bulletins} bulletins");
    assert_no_faults(&faults);
}

#[test]
fn the_checks_catch_what_they_look_for() {
    // Each check fails on the fault it names, so that a clean run means something.
    assert_eq!(since_years("the lowest since 2005. The first decline since March 2019"), vec![2005]);
    assert_eq!(
        split_sentences("Trade fell 2.1%. Exports to the U.S. rose; Imports fell."),
        vec!["Trade fell 2.1%.", "Exports to the U.S. rose;", "Imports fell."]
    );
    assert!(contains_token("rose 4.2% to $1.2 billion.", "$1.2 billion"));
    assert!(!contains_token("rose 14.2% to $11.2 billion", "4.2%"));
    assert!(!contains_token("rose 4.25%", "4.2%"));
    assert!(!contains_token("0.6 percentage points", "0.6 percent"));
    let ds = Dataset::load(Path::new("data/us-census")).unwrap();
    let checker = Checker::new(&ds);
    assert_eq!(checker.first_year[&(TOTAL_DIMENSION.to_string(), TOTAL_MEMBER.to_string())], 1987);
    // A bulletin stating Canada's share twice, "since 1987" and a fall of 100.0% is faulted on each.
    let stats = Stats::compute(&ds, "2019-07".parse().unwrap()).unwrap();
    let rules = RuleSet::load(Path::new("rules/default.yaml")).unwrap();
    let eval = tradescribe::rules::evaluate(&rules, &stats).unwrap();
    let plan = tradescribe::plan::plan(&eval, &stats, stats.period);
    let b = Renderer::new("en", None).unwrap().write_with(&plan, false).unwrap();
    let mut faults = Vec::new();
    checker.check(&plan, &b, &mut faults);
    assert!(faults.is_empty(), "{faults:?}");
    // The partners' paragraph with its first sentence (the largest partner, its value and share)
    // said again at its end, and faults put into the lede.
    let (mut plan, mut b) = (plan, b);
    let at = plan.sections.iter().position(|s| s.id == "partners").unwrap();
    assert_eq!(b.paragraphs[at].section, "partners");
    let first_fact = plan.sections[at].facts[0].clone();
    let first_sentence = b.paragraphs[at].sentences[0].clone();
    plan.sections[at].facts.push(first_fact);
    b.paragraphs[at].sentences.push(first_sentence);
    let lede = &mut b.paragraphs[0].sentences[0].text;
    lede.push_str(" Trade was the highest since 1987. Exports fell 100.0%. Exports to A rose. Exports to A fell. Exports to A held.");
    let groups = &mut b
        .paragraphs
        .iter_mut()
        .flat_map(|p| &mut p.sentences)
        .find(|s| s.text.contains("North America"))
        .unwrap()
        .text;
    groups.push_str(" North America were first.");
    checker.check(&plan, &b, &mut faults);
    let all = faults.join("\n");
    for want in [
        "since 1987",
        "a fall of 100.0%",
        "was stated already",
        "`North America` were",
        "3 sentences open \"Exports to A\"",
    ] {
        assert!(all.contains(want), "{want}: {all}");
    }
}

/// A figure as a bulletin prints it, in either language: an amount as the range it was rounded
/// from, a percentage or a number of percentage points as written.
#[derive(Debug, Clone, PartialEq)]
enum Printed {
    Amount(Decimal, Decimal),
    Pct(Decimal),
    Points(Decimal),
}

use rust_decimal::Decimal;

impl Printed {
    /// Whether two printed figures can be the same figure: amounts whose ranges meet, equal rates.
    fn same(&self, other: &Printed) -> bool {
        match (self, other) {
            (Printed::Amount(a, da), Printed::Amount(b, db)) => (*a - *b).abs() <= (*da + *db) / Decimal::TWO,
            (Printed::Pct(a), Printed::Pct(b)) | (Printed::Points(a), Printed::Points(b)) => a == b,
            _ => false,
        }
    }
}

/// The figures of an English sentence: `$1.2 billion`, `17.41 trillion yuan`, `4.2%`, `8.2 percent`,
/// `6 percentage points`, `rose to 3.4 times the level` (a rise of 240%).
fn english_figures(text: &str) -> Vec<Printed> {
    let mut out = Vec::new();
    let words: Vec<&str> = text
        .split(' ')
        .map(|w| w.trim_start_matches('(').trim_end_matches(['.', ',', ';', ':', ')']))
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: &str| w.trim_end_matches('.').replace(',', "").parse::<Decimal>().ok();
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        let scale =
            |s: &str| ["trillion", "billion", "million"].iter().find(|x| s.trim_end_matches('.') == **x).copied();
        if let Some(d) = w.strip_prefix('$') {
            let text = match scale(next) {
                Some(s) => format!("${} {s}", d.trim_end_matches('.')),
                None => format!("${}", d.trim_end_matches('.')),
            };
            // "$31.8" in a list "in billions of dollars".
            let text = if scale(next).is_none() && text.contains('.') { format!("{text} billion") } else { text };
            out.extend(en_amount(&text));
        } else if let Some(n) = number(w) {
            let after = words.get(i + 2).copied().unwrap_or("");
            if let Some(s) = scale(next).filter(|_| after.starts_with("yuan")) {
                out.extend(en_amount(&format!("{} {s} yuan", w.trim_end_matches('.'))));
            } else if next.starts_with("yuan") {
                out.extend(en_amount(&format!("{} yuan", w.trim_end_matches('.'))));
            } else if next == "percentage" {
                out.push(Printed::Points(n.normalize()));
            } else if next.starts_with("percent") {
                out.push(Printed::Pct(n.normalize()));
            } else if next == "times" {
                out.push(Printed::Pct(((n - Decimal::ONE) * Decimal::ONE_HUNDRED).normalize()));
            }
        } else if let Some(n) = w.strip_suffix('%').or_else(|| w.strip_suffix("%.")).and_then(number) {
            out.push(Printed::Pct(n.normalize()));
        } else if let Some(n) = w.strip_suffix("-fold").and_then(number) {
            out.push(Printed::Pct(((n - Decimal::ONE) * Decimal::ONE_HUNDRED).normalize()));
        }
    }
    out
}

/// An English amount with the step it was rounded to, as its decimals show (`$85.3 billion` to
/// $0.1 billion; `$1.2 billion` may be 1.20, printed without its zero, so the step is the larger).
fn en_amount(text: &str) -> Option<Printed> {
    let (v, step) = amount::parse_en(&text.replace(',', ""))?;
    let digits = text.trim_start_matches('$').split(' ').next()?;
    let decimals = digits.split_once('.').map_or(0, |(_, d)| d.len() as u32);
    let scale = v / digits.replace(',', "").parse::<Decimal>().ok().filter(|d| !d.is_zero())?;
    Some(Printed::Amount(v, step.max(scale / Decimal::from(10u64.pow(decimals)))))
}

/// The figures of a Chinese sentence: `17.41万亿元`, `4739.3亿美元`, `4.2%`, `6个百分点`,
/// `增长1.4倍` (a rise of 140%). Years, months and ordinals (`2019年`, `7月`, `第5`) are not figures.
fn chinese_figures(text: &str) -> Vec<Printed> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit()
            || (i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '.' || chars[i - 1] == '第'))
        {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
            i += 1;
        }
        let digits: String = chars[start..i].iter().collect();
        let Ok(n) = digits.parse::<Decimal>() else { continue };
        let rest: String = chars[i..chars.len().min(i + 6)].iter().collect();
        if rest.starts_with('%') {
            out.push(Printed::Pct(n.normalize()));
        } else if rest.starts_with("个百分点") {
            out.push(Printed::Points(n.normalize()));
        } else if rest.starts_with('倍') {
            out.push(Printed::Pct((n * Decimal::ONE_HUNDRED).normalize()));
        } else {
            for unit in ["万亿美元", "亿美元", "万美元", "美元", "万亿元", "亿元", "万元", "元"] {
                if rest.starts_with(unit) {
                    out.extend(amount::parse_zh(&format!("{digits}{unit}")).map(|(v, st)| Printed::Amount(v, st)));
                    break;
                }
            }
        }
    }
    out
}

/// Figures of one sentence that the other language's sentence does not state, and that its
/// bulletin did not state before (a figure stated once in one language and repeated in the other
/// is the same fact).
fn missing(ours: &[Printed], theirs: &[Printed], theirs_before: &[Printed]) -> Vec<Printed> {
    ours.iter().filter(|f| !theirs.iter().chain(theirs_before).any(|g| f.same(g))).cloned().collect()
}

/// Where the Chinese templates (templates/zh/, kept by another hand) do not yet state what the
/// English state, by template, with what they lack: figures the English states there are not
/// faults until they do. An allowance no bulletin uses is a fault, so that this list is cut as
/// the Chinese catch up. (None now: the largest partner and a runner-up level with it are stated
/// in rank order, with both shares, by `partners_ranked` in either language.)
const ZH_TO_COME: [(&str, &str); 0] = [];

/// Both languages' bulletins of a month, paragraph by paragraph (a language may join two facts in
/// one sentence, or state a figure a sentence earlier): the figures each states that the other
/// does not. `used` counts the allowances of [`ZH_TO_COME`].
fn differences(stats: &Stats, rules: &RuleSet, en: &Renderer, zh: &Renderer, used: &mut [usize]) -> Vec<String> {
    let eval = tradescribe::rules::evaluate(rules, stats).unwrap();
    let plan = tradescribe::plan::plan(&eval, stats, stats.period);
    let (e, z) = (en.write_with(&plan, false).unwrap(), zh.write_with(&plan, false).unwrap());
    let facts: HashMap<&str, &PlannedFact> =
        plan.sections.iter().flat_map(|s| &s.facts).map(|f| (f.fact.rule.as_str(), f)).collect();
    let mut out = Vec::new();
    let (mut en_before, mut zh_before) = (Vec::new(), Vec::new());
    for pe in &e.paragraphs {
        let pz = z.paragraphs.iter().find(|p| p.section == pe.section);
        let text_z: Vec<&str> = pz.into_iter().flat_map(|p| &p.sentences).map(|s| s.text.as_str()).collect();
        let fz: Vec<Printed> = text_z.iter().flat_map(|t| chinese_figures(t)).collect();
        let mut fe = Vec::new();
        let mut only_en = Vec::new();
        for se in &pe.sentences {
            let figures = english_figures(&se.text);
            let mut missing_here = missing(&figures, &fz, &zh_before);
            let pf = facts[se.rule.as_str()];
            let allowed = |i: usize| match ZH_TO_COME[i].0 {
                "level_with" => pf.notes.iter().any(|n| n.level_with.is_some()),
                template => pf.fact.template == template,
            };
            if let Some(i) = (0..ZH_TO_COME.len()).find(|&i| allowed(i)).filter(|_| !missing_here.is_empty()) {
                used[i] += 1;
                missing_here.clear();
            }
            only_en.extend(missing_here);
            fe.extend(figures);
        }
        let only_zh = missing(&fz, &fe, &en_before);
        if !only_en.is_empty() || !only_zh.is_empty() {
            let text_e: Vec<&str> = pe.sentences.iter().map(|s| s.text.as_str()).collect();
            out.push(format!(
                "{} {} `{}`: en only {only_en:?}, zh only {only_zh:?}\n  {}\n  {}",
                rules.path.display(),
                stats.period,
                pe.section,
                text_e.join(" "),
                text_z.join("")
            ));
        }
        en_before.extend(fe);
        zh_before.extend(fz);
    }
    out
}

#[test]
fn english_and_chinese_state_the_same_figures() {
    let en = Renderer::new("en", None).unwrap();
    let zh = Renderer::new("zh", None).unwrap();
    let mut faults = Vec::new();
    let mut used = [0; ZH_TO_COME.len()];
    let china = Dataset::load(Path::new("data/china-2019")).unwrap();
    let us = Dataset::load(Path::new("data/us-census")).unwrap();
    let styles: Vec<RuleSet> = ["default", "us-census", "monthly"]
        .iter()
        .map(|s| RuleSet::load(Path::new(&format!("rules/{s}.yaml"))).unwrap())
        .collect();
    for p in ["2018-07", "2019-06", "2019-07"] {
        let stats = Stats::compute(&china, p.parse().unwrap()).unwrap();
        faults.extend(differences(&stats, &styles[0], &en, &zh, &mut used));
    }
    // Every fifth month of the U.S. data, so that each calendar month comes up, and December 2021,
    // whose largest partners were virtually level.
    let december: Period = "2021-12".parse().unwrap();
    for p in months("1988-01", "2021-12").into_iter().step_by(5).chain([december]) {
        let stats = Stats::compute(&us, p).unwrap();
        for rules in &styles {
            faults.extend(differences(&stats, rules, &en, &zh, &mut used));
        }
    }
    for ((template, lack), n) in ZH_TO_COME.iter().zip(used) {
        if n == 0 {
            faults.push(format!("the Chinese `{template}` now states {lack}: remove its allowance from ZH_TO_COME"));
        }
    }
    if let Ok(path) = std::env::var("STYLE_FAULTS") {
        std::fs::write(path, faults.join("\n")).unwrap();
    }
    assert!(
        faults.is_empty(),
        "{} sentences differ, the first:\n{}",
        faults.len(),
        faults.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn figures_are_read_in_both_languages() {
    assert_eq!(
        english_figures(
            "Exports rose 6.7% to 9.48 trillion yuan and imports fell 24.0% to $473.93 billion, 6 percentage points; China ($31.8)."
        ),
        vec![
            Printed::Pct(Decimal::new(67, 1)),
            Printed::Amount(
                Decimal::new(948, 2) * Decimal::from(1_000_000_000_000u64),
                Decimal::from(10_000_000_000u64)
            ),
            Printed::Pct(Decimal::from(24)),
            Printed::Amount(Decimal::new(47393, 2) * Decimal::from(1_000_000_000), Decimal::from(10_000_000)),
            Printed::Points(Decimal::from(6)),
            Printed::Amount(Decimal::new(318, 1) * Decimal::from(1_000_000_000), Decimal::from(100_000_000)),
        ]
    );
    assert_eq!(
        chinese_figures(
            "2019年前7个月，出口9.48万亿元，增长6.7%；自美国进口4739.3亿元，高出6个百分点，增长1.4倍，连续第5个月。"
        ),
        vec![
            Printed::Amount(
                Decimal::new(948, 2) * Decimal::from(1_000_000_000_000u64),
                Decimal::from(10_000_000_000u64)
            ),
            Printed::Pct(Decimal::new(67, 1)),
            Printed::Amount(Decimal::new(47393, 1) * Decimal::from(100_000_000), Decimal::from(10_000_000)),
            Printed::Points(Decimal::from(6)),
            Printed::Pct(Decimal::from(140)),
        ]
    );
    // 473.93 billion and 4739.3亿 are the same figure; 12% and 12.0% too.
    assert!(
        Printed::Amount(Decimal::from(473_930_000_000u64), Decimal::from(10_000_000))
            .same(&Printed::Amount(Decimal::from(473_930_000_000u64), Decimal::from(10_000_000)))
    );
    assert!(Printed::Pct(Decimal::new(120, 1).normalize()).same(&Printed::Pct(Decimal::from(12))));
}

/// A rules file with each rule over total trade copied to exports and to imports (ids
/// `<id>__export`, `<id>__import`; no headline, no group, so that each copy is stated).
fn copied_to_flows(path: &str) -> RuleSet {
    let text = std::fs::read_to_string(path).unwrap();
    let mut doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let rules = doc["rules"].as_sequence_mut().unwrap();
    let mut copies = Vec::new();
    for rule in rules.iter() {
        if rule["over"]["flow"].as_str() != Some("total") {
            continue;
        }
        for flow in ["export", "import"] {
            let mut copy = rule.clone();
            let id = format!("{}__{flow}", copy["id"].as_str().unwrap());
            let m = copy.as_mapping_mut().unwrap();
            m.insert("id".into(), id.into());
            m.remove("headline");
            m.remove("group");
            m.get_mut("over").unwrap().as_mapping_mut().unwrap().insert("flow".into(), flow.into());
            copies.push(copy);
        }
    }
    rules.extend(copies);
    RuleSet::parse(Path::new(path), &serde_yaml::to_string(&doc).unwrap()).unwrap()
}

/// Whether an English sentence speaks of trade (exports and imports together).
fn speaks_of_trade(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("imports and exports")
        || lower.contains("exports and imports")
        || lower.split(|c: char| !c.is_alphabetic()).any(|w| w == "trade")
}

#[test]
fn rules_copied_to_exports_or_imports_speak_of_that_flow_alone() {
    let en = Renderer::new("en", None).unwrap();
    let us = Dataset::load(Path::new("data/us-census")).unwrap();
    let china = Dataset::load(Path::new("data/china-2019")).unwrap();
    // The shipped data give types of enterprise for total trade alone: the synthetic fixture with
    // their exports and imports added (synthetic figures) brings the enterprise rules' copies up.
    let synthetic = {
        let dir = common::scratch("style-enterprise-flows");
        let fixture = Path::new("tests/fixtures/synthetic");
        std::fs::copy(fixture.join("dataset.yaml"), dir.join("dataset.yaml")).unwrap();
        let csv = std::fs::read_to_string(fixture.join("trade.csv")).unwrap()
            + "2019-02,ytd,export,enterprise_type,private,160,15.0\n\
               2019-02,ytd,export,enterprise_type,state,90,2.0\n\
               2019-02,ytd,import,enterprise_type,private,120,9.0\n\
               2019-02,ytd,import,enterprise_type,state,60,4.0\n";
        std::fs::write(dir.join("trade.csv"), csv).unwrap();
        Dataset::load(&dir).unwrap()
    };
    let mut faults = Vec::new();
    let mut copies_stated = 0;
    let mut enterprises_stated = 0;
    let mut check = |b: &Bulletin, faults: &mut Vec<String>| {
        for s in b.paragraphs.iter().flat_map(|p| &p.sentences) {
            if s.rule.ends_with("__export") || s.rule.ends_with("__import") {
                copies_stated += 1;
                enterprises_stated += s.rule.contains("enterprise") as usize;
                if speaks_of_trade(&s.text) {
                    faults.push(format!("{}: {}", s.rule, s.text));
                }
            }
        }
    };
    for path in ["rules/default.yaml", "rules/us-census.yaml", "rules/monthly.yaml"] {
        let rules = copied_to_flows(path);
        for (ds, p) in [
            (&us, "2009-03"),
            (&us, "2019-07"),
            (&us, "2020-04"),
            (&us, "2021-12"),
            (&china, "2019-07"),
            (&synthetic, "2019-02"),
        ] {
            let stats = Stats::compute(ds, p.parse().unwrap()).unwrap();
            let eval = tradescribe::rules::evaluate(&rules, &stats).unwrap();
            let plan = tradescribe::plan::plan(&eval, &stats, stats.period);
            check(&en.write_with(&plan, false).unwrap(), &mut faults);
        }
    }
    let member = copied_to_flows("rules/member.yaml");
    for (ds, p, dim, m) in [
        (&us, "2009-03", "partner", "canada"),
        (&us, "2019-07", "partner", "china"),
        (&china, "2019-07", "partner", "us"),
    ] {
        let stats = Stats::compute(ds, p.parse().unwrap()).unwrap();
        let shared = tradescribe::rules::evaluate_shared(&member, &stats).unwrap();
        let plan = tradescribe::pipeline::member_plan(&stats, &member, &shared, dim, m).unwrap();
        check(&en.write_with(&plan, false).unwrap(), &mut faults);
    }
    assert!(copies_stated > 100, "{copies_stated} sentences of copied rules");
    assert!(enterprises_stated >= 2, "{enterprises_stated} sentences of copied enterprise rules");
    assert!(
        faults.is_empty(),
        "{} sentences about exports or imports speak of trade:\n{}",
        faults.len(),
        faults.join("\n")
    );
    assert!(speaks_of_trade("Imports and exports with Japan grew") && speaks_of_trade("Total trade fell."));
    assert!(!speaks_of_trade("Exports to Japan grew, ranking third among China's trading partners by exports."));
}

/// A member's bulletin (`--each partner`), for one member.
fn member_bulletin(ds: &Dataset, period: &str, member: &str) -> String {
    let rules = RuleSet::load(Path::new("rules/member.yaml")).unwrap();
    let stats = Stats::compute(ds, period.parse().unwrap()).unwrap();
    let shared = tradescribe::rules::evaluate_shared(&rules, &stats).unwrap();
    let plan = tradescribe::pipeline::member_plan(&stats, &rules, &shared, "partner", member).unwrap();
    let b = Renderer::new("en", None).unwrap().write_with(&plan, false).unwrap();
    b.paragraphs.iter().flat_map(|p| &p.sentences).map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ")
}

#[test]
fn amounts_carry_the_digits_of_the_data_and_no_trade_is_said_as_none() {
    let us = Dataset::load(Path::new("data/us-census")).unwrap();
    // 1995's table is in tenths of a million: $0.6 million, never $600,000.
    let afghanistan = member_bulletin(&us, "1995-03", "afghanistan");
    assert!(afghanistan.contains("trade with Afghanistan decreased 64.7% to $0.6 million"), "{afghanistan}");
    assert!(!afghanistan.contains(",000"), "{afghanistan}");
    // 2019's is in dollars: $16,355. No imports from Svalbard in January 2019: none, not "fell 100.0%".
    let svalbard = member_bulletin(&us, "2019-01", "svalbard_jan_mayen_island");
    assert!(svalbard.contains("rose 20.5% to $16,355; there were no imports from Svalbard"), "{svalbard}");
    assert!(!svalbard.contains("100.0%"), "{svalbard}");
    // A partner with no trade at all in the period gets no bulletin.
    let stats = Stats::compute(&us, "2019-01".parse().unwrap()).unwrap();
    let members = tradescribe::members_with_value(&stats, "partner");
    assert!(members.contains(&"svalbard_jan_mayen_island".to_string()));
    assert!(!members.contains(&"norfolk_island".to_string()), "norfolk_island has no trade in 2019-01");
    assert!(
        stats
            .get("partner", "norfolk_island", Flow::Total, tradescribe::dataset::Basis::Ytd)
            .is_some_and(|f| f.value.is_some_and(|v| v.is_zero()))
    );
}
