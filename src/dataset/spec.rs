//! `dataset.yaml`: what the numbers in a dataset's CSV mean.

use super::{Currency, DatasetError, Period, QuantityUnit, yaml_message};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// A text in each language, keyed by language code (`en`, `zh`).
pub type Names = BTreeMap<String, String>;

/// The contents of `dataset.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Short id used in output file names; defaults to the folder name.
    #[serde(default)]
    pub id: Option<String>,
    /// Who reports the figures, in each language.
    pub reporter: BTreeMap<String, Reporter>,
    /// The currency of `value`: an ISO 4217 code, with how it is written (see [`Currency`]).
    pub currency: Currency,
    /// How many currency units one unit of `value` is (1000000 for millions).
    pub unit: Decimal,
    /// The step the values are published to, in the dataset's unit (0.1 for a table in tenths of
    /// a million): amounts are never printed with more digits than that.
    #[serde(default)]
    pub precision: Option<Decimal>,
    /// The credit line, in each language.
    pub source: Names,
    /// The CSV files to read, relative to the folder; all `*.csv` in it by default.
    #[serde(default)]
    pub files: Option<Vec<String>>,
    /// Each dimension and its members.
    pub dimensions: BTreeMap<String, DimensionSpec>,
    /// Members whose values are summed from other members, with dated membership.
    #[serde(default)]
    pub groups: BTreeMap<String, GroupSpec>,
    /// How the published rates relate to the values (see [`PublishedRates`]).
    #[serde(default)]
    pub published_rates: PublishedRates,
    /// What the zeros at the end of a whole number are: digits (the default) or rounding.
    #[serde(default)]
    pub trailing_zeros: TrailingZeros,
}

/// How far published growth rates and changes in share may stand from the rates the values give.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedRates {
    /// The office computes its rates on revised prior-year figures that the files do not hold, so
    /// they may differ from the values' rates by more than rounding.
    #[serde(default)]
    pub revised_base: bool,
    /// How far beyond rounding, in percentage points, such a rate may differ (with `revised_base`).
    #[serde(default)]
    pub margin_pp: Option<Decimal>,
}

impl PublishedRates {
    /// The margin accepted beyond rounding: zero unless the rates are declared on a revised base.
    pub fn margin(&self) -> Decimal {
        if self.revised_base { self.margin_pp.unwrap_or_default() } else { Decimal::ZERO }
    }
}

/// What the zeros at the end of a whole number in the CSV mean, for the rounding a figure is
/// compared with: `digits` (21000 is known to the unit) or `rounding` (21000 is 2.1 trillion
/// yuan as published, known to the thousand).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrailingZeros {
    /// Every digit written is known.
    #[default]
    Digits,
    /// Zeros at the end of a whole number are rounding.
    Rounding,
}

/// Whether a dimension's members in the data account for the whole, so that ranks can be claimed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Completeness {
    /// Some members only: no rank is claimed (`complete: false`, the default).
    #[default]
    Partial,
    /// The members cover the total (`complete: true`), checked month by month against it.
    Complete,
    /// The members are the largest ones, as the office names them, without covering the total
    /// (`complete: largest`): ranks by value can be claimed, ranks by growth or contribution not.
    Largest,
}

