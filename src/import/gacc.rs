//! `import gacc`: GACC's English statistics tables, as transcribed under `data/sources/gacc-*`
//! (see each PROVENANCE.txt), into a canonical dataset folder in US dollars for one year: the
//! reporter's total and its trade modes (table 5, by customs regime), enterprise types (tables 6
//! and 7, TOTAL rows) and bulk commodities with quantities (table 18, summed over regimes).
//!
//! The tables give the year's values and their published growth rates, never the year-earlier
//! values. A change in share, the growth of a sum (exports plus imports, processing trade's two
//! regimes, a commodity's four) and an average price's change need them: each is written as a
//! row of the year before *implied* by the published rates (value / (1 + rate / 100), summed over
//! the parts), and its `note` says so. A rate derived from implied values can differ from the one
//! GACC computes from its own by up to half the last published digit of the parts' rates.
//!
//! One importer, one file, a little over 600 lines: the readers of the four tables and the
//! implied rows share their parts and checks, and split apart would each need the others.

use super::Imported;
use crate::dataset::{Basis, Dataset, DatasetError, Flow, Period, Spec};
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The transcribed tables, under the sources folder.
pub const TABLE5: &str = "gacc-enterprise-regime/gacc_customs_regime_totals_table5.csv";
/// Tables 6 and 7, exports and imports by type of enterprise and customs regime.
pub const TABLES67: &str = "gacc-enterprise-regime/gacc_enterprise_type_by_customs_regime.csv";
/// Table 18, imports of selected commodities by customs regime, with quantities.
pub const TABLE18: &str = "gacc-commodities/gacc_table18_imports_by_regime.csv";
/// Table (3), by trade mode with exports and imports together (US$ million): where it exists, the
/// published growth of total trade, which wins over one derived from implied values.
pub const TABLE3: &str = "gacc-2019/trade_mode_snapshots_2019.csv";

/// Trade modes as GACC's releases name them, from the customs regimes of table 5; every other
/// regime is `other`, so that the modes add up to the total.
const TRADE_MODES: [(&str, &[&str]); 3] = [
    ("ordinary", &["Ordinary Trade"]),
    ("processing", &["Processing and Assembling", "Processing with Imported Materials"]),
    ("bonded_logistics", &["Customs Warehousing Trade", "Logistics goods by customs special control area"]),
];

/// Enterprise types of tables 6 and 7 (their column, the member id); the parts of FIE (CJV, EJV,
/// FOE) are left out, since FIE holds them.
const ENTERPRISES: [(&str, &str); 4] = [("POE", "private"), ("FIE", "fie"), ("SOE", "soe"), ("Other", "other")];

/// The bulk commodities of table 18 (as printed, the member id). Medical and pharmaceutical
/// products are left out: no bulk commodity, and an average price per tonne of medicines means little.
const COMMODITIES: [(&str, &str); 5] = [
    ("Crude petroleum oil", "crude_oil"),
    ("Iron ores and concentrates", "iron_ore"),
    ("Petroleum gases and other gaseous hydrocabons", "natural_gas"),
    ("Soya beans", "soybeans"),
    ("Fuel oils No.5-7", "fuel_oil"),
];

/// One cell of a table: this year's value, its published rate, and for table 18 the quantity
/// and its rate. `None` where the table prints "-".
#[derive(Debug, Clone, Default)]
struct Part {
    value: Option<Decimal>,
    rate: Option<Decimal>,
    quantity: Option<Decimal>,
    quantity_rate: Option<Decimal>,
    url: String,
}

/// A canonical row to write.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Out {
    period: Period,
    basis: &'static str,
    dimension: &'static str,
    member: String,
    flow: &'static str,
    value: Decimal,
    yoy_pct: Option<Decimal>,
    quantity: Option<Decimal>,
    url: String,
    note: String,
}

/// Where a table's rows are, for messages.
struct Table<'a> {
    path: &'a Path,
    headers: csv::StringRecord,
    records: Vec<(u64, csv::StringRecord)>,
}

