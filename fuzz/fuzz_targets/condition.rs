//! One rule condition (CEL): any text must compile and type-check or fail with a message, never
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(message) = tradescribe::rules::check_condition(text) {
        assert!(!message.is_empty());
    }
});
