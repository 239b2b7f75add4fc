//! Large reports generated deterministically (splitmix64, no randomness): a host of N
//! containers where about 30 checks fail, most naming most containers, and its next day's run
//! (containers added and removed, checks fixed and regressed) for the diff. `cargo xtask bench`
//! measures the viewer on them; the same input always gives the same report.

use serde_json::json;

use crate::catalog::{self, Evaluation};
use crate::report::{CheckResult, Finding, Report, Status, Target, TargetKind, SCHEMA_VERSION};
use crate::summary::Summary;

/// Roles that name containers, like a real deployment.
const ROLES: [&str; 8] = ["web", "api", "worker", "db", "cache", "queue", "auth", "search"];

/// Checks that fail per container: id, share of containers that fail it (per mille), what is
/// wrong, what was found, what is expected, how to fix it (`{}` is the container's name).
const CONTAINER_FAILS: [(&str, u32, &str, &str, &str, &str); 24] = [
    (
        "5.2",
        950,
        "runs without an AppArmor profile",
        "AppArmorProfile = \"\"",
        "docker-default or a custom profile",
        "Re-create {} with --security-opt apparmor=docker-default",
    ),
    (
        "5.3",
        990,
        "has no SELinux options",
        "SecurityOpt has no label=…",
        "label=type:… or label=level:…",
        "Re-create {} with --security-opt label=level:s0:c100,c200",
    ),
    (
        "5.4",
        850,
        "keeps capabilities it does not need",
        "CapAdd = [NET_ADMIN, SYS_PTRACE]; CapDrop = []",
        "CapDrop = [ALL] and only the needed CapAdd",
        "Re-create {} with --cap-drop ALL and add back only what it uses",
    ),
    (
        "5.5",
        300,
        "runs privileged",
        "HostConfig.Privileged = true",
        "false",
        "Re-create {} without --privileged; grant only the devices or capabilities it needs",
    ),
    (
        "5.6",
        500,
        "mounts a sensitive host directory",
        "/etc → /host/etc (ro)",
        "no mount of /, /boot, /dev, /etc, /lib, /proc, /sys, /usr",
        "Re-create {} without the /etc bind mount; copy the files it needs into a volume",
    ),
    (
        "5.8",
        600,
        "maps a privileged port",
        "0.0.0.0:443 → 8443/tcp",
        "host ports ≥ 1024",
        "Publish {} on a host port above 1023 and put a proxy in front",
    ),
    (
        "5.10",
        500,
        "shares the host's network namespace",
        "HostConfig.NetworkMode = host",
        "bridge or a user-defined network",
        "Re-create {} on a user-defined network",
    ),
    (
        "5.11",
        900,
        "has no memory limit",
        "HostConfig.Memory = 0 (unlimited)",
        "a limit, e.g. --memory 512m",
        "Run `docker update --memory 512m --memory-swap 512m {}`",
    ),
    (
        "5.12",
        920,
        "has no CPU shares set",
        "HostConfig.CpuShares = 0 (default 1024)",
        "a value that reflects its priority",
        "Run `docker update --cpu-shares 512 {}`",
    ),
    (
        "5.13",
        970,
        "has a writable root filesystem",
        "HostConfig.ReadonlyRootfs = false",
        "true, with volumes for the paths it writes",
        "Re-create {} with --read-only and a tmpfs for /tmp",
    ),
    (
        "5.14",
        800,
        "publishes ports on every interface",
        "0.0.0.0:32768 → 8080/tcp",
        "a specific host address",
        "Publish {} as -p 127.0.0.1:8080:8080 or on the interface it serves",
    ),
    (
        "5.15",
        750,
        "can restart without limit",
        "HostConfig.RestartPolicy = always",
        "on-failure with at most 5 retries",
        "Run `docker update --restart on-failure:5 {}`",
    ),
    (
        "5.16",
        300,
        "shares the host's process namespace",
        "HostConfig.PidMode = host",
        "a private PID namespace",
        "Re-create {} without --pid host",
    ),
    (
        "5.17",
        500,
        "shares the host's IPC namespace",
        "HostConfig.IpcMode = host",
        "private or shareable",
        "Re-create {} without --ipc host",
    ),
    (
        "5.21",
        500,
        "shares the host's UTS namespace",
        "HostConfig.UTSMode = host",
        "a private UTS namespace",
        "Re-create {} without --uts host",
    ),
    (
        "5.22",
        600,
        "runs with seccomp disabled",
        "SecurityOpt = [seccomp=unconfined]",
        "the default or a custom seccomp profile",
        "Re-create {} without seccomp=unconfined",
    ),
    (
        "5.25",
        700,
        "uses a custom cgroup parent",
        "HostConfig.CgroupParent = /batch",
        "the default cgroup parent, or one confirmed as intended",
        "Confirm the cgroup parent of {} or re-create it without --cgroup-parent",
    ),
    (
        "5.26",
        980,
        "may acquire new privileges",
        "SecurityOpt has no no-new-privileges",
        "no-new-privileges:true",
        "Re-create {} with --security-opt no-new-privileges:true",
    ),
    (
        "5.27",
        850,
        "has no health check",
        "Config.Healthcheck = none (image has none either)",
        "a HEALTHCHECK or --health-cmd",
        "Re-create {} with --health-cmd that probes its service",
    ),
    (
        "5.29",
        930,
        "has no PIDs limit",
        "HostConfig.PidsLimit = 0 (unlimited)",
        "a limit, e.g. --pids-limit 200",
        "Run `docker update --pids-limit 200 {}`",
    ),
    (
        "5.30",
        900,
        "is attached to the default bridge",
        "NetworkSettings.Networks = {bridge}",
        "a user-defined network",
        "Connect {} to a user-defined network and disconnect it from bridge",
    ),
    (
        "5.31",
        200,
        "shares the host's user namespace",
        "HostConfig.UsernsMode = host",
        "the daemon's user namespace remapping",
        "Re-create {} without --userns host",
    ),
    (
        "5.32",
        250,
        "mounts the Docker socket",
        "/var/run/docker.sock → /var/run/docker.sock",
        "no access to the daemon's socket",
        "Re-create {} without the docker.sock mount; give it a narrower API proxy",
    ),
    (
        "5.20",
        150,
        "mounts a volume with shared propagation",
        "Mounts[0].Propagation = shared",
        "private or rprivate",
        "Re-create {} with the bind mount's propagation set to private",
    ),
];

