//! The command line: exit codes, error messages naming file, line and field, and no partial output.

mod common;
use common::{run, scratch};
use std::path::Path;

const YAML: &str = "id: bad\nreporter:\n  en: { name: Testland, possessive: \"Testland's\" }\ncurrency: USD\nunit: 1000000\n\
source:\n  en: synthetic test figures (not official)\ndimensions:\n  partner:\n    members:\n      a: { en: Alpha }\n";

/// A dataset folder holding the given CSV (synthetic figures).
fn dataset(name: &str, csv: &str) -> String {
    let dir = scratch(name);
    std::fs::write(dir.join("dataset.yaml"), YAML).unwrap();
    std::fs::write(dir.join("trade.csv"), csv).unwrap();
    dir.to_string_lossy().into_owned()
}

const HEADER: &str = "period,basis,flow,dimension,member,value\n";
const GOOD_ROW: &str = "2019-01,month,export,total,all,10\n";

/// Runs generate on a bad dataset with --out, and checks the exit code, the message and that nothing was written.
fn refuses(name: &str, csv: &str, want: &str) {
    let data = dataset(name, csv);
    let out = scratch(&format!("{name}-out"));
    let r = run(&["generate", "--data", &data, "--period", "2019-01", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let file = Path::new(&data).join("trade.csv");
    let want = format!("tradescribe: error: {}:{want}", file.display());
    assert!(r.stderr.starts_with(&want), "want `{want}`\ngot `{}`", r.stderr);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "nothing may be written");
    assert!(r.stdout.is_empty());
}

#[test]
fn missing_column() {
    refuses(
        "missing-column",
        "period,basis,flow,dimension,member\n2019-01,month,export,total,all\n",
        "1: field `value`: missing column; the columns are period, basis, flow, dimension, member, value, yoy_pct, share_pct, share_change_pp",
    );
}

#[test]
fn non_numeric_value() {
    refuses(
        "non-numeric",
        &format!("{HEADER}{GOOD_ROW}2019-01,month,import,total,all,12a\n"),
        "3: field `value`: `12a` is not a plain decimal number (like 1234.5)",
    );
}

#[test]
fn thousands_separator_is_not_a_number() {
    refuses(
        "thousands",
        &format!("{HEADER}2019-01,month,import,total,all,\"1,234.5\"\n"),
        "2: field `value`: `1,234.5`",
    );
}

#[test]
fn unknown_member() {
    refuses(
        "unknown-member",
        &format!("{HEADER}{GOOD_ROW}2019-01,month,export,partner,zz,3\n"),
        "3: field `member`: `zz` is not a member of `partner` in dataset.yaml",
    );
}

#[test]
fn unknown_dimension() {
    refuses(
        "unknown-dimension",
        &format!("{HEADER}2019-01,month,export,product,a,3\n"),
        "2: field `dimension`: `product` is not declared in dataset.yaml (declared: total, partner)",
    );
}

#[test]
fn duplicate_key() {
    let data = dataset("duplicate", &format!("{HEADER}{GOOD_ROW}{GOOD_ROW}"));
    let r = run(&["--data", &data]);
    assert_eq!(r.code, 3);
    let file = Path::new(&data).join("trade.csv").display().to_string();
    assert!(
        r.stderr.contains(&format!(
            "{file}:3: field `row`: duplicate of {file}:2 (same period, basis, flow, dimension and member)"
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn short_row() {
    refuses(
        "short-row",
        &format!("{HEADER}{GOOD_ROW}2019-01,month,import,total\n"),
        "3: field `row`: has 4 fields where the header has 6",
    );
}

#[test]
fn bad_period_and_flow_and_negative_value() {
    refuses(
        "bad-period",
        &format!("{HEADER}2019-13,month,export,total,all,1\n"),
        "2: field `period`: `2019-13` is not a month",
    );
    refuses(
        "bad-flow",
        &format!("{HEADER}2019-01,month,exports,total,all,1\n"),
        "2: field `flow`: `exports` is not a flow",
    );
    refuses("negative", &format!("{HEADER}2019-01,month,export,total,all,-1\n"), "2: field `value`: `-1` is negative");
    refuses("empty-value", &format!("{HEADER}2019-01,month,export,total,all,\n"), "2: field `value`: is empty");
}

#[test]
fn bad_dataset_yaml_names_line_and_column() {
    let data = dataset("bad-yaml", &format!("{HEADER}{GOOD_ROW}"));
    let yaml = Path::new(&data).join("dataset.yaml");
    std::fs::write(&yaml, YAML.replace("currency: USD", "currency: EUR")).unwrap();
    let r = run(&["--data", &data]);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.starts_with(&format!("tradescribe: error: {}:4:11: currency: unknown variant `EUR`", yaml.display())),
        "{}",
        r.stderr
    );
}

#[test]
fn bad_rules_exit_4_naming_file_rule_and_position() {
    let dir = scratch("bad-rules");
    let rules = dir.join("rules.yaml");
    let text = std::fs::read_to_string("rules/default.yaml")
        .unwrap()
        .replace("share_pct >= 5.0 && gap_pp > 0.0", "share_pct >= 5.0 && gap > 0.0");
    std::fs::write(&rules, text).unwrap();
    let r = run(&["generate", "--rules", rules.to_str().unwrap()]);
    assert_eq!(r.code, 4);
    assert!(
        r.stderr.contains(&format!("{}:50: rule `partners_outpacing_total`: unknown variable `gap`", rules.display())),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
}

#[test]
fn a_rule_naming_a_missing_template_fails_before_anything_is_written() {
    let dir = scratch("missing-template");
    let rules = dir.join("rules.yaml");
    let text =
        std::fs::read_to_string("rules/default.yaml").unwrap().replace("template: month_alone", "template: month_only");
    std::fs::write(&rules, text).unwrap();
    let r = run(&["generate", "--rules", rules.to_str().unwrap()]);
    assert_eq!(r.code, 4);
    assert!(
        r.stderr.contains(
            "rule `month_alone` names template `month_only`, but there is no templates/en/facts/month_only.hbs"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn a_period_without_data_exits_3() {
    let r = run(&["generate", "--period", "2030-01"]);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr
            .contains("no figure for the reporter's total trade in 2030-01; the latest month in the data is 2019-07"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_malformed_period_is_a_usage_error() {
    let r = run(&["generate", "--period", "July"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--period: `July` is not a month of the form YYYY-MM"), "{}", r.stderr);
}

#[test]
fn a_missing_dataset_folder_names_the_file() {
    let r = run(&["generate", "--data", "no/such/dir"]);
    assert_eq!(r.code, 3);
    assert!(r.stderr.starts_with("tradescribe: error: no/such/dir/dataset.yaml: cannot read"), "{}", r.stderr);
}

#[test]
fn out_writes_a_named_file_once_and_keeps_it_unless_forced() {
    let out = scratch("out-once");
    let dir = out.to_str().unwrap();
    let r = run(&["generate", "--out", dir]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let file = out.join("china-2019-2019-07-en.md");
    let first = std::fs::read_to_string(&file).unwrap();
    assert!(first.starts_with("# China's foreign trade rises 4.2%"));
    assert!(r.stdout.is_empty(), "the bulletin goes to the file, not stdout");
    std::fs::write(&file, "edited by hand").unwrap();
    let r = run(&["generate", "--out", dir]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("exists; left as it is (use --force to replace it)"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "edited by hand");
    let r = run(&["generate", "--out", dir, "--force"]);
    assert_eq!(r.code, 0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1, "no temporary file is left behind");
}

#[test]
fn an_unwritable_output_folder_exits_5() {
    let out = scratch("out-missing").join("not/there");
    let r = run(&["generate", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 5);
    assert!(r.stderr.contains("china-2019-2019-07-en.md: cannot write"), "{}", r.stderr);
}

#[test]
fn templates_can_be_overridden_file_by_file() {
    let dir = scratch("templates-override");
    std::fs::create_dir_all(dir.join("en/facts")).unwrap();
    std::fs::write(
        dir.join("en/facts/largest_partner.hbs"),
        "{{first.short}} stayed on top with {{pct first.share_pct}}.",
    )
    .unwrap();
    let r = run(&["generate", "--templates", dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("The EU stayed on top with 15.6%."), "{}", r.stdout);
    std::fs::write(dir.join("en/facts/largest_partner.hbs"), "{{first.nickname}} is big.").unwrap();
    let r = run(&["generate", "--templates", dir.to_str().unwrap()]);
    assert_eq!(r.code, 4);
    assert!(
        r.stderr.contains("template templates/en/facts/largest_partner.hbs (rule `largest_partner`"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
}
