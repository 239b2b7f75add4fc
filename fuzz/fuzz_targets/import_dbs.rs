//! docker-bench-security log import (`dockaudit_shared::import::import_dbs`) on any JSON value.
//!
//! Besides not panicking: every result has its own id, and the imported report seals and loads
//! back as a valid dockaudit report.
#![no_main]

use std::collections::BTreeSet;

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
    let ids: BTreeSet<&str> = outcome.report.results.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), outcome.report.results.len(), "two results share an id");
    let (sealed, _) = digest::seal(&outcome.report).expect("an imported report seals");
    let loaded = load(&sealed).expect("an imported report loads as a dockaudit report");
    assert!(loaded.digest.is_valid(), "{:?}", loaded.digest);
});
