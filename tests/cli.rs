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
    assert!(r.stdout.is_empty());
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
        "3: field `member`: missing: the row has 4 fields where the header has 6",
    );
    refuses(
        "long-row",
        &format!("{HEADER}{GOOD_ROW}2019-01,month,import,total,all,1,2\n"),
        "3: field `row`: the row has 7 fields where the header has 6",
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
    std::fs::write(&yaml, YAML.replace("currency: USD", "currency: EURO")).unwrap();
    let r = run(&["--data", &data]);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.starts_with(&format!(
            "tradescribe: error: {}:4:11: currency: `EURO` is not an ISO 4217 currency code",
            yaml.display()
        )),
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
        .replace("share_pct >= major_partner_share && gap_pp > 0.0 && yoy_pct > 0.0", "share_pct >= 5.0 && gap > 0.0");
    // Where `gap` stands in the file: the message points there.
    let (line, col) =
        text.lines().enumerate().find_map(|(i, l)| l.find("&& gap > 0.0").map(|c| (i + 1, c + 4))).unwrap();
    std::fs::write(&rules, &text).unwrap();
    let r = run(&["generate", "--rules", rules.to_str().unwrap()]);
    assert_eq!(r.code, 4);
    assert!(
        r.stderr.contains(&format!(
            "{}:{line}:{col}: rule `partners_outpacing_total`: unknown variable `gap` in condition:",
            rules.display()
        )),
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
            .contains("no total trade for the reporter in 2030-01 (a `total` row, or exports and imports); the latest month with a total is 2019-07"),
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
    assert!(
        r.stderr.starts_with(&format!("tradescribe: 2019-07: 1 bulletin, 10 facts; 1 file written to {dir}; ")),
        "{}",
        r.stderr
    );
    let file = out.join("china-2019-2019-07-en.md");
    let first = std::fs::read_to_string(&file).unwrap();
    assert!(first.starts_with("# China's foreign trade increases 4.2%"));
    assert!(r.stdout.is_empty(), "the bulletin goes to the file, not stdout");
    std::fs::write(&file, "edited by hand").unwrap();
    let r = run(&["generate", "--out", dir, "--verbose"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains("exists, written from these same inputs; left as it is (--force replaces it)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("nothing to do: 1 file already written in {dir} (--force replaces them)")),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "edited by hand");
    let r = run(&["generate", "--out", dir, "--force"]);
    assert_eq!(r.code, 0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);
    assert_eq!(common::bulletins(&out), ["china-2019-2019-07-en.md"], "no temporary or lock file is left behind");
}

#[test]
fn an_unwritable_output_folder_exits_5() {
    // A file where a folder of the path should be: the folder cannot be made.
    let file = scratch("out-blocked").join("a-file");
    std::fs::write(&file, "").unwrap();
    let out = file.join("not/there");
    let r = run(&["generate", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 5);
    assert!(r.stderr.contains(&format!("{}: cannot write: Not a directory", out.display())), "{}", r.stderr);
    // A folder that exists but cannot be written (read-only): the same code, and no partial file.
    let ro = scratch("out-read-only");
    let mut perms = std::fs::metadata(&ro).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&ro, perms.clone()).unwrap();
    let r = run(&["generate", "--out", ro.to_str().unwrap()]);
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&ro, perms).unwrap();
    // Root may write anywhere; the check is only meaningful where permissions hold.
    if r.code != 0 {
        assert_eq!(r.code, 5, "{}", r.stderr);
        assert_eq!(std::fs::read_dir(&ro).unwrap().count(), 0);
    }
}

#[test]
fn templates_can_be_overridden_file_by_file() {
    let dir = scratch("templates-override");
    std::fs::create_dir_all(dir.join("en/facts")).unwrap();
    std::fs::write(
        dir.join("en/facts/partners_ranked.hbs"),
        "{{first.short}} stayed on top with {{pct first.share_pct}}.",
    )
    .unwrap();
    let r = run(&["generate", "--templates", dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("The EU stayed on top with 15.6%."), "{}", r.stdout);
    std::fs::write(dir.join("en/facts/partners_ranked.hbs"), "{{first.nickname}} is big.").unwrap();
    let r = run(&["generate", "--templates", dir.to_str().unwrap()]);
    assert_eq!(r.code, 4);
    assert!(
        r.stderr.contains(&format!(
            "template {} (rule `partners_ranked`",
            dir.join("en/facts/partners_ranked.hbs").display()
        )),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
}

#[test]
fn figures_given_twice_must_agree() {
    refuses(
        "inconsistent-total",
        &format!(
            "{HEADER}2019-01,month,total,total,all,1000\n2019-01,month,export,total,all,700\n2019-01,month,import,total,all,500\n"
        ),
        "2: field `value`: 1000 is not exports plus imports (1200, from",
    );
    refuses(
        "inconsistent-balance",
        &format!(
            "{HEADER}2019-01,month,balance,total,all,100\n2019-01,month,export,total,all,700\n2019-01,month,import,total,all,500\n"
        ),
        "2: field `value`: 100 is not exports minus imports (200, from",
    );
    refuses(
        "inconsistent-ytd",
        &format!(
            "{HEADER}2019-01,month,export,total,all,10\n2019-02,month,export,total,all,20\n2019-02,ytd,export,total,all,40\n"
        ),
        "4: field `value`: 40 is not the sum of its months (30, from",
    );
    // Published figures are rounded: 20.9 against 16.2 + 4.74 is within their rounding and
    // within a printed step of $20.94 million...
    let data = dataset(
        "rounded-total",
        &format!(
            "{HEADER}2019-01,month,total,total,all,20.94\n2019-01,month,export,total,all,16.2\n2019-01,month,import,total,all,4.74\n"
        ),
    );
    assert_eq!(run(&["--data", &data]).code, 0);
    // ... but $21 million beside exports of $16.2 million and imports of $4.74 million is not,
    // however it was rounded: a reader adding them up gets $20.94 million.
    refuses(
        "rounded-total-printed",
        &format!(
            "{HEADER}2019-01,month,total,total,all,21\n2019-01,month,export,total,all,16.2\n2019-01,month,import,total,all,4.74\n"
        ),
        "2: field `value`: 21 is not exports plus imports (20.94, from",
    );
}

#[test]
fn impossible_rates_and_sizes_are_refused() {
    let head = "period,basis,flow,dimension,member,value,yoy_pct,share_pct\n";
    refuses(
        "rate-below-minus-100",
        &format!("{head}2019-01,month,export,total,all,10,-250,\n"),
        "2: field `yoy_pct`: `-250` is not a possible growth rate for export",
    );
    refuses(
        "share-over-100",
        &format!("{head}2019-01,month,export,partner,a,10,,150\n"),
        "2: field `share_pct`: `150` is not a share between 0 and 100",
    );
    refuses(
        "too-large",
        &format!("{HEADER}2019-01,month,export,total,all,79228162514264337593543950335\n"),
        "2: field `value`: `79228162514264337593543950335` is larger than 1000000000000000: check the unit",
    );
}

#[test]
fn a_month_missing_inside_a_year_to_date_is_an_error_not_a_smaller_partner() {
    let data = dataset(
        "ytd-gap",
        &format!(
            "{HEADER}2019-01,month,total,total,all,10\n2019-02,month,total,total,all,10\n2019-01,month,export,partner,a,5\n"
        ),
    );
    let r = run(&["--data", &data, "--period", "2019-02"]);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr
            .contains("partner/a export: no value for 2019-02, so the year to date through 2019-02 cannot be summed"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_file_with_only_a_header_is_bad_data() {
    let data = dataset("header-only", HEADER);
    let r = run(&["--data", &data]);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.contains("no observation of the reporter's total (dimension `total`, member `all`)"),
        "{}",
        r.stderr
    );
}

#[test]
fn latest_is_the_latest_month_of_the_total() {
    let data = dataset(
        "latest-total",
        &format!("{HEADER}2019-01,month,total,total,all,10\n2019-02,month,export,partner,a,3\n"),
    );
    let r = run(&["--data", &data]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("In January 2019, Testland's total imports and exports came to $10 million."),
        "{}",
        r.stdout
    );
}

const THREE: &str = "id: three\nreporter:\n  en: { name: Testland, possessive: \"Testland's\" }\ncurrency: USD\nunit: 1000000\n\
source:\n  en: synthetic test figures (not official)\ndimensions:\n  partner:\n    complete: true\n    members:\n      a: { en: Alpha }\n      b: { en: Beta }\n      c: { en: Gamma }\n";

/// A three-partner dataset (synthetic figures) from the rows given.
fn three(name: &str, rows: &str) -> String {
    three_with(name, THREE, rows)
}

/// The same with another `dataset.yaml`.
fn three_with(name: &str, yaml: &str, rows: &str) -> String {
    let dir = scratch(name);
    std::fs::write(dir.join("dataset.yaml"), yaml).unwrap();
    std::fs::write(dir.join("trade.csv"), format!("{HEADER}{rows}")).unwrap();
    dir.to_string_lossy().into_owned()
}

#[test]
fn tied_partners_are_named_together() {
    let data = three(
        "tie",
        "2018-01,month,total,total,all,100\n2019-01,month,total,total,all,105\n\
         2018-01,month,total,partner,a,40\n2019-01,month,total,partner,a,40\n\
         2018-01,month,total,partner,b,40\n2019-01,month,total,partner,b,40\n\
         2018-01,month,total,partner,c,20\n2019-01,month,total,partner,c,25\n",
    );
    let r = run(&["--data", &data]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "Trade with Alpha, jointly Testland's largest trading partner, held steady at $40 million (38.1% of the \
             total, down 1.9 percentage points), followed by Beta (jointly first), flat at $40 million (38.1%), and \
             Gamma, up 25.0%"
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn a_group_with_most_of_the_trade_is_not_said_to_outpace_it() {
    // Synthetic figures: the total grows 3.0%; the Bloc, 71.0% of it, grows 5.0%, and the Rim,
    // 20.3% of it, 10.0%. The Bloc's growth is most of the total's, not news; the Rim's is.
    let dir = scratch("majority-group");
    let yaml = format!(
        "{THREE}  partner_group:\n    members:\n      bloc: {{ en: the Bloc }}\n      rim: {{ en: the Rim }}\n"
    );
    std::fs::write(dir.join("dataset.yaml"), yaml).unwrap();
    let rows = "2018-01,month,total,total,all,1000\n2019-01,month,total,total,all,1030\n\
                2018-01,month,total,partner,a,500\n2019-01,month,total,partner,a,515\n\
                2018-01,month,total,partner,b,300\n2019-01,month,total,partner,b,309\n\
                2018-01,month,total,partner,c,200\n2019-01,month,total,partner,c,206\n\
                2018-01,month,total,partner_group,bloc,696\n2019-01,month,total,partner_group,bloc,731\n\
                2018-01,month,total,partner_group,rim,190\n2019-01,month,total,partner_group,rim,209\n";
    std::fs::write(dir.join("trade.csv"), format!("{HEADER}{rows}")).unwrap();
    let r = run(&["--data", dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("the Rim grew 10.0% to $209 million"), "{}", r.stdout);
    assert!(!r.stdout.contains("Bloc"), "{}", r.stdout);
}

#[test]
fn conditions_read_rates_as_printed() {
    // Alpha grows 4.24%, the total 4.20%: the gap of 0.04 points prints as 0, so Alpha is not
    // "outpacing" the total; Gamma's 33.3% is. (The partners are not declared complete: a complete
    // dimension's first partners are stated in rank order instead.)
    let data = three_with(
        "rounded-gap",
        &THREE.replace("    complete: true\n", ""),
        "2018-01,month,total,total,all,10000\n2019-01,month,total,total,all,10420\n\
         2018-01,month,total,partner,a,5000\n2019-01,month,total,partner,a,5212\n\
         2018-01,month,total,partner,b,4400\n2019-01,month,total,partner,b,4408\n\
         2018-01,month,total,partner,c,600\n2019-01,month,total,partner,c,800\n",
    );
    let r = run(&["--data", &data]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("Trade with Gamma rose 33.3% to $800 million, 29.1 percentage points faster than total trade."),
        "{}",
        r.stdout
    );
    // Nothing is said of Alpha: not outpacing, and not the largest of partners that are not complete.
    assert!(!r.stdout.contains("Alpha"), "{}", r.stdout);
    assert!(!r.stdout.contains("0 percentage points faster"), "{}", r.stdout);
}

#[test]
fn a_balance_that_changes_sign_has_no_rate_and_a_published_one_is_refused() {
    let head = "period,basis,flow,dimension,member,value,yoy_pct\n";
    let rows = "2018-01,month,balance,total,all,20,\n2019-01,month,balance,total,all,-20,\n\
                2018-01,month,total,total,all,100,\n2019-01,month,total,total,all,110,\n";
    let data = dataset("balance-flip", &format!("{head}{rows}"));
    let r = run(&["--data", &data]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "The trade balance swung from a surplus of $20 million a year earlier to a deficit of $20 million."
        ),
        "{}",
        r.stdout
    );
    // A growth rate published for it contradicts the values: the data is refused.
    refuses(
        "balance-flip-rate",
        &format!("{head}{}", rows.replace("balance,total,all,-20,", "balance,total,all,-20,10.0")),
        "3: field `yoy_pct`: a growth rate (10.0%) is published for a balance of -20 that was 20 a year earlier",
    );
}

#[test]
fn a_condition_reading_an_absent_figure_is_not_met_even_behind_or() {
    // January 2019 has no base year, so `yoy_pct` is absent; `value > 0.0` alone would be true.
    let dir = scratch("or-absent");
    let rules = dir.join("rules.yaml");
    std::fs::write(
        &rules,
        "sections: [overview]\nrules:\n  - id: lede\n    section: overview\n    over: { dimension: total, flow: total, basis: ytd }\n    when: \"value > 0.0 || yoy_pct > 5.0\"\n    template: total_trade\n",
    )
    .unwrap();
    let r = run(&[
        "explain",
        "--rules",
        rules.to_str().unwrap(),
        "--data",
        "tests/fixtures/synthetic",
        "--period",
        "2018-01",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("lede (salience 0, "), "{}", r.stdout);
    assert!(r.stdout.contains("did not fire"), "{}", r.stdout);
    assert!(r.stdout.contains("  - all: `yoy_pct` cannot be computed\n"), "{}", r.stdout);
}

#[test]
fn a_revision_too_small_to_print_is_not_news_and_one_that_prints_is_stated() {
    let r = run(&["--data", "tests/fixtures/revised", "--period", "2019-02"]);
    assert!(r.stdout.contains("The figure for January was revised from $205 million to $209 million."), "{}", r.stdout);
    let dir = scratch("tiny-revision");
    for f in ["dataset.yaml", "trade-2019-01.csv"] {
        std::fs::copy(Path::new("tests/fixtures/revised").join(f), dir.join(f)).unwrap();
    }
    // 120 -> 120.001: under the 0.1% a press office would mention.
    let second =
        std::fs::read_to_string("tests/fixtures/revised/trade-2019-02.csv").unwrap().replace(",124\n", ",120.001\n");
    std::fs::write(dir.join("trade-2019-02.csv"), second).unwrap();
    let r = run(&["--data", dir.to_str().unwrap(), "--period", "2019-02"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("revised"), "{}", r.stdout);
}

#[test]
fn a_revision_is_compared_as_each_language_prints_it() {
    // $205 million and $209 million differ in English but are both 2.1亿美元 in Chinese.
    let r = run(&["--data", "tests/fixtures/revised", "--period", "2019-02", "--lang", "zh"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("1月进出口数据小幅修订为2.1亿美元。"), "{}", r.stdout);
    assert!(!r.stdout.contains("初值2.1亿美元"), "{}", r.stdout);
}

#[test]
fn stats_prints_every_series_as_csv() {
    let r = run(&["stats"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "dimension,member,flow,basis,value,prior,yoy_pct");
    // Published rates win, and a value without a base year has no prior.
    for want in [
        "total,all,total,ytd,174100,167200,4.2",
        "partner,us,import,ytd,4739.3,,-24",
        "partner_group,belt_and_road,total,ytd,50300,45700,10.2",
        "total,all,balance,ytd,15500,10600,47.4",
    ] {
        assert!(lines.contains(&want), "{want} in\n{}", r.stdout);
    }
    let r = run(&["stats", "--period", "2019-13"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--period: `2019-13` is not a month of the form YYYY-MM"), "{}", r.stderr);
    let r = run(&["stats", "--period", "2017-07"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("no total trade for the reporter in 2017-07"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn a_reader_that_stops_early_is_no_fault_and_a_full_disk_is_exit_5() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    // 150 kB of statistics: more than a pipe holds, so the write meets the closed pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_tradescribe"))
        .args(["stats", "--data", "data/us-census", "--period", "2019-07"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(&head, b"dimension,member");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    if Path::new("/dev/full").exists() {
        let full = std::fs::File::create("/dev/full").unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_tradescribe"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(5));
        assert!(String::from_utf8_lossy(&out.stderr).contains("stdout: cannot write: No space left on device"));
    }
}

#[test]
fn the_rules_are_built_in_so_a_run_works_from_any_directory() {
    let elsewhere = scratch("any-directory");
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/china-2019");
    let run_in = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tradescribe"))
            .args(args)
            .current_dir(&elsewhere)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, stdout, stderr) = run_in(&["--data", data.to_str().unwrap(), "--quiet"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("# China's foreign trade increases 4.2% in the first seven months of 2019"), "{stdout}");
    let (code, stdout, stderr) = run_in(&["--data", data.to_str().unwrap(), "--rules", "us-census", "--quiet"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stdout.is_empty());
    // A file that is not there is named, with the built-in rules one could mean.
    let (code, stdout, stderr) = run_in(&["--data", data.to_str().unwrap(), "--rules", "rules/us-census.yaml"]);
    assert_eq!(code, Some(4));
    assert!(stdout.is_empty());
    assert!(
        stderr.contains(
            "rules/us-census.yaml: cannot read: No such file or directory (os error 2) (the built-in rules are default, member, monthly, us-census: `--rules NAME` uses one)"
        ),
        "{stderr}"
    );
}
