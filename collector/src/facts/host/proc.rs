//! Facts from the host's `/proc`: dockerd processes and the sockets they hold, the mount table,
//! listening TCP sockets.
//!
//! `/proc` entries are read at their literal location under the host root: `exe` and `ns/*` are
//! kernel "magic" links whose targets name paths in the *process's* mount namespace, so they
//! are read with `readlink`, never resolved.

use std::fs;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::root::{describe, read_capped, HostRoot};
use crate::snapshot::{DaemonProcess, Fact, HostMount, ListenSocket};

/// The host's mount table: PID 1's view, since our own may be a container's.
pub const MOUNTINFO: &str = "/proc/1/mountinfo";

/// A process whose executable is named `dockerd`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Candidate {
    pid: u32,
    exe: Option<String>,
    /// Shares PID 1's mount namespace (the host's daemon rather than one inside a container).
    host_namespace: bool,
    /// Start time in clock ticks since boot (`/proc/<pid>/stat` field 22).
    start: Option<u64>,
}

/// Every dockerd process, found by executable name, not by command-line substring (which also
/// matches editors and greps), in preference order: the host's mount namespace first, then the
/// oldest. Zombies (no command line) are left out. Which of them is the audited daemon is
/// decided by [`super::daemons`].
pub fn dockerds(fs: &HostRoot) -> Fact<Vec<DaemonProcess>> {
    let proc_dir = fs.real("/proc");
    let entries = match fs::read_dir(&proc_dir) {
        Ok(e) => e,
        Err(e) => return Fact::unavailable("/proc", format!("cannot list processes: {}", describe(&e))),
    };
    let pids: Vec<u32> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .collect();
    if pids.is_empty() {
        // An empty directory: procfs is not mounted there (e.g. a non-recursive bind of `/`).
        return Fact::unavailable(
            "/proc",
            "no processes are visible: the host's /proc is not mounted under the host root",
        );
    }
    let host_ns = fs::read_link(fs.real("/proc/1/ns/mnt")).ok();
    let mut candidates: Vec<Candidate> = pids
        .into_iter()
        .filter_map(|pid| candidate(fs, pid, host_ns.as_deref()))
        .collect();
    candidates.sort_by_key(|c| (!c.host_namespace, c.start.unwrap_or(u64::MAX), c.pid));

    let mut found = Vec::new();
    let mut last_error = None;
    for c in candidates {
        let cmdline = match read_capped(&fs.real(&format!("/proc/{}/cmdline", c.pid))) {
            Ok(b) => b,
            Err(e) => {
                last_error = Some((c.pid, e));
                continue;
            }
        };
        let args = split_cmdline(&cmdline);
        if args.is_empty() {
            // A zombie or an exiting process: its command line is gone.
            continue;
        }
        let status = fs::read_to_string(fs.real(&format!("/proc/{}/status", c.pid))).ok();
        found.push(DaemonProcess {
            pid: c.pid,
            exe: c.exe,
            args,
            uid: status.as_deref().and_then(|s| status_id(s, "Uid:")),
            gid: status.as_deref().and_then(|s| status_id(s, "Gid:")),
            ..DaemonProcess::default()
        });
    }
    match (found.is_empty(), last_error) {
        (true, Some((pid, e))) => Fact::unavailable(
            format!("/proc/{pid}/cmdline"),
            format!(
                "dockerd runs as PID {pid} but its command line cannot be read: {}",
                describe(&e)
            ),
        ),
        _ => Fact::Ok(found),
    }
}

/// The parent PID (`PPid:` of `/proc/<pid>/status`) and the executable's name (`comm`).
pub fn parent_and_name(fs: &HostRoot, pid: u32) -> Option<(u32, String)> {
    let status = fs::read_to_string(fs.real(&format!("/proc/{pid}/status"))).ok()?;
    let name = status.lines().find_map(|l| l.strip_prefix("Name:"))?.trim().to_string();
    let ppid = status_id(&status, "PPid:")?;
    Some((ppid, name))
}