impl<'de> Deserialize<'de> for Completeness {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Completeness;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("true, false or largest")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Completeness, E> {
                Ok(if v { Completeness::Complete } else { Completeness::Partial })
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Completeness, E> {
                match v {
                    "largest" => Ok(Completeness::Largest),
                    "true" => Ok(Completeness::Complete),
                    "false" => Ok(Completeness::Partial),
                    _ => Err(E::custom(format!("`complete: {v}` is not true, false or largest"))),
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A group built from the members of another dimension (the EU from its member states).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// The dimension the group is a member of (declared there with its names).
    pub dimension: String,
    /// The dimension its members come from.
    pub of: String,
    /// A built-in group (`eu`, `asean`...) whose countries among `of` are its members, with
    /// their dates; `members` then adds to them or replaces them member by member.
    #[serde(default)]
    pub builtin: Option<String>,
    /// Countries of the built-in group that the data does not have (codes, ids or names).
    #[serde(default)]
    pub without: Vec<String>,
    /// Its members, each with the months it belonged.
    #[serde(default)]
    pub members: Vec<GroupMember>,
}

/// A member of a group: an id, or an id with the first and last month of membership.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum GroupMember {
    /// A member throughout.
    Always(String),
    /// A member from `from` (inclusive) until `until` (inclusive); either may be open.
    Dated {
        /// The member id.
        id: String,
        /// The first month of membership.
        #[serde(default)]
        from: Option<Period>,
        /// The last month of membership.
        #[serde(default)]
        until: Option<Period>,
    },
}

impl GroupMember {
    /// (id, first month, last month).
    pub fn parts(&self) -> (&str, Option<Period>, Option<Period>) {
        match self {
            GroupMember::Always(id) => (id, None, None),
            GroupMember::Dated { id, from, until } => (id, *from, *until),
        }
    }
}

/// The reporter's name in one language.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reporter {
    /// As a subject: `China`, `the United States`.
    pub name: String,
    /// Before a noun: `China's`, `the United States'`.
    pub possessive: String,
    /// As an adjective before a noun, where a house style uses one (`U.S. exports`); the
    /// possessive where not given.
    #[serde(default)]
    pub adjective: Option<String>,
}

/// One dimension: its label and its members.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionSpec {
    /// What the members are called together, in each language (`trading partners`).
    #[serde(default)]
    pub label: Names,
    /// Member id to its names in each language.
    pub members: BTreeMap<String, BTreeMap<String, MemberName>>,
    /// Whether no member left out of the data could outrank one in it. Only then can a bulletin
    /// say that a member is the largest or the fastest-growing (rules read it as `complete`).
    #[serde(default)]
    pub complete: Completeness,
    /// The unit of every member's `quantity`, unless `quantity_units` gives the member another.
    #[serde(default)]
    pub quantity_unit: Option<QuantityUnit>,
    /// Members whose quantities are in another unit than `quantity_unit`.
    #[serde(default)]
    pub quantity_units: BTreeMap<String, QuantityUnit>,
    /// `group` where each member stands for a group of another dimension's members (the Belt
    /// and Road countries): `validate` warns where one is also declared in a ranked dimension.
    #[serde(default)]
    pub kind: DimensionKind,
}

/// What a dimension's members are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DimensionKind {
    /// Members that do not overlap: partners, enterprise types, products.
    #[default]
    Members,
    /// Groups, which may overlap one another and the members of other dimensions.
    Group,
}

impl DimensionSpec {
    /// The unit a member's quantities are in, if the dataset declares one.
    pub fn quantity_unit_of(&self, member: &str) -> Option<QuantityUnit> {
        self.quantity_units.get(member).copied().or(self.quantity_unit)
    }
}

/// A member's name in one language: a plain name, or a full name with a short form for second
/// mentions and whether the name takes a plural verb.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum MemberName {
    /// One form for every mention.
    Plain(String),
    /// A full name, a short form, and which of them are plural.
    Full(FullName),
}

/// A member's name with its forms spelt out.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FullName {
    /// First mention: `the European Union`.
    pub name: String,
    /// Later mentions: `the EU`; the full name where not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<String>,
    /// Which forms take a plural verb ("the countries along the Belt and Road were").
    #[serde(default, skip_serializing_if = "Plural::is_no")]
    pub plural: Plural,
}

/// Which forms of a name are plural: `plural: true` (both), `plural: name` (the full name only,
/// as in "the CAFTA-DR countries" against "CAFTA-DR"), `plural: short`, or `false` (the default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Plural {
    /// Neither form.
    #[default]
    No,
    /// Both forms.
    Both,
    /// The full name only.
    Name,
    /// The short form only.
    Short,
}

impl Plural {
    fn is_no(&self) -> bool {
        *self == Plural::No
    }
}

impl<'de> Deserialize<'de> for Plural {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Plural, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Flag(bool),
            Form(String),
        }
        match Raw::deserialize(d)? {
            Raw::Flag(true) => Ok(Plural::Both),
            Raw::Flag(false) => Ok(Plural::No),
            Raw::Form(f) if f == "name" => Ok(Plural::Name),
            Raw::Form(f) if f == "short" => Ok(Plural::Short),
            Raw::Form(f) => Err(serde::de::Error::custom(format!(
                "`plural: {f}`: say `true`, `false`, `name` (the full name only) or `short` (the short form only)"
            ))),
        }
    }
}

