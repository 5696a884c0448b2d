//! Quantities, average prices, rows that give published figures without a value, and provenance
//! columns: exact figures from `tests/fixtures/quantities` (synthetic), computed here by hand,
//! and the errors a row or a unit can make.

mod common;
use common::{run, scratch};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use tradescribe::dataset::{Basis, Dataset, Flow, Spec};
use tradescribe::stats::{RateSource, Stats};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn stats() -> Stats {
    let ds = Dataset::load(Path::new("tests/fixtures/quantities")).unwrap();
    Stats::compute(&ds, "2019-12".parse().unwrap()).unwrap()
}

/// `a` rounded to 20 decimals is `b`: quotients run to 28 digits.
fn close(a: Option<Decimal>, b: &str) {
    assert_eq!(a.map(|a| a.round_dp(20)), Some(d(b)), "{a:?} against {b}");
}

#[test]
fn a_quantity_gives_its_change_the_average_price_and_its_change() {
    let s = stats();
    let oil = s.get("product", "oil", Flow::Import, Basis::Ytd).unwrap();
    assert_eq!((oil.quantity, oil.prior_quantity), (Some(d("5000")), Some(d("4500"))));
    assert_eq!(oil.quantity_unit.unwrap().to_string(), "10000 t");
    // 5000 / 4500 - 1
    close(oil.quantity_yoy_pct, "11.11111111111111111111");
    assert_eq!(oil.quantity_yoy_source, Some(RateSource::Derived));
    // $24,000,000 thousand for 50 million tonnes: $480 a tonne; a year earlier $22 billion for
    // 45 million tonnes, $488.89: a fall of 1.8%.
    assert_eq!(oil.unit_price, Some(d("480")));
    close(oil.unit_price_yoy_pct, "-1.81818181818181818182");
    assert_eq!(oil.share_pct, Some(d("30")));
    // The published change in quantity wins; without a year-earlier value there is no price change.
    let ore = s.get("product", "ore", Flow::Import, Basis::Ytd).unwrap();
    assert_eq!((ore.quantity_yoy_pct, ore.quantity_yoy_source), (Some(d("3.0")), Some(RateSource::Published)));
    assert_eq!((ore.unit_price, ore.unit_price_yoy_pct), (Some(d("100")), None));
    // A member without a quantity has none of these figures.
    let processing = s.get("trade_mode", "processing", Flow::Total, Basis::Ytd).unwrap();
    assert_eq!((processing.quantity, processing.quantity_unit, processing.unit_price), (None, None, None));
}

#[test]
fn a_row_without_a_value_is_stated_as_published_and_nothing_is_derived() {
    let s = stats();
    let ordinary = s.get("trade_mode", "ordinary", Flow::Total, Basis::Ytd).unwrap();
    assert_eq!(ordinary.value, None);
    assert_eq!(
        (ordinary.yoy_pct, ordinary.yoy_source, ordinary.share_pct, ordinary.share_change_pp),
        (Some(d("5.7")), Some(RateSource::Published), Some(d("59.8")), Some(d("0.8")))
    );
    assert_eq!(
        (ordinary.gap_pp, ordinary.contribution_pp, ordinary.rank_value, ordinary.rank_growth),
        (None, None, None, None)
    );
    // Its neighbour is ranked among the members with a value only.
    let processing = s.get("trade_mode", "processing", Flow::Total, Basis::Ytd).unwrap();
    assert_eq!((processing.rank_value, processing.ranked_value, processing.ranked_growth), (Some(1), 1, 1));
    // A quantity without a value: the quantity and its published change, no price.
    let coal = s.get("product", "coal", Flow::Import, Basis::Ytd).unwrap();
    assert_eq!((coal.value, coal.quantity, coal.quantity_yoy_pct), (None, Some(d("2500")), Some(d("9.5"))));
    assert_eq!((coal.unit_price, coal.yoy_pct, coal.share_pct), (None, None, None));
}

