//! The U.S. dataset against the Census file itself: the shipped data is what `import` makes of it,
//! and the bulletin's figures match sums computed here independently, in floating point, from
//! the raw spreadsheet rows.

mod common;
use common::{run, scratch, sources};
use rust_decimal::prelude::ToPrimitive;
use std::collections::HashMap;
use std::path::Path;
use tradescribe::dataset::{Basis, Dataset, Flow};
use tradescribe::stats::Stats;

#[test]
fn import_reproduces_the_shipped_dataset_byte_for_byte() {
    let out = scratch("census-import");
    let file = sources().join("us-census-country/country.csv");
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
    let mut rdr = csv::Reader::from_path(sources().join("us-census-country/country.csv")).unwrap();
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
        assert!((f(fig.value.unwrap()) - now).abs() < 0.01, "{period} {code}: {} vs {now}", fig.value.unwrap());
        let growth = (now - before) / before * 100.0;
        assert!((f(fig.yoy_pct.unwrap()) - growth).abs() < 1e-6, "{period} {code} growth");
        if member.is_some() {
            assert!((f(fig.share_pct.unwrap()) - now / world * 100.0).abs() < 1e-6, "{period} {code} share");
            let world_before = trade(&raw, "0015", p.year - 1, months);
            let contribution = (now - before) / world_before * 100.0;
            assert!((f(fig.contribution_pp.unwrap()) - contribution).abs() < 1e-6, "{period} {code} contribution");
            // Differences in points are those of the printed figures, each to one decimal.
            let printed = |x: f64| (x * 10.0).round() / 10.0;
            let share_change = printed(now / world * 100.0) - printed(before / world_before * 100.0);
            assert!((f(fig.share_change_pp.unwrap()) - share_change).abs() < 1e-6, "{period} {code} share change");
            let world_growth = (world - world_before) / world_before * 100.0;
            let gap = printed(growth) - printed(world_growth);
            assert!((f(fig.gap_pp.unwrap()) - gap).abs() < 1e-6, "{period} {code} gap");
        }
    }
    // The figures the issue names, as the bulletin prints them: total goods trade about
    // $2.41 trillion, down 0.2%; trade with China down 13.6%.
    let (total, total_prior) = (trade(&raw, "0015", 2019, 7), trade(&raw, "0015", 2018, 7));
    let (china, china_prior) = (trade(&raw, "5700", 2019, 7), trade(&raw, "5700", 2018, 7));
    let r = run(&["generate", "--data", "data/us-census", "--period", "2019-07"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The verb varies from month to month (fell, decreased, declined); the figures may not.
    let lede =
        format!("{:.1}% year on year to ${:.2} trillion", (total_prior - total) / total_prior * 100.0, total / 1e6);
    assert_eq!(lede, "0.2% year on year to $2.41 trillion");
    assert!(r.stdout.contains(&format!("total imports and exports declined {lede}")), "{}", r.stdout);
    // China is stated in rank order with the other leading partners.
    let china_text = format!("{:.1}% at ${:.2} billion", (china_prior - china) / china_prior * 100.0, china / 1e3);
    assert_eq!(china_text, "13.6% at $320.22 billion");
    assert!(r.stdout.contains(&format!("China, down {china_text}")), "{}", r.stdout);
}

/// Census code of a country name (the code in use latest where a name has two).
fn code_of(name: &str) -> String {
    let mut rdr = csv::Reader::from_path(sources().join("us-census-country/country.csv")).unwrap();
    let mut best: Option<(i32, String)> = None;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let year: i32 = rec[0].parse().unwrap();
        if &rec[2] == name && best.as_ref().is_none_or(|(y, _)| year >= *y) {
            best = Some((year, rec[1].to_string()));
        }
    }
    best.unwrap_or_else(|| panic!("{name} is not in the Census file")).1
}

