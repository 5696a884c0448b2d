//! Fault injection: a long `--each` run over the U.S. data, killed with SIGKILL at pseudo-random
//! moments (a fixed seed, so the same delays every time), then run again, and killed again, until
//! a run completes. After every kill each bulletin in the folder is complete and byte-identical to
//! a clean run's, or absent, and a month's files are all there or none (but for the one month a
//! journal names, which the next run completes first); once a run completes, the folder holds
//! exactly the clean run's files and records of inputs, and no lock, journal or temporary file.

mod common;
use common::scratch;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Two months of every partner, in both languages, as Markdown and JSON: 1,860 files (a range
/// long enough to be killed in many places, short enough for a debug build's test run).
const ARGS: &[&str] = &[
    "--data",
    "data/us-census",
    "--each",
    "partner",
    "--from",
    "2019-11",
    "--to",
    "2019-12",
    "--lang",
    "all",
    "--format",
    "md,json",
    "--quiet",
];

fn start(out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_tradescribe"))
        .args(ARGS)
        .arg("--out")
        .arg(out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs")
}

/// Every file of a folder by name, with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().into_string().unwrap(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// `us-census-2019-10-<member>-<lang>.<ext>` is of month `2019-10`.
fn month(name: &str) -> &str {
    &name["us-census-".len().."us-census-2019-10".len()]
}

/// When a run is killed.
#[derive(Clone, Copy, PartialEq)]
enum Kill {
    /// After a pseudo-random delay.
    After,
    /// Once temporary files appear (a month being written), after a pseudo-random few milliseconds.
    Temporaries,
    /// Once a journal appears (a month being renamed into place), at once.
    Journal,
}

/// A small deterministic generator (xorshift64*): the same delays on every run of the test.
struct Seeded(u64);

impl Seeded {
    fn next_fraction(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn runs_killed_at_random_points_leave_whole_files_and_whole_months() {
    let clean_dir = scratch("fault-clean");
    let began = Instant::now();
    let clean = start(&clean_dir).wait_with_output().unwrap();
    let clean_time = began.elapsed();
    assert!(clean.status.success(), "{}", String::from_utf8_lossy(&clean.stderr));
    let clean = contents(&clean_dir);
    let bulletins: BTreeMap<&String, &Vec<u8>> = clean.iter().filter(|(n, _)| !n.starts_with('.')).collect();
    let mut per_month: BTreeMap<&str, usize> = BTreeMap::new();
    for name in bulletins.keys() {
        *per_month.entry(month(name)).or_default() += 1;
    }
    assert_eq!(per_month.len(), 2);
    assert!(bulletins.len() > 1800, "{}", bulletins.len());
    let _ = std::fs::remove_dir_all(&clean_dir);

    let out = scratch("fault-killed");
    let mut seeds = Seeded(0x0007_ade5_c1be_2019);
    // Where each run is killed: after a delay, or as soon as the folder shows temporary files
    // (a month being written) or a journal (a month being renamed into place), plus a little.
    let plan = [Kill::Temporaries, Kill::Journal, Kill::After, Kill::Temporaries, Kill::Journal];
    let (mut kills, mut with_journal, mut with_temporaries) = (0, 0, 0);
    loop {
        let mut child = start(&out);
        // The last run is never killed: it must complete what the others left.
        let kill = plan.get(kills).copied();
        let extra = Duration::from_micros((seeds.next_fraction() * 20_000.0) as u64);
        let delay = clean_time.mul_f64(0.05 + 0.5 * seeds.next_fraction());
        let began = Instant::now();
        let mut triggered: Option<Instant> = None;
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if triggered.is_none() {
                let now = Instant::now();
                let hit = match kill {
                    None => false,
                    Some(Kill::After) => now - began >= delay,
                    Some(Kill::Journal) => out.join(".tradescribe-journal").exists(),
                    Some(Kill::Temporaries) => std::fs::read_dir(&out).unwrap().flatten().any(|e| {
                        let n = e.file_name().to_string_lossy().into_owned();
                        n.starts_with(".tradescribe-") && n.ends_with(".tmp")
                    }),
                };
                if hit {
                    triggered = Some(now + if kill == Some(Kill::Journal) { Duration::ZERO } else { extra });
                }
            }
            if triggered.is_some_and(|t| Instant::now() >= t) {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                break None;
            }
            std::thread::sleep(Duration::from_millis(if kill == Some(Kill::Journal) { 1 } else { 5 }));
        };
        let now = contents(&out);
        if let Some(status) = status {
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            assert!(status.success(), "exit {status}: {stderr}");
            // Complete: exactly the clean run's files, records of inputs included, and nothing else.
            let names: Vec<&String> = now.keys().collect();
            let want: Vec<&String> = clean.keys().collect();
            assert_eq!(names, want, "after {kills} kills");
            for (name, bytes) in &now {
                assert!(bytes == &clean[name], "{name} differs from the clean run's after {kills} kills");
            }
            break;
        }
        kills += 1;
        let journal = now.contains_key(".tradescribe-journal");
        with_journal += usize::from(journal);
        with_temporaries += usize::from(now.keys().any(|n| n.starts_with(".tradescribe-") && n.ends_with(".tmp")));
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (name, bytes) in now.iter().filter(|(n, _)| !n.starts_with('.')) {
            let want = clean.get(name).unwrap_or_else(|| panic!("{name} is not a file of the clean run"));
            assert!(bytes == want, "{name} is not whole after kill {kills}");
            *seen.entry(month(name)).or_default() += 1;
        }
        for (m, n) in seen {
            assert!(n == per_month[m] || journal, "kill {kills}: {n} of {m}'s {} files, and no journal", per_month[m]);
        }
    }
    eprintln!(
        "fault injection: {kills} kills ({with_journal} left a journal, {with_temporaries} left temporary files); \
         a clean run took {} ms",
        clean_time.as_millis()
    );
    assert_eq!(kills, plan.len(), "every planned kill found a run to kill");
    assert!(with_temporaries > 0 && with_journal > 0, "the kills reached a month being written and one being renamed");
    let _ = std::fs::remove_dir_all(&out);
}
