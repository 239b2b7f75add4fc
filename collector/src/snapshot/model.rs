//! The facts snapshot: everything the checks may look at, gathered once.
//!
//! These are dockaudit's own types, not bollard's, so a saved snapshot (`--facts-out`) stays
//! readable across bollard upgrades and checks can be unit-tested from hand-written JSON.
//! Snapshots never hold secrets: container and image environment variables keep their names only,
//! and every other string is redacted ([`super::secrets`], applied by [`Facts::redacted`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::fact::Fact;
use super::workload::ListenSocket;

/// Version of the snapshot format; bumped when its meaning changes. Older snapshots keep loading.
///
/// 2: `host.dockerd` is the daemon serving the audited endpoint (`host.binding` says how it was
/// found); in version 1 it was the first `dockerd` process found on the host.
pub const FACTS_VERSION: u32 = 2;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Facts {
    pub facts_version: u32,
    pub collection: Collection,
    pub version: Fact<Version>,
    pub info: Fact<Info>,
    /// Every container, running and stopped, before any selection.
    pub containers: Fact<Vec<Container>>,
    pub images: Fact<Vec<Image>>,
    pub networks: Fact<Vec<Network>>,
    /// `Ok(None)` when swarm mode is inactive.
    pub swarm: Fact<Option<Swarm>>,
    /// `None` when the host's files were not reachable (remote daemon without `--host-root`).
    pub host: Option<HostFacts>,
}

/// How and where the snapshot was taken.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Collection {
    pub started_at: String,
    pub finished_at: String,
    pub duration_ms: u64,
    /// Daemon endpoint, e.g. `unix:///var/run/docker.sock`.
    pub endpoint: String,
    /// Host root the host facts were read through (`/` or `--host-root`); `None` when not read.
    pub host_root: Option<String>,
    /// Why host facts are missing, when they are.
    pub host_skipped_reason: Option<String>,
    /// dockaudit's own container, when it runs inside one on the audited host.
    pub self_container: Option<SelfContainer>,
    /// `DOCKER_CONTENT_TRUST` in the scanning environment (4.5 is a client-side setting).
    pub content_trust: Option<String>,
    /// Number of Engine API requests made (all GET).
    pub api_requests: u64,
    /// How dockaudit reached the daemon; `None` in snapshots taken before it was recorded.
    pub connection: Option<Connection>,
}

/// How the daemon was reached: what the connection itself proves about the daemon's exposure
/// (a daemon answering plain `tcp://` accepts anyone who can reach the port).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Connection {
    pub transport: Transport,
    /// The address dockaudit was given, as a URL (`unix:///…`, `tcp://host:port`, `ssh://user@host`).
    pub address: String,
    /// The TLS session on a `tcp://` connection; `None` when none was used.
    pub tls: Option<TlsSession>,
    /// The docker CLI context the address came from, if any.
    pub context: Option<String>,
    /// How the facts were gathered on an SSH target: by dockaudit itself on the remote host, or why
    /// only the Engine API was read.
    pub remote: Option<RemoteGather>,
}

/// The transport of a [`Connection`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transport {
    #[default]
    Unix,
    Tcp,
    Ssh,
}

/// What a TLS connection established.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TlsSession {
    /// The daemon's certificate was verified against the given CA (always, with dockaudit).
    pub server_verified: bool,
    /// dockaudit presented a client certificate. A daemon that answered without one does not
    /// require client certificates.
    pub client_certificate: bool,
}

/// The remote-gather step of an SSH target.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RemoteGather {
    /// The facts (host files included) were gathered by dockaudit on the remote host.
    pub gathered: bool,
    /// What ran there (`x86_64`, `sudo -n`, the binary's SHA-256) or why it could not.
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SelfContainer {
    pub id: String,
    pub name: String,
    /// How it was recognised (cgroup path, mountinfo, hostname).
    pub evidence: String,
}

