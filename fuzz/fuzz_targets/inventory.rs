//! The fleet inventory (`scan --inventory FILE`): `dockaudit::fleet::Inventory::parse` on any
//! text. The file may come from anyone who can edit the fleet's repository, and every name and
//! address in it reaches a terminal, a file name and the `ssh` command line.
//!
//! Besides not panicking: an accepted inventory has 1..=MAX_HOSTS hosts with unique, trimmed,
//! non-empty names free of control characters; no address holds whitespace or control
//! characters, and none puts an `ssh` option where the host or user goes; every timeout is within
//! bounds. A refused one says why on one line.
#![no_main]

use std::path::Path;

use dockaudit::fleet::inventory::{MAX_HOSTS, MAX_HOST_TIMEOUT_SECS};
use dockaudit::fleet::{Daemon, Inventory};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Inventory::parse(text, Path::new("fleet.toml"), Path::new("/etc/dockaudit")) {
        Ok(inventory) => {
            let targets = &inventory.targets;
            assert!(!targets.is_empty() && targets.len() <= MAX_HOSTS);
            let mut names = std::collections::BTreeSet::new();
            for t in targets {
                assert!(names.insert(t.name.as_str()), "duplicate name {:?}", t.name);
                assert!(!t.name.is_empty() && t.name.trim() == t.name);
                assert!(!t.name.chars().any(char::is_control), "{:?}", t.name);
                assert!((1..=MAX_HOST_TIMEOUT_SECS).contains(&t.timeout.as_secs()));
                for (k, v) in &t.labels {
                    assert!(!k.chars().chain(v.chars()).any(char::is_control));
                }
                match &t.daemon {
                    Daemon::Address(address) => {
                        assert!(!address.chars().any(|c| c.is_control() || c.is_whitespace()));
                        if let Some(rest) = address.strip_prefix("ssh://") {
                            let (user, host) = rest.rsplit_once('@').map_or((None, rest), |(u, h)| (Some(u), h));
                            assert!(!host.is_empty() && !host.starts_with('-'), "{address}");
                            assert!(user.is_none_or(|u| !u.is_empty() && !u.starts_with('-')), "{address}");
                        }
                    }
                    Daemon::Context(name) => {
                        assert!(!name.is_empty() && !name.contains('/') && !name.chars().any(char::is_control));
                    }
                }
            }
        }
        Err(e) => {
            let message = e.to_string();
            assert!(message.starts_with("fleet.toml"), "{message}");
            assert!(!message.contains('\n'), "{message:?}");
        }
    }
});
