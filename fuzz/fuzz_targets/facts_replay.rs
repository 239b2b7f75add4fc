//! Facts replay (`dockaudit scan --facts-in`): `dockaudit::snapshot::load` on any text, then every
//! check evaluated over the loaded snapshot, as a replayed scan does.
//!
//! Besides not panicking: a snapshot that loads serialises and loads again, and the evaluation
//! yields one result per catalogue check.
#![no_main]

use dockaudit::checks::{self, Ctx, EvalOptions};
use dockaudit::interpret::ContainerFilter;
use dockaudit::snapshot;
use dockaudit_shared::catalog;
use dockaudit_shared::report::Selection;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(facts) = snapshot::load(text) else {
        return;
    };
    let saved = serde_json::to_string(&facts).expect("a loaded snapshot serialises");
    snapshot::load(&saved).expect("a saved snapshot loads again");
    let ctx = Ctx::new(&facts, EvalOptions::default(), &ContainerFilter::default());
    let results = checks::evaluate(&ctx, &Selection::default());
    assert_eq!(results.len(), catalog::CHECK_COUNT);
});
