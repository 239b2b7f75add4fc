//! Which TCP ports a process's network namespace listens on, from the host's
//! `/proc/<pid>/net/tcp` and `tcp6` (the kernel's own table: no exec into the container).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::TrialError;

/// `st` of a listening socket in `/proc/net/tcp`.
const LISTEN: &str = "0A";

/// Listening sockets of one table: port → socket inodes.
pub fn parse_listening(table: &str) -> BTreeMap<u16, BTreeSet<u64>> {
    let mut out: BTreeMap<u16, BTreeSet<u64>> = BTreeMap::new();
    // Header: `sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode`
    for line in table.lines().skip(1) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (Some(local), Some(state), Some(inode)) = (fields.get(1), fields.get(3), fields.get(9)) else {
            continue;
        };
        if *state != LISTEN {
            continue;
        }
        let port = local.rsplit(':').next().and_then(|p| u16::from_str_radix(p, 16).ok());
        if let (Some(port), Ok(inode)) = (port, inode.parse::<u64>()) {
            out.entry(port).or_default().insert(inode);
        }
    }
    out
}

/// Socket inodes a process holds open (`/proc/<pid>/fd/* -> socket:[inode]`).
pub fn socket_inodes(proc_root: &Path, pid: u32) -> Result<BTreeSet<u64>, TrialError> {
    let dir = proc_root.join(pid.to_string()).join("fd");
    let entries = std::fs::read_dir(&dir).map_err(|e| TrialError::Proc {
        path: dir.clone(),
        reason: e.to_string(),
    })?;
    let mut out = BTreeSet::new();
    for entry in entries.flatten() {
        if let Ok(target) = std::fs::read_link(entry.path()) {
            let target = target.to_string_lossy();
            if let Some(inode) = target.strip_prefix("socket:[").and_then(|t| t.strip_suffix(']')) {
                if let Ok(inode) = inode.parse() {
                    out.insert(inode);
                }
            }
        }
    }
    Ok(out)
}

/// Ports listened on in the network namespace of `pid`; with `owners`, only sockets one of
/// those processes holds (for a namespace shared with the host or another container).
pub fn listening_ports(proc_root: &Path, pid: u32, owners: Option<&[u32]>) -> Result<BTreeSet<u16>, TrialError> {
    let mut all: BTreeMap<u16, BTreeSet<u64>> = BTreeMap::new();
    for table in ["tcp", "tcp6"] {
        let path = proc_root.join(pid.to_string()).join("net").join(table);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                for (port, inodes) in parse_listening(&text) {
                    all.entry(port).or_default().extend(inodes);
                }
            }
            // A kernel without IPv6 has no tcp6 table.
            Err(e) if table == "tcp6" && e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(TrialError::Proc {
                    path,
                    reason: e.to_string(),
                })
            }
        }
    }
    let Some(owners) = owners else {
        return Ok(all.into_keys().collect());
    };
    let mut held = BTreeSet::new();
    for pid in owners {
        held.extend(socket_inodes(proc_root, *pid)?);
    }
    Ok(all
        .into_iter()
        .filter(|(_, inodes)| !inodes.is_disjoint(&held))
        .map(|(port, _)| port)
        .collect())
}

/// Ports as text: `80, 443`, or `none`.
pub fn describe(ports: &BTreeSet<u16>) -> String {
    if ports.is_empty() {
        "none".to_string()
    } else {
        ports.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TCP: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1235 1 0000000000000000 100 0 0 10 0
   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 1236 1 0000000000000000 20 4 30 10 -1
";
    const TCP6: &str = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 999 1 0000000000000000 100 0 0 10 0
";

    #[test]
    fn reads_listening_sockets_only() {
        let ports = parse_listening(TCP);
        assert_eq!(ports.keys().copied().collect::<Vec<_>>(), vec![80, 8080]);
        assert_eq!(ports[&8080], BTreeSet::from([1235]));
        assert_eq!(parse_listening(TCP6)[&443], BTreeSet::from([999]));
        assert!(parse_listening("garbage\n1: x y 0A").is_empty());
    }

    #[test]
    fn reads_a_proc_tree_and_filters_by_owner() {
        let root = std::env::temp_dir().join(format!("dockaudit-trial-ports-{}", std::process::id()));
        let net = root.join("7").join("net");
        std::fs::create_dir_all(&net).unwrap();
        std::fs::write(net.join("tcp"), TCP).unwrap();
        std::fs::write(net.join("tcp6"), TCP6).unwrap();
        let fd = root.join("8").join("fd");
        std::fs::create_dir_all(&fd).unwrap();
        std::os::unix::fs::symlink("socket:[1235]", fd.join("3")).unwrap();
        std::os::unix::fs::symlink("/dev/null", fd.join("0")).unwrap();
        assert_eq!(
            listening_ports(&root, 7, None).unwrap(),
            BTreeSet::from([80, 443, 8080])
        );
        assert_eq!(listening_ports(&root, 7, Some(&[8])).unwrap(), BTreeSet::from([8080]));
        assert!(matches!(listening_ports(&root, 9, None), Err(TrialError::Proc { .. })));
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(describe(&BTreeSet::new()), "none");
        assert_eq!(describe(&BTreeSet::from([80, 443])), "80, 443");
    }
}
