//! Which dockerd serves the endpoint dockaudit is connected to.
//!
//! A host may run several daemons: a rootful system daemon, per-user rootless daemons, more
//! rootful daemons with their own sockets. Every host-side daemon fact (command line, config
//! file, data root, sockets) must describe the daemon whose containers are audited, so the
//! process is bound to the endpoint by evidence, strongest first:
//!
//! 1. the endpoint's socket inode (`/proc/<pid>/net/unix`, or `net/tcp` for a `tcp://` port)
//!    held open by exactly one dockerd (`/proc/<pid>/fd`);
//! 2. else exactly one dockerd configured to listen there (`-H`, `hosts` in its config file,
//!    `fd://` through `docker.socket`, or the default socket: `/var/run/docker.sock`, or
//!    `$XDG_RUNTIME_DIR/docker.sock` when rootless);
//!
//! then confirmed against `GET /info` (`DockerRootDir` against its data root, rootless mode
//! against how it runs). When no process is bound with confidence, the fact is `Unavailable`
//! with the reason: another daemon's facts are never used in its place.

use std::collections::BTreeSet;

use super::daemon_json;
use super::etc::Accounts;
use super::proc;
use super::root::{join, normalize, HostRoot};
use crate::interpret::daemon_config::parse_flags;
use crate::interpret::host_paths::{DEFAULT_DAEMON_JSON, DEFAULT_SOCKET};
use crate::snapshot::{DaemonBinding, DaemonProcess, Fact, Info, SystemdUnits};

/// Rootful dockerd's default data root.
const DEFAULT_DATA_ROOT: &str = "/var/lib/docker";

/// The audited daemon and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audited {
    pub dockerd: Fact<Option<DaemonProcess>>,
    pub binding: DaemonBinding,
    /// The rootless daemon's `$XDG_CONFIG_HOME` and `$XDG_RUNTIME_DIR` (for its user units).
    pub user_dirs: Option<(String, String)>,
}

/// What the endpoint names on this host.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Endpoint {
    /// A unix socket, as a host path with symlinks resolved.
    Unix(String),
    Tcp(u16),
    Other,
}

/// A dockerd process with what it is configured to serve.
#[derive(Debug, Clone)]
struct Described {
    process: DaemonProcess,
    /// Where its unix sockets were declared (for evidence).
    sockets_from: String,
    tcp_ports: Vec<u16>,
    user_dirs: Option<(String, String)>,
}

/// Binds the endpoint to one of the host's dockerd processes.
pub fn bind(
    fs: &HostRoot,
    accounts: &Accounts,
    endpoint: &str,
    info: Option<&Info>,
    system_units: &Fact<SystemdUnits>,
) -> Audited {
    let target = parse_endpoint(fs, endpoint);
    let mut binding = DaemonBinding {
        socket: match &target {
            Endpoint::Unix(p) => Some(p.clone()),
            _ => None,
        },
        ..DaemonBinding::default()
    };
    let processes = match proc::dockerds(fs) {
        Fact::Ok(p) => p,
        Fact::Unavailable(u) => {
            return Audited {
                dockerd: Fact::Unavailable(u),
                binding,
                user_dirs: None,
            }
        }
    };
    if processes.is_empty() {
        return Audited {
            dockerd: Fact::Ok(None),
            binding,
            user_dirs: None,
        };
    }
    let mut described: Vec<Described> = processes
        .into_iter()
        .map(|p| describe(fs, accounts, p, system_units))
        .collect();
    let by_socket = by_inode(fs, &target, &described);
    let via_inode = by_socket.is_some();
    let chosen = by_socket.unwrap_or_else(|| by_declaration(&target, &described));
    let unbound = |reason: String, described: Vec<Described>, mut binding: DaemonBinding| {
        binding.others = described.into_iter().map(|d| d.process).collect();
        binding.unidentified = Some(reason.clone());
        Audited {
            dockerd: Fact::unavailable(format!("the dockerd process serving {endpoint}"), reason),
            binding,
            user_dirs: None,
        }
    };
    let (index, mut evidence) = match chosen {
        Ok(found) => found,
        Err(reason) => return unbound(reason, described, binding),
    };
    let audited = described.remove(index);
    // Cross-check: the configuration names the socket too (not the case for sockets handed over
    // by systemd without a docker.socket unit, or created by a wrapper).
    if let (Endpoint::Unix(path), true) = (&target, via_inode) {
        evidence.push(if audited.process.sockets.contains(path) {
            format!("its configuration names {path} too (from {})", audited.sockets_from)
        } else {
            format!(
                "its configuration ({}) does not name {path}; the socket inode decides",
                audited.sockets_from
            )
        });
    }
    match confirm(fs, &audited.process, info) {
        Ok(confirmed) => evidence.extend(confirmed),
        Err(reason) => {
            described.insert(index, audited);
            return unbound(reason, described, binding);
        }
    }
    binding.evidence = evidence;
    binding.others = described.into_iter().map(|d| d.process).collect();
    Audited {
        user_dirs: audited.user_dirs.filter(|_| audited.process.rootless),
        dockerd: Fact::Ok(Some(audited.process)),
        binding,
    }
}

