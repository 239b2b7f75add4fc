//! What a twin is made of: the original's way of starting (read at trial time, held in memory
//! only) and the hardening flags under test, and the Engine API request that creates it.
//!
//! The environment may hold secrets: [`TwinSpec`] is not serializable and its `Debug` shows
//! variable names only, so neither a log line nor a report can carry a value.

use std::collections::{BTreeSet, HashMap};

use bollard::models::{ContainerCreateBody, ContainerInspectResponse, HealthConfig, HostConfig};
use dockaudit_shared::hardening::render::memory_size;

use super::TrialError;

/// Label every twin carries; its value is the run id.
pub const TRIAL_LABEL: &str = "dockaudit.trial";
/// Label naming the process that created a twin (`boot id/pid/start time`), for the stale sweep.
pub const OWNER_LABEL: &str = "dockaudit.trial.owner";
/// Label naming the original container's id.
pub const ORIGINAL_LABEL: &str = "dockaudit.trial.of";

/// The hardening flags a trial runs with.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Flags {
    pub read_only: bool,
    /// `--tmpfs PATH` for each path, with Docker's default mount options.
    pub tmpfs: BTreeSet<String>,
    /// `--cap-drop ALL --cap-add …`: the only capabilities the twin gets.
    pub cap_add: BTreeSet<String>,
    pub no_new_privileges: bool,
    /// `--user`; `None` keeps the original's.
    pub user: Option<String>,
    /// `--memory` in bytes.
    pub memory: Option<i64>,
    /// `--pids-limit`.
    pub pids_limit: Option<i64>,
}

impl Flags {
    /// The flags as `docker run` options, in a fixed order.
    pub fn to_args(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.read_only {
            out.push("--read-only".to_string());
        }
        for path in &self.tmpfs {
            out.push(format!("--tmpfs {path}"));
        }
        out.push("--cap-drop ALL".to_string());
        for cap in &self.cap_add {
            out.push(format!("--cap-add {cap}"));
        }
        if self.no_new_privileges {
            out.push("--security-opt no-new-privileges".to_string());
        }
        if let Some(user) = &self.user {
            out.push(format!("--user {user}"));
        }
        if let Some(m) = self.memory {
            out.push(format!("--memory {}", memory_size(m.unsigned_abs())));
        }
        if let Some(p) = self.pids_limit {
            out.push(format!("--pids-limit {p}"));
        }
        out
    }
}

/// The original container as far as a twin needs it.
#[derive(Clone)]
pub struct Original {
    pub id: String,
    /// Name without the leading `/`.
    pub name: String,
    /// Image id (`sha256:…`): the twin runs exactly the original's image.
    pub image: String,
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    pub user: Option<String>,
    /// `NAME=value` pairs: never written anywhere.
    pub env: Vec<String>,
    pub working_dir: Option<String>,
    pub healthcheck: Option<HealthConfig>,
    pub tty: bool,
    pub open_stdin: bool,
    pub init: Option<bool>,
    /// Destinations of its volumes and bind mounts: empty tmpfs in the twin.
    pub mount_paths: BTreeSet<String>,
    pub network_mode: Option<String>,
    /// Host pid of its main process, when running.
    pub pid: Option<u32>,
    pub running: bool,
}

impl std::fmt::Debug for Original {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Original")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("image", &self.image)
            .field("env_names", &env_names(&self.env))
            .field("mount_paths", &self.mount_paths)
            .field("pid", &self.pid)
            .finish_non_exhaustive()
    }
}

/// Variable names of `NAME=value` pairs.
pub fn env_names(env: &[String]) -> Vec<&str> {
    env.iter().map(|e| e.split('=').next().unwrap_or_default()).collect()
}

