//! What each bulletin was written from, so that a scheduled run rewrites a bulletin whose inputs
//! have changed since (a month's data that arrived in parts) and leaves alone one whose inputs
//! have not.
//!
//! The inputs are the dataset's `dataset.yaml` and CSV files, the rules, the templates of the
//! bulletin's language (built in or overridden) and the program's version; each is recorded by
//! the BLAKE3 hash of its bytes. BLAKE3 because the record outlives the program that wrote it:
//! the standard library's hasher may change from one Rust release to the next, and a fast,
//! specified hash reads the 9 MB of the U.S. data in a few milliseconds. Each month's record is a
//! hidden file beside its bulletins (`.<dataset>-<period>.fingerprint`), written in the same
//! transaction as them: a line for each set of inputs, and a line for each file naming its set.

use crate::dataset::{Dataset, Period, Spec};
use crate::render::Renderer;
use crate::rules::RulesSource;
use std::collections::BTreeMap;
use std::path::Path;

/// The first line of a record.
const HEADER: &str = "tradescribe fingerprint 1";
/// The largest record read.
const MAX_RECORD_BYTES: u64 = 64 << 20;

/// One input: its hash (or, for the version, the version itself) and how messages name it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Input {
    hash: String,
    shown: String,
}

/// The inputs of a run, by role: `version`, `dataset.yaml`, `data/<file>`, `rules` and
/// `templates/<lang>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Inputs {
    inputs: BTreeMap<String, Input>,
}

impl Inputs {
    /// Hashes the dataset's files and the rules, as they are on disk now. `Err` names a file that
    /// cannot be read (the loader reports it better: the caller may treat this as "unknown").
    pub fn of_sources(data: &Path, rules: &RulesSource) -> Result<Inputs, String> {
        let mut inputs = BTreeMap::new();
        let yaml_path = data.join("dataset.yaml");
        let yaml = crate::input::read_bytes(&yaml_path, crate::input::MAX_DATASET_YAML_BYTES)
            .map_err(|e| format!("{}: {e}", yaml_path.display()))?;
        let shown = |p: &Path| p.display().to_string();
        inputs.insert("dataset.yaml".into(), Input { hash: hash_hex(&yaml), shown: shown(&yaml_path) });
        let text = std::str::from_utf8(&yaml).map_err(|e| format!("{}: {e}", yaml_path.display()))?;
        let spec = Spec::parse(&yaml_path, text).map_err(|e| e.to_string())?;
        for file in Dataset::csv_files(data, &spec).map_err(|e| e.to_string())? {
            let mut hasher = blake3::Hasher::new();
            let mut reader = crate::input::open_bounded(&file, crate::input::MAX_CSV_BYTES)
                .map_err(|e| format!("{}: {e}", file.display()))?;
            std::io::copy(&mut reader, &mut hasher).map_err(|e| format!("{}: {e}", file.display()))?;
            let rel = file.strip_prefix(data).unwrap_or(&file).to_string_lossy().replace('\\', "/");
            inputs.insert(
                format!("data/{rel}"),
                Input { hash: hasher.finalize().to_hex().to_string(), shown: shown(&file) },
            );
        }
        let rules_text = rules.read().map_err(|e| e.to_string())?;
        inputs.insert("rules".into(), Input { hash: hash_hex(rules_text.as_bytes()), shown: rules.to_string() });
        inputs.insert(
            "version".into(),
            Input { hash: env!("CARGO_PKG_VERSION").into(), shown: "the program's version".into() },
        );
        Ok(Inputs { inputs })
    }

    /// Adds the templates a renderer fills, as `templates/<lang>`.
    pub fn add_templates(&mut self, renderer: &Renderer) {
        let mut hasher = blake3::Hasher::new();
        for (name, text) in renderer.sources() {
            // Lengths first, so that no two different sets of templates hash alike.
            hasher.update(&(name.len() as u64).to_le_bytes()).update(name.as_bytes());
            hasher.update(&(text.len() as u64).to_le_bytes()).update(text.as_bytes());
        }
        let lang = renderer.lang();
        self.inputs.insert(
            format!("templates/{lang}"),
            Input { hash: hasher.finalize().to_hex().to_string(), shown: format!("the {lang} templates") },
        );
    }

    /// The inputs that differ between two readings, as messages name them.
    pub fn changed_since(&self, before: &Inputs) -> Vec<String> {
        differences(&before.inputs, &self.inputs, &|k| {
            self.inputs.get(k).or_else(|| before.inputs.get(k)).map_or(k.to_string(), |i| i.shown.clone())
        })
    }

    /// The inputs a bulletin in `lang` is written from: every input but other languages' templates.
    fn for_lang(&self, lang: &str) -> BTreeMap<String, String> {
        self.inputs
            .iter()
            .filter(|(k, _)| k.strip_prefix("templates/").is_none_or(|l| l == lang))
            .map(|(k, i)| (k.clone(), i.hash.clone()))
            .collect()
    }

