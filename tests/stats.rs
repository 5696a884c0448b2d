//! Every statistic against figures computed by hand from the synthetic fixture
//! (tests/fixtures/synthetic, made-up numbers; the sums are written out beside each check).

use rust_decimal::Decimal;
use std::path::Path;
use tradescribe::dataset::{Basis, Dataset, Flow};
use tradescribe::stats::{Figures, RateSource, Stats};

fn stats(period: &str) -> Stats {
    let ds = Dataset::load(Path::new("tests/fixtures/synthetic")).unwrap();
    Stats::compute(&ds, period.parse().unwrap()).unwrap()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Compares to 20 decimal places: the figures are exact quotients, the expectations written out.
fn close(got: Option<Decimal>, want: &str) {
    let got = got.expect("figure present");
    assert_eq!(got.round_dp(20), d(want).round_dp(20), "got {got}, want {want}");
}

fn fig<'a>(s: &'a Stats, dim: &str, member: &str, flow: Flow, basis: Basis) -> &'a Figures {
    s.get(dim, member, flow, basis).unwrap_or_else(|| panic!("{dim}/{member} {flow} {basis}"))
}

#[test]
fn year_to_date_is_the_sum_of_months_and_totals_add_flows() {
    let s = stats("2019-02");
    let t = s.total(Flow::Export, Basis::Ytd).unwrap();
    assert_eq!(t.value.unwrap(), d("250")); // 120 + 130
    assert_eq!(t.prior_value, Some(d("210"))); // 100 + 110
    assert_eq!(s.total(Flow::Import, Basis::Ytd).unwrap().value.unwrap(), d("180")); // 85 + 95
    assert_eq!(s.total(Flow::Total, Basis::Ytd).unwrap().value.unwrap(), d("430")); // 250 + 180
    assert_eq!(s.total(Flow::Balance, Basis::Ytd).unwrap().value.unwrap(), d("70")); // 250 - 180
    assert_eq!(s.total(Flow::Total, Basis::Month).unwrap().value.unwrap(), d("225")); // 130 + 95
}

#[test]
fn growth_is_derived_exactly_where_not_published() {
    let s = stats("2019-02");
    let t = s.total(Flow::Total, Basis::Ytd).unwrap();
    close(t.yoy_pct, "13.157894736842105263157894737"); // (430 - 380) / 380
    assert_eq!(t.yoy_source, Some(RateSource::Derived));
    close(s.total(Flow::Balance, Basis::Ytd).unwrap().yoy_pct, "75"); // surplus 40 -> 70
    let a = fig(&s, "partner", "a", Flow::Total, Basis::Ytd);
    assert_eq!((a.value.unwrap(), a.prior_value), (d("150"), Some(d("110")))); // 40+30+45+35, 30+20+35+25
    close(a.yoy_pct, "36.363636363636363636363636364"); // 40 / 110
    let a_month = fig(&s, "partner", "a", Flow::Total, Basis::Month);
    close(a_month.yoy_pct, "33.333333333333333333333333333"); // 80 vs 60
    close(fig(&s, "partner", "b", Flow::Total, Basis::Ytd).yoy_pct, "-5"); // 38 vs 40
}

#[test]
fn published_growth_wins() {
    let s = stats("2019-02");
    let p = fig(&s, "enterprise_type", "private", Flow::Total, Basis::Ytd);
    assert_eq!(p.yoy_pct, Some(d("12.5")));
    assert_eq!(p.yoy_source, Some(RateSource::Published));
}

#[test]
fn shares_gaps_and_contributions() {
    let s = stats("2019-02");
    let a = fig(&s, "partner", "a", Flow::Total, Basis::Ytd);
    close(a.share_pct, "34.883720930232558139534883721"); // 150 / 430
    // 150/430 - 110/380 as printed: 34.9 - 28.9 (exactly, 5.936...: a reader of the printed
    // shares would get 6.0, so the text says 6.0)
    close(a.share_change_pp, "6.0");
    // 36.36... - 13.157... as printed: 36.4 - 13.2
    close(a.gap_pp, "23.2");
    close(a.contribution_pp, "10.526315789473684210526315789"); // (150 - 110) / 380
    // The total has no share or gap of its own.
    let t = s.total(Flow::Total, Basis::Ytd).unwrap();
    assert_eq!((t.share_pct, t.gap_pp), (None, None));
}

