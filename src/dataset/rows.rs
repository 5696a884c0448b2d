//! Where a dataset's rows come from and how they go into the store: the files a dataset may
//! read, and a row given again by a later file (a revision) or twice in one (a fault).

use super::*;

/// Where a `files:` entry (or a CSV file found in the folder) is, if it is a regular file inside
/// the dataset folder: not an absolute path, no `..`, no symbolic link leading out.
pub(super) fn inside(dir: &Path, spec_path: &Path, name: &str) -> Result<PathBuf, DatasetError> {
    use std::path::Component;
    let fail = |message: String| DatasetError::Spec { path: spec_path.to_path_buf(), message };
    let relative = Path::new(name);
    if name.is_empty() || !relative.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir)) {
        return Err(fail(format!(
            "`files`: `{name}` is not a path inside the dataset folder (no absolute path, no `..`)"
        )));
    }
    let path = dir.join(relative);
    let io = |source| DatasetError::Io { path: path.clone(), source };
    let real = path.canonicalize().map_err(io)?;
    let home = dir.canonicalize().map_err(|source| DatasetError::Io { path: dir.to_path_buf(), source })?;
    if !real.starts_with(&home) {
        return Err(fail(format!("`files`: `{name}` is a link that leads outside the dataset folder")));
    }
    if !std::fs::metadata(&real).map_err(io)?.is_file() {
        return Err(fail(format!("`files`: `{name}` is not a regular file")));
    }
    Ok(path)
}

/// Adds a row to the store: a key given twice in one file is a fault; given again by a later
/// file, a revision, which keeps the first report, where the order of the files is declared. A row
/// without a value revises only a row without one: a later file may give a value where an earlier
/// gave only rates, not withdraw one.
pub(super) fn merge(
    obs: &mut Observations,
    files: &[PathBuf],
    file: u16,
    row: read::Row,
    ordered: bool,
) -> Result<(), DatasetError> {
    let source = Source { file, line: row.line };
    let fault = |message: String| DatasetError::Row {
        path: files[file as usize].clone(),
        line: row.line as u64,
        field: "row".into(),
        message,
    };
    if !obs.can_hold(source) {
        return Err(fault("the dataset's files pass two billion lines, more than a dataset can hold".into()));
    }
    // A month far from the rest, or rows spread too thinly, would claim memory the data does not
    // bring: refused, naming the row.
    obs.room(&row.key).map_err(|message| DatasetError::Row {
        path: files[file as usize].clone(),
        line: row.line as u64,
        field: "period".into(),
        message,
    })?;
    if let (None, None, Some(value)) = (&row.rates, &row.annex, row.value)
        && obs.put_new(row.key, value, source)
    {
        return Ok(());
    }
    let prev = obs.get(&row.key);
    let earlier = prev.map(|p| p.source).or_else(|| obs.stated(&row.key).map(|s| s.source));
    if let Some(earlier) = earlier {
        if earlier.file == file {
            return Err(fault(format!(
                "duplicate of {}:{} (same period, basis, flow, dimension and member)",
                files[file as usize].display(),
                earlier.line
            )));
        }
        if !ordered {
            return Err(fault(format!(
                "{}:{} gives the same row (period, basis, flow, dimension and member), and which file revises \
                 which is not declared: list the files in dataset.yaml, oldest first (`files: [...]`)",
                files[earlier.file as usize].display(),
                earlier.line
            )));
        }
    }
    let rates = row.rates.map(|r| *r).unwrap_or_default();
    match row.value {
        Some(value) => {
            let revised_from = prev.map(|p| p.revised_from.unwrap_or((p.value, p.source)));
            obs.remove_stated(&row.key);
            obs.insert(
                row.key,
                Obs {
                    value,
                    yoy_pct: rates.yoy_pct,
                    share_pct: rates.share_pct,
                    share_change_pp: rates.share_change_pp,
                    source,
                    revised_from,
                },
            );
        }
        None => {
            if let Some(p) = prev {
                return Err(DatasetError::Row {
                    path: files[file as usize].clone(),
                    line: row.line as u64,
                    field: "value".into(),
                    message: format!(
                        "is empty where {}:{} gave a value: a later file may revise a value, not withdraw it",
                        files[p.source.file as usize].display(),
                        p.source.line
                    ),
                });
            }
            let stated = Stated {
                yoy_pct: rates.yoy_pct,
                share_pct: rates.share_pct,
                share_change_pp: rates.share_change_pp,
                source,
            };
            obs.put_stated(row.key, stated);
        }
    }
    obs.set_annex(row.key, row.annex.map(|a| *a));
    Ok(())
}
