//! What every dataset can name without listing it: countries with their ISO 3166 codes and names
//! (`builtin/countries.yaml`), and partner groups with dated membership (`builtin/groups.yaml`),
//! both compiled into the binary. A group in dataset.yaml with `builtin: eu` is expanded here
//! into the members of its `of` dimension that are the EU's countries, with their dates.

use super::spec::{FullName, GroupMember, GroupSpec, MemberName, Plural, Spec};
use super::{DimensionSpec, Period};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// A country or territory.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// ISO 3166-1 alpha-2: `GB`.
    pub a2: String,
    /// ISO 3166-1 alpha-3: `GBR`.
    pub a3: String,
    /// ISO 3166-1 numeric, the UN M49 code: 826.
    pub m49: u16,
    /// As prose names it: `the United Kingdom`.
    pub en: String,
    /// A later mention: `the UK`.
    #[serde(default)]
    pub short: Option<String>,
    /// As Chinese releases name it: `英国`.
    pub zh: String,
    /// Other names offices print.
    #[serde(default)]
    pub also: Vec<String>,
}

impl Country {
    /// The English name, with a short form where there is one.
    pub fn en_name(&self) -> MemberName {
        match &self.short {
            Some(short) => {
                MemberName::Full(FullName { name: self.en.clone(), short: Some(short.clone()), plural: Plural::No })
            }
            None => MemberName::Plain(self.en.clone()),
        }
    }

    /// A member id for the country: its English name in lower case, words joined by `_`.
    pub fn id(&self) -> String {
        normalize(&self.en)
    }
}

/// A built-in group: its names and its members with their months.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// The English name.
    pub en: MemberName,
    /// The Chinese name.
    pub zh: String,
    /// The names where the reporter is a member, and so left out: `the other EU countries`.
    pub others: Others,
    /// Whether `init` names the group where the data has its countries (not for an alias).
    #[serde(default = "yes")]
    pub init: bool,
    /// The members.
    pub members: Vec<GroupCountry>,
}

fn yes() -> bool {
    true
}

/// A group's names without the reporter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Others {
    /// In English.
    pub en: String,
    /// In Chinese.
    pub zh: String,
}

impl Group {
    /// Whether the reporter (an alpha-3 code) is ever a member.
    pub fn has(&self, a3: Option<&str>) -> bool {
        self.members.iter().any(|m| Some(m.parts().0) == a3)
    }

    /// (English, Chinese) names for a reporter: `the other EU countries` where it is a member.
    pub fn names_for(&self, reporter: Option<&str>) -> (MemberName, String) {
        if self.has(reporter) {
            // "The other EU countries" are several: they take a plural verb.
            let others = FullName { name: self.others.en.clone(), short: None, plural: Plural::Both };
            (MemberName::Full(others), self.others.zh.clone())
        } else {
            (self.en.clone(), self.zh.clone())
        }
    }
}

/// A country of a built-in group, with the months it belonged.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum GroupCountry {
    /// A member throughout.
    Always(String),
    /// A member from `from` until `until`, inclusive.
    Dated {
        /// ISO 3166-1 alpha-3.
        a3: String,
        /// First month.
        #[serde(default)]
        from: Option<Period>,
        /// Last month.
        #[serde(default)]
        until: Option<Period>,
    },
}

impl GroupCountry {
    /// (alpha-3, first month, last month).
    pub fn parts(&self) -> (&str, Option<Period>, Option<Period>) {
        match self {
            GroupCountry::Always(a3) => (a3, None, None),
            GroupCountry::Dated { a3, from, until } => (a3, *from, *until),
        }
    }
}