/// The few environment variables that place a rootless daemon's files (`HOME`, `XDG_*`), read
/// from `/proc/<pid>/environ` (readable by root and the process's own user). Nothing else of the
/// environment is kept: it may hold secrets.
pub fn placement_env(fs: &HostRoot, pid: u32) -> Vec<(String, String)> {
    const KEEP: &[&str] = &["HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR"];
    let Ok(raw) = read_capped(&fs.real(&format!("/proc/{pid}/environ"))) else {
        return Vec::new();
    };
    split_cmdline(&raw)
        .into_iter()
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (KEEP.contains(&k) && !v.is_empty()).then(|| (k.to_string(), v.to_string()))
        })
        .collect()
}

/// Host id ranges `(first, count)` of `/proc/<pid>/gid_map` (`inside outside count` rows).
pub fn gid_ranges(fs: &HostRoot, pid: u32) -> Vec<(u32, u32)> {
    let Ok(text) = fs::read_to_string(fs.real(&format!("/proc/{pid}/gid_map"))) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| {
            let f: Vec<u32> = l.split_whitespace().filter_map(|v| v.parse().ok()).collect();
            match f.as_slice() {
                [_, outside, count] => Some((*outside, *count)),
                _ => None,
            }
        })
        .collect()
}

/// Inodes of the sockets a process holds open (`socket:[N]` links in `/proc/<pid>/fd`).
pub fn socket_inodes(fs: &HostRoot, pid: u32) -> std::io::Result<Vec<u64>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(fs.real(&format!("/proc/{pid}/fd")))? {
        let Ok(target) = fs::read_link(entry?.path()) else {
            continue; // closed meanwhile
        };
        let target = target.to_string_lossy();
        if let Some(n) = target.strip_prefix("socket:[").and_then(|r| r.strip_suffix(']')) {
            if let Ok(n) = n.parse() {
                out.push(n);
            }
        }
    }
    Ok(out)
}

/// Listening unix sockets bound to a path, as `(inode, path)`, in the network namespace of
/// `pid` (`/proc/<pid>/net/unix`; the table is per network namespace).
pub fn unix_listeners(fs: &HostRoot, pid: u32) -> Vec<(u64, String)> {
    match read_capped(&fs.real(&format!("/proc/{pid}/net/unix"))) {
        Ok(raw) => parse_proc_net_unix(&String::from_utf8_lossy(&raw)),
        Err(_) => Vec::new(),
    }
}

/// Rows of `/proc/net/unix` (`Num RefCount Protocol Flags Type St Inode Path`) whose flags carry
/// `__SO_ACCEPTCON` (listening) and whose path is a filesystem path (not abstract, `@…`).
pub fn parse_proc_net_unix(text: &str) -> Vec<(u64, String)> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let flags = u32::from_str_radix(f.get(3)?, 16).ok()?;
            let inode: u64 = f.get(6)?.parse().ok()?;
            let path = f.get(7..).filter(|p| !p.is_empty())?.join(" ");
            (flags & 0x0001_0000 != 0 && path.starts_with('/')).then_some((inode, path))
        })
        .collect()
}

/// Inodes of TCP sockets listening on `port` in the network namespace of `pid`.
pub fn tcp_listeners(fs: &HostRoot, pid: u32, port: u16) -> Vec<u64> {
    let mut out = Vec::new();
    for proto in ["tcp", "tcp6"] {
        if let Ok(raw) = read_capped(&fs.real(&format!("/proc/{pid}/net/{proto}"))) {
            for line in String::from_utf8_lossy(&raw).lines().skip(1) {
                let f: Vec<&str> = line.split_whitespace().collect();
                let listening = f.get(3).is_some_and(|s| s.eq_ignore_ascii_case("0A"));
                let on_port = f
                    .get(1)
                    .and_then(|l| l.rsplit_once(':'))
                    .and_then(|(_, p)| u16::from_str_radix(p, 16).ok())
                    == Some(port);
                if let (true, true, Some(Ok(inode))) = (listening, on_port, f.get(9).map(|i| i.parse::<u64>())) {
                    out.push(inode);
                }
            }
        }
    }
    out
}

