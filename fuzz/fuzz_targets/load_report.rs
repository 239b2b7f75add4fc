//! Report load (`dockaudit_shared::load::load`): dockaudit reports of every schema version and
//! docker-bench-security logs, as the CLI and the viewer open them.
//!
//! Besides not panicking: a report that loads must survive a save and load unchanged, so the
//! loader never accepts something it cannot write back.
#![no_main]

use dockaudit_shared::load::load;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(loaded) = load(text) else {
        return;
    };
    let saved = serde_json::to_string(&loaded.report).expect("a loaded report serialises");
    let again = load(&saved).expect("a saved report loads again");
    assert_eq!(again.report, loaded.report, "the report changed on a save and load");
});