/// Checks that are fixed on day 2, and checks that regress on day 2.
const FIXED_ON_DAY_2: [&str; 2] = ["5.31", "2.15"];
const REGRESSED_ON_DAY_2: [&str; 2] = ["5.7", "2.11"];

/// Daemon settings that fail.
const DAEMON_FAILS: [(&str, &str, &str, &str); 4] = [
    (
        "2.2",
        "icc = true",
        "\"icc\": false",
        "Set \"icc\": false in /etc/docker/daemon.json and restart Docker",
    ),
    (
        "2.14",
        "no-new-privileges not configured",
        "\"no-new-privileges\": true",
        "Set \"no-new-privileges\": true in daemon.json",
    ),
    (
        "2.15",
        "live-restore = false",
        "\"live-restore\": true",
        "Set \"live-restore\": true in daemon.json",
    ),
    (
        "2.11",
        "authorization-plugins = []",
        "an authorization plugin",
        "Install an authorization plugin and list it in daemon.json",
    ),
];

/// Deterministic pseudo-random numbers (splitmix64): the same host every run.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn hash_str(s: &str, seed: u64) -> u64 {
    s.bytes().fold(mix(seed), |h, b| mix(h ^ u64::from(b)))
}

/// Whether a fraction (per mille) of items is hit by a hash.
fn per_mille(h: u64, share: u32) -> bool {
    h % 1000 < u64::from(share)
}

pub fn container_name(i: usize) -> String {
    format!("{}-{i:04}", ROLES[i % ROLES.len()])
}

