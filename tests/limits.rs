//! No input makes the program panic, abort, hang or take memory its data does not bring: each
//! case that once did ends in a clear error naming the file, with a documented exit code (not a
//! signal), and nothing written. The limits are listed in docs/src/limits.md. All figures here
//! are synthetic.

mod common;
use common::scratch;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const YAML: &str = "# SYNTHETIC TEST DATA, not official statistics.\nid: lim\nreporter:\n  en: { name: Testland, possessive: \"Testland's\" }\n\
currency: USD\nunit: 1000000\nsource:\n  en: synthetic test figures (not official)\ndimensions:\n  partner:\n    members:\n      a: { en: Alpha }\n      b: { en: Beta }\n";
const CSV: &str = "period,basis,flow,dimension,member,value\n2018-01,month,export,total,all,8\n2018-01,month,import,total,all,5\n\
2019-01,month,export,total,all,10\n2019-01,month,import,total,all,5\n2018-01,month,export,partner,a,2\n2019-01,month,export,partner,a,3\n";

/// What a run did; `code` is `None` where a signal ended it.
struct Ended {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary with `args`, killing it after 60 seconds: a hang fails the test, not the suite.
fn run(args: &[&str], stdout: Stdio) -> Ended {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tradescribe"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let began = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if began.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("tradescribe {args:?} hangs");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    Ended {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A dataset folder with the given dataset.yaml and trade.csv.
fn folder(name: &str, yaml: &str, csv: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("dataset.yaml"), yaml).unwrap();
    std::fs::write(dir.join("trade.csv"), csv).unwrap();
    dir
}

/// Runs generate on `data` into a fresh folder with `extra` arguments, and checks the exit code,
/// that the message contains `want`, and that nothing was written.
fn refused(name: &str, data: &Path, extra: &[&str], code: i32, want: &str) -> String {
    let out = scratch(&format!("{name}-out"));
    let mut args = vec!["generate", "--data", data.to_str().unwrap(), "--period", "2019-01"];
    args.extend(["--out", out.to_str().unwrap(), "--lang", "all", "--format", "md,html,json"]);
    args.extend(extra);
    let r = run(&args, Stdio::null());
    assert_eq!(r.code, Some(code), "{}", r.stderr);
    assert!(
        r.stderr.starts_with("tradescribe: error: ") && r.stderr.contains(want),
        "want `{want}`\ngot `{}`",
        r.stderr
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "nothing may be written");
    r.stderr
}

// --- crashes ---

#[test]
fn an_amount_beyond_a_decimal_is_an_error_not_a_panic() {
    // A unit of 10^12 and every row at the largest value a row may hold (10^15): the year to
    // date of total trade is 2.4 × 10^28 currency units, near what a decimal holds (7.9 × 10^28).
    // Data that agrees with itself cannot go past it (a group or a partner is at most the
    // total); it is written, in trillions.
    let members: Vec<String> = (0..8).map(|i| format!("m{i}")).collect();
    let mut yaml = YAML
        .replace("unit: 1000000", "unit: 1000000000000")
        .replace("      a: { en: Alpha }\n      b: { en: Beta }\n", "");
    for m in &members {
        yaml.push_str(&format!("      {m}: {{ en: M{m} }}\n"));
    }
    yaml.push_str(&format!(
        "  partner_group:\n    members:\n      g: {{ en: the Group }}\ngroups:\n  g:\n    dimension: partner_group\n    of: partner\n    members: [{}]\n",
        members.join(", ")
    ));
    let mut csv = String::from("period,basis,flow,dimension,member,value\n");
    for year in [2018, 2019] {
        for month in 1..=12 {
            for flow in ["export", "import"] {
                csv.push_str(&format!("{year}-{month:02},month,{flow},total,all,1000000000000000\n"));
                for m in &members {
                    let v = if year == 2018 { 100_000_000_000_000u64 } else { 125_000_000_000_000 };
                    csv.push_str(&format!("{year}-{month:02},month,{flow},partner,{m},{v}\n"));
                }
            }
        }
    }
    let data = folder("huge-amounts", &yaml, &csv);
    let r = run(&["--data", data.to_str().unwrap(), "--period", "2019-12"], Stdio::piped());
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("$24000000000000000 trillion"), "{}", r.stdout);
    // A template can still ask for more: an amount it gives itself, times the unit, is past the
    // range. It is an error naming the rule (exit 4), not a panic, and nothing is written.
    let dir =
        templates("huge-amount-template", &[("facts/total_trade.hbs", "{{amount \"96000000000000000\"}} in all.")]);
    refused(
        "huge-amount-template",
        &data,
        &["--templates", dir.to_str().unwrap()],
        4,
        "96000000000000000 times the unit 1000000000000 is too large to write as an amount; check the dataset's `unit`",
    );
}

