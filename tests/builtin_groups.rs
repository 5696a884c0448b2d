//! Built-in partner groups: named in dataset.yaml by `builtin:`, matched to members by code or
//! name, with the months each country belonged.

use std::path::{Path, PathBuf};
use tradescribe::dataset::{Basis, Dataset, Flow, Period, Spec};
use tradescribe::stats::Stats;

/// The shipped U.S. dataset with its hand-listed EU and ASEAN replaced by the built-in ones.
fn census_with_builtin_groups() -> Dataset {
    let dir = Path::new("data/us-census");
    let text = std::fs::read_to_string(dir.join("dataset.yaml")).unwrap();
    let head = &text[..text.find("\ngroups:\n").unwrap()];
    let text = format!(
        "{head}\ngroups:\n  eu: {{ builtin: eu, dimension: partner_group, of: partner }}\n  \
         asean: {{ builtin: asean, dimension: partner_group, of: partner, without: [Timor-Leste] }}\n"
    );
    let spec = Spec::parse(&dir.join("dataset.yaml"), &text).unwrap();
    let csv: PathBuf = dir.join("trade.csv");
    Dataset::from_sources(dir, spec, vec![(csv.clone(), std::fs::File::open(&csv).unwrap())]).unwrap()
}

#[test]
fn the_builtin_eu_and_asean_sum_as_the_hand_listed_ones_do() {
    let shipped = Dataset::load(Path::new("data/us-census")).unwrap();
    let builtin = census_with_builtin_groups();
    for month in ["1995-03", "2004-05", "2013-07", "2019-12", "2020-01", "2020-02", "2021-12"] {
        let p: Period = month.parse().unwrap();
        let (a, b) = (Stats::compute(&shipped, p).unwrap(), Stats::compute(&builtin, p).unwrap());
        for group in ["eu", "asean"] {
            for flow in [Flow::Export, Flow::Import] {
                for basis in [Basis::Month, Basis::Ytd] {
                    let want = a.get("partner_group", group, flow, basis).map(|f| f.value);
                    let got = b.get("partner_group", group, flow, basis).map(|f| f.value);
                    assert!(want.is_some() && got == want, "{group} {flow} {basis} {month}: {got:?}, not {want:?}");
                }
            }
        }
    }
}

#[test]
fn the_uk_is_in_the_eu_in_2019_12_and_not_in_2020_02() {
    let ds = builtin_dataset();
    let p = |m: &str| -> Period { m.parse().unwrap() };
    let uk = ds.series_id("partner", "united_kingdom").unwrap();
    let eu = &ds.groups[&ds.series_id("partner_group", "eu").unwrap()];
    let membership = eu.iter().find(|m| m.series == uk).unwrap();
    assert!(membership.active(p("2019-12")) && membership.active(p("2020-01")));
    assert!(!membership.active(p("2020-02")) && !membership.active(p("1972-12")));
    // And in the figures: exports to the EU are Germany's and the UK's in December 2019, Germany's
    // alone in February 2020 (the rows below).
    let value = |month: &str| {
        Stats::compute(&ds, p(month))
            .unwrap()
            .get("partner_group", "eu", Flow::Export, Basis::Month)
            .unwrap()
            .value
            .unwrap()
    };
    assert_eq!(value("2019-12"), "30".parse().unwrap());
    assert_eq!(value("2020-02"), "12".parse().unwrap());
    // RCEP (Japan alone here) has no member before 2022: no value, rather than a value of zero.
    let rcep = Stats::compute(&ds, p("2020-02")).unwrap();
    assert!(rcep.get("partner_group", "rcep", Flow::Export, Basis::Month).is_none_or(|f| f.value != Some(0.into())));
    assert!(rcep.get("partner", "japan", Flow::Export, Basis::Month).is_some());
}

/// A made-up dataset (figures invented for the test): Germany, the UK and Japan, with every other
/// EU country named in `without`.
fn builtin_dataset() -> Dataset {
    let others = "AUT, BEL, BGR, HRV, CYP, CZE, DNK, EST, FIN, FRA, GRC, HUN, IRL, ITA, LVA, LTU, LUX, MLT, \
                  NLD, POL, PRT, ROU, SVK, SVN, ESP, SWE";
    let rcep = "BRN, KHM, LAO, SGP, THA, VNM, AUS, CHN, NZL, KOR, MYS, MMR, IDN, PHL";
    let yaml = format!(
        "reporter: {{ en: {{ name: Testland, possessive: \"Testland's\" }} }}\ncurrency: EUR\nunit: 1\n\
         source: {{ en: synthetic test figures }}\ndimensions:\n  partner:\n    members:\n      \
         germany: {{ en: Germany }}\n      united_kingdom: {{ en: {{ name: the United Kingdom, short: the UK }} }}\n      \
         japan: {{ en: Japan }}\ngroups:\n  eu: {{ builtin: eu, dimension: partner_group, of: partner, without: [{others}] }}\n  \
         rcep: {{ builtin: rcep, dimension: partner_group, of: partner, without: [{rcep}] }}\n"
    );
    let mut csv = String::from("period,basis,flow,dimension,member,value\n");
    for (month, de, uk) in [("2019-12", 12, 18), ("2020-02", 12, 9)] {
        for (member, v) in [("germany", de), ("united_kingdom", uk), ("japan", 5)] {
            csv += &format!("{month},month,export,partner,{member},{v}\n{month},month,import,partner,{member},1\n");
        }
        csv += &format!("{month},month,export,total,all,{}\n{month},month,import,total,all,3\n", de + uk + 5);
    }
    let dir = Path::new("tests/fixtures/none");
    let spec = Spec::parse(&dir.join("dataset.yaml"), &yaml).unwrap();
    Dataset::from_sources(dir, spec, vec![(dir.join("trade.csv"), csv.as_bytes())]).unwrap()
}

