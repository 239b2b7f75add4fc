//! The least-privilege configuration proposed for one running container.
//!
//! Every flag carries the observed fact it rests on (`reason`), so a reader can check the
//! reasoning instead of trusting it. When a fact that could reveal a need was missing, the
//! proposal says so ([`Proposal::gaps`], [`Capabilities::incomplete`]) rather than proposing a
//! tighter setting as if the need had been ruled out.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::report::Target;

/// The proposals of one scan (report schema 2, [`crate::Report::hardening`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hardening {
    /// One per running container in scope, sorted by container name.
    #[serde(default)]
    pub proposals: Vec<Proposal>,
}

impl Hardening {
    /// The proposal for a container, found by its key (name) or id.
    pub fn for_container(&self, key: &str) -> Option<&Proposal> {
        self.proposals
            .iter()
            .find(|p| p.container.key() == key || (!p.container.id.is_empty() && p.container.id == key))
    }
}

/// The hardened configuration of one container: each flag with the facts behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    /// The container (kind `container`), as findings name it.
    pub container: Target,
    /// What the container runs, kept so the `docker run` line re-creates it.
    pub run: RunSpec,
    /// Set for containers started by Docker Compose (`com.docker.compose.*` labels).
    #[serde(default)]
    pub compose: Option<ComposeService>,
    /// `--read-only`: the root filesystem becomes read-only.
    pub read_only: Flag,
    /// `--tmpfs PATH` for each ephemeral directory the container writes.
    #[serde(default)]
    pub tmpfs: Vec<PathChoice>,
    /// Data paths the container writes outside any mount: they need a volume, or their data is
    /// lost (and under `--read-only` the write fails).
    #[serde(default)]
    pub volumes: Vec<PathChoice>,
    /// `--cap-drop ALL` and what to add back.
    pub capabilities: Capabilities,
    /// `--security-opt no-new-privileges`.
    pub no_new_privileges: Flag,
    /// `--user`: a non-root user when the processes already run unprivileged.
    pub user: UserChoice,
    /// `--memory`, from the observed use with headroom.
    pub memory: Limit,
    /// `--pids-limit`, from the observed number of processes with headroom.
    pub pids_limit: Limit,
    /// Settings of the current container the proposal leaves out (`--privileged`, host
    /// namespaces, the Docker socket, …), each with the reason.
    #[serde(default)]
    pub removals: Vec<Removal>,
    /// Facts that could not be gathered and what the proposal therefore cannot decide.
    #[serde(default)]
    pub gaps: Vec<Gap>,
}

impl Proposal {
    /// The capability names to add back after `--cap-drop ALL`.
    pub fn cap_add(&self) -> Vec<&str> {
        self.capabilities.add.iter().map(|c| c.name.as_str()).collect()
    }

    /// The tmpfs paths proposed.
    pub fn tmpfs_paths(&self) -> Vec<&str> {
        self.tmpfs.iter().map(|t| t.path.as_str()).collect()
    }

    /// The data paths that need a volume.
    pub fn volume_paths(&self) -> Vec<&str> {
        self.volumes.iter().map(|t| t.path.as_str()).collect()
    }
}

/// What the container runs: the parts of its configuration the hardened one keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunSpec {
    /// The image reference it was created from.
    pub image: String,
    /// `Config.Entrypoint` when the container was given one, credentials redacted (`***`).
    #[serde(default)]
    pub entrypoint: Option<Vec<String>>,
    /// `Config.Cmd`, credentials redacted (`***`); empty for the image's default.
    #[serde(default)]
    pub command: Vec<String>,
    /// Environment variable names only: values never leave the host (`-e NAME` passes the
    /// value from the environment `docker run` is started in).
    #[serde(default)]
    pub env_names: Vec<String>,
    /// Published ports in `-p` form (`[IP:]HOST:CONTAINER/PROTO`).
    #[serde(default)]
    pub publish: Vec<String>,
    /// Mounts kept (volumes, binds and tmpfs mounts of the current container, less the ones in
    /// [`Proposal::removals`]).
    #[serde(default)]
    pub mounts: Vec<MountSpec>,
    /// Devices kept, in `--device` form (`HOST:CONTAINER[:PERMISSIONS]`).
    #[serde(default)]
    pub devices: Vec<String>,
    /// `--network` to keep (a user-defined network), when not the default bridge.
    #[serde(default)]
    pub network: Option<String>,
    /// `--restart` to keep, when set.
    #[serde(default)]
    pub restart: Option<String>,
}

/// A mount of the container, as `--mount` takes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MountSpec {
    /// `volume`, `bind` or `tmpfs`.
    pub kind: String,
    /// Volume name or host path; empty for tmpfs and anonymous volumes.
    #[serde(default)]
    pub source: String,
    pub target: String,
    #[serde(default)]
    pub read_only: bool,
}

/// The Compose service a container belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComposeService {
    /// `com.docker.compose.project`.
    pub project: String,
    /// `com.docker.compose.service`: the key of the override snippet.
    pub service: String,
}

/// A boolean flag proposed or not, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Flag {
    pub enabled: bool,
    pub reason: String,
}

/// A path and the observation that put it in the proposal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PathChoice {
    pub path: String,
    pub reason: String,
}

/// `--cap-drop ALL` with the capabilities to add back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    /// Always proposed: the list to add back starts from nothing.
    pub drop_all: bool,
    /// Capabilities to add back, each with the observation that shows it is used.
    #[serde(default)]
    pub add: Vec<CapabilityGrant>,
    /// Capabilities considered and left out, each with the observation that shows it is not
    /// needed (e.g. a port below 1024 that the namespace lets anyone bind).
    #[serde(default)]
    pub not_needed: Vec<CapabilityGrant>,
    /// Set when a fact that could show a needed capability is missing: the list may be short
    /// and must be proven (`dockaudit harden --trial`) before use.
    #[serde(default)]
    pub incomplete: Option<String>,
    /// Capabilities some process of the container holds now (union of `CapEff`), for reference.
    #[serde(default)]
    pub effective_now: Vec<String>,
}

/// One capability to add back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapabilityGrant {
    /// Docker's spelling, without `CAP_` (`NET_BIND_SERVICE`).
    pub name: String,
    pub reason: String,
}

/// `--user`, or why it is not proposed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChoice {
    /// `UID[:GID]`; `None` when no user is proposed.
    #[serde(default)]
    pub user: Option<String>,
    pub reason: String,
}

/// A resource limit, or why none is proposed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    /// The limit (bytes for memory, processes for pids); `None` when none is proposed.
    #[serde(default)]
    pub value: Option<u64>,
    /// The use it was derived from, when observed.
    #[serde(default)]
    pub observed: Option<u64>,
    pub reason: String,
}

/// A setting of the current container the proposal leaves out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Removal {
    /// The setting as `docker run` spells it (`--privileged`, `--pid host`, `-v /var/run/docker.sock:…`).
    pub setting: String,
    pub reason: String,
}

/// A fact that could not be gathered, and what it leaves undecided.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    /// What was being read (`GET /containers/{id}/changes`, `/proc/<pid>/status`).
    pub source: String,
    pub reason: String,
    /// What the proposal could not decide without it.
    pub effect: String,
}
