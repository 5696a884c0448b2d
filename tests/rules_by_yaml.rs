//! A press officer's change: a new rule written in YAML alone, with a new template, and the
//! bulletin states it. Also `explain` and `validate`, which show and check such changes.

mod common;
use common::{run, scratch};

const NEW_RULE: &str = "
  - id: partners_gaining_share
    section: partners
    over: { dimension: partner, flow: total, basis: ytd }
    when: \"share_change_pp > 1.0\"
    order_by: [-share_change_pp]
    limit: 2
    salience: 62
    template: partners_gaining_share
";

const NEW_TEMPLATE: &str = "{{#each subjects}}The share of {{name}} in total trade rose {{pp share_change_pp}} to {{pct share_pct}}. {{/each}}";

#[test]
fn a_rule_added_in_yaml_alone_is_stated() {
    let dir = scratch("yaml-rule");
    let rules = dir.join("rules.yaml");
    let default = std::fs::read_to_string("rules/default.yaml").unwrap();
    std::fs::write(&rules, format!("{}\n{NEW_RULE}", default.trim_end())).unwrap();
    std::fs::create_dir_all(dir.join("templates/en/facts")).unwrap();
    std::fs::write(dir.join("templates/en/facts/partners_gaining_share.hbs"), NEW_TEMPLATE).unwrap();
    let templates = dir.join("templates");
    let args = [
        "generate",
        "--data",
        "data/us-census",
        "--period",
        "2020-12",
        "--rules",
        rules.to_str().unwrap(),
        "--templates",
        templates.to_str().unwrap(),
    ];
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let want = "The share of China in total trade rose 1.4 percentage points to";
    assert!(r.stdout.contains(want), "missing `{want}`:\n{}", r.stdout);
    // Without the template the rules are refused before anything is written.
    let r = run(&args[..7]);
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("rule `partners_gaining_share` names template `partners_gaining_share`, but there is no templates/en/facts/partners_gaining_share.hbs"), "{}", r.stderr);
}

