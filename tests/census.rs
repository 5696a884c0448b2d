//! The U.S. dataset against the Census file itself: the shipped data is what `import` makes of it,
//! and the bulletin's figures match sums computed here independently, in floating point, from
//! the raw spreadsheet rows.

mod common;
use common::{run, scratch, shared};
use rust_decimal::prelude::ToPrimitive;
use std::collections::HashMap;
use std::path::Path;
use tradescribe::dataset::{Basis, Dataset, Flow};
use tradescribe::stats::Stats;

#[test]
fn import_reproduces_the_shipped_dataset_byte_for_byte() {
    let out = scratch("census-import");
    let file = shared().join("data/us-census-country/country.csv");
    let r = run(&["import", "census-country", file.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("wrote 188446 rows through 2022-01"), "{}", r.stderr);
    for name in ["trade.csv", "dataset.yaml"] {
        let made = std::fs::read(out.join(name)).unwrap();
        let shipped = std::fs::read(Path::new("data/us-census").join(name)).unwrap();
        assert!(made == shipped, "data/us-census/{name} is not what the import makes: re-run the import");
    }
}

#[test]
fn import_of_a_file_that_is_not_the_census_layout_names_the_column() {
    let dir = scratch("census-bad");
    let file = dir.join("country.csv");
    std::fs::write(&file, "year,CTY_CODE,CTYNAME,IJAN\n2019,0015,World,1\n").unwrap();
    let r = run(&["import", "census-country", file.to_str().unwrap(), "--out", dir.join("out").to_str().unwrap()]);
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains(&format!("{}:1: field `IFEB`: missing column", file.display())), "{}", r.stderr);
    assert!(!dir.join("out").exists(), "nothing is written");
}

/// (code, year) -> (imports by month, exports by month), straight from the raw file.
type Raw = HashMap<(String, i32), ([f64; 12], [f64; 12])>;

fn raw() -> Raw {
    let mut rdr = csv::Reader::from_path(shared().join("data/us-census-country/country.csv")).unwrap();
    let mut out = HashMap::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let num = |i: usize| rec[i].parse::<f64>().unwrap();
        let imports: [f64; 12] = std::array::from_fn(|m| num(3 + m));
        let exports: [f64; 12] = std::array::from_fn(|m| num(16 + m));
        out.insert((rec[1].to_string(), rec[0].parse().unwrap()), (imports, exports));
    }
    out
}

/// Exports plus imports of a Census code, January through `months`.
fn trade(raw: &Raw, code: &str, year: i32, months: usize) -> f64 {
    let (i, e) = &raw[&(code.to_string(), year)];
    i[..months].iter().sum::<f64>() + e[..months].iter().sum::<f64>()
}

#[test]
fn figures_match_the_census_file() {
    let raw = raw();
    let ds = Dataset::load(Path::new("data/us-census")).unwrap();
    // (period, Census code, member id in the dataset)
    for (period, code, member) in [
        ("2019-07", "0015", None),
        ("2019-07", "5700", Some("china")),
        ("2019-07", "2010", Some("mexico")),
        ("2019-07", "1220", Some("canada")),
        ("2009-03", "0015", None),
        ("2020-04", "5700", Some("china")),
        ("2021-12", "4280", Some("germany")),
    ] {
        let p: tradescribe::dataset::Period = period.parse().unwrap();
        let stats = Stats::compute(&ds, p).unwrap();
        let months = p.month as usize;
        let now = trade(&raw, code, p.year, months);
        let before = trade(&raw, code, p.year - 1, months);
        let world = trade(&raw, "0015", p.year, months);
        let fig = match member {
            None => stats.total(Flow::Total, Basis::Ytd).unwrap(),
            Some(m) => stats.get("partner", m, Flow::Total, Basis::Ytd).unwrap(),
        };
        let f = |d: rust_decimal::Decimal| d.to_f64().unwrap();
        assert!((f(fig.value) - now).abs() < 0.01, "{period} {code}: {} vs {now}", fig.value);
        let growth = (now - before) / before * 100.0;
        assert!((f(fig.yoy_pct.unwrap()) - growth).abs() < 1e-6, "{period} {code} growth");
        if member.is_some() {
            assert!((f(fig.share_pct.unwrap()) - now / world * 100.0).abs() < 1e-6, "{period} {code} share");
        }
    }
    // The figures the issue names: total goods trade about $2.41 trillion, down 0.2%; China down 13.6%.
    let (total, total_prior) = (trade(&raw, "0015", 2019, 7), trade(&raw, "0015", 2018, 7));
    assert_eq!(format!("{:.2}", total / 1e6), "2.41");
    assert_eq!(format!("{:.1}", (total - total_prior) / total_prior * 100.0), "-0.2");
    let (china, china_prior) = (trade(&raw, "5700", 2019, 7), trade(&raw, "5700", 2018, 7));
    assert_eq!(format!("{:.1}", (china - china_prior) / china_prior * 100.0), "-13.6");
}
