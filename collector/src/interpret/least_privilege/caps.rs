//! Which capabilities a container needs, inferred from what can be observed.
//!
//! Using a capability leaves no record in `/proc`; what can be seen are its effects and the
//! state it leaves behind. Each rule below names the evidence and its limit. The list is kept
//! small on purpose: an under-estimate is found by `dockaudit harden --trial` (the twin fails
//! without it), an over-estimate would go unnoticed.
//!
//! 1. **Nothing held** — when no process holds a capability in its permitted or ambient set, no
//!    capability is used: nothing is added. Limit: a later exec of a setuid-root or
//!    file-capability program could gain some (no-new-privileges then blocks it; see below).
//! 2. **SETUID / SETGID** — processes run under different uids (or gids), or all under a non-root
//!    one while the container was started as root: someone switched identity, which takes
//!    CAP_SETUID (CAP_SETGID). Limit: a switch done by a process that has since exited, to the
//!    uid its successor still has, is seen only through that successor.
//! 3. **CHOWN** — a path the container added is owned by a uid (gid) that no running process has:
//!    its owner was changed after creation (a process can only create files as itself). Limit:
//!    only added paths are examined (a changed image file keeps its owner), and a creator that
//!    exited under that uid looks the same (then SETUID was the need).
//! 4. **NET_BIND_SERVICE** — a TCP listener below the network namespace's
//!    `ip_unprivileged_port_start`. When that value is unknown, 1024 is assumed (the kernel
//!    default), so the capability is kept rather than dropped on a guess.
//! 5. **NET_RAW** — raw or packet sockets open in the container's own network namespace. Limit:
//!    sockets opened briefly (a `ping` health check) are seen only when open at that moment.
//! 6. **Explicit grants** — capabilities outside Docker's default set that the container was
//!    given with `--cap-add` are kept when its processes hold them: their use cannot be
//!    observed, and the trial only adds back Docker's default set.
//!
//! Not inferred (their use leaves no trace): DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, KILL,
//! MKNOD, SYS_CHROOT, AUDIT_WRITE, SETFCAP, SETPCAP. When process facts are missing entirely,
//! rules 1–3 and 5 cannot run and the proposal says the list is incomplete.

use std::collections::BTreeSet;

use dockaudit_shared::hardening::{Capabilities, CapabilityGrant};

use crate::interpret::capabilities::{is_default, normalize};
use crate::snapshot::{ChangeKind, Container, Fact, ProcessPrivileges, Workload};

/// Linux capability numbers (`include/uapi/linux/capability.h`) and Docker's names for them.
const NAMES: [&str; 41] = [
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
];

/// Capability names set in a mask; unknown bits as `CAP_<n>`.
pub fn names(mask: u64) -> Vec<String> {
    (0..64)
        .filter(|bit| mask & (1u64 << bit) != 0)
        .map(|bit| match NAMES.get(bit) {
            Some(name) => (*name).to_string(),
            None => format!("CAP_{bit}"),
        })
        .collect()
}

/// The bit of a capability name, when known.
fn bit(name: &str) -> Option<u64> {
    NAMES.iter().position(|n| *n == name).map(|i| 1u64 << i)
}

