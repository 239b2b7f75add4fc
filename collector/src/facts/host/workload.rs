//! What a running container does, read from the host's `/proc` and cgroups: its processes'
//! privileges, the owners of the files it added, its listening and raw sockets, the
//! unprivileged port start of its network namespace and its memory and process counts.
//!
//! Only kernel filesystems are read (and the container's OCI spec, for one sysctl). Files inside
//! the container are reached through `/proc/<pid>/root` and resolved component by component
//! within it ([`HostRoot`]), so a symlink planted in the container never leads to a host file.

use std::path::Path;

use super::processes::{cgroup_procs_paths, parse_pids};
use super::root::{describe, read_capped, HostRoot};
use crate::snapshot::{
    ChangeKind, Changes, Container, Executable, Fact, Owner, PortStart, ProcessPrivileges, ResourceUse, Workload,
};

/// At most this many added paths per container get an `lstat` for their owner.
const MAX_OWNER_LOOKUPS: usize = 500;

/// Most bytes read of one socket table (about 100 000 sockets).
const MAX_TABLE_BYTES: u64 = 16 * 1024 * 1024;

/// The sysctl Docker sets in a container's own network namespace (Engine ≥ 20.10).
const PORT_START_SYSCTL: &str = "net.ipv4.ip_unprivileged_port_start";

/// Reads workload facts through a host root.
#[derive(Debug, Clone)]
pub struct WorkloadReader {
    fs: HostRoot,
}

impl WorkloadReader {
    pub fn new(root: &Path) -> Self {
        WorkloadReader {
            fs: HostRoot::new(root),
        }
    }

    /// Everything observable about a running container; `changes` comes from the Engine API and
    /// gets the owners of its added paths here. Blocking (small reads of kernel files).
    pub fn observe(&self, container: &Container, changes: Fact<Changes>) -> Workload {
        let pid = match u32::try_from(container.state.pid) {
            Ok(p) if p > 0 => p,
            _ => return without_host(changes, "the container has no init process id (it is not running)"),
        };
        let pids = self.pids(&container.id, pid);
        let processes = match &pids {
            Ok(list) => Fact::Ok(list.iter().filter_map(|p| self.process(*p)).collect()),
            Err(e) => Fact::unavailable(format!("/proc/{pid}/cgroup"), e.clone()),
        };
        Workload {
            changes: changes.map(|c| self.with_owners(pid, c)),
            processes,
            listeners: self.listeners(pid),
            raw_sockets: self.raw_sockets(pid),
            unprivileged_port_start: self.port_start(pid, &container.host_config.network_mode),
            resources: self.resources(&container.id, pid),
        }
    }

