//! `import` through layouts, and bulletins from what it writes: a wide table by market (CSV and
//! .xlsx, through docs/examples/market-table.yaml) and a UN Comtrade download (the built-in
//! `comtrade` layout). Both fixtures hold real U.S. Census figures (tests/fixtures/import/
//! PROVENANCE.txt); every figure is checked against sums computed here from the fixture itself.

mod common;
use common::{run, scratch};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tradescribe::dataset::Currency;
use tradescribe::render::helpers::amount;

const LAYOUT: &str = "docs/examples/market-table.yaml";
const TABLE: &str = "tests/fixtures/import/market-table";
const COMTRADE: &str = "tests/fixtures/import/comtrade/us-2018-2019.csv";

fn import(layout: &str, files: &[&str], out: &Path) -> common::Run {
    let mut args = vec!["import", layout];
    args.extend(files);
    args.extend(["--out", out.to_str().unwrap()]);
    run(&args)
}

/// label -> flow ("export"/"import") -> period ("2019-07") -> value, from the wide fixture.
type Table = HashMap<String, HashMap<&'static str, HashMap<String, Decimal>>>;

fn read_table() -> Table {
    let mut out: Table = HashMap::new();
    for (flow, file) in [("export", "exports.csv"), ("import", "imports.csv")] {
        let mut rdr =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(Path::new(TABLE).join(file)).unwrap();
        let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        let h = rows.iter().position(|r| &r[0] == "Data Series").unwrap();
        let months: Vec<String> = rows[h].iter().skip(1).map(month).collect();
        for r in &rows[h + 1..] {
            if r.len() < 2 || r[0].trim().is_empty() {
                continue;
            }
            let by_month = out.entry(r[0].trim().to_string()).or_default().entry(flow).or_default();
            for (m, cell) in months.iter().zip(r.iter().skip(1)) {
                by_month.insert(m.clone(), cell.replace(',', "").parse().unwrap());
            }
        }
    }
    out
}

/// "2019 Jul" -> "2019-07", by hand.
fn month(label: &str) -> String {
    let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (y, m) = label.split_once(' ').unwrap();
    format!("{y}-{:02}", names.iter().position(|n| *n == m).unwrap() + 1)
}

/// The members of each group the imported dataset has, in July 2019, by label (the reporter,
/// the United States, is left out of the groups it belongs to).
fn group_labels(group: &str) -> Vec<&'static str> {
    let eu = vec![
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
        "Slovak Republic",
        "Slovenia",
        "Spain",
        "Sweden",
        "United Kingdom",
    ];
    match group {
        "eu" => eu,
        // Croatia adopted the euro in 2023; Bulgaria, the Czech Republic, Denmark, Hungary,
        // Poland, Romania, Sweden and the UK have not.
        "euro_area" => eu
            .into_iter()
            .filter(|c| {
                ![
                    "Bulgaria",
                    "Croatia",
                    "Czech Republic",
                    "Denmark",
                    "Hungary",
                    "Poland",
                    "Romania",
                    "Sweden",
                    "United Kingdom",
                ]
                .contains(c)
            })
            .collect(),
        "asean" => vec![
            "Brunei Darussalam",
            "Myanmar",
            "Cambodia",
            "Indonesia",
            "Lao People's Democratic Republic",
            "Malaysia",
            "Philippines",
            "Singapore",
            "Thailand",
            "Viet Nam",
        ],
        "g7" => vec!["Canada", "France", "Germany", "Italy", "Japan", "United Kingdom"],
        "usmca" => vec!["Canada", "Mexico"],
        // Egypt, the UAE (2024) and Indonesia (2025) joined later.
        "brics" => vec!["Brazil", "Russian Federation", "India", "China", "South Africa"],
        other => panic!("no members listed here for group {other}"),
    }
}

