//! What a running container does, observed once: what it writes, which privileges its processes
//! hold, what it listens on and what it uses. The facts behind `dockaudit harden`'s proposals
//! ([`crate::interpret::least_privilege`]); nothing here judges them.

use serde::{Deserialize, Serialize};

use super::fact::Fact;

/// The most writable-layer changes kept per container; `Changes::total` counts them all.
pub const MAX_CHANGES: usize = 2000;

/// The observed behaviour of one running container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Workload {
    /// `GET /containers/{id}/changes`: what it wrote to its writable layer.
    pub changes: Fact<Changes>,
    /// Privileges of each of its processes (`/proc/<pid>/status` on the host).
    pub processes: Fact<Vec<ProcessPrivileges>>,
    /// TCP sockets listening in its network namespace (sock_diag inside the namespace, else
    /// `/proc/<pid>/net/tcp{,6}`).
    pub listeners: Fact<Vec<ListenSocket>>,
    /// Raw and packet sockets open in its network namespace (`/proc/<pid>/net/{raw,raw6,packet}`).
    pub raw_sockets: Fact<u32>,
    /// `net.ipv4.ip_unprivileged_port_start` of its network namespace.
    pub unprivileged_port_start: Fact<PortStart>,
    /// Memory and process counts from its cgroup.
    pub resources: Fact<ResourceUse>,
}

/// The writable layer's changed paths.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Changes {
    /// In the daemon's order, at most [`MAX_CHANGES`].
    pub entries: Vec<Change>,
    /// How many the daemon listed (more than `entries` when cut).
    pub total: u64,
}

/// One changed path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Change {
    pub path: String,
    pub kind: ChangeKind,
    /// Owner of an added path (`lstat` inside the container's root), when it could be read.
    pub owner: Option<Owner>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    #[default]
    Modified,
    Added,
    Deleted,
}

/// Owner and type of a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Owner {
    pub uid: u32,
    pub gid: u32,
    pub dir: bool,
}

/// Identity and privileges of one process, as `/proc/<pid>/status` gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProcessPrivileges {
    /// Host pid.
    pub pid: u32,
    /// `Name:` (the executable's name, at most 15 bytes).
    pub name: String,
    /// Real, effective, saved and filesystem uid.
    pub uids: [u32; 4],
    /// Real, effective, saved and filesystem gid.
    pub gids: [u32; 4],
    /// Supplementary groups.
    pub groups: Vec<u32>,
    /// Capability sets as bit masks (`CapEff`, `CapPrm`, `CapBnd`, `CapAmb`).
    pub cap_eff: u64,
    pub cap_prm: u64,
    pub cap_bnd: u64,
    pub cap_amb: u64,
    pub no_new_privs: bool,
    /// 0 disabled, 1 strict, 2 filter.
    pub seccomp: u8,
    /// Its executable as the container sees it, with owner and mode (setuid/setgid bits).
    pub exe: Option<Executable>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Executable {
    pub path: String,
    pub uid: u32,
    pub gid: u32,
    /// `st_mode & 0o7777`.
    pub mode: u32,
}

impl Executable {
    /// Set-user-id or set-group-id bit.
    pub fn is_setid(&self) -> bool {
        self.mode & 0o6000 != 0
    }
}

/// The unprivileged port start and where it was read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PortStart {
    pub value: u16,
    /// E.g. "the container's OCI spec (linux.sysctl)".
    pub source: String,
}

/// Resource use from the container's cgroup.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResourceUse {
    pub memory_bytes: Option<u64>,
    /// Highest use since start (`memory.max_usage_in_bytes` in v1, `memory.peak` in v2).
    pub memory_peak_bytes: Option<u64>,
    pub pids: Option<u64>,
    /// Highest count since start (`pids.peak`, newer kernels).
    pub pids_peak: Option<u64>,
    /// The cgroup directories read, e.g. `/sys/fs/cgroup/memory/docker/<id>`.
    pub sources: Vec<String>,
}

/// A listening TCP socket (of the host or of a container's network namespace).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListenSocket {
    /// `tcp` or `tcp6`.
    pub proto: String,
    pub addr: String,
    pub port: u16,
}