/// One month's exports plus imports of a Census code.
fn month(raw: &Raw, code: &str, year: i32, m: usize) -> f64 {
    let (i, e) = &raw[&(code.to_string(), year)];
    i[m - 1] + e[m - 1]
}

fn f(d: rust_decimal::Decimal) -> f64 {
    d.to_f64().unwrap()
}

const EU27: [&str; 27] = [
    "Austria",
    "Belgium",
    "Bulgaria",
    "Croatia",
    "Cyprus",
    "Czech Republic",
    "Denmark",
    "Estonia",
    "Finland",
    "France",
    "Germany",
    "Greece",
    "Hungary",
    "Ireland",
    "Italy",
    "Latvia",
    "Lithuania",
    "Luxembourg",
    "Malta",
    "Netherlands",
    "Poland",
    "Portugal",
    "Romania",
    "Slovakia",
    "Slovenia",
    "Spain",
    "Sweden",
];

#[test]
fn the_eu_compares_like_with_like_across_the_uks_departure() {
    let raw = raw();
    let ds = Dataset::load(Path::new("data/us-census")).unwrap();
    let eu27: Vec<String> = EU27.iter().map(|n| code_of(n)).collect();
    let uk = code_of("United Kingdom");
    let sum =
        |codes: &[String], year: i32, months: usize| codes.iter().map(|c| trade(&raw, c, year, months)).sum::<f64>();
    // April 2020: the UK left in January, so both years are summed over the 27.
    let stats = Stats::compute(&ds, "2020-04".parse().unwrap()).unwrap();
    let eu = stats.get("partner_group", "eu", Flow::Total, Basis::Ytd).unwrap();
    let (now, before) = (sum(&eu27, 2020, 4), sum(&eu27, 2019, 4));
    assert!((f(eu.value.unwrap()) - now).abs() < 0.01, "{} vs {now}", eu.value.unwrap());
    assert!((f(eu.prior_value.unwrap()) - before).abs() < 0.01);
    assert!((f(eu.yoy_pct.unwrap()) - (now - before) / before * 100.0).abs() < 1e-6);
    // The Census's own EU row for 2019 still holds the UK: comparing with it would show a fall of
    // about 18% where the like-for-like fall is about 5%.
    let census_eu_2019 = trade(&raw, "0003", 2019, 4);
    let uk = &uk;
    let with_uk = before + trade(&raw, uk, 2019, 4);
    assert!((census_eu_2019 - with_uk).abs() < 0.01, "the Census EU row of 2019 is the 28");
    assert_eq!(format!("{:.1}", (now - before) / before * 100.0), "-5.2");
    // January 2020, the UK's last month, and January 2021, compared with a January it was in.
    let mut eu28 = eu27.clone();
    eu28.push(uk.clone());
    for (period, members) in [("2020-01", &eu28), ("2021-01", &eu27)] {
        let p: tradescribe::dataset::Period = period.parse().unwrap();
        let stats = Stats::compute(&ds, p).unwrap();
        let eu = stats.get("partner_group", "eu", Flow::Total, Basis::Month).unwrap();
        assert!((f(eu.value.unwrap()) - sum(members, p.year, 1)).abs() < 0.01, "{period}");
        assert!((f(eu.prior_value.unwrap()) - sum(members, p.year - 1, 1)).abs() < 0.01, "{period}");
    }
    // July 2019: the UK was a member, so both years are summed over the 28.
    let stats = Stats::compute(&ds, "2019-07".parse().unwrap()).unwrap();
    let eu = stats.get("partner_group", "eu", Flow::Total, Basis::Ytd).unwrap();
    assert!((f(eu.value.unwrap()) - sum(&eu28, 2019, 7)).abs() < 0.01);
    assert!((f(eu.prior_value.unwrap()) - sum(&eu28, 2018, 7)).abs() < 0.01);
}

