//! A month's files, visible together or not at all.
//!
//! [`commit`] writes every file of a month to its own temporary file and syncs it; then writes a
//! small journal naming each temporary file and the name it takes, and syncs the folder; then
//! renames each into place, syncs the folder and removes the journal. A crash before the journal
//! is in place leaves only temporary files, and the month's old files (or none); a crash after it
//! leaves a journal that the next run completes, under the lock, before anything else
//! ([`recover`]: roll forward). A full disk fails while the temporary files are written, before
//! any name changes. Temporary files left by a run killed before its journal are removed then too.

use super::{OutputError, TMP_PREFIX, TMP_SUFFIX, sync_dir, temporary};
use std::io::{Read, Write};
use std::path::Path;

/// The journal's name in the output folder.
pub const JOURNAL: &str = ".tradescribe-journal";
/// The journal's first line.
const JOURNAL_HEADER: &str = "tradescribe journal 1";
/// The largest journal a run reads: a month of every member's files is a few hundred kilobytes.
const MAX_JOURNAL_BYTES: u64 = 64 << 20;
/// How many files are written at once: syncing waits on the disk, not the processor.
const THREADS: usize = 8;

/// Writes `files` (name in `dir`, contents) so that all of them become visible or none: see the
/// module's description. A name must be a plain file name. On an error before the renames nothing
/// has changed; on one during them the journal stays and the next run completes the month.
pub fn commit(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), OutputError> {
    let fail = |name: &str, source| OutputError { path: dir.join(name), source };
    for (name, _) in files {
        check_plain(name).map_err(|m| OutputError::other(&dir.join(name), m))?;
        // A folder in the way would stop the rename after the journal: refused before it.
        if std::fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.is_dir()) {
            return Err(OutputError::other(&dir.join(name), "a folder has this name; move it away".into()));
        }
    }
    // Each file whole and on disk under a temporary name; any failure (a full disk) drops them all.
    let staged = parallel(files, |(name, bytes)| {
        let mut tmp = temporary(dir).map_err(|e| fail(name, e))?;
        tmp.write_all(bytes).and_then(|()| tmp.as_file().sync_all()).map_err(|e| fail(name, e))?;
        Ok(tmp.into_temp_path())
    })?;
    let mut journal = format!("{JOURNAL_HEADER}\n");
    for ((name, _), tmp) in files.iter().zip(&staged) {
        let tmp_name = tmp.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        journal.push_str(&format!("{tmp_name}\t{name}\n"));
    }
    let journal_path = dir.join(JOURNAL);
    let mut j = temporary(dir).map_err(|e| fail(JOURNAL, e))?;
    j.write_all(journal.as_bytes()).and_then(|()| j.as_file().sync_all()).map_err(|e| fail(JOURNAL, e))?;
    j.persist(&journal_path).map_err(|e| fail(JOURNAL, e.error))?;
    // From here the journal speaks for the temporary files: they must outlive this run.
    let kept: Vec<std::path::PathBuf> =
        staged.into_iter().map(|t| t.keep()).collect::<Result<_, _>>().map_err(|e| fail(JOURNAL, e.error))?;
    sync_dir(dir).map_err(|e| fail(".", e))?;
    for ((name, _), tmp) in files.iter().zip(&kept) {
        std::fs::rename(tmp, dir.join(name)).map_err(|source| {
            OutputError::other(
                &dir.join(name),
                format!("cannot rename into place: {source}; the next run completes the month from {JOURNAL}"),
            )
        })?;
    }
    finish(dir)
}

/// Syncs the renames and removes the journal.
fn finish(dir: &Path) -> Result<(), OutputError> {
    let fail = |source| OutputError { path: dir.join(JOURNAL), source };
    sync_dir(dir).map_err(fail)?;
    std::fs::remove_file(dir.join(JOURNAL)).map_err(fail)?;
    sync_dir(dir).map_err(fail)
}

/// What [`recover`] found and did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// Files a journal named that were renamed into place now: an interrupted month completed.
    pub completed: usize,
    /// Temporary files of killed runs, removed.
    pub removed: usize,
}

/// Completes the month of a journal left by an interrupted run (roll forward), then removes the
/// temporary files killed runs left behind. Run under the lock, before anything is written.
pub fn recover(dir: &Path) -> Result<Recovery, OutputError> {
    let mut done = Recovery::default();
    let journal_path = dir.join(JOURNAL);
    if let Ok(meta) = std::fs::symlink_metadata(&journal_path) {
        let unreadable = |m: String| {
            OutputError::other(
                &journal_path,
                format!(
                    "{m}; an interrupted run's journal cannot be completed: remove it, and check that month's files"
                ),
            )
        };
        if !meta.is_file() {
            return Err(unreadable("not a regular file".into()));
        }
        let mut text = String::new();
        std::fs::File::open(&journal_path)
            .and_then(|f| f.take(MAX_JOURNAL_BYTES).read_to_string(&mut text))
            .map_err(|e| unreadable(e.to_string()))?;
        let mut lines = text.lines();
        if lines.next() != Some(JOURNAL_HEADER) {
            return Err(unreadable("not a journal this program wrote".into()));
        }
        let mut renames = Vec::new();
        for line in lines {
            let (tmp, name) =
                line.split_once('\t').ok_or_else(|| unreadable(format!("a line without a tab: {line}")))?;
            check_plain(tmp).and_then(|()| check_plain(name)).map_err(&unreadable)?;
            if !is_temporary(tmp) {
                return Err(unreadable(format!("`{tmp}` is not a temporary file's name")));
            }
            renames.push((tmp, name));
        }
        for (tmp, name) in renames {
            // A temporary file that is gone was renamed before the interruption.
            if std::fs::symlink_metadata(dir.join(tmp)).is_ok() {
                std::fs::rename(dir.join(tmp), dir.join(name))
                    .map_err(|source| OutputError { path: dir.join(name), source })?;
                done.completed += 1;
            }
        }
        finish(dir)?;
    }
    let entries = std::fs::read_dir(dir).map_err(|source| OutputError { path: dir.into(), source })?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().is_ok_and(|t| !t.is_dir());
        if is_file && (is_temporary(&name) || is_legacy_temporary(&name)) {
            // Removing a name never follows a link.
            std::fs::remove_file(entry.path()).map_err(|source| OutputError { path: entry.path(), source })?;
            done.removed += 1;
        }
    }
    if done.removed > 0 {
        sync_dir(dir).map_err(|source| OutputError { path: dir.into(), source })?;
    }
    Ok(done)
}

