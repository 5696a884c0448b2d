//! `validate`'s checks beyond what stops a run: every language a run writes, names borrowed from
//! another language, override templates that replace nothing, and two rules that state the same
//! figure of the same member. On the SYNTHETIC backtest fixture (tests/fixtures/backtest), copied
//! and edited where a test needs other names.

mod common;
use common::{run, scratch};
use std::path::{Path, PathBuf};

const DATA: &str = "tests/fixtures/backtest";
const RULES: &str = "tests/fixtures/backtest/rules.yaml";

/// A copy of the fixture's data with its dataset.yaml edited by `edit`.
fn dataset(name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let dir = scratch(name);
    std::fs::copy(Path::new(DATA).join("trade.csv"), dir.join("trade.csv")).unwrap();
    let yaml = std::fs::read_to_string(Path::new(DATA).join("dataset.yaml")).unwrap();
    std::fs::write(dir.join("dataset.yaml"), edit(yaml)).unwrap();
    dir
}

/// The fixture's names, with Chinese for the reporter, the source and the members in `zh`.
fn with_chinese(zh: &'static [(&'static str, &'static str)]) -> impl Fn(String) -> String {
    move |yaml: String| {
        let mut yaml = yaml
            .replace(
                "  en: { name: Testland, possessive: \"Testland's\" }\n",
                "  en: { name: Testland, possessive: \"Testland's\" }\n  zh: { name: 测试国, possessive: 我国 }\n",
            )
            .replace(
                "  en: synthetic test figures (not official)\n",
                "  en: synthetic test figures (not official)\n  zh: 测试数据（非官方统计）\n",
            );
        for (id, name) in zh {
            let en = format!("      {id}: {{ en: ");
            let at = yaml.find(&en).unwrap();
            let end = at + yaml[at..].find('}').unwrap();
            yaml.replace_range(end..end + 1, &format!(", zh: {name} }}"));
        }
        yaml
    }
}