#[test]
fn provenance_columns_are_cited_with_the_rows() {
    let s = stats();
    let mut oil = s.get("product", "oil", Flow::Import, Basis::Ytd).unwrap().clone();
    s.meta.cite(&mut oil);
    assert_eq!(oil.rows, ["tests/fixtures/quantities/trade.csv:6", "tests/fixtures/quantities/trade.csv:7"]);
    assert_eq!(oil.provenance.len(), 1, "only the row with a source says where it was published");
    assert_eq!(oil.provenance[0].row, "tests/fixtures/quantities/trade.csv:6");
    assert_eq!(oil.provenance[0].source_url.as_deref(), Some("http://example.test/oil"));
    assert_eq!(oil.provenance[0].note.as_deref(), Some("synthetic"));
    let json = serde_json::to_value(&oil).unwrap();
    assert_eq!(json["provenance"][0]["source_url"], "http://example.test/oil");
    let mut ordinary = s.get("trade_mode", "ordinary", Flow::Total, Basis::Ytd).unwrap().clone();
    s.meta.cite(&mut ordinary);
    assert_eq!(ordinary.provenance[0].note.as_deref(), Some("published rates only"));
}

/// A dataset made in memory from `yaml` (a product dimension in 10,000 tonnes) and rows.
fn dataset(rows: &str) -> Result<Dataset, String> {
    dataset_with("period,basis,flow,dimension,member,value,quantity", rows)
}

/// [`dataset`], with the columns of `header`.
fn dataset_with(header: &str, rows: &str) -> Result<Dataset, String> {
    let yaml = "# SYNTHETIC: made up by tests/quantities.rs\nid: q\nreporter:\n  en: { name: T, possessive: \"T's\" }\n\
                currency: USD\nunit: 1\nsource:\n  en: synthetic (not official)\ndimensions:\n  product:\n\
                \x20   quantity_unit: 10000 t\n    members:\n      oil: { en: oil }\n";
    let dir = Path::new("q");
    let spec = Spec::parse(&dir.join("dataset.yaml"), yaml).map_err(|e| e.to_string())?;
    let csv = format!("{header}\n{rows}");
    let sources: Vec<(PathBuf, &[u8])> = vec![(dir.join("trade.csv"), csv.as_bytes())];
    Dataset::from_sources(dir, spec, sources).map_err(|e| e.to_string())
}

#[test]
fn a_year_to_date_quantity_is_the_sum_of_its_months() {
    let ds = dataset(
        "2019-01,month,import,total,all,10,\n2019-02,month,import,total,all,10,\n2019-01,month,export,total,all,1,\n2019-02,month,export,total,all,1,\n\
         2019-01,month,import,product,oil,3,1.5\n2019-02,month,import,product,oil,4,2.25\n",
    )
    .unwrap();
    let s = Stats::compute(&ds, "2019-02".parse().unwrap()).unwrap();
    let oil = s.get("product", "oil", Flow::Import, Basis::Ytd).unwrap();
    assert_eq!((oil.value, oil.quantity), (Some(d("7")), Some(d("3.75"))));
    // 7 dollars for 37,500 tonnes.
    close(oil.unit_price, "0.00018666666666666667");
    // A month without a quantity leaves the year to date without one, not with a part of it.
    let ds = dataset(
        "2019-01,month,import,total,all,10,\n2019-02,month,import,total,all,10,\n2019-01,month,export,total,all,1,\n2019-02,month,export,total,all,1,\n\
         2019-01,month,import,product,oil,3,1.5\n2019-02,month,import,product,oil,4,\n",
    )
    .unwrap();
    let s = Stats::compute(&ds, "2019-02".parse().unwrap()).unwrap();
    assert_eq!(s.get("product", "oil", Flow::Import, Basis::Ytd).unwrap().quantity, None);
}

#[test]
fn quantities_are_checked_where_they_are_read() {
    let e = dataset("2019-01,month,import,total,all,10,5\n").unwrap_err();
    assert!(e.contains("q/trade.csv:2: field `quantity`: `all` of `total` has no unit of quantity"), "{e}");
    let e = dataset("2019-01,month,import,product,oil,10,-5\n").unwrap_err();
    assert!(e.contains("field `quantity`: `-5` is not a possible quantity"), "{e}");
    let e = dataset("2019-01,month,balance,product,oil,10,5\n").unwrap_err();
    assert!(e.contains("field `quantity`: a balance has no quantity"), "{e}");
    let e = dataset("2019-01,month,import,product,oil,,\n").unwrap_err();
    assert!(e.contains("q/trade.csv:2: field `value`: is empty"), "{e}");
    // A quantity alone is a row: stated, with nothing derived from it.
    let ds = dataset(
        "2019-01,month,import,total,all,10,\n2019-01,month,export,total,all,1,\n2019-01,month,import,product,oil,,5\n",
    )
    .unwrap();
    let s = Stats::compute(&ds, "2019-01".parse().unwrap()).unwrap();
    let oil = s.get("product", "oil", Flow::Import, Basis::Month).unwrap();
    assert_eq!((oil.value, oil.quantity), (None, Some(d("5"))));
}