impl<'a> Table<'a> {
    fn read(path: &'a Path) -> Result<Table<'a>, DatasetError> {
        let bytes = std::fs::read(path).map_err(|source| DatasetError::Io { path: path.into(), source })?;
        let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(bytes.as_slice());
        let headers = rdr.headers().map_err(|e| err(path, 1, "header", e.to_string()))?.clone();
        let mut records: Vec<(u64, csv::StringRecord)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for r in rdr.records() {
            let r = r.map_err(|e| err(path, e.position().map_or(0, |p| p.line()), "row", e.to_string()))?;
            // January's page prints the month and the year to date, the same cells twice: the
            // transcription kept both. A row identical in every cell to an earlier one is that.
            if seen.insert(r.iter().map(String::from).collect::<Vec<_>>()) {
                records.push((r.position().map_or(0, |p| p.line()), r));
            }
        }
        Ok(Table { path, headers, records })
    }

    /// The columns named, in order, or an error naming the first missing.
    fn cols<const N: usize>(&self, names: [&str; N]) -> Result<[usize; N], DatasetError> {
        let mut at = [0; N];
        for (i, name) in names.iter().enumerate() {
            at[i] = self.col(name)?;
        }
        Ok(at)
    }

    /// The column named `name`, or an error naming it.
    fn col(&self, name: &str) -> Result<usize, DatasetError> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| {
            err(
                self.path,
                1,
                name,
                "missing column: is this the transcribed GACC table its PROVENANCE.txt describes?".into(),
            )
        })
    }
}

fn err(path: &Path, line: u64, field: &str, message: String) -> DatasetError {
    DatasetError::Row { path: path.into(), line, field: field.into(), message }
}

/// A number cell: empty for "-", else a plain decimal.
fn number(path: &Path, line: u64, field: &str, text: &str) -> Result<Option<Decimal>, DatasetError> {
    if text.is_empty() {
        return Ok(None);
    }
    crate::dataset::parse_decimal(text).map(Some).map_err(|m| err(path, line, field, m))
}

/// The period and basis of a `period_start`, `period_end` pair: January to a month is its year to
/// date, a month to itself that month alone.
fn period_of(path: &Path, line: u64, start: &str, end: &str) -> Result<(Period, Basis), DatasetError> {
    let s: Period = start.parse().map_err(|m| err(path, line, "period_start", m))?;
    let e: Period = end.parse().map_err(|m| err(path, line, "period_end", m))?;
    match (s == e, s.month == 1 && s.year == e.year && s <= e) {
        // January alone is also January's year to date, which the statistics sum from it.
        (true, _) => Ok((e, Basis::Month)),
        (false, true) => Ok((e, Basis::Ytd)),
        (false, false) => {
            Err(err(path, line, "period_start", format!("{start} to {end} is neither a month nor a year to date")))
        }
    }
}

/// Parts keyed by (period, basis, flow, member), each with its cells.
type Parts = BTreeMap<(Period, Basis, Flow, String), Vec<Part>>;

/// Imports the tables of `year` under `sources` into `out` (`trade.csv` and `dataset.yaml`).
/// Nothing is written unless the whole dataset loads, its checks passed.
pub fn import(sources: &Path, year: i32, out: &Path) -> Result<Imported, DatasetError> {
    let mut rows = Vec::new();
    let totals = regimes(&sources.join(TABLE5), year, &mut rows)?;
    enterprises(&sources.join(TABLES67), year, &totals, &mut rows)?;
    commodities(&sources.join(TABLE18), year, &mut rows)?;
    published_totals(&sources.join(TABLE3), year, &mut rows)?;
    let latest = totals.keys().map(|(p, _, _)| *p).max().ok_or_else(|| {
        err(&sources.join(TABLE5), 1, "period_end", format!("no TOTAL row for {year}: nothing to import"))
    })?;
    rows.sort();
    let csv_text = csv_of(&rows);
    let yaml = yaml_of(year);
    // Proved to load (and to agree with itself) before anything is written.
    let spec = Spec::parse(&out.join("dataset.yaml"), &yaml)?;
    Dataset::from_sources(out, spec, vec![(out.join("trade.csv"), csv_text.as_bytes())])?;
    std::fs::create_dir_all(out).map_err(|source| DatasetError::Io { path: out.into(), source })?;
    let (csv, yaml_path) = (out.join("trade.csv"), out.join("dataset.yaml"));
    for (path, text) in [(&csv, &csv_text), (&yaml_path, &yaml)] {
        std::fs::write(path, text).map_err(|source| DatasetError::Io { path: path.clone(), source })?;
    }
    Ok(Imported { csv, yaml: yaml_path, rows: rows.len(), latest })
}