#[test]
fn the_group_is_declared_with_its_builtin_names_unless_the_dataset_names_it() {
    let ds = builtin_dataset();
    let names = &ds.spec.dimensions["partner_group"].members["eu"];
    assert_eq!(names["en"].full(), "the European Union");
    assert_eq!(names["en"].short(), "the EU");
    assert_eq!(names["zh"].full(), "欧盟");
}

fn spec_error(yaml_groups: &str, members: &str) -> String {
    let yaml = format!(
        "reporter: {{ en: {{ name: Singapore, possessive: \"Singapore's\" }} }}\ncurrency: SGD\nunit: 1\n\
         source: {{ en: test }}\ndimensions:\n  partner:\n    members:\n{members}groups:\n{yaml_groups}"
    );
    match Spec::parse(Path::new("dataset.yaml"), &yaml) {
        Ok(_) => String::new(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_country_of_the_group_missing_from_the_data_is_named() {
    let members = "      my: { en: Malaysia }\n      th: { en: Thailand }\n      ph: { en: the Philippines }\n      \
                   vietnam: { en: Viet Nam }\n      kh: { en: Cambodia }\n      la: { en: Laos }\n      \
                   mm: { en: Myanmar }\n      bn: { en: Brunei }\n";
    let group = "  asean: { builtin: asean, dimension: partner_group, of: partner }\n";
    let e = spec_error(group, members);
    // Singapore reports: it is left out of its own group. Indonesia and Timor-Leste are missing.
    assert!(
        e.contains("group `asean` (builtin asean): no member of `partner` is Indonesia (IDN), Timor-Leste (TLS)"),
        "{e}"
    );
    assert!(e.contains("`without:`"), "{e}");
    let group = "  asean: { builtin: asean, dimension: partner_group, of: partner, without: [IDN, East Timor] }\n";
    assert_eq!(spec_error(group, members), "");
    let group = "  asean: { builtin: asean, dimension: partner_group, of: partner, without: [Atlantis] }\n";
    assert!(spec_error(group, members).contains("`without: Atlantis` is neither a member nor a country"));
    let group = "  asean: { builtin: asia, dimension: partner_group, of: partner }\n";
    assert!(spec_error(group, members).contains("`builtin: asia` is not a built-in group (asean, brics"));
}

#[test]
fn listed_members_override_the_builtin_ones() {
    let members = "      de: { en: Germany }\n      gb: { en: United Kingdom }\n";
    let others = "without: [AUT, BEL, BGR, HRV, CYP, CZE, DNK, EST, FIN, FRA, GRC, HUN, IRL, ITA, LVA, LTU, \
                  LUX, MLT, NLD, POL, PRT, ROU, SVK, SVN, ESP, SWE]";
    // The transition period: trade statistics that count the UK in the EU through 2020.
    let group = format!(
        "  eu:\n    builtin: eu\n    dimension: partner_group\n    of: partner\n    {others}\n    members:\n      \
         - {{ id: gb, until: 2020-12 }}\n"
    );
    let yaml = format!(
        "reporter: {{ en: {{ name: Testland, possessive: \"Testland's\" }} }}\ncurrency: EUR\nunit: 1\n\
         source: {{ en: test }}\ndimensions:\n  partner:\n    members:\n{members}groups:\n{group}"
    );
    let spec = Spec::parse(Path::new("dataset.yaml"), &yaml).unwrap();
    let parts: Vec<_> = spec.groups["eu"].members.iter().map(|m| m.parts()).collect();
    assert_eq!(parts, [("de", None, None), ("gb", None, Some("2020-12".parse().unwrap()))]);
}

#[test]
fn two_members_that_are_one_country_are_refused() {
    let members = "      de: { en: Germany }\n      germany: { en: Deutschland }\n";
    let e = spec_error("  eu: { builtin: eu, dimension: partner_group, of: partner }\n", members);
    assert!(e.contains("members `de` and `germany` are both DEU: list the one to sum"), "{e}");
}
