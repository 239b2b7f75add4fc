//! Which host paths the benchmark cares about, derived from other facts.
//!
//! Gathering calls [`HostPaths::resolve`] to know what to `stat`; checks call it again to find
//! the path a recommendation names. Both sides therefore agree on every path by construction.

use super::daemon_config::{DaemonConfig, Lookup};
use crate::snapshot::{HostFacts, Info};

/// Directories searched for Docker's binaries when the running process does not tell.
pub const BINARY_DIRS: &[&str] = &[
    "/usr/bin",
    "/usr/sbin",
    "/usr/local/bin",
    "/usr/local/sbin",
    "/bin",
    "/sbin",
];

/// Default daemon.json location for rootful daemons.
pub const DEFAULT_DAEMON_JSON: &str = "/etc/docker/daemon.json";

/// Default Docker socket.
pub const DEFAULT_SOCKET: &str = "/var/run/docker.sock";

/// Host paths named by the benchmark. Each entry lists candidates in preference order; the first
/// one that exists is the one audited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostPaths {
    pub dockerd: Vec<String>,
    pub run_containerd: Vec<String>,
    pub docker_root: Vec<String>,
    pub etc_docker: Vec<String>,
    pub docker_service: Vec<String>,
    pub containerd_sockets: Vec<String>,
    pub docker_socket_unit: Vec<String>,
    pub etc_default_docker: Vec<String>,
    pub daemon_json: Vec<String>,
    pub containerd_config: Vec<String>,
    pub etc_sysconfig_docker: Vec<String>,
    pub containerd: Vec<String>,
    pub containerd_shim: Vec<String>,
    pub containerd_shim_runc_v1: Vec<String>,
    pub containerd_shim_runc_v2: Vec<String>,
    pub runc: Vec<String>,
    pub tls_ca: Vec<String>,
    pub tls_cert: Vec<String>,
    pub tls_key: Vec<String>,
    /// Unix sockets of the audited daemon: the endpoint's, then the others it listens on.
    pub docker_sockets: Vec<String>,
    /// Whether the audited daemon is rootless (`GET /info`, else how its process runs).
    pub rootless: bool,
    /// The audited daemon's user, when its process is known.
    pub daemon_user: Option<DaemonUser>,
    /// Why the audited daemon's process is not known, when it could not be bound to the endpoint
    /// (checks that need it are `error` with this reason).
    pub unbound: Option<String>,
}

/// The user a daemon runs as (a rootless daemon's files and socket belong to it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DaemonUser {
    pub uid: u32,
    pub gid: Option<u32>,
    pub name: Option<String>,
    /// Host gid ranges `(first, count)` mapped into its user namespace (rootless).
    pub mapped_gids: Vec<(u32, u32)>,
}

impl DaemonUser {
    /// Whether a host gid is the user's own or one mapped into its user namespace (its
    /// subordinate gids), i.e. a group no other account of the host holds.
    pub fn owns_gid(&self, gid: u32) -> bool {
        self.gid == Some(gid)
            || self
                .mapped_gids
                .iter()
                .any(|(first, count)| gid >= *first && u64::from(gid) < u64::from(*first) + u64::from(*count))
    }

    /// `alice (uid 1000)` or `uid 1000`.
    pub fn describe(&self) -> String {
        match &self.name {
            Some(n) => format!("{n} (uid {})", self.uid),
            None => format!("uid {}", self.uid),
        }
    }
}

fn binary(name: &str) -> Vec<String> {
    BINARY_DIRS.iter().map(|d| format!("{d}/{name}")).collect()
}