fn parse_endpoint(fs: &HostRoot, endpoint: &str) -> Endpoint {
    if let Some(path) = endpoint.strip_prefix("unix://") {
        return Endpoint::Unix(host_path(fs, path));
    }
    if let Some(rest) = endpoint.strip_prefix("tcp://") {
        let authority = rest.split('/').next().unwrap_or(rest);
        if let Some(port) = authority.rsplit_once(':').and_then(|(_, p)| p.parse().ok()) {
            return Endpoint::Tcp(port);
        }
    }
    Endpoint::Other
}

/// A host path with symlinks resolved within the host root (`/var/run/x` → `/run/x`).
fn host_path(fs: &HostRoot, path: &str) -> String {
    fs.resolve(path, true).unwrap_or_else(|_| normalize(path))
}

/// Reads what a dockerd process is configured to do: its user, whether it is rootless, its
/// config file, data root and sockets.
fn describe(fs: &HostRoot, accounts: &Accounts, mut p: DaemonProcess, system_units: &Fact<SystemdUnits>) -> Described {
    let flags = parse_flags(p.args.get(1..).unwrap_or_default());
    let flag = |name: &str| flags.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let flag_values = |name: &str| -> Vec<String> {
        flags
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let env = proc::placement_env(fs, p.pid);
    let var = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    p.user = p.uid.and_then(|u| accounts.user(u));
    p.home = var("HOME").or_else(|| p.uid.and_then(|u| accounts.home(u)));
    p.rootless =
        p.uid.is_some_and(|u| u != 0) || flag("rootless").is_some_and(|v| v != "false") || under_rootlesskit(fs, p.pid);

    if p.rootless {
        p.mapped_gids = proc::gid_ranges(fs, p.pid);
    }
    let user_dirs = match (&p.home, p.uid) {
        (home, Some(uid)) if p.rootless => {
            let config_home = var("XDG_CONFIG_HOME").or_else(|| home.as_ref().map(|h| join(h, ".config")));
            let runtime = var("XDG_RUNTIME_DIR").unwrap_or_else(|| format!("/run/user/{uid}"));
            config_home.map(|c| (c, runtime))
        }
        _ => None,
    };
    p.config_file = flag("config-file").or_else(|| {
        if p.rootless {
            user_dirs.as_ref().map(|(config, _)| join(config, "docker/daemon.json"))
        } else {
            Some(DEFAULT_DAEMON_JSON.to_string())
        }
    });
    let json = p
        .config_file
        .as_deref()
        .and_then(|path| daemon_json::read(fs, path).ok().cloned().flatten())
        .map(|j| j.content);
    let json_strings = |key: &str| -> Vec<String> {
        match json.as_ref().and_then(|j| j.get(key)) {
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            Some(serde_json::Value::Array(items)) => {
                items.iter().filter_map(|v| v.as_str().map(String::from)).collect()
            }
            _ => Vec::new(),
        }
    };

    let data_root = flag("data-root")
        .or_else(|| flag("graph"))
        .or_else(|| json_strings("data-root").pop())
        .or_else(|| json_strings("graph").pop());
    p.data_root = data_root.or_else(|| {
        if p.rootless {
            var("XDG_DATA_HOME")
                .map(|d| join(&d, "docker"))
                .or_else(|| p.home.as_ref().map(|h| join(h, ".local/share/docker")))
        } else {
            Some(DEFAULT_DATA_ROOT.to_string())
        }
    });

    let (hosts, sockets_from) = match (flag_values("host"), json_strings("hosts")) {
        (h, _) if !h.is_empty() => (h, "its -H/--host flags".to_string()),
        (_, h) if !h.is_empty() => (
            h,
            format!(
                "\"hosts\" in {}",
                p.config_file.as_deref().unwrap_or("its configuration")
            ),
        ),
        _ if p.rootless => (
            vec![format!(
                "unix://{}",
                join(
                    &user_dirs.as_ref().map_or_else(
                        || format!("/run/user/{}", p.uid.unwrap_or_default()),
                        |(_, r)| r.clone()
                    ),
                    "docker.sock"
                )
            )],
            "the rootless default ($XDG_RUNTIME_DIR/docker.sock)".to_string(),
        ),
        _ => (
            vec![format!("unix://{DEFAULT_SOCKET}")],
            "the default (no -H flag or \"hosts\")".to_string(),
        ),
    };
    let mut tcp_ports = Vec::new();
    for h in &hosts {
        if let Some(path) = h.strip_prefix("unix://") {
            let path = if path.is_empty() { DEFAULT_SOCKET } else { path };
            p.sockets.push(host_path(fs, path));
        } else if h.starts_with("fd://") {
            if let Fact::Ok(units) = system_units {
                for l in units.socket_listen.iter().filter(|l| l.starts_with('/')) {
                    p.sockets.push(host_path(fs, l));
                }
            }
        } else if let Some(rest) = h.strip_prefix("tcp://") {
            if let Some(port) = rest
                .rsplit_once(':')
                .and_then(|(_, p)| p.trim_end_matches('/').parse().ok())
            {
                tcp_ports.push(port);
            }
        }
    }
    let mut seen = BTreeSet::new();
    p.sockets.retain(|s| seen.insert(s.clone()));
    Described {
        process: p,
        sockets_from,
        tcp_ports,
        user_dirs,
    }
}

/// Whether a process descends from rootlesskit (how `dockerd-rootless.sh` runs dockerd).
fn under_rootlesskit(fs: &HostRoot, pid: u32) -> bool {
    let mut current = pid;
    for _ in 0..8 {
        match proc::parent_and_name(fs, current) {
            Some((_, name)) if name == "rootlesskit" || name == "docker-rootlesskit" => return true,
            Some((ppid, _)) if ppid > 1 && ppid != current => current = ppid,
            _ => return false,
        }
    }
    false
}

/// The process holding the endpoint's listening socket open. `None` when the socket tables or
/// fd tables do not tell (e.g. not readable as this user); `Some(Err)` when several hold it.
fn by_inode(fs: &HostRoot, target: &Endpoint, described: &[Described]) -> Option<Result<(usize, Vec<String>), String>> {
    let mut inodes = BTreeSet::new();
    for d in described {
        match target {
            Endpoint::Unix(path) => {
                for (inode, bound) in proc::unix_listeners(fs, d.process.pid) {
                    if host_path(fs, &bound) == *path {
                        inodes.insert(inode);
                    }
                }
            }
            Endpoint::Tcp(port) => inodes.extend(proc::tcp_listeners(fs, d.process.pid, *port)),
            Endpoint::Other => return None,
        }
    }
    if inodes.is_empty() {
        return None;
    }
    let holders: Vec<(usize, u64)> = described
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let held = proc::socket_inodes(fs, d.process.pid).ok()?;
            held.iter().find(|n| inodes.contains(n)).map(|n| (i, *n))
        })
        .collect();
    let what = match target {
        Endpoint::Unix(path) => format!("the socket {path}"),
        Endpoint::Tcp(port) => format!("TCP port {port}"),
        Endpoint::Other => String::new(),
    };
    match holders.as_slice() {
        [] => None,
        [(i, inode)] => {
            let pid = described[*i].process.pid;
            Some(Ok((
                *i,
                vec![format!(
                    "{what} (listening socket inode {inode}) is held open by dockerd PID {pid} (/proc/{pid}/fd)"
                )],
            )))
        }
        many => Some(Err(format!(
            "{what} is held open by {} dockerd processes (PIDs {})",
            many.len(),
            pids(many.iter().map(|(i, _)| &described[*i]))
        ))),
    }
}

