//! The viewer's link format (`dockaudit_shared::view::url::decode`): any query string a link may
//! carry.
//!
//! Besides not panicking: what a decoded link encodes to must decode and encode to itself.
#![no_main]

use dockaudit_shared::view::url::{decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    let once = encode(&decode(&query));
    assert_eq!(encode(&decode(&once)), once);
});
