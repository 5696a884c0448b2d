//! The output folder of an unattended run, as an attacker or a clumsy operator would treat it:
//! links planted in it, runs killed and their leftovers, a lock file left behind, a full disk, a
//! member id too long for a file name, data that changes after a bulletin was written, and
//! slips on the command line. See docs/src/operations.md.

mod common;
use common::{bulletins, run, scratch};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every bulletin of a folder by name, with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    bulletins(dir).into_iter().map(|n| (n.clone(), std::fs::read(dir.join(n)).unwrap())).collect()
}

/// A copy of the synthetic fixture, to change.
fn synthetic(name: &str) -> PathBuf {
    let dir = scratch(name);
    for f in ["dataset.yaml", "trade.csv"] {
        std::fs::copy(Path::new("tests/fixtures/synthetic").join(f), dir.join(f)).unwrap();
    }
    dir
}

#[cfg(unix)]
#[test]
fn links_planted_in_the_folder_are_replaced_or_removed_never_written_through() {
    let out = scratch("planted");
    let victim = scratch("planted-victim").join("precious.txt");
    std::fs::write(&victim, "precious").unwrap();
    // At the bulletin's own name, and at every name the versions before this one gave their
    // temporary files (`.<bulletin>.<pid>.tmp`) for the next few hundred process ids.
    std::os::unix::fs::symlink(&victim, out.join("china-2019-2019-07-en.md")).unwrap();
    let last = std::fs::read_to_string("/proc/sys/kernel/ns_last_pid").map_or(0, |p| p.trim().parse().unwrap_or(0));
    for pid in last + 1..last + 400 {
        std::os::unix::fs::symlink(&victim, out.join(format!(".china-2019-2019-07-en.md.{pid}.tmp"))).unwrap();
    }
    let r = run(&["--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let file = out.join("china-2019-2019-07-en.md");
    assert!(std::fs::symlink_metadata(&file).unwrap().is_file(), "the link is replaced by the bulletin");
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("# China's foreign trade increases 4.2%"));
    assert!(
        r.stderr.contains("tradescribe: removed 399 temporary files left by runs that were killed"),
        "{}",
        r.stderr
    );
    assert_eq!(bulletins(&out), ["china-2019-2019-07-en.md"]);
    // A link where the lock file goes is refused, and not followed.
    std::os::unix::fs::symlink(&victim, out.join(".tradescribe.lock")).unwrap();
    let r = run(&["--out", out.to_str().unwrap(), "--force"]);
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(
        r.stderr.contains(".tradescribe.lock: cannot write: the lock file is a symbolic link; remove it"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
}

#[test]
fn a_month_an_interrupted_run_was_renaming_is_completed_first() {
    let out = scratch("journal");
    // A run killed after its journal and one rename: the zh file is still under its temporary name.
    std::fs::write(out.join(".tradescribe-0123456789ab.tmp"), "the Chinese bulletin").unwrap();
    std::fs::write(out.join("china-2019-2019-07-en.md"), "the English bulletin").unwrap();
    std::fs::write(
        out.join(".tradescribe-journal"),
        "tradescribe journal 1\n.tradescribe-ba9876543210.tmp\tchina-2019-2019-07-en.md\n\
         .tradescribe-0123456789ab.tmp\tchina-2019-2019-07-zh.md\n",
    )
    .unwrap();
    std::fs::write(out.join(".tradescribe-ffffffffffff.tmp"), "a month never journaled").unwrap();
    let r = run(&["--out", out.to_str().unwrap(), "--period", "2019-06"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("tradescribe: completed the month an interrupted run had begun to rename into place (1 files)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("removed 1 temporary files left by runs that were killed"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(out.join("china-2019-2019-07-zh.md")).unwrap(), "the Chinese bulletin");
    assert_eq!(bulletins(&out), ["china-2019-2019-06-en.md", "china-2019-2019-07-en.md", "china-2019-2019-07-zh.md"]);
}

#[test]
fn a_lock_file_left_behind_blocks_nothing() {
    let out = scratch("stale-lock");
    let lock = out.join(".tradescribe.lock");
    // Empty (a run killed as it took it), or naming a process that is alive but is no run (1).
    for left in ["", "1\n", "process 1 on elsewhere, since 2019-08-08 09:30:00\n"] {
        std::fs::write(&lock, left).unwrap();
        let r = run(&["--out", out.to_str().unwrap(), "--force"]);
        assert_eq!(r.code, 0, "{left:?}: {}", r.stderr);
        assert!(!lock.exists());
    }
}

/// The lock holds across pid namespaces (containers sharing a folder). This test holds it; the
/// run is started in a pid namespace of its own with its own /proc, where no process has this
/// test's id: a lock judged stale by its holder's pid, as before, was taken over there, and two
/// runs wrote at once. Skipped, saying so, where unprivileged namespaces are not allowed.
#[cfg(target_os = "linux")]
#[test]
fn a_lock_held_from_another_pid_namespace_stops_a_run() {
    let namespaced = |args: &[&str]| {
        Command::new("unshare")
            .args(["--user", "--map-root-user", "--pid", "--fork", "--mount-proc"])
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
    };
    if !namespaced(&["true"]).is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: this system does not allow unprivileged pid namespaces (unshare)");
        return;
    }
    let out = scratch("namespaced-lock");
    let lock = out.join(".tradescribe.lock");
    let me = std::process::id();
    std::fs::write(&lock, format!("{me}\n")).unwrap();
    let held = std::fs::File::open(&lock).unwrap();
    held.try_lock().unwrap();
    let args = [env!("CARGO_BIN_EXE_tradescribe"), "--data", "tests/fixtures/synthetic", "--period", "2019-02"];
    let args: Vec<&str> = args.iter().copied().chain(["--out", out.to_str().unwrap()]).collect();
    // The namespace's /proc has no process of this test's id (it holds a handful of processes).
    let probe = namespaced(&["test", "-e", &format!("/proc/{me}")]).unwrap();
    assert!(!probe.status.success(), "pid {me} is visible in the new namespace");
    let r = namespaced(&args).unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains(&format!("another run (its lock file says: {me}) is writing to this folder")), "{stderr}");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1, "nothing written beside the lock file");
    drop(held);
    let r = namespaced(&args).unwrap();
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    assert_eq!(bulletins(&out), ["synthetic-2019-02-en.md"]);
}

/// Runs the binary with writes limited to `bytes` a file, as a full disk would stop them
/// (RLIMIT_FSIZE, with SIGXFSZ ignored so that a write fails instead of killing the process).
#[cfg(unix)]
fn run_with_disk_limit(args: &[&str], bytes: u64) -> common::Run {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tradescribe"));
    cmd.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: bytes as libc::rlim_t };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[cfg(unix)]
#[test]
fn a_disk_that_fills_mid_month_leaves_the_old_files_or_none() {
    // The Markdown and HTML files are a few kilobytes, the JSON much more: a disk that fills
    // after the first files of the month.
    let data = synthetic("full-disk-data");
    let out = scratch("full-disk");
    let args = ["--data", data.to_str().unwrap(), "--period", "2019-02", "--lang", "all", "--format", "md,html,json"];
    let args: Vec<&str> = args.iter().copied().chain(["--out", out.to_str().unwrap()]).collect();
    let r = run_with_disk_limit(&args, 20_000);
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("cannot write: File too large"), "{}", r.stderr);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "no bulletin, no temporary file");
    // With room, the month is written; then the data changes and the disk is full again: the
    // month's files stay as they were, all six.
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let before = contents(&out);
    assert_eq!(before.len(), 6);
    let yaml = std::fs::read_to_string(data.join("dataset.yaml")).unwrap();
    std::fs::write(data.join("dataset.yaml"), format!("{yaml}# revised\n")).unwrap();
    let r = run_with_disk_limit(&args, 20_000);
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert_eq!(contents(&out), before);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 7, "the six files and their record, nothing else");
}