/// The one dockerd configured to listen on the endpoint.
fn by_declaration(target: &Endpoint, described: &[Described]) -> Result<(usize, Vec<String>), String> {
    let serves = |d: &Described| match target {
        Endpoint::Unix(path) => d.process.sockets.contains(path),
        Endpoint::Tcp(port) => d.tcp_ports.contains(port),
        Endpoint::Other => false,
    };
    let what = match target {
        Endpoint::Unix(path) => format!("the socket {path}"),
        Endpoint::Tcp(port) => format!("TCP port {port}"),
        Endpoint::Other => "the endpoint".to_string(),
    };
    let matching: Vec<usize> = (0..described.len()).filter(|i| serves(&described[*i])).collect();
    match matching.as_slice() {
        [i] => {
            let d = &described[*i];
            Ok((
                *i,
                vec![format!(
                    "dockerd PID {} is the only dockerd configured to listen on {what} (from {}); its socket \
                     inode could not be matched through /proc",
                    d.process.pid, d.sockets_from
                )],
            ))
        }
        [] => Err(format!(
            "none of the {} dockerd processes found is known to serve {what} ({}), and no socket inode tied one \
             to it (their /proc/<pid>/fd may be unreadable as this user)",
            described.len(),
            described
                .iter()
                .map(|d| format!(
                    "PID {} listens on {}",
                    d.process.pid,
                    if d.process.sockets.is_empty() {
                        "no unix socket".to_string()
                    } else {
                        d.process.sockets.join(", ")
                    }
                ))
                .collect::<Vec<_>>()
                .join("; ")
        )),
        many => Err(format!(
            "{} dockerd processes (PIDs {}) are configured to listen on {what} and no socket inode tells them apart",
            many.len(),
            pids(many.iter().map(|i| &described[*i]))
        )),
    }
}

