//! Fact builders for check unit tests.

use crate::snapshot::*;

/// A host where nothing could be read: every fact unavailable.
pub fn unavailable_facts() -> Facts {
    let u = |s: &str| Unavailable {
        source: s.into(),
        reason: "test: unavailable".into(),
    };
    Facts {
        facts_version: FACTS_VERSION,
        version: Fact::Unavailable(u("GET /version")),
        info: Fact::Unavailable(u("GET /info")),
        containers: Fact::Unavailable(u("GET /containers/json")),
        images: Fact::Unavailable(u("GET /images/json")),
        networks: Fact::Unavailable(u("GET /networks")),
        swarm: Fact::Unavailable(u("GET /swarm")),
        host: Some(HostFacts {
            dockerd: Fact::Unavailable(u("/proc")),
            daemon_json: Fact::Unavailable(u("/etc/docker/daemon.json")),
            mounts: Fact::Unavailable(u("/proc/1/mountinfo")),
            audit_rules: Fact::Unavailable(u("auditctl -l")),
            docker_group: Fact::Unavailable(u("/etc/group")),
            systemd: Fact::Unavailable(u("systemd units")),
            containerd_grpc_address: Fact::Unavailable(u("/etc/containerd/config.toml")),
            listening: Fact::Unavailable(u("/proc/net/tcp")),
            registry_certs: Fact::Unavailable(u("/etc/docker/certs.d")),
            ..HostFacts::default()
        }),
        ..Facts::default()
    }
}

/// A plain rootful Debian host running dockerd with no containers, images or swarm.
pub fn empty_host() -> Facts {
    Facts {
        facts_version: FACTS_VERSION,
        collection: Collection {
            endpoint: "unix:///var/run/docker.sock".into(),
            host_root: Some("/".into()),
            ..Collection::default()
        },
        version: Fact::Ok(Version {
            version: Some("20.10.24+dfsg1".into()),
            api_version: Some("1.41".into()),
            ..Version::default()
        }),
        info: Fact::Ok(Info {
            docker_root_dir: Some("/var/lib/docker".into()),
            driver: Some("overlay2".into()),
            logging_driver: Some("json-file".into()),
            cgroup_driver: Some("systemd".into()),
            cgroup_version: Some("2".into()),
            security_options: vec!["name=seccomp,profile=default".into(), "name=cgroupns".into()],
            live_restore_enabled: Some(false),
            insecure_registry_cidrs: vec!["127.0.0.0/8".into()],
            swarm: SwarmInfo {
                local_node_state: Some("inactive".into()),
                ..SwarmInfo::default()
            },
            runtimes: [("runc".to_string(), "runc".to_string())].into_iter().collect(),
            ..Info::default()
        }),
        containers: Fact::Ok(vec![]),
        images: Fact::Ok(vec![]),
        networks: Fact::Ok(vec![Network {
            id: "bridge-id".into(),
            name: "bridge".into(),
            driver: "bridge".into(),
            scope: "local".into(),
            options: [
                ("com.docker.network.bridge.name".to_string(), "docker0".to_string()),
                ("com.docker.network.bridge.enable_icc".to_string(), "true".to_string()),
            ]
            .into_iter()
            .collect(),
            ..Network::default()
        }]),
        swarm: Fact::Ok(None),
        host: Some(HostFacts {
            dockerd: Fact::Ok(Some(DaemonProcess {
                pid: 100,
                exe: Some("/usr/sbin/dockerd".into()),
                args: vec!["/usr/sbin/dockerd".into(), "-H".into(), "fd://".into()],
                uid: Some(0),
                ..DaemonProcess::default()
            })),
            daemon_json: Fact::Ok(None),
            mounts: Fact::Ok(vec![HostMount {
                mount_point: "/".into(),
                fs_type: "ext4".into(),
                source: "/dev/vda".into(),
            }]),
            audit_rules: Fact::Ok(AuditRules {
                source: "auditctl -l".into(),
                lines: vec![],
            }),
            docker_group: Fact::Ok(Some(Group {
                gid: 998,
                members: vec![],
                primary_members: vec![],
            })),
            systemd: Fact::Ok(SystemdUnits::default()),
            containerd_grpc_address: Fact::Ok(None),
            listening: Fact::Ok(vec![]),
            registry_certs: Fact::Ok(vec![]),
            ..HostFacts::default()
        }),
    }
}

/// A container with Docker's defaults (as `docker create IMAGE` gives): stopped, root, no limits.
pub fn container(name: &str) -> Container {
    Container {
        id: format!("{name}-0123456789abcdef"),
        name: name.into(),
        image: "busybox:latest".into(),
        image_id: "sha256:1111".into(),
        state: ContainerState {
            status: "exited".into(),
            ..ContainerState::default()
        },
        host_config: HostConfig {
            network_mode: "default".into(),
            ipc_mode: "private".into(),
            cgroupns_mode: "private".into(),
            restart_policy: RestartPolicy {
                name: "no".into(),
                maximum_retry_count: 0,
            },
            ..HostConfig::default()
        },
        networks: [("bridge".to_string(), "bridge-id".to_string())].into_iter().collect(),
        ..Container::default()
    }
}

/// `empty_host` with the given containers.
pub fn host_with(containers: Vec<Container>) -> Facts {
    let mut f = empty_host();
    f.containers = Fact::Ok(containers);
    f
}

/// Evaluates one check id over the facts with default options.
pub fn eval(id: &str, facts: &Facts) -> super::Outcome {
    eval_with(id, facts, super::EvalOptions::default())
}

/// Evaluates one check id with options.
pub fn eval_with(id: &str, facts: &Facts, options: super::EvalOptions) -> super::Outcome {
    let ctx = super::Ctx::new(facts, options, &crate::interpret::ContainerFilter::default());
    let check = super::get(id).expect("known id");
    let outcome = (check.eval)(&ctx);
    super::coverage::record(id, outcome.status);
    outcome
}

/// Names of the targets in an outcome's findings.
pub fn target_names(o: &super::Outcome) -> Vec<String> {
    let mut v: Vec<String> = o.findings.iter().map(|f| f.target.name.clone()).collect();
    v.dedup();
    v
}
