//! What the hardened container keeps of the current one (image, command, environment names,
//! ports, mounts), what it leaves out and why, and the identity flags (`--user`,
//! no-new-privileges).

use dockaudit_shared::hardening::{Flag, MountSpec, Removal, RunSpec, UserChoice};

use crate::snapshot::{Container, Fact, Mount, ProcessPrivileges, Workload};

/// Sockets that give control of a container engine (root on the host).
const ENGINE_SOCKETS: &[&str] = &["docker.sock", "containerd.sock", "crio.sock", "podman.sock"];

/// Whether a mount exposes a container engine's socket.
pub fn is_engine_socket(m: &Mount) -> bool {
    [&m.source, &m.destination]
        .iter()
        .any(|p| ENGINE_SOCKETS.iter().any(|s| p.ends_with(&format!("/{s}"))))
}

/// The parts of the current configuration the hardened container keeps. Environment variables
/// the image itself sets (`image_env`) are left to the image: `-e NAME` would replace them with
/// the caller's value.
pub fn spec(c: &Container, image_env: &[String]) -> RunSpec {
    let mut publish: Vec<String> = Vec::new();
    let has_v4 = |port: &str, hp: &str| {
        c.host_config
            .port_bindings
            .iter()
            .any(|b| b.container_port == port && b.host_port == hp && matches!(b.host_ip.as_str(), "" | "0.0.0.0"))
    };
    for b in &c.host_config.port_bindings {
        // Docker lists `-p 80:80` once per address family; the IPv6 twin is implied.
        if b.host_ip == "::" && has_v4(&b.container_port, &b.host_port) {
            continue;
        }
        let value = match (b.host_ip.as_str(), b.host_port.as_str()) {
            (_, "") => b.container_port.clone(),
            ("" | "0.0.0.0", hp) => format!("{hp}:{}", b.container_port),
            (ip, hp) if ip.contains(':') => format!("[{ip}]:{hp}:{}", b.container_port),
            (ip, hp) => format!("{ip}:{hp}:{}", b.container_port),
        };
        if !publish.contains(&value) {
            publish.push(value);
        }
    }
    let mut mounts: Vec<MountSpec> = c
        .mounts
        .iter()
        .filter(|m| !is_engine_socket(m))
        .map(|m| MountSpec {
            kind: m.kind.clone(),
            source: match (m.kind.as_str(), &m.name) {
                ("volume", Some(name)) => name.clone(),
                ("tmpfs", _) => String::new(),
                _ => m.source.clone(),
            },
            target: m.destination.clone(),
            read_only: !m.rw,
        })
        .collect();
    for path in c.host_config.tmpfs.keys() {
        mounts.push(MountSpec {
            kind: "tmpfs".into(),
            source: String::new(),
            target: path.clone(),
            read_only: false,
        });
    }
    let network = match c.host_config.network_mode.as_str() {
        "" | "default" | "bridge" | "host" => None,
        other => Some(other.to_string()),
    };
    let restart = match c.host_config.restart_policy.name.as_str() {
        "" | "no" => None,
        "on-failure" if c.host_config.restart_policy.maximum_retry_count > 0 => Some(format!(
            "on-failure:{}",
            c.host_config.restart_policy.maximum_retry_count
        )),
        other => Some(other.to_string()),
    };
    RunSpec {
        image: c.image.clone(),
        entrypoint: c.entrypoint.clone(),
        command: c.cmd.clone(),
        env_names: c.env_names.iter().filter(|n| !image_env.contains(n)).cloned().collect(),
        publish,
        mounts,
        devices: c
            .host_config
            .devices
            .iter()
            .map(|d| {
                let mut v = format!("{}:{}", d.path_on_host, d.path_in_container);
                if !d.cgroup_permissions.is_empty() && d.cgroup_permissions != "rwm" {
                    v.push(':');
                    v.push_str(&d.cgroup_permissions);
                }
                v
            })
            .collect(),
        network,
        restart,
    }
}

/// Settings of the current container that the proposal leaves out, each with its reason.
pub fn removals(c: &Container, ports: &[u16]) -> Vec<Removal> {
    let h = &c.host_config;
    let mut out = Vec::new();
    let mut remove = |setting: String, reason: String| out.push(Removal { setting, reason });
    if h.privileged {
        remove(
            "--privileged".into(),
            "it grants every capability and every host device; the capabilities above are the ones its processes were seen to need".into(),
        );
    }
    if h.network_mode == "host" {
        let listening = if ports.is_empty() {
            "it listens on no TCP port".to_string()
        } else {
            format!(
                "publish the TCP port(s) it listens on instead ({})",
                ports.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
            )
        };
        remove(
            "--network host".into(),
            format!("it shares the host's network stack and every host port; {listening}"),
        );
    }
    for (flag, mode) in [
        ("--pid", &h.pid_mode),
        ("--ipc", &h.ipc_mode),
        ("--uts", &h.uts_mode),
        ("--userns", &h.userns_mode),
    ] {
        if mode == "host" {
            remove(
                format!("{flag} host"),
                format!("it shares the host's {} namespace", &flag[2..]),
            );
        }
    }
    for m in c.mounts.iter().filter(|m| is_engine_socket(m)) {
        remove(
            format!("-v {}:{}", m.source, m.destination),
            "a container engine's socket gives full control of the engine, i.e. root on the host".into(),
        );
    }
    for opt in &h.security_opt {
        let o = opt.replace(':', "=");
        if matches!(
            o.as_str(),
            "seccomp=unconfined" | "apparmor=unconfined" | "label=disable"
        ) {
            remove(
                format!("--security-opt {opt}"),
                "it turns off a confinement Docker applies by default".into(),
            );
        }
    }
    if h.cap_add.iter().any(|c| c.eq_ignore_ascii_case("all")) {
        remove(
            "--cap-add ALL".into(),
            "every capability is granted; the list above is what was observed in use".into(),
        );
    }
    out
}