#[test]
fn validate_checks_every_language_the_dataset_names() {
    // The fixture names things in English only: English is checked.
    let r = run(&["validate", "--data", DATA, "--rules", RULES]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "ok: tests/fixtures/backtest (96 rows in 1 files), tests/fixtures/backtest/rules.yaml (8 rules), templates for \
         `en`; the bulletin for 2019-06 states 5 facts\n"
    );
    // China's names are in English and Chinese: both are checked.
    let r = run(&["validate"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("templates for `en`; the bulletin for 2019-07"), "{}", r.stdout);
    assert!(r.stdout.contains("templates for `zh`; the bulletin for 2019-07"), "{}", r.stdout);
    let r = run(&["validate", "--lang", "zh"]);
    assert!(!r.stdout.contains("`en`") && r.stdout.contains("`zh`"), "{}", r.stdout);
}

#[test]
fn a_language_every_bulletin_of_which_would_borrow_names_is_refused() {
    // No Chinese name for the reporter: every Chinese bulletin would read "…Testland's外贸…".
    let yaml = Path::new(DATA).join("dataset.yaml");
    for lang in ["zh", "all"] {
        let r = run(&["validate", "--data", DATA, "--rules", RULES, "--lang", lang]);
        assert_eq!(r.code, 3, "{}", r.stderr);
        assert_eq!(
            r.stderr,
            format!(
                "tradescribe: error: {}: `reporter` has no `zh` name, so every zh bulletin would name the reporter in \
                 English (\"Testland's\" in zh text); add `zh: {{ name: ..., possessive: ... }}` under `reporter`, or \
                 check only the languages the dataset has (--lang en)\n",
                yaml.display()
            )
        );
        assert!(r.stdout.is_empty());
    }
    // A reporter named in Chinese but no Chinese credit line.
    let dir = dataset("validate-no-zh-source", |y| {
        with_chinese(&[("a", "甲"), ("b", "乙"), ("c", "丙")])(y).replace("  zh: 测试数据（非官方统计）\n", "")
    });
    let r = run(&["validate", "--data", dir.to_str().unwrap(), "--rules", RULES]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let want = format!(
        "tradescribe: error: {}: `source` has no `zh` line, so every zh bulletin would give the credit line in English; \
         add `zh: ...` under `source`, or check only the languages the dataset has (--lang en)\n",
        dir.join("dataset.yaml").display()
    );
    assert_eq!(r.stderr, want);
}

#[test]
fn a_member_or_label_without_a_name_in_a_language_is_a_warning() {
    let dir = dataset("validate-member-names", with_chinese(&[("a", "甲"), ("b", "乙")]));
    let r = run(&["validate", "--data", dir.to_str().unwrap(), "--rules", RULES]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("templates for `zh`"), "{}", r.stdout);
    let want = format!(
        "warning: zh: 1 of the 3 members of `partner` have no zh name, so a zh bulletin that names one gives its name \
         in another language: c (add `zh:` names in {})\n",
        dir.join("dataset.yaml").display()
    );
    assert!(r.stdout.ends_with(&want), "want {want}\ngot {}", r.stdout);
    // With every name there, no warning.
    let dir = dataset("validate-all-names", with_chinese(&[("a", "甲"), ("b", "乙"), ("c", "丙")]));
    let r = run(&["validate", "--data", dir.to_str().unwrap(), "--rules", RULES]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("warning"), "{}", r.stdout);
    // A dimension with no Chinese label and no built-in Chinese word for it.
    let dir = dataset("validate-label", |y| {
        with_chinese(&[("a", "甲"), ("b", "乙"), ("c", "丙")])(y).replace("  partner:\n", "  market:\n")
    });
    let csv = std::fs::read_to_string(dir.join("trade.csv")).unwrap().replace(",partner,", ",market,");
    std::fs::write(dir.join("trade.csv"), csv).unwrap();
    let rules = std::fs::read_to_string(RULES).unwrap().replace("partner,", "market,").replace("[partner]", "[market]");
    std::fs::write(dir.join("rules.yaml"), rules).unwrap();
    let r = run(&["validate", "--data", dir.to_str().unwrap(), "--rules", dir.join("rules.yaml").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let want = format!(
        "warning: zh: dimension `market` has no zh label, so zh sentences about its members call them by another \
         language's (add `zh:` under its `label` in {})\n",
        dir.join("dataset.yaml").display()
    );
    assert!(r.stdout.ends_with(&want), "want {want}\ngot {}", r.stdout);
}

#[test]
fn override_templates_that_replace_nothing_are_named() {
    let dir = scratch("validate-overrides");
    let files = [
        "en/facts/total_trade.hbs",       // replaces a built-in: fine
        "facts/largest_partner.hbs",      // the wrong layout: no language folder
        "en/facts/partners_outpacng.hbs", // misspelt
        "en/facts/notes.txt",             // not a template
        "fr/facts/total_trade.hbs",       // a language with no templates
    ];
    for f in files {
        let path = dir.join(f);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = std::fs::read_to_string(format!("templates/en/facts/{}", "total_trade.hbs")).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let d = dir.display();
    let r = run(&["validate", "--data", DATA, "--rules", RULES, "--templates", dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let warnings: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(
        warnings,
        [
            format!("warning: {d}/en/facts/notes.txt replaces nothing: only `.hbs` files are read"),
            format!(
                "warning: {d}/en/facts/partners_outpacng.hbs replaces nothing: there is no built-in template \
                 `en/facts/partners_outpacng` and no rule names it; did you mean {d}/en/facts/partners_outpacing.hbs?"
            ),
            format!(
                "warning: {d}/facts/largest_partner.hbs replaces nothing: templates go in a folder for their language \
                 ({d}/en/facts/largest_partner.hbs or {d}/zh/facts/largest_partner.hbs)"
            ),
            format!(
                "warning: {d}/fr/facts/total_trade.hbs replaces nothing: there are templates only for en, zh, not `fr`"
            ),
        ]
    );
}

#[test]
fn two_rules_stating_the_same_figure_of_the_same_member_are_named() {
    // rules-b.yaml's `partner_leader` (a partner with half the trade) gives the largest partner's
    // figures; `partner_gap`, added here, gives those of each partner that outpaced the total
    // through a template that does not look at what was stated, so it says them again.
    let dir = scratch("validate-twice");
    let rules = std::fs::read_to_string("tests/fixtures/backtest/rules-b.yaml").unwrap()
        + "
  - id: partner_gap
    section: partners
    over: { dimension: partner, flow: total, basis: month }
    when: \"gap_pp > 0.0\"
    salience: 57
    template: group_outpacing
";
    let file = dir.join("rules.yaml");
    std::fs::write(&file, rules).unwrap();
    let r = run(&["validate", "--data", DATA, "--rules", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let want = format!(
        "warning: rules `partner_leader` ({f}:34) and `partner_gap` ({f}:73) can both state `gap_pp` of total trade, \
         `share_change_pp` of total trade, `share_pct` of total trade, `value` of total trade, `yoy_pct` of total \
         trade of the same member, and both were stated about one member in 2 of the 12 bulletins from 2018-01 to \
         2019-06 (first 2019-01 a, last 2019-03 a)",
        f = file.display()
    );
    assert!(r.stdout.contains(&want), "want {want}\ngot {}", r.stdout);
    // `partner_down` gives a partner's share too, but its template leaves out a partner an
    // earlier sentence gave (`stated`): beside `partner_first`, no warning.
    let r = run(&["validate", "--data", DATA, "--rules", "tests/fixtures/backtest/rules-b.yaml"]);
    assert!(!r.stdout.contains("warning"), "{}", r.stdout);
    // Rules that print the same figures but never about the same member in one bulletin (growth
    // and decline), or share a template (the plan says it once), or a group: no warning.
    let r = run(&["validate", "--data", DATA, "--rules", RULES]);
    assert!(!r.stdout.contains("warning"), "{}", r.stdout);
}

#[test]
fn a_new_exports_fell_rule_beside_the_declining_one_is_named() {
    // The case: a rule for partners whose exports fell, beside `partner_down`, whose
    // sentence gives exports and imports too. Even with the same template the two are not
    // said once: one reads exports, the other total trade.
    let dir = scratch("validate-exports-fell");
    let rules = std::fs::read_to_string("tests/fixtures/backtest/rules-b.yaml").unwrap()
        + "
  - id: exports_down
    section: partners
    over: { dimension: partner, flow: export, basis: month }
    when: \"yoy_pct < 0.0\"
    salience: 57
    template: partner_declining
";
    let file = dir.join("rules.yaml");
    std::fs::write(&file, rules).unwrap();
    let r = run(&["validate", "--data", DATA, "--rules", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let want = format!(
        "warning: rules `partner_down` ({f}:66) and `exports_down` ({f}:73) can both state `value` of exports, \
         `yoy_pct` of exports, `value` of imports, `yoy_pct` of imports of the same member, and both were stated \
         about one member in 3 of the 12 bulletins from 2018-01 to 2019-06 (first 2019-01 c, last 2019-05 a)",
        f = file.display()
    );
    assert!(r.stdout.contains(&want), "want {want}\ngot {}", r.stdout);
}
