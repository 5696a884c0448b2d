//! `import census-country`: the U.S. Census Bureau's `country.csv` (a CSV export of
//! `country.xlsx`, "U.S. Trade in Goods by Country") into a canonical dataset folder.

use super::Imported;
use super::read::sheet_number;
use crate::dataset::{DatasetError, Period, TOTAL_DIMENSION, TOTAL_MEMBER};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

/// Census code of the world total, not seasonally adjusted: the reporter's total.
const WORLD_NSA: &str = "0015";

/// Census aggregates that are groups of partner countries, kept as the `partner_group` dimension.
/// The others below 1000 are left out: 0004 is seasonally adjusted (not comparable with country
/// rows), 0005, 0006, 0021 and 0022 count imports for consumption only, 0007 is a product class,
/// and 0003, the European Union, has the members of each year (28 in 2019, 27 in 2020), so its
/// growth across 2020 compares unlike with unlike: the EU is built from its members instead (below).
const GROUPS: [(&str, &str, &str, &str); 9] = [
    ("0009", "south_central_america", "South and Central America", "South and Central America"),
    ("0010", "north_america", "North America", "North America"),
    ("0012", "europe", "Europe", "Europe"),
    ("0013", "africa", "Africa", "Africa"),
    ("0014", "pacific_rim", "the Pacific Rim countries", "the Pacific Rim"),
    ("0016", "asia", "Asia", "Asia"),
    ("0017", "cafta_dr", "the CAFTA-DR countries", "CAFTA-DR"),
    ("0018", "oceania", "Australia and Oceania", "Oceania"),
    ("0019", "sub_saharan_africa", "Sub-Saharan Africa", "Sub-Saharan Africa"),
];

/// A group built from member countries: (id, full name, short form, [(member, first month, last month)]),
/// an empty month meaning an open end.
type BuiltGroup = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str, &'static str)]);

/// Groups built from member countries, with the months each belonged, written to `dataset.yaml`.
const BUILT_GROUPS: [BuiltGroup; 2] = [
    (
        "eu",
        "the European Union",
        "the EU",
        &[
            ("austria", "1995-01", ""),
            ("belgium", "", ""),
            ("bulgaria", "2007-01", ""),
            ("croatia", "2013-07", ""),
            ("cyprus", "2004-05", ""),
            ("czech_republic", "2004-05", ""),
            ("denmark", "", ""),
            ("estonia", "2004-05", ""),
            ("finland", "1995-01", ""),
            ("france", "", ""),
            ("germany", "", ""),
            ("greece", "", ""),
            ("hungary", "2004-05", ""),
            ("ireland", "", ""),
            ("italy", "", ""),
            ("latvia", "2004-05", ""),
            ("lithuania", "2004-05", ""),
            ("luxembourg", "", ""),
            ("malta", "2004-05", ""),
            ("netherlands", "", ""),
            ("poland", "2004-05", ""),
            ("portugal", "", ""),
            ("romania", "2007-01", ""),
            ("slovakia", "2004-05", ""),
            ("slovenia", "2004-05", ""),
            ("spain", "", ""),
            ("sweden", "1995-01", ""),
            ("united_kingdom", "", "2020-01"),
        ],
    ),
    (
        "asean",
        "the Association of Southeast Asian Nations (ASEAN)",
        "ASEAN",
        &[
            ("brunei", "", ""),
            ("burma", "1997-07", ""),
            ("cambodia", "1999-04", ""),
            ("indonesia", "", ""),
            ("laos", "1997-07", ""),
            ("malaysia", "", ""),
            ("philippines", "", ""),
            ("singapore", "", ""),
            ("thailand", "", ""),
            ("vietnam", "1995-07", ""),
        ],
    ),
];

