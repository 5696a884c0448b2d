//! Section headings: a rules file may give a section a heading template, whose verdict opens the
//! section and which the layouts number; a rules file without them writes what it always did.
//! And Chinese sentences follow the rule's flow.

mod common;
use common::{run, scratch};

/// The default rules with every rule moved to `flow` (those over total trade, and those over one
/// flow by nature, such as bulk commodity imports), and without the two rules that are about
/// exports and imports together by nature (the breakdown and the balance).
fn rules_over(flow: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/default.yaml")).unwrap();
    let (head, rules) = text.split_once("\nrules:\n").unwrap();
    let kept: Vec<&str> = rules
        .split("\n  - id: ")
        .filter(|r| !r.starts_with("exports_and_imports\n") && !r.starts_with("trade_balance\n"))
        .collect();
    let text = format!("{head}\nrules:\n{}", kept.join("\n  - id: "))
        .replace("flow: total", &format!("flow: {flow}"))
        .replace("flow: export", &format!("flow: {flow}"))
        .replace("flow: import", &format!("flow: {flow}"));
    let file = scratch(&format!("rules-over-{flow}")).join("rules.yaml");
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn a_rule_over_exports_or_imports_never_speaks_of_both_in_chinese() {
    for (flow, own, other) in [("export", "出口", "进口"), ("import", "进口", "出口")] {
        let rules = rules_over(flow);
        let mut said = 0;
        for args in [
            &["--period", "2019-07"][..],
            &["--data", "data/us-census", "--period", "2019-07"],
            &["--data", "data/us-census", "--period", "2009-03"],
            &["--data", "data/us-census", "--period", "2021-12"],
        ] {
            let mut all = vec!["generate", "--lang", "zh", "--rules", rules.to_str().unwrap()];
            all.extend(args);
            let r = run(&all);
            assert_eq!(r.code, 0, "{}", r.stderr);
            // The credit line names the source, whatever it is called.
            let body: String = r.stdout.lines().filter(|l| !l.starts_with("*资料来源")).collect();
            for both in ["进出口", "外贸", "贸易总值", other] {
                assert!(!body.contains(both), "{flow} {args:?}: `{both}` in:\n{}", r.stdout);
            }
            said += body.matches(own).count();
        }
        assert!(said > 20, "{flow}: the bulletins say {own} only {said} times");
    }
}

#[test]
fn rules_without_headings_write_unnumbered_paragraphs() {
    for lang in ["en", "zh"] {
        let r = run(&["--data", "data/us-census", "--rules", "us-census", "--period", "2019-07", "--lang", lang]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        for mark in ["The details", "以下特点", "**1.", "**一、", "**"] {
            assert!(!r.stdout.lines().skip(1).any(|l| l.starts_with(mark) || l.contains(mark)), "{lang}: {mark}");
        }
        // The headline, the three sections (the month, the year to date, the countries) and the
        // credit line.
        assert_eq!(r.stdout.split("\n\n").count(), 5, "{lang}:\n{}", r.stdout);
    }
}

#[test]
fn a_section_whose_verdict_has_nothing_to_say_is_not_numbered() {
    // The first half of 2019 gives private enterprises' share but neither its change nor a
    // growth rate: their paragraph has no verdict, so it is not numbered.
    let r = run(&["--period", "2019-06", "--lang", "zh"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\n**一、一般贸易进出口增长，比重提升**。"), "{}", r.stdout);
    assert!(r.stdout.contains("\n**二、对欧盟和东盟进出口增长，对美国进出口下降**。"), "{}", r.stdout);
    assert!(r.stdout.contains("\n**三、对“一带一路”沿线国家进出口增速高于整体**。"), "{}", r.stdout);
    assert!(r.stdout.contains("\n民营企业进出口6.12万亿元，占我外贸总值的41.7%。"), "{}", r.stdout);
    assert!(!r.stdout.contains("四、"), "{}", r.stdout);
}

#[test]
fn headings_are_numbered_in_every_format() {
    for (lang, format, want) in [
        (
            "en",
            "txt",
            "\n2. Trade with the EU and ASEAN increased, while trade with the US decreased. Trade with the European",
        ),
        ("zh", "txt", "\n二、对欧盟和东盟进出口增长，对美国进出口下降。欧盟为我第一大贸易伙伴"),
        ("en", "html", "<p><strong>3. Trade with the Belt and Road countries outpaced total trade.</strong> Imports"),
        ("zh", "html", "<p><strong>四、民营企业进出口增长，比重提升。</strong>民营企业"),
    ] {
        let r = run(&["--lang", lang, "--format", format]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains(want), "{lang} {format}: missing `{want}` in:\n{}", r.stdout);
    }
}

#[test]
fn a_heading_template_can_be_overridden() {
    let dir = scratch("heading-override");
    std::fs::create_dir_all(dir.join("en/sections")).unwrap();
    std::fs::write(dir.join("en/sections/groups.hbs"), "{{count}} {{label}} grew {{#each rising}}{{name}}{{/each}}")
        .unwrap();
    let r = run(&["--templates", dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\n**3. 1 partner groups grew the Belt and Road countries.** Imports"), "{}", r.stdout);
}

#[test]
fn a_heading_with_no_template_is_refused_before_anything_is_written() {
    let dir = scratch("heading-missing");
    let rules = dir.join("rules.yaml");
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/default.yaml")).unwrap();
    std::fs::write(&rules, text.replace("heading: groups", "heading: nosuch")).unwrap();
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let r = run(&["--rules", rules.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    let want = format!(
        "{}: section `partner_groups` names heading `nosuch`, but there is no templates/en/sections/nosuch.hbs",
        rules.display()
    );
    assert!(r.stderr.contains(&want), "want `{want}`, got {}", r.stderr);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "nothing may be written");
}

#[test]
fn a_section_that_is_neither_an_id_nor_an_id_with_a_heading_is_refused() {
    let dir = scratch("heading-bad");
    let rules = dir.join("rules.yaml");
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/default.yaml")).unwrap();
    std::fs::write(&rules, text.replace("{ id: partners, heading: partners }", "{ id: partners, headline: x }"))
        .unwrap();
    let r = run(&["--rules", rules.to_str().unwrap()]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("a section id, or `{ id: ..., heading: ... }`"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn a_layout_written_before_headings_still_prints_every_paragraph() {
    let dir = scratch("layout-before-headings");
    std::fs::create_dir_all(dir.join("en")).unwrap();
    std::fs::write(dir.join("en/layout.md.hbs"), "{{#each paragraphs}}{{this}}\n{{/each}}").unwrap();
    let r = run(&["--templates", dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{}", r.stdout);
    assert!(lines[3].starts_with("Trade with the European Union, China's largest trading partner"), "{}", r.stdout);
}