/// The total (year to date and months) and the trade modes (year to date) of table 5; returns
/// the total of each (period, basis, flow), which the enterprise types must add up to.
fn regimes(
    path: &Path,
    year: i32,
    rows: &mut Vec<Out>,
) -> Result<BTreeMap<(Period, Basis, Flow), Decimal>, DatasetError> {
    let t = Table::read(path)?;
    let [start, end, flow_c, regime_c, value_c, yoy_c, url_c] = t.cols([
        "period_start",
        "period_end",
        "flow",
        "customs_regime",
        "value_usd_thousand",
        "yoy_pct",
        "source_url",
    ])?;
    let mut totals = BTreeMap::new();
    let mut total_parts: BTreeMap<(Period, Basis), Vec<Part>> = BTreeMap::new();
    let mut modes: Parts = BTreeMap::new();
    for (line, r) in &t.records {
        let (period, basis) = period_of(path, *line, &r[start], &r[end])?;
        if period.year != year {
            continue;
        }
        let flow: Flow = r[flow_c].parse().map_err(|m| err(path, *line, "flow", m))?;
        let part = Part {
            value: number(path, *line, "value_usd_thousand", &r[value_c])?,
            rate: number(path, *line, "yoy_pct", &r[yoy_c])?,
            url: r[url_c].to_string(),
            ..Part::default()
        };
        let regime = &r[regime_c];
        if regime == "TOTAL" {
            let value =
                part.value.ok_or_else(|| err(path, *line, "value_usd_thousand", "a TOTAL without a value".into()))?;
            if totals.insert((period, basis, flow), value).is_some() {
                return Err(err(path, *line, "customs_regime", format!("TOTAL of {period} {basis} {flow} again")));
            }
            // This year's exports and imports; the year before only as their sum (below).
            rows.extend(single("total", "all", period, basis, flow, &part, "table 5, TOTAL").into_iter().take(1));
            total_parts.entry((period, basis)).or_default().push(part);
            continue;
        }
        let mode = TRADE_MODES.iter().find(|(_, rs)| rs.contains(&regime)).map_or("other", |(m, _)| m);
        modes.entry((period, basis, flow, mode.to_string())).or_default().push(part);
    }
    // The total's year-earlier exports and imports are written only as their sum, a total row:
    // the growth of a sum of implied values is as close as its parts', but a balance's, the
    // difference of two values near each other, could be off by several points.
    for ((period, basis), parts) in &total_parts {
        let prior = parts.iter().map(|p| implied(p.value, p.rate)).sum::<Option<Decimal>>();
        if let Some(prior) = prior.filter(|_| parts.len() == 2) {
            rows.push(Out {
                period: period.year_earlier(),
                basis: basis.as_str(),
                dimension: "total",
                member: "all".into(),
                flow: "total",
                value: round(prior, 0),
                yoy_pct: None,
                quantity: None,
                url: parts[0].url.clone(),
                note: format!("implied, not published: the sum of the {period} exports and imports, each / (1 + its yoy_pct / 100)"),
            });
        }
    }
    // The modes add up to the total, or a regime was lost in transcription.
    let mut sums: BTreeMap<(Period, Basis, Flow), Decimal> = BTreeMap::new();
    for ((period, basis, flow, _), parts) in &modes {
        *sums.entry((*period, *basis, *flow)).or_default() += parts.iter().filter_map(|p| p.value).sum::<Decimal>();
    }
    for (key, sum) in &sums {
        let total = totals.get(key).ok_or_else(|| err(path, 0, "customs_regime", format!("no TOTAL for {key:?}")))?;
        if (sum - total).abs() > Decimal::from(10) {
            return Err(err(
                path,
                0,
                "value_usd_thousand",
                format!("the regimes of {key:?} add up to {sum}, not the TOTAL {total}"),
            ));
        }
    }
    for ((period, basis, flow, mode), parts) in modes.into_iter().filter(|(k, _)| k.1 == Basis::Ytd) {
        let single_part = TRADE_MODES.iter().any(|(m, rs)| *m == mode && rs.len() == 1);
        let source = format!("table 5, {}", if single_part { "one regime" } else { "sum of regimes" });
        rows.extend(summed("trade_mode", &mode, period, basis, flow, &parts, &source));
    }
    Ok(totals)
}