fn candidate(fs: &HostRoot, pid: u32, host_ns: Option<&std::path::Path>) -> Option<Candidate> {
    let base = format!("/proc/{pid}");
    let exe = match fs::read_link(fs.real(&format!("{base}/exe"))) {
        Ok(target) => {
            let exe = exe_path(&target.to_string_lossy());
            if basename(&exe) != "dockerd" {
                return None;
            }
            Some(exe)
        }
        // Without ptrace rights `exe` is unreadable; `comm` (the executable's name, at most
        // 15 bytes) is still world-readable and names the program, not its arguments.
        Err(_) => {
            let comm = fs::read_to_string(fs.real(&format!("{base}/comm"))).ok()?;
            if comm.trim_end_matches('\n') != "dockerd" {
                return None;
            }
            None
        }
    };
    let ns = fs::read_link(fs.real(&format!("{base}/ns/mnt"))).ok();
    let host_namespace = matches!((host_ns, ns.as_deref()), (Some(h), Some(n)) if h == n);
    let start = fs::read_to_string(fs.real(&format!("{base}/stat")))
        .ok()
        .and_then(|s| stat_start_time(&s));
    Some(Candidate {
        pid,
        exe,
        host_namespace,
        start,
    })
}

/// `readlink /proc/<pid>/exe` appends " (deleted)" once the binary was replaced (an upgrade
/// while running); the path still names where the daemon's binary lives.
fn exe_path(target: &str) -> String {
    target.strip_suffix(" (deleted)").unwrap_or(target).to_string()
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// argv from `/proc/<pid>/cmdline` (NUL-separated, usually NUL-terminated).
fn split_cmdline(raw: &[u8]) -> Vec<String> {
    let raw = raw.strip_suffix(&[0]).unwrap_or(raw);
    if raw.is_empty() {
        return Vec::new();
    }
    raw.split(|b| *b == 0)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect()
}

/// The first number of a `/proc/<pid>/status` line (`Uid:` and `Gid:` give the real id first).
fn status_id(status: &str, key: &str) -> Option<u32> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

/// Field 22 (`starttime`) of `/proc/<pid>/stat`. The command name (field 2) may contain spaces
/// and parentheses, so fields are counted after its last `)`.
fn stat_start_time(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    // After the name come field 3 (state) onwards; starttime is the 20th of those.
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// Reads and parses the host's mount table.
pub fn mounts(fs: &HostRoot) -> Fact<Vec<HostMount>> {
    match read_capped(&fs.real(MOUNTINFO)) {
        Ok(raw) => Fact::Ok(parse_mountinfo(&String::from_utf8_lossy(&raw))),
        Err(e) => Fact::unavailable(MOUNTINFO, describe(&e)),
    }
}

/// Parses `mountinfo` (proc(5)): `id parent maj:min root mount-point options [optional…] - fstype
/// source super-options`. The optional fields vary in number, so the ` - ` separator is searched.
pub fn parse_mountinfo(text: &str) -> Vec<HostMount> {
    text.lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(' ').collect();
            let mount_point = fields.get(4)?;
            let sep = fields.iter().skip(6).position(|f| *f == "-")? + 6;
            Some(HostMount {
                mount_point: unescape_octal(mount_point),
                fs_type: unescape_octal(fields.get(sep + 1)?),
                source: unescape_octal(fields.get(sep + 2).copied().unwrap_or("")),
            })
        })
        .collect()
}

