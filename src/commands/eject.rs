//! `eject`: the built-in rules and templates written out into a folder, to start editing from
//! (as `mdbook init --theme` writes out mdBook's theme). Used as `--rules DIR/rules/default.yaml
//! --templates DIR/templates`, the folder gives the same bulletins as the built-in files until
//! it is edited.

use crate::output::{OutputError, write_atomic};
use crate::{Error, render, rules};
use std::path::{Path, PathBuf};

/// Writes every built-in rules file to `DIR/rules/` and every built-in template to
/// `DIR/templates/<lang>/`, and returns the files written. A file that exists is not replaced
/// unless `force`: then nothing is written, and the error names it.
pub fn eject(dir: &Path, force: bool) -> Result<Vec<PathBuf>, Error> {
    let files: Vec<(PathBuf, &str)> = rules::builtin_files()
        .iter()
        .map(|(name, text)| (dir.join("rules").join(name), *text))
        .chain(render::builtin_files().iter().map(|(path, text)| (dir.join("templates").join(path), *text)))
        .collect();
    let existing: Vec<&PathBuf> = files.iter().map(|(p, _)| p).filter(|p| p.exists()).collect();
    if let (Some(first), false) = (existing.first(), force) {
        let more = match existing.len() - 1 {
            0 => String::new(),
            n => format!(", as do {n} more of the files it would write"),
        };
        return Err(OutputError {
            path: (*first).clone(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("the file exists{more}; nothing was written (--force replaces them)"),
            ),
        }
        .into());
    }
    let mut written = Vec::with_capacity(files.len());
    for (path, text) in files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| OutputError { path: parent.to_path_buf(), source })?;
        }
        write_atomic(&path, text)?;
        written.push(path);
    }
    Ok(written)
}
