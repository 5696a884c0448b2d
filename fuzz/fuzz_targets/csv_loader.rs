//! Canonical CSV against the synthetic fixture's dataset.yaml: any bytes must load or fail with
//! an error, never panic; what loads must give statistics or a statistics error. A line `--`
//! splits the input into two files, so that revisions across files are reached too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use tradescribe::dataset::{Dataset, Spec};
use tradescribe::stats::Stats;

const SPEC: &str = include_str!("../../tests/fixtures/synthetic/dataset.yaml");

fuzz_target!(|data: &[u8]| {
    let dir = Path::new("fuzz");
    let spec = Spec::parse(&dir.join("dataset.yaml"), SPEC).expect("the fixture's dataset.yaml loads");
    let files: Vec<(PathBuf, &[u8])> = match data.windows(4).position(|w| w == b"\n--\n") {
        Some(i) => vec![("a.csv".into(), &data[..i + 1]), ("b.csv".into(), &data[i + 4..])],
        None => vec![("a.csv".into(), data)],
    };
    if let Ok(ds) = Dataset::from_sources(dir, spec, files)
        && let Some(period) = ds.latest_period()
    {
        let _ = Stats::compute(&ds, period);
    }
});
