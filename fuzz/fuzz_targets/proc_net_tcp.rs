//! `/proc/<pid>/net/tcp{,6}`, read by both halves of `dockaudit harden`: the observation
//! (`dockaudit::facts::parsers::parse_proc_net_tcp`, listeners in every scan's workload facts) and
//! the trial (`dockaudit::trial::ports::parse_listening`, the ports a twin must listen on). The
//! table is the kernel's, but it is read from a container's network namespace, and through
//! `--host-root` from a directory someone else may have written.
//!
//! Besides not panicking: the trial parser finds at most one port per line; rendering what it found
//! as a kernel-shaped table and parsing that again gives the same ports and socket inodes; and on
//! that kernel-shaped table both parsers agree on the listening ports. The first byte picks the
//! table (odd: `tcp6`).
#![no_main]

use std::collections::BTreeSet;

use dockaudit::facts::parsers::parse_proc_net_tcp;
use dockaudit::trial::ports::parse_listening;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let v6 = which % 2 == 1;
    let proto = if v6 { "tcp6" } else { "tcp" };
    let text = String::from_utf8_lossy(rest);

    let _ = parse_proc_net_tcp(&text, proto);
    let found = parse_listening(&text);
    let lines = text.lines().count();
    let sockets: usize = found.values().map(BTreeSet::len).sum();
    assert!(sockets <= lines, "{sockets} sockets from {lines} lines");

    // The same sockets as the kernel prints them.
    let addr = if v6 { "0".repeat(32) } else { "0".repeat(8) };
    let mut table = String::from(
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n",
    );
    let mut row = 0;
    for (port, inodes) in &found {
        for inode in inodes {
            table.push_str(&format!(
                "{row:4}: {addr}:{port:04X} {addr}:0000 0A 00000000:00000000 00:00000000 00000000     0        0 {inode} 1 0000000000000000 100 0 0 10 0\n"
            ));
            row += 1;
        }
    }
    assert_eq!(parse_listening(&table), found, "{table}");
    let observed: BTreeSet<u16> = parse_proc_net_tcp(&table, proto).iter().map(|s| s.port).collect();
    let trial: BTreeSet<u16> = found.keys().copied().collect();
    assert_eq!(observed, trial, "{table}");
});
