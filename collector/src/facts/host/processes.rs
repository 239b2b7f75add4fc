//! The processes of a running container, read from the host's `/proc` and cgroup filesystem.
//!
//! `GET /containers/{id}/top` lists the same processes — the container's cgroup — but for each
//! call dockerd asks containerd, the shim runs `runc ps`, and dockerd runs `ps`: two programs
//! started per running container, which on a busy host cost more than everything else in a scan
//! together (see BENCHMARKS.md). Reading the cgroup's `cgroup.procs` and each process's
//! `cmdline` and `status` gives the same list from a handful of small reads.
//!
//! Whenever the host's view does not clearly belong to the container (no init pid, a cgroup path
//! without the container's id, a path outside our cgroup namespace, an unreadable file), the
//! caller falls back to `/top`, so the result is never a guess.

use std::path::Path;

use super::etc::Accounts;
use super::root::HostRoot;
use crate::snapshot::{secrets, Process};

/// Reads container process lists through a host root.
#[derive(Debug, Clone)]
pub struct ProcessReader {
    fs: HostRoot,
    accounts: Accounts,
}

impl ProcessReader {
    /// Reads the host's users once, to name process owners as `ps` does.
    pub fn new(root: &Path) -> Self {
        let fs = HostRoot::new(root);
        let accounts = Accounts::read(&fs);
        ProcessReader { fs, accounts }
    }

    /// The processes in the cgroup of container `id`, whose first process is `pid` (from its
    /// inspect), in pid order; `Err` says why the host's view cannot be used. Only `/proc` and
    /// `/sys/fs/cgroup` are read (kernel filesystems, so this does not wait on a disk).
    pub fn container_processes(&self, id: &str, pid: i64) -> Result<Vec<Process>, String> {
        if pid <= 0 || id.len() < 12 {
            return Err(format!("no init process id for container {id}"));
        }
        let cgroup = self.read(&format!("/proc/{pid}/cgroup"))?;
        let mut last_error = format!("process {pid} is not in a cgroup of container {id}");
        for procs_path in cgroup_procs_paths(&cgroup, id) {
            let text = match self.read(&procs_path) {
                Ok(t) => t,
                Err(e) => {
                    last_error = e;
                    continue;
                }
            };
            let mut pids = parse_pids(&text);
            if pids.is_empty() {
                last_error = format!("{procs_path} lists no process");
                continue;
            }
            pids.sort_unstable();
            // A process that exits between the list and its reads is left out, as `ps` does.
            return Ok(pids.into_iter().filter_map(|p| self.process(p)).collect());
        }
        Err(last_error)
    }

    fn process(&self, pid: u32) -> Option<Process> {
        let status = self.read(&format!("/proc/{pid}/status")).ok()?;
        let cmdline = std::fs::read(self.fs.real(&format!("/proc/{pid}/cmdline"))).ok()?;
        let user = effective_uid(&status).map(|uid| self.accounts.user(uid).unwrap_or_else(|| uid.to_string()));
        Some(Process {
            pid: pid.to_string(),
            user: user.unwrap_or_default(),
            command: command_line(&cmdline, status_name(&status)),
        })
    }

    fn read(&self, host: &str) -> Result<String, String> {
        super::root::read_capped(&self.fs.real(host))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|e| format!("{host}: {}", super::root::describe(&e)))
    }
}

/// Host paths of the `cgroup.procs` files that may list the container's processes, from a
/// `/proc/<pid>/cgroup` text, best first: the cgroup v1 `pids` or `memory` hierarchy, the
/// systemd one, then the unified (v2) hierarchy at `/sys/fs/cgroup` or, on hybrid hosts,
/// `/sys/fs/cgroup/unified`. Only paths naming the container's full id qualify (Docker names the
/// container's cgroup after it, under any cgroup parent), and none that climbs out of our own
/// cgroup namespace (`/..`).
pub fn cgroup_procs_paths(cgroup: &str, id: &str) -> Vec<String> {
    let mut v1: Vec<(u8, String)> = Vec::new();
    let mut v2: Vec<String> = Vec::new();
    for line in cgroup.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(_), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if !path.contains(id) || path.split('/').any(|p| p == "..") {
            continue;
        }
        let path = path.trim_end_matches('/');
        if controllers.is_empty() {
            v2.push(format!("/sys/fs/cgroup{path}/cgroup.procs"));
            v2.push(format!("/sys/fs/cgroup/unified{path}/cgroup.procs"));
            continue;
        }
        let names: Vec<&str> = controllers.split(',').collect();
        let rank = if names.contains(&"pids") {
            0
        } else if names.contains(&"memory") {
            1
        } else if names.contains(&"name=systemd") {
            2
        } else {
            continue;
        };
        let dir = controllers.strip_prefix("name=").unwrap_or(controllers);
        v1.push((rank, format!("/sys/fs/cgroup/{dir}{path}/cgroup.procs")));
    }
    v1.sort();
    v1.into_iter().map(|(_, p)| p).chain(v2).collect()
}

