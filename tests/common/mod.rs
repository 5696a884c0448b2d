//! Shared by the integration tests: running the binary and making scratch folders.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `tradescribe` with `args` from the package root.
pub fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tradescribe"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// A fresh, empty folder under the target directory, named for the test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The names of the bulletins in an output folder, sorted. Besides them a folder holds only each
/// month's hidden record of inputs (`.<dataset>-<period>.fingerprint`): no lock file, journal or
/// temporary file is left once a run has ended, and this checks that too.
pub fn bulletins(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let (hidden, shown): (Vec<String>, Vec<String>) = names.into_iter().partition(|n| n.starts_with('.'));
    for h in hidden {
        assert!(h.ends_with(".fingerprint"), "{h} is left in {}", dir.display());
    }
    shown
}

/// Compares `text` with the golden file, or rewrites it when UPDATE_GOLDEN=1.
pub fn golden(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_GOLDEN=1 and review it", path.display()));
    assert!(
        want == text,
        "{} differs from the output (UPDATE_GOLDEN=1 rewrites it; review the diff):\n--- golden\n{want}\n--- got\n{text}",
        path.display()
    );
}

/// The published source files the shipped datasets are made from (`data/sources/`, each folder
/// with its PROVENANCE.txt).
pub fn sources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sources")
}
