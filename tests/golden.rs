//! Golden bulletins: the shipped datasets through the whole pipeline, compared with reviewed files.

mod common;
use common::{golden, run};

/// The figures of the reference article (the press article the project started from) that the China data supports.
const REFERENCE_FIGURES: [&str; 12] = [
    "total imports and exports grew 4.2% year on year to 17.41 trillion yuan",
    "the countries along the Belt and Road rose 10.2% to 5.03 trillion yuan",
    "6 percentage points higher than the growth rate of China's overall foreign trade",
    "the EU grew 10.8%",
    "(ASEAN) increased 11.3% to 2.35 trillion yuan",
    "the United States declined 8.1% to 2.1 trillion yuan",
    "cutting the share of the US in China's total trade to 12.0%",
    "private enterprises increased 11.8%",
    "Exports rose 6.7% to 9.48 trillion yuan",
    "imports increased 1.3% to 7.93 trillion yuan",
    "The goods trade surplus expanded 47.4% to 1.55 trillion yuan",
    "imports from the US decreased 24.0% to 473.93 billion yuan",
];

#[test]
fn default_run_writes_the_china_bulletin_with_the_reference_figures() {
    let r = run(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for figure in REFERENCE_FIGURES {
        assert!(r.stdout.contains(figure), "missing `{figure}` in:\n{}", r.stdout);
    }
    golden("china-2019-2019-07-en.md", &r.stdout);
}

#[test]
fn china_bulletin_as_text() {
    let r = run(&["generate", "--format", "txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("China's foreign trade increases 4.2% in the first seven months of 2019\n"));
    golden("china-2019-2019-07-en.txt", &r.stdout);
}

#[test]
fn china_bulletin_as_json_names_the_rule_and_figures_of_each_fact() {
    let r = run(&["generate", "--format", "json", "--period", "2019-07"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let facts = doc["facts"].as_array().unwrap();
    let us = facts.iter().find(|f| f["rule"] == "partners_declining").expect("the US decline is a fact");
    let subject = &us["subjects"][0];
    assert_eq!(subject["member"], "us");
    assert_eq!(subject["flows"]["total"]["yoy_pct"], "-8.1");
    assert_eq!(subject["flows"]["total"]["yoy_source"], "published");
    assert_eq!(subject["why"]["yoy_pct"], "-8.1");
    assert_eq!(subject["flows"]["total"]["rows"][0], "data/china-2019/trade.csv:11");
    let sentence = doc["paragraphs"][1]["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["rule"] == "partners_declining")
        .unwrap();
    assert!(sentence["text"].as_str().unwrap().starts_with("Trade with the United States declined 8.1%"));
    golden("china-2019-2019-07-en.json", &r.stdout);
}

#[test]
fn us_bulletin_for_the_first_seven_months_of_2019() {
    let r = run(&["generate", "--data", "data/us-census", "--period", "2019-07"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for figure in [
        "total imports and exports declined 0.2% year on year to $2.41 trillion",
        "Trade with China decreased 13.6% to $320.22 billion",
    ] {
        assert!(r.stdout.contains(figure), "missing `{figure}` in:\n{}", r.stdout);
    }
    golden("us-census-2019-07-en.md", &r.stdout);
}

#[test]
fn a_dataset_with_several_enterprise_types_names_the_fastest() {
    let r = run(&["generate", "--data", "tests/fixtures/synthetic", "--period", "2019-02"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "Imports and exports by private enterprises grew 12.5% to $280 million, ranking first among all types of enterprises"
        ),
        "{}",
        r.stdout
    );
    golden("synthetic-2019-02-en.md", &r.stdout);
}

#[test]
fn china_first_half_has_no_rate_for_private_enterprises_and_says_so_without_one() {
    let r = run(&["generate", "--period", "2019-06"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "Imports and exports by private enterprises came to 6.12 trillion yuan, accounting for 41.7% of the total."
        ),
        "{}",
        r.stdout
    );
    golden("china-2019-2019-06-en.md", &r.stdout);
}

/// The U.S. bulletins of three turning points: the 2009 collapse, the 2020 pandemic, the 2021 record.
#[test]
fn us_bulletins_state_collapses_streaks_and_records() {
    for (period, expected) in [
        (
            "2009-03",
            &[
                "In the first quarter of 2009, the United States' total imports and exports decreased 26.8% year on year to $599.13 billion.",
                "Total trade was the lowest for the first quarter since 2005.",
                "Total trade fell year on year for the fifth consecutive month.",
                "That made it the quietest March since 2004.",
            ][..],
        ),
        (
            "2020-04",
            &[
                "Trade in April alone fell 24.3% to $260.2 billion",
                "It was the lowest April total since 2010.",
                "This was the ninth month in a row of year-on-year decline.",
                "From March, trade fell 20.5% on a monthly basis.",
            ][..],
        ),
        (
            "2021-12",
            &[
                "The United States' trade in goods increased 22.0% from a year earlier to $4.59 trillion in 2021.",
                "Trade in 2021 was the highest in data going back to 1987.",
                "No December since 1987 saw more trade.",
                "This was the 14th month in a row of year-on-year growth.",
            ][..],
        ),
    ] {
        let r = run(&["generate", "--data", "data/us-census", "--period", period]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        for sentence in expected {
            assert!(r.stdout.contains(sentence), "{period}: missing `{sentence}` in:\n{}", r.stdout);
        }
        golden(&format!("us-census-{period}-en.md"), &r.stdout);
    }
}

/// The reference article's figures as a Chinese customs release states them.
#[test]
fn china_bulletin_in_chinese() {
    let r = run(&["generate", "--lang", "zh"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for figure in [
        "2019年前7个月，我国货物贸易进出口总值17.41万亿元，同比增长4.2%。",
        "其中，出口9.48万亿元，增长6.7%；进口7.93万亿元，增长1.3%。",
        "我国与东盟和欧盟贸易总值分别为2.35万亿元和2.72万亿元，分别增长11.3%和10.8%",
        "我国与美国贸易总值2.1万亿元，下降8.1%",
        "自美国进口4739.3亿元，下降24.0%",
        "我国对“一带一路”沿线国家进出口5.03万亿元，增长10.2%，高出外贸整体增速6个百分点",
        "民营企业进出口7.31万亿元，增长11.8%",
    ] {
        assert!(r.stdout.contains(figure), "missing `{figure}` in:\n{}", r.stdout);
    }
    golden("china-2019-2019-07-zh.md", &r.stdout);
}

#[test]
fn all_languages_are_written_side_by_side() {
    let out = common::scratch("lang-all");
    let r = run(&["--lang", "all", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut files: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    files.sort();
    assert_eq!(files, ["china-2019-2019-07-en.md", "china-2019-2019-07-zh.md"]);
}

#[test]
fn a_share_change_that_prints_as_zero_is_not_stated() {
    // November 2008: Europe's share rose 0.04 points, which would print as "0 percentage points".
    let r = run(&["--data", "data/us-census", "--period", "2008-11"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "Imports and exports with Europe increased 11.5% to $706.29 billion, 0.2 percentage points higher"
        ),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains(" 0 percentage points"), "{}", r.stdout);
}
