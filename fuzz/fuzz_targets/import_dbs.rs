//! docker-bench-security log import (`dockaudit_shared::import::import_dbs`) on any JSON value.
//!
//! Besides not panicking: an imported report must seal and load back as a valid dockaudit report.
#![no_main]

use dockaudit_shared::{digest, import::import_dbs, load::load};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let Ok(outcome) = import_dbs(&value) else {
        return;
    };
    let (sealed, _) = digest::seal(&outcome.report).expect("an imported report seals");
    let loaded = load(&sealed).expect("an imported report loads as a dockaudit report");
    assert!(loaded.digest.is_valid(), "{:?}", loaded.digest);
});
