//! Golden bulletins: the shipped datasets through the whole pipeline, compared with reviewed files.

mod common;
use common::{golden, run};

/// The figures of the reference article (the press article the project started from) that the China data supports.
const REFERENCE_FIGURES: [&str; 14] = [
    "total imports and exports grew 4.2% year on year to 17.41 trillion yuan",
    "the countries along the Belt and Road grew 10.2% to 5.03 trillion yuan",
    "6 percentage points higher than the growth rate of China's overall foreign trade",
    "Trade with the European Union, China's largest trading partner, increased 10.8% to 2.72 trillion yuan (15.6% of the total)",
    "followed by the Association of Southeast Asian Nations (ASEAN), up 11.3% at 2.35 trillion yuan (13.5%)",
    "and the United States, down 8.1% at 2.1 trillion yuan (12.0%)",
    "private enterprises rose 11.8% to 7.31 trillion yuan, accounting for 42.0% of the total, up 2.9 percentage points",
    "Exports rose 6.7% to 9.48 trillion yuan",
    "imports increased 1.3% to 7.93 trillion yuan",
    "The goods trade surplus expanded 47.4% to 1.55 trillion yuan",
    "Of trade with the US, exports declined 2.1% to 1.62 trillion yuan, and imports fell 24.0% to 473.93 billion yuan.",
    // The release's other paragraphs (issue 16), from the sources in data/china-2019/PROVENANCE.txt.
    "Ordinary trade rose 5.7%, accounting for 59.8% of the total, up 0.8 percentage points.",
    "Exports of mechanical and electrical products increased 6.1% to 5.5 trillion yuan, accounting for 58.0% of exports.",
    "Imports of crude oil grew 9.5% to 285.64 million tonnes.",
];