    fn read(&self, host: &str) -> Result<String, String> {
        read_capped(&self.fs.real(host))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|e| format!("{host}: {}", describe(&e)))
    }

    /// A `/proc/<pid>/net/tcp{,6}` table in as few `read` calls as possible. Each call walks
    /// the kernel's TCP hash tables (shared by every network namespace and sized by memory:
    /// about 2 ms here) whatever it returns, and `read_to_end` starts with small reads that cost
    /// a walk each. Reads into a large buffer take a page of the table each, then one more for
    /// the end: two walks for a container's usual handful of sockets, instead of five.
    fn read_socket_table(&self, host: &str) -> Result<String, String> {
        use std::io::Read as _;
        const CHUNK: usize = 64 * 1024;
        let fail = |e: std::io::Error| format!("{host}: {}", describe(&e));
        let file = std::fs::File::open(self.fs.real(host)).map_err(fail)?;
        let mut file = file.take(MAX_TABLE_BYTES);
        let mut buf = Vec::with_capacity(CHUNK);
        let mut chunk = vec![0u8; CHUNK];
        loop {
            match file.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(fail(e)),
            }
        }
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    /// The container's processes: its cgroup's `cgroup.procs`, as the process list uses.
    fn pids(&self, id: &str, pid: u32) -> Result<Vec<u32>, String> {
        let cgroup = self.read(&format!("/proc/{pid}/cgroup"))?;
        let mut last = format!("process {pid} is not in a cgroup of container {id}");
        for path in cgroup_procs_paths(&cgroup, id) {
            match self.read(&path) {
                Ok(text) => {
                    let mut pids = parse_pids(&text);
                    if !pids.is_empty() {
                        pids.sort_unstable();
                        return Ok(pids);
                    }
                    last = format!("{path} lists no process");
                }
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    /// `None` when the process exited meanwhile.
    fn process(&self, pid: u32) -> Option<ProcessPrivileges> {
        let status = self.read(&format!("/proc/{pid}/status")).ok()?;
        let mut p = parse_status(&status);
        p.pid = pid;
        let exe_link = self.fs.real(&format!("/proc/{pid}/exe"));
        // The magic link leads to the running binary itself, wherever it lives.
        if let (Ok(target), Ok(meta)) = (std::fs::read_link(&exe_link), std::fs::metadata(&exe_link)) {
            use std::os::unix::fs::MetadataExt;
            p.exe = Some(Executable {
                path: target.to_string_lossy().into_owned(),
                uid: meta.uid(),
                gid: meta.gid(),
                mode: meta.mode() & 0o7777,
            });
        }
        Some(p)
    }

    /// Owners of added paths, read inside the container's root without following a final symlink.
    fn with_owners(&self, pid: u32, mut changes: Changes) -> Changes {
        use std::os::unix::fs::MetadataExt;
        let inside = HostRoot::new(&self.fs.real(&format!("/proc/{pid}/root")));
        for change in changes
            .entries
            .iter_mut()
            .filter(|c| c.kind == ChangeKind::Added)
            .take(MAX_OWNER_LOOKUPS)
        {
            let Ok(resolved) = inside.resolve(&change.path, false) else {
                continue;
            };
            if let Ok(meta) = std::fs::symlink_metadata(inside.real(&resolved)) {
                change.owner = Some(Owner {
                    uid: meta.uid(),
                    gid: meta.gid(),
                    dir: meta.is_dir(),
                });
            }
        }
        changes
    }

    /// Through sock_diag in the container's namespace when we may enter it (cheap), else from
    /// its `/proc` tables (each read walks every socket of the host).
    fn listeners(&self, pid: u32) -> Fact<Vec<crate::snapshot::ListenSocket>> {
        if let Ok(mut out) = super::sockdiag::listening_tcp(self.fs.real(&format!("/proc/{pid}/ns/net"))) {
            out.sort_by(|a, b| (a.port, &a.proto, &a.addr).cmp(&(b.port, &b.proto, &b.addr)));
            return Fact::Ok(out);
        }
        let mut out = Vec::new();
        let mut errors = Vec::new();
        for proto in ["tcp", "tcp6"] {
            match self.read_socket_table(&format!("/proc/{pid}/net/{proto}")) {
                Ok(text) => {
                    for s in super::proc::parse_proc_net_tcp(&text, proto) {
                        if !out.contains(&s) {
                            out.push(s);
                        }
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        // tcp6 is absent when IPv6 is disabled; only both missing is a failure.
        if errors.len() == 2 {
            return Fact::unavailable(format!("/proc/{pid}/net/tcp"), errors.join("; "));
        }
        out.sort_by(|a, b| (a.port, &a.proto, &a.addr).cmp(&(b.port, &b.proto, &b.addr)));
        Fact::Ok(out)
    }

    fn raw_sockets(&self, pid: u32) -> Fact<u32> {
        let mut count = 0u32;
        let mut read_any = false;
        let mut errors = Vec::new();
        for table in ["raw", "raw6", "packet"] {
            match self.read(&format!("/proc/{pid}/net/{table}")) {
                Ok(text) => {
                    read_any = true;
                    let rows = text.lines().skip(1).filter(|l| !l.trim().is_empty()).count();
                    count = count.saturating_add(u32::try_from(rows).unwrap_or(u32::MAX));
                }
                Err(e) => errors.push(e),
            }
        }
        if read_any {
            Fact::Ok(count)
        } else {
            Fact::unavailable(format!("/proc/{pid}/net/raw"), errors.join("; "))
        }
    }

    /// `/proc/sys/net` answers for the network namespace of the process that reads it, not of
    /// the path it is read through (`/proc/<pid>/root/proc/sys/…` shows the reader's value), so
    /// the value is read where it is certain: our own `/proc/sys` when we share the container's
    /// namespace, else the container's OCI spec, which Docker writes the sysctl into.
    fn port_start(&self, pid: u32, network_mode: &str) -> Fact<PortStart> {
        let source = "net.ipv4.ip_unprivileged_port_start";
        let theirs = std::fs::read_link(self.fs.real(&format!("/proc/{pid}/ns/net")));
        let ours = std::fs::read_link("/proc/self/ns/net");
        if let (Ok(a), Ok(b)) = (&theirs, &ours) {
            if a == b {
                return match std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start") {
                    Ok(text) => match text.trim().parse() {
                        Ok(value) => Fact::Ok(PortStart {
                            value,
                            source: "/proc/sys/net/ipv4/ip_unprivileged_port_start (dockaudit shares the container's network namespace)".into(),
                        }),
                        Err(_) => Fact::unavailable(source, format!("unreadable value {:?}", text.trim())),
                    },
                    Err(e) => Fact::unavailable(source, describe(&e)),
                };
            }
        }
        let status = match self.read(&format!("/proc/{pid}/status")) {
            Ok(s) => s,
            Err(e) => return Fact::unavailable(source, e),
        };
        let Some(shim) = status_field(&status, "PPid:").and_then(|v| v.trim().parse::<u32>().ok()) else {
            return Fact::unavailable(source, format!("/proc/{pid}/status has no PPid"));
        };
        let comm = self.read(&format!("/proc/{shim}/comm")).unwrap_or_default();
        if !comm.trim().starts_with("containerd-shim") {
            return Fact::unavailable(
                source,
                format!(
                    "the container's parent process is not a containerd shim ({:?}), so its OCI spec was not found",
                    comm.trim()
                ),
            );
        }
        // The shim runs in the container's bundle directory, which holds the OCI spec.
        let spec_path = format!("/proc/{shim}/cwd/config.json");
        let spec = match self.read(&spec_path) {
            Ok(text) => text,
            Err(e) => return Fact::unavailable(source, e),
        };
        match spec_port_start(&spec) {
            Ok(Some(value)) => Fact::Ok(PortStart {
                value,
                source: format!("linux.sysctl {PORT_START_SYSCTL} of the container's OCI spec"),
            }),
            Ok(None) if network_mode == "host" || network_mode.starts_with("container:") => Fact::unavailable(
                source,
                format!("the container shares another network namespace ({network_mode}) and its OCI spec sets no {PORT_START_SYSCTL}"),
            ),
            Ok(None) => Fact::Ok(PortStart {
                value: 1024,
                source: format!(
                    "the kernel default of a new network namespace (the container's OCI spec sets no {PORT_START_SYSCTL})"
                ),
            }),
            Err(e) => Fact::unavailable(source, format!("{spec_path}: {e}")),
        }
    }

    fn resources(&self, id: &str, pid: u32) -> Fact<ResourceUse> {
        let cgroup = match self.read(&format!("/proc/{pid}/cgroup")) {
            Ok(c) => c,
            Err(e) => return Fact::unavailable(format!("/proc/{pid}/cgroup"), e),
        };
        let dirs = cgroup_dirs(&cgroup, id);
        if dirs.memory.is_none() && dirs.pids.is_none() {
            return Fact::unavailable(
                format!("/proc/{pid}/cgroup"),
                format!("no memory or pids cgroup of container {id} is visible"),
            );
        }
        let number = |dir: &Option<String>, file: &str| -> Option<u64> {
            let dir = dir.as_ref()?;
            self.read(&format!("{dir}/{file}")).ok()?.trim().parse().ok()
        };
        let mut use_ = ResourceUse::default();
        if dirs.v2 {
            use_.memory_bytes = number(&dirs.memory, "memory.current");
            use_.memory_peak_bytes = number(&dirs.memory, "memory.peak");
        } else {
            use_.memory_bytes = number(&dirs.memory, "memory.usage_in_bytes");
            use_.memory_peak_bytes = number(&dirs.memory, "memory.max_usage_in_bytes");
        }
        use_.pids = number(&dirs.pids, "pids.current");
        use_.pids_peak = number(&dirs.pids, "pids.peak");
        use_.sources = [dirs.memory, dirs.pids].into_iter().flatten().collect();
        use_.sources.dedup();
        if use_.memory_bytes.is_none() && use_.pids.is_none() {
            return Fact::unavailable(use_.sources.join(", "), "neither memory nor pids counters are readable");
        }
        Fact::Ok(use_)
    }
}

/// A workload whose host side could not be read (no host root, or no init process).
pub fn without_host(changes: Fact<Changes>, reason: &str) -> Workload {
    Workload {
        changes,
        processes: Fact::unavailable("/proc/<pid>/status", reason),
        listeners: Fact::unavailable("/proc/<pid>/net/tcp", reason),
        raw_sockets: Fact::unavailable("/proc/<pid>/net/raw", reason),
        unprivileged_port_start: Fact::unavailable("net.ipv4.ip_unprivileged_port_start", reason),
        resources: Fact::unavailable("/sys/fs/cgroup", reason),
    }
}

/// Ids, capability sets, no_new_privs and seccomp mode from a `/proc/<pid>/status` text.
pub fn parse_status(status: &str) -> ProcessPrivileges {
    let ids = |key: &str| -> [u32; 4] {
        let mut out = [0u32; 4];
        if let Some(rest) = status_field(status, key) {
            for (slot, v) in out.iter_mut().zip(rest.split_whitespace()) {
                *slot = v.parse().unwrap_or(0);
            }
        }
        out
    };
    let mask = |key: &str| -> u64 {
        status_field(status, key)
            .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
            .unwrap_or(0)
    };
    ProcessPrivileges {
        pid: 0,
        name: status_field(status, "Name:").unwrap_or_default().trim().to_string(),
        uids: ids("Uid:"),
        gids: ids("Gid:"),
        groups: status_field(status, "Groups:")
            .map(|g| g.split_whitespace().filter_map(|v| v.parse().ok()).collect())
            .unwrap_or_default(),
        cap_eff: mask("CapEff:"),
        cap_prm: mask("CapPrm:"),
        cap_bnd: mask("CapBnd:"),
        cap_amb: mask("CapAmb:"),
        no_new_privs: status_field(status, "NoNewPrivs:").is_some_and(|v| v.trim() == "1"),
        seccomp: status_field(status, "Seccomp:")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0),
        exe: None,
    }
}

fn status_field<'a>(status: &'a str, key: &str) -> Option<&'a str> {
    status.lines().find_map(|l| l.strip_prefix(key))
}

/// `linux.sysctl["net.ipv4.ip_unprivileged_port_start"]` of an OCI spec; `Ok(None)` when unset.
/// Only that member is looked at (the spec also holds the container's environment).
pub fn spec_port_start(spec: &str) -> Result<Option<u16>, String> {
    let value: serde_json::Value = serde_json::from_str(spec).map_err(|e| format!("not JSON ({e})"))?;
    match value.pointer("/linux/sysctl").and_then(|s| s.get(PORT_START_SYSCTL)) {
        None => Ok(None),
        Some(v) => v
            .as_str()
            .and_then(|s| s.trim().parse().ok())
            .map(Some)
            .ok_or_else(|| format!("{PORT_START_SYSCTL} is not a port number")),
    }
}

/// The container's memory and pids cgroup directories (host paths).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CgroupDirs {
    pub memory: Option<String>,
    pub pids: Option<String>,
    pub v2: bool,
}

/// From a `/proc/<pid>/cgroup` text: only paths naming the container's id and not climbing out
/// of our cgroup namespace count (as for the process list).
pub fn cgroup_dirs(cgroup: &str, id: &str) -> CgroupDirs {
    let mut dirs = CgroupDirs::default();
    let mut unified = None;
    for line in cgroup.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(_), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if id.len() < 12 || !path.contains(id) || path.split('/').any(|p| p == "..") {
            continue;
        }
        let path = path.trim_end_matches('/');
        if controllers.is_empty() {
            unified = Some(format!("/sys/fs/cgroup{path}"));
            continue;
        }
        for c in controllers.split(',') {
            match c {
                "memory" => dirs.memory = Some(format!("/sys/fs/cgroup/{controllers}{path}")),
                "pids" => dirs.pids = Some(format!("/sys/fs/cgroup/{controllers}{path}")),
                _ => {}
            }
        }
    }
    if dirs.memory.is_none() && dirs.pids.is_none() {
        if let Some(u) = unified {
            dirs.memory = Some(u.clone());
            dirs.pids = Some(u);
            dirs.v2 = true;
        }
    }
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "3f9a5c1e7b2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a";

    #[test]
    fn status_gives_ids_capabilities_and_confinement() {
        let status = "Name:\tnginx\nUid:\t0\t1000\t1000\t1000\nGid:\t0\t101\t101\t101\nGroups:\t101 4 \n\
                      CapInh:\t0000000000000000\nCapPrm:\t00000000a80425fb\nCapEff:\t0000000000000400\n\
                      CapBnd:\t00000000a80425fb\nCapAmb:\t0000000000000000\nNoNewPrivs:\t1\nSeccomp:\t2\n";
        let p = parse_status(status);
        assert_eq!(p.name, "nginx");
        assert_eq!(p.uids, [0, 1000, 1000, 1000]);
        assert_eq!(p.gids, [0, 101, 101, 101]);
        assert_eq!(p.groups, vec![101, 4]);
        assert_eq!(p.cap_prm, 0xa80425fb);
        assert_eq!(p.cap_eff, 1 << 10);
        assert!(p.no_new_privs);
        assert_eq!(p.seccomp, 2);
        let empty = parse_status("garbage");
        assert_eq!(empty.uids, [0; 4]);
        assert!(!empty.no_new_privs);
    }

    #[test]
    fn the_port_start_comes_from_the_spec_sysctl_only() {
        let spec =
            r#"{"process":{"env":["TOKEN=secret"]},"linux":{"sysctl":{"net.ipv4.ip_unprivileged_port_start":"0"}}}"#;
        assert_eq!(spec_port_start(spec), Ok(Some(0)));
        assert_eq!(spec_port_start(r#"{"linux":{}}"#), Ok(None));
        assert!(spec_port_start(r#"{"linux":{"sysctl":{"net.ipv4.ip_unprivileged_port_start":"x"}}}"#).is_err());
        assert!(spec_port_start("not json").is_err());
    }

    #[test]
    fn cgroup_dirs_in_v1_and_v2() {
        let v1 = format!("9:name=systemd:/docker/{ID}\n8:pids:/docker/{ID}\n4:memory:/docker/{ID}\n0::/\n");
        assert_eq!(
            cgroup_dirs(&v1, ID),
            CgroupDirs {
                memory: Some(format!("/sys/fs/cgroup/memory/docker/{ID}")),
                pids: Some(format!("/sys/fs/cgroup/pids/docker/{ID}")),
                v2: false,
            }
        );
        let v2 = format!("0::/system.slice/docker-{ID}.scope\n");
        let dirs = cgroup_dirs(&v2, ID);
        assert!(dirs.v2);
        assert_eq!(
            dirs.memory,
            Some(format!("/sys/fs/cgroup/system.slice/docker-{ID}.scope"))
        );
        assert_eq!(
            cgroup_dirs(&format!("0::/../docker-{ID}.scope\n"), ID),
            CgroupDirs::default()
        );
        assert_eq!(cgroup_dirs("4:memory:/docker/other\n", ID), CgroupDirs::default());
    }

    #[test]
    fn a_missing_host_says_why_for_every_fact() {
        let w = without_host(Fact::Ok(Changes::default()), "host files were not read");
        assert_eq!(w.processes.get().unwrap_err().reason, "host files were not read");
        assert!(w.unprivileged_port_start.get().is_err());
        assert!(w.changes.get().is_ok());
    }
}