impl Serialize for Plural {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Plural::No => s.serialize_bool(false),
            Plural::Both => s.serialize_bool(true),
            Plural::Name => s.serialize_str("name"),
            Plural::Short => s.serialize_str("short"),
        }
    }
}

impl<'de> Deserialize<'de> for MemberName {
    /// A string or a mapping, told apart before either is read, so that a fault inside the
    /// mapping (an unknown key, a bad `plural`) is reported as itself.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<MemberName, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = MemberName;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a name, or `{ name: ..., short: ..., plural: ... }`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<MemberName, E> {
                Ok(MemberName::Plain(v.to_string()))
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, m: M) -> Result<MemberName, M::Error> {
                FullName::deserialize(serde::de::value::MapAccessDeserializer::new(m)).map(MemberName::Full)
            }
        }
        d.deserialize_any(Visit)
    }
}

impl MemberName {
    /// The full name.
    pub fn full(&self) -> &str {
        match self {
            MemberName::Plain(n) => n,
            MemberName::Full(f) => &f.name,
        }
    }

    /// The short form, or the full name where there is none.
    pub fn short(&self) -> &str {
        match self {
            MemberName::Plain(n) => n,
            MemberName::Full(f) => f.short.as_deref().unwrap_or(&f.name),
        }
    }

    /// Whether the full name takes a plural verb.
    pub fn full_plural(&self) -> bool {
        matches!(self, MemberName::Full(FullName { plural: Plural::Both | Plural::Name, .. }))
    }

    /// Whether the short form takes a plural verb (the full name's number where there is no short form).
    pub fn short_plural(&self) -> bool {
        match self {
            MemberName::Plain(_) => false,
            MemberName::Full(f) if f.short.is_none() => self.full_plural(),
            MemberName::Full(f) => matches!(f.plural, Plural::Both | Plural::Short),
        }
    }
}

impl Spec {
    /// Reads and checks `dataset.yaml`: a regular file of at most
    /// [`MAX_DATASET_YAML_BYTES`](crate::input::MAX_DATASET_YAML_BYTES).
    pub fn load(path: &Path) -> Result<Spec, DatasetError> {
        let text = crate::input::read_text(path, crate::input::MAX_DATASET_YAML_BYTES)
            .map_err(|source| DatasetError::Io { path: path.into(), source })?;
        Spec::parse(path, &text)
    }

