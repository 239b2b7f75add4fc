//! dockerd's command line and daemon.json: `dockaudit::interpret::daemon_config::parse_flags` on
//! any argument list, and `DaemonConfig::from_parts` with any JSON value, looked up as checks do.
//!
//! The input is split at its first NUL byte: before it, the arguments (one per line); after it,
//! daemon.json's text. Besides not panicking: no argument yields more than one flag.
#![no_main]

use dockaudit::interpret::daemon_config::{parse_flags, DaemonConfig};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// Flag / daemon.json key pairs the checks look up, plus one no check uses.
const LOOKUPS: &[(&str, &str)] = &[
    ("icc", "icc"),
    ("log-level", "log-level"),
    ("iptables", "iptables"),
    ("insecure-registry", "insecure-registries"),
    ("storage-driver", "storage-driver"),
    ("tlsverify", "tlsverify"),
    ("default-ulimit", "default-ulimits"),
    ("userns-remap", "userns-remap"),
    ("authorization-plugin", "authorization-plugins"),
    ("log-driver", "log-driver"),
    ("live-restore", "live-restore"),
    ("userland-proxy", "userland-proxy"),
    ("no-new-privileges", "no-new-privileges"),
    ("unknown", "unknown"),
];

fuzz_target!(|data: &[u8]| {
    let (args, json) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    };
    let args: Vec<String> = String::from_utf8_lossy(args).lines().map(str::to_string).collect();
    assert!(parse_flags(&args).len() <= args.len(), "more flags than arguments");
    let json = json.and_then(|j| serde_json::from_slice::<Value>(j).ok());
    let config = DaemonConfig::from_parts(Some(&args), json.map(|v| ("/etc/docker/daemon.json", v)));
    for (flag, key) in LOOKUPS {
        let _ = config.lookup(flag, key);
        let _ = config.flag_values(flag);
    }
});