struct Tables {
    countries: Vec<Country>,
    by_key: HashMap<String, usize>,
    groups: BTreeMap<String, Group>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        // Both files are part of the source and checked by the tests below: a fault is a bug.
        let countries: Vec<Country> =
            serde_yaml::from_str(include_str!("builtin/countries.yaml")).expect("countries.yaml is valid");
        let groups: BTreeMap<String, Group> =
            serde_yaml::from_str(include_str!("builtin/groups.yaml")).expect("groups.yaml is valid");
        let mut by_key = HashMap::new();
        for (i, c) in countries.iter().enumerate() {
            for key in [c.a2.to_lowercase(), c.a3.to_lowercase(), c.m49.to_string()] {
                by_key.insert(key, i);
            }
            for name in std::iter::once(&c.en).chain(&c.short).chain(&c.also) {
                for key in name_keys(name) {
                    by_key.entry(key).or_insert(i);
                }
            }
        }
        Tables { countries, by_key, groups }
    })
}

/// The country a code (alpha-2, alpha-3, M49), id or name stands for.
pub fn country(text: &str) -> Option<&'static Country> {
    let t = tables();
    name_keys(text).into_iter().find_map(|k| t.by_key.get(&k)).map(|&i| &t.countries[i])
}

/// The built-in group of that name.
pub fn group(name: &str) -> Option<&'static Group> {
    tables().groups.get(name)
}

/// Every built-in group, by name.
pub fn groups() -> impl Iterator<Item = (&'static str, &'static Group)> {
    tables().groups.iter().map(|(k, g)| (k.as_str(), g))
}

/// A name as matched: lower case, accents and punctuation dropped, words joined by `_`, without
/// a leading "the": `Côte d'Ivoire` is `cote_d_ivoire`.
pub fn normalize(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c => c,
        };
        if c == '&' {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            out.push_str("and_");
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_');
    out.strip_prefix("the_").unwrap_or(out).to_string()
}

/// The keys a name is found by: itself, and "Korea, Rep. of" turned round ("Rep. of Korea").
fn name_keys(text: &str) -> Vec<String> {
    let mut keys = vec![normalize(text)];
    if let Some((a, b)) = text.split_once(',')
        && !b.contains(',')
    {
        keys.push(normalize(&format!("{} {}", b.trim(), a.trim())));
    }
    keys
}

/// Replaces each `builtin:` group of a spec by its members among the dimension `of`, matched by
/// id or English name (a code, `germany`, `Germany`), with their months; declares the group in
/// its dimension with the built-in names where dataset.yaml does not. The reporter is left out
/// of groups it belongs to. Every country of the group must be matched or named in `without`.
pub fn expand_groups(spec: &mut Spec) -> Result<(), String> {
    let reporter = spec.reporter.get("en").and_then(|r| country(&r.name)).map(|c| c.a3.as_str());
    let names: Vec<(String, String)> =
        spec.groups.iter().filter_map(|(id, g)| g.builtin.as_ref().map(|b| (id.clone(), b.clone()))).collect();
    for (id, name) in names {
        let Some(def) = group(&name) else {
            let known: Vec<&str> = groups().map(|(k, _)| k).collect();
            return Err(format!("group `{id}`: `builtin: {name}` is not a built-in group ({})", known.join(", ")));
        };
        let g = spec.groups.get(&id).expect("a group of the spec").clone();
        let Some(of) = spec.dimensions.get(&g.of) else {
            return Err(format!("group `{id}`: `of: {}` is not a declared dimension", g.of));
        };
        let matched = match_members(of);
        let mut without = Vec::new();
        for w in &g.without {
            let a3 = matched
                .iter()
                .find(|(_, m)| m.contains(w))
                .map(|(a3, _)| *a3)
                .or_else(|| country(w).map(|c| c.a3.as_str()))
                .ok_or_else(|| format!("group `{id}`: `without: {w}` is neither a member nor a country"))?;
            without.push(a3);
        }
        let mut members: Vec<GroupMember> = Vec::new();
        let mut missing = Vec::new();
        for entry in &def.members {
            let (a3, from, until) = entry.parts();
            if Some(a3) == reporter || without.contains(&a3) {
                continue;
            }
            match matched.get(a3).map(Vec::as_slice) {
                Some([member]) if g.members.iter().all(|m| m.parts().0 != member) => {
                    members.push(GroupMember::Dated { id: member.clone(), from, until })
                }
                Some([_]) => {}
                Some([a, b, ..]) => {
                    return Err(format!(
                        "group `{id}` (builtin {name}): members `{a}` and `{b}` are both {a3}: list the \
                         one to sum under `members:`, and the other under `without:`"
                    ));
                }
                _ => missing.push(a3),
            }
        }
        if !missing.is_empty() {
            missing.dedup();
            let names: Vec<String> =
                missing.iter().map(|a3| format!("{} ({a3})", country(a3).map_or("?", |c| c.en.as_str()))).collect();
            return Err(format!(
                "group `{id}` (builtin {name}): no member of `{}` is {}: declare them, or name them in \
                 `without:` if the data has no trade with them (the group is then summed without them)",
                g.of,
                names.join(", ")
            ));
        }
        // Entries dataset.yaml lists replace the built-in ones for the same member.
        members.extend(g.members.iter().cloned());
        if members.is_empty() {
            return Err(format!("group `{id}` (builtin {name}): none of its countries is a member of `{}`", g.of));
        }
        let (en, zh) = def.names_for(reporter);
        let group_names: BTreeMap<String, MemberName> =
            [("en".to_string(), en), ("zh".to_string(), MemberName::Plain(zh))].into();
        let dimension = spec.dimensions.entry(g.dimension.clone()).or_insert_with(|| {
            serde_yaml::from_str::<DimensionSpec>("{ label: { en: partner groups }, members: {} }")
                .expect("a dimension with no members")
        });
        dimension.members.entry(id.clone()).or_insert(group_names);
        spec.groups.insert(id, GroupSpec { members, ..g });
    }
    Ok(())
}