    /// Parses and checks the text of `dataset.yaml`; `path` is for messages.
    pub fn parse(path: &Path, text: &str) -> Result<Spec, DatasetError> {
        let yaml_error = |e: serde_yaml::Error| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            DatasetError::Yaml {
                path: path.into(),
                line,
                column,
                message: crate::input::yaml_limit_message(yaml_message(&e)),
            }
        };
        // Aliases are replayed in full by the parser: bounded first, or a few hundred bytes of
        // aliases of aliases take every byte of memory.
        crate::input::check_yaml_expansion(text).map_err(yaml_error)?;
        let mut spec: Spec = serde_yaml::from_str(text).map_err(yaml_error)?;
        for r in spec.reporter.values_mut() {
            r.adjective.get_or_insert_with(|| r.possessive.clone());
        }
        let fail = |message: String| Err(DatasetError::Spec { path: path.into(), message });
        if let Err(message) = blank_names(&mut spec) {
            return fail(message);
        }
        if let Err(message) = super::builtin::expand_groups(&mut spec) {
            return fail(message);
        }
        // The id names output files: it must not reach outside the output folder.
        if let Some(id) = spec.id.as_deref().filter(|id| !file_safe(id)) {
            return fail(format!("`id: {id}` must be letters, digits, '-', '_' or '.', not starting with '.'"));
        }
        if !spec.reporter.contains_key("en") {
            return fail("`reporter` needs an `en` entry".into());
        }
        if !spec.source.contains_key("en") {
            return fail("`source` needs an `en` entry".into());
        }
        if spec.unit <= Decimal::ZERO || spec.unit > Decimal::from(1_000_000_000_000u64) {
            return fail(format!("`unit` must be positive and at most 1000000000000, not {}", spec.unit));
        }
        if let Some(p) = spec.precision.filter(|p| *p <= Decimal::ZERO || *p > Decimal::from(1_000_000)) {
            return fail(format!("`precision` must be positive and at most 1000000 (a step of the unit), not {p}"));
        }
        for (dim, d) in &spec.dimensions {
            for (member, names) in &d.members {
                if !names.contains_key("en") {
                    return fail(format!("member `{member}` of dimension `{dim}` has no `en` name"));
                }
            }
            if let Some(member) = d.quantity_units.keys().find(|m| !d.members.contains_key(*m)) {
                return fail(format!(
                    "dimension `{dim}`: `quantity_units` names `{member}`, which is not one of its members"
                ));
            }
        }
        for (id, g) in &spec.groups {
            let declared =
                |dim: &str, member: &str| spec.dimensions.get(dim).is_some_and(|d| d.members.contains_key(member));
            if !declared(&g.dimension, id) {
                return fail(format!(
                    "group `{id}` must be declared as a member of dimension `{}`, with its names",
                    g.dimension
                ));
            }
            if !spec.dimensions.contains_key(&g.of) {
                return fail(format!("group `{id}`: `of: {}` is not a declared dimension", g.of));
            }
            if g.members.is_empty() {
                return fail(format!("group `{id}` has no members: list them, or name a `builtin:` group"));
            }
            for (i, m) in g.members.iter().enumerate() {
                let (member, from, until) = m.parts();
                // A member listed twice (OPEC's Ecuador left and came back) must not be counted twice.
                let overlaps = g.members[..i].iter().map(GroupMember::parts).any(|(other, f, u)| {
                    other == member
                        && from.is_none_or(|a| u.is_none_or(|b| a <= b))
                        && f.is_none_or(|a| until.is_none_or(|b| a <= b))
                });
                if overlaps {
                    return fail(format!("group `{id}`: `{member}` is listed twice for the same months"));
                }
                if !declared(&g.of, member) {
                    return fail(format!("group `{id}`: `{member}` is not a member of dimension `{}`", g.of));
                }
                if let (Some(f), Some(u)) = (from, until)
                    && f > u
                {
                    return fail(format!("group `{id}`: `{member}` joins in {f}, after it leaves in {u}"));
                }
            }
        }
        let rates = spec.published_rates;
        match (rates.revised_base, rates.margin_pp) {
            (true, None) => {
                return fail("`published_rates: { revised_base: true }` needs `margin_pp`, the points accepted".into());
            }
            (false, Some(_)) => {
                return fail(
                    "`published_rates`: `margin_pp` is for rates on a revised base (`revised_base: true`)".into(),
                );
            }
            (_, Some(m)) if m <= Decimal::ZERO || m > Decimal::TEN => {
                return fail(format!("`published_rates`: `margin_pp: {m}` must be above 0 and at most 10"));
            }
            _ => {}
        }
        if let Some(message) = group_nesting_fault(&spec) {
            return fail(message);
        }
        Ok(spec)
    }
}

/// Drops names left empty (`zh: ""`, the slots `tradescribe init` writes for a person to fill): an
/// empty name is one not given. The English names a bulletin cannot do without must be filled.
fn blank_names(spec: &mut Spec) -> Result<(), String> {
    spec.reporter.retain(|_, r| !(r.name.trim().is_empty() && r.possessive.trim().is_empty()));
    spec.source.retain(|_, s| !s.trim().is_empty());
    for d in spec.dimensions.values_mut() {
        d.label.retain(|_, l| !l.trim().is_empty());
        for names in d.members.values_mut() {
            names.retain(|_, n| !n.full().trim().is_empty());
        }
    }
    match spec.reporter.get("en") {
        Some(r) if r.name.trim().is_empty() || r.possessive.trim().is_empty() => {
            Err("`reporter`: the `en` name or possessive is empty; fill it in".into())
        }
        _ => Ok(()),
    }
}

/// How deeply groups may be made of groups (a region of blocs of countries is 2).
pub const MAX_GROUP_DEPTH: usize = 8;