fn hex_id(seed: u64) -> String {
    (0..4)
        .map(|k| format!("{:016x}", mix(seed.wrapping_mul(31).wrapping_add(k))))
        .collect()
}

/// The containers of the host on `day`: day 2 lost about 3 % and gained about 3 % new ones.
pub fn containers(n: usize, day: u32) -> Vec<usize> {
    let mut out: Vec<usize> = (0..n)
        .filter(|&i| day == 1 || !per_mille(mix(i as u64 ^ 0x90e), 30))
        .collect();
    if day > 1 {
        out.extend(n..n + n * 3 / 100);
    }
    out
}

/// A report of a host with `n` containers (and `n / 10` images) on `day` (1 or 2).
pub fn host_report(n: usize, day: u32) -> Result<Report, serde_json::Error> {
    let list = containers(n, day);
    let images = (n / 10).max(1);
    let results: Vec<CheckResult> = catalog::all()
        .map(|meta| {
            let id = meta.id;
            let fixed = day > 1 && FIXED_ON_DAY_2.contains(&id);
            let regressed = day > 1 && REGRESSED_ON_DAY_2.contains(&id);
            if fixed {
                return CheckResult::for_id(id, Status::Pass, "Meets the recommendation.");
            }
            if let Some(spec) = CONTAINER_FAILS.iter().find(|s| s.0 == id) {
                return container_check(spec, &list, day);
            }
            if let Some(d) = DAEMON_FAILS.iter().find(|d| d.0 == id) {
                if id != "2.11" || regressed {
                    return daemon_check(d);
                }
            }
            if regressed && id == "5.7" {
                let spec = (
                    "5.7",
                    10,
                    "runs sshd",
                    "process /usr/sbin/sshd -D",
                    "no sshd in the container",
                    "Remove sshd from {}; use docker exec to debug",
                );
                return container_check(&spec, &list, day);
            }
            match id {
                "1.1.3" | "1.1.4" | "1.1.5" | "1.1.6" | "1.1.7" | "1.1.8" | "1.1.9" | "1.1.10" => audit_rule_check(id),
                "4.1" => image_check(id, images, 700, "runs as root", "Config.User = \"\"", "a non-root USER"),
                "4.6" => image_check(
                    id,
                    images,
                    800,
                    "has no HEALTHCHECK",
                    "Config.Healthcheck = none",
                    "a HEALTHCHECK instruction",
                ),
                "4.7" => image_check(
                    id,
                    images,
                    200,
                    "runs `apt-get update` alone",
                    "RUN apt-get update",
                    "update and install in one RUN",
                ),
                "4.9" => image_check(id, images, 300, "uses ADD", "ADD file:… in the history", "COPY"),
                "5.9" => ports_check(&list),
                "5.18" => review_check(id, &list, 300, "has a host device", "/dev/fuse → /dev/fuse (rwm)"),
                "5.19" => review_check(id, &list, 600, "overrides a ulimit", "nofile=1024:2048"),
                _ if meta.section == "7" => {
                    CheckResult::for_id(id, Status::NotApplicable, "Swarm mode is not active on this node.")
                }
                _ => match meta.evaluation {
                    Evaluation::Automatic => CheckResult::for_id(id, Status::Pass, "Meets the recommendation."),
                    Evaluation::Review => CheckResult::for_id(id, Status::Manual, "A person must review this."),
                },
            }
        })
        .collect();
    let started_at = format!("2026-03-{:02}T06:00:00Z", 9 + day);
    // Built through JSON so fields other engineers add to `Report` (all optional) need no change here.
    let value = json!({
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "dockaudit", "version": env!("CARGO_PKG_VERSION")},
        "benchmark": {"id": catalog::BENCHMARK_ID, "version": catalog::BENCHMARK_VERSION},
        "run": {
            "id": format!("bench-{n}-day-{day}"),
            "started_at": started_at,
            "finished_at": started_at,
            "duration_ms": 900 + n,
            "command_line": ["dockaudit", "scan", "--json-out", "report.json"],
            "selection": {},
        },
        "host": {
            "hostname": format!("node-{n}"),
            "os": "Debian GNU/Linux 12 (bookworm)",
            "kernel": "6.1.0-28-amd64",
            "architecture": "x86_64",
            "docker": {
                "server_version": "20.10.24+dfsg1",
                "api_version": "1.41",
                "root_dir": "/var/lib/docker",
                "storage_driver": "overlay2",
                "logging_driver": "json-file",
                "cgroup_driver": "systemd",
                "cgroup_version": "2",
                "security_options": ["name=seccomp,profile=builtin", "name=cgroupns"],
                "rootless": false,
                "swarm_state": "inactive",
            },
        },
        "results": results,
        "summary": Summary::compute(&results),
        "errors": [],
    });
    serde_json::from_value(value)
}