/// Chinese names of the partners and groups a bulletin is most likely to name (member id, name);
/// the others are written with their English name in Chinese bulletins.
const ZH_NAMES: [(&str, &str); 62] = [
    ("africa", "非洲"),
    ("argentina", "阿根廷"),
    ("asean", "东盟"),
    ("asia", "亚洲"),
    ("australia", "澳大利亚"),
    ("austria", "奥地利"),
    ("bangladesh", "孟加拉国"),
    ("belgium", "比利时"),
    ("brazil", "巴西"),
    ("cafta_dr", "中美洲—多米尼加自由贸易区国家"),
    ("cambodia", "柬埔寨"),
    ("canada", "加拿大"),
    ("chile", "智利"),
    ("china", "中国"),
    ("colombia", "哥伦比亚"),
    ("costa_rica", "哥斯达黎加"),
    ("czech_republic", "捷克"),
    ("denmark", "丹麦"),
    ("dominican_republic", "多米尼加"),
    ("ecuador", "厄瓜多尔"),
    ("egypt", "埃及"),
    ("eu", "欧盟"),
    ("europe", "欧洲"),
    ("finland", "芬兰"),
    ("france", "法国"),
    ("germany", "德国"),
    ("guatemala", "危地马拉"),
    ("hong_kong", "中国香港"),
    ("hungary", "匈牙利"),
    ("india", "印度"),
    ("indonesia", "印度尼西亚"),
    ("ireland", "爱尔兰"),
    ("israel", "以色列"),
    ("italy", "意大利"),
    ("japan", "日本"),
    ("korea_south", "韩国"),
    ("malaysia", "马来西亚"),
    ("mexico", "墨西哥"),
    ("netherlands", "荷兰"),
    ("new_zealand", "新西兰"),
    ("north_america", "北美洲"),
    ("norway", "挪威"),
    ("oceania", "大洋洲"),
    ("pacific_rim", "环太平洋国家"),
    ("peru", "秘鲁"),
    ("philippines", "菲律宾"),
    ("poland", "波兰"),
    ("russia", "俄罗斯"),
    ("saudi_arabia", "沙特阿拉伯"),
    ("singapore", "新加坡"),
    ("south_central_america", "中南美洲"),
    ("spain", "西班牙"),
    ("sub_saharan_africa", "撒哈拉以南非洲"),
    ("sweden", "瑞典"),
    ("switzerland", "瑞士"),
    ("taiwan", "中国台湾"),
    ("thailand", "泰国"),
    ("turkey", "土耳其"),
    ("united_arab_emirates", "阿联酋"),
    ("united_kingdom", "英国"),
    ("vietnam", "越南"),
    ("south_africa", "南非"),
];

/// Groups whose full name is plural and whose short form is not ("the CAFTA-DR countries were",
/// "CAFTA-DR was"): written with `plural: name`.
const PLURAL_FULL_NAMES: [&str; 3] = ["cafta_dr", "pacific_rim", "oceania"];

/// Census names that read differently in prose: (Census name, full name, short form). Names of
/// islands take "the" and a plural verb ("the Cayman Islands were"): see [`prose_name`].
const RENAMES: [(&str, &str, &str); 13] = [
    ("Korea, South", "South Korea", "South Korea"),
    ("Korea, North", "North Korea", "North Korea"),
    ("United Kingdom", "the United Kingdom", "the UK"),
    ("United Arab Emirates", "the United Arab Emirates", "the UAE"),
    ("Netherlands", "the Netherlands", "the Netherlands"),
    ("Philippines", "the Philippines", "the Philippines"),
    ("Bahamas", "the Bahamas", "the Bahamas"),
    ("Dominican Republic", "the Dominican Republic", "the Dominican Republic"),
    ("Czech Republic", "the Czech Republic", "the Czech Republic"),
    ("Netherlands Antilles", "the Netherlands Antilles", "the Netherlands Antilles"),
    ("Gambia", "the Gambia", "the Gambia"),
    ("Central African Republic", "the Central African Republic", "the Central African Republic"),
    ("Falkland Islands(Islas Malvin", "the Falkland Islands", "the Falkland Islands"),
];

struct Member {
    dimension: &'static str,
    id: String,
    full: String,
    short: String,
}