/// A group that contains itself, directly or through other groups, or groups nested more than
/// [`MAX_GROUP_DEPTH`] deep: a group's value is summed from its members', so either would never
/// end. A member is itself a group where a group of that id is declared in the member's dimension.
fn group_nesting_fault(spec: &Spec) -> Option<String> {
    /// The group of id `id` declared in dimension `dim`, if there is one.
    fn group_in<'a>(spec: &'a Spec, dim: &str, id: &str) -> Option<(&'a str, &'a GroupSpec)> {
        spec.groups.get_key_value(id).filter(|(_, g)| g.dimension == dim).map(|(k, g)| (k.as_str(), g))
    }
    // Depth-first along the members, with the path so far: a group met again on it is a cycle.
    fn depth<'a>(spec: &'a Spec, id: &'a str, g: &'a GroupSpec, path: &mut Vec<&'a str>) -> Result<usize, String> {
        if let Some(at) = path.iter().position(|p| *p == id) {
            let cycle: Vec<String> = path[at..].iter().chain([&id]).map(|p| format!("`{p}`")).collect();
            return Err(if cycle.len() == 2 {
                format!("group `{id}` contains itself; a group's members must be other members")
            } else {
                format!("groups contain each other ({}); a group cannot contain itself", cycle.join(" -> "))
            });
        }
        if path.len() > MAX_GROUP_DEPTH {
            return Err(format!("groups are nested more than {MAX_GROUP_DEPTH} deep (through `{id}`)"));
        }
        path.push(id);
        let mut deepest = 0;
        for m in &g.members {
            if let Some((mid, mg)) = group_in(spec, &g.of, m.parts().0) {
                deepest = deepest.max(1 + depth(spec, mid, mg, path)?);
            }
        }
        path.pop();
        Ok(deepest)
    }
    spec.groups.iter().find_map(|(id, g)| depth(spec, id, g, &mut Vec::new()).err())
}

/// Whether an id may go into a file name: letters, digits, `-`, `_` and `.`, not first. The
/// dataset's id and, with `--each`, member ids name output files, which must stay in their folder.
pub fn file_safe(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "# SYNTHETIC: made up by a unit test\nreporter:\n  en: { name: T, possessive: \"T's\" }\ncurrency: USD\nunit: 1000000\nsource: { en: S }\n";

    fn names(members: &str) -> Result<Spec, DatasetError> {
        Spec::parse(Path::new("dataset.yaml"), &format!("{HEAD}dimensions:\n  partner:\n    members:\n{members}"))
    }

    #[test]
    fn a_name_says_which_of_its_forms_are_plural() {
        let spec = names(
            "      a: { en: Alpha }\n      br: { en: { name: the countries along the Belt and Road, short: the Belt and Road countries, plural: true } }\n      \
             cafta: { en: { name: the CAFTA-DR countries, short: CAFTA-DR, plural: name } }\n      ky: { en: { name: the Cayman Islands, plural: true } }\n",
        )
        .unwrap();
        let en = |m: &str| spec.dimensions["partner"].members[m]["en"].clone();
        let forms =
            |m: &str| (en(m).full().to_string(), en(m).short().to_string(), en(m).full_plural(), en(m).short_plural());
        assert_eq!(forms("a"), ("Alpha".into(), "Alpha".into(), false, false));
        assert!(forms("br").2 && forms("br").3);
        assert_eq!(forms("cafta"), ("the CAFTA-DR countries".into(), "CAFTA-DR".into(), true, false));
        // Without a short form, the short form is the name, plural with it.
        assert_eq!(forms("ky"), ("the Cayman Islands".into(), "the Cayman Islands".into(), true, true));
        // The possessive stands in for an adjective not given.
        assert_eq!(spec.reporter["en"].adjective.as_deref(), Some("T's"));
    }

    #[test]
    fn a_bad_plural_or_an_unknown_key_in_a_name_is_named() {
        let err = names("      a: { en: { name: Alpha, plural: several } }\n").unwrap_err().to_string();
        assert!(err.contains("`plural: several`: say `true`, `false`, `name`"), "{err}");
        let err = names("      a: { en: { name: Alpha, shrot: A } }\n").unwrap_err().to_string();
        assert!(err.contains("unknown field `shrot`"), "{err}");
        let err =
            Spec::parse(Path::new("dataset.yaml"), &format!("{HEAD}precision: 0\ndimensions: {{}}\n")).unwrap_err();
        assert!(err.to_string().contains("`precision` must be positive"), "{err}");
    }
}
