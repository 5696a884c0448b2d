//! A rules file: any text must load or fail with an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use tradescribe::rules::RuleSet;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = RuleSet::parse(Path::new("fuzz.yaml"), text);
});