/// The value of a member over `months` of `year` (a label, or a group of labels), in the
/// fixture's millions; `None` where a group has no member then (RCEP before 2022).
fn sum(t: &Table, labels: &[&str], flow: &str, year: i32, months: std::ops::RangeInclusive<u32>) -> Option<Decimal> {
    if labels.is_empty() {
        return None;
    }
    let one = |label: &str, flow: &str| -> Decimal {
        months.clone().map(|m| t[label][flow][&format!("{year}-{m:02}")]).sum()
    };
    Some(match flow {
        "total" => labels.iter().map(|l| one(l, "export") + one(l, "import")).sum(),
        "balance" => labels.iter().map(|l| one(l, "export") - one(l, "import")).sum(),
        f => labels.iter().map(|l| one(l, f)).sum(),
    })
}

/// Checks every line of `tradescribe stats` for July 2019 against the fixture: each member's
/// month and year-to-date values, now and a year earlier, for every flow. `scale` converts the
/// fixture's millions to the dataset's unit.
fn check_stats(dir: &Path, t: &Table, scale: Decimal, expect_members: usize) {
    let r = run(&["stats", "--data", dir.to_str().unwrap(), "--period", "2019-07"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ids: HashMap<String, String> =
        t.keys().map(|label| (tradescribe::import::write::member_id(label, None), label.clone())).collect();
    let mut checked = std::collections::HashSet::new();
    for line in r.stdout.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (dim, member, flow, basis, value, prior) = (f[0], f[1], f[2], f[3], f[4], f[5]);
        let labels: Vec<&str> = match dim {
            "total" => vec!["Total All Markets"],
            "partner_group" if member == "rcep" => vec![],
            "partner_group" => group_labels(member),
            _ => vec![ids.get(member).unwrap_or_else(|| panic!("{member}: not in the fixture")).as_str()],
        };
        let months = if basis == "ytd" { 1..=7 } else { 7..=7 };
        let want = sum(t, &labels, flow, 2019, months.clone()).map(|v| (v * scale).normalize().to_string());
        let want_prior = sum(t, &labels, flow, 2018, months).map(|v| (v * scale).normalize().to_string());
        assert_eq!((Some(value.to_string()), Some(prior.to_string())), (want, want_prior), "{line}");
        checked.insert((dim.to_string(), member.to_string()));
    }
    assert_eq!(checked.len(), expect_members, "members checked");
}

/// The bulletin's lede states the year to date's total trade as the fixture sums it, in English
/// and in Chinese; the JSON bulletin's figures for every subject it states are the stats'.
fn check_bulletin(dir: &Path, t: &Table, unit: Decimal, scale: Decimal) {
    let total = sum(t, &["Total All Markets"], "total", 2019, 1..=7).unwrap() * scale;
    let (en, zh) = (amount::en(total, unit, &Currency::USD), amount::zh(total, unit, &Currency::USD));
    assert_eq!((en.as_str(), zh.as_str()), ("$2.41 trillion", "2.41万亿美元"));
    for (lang, want) in [("en", &en), ("zh", &zh)] {
        let r = run(&["--data", dir.to_str().unwrap(), "--period", "2019-07", "--lang", lang]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let lede = r.stdout.lines().nth(2).unwrap();
        assert!(lede.contains(want.as_str()), "{lang}: {lede}");
    }
    let r = run(&["--data", dir.to_str().unwrap(), "--period", "2019-07", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let stats = run(&["stats", "--data", dir.to_str().unwrap(), "--period", "2019-07"]).stdout;
    let mut stated = 0;
    for fact in json["facts"].as_array().unwrap() {
        let basis = fact["over"]["basis"].as_str().unwrap();
        for s in fact["subjects"].as_array().unwrap() {
            for (flow, f) in s["flows"].as_object().unwrap() {
                let value: Decimal = f["value"].as_str().unwrap().parse().unwrap();
                let (dim, member) = (s["dimension"].as_str().unwrap(), s["member"].as_str().unwrap());
                let key = format!("{dim},{member},{flow},{basis},{},", value.normalize());
                assert!(stats.contains(&key), "{key} is not among the stats");
                stated += 1;
            }
        }
    }
    assert!(stated >= 20, "{stated} figures");
}

#[test]
fn a_wide_table_in_csv_and_in_xlsx_imports_alike_and_makes_a_correct_bulletin() {
    let t = read_table();
    let (csv_dir, xlsx_dir) = (scratch("import-wide-csv").join("us"), scratch("import-wide-xlsx").join("us"));
    let r = import(LAYOUT, &[&format!("{TABLE}/exports.csv"), &format!("{TABLE}/imports.csv")], &csv_dir);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("wrote 2622 rows, 68 members, 2018-01 to 2019-07"), "{}", r.stderr);
    let r = import(LAYOUT, &[&format!("{TABLE}/imports.xlsx"), &format!("{TABLE}/exports.xlsx")], &xlsx_dir);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for name in ["trade.csv", "dataset.yaml"] {
        let (a, b) = (
            std::fs::read_to_string(csv_dir.join(name)).unwrap(),
            std::fs::read_to_string(xlsx_dir.join(name)).unwrap(),
        );
        assert!(a == b, "{name}: the CSV and the .xlsx import differ");
    }
    let yaml = std::fs::read_to_string(csv_dir.join("dataset.yaml")).unwrap();
    for line in [
        "currency: USD",
        "unit: 1000000   # currency units in one unit of `value`",
        "      south_korea: { en: \"South Korea\", zh: \"韩国\" }",
        "      myanmar: { en: \"Myanmar\", zh: \"缅甸\" }",
        "      europe: { en: \"Europe\", zh: \"\" }",
        "  eu: { builtin: eu, dimension: partner_group, of: partner }",
        // A built-in group's name is plural: "the other G7 countries were".
        "      g7: { en: { name: \"the other G7 countries\", plural: true }, zh: \"七国集团其他成员\" }",
    ] {
        assert!(yaml.lines().any(|l| l == line), "no line `{line}` in:\n{yaml}");
    }
    // 62 markets, 6 regions, the total, and the groups EU, euro area, ASEAN, G7, USMCA and BRICS;
    // RCEP, also named, has no member before 2022 and so no value in 2019.
    check_stats(&csv_dir, &t, Decimal::ONE, 62 + 6 + 1 + 6);
    check_bulletin(&csv_dir, &t, Decimal::from(1_000_000), Decimal::ONE);
}

#[test]
fn a_comtrade_download_imports_through_the_builtin_layout_and_makes_a_correct_bulletin() {
    let t = read_table();
    let dir = scratch("import-comtrade").join("us");
    let r = import("comtrade", &[COMTRADE], &dir);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("wrote 912 rows, 23 members, 2018-01 to 2019-07"), "{}", r.stderr);
    let yaml = std::fs::read_to_string(dir.join("dataset.yaml")).unwrap();
    assert!(yaml.contains("  en: { name: \"the United States\", possessive: \"the United States'\" }"), "{yaml}");
    assert!(yaml.contains("unit: 1   #") && yaml.contains("currency: USD"), "{yaml}");
    // Comtrade's values are dollars; the fixture's millions times a million.
    let million = Decimal::from(1_000_000);
    check_comtrade_stats(&dir, &t, million);
    check_bulletin(&dir, &t, Decimal::ONE, million);
}

/// The Comtrade fixture has 23 partners, the world and ASEAN's ten among them: checked as the
/// wide table's are, with groups of the members it has.
fn check_comtrade_stats(dir: &Path, t: &Table, scale: Decimal) {
    let r = run(&["stats", "--data", dir.to_str().unwrap(), "--period", "2019-07"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let by_id: HashMap<String, String> =
        t.keys().map(|label| (tradescribe::import::write::member_id(label, None), label.clone())).collect();
    let mut n = 0;
    for line in r.stdout.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let labels: Vec<&str> = match (f[0], f[1]) {
            ("total", _) => vec!["Total All Markets"],
            ("partner_group", "asean") => group_labels("asean"),
            ("partner_group", "usmca") => group_labels("usmca"),
            ("partner_group", "g7") => group_labels("g7"),
            ("partner_group", "rcep") => vec![],
            ("partner", id) => vec![by_id[id].as_str()],
            (d, m) => panic!("{d} {m}: not expected"),
        };
        let months = if f[3] == "ytd" { 1..=7 } else { 7..=7 };
        let want = sum(t, &labels, f[2], 2019, months.clone()).map(|v| (v * scale).normalize().to_string());
        let prior = sum(t, &labels, f[2], 2018, months).map(|v| (v * scale).normalize().to_string());
        assert_eq!((Some(f[4].to_string()), Some(f[5].to_string())), (want, prior), "{line}");
        n += 1;
    }
    // Partners, the total, ASEAN, the G7 and USMCA (RCEP has no value before 2022), each for four
    // flows and two bases.
    assert_eq!(n, (23 + 1 + 3) * 4 * 2, "lines checked");
}

/// A scratch folder with a layout and a file.
fn case(name: &str, layout: &str, file: &str, text: &[u8]) -> (PathBuf, PathBuf, PathBuf) {
    let dir = scratch(name);
    std::fs::write(dir.join("layout.yaml"), layout).unwrap();
    std::fs::write(dir.join(file), text).unwrap();
    (dir.join("layout.yaml"), dir.join(file), dir.join("out"))
}

const SMALL_LAYOUT: &str = "shape: wide\nheader: { first_cell: Market }\nmember: { column: Market }\n\
    total: [Total]\nflow: export\nunit: line\nreporter: Singapore\ncurrency: SGD\nsource: test\n";

/// Refuses, with exit code 3, a message with file, line and column, and nothing written.
fn refused(name: &str, layout: &str, file: &str, text: &str, want: &str) {
    let (layout, input, out) = case(name, layout, file, text.as_bytes());
    let r = import(layout.to_str().unwrap(), &[input.to_str().unwrap()], &out);
    assert_eq!(r.code, 3, "{name}: {}", r.stderr);
    let want = want.replace("FILE", &input.display().to_string()).replace("LAYOUT", &layout.display().to_string());
    assert!(r.stderr.contains(&want), "{name}: wanted `{want}` in:\n{}", r.stderr);
    assert!(!out.exists(), "{name}: nothing is written");
}

#[test]
fn what_cannot_be_mapped_is_refused_with_file_line_and_column() {
    let head = "Exports by market\nThousand Dollars\n\nMarket,2019 Feb,2019 Jan\nTotal,10,9\n";
    refused(
        "month-label",
        SMALL_LAYOUT,
        "t.csv",
        "Exports\nThousand Dollars\nMarket,2019 Fbe,2019 Jan\nTotal,1,2\n",
        "FILE:3:2: `2019 Fbe` is not a month label (2025 Feb, Feb 2025, Feb-25",
    );
    refused("not-a-number", SMALL_LAYOUT, "t.csv", &format!("{head}Malaysia,4,3x\n"), "FILE:6:3: `3x` is not a number");
    refused(
        "no-name",
        SMALL_LAYOUT,
        "t.csv",
        &format!("{head},4,3\n"),
        "FILE:6:1: a row with values but no member name",
    );
    refused("negative", SMALL_LAYOUT, "t.csv", &format!("{head}Malaysia,-4,3\n"), "FILE:6:2: `-4` is negative");
    refused(
        "twice",
        SMALL_LAYOUT,
        "t.csv",
        &format!("{head}Malaysia,4,3\nMalaysia,5,3\n"),
        "FILE:7:2: export of `Malaysia` (2019-02 month) again: first at FILE:6:2",
    );
    refused(
        "no-total",
        SMALL_LAYOUT,
        "t.csv",
        "Thousand Dollars\nMarket,2019 Feb\nMalaysia,4\n",
        "FILE: no row is the reporter's total",
    );
    refused(
        "no-unit",
        SMALL_LAYOUT,
        "t.csv",
        "Exports\nMarket,2019 Feb\nTotal,4\n",
        "FILE: no line above the header gives the unit",
    );
    refused(
        "no-header",
        SMALL_LAYOUT,
        "t.csv",
        "Exports\nThousand Dollars\nCountry,2019 Feb\nTotal,4\n",
        "FILE: no line starts with `Market`",
    );
    refused(
        "same-month",
        SMALL_LAYOUT,
        "t.csv",
        "Thousand Dollars\nMarket,2019 Feb,Feb-19\nTotal,4,4\n",
        "FILE:2:3: `Feb-19` again (first in column 2)",
    );
    refused(
        "layout-key",
        &format!("{SMALL_LAYOUT}colour: red\n"),
        "t.csv",
        head,
        "LAYOUT:10:1: unknown field `colour`",
    );
    refused(
        "layout-flow",
        &SMALL_LAYOUT.replace("flow: export", "flow: { file_name: { export: exp }, line: { import: Imp } }"),
        "t.csv",
        head,
        "LAYOUT:0:0: `flow` is a flow (export, import), or one of",
    );
    let long = "shape: long\nheader: 1\nmember: { column: partner }\ntotal: [World]\nperiod: period\nvalue: value\n\
        flow: { column: flow, values: { X: export, M: import }, ignore: [RX] }\nunit: 1\n\
        reporter: { column: reporter }\ncurrency: USD\nsource: test\n";
    let rows = "reporter,partner,flow,period,value\nUSA,World,X,201907,10\nUSA,World,RX,201907,1\n";
    refused(
        "flow-code",
        long,
        "t.csv",
        &format!("{rows}USA,Canada,Q,201907,4\n"),
        "FILE:4:3: `Q` is not a flow the layout knows (M, X, RX)",
    );
    refused(
        "period",
        long,
        "t.csv",
        &format!("{rows}USA,Canada,X,2019-7-1,4\n"),
        "FILE:4:4: `2019-7-1` is not a month label",
    );
    refused(
        "reporter",
        long,
        "t.csv",
        &format!("{rows}Canada,World,M,201907,4\n"),
        "FILE:4:1: a second reporter, `Canada`",
    );
    refused("long-name", long, "t.csv", &format!("{rows}USA,,X,201907,4\n"), "FILE:4:2: a row with no member name");
}

#[test]
fn a_non_numeric_cell_of_a_spreadsheet_is_named_by_row_and_column() {
    // The wide fixture's .xlsx with one number replaced by text: made from the fixture by
    // rewriting its sheet, so the workbook is otherwise the real one.
    let cell = "<c r=\"C7\" t=\"inlineStr\"><is><t>n/a</t></is></c><c r=\"X7\"><v>";
    refused_cell("import-xlsx-bad", cell, "`n/a` is not a number");
}

/// Imports the wide fixture's exports.xlsx with the cell C7 replaced (`cell` stands for its
/// opening `<c r="C7"><v>`), and checks the import is refused with `want` at row 7, column 3,
/// and nothing written.
fn refused_cell(name: &str, cell: &str, want: &str) {
    let dir = scratch(name);
    let src = std::fs::File::open(Path::new(TABLE).join("exports.xlsx")).unwrap();
    let mut zip = zip_entries(src);
    let sheet = zip.iter_mut().find(|(n, _)| n == "xl/worksheets/sheet1.xml").unwrap();
    let text = String::from_utf8(sheet.1.clone()).unwrap();
    let bad = text.replacen("<c r=\"C7\"><v>", cell, 1);
    assert_ne!(bad, text);
    sheet.1 = bad.into_bytes();
    let file = dir.join("exports.xlsx");
    write_zip(&file, &zip);
    let out = dir.join("out");
    let r = import(LAYOUT, &[file.to_str().unwrap(), &format!("{TABLE}/imports.xlsx")], &out);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{}:7:3: {want}", file.display())), "{}", r.stderr);
    assert!(!out.exists());
}

#[test]
fn an_error_cell_of_a_spreadsheet_is_named_as_the_sheet_shows_it() {
    // As above, with a formula's error (`#DIV/0!`) where a number should be: the message shows
    // what the sheet shows, not the reader's name for it (`#Div0`).
    let cell = "<c r=\"C7\" t=\"e\"><v>#DIV/0!</v></c><c r=\"X7\"><v>";
    refused_cell("import-xlsx-error", cell, "`#DIV/0!` is not a number");
}

fn zip_entries(file: std::fs::File) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(file).unwrap();
    (0..z.len())
        .map(|i| {
            let mut e = z.by_index(i).unwrap();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            (e.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        z.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

#[test]
fn a_second_import_keeps_dataset_yaml_and_refuses_a_member_it_does_not_declare() {
    let dir = scratch("import-again").join("us");
    let files = [format!("{TABLE}/exports.csv"), format!("{TABLE}/imports.csv")];
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    assert_eq!(import(LAYOUT, &files, &dir).code, 0);
    // A person fills in a Chinese name; the next month's import keeps it.
    let yaml = std::fs::read_to_string(dir.join("dataset.yaml"))
        .unwrap()
        .replace("europe: { en: \"Europe\", zh: \"\" }", "europe: { en: \"Europe\", zh: \"欧洲\" }");
    std::fs::write(dir.join("dataset.yaml"), &yaml).unwrap();
    let r = import(LAYOUT, &files, &dir);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("kept {}", dir.join("dataset.yaml").display())), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(dir.join("dataset.yaml")).unwrap(), yaml);
    // A market that dataset.yaml does not declare.
    let yaml = yaml.replace("      israel: { en: \"Israel\", zh: \"以色列\" }\n", "");
    std::fs::write(dir.join("dataset.yaml"), &yaml).unwrap();
    let before = std::fs::read(dir.join("trade.csv")).unwrap();
    let r = import(LAYOUT, &files, &dir);
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("`Israel` (tests/fixtures/import/market-table/exports.csv:"), "{}", r.stderr);
    assert!(
        r.stderr.contains("is not a member `israel` of `partner` here: add it, or write a new dataset.yaml"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read(dir.join("trade.csv")).unwrap(), before, "trade.csv is left as it was");
}

#[test]
fn init_writes_a_starting_dataset_yaml_and_keeps_one_that_is_there() {
    let dir = scratch("init").join("us");
    let files = [format!("{TABLE}/exports.csv"), format!("{TABLE}/imports.csv")];
    assert_eq!(import(LAYOUT, &files.iter().map(String::as_str).collect::<Vec<_>>(), &dir).code, 0);
    let imported = std::fs::read_to_string(dir.join("dataset.yaml")).unwrap();
    let csv = dir.join("trade.csv");
    let (d, c) = (dir.to_str().unwrap(), csv.to_str().unwrap());
    let r = run(&["init", d, "--from", c]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("{} exists: --force replaces it", dir.join("dataset.yaml").display())),
        "{}",
        r.stderr
    );
    // From the canonical CSV alone, nothing said: the names come from the ids, and what the
    // data cannot tell is left to fill in; the dataset does not load until it is.
    let r = run(&["init", d, "--from", c, "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("before a first bulletin:") && r.stderr.contains("`currency` is empty: fill in"),
        "{}",
        r.stderr
    );
    let yaml = std::fs::read_to_string(dir.join("dataset.yaml")).unwrap();
    for line in [
        "  en: { name: \"\", possessive: \"\" }   # fill in: who reports the figures",
        "currency: \"\"   # fill in: an ISO 4217 code (USD, EUR, SGD...)",
        "      south_and_central_america: { en: \"South and Central America\", zh: \"\" }",
        "      united_kingdom: { en: { name: \"the United Kingdom\", short: \"the UK\" }, zh: \"英国\" }",
        "    complete: false",
        "  asean: { builtin: asean, dimension: partner_group, of: partner, without: [TLS] }   # not in the data: Timor-Leste; the group is summed without them",
        // Without a reporter, the United States is not known to be one: USMCA needs it.
        "  g7: { builtin: g7, dimension: partner_group, of: partner, without: [USA] }   # not in the data: the United States; the group is summed without them",
    ] {
        assert!(yaml.lines().any(|l| l == line), "no line `{line}` in:\n{yaml}");
    }
    assert_eq!(run(&["validate", "--data", d]).code, 3);
    // Told what the data cannot say, it writes what the import wrote.
    let r = run(&[
        "init",
        d,
        "--from",
        c,
        "--force",
        "--reporter",
        "United States",
        "--currency",
        "USD",
        "--unit",
        "1000000",
        "--source",
        "U.S. Census Bureau, U.S. Trade in Goods by Country",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("it loads"), "{}", r.stderr);
    let yaml = std::fs::read_to_string(dir.join("dataset.yaml")).unwrap();
    let body = |y: &str| y.lines().skip_while(|l| l.starts_with('#')).map(|l| l.to_string() + "\n").collect::<String>();
    assert_eq!(
        body(&yaml).replace("# currency units in one unit of `value`", ""),
        body(&imported).replace("# currency units in one unit of `value`", "")
    );
    let r = run(&["init", d, "--from", c, "--force", "--currency", "XYZ"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--currency: `XYZ` is not an ISO 4217 currency code"), "{}", r.stderr);
    let r = run(&["init", d, "--from", "README.md", "--force"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("README.md is not inside"), "{}", r.stderr);
}

#[test]
fn currencies_are_data_in_english_and_chinese() {
    let base = scratch("import-currency").join("us");
    let files = [format!("{TABLE}/exports.csv"), format!("{TABLE}/imports.csv")];
    assert_eq!(import(LAYOUT, &files.iter().map(String::as_str).collect::<Vec<_>>(), &base).code, 0);
    let yaml = std::fs::read_to_string(base.join("dataset.yaml")).unwrap();
    for (i, currency, en, zh) in [
        ("SGD", "S$2.41 trillion", "2.41万亿新加坡元"),
        ("JPY", "2.41 trillion yen", "2.41万亿日元"),
        ("EUR", "€2.41 trillion", "2.41万亿欧元"),
        ("{ code: SGD, zh: 新元 }", "S$2.41 trillion", "2.41万亿新元"),
        ("{ code: KRW, style: symbol }", "₩2.41 trillion", "2.41万亿韩元"),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, c)| (i, c.0, c.1, c.2))
    {
        let dir = base.with_file_name(format!("in-{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(base.join("trade.csv"), dir.join("trade.csv")).unwrap();
        std::fs::write(dir.join("dataset.yaml"), yaml.replace("currency: USD", &format!("currency: {currency}")))
            .unwrap();
        for (lang, want) in [("en", en), ("zh", zh)] {
            let r = run(&["--data", dir.to_str().unwrap(), "--period", "2019-07", "--lang", lang]);
            assert_eq!(r.code, 0, "{}", r.stderr);
            let lede = r.stdout.lines().nth(2).unwrap();
            assert!(lede.contains(want), "{currency} {lang}: {lede}");
            assert!(!lede.contains('$') || want.contains('$'), "{currency} {lang}: {lede}");
        }
    }
}

/// Synthetic tables (made-up figures, for the mapping only): the same three members shown by
/// codes, by a parent column and by indentation give the same rows; the flow from the file's
/// name; rows left out by `where`; a year label as January-December.
#[test]
fn hierarchies_by_code_and_by_parent_and_flows_by_file_name() {
    let common = "shape: wide\nheader: 1\nflow: { file_name: { export: exp, import: imp } }\nunit: 1000\n\
        reporter: Singapore\ncurrency: SGD\nsource: synthetic\nmonths: { ignore: [Parent, Code] }\n";
    let by_code = format!(
        "{common}member: {{ column: Market, code: Code }}\nhierarchy: {{ by: code, levels: [total, region, partner] }}\n"
    );
    let by_parent = format!(
        "{common}member: {{ column: Market }}\nhierarchy: {{ by: parent, column: Parent, levels: [total, region, partner] }}\n"
    );
    let table = |flow: u32| {
        format!(
            "Code,Market,Parent,2019-02,2019-01\n1,World,,{},{}\n11,Asia,World,{},{}\n111,Malaysia,Asia,{},{}\n112,Thailand,Asia,-,{}\n",
            30 * flow,
            20 * flow,
            12 * flow,
            8 * flow,
            7 * flow,
            5 * flow,
            2 * flow
        )
    };
    let mut outputs = Vec::new();
    for (name, layout) in [("by-code", &by_code), ("by-parent", &by_parent)] {
        let dir = scratch(&format!("import-{name}"));
        std::fs::write(dir.join("layout.yaml"), layout).unwrap();
        std::fs::write(dir.join("sg-exp.csv"), table(1)).unwrap();
        std::fs::write(dir.join("sg-imp.csv"), table(2)).unwrap();
        let files = [dir.join("sg-exp.csv"), dir.join("sg-imp.csv")];
        let r = import(
            dir.join("layout.yaml").to_str().unwrap(),
            &[files[0].to_str().unwrap(), files[1].to_str().unwrap()],
            &dir.join("out"),
        );
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        outputs.push(std::fs::read_to_string(dir.join("out/trade.csv")).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(
        outputs[0],
        "period,basis,flow,dimension,member,value\n\
         2019-01,month,export,total,all,20\n2019-01,month,import,total,all,40\n\
         2019-01,month,export,partner,malaysia,5\n2019-01,month,import,partner,malaysia,10\n\
         2019-01,month,export,partner,thailand,2\n2019-01,month,import,partner,thailand,4\n\
         2019-01,month,export,region,asia,8\n2019-01,month,import,region,asia,16\n\
         2019-02,month,export,total,all,30\n2019-02,month,import,total,all,60\n\
         2019-02,month,export,partner,malaysia,7\n2019-02,month,import,partner,malaysia,14\n\
         2019-02,month,export,region,asia,12\n2019-02,month,import,region,asia,24\n"
    );
    // A long table: rows of another commodity left out, and a year's value as its twelve months.
    let dir = scratch("import-where");
    let layout = "shape: long\nheader: 1\nmember: { column: partner }\ntotal: [World]\nperiod: period\nvalue: value\n\
        flow: export\nunit: 1\nreporter: Singapore\ncurrency: SGD\nsource: synthetic\nwhere: { cmd: [TOTAL] }\n";
    std::fs::write(dir.join("layout.yaml"), layout).unwrap();
    let mut rows = String::from("partner,cmd,period,value\nWorld,TOTAL,2018,78\nWorld,27,2018,5\n");
    for m in 1..=12 {
        rows += &format!("World,TOTAL,2018{m:02},{m}\nWorld,27,2018{m:02},1\n");
    }
    std::fs::write(dir.join("t.csv"), &rows).unwrap();
    let r = import(dir.join("layout.yaml").to_str().unwrap(), &[dir.join("t.csv").to_str().unwrap()], &dir.join("out"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let csv = std::fs::read_to_string(dir.join("out/trade.csv")).unwrap();
    assert!(
        csv.contains("2018-12,ytd,export,total,all,78\n") && csv.contains("2018-07,month,export,total,all,7\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + 12 + 1, "{csv}");
    // A year that is not the sum of its months is refused: the data contradicts itself.
    std::fs::write(dir.join("t.csv"), rows.replace("World,TOTAL,2018,78", "World,TOTAL,2018,90")).unwrap();
    let r =
        import(dir.join("layout.yaml").to_str().unwrap(), &[dir.join("t.csv").to_str().unwrap()], &dir.join("out2"));
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("90 is not the sum of its months (78"), "{}", r.stderr);
    assert!(!dir.join("out2").exists());
}