/// The members of a dimension that are countries, by alpha-3 (several where two members are
/// one country: Ethiopia before and after 1993).
fn match_members(dimension: &DimensionSpec) -> HashMap<&'static str, Vec<String>> {
    let mut matched: HashMap<&'static str, Vec<String>> = HashMap::new();
    for (id, names) in &dimension.members {
        let en = names.get("en");
        let found =
            std::iter::once(id.as_str()).chain(en.map(|n| n.full())).chain(en.map(|n| n.short())).find_map(country);
        if let Some(c) = found {
            matched.entry(c.a3.as_str()).or_default().push(id.clone());
        }
    }
    matched
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_load_and_every_group_member_is_a_country() {
        for (name, g) in groups() {
            for m in &g.members {
                let (a3, from, until) = m.parts();
                let c = country(a3).unwrap_or_else(|| panic!("{name}: {a3}"));
                assert_eq!(c.a3, a3, "{name}: {a3} is a name, not a code");
                if let (Some(f), Some(u)) = (from, until) {
                    assert!(f <= u, "{name}: {a3}");
                }
            }
        }
        let t = tables();
        let mut codes = std::collections::HashSet::new();
        for c in &t.countries {
            assert!(codes.insert(&c.a3) && codes.insert(&c.a2), "{} twice", c.a3);
        }
    }

    #[test]
    fn countries_by_code_and_by_the_names_offices_print() {
        for (text, a3) in [
            ("GB", "GBR"),
            ("gbr", "GBR"),
            ("826", "GBR"),
            ("United Kingdom", "GBR"),
            ("united_kingdom", "GBR"),
            ("the UK", "GBR"),
            ("Korea, South", "KOR"),
            ("korea_south", "KOR"),
            ("Rep. of Korea", "KOR"),
            ("Korea, Rep Of", "KOR"),
            ("Viet Nam", "VNM"),
            ("Burma", "MMR"),
            ("Côte d'Ivoire", "CIV"),
            ("China, Hong Kong SAR", "HKG"),
            ("Czechia", "CZE"),
            ("Türkiye", "TUR"),
            ("Bosnia & Herzegovina", "BIH"),
            ("USA", "USA"),
        ] {
            assert_eq!(country(text).map(|c| c.a3.as_str()), Some(a3), "{text}");
        }
        for text in ["Korea", "Europe", "World", "Other Asia, nes", ""] {
            assert!(country(text).is_none(), "{text}");
        }
    }
}
