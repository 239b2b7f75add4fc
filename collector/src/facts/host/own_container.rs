//! Recognising dockaudit's own container, so it can be left out of the container checks.
//!
//! This reads the real `/proc/self`, not the host root: it is about the scanning process.

use super::proc::unescape_octal;
use super::root::read_capped;

/// Candidate ids of the container we run in: full 64-hex ids from the cgroup path and from the
/// bind mounts Docker places on `/etc/hostname`, `/etc/hosts` and `/etc/resolv.conf`, then a
/// 12-hex short id from the hostname (Docker's default hostname). Empty on a plain host.
pub fn own_container_ids() -> Vec<String> {
    let read = |p: &str| read_capped(std::path::Path::new(p)).map(|b| String::from_utf8_lossy(&b).into_owned());
    ids_from(
        &read("/proc/self/cgroup").unwrap_or_default(),
        &read("/proc/self/mountinfo").unwrap_or_default(),
        read("/proc/sys/kernel/hostname").unwrap_or_default().trim(),
    )
}

fn ids_from(cgroup: &str, mountinfo: &str, hostname: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut add = |id: String| {
        if !ids.contains(&id) {
            ids.push(id);
        }
    };
    // `hierarchy:controllers:path`; with nested containers the innermost id comes last.
    for line in cgroup.lines() {
        let path = line.splitn(3, ':').nth(2).unwrap_or("");
        let mut found: Vec<String> = path.split('/').flat_map(hex64_runs).collect();
        found.reverse();
        found.into_iter().for_each(&mut add);
    }
    for line in mountinfo.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let (Some(root), Some(mount_point)) = (fields.get(3), fields.get(4)) else {
            continue;
        };
        if !["/etc/hostname", "/etc/hosts", "/etc/resolv.conf"].contains(&unescape_octal(mount_point).as_str()) {
            continue;
        }
        // `…/containers/<id>/hostname`, whichever filesystem /var/lib/docker is on.
        let root = unescape_octal(root);
        let parts: Vec<&str> = root.split('/').collect();
        for pair in parts.windows(2) {
            if pair[0].ends_with("containers") && is_hex(pair[1], 64) {
                add(pair[1].to_string());
            }
        }
    }
    if is_hex(hostname, 12) && !ids.iter().any(|id| id.starts_with(hostname)) {
        ids.push(hostname.to_string());
    }
    ids
}

/// Runs of exactly 64 lowercase hex digits in a cgroup path segment (`<id>`,
/// `docker-<id>.scope`, `cri-containerd-<id>.scope`).
fn hex64_runs(segment: &str) -> Vec<String> {
    segment
        .split(|c: char| !matches!(c, '0'..='9' | 'a'..='f'))
        .filter(|run| run.len() == 64)
        .map(str::to_string)
        .collect()
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "4f1c2a3b4c5d6e7f80910a1b2c3d4e5f60718293a4b5c6d7e8f9001122334455";
    const B: &str = "9a8b7c6d5e4f30211a2b3c4d5e6f708192a3b4c5d6e7f8090a1b2c3d4e5f6071";

    #[test]
    fn plain_host_has_no_ids() {
        let cg = "0::/user.slice/user-0.slice/session-1.scope\n";
        let mi = "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n";
        assert!(ids_from(cg, mi, "myhost").is_empty());
    }

    #[test]
    fn cgroup_v1_and_v2_paths() {
        let v1 = format!("12:pids:/docker/{A}\n11:cpu,cpuacct:/docker/{A}\n1:name=systemd:/docker/{A}\n");
        assert_eq!(ids_from(&v1, "", ""), [A]);
        let v2 = format!("0::/system.slice/docker-{A}.scope\n");
        assert_eq!(ids_from(&v2, "", ""), [A]);
        let nested = format!("0::/docker/{B}/docker/{A}\n");
        assert_eq!(ids_from(&nested, "", ""), [A, B]);
        // An overlong hex run is not an id.
        assert!(ids_from(&format!("0::/docker/{A}{A}\n"), "", "").is_empty());
    }

    #[test]
    fn mountinfo_and_hostname() {
        let mi = format!(
            "500 400 0:50 / / rw - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/{B}/diff\n\
             510 500 8:1 /var/lib/docker/containers/{A}/resolv.conf /etc/resolv.conf rw - ext4 /dev/sda1 rw\n\
             511 500 8:2 /containers/{A}/hostname /etc/hostname rw - ext4 /dev/sdb1 rw\n\
             512 500 8:2 /containers/{B}/other /mnt/x rw - ext4 /dev/sdb1 rw\n"
        );
        assert_eq!(ids_from("0::/\n", &mi, &A[..12]), [A]);
        assert_eq!(ids_from("0::/\n", "", &B[..12]), [&B[..12]]);
        assert!(ids_from("0::/\n", "", "4F1C2A3B4C5D").is_empty());
    }
}