#[test]
fn explain_shows_why_the_united_states_is_declining_and_private_enterprises_are_not_ranked_first() {
    let r = run(&["explain", "--period", "2019-07"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = &r.stdout;
    // The US declined, but is stated in rank order with the other partners, not again as declining.
    assert!(t.contains("partners_declining (salience 65, rules/default.yaml:"), "{t}");
    assert!(t.contains("  - us: unless `complete && rank_value <= top_partners` is true: complete = true, major_partner_share = 5.0, rank_value = 3, share_pct = 12.0, top_partners = 4, yoy_pct = -8.1\n"), "{t}");
    assert!(t.contains("  - eu: `share_pct >= major_partner_share && yoy_pct < 0.0` is false: complete = true, major_partner_share = 5.0, rank_value = 1, share_pct = 15.6, top_partners = 4, yoy_pct = 10.8\n"), "{t}");
    assert!(t.contains("partners_ranked (salience 82, rules/default.yaml:"), "{t}");
    assert!(t.contains("  + us: complete = true, rank_value = 3, ranked_value = 3, top_partners = 4\n"), "{t}");
    // The data has one type of enterprise (and other types' figures were not published for the
    // period), so the rule that would call it the fastest-growing does not fire, and says why;
    // the rule that states the types does.
    assert!(t.contains("fastest_enterprise_type (salience 50, rules/default.yaml:"), "{t}");
    assert!(t.contains("  - private: `complete && rank_growth == 1 && ranked_growth >= 2 && share_pct >= min_enterprise_share` is false: complete = false, min_enterprise_share = 5.0, rank_growth = 1, ranked_growth = 1, share_pct = 42.0\n"), "{t}");
    assert!(t.contains("  + private: min_enterprise_share = 5.0, share_pct = 42.0\n"), "{t}");
    let r = run(&["explain", "--period", "2019-07", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let rule = doc["explain"].as_array().unwrap().iter().find(|x| x["rule"] == "partners_ranked").unwrap();
    assert_eq!((rule["fired"].as_bool(), rule["stated"].as_bool()), (Some(true), Some(true)));
    assert_eq!(rule["chosen"][2]["why"]["rank_value"], 3);
}

#[test]
fn explain_names_the_rules_a_group_or_the_plan_left_out() {
    let r = run(&["explain", "--data", "data/us-census", "--period", "2021-12"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("no members of `enterprise_type` in this dataset"), "{}", r.stdout);
    assert!(r.stdout.contains("more passed over (--format json lists them all)"), "{}", r.stdout);
    // In the U.S. data Mexico is the largest partner, and the partners are stated in rank order;
    // the two rules share a group, so only the more salient is said. (The synthetic partners
    // cover 42% of their total: no rank is claimed from them, and neither rule fires.)
    let largest = r.stdout.lines().find(|l| l.starts_with("largest_partner (salience 80, rules/default.yaml:"));
    assert!(
        largest
            .is_some_and(|l| l
                .ends_with("): FIRED, not stated: rule `partners_ranked` of group `leading_partners` fired instead")),
        "{}",
        r.stdout
    );
    let r = run(&["explain", "--data", "tests/fixtures/synthetic", "--period", "2019-02"]);
    assert!(r.stdout.contains("  - a: `rank_value` cannot be computed\n"), "{}", r.stdout);
}

#[test]
fn validate_checks_data_rules_and_templates_together_and_writes_nothing() {
    let r = run(&["validate"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("ok: data/china-2019 (35 rows in 1 files), rules/default.yaml (34 rules), templates for `en`; the bulletin for 2019-07 states"), "{}", r.stdout);
    let r = run(&["validate", "--data", "data/us-census", "--rules", "rules/us-census.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("note:"), "the U.S. rules fit the U.S. data: {}", r.stdout);
    let r = run(&["validate", "--data", "data/us-census"]);
    assert!(r.stdout.contains("note: the dataset has no dimension for these rules: trade_modes (trade_mode), trade_modes_exports (trade_mode)"), "{}", r.stdout);
    // A template that names a field the facts do not have fails validation.
    let dir = scratch("validate-templates");
    std::fs::create_dir_all(dir.join("en/facts")).unwrap();
    std::fs::write(dir.join("en/facts/total_trade.hbs"), "{{first.turnover}}").unwrap();
    let r = run(&["validate", "--templates", dir.to_str().unwrap()]);
    assert_eq!(r.code, 4);
    let file = dir.join("en/facts/total_trade.hbs");
    assert!(r.stderr.contains(&format!("template {} (rule `total_trade`", file.display())), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    // Bad data fails validation with the data's exit code.
    let r = run(&["validate", "--data", "tests/fixtures"]);
    assert_eq!(r.code, 3);
}

#[test]
fn the_us_rule_set_adds_markets_sources_and_deficits() {
    let r = run(&["--data", "data/us-census", "--rules", "rules/us-census.yaml", "--period", "2019-07"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for s in [
        "Canada was the largest single-country market for U.S. exports in the first seven months of 2019, at $172.2 billion, or 18.0 percent of the total.",
        "China was the largest single-country source of U.S. imports in the first seven months of 2019, at $259.6 billion, or 17.9 percent of the total.",
        "Deficits were recorded in July, in billions of dollars, with China ($32.7), Mexico ($7.7), Germany ($6.9),",
    ] {
        assert!(r.stdout.contains(s), "missing `{s}`:\n{}", r.stdout);
    }
}

#[test]
fn every_figure_is_documented() {
    let doc = std::fs::read_to_string("docs/src/rules.md").unwrap();
    for (name, _, _) in tradescribe::stats::FIGURES {
        assert!(doc.contains(&format!("| `{name}` |")), "docs/src/rules.md does not document `{name}`");
    }
    for name in tradescribe::rules::OTHER_VARIABLES {
        assert!(doc.contains(&format!("`{name}")), "docs/src/rules.md does not document `{name}`");
    }
}
