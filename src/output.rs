//! Writing bulletins to disk: whole or not at all.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot write: {source}")]
pub struct OutputError {
    /// The file or folder.
    pub path: PathBuf,
    /// What the system said.
    pub source: std::io::Error,
}

/// Writes `text` to a temporary file beside `path` and renames it into place, so a reader or a
/// crash never sees half a file.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), OutputError> {
    let fail = |source| OutputError { path: path.into(), source };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(fail)
}

/// The output folder's lock: one run at a time writes there. Released when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

/// The lock file's name in the output folder.
pub const LOCK_FILE: &str = ".tradescribe.lock";

impl Lock {
    /// Takes the lock, or says who holds it. A lock left by a process that is no longer running
    /// (a crash, a power cut) is taken over, where the system can tell (Linux's /proc).
    pub fn take(dir: &Path) -> Result<Lock, crate::Error> {
        let path = dir.join(LOCK_FILE);
        for _ in 0..2 {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    let _ = writeln!(f, "{}", std::process::id());
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default().trim().to_string();
                    let gone = Path::new("/proc").is_dir()
                        && holder.parse::<u32>().is_ok_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
                    if gone {
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    return Err(crate::Error::Locked(format!(
                        "{}: another run (process {holder}) is writing to this folder; try again when it has finished, \
                         or remove the file if no run is",
                        path.display()
                    )));
                }
                // The folder itself cannot be written: name it, not the lock file.
                Err(source) => return Err(OutputError { path: dir.to_path_buf(), source }.into()),
            }
        }
        Err(crate::Error::Locked(format!("{}: could not take the lock", path.display())))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// What [`save`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// The file was written.
    Written(PathBuf),
    /// The file existed and was left alone.
    Kept(PathBuf),
}

/// Writes `text` into `dir` as `name`, whole or not at all; a file that exists is left alone
/// unless `force`.
pub fn save(dir: &Path, name: &str, text: &str, force: bool) -> Result<Saved, OutputError> {
    let path = dir.join(name);
    if path.exists() && !force {
        return Ok(Saved::Kept(path));
    }
    write_atomic(&path, text)?;
    Ok(Saved::Written(path))
}
