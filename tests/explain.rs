//! `explain` over a range (the backtest), its `--diff`, and member bulletins (`--each`), on the
//! SYNTHETIC backtest fixture, whose every count is worked out by hand in
//! tests/fixtures/backtest/README.md, and on the U.S. data.

mod common;
use common::run;

const DATA: &str = "tests/fixtures/backtest";
const RULES: &str = "tests/fixtures/backtest/rules.yaml";
const OTHER: &str = "tests/fixtures/backtest/rules-b.yaml";
const MEMBER: &str = "tests/fixtures/backtest/member.yaml";

fn explain(args: &[&str]) -> String {
    let mut all = vec!["explain", "--data", DATA];
    all.extend_from_slice(args);
    let r = run(&all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn the_backtest_counts_what_each_rule_did_in_every_month() {
    let t = explain(&["--rules", RULES, "--from", "2018-01", "--to", "2019-06"]);
    let want = "\
Rules tests/fixtures/backtest/rules.yaml on tests/fixtures/backtest, 2018-01 to 2019-06: 12 months, 12 bulletins \
(6 months passed over, the first 2018-07 and the last 2018-12: no total trade in the data)

rule                fired  stated   group    plan   limit  first    last     chose most often
total_always           12      12       0       0       0  2018-01  2019-06  all 12
total_up                3       3       0       0       0  2019-01  2019-06  all 3
total_down              1       1       0       0       0  2019-02  2019-02  all 1
never                   0       0       0       0       0  -        -
partner_leader          9       9       0       0       0  2018-01  2019-04  a 9
partner_first          12       3       9       0       0  2018-01  2019-06  a 12
partners_up             5       5       0       0       3  2019-01  2019-06  a 2, b 2, c 1
partners_up_again       5       3       0       2       0  2019-01  2019-06  b 3, c 3, a 2

Counted in bulletins.";
    assert!(t.starts_with(want), "want\n{want}\ngot\n{t}");
}

#[test]
fn the_backtest_as_csv_and_json() {
    let t = explain(&["--rules", RULES, "--from", "2018-01", "--to", "2019-06", "--format", "csv"]);
    assert_eq!(
        t,
        "rule,section,salience,fired,stated,group,plan,limit,first,last,members
total_always,overview,100,12,12,0,0,0,2018-01,2019-06,all:12
total_up,overview,90,3,3,0,0,0,2019-01,2019-06,all:3
total_down,overview,90,1,1,0,0,0,2019-02,2019-02,all:1
never,overview,85,0,0,0,0,0,,,
partner_leader,partners,80,9,9,0,0,0,2018-01,2019-04,a:9
partner_first,partners,70,12,3,9,0,0,2018-01,2019-06,a:12
partners_up,partners,60,5,5,0,0,3,2019-01,2019-06,a:2;b:2;c:1
partners_up_again,partners,55,5,3,0,2,0,2019-01,2019-06,b:3;c:3;a:2
"
    );
    let t = explain(&["--rules", RULES, "--from", "2018-01", "--to", "2019-06", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&t).unwrap();
    assert_eq!((doc["months"].as_u64(), doc["bulletins"].as_u64()), (Some(12), Some(12)));
    assert_eq!(doc["passed_over"].as_array().unwrap().len(), 6);
    let rule = |id: &str| doc["backtest"].as_array().unwrap().iter().find(|r| r["rule"] == id).unwrap().clone();
    assert_eq!(rule("total_up")["stated_months"], serde_json::json!(["2019-01", "2019-03", "2019-06"]));
    let again = rule("partners_up_again");
    assert_eq!(again["stated_months"], serde_json::json!(["2019-01", "2019-05", "2019-06"]));
    assert_eq!(again["fired_months"], serde_json::json!(["2019-01", "2019-02", "2019-03", "2019-05", "2019-06"]));
    assert_eq!(again["plan"], 2);
    assert_eq!(rule("partners_up")["members"][0], serde_json::json!({"member": "a", "bulletins": 2}));
}

#[test]
fn a_backtest_of_member_bulletins_counts_each_members_bulletin_or_one_members() {
    let t = explain(&["--rules", MEMBER, "--from", "2018-01", "--to", "2019-06", "--each", "partner"]);
    assert!(t.contains("12 months, a bulletin for each `partner` member with a value, 36 bulletins"), "{t}");
    assert!(
        t.contains("\nmember_lede      36      36       0       0       0  2018-01  2019-06  a 12, b 12, c 12\n"),
        "{t}"
    );
    assert!(
        t.contains("\nmember_up         8       8       0       0       0  2019-01  2019-06  b 3, c 3, a 2\n"),
        "{t}"
    );
    let t = explain(&["--rules", MEMBER, "--from", "2018-01", "--to", "2019-06", "--each", "partner", "--member", "b"]);
    assert!(t.contains("12 months, the bulletins of partner `b`, 12 bulletins"), "{t}");
    assert!(t.contains("\nmember_up         3       3       0       0       0  2019-01  2019-06  b 3\n"), "{t}");
}

#[test]
fn diff_shows_the_bulletins_another_rules_file_would_change_and_how() {
    let t = explain(&["--rules", RULES, "--from", "2018-01", "--to", "2019-06", "--diff", OTHER]);
    assert!(
        t.starts_with(
            "Rules tests/fixtures/backtest/rules.yaml (-) against tests/fixtures/backtest/rules-b.yaml (+) on \
             tests/fixtures/backtest, 2018-01 to 2019-06: 4 of 12 bulletins would change\n"
        ),
        "{t}"
    );
    let months: Vec<&str> = t.lines().filter(|l| l.starts_with("20")).collect();
    assert_eq!(months, ["2019-01", "2019-02", "2019-05", "2019-06"]);
    for line in [
        // Alpha's value and share were given with its rank: here only its exports and imports.
        "\n2019-02\n  + fact partner_down (a, b)\n  + Imports from Alpha declined 10.0% to $45 million and exports to \
         Alpha fell 10.0% to $45 million. Trade with Beta decreased 10.0% to $54 million,",
        "\n2019-06\n  - fact total_up (all)\n  - In June alone, imports and exports grew 5.0% to $210 million. Exports \
         that month rose 5.0% to $105 million and imports increased 5.0% to $105 million.\n",
    ] {
        assert!(t.contains(line), "missing {line:?}:\n{t}");
    }
    let t = explain(&["--rules", RULES, "--from", "2019-01", "--to", "2019-06", "--diff", OTHER, "--format", "csv"]);
    assert!(
        t.starts_with("period,member,change,rule,before,after,sentence\n2019-01,,fact added,partner_down,,c,\n"),
        "{t}"
    );
    assert!(t.contains("\n2019-02,,fact added,partner_down,,a;b,\n"), "{t}");
    assert!(t.contains("\n2019-06,,fact removed,total_up,all,,\n"), "{t}");
    let t = explain(&["--rules", RULES, "--from", "2019-01", "--to", "2019-06", "--diff", OTHER, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&t).unwrap();
    assert_eq!((doc["bulletins"].as_u64(), doc["changed"].as_u64()), (Some(6), Some(4)));
    assert_eq!(
        doc["changes"][3]["facts"][0],
        serde_json::json!({"change": "removed", "rule": "total_up", "before": ["all"], "after": []})
    );
    // A file against itself changes nothing; one month is a range of one.
    let t = explain(&["--rules", RULES, "--period", "2019-06", "--diff", RULES]);
    assert!(t.ends_with(", for 2019-06: 0 of 1 bulletins would change\n"), "{t}");
}

#[test]
fn explain_each_explains_the_member_bulletins_of_a_month() {
    let t = explain(&["--rules", MEMBER, "--period", "2019-05", "--each", "partner"]);
    assert!(t.starts_with("Rules tests/fixtures/backtest/member.yaml on tests/fixtures/backtest for 2019-05: 3 bulletins, one for each `partner` member with a value\n"), "{t}");
    assert!(
        t.contains(
            "member_lede (salience 100, tests/fixtures/backtest/member.yaml:6): FIRED, stated in every bulletin (3)\n"
        ),
        "{t}"
    );
    assert!(
        t.contains(
            "member_up (salience 80, tests/fixtures/backtest/member.yaml:13): FIRED in 2 of 3 bulletins, stated in 2\n  \
             over focus total month, when `yoy_pct > 0.0`\n  + b: yoy_pct = 20.0\n  + c: yoy_pct = 20.0\n  \
             - a: `yoy_pct > 0.0` is false: yoy_pct = -20.0\n"
        ),
        "{t}"
    );
    let t = explain(&["--rules", MEMBER, "--period", "2019-05", "--each", "partner", "--member", "a"]);
    assert!(t.starts_with("Rules tests/fixtures/backtest/member.yaml on tests/fixtures/backtest for 2019-05, the bulletin of partner `a`\n"), "{t}");
    assert!(t.contains("member_up (salience 80, tests/fixtures/backtest/member.yaml:13): did not fire\n"), "{t}");
    assert!(t.contains("  - a: `yoy_pct > 0.0` is false: yoy_pct = -20.0\n"), "{t}");
    let t = explain(&["--rules", MEMBER, "--period", "2019-05", "--each", "partner", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&t).unwrap();
    let up = &doc["explain"][1];
    assert_eq!((up["bulletins"].as_u64(), up["fired"].as_u64(), up["stated"].as_u64()), (Some(3), Some(2), Some(2)));
}

#[test]
fn explain_each_on_the_us_data_with_the_built_in_member_rules() {
    let r =
        run(&["explain", "--data", "data/us-census", "--period", "2019-07", "--each", "partner", "--member", "canada"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("Rules rules/member.yaml on data/us-census for 2019-07, the bulletin of partner `canada`\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("  + canada: complete = true, min_ranked = 3, rank_value = 2, ranked_value = "),
        "{}",
        r.stdout
    );
}

#[test]
fn explain_refuses_what_it_cannot_explain() {
    let cases: [(&[&str], i32, &str); 6] = [
        (
            &["--rules", MEMBER, "--period", "2019-05"],
            2,
            "has rules about one member (over `focus`: member_lede, member_up); they make a bulletin for each member of a dimension: give --each DIMENSION",
        ),
        (
            &["--rules", RULES, "--period", "2019-05", "--each", "partner"],
            2,
            "--each partner: tests/fixtures/backtest/rules.yaml has no rules about one member",
        ),
        (
            &["--rules", MEMBER, "--period", "2019-05", "--each", "region"],
            2,
            "--each region: tests/fixtures/backtest/dataset.yaml declares no such dimension; it declares: partner",
        ),
        (
            &["--rules", MEMBER, "--period", "2019-05", "--each", "partner", "--member", "zz"],
            2,
            "--member zz: tests/fixtures/backtest/dataset.yaml declares no member `zz` of `partner`",
        ),
        (
            &["--rules", RULES, "--period", "2019-05", "--format", "csv"],
            2,
            "--format csv is for a range (--from, --to) or --diff",
        ),
        (&["--rules", RULES, "--from", "2019-05", "--to", "2019-01"], 2, "--from must not be after --to"),
    ];
    for (args, code, want) in cases {
        let mut all = vec!["explain", "--data", DATA];
        all.extend_from_slice(args);
        let r = run(&all);
        assert_eq!(r.code, code, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(want), "{args:?}: want `{want}`, got {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    // --member without --each is refused by the command line itself.
    let r = run(&["explain", "--data", DATA, "--member", "a"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // A month with no total, explained alone, is bad data; in a range it is passed over.
    let r = run(&["explain", "--data", DATA, "--rules", RULES, "--period", "2018-09"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
}

/// The lines the docs show `$ {command}` printing (up to the next command or the end of the
/// block), but `...` lines.
fn doc_block(doc: &str, command: &str) -> Vec<String> {
    let at = doc.find(&format!("$ {command}\n")).unwrap_or_else(|| panic!("the docs show no `$ {command}`"));
    let block = &doc[at..];
    let end = block.find("\n```").unwrap();
    block[..end]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("$ "))
        .filter(|l| *l != "..." && !l.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn the_rules_walkthrough_shows_what_the_commands_print() {
    // docs/src/rules.md: eject, lower major_partner_share to 3.0, validate, backtest before and
    // after, diff one month (docs/src/commands.md quotes some of the same). Every line the docs
    // quote must be what the commands print today; if a change to the rules or templates moves
    // them, rerun the commands and update the docs. These are the docs' ```console,ignore
    // blocks, which tests/docs.rs leaves to this test because of the edit between commands.
    let dir = common::scratch("walkthrough");
    let ejected = run(&["eject", dir.join("house").to_str().unwrap()]);
    assert_eq!(ejected.code, 0, "{}", ejected.stderr);
    let rules = dir.join("house/rules/default.yaml");
    let text = std::fs::read_to_string(&rules).unwrap();
    assert!(text.contains("  major_partner_share: 5.0 "));
    std::fs::write(&rules, text.replace("  major_partner_share: 5.0 ", "  major_partner_share: 3.0 ")).unwrap();
    let house = dir.join("house");
    let local = |s: &str| s.replace(&house.display().to_string(), "house");
    let command = "tradescribe eject house";
    for line in doc_block(&std::fs::read_to_string("docs/src/rules.md").unwrap(), command) {
        assert!(
            local(&ejected.stderr).lines().any(|l| l == line),
            "docs/src/rules.md shows, for `{command}`:\n{line}\nbut it prints:\n{}",
            ejected.stderr
        );
    }
    let docs: Vec<(&str, String)> = ["docs/src/rules.md", "docs/src/commands.md"]
        .into_iter()
        .map(|name| (name, std::fs::read_to_string(name).unwrap()))
        .collect();
    let runs = [
        ("tradescribe explain --data data/us-census --from 1987-01 --to 2021-12", vec![]),
        (
            "tradescribe explain --data data/us-census --rules house/rules/default.yaml --from 1987-01 --to 2021-12",
            vec!["--rules", rules.to_str().unwrap()],
        ),
        (
            "tradescribe explain --data data/us-census --period 2019-07 --diff house/rules/default.yaml",
            vec!["--diff", rules.to_str().unwrap()],
        ),
        (
            "tradescribe validate --data data/us-census --rules house/rules/default.yaml --templates house/templates --lang en",
            vec![],
        ),
    ];
    for (command, extra) in runs {
        let mut args: Vec<String> = command.split(' ').skip(1).map(String::from).collect();
        // The folder is a scratch one here; the docs call it `house`.
        for pair in extra.chunks(2) {
            let i = args.iter().position(|a| a == pair[0]).unwrap();
            args[i + 1] = pair[1].to_string();
        }
        if command.contains("validate") {
            let i = args.iter().position(|a| a == "--rules").unwrap();
            args[i + 1] = rules.to_str().unwrap().into();
            let i = args.iter().position(|a| a == "--templates").unwrap();
            args[i + 1] = house.join("templates").to_str().unwrap().into();
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run(&args);
        assert_eq!(r.code, 0, "{command}: {}", r.stderr);
        let printed = local(&r.stdout);
        for (name, doc) in &docs {
            if !doc.contains(&format!("$ {command}\n")) {
                continue;
            }
            for line in doc_block(doc, command) {
                assert!(
                    printed.lines().any(|l| l == line),
                    "{name} shows, for `{command}`:\n{line}\nbut it prints:\n{printed}"
                );
            }
        }
    }
}

#[test]
fn explain_prints_the_same_every_run() {
    // The figures a condition lacks are named in one order, not the CEL interpreter's hash
    // order: several U.S. partners lack two or three streak figures in 2019-07.
    let args = ["explain", "--data", "data/us-census", "--period", "2019-07", "--each", "partner", "--format", "json"];
    let first = run(&args);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stdout.contains("`decline_streak`, `growth_streak`, `months_since_previous_same` cannot be computed")
    );
    for _ in 0..3 {
        assert_eq!(run(&args).stdout, first.stdout);
    }
}