    fn shown(&self, key: &str) -> String {
        self.inputs.get(key).map_or_else(|| key.to_string(), |i| i.shown.clone())
    }
}

/// The keys whose values differ between `old` and `new`, named by `shown`; a key in one only is
/// said to be new or no longer read.
fn differences(
    old: &BTreeMap<String, impl PartialEq + AsHash>,
    new: &BTreeMap<String, impl PartialEq + AsHash>,
    shown: &dyn Fn(&str) -> String,
) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in new {
        match old.get(k) {
            None => out.push(format!("{} (new)", shown(k))),
            Some(o) if o.as_hash() != v.as_hash() => out.push(shown(k)),
            Some(_) => {}
        }
    }
    for k in old.keys().filter(|k| !new.contains_key(*k)) {
        out.push(format!("{} (no longer read)", shown(k)));
    }
    out
}

/// What a value is compared by.
trait AsHash {
    fn as_hash(&self) -> &str;
}

impl AsHash for Input {
    fn as_hash(&self) -> &str {
        &self.hash
    }
}

impl AsHash for String {
    fn as_hash(&self) -> &str {
        self
    }
}

/// The BLAKE3 hash of bytes, in hex.
fn hash_hex(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// The language of a bulletin's file name, `<...>-<lang>.<ext>`.
fn lang_of(file: &str) -> &str {
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    stem.rsplit_once('-').map_or("", |(_, l)| l)
}

/// Whether a file needs writing, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Staleness {
    /// It exists and was written from the inputs of this run.
    Fresh,
    /// It does not exist.
    Missing,
    /// It exists but was written from other inputs, or from unknown ones: the reason.
    Stale(String),
}

/// A month's record: for each file in the output folder, the inputs it was written from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthRecord {
    files: BTreeMap<String, BTreeMap<String, String>>,
    /// Why the record could not be read, where it could not.
    unreadable: Option<String>,
}

impl MonthRecord {
    /// The record's file name for a dataset and month.
    pub fn file_name(id: &str, period: Period) -> String {
        format!(".{id}-{period}.fingerprint")
    }

    /// Reads the record of `id` for `period` in `dir`; a missing one is empty, an unreadable one
    /// is empty and says why (every file it would have covered is then rewritten).
    pub fn read(dir: &Path, id: &str, period: Period) -> MonthRecord {
        let path = dir.join(Self::file_name(id, period));
        let text = match crate::input::read_text(&path, MAX_RECORD_BYTES) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return MonthRecord::default(),
            Err(e) => {
                return MonthRecord {
                    unreadable: Some(format!("its record {} is unreadable: {e}", path.display())),
                    ..Default::default()
                };
            }
        };
        Self::parse(&text).unwrap_or_else(|m| MonthRecord {
            unreadable: Some(format!("its record {} is unreadable: {m}", path.display())),
            ..Default::default()
        })
    }

    fn parse(text: &str) -> Result<MonthRecord, String> {
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Err("not a record this program wrote".into());
        }
        let mut sets: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
        let mut files = BTreeMap::new();
        for line in lines.filter(|l| !l.starts_with('#') && !l.is_empty()) {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["inputs", set, key, value] => {
                    sets.entry(set).or_default().insert(key.to_string(), value.to_string());
                }
                ["file", name, set] => {
                    let inputs = sets.get(set).ok_or_else(|| format!("file {name} names an unknown set {set}"))?;
                    files.insert(name.to_string(), inputs.clone());
                }
                _ => return Err(format!("a line it does not know: {line}")),
            }
        }
        Ok(MonthRecord { files, unreadable: None })
    }

    /// Whether `file` in `dir` needs writing by a run with `inputs`.
    pub fn staleness(&self, dir: &Path, file: &str, inputs: &Inputs) -> Staleness {
        if std::fs::symlink_metadata(dir.join(file)).is_err() {
            return Staleness::Missing;
        }
        let Some(recorded) = self.files.get(file) else {
            return Staleness::Stale(self.unreadable.clone().unwrap_or_else(|| {
                "no record of the inputs it was written from (written by hand or by an earlier version)".into()
            }));
        };
        let changed = differences(recorded, &inputs.for_lang(lang_of(file)), &|k| inputs.shown(k));
        if changed.is_empty() {
            Staleness::Fresh
        } else {
            Staleness::Stale(format!("inputs changed: {}", changed.join(", ")))
        }
    }

    /// Records `written` files as written from `inputs`, and forgets files no longer in `dir`.
    pub fn update(&mut self, dir: &Path, written: &[String], inputs: &Inputs) {
        self.files.retain(|name, _| dir.join(name).exists());
        for name in written {
            self.files.insert(name.clone(), inputs.for_lang(lang_of(name)));
        }
        self.unreadable = None;
    }

    /// The record as written: each distinct set of inputs once, then each file with its set.
    pub fn to_text(&self) -> String {
        let mut sets: Vec<&BTreeMap<String, String>> = Vec::new();
        let mut text = format!(
            "{HEADER}\n# The inputs each bulletin of this month was written from (BLAKE3 hashes): written by tradescribe, \
             which rewrites a bulletin whose inputs change. Do not edit.\n"
        );
        let mut file_lines = String::new();
        for (name, inputs) in &self.files {
            let set = match sets.iter().position(|s| *s == inputs) {
                Some(i) => i,
                None => {
                    sets.push(inputs);
                    for (k, v) in inputs {
                        text.push_str(&format!("inputs\t{}\t{k}\t{v}\n", sets.len() - 1));
                    }
                    sets.len() - 1
                }
            };
            file_lines.push_str(&format!("file\t{name}\t{set}\n"));
        }
        text + &file_lines
    }

    /// Whether the record lists no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Hashes the dataset and rules before they are loaded and again after: a file that changed in