fn container_check(spec: &(&str, u32, &str, &str, &str, &str), list: &[usize], day: u32) -> CheckResult {
    let (id, share, what, observed, expected, fix) = *spec;
    let findings: Vec<Finding> = list
        .iter()
        .filter(|&&i| {
            let name = container_name(i);
            // Mostly the same offenders from day to day; about 2 % change.
            let base = per_mille(hash_str(&name, hash_str(id, 1)), share);
            let flip = day > 1 && per_mille(hash_str(&name, hash_str(id, 2)), 20);
            base != flip
        })
        .map(|&i| {
            let name = container_name(i);
            Finding {
                target: Target::new(TargetKind::Container, hex_id(i as u64), name.clone()),
                message: format!("\"{name}\" {what}"),
                observed: observed.into(),
                expected: expected.into(),
                remediation: fix.replace("{}", &name),
            }
        })
        .collect();
    let status = if findings.is_empty() {
        Status::Pass
    } else if id == "5.25" {
        Status::Warn
    } else {
        Status::Fail
    };
    let summary = format!("{} of {} containers: {what}.", findings.len(), list.len());
    let mut r = CheckResult::for_id(id, status, summary);
    r.findings = findings;
    r
}

fn daemon_check(d: &(&str, &str, &str, &str)) -> CheckResult {
    let (id, observed, expected, fix) = *d;
    let mut r = CheckResult::for_id(id, Status::Fail, format!("The daemon is configured with {observed}."));
    r.findings = vec![Finding {
        target: Target::new(TargetKind::Daemon, "daemon", "Docker daemon"),
        message: format!("daemon: {observed}"),
        observed: observed.into(),
        expected: expected.into(),
        remediation: fix.into(),
    }];
    r
}

fn audit_rule_check(id: &str) -> CheckResult {
    let path = match id {
        "1.1.3" => "/usr/bin/dockerd",
        "1.1.4" => "/run/containerd",
        "1.1.5" => "/var/lib/docker",
        "1.1.6" => "/etc/docker",
        "1.1.7" => "/lib/systemd/system/docker.service",
        "1.1.8" => "/lib/systemd/system/docker.socket",
        "1.1.9" => "/etc/default/docker",
        _ => "/etc/docker/daemon.json",
    };
    let mut r = CheckResult::for_id(id, Status::Fail, format!("No audit rule watches {path}."));
    r.findings = vec![Finding {
        target: Target::new(TargetKind::File, path, path),
        message: format!("{path} is not audited"),
        observed: "no matching rule in auditctl -l or /etc/audit/rules.d".into(),
        expected: format!("-w {path} -k docker"),
        remediation: format!("Add `-w {path} -k docker` to /etc/audit/rules.d/docker.rules and reload auditd"),
    }];
    r
}

