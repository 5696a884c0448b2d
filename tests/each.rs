//! Member bulletins (`generate --each DIMENSION`) and the parallel batch run.

mod common;
use common::{golden, run, scratch};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every bulletin of a folder by name, with its bytes (and nothing left but records of inputs).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    common::bulletins(dir).into_iter().map(|n| (n.clone(), std::fs::read(dir.join(n)).unwrap())).collect()
}

fn text(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn a_member_bulletin_in_english_and_chinese() {
    let out = scratch("each-golden");
    let r =
        run(&["generate", "--period", "2019-07", "--each", "partner", "--lang", "all", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let names: Vec<String> = files(&out).into_keys().collect();
    assert_eq!(
        names,
        [
            "china-2019-2019-07-asean-en.md",
            "china-2019-2019-07-asean-zh.md",
            "china-2019-2019-07-eu-en.md",
            "china-2019-2019-07-eu-zh.md",
            "china-2019-2019-07-us-en.md",
            "china-2019-2019-07-us-zh.md",
        ]
    );
    let en = text(&out, "china-2019-2019-07-us-en.md");
    // The figures of the GACC release, and a rank: the partner dimension is declared complete.
    for s in [
        "China's trade with the US decreases 8.1% in the first seven months of 2019",
        "declined 8.1% from a year earlier to 2.1 trillion yuan",
        "With 12.0% of the total, the US ranked third among China's trading partners.",
        "imports from the US decreased 24.0% to 473.93 billion yuan",
        "China's trade with all partners",
    ] {
        assert!(en.contains(s), "missing `{s}`:\n{en}");
    }
    golden("china-2019-2019-07-us-en.md", &en);
    let zh = text(&out, "china-2019-2019-07-us-zh.md");
    // The rank with the member's own figures, 我国 once and 我 after.
    assert!(
        zh.contains("美国为我国第三大贸易伙伴，我与美国进出口2.1万亿元，同比下降8.1%，占我外贸总值的12%。"),
        "{zh}"
    );
    assert!(zh.contains("\n前7个月，我外贸进出口总值17.41万亿元，增长4.2%。\n"), "{zh}");
    golden("china-2019-2019-07-us-zh.md", &zh);
}

#[test]
fn printing_gives_every_member_one_after_another_as_the_files_hold_them() {
    let out = scratch("each-print");
    let args = ["generate", "--period", "2019-07", "--each", "partner"];
    let printed = run(&args);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    let saved = run(&[&args[..], &["--out", out.to_str().unwrap()]].concat());
    assert_eq!(saved.code, 0, "{}", saved.stderr);
    let files: String = files(&out).into_values().map(|b| String::from_utf8(b).unwrap()).collect();
    assert_eq!(printed.stdout, files);
    // One member alone prints what its file holds.
    assert!(printed.stdout.starts_with("# China's trade with ASEAN"), "{}", printed.stdout);
}

#[test]
fn one_file_per_member_with_a_value_in_the_month() {
    // The members with trade (a value other than zero), as the figures have them (independently
    // of the rules).
    let stats = run(&["stats", "--data", "data/us-census", "--period", "2019-07"]);
    assert_eq!(stats.code, 0, "{}", stats.stderr);
    let members: BTreeSet<String> = stats
        .stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.strip_prefix("partner,"))
        .filter(|rest| rest.split(',').nth(3).is_some_and(|v| v.parse::<f64>().unwrap() != 0.0))
        .map(|rest| rest.split(',').next().unwrap().to_string())
        .collect();
    assert!(members.len() > 200, "{}", members.len());
    let out = scratch("each-count");
    let args = ["generate", "--data", "data/us-census", "--period", "2019-07", "--each", "partner", "--out"];
    let args = [&args[..], &[out.to_str().unwrap()]].concat();
    let r = run(&[&args[..], &["--verbose"]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let written: BTreeSet<String> = files(&out).into_keys().collect();
    let want: BTreeSet<String> = members.iter().map(|m| format!("us-census-2019-07-{m}-en.md")).collect();
    assert_eq!(written, want, "no lock or temporary file is left, and no member is missing");
    // Declared partners without a value are passed over, and said to be with --verbose.
    assert!(
        r.stderr.contains("passed over 2019-07: partner `czechoslovakia` has no trade in the period"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(&format!("2019-07: {} bulletins, ", members.len())), "{}", r.stderr);
    assert!(r.stderr.contains(&format!(" facts; {} files written", members.len())), "{}", r.stderr);
    let canada = text(&out, "us-census-2019-07-canada-en.md");
    assert!(
        canada.contains("With 14.8% of the total, Canada ranked second among the United States' trading partners."),
        "{canada}"
    );
    // A re-run leaves every file alone.
    let again = run(&args);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stderr.contains("nothing to do"), "{}", again.stderr);
}

#[test]
fn member_rules_and_each_go_together() {
    // --each with rules that have no rule about one member.
    let r = run(&["generate", "--each", "partner", "--rules", "rules/default.yaml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("rules/default.yaml has no rules about one member"), "{}", r.stderr);
    // Member rules without --each.
    let r = run(&["generate", "--rules", "rules/member.yaml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("rules/member.yaml has rules about one member (over `focus`: member_trade_ranked,"));
    assert!(r.stderr.contains("give --each DIMENSION"), "{}", r.stderr);
    // A dimension the dataset does not declare, and the total, which has no members to go through.
    for dim in ["partners", "total"] {
        let r = run(&["generate", "--data", "data/us-census", "--each", dim]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "--each {dim}: data/us-census/dataset.yaml declares no such dimension; it declares: partner, partner_group"
            )),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
    }
}

#[test]
fn a_member_id_that_cannot_be_a_file_name_is_refused_before_anything_is_written() {
    let out = scratch("each-unsafe");
    let r = run(&[
        "generate",
        "--data",
        "tests/fixtures/unsafe-member",
        "--period",
        "2019-01",
        "--each",
        "partner",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "tests/fixtures/unsafe-member/dataset.yaml: member `../b` of dimension `partner` cannot go into a file name"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "nothing may be written");
    assert!(!out.parent().unwrap().join("b").exists());
}

#[test]
fn a_parallel_range_writes_what_month_by_month_runs_write() {
    for each in [&["--each", "partner"][..], &[]] {
        let together = scratch(&format!("each-range-{}", each.len()));
        let apart = scratch(&format!("each-months-{}", each.len()));
        let base = ["generate", "--data", "data/us-census", "--lang", "all", "--format", "md,json"];
        let r = run(&[
            &base[..],
            each,
            &["--from", "2019-02", "--to", "2019-04", "--out", together.to_str().unwrap(), "--quiet"],
        ]
        .concat());
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.is_empty(), "{}", r.stderr);
        for month in ["2019-02", "2019-03", "2019-04"] {
            let r = run(&[&base[..], each, &["--period", month, "--out", apart.to_str().unwrap()]].concat());
            assert_eq!(r.code, 0, "{}", r.stderr);
        }
        let (a, b) = (files(&together), files(&apart));
        assert!(a.len() >= if each.is_empty() { 12 } else { 1000 }, "{}", a.len());
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (name, bytes) in &a {
            assert!(bytes == &b[name], "{name} differs");
        }
    }
}

#[test]
fn member_bulletins_verify_against_the_data() {
    let out = scratch("each-verify");
    let r = run(&[
        "generate",
        "--data",
        "data/us-census",
        "--period",
        "2020-04",
        "--each",
        "partner",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut args = vec!["verify".to_string(), "--data".into(), "data/us-census".into()];
    for name in ["canada", "china", "mexico", "japan"] {
        args.push(out.join(format!("us-census-2020-04-{name}-en.json")).display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let v = run(&args);
    assert_eq!(v.code, 0, "{}", v.stderr);
}

#[test]
fn validate_proves_member_rules_on_a_member() {
    let r = run(&["validate", "--data", "data/us-census", "--rules", "rules/member.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("on partner `"), "{}", r.stdout);
    assert!(!r.stdout.contains("note:"), "{}", r.stdout);
}
