//! dataset.yaml: any text must parse and check or fail with an error, never panic; a description
//! that passes must load a small CSV without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use tradescribe::dataset::{Dataset, Spec};

const CSV: &[u8] = b"period,basis,flow,dimension,member,value\n2019-01,month,export,total,all,10\n\
2019-01,month,import,total,all,5\n2019-01,month,export,partner,us,1\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let dir = Path::new("fuzz");
    if let Ok(spec) = Spec::parse(&dir.join("dataset.yaml"), text) {
        let _ = Dataset::from_sources(dir, spec, vec![(dir.join("trade.csv"), CSV)]);
    }
});