/// The enterprise types of tables 6 (exports) and 7 (imports): their TOTAL rows.
fn enterprises(
    path: &Path,
    year: i32,
    totals: &BTreeMap<(Period, Basis, Flow), Decimal>,
    rows: &mut Vec<Out>,
) -> Result<(), DatasetError> {
    let t = Table::read(path)?;
    let [start, end, flow_c, regime_c, type_c, value_c, yoy_c, url_c] = t.cols([
        "period_start",
        "period_end",
        "flow",
        "customs_regime",
        "enterprise_type",
        "value_usd_thousand",
        "yoy_pct",
        "source_url",
    ])?;
    let mut sums: BTreeMap<(Period, Basis, Flow), (Decimal, u64)> = BTreeMap::new();
    for (line, r) in &t.records {
        let (period, basis) = period_of(path, *line, &r[start], &r[end])?;
        if period.year != year || &r[regime_c] != "TOTAL" {
            continue;
        }
        let Some((_, member)) = ENTERPRISES.iter().find(|(t, _)| *t == &r[type_c]) else { continue };
        let flow: Flow = r[flow_c].parse().map_err(|m| err(path, *line, "flow", m))?;
        let part = Part {
            value: number(path, *line, "value_usd_thousand", &r[value_c])?,
            rate: number(path, *line, "yoy_pct", &r[yoy_c])?,
            url: r[url_c].to_string(),
            ..Part::default()
        };
        let sum = sums.entry((period, basis, flow)).or_insert((Decimal::ZERO, *line));
        sum.0 += part.value.unwrap_or_default();
        rows.extend(single("enterprise_type", member, period, basis, flow, &part, "tables 6 and 7, TOTAL"));
    }
    // The types add up to table 5's TOTAL for the same months, or the tables disagree.
    for (key, (sum, line)) in sums {
        if let Some(total) = totals.get(&key).filter(|t| (sum - **t).abs() > Decimal::from(10)) {
            return Err(err(
                path,
                line,
                "value_usd_thousand",
                format!("the enterprise types of {key:?} add up to {sum}, not table 5's TOTAL {total}"),
            ));
        }
    }
    Ok(())
}

/// The total and ordinary trade as exports plus imports, with the growth table (3) publishes for
/// them (January-August 2019 in US dollars): where GACC published the rate, it is stated, not
/// one derived from implied values, which can differ in the last digit (-1.94% for the total of
/// January-August, published as -2.0%). The value is table 5's exports plus imports, which
/// table (3) must match to within 0.01%.
fn published_totals(path: &Path, year: i32, rows: &mut Vec<Out>) -> Result<(), DatasetError> {
    let t = Table::read(path)?;
    let [start, end, mode_c, unit_c, both_c, rate_c, url_c] = t.cols([
        "period_start",
        "period_end",
        "trade_mode",
        "unit",
        "export_import",
        "yoy_pct_export_import",
        "source_url",
    ])?;
    for (line, r) in &t.records {
        let (period, basis) = period_of(path, *line, &r[start], &r[end])?;
        let member = match &r[mode_c] {
            "Total Value" => ("total", "all"),
            "Ordinary Trade" => ("trade_mode", "ordinary"),
            _ => continue,
        };
        if period.year != year || &r[unit_c] != "USD_million" {
            continue;
        }
        let flow_value = |flow: &str| {
            rows.iter()
                .find(|o| {
                    (o.period, o.basis, o.dimension, o.member.as_str(), o.flow)
                        == (period, basis.as_str(), member.0, member.1, flow)
                })
                .map(|o| o.value)
        };
        let (Some(e), Some(i)) = (flow_value("export"), flow_value("import")) else { continue };
        let published = number(path, *line, "export_import", &r[both_c])?.unwrap_or_default() * Decimal::from(1000);
        // The two tables come from different releases and differ by a few millions in three
        // trillions (0.001%, see gacc-2019/PROVENANCE.txt); more would be different figures.
        if (published - (e + i)).abs() * Decimal::from(10_000) > e + i {
            return Err(err(
                path,
                *line,
                "export_import",
                format!("{published} thousand dollars, where table 5's exports plus imports are {}", e + i),
            ));
        }
        rows.push(Out {
            period,
            basis: basis.as_str(),
            dimension: member.0,
            member: member.1.to_string(),
            flow: "total",
            value: e + i,
            yoy_pct: number(path, *line, "yoy_pct_export_import", &r[rate_c])?,
            quantity: None,
            url: r[url_c].to_string(),
            note: "GACC table (3), the growth of exports plus imports; the value is table 5's exports plus imports"
                .into(),
        });
    }
    Ok(())
}

