//! The date and timestamp parsers behind sign-off `due`, `expires` and `signed_at`, and `--today`.
//!
//! Besides not panicking: a date that parses must print as text that parses back to it.
#![no_main]

use dockaudit_shared::signoff::{parse_timestamp, Date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(date) = Date::parse(text) {
        let shown = date.to_string();
        assert_eq!(Date::parse(&shown), Ok(date), "{shown}");
    }
    let _ = parse_timestamp(text);
});