impl Original {
    /// Reads what a twin needs from `GET /containers/{id}/json`.
    pub fn from_inspect(c: ContainerInspectResponse) -> Result<Original, TrialError> {
        let id = c.id.clone().unwrap_or_default();
        let image = c
            .image
            .clone()
            .filter(|i| !i.is_empty())
            .ok_or_else(|| TrialError::Original {
                container: id.clone(),
                reason: "the daemon did not say which image it runs".into(),
            })?;
        let config = c.config.unwrap_or_default();
        let host = c.host_config.unwrap_or_default();
        let state = c.state.unwrap_or_default();
        let mount_paths = c
            .mounts
            .unwrap_or_default()
            .into_iter()
            .filter_map(|m| m.destination)
            .chain(host.tmpfs.unwrap_or_default().into_keys())
            .filter(|d| d.starts_with('/'))
            .collect();
        Ok(Original {
            id,
            name: c.name.unwrap_or_default().trim_start_matches('/').to_string(),
            image,
            entrypoint: config.entrypoint,
            cmd: config.cmd,
            user: config.user.filter(|u| !u.is_empty()),
            env: config.env.unwrap_or_default(),
            working_dir: config.working_dir.filter(|w| !w.is_empty()),
            healthcheck: config.healthcheck.filter(has_health_test),
            tty: config.tty.unwrap_or(false),
            open_stdin: config.open_stdin.unwrap_or(false),
            init: host.init,
            mount_paths,
            network_mode: host.network_mode,
            pid: state.pid.and_then(|p| u32::try_from(p).ok()).filter(|p| *p > 0),
            running: state.running.unwrap_or(false),
        })
    }

    /// Whether it shares the host's (or another container's) network namespace, where its
    /// namespace's listening sockets are not all its own.
    pub fn shares_network(&self) -> bool {
        self.network_mode
            .as_deref()
            .is_some_and(|m| m == "host" || m.starts_with("container:"))
    }
}

/// A health check that runs something (not `NONE`, not empty).
fn has_health_test(h: &HealthConfig) -> bool {
    h.test
        .as_ref()
        .and_then(|t| t.first())
        .is_some_and(|kind| kind != "NONE")
}

/// One twin: the original's start-up and the flags to try.
#[derive(Clone)]
pub struct TwinSpec {
    pub original: std::sync::Arc<Original>,
    pub flags: Flags,
    /// `None` for network `none`.
    pub network: Option<String>,
}

impl std::fmt::Debug for TwinSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwinSpec")
            .field("original", &self.original)
            .field("flags", &self.flags)
            .field("network", &self.network)
            .finish()
    }
}