/// One pid per line.
pub fn parse_pids(text: &str) -> Vec<u32> {
    text.lines().filter_map(|l| l.trim().parse().ok()).collect()
}

/// The effective uid (second value of `Uid:`), which `ps` shows as the process's user.
pub fn effective_uid(status: &str) -> Option<u32> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|rest| rest.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

/// `Name:` of `/proc/<pid>/status`.
fn status_name(status: &str) -> &str {
    status
        .lines()
        .find_map(|l| l.strip_prefix("Name:"))
        .map_or("", str::trim)
}

/// The command as `ps -f` shows it: the arguments joined by spaces, or `[name]` when the process
/// has none (a kernel thread or a zombie). Credentials are redacted argument by argument, while
/// the boundaries between arguments are still known.
pub fn command_line(cmdline: &[u8], name: &str) -> String {
    let raw = cmdline.strip_suffix(&[0]).unwrap_or(cmdline);
    if raw.is_empty() {
        return format!("[{name}]");
    }
    let args: Vec<String> = raw
        .split(|b| *b == 0)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    secrets::redact_args(&args).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "3f9a5c1e7b2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a";

    #[test]
    fn finds_the_containers_cgroup_in_v1_v2_and_systemd_layouts() {
        let v1 = format!("12:pids:/docker/{ID}\n11:cpu,cpuacct:/docker/{ID}\n4:memory:/docker/{ID}\n1:name=systemd:/docker/{ID}\n0::/system.slice/containerd.service\n");
        assert_eq!(
            cgroup_procs_paths(&v1, ID),
            vec![
                format!("/sys/fs/cgroup/pids/docker/{ID}/cgroup.procs"),
                format!("/sys/fs/cgroup/memory/docker/{ID}/cgroup.procs"),
                format!("/sys/fs/cgroup/systemd/docker/{ID}/cgroup.procs"),
            ]
        );
        let v2 = format!("0::/system.slice/docker-{ID}.scope\n");
        assert_eq!(
            cgroup_procs_paths(&v2, ID)[0],
            format!("/sys/fs/cgroup/system.slice/docker-{ID}.scope/cgroup.procs")
        );
    }

    #[test]
    fn refuses_paths_that_are_not_the_containers_own() {
        // Another container's process (pid reused), a path outside our cgroup namespace, junk.
        let other = "12:pids:/docker/0000000000000000000000000000000000000000000000000000000000000000\n";
        assert!(cgroup_procs_paths(other, ID).is_empty());
        let outside = format!("0::/../../system.slice/docker-{ID}.scope\n");
        assert!(cgroup_procs_paths(&outside, ID).is_empty());
        assert!(cgroup_procs_paths("garbage", ID).is_empty());
    }

    #[test]
    fn reads_pids_users_and_commands_like_ps() {
        assert_eq!(parse_pids("42\n7\n\nx\n"), vec![42, 7]);
        let status = "Name:\tsshd\nUmask:\t0022\nUid:\t1000\t0\t0\t0\nGid:\t0\t0\t0\t0\n";
        assert_eq!(effective_uid(status), Some(0));
        assert_eq!(status_name(status), "sshd");
        assert_eq!(effective_uid("Name: x\n"), None);
        assert_eq!(command_line(b"/usr/sbin/sshd\0-D\0", "sshd"), "/usr/sbin/sshd -D");
        assert_eq!(command_line(b"", "kworker/0:1"), "[kworker/0:1]");
        assert_eq!(
            command_line(b"curl\0-H\0Authorization: Bearer abcdefgh123\0https://x\0", "curl"),
            "curl -H Authorization: Bearer *** https://x"
        );
    }

    #[test]
    fn unusable_input_is_an_error_for_the_caller_to_fall_back_on() {
        let reader = ProcessReader::new(Path::new("/nonexistent-host-root"));
        assert!(reader.container_processes(ID, 0).is_err());
        assert!(reader.container_processes(ID, 4242).is_err());
        assert!(reader.container_processes("short", 1).is_err());
    }
}
