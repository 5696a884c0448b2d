//! The China customs dataset in US dollars against GACC's tables themselves: the shipped data is
//! what `import gacc` makes of `data/sources/gacc-*`, and the figures of the shipped bulletins
//! match sums and rates computed here independently, in floating point, from the raw table rows.

mod common;
use common::{run, scratch, sources};
use std::collections::HashMap;
use std::path::Path;

#[test]
fn import_reproduces_the_shipped_dataset_byte_for_byte() {
    let out = scratch("gacc-import");
    let r = run(&["import", "gacc", sources().to_str().unwrap(), "--year", "2019", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("wrote 201 rows through 2019-12"), "{}", r.stderr);
    for name in ["trade.csv", "dataset.yaml"] {
        let made = std::fs::read(out.join(name)).unwrap();
        let shipped = std::fs::read(Path::new("data/china-customs-2019").join(name)).unwrap();
        assert!(made == shipped, "data/china-customs-2019/{name} is not what the import makes: re-run the import");
    }
}

#[test]
fn an_import_of_a_table_in_another_layout_names_the_column_and_writes_nothing() {
    let dir = scratch("gacc-bad");
    for folder in ["gacc-enterprise-regime", "gacc-commodities"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
    }
    std::fs::write(
        dir.join("gacc-enterprise-regime/gacc_customs_regime_totals_table5.csv"),
        "period_start,period_end,flow,customs_regime,value\n2019-01,2019-12,export,TOTAL,1\n",
    )
    .unwrap();
    let out = dir.join("out");
    let r = run(&["import", "gacc", dir.to_str().unwrap(), "--year", "2019", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let file = dir.join("gacc-enterprise-regime/gacc_customs_regime_totals_table5.csv");
    assert!(
        r.stderr.contains(&format!("{}:1: field `value_usd_thousand`: missing column", file.display())),
        "{}",
        r.stderr
    );
    assert!(!out.exists(), "nothing is written");
    // The importer reads one folder of a year; --year is its alone.
    let r = run(&["import", "gacc", dir.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("the gacc importer reads one folder"), "{}", r.stderr);
    let r = run(&["import", "census-country", "x.csv", "--year", "2019", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--year is for the gacc importer, not census-country"), "{}", r.stderr);
}

/// The rows of a transcribed table, as maps from column to cell.
fn table(path: &str) -> Vec<HashMap<String, String>> {
    let mut rdr = csv::Reader::from_path(sources().join(path)).unwrap();
    let headers = rdr.headers().unwrap().clone();
    rdr.records().map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, c)| (h.into(), c.into())).collect()).collect()
}

fn num(s: &str) -> f64 {
    s.parse().unwrap()
}

/// (value, published rate) of a cell of table 5 or 7.
fn cell(rows: &[HashMap<String, String>], start: &str, end: &str, flow: &str, regime: &str, kind: &str) -> (f64, f64) {
    let r = rows
        .iter()
        .find(|r| {
            r["period_start"] == start
                && r["period_end"] == end
                && r["flow"] == flow
                && r["customs_regime"] == regime
                && r["enterprise_type"] == kind
        })
        .unwrap_or_else(|| panic!("no cell {start} {end} {flow} {regime} {kind}"));
    (num(&r["value_usd_thousand"]), num(&r["yoy_pct"]))
}

/// A value and the value a year earlier that its rate implies.
fn with_prior((v, g): (f64, f64)) -> (f64, f64) {
    (v, v / (1.0 + g / 100.0))
}

fn sum(parts: &[(f64, f64)]) -> (f64, f64) {
    parts.iter().fold((0.0, 0.0), |(a, b), (v, p)| (a + v, b + p))
}

fn growth((v, p): (f64, f64)) -> f64 {
    (v / p - 1.0) * 100.0
}

/// Thousands of dollars as the English bulletin writes them: `$4.58 trillion`, `$531.78 billion`.
fn usd(thousands: f64) -> String {
    let dollars = thousands * 1000.0;
    let (x, word) = if dollars >= 1e12 { (dollars / 1e12, "trillion") } else { (dollars / 1e9, "billion") };
    let text = format!("{x:.2}");
    format!("${} {word}", text.trim_end_matches('0').trim_end_matches('.'))
}

/// `9.5%`, `1.0%`: a rate's size as printed.
fn pct(g: f64) -> String {
    format!("{:.1}%", g.abs())
}

#[test]
fn the_2019_bulletin_states_the_tables_figures() {
    let t5 = table("gacc-enterprise-regime/gacc_customs_regime_totals_table5.csv");
    let t7 = table("gacc-enterprise-regime/gacc_enterprise_type_by_customs_regime.csv");
    let r = run(&["--data", "data/china-customs-2019", "--period", "2019-12"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = r.stdout;
    let has = |s: String| assert!(text.contains(&s), "missing `{s}` in:\n{text}");
    let (ytd, dec) = (("2019-01", "2019-12"), ("2019-12", "2019-12"));
    let regime = |(s, e): (&str, &str), flow: &str, name: &str| with_prior(cell(&t5, s, e, flow, name, "total"));
    let both = |p: (&str, &str), names: &[&str]| {
        let parts: Vec<(f64, f64)> =
            names.iter().flat_map(|n| [regime(p, "export", n), regime(p, "import", n)]).collect();
        sum(&parts)
    };
    // The total: exports plus imports, its growth from the year-earlier values the rates imply.
    let total = both(ytd, &["TOTAL"]);
    has(format!("{} from a year earlier to {} in 2019", pct(growth(total)), usd(total.0)));
    let month = both(dec, &["TOTAL"]);
    has(format!("Trade in December alone increased {} to {}", pct(growth(month)), usd(month.0)));
    // Ordinary trade with its share of the total and the change in it, then its flows.
    let ordinary = both(ytd, &["Ordinary Trade"]);
    let share = ordinary.0 / total.0 * 100.0;
    let change = share - ordinary.1 / total.1 * 100.0;
    has(format!(
        "Ordinary trade grew {} to {}, accounting for {share:.1}% of the total, up {change:.1} percentage points.",
        pct(growth(ordinary)),
        usd(ordinary.0)
    ));
    let (oe, oi) = (
        cell(&t5, ytd.0, ytd.1, "export", "Ordinary Trade", "total"),
        cell(&t5, ytd.0, ytd.1, "import", "Ordinary Trade", "total"),
    );
    has(format!(
        "Its exports rose {} to {}, while its imports decreased {} to {}.",
        pct(oe.1),
        usd(oe.0),
        pct(oi.1),
        usd(oi.0)
    ));
    let processing = both(ytd, &["Processing and Assembling", "Processing with Imported Materials"]);
    has(format!(
        "processing trade fell {} to {} ({:.1}% of the total)",
        pct(growth(processing)),
        usd(processing.0),
        processing.0 / total.0 * 100.0
    ));
    let bonded = both(ytd, &["Customs Warehousing Trade", "Logistics goods by customs special control area"]);
    has(format!(
        "bonded logistics increased {} to {} ({:.1}%)",
        pct(growth(bonded)),
        usd(bonded.0),
        bonded.0 / total.0 * 100.0
    ));
    // Enterprise types: imports (table 7), each with its published rate and share of imports.
    let imports = cell(&t7, ytd.0, ytd.1, "import", "TOTAL", "total").0;
    let kind = |k: &str| cell(&t7, ytd.0, ytd.1, "import", "TOTAL", k);
    let (fie, poe, soe) = (kind("FIE"), kind("POE"), kind("SOE"));
    has(format!(
        "Imports by foreign-invested enterprises fell {} to {}, accounting for {:.1}% of imports, the largest share of any type of enterprise.",
        pct(fie.1),
        usd(fie.0),
        fie.0 / imports * 100.0
    ));
    has(format!(
        "imports by private enterprises increased {} to {} ({:.1}% of imports)",
        pct(poe.1),
        usd(poe.0),
        poe.0 / imports * 100.0
    ));
    has(format!(
        "those by state-owned enterprises declined {} to {} ({:.1}%)",
        pct(soe.1),
        usd(soe.0),
        soe.0 / imports * 100.0
    ));
    // Private enterprises' imports grew fastest of all four types.
    let fastest = ["SOE", "FIE", "POE", "Other"]
        .iter()
        .map(|k| (kind(k).1, *k))
        .fold((f64::MIN, ""), |a, b| if b.0 > a.0 { b } else { a });
    assert_eq!(fastest.1, "POE");
    has("Private enterprises ranked first among all types of enterprises by the growth of their imports.".into());
}

/// A commodity of table 18 for a year to date: (value, implied value a year earlier, quantity,
/// implied quantity a year earlier), summed over its customs regimes.
fn commodity(rows: &[HashMap<String, String>], label: &str, name: &str) -> (f64, f64, f64, f64) {
    let mut out = (0.0, 0.0, 0.0, 0.0);
    for r in rows.iter().filter(|r| r["table_period_label"] == label && r["commodity"] == name) {
        if r["value_usd_thousand"].is_empty() {
            continue; // "-": no trade
        }
        let (v, q) = (num(&r["value_usd_thousand"]), num(&r["quantity"]));
        out.0 += v;
        out.1 += v / (1.0 + num(&r["value_yoy_pct"]) / 100.0);
        out.2 += q;
        out.3 += q / (1.0 + num(&r["quantity_yoy_pct"]) / 100.0);
    }
    out
}

#[test]
fn bulk_commodities_are_stated_with_quantity_and_average_price() {
    let t18 = table("gacc-commodities/gacc_table18_imports_by_regime.csv");
    let en = run(&["--data", "data/china-customs-2019", "--period", "2019-12"]).stdout;
    let zh = run(&["--data", "data/china-customs-2019", "--period", "2019-12", "--lang", "zh"]).stdout;
    // The full year's quantities as gacc-commodities/PROVENANCE.txt sums them (million tonnes).
    for (name, en_name, zh_name, million_tonnes) in [
        ("Crude petroleum oil", "crude oil", "原油", 505.71),
        ("Iron ores and concentrates", "iron ore", "铁矿砂", 1068.95),
        ("Petroleum gases and other gaseous hydrocabons", "natural gas", "天然气", 96.57),
        ("Soya beans", "soybeans", "大豆", 88.51),
    ] {
        let (v, pv, q, pq) = commodity(&t18, "2019-12", name);
        assert!((q / 100.0 - million_tonnes).abs() < 1e-9, "{name}: {q}");
        let q_growth = (q / pq - 1.0) * 100.0;
        let price = ((v / q) / (pv / pq) - 1.0) * 100.0;
        let tonnes = if million_tonnes >= 1000.0 {
            format!("{:.2} billion tonnes", million_tonnes / 1000.0)
        } else {
            format!("{million_tonnes} million tonnes")
        };
        let said = format!("Imports of {en_name} ");
        let at = en.find(&said).unwrap_or_else(|| panic!("no `{said}` in:\n{en}"));
        let end = en[at..].find(". ").or_else(|| en[at..].find(".\n")).unwrap();
        let sentence = &en[at..=at + end];
        assert!(sentence.contains(&format!("{} to {tonnes}", pct(q_growth))), "{name}: `{sentence}`");
        assert!(sentence.contains(&pct(price)), "{name}: price {price:.3} in `{sentence}`");
        // The same in Chinese: 亿吨 to two decimals, 万吨 to one; 增加/减少, 上涨/下跌.
        let wan = q; // 10,000 tonnes
        let amount = if wan >= 10_000.0 {
            format!("{}亿吨", format!("{:.2}", wan / 10_000.0).trim_end_matches('0').trim_end_matches('.'))
        } else {
            format!("{}万吨", format!("{wan:.1}").trim_end_matches('0').trim_end_matches('.'))
        };
        let (qv, pv_) = (if q_growth >= 0.0 { "增加" } else { "减少" }, if price >= 0.0 { "上涨" } else { "下跌" });
        let want = format!("{zh_name}{amount}，{qv}{}，进口均价{pv_}{}", pct(q_growth), pct(price));
        assert!(zh.contains(&want), "missing `{want}` in:\n{zh}");
    }
    // The largest by value first: crude oil, iron ore, natural gas, soybeans; fuel oil (fifth) left out.
    let order: Vec<usize> = ["crude oil", "iron ore", "natural gas", "soybeans"]
        .iter()
        .map(|n| en.find(&format!("Imports of {n} ")).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{en}");
    assert!(!en.contains("fuel oil"), "{en}");
}

#[test]
fn the_implied_growth_agrees_with_the_published_one() {
    // Reuters and Platts (8 August 2019) reported GACC's figure: crude oil imports of Jan-Jul 2019
    // rose 9.5% to 285.64 million tonnes. The dataset's rows for Jan-Jul, summed over regimes and
    // with a year earlier implied by the regimes' rates, give the same.
    let mut rdr = csv::Reader::from_path("data/china-customs-2019/trade.csv").unwrap();
    let mut q = HashMap::new();
    for r in rdr.records() {
        let r = r.unwrap();
        if &r[3] == "product" && &r[4] == "crude_oil" && &r[1] == "ytd" {
            q.insert(r[0].to_string(), num(&r[7]));
        }
    }
    let (now, before) = (q["2019-07"], q["2018-07"]);
    assert_eq!(
        format!("{:.2} million tonnes, up {:.1}%", now / 100.0, (now / before - 1.0) * 100.0),
        "285.64 million tonnes, up 9.5%"
    );
}

#[test]
fn a_published_rate_wins_over_one_implied() {
    // January-August 2019: table (3) publishes total trade's growth in dollars, -2.0%; the
    // exports and imports of table 5 with the year earlier their rates imply give -1.94%, which
    // would print as -1.9%. The bulletin states the published rate.
    let t5 = table("gacc-enterprise-regime/gacc_customs_regime_totals_table5.csv");
    let part = |flow: &str| with_prior(cell(&t5, "2019-01", "2019-08", flow, "TOTAL", "total"));
    let implied = growth(sum(&[part("export"), part("import")]));
    assert_eq!(format!("{implied:.1}"), "-1.9");
    let r = run(&["--data", "data/china-customs-2019", "--period", "2019-08"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("fell 2.0% from a year earlier to $2.95 trillion"), "{}", r.stdout);
    assert!(r.stdout.contains("Ordinary trade decreased 0.4% to $1.77 trillion"), "{}", r.stdout);
}

/// The customs bulletin for 2019, written to `name` in `lang` as Markdown, with `from` edited to `to`.
fn edited(name: &str, lang: &str, from: &str, to: &str) -> std::path::PathBuf {
    let out = scratch(name);
    let r =
        run(&["--data", "data/china-customs-2019", "--lang", lang, "--format", "md", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let file = out.join(format!("china-customs-2019-2019-12-{lang}.md"));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(from), "{from} in {text}");
    std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
    file
}

#[test]
fn verify_reads_quantities_prices_trade_modes_and_enterprise_types() {
    let verify = |file: &Path| run(&["verify", "--data", "data/china-customs-2019", file.to_str().unwrap()]);
    // A press officer's rewording with the right figures passes, a quantity rounded by hand too.
    for (lang, from, to) in [
        (
            "en",
            "Imports of crude oil grew 9.5% to 505.71 million tonnes, and the average import price fell 8.3%.",
            "Crude oil imports climbed 9.5 percent to 506 million tonnes, while their average price fell 8.3%.",
        ),
        ("zh", "进口原油5.06亿吨", "进口原油5.1亿吨"),
    ] {
        let r = verify(&edited(&format!("gacc-verify-ok-{lang}"), lang, from, to));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains("1 worded otherwise with their figures checked"), "{}", r.stderr);
    }
    // A quantity in another unit or scale, a price going the other way, a changed share or growth
    // of a trade mode or an enterprise type: each is a figure the data does not give.
    for (lang, from, to, figure) in [
        ("en", "505.71 million tonnes", "505.71 million barrels", "gives 505.71 million barrels, a figure"),
        ("en", "505.71 million tonnes", "505.71 billion tonnes", "gives 505.71 billion tonnes, a figure"),
        (
            "en",
            "import price fell 8.3%",
            "import price rose 8.3%",
            "gives 8.3%, a figure the data does not give for it in that direction",
        ),
        ("en", "Ordinary trade grew 1.0%", "Ordinary trade grew 1.5%", "gives 1.5%, a figure"),
        ("en", "accounting for 41.3% of imports", "accounting for 43.1% of imports", "gives 43.1%, a figure"),
        (
            "zh",
            "进口均价下跌8.3%",
            "进口均价上涨8.3%",
            "gives 8.3%, a figure the data does not give for it in that direction",
        ),
        ("zh", "5.06亿吨", "5.06万吨", "gives 5.06万吨, a figure"),
        ("zh", "9657万吨", "9657万桶", "gives 9657万桶, a figure"),
    ] {
        let r = verify(&edited("gacc-verify-bad", lang, from, to));
        assert_eq!(r.code, 7, "{to}: {}", r.stderr);
        assert!(r.stderr.contains(figure), "{to}: {}", r.stderr);
    }
}