#[test]
fn zero_and_missing_bases_give_no_growth() {
    let ds = Dataset::load(Path::new("data/us-census")).unwrap();
    // St Pierre and Miquelon bought $18,154 of U.S. goods in March 2015 and nothing in March 2014.
    let stats = Stats::compute(&ds, "2015-03".parse().unwrap()).unwrap();
    let spm = stats.get("partner", "st_pierre_and_miquelon", Flow::Export, Basis::Month).unwrap();
    assert_eq!(
        (spm.value.unwrap().to_string().as_str(), spm.prior_value.map(|p| p.is_zero())),
        ("0.018154", Some(true))
    );
    assert_eq!((spm.yoy_pct, spm.gap_pp, spm.rank_growth), (None, None, None));
    // South Sudan's first year in the data is 2011.
    let stats = Stats::compute(&ds, "2011-12".parse().unwrap()).unwrap();
    let ss = stats.get("partner", "south_sudan", Flow::Total, Basis::Ytd).unwrap();
    assert_eq!((ss.prior_value, ss.yoy_pct, ss.contribution_pp, ss.share_change_pp), (None, None, None, None));
    assert!(ss.share_pct.is_some());
}

/// Year-on-year direction of world trade in a month, computed from the raw file.
fn direction(raw: &Raw, year: i32, m: usize) -> std::cmp::Ordering {
    let g = (month(raw, "0015", year, m) - month(raw, "0015", year - 1, m)) / month(raw, "0015", year - 1, m) * 100.0;
    let r = (g * 10.0).round() / 10.0;
    r.partial_cmp(&0.0).unwrap()
}