#[test]
fn a_member_id_too_long_for_a_file_name_is_refused_before_anything_is_written() {
    let data = synthetic("long-member-data");
    let long = "x".repeat(236);
    let yaml = std::fs::read_to_string(data.join("dataset.yaml")).unwrap();
    std::fs::write(
        data.join("dataset.yaml"),
        yaml.replace("      c: { en: Gamma }", &format!("      {long}: {{ en: Gamma }}")),
    )
    .unwrap();
    let csv = std::fs::read_to_string(data.join("trade.csv")).unwrap();
    std::fs::write(data.join("trade.csv"), csv.replace(",partner,c,", &format!(",partner,{long},"))).unwrap();
    let out = scratch("long-member");
    let r = run(&[
        "--data",
        data.to_str().unwrap(),
        "--period",
        "2019-02",
        "--each",
        "partner",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "{}: member `xxxxxxxxxxxxxxxxxxxxxxxx...` of dimension `partner` (236 bytes) cannot go into a file name \
             (--each partner): `<dataset>-<period>-<member>-<lang>.<ext>` would be 260 bytes, more than the 255 a \
             file name may have; shorten its id there and in the data",
            data.join("dataset.yaml").display()
        )),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
}

#[test]
fn a_bulletin_written_from_data_that_has_since_changed_is_written_again() {
    // January arrives in parts: first the total and partner a, then b and c.
    let data = synthetic("parts-data");
    let full = std::fs::read_to_string(data.join("trade.csv")).unwrap();
    let partial: String = full
        .lines()
        .filter(|l| !(l.starts_with("2019-01,") && (l.contains(",partner,b,") || l.contains(",partner,c,"))))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(partial.len() < full.len());
    std::fs::write(data.join("trade.csv"), &partial).unwrap();
    let out = scratch("parts");
    let args = ["--data", data.to_str().unwrap(), "--period", "2019-01", "--lang", "all", "--format", "md,json"];
    let args: Vec<&str> = args.iter().copied().chain(["--out", out.to_str().unwrap()]).collect();
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let from_parts = contents(&out);
    assert_eq!(from_parts.len(), 4);
    // What a clean run on the complete data writes.
    let clean = scratch("parts-clean");
    std::fs::write(data.join("trade.csv"), &full).unwrap();
    let r = run(&[&args[..args.len() - 1], &[clean.to_str().unwrap()]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let want = contents(&clean);
    assert_ne!(from_parts, want, "the partial data gave other bulletins");
    // The scheduled run on the complete data writes the month again, and says why.
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "tradescribe: 2019-01: written again: inputs changed: {}",
            data.join("trade.csv").display()
        )),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("2019-01: 1 bulletin, ") && r.stderr.contains("; 4 files written"), "{}", r.stderr);
    assert_eq!(contents(&out), want);
    // Unchanged inputs: nothing to do, nothing touched.
    let modified = |dir: &Path| -> Vec<std::time::SystemTime> {
        bulletins(dir).iter().map(|n| std::fs::metadata(dir.join(n)).unwrap().modified().unwrap()).collect()
    };
    let times = modified(&out);
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("nothing to do: 4 files already written"), "{}", r.stderr);
    assert!(!r.stderr.contains("written again"), "{}", r.stderr);
    assert_eq!(modified(&out), times);
    // --force writes regardless.
    let r = run(&[&args[..], &["--force"]].concat());
    assert!(r.stderr.contains("2019-01: 1 bulletin, ") && r.stderr.contains("; 4 files written"), "{}", r.stderr);
    // Templates changed for one language: that language's files alone are written again.
    let templates = scratch("parts-templates");
    std::fs::create_dir_all(templates.join("en/facts")).unwrap();
    let original = std::fs::read_to_string("templates/en/facts/total_trade.hbs").unwrap();
    std::fs::write(templates.join("en/facts/total_trade.hbs"), format!("{original} ")).unwrap();
    let r = run(&[&args[..], &["--templates", templates.to_str().unwrap()]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("2019-01: written again: inputs changed: the en templates"), "{}", r.stderr);
    assert!(r.stderr.contains("; 2 files written") && r.stderr.contains("2 files left as they were"), "{}", r.stderr);
    // A bulletin without a record (written by an earlier version, or by hand) is written again.
    std::fs::remove_file(out.join(".synthetic-2019-01.fingerprint")).unwrap();
    let r = run(&args);
    assert!(r.stderr.contains("2019-01: written again: no record of the inputs it was written from"), "{}", r.stderr);
    assert_eq!(contents(&out), want);
}

#[test]
fn slips_on_the_command_line_are_fixed_or_refused() {
    // A folder that does not exist yet (the first cron run, the README's `--out bulletins/` on a
    // fresh clone) is made, with its parents.
    let fresh = scratch("slips-fresh").join("bulletins/china");
    let r = run(&["--out", fresh.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(bulletins(&fresh), ["china-2019-2019-07-en.md"]);
    // A format given twice is written once.
    let out = scratch("slips");
    let r = run(&["--format", "md,md", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("2019-07: 1 bulletin, ") && r.stderr.contains("; 1 file written"), "{}", r.stderr);
    assert_eq!(bulletins(&out), ["china-2019-2019-07-en.md"]);
    // A month beside a range: which one was meant is not guessed.
    let r = run(&["--period", "2019-07", "--from", "2019-01", "--to", "2019-03"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("the argument '--period <PERIOD>' cannot be used with"), "{}", r.stderr);
    // A range the data does not reach at all is a mistake, not "nothing to do".
    let r = run(&["--from", "1990-01", "--to", "1990-12", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "data/china-2019: no month from 1990-01 to 1990-12 has total trade in the data (its latest month with a total is 2019-07)"
        ),
        "{}",
        r.stderr
    );
}