#[test]
fn groups_that_contain_themselves_are_refused() {
    let one = format!(
        "{YAML}      g: {{ en: G }}\ngroups:\n  g:\n    dimension: partner\n    of: partner\n    members: [a, g]\n"
    );
    let data = folder("group-self", &one, CSV);
    refused(
        "group-self",
        &data,
        &[],
        3,
        "dataset.yaml: group `g` contains itself; a group's members must be other members",
    );
    let two = format!(
        "{YAML}      g: {{ en: G }}\n      h: {{ en: H }}\ngroups:\n  g:\n    dimension: partner\n    of: partner\n    members: [a, h]\n  h:\n    dimension: partner\n    of: partner\n    members: [b, g]\n"
    );
    let data = folder("group-pair", &two, CSV);
    refused(
        "group-pair",
        &data,
        &[],
        3,
        "groups contain each other (`g` -> `h` -> `g`); a group cannot contain itself",
    );
}

/// A rules file of one rule with the condition `when`.
fn rules_with(name: &str, when: &str) -> PathBuf {
    let file = scratch(name).join("rules.yaml");
    let text = format!(
        "dimensions: [partner]\nsections: [overview]\nrules:\n  - id: total_trade\n    section: overview\n    over: {{ dimension: total, flow: total, basis: ytd }}\n    when: \"{when}\"\n    template: total_trade\n"
    );
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn a_condition_of_thousands_of_terms_is_refused_before_it_is_compiled() {
    let data = folder("long-condition-data", YAML, CSV);
    let terms = vec!["1.0"; 3000].join(" + ");
    let rules = rules_with("long-condition", &format!("value > {terms}"));
    refused("long-condition", &data, &["--rules", rules.to_str().unwrap()], 4, "bytes long; at most 2000 are allowed");
    let terms = vec!["1"; 400].join("+");
    let rules = rules_with("many-operators", &format!("value>{terms}"));
    refused(
        "many-operators",
        &data,
        &["--rules", rules.to_str().unwrap()],
        4,
        "the condition has more than 200 operators",
    );
    let rules = rules_with("deep-condition", &format!("{}true{}", "(".repeat(500), ")".repeat(500)));
    refused("deep-condition", &data, &["--rules", rules.to_str().unwrap()], 4, "brackets nest more than 24 deep");
}

/// A templates folder with the given files under `en/`.
fn templates(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name);
    for (path, text) in files {
        let file = dir.join("en").join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    dir
}

#[test]
fn partials_that_include_themselves_are_refused_when_the_templates_load() {
    let data = folder("partials-data", YAML, CSV);
    let dir = templates("partial-self", &[("facts/total_trade.hbs", "Trade {{> en/facts/total_trade}}")]);
    let stderr = refused(
        "partial-self",
        &data,
        &["--templates", dir.to_str().unwrap()],
        4,
        "partials include each other in a cycle",
    );
    assert!(stderr.contains("(`en/facts/total_trade` -> `en/facts/total_trade`)"), "{stderr}");
    let dir = templates(
        "partial-pair",
        &[
            ("facts/total_trade.hbs", "Trade {{> en/part}}"),
            ("part.hbs", "{{#if value}}{{> en/facts/total_trade}}{{/if}}"),
        ],
    );
    let stderr = refused(
        "partial-pair",
        &data,
        &["--templates", dir.to_str().unwrap()],
        4,
        "partials include each other in a cycle",
    );
    assert!(stderr.contains("`en/facts/total_trade` -> `en/part` -> `en/facts/total_trade`"), "{stderr}");
    let deep = format!("{}x{}", "{{#if value}}".repeat(5000), "{{/if}}".repeat(5000));
    let dir = templates("template-deep", &[("facts/total_trade.hbs", &deep)]);
    refused(
        "template-deep",
        &data,
        &["--templates", dir.to_str().unwrap()],
        4,
        "blocks nest more than 24 deep (line 1)",
    );
}

#[test]
fn completions_to_a_full_disk_are_exit_5() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    for args in [&["completions", "bash"][..], &["man"]] {
        let r = run(args, Stdio::from(full.try_clone().unwrap()));
        assert_eq!(r.code, Some(5), "{}", r.stderr);
        assert_eq!(r.stderr, "tradescribe: error: stdout: cannot write: No space left on device (os error 28)\n");
    }
}

