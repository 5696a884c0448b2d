//! Writing bulletins into an output folder so that the job is safe to leave running: one run at a
//! time ([`lock`]), a month's files visible together or not at all, even across a crash
//! ([`transaction`]), and a record of the inputs each bulletin was written from, so that one
//! written from data that has since changed is written again ([`fingerprint`]).

pub mod fingerprint;
pub mod lock;
pub mod transaction;

pub use fingerprint::{Inputs, MonthRecord, Staleness};
pub use lock::{LOCK_FILE, Lock};
pub use transaction::{JOURNAL, Recovery, commit, recover};

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

impl OutputError {
    /// An error about `path` with a message of our own.
    pub fn other(path: &Path, message: String) -> OutputError {
        OutputError { path: path.into(), source: std::io::Error::other(message) }
    }
}

/// The longest file name, in bytes, the common filesystems take (ext4, XFS, Btrfs, tmpfs, APFS,
/// NTFS in UTF-16 units): a longer one fails with "File name too long" when it is created.
pub const NAME_MAX: usize = 255;

/// The prefix and suffix of every temporary file a run makes in the output folder: what a later
/// run recognises as left behind by a run that was killed.
pub const TMP_PREFIX: &str = ".tradescribe-";
/// See [`TMP_PREFIX`].
pub const TMP_SUFFIX: &str = ".tmp";

/// A new temporary file in `dir`, created exclusively (never through a link, never an existing
/// file) under an unpredictable name, readable as a bulletin is once renamed into place.
pub fn temporary(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut b = tempfile::Builder::new();
    b.prefix(TMP_PREFIX).suffix(TMP_SUFFIX).rand_bytes(12);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The umask applies, as for any file the job writes (0644 under the usual 022).
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    b.tempfile_in(dir)
}

/// Writes `text` to `path` whole or not at all: into a temporary file beside it, synced, then
/// renamed into place (replacing a link at `path`, never writing through it).
pub fn write_atomic(path: &Path, text: &str) -> Result<(), OutputError> {
    let fail = |source| OutputError { path: path.into(), source };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = temporary(dir).map_err(fail)?;
    tmp.write_all(text.as_bytes()).and_then(|()| tmp.as_file().sync_all()).map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Syncs a folder, so that the names just created or renamed in it survive a power cut.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}