/// `--security-opt no-new-privileges`, unless a process runs a setuid or setgid executable (or
/// shows it did: real and effective ids differ), or that cannot be known.
pub fn no_new_privileges(w: &Workload, c: &Container) -> Flag {
    if c.host_config.security_opt.iter().any(|o| {
        let o = o.replace(':', "=");
        o == "no-new-privileges" || o == "no-new-privileges=true"
    }) {
        return Flag {
            enabled: true,
            reason: "already set".into(),
        };
    }
    let ps = match &w.processes {
        Fact::Ok(ps) if !ps.is_empty() => ps,
        Fact::Ok(_) => {
            return Flag {
                enabled: false,
                reason: "no process was seen, so whether a setuid executable is in use is unknown".into(),
            }
        }
        Fact::Unavailable(u) => {
            return Flag {
                enabled: false,
                reason: format!("whether a setuid executable is in use is unknown: {u}"),
            }
        }
    };
    if let Some(p) = ps.iter().find(|p| p.exe.as_ref().is_some_and(|e| e.is_setid())) {
        let exe = p.exe.as_ref().map(|e| e.path.as_str()).unwrap_or_default();
        return Flag {
            enabled: false,
            reason: format!("pid {} runs the setuid/setgid executable {exe}, which no-new-privileges would stop from gaining its owner's privileges", p.pid),
        };
    }
    if let Some(p) = ps.iter().find(|p| p.uids[0] != p.uids[1] || p.gids[0] != p.gids[1]) {
        return Flag {
            enabled: false,
            reason: format!(
                "pid {} ({}) has real uid/gid {}/{} but effective {}/{}: it gained them from a setuid/setgid executable",
                p.pid, p.name, p.uids[0], p.gids[0], p.uids[1], p.gids[1]
            ),
        };
    }
    let exes = ps.iter().filter(|p| p.exe.is_some()).count();
    let note = if exes < ps.len() {
        format!(" ({} of {} executables could be examined)", exes, ps.len())
    } else {
        String::new()
    };
    Flag {
        enabled: true,
        reason: format!("no process runs a setuid or setgid executable{note}"),
    }
}

/// A non-root `--user` when every process already runs as one non-root uid and gid.
pub fn user(w: &Workload, c: &Container) -> UserChoice {
    let ps: &[ProcessPrivileges] = match &w.processes {
        Fact::Ok(ps) if !ps.is_empty() => ps,
        Fact::Ok(_) => {
            return UserChoice {
                user: None,
                reason: "no process was seen".into(),
            }
        }
        Fact::Unavailable(u) => {
            return UserChoice {
                user: None,
                reason: format!("the processes' users are unknown: {u}"),
            }
        }
    };
    if let Some(root) = ps.iter().find(|p| p.uids.contains(&0)) {
        let others: Vec<String> = ps
            .iter()
            .filter(|p| !p.uids.contains(&0))
            .map(|p| p.uids[1].to_string())
            .collect();
        let reason = if others.is_empty() {
            format!(
                "pid {} ({}) runs as root; whether the service works as another user cannot be observed (try --user with the trial)",
                root.pid, root.name
            )
        } else {
            format!(
                "pid {} ({}) runs as root and starts processes as uid {}: it needs root to switch",
                root.pid,
                root.name,
                others.join(", ")
            )
        };
        return UserChoice { user: None, reason };
    }
    let uid = ps[0].uids[1];
    let gid = ps[0].gids[1];
    if ps
        .iter()
        .any(|p| p.uids.iter().any(|u| *u != uid) || p.gids.iter().any(|g| *g != gid))
    {
        return UserChoice {
            user: None,
            reason: "its processes run under several non-root users".into(),
        };
    }
    let value = format!("{uid}:{gid}");
    let reason = match c.user.as_deref() {
        Some(u) if !super::caps::starts_as_root(Some(u)) => {
            format!("every process runs as uid {uid}, gid {gid} (configured user {u})")
        }
        _ => format!(
            "every process runs as uid {uid}, gid {gid}, though the container starts as root: starting as that user makes the switch unnecessary"
        ),
    };
    UserChoice {
        user: Some(value),
        reason,
    }
}
