//! `dataset.yaml`: what the numbers in a dataset's CSV mean.

use super::{Currency, DatasetError, Period, yaml_message};
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
    /// Before a noun: `China's`, `U.S.`.
    pub possessive: String,
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
}

/// A member's name in one language: a plain name, or a full name with a short form for second mentions.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum MemberName {
    /// One form for every mention.
    Plain(String),
    /// A full name and a short form.
    Full {
        /// First mention: `the European Union`.
        name: String,
        /// Later mentions: `the EU`.
        short: String,
    },
}

impl MemberName {
    /// The full name.
    pub fn full(&self) -> &str {
        match self {
            MemberName::Plain(n) | MemberName::Full { name: n, .. } => n,
        }
    }

    /// The short form, or the full name where there is none.
    pub fn short(&self) -> &str {
        match self {
            MemberName::Plain(n) => n,
            MemberName::Full { short, .. } => short,
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
        for (dim, d) in &spec.dimensions {
            for (member, names) in &d.members {
                if !names.contains_key("en") {
                    return fail(format!("member `{member}` of dimension `{dim}` has no `en` name"));
                }
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