fn image_check(id: &str, images: usize, share: u32, what: &str, observed: &str, expected: &str) -> CheckResult {
    let findings: Vec<Finding> = (0..images)
        .filter(|&k| per_mille(mix(k as u64 ^ hash_str(id, 3)), share))
        .map(|k| {
            let tag = format!(
                "registry.example.com/{}/{}:1.{}",
                ROLES[k % ROLES.len()],
                ROLES[(k / 8) % ROLES.len()],
                k
            );
            Finding {
                target: Target::new(
                    TargetKind::Image,
                    format!("sha256:{}", hex_id(k as u64 + 1_000_000)),
                    tag.clone(),
                ),
                message: format!("{tag} {what}"),
                observed: observed.into(),
                expected: expected.into(),
                remediation: format!("Rebuild {tag} with {expected}"),
            }
        })
        .collect();
    let status = if findings.is_empty() {
        Status::Pass
    } else {
        Status::Fail
    };
    let summary = format!("{} of {images} images: {what}.", findings.len());
    let mut r = CheckResult::for_id(id, status, summary);
    r.findings = findings;
    r
}

fn ports_check(list: &[usize]) -> CheckResult {
    let findings: Vec<Finding> = list
        .iter()
        .filter(|&&i| i % 5 != 0)
        .map(|&i| {
            let name = container_name(i);
            Finding {
                target: Target::new(TargetKind::Container, hex_id(i as u64), name.clone()),
                message: format!("\"{name}\" publishes 1 port"),
                observed: format!("0.0.0.0:{} → 8080/tcp", 30_000 + i),
                expected: "only the ports the service needs".into(),
                remediation: format!("Confirm that {name} needs this port; remove the -p option otherwise"),
            }
        })
        .collect();
    let summary = format!("{} containers publish ports; confirm each is needed.", findings.len());
    let mut r = CheckResult::for_id("5.9", Status::Manual, summary);
    r.findings = findings;
    r
}

/// A review check listing, for a share of the containers, the fact a person has to judge.
fn review_check(id: &str, list: &[usize], share: u32, what: &str, observed: &str) -> CheckResult {
    let findings: Vec<Finding> = list
        .iter()
        .filter(|&&i| per_mille(hash_str(&container_name(i), hash_str(id, 1)), share))
        .map(|&i| {
            let name = container_name(i);
            Finding {
                target: Target::new(TargetKind::Container, hex_id(i as u64), name.clone()),
                message: format!("\"{name}\" {what}"),
                observed: observed.into(),
                expected: "confirmed as needed".into(),
                remediation: format!("Confirm that {name} needs this; re-create it without it otherwise"),
            }
        })
        .collect();
    let summary = format!("{} containers: {what}; confirm each is needed.", findings.len());
    let mut r = CheckResult::for_id(id, Status::Manual, summary);
    r.findings = findings;
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_reports_are_large_realistic_and_differ_by_day() {
        let a = host_report(200, 1).unwrap();
        let b = host_report(200, 2).unwrap();
        assert_eq!(a.results.len(), catalog::all().count());
        let failing = a.results.iter().filter(|r| r.status == Status::Fail).count();
        assert!((25..=45).contains(&failing), "{failing} failing checks");
        let memory = a.result("5.11").unwrap();
        assert!(memory.findings.len() > 150, "{}", memory.findings.len());
        assert!(memory.findings[0].remediation.contains(&memory.findings[0].target.name));
        // Day 2: fixes, regressions, containers gone and new.
        assert_eq!(b.result("5.31").unwrap().status, Status::Pass);
        assert_eq!(a.result("2.11").unwrap().status, Status::Pass);
        assert_eq!(b.result("2.11").unwrap().status, Status::Fail);
        assert!(containers(200, 2).contains(&200));
        assert!(containers(200, 2).len() != 200 || containers(200, 2) != containers(200, 1));
        // Same input, same report: the benchmark measures the same thing every run.
        assert_eq!(host_report(200, 1).unwrap(), a);
        let (text, digest) = crate::digest::seal(&a).unwrap();
        assert!(text.contains(&digest));
    }

    #[test]
    fn mixes_deterministically() {
        assert_eq!(mix(1), mix(1));
        assert_ne!(mix(1), mix(2));
        assert_eq!(container_name(9), "api-0009");
        assert_eq!(hex_id(7).len(), 64);
    }
}