/// Decodes the kernel's `\ooo` escapes (space, tab, newline, backslash) in mount fields.
pub fn unescape_octal(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 4 <= bytes.len() {
            let digits = &bytes[i + 1..i + 4];
            if digits.iter().all(|d| (b'0'..=b'7').contains(d)) {
                let v =
                    u32::from(digits[0] - b'0') * 64 + u32::from(digits[1] - b'0') * 8 + u32::from(digits[2] - b'0');
                if let Ok(b) = u8::try_from(v) {
                    out.push(b);
                    i += 4;
                    continue;
                }
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Listening TCP sockets of the host's network namespace.
///
/// `/proc/net` is a link to `/proc/self/net`, i.e. the *reader's* namespace, which is a
/// container's when dockaudit runs in one; PID 1's `net` directory is the host's.
/// Asked through sock_diag in PID 1's namespace first: each read of the `/proc` tables walks
/// every socket of the host.
pub fn listening(fs: &HostRoot) -> Fact<Vec<ListenSocket>> {
    if let Ok(found) = super::sockdiag::listening_tcp(fs.real("/proc/1/ns/net")) {
        return Fact::Ok(found);
    }
    let mut out: Vec<ListenSocket> = Vec::new();
    let mut read_any = false;
    let mut errors = Vec::new();
    for proto in ["tcp", "tcp6"] {
        let path = format!("/proc/1/net/{proto}");
        match read_capped(&fs.real(&path)) {
            Ok(raw) => {
                read_any = true;
                for s in parse_proc_net_tcp(&String::from_utf8_lossy(&raw), proto) {
                    if !out.contains(&s) {
                        out.push(s);
                    }
                }
            }
            // tcp6 is absent when IPv6 is disabled; that alone is not a failure.
            Err(e) => errors.push(format!("{path}: {}", describe(&e))),
        }
    }
    if read_any {
        Fact::Ok(out)
    } else {
        Fact::unavailable("/proc/1/net/tcp", errors.join("; "))
    }
}

/// Parses `/proc/net/tcp{,6}` rows in state `0A` (LISTEN).
pub fn parse_proc_net_tcp(text: &str, proto: &str) -> Vec<ListenSocket> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let local = fields.nth(1)?;
            let state = fields.nth(1)?;
            if !state.eq_ignore_ascii_case("0A") {
                return None;
            }
            let (addr, port) = local.split_once(':')?;
            Some(ListenSocket {
                proto: proto.to_string(),
                addr: decode_addr(addr)?,
                port: u16::from_str_radix(port, 16).ok()?,
            })
        })
        .collect()
}