/// The bulk commodities of table 18, each summed over its customs regimes, with quantities.
fn commodities(path: &Path, year: i32, rows: &mut Vec<Out>) -> Result<(), DatasetError> {
    let t = Table::read(path)?;
    let [period_c, flow_c, commodity_c, unit_c, q_c, value_c, qrate_c, rate_c, url_c] = t.cols([
        "cumulative_period",
        "flow",
        "commodity",
        "quantity_unit",
        "quantity",
        "value_usd_thousand",
        "quantity_yoy_pct",
        "value_yoy_pct",
        "source_url",
    ])?;
    let mut parts: Parts = BTreeMap::new();
    for (line, r) in &t.records {
        let (start, end) = r[period_c]
            .split_once("..")
            .ok_or_else(|| err(path, *line, "cumulative_period", "not `YYYY-MM..YYYY-MM`".into()))?;
        let (period, basis) = period_of(path, *line, start, end)?;
        let Some((_, member)) = COMMODITIES.iter().find(|(name, _)| *name == &r[commodity_c]) else { continue };
        if period.year != year {
            continue;
        }
        if &r[unit_c] != "10000T" {
            return Err(err(
                path,
                *line,
                "quantity_unit",
                format!("`{}`: the commodities imported are in 10000T", &r[unit_c]),
            ));
        }
        let flow: Flow = r[flow_c].to_lowercase().parse().map_err(|m| err(path, *line, "flow", m))?;
        let part = Part {
            value: number(path, *line, "value_usd_thousand", &r[value_c])?,
            rate: number(path, *line, "value_yoy_pct", &r[rate_c])?,
            quantity: number(path, *line, "quantity", &r[q_c])?,
            quantity_rate: number(path, *line, "quantity_yoy_pct", &r[qrate_c])?,
            url: r[url_c].to_string(),
        };
        parts.entry((period, basis, flow, member.to_string())).or_default().push(part);
    }
    for ((period, basis, flow, member), parts) in parts {
        rows.extend(summed("product", &member, period, basis, flow, &parts, "table 18, sum of regimes"));
    }
    Ok(())
}

/// This year's row of a member that is one cell of a table, with its published rate, and the
/// year-earlier row that rate implies.
fn single(
    dimension: &'static str,
    member: &str,
    period: Period,
    basis: Basis,
    flow: Flow,
    part: &Part,
    source: &str,
) -> Vec<Out> {
    let Some(value) = part.value else { return Vec::new() };
    let mut out = vec![Out {
        period,
        basis: basis.as_str(),
        dimension,
        member: member.to_string(),
        flow: flow_str(flow),
        value,
        yoy_pct: part.rate,
        quantity: None,
        url: part.url.clone(),
        note: format!("GACC {source}"),
    }];
    if let Some(prior) = implied(part.value, part.rate) {
        out.push(Out {
            period: period.year_earlier(),
            value: round(prior, 0),
            yoy_pct: None,
            note: format!("implied, not published: {period} value / (1 + its yoy_pct / 100)"),
            ..out[0].clone()
        });
    }
    out
}

/// This year's row of a member summed from several cells, and the year-earlier row implied by
/// their published rates (where every cell with a value has one). A sum has no published rate.
fn summed(
    dimension: &'static str,
    member: &str,
    period: Period,
    basis: Basis,
    flow: Flow,
    parts: &[Part],
    source: &str,
) -> Vec<Out> {
    if parts.len() == 1 {
        let mut rows = single(dimension, member, period, basis, flow, &parts[0], source);
        if let Some(first) = rows.first_mut() {
            first.quantity = parts[0].quantity;
        }
        if let (Some(q), Some(prior)) = (implied(parts[0].quantity, parts[0].quantity_rate), rows.get_mut(1)) {
            prior.quantity = Some(round(q, 2));
        }
        return rows;
    }
    let value: Decimal = parts.iter().filter_map(|p| p.value).sum();
    let quantity = parts.iter().any(|p| p.quantity.is_some()).then(|| parts.iter().filter_map(|p| p.quantity).sum());
    let url = parts.first().map(|p| p.url.clone()).unwrap_or_default();
    let row = Out {
        period,
        basis: basis.as_str(),
        dimension,
        member: member.to_string(),
        flow: flow_str(flow),
        value,
        yoy_pct: None,
        quantity,
        url,
        note: format!("GACC {source}"),
    };
    // A cell without a value ("-") is no trade this year, and counts as none a year earlier too.
    let prior = |pick: fn(&Part) -> (Option<Decimal>, Option<Decimal>)| -> Option<Decimal> {
        parts
            .iter()
            .map(|p| match pick(p) {
                (None, _) => Some(Decimal::ZERO),
                (v, r) => implied(v, r),
            })
            .sum()
    };
    let prior_value = prior(|p| (p.value, p.rate));
    let prior_quantity = quantity.and_then(|_| prior(|p| (p.quantity, p.quantity_rate)));
    let mut out = vec![row.clone()];
    if let Some(pv) = prior_value {
        out.push(Out {
            period: period.year_earlier(),
            value: round(pv, 0),
            quantity: prior_quantity.map(|q| round(q, 2)),
            note: format!(
                "implied, not published: the sum over regimes of each {period} value / (1 + its yoy_pct / 100)"
            ),
            ..row
        });
    }
    out
}