// --- resources ---

#[test]
fn yaml_aliases_that_expand_without_bound_are_refused() {
    // One anchor of 2,000 strings used 1,000 times where any value is taken (a group's members
    // are read as either of two forms): 12 KB of text, two million strings expanded.
    let bomb = format!(
        "{YAML}      g: {{ en: G }}\ngroups:\n  g:\n    dimension: partner\n    of: partner\n    members:\n      - &x [{}]\n{}",
        ["x"; 2000].join(", "),
        "      - *x\n".repeat(1000)
    );
    let data = folder("yaml-aliases", &bomb, CSV);
    refused(
        "yaml-aliases",
        &data,
        &[],
        3,
        "the YAML expands to more than 1000000 values (aliases of aliases?); write it out in full",
    );
    // The same in a rules file's params, which take any YAML value.
    let data = folder("rules-aliases-data", YAML, CSV);
    let rules = scratch("rules-aliases").join("rules.yaml");
    std::fs::write(
        &rules,
        format!(
            "params:\n  a: &x [{}]\n  b: [{}]\nsections: []\nrules: []\n",
            ["1"; 2000].join(", "),
            ["*x"; 1000].join(", ")
        ),
    )
    .unwrap();
    refused(
        "rules-aliases",
        &data,
        &["--rules", rules.to_str().unwrap()],
        4,
        "the YAML expands to more than 1000000 values",
    );
}

#[test]
fn files_over_their_size_limit_are_refused() {
    let padding = format!("#{}\n", "x".repeat(1 << 20));
    let data = folder("yaml-large", &format!("{YAML}{padding}"), CSV);
    refused("yaml-large", &data, &[], 3, "dataset.yaml: cannot read: larger than the limit of 1 MiB");
    let data = folder("rules-large-data", YAML, CSV);
    let rules = scratch("rules-large").join("rules.yaml");
    std::fs::write(&rules, &padding).unwrap();
    refused(
        "rules-large",
        &data,
        &["--rules", rules.to_str().unwrap()],
        4,
        "rules.yaml: cannot read: larger than the limit of 1 MiB",
    );
    let big = "x".repeat(300 << 10);
    let dir = templates("template-large", &[("facts/total_trade.hbs", &big)]);
    refused(
        "template-large",
        &data,
        &["--templates", dir.to_str().unwrap()],
        4,
        "total_trade.hbs: cannot read: larger than the limit of 256 KiB",
    );
}

#[test]
fn a_month_centuries_from_the_rest_is_refused_not_allocated() {
    // Every month between a row's and the rest's would be held in memory: 98,000 of them here.
    for (name, row, want) in [
        (
            "span-late",
            "9999-12,month,export,partner,b,1",
            "9999-12 is more than 200 years from 2018-01, the data's first month",
        ),
        (
            "span-early",
            "1800-01,month,export,partner,b,1",
            "1800-01 is more than 200 years from 2019-01, the data's last month",
        ),
    ] {
        let data = folder(name, YAML, &format!("{CSV}{row}\n"));
        let file = data.join("trade.csv");
        let want = format!(
            "{}:8: field `period`: {want}: a dataset may span at most 200 years (is the year mistyped?)",
            file.display()
        );
        refused(name, &data, &[], 3, &want);
    }
}

