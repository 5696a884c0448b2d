//! A starting dataset.yaml for canonical CSV: the dimensions and members found, English names
//! made readable from the labels (or ids), Chinese names where the built-in country table has
//! them and empty slots elsewhere, `complete` left for a person to decide, and the built-in
//! groups most of whose countries are members. Written by `init`, and by `import` for a folder
//! that has no dataset.yaml yet.

use crate::dataset::builtin::{self, Country};
use crate::dataset::{Currency, Names};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What the description is made from.
#[derive(Debug, Default)]
pub struct Description {
    /// The command that wrote it, for its opening comment.
    pub by: String,
    /// The dataset id, where one is wanted other than the folder's name.
    pub id: Option<String>,
    /// The reporter's English name.
    pub reporter: Option<String>,
    /// The currency.
    pub currency: Option<Currency>,
    /// Currency units in one unit of value.
    pub unit: Option<Decimal>,
    /// The credit line by language.
    pub source: Option<Names>,
    /// The CSV files, relative to the folder.
    pub files: Vec<String>,
    /// Dimension -> member id -> its label as printed (the id itself where there is none).
    pub dimensions: BTreeMap<String, BTreeMap<String, String>>,
}

/// What a group needs to be added: the share of its countries among the members.
const ENOUGH: (usize, usize) = (1, 2);

/// The text of dataset.yaml.
pub fn dataset_yaml(d: &Description) -> String {
    let mut y = format!(
        "# Written by `{}`. Check it before the first bulletin:\n\
         # - names: English names are made from the labels in the data; fill in the empty `zh` names\n\
         #   (a Chinese bulletin writes the English name where `zh` is empty);\n\
         # - `complete`: decide for each dimension (see the comment there);\n\
         # - groups: built-in groups are summed from their members, with the membership of each month.\n\
         # Then: tradescribe validate --data <this folder>\n",
        d.by
    );
    if let Some(id) = &d.id {
        writeln!(y, "id: {id}").expect("writing to a String");
    }
    y.push_str("reporter:\n");
    match d.reporter.as_deref().filter(|r| !r.trim().is_empty()) {
        Some(name) => {
            let c = builtin::country(name);
            let en = c.map_or(name, |c| c.en.as_str());
            writeln!(y, "  en: {{ name: {}, possessive: {} }}", quote(en), quote(&possessive(en))).expect("String");
            let zh = c.map_or("", |c| c.zh.as_str());
            writeln!(y, "  zh: {{ name: {}, possessive: {} }}", quote(zh), quote(zh)).expect("String");
        }
        None => y.push_str("  en: { name: \"\", possessive: \"\" }   # fill in: who reports the figures\n"),
    }
    match &d.currency {
        Some(c) => writeln!(y, "currency: {}", c.code).expect("String"),
        None => y.push_str("currency: \"\"   # fill in: an ISO 4217 code (USD, EUR, SGD...)\n"),
    }
    match d.unit {
        Some(u) => writeln!(y, "unit: {}   # currency units in one unit of `value`", u.normalize()).expect("String"),
        None => y.push_str("unit: 0   # fill in: currency units in one unit of `value` (1000000 for millions)\n"),
    }
    y.push_str("source:\n");
    let source = d.source.clone().unwrap_or_default();
    match source.get("en") {
        Some(en) => writeln!(y, "  en: {}", quote(en)).expect("String"),
        None => y.push_str("  en: \"\"   # fill in: the credit line\n"),
    }
    writeln!(y, "  zh: {}", quote(source.get("zh").map_or("", String::as_str))).expect("String");
    let files: Vec<String> = d.files.iter().map(|f| quote(f)).collect();
    writeln!(y, "files: [{}]", files.join(", ")).expect("String");

    let groups = groups(d);
    let mut dimensions: BTreeMap<&str, Vec<(String, String, String)>> = BTreeMap::new();
    for (dim, members) in &d.dimensions {
        let list = dimensions.entry(dim).or_default();
        for (id, label) in members {
            let (en, zh) = names(id, label);
            list.push((id.clone(), en, zh));
        }
    }
    let reporter = d.reporter.as_deref().and_then(builtin::country).map(|c| c.a3.as_str());
    for (id, g, _) in &groups {
        let list = dimensions.entry("partner_group").or_default();
        let (en, zh) = g.names_for(reporter);
        let en = match &en {
            crate::dataset::MemberName::Plain(n) => quote(n),
            full => {
                let short = Some(full.short()).filter(|s| *s != full.full()).map(|s| format!(", short: {}", quote(s)));
                let plural = match (full.full_plural(), full.short_plural()) {
                    (true, true) => ", plural: true",
                    (true, false) => ", plural: name",
                    (false, true) => ", plural: short",
                    (false, false) => "",
                };
                format!("{{ name: {}{}{plural} }}", quote(full.full()), short.unwrap_or_default())
            }
        };
        list.push((id.to_string(), en, quote(&zh)));
    }
    y.push_str("dimensions:\n");
    for (dim, members) in &dimensions {
        writeln!(y, "  {dim}:\n    label: {{ en: {}, zh: \"\" }}", quote(&dimension_label(dim))).expect("String");
        writeln!(
            y,
            "    # `complete: true` lets a bulletin call a member of `{dim}` the largest or the fastest-growing:\n    \
             # say it only if no member left out of the data could outrank one in it.\n    complete: false"
        )
        .expect("String");
        y.push_str("    members:\n");
        for (id, en, zh) in members {
            writeln!(y, "      {id}: {{ en: {en}, zh: {zh} }}").expect("String");
        }
    }
    if !groups.is_empty() {
        y.push_str("groups:\n");
        for (id, _, (of, without)) in &groups {
            let without = if without.is_empty() {
                String::new()
            } else {
                let names: Vec<String> = without.iter().map(|c| c.en.clone()).collect();
                let codes: Vec<&str> = without.iter().map(|c| c.a3.as_str()).collect();
                format!(
                    ", without: [{}] }}   # not in the data: {}; the group is summed without them\n",
                    codes.join(", "),
                    names.join(", ")
                )
            };
            if without.is_empty() {
                writeln!(y, "  {id}: {{ builtin: {id}, dimension: partner_group, of: {of} }}").expect("String");
            } else {
                write!(y, "  {id}: {{ builtin: {id}, dimension: partner_group, of: {of}{without}").expect("String");
            }
        }
    }
    y
}