/// A dataset folder with `files`, listed in dataset.yaml in the order given: oldest first, so
/// that a later file revises an earlier one.
fn folder(name: &str, yaml_extra: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name);
    let listed = files.iter().map(|(f, _)| *f).collect::<Vec<_>>().join(", ");
    let yaml = format!(
        "# SYNTHETIC: made up by tests/quantities.rs\nid: q\nreporter:\n  en: {{ name: T, possessive: \"T's\" }}\n\
         currency: USD\nunit: 1\nsource:\n  en: synthetic (not official)\nfiles: [{listed}]\ndimensions:\n  product:\n{yaml_extra}\
         \x20   members:\n      oil: {{ en: oil }}\n"
    );
    std::fs::write(dir.join("dataset.yaml"), yaml).unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

#[test]
fn units_and_revisions_are_refused_with_the_file_and_the_field() {
    let dir = folder(
        "q-bad-unit",
        "    quantity_unit: 10000 tons\n",
        &[("a.csv", "period,basis,flow,dimension,member,value\n")],
    );
    let r = run(&["validate", "--data", dir.to_str().unwrap()]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("`10000 tons` is not a unit of quantity: unknown base unit"), "{}", r.stderr);
    let dir = folder(
        "q-bad-units",
        "    quantity_units: { gas: t }\n",
        &[("a.csv", "period,basis,flow,dimension,member,value\n")],
    );
    let r = run(&["validate", "--data", dir.to_str().unwrap()]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("dimension `product`: `quantity_units` names `gas`, which is not one of its members"),
        "{}",
        r.stderr
    );
    // A later file may give the value of a row that had none, not take one away.
    let header = "period,basis,flow,dimension,member,value,yoy_pct\n";
    let dir = folder(
        "q-withdrawn",
        "",
        &[
            ("a.csv", &format!("{header}2019-01,month,import,total,all,10,\n2019-01,month,import,product,oil,4,\n")),
            ("b.csv", &format!("{header}2019-01,month,import,product,oil,,3.0\n")),
        ],
    );
    let r = run(&["--data", dir.to_str().unwrap()]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let want = format!(
        "{}:2: field `value`: is empty where {}:3 gave a value",
        dir.join("b.csv").display(),
        dir.join("a.csv").display()
    );
    assert!(r.stderr.contains(&want), "{}", r.stderr);
    let dir = folder(
        "q-given",
        "",
        &[
            (
                "a.csv",
                &format!(
                    "{header}2019-01,month,import,total,all,10,\n2019-01,month,export,total,all,1,\n2019-01,month,import,product,oil,,3.0\n"
                ),
            ),
            ("b.csv", &format!("{header}2019-01,month,import,product,oil,4,\n")),
        ],
    );
    let ds = Dataset::load(&dir).unwrap();
    let s = Stats::compute(&ds, "2019-01".parse().unwrap()).unwrap();
    assert_eq!(s.get("product", "oil", Flow::Import, Basis::Month).unwrap().value, Some(d("4")));
    // The same row twice in one file, one with a value and one without, is a duplicate.
    let dir = folder(
        "q-twice",
        "",
        &[(
            "a.csv",
            &format!(
                "{header}2019-01,month,import,total,all,10,\n2019-01,month,import,product,oil,,3.0\n2019-01,month,import,product,oil,4,\n"
            ),
        )],
    );
    let r = run(&["--data", dir.to_str().unwrap()]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    // (Which of the two is named first depends on how the reader split the work; both are named.)
    assert!(r.stderr.contains("field `row`: duplicate of"), "{}", r.stderr);
    assert!(r.stderr.contains("a.csv:3") && r.stderr.contains("a.csv:4"), "{}", r.stderr);
}

#[test]
fn a_provenance_text_may_be_long_and_a_number_may_not() {
    let url = format!("http://example.test/{}", "a".repeat(1000));
    let ok = format!("period,basis,flow,dimension,member,value,source_url\n2019-01,month,import,total,all,10,{url}\n");
    let dir = folder("q-long-url", "", &[("a.csv", &ok)]);
    assert!(Dataset::load(&dir).is_ok());
    let bad = format!(
        "period,basis,flow,dimension,member,value,note\n2019-01,month,import,total,all,10,{}\n",
        "n".repeat(5000)
    );
    let dir = folder("q-long-note", "", &[("a.csv", &bad)]);
    let e = Dataset::load(&dir).unwrap_err().to_string();
    assert!(e.contains(":2: field `note`: is 5000 bytes long"), "{e}");
}

/// Exports and imports of the total and of oil, 2018-01 and 2019-01 (lines 2 to 7 of the file).
const PARTS: &str = "2018-01,month,export,total,all,100,,,,\n2018-01,month,import,total,all,100,,,,\n\
                     2019-01,month,export,total,all,110,,,,\n2019-01,month,import,total,all,90,,,,\n\
                     2019-01,month,export,product,oil,30,,,,\n2019-01,month,import,product,oil,20,,,,\n";
const RATED: &str = "period,basis,flow,dimension,member,value,yoy_pct,share_pct,quantity,quantity_yoy_pct";

#[test]
fn a_row_without_a_value_is_checked_against_the_value_its_parts_give() {
    // Trade of 200 in both years: a published 0.0% is right, 5.0% is not, though the row gives
    // no value (line 8), since exports and imports give it.
    assert!(dataset_with(RATED, &format!("{PARTS}2019-01,month,total,total,all,,0.0,,,\n")).is_ok());
    let e = dataset_with(RATED, &format!("{PARTS}2019-01,month,total,total,all,,5.0,,,\n")).unwrap_err();
    assert!(
        e.contains(
            "q/trade.csv:8: field `yoy_pct`: the published rate 5.0% is not the growth from 200 (q/trade.csv:2, \
             q/trade.csv:3) to 200 (the row gives none; from q/trade.csv:4, q/trade.csv:5)"
        ),
        "{e}"
    );
    // Oil's trade is 50 of 200: 25.0% is its share, 40.0% is not.
    assert!(dataset_with(RATED, &format!("{PARTS}2019-01,month,total,product,oil,,,25.0,,\n")).is_ok());
    let e = dataset_with(RATED, &format!("{PARTS}2019-01,month,total,product,oil,,,40.0,,\n")).unwrap_err();
    assert!(
        e.contains(
            "q/trade.csv:8: field `share_pct`: the published share 40.0% is not 50 (the row gives none; from \
             q/trade.csv:6, q/trade.csv:7) of the total 200"
        ),
        "{e}"
    );
    // Without oil's imports nothing gives its trade: the share is stated as published.
    let without_imports = PARTS.replace("2019-01,month,import,product,oil,20,,,,\n", "");
    let ds = dataset_with(RATED, &format!("{without_imports}2019-01,month,total,product,oil,,,40.0,,\n")).unwrap();
    let s = Stats::compute(&ds, "2019-01".parse().unwrap()).unwrap();
    assert_eq!(s.get("product", "oil", Flow::Total, Basis::Month).unwrap().share_pct, Some(d("40.0")));
}

#[test]
fn a_published_change_in_quantity_is_checked_against_the_quantities() {
    // Oil's imports: 2000 (in 10,000 tonnes) in 2018-01 (line 8), 2200 in 2019-01 (line 7).
    let rows = |rate: &str| {
        PARTS.replace(
            "2019-01,month,import,product,oil,20,,,,",
            &format!("2019-01,month,import,product,oil,20,,,2200,{rate}"),
        ) + "2018-01,month,import,product,oil,18,,,2000,\n"
    };
    // 2000 to 2200 is 10%: 10.0 is right, 12.0 is not.
    assert!(dataset_with(RATED, &rows("10.0")).is_ok());
    let e = dataset_with(RATED, &rows("12.0")).unwrap_err();
    assert!(
        e.contains(
            "q/trade.csv:7: field `quantity_yoy_pct`: the published change in quantity 12.0% is not the change from \
             2000 (q/trade.csv:8) to 2200 (q/trade.csv:7): the quantities give 10"
        ),
        "{e}"
    );
    // A year to date's quantity is the sum of its months (January's is January) where no row gives it.
    let ytd = |rate: &str| format!("{}2019-01,ytd,import,product,oil,,,,,{rate}\n", rows(""));
    assert!(dataset_with(RATED, &ytd("10.0")).is_ok());
    let e = dataset_with(RATED, &ytd("9.0")).unwrap_err();
    assert!(
        e.contains("q/trade.csv:9: field `quantity_yoy_pct`: the published change in quantity 9.0% is not the change"),
        "{e}"
    );
}