fn pids<'a>(ds: impl Iterator<Item = &'a Described>) -> String {
    ds.map(|d| d.process.pid.to_string()).collect::<Vec<_>>().join(", ")
}

/// Cross-checks the bound process against what the daemon itself reports (`GET /info`).
fn confirm(fs: &HostRoot, p: &DaemonProcess, info: Option<&Info>) -> Result<Vec<String>, String> {
    let Some(info) = info else {
        return Ok(vec!["not confirmed against GET /info (unavailable)".into()]);
    };
    let mut out = Vec::new();
    let api_rootless = info.has_security_option("rootless");
    if api_rootless != p.rootless {
        return Err(format!(
            "dockerd PID {} {} but GET /info {} (name=rootless in SecurityOptions)",
            p.pid,
            if p.rootless { "runs rootless" } else { "runs as root" },
            if api_rootless {
                "reports a rootless daemon"
            } else {
                "reports a rootful daemon"
            }
        ));
    }
    out.push(format!(
        "GET /info agrees that the daemon is {}",
        if api_rootless { "rootless" } else { "rootful" }
    ));
    if let (Some(reported), Some(configured)) = (info.docker_root_dir.as_deref(), p.data_root.as_deref()) {
        let reported_path = host_path(fs, reported);
        let configured_path = host_path(fs, configured);
        // Under userns-remap the daemon reports `<data-root>/<uid>.<gid>`.
        let remapped = reported_path
            .rsplit_once('/')
            .is_some_and(|(parent, _)| parent == configured_path && info.has_security_option("userns"));
        if reported_path != configured_path && !remapped {
            return Err(format!(
                "dockerd PID {} has data root {configured} but GET /info reports DockerRootDir {reported}",
                p.pid
            ));
        }
        out.push(format!(
            "GET /info DockerRootDir {reported} matches its data root {configured}"
        ));
    }
    Ok(out)
}