impl TwinSpec {
    /// The `POST /containers/create` body: the original's image and start-up, the flags, no
    /// published ports, the original's volume and bind destinations as empty tmpfs, no restart
    /// policy (a crash shows as an exit), and our labels.
    pub fn create_body(&self, labels: HashMap<String, String>) -> ContainerCreateBody {
        let o = &self.original;
        let f = &self.flags;
        let tmpfs: HashMap<String, String> = o
            .mount_paths
            .iter()
            .chain(&f.tmpfs)
            .map(|p| (p.clone(), String::new()))
            .collect();
        let host_config = HostConfig {
            network_mode: Some(self.network.clone().unwrap_or_else(|| "none".to_string())),
            readonly_rootfs: Some(f.read_only),
            tmpfs: Some(tmpfs),
            cap_drop: Some(vec!["ALL".to_string()]),
            cap_add: Some(f.cap_add.iter().cloned().collect()),
            security_opt: f.no_new_privileges.then(|| vec!["no-new-privileges:true".to_string()]),
            memory: f.memory,
            pids_limit: f.pids_limit,
            init: o.init,
            privileged: Some(false),
            publish_all_ports: Some(false),
            port_bindings: Some(HashMap::new()),
            binds: Some(Vec::new()),
            mounts: Some(Vec::new()),
            auto_remove: Some(false),
            ..Default::default()
        };
        ContainerCreateBody {
            image: Some(o.image.clone()),
            entrypoint: o.entrypoint.clone(),
            cmd: o.cmd.clone(),
            user: f.user.clone().or_else(|| o.user.clone()),
            env: Some(o.env.clone()),
            working_dir: o.working_dir.clone(),
            healthcheck: o.healthcheck.clone(),
            tty: Some(o.tty),
            open_stdin: Some(o.open_stdin),
            labels: Some(labels),
            host_config: Some(host_config),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::{ContainerConfig, ContainerState, MountPoint};

    fn original() -> Original {
        let inspect = ContainerInspectResponse {
            id: Some("abc".into()),
            name: Some("/web".into()),
            image: Some("sha256:1234".into()),
            config: Some(ContainerConfig {
                cmd: Some(vec!["httpd".into()]),
                env: Some(vec!["TOKEN=hunter2".into(), "PATH=/bin".into()]),
                user: Some(String::new()),
                healthcheck: Some(HealthConfig {
                    test: Some(vec!["NONE".into()]),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            host_config: Some(HostConfig {
                network_mode: Some("bridge".into()),
                port_bindings: Some(HashMap::from([("80/tcp".into(), None)])),
                ..Default::default()
            }),
            mounts: Some(vec![MountPoint {
                destination: Some("/data".into()),
                rw: Some(true),
                ..Default::default()
            }]),
            state: Some(ContainerState {
                running: Some(true),
                pid: Some(42),
                ..Default::default()
            }),
            ..Default::default()
        };
        Original::from_inspect(inspect).unwrap()
    }

    #[test]
    fn reads_the_original() {
        let o = original();
        assert_eq!(o.name, "web");
        assert_eq!(o.user, None);
        assert!(o.healthcheck.is_none(), "NONE is no health check");
        assert_eq!(o.mount_paths, BTreeSet::from(["/data".to_string()]));
        assert_eq!(o.pid, Some(42));
        assert!(!o.shares_network());
    }

    #[test]
    fn debug_output_never_shows_environment_values() {
        let o = original();
        let spec = TwinSpec {
            original: std::sync::Arc::new(o),
            flags: Flags::default(),
            network: None,
        };
        let text = format!("{spec:?}");
        assert!(text.contains("TOKEN") && !text.contains("hunter2"), "{text}");
    }

    #[test]
    fn the_twin_is_confined_and_publishes_nothing() {
        let spec = TwinSpec {
            original: std::sync::Arc::new(original()),
            flags: Flags {
                read_only: true,
                tmpfs: BTreeSet::from(["/run".to_string()]),
                cap_add: BTreeSet::from(["CHOWN".to_string()]),
                no_new_privileges: true,
                user: Some("1000".into()),
                memory: Some(64 << 20),
                pids_limit: Some(50),
            },
            network: None,
        };
        let labels = HashMap::from([(TRIAL_LABEL.to_string(), "run".to_string())]);
        let body = spec.create_body(labels);
        let host = body.host_config.unwrap();
        assert_eq!(host.network_mode.as_deref(), Some("none"));
        assert_eq!(host.port_bindings, Some(HashMap::new()));
        assert_eq!(host.publish_all_ports, Some(false));
        assert_eq!(host.binds, Some(Vec::new()));
        assert_eq!(host.mounts, Some(Vec::new()));
        let tmpfs = host.tmpfs.unwrap();
        assert!(tmpfs.contains_key("/data") && tmpfs.contains_key("/run"));
        assert_eq!(host.cap_drop, Some(vec!["ALL".to_string()]));
        assert_eq!(host.cap_add, Some(vec!["CHOWN".to_string()]));
        assert_eq!(host.security_opt, Some(vec!["no-new-privileges:true".to_string()]));
        assert_eq!(host.readonly_rootfs, Some(true));
        assert_eq!(host.restart_policy, None);
        assert_eq!(body.user.as_deref(), Some("1000"));
        assert_eq!(body.image.as_deref(), Some("sha256:1234"));
        assert_eq!(body.labels.unwrap()[TRIAL_LABEL], "run");
    }

    #[test]
    fn flags_read_as_docker_run_options() {
        let flags = Flags {
            read_only: true,
            tmpfs: BTreeSet::from(["/run".to_string(), "/tmp".to_string()]),
            cap_add: BTreeSet::from(["CHOWN".to_string()]),
            no_new_privileges: true,
            memory: Some(36 << 20),
            ..Default::default()
        };
        assert_eq!(
            flags.to_args().join(" "),
            "--read-only --tmpfs /run --tmpfs /tmp --cap-drop ALL --cap-add CHOWN --security-opt no-new-privileges --memory 36m"
        );
    }
}
