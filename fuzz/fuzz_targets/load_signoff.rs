//! Sign-off load (`dockaudit_shared::signoff::load::load_signoff`), as `signoff verify`/`apply`
//! and the viewer read a colleague's sign-off.
//!
//! Besides not panicking: a sign-off that loads must seal and load back with a valid digest.
#![no_main]

use dockaudit_shared::signoff::load::load_signoff;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(loaded) = load_signoff(text) else {
        return;
    };
    let (sealed, _) = loaded.signoff.seal();
    let again = load_signoff(&sealed).expect("a sealed sign-off loads again");
    assert!(again.digest.is_valid(), "{:?}", again.digest);
});