#[test]
fn zero_base_gives_no_growth_never_zero() {
    let s = stats("2019-02");
    let c = fig(&s, "partner", "c", Flow::Export, Basis::Ytd);
    assert_eq!((c.value.unwrap(), c.prior_value), (d("5"), Some(d("0"))));
    assert_eq!(c.yoy_pct, None);
    assert_eq!(c.gap_pp, None);
    assert_eq!(c.rank_growth, None);
}

#[test]
fn no_base_year_gives_no_growth() {
    let s = stats("2018-02");
    let t = s.total(Flow::Total, Basis::Ytd).unwrap();
    assert_eq!(t.value.unwrap(), d("380"));
    assert_eq!((t.prior_value, t.yoy_pct, t.contribution_pp), (None, None, None));
}

#[test]
fn ranks_by_value_and_by_growth_within_a_dimension() {
    // The partners are declared complete, but a, b and c are 42% of the total: no rank is claimed.
    let s = stats("2019-02");
    let a = fig(&s, "partner", "a", Flow::Total, Basis::Ytd);
    assert_eq!((a.rank_value, a.rank_growth, a.rank_contribution, a.ranked_value), (None, None, None, 0));
    assert!(!s.meta.complete.contains(&"partner".to_string()), "{:?}", s.meta.complete);
    // Not declared complete, they are ranked among themselves (rules see `complete` false).
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("partial-partners");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy("tests/fixtures/synthetic/trade.csv", dir.join("trade.csv")).unwrap();
    let yaml = std::fs::read_to_string("tests/fixtures/synthetic/dataset.yaml").unwrap();
    std::fs::write(dir.join("dataset.yaml"), yaml.replacen("complete: true", "complete: false", 1)).unwrap();
    let s = Stats::compute(&Dataset::load(&dir).unwrap(), "2019-02".parse().unwrap()).unwrap();
    let rank = |m: &str| {
        let f = fig(&s, "partner", m, Flow::Total, Basis::Ytd);
        (f.rank_value, f.rank_growth, f.ranked_value, f.ranked_growth)
    };
    assert_eq!(rank("a"), (Some(1), Some(2), 3, 3)); // 150; +36.4%
    assert_eq!(rank("b"), (Some(2), Some(3), 3, 3)); // 38; -5%
    assert_eq!(rank("c"), (Some(3), Some(1), 3, 3)); // 15; +50% (10 -> 15)
    // Private and state-owned enterprises are the whole total (280 + 150 = 430): ranked.
    let p = fig(&s, "enterprise_type", "private", Flow::Total, Basis::Ytd);
    assert_eq!((p.rank_growth, p.ranked_growth), (Some(1), 2));
    assert!(s.meta.complete.contains(&"enterprise_type".to_string()));
}

#[test]
fn a_period_without_data_is_an_error_naming_the_latest() {
    let ds = Dataset::load(Path::new("tests/fixtures/synthetic")).unwrap();
    let e = Stats::compute(&ds, "2020-01".parse().unwrap()).unwrap_err().to_string();
    assert!(e.contains("no total trade for the reporter in 2020-01 (a `total` row, or exports and imports)"), "{e}");
    assert!(e.contains("the latest month with a total is 2019-02"), "{e}");
}

