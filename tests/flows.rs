//! A rule over exports speaks of exports, one over imports of imports, one over total trade of
//! trade: the templates of the whole release (trade modes, partners in rank order, enterprise
//! types, products, commodities), each over every flow, on `tests/fixtures/flows` (synthetic),
//! in both languages. A rule over one flow never produces a sentence about imports and exports
//! together, nor a share "of the total".

mod common;
use common::run;
use serde_json::Value;

/// Every sentence of the fixture's bulletin in `lang`, with the rule that wrote it.
fn sentences(lang: &str) -> Vec<(String, String)> {
    let r = run(&[
        "--data",
        "tests/fixtures/flows",
        "--rules",
        "tests/fixtures/flows/rules.yaml",
        "--lang",
        lang,
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let mut out = Vec::new();
    for p in doc["paragraphs"].as_array().unwrap() {
        for s in p["sentences"].as_array().unwrap() {
            out.push((s["rule"].as_str().unwrap().to_string(), s["text"].as_str().unwrap().to_string()));
        }
    }
    out
}

const TEMPLATES: [&str; 6] =
    ["trade_modes", "partners_ranked", "enterprise_major", "enterprise_fastest", "products", "commodities"];

#[test]
fn a_rule_over_one_flow_speaks_of_that_flow_in_english() {
    let all = sentences("en");
    for template in TEMPLATES {
        for flow in ["export", "import", "total"] {
            let rule = format!("{template}_{flow}");
            let (_, text) = all.iter().find(|(r, _)| *r == rule).unwrap_or_else(|| panic!("no sentence of `{rule}`"));
            let lower = text.to_lowercase();
            let both = ["imports and exports", "exports and imports", "of the total", "total trade"];
            match flow {
                "export" => {
                    assert!(lower.contains("export"), "{rule}: {text}");
                    assert!(!lower.contains("import"), "{rule} speaks of imports: {text}");
                }
                "import" => {
                    assert!(lower.contains("import"), "{rule}: {text}");
                    assert!(!lower.contains("export"), "{rule} speaks of exports: {text}");
                }
                _ => {
                    // Over total trade the sentence is about trade, not one flow alone.
                    assert!(
                        both.iter().any(|w| lower.contains(w))
                            || lower.contains("trade with")
                            || lower.contains("trade in"),
                        "{rule}: {text}"
                    );
                    continue;
                }
            }
            for w in both {
                assert!(!lower.contains(w), "{rule} says `{w}`: {text}");
            }
        }
    }
}

#[test]
fn a_rule_over_one_flow_speaks_of_that_flow_in_chinese() {
    let all = sentences("zh");
    for template in TEMPLATES {
        for flow in ["export", "import", "total"] {
            let rule = format!("{template}_{flow}");
            let (_, text) = all.iter().find(|(r, _)| *r == rule).unwrap_or_else(|| panic!("no sentence of `{rule}`"));
            match flow {
                "export" => {
                    assert!(text.contains("出口"), "{rule}: {text}");
                    for w in ["进口", "进出口", "外贸总值", "贸易总值"] {
                        assert!(!text.contains(w), "{rule} says `{w}`: {text}");
                    }
                }
                "import" => {
                    assert!(text.contains("进口"), "{rule}: {text}");
                    for w in ["出口", "进出口", "外贸总值", "贸易总值"] {
                        assert!(!text.contains(w), "{rule} says `{w}`: {text}");
                    }
                }
                _ => assert!(text.contains("进出口") || text.contains("贸易总值"), "{rule}: {text}"),
            }
        }
    }
}

#[test]
fn shares_are_of_the_rules_flow() {
    let all = sentences("en");
    let text = |rule: &str| all.iter().find(|(r, _)| r == rule).unwrap().1.clone();
    // Ordinary trade: 600 of 1000 exports, 500 of 800 imports, 1100 of 1800 in all.
    assert!(text("trade_modes_export").contains("accounting for 60.0% of exports"), "{}", text("trade_modes_export"));
    assert!(text("trade_modes_import").contains("accounting for 62.5% of imports"), "{}", text("trade_modes_import"));
    assert!(text("trade_modes_total").contains("accounting for 61.1% of the total"), "{}", text("trade_modes_total"));
    // Foreign-invested enterprises lead imports (400 of 800), private ones exports (550 of 1000).
    assert!(text("enterprise_major_import").starts_with(
        "Imports by foreign-invested enterprises declined 4.8% to $400 million, accounting for 50.0% of imports"
    ));
    assert!(text("enterprise_major_export").starts_with(
        "Exports by private enterprises increased 22.2% to $550 million, accounting for 55.0% of exports"
    ));
    assert_eq!(
        text("enterprise_fastest_import"),
        "Private enterprises ranked first among all types of enterprises by the growth of their imports."
    );
}