#[cfg(unix)]
fn fifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn pipes_devices_and_links_to_them_are_refused_not_read() {
    // Each would hang (a FIFO nobody writes) or never end (/dev/zero).
    let data = scratch("fifo-csv");
    std::fs::write(data.join("dataset.yaml"), YAML).unwrap();
    fifo(&data.join("trade.csv"));
    // The dataset's CSV files are checked as it lists them (each a regular file inside its folder)
    // before one is opened.
    refused("fifo-csv", &data, &[], 3, "dataset.yaml: `files`: `trade.csv` is not a regular file");
    let data = scratch("zero-csv");
    std::fs::write(data.join("dataset.yaml"), YAML).unwrap();
    std::os::unix::fs::symlink("/dev/zero", data.join("trade.csv")).unwrap();
    refused(
        "zero-csv",
        &data,
        &[],
        3,
        "dataset.yaml: `files`: `trade.csv` is a link that leads outside the dataset folder",
    );
    let data = scratch("fifo-yaml");
    std::fs::write(data.join("trade.csv"), CSV).unwrap();
    fifo(&data.join("dataset.yaml"));
    refused("fifo-yaml", &data, &[], 3, "dataset.yaml: cannot read: not a regular file (a named pipe)");
    let data = folder("fifo-rules-data", YAML, CSV);
    let rules = scratch("fifo-rules").join("rules.yaml");
    fifo(&rules);
    refused(
        "fifo-rules",
        &data,
        &["--rules", rules.to_str().unwrap()],
        4,
        "rules.yaml: cannot read: not a regular file (a named pipe)",
    );
    let dir = scratch("fifo-template");
    std::fs::create_dir_all(dir.join("en/facts")).unwrap();
    fifo(&dir.join("en/facts/total_trade.hbs"));
    refused(
        "fifo-template",
        &data,
        &["--templates", dir.to_str().unwrap()],
        4,
        "total_trade.hbs: cannot read: not a regular file (a named pipe)",
    );
    let dir = scratch("zero-template");
    std::fs::create_dir_all(dir.join("en/facts")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("en/facts/total_trade.hbs")).unwrap();
    refused(
        "zero-template",
        &data,
        &["--templates", dir.to_str().unwrap()],
        4,
        "total_trade.hbs: cannot read: not a regular file (a device)",
    );
    // A link from the templates folder back up to itself is not followed round.
    let dir = scratch("loop-template");
    std::fs::create_dir_all(dir.join("en/facts")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("en/facts/again")).unwrap();
    let r = run(
        &["--data", data.to_str().unwrap(), "--period", "2019-01", "--templates", dir.to_str().unwrap()],
        Stdio::null(),
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

/// Runs a command other than generate (import, verify) and checks its exit code and message.
fn other_refused(args: &[&str], code: i32, want: &str) {
    let r = run(args, Stdio::null());
    assert_eq!(r.code, Some(code), "{args:?}: {}", r.stderr);
    assert!(r.stderr.contains(want), "want `{want}`\ngot `{}`", r.stderr);
}

#[cfg(unix)]
#[test]
fn the_other_commands_read_regular_files_only_and_bound_their_yaml() {
    // import: a table, a spreadsheet and a layout that are named pipes, and a table that is a
    // link to /dev/zero (its size on disk is 0: only reading would find it has no end).
    let dir = scratch("import-fifo");
    let out = dir.join("out");
    let out = out.to_str().unwrap();
    let layout = "docs/examples/market-table.yaml";
    for name in ["exports.csv", "exports.xlsx", "layout.yaml"] {
        fifo(&dir.join(name));
    }
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.csv")).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();
    for (layout, file, want) in [
        (layout.to_string(), path("exports.csv"), "exports.csv: cannot read: not a regular file (a named pipe)"),
        (layout.to_string(), path("exports.xlsx"), "exports.xlsx: cannot read: not a regular file (a named pipe)"),
        (layout.to_string(), path("zero.csv"), "zero.csv: cannot read: not a regular file (a device)"),
        (path("layout.yaml"), path("zero.csv"), "layout.yaml: cannot read: not a regular file (a named pipe)"),
        (
            "census-country".to_string(),
            path("exports.csv"),
            "exports.csv: cannot read: not a regular file (a named pipe)",
        ),
    ] {
        other_refused(&["import", &layout, &file, "--out", out], 3, want);
    }
    assert!(!dir.join("out").exists());
    // A layout of aliases of aliases is counted before it is expanded.
    let bomb = dir.join("bomb.yaml");
    let mut text = format!("a: &x [{}]\n", ["1"; 2000].join(", "));
    text.push_str(&format!("b: [{}]\n", ["*x"; 1000].join(", ")));
    std::fs::write(&bomb, text).unwrap();
    other_refused(
        &["import", bomb.to_str().unwrap(), &path("zero.csv"), "--out", out],
        3,
        "the YAML expands to more than 1000000 values",
    );
    // verify: a bulletin that is a named pipe, and no bulletin at all.
    other_refused(&["verify", &path("exports.csv")], 7, "exports.csv: cannot read: not a regular file (a named pipe)");
    other_refused(&["verify"], 2, "the following required arguments were not provided");
}

// --- messages ---

#[test]
fn messages_print_values_as_people_write_them() {
    let data = folder("plain-data", YAML, CSV);
    let rules = rules_with("plain-index", "[1, 2][5] == 1");
    let stderr = refused("plain-index", &data, &["--rules", rules.to_str().unwrap()], 4, "index 5 is out of bounds");
    assert!(!stderr.contains("Int("), "{stderr}");
    let rules = rules_with("plain-compare", "value + 1.0");
    let stderr = refused(
        "plain-compare",
        &data,
        &["--rules", rules.to_str().unwrap()],
        4,
        "condition `value + 1.0` gives 101.0, not true or false",
    );
    assert!(!stderr.contains("Float("), "{stderr}");
    let file = scratch("plain-param").join("rules.yaml");
    std::fs::write(&file, "params:\n  level: high\nsections: []\nrules: []\n").unwrap();
    refused(
        "plain-param",
        &data,
        &["--rules", file.to_str().unwrap()],
        4,
        "params: `level` must be a number or true/false, not `high`",
    );
    let dir = templates("plain-field", &[("facts/total_trade.hbs", "{{nosuch.thing}} rose.")]);
    let stderr = refused(
        "plain-field",
        &data,
        &["--templates", dir.to_str().unwrap()],
        4,
        "Failed to access variable `nosuch.thing` in strict mode",
    );
    assert!(!stderr.contains("Some("), "{stderr}");
}

/// The fuzz targets' seeds for the limits (fuzz/seeds/) reach them: each is refused by the limit
/// it was written for, so a fuzzer starts at the edge of every bound.
#[test]
fn the_fuzz_seeds_reach_the_limits() {
    use tradescribe::dataset::{Dataset, Spec};
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let read = |target: &str, name: &str| std::fs::read_to_string(seeds.join(target).join(name)).unwrap();
    let yaml = Path::new("fuzz/dataset.yaml");
    for (name, want) in [
        ("group-cycle.yaml", "groups contain each other (`g` -> `h` -> `g`)"),
        ("group-self.yaml", "group `g` contains itself"),
        ("alias-wide.yaml", "the YAML expands to more than 1000000 values"),
    ] {
        let e = Spec::parse(yaml, &read("dataset_yaml", name)).unwrap_err().to_string();
        assert!(e.contains(want), "{name}: {e}");
    }
    for (name, want) in [
        ("long-condition.yaml", "the condition is 2405 bytes long; at most 2000 are allowed"),
        ("deep-condition.yaml", "brackets nest more than 24 deep"),
        ("params-aliases.yaml", "the YAML expands to more than 1000000 values"),
    ] {
        let e = tradescribe::rules::RuleSet::parse(Path::new("fuzz.yaml"), &read("rules_loader", name)).unwrap_err();
        assert!(e.to_string().contains(want), "{name}: {e}");
    }
    for (name, want) in [
        ("many-operators.txt", "the condition has more than 200 operators"),
        ("deep-brackets.txt", "brackets nest more than 24 deep"),
        ("long.txt", "at most 2000 are allowed"),
    ] {
        let e = tradescribe::rules::check_condition(&read("condition", name)).unwrap_err();
        assert!(e.contains(want), "{name}: {e}");
    }
    let spec = Spec::parse(yaml, &std::fs::read_to_string("tests/fixtures/synthetic/dataset.yaml").unwrap()).unwrap();
    let csv = read("csv_loader", "span.csv");
    let e = Dataset::from_sources(Path::new("fuzz"), spec, vec![("a.csv".into(), csv.as_bytes())]).unwrap_err();
    assert!(e.to_string().contains("a.csv:3: field `period`: 1800-01 is more than 200 years from 2019-01"), "{e}");
}