#[test]
fn a_later_file_revises_an_earlier_one_and_the_bulletin_says_so() {
    let ds = Dataset::load(Path::new("tests/fixtures/revised")).unwrap();
    let s = Stats::compute(&ds, "2019-02".parse().unwrap()).unwrap();
    let feb = s.total(Flow::Export, Basis::Month).unwrap();
    assert_eq!((feb.last_month_value, feb.last_month_revised_from), (Some(d("124")), Some(d("120"))));
    let ytd = s.total(Flow::Export, Basis::Ytd).unwrap();
    assert_eq!(ytd.value.unwrap(), d("254")); // the revised 124 + 130
    let jan = Stats::compute(&ds, "2019-01".parse().unwrap()).unwrap();
    assert_eq!(jan.total(Flow::Export, Basis::Month).unwrap().revised_from, Some(d("120")));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tradescribe"))
        .args(["--data", "tests/fixtures/revised", "--period", "2019-02"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("The figure for January was revised from $205 million to $209 million."), "{text}");
}

#[test]
fn month_on_month_and_absolute_change() {
    let s = stats("2019-02");
    let t = s.total(Flow::Total, Basis::Month).unwrap();
    close(t.mom_pct, "9.756097560975609756097560976"); // 225 vs 205
    assert_eq!(t.change_value, Some(d("25"))); // 225 - 200
    // Month-on-month is for the month basis only.
    assert_eq!(s.total(Flow::Total, Basis::Ytd).unwrap().mom_pct, None);
}

#[test]
fn a_group_sums_the_members_of_the_month_reported_for_both_years() {
    let ds = Dataset::load(Path::new("tests/fixtures/groups")).unwrap();
    let month = |p: &str| {
        let s = Stats::compute(&ds, p.parse().unwrap()).unwrap();
        let f = s.get("partner_group", "bloc", Flow::Total, Basis::Month).unwrap().clone();
        (f.value.unwrap(), f.prior_value, f.yoy_pct)
    };
    // January 2019: a and b (b leaves after January); c not yet. 11 + 30 against 10 + 20.
    let (v, p, g) = month("2019-01");
    assert_eq!((v, p), (d("41"), Some(d("30"))));
    close(g, "36.666666666666666666666666667");
    // February 2019: a and c, in both years alike. 12 + 10 against 10 + 5.
    let (v, p, g) = month("2019-02");
    assert_eq!((v, p), (d("22"), Some(d("15"))));
    close(g, "46.666666666666666666666666667");
    // The year to date through February takes February's members for both months:
    // (11 + 12) + (5 + 10) against (10 + 10) + (5 + 5).
    let s = Stats::compute(&ds, "2019-02".parse().unwrap()).unwrap();
    let ytd = s.get("partner_group", "bloc", Flow::Total, Basis::Ytd).unwrap();
    assert_eq!((ytd.value.unwrap(), ytd.prior_value), (d("38"), Some(d("30"))));
}

#[test]
fn revisions_keep_the_first_report_and_make_older_totals_stale() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("revision-chain");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let yaml = std::fs::read_to_string("tests/fixtures/revised/dataset.yaml").unwrap();
    let yaml = yaml.replace("files: [trade-2019-01.csv, trade-2019-02.csv]", "files: [a.csv, b.csv, c.csv]");
    std::fs::write(dir.join("dataset.yaml"), yaml).unwrap();
    let head = "period,basis,flow,dimension,member,value\n";
    // The first file gives January's total as well as its parts; two later files revise exports.
    std::fs::write(
        dir.join("a.csv"),
        format!("{head}2019-01,month,export,total,all,120\n2019-01,month,import,total,all,85\n2019-01,month,total,total,all,205\n"),
    )
    .unwrap();
    std::fs::write(dir.join("b.csv"), format!("{head}2019-01,month,export,total,all,160\n")).unwrap();
    std::fs::write(dir.join("c.csv"), format!("{head}2019-01,month,export,total,all,124\n")).unwrap();
    let ds = Dataset::load(&dir).unwrap();
    let s = Stats::compute(&ds, "2019-01".parse().unwrap()).unwrap();
    let export = s.total(Flow::Export, Basis::Month).unwrap();
    assert_eq!(
        (export.value.unwrap(), export.revised_from),
        (d("124"), Some(d("120"))),
        "the first report, not the second"
    );
    let total = s.total(Flow::Total, Basis::Month).unwrap();
    assert_eq!(
        (total.value.unwrap(), total.revised_from),
        (d("209"), Some(d("205"))),
        "derived from the revised parts"
    );
}

#[test]
fn a_streak_that_reaches_the_start_of_the_data_has_no_length() {
    // The synthetic data start in 2018, so 2019-02's rise (its second month of growth) may have
    // begun before the data do: no streak is claimed.
    let s = stats("2019-02");
    let t = s.total(Flow::Total, Basis::Month).unwrap();
    assert_eq!((t.growth_streak, t.decline_streak, t.previous_same), (None, None, None));
}