/// `GET /version`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Version {
    pub version: Option<String>,
    pub api_version: Option<String>,
    /// The API version this snapshot was negotiated at.
    pub negotiated_api_version: Option<String>,
    pub min_api_version: Option<String>,
    pub os: Option<String>,
    pub arch: Option<String>,
    pub kernel_version: Option<String>,
    /// Omitted by the daemon when false; `None` then.
    pub experimental: Option<bool>,
    pub git_commit: Option<String>,
    pub go_version: Option<String>,
    /// Component name → version (Engine, containerd, runc, docker-init).
    pub components: BTreeMap<String, String>,
}

/// `GET /info`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Info {
    pub id: Option<String>,
    pub name: Option<String>,
    pub operating_system: Option<String>,
    pub os_type: Option<String>,
    pub os_version: Option<String>,
    pub kernel_version: Option<String>,
    pub architecture: Option<String>,
    pub docker_root_dir: Option<String>,
    pub driver: Option<String>,
    /// Storage driver status pairs.
    pub driver_status: Vec<(String, String)>,
    pub logging_driver: Option<String>,
    pub cgroup_driver: Option<String>,
    pub cgroup_version: Option<String>,
    /// e.g. `name=seccomp,profile=default`, `name=apparmor`, `name=userns`, `name=rootless`.
    pub security_options: Vec<String>,
    pub live_restore_enabled: Option<bool>,
    pub debug: Option<bool>,
    pub experimental_build: Option<bool>,
    pub insecure_registry_cidrs: Vec<String>,
    pub index_configs: Vec<IndexConfig>,
    /// `Plugins.Authorization`; empty when none.
    pub authorization_plugins: Vec<String>,
    pub log_plugins: Vec<String>,
    /// Runtime name → binary path.
    pub runtimes: BTreeMap<String, String>,
    pub default_runtime: Option<String>,
    pub containers: Option<i64>,
    pub containers_running: Option<i64>,
    pub containers_paused: Option<i64>,
    pub containers_stopped: Option<i64>,
    pub images: Option<i64>,
    pub swarm: SwarmInfo,
}

impl Info {
    /// Whether a `name=…` security option is present.
    pub fn has_security_option(&self, name: &str) -> bool {
        self.security_option(name).is_some()
    }