/// The year-earlier value a value and its published rate imply.
fn implied(value: Option<Decimal>, rate: Option<Decimal>) -> Option<Decimal> {
    let base = Decimal::ONE + rate? / Decimal::ONE_HUNDRED;
    (base > Decimal::ZERO).then(|| value.map(|v| v / base)).flatten()
}

fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero).normalize()
}

fn flow_str(flow: Flow) -> &'static str {
    flow.as_str()
}

fn csv_of(rows: &[Out]) -> String {
    let mut text = String::from("period,basis,flow,dimension,member,value,yoy_pct,quantity,source_url,note\n");
    let opt = |d: Option<Decimal>| d.map(|d| d.to_string()).unwrap_or_default();
    for r in rows {
        writeln!(
            text,
            "{},{},{},{},{},{},{},{},{},\"{}\"",
            r.period,
            r.basis,
            r.flow,
            r.dimension,
            r.member,
            r.value,
            opt(r.yoy_pct),
            opt(r.quantity),
            r.url,
            r.note.replace('"', "\"\"")
        )
        .expect("writing to a String");
    }
    text
}

fn yaml_of(year: i32) -> String {
    format!(
        "# Written by `tradescribe import gacc`; edit names here, not the numbers in trade.csv.\n\
         # See PROVENANCE.txt: which tables, which months, and which rows are implied, not published.\n\
         id: china-customs-{year}\n\
         reporter:\n  en: {{ name: China, possessive: \"China's\" }}\n  zh: {{ name: 中国, possessive: 我国 }}\n\
         currency: USD\n\
         unit: 1000   # values are thousands of US dollars, the unit of GACC's tables\n\
         source:\n  en: General Administration of Customs of the People's Republic of China (GACC), tables in US dollars\n  zh: 海关总署\n\
         files: [trade.csv]\n\
         # GACC computes its growth rates on its own figures for the year before, which its tables do not\n\
         # give: the year-earlier rows here are implied by the published rates (see PROVENANCE.txt), so a\n\
         # rate GACC publishes for a sum may stand a little further from them than rounding explains.\n\
         published_rates: {{ revised_base: true, margin_pp: 0.1 }}\n\
         dimensions:\n\
         \x20 trade_mode:\n\
         \x20   label: {{ en: trade modes, zh: 贸易方式 }}\n\
         \x20   complete: true   # the modes add up to the total\n\
         \x20   members:\n\
         \x20     ordinary: {{ en: ordinary trade, zh: 一般贸易 }}\n\
         \x20     processing: {{ en: processing trade, zh: 加工贸易 }}\n\
         \x20     bonded_logistics: {{ en: bonded logistics, zh: 保税物流 }}\n\
         \x20     other: {{ en: other trade, zh: 其他贸易方式 }}\n\
         \x20 enterprise_type:\n\
         \x20   label: {{ en: types of enterprises, zh: 各类企业 }}\n\
         \x20   complete: true   # the types add up to the total\n\
         \x20   members:\n\
         \x20     private: {{ en: private enterprises, zh: 民营企业 }}\n\
         \x20     fie: {{ en: foreign-invested enterprises, zh: 外商投资企业 }}\n\
         \x20     soe: {{ en: state-owned enterprises, zh: 国有企业 }}\n\
         \x20     other: {{ en: other enterprises, zh: 其他企业 }}\n\
         \x20 product:\n\
         \x20   label: {{ en: products, zh: 商品 }}\n\
         \x20   quantity_unit: 10000 t\n\
         \x20   members:\n\
         \x20     crude_oil: {{ en: crude oil, zh: 原油 }}\n\
         \x20     iron_ore: {{ en: iron ore, zh: 铁矿砂 }}\n\
         \x20     natural_gas: {{ en: natural gas, zh: 天然气 }}\n\
         \x20     soybeans: {{ en: soybeans, zh: 大豆 }}\n\
         \x20     fuel_oil: {{ en: fuel oil, zh: 燃料油 }}\n"
    )
}