impl HostPaths {
    /// Derives every path from the daemon's info, its configuration and the host facts so far.
    pub fn resolve(info: Option<&Info>, host: &HostFacts, daemon: &DaemonConfig) -> Self {
        let mut p = HostPaths {
            run_containerd: vec!["/run/containerd".into()],
            etc_docker: vec!["/etc/docker".into()],
            etc_default_docker: vec!["/etc/default/docker".into()],
            containerd_config: vec!["/etc/containerd/config.toml".into()],
            etc_sysconfig_docker: vec!["/etc/sysconfig/docker".into()],
            containerd: binary("containerd"),
            containerd_shim: binary("containerd-shim"),
            containerd_shim_runc_v1: binary("containerd-shim-runc-v1"),
            containerd_shim_runc_v2: binary("containerd-shim-runc-v2"),
            ..Default::default()
        };
        p.dockerd = match host.dockerd.ok().and_then(|d| d.as_ref()).and_then(|d| d.exe.clone()) {
            Some(exe) => vec![exe],
            None => binary("dockerd"),
        };
        p.docker_root = vec![info
            .and_then(|i| i.docker_root_dir.clone())
            .unwrap_or_else(|| "/var/lib/docker".into())];
        if let Some(units) = host.systemd.ok() {
            p.docker_service.extend(units.docker_service.clone());
            p.docker_socket_unit.extend(units.docker_socket.clone());
        }
        let mut sockets: Vec<String> = Vec::new();
        if let Some(Some(addr)) = host.containerd_grpc_address.ok() {
            sockets.push(addr.clone());
        }
        if let Lookup::Set(s) = daemon.lookup("containerd", "containerd") {
            sockets.push(s.value().trim_start_matches("unix://").to_string());
        }
        for default in [
            "/run/containerd/containerd.sock",
            "/run/docker/containerd/containerd.sock",
        ] {
            sockets.push(default.into());
        }
        dedup(&mut sockets);
        p.containerd_sockets = sockets;
        p.daemon_json = vec![daemon
            .json_path()
            .map_or_else(|| config_file_path(host), str::to_string)];
        p.runc = match info.and_then(|i| i.runtimes.get("runc")) {
            Some(path) if path.starts_with('/') => vec![path.clone()],
            Some(name) => binary(name),
            None => binary("runc"),
        };
        let tls_default = |file: &str| format!("/root/.docker/{file}");
        let tls_path = |flag: &str, file: &str| -> Vec<String> {
            match daemon.lookup(flag, flag) {
                Lookup::Set(s) => vec![s.value().to_string()],
                _ if tls_enabled(daemon) => vec![tls_default(file)],
                _ => vec![],
            }
        };
        p.tls_ca = tls_path("tlscacert", "ca.pem");
        p.tls_cert = tls_path("tlscert", "cert.pem");
        p.tls_key = tls_path("tlskey", "key.pem");
        p.docker_sockets = docker_unix_sockets(host, daemon);
        let process = host.dockerd.ok().and_then(|d| d.as_ref());
        p.rootless = match info {
            Some(i) => i.has_security_option("rootless"),
            None => process.is_some_and(|d| d.rootless),
        };
        p.daemon_user = process.and_then(|d| {
            Some(DaemonUser {
                uid: d.uid?,
                gid: d.gid,
                name: d.user.clone(),
                mapped_gids: d.mapped_gids.clone(),
            })
        });
        if let Some(reason) = host.binding.as_ref().and_then(|b| b.unidentified.as_ref()) {
            p.unbound = Some(format!(
                "the audited daemon's process could not be identified: {reason}"
            ));
        }
        p
    }

    /// Every candidate path, for gathering.
    pub fn all(&self) -> Vec<String> {
        let mut all: Vec<String> = [
            &self.dockerd,
            &self.run_containerd,
            &self.docker_root,
            &self.etc_docker,
            &self.docker_service,
            &self.containerd_sockets,
            &self.docker_socket_unit,
            &self.etc_default_docker,
            &self.daemon_json,
            &self.containerd_config,
            &self.etc_sysconfig_docker,
            &self.containerd,
            &self.containerd_shim,
            &self.containerd_shim_runc_v1,
            &self.containerd_shim_runc_v2,
            &self.runc,
            &self.tls_ca,
            &self.tls_cert,
            &self.tls_key,
            &self.docker_sockets,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        dedup(&mut all);
        all
    }
}

/// The daemon.json dockerd reads: the one its process was found to read, `--config-file`, else
/// the default location.
pub fn config_file_path(host: &HostFacts) -> String {
    if let Some(Some(d)) = host.dockerd.ok() {
        if let Some(path) = &d.config_file {
            return path.clone();
        }
        let flags = super::daemon_config::parse_flags(d.args.get(1..).unwrap_or_default());
        if let Some((_, v)) = flags.iter().rev().find(|(k, _)| k == "config-file") {
            return v.clone();
        }
    }
    DEFAULT_DAEMON_JSON.into()
}

/// Whether the daemon is configured for TLS (`--tls` or `--tlsverify`).
pub fn tls_enabled(daemon: &DaemonConfig) -> bool {
    ["tls", "tlsverify"]
        .iter()
        .any(|f| matches!(daemon.lookup(f, f), Lookup::Set(s) if s.as_bool() == Some(true)))
}

/// Unix sockets of the audited daemon. Since facts version 2 these are the endpoint's socket and
/// the sockets its bound process listens on; older snapshots derive them from the first dockerd's
/// `-H unix://…`, `"hosts"`, systemd `ListenStream`, else the default.
pub fn docker_unix_sockets(host: &HostFacts, daemon: &DaemonConfig) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(binding) = &host.binding {
        out.extend(binding.socket.clone());
        if let Some(Some(d)) = host.dockerd.ok() {
            out.extend(d.sockets.iter().cloned());
        }
        dedup(&mut out);
        return out;
    }
    let mut fd_activation = false;
    if let Lookup::Set(s) = daemon.lookup("host", "hosts") {
        for v in &s.values {
            if let Some(path) = v.strip_prefix("unix://") {
                out.push(if path.is_empty() {
                    DEFAULT_SOCKET.into()
                } else {
                    path.into()
                });
            } else if v.starts_with("fd://") {
                fd_activation = true;
            }
        }
    }
    if fd_activation || out.is_empty() {
        if let Some(units) = host.systemd.ok() {
            out.extend(units.socket_listen.iter().filter(|l| l.starts_with('/')).cloned());
        }
    }
    if out.is_empty() {
        out.push(DEFAULT_SOCKET.into());
    }
    dedup(&mut out);
    out
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|s| seen.insert(s.clone()));
}
