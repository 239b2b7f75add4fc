//! Image history steps (`CreatedBy`): `dockaudit::interpret::image_history::parse` on each line of
//! the input, and what the checks read from the result.
#![no_main]

use dockaudit::interpret::image_history::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for step in text.split('\n') {
        let instruction = parse(step);
        if let Some(dest) = instruction.add_destination() {
            assert!(step.contains(dest), "ADD destination {dest:?} not in {step:?}");
        }
    }
});