/// Infers the capability list of a container. `mounted` are its mount destinations: a path
/// Docker added as a mount point shows the owner of what is mounted there (a host socket, a
/// volume), which says nothing about what the service did.
pub fn infer(container: &Container, workload: &Workload, mounted: &[String]) -> Capabilities {
    let mut caps = Capabilities {
        drop_all: true,
        ..Capabilities::default()
    };
    let mut missing: Vec<String> = Vec::new();
    let processes = match &workload.processes {
        Fact::Ok(list) if !list.is_empty() => Some(list.as_slice()),
        Fact::Ok(_) => {
            missing.push("the container's process list was empty".into());
            None
        }
        Fact::Unavailable(u) => {
            missing.push(format!("its processes' privileges could not be read ({u})"));
            None
        }
    };
    let held: u64 = processes
        .map(|ps| ps.iter().fold(0, |acc, p| acc | p.cap_prm | p.cap_amb | p.cap_eff))
        .unwrap_or(u64::MAX);
    caps.effective_now = processes
        .map(|ps| names(ps.iter().fold(0, |acc, p| acc | p.cap_eff)))
        .unwrap_or_default();

    if processes.is_some() && held == 0 {
        // Rule 1: nothing to infer; the reason goes in `not_needed` for the reader.
        caps.not_needed.push(CapabilityGrant {
            name: "ALL".into(),
            reason: "no process holds any capability (CapPrm, CapEff and CapAmb are empty)".into(),
        });
        return caps;
    }
    let holds = |name: &str| bit(name).is_some_and(|b| held & b != 0);
    let mut add = |name: &str, reason: String| {
        if !caps.add.iter().any(|c| c.name == name) {
            caps.add.push(CapabilityGrant {
                name: name.into(),
                reason,
            });
        }
    };

    if let Some(ps) = processes {
        // Rule 2.
        let started_as_root = starts_as_root(container.user.as_deref());
        let uids: BTreeSet<u32> = ps.iter().flat_map(|p| p.uids).collect();
        let gids: BTreeSet<u32> = ps.iter().flat_map(|p| p.gids).collect();
        if let Some(reason) = switched("uid", &uids, started_as_root, ps, |p| p.uids) {
            if holds("SETUID") {
                add("SETUID", reason);
            }
        }
        if let Some(reason) = switched("gid", &gids, started_as_root, ps, |p| p.gids) {
            if holds("SETGID") {
                add("SETGID", reason);
            }
        }
        // Rule 3.
        if let Fact::Ok(changes) = &workload.changes {
            let all_gids: BTreeSet<u32> = ps
                .iter()
                .flat_map(|p| p.gids.iter().chain(&p.groups).copied())
                .collect();
            let foreign = changes
                .entries
                .iter()
                .filter(|c| c.kind == ChangeKind::Added && !super::paths::is_mounted(&c.path, mounted))
                .find_map(|c| {
                    let o = c.owner?;
                    if !uids.contains(&o.uid) {
                        Some(format!(
                            "{} was added with owner uid {}, which no process runs as: its owner was changed",
                            c.path, o.uid
                        ))
                    } else if !all_gids.contains(&o.gid) {
                        Some(format!(
                            "{} was added with group {}, which no process is in: its group was changed",
                            c.path, o.gid
                        ))
                    } else {
                        None
                    }
                });
            if let (Some(reason), true) = (foreign, holds("CHOWN")) {
                add("CHOWN", reason);
            }
        }
    }

    // Rule 4.
    if let Fact::Ok(listeners) = &workload.listeners {
        let (start, known) = match &workload.unprivileged_port_start {
            Fact::Ok(p) => (p.value, Some(p.source.clone())),
            Fact::Unavailable(u) => {
                missing.push(format!(
                    "the unprivileged port start could not be read ({u}); 1024 was assumed"
                ));
                (1024, None)
            }
        };
        let mut low: Vec<u16> = listeners.iter().map(|l| l.port).filter(|p| *p < 1024).collect();
        low.sort_unstable();
        low.dedup();
        let ports = low.iter().map(u16::to_string).collect::<Vec<_>>().join(", ");
        if let Some(first) = low.first() {
            if *first < start {
                let source = known.unwrap_or_else(|| "assumed: the kernel default".into());
                add(
                    "NET_BIND_SERVICE",
                    format!("listens on TCP port {ports}, below the unprivileged port start {start} ({source})"),
                );
            } else {
                caps.not_needed.push(CapabilityGrant {
                    name: "NET_BIND_SERVICE".into(),
                    reason: format!(
                        "listens on TCP port {ports}, but its network namespace lets any process bind from port {start} ({})",
                        known.unwrap_or_default()
                    ),
                });
            }
        }
    } else if let Fact::Unavailable(u) = &workload.listeners {
        missing.push(format!("its listening sockets could not be read ({u})"));
    }

    // Rule 5.
    let own_netns = !matches!(container.host_config.network_mode.as_str(), "host")
        && !container.host_config.network_mode.starts_with("container:");
    match &workload.raw_sockets {
        Fact::Ok(n) if *n > 0 && own_netns => add(
            "NET_RAW",
            format!("{n} raw or packet socket(s) are open in its network namespace"),
        ),
        Fact::Ok(_) => {}
        Fact::Unavailable(u) => missing.push(format!("its raw sockets could not be read ({u})")),
    }

    // Rule 6.
    for granted in &container.host_config.cap_add {
        let name = normalize(granted);
        if name == "ALL" || is_default(&name) || name.is_empty() {
            continue;
        }
        if processes.is_none() || holds(&name) {
            add(
                &name,
                format!("granted explicitly (--cap-add {name}); its use cannot be observed, so it is kept"),
            );
        }
    }

    if container.host_config.privileged {
        missing.push("the container is privileged: device access and capabilities whose use leaves no trace cannot be told apart".into());
    }
    if !missing.is_empty() {
        caps.incomplete = Some(format!(
            "{}; prove the list with `dockaudit harden --trial`",
            missing.join("; ")
        ));
    }
    caps
}

/// Whether `Config.User` leaves the container starting as root (unset, `0`, `root`, `0:…`, `root:…`).
pub fn starts_as_root(user: Option<&str>) -> bool {
    match user.map(str::trim) {
        None | Some("") => true,
        Some(u) => {
            let name = u.split(':').next().unwrap_or_default();
            name == "0" || name == "root"
        }
    }
}

/// Why the processes show an identity switch, if they do.
fn switched(
    what: &str,
    ids: &BTreeSet<u32>,
    started_as_root: bool,
    ps: &[ProcessPrivileges],
    get: impl Fn(&ProcessPrivileges) -> [u32; 4],
) -> Option<String> {
    let non_root: Vec<&ProcessPrivileges> = ps.iter().filter(|p| get(p).iter().any(|id| *id != 0)).collect();
    let example = non_root.first()?;
    let shown = get(example)[1];
    if ids.contains(&0) {
        let root = ps.iter().find(|p| get(p).contains(&0))?;
        return Some(format!(
            "pid {} ({}) runs with {what} 0 and pid {} ({}) with {what} {shown}: a process switched {what}",
            root.pid, root.name, example.pid, example.name
        ));
    }
    let distinct: BTreeSet<u32> = non_root.iter().map(|p| get(p)[1]).collect();
    if distinct.len() > 1 {
        return Some(format!(
            "its processes run under {what}s {}: a process switched {what}",
            distinct.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
        ));
    }
    if started_as_root && what == "uid" {
        return Some(format!(
            "it starts as root and every process now runs as {what} {shown}: the start switched {what}"
        ));
    }
    None
}