/// between (data landing while the run reads it) would leave bulletins and their record out of
/// step, so the run stops. `before` is `Err` where the files could not be read then.
pub fn check_unchanged(before: &Result<Inputs, String>, after: &Inputs, data: &Path) -> Result<(), String> {
    let changed = match before {
        Ok(b) => after.changed_since(b),
        Err(e) => vec![e.clone()],
    };
    if changed.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}: the inputs changed while this run read them ({}); nothing was written: run again once they are complete",
        data.display(),
        changed.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(pairs: &[(&str, &str)]) -> Inputs {
        Inputs {
            inputs: pairs
                .iter()
                .map(|(k, h)| (k.to_string(), Input { hash: h.to_string(), shown: format!("<{k}>") }))
                .collect(),
        }
    }

    #[test]
    fn a_record_reads_back_and_names_what_changed() {
        let dir = std::env::temp_dir().join(format!("tradescribe-fp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for f in ["x-2019-01-en.md", "x-2019-01-zh.md", "x-2019-01-a-en.md"] {
            std::fs::write(dir.join(f), "text").unwrap();
        }
        let run = inputs(&[
            ("version", "0.1.0"),
            ("data/trade.csv", "aa"),
            ("rules", "rr"),
            ("templates/en", "te"),
            ("templates/zh", "tz"),
        ]);
        let mut record = MonthRecord::default();
        record.update(&dir, &["x-2019-01-en.md".into(), "x-2019-01-zh.md".into()], &run);
        let back = MonthRecord::parse(&record.to_text()).unwrap();
        assert_eq!(back, record);
        assert_eq!(record.to_text().matches("inputs\t").count(), 8, "two sets of four inputs");
        assert_eq!(back.staleness(&dir, "x-2019-01-en.md", &run), Staleness::Fresh);
        assert_eq!(back.staleness(&dir, "x-2019-01-fr.md", &run), Staleness::Missing);
        assert!(
            matches!(back.staleness(&dir, "x-2019-01-a-en.md", &run), Staleness::Stale(m) if m.starts_with("no record"))
        );
        // Only the Chinese templates changed: the English bulletin is still fresh.
        let zh = inputs(&[
            ("version", "0.1.0"),
            ("data/trade.csv", "aa"),
            ("rules", "rr"),
            ("templates/en", "te"),
            ("templates/zh", "ZZ"),
        ]);
        assert_eq!(back.staleness(&dir, "x-2019-01-en.md", &zh), Staleness::Fresh);
        assert_eq!(
            back.staleness(&dir, "x-2019-01-zh.md", &zh),
            Staleness::Stale("inputs changed: <templates/zh>".into())
        );
        let data =
            inputs(&[("version", "0.1.0"), ("data/trade.csv", "bb"), ("data/more.csv", "cc"), ("templates/en", "te")]);
        assert_eq!(
            back.staleness(&dir, "x-2019-01-en.md", &data),
            Staleness::Stale("inputs changed: <data/more.csv> (new), <data/trade.csv>, rules (no longer read)".into())
        );
        assert!(MonthRecord::parse("something else\n").is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn inputs_that_change_while_a_run_reads_them_stop_it() {
        let before = inputs(&[("data/trade.csv", "aa"), ("rules", "rr")]);
        let after = inputs(&[("data/trade.csv", "bb"), ("rules", "rr")]);
        let data = Path::new("data/x");
        assert_eq!(check_unchanged(&Ok(before.clone()), &before, data), Ok(()));
        assert_eq!(
            check_unchanged(&Ok(before), &after, data).unwrap_err(),
            "data/x: the inputs changed while this run read them (<data/trade.csv>); nothing was written: run again \
             once they are complete"
        );
        let e = check_unchanged(&Err("data/x/trade.csv: not a regular file (a named pipe)".into()), &after, data);
        assert!(e.unwrap_err().contains("(data/x/trade.csv: not a regular file (a named pipe))"));
    }

    #[test]
    fn languages_come_from_file_names() {
        assert_eq!(lang_of("us-census-2019-01-en.md"), "en");
        assert_eq!(lang_of("us-census-2019-01-some-member-zh.json"), "zh");
    }
}
