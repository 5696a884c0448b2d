//! The output folder's lock: one run at a time writes there.
//!
//! An advisory lock the operating system holds for the process on an open lock file (`flock`
//! on Unix, through the standard library's `File::try_lock`; `LockFileEx` on Windows). The
//! kernel releases it when the process ends, however it ends (a crash, SIGKILL, a power cut), so
//! a lock is never stale: a lock file left behind, empty or naming any process, blocks nothing.
//! It belongs to the open file, not to a process id, so it holds across containers (pid
//! namespaces) sharing a local folder. A run removes the lock file when it ends, while it still
//! holds the lock; a run that locked a file that has since been removed or replaced (it opened
//! it just before) takes the lock again on the file now there. What the file records (the
//! holder's process id, machine and start time) is only for the message a second run prints.

use super::OutputError;
use crate::Error;
use std::io::{Read, Seek, Write};
use std::path::Path;

/// The lock file's name in the output folder.
pub const LOCK_FILE: &str = ".tradescribe.lock";

/// The output folder's lock, held while this value lives.
#[derive(Debug)]
pub struct Lock {
    file: std::fs::File,
    path: std::path::PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held: a run that opened it meanwhile finds it gone once it locks it.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

impl Lock {
    /// Takes the lock of `dir`, or fails with [`Error::Locked`] saying who holds it. The lock
    /// file is opened without following a link (a link there could make the run write into
    /// another file) and must be a regular file.
    pub fn take(dir: &Path) -> Result<Lock, Error> {
        // The file locked may have been removed by the run that held it just before: a few tries.
        for _ in 0..10 {
            if let Some(lock) = Self::try_take(dir)? {
                return Ok(lock);
            }
        }
        Err(Error::Locked(format!(
            "{}: the lock file keeps being replaced by other runs; try again",
            dir.join(LOCK_FILE).display()
        )))
    }

    /// One try: `None` where the file locked is no longer the one at the path.
    fn try_take(dir: &Path) -> Result<Option<Lock>, Error> {
        let path = dir.join(LOCK_FILE);
        let fail = |source| Error::Output(OutputError { path: path.clone(), source });
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
        let mut file = match options.open(&path) {
            Ok(f) => f,
            #[cfg(unix)]
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                return Err(fail(std::io::Error::other(
                    "the lock file is a symbolic link; remove it (a run makes its own)",
                )));
            }
            // The folder itself cannot be written: name it, not the lock file.
            Err(source) if !dir.is_dir() || source.kind() == std::io::ErrorKind::PermissionDenied => {
                return Err(Error::Output(OutputError { path: dir.to_path_buf(), source }));
            }
            Err(e) => return Err(fail(e)),
        };
        if !file.metadata().map_err(fail)?.is_file() {
            return Err(fail(std::io::Error::other("the lock file is not a regular file; remove it")));
        }
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = (&file).take(200).read_to_string(&mut holder);
                let holder = holder.trim();
                let holder = if holder.is_empty() { String::new() } else { format!(" (its lock file says: {holder})") };
                return Err(Error::Locked(format!(
                    "{}: another run{holder} is writing to this folder; this run wrote nothing. Try again \
                     when it has finished: the lock is released when that run ends, however it ends, so \
                     there is nothing to remove",
                    path.display()
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(fail(e)),
        }
        if !same_file(&file, &path) {
            return Ok(None);
        }
        // Who holds it, for a second run's message; a failure here does not weaken the lock.
        let started = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
        let _ = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| writeln!(file, "process {} on {}, since {started}", std::process::id(), hostname()));
        Ok(Some(Lock { file, path }))
    }
}

/// Whether the open file is the one at `path` now.
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::symlink_metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// The machine's name, for the lock file's record.
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().chars().filter(|c| c.is_ascii_graphic()).take(64).collect())
        .filter(|h: &String| !h.is_empty())
        .unwrap_or_else(|| "this machine".into())
}
