//! A catalogue of bad inputs: each ends in a clear error naming the file, the line and the field,
//! with the documented exit code and nothing written, or in a documented tolerance that is
//! checked here to give the right bulletin. All figures here are synthetic.

mod common;
use common::{run, scratch};
use std::path::{Path, PathBuf};

const YAML: &str = "# SYNTHETIC TEST DATA, not official statistics.\nid: bad\nreporter:\n  en: { name: Testland, possessive: \"Testland's\" }\n\
currency: USD\nunit: 1000000\nsource:\n  en: synthetic test figures (not official)\ndimensions:\n  partner:\n    members:\n      a: { en: Alpha }\n";
const HEADER: &str = "period,basis,flow,dimension,member,value\n";
/// Two years of January for the total and partner `a`: a bulletin can be written from them.
const ROWS: &str = "2018-01,month,export,total,all,8\n2018-01,month,import,total,all,5\n\
2019-01,month,export,total,all,10\n2019-01,month,import,total,all,5\n\
2018-01,month,export,partner,a,2\n2019-01,month,export,partner,a,3\n";

/// A dataset folder with the given dataset.yaml and trade.csv bytes.
fn folder(name: &str, yaml: &str, csv: &[u8]) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("dataset.yaml"), yaml).unwrap();
    std::fs::write(dir.join("trade.csv"), csv).unwrap();
    dir
}

/// Runs generate on `data` into a fresh folder with `extra` arguments, and checks the exit code,
/// that stderr starts with `tradescribe: error: <file>:<want>`, and that nothing was written.
fn refused(name: &str, data: &Path, extra: &[&str], file: &Path, code: i32, want: &str) {
    let out = scratch(&format!("{name}-out"));
    let mut args = vec!["generate", "--data", data.to_str().unwrap(), "--period", "2019-01"];
    args.extend(["--out", out.to_str().unwrap(), "--format", "md,html,json", "--lang", "all"]);
    args.extend(extra);
    let r = run(&args);
    let want = format!("tradescribe: error: {}{want}", file.display());
    assert_eq!(r.code, code, "{}", r.stderr);
    assert!(r.stderr.starts_with(&want), "want `{want}`\ngot `{}`", r.stderr);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "nothing may be written");
    assert!(r.stdout.is_empty());
}

/// A CSV that must be refused with exit code 3 and `<trade.csv>:<want>`.
fn bad_csv(name: &str, csv: &[u8], want: &str) {
    let data = folder(name, YAML, csv);
    refused(name, &data, &[], &data.join("trade.csv"), 3, want);
}

/// A dataset.yaml that must be refused with exit code 3 and `<dataset.yaml>:<want>`.
fn bad_yaml(name: &str, yaml: &str, want: &str) {
    let data = folder(name, yaml, format!("{HEADER}{ROWS}").as_bytes());
    refused(name, &data, &[], &data.join("dataset.yaml"), 3, want);
}

/// A rules file that must be refused with exit code 4 and `<rules file>:<want>`.
fn bad_rules(name: &str, rules: &str, want: &str) {
    let dir = scratch(name);
    let file = dir.join("rules.yaml");
    std::fs::write(&file, rules).unwrap();
    let data = folder(&format!("{name}-data"), YAML, format!("{HEADER}{ROWS}").as_bytes());
    refused(name, &data, &["--rules", file.to_str().unwrap()], &file, 4, want);
}

/// An override of the total_trade template that must be refused with exit code 4.
fn bad_template(name: &str, template: &str, want: &str) {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("en/facts")).unwrap();
    let file = dir.join("en/facts/total_trade.hbs");
    std::fs::write(&file, template).unwrap();
    let data = folder(&format!("{name}-data"), YAML, format!("{HEADER}{ROWS}").as_bytes());
    let out = scratch(&format!("{name}-out"));
    let r = run(&[
        "--data",
        data.to_str().unwrap(),
        "--templates",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--period",
        "2019-01",
    ]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    let want = want.replace("{file}", &file.display().to_string());
    assert!(r.stderr.contains(&want), "want `{want}`\ngot `{}`", r.stderr);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "nothing may be written");
}