type Found = (&'static str, &'static builtin::Group, (String, Vec<&'static Country>));

/// The built-in groups to name: over the dimension with the most countries, those at least half
/// of whose countries (the reporter aside) are members; with the rest to leave out.
fn groups(d: &Description) -> Vec<Found> {
    let reporter = d.reporter.as_deref().and_then(builtin::country).map(|c| c.a3.as_str());
    let country_of = |id: &str, label: &str| builtin::country(label).or_else(|| builtin::country(id));
    let Some((of, members)) = d
        .dimensions
        .iter()
        .filter(|(dim, _)| dim.as_str() != "partner_group")
        .max_by_key(|(_, m)| m.iter().filter(|(id, label)| country_of(id, label).is_some()).count())
    else {
        return Vec::new();
    };
    let present: Vec<&str> =
        members.iter().filter_map(|(id, label)| country_of(id, label)).map(|c| c.a3.as_str()).collect();
    if present.len() < 3 {
        return Vec::new();
    }
    let taken = d.dimensions.get("partner_group");
    let mut out = Vec::new();
    for (name, g) in builtin::groups() {
        if !g.init || taken.is_some_and(|t| t.contains_key(name)) {
            continue;
        }
        let mut countries: Vec<&str> =
            g.members.iter().map(|m| m.parts().0).filter(|a3| Some(*a3) != reporter).collect();
        countries.dedup();
        let found = countries.iter().filter(|a3| present.contains(a3)).count();
        if found >= 2 && found * ENOUGH.1 >= countries.len() * ENOUGH.0 {
            let without =
                countries.iter().filter(|a3| !present.contains(a3)).filter_map(|a3| builtin::country(a3)).collect();
            out.push((name, g, (of.clone(), without)));
        }
    }
    out
}

/// A member's English and Chinese names, as YAML values.
fn names(id: &str, label: &str) -> (String, String) {
    match builtin::country(label).or_else(|| builtin::country(id)) {
        Some(c) => {
            let en = match &c.short {
                Some(short) => format!("{{ name: {}, short: {} }}", quote(&c.en), quote(short)),
                None => quote(&c.en),
            };
            (en, quote(&c.zh))
        }
        None => (quote(&readable(label)), quote("")),
    }
}

/// A label as prose would print it: `south_central_america` and `SOUTH AMERICA` become
/// `South Central America` and `South America`; labels in mixed case stay as printed.
pub fn readable(label: &str) -> String {
    let t = label.trim();
    let has_lower = t.chars().any(|c| c.is_lowercase());
    let has_upper = t.chars().any(|c| c.is_uppercase());
    let shouting = has_upper && !has_lower;
    let id_like = !has_upper && !t.contains(' ');
    if !(shouting || id_like) {
        return t.to_string();
    }
    let small = ["and", "of", "the", "in", "for", "n.e.s.", "nes"];
    t.split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, w)| {
            let w = w.to_lowercase();
            if i > 0 && small.contains(&w.as_str()) {
                w
            } else {
                let mut c = w.chars();
                c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "Singapore's", "the United States'".
pub fn possessive(name: &str) -> String {
    if name.ends_with('s') { format!("{name}'") } else { format!("{name}'s") }
}

fn dimension_label(dim: &str) -> String {
    match dim {
        "partner" => "trading partners".into(),
        "partner_group" => "partner groups".into(),
        "region" => "regions".into(),
        "product" => "products".into(),
        other => other.replace('_', " "),
    }
}

/// A YAML double-quoted string.
pub fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_names() {
        for (label, want) in [
            ("south_central_america", "South Central America"),
            ("SOUTH AMERICA", "South America"),
            ("OTHER COUNTRIES IN ASIA", "Other Countries in Asia"),
            ("Other Countries In Asia", "Other Countries In Asia"),
            ("  Total All Markets ", "Total All Markets"),
            ("others", "Others"),
            ("bosnia_and_herzegovina", "Bosnia and Herzegovina"),
        ] {
            assert_eq!(readable(label), want, "{label}");
        }
    }

    #[test]
    fn possessives() {
        assert_eq!(possessive("Singapore"), "Singapore's");
        assert_eq!(possessive("the United States"), "the United States'");
    }
}
