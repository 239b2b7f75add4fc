//! OpenSSH `allowed_signers` files, as an auditor hands them to `dockaudit signoff verify` and the
//! viewer: `dockaudit_shared::sshsig::AllowedSigners::parse`.
//!
//! Besides not panicking: parsing is deterministic.
#![no_main]

use dockaudit_shared::sshsig::AllowedSigners;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let first = AllowedSigners::parse(text);
    let again = AllowedSigners::parse(text);
    assert_eq!(first.is_ok(), again.is_ok());
});