/// The kernel prints each 32-bit word of the address in host byte order, so the bytes come
/// back with `to_ne_bytes` (little-endian words on x86 and arm64).
fn decode_addr(hex: &str) -> Option<String> {
    let word = |i: usize| -> Option<[u8; 4]> {
        let w = hex.get(i * 8..i * 8 + 8)?;
        Some(u32::from_str_radix(w, 16).ok()?.to_ne_bytes())
    };
    match hex.len() {
        8 => Some(Ipv4Addr::from(word(0)?).to_string()),
        32 => {
            let mut bytes = [0u8; 16];
            for i in 0..4 {
                bytes[i * 4..i * 4 + 4].copy_from_slice(&word(i)?);
            }
            Some(Ipv6Addr::from(bytes).to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_time_counts_fields_after_the_last_parenthesis() {
        let stat = "812 (dock erd) (x)) S 1 812 812 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 15 0 4242 1000 5";
        assert_eq!(stat_start_time(stat), Some(4242));
        assert_eq!(stat_start_time("garbage"), None);
    }

    #[test]
    fn uid_is_the_real_uid() {
        let status = "Name:\tdockerd\nPPid:\t7\nUid:\t1000\t0\t0\t0\nGid:\t1001\t0\t0\t0\n";
        assert_eq!(status_id(status, "Uid:"), Some(1000));
        assert_eq!(status_id(status, "Gid:"), Some(1001));
        assert_eq!(status_id(status, "PPid:"), Some(7));
        assert_eq!(status_id("Name:\tx\n", "Uid:"), None);
    }

    #[test]
    fn unix_listeners_are_parsed() {
        let text = "Num       RefCount Protocol Flags    Type St Inode Path\n\
                    0000000000000000: 00000002 00000000 00010000 0001 01 31337 /run/docker.sock\n\
                    0000000000000000: 00000003 00000000 00000000 0001 03 31338 /run/docker.sock\n\
                    0000000000000000: 00000002 00000000 00010000 0001 01 42 @/containerd-shim/x.sock\n\
                    0000000000000000: 00000002 00000000 00010000 0001 01 43 /tmp/with space.sock\n\
                    0000000000000000: 00000002 00000000 00010000 0001 01 44\n";
        assert_eq!(
            parse_proc_net_unix(text),
            [
                (31337, "/run/docker.sock".to_string()),
                (43, "/tmp/with space.sock".to_string())
            ]
        );
    }

    #[test]
    fn cmdline_splits_on_nul() {
        assert_eq!(
            split_cmdline(b"/usr/bin/dockerd\0-H\0fd://\0"),
            ["/usr/bin/dockerd", "-H", "fd://"]
        );
        assert_eq!(split_cmdline(b"dockerd\0\0--x"), ["dockerd", "", "--x"]);
        assert!(split_cmdline(b"").is_empty());
    }

    #[test]
    fn deleted_binary_keeps_its_path() {
        assert_eq!(exe_path("/usr/bin/dockerd (deleted)"), "/usr/bin/dockerd");
        assert_eq!(basename("/usr/bin/dockerd"), "dockerd");
    }

    #[test]
    fn mountinfo_with_optional_fields_and_escapes() {
        let text = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n\
                    30 22 8:2 / /var/lib/docker rw shared:5 master:2 - xfs /dev/sdb1 rw\n\
                    31 22 0:5 / /mnt/my\\040disk\\011x rw - fuse.sshfs user@host:/a\\134b rw\n\
                    40 22 0:6 / /no-optional rw - tmpfs tmpfs rw\n\
                    broken line\n";
        let m = parse_mountinfo(text);
        assert_eq!(m.len(), 4);
        assert_eq!(
            (m[0].mount_point.as_str(), m[0].fs_type.as_str(), m[0].source.as_str()),
            ("/", "ext4", "/dev/sda1")
        );
        assert_eq!(m[1].mount_point, "/var/lib/docker");
        assert_eq!(m[1].fs_type, "xfs");
        assert_eq!(m[2].mount_point, "/mnt/my disk\tx");
        assert_eq!(m[2].source, "user@host:/a\\b");
        assert_eq!(m[3].fs_type, "tmpfs");
    }

    #[test]
    fn octal_unescape_leaves_odd_input_alone() {
        assert_eq!(unescape_octal("a\\040b"), "a b");
        assert_eq!(unescape_octal("trailing\\04"), "trailing\\04");
        assert_eq!(unescape_octal("\\999"), "\\999");
        assert_eq!(unescape_octal("\\"), "\\");
    }

    #[test]
    fn tcp_listeners_are_decoded() {
        let v4 = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
                  0: 00000000:0948 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n\
                  1: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1\n\
                  2: 0100007F:0CEA 0100007F:A000 01 00000000:00000000 00:00000000 00000000     0        0 3 1\n\
                  3: 0A00020F:1CE8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1\n";
        let s = parse_proc_net_tcp(v4, "tcp");
        let got: Vec<(String, u16)> = s.iter().map(|s| (s.addr.clone(), s.port)).collect();
        if cfg!(target_endian = "little") {
            assert_eq!(
                got,
                [
                    ("0.0.0.0".into(), 2376),
                    ("127.0.0.1".into(), 3306),
                    ("15.2.0.10".into(), 7400)
                ]
            );
        }
        let v6 = "  sl  local_address                         remote_address                        st\n\
                  0: 00000000000000000000000000000000:0959 00000000000000000000000000000000:0000 0A 0\n\
                  1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 0\n\
                  2: 0000000000000000FFFF00000100007F:0050 00000000000000000000000000000000:0000 0A 0\n\
                  3: BADHEX:0050 00000000000000000000000000000000:0000 0A 0\n";
        let s = parse_proc_net_tcp(v6, "tcp6");
        let got: Vec<(String, u16)> = s.iter().map(|s| (s.addr.clone(), s.port)).collect();
        if cfg!(target_endian = "little") {
            assert_eq!(
                got,
                [
                    ("::".into(), 2393),
                    ("::1".into(), 8080),
                    ("::ffff:127.0.0.1".into(), 80)
                ]
            );
        }
        assert!(s.iter().all(|s| s.proto == "tcp6"));
    }
}