#[test]
fn default_run_writes_the_china_bulletin_with_the_reference_figures() {
    let r = run(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for figure in REFERENCE_FIGURES {
        assert!(r.stdout.contains(figure), "missing `{figure}` in:\n{}", r.stdout);
    }
    // GACC's English structure: the features announced, numbered, each opened by its verdict.
    for line in [
        "\nThe details are as follows.\n",
        "\n**1. Ordinary trade increased, and its share rose.** Ordinary trade rose 5.7%",
        "\n**2. Trade with the EU and ASEAN increased, while trade with the US decreased.** Trade with the European Union",
        "\n**3. Trade with the Belt and Road countries outpaced total trade.** Imports and exports",
        "\n**4. Imports and exports by private enterprises increased, and their share rose.** Imports and exports",
        "\n**5. Exports of mechanical and electrical products increased.** Exports of mechanical",
    ] {
        assert!(r.stdout.contains(line), "missing `{line}` in:\n{}", r.stdout);
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
    let ranked = facts.iter().find(|f| f["rule"] == "partners_ranked").expect("the partners in rank order are a fact");
    let subject = &ranked["subjects"][2];
    assert_eq!(subject["member"], "us");
    assert_eq!(subject["flows"]["total"]["yoy_pct"], "-8.1");
    assert_eq!(subject["flows"]["total"]["yoy_source"], "published");
    assert_eq!(subject["why"]["rank_value"], 3);
    assert_eq!(subject["flows"]["total"]["rows"][0], "data/china-2019/trade.csv:11");
    let partners = doc["paragraphs"].as_array().unwrap().iter().find(|p| p["section"] == "partners").unwrap();
    assert_eq!(partners["heading"], "Trade with the EU and ASEAN increased, while trade with the US decreased");
    assert_eq!(doc["announcement"], "The details are as follows.");
    // Where the row's figures were published, from its source_url column.
    assert_eq!(subject["flows"]["total"]["provenance"][0]["source_url"], "https://lankachinajf.com/?p=1122");
    let sentence = partners["sentences"].as_array().unwrap().iter().find(|s| s["rule"] == "partners_ranked").unwrap();
    assert!(
        sentence["text"]
            .as_str()
            .unwrap()
            .starts_with("Trade with the European Union, China's largest trading partner")
    );
    golden("china-2019-2019-07-en.json", &r.stdout);
}

#[test]
fn us_bulletin_for_the_first_seven_months_of_2019() {
    let r = run(&["generate", "--data", "data/us-census", "--period", "2019-07"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for figure in [
        "total imports and exports declined 0.2% year on year to $2.41 trillion",
        "China, down 13.6% at $320.22 billion (13.3%)",
    ] {
        assert!(r.stdout.contains(figure), "missing `{figure}` in:\n{}", r.stdout);
    }
    golden("us-census-2019-07-en.md", &r.stdout);
}

#[test]
fn a_dataset_with_several_enterprise_types_names_the_fastest() {
    // The partners a, b and c are declared complete but are 42% of the total: no partner is
    // called the largest, nor said to have added more than any other.
    let r = run(&["generate", "--data", "tests/fixtures/synthetic", "--period", "2019-02"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "Imports and exports by private enterprises rose 12.5% to $280 million, accounting for 65.1% of the total, \
             the largest share of any type of enterprise. Over the same period, imports and exports by state-owned \
             enterprises increased 3.0% to $150 million (34.9% of the total). Private enterprises ranked first among \
             all types of enterprises by the growth of their imports and exports."
        ),
        "{}",
        r.stdout
    );
    golden("synthetic-2019-02-en.md", &r.stdout);
}

/// Where the fastest-growing type of enterprise fell, "first by growth" would mislead: it had the
/// smallest fall (the synthetic data with both types' trade falling).
#[test]
fn the_best_rate_among_falling_types_of_enterprises_is_the_smallest_fall() {
    let dir = common::scratch("falling-enterprises");
    for name in ["dataset.yaml", "trade.csv"] {
        let text = std::fs::read_to_string(format!("tests/fixtures/synthetic/{name}")).unwrap();
        let text = text
            .replace(
                "2019-02,ytd,total,enterprise_type,private,280,12.5",
                "2019-02,ytd,total,enterprise_type,private,280,-2.5",
            )
            .replace(
                "2019-02,ytd,total,enterprise_type,state,150,3.0",
                "2019-02,ytd,total,enterprise_type,state,150,-9.0",
            );
        std::fs::write(dir.join(name), text).unwrap();
    }
    let r = run(&["generate", "--data", dir.to_str().unwrap(), "--period", "2019-02"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("fell 2.5% to $280 million"), "{}", r.stdout);
    assert!(
        r.stdout.contains(
            "Private enterprises had the smallest fall among all types of enterprises in their imports and exports."
        ),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("ranked first"), "{}", r.stdout);
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
                "No March since 2004 saw less trade.",
            ][..],
        ),
        (
            "2020-04",
            &[
                "Trade in April alone fell 24.3% to $260.2 billion",
                "April's total was the lowest for the month since 2010.",
                "This was the ninth month in a row of year-on-year decline.",
                "Unadjusted for the season, trade fell 20.5% from March.",
                // The EU, a group, had 18.4%: Mexico is the largest single country.
                "Mexico was the United States' largest single-country trading partner, with trade down 13.5% at $175.26 billion (14.3% of the total, down 0.7 percentage points)",
                // Stated once: Mexico's value and share are not stated again where its trade fell,
                // only its exports and imports.
                "Exports to Mexico declined 16.4% to $72.02 billion, and imports from Mexico fell 11.3% to $103.23 billion.",
            ][..],
        ),
        (
            "2021-12",
            &[
                "The United States' trade in goods increased 22.0% from a year earlier to $4.59 trillion in 2021.",
                "Trade in 2021 was the highest in data going back to 1987.",
                "No December in data going back to 1987 saw more trade.",
                "This was the 14th month in a row of year-on-year growth.",
                // Canada's 14.5% and Mexico's 14.4% are too close to call: the second is virtually level.
                "Canada was the United States' largest single-country trading partner, with trade up 26.5% at $664.77 billion (14.5% of the total, up 0.5 percentage points), Mexico second and virtually level with Canada, up 23.2% at $661.16 billion (14.4%)",
            ][..],
        ),
    ] {
        let r = run(&["generate", "--data", "data/us-census", "--period", period]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        for sentence in expected {
            assert!(r.stdout.contains(sentence), "{period}: missing `{sentence}` in:\n{}", r.stdout);
        }
        if period == "2009-03" {
            // March's 10.5% rise on February is the calendar's (February is three days shorter),
            // unadjusted for the season: not news.
            assert!(!r.stdout.contains("10.5%"), "{}", r.stdout);
        }
        if period == "2020-04" {
            // Mexico's share and value once, with its rank.
            for figure in ["14.3%", "$175.26 billion"] {
                assert_eq!(r.stdout.matches(figure).count(), 1, "{figure} twice in:\n{}", r.stdout);
            }
        }
        golden(&format!("us-census-{period}-en.md"), &r.stdout);
    }
}

/// The reference article's figures as a Chinese customs release states them, in GACC's order and
/// words: the opening with "比去年同期（下同）", exports, imports and the balance after one 其中;
/// the month alone as its own paragraph with values; the features announced and numbered, each
/// section opened by its verdict; 我国 once, then 我; shares before their change; whole numbers
/// without ".0".
#[test]
fn china_bulletin_in_chinese() {
    let r = run(&["generate", "--lang", "zh"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for figure in [
        "据海关总署统计，2019年前7个月，我国货物贸易进出口总值17.41万亿元人民币，比去年同期（下同）增长4.2%。\
         其中，出口9.48万亿元，增长6.7%；进口7.93万亿元，增长1.3%；贸易顺差1.55万亿元，扩大47.4%。\n",
        // No balance: one derived from exports and imports rounded to 0.01万亿 could be 100亿 off.
        "\n7月份，进出口2.74万亿元，增长5.7%。其中，出口1.53万亿元，增长10.3%；进口1.21万亿元，增长0.4%。\n",
        "\n前7个月我外贸进出口主要呈现以下特点：\n",
        "\n**一、一般贸易进出口增长，比重提升**。一般贸易进出口增长5.7%，占我外贸总值的59.8%，比去年同期提升0.8个百分点。",
        "\n**二、对欧盟和东盟进出口增长，对美国进出口下降**。\
         欧盟为我第一大贸易伙伴，我与欧盟进出口2.72万亿元，增长10.8%，占我外贸总值的15.6%；",
        "东盟为第二大贸易伙伴，与东盟进出口2.35万亿元，增长11.3%，占13.5%；",
        "美国为第三大贸易伙伴，与美国进出口2.1万亿元，下降8.1%，占12%。对美国出口1.62万亿元，下降2.1%；\
         自美国进口4739.3亿元，下降24%。",
        "\n**三、对“一带一路”沿线国家进出口增速高于整体**。我对“一带一路”沿线国家进出口5.03万亿元，增长10.2%，\
         高出外贸整体增速6个百分点，占我外贸总值的28.9%，比去年同期提升1.6个百分点。",
        "\n**四、民营企业进出口增长，比重提升**。民营企业进出口7.31万亿元，增长11.8%，占我外贸总值的42%",
        "\n**五、机电产品出口增长**。机电产品出口5.5万亿元，增长6.1%，占我出口总值的58%。进口原油2.86亿吨，增加9.5%。",
    ] {
        assert!(r.stdout.contains(figure), "missing `{figure}` in:\n{}", r.stdout);
    }
    let body: Vec<&str> = r.stdout.lines().skip(1).filter(|l| !l.is_empty()).collect();
    assert_chinese_conventions(&body.join("\n"));
    golden("china-2019-2019-07-zh.md", &r.stdout);
}

/// What a GACC press officer would edit out of any Chinese bulletin: 我国 after its first
/// mention, 分别 twice in a sentence, 其中 twice in a paragraph, a rate printed "12.0%".
fn assert_chinese_conventions(body: &str) {
    assert!(body.matches("我国").count() <= 1, "我国 more than once:\n{body}");
    for sentence in body.split('。') {
        assert!(sentence.matches("分别").count() <= 1, "分别 twice in `{sentence}`");
    }
    for paragraph in body.lines() {
        assert!(paragraph.matches("其中").count() <= 1, "其中 twice in `{paragraph}`");
    }
    assert!(
        !body.contains(".0%") && !body.contains(".0个百分点") && !body.contains(".0倍"),
        "a whole number with .0:\n{body}"
    );
}

/// The U.S. data in Chinese: another reporter keeps its name (美国, never 我), and a full year is
/// compared with the year before ("比2020年", "比上年"), its features announced for "2021年".
#[test]
fn us_bulletins_in_chinese() {
    let r = run(&["generate", "--data", "data/us-census", "--period", "2019-07", "--lang", "zh"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains('我'), "{}", r.stdout);
    for figure in [
        // Values in full: the month's balance, derived from them, is as good as they are.
        "7月份，进出口3516.7亿美元，增长0.3%。其中，出口1332亿美元，下降0.5%；进口2184.7亿美元，增长0.7%；\
         贸易逆差852.7亿美元，扩大2.7%。",
        "**一、对墨西哥和日本进出口增长，对加拿大和中国进出口下降**。",
        "与日本进出口1290.7亿美元，增长3.8%，占5.4%。",
        "7月进出口规模为1987年有数据以来同月最高。",
    ] {
        assert!(r.stdout.contains(figure), "missing `{figure}` in:\n{}", r.stdout);
    }
    golden("us-census-2019-07-zh.md", &r.stdout);
    let r = run(&["generate", "--data", "data/us-census", "--period", "2021-12", "--lang", "zh"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for figure in [
        "2021年，美国货物贸易进出口总值4.59万亿美元，比2020年（下同）增长22%。",
        "\n2021年美国外贸进出口主要呈现以下特点：\n",
        "占美国外贸总值的14.5%，比上年提升0.5个百分点；",
    ] {
        assert!(r.stdout.contains(figure), "missing `{figure}` in:\n{}", r.stdout);
    }
    assert!(!r.stdout.contains("同比增长22") && !r.stdout.contains("去年同期"), "{}", r.stdout);
    // The largest partner fell: its figures come with its rank, once, and its exports and
    // imports after the other falling partner's, without a 其中 that would point at that one.
    let r = run(&["generate", "--data", "data/us-census", "--period", "2001-09", "--lang", "zh"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("加拿大为美国第一大贸易伙伴，美国与加拿大进出口2914.2亿美元，下降4.8%，"),
        "{}",
        r.stdout
    );
    assert_eq!(r.stdout.matches("2914.2亿美元").count(), 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("。对加拿大出口1250亿美元，下降7.2%；自加拿大进口1664.2亿美元，下降2.9%。"),
        "{}",
        r.stdout
    );
}

#[test]
fn all_languages_are_written_side_by_side() {
    let out = common::scratch("lang-all");
    let r = run(&["--lang", "all", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(common::bulletins(&out), ["china-2019-2019-07-en.md", "china-2019-2019-07-zh.md"]);
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

/// A web page is one file: nothing fetched from anywhere, no script; its charts are well-formed SVG.
fn self_contained(html: &str) {
    for banned in ["<script", "<link", "<img", "<iframe", "url(", "@import", "src="] {
        assert!(!html.contains(banned), "the page has `{banned}`");
    }
    assert_eq!(html.matches("http").count(), html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count());
    for svg in html.split("<svg").skip(1) {
        let svg = format!("<svg{}</svg>", svg.split("</svg>").next().unwrap());
        let mut reader = quick_xml::Reader::from_str(&svg);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("a chart is not well-formed SVG: {e}\n{svg}"),
            }
        }
    }
}

/// The page's figures, each as its text.
fn figures(html: &str) -> Vec<&str> {
    html.split("<figure>").skip(1).map(|f| f.split("</figure>").next().unwrap()).collect()
}

#[test]
fn us_bulletin_as_a_web_page() {
    let r = run(&["generate", "--data", "data/us-census", "--period", "2019-07", "--format", "html"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = &r.stdout;
    // The balance says what happened to it, not a signed amount and a bare rate.
    assert!(html.contains(
        "<tr><th scope=\"row\">Trade deficit</th><td>$495.42 billion</td><td>deficit widened 3.0%</td></tr>"
    ));
    self_contained(html);
    let figures = figures(html);
    assert_eq!(figures.len(), 3, "the trend, partners, partner groups");
    assert!(
        figures[0]
            .contains("<strong>The United States&#39; monthly exports and imports, July 2017 to July 2019</strong>")
    );
    // Partners in order of value, China's fall drawn as such.
    let partners = figures[1];
    let at = |name: &str| partners.find(&format!(">{name}</text>")).unwrap_or_else(|| panic!("no {name}"));
    assert!(at("Mexico") < at("Canada") && at("Canada") < at("China") && at("China") < at("Japan"));
    assert!(partners.contains(">−13.6%</text>"));
    assert!(!figures[2].contains(">China<") && figures[2].contains(">Europe</text>"));
    golden("us-census-2019-07-en.html", html);
}

#[test]
fn china_bulletin_as_a_web_page_in_chinese() {
    let r = run(&["generate", "--lang", "zh", "--format", "html"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = &r.stdout;
    assert!(html.contains("<tr><th scope=\"row\">贸易顺差</th><td>1.55万亿元</td><td>顺差扩大47.4%</td></tr>"));
    self_contained(html);
    // One chart per dimension: partners, the partner group, the enterprise type, the products,
    // never together (ordinary trade, given by its rates alone, has no value to draw).
    let figures = figures(html);
    assert_eq!(figures.len(), 5);
    assert!(figures[4].contains(">机电产品</text>") && !figures[4].contains("原油"));
    assert!(figures[1].contains(">美国</text>") && !figures[1].contains("民营企业"));
    assert!(figures[2].contains("“一带一路”沿线国家</text>") && !figures[2].contains("美国"));
    assert!(figures[3].contains(">民营企业</text>") && !figures[3].contains("欧盟"));
    // The months the data lacks are gaps: a dot for each flow of the two months it has (and two
    // in the legend), and no line, which would join them across the gap.
    assert_eq!(figures[0].matches("<circle").count(), 2 + 2 * 2 + 2 * 2, "{}", figures[0]);
    assert!(!figures[0].contains("<polyline"));
    golden("china-2019-2019-07-zh.html", html);
}

/// The Census style: the month's balance leads, dollars before percent, billions to one decimal,
/// balances listed by country, and what the figures are.
#[test]
fn us_census_style_bulletins() {
    for (period, expected) in [
        (
            "2019-07",
            &[
                "# U.S. goods deficit widens to $85.3 billion in July 2019",
                "The goods deficit was $85.3 billion in July 2019, up $2.2 billion, or 2.7 percent, from July 2018.",
                "July exports were $133.2 billion, $0.6 billion less than in July 2018.",
                "The figures are for goods on a Census basis and are not seasonally adjusted, so July is compared with July 2018 rather than with June.",
                "In the first seven months of 2019, the goods deficit increased $14.3 billion, or 3.0 percent, from the same period in 2018, to $495.4 billion.",
                "Imports increased $4.6 billion, or 0.3 percent, to $1,451.6 billion.",
                "Deficits were recorded in July, in billions of dollars, with China ($32.7), Mexico ($7.7), Germany ($6.9),",
                "Canada was the largest single-country market for U.S. exports in the first seven months of 2019",
            ][..],
        ),
        (
            "2020-04",
            &["The goods deficit was $71.3 billion in April 2020, down $2.8 billion, or 3.8 percent, from April 2019."]
                [..],
        ),
        ("2009-03", &["In the first quarter of 2009, the goods deficit decreased $83.8 billion, or 44.1 percent,"][..]),
        (
            "2021-12",
            &["In 2021, the goods deficit increased $167.5 billion, or 18.4 percent, from 2020, to $1,078.6 billion."]
                [..],
        ),
    ] {
        let r = run(&["--data", "data/us-census", "--rules", "us-census", "--period", period]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        for sentence in expected {
            assert!(r.stdout.contains(sentence), "{period}: missing `{sentence}` in:\n{}", r.stdout);
        }
        assert!(!r.stdout.contains("total trade") && !r.stdout.contains('%'), "{period}:\n{}", r.stdout);
        golden(&format!("us-census-style-{period}-en.md"), &r.stdout);
    }
    let r = run(&["--data", "data/us-census", "--rules", "us-census", "--period", "2019-07", "--lang", "zh"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    golden("us-census-style-2019-07-zh.md", &r.stdout);
}

/// The month-led style: the month, its five largest partners with shares, the largest market and
/// source, the groups, the year to date.
#[test]
fn month_led_bulletins() {
    let r = run(&["--data", "data/us-census", "--rules", "monthly", "--period", "2019-07"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for sentence in [
        "# The United States' foreign trade increases 0.3% in July 2019",
        "The United States' five largest single-country trading partners in July were Mexico (14.8% of total trade), Canada (14.3%), China (14.2%), Japan (5.5%) and Germany (4.5%).",
        "Among groups of partners, Asia accounted for 38.1% of trade in July (down 3.2%)",
        "In the first seven months of 2019, the country's trade",
    ] {
        assert!(r.stdout.contains(sentence), "missing `{sentence}` in:\n{}", r.stdout);
    }
    golden("monthly-us-census-2019-07-en.md", &r.stdout);
    let zh = run(&["--data", "data/us-census", "--rules", "monthly", "--period", "2019-07", "--lang", "zh"]);
    assert_eq!(zh.code, 0, "{}", zh.stderr);
    golden("monthly-us-census-2019-07-zh.md", &zh.stdout);
    let china = run(&["--rules", "monthly", "--period", "2019-07"]);
    assert_eq!(china.code, 0, "{}", china.stderr);
    golden("monthly-china-2019-2019-07-en.md", &china.stdout);
}

/// A name declared plural takes a plural verb: the issue's "The countries along the Belt and Road
/// was China's largest ...", from a rule naming the largest group of partners.
#[test]
fn a_plural_name_takes_a_plural_verb() {
    let dir = common::scratch("plural-rules");
    let rules = dir.join("rules.yaml");
    std::fs::write(
        &rules,
        "dimensions: [partner_group]\nsections: [partners]\nrules:\n  - id: largest_group\n    section: partners\n    \
         over: { dimension: partner_group, flow: total, basis: ytd }\n    when: \"rank_value == 1\"\n    template: largest_partner\n",
    )
    .unwrap();
    // Consecutive months take the sentence's two phrasings: the one with a verb to agree, and not
    // the other, and neither with a singular verb.
    let mut agreed = 0;
    for period in ["2019-06", "2019-07"] {
        let r = run(&["--rules", rules.to_str().unwrap(), "--period", period]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        agreed +=
            r.stdout.contains("The countries along the Belt and Road were China's largest trading partners") as u32;
        assert!(!r.stdout.contains("Belt and Road was"), "{}", r.stdout);
    }
    assert_eq!(agreed, 1);
}

/// The whole release from GACC's tables in US dollars (data/china-customs-2019, made by `import
/// gacc`): trade modes, enterprise types (imports) and bulk commodities with quantities and
/// average prices. tests/gacc.rs checks every figure against the tables.
#[test]
fn china_customs_bulletins_for_2019() {
    for lang in ["en", "zh"] {
        let r = run(&["--data", "data/china-customs-2019", "--period", "2019-12", "--lang", lang]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let paragraphs = r.stdout.split("\n\n").count();
        assert_eq!(
            paragraphs, 8,
            "headline, totals, the month, the announcement, trade modes, enterprises, products, source:\n{}",
            r.stdout
        );
        golden(&format!("china-customs-2019-2019-12-{lang}.md"), &r.stdout);
    }
}