/// Whether a name is one of this program's temporary files.
fn is_temporary(name: &str) -> bool {
    name.len() > TMP_PREFIX.len() + TMP_SUFFIX.len() && name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX)
}

/// Whether a name is a temporary file of the versions before temporary files had random names
/// (`.<bulletin>.<pid>.tmp`), which a killed run of theirs may have left.
fn is_legacy_temporary(name: &str) -> bool {
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(TMP_SUFFIX)) else {
        return false;
    };
    let Some((bulletin, pid)) = inner.rsplit_once('.') else {
        return false;
    };
    !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && [".md", ".txt", ".html", ".json"].iter().any(|ext| bulletin.ends_with(ext))
}

/// A name must be a plain file name in the folder: no separator, not `.` or `..`, no tab or line
/// break (the journal's separators).
fn check_plain(name: &str) -> Result<(), String> {
    let bad = name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\', '\t', '\n', '\r', '\0']);
    if bad { Err(format!("`{}` is not a plain file name", name.escape_debug())) } else { Ok(()) }
}

/// `f` over `items` on up to [`THREADS`] threads, stopping at the first error; the results in order.
fn parallel<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<R, OutputError> + Sync,
) -> Result<Vec<R>, OutputError> {
    let threads = THREADS.min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::atomic::AtomicBool::new(false);
    let mut out: Vec<(usize, Result<R, OutputError>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    use std::sync::atomic::Ordering::SeqCst;
                    let mut mine = Vec::new();
                    while !failed.load(SeqCst) {
                        let i = next.fetch_add(1, SeqCst);
                        let Some(item) = items.get(i) else { break };
                        let r = f(item);
                        failed.fetch_or(r.is_err(), SeqCst);
                        mine.push((i, r));
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("writing a file does not panic")).collect()
    });
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("tradescribe-tx-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn a_month_is_written_whole_and_leaves_nothing_else() {
        let dir = scratch("whole");
        std::fs::write(dir.join("a.md"), "old").unwrap();
        commit(&dir, &[("a.md".into(), b"new a".to_vec()), ("b.md".into(), b"new b".to_vec())]).unwrap();
        assert_eq!(names(&dir), ["a.md", "b.md"]);
        assert_eq!(std::fs::read_to_string(dir.join("a.md")).unwrap(), "new a");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_a_name_is_replaced_not_written_through() {
        let dir = scratch("link");
        let target = dir.join("target.txt");
        std::fs::write(&target, "precious").unwrap();
        std::os::unix::fs::symlink(&target, dir.join("a.md")).unwrap();
        commit(&dir, &[("a.md".into(), b"bulletin".to_vec())]).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
        assert!(!std::fs::symlink_metadata(dir.join("a.md")).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(dir.join("a.md")).unwrap(), "bulletin");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_interrupted_month_is_completed_and_leftovers_removed() {
        let dir = scratch("recover");
        // A run that died after its journal, with one file renamed and one not.
        std::fs::write(dir.join(".tradescribe-aaaaaaaaaaaa.tmp"), "b").unwrap();
        std::fs::write(dir.join("a.md"), "a").unwrap();
        std::fs::write(
            dir.join(JOURNAL),
            format!("{JOURNAL_HEADER}\n.tradescribe-gone00000000.tmp\ta.md\n.tradescribe-aaaaaaaaaaaa.tmp\tb.md\n"),
        )
        .unwrap();
        // Leftovers of killed runs, of this version and of the versions before; a file of the
        // operator's that only looks alike stays.
        std::fs::write(dir.join(".tradescribe-bbbbbbbbbbbb.tmp"), "x").unwrap();
        std::fs::write(dir.join(".china-2019-2019-07-en.md.4242.tmp"), "x").unwrap();
        std::fs::write(dir.join(".notes.4242.tmp"), "mine").unwrap();
        let done = recover(&dir).unwrap();
        assert_eq!(done, Recovery { completed: 1, removed: 2 });
        assert_eq!(names(&dir), [".notes.4242.tmp", "a.md", "b.md"]);
        assert_eq!(std::fs::read_to_string(dir.join("b.md")).unwrap(), "b");
        assert_eq!(recover(&dir).unwrap(), Recovery::default());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_journal_naming_files_outside_the_folder_is_refused() {
        let dir = scratch("evil");
        std::fs::write(dir.join(JOURNAL), format!("{JOURNAL_HEADER}\n.tradescribe-x.tmp\t../../etc/passwd\n")).unwrap();
        let e = recover(&dir).unwrap_err().to_string();
        assert!(e.contains("`../../etc/passwd` is not a plain file name") && e.contains("remove it"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