/// The bulletin written from a dataset that must load.
fn bulletin(name: &str, yaml: &str, csv: &[u8], format: &str) -> String {
    let data = folder(name, yaml, csv);
    let r = run(&["--data", data.to_str().unwrap(), "--period", "2019-01", "--format", format]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

/// The bulletin of the reference data, written from a folder of the calling test's own: tests run
/// in parallel, and one remaking a shared folder would pull it from under another's run.
fn good() -> String {
    let test = std::thread::current().name().unwrap_or("main").replace("::", "-");
    bulletin(&format!("reference-{test}"), YAML, format!("{HEADER}{ROWS}").as_bytes(), "md")
}

// --- CSV: the shape of the file ---

#[test]
fn truncated_mid_value() {
    // The last value was cut from "5" to nothing... or "1234" to "12": a cut file is refused.
    let csv = format!("{HEADER}{ROWS}2019-01,month,import,partner,a,12");
    bad_csv(
        "truncated-value",
        csv.as_bytes(),
        ":8: field `row`: the last line has no line break: the file may have been cut short",
    );
}

#[test]
fn truncated_mid_row() {
    let csv = format!("{HEADER}{ROWS}2019-01,month,imp\n");
    bad_csv(
        "truncated-row",
        csv.as_bytes(),
        ":8: field `dimension`: missing: the row has 3 fields where the header has 6",
    );
}

#[test]
fn truncated_inside_quotes() {
    let csv = format!("{HEADER}{ROWS}2019-01,month,import,partner,a,\"12");
    bad_csv("truncated-quote", csv.as_bytes(), ":8: field `row`: the last line has no line break");
}

#[test]
fn byte_order_mark_is_tolerated() {
    let csv = format!("\u{feff}{HEADER}{ROWS}");
    assert_eq!(bulletin("bom", YAML, csv.as_bytes(), "md"), good());
}

#[test]
fn crlf_line_ends_are_tolerated() {
    let csv = format!("{HEADER}{ROWS}").replace('\n', "\r\n");
    assert_eq!(bulletin("crlf", YAML, csv.as_bytes(), "md"), good());
}

#[test]
fn quoted_fields_read_as_unquoted_ones() {
    // Quotes send a block through the csv crate; without them it is split at commas: the two
    // readers must agree.
    let quoted: String = format!("{HEADER}{ROWS}")
        .lines()
        .map(|l| l.split(',').map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(",") + "\n")
        .collect();
    assert_eq!(bulletin("quoted", YAML, quoted.as_bytes(), "md"), good());
}

#[test]
fn old_mac_line_ends() {
    let csv = format!("{HEADER}{ROWS}").replace('\n', "\r") + "\n";
    bad_csv(
        "cr-only",
        csv.as_bytes(),
        ":1: field `row`: a carriage return without a line feed: lines must end with LF or CRLF",
    );
    let csv = format!("{HEADER}{ROWS}2019-01,month,import,partner,a,1\r2019-02,month,import,partner,a,1\n");
    bad_csv("lone-cr", csv.as_bytes(), ":8: field `row`: a carriage return without a line feed");
}

#[test]
fn semicolons_between_fields() {
    let csv = format!("{HEADER}{ROWS}").replace(',', ";");
    bad_csv(
        "semicolons",
        csv.as_bytes(),
        ":1: field `period;basis;flow;dimension;member;value`: unknown column; the columns are period, basis, flow, \
         dimension, member, value, yoy_pct, share_pct, share_change_pp, quantity, quantity_yoy_pct, source_url, note; \
         the file seems to use ';' between fields, where canonical CSV uses commas",
    );
}

#[test]
fn tabs_between_fields() {
    let csv = format!("{HEADER}{ROWS}").replace(',', "\t");
    bad_csv("tabs", csv.as_bytes(), ":1: field `period\tbasis\tflow\tdimension\tmember\tvalue`: unknown column");
}

#[test]
fn thousands_separator_unquoted_makes_a_long_row() {
    let csv = format!("{HEADER}{ROWS}2019-01,month,import,partner,a,1,234.5\n");
    bad_csv("thousands-unquoted", csv.as_bytes(), ":8: field `row`: the row has 7 fields where the header has 6");
}

#[test]
fn a_row_of_more_fields_than_any_header_has() {
    // Found by the csv_loader fuzz target: the quick reader holds the places of nine fields.
    let csv = format!("{HEADER}{ROWS}2019-01,month,import,partner,a,1,2,3,4,5,6,7\n");
    bad_csv("twelve-fields", csv.as_bytes(), ":8: field `row`: the row has 12 fields where the header has 6");
    let csv = "period,basis,flow,dimension,member,value,yoy_pct,share_pct,share_change_pp\n\
               2019-01,month,export,total,all,1,,,,\n";
    bad_csv("ten-fields", csv.as_bytes(), ":2: field `row`: the row has 10 fields where the header has 9");
}

#[test]
fn thousands_separator_quoted() {
    let csv = format!("{HEADER}{ROWS}2019-01,month,import,partner,a,\"1,234.5\"\n");
    bad_csv(
        "thousands-quoted",
        csv.as_bytes(),
        ":8: field `value`: `1,234.5` is not a plain decimal number (like 1234.5)",
    );
}

#[test]
fn non_utf8_bytes() {
    let mut csv = format!("{HEADER}{ROWS}").into_bytes();
    csv.extend_from_slice(b"2019-01,month,import,partner,a\xff\xfe,1\n");
    bad_csv("non-utf8", &csv, ":8: field `row`: is not valid UTF-8");
}

#[test]
fn a_field_too_long_to_be_an_id_or_a_number() {
    let csv = format!("{HEADER}{ROWS}2019-01,month,import,partner,{},1\n", "a".repeat(300));
    bad_csv("long-field", csv.as_bytes(), ":8: field `member`: is 300 bytes long: no field of canonical CSV is");
}

#[test]
fn a_line_too_long_to_be_a_row() {
    let mut csv = format!("{HEADER}{ROWS}2019-01,month,import,partner,a,").into_bytes();
    csv.extend(std::iter::repeat_n(b'1', 17 << 20));
    csv.push(b'\n');
    bad_csv("long-line", &csv, ":8: field `row`: a line is longer than 16 MiB: not canonical CSV");
}

#[test]
fn an_empty_file() {
    bad_csv("empty-file", b"", ":1: field `period`: missing column");
}

#[test]
fn a_column_given_twice() {
    bad_csv(
        "column-twice",
        b"period,basis,flow,dimension,member,value,value\n",
        ":1: field `value`: column given twice",
    );
}

// --- CSV: the values ---

#[test]
fn an_empty_value() {
    bad_csv(
        "empty-value",
        format!("{HEADER}{ROWS}2019-01,month,import,partner,a,\n").as_bytes(),
        ":8: field `value`: is empty",
    );
}

#[test]
fn a_negative_value() {
    let csv = format!("{HEADER}{ROWS}2019-01,month,import,partner,a,-3\n");
    bad_csv("negative", csv.as_bytes(), ":8: field `value`: `-3` is negative; only a balance can be");
}

#[test]
fn not_a_number() {
    let csv = format!("{HEADER}{ROWS}2019-01,month,import,partner,a,NaN\n");
    bad_csv("nan", csv.as_bytes(), ":8: field `value`: `NaN` is not a plain decimal number (like 1234.5)");
}

#[test]
fn infinity() {
    let csv = format!("{HEADER}{ROWS}2019-01,month,import,partner,a,inf\n");
    bad_csv("inf", csv.as_bytes(), ":8: field `value`: `inf` is not a plain decimal number (like 1234.5)");
}

#[test]
fn an_exponent() {
    let csv = format!("{HEADER}{ROWS}2019-01,month,import,partner,a,1e3\n");
    bad_csv("exponent", csv.as_bytes(), ":8: field `value`: `1e3` is not a plain decimal number (like 1234.5)");
}

#[test]
fn a_published_rate_that_is_not_a_number() {
    let csv = format!("{}{ROWS}", HEADER.replace("value", "value,yoy_pct")).replace('\n', ",\n");
    let csv = csv.replacen(
        "period,basis,flow,dimension,member,value,yoy_pct,",
        "period,basis,flow,dimension,member,value,yoy_pct",
        1,
    );
    let csv = format!("{csv}2019-01,month,import,partner,a,1,n/a\n");
    bad_csv("rate-nan", csv.as_bytes(), ":8: field `yoy_pct`: `n/a` is not a plain decimal number (like 1234.5)");
}

#[test]
fn a_duplicate_row() {
    let csv = format!("{HEADER}{ROWS}2019-01,month,export,partner,a,3\n");
    let data = folder("duplicate", YAML, csv.as_bytes());
    let file = data.join("trade.csv");
    let want =
        format!(":8: field `row`: duplicate of {}:7 (same period, basis, flow, dimension and member)", file.display());
    refused("duplicate", &data, &[], &file, 3, &want);
}

#[test]
fn a_year_to_date_that_contradicts_its_months() {
    let csv = format!("{HEADER}{ROWS}2019-02,month,export,total,all,10\n2019-02,ytd,export,total,all,25\n");
    bad_csv("ytd-contradicts", csv.as_bytes(), ":9: field `value`: 25 is not the sum of its months (20, from ");
}

#[test]
fn a_total_that_is_not_exports_plus_imports() {
    let csv = format!("{HEADER}{ROWS}2019-01,month,total,total,all,16\n");
    bad_csv("total-contradicts", csv.as_bytes(), ":8: field `value`: 16 is not exports plus imports (15, from ");
}

#[test]
fn an_unknown_member() {
    let csv = format!("{HEADER}{ROWS}2019-01,month,import,partner,zz,1\n");
    bad_csv("unknown-member", csv.as_bytes(), ":8: field `member`: `zz` is not a member of `partner` in dataset.yaml");
}

#[test]
fn an_unknown_dimension() {
    let csv = format!("{HEADER}{ROWS}2019-01,month,import,country,a,1\n");
    bad_csv(
        "unknown-dimension",
        csv.as_bytes(),
        ":8: field `dimension`: `country` is not declared in dataset.yaml (declared: total, partner)",
    );
}

#[test]
fn a_month_that_does_not_exist() {
    let csv = format!("{HEADER}{ROWS}2019-13,month,import,partner,a,1\n");
    bad_csv("month-13", csv.as_bytes(), ":8: field `period`: `2019-13` is not a month of the form YYYY-MM");
}

#[test]
fn a_value_too_large_for_any_unit() {
    let csv = format!("{HEADER}{ROWS}2019-01,month,import,partner,a,10000000000000000\n");
    bad_csv(
        "too-large",
        csv.as_bytes(),
        ":8: field `value`: `10000000000000000` is larger than 1000000000000000: check the unit",
    );
}

#[test]
fn a_missing_base_year_states_no_growth() {
    // Tolerance: without last year's January there is no rate, and none is stated.
    let csv = format!("{HEADER}2019-01,month,export,total,all,10\n2019-01,month,import,total,all,5\n");
    let text = bulletin("no-base", YAML, csv.as_bytes(), "md");
    assert!(text.contains("$15 million"), "{text}");
    assert!(!text.contains('%'), "no rate without a base:\n{text}");
}

#[test]
fn a_zero_base_states_no_growth() {
    // Tolerance: growth from zero has no rate; the partner's figures are stated without one.
    let csv =
        format!("{HEADER}{}", ROWS.replace("2018-01,month,export,partner,a,2", "2018-01,month,export,partner,a,0"));
    let json = bulletin("zero-base", YAML, csv.as_bytes(), "json");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let text = doc.to_string();
    assert!(!text.contains("inf") && !text.contains("NaN"), "{text}");
    let partner = doc["facts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["subjects"].as_array().unwrap())
        .find(|s| s["member"] == "a");
    if let Some(a) = partner {
        assert!(a["flows"]["export"]["yoy_pct"].is_null(), "{a}");
    }
}

// --- dataset.yaml ---

#[test]
fn yaml_with_a_tab() {
    bad_yaml(
        "yaml-tab",
        &YAML.replace("currency: USD", "\tcurrency: USD"),
        ":5:1: found character that cannot start any token",
    );
}

#[test]
fn yaml_with_an_unknown_key() {
    bad_yaml(
        "yaml-unknown-key",
        &YAML.replace("unit:", "units:"),
        ":6:1: unknown field `units`, expected one of `id`, `reporter`, `currency`, `unit`, `precision`, `source`, `files`, \
         `dimensions`, `groups`",
    );
}

#[test]
fn yaml_with_a_wrong_type() {
    bad_yaml("yaml-wrong-type", &YAML.replace("unit: 1000000", "unit: [1]"), ":6:7: unit: invalid type: sequence");
}

#[test]
fn yaml_with_an_anchor_bomb() {
    // Nine aliases of nine aliases, nine deep: expanded, a billion strings. Refused, in
    // milliseconds, by the parser's bound on alias uses before anything is expanded.
    let mut bomb = String::from("files:\n  - &l0 [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for i in 1..9 {
        let p = format!("*l{}", i - 1);
        bomb.push_str(&format!("  - &l{i} [{}]\n", [p.as_str(); 9].join(",")));
    }
    bad_yaml(
        "yaml-bomb",
        &format!("{YAML}{bomb}"),
        ":0:0: its aliases are replayed too often (more than 100 times the YAML's own size); write it out in full",
    );
}

#[test]
fn yaml_with_a_member_without_an_english_name() {
    bad_yaml(
        "yaml-no-en",
        &YAML.replace("a: { en: Alpha }", "a: { zh: 阿尔法 }"),
        ": member `a` of dimension `partner` has no `en` name",
    );
}

#[test]
fn yaml_with_an_id_that_escapes_the_output_folder() {
    bad_yaml(
        "yaml-id-escape",
        &YAML.replace("id: bad", "id: ../../etc/evil"),
        ": `id: ../../etc/evil` must be letters, digits, '-', '_' or '.', not starting with '.'",
    );
}

// --- rules ---

const RULES_HEAD: &str = "dimensions: [partner]\nsections: [overview]\nrules:\n";

#[test]
fn rules_with_a_syntax_error() {
    let rules = format!(
        "{RULES_HEAD}  - id: r\n    section: overview\n    over: {{ dimension: total, flow: total, basis: month }}\n    \
         when: \"yoy_pct > \"\n    template: total_trade\n"
    );
    bad_rules("rules-syntax", &rules, ":7:22: rule `r`: condition does not parse:");
}

#[test]
fn rules_with_a_type_error() {
    let rules = format!(
        "{RULES_HEAD}  - id: r\n    section: overview\n    over: {{ dimension: total, flow: total, basis: month }}\n    \
         when: \"yoy_pct > 'high'\"\n    template: total_trade\n"
    );
    bad_rules("rules-type", &rules, ":7:");
    let r = run(&["validate", "--rules", scratch_path("rules-type").join("rules.yaml").to_str().unwrap()]);
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("rule `r`: type error in condition:"), "{}", r.stderr);
}

#[test]
fn rules_and_data_both_broken_report_the_rules_first() {
    // The data is read while the rules are loaded; the fault reported is still the rules', as
    // when they were loaded first.
    let dir = scratch("rules-and-data");
    let file = dir.join("rules.yaml");
    let rules = format!(
        "{RULES_HEAD}  - id: r\n    section: overview\n    over: {{ dimension: total, flow: total, basis: month }}\n    \
         when: \"yoy_pct > \"\n    template: total_trade\n"
    );
    std::fs::write(&file, rules).unwrap();
    let data = folder("rules-and-data-csv", YAML, format!("{HEADER}2019-01,month,export,total,all,12x\n").as_bytes());
    refused("rules-and-data", &data, &["--rules", file.to_str().unwrap()], &file, 4, ":7:22: rule `r`:");
}

fn scratch_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

#[test]
fn rules_with_an_unknown_key() {
    let rules = format!(
        "{RULES_HEAD}  - id: r\n    section: overview\n    over: {{ dimension: total, flow: total, basis: month }}\n    \
         wen: \"true\"\n    template: total_trade\n"
    );
    bad_rules("rules-unknown-key", &rules, ":7:5: rules[0]: unknown field `wen`, expected one of `id`, `section`");
}

#[test]
fn rules_over_an_undeclared_dimension() {
    let rules = format!(
        "{RULES_HEAD}  - id: r\n    section: overview\n    over: {{ dimension: partners, flow: total, basis: month }}\n    \
         template: total_trade\n"
    );
    bad_rules("rules-dimension", &rules, ":");
}

// --- templates ---

#[test]
fn a_template_with_a_missing_partial() {
    bad_template(
        "tpl-partial",
        "{{> nothere}}",
        "template {file} (rule `total_trade` at rules/default.yaml:48): Error rendering \"en/facts/total_trade\" line 1, col 1: Partial not found nothere",
    );
}

#[test]
fn a_template_with_an_unknown_helper() {
    bad_template(
        "tpl-helper",
        "{{frobnicate value}}",
        "template {file} (rule `total_trade` at rules/default.yaml:48): Error rendering \"en/facts/total_trade\" line 1, col 1: Helper not found frobnicate",
    );
}

#[test]
fn a_template_with_a_missing_variable() {
    bad_template(
        "tpl-variable",
        "{{nosuch.thing}} rose.",
        "template {file} (rule `total_trade` at rules/default.yaml:48): Error rendering \"en/facts/total_trade\" line 1, col 1: Failed to access variable `nosuch.thing` in strict mode (it is not in the context)",
    );
}

#[test]
fn a_template_that_does_not_parse() {
    bad_template("tpl-syntax", "{{#if}}x", "{file}: Template error: invalid handlebars syntax");
}

#[test]
fn a_broken_template_no_rule_names_is_not_compiled() {
    // Only the templates the rules name are compiled (half of them, a few milliseconds a run): a
    // fault in one no rule can reach cannot change a bulletin. The same fault in a template a rule
    // names is refused (above).
    let dir = scratch("tpl-unused");
    std::fs::create_dir_all(dir.join("en/facts")).unwrap();
    std::fs::write(dir.join("en/facts/no_rule_names_me.hbs"), "{{#if}}x").unwrap();
    let data = folder("tpl-unused-data", YAML, format!("{HEADER}{ROWS}").as_bytes());
    let r = run(&["--data", data.to_str().unwrap(), "--templates", dir.to_str().unwrap(), "--period", "2019-01"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, good().as_str()), "{}", r.stderr);
}

// --- output ---

#[test]
fn an_output_folder_that_does_not_exist_is_made() {
    let data = folder("out-missing-data", YAML, format!("{HEADER}{ROWS}").as_bytes());
    let out = scratch("out-missing").join("not/there");
    let r = run(&["--data", data.to_str().unwrap(), "--period", "2019-01", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(common::bulletins(&out), ["bad-2019-01-en.md"]);
}

#[test]
fn member_names_that_would_break_html_are_escaped() {
    let yaml = YAML.replace("a: { en: Alpha }", "a: { en: \"<script>alert('x')</script> & Co\" }");
    let csv = format!("{HEADER}{ROWS}2019-01,month,import,partner,a,1\n2018-01,month,import,partner,a,1\n");
    let html = bulletin("html-escape", &yaml, csv.as_bytes(), "html");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("with &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co grew 33.3%"), "{html}");
}

// --- a file of many blocks ---

/// A synthetic file of 60,480 rows (about 2 MB: several of the reader's blocks), 1900-2019, the
/// total and 20 partners; `edit` may change line `n` (1 is the header).
fn many_blocks(name: &str, edit: impl Fn(usize, String) -> String) -> PathBuf {
    let mut yaml = YAML.replace("      a: { en: Alpha }\n", "");
    for i in 0..20 {
        yaml.push_str(&format!("      m{i}: {{ en: M{i} }}\n"));
    }
    let mut csv = String::from(HEADER);
    let mut n = 1;
    for year in 1900..=2019 {
        for month in 1..=12 {
            for flow in ["export", "import"] {
                for member in std::iter::once("total,all".to_string()).chain((0..20).map(|i| format!("partner,m{i}"))) {
                    n += 1;
                    // The total is more than all partners together: a part is never more than the whole.
                    let whole = if member == "total,all" { 20_000 } else { 0 };
                    let value = (year * 13 + month * 7 + n) % 1000 + 1 + whole;
                    csv.push_str(&edit(n, format!("{year}-{month:02},month,{flow},{member},{value}\n")));
                }
            }
        }
    }
    folder(name, &yaml, csv.as_bytes())
}

#[test]
fn a_file_of_many_blocks_is_read_whole_and_faults_deep_in_it_name_their_line() {
    let unchanged = |_: usize, row: String| row;
    let data = many_blocks("blocks", unchanged);
    let csv = std::fs::read_to_string(data.join("trade.csv")).unwrap();
    assert!(csv.len() > 2_000_000 && csv.lines().count() == 60_481);
    // The year to date of m3's exports, summed here from the file's own lines.
    let ytd = |year: &str| -> u64 {
        csv.lines()
            .filter(|l| l.starts_with(year) && l.contains(",export,partner,m3,"))
            .map(|l| l.rsplit(',').next().unwrap().parse::<u64>().unwrap())
            .sum()
    };
    let stats = |data: &Path| {
        let r = run(&["stats", "--data", data.to_str().unwrap(), "--period", "2019-12"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let whole = stats(&data);
    let want = format!("partner,m3,export,ytd,{},{},", ytd("2019-"), ytd("2018-"));
    assert!(whole.lines().any(|l| l.starts_with(&want)), "{want}");
    // A block with quotes is read by the csv crate: the same figures.
    let quote = |row: String| format!("\"{}\",{}", &row[..7], &row[8..]);
    let quoted = many_blocks("blocks-quoted", |n, row| if n == 40_000 { quote(row) } else { row });
    let quoted_line =
        std::fs::read_to_string(quoted.join("trade.csv")).unwrap().lines().nth(39_999).unwrap().to_string();
    assert!(quoted_line.contains('"'), "{quoted_line}");
    assert_eq!(stats(&quoted), whole);
    // Faults deep in the file name their own line, in plain and in quoted blocks.
    let bad_value =
        many_blocks("blocks-bad", |n, row| if n == 50_001 { row.replace(",partner,", ",partner,x") } else { row });
    refused("blocks-bad", &bad_value, &[], &bad_value.join("trade.csv"), 3, ":50001: field `member`:");
    let after_quotes = many_blocks("blocks-quoted-bad", |n, row| match n {
        40_000 => quote(row),
        40_007 => row.replace(",month,", ",monthly,"),
        _ => row,
    });
    refused("blocks-quoted-bad", &after_quotes, &[], &after_quotes.join("trade.csv"), 3, ":40007: field `basis`:");
    let twice =
        many_blocks(
            "blocks-twice",
            |n, row| if n == 55_555 { "1900-01,month,export,total,all,9\n".into() } else { row },
        );
    let file = twice.join("trade.csv");
    refused("blocks-twice", &twice, &[], &file, 3, &format!(":55555: field `row`: duplicate of {}:2", file.display()));
}
