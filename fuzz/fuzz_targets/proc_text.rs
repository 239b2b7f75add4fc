//! Kernel-written text the collector parses on the audited host: `/proc/<pid>/mountinfo`,
//! `/proc/net/tcp{,6}` and `/proc/net/unix` (mount points and unix socket paths are chosen by
//! whoever controls the host's mounts and sockets). The first byte picks the parser.
//!
//! Besides not panicking: every parsed mount point and socket path was unescaped from the input,
//! and unescaping never makes text longer.
#![no_main]

use dockaudit::facts::parsers::{parse_mountinfo, parse_proc_net_tcp, parse_proc_net_unix, unescape_octal};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    match which % 4 {
        0 => {
            for m in parse_mountinfo(&text) {
                assert!(m.mount_point.len() <= text.len(), "{:?}", m.mount_point);
            }
        }
        1 => {
            let _ = parse_proc_net_tcp(&text, "tcp");
        }
        2 => {
            let _ = parse_proc_net_tcp(&text, "tcp6");
        }
        _ => {
            for (_, path) in parse_proc_net_unix(&text) {
                assert!(path.len() <= text.len());
            }
        }
    }
    assert!(unescape_octal(&text).len() <= text.len());
});