#[test]
fn streaks_turning_points_and_records_match_the_census_file() {
    use std::cmp::Ordering::*;
    let raw = raw();
    let ds = Dataset::load(Path::new("data/us-census")).unwrap();
    for period in ["2009-03", "2019-08", "2020-04", "2021-12"] {
        let p: tradescribe::dataset::Period = period.parse().unwrap();
        let stats = Stats::compute(&ds, p).unwrap();
        let fig = stats.total(Flow::Total, Basis::Month).unwrap();
        // Walk back through the raw months while they move the same way.
        let dir = direction(&raw, p.year, p.month as usize);
        let (mut y, mut m, mut run) = (p.year, p.month as usize, 0);
        while direction(&raw, y, m) == dir {
            run += 1;
            (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
        }
        while direction(&raw, y, m) != dir {
            (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
        }
        let (growth, decline) = if dir == Greater { (run, 0) } else { (0, run) };
        assert_eq!((fig.growth_streak, fig.decline_streak), (Some(growth), Some(decline)), "{period}");
        assert_eq!(fig.previous_same.map(|q| (q.year, q.month as usize)), Some((y, m)), "{period}");
        // Records: the value against the same month of 1987 onwards.
        let earlier: Vec<f64> = (1987..p.year).map(|yr| month(&raw, "0015", yr, p.month as usize)).collect();
        let now = month(&raw, "0015", p.year, p.month as usize);
        assert_eq!(fig.history_years as usize, earlier.len(), "{period}");
        assert_eq!(fig.record_high, earlier.iter().all(|v| *v < now), "{period}");
        let low_since = (1987..p.year).rev().find(|yr| month(&raw, "0015", *yr, p.month as usize) <= now);
        assert_eq!(fig.low_since_year, low_since, "{period}");
    }
    // The pandemic month and the record year, as the bulletins state them.
    let stats = Stats::compute(&ds, "2020-04".parse().unwrap()).unwrap();
    assert_eq!(stats.total(Flow::Total, Basis::Month).unwrap().decline_streak, Some(9));
    assert_eq!(stats.total(Flow::Total, Basis::Month).unwrap().low_since_year, Some(2010));
    let stats = Stats::compute(&ds, "2021-12".parse().unwrap()).unwrap();
    let year = stats.total(Flow::Total, Basis::Ytd).unwrap();
    let totals: Vec<f64> = (1987..2021).map(|yr| trade(&raw, "0015", yr, 12)).collect();
    assert!(year.record_high && totals.iter().all(|t| *t < trade(&raw, "0015", 2021, 12)));
    assert_eq!(year.history_from_year, Some(1987));
}

#[test]
fn no_streak_is_claimed_where_the_run_may_have_started_before_the_data() {
    // The world total starts in 1987, so growth rates start in 1988: the runs of 1988-1990 reach
    // back to the first rate and their length is unknown.
    let ds = Dataset::load(Path::new("data/us-census")).unwrap();
    for period in ["1988-03", "1988-12", "1989-01", "1991-02"] {
        let stats = Stats::compute(&ds, period.parse().unwrap()).unwrap();
        let t = stats.total(Flow::Total, Basis::Month).unwrap();
        assert_eq!((t.growth_streak, t.decline_streak), (None, None), "{period}");
    }
    let r = run(&["--data", "data/us-census", "--period", "1989-01"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("consecutive"), "{}", r.stdout);
}

#[test]
fn ranks_and_month_on_month_match_the_census_file() {
    let raw = raw();
    let ds = Dataset::load(Path::new("data/us-census")).unwrap();
    let stats = Stats::compute(&ds, "2019-07".parse().unwrap()).unwrap();
    // Every country's trade in January-July 2019, ranked here.
    let mut countries: Vec<(f64, String)> = raw
        .keys()
        .filter(|(code, year)| *year == 2019 && code.parse::<u32>().unwrap() >= 1000)
        .map(|(code, _)| (trade(&raw, code, 2019, 7), code.clone()))
        .collect();
    countries.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap());
    for (member, code) in [("mexico", "2010"), ("canada", "1220"), ("china", "5700"), ("japan", "5880")] {
        let rank = 1 + countries.iter().position(|(_, c)| c == code).unwrap() as u32;
        let fig = stats.get("partner", member, Flow::Total, Basis::Ytd).unwrap();
        assert_eq!(fig.rank_value, Some(rank), "{member}");
        assert_eq!(fig.ranked_value as usize, countries.len());
    }
    // April 2020 against March 2020, world trade.
    let stats = Stats::compute(&ds, "2020-04".parse().unwrap()).unwrap();
    let (apr, mar) = (month(&raw, "0015", 2020, 4), month(&raw, "0015", 2020, 3));
    let mom = stats.total(Flow::Total, Basis::Month).unwrap().mom_pct.unwrap();
    assert!((f(mom) - (apr - mar) / mar * 100.0).abs() < 1e-6);
}

#[test]
fn the_growth_table_gives_the_bulletins_figures_line_for_line() {
    // `tradescribe stats` prints the growth table; a bulletin states the full statistics. The two
    // must agree on every series, flow and basis, in the same order, groups and published rates too.
    for (dir, period) in [("data/us-census", "2020-04"), ("data/china-2019", "2019-07")] {
        let ds = Dataset::load(Path::new(dir)).unwrap();
        let p = period.parse().unwrap();
        let full = Stats::compute(&ds, p).unwrap();
        let mut lines = Vec::new();
        Stats::growth_table(&ds, p, |g| {
            lines.push((
                g.series.dimension.clone(),
                g.series.member.clone(),
                g.flow,
                g.basis,
                g.value,
                g.prior,
                g.yoy_pct,
            ))
        })
        .unwrap();
        // Rows that state published figures without a value are in the bulletin's statistics, not
        // in the table of values.
        let want: Vec<_> = full
            .series
            .iter()
            .filter(|s| s.figures.value.is_some())
            .map(|s| {
                let f = &s.figures;
                (s.dimension.clone(), s.member.clone(), s.flow, s.basis, f.value.unwrap(), f.prior_value, f.yoy_pct)
            })
            .collect();
        assert!(lines.len() > 10, "{dir}: {} lines", lines.len());
        assert_eq!(lines, want, "{dir}");
    }
}