/// Reads a Census `country.csv` and writes `trade.csv` and `dataset.yaml` into `out`.
///
/// Values are the numbers typed into the spreadsheet, without its float noise (see
/// [`super::read::sheet_number`]). Months after the last month with a world
/// total are not yet published (the sheet holds zeros there) and are left out.
pub fn import(file: &Path, out: &Path) -> Result<Imported, DatasetError> {
    let bytes = crate::input::read_bytes(file, crate::input::MAX_CSV_BYTES)
        .map_err(|source| DatasetError::Io { path: file.into(), source })?;
    let err = |line: u64, field: &str, message: String| DatasetError::Row {
        path: file.into(),
        line,
        field: field.into(),
        message,
    };
    let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(bytes.as_slice());
    let headers = rdr.headers().map_err(|e| err(1, "header", e.to_string()))?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    let mut flow_cols = Vec::new();
    for (flow, prefix) in [("import", 'I'), ("export", 'E')] {
        for (m, name) in months.iter().enumerate() {
            let h = format!("{prefix}{name}");
            let c = col(&h).ok_or_else(|| err(1, &h, "missing column: is this the Census country.csv?".into()))?;
            flow_cols.push((flow, m as u32 + 1, c, h));
        }
    }
    let (year_c, code_c, name_c) = match (col("year"), col("CTY_CODE"), col("CTYNAME")) {
        (Some(y), Some(c), Some(n)) => (y, c, n),
        _ => {
            return Err(err(1, "header", "needs the columns year, CTY_CODE and CTYNAME".into()));
        }
    };

    // (code -> member), values by (code, flow, period), and the latest name of each code.
    let mut members: BTreeMap<String, Member> = BTreeMap::new();
    let mut latest_name: HashMap<String, (i32, String)> = HashMap::new();
    let mut values: Vec<(String, &'static str, Period, Decimal)> = Vec::new();
    let mut world: HashMap<Period, Decimal> = HashMap::new();
    let mut seen: HashMap<(String, i32), u64> = HashMap::new();
    for record in rdr.records() {
        let record = record.map_err(|e| err(e.position().map_or(0, |p| p.line()), "row", e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        let year: i32 =
            record[year_c].parse().map_err(|_| err(line, "year", format!("`{}` is not a year", &record[year_c])))?;
        let code = record[code_c].to_string();
        let is_country =
            code.parse::<u32>().map_err(|_| err(line, "CTY_CODE", format!("`{code}` is not a code")))? >= 1000;
        if !is_country && code != WORLD_NSA && !GROUPS.iter().any(|g| g.0 == code) {
            continue;
        }
        if let Some(first) = seen.insert((code.clone(), year), line) {
            return Err(err(line, "CTY_CODE", format!("code {code} for {year} again (first at line {first})")));
        }
        let name = record[name_c].to_string();
        if latest_name.get(&code).is_none_or(|(y, _)| *y <= year) {
            latest_name.insert(code.clone(), (year, name));
        }
        for (flow, month, c, h) in &flow_cols {
            let text = &record[*c];
            let value = sheet_number(text).ok_or_else(|| err(line, h, format!("`{text}` is not a number")))?;
            let period =
                Period::new(year, *month).ok_or_else(|| err(line, "year", format!("{year} is out of range")))?;
            if value.is_sign_negative() && !value.is_zero() {
                return Err(err(line, h, format!("`{text}` is negative")));
            }
            if code == WORLD_NSA {
                *world.entry(period).or_default() += value;
            }
            values.push((code.clone(), flow, period, value));
        }
    }
    let latest = world
        .iter()
        .filter(|(_, v)| !v.is_zero())
        .map(|(p, _)| *p)
        .max()
        .ok_or_else(|| err(1, "CTY_CODE", format!("no world total (code {WORLD_NSA}) with data")))?;

    // Where two codes share a name (Ethiopia before and after 1993), the code in use latest keeps
    // the plain id and the older one gets its code appended, whatever order the file is in.
    let mut by_recency: Vec<(&String, &(i32, String))> = latest_name.iter().collect();
    by_recency.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    let mut used_ids: HashMap<String, String> = HashMap::new();
    for (code, (_, name)) in by_recency {
        let member = if code == WORLD_NSA {
            Member { dimension: TOTAL_DIMENSION, id: TOTAL_MEMBER.into(), full: String::new(), short: String::new() }
        } else if let Some(g) = GROUPS.iter().find(|g| g.0 == code) {
            Member { dimension: "partner_group", id: g.1.into(), full: g.2.into(), short: g.3.into() }
        } else {
            let (full, short) = prose_name(name);
            let mut id = slug(name);
            if used_ids.get(&id).is_some_and(|other| other != code) {
                id = format!("{id}_{code}");
            }
            used_ids.insert(id.clone(), code.clone());
            Member { dimension: "partner", id, full, short }
        };
        members.insert(code.clone(), member);
    }

    std::fs::create_dir_all(out).map_err(|source| DatasetError::Io { path: out.into(), source })?;
    values.sort_by(|a, b| (a.2, &a.0, a.1).cmp(&(b.2, &b.0, b.1)));
    let mut csv_text = String::from("period,basis,flow,dimension,member,value\n");
    let mut rows = 0;
    for (code, flow, period, value) in &values {
        if *period > latest {
            continue;
        }
        let m = &members[code];
        writeln!(csv_text, "{period},month,{flow},{},{},{value}", m.dimension, m.id).expect("writing to a String");
        rows += 1;
    }
    let mut yaml = String::from(
        "# Written by `tradescribe import census-country`; edit names here, not the numbers in trade.csv.\n\
         id: us-census\n\
         reporter:\n  en: { name: the United States, possessive: \"the United States'\", adjective: U.S. }\n  zh: { name: 美国, possessive: 美国 }\n\
         currency: USD\n\
         unit: 1000000   # values are millions of U.S. dollars\n\
         source:\n  en: U.S. Census Bureau, U.S. Trade in Goods by Country\n  zh: 美国人口普查局《美国货物贸易国别数据》\n\
         files: [trade.csv]\n\
         dimensions:\n",
    );
    for (dimension, label) in [("partner", "trading partners"), ("partner_group", "partner groups")] {
        // Every country is in the file, so ranks among partners can be claimed; the groups overlap.
        let complete = if dimension == "partner" { "    complete: true\n" } else { "" };
        writeln!(yaml, "  {dimension}:\n    label: {{ en: {label} }}\n{complete}    members:")
            .expect("writing to a String");
        let mut list: Vec<&Member> = members.values().filter(|m| m.dimension == dimension).collect();
        let built = BUILT_GROUPS.iter().filter(|_| dimension == "partner_group");
        let built: Vec<Member> = built
            .map(|g| Member { dimension: "partner_group", id: g.0.into(), full: g.1.into(), short: g.2.into() })
            .collect();
        list.extend(built.iter());
        list.sort_by(|a, b| a.id.cmp(&b.id));
        for m in list {
            let islands = m.full.ends_with(" Islands");
            let en = if islands {
                format!("{{ name: {}, plural: true }}", quote(&m.full))
            } else if PLURAL_FULL_NAMES.contains(&m.id.as_str()) {
                format!("{{ name: {}, short: {}, plural: name }}", quote(&m.full), quote(&m.short))
            } else if m.full == m.short {
                quote(&m.full)
            } else {
                format!("{{ name: {}, short: {} }}", quote(&m.full), quote(&m.short))
            };
            let zh = ZH_NAMES.iter().find(|(id, _)| *id == m.id).map(|(_, n)| format!(", zh: {}", quote(n)));
            writeln!(yaml, "      {}: {{ en: {en}{} }}", m.id, zh.unwrap_or_default()).expect("writing to a String");
        }
    }
    yaml.push_str(
        "# Built from their members for every period alike, with the membership of the month reported.\ngroups:\n",
    );
    for (id, _, _, members) in BUILT_GROUPS {
        writeln!(yaml, "  {id}:\n    dimension: partner_group\n    of: partner\n    members:")
            .expect("writing to a String");
        for (member, from, until) in members {
            let mut dates = Vec::new();
            if !from.is_empty() {
                dates.push(format!("from: {from}"));
            }
            if !until.is_empty() {
                dates.push(format!("until: {until}"));
            }
            if dates.is_empty() {
                writeln!(yaml, "      - {member}").expect("writing to a String");
            } else {
                writeln!(yaml, "      - {{ id: {member}, {} }}", dates.join(", ")).expect("writing to a String");
            }
        }
    }
    // The new files are loaded as a dataset before they replace the old ones, so an import never
    // leaves a folder that `generate` cannot read.
    let staging = out.join(".import");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|source| DatasetError::Io { path: staging.clone(), source })?;
    let result = (|| {
        for (name, text) in [("trade.csv", &csv_text), ("dataset.yaml", &yaml)] {
            let path = staging.join(name);
            std::fs::write(&path, text).map_err(|source| DatasetError::Io { path, source })?;
        }
        crate::dataset::Dataset::load(&staging)?;
        for name in ["trade.csv", "dataset.yaml"] {
            std::fs::rename(staging.join(name), out.join(name))
                .map_err(|source| DatasetError::Io { path: out.join(name), source })?;
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&staging);
    result?;
    Ok(Imported { csv: out.join("trade.csv"), yaml: out.join("dataset.yaml"), rows, latest })
}

/// A Census name as prose writes it: (full name, short form).
fn prose_name(name: &str) -> (String, String) {
    if let Some(r) = RENAMES.iter().find(|r| r.0 == name) {
        return (r.1.into(), r.2.into());
    }
    let full = if name.ends_with(" Islands") { format!("the {name}") } else { name.to_string() };
    (full.clone(), full)
}

/// A member id from a name: lower case, words joined by `_`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Korea, South"), "korea_south");
        assert_eq!(slug("Congo (Kinshasa)"), "congo_kinshasa");
        assert_eq!(slug("Cote d'Ivoire"), "cote_d_ivoire");
    }
}