    /// The `key=value` pairs of the security option `name=<name>`.
    pub fn security_option(&self, name: &str) -> Option<BTreeMap<String, String>> {
        self.security_options.iter().find_map(|opt| {
            let pairs: BTreeMap<String, String> = opt
                .split(',')
                .map(|kv| match kv.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (kv.to_string(), String::new()),
                })
                .collect();
            // Engines before 1.13 reported bare names ("apparmor"); accept both forms.
            let matches = pairs.get("name").map(String::as_str) == Some(name) || opt == name;
            matches.then_some(pairs)
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndexConfig {
    pub name: String,
    pub secure: Option<bool>,
    pub mirrors: Vec<String>,
}

/// The swarm part of `GET /info`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SwarmInfo {
    /// `inactive`, `pending`, `active`, `error`, `locked`.
    pub local_node_state: Option<String>,
    pub node_id: Option<String>,
    pub node_addr: Option<String>,
    pub control_available: Option<bool>,
    pub managers: Option<i64>,
    pub nodes: Option<i64>,
    /// `Cluster.Spec.CAConfig.NodeCertExpiry`, nanoseconds.
    pub node_cert_expiry_ns: Option<i64>,
    pub remote_managers: Vec<String>,
}

/// `GET /containers/{id}/json`, reduced to what the checks and reviewers need.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Container {
    pub id: String,
    /// Without the leading `/`.
    pub name: String,
    /// The image reference the container was created from (`Config.Image`).
    pub image: String,
    pub image_id: String,
    pub created: Option<String>,
    pub state: ContainerState,
    /// `Config.User`; `None` when unset.
    pub user: Option<String>,
    /// `Config.Healthcheck.Test`; `None` when the container has no health check configured.
    pub healthcheck: Option<Vec<String>>,
    pub labels: BTreeMap<String, String>,
    /// Names only: values may be secrets and are never stored.
    pub env_names: Vec<String>,
    pub host_config: HostConfig,
    pub mounts: Vec<Mount>,
    /// `NetworkSettings.Ports`: actual bindings (running containers).
    pub ports: Vec<PortBinding>,
    /// Network name → network id, from `NetworkSettings.Networks`.
    pub networks: BTreeMap<String, String>,
    pub app_armor_profile: Option<String>,
    pub process_label: Option<String>,
    /// The processes `GET /containers/{id}/top` lists, read from the host's `/proc` and cgroups when
    /// host files are read, else from `/top`; `None` for stopped containers.
    pub processes: Option<Fact<Vec<Process>>>,
    /// `Config.Entrypoint` and `Config.Cmd` (credentials redacted), to re-create the container.
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Vec<String>,
    /// What the running container does (least privilege); `None` for stopped containers and in
    /// snapshots taken before dockaudit observed it.
    pub workload: Option<super::workload::Workload>,
}

impl Container {
    pub fn is_running(&self) -> bool {
        self.state.running
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerState {
    /// `created`, `running`, `paused`, `restarting`, `removing`, `exited`, `dead`.
    pub status: String,
    pub running: bool,
    pub pid: i64,
    pub started_at: Option<String>,
    pub health: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HostConfig {
    pub privileged: bool,
    pub network_mode: String,
    pub pid_mode: String,
    pub ipc_mode: String,
    pub uts_mode: String,
    pub userns_mode: String,
    pub cgroupns_mode: String,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub security_opt: Vec<String>,
    pub readonly_rootfs: bool,
    pub memory: i64,
    pub memory_swap: i64,
    pub cpu_shares: i64,
    pub nano_cpus: i64,
    pub cpu_quota: i64,
    pub cpu_period: i64,
    pub cpuset_cpus: String,
    /// `None`, 0 and −1 all mean unlimited.
    pub pids_limit: Option<i64>,
    pub restart_policy: RestartPolicy,
    pub cgroup_parent: String,
    pub devices: Vec<Device>,
    pub device_cgroup_rules: Vec<String>,
    /// Device requests (GPUs), described as `driver:capabilities`.
    pub device_requests: Vec<String>,
    pub ulimits: Vec<Ulimit>,
    /// Configured bindings (`HostConfig.PortBindings`), also known for stopped containers.
    pub port_bindings: Vec<PortBinding>,
    pub publish_all_ports: bool,
    /// `HostConfig.Tmpfs`: mount point → options (`--tmpfs`).
    pub tmpfs: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RestartPolicy {
    /// `""`, `no`, `always`, `unless-stopped`, `on-failure`.
    pub name: String,
    pub maximum_retry_count: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Device {
    pub path_on_host: String,
    pub path_in_container: String,
    pub cgroup_permissions: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Ulimit {
    pub name: String,
    pub soft: i64,
    pub hard: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Mount {
    /// `bind`, `volume`, `tmpfs`, `npipe`, `cluster`.
    pub kind: String,
    pub source: String,
    pub destination: String,
    pub rw: bool,
    pub mode: String,
    /// `private`, `rprivate`, `shared`, `rshared`, `slave`, `rslave`, or empty.
    pub propagation: String,
    /// Volume name for `volume` mounts.
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PortBinding {
    /// e.g. `80/tcp`.
    pub container_port: String,
    /// `""`, `0.0.0.0`, `::`, or a specific address.
    pub host_ip: String,
    pub host_port: String,
}

/// One row of `GET /containers/{id}/top`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Process {
    pub pid: String,
    pub user: String,
    pub command: String,
}

/// `GET /images/{id}/json` and `GET /images/{id}/history`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Image {
    pub id: String,
    pub repo_tags: Vec<String>,
    pub repo_digests: Vec<String>,
    pub created: Option<String>,
    pub size: Option<i64>,
    pub user: Option<String>,
    /// `Config.Healthcheck.Test`; `None` when the image defines none.
    pub healthcheck: Option<Vec<String>>,
    pub env_names: Vec<String>,
    pub volumes: Vec<String>,
    pub labels: BTreeMap<String, String>,
    /// Newest step first, as the API returns it.
    pub history: Fact<Vec<HistoryStep>>,
}

impl Image {
    /// First tag, else the short id.
    pub fn display_name(&self) -> String {
        self.repo_tags
            .iter()
            .find(|t| t.as_str() != "<none>:<none>")
            .cloned()
            .unwrap_or_else(|| short_id(&self.id).to_string())
    }
}

/// Image id without the `sha256:` prefix, 12 characters.
pub fn short_id(id: &str) -> &str {
    let id = id.strip_prefix("sha256:").unwrap_or(id);
    id.get(..12).unwrap_or(id)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryStep {
    pub created_by: String,
    pub created: Option<i64>,
    pub empty_layer: bool,
    pub comment: String,
}

/// `GET /networks` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Network {
    pub id: String,
    pub name: String,
    pub driver: String,
    pub scope: String,
    pub internal: bool,
    pub ingress: bool,
    pub options: BTreeMap<String, String>,
    /// Ids of attached containers (from `GET /networks/{id}` for local networks).
    pub containers: Vec<String>,
}

/// Swarm state read from a manager (workers cannot read most of it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Swarm {
    /// Whether this node is a manager (`ControlAvailable`).
    pub is_manager: bool,
    pub nodes: Fact<Vec<SwarmNode>>,
    /// `GET /swarm` `Spec.EncryptionConfig.AutoLockManagers`.
    pub autolock_managers: Fact<Option<bool>>,
    pub services: Fact<Vec<SwarmService>>,
    /// Secret names only (the API never returns secret data).
    pub secrets: Fact<Vec<String>>,
    /// `GET /swarm` `DataPathAddr`/`DefaultAddrPool` are not in older APIs; kept when present.
    pub data_path_port: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SwarmNode {
    pub id: String,
    pub hostname: String,
    /// `manager` or `worker`.
    pub role: String,
    pub addr: String,
    pub manager_addr: Option<String>,
    pub leader: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SwarmService {
    pub id: String,
    pub name: String,
    /// `none`, `on-failure`, `any`.
    pub restart_condition: Option<String>,
    pub restart_max_attempts: Option<u64>,
}

/// Facts read from the host's filesystem through the host root.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HostFacts {
    pub hostname: Option<String>,
    /// `PRETTY_NAME` of `/etc/os-release`.
    pub os_pretty_name: Option<String>,
    /// The audited daemon's process: the one serving the endpoint dockaudit is connected to.
    /// `Ok(None)` when no dockerd process is visible (remote daemon, another PID namespace);
    /// `Unavailable` when `/proc` cannot be read, or when dockerd processes are visible but none
    /// could be bound to the endpoint with confidence (`binding.unidentified` says why; facts of
    /// another daemon are never used in its place).
    pub dockerd: Fact<Option<DaemonProcess>>,
    /// How `dockerd` was bound to the endpoint, and the other daemons on the host. `None` in
    /// snapshots of facts version 1, whose `dockerd` was simply the first one found.
    pub binding: Option<DaemonBinding>,
    /// The daemon.json (or `--config-file`) the audited daemon reads; `Ok(None)` when it does not exist.
    pub daemon_json: Fact<Option<DaemonJson>>,
    /// `/proc/self/mountinfo` of the host (through the host root's `/proc/1/mountinfo`).
    pub mounts: Fact<Vec<HostMount>>,
    pub audit_rules: Fact<AuditRules>,
    /// `Ok(None)` when there is no `docker` group.
    pub docker_group: Fact<Option<Group>>,
    /// systemd units of Docker, when present.
    pub systemd: Fact<SystemdUnits>,
    /// containerd's configured gRPC socket (`/etc/containerd/config.toml`), when set.
    pub containerd_grpc_address: Fact<Option<String>>,
    /// Listening TCP sockets of the host (`/proc/net/tcp`, `/proc/net/tcp6`).
    pub listening: Fact<Vec<ListenSocket>>,
    /// Path (as seen on the host) → its metadata; `Ok(None)` when it does not exist.
    pub files: BTreeMap<String, Fact<Option<FileStat>>>,
    /// Files below `/etc/docker/certs.d/<registry>/`.
    pub registry_certs: Fact<Vec<FileStat>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DaemonProcess {
    pub pid: u32,
    /// Resolved `/proc/<pid>/exe`.
    pub exe: Option<String>,
    /// argv, including argv[0].
    pub args: Vec<String>,
    /// Real uid and gid as the host sees them (a rootless daemon's are its user's).
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    /// Login name of `uid`, when `/etc/passwd` names it.
    pub user: Option<String>,
    /// Runs in rootless mode: under a non-root uid, with `--rootless`, or below rootlesskit.
    pub rootless: bool,
    /// Home directory of `uid` (rootless daemons keep their configuration and data there).
    pub home: Option<String>,
    /// The configuration file it reads: `--config-file`, else `/etc/docker/daemon.json`, or
    /// `$XDG_CONFIG_HOME/docker/daemon.json` (default `~/.config/docker/daemon.json`) when rootless.
    pub config_file: Option<String>,
    /// Its data root: `--data-root`, `data-root` in its configuration, else the default
    /// (`/var/lib/docker`, or `$XDG_DATA_HOME/docker` when rootless).
    pub data_root: Option<String>,
    /// Unix sockets it is configured to listen on (`-H unix://…`, `hosts`, `fd://` resolved
    /// through `docker.socket`, else the default), as host paths.
    pub sockets: Vec<String>,
    /// Host gid ranges `(first, count)` mapped into a rootless daemon's user namespace
    /// (`/proc/<pid>/gid_map`): its user's own gid and subordinate gids.
    pub mapped_gids: Vec<(u32, u32)>,
}

/// How the audited daemon was found among the dockerd processes of the host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DaemonBinding {
    /// The endpoint's unix socket as a host path (symlinks resolved), when it is one.
    pub socket: Option<String>,
    /// Each piece of evidence tying the process to the endpoint, one sentence each (socket inode,
    /// `-H` flags, `/info` DockerRootDir and rootless mode).
    pub evidence: Vec<String>,
    /// Every other dockerd process visible on the host.
    pub others: Vec<DaemonProcess>,
    /// Why no dockerd process could be bound to the endpoint with confidence, when dockerd
    /// processes are visible but none is provably the audited one (`dockerd` is then
    /// `Unavailable`, and the audited daemon's files are unknown).
    pub unidentified: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DaemonJson {
    pub path: String,
    /// Parsed content; credentials (URL user-info, values of credential-like keys) are `***`.
    pub content: serde_json::Value,
}

impl Eq for DaemonJson {}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HostMount {
    pub mount_point: String,
    pub fs_type: String,
    pub source: String,
}

/// Audit rules as text lines, one rule per line, comments removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditRules {
    /// `auditctl -l`, or the rule files read when auditctl was not usable.
    pub source: String,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Group {
    pub gid: u32,
    /// Supplementary members listed in `/etc/group`.
    pub members: Vec<String>,
    /// Users whose primary group (in `/etc/passwd`) is this group.
    pub primary_members: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SystemdUnits {
    /// Path of the `docker.service` unit file, when found.
    pub docker_service: Option<String>,
    /// Path of the `docker.socket` unit file, when found.
    pub docker_socket: Option<String>,
    /// `ListenStream=` values of `docker.socket`.
    pub socket_listen: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FileStat {
    /// Path as seen on the host (without the host-root prefix).
    pub path: String,
    /// `file`, `dir`, `socket`, `symlink`, `other`.
    pub kind: String,
    pub uid: u32,
    pub gid: u32,
    /// Permission bits (`st_mode & 0o7777`).
    pub mode: u32,
    pub owner: Option<String>,
    pub group: Option<String>,
    /// Target after resolving symlinks, when different from `path`.
    pub resolved: Option<String>,
}
