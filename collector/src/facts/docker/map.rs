//! Bollard's models turned into the snapshot's own types.
//!
//! Every field may be missing on some daemon version (users run Engine 20.10 to 28), so each
//! mapping takes what is there and leaves the rest at its default; nothing here fails.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;

use bollard::models as api;

use crate::snapshot::*;

/// An enum's wire value, `None` when absent or empty.
fn enum_text<E: Display>(value: Option<E>) -> Option<String> {
    value.map(|v| v.to_string()).filter(|s| !s.is_empty())
}

/// `None` for absent or empty strings (the API reports "unset" as `""`).
fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|s| !s.is_empty())
}

/// Go's zero time, which the daemon reports for "never" (`StartedAt` of a created container).
fn is_zero_time(t: &str) -> bool {
    t.starts_with("0001-01-01T00:00:00")
}

/// Variable names only: values may hold secrets and never enter the snapshot.
fn env_names(env: Option<Vec<String>>) -> Vec<String> {
    env.unwrap_or_default()
        .into_iter()
        .map(|kv| match kv.split_once('=') {
            Some((name, _)) => name.to_string(),
            None => kv,
        })
        .collect()
}

fn sorted_map(map: Option<HashMap<String, String>>) -> BTreeMap<String, String> {
    map.unwrap_or_default().into_iter().collect()
}

pub(super) fn map_version(v: api::SystemVersion, negotiated: String) -> Version {
    Version {
        version: v.version,
        api_version: v.api_version,
        negotiated_api_version: Some(negotiated),
        min_api_version: v.min_api_version,
        os: v.os,
        arch: v.arch,
        kernel_version: v.kernel_version,
        experimental: v.experimental,
        git_commit: v.git_commit,
        go_version: v.go_version,
        components: v
            .components
            .unwrap_or_default()
            .into_iter()
            .map(|c| (c.name, c.version))
            .collect(),
    }
}

pub(super) fn map_info(i: api::SystemInfo) -> Info {
    let registry = i.registry_config.unwrap_or_default();
    let mut index_configs: Vec<IndexConfig> = registry
        .index_configs
        .unwrap_or_default()
        .into_iter()
        .map(|(key, index)| IndexConfig {
            name: index.name.unwrap_or(key),
            secure: index.secure,
            mirrors: index.mirrors.unwrap_or_default(),
        })
        .collect();
    index_configs.sort_by(|a, b| a.name.cmp(&b.name));
    let plugins = i.plugins.unwrap_or_default();
    Info {
        id: i.id,
        name: i.name,
        operating_system: i.operating_system,
        os_type: i.os_type,
        os_version: i.os_version,
        kernel_version: i.kernel_version,
        architecture: i.architecture,
        docker_root_dir: i.docker_root_dir,
        driver: i.driver,
        driver_status: i
            .driver_status
            .unwrap_or_default()
            .into_iter()
            .map(|pair| {
                let mut it = pair.into_iter();
                (it.next().unwrap_or_default(), it.next().unwrap_or_default())
            })
            .collect(),
        logging_driver: i.logging_driver,
        cgroup_driver: enum_text(i.cgroup_driver),
        cgroup_version: enum_text(i.cgroup_version),
        security_options: i.security_options.unwrap_or_default(),
        live_restore_enabled: i.live_restore_enabled,
        debug: i.debug,
        experimental_build: i.experimental_build,
        insecure_registry_cidrs: registry.insecure_registry_cidrs.unwrap_or_default(),
        index_configs,
        authorization_plugins: plugins.authorization.unwrap_or_default(),
        log_plugins: plugins.log.unwrap_or_default(),
        // Runtimes configured by type rather than binary have no path; their name stands in.
        runtimes: i
            .runtimes
            .unwrap_or_default()
            .into_iter()
            .map(|(name, runtime)| {
                let path = non_empty(runtime.path).unwrap_or_else(|| name.clone());
                (name, path)
            })
            .collect(),
        default_runtime: i.default_runtime,
        containers: i.containers,
        containers_running: i.containers_running,
        containers_paused: i.containers_paused,
        containers_stopped: i.containers_stopped,
        images: i.images,
        swarm: map_swarm_info(i.swarm.unwrap_or_default()),
    }
}

fn map_swarm_info(s: api::SwarmInfo) -> SwarmInfo {
    let mut remote_managers: Vec<String> = s
        .remote_managers
        .unwrap_or_default()
        .into_iter()
        .filter_map(|peer| non_empty(peer.addr))
        .collect();
    remote_managers.sort();
    SwarmInfo {
        local_node_state: enum_text(s.local_node_state),
        node_id: non_empty(s.node_id),
        node_addr: non_empty(s.node_addr),
        control_available: s.control_available,
        managers: s.managers,
        nodes: s.nodes,
        node_cert_expiry_ns: s
            .cluster
            .and_then(|c| c.spec)
            .and_then(|spec| spec.ca_config)
            .and_then(|ca| ca.node_cert_expiry),
        remote_managers,
    }
}

pub(super) fn map_container(c: api::ContainerInspectResponse) -> Container {
    let config = c.config.unwrap_or_default();
    let state = c.state.unwrap_or_default();
    let network_settings = c.network_settings.unwrap_or_default();
    let mut mounts: Vec<Mount> = c.mounts.unwrap_or_default().into_iter().map(map_mount).collect();
    // The daemon lists mounts in map order, which changes between calls.
    mounts.sort_by(|a, b| (&a.destination, &a.source).cmp(&(&b.destination, &b.source)));
    let name = c.name.unwrap_or_default();
    Container {
        id: c.id.unwrap_or_default(),
        name: name.strip_prefix('/').map(str::to_string).unwrap_or(name),
        image: config.image.unwrap_or_default(),
        image_id: c.image.unwrap_or_default(),
        created: non_empty(c.created),
        state: ContainerState {
            status: enum_text(state.status).unwrap_or_default(),
            running: state.running.unwrap_or(false),
            pid: state.pid.unwrap_or(0),
            started_at: non_empty(state.started_at).filter(|t| !is_zero_time(t)),
            health: enum_text(state.health.and_then(|h| h.status)),
        },
        user: non_empty(config.user),
        healthcheck: config.healthcheck.and_then(|h| h.test),
        labels: sorted_map(config.labels),
        env_names: env_names(config.env),
        host_config: map_host_config(c.host_config.unwrap_or_default()),
        mounts,
        ports: map_ports(network_settings.ports),
        networks: network_settings
            .networks
            .unwrap_or_default()
            .into_iter()
            .map(|(name, endpoint)| (name, endpoint.network_id.unwrap_or_default()))
            .collect(),
        app_armor_profile: c.app_armor_profile,
        process_label: c.process_label,
        processes: None,
        entrypoint: config.entrypoint,
        cmd: config.cmd.unwrap_or_default(),
        workload: None,
    }
}

fn map_host_config(h: api::HostConfig) -> HostConfig {
    let restart = h.restart_policy.unwrap_or_default();
    HostConfig {
        privileged: h.privileged.unwrap_or(false),
        network_mode: h.network_mode.unwrap_or_default(),
        pid_mode: h.pid_mode.unwrap_or_default(),
        ipc_mode: h.ipc_mode.unwrap_or_default(),
        uts_mode: h.uts_mode.unwrap_or_default(),
        userns_mode: h.userns_mode.unwrap_or_default(),
        cgroupns_mode: enum_text(h.cgroupns_mode).unwrap_or_default(),
        cap_add: h.cap_add.unwrap_or_default(),
        cap_drop: h.cap_drop.unwrap_or_default(),
        security_opt: h.security_opt.unwrap_or_default(),
        readonly_rootfs: h.readonly_rootfs.unwrap_or(false),
        memory: h.memory.unwrap_or(0),
        memory_swap: h.memory_swap.unwrap_or(0),
        cpu_shares: h.cpu_shares.unwrap_or(0),
        nano_cpus: h.nano_cpus.unwrap_or(0),
        cpu_quota: h.cpu_quota.unwrap_or(0),
        cpu_period: h.cpu_period.unwrap_or(0),
        cpuset_cpus: h.cpuset_cpus.unwrap_or_default(),
        pids_limit: h.pids_limit,
        restart_policy: RestartPolicy {
            name: enum_text(restart.name).unwrap_or_default(),
            maximum_retry_count: restart.maximum_retry_count.unwrap_or(0),
        },
        cgroup_parent: h.cgroup_parent.unwrap_or_default(),
        devices: h
            .devices
            .unwrap_or_default()
            .into_iter()
            .map(|d| Device {
                path_on_host: d.path_on_host.unwrap_or_default(),
                path_in_container: d.path_in_container.unwrap_or_default(),
                cgroup_permissions: d.cgroup_permissions.unwrap_or_default(),
            })
            .collect(),
        device_cgroup_rules: h.device_cgroup_rules.unwrap_or_default(),
        device_requests: h
            .device_requests
            .unwrap_or_default()
            .into_iter()
            .map(describe_device_request)
            .collect(),
        ulimits: h
            .ulimits
            .unwrap_or_default()
            .into_iter()
            .map(|u| Ulimit {
                name: u.name.unwrap_or_default(),
                soft: u.soft.unwrap_or(0),
                hard: u.hard.unwrap_or(0),
            })
            .collect(),
        port_bindings: map_ports(h.port_bindings),
        publish_all_ports: h.publish_all_ports.unwrap_or(false),
        tmpfs: h.tmpfs.unwrap_or_default().into_iter().collect(),
    }
}

/// `driver:caps`, capability sets joined by `;` and the capabilities of a set by `,`
/// (`nvidia:gpu,utility`; `--gpus all` has no driver: `:gpu`).
fn describe_device_request(r: api::DeviceRequest) -> String {
    let caps: Vec<String> = r
        .capabilities
        .unwrap_or_default()
        .into_iter()
        .map(|set| set.join(","))
        .collect();
    format!("{}:{}", r.driver.unwrap_or_default(), caps.join(";"))
}

/// One binding per host binding, sorted; exposed ports without a binding give none.
fn map_ports(ports: Option<api::PortMap>) -> Vec<PortBinding> {
    let mut out: Vec<PortBinding> = ports
        .unwrap_or_default()
        .into_iter()
        .flat_map(|(container_port, bindings)| {
            bindings.unwrap_or_default().into_iter().map(move |b| PortBinding {
                container_port: container_port.clone(),
                host_ip: b.host_ip.unwrap_or_default(),
                host_port: b.host_port.unwrap_or_default(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.container_port, &a.host_ip, &a.host_port).cmp(&(&b.container_port, &b.host_ip, &b.host_port))
    });
    out
}

fn map_mount(m: api::MountPoint) -> Mount {
    Mount {
        kind: m.typ.unwrap_or_default(),
        source: m.source.unwrap_or_default(),
        destination: m.destination.unwrap_or_default(),
        // Docker mounts read-write unless told otherwise; an unknown mode must not look safer.
        rw: m.rw.unwrap_or(true),
        mode: m.mode.unwrap_or_default(),
        propagation: m.propagation.unwrap_or_default(),
        name: non_empty(m.name),
    }
}

/// Rows of `ps` output, picking the PID, user and command columns by title (their position
/// depends on the daemon's `ps` and platform).
pub(super) fn map_top(top: api::ContainerTopResponse) -> Vec<Process> {
    let titles = top.titles.unwrap_or_default();
    let column = |names: &[&str]| {
        titles
            .iter()
            .position(|t| names.iter().any(|n| t.eq_ignore_ascii_case(n)))
    };
    let pid = column(&["PID"]);
    let user = column(&["UID", "USER"]);
    let command = column(&["CMD", "COMMAND"]);
    let cell = |row: &[String], idx: Option<usize>| idx.and_then(|i| row.get(i)).cloned().unwrap_or_default();
    top.processes
        .unwrap_or_default()
        .into_iter()
        .map(|row| Process {
            pid: cell(&row, pid),
            user: cell(&row, user),
            command: cell(&row, command),
        })
        .collect()
}

pub(super) fn map_image(i: api::ImageInspect, history: Fact<Vec<HistoryStep>>) -> Image {
    let config = i.config.unwrap_or_default();
    let mut volumes = config.volumes.unwrap_or_default();
    // Decoded from a JSON object: its order is not stable.
    volumes.sort();
    Image {
        id: i.id.unwrap_or_default(),
        repo_tags: i.repo_tags.unwrap_or_default(),
        repo_digests: i.repo_digests.unwrap_or_default(),
        created: non_empty(i.created),
        size: i.size,
        user: non_empty(config.user),
        healthcheck: config.healthcheck.and_then(|h| h.test),
        env_names: env_names(config.env),
        volumes,
        labels: sorted_map(config.labels),
        history,
    }
}

/// Newest step first, as returned. The API has no `empty_layer`; a step that added no bytes is
/// reported as one.
pub(super) fn map_history(steps: Vec<api::ImageHistoryResponseItem>) -> Vec<HistoryStep> {
    steps
        .into_iter()
        .map(|s| HistoryStep {
            created_by: s.created_by,
            created: Some(s.created),
            empty_layer: s.size == 0,
            comment: s.comment,
        })
        .collect()
}

pub(super) fn map_network(n: api::Network) -> Network {
    Network {
        id: n.id.unwrap_or_default(),
        name: n.name.unwrap_or_default(),
        driver: n.driver.unwrap_or_default(),
        scope: n.scope.unwrap_or_default(),
        internal: n.internal.unwrap_or(false),
        ingress: n.ingress.unwrap_or(false),
        options: sorted_map(n.options),
        containers: Vec::new(),
    }
}

pub(super) fn network_containers(containers: Option<HashMap<String, api::EndpointResource>>) -> Vec<String> {
    let mut ids: Vec<String> = containers.unwrap_or_default().into_keys().collect();
    ids.sort();
    ids
}

pub(super) fn autolock(s: &api::Swarm) -> Option<bool> {
    s.spec
        .as_ref()
        .and_then(|spec| spec.encryption_config.as_ref())
        .and_then(|e| e.auto_lock_managers)
}

pub(super) fn map_node(n: api::Node) -> SwarmNode {
    let manager = n.manager_status.unwrap_or_default();
    SwarmNode {
        id: n.id.unwrap_or_default(),
        hostname: n.description.and_then(|d| d.hostname).unwrap_or_default(),
        role: enum_text(n.spec.and_then(|s| s.role)).unwrap_or_default(),
        addr: n.status.and_then(|s| s.addr).unwrap_or_default(),
        manager_addr: non_empty(manager.addr),
        leader: manager.leader.unwrap_or(false),
    }
}

pub(super) fn map_service(s: api::Service) -> SwarmService {
    let spec = s.spec.unwrap_or_default();
    let restart = spec.task_template.and_then(|t| t.restart_policy).unwrap_or_default();
    SwarmService {
        id: s.id.unwrap_or_default(),
        name: spec.name.unwrap_or_default(),
        restart_condition: enum_text(restart.condition),
        restart_max_attempts: restart.max_attempts.and_then(|n| u64::try_from(n).ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_keeps_names_only() {
        let env = Some(vec![
            "PATH=/usr/bin".into(),
            "DB_PASSWORD=hunter2".into(),
            "EMPTY=".into(),
            "BARE".into(),
        ]);
        assert_eq!(env_names(env), vec!["PATH", "DB_PASSWORD", "EMPTY", "BARE"]);
        assert!(env_names(None).is_empty());
    }

    fn port(host_ip: &str, host_port: &str) -> api::PortBinding {
        api::PortBinding {
            host_ip: Some(host_ip.into()),
            host_port: Some(host_port.into()),
        }
    }

    #[test]
    fn maps_a_full_container() {
        let long_label = "x".repeat(10_000);
        let mut port_map: api::PortMap = HashMap::new();
        port_map.insert("80/tcp".into(), Some(vec![port("0.0.0.0", "8080"), port("::", "8080")]));
        port_map.insert("443/tcp".into(), None);
        let inspected = api::ContainerInspectResponse {
            id: Some("abc123".into()),
            name: Some("/web/odd name \u{1F433}".into()),
            image: Some("sha256:img".into()),
            created: Some("2024-01-02T03:04:05Z".into()),
            app_armor_profile: Some("docker-default".into()),
            process_label: Some(String::new()),
            state: Some(api::ContainerState {
                status: Some(api::ContainerStateStatusEnum::RUNNING),
                running: Some(true),
                pid: Some(4242),
                health: Some(api::Health {
                    status: Some(api::HealthStatusEnum::HEALTHY),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            config: Some(api::ContainerConfig {
                image: Some("nginx:1.25".into()),
                user: Some("101:101".into()),
                env: Some(vec!["SECRET_TOKEN=abc".into()]),
                labels: Some(HashMap::from([("long".to_string(), long_label.clone())])),
                healthcheck: Some(api::HealthConfig {
                    test: Some(vec!["CMD-SHELL".into(), "curl -f localhost".into()]),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            host_config: Some(api::HostConfig {
                privileged: Some(true),
                network_mode: Some("host".into()),
                pid_mode: Some("host".into()),
                cgroupns_mode: Some(api::HostConfigCgroupnsModeEnum::PRIVATE),
                cap_add: Some(vec!["NET_ADMIN".into()]),
                cap_drop: Some(vec!["ALL".into()]),
                security_opt: Some(vec!["no-new-privileges".into()]),
                memory: Some(256 << 20),
                pids_limit: Some(100),
                restart_policy: Some(api::RestartPolicy {
                    name: Some(api::RestartPolicyNameEnum::ON_FAILURE),
                    maximum_retry_count: Some(5),
                }),
                devices: Some(vec![api::DeviceMapping {
                    path_on_host: Some("/dev/fuse".into()),
                    path_in_container: Some("/dev/fuse".into()),
                    cgroup_permissions: Some("rwm".into()),
                }]),
                device_requests: Some(vec![api::DeviceRequest {
                    driver: Some("nvidia".into()),
                    capabilities: Some(vec![vec!["gpu".into(), "utility".into()]]),
                    ..Default::default()
                }]),
                ulimits: Some(vec![api::ResourcesUlimits {
                    name: Some("nofile".into()),
                    soft: Some(1024),
                    hard: Some(2048),
                }]),
                port_bindings: Some(HashMap::from([("80/tcp".to_string(), Some(vec![port("", "8080")]))])),
                ..Default::default()
            }),
            mounts: Some(vec![
                api::MountPoint {
                    typ: Some("volume".into()),
                    name: Some("data".into()),
                    source: Some("/var/lib/docker/volumes/data/_data".into()),
                    destination: Some("/z".into()),
                    rw: Some(false),
                    mode: Some("ro".into()),
                    ..Default::default()
                },
                api::MountPoint {
                    typ: Some("bind".into()),
                    source: Some("/etc".into()),
                    destination: Some("/host-etc".into()),
                    rw: Some(true),
                    propagation: Some("rprivate".into()),
                    ..Default::default()
                },
            ]),
            network_settings: Some(api::NetworkSettings {
                ports: Some(port_map),
                networks: Some(HashMap::from([(
                    "bridge".to_string(),
                    api::EndpointSettings {
                        network_id: Some("netid".into()),
                        ..Default::default()
                    },
                )])),
                ..Default::default()
            }),
            ..Default::default()
        };
        let c = map_container(inspected);
        assert_eq!(c.id, "abc123");
        assert_eq!(c.name, "web/odd name \u{1F433}");
        assert_eq!(c.image, "nginx:1.25");
        assert_eq!(c.image_id, "sha256:img");
        assert_eq!(c.state.status, "running");
        assert!(c.is_running());
        assert_eq!(c.state.pid, 4242);
        assert_eq!(c.state.health.as_deref(), Some("healthy"));
        assert_eq!(c.user.as_deref(), Some("101:101"));
        assert_eq!(
            c.healthcheck,
            Some(vec!["CMD-SHELL".to_string(), "curl -f localhost".to_string()])
        );
        assert_eq!(c.labels["long"], long_label);
        assert_eq!(c.env_names, vec!["SECRET_TOKEN"]);
        let json = serde_json::to_string(&c).unwrap();
        assert!(!json.contains("abc\""), "an env value leaked: {json}");
        let h = &c.host_config;
        assert!(h.privileged);
        assert_eq!(
            (h.network_mode.as_str(), h.pid_mode.as_str(), h.cgroupns_mode.as_str()),
            ("host", "host", "private")
        );
        assert_eq!(h.cap_add, vec!["NET_ADMIN"]);
        assert_eq!(h.cap_drop, vec!["ALL"]);
        assert_eq!(h.memory, 256 << 20);
        assert_eq!(h.pids_limit, Some(100));
        assert_eq!(
            h.restart_policy,
            RestartPolicy {
                name: "on-failure".into(),
                maximum_retry_count: 5
            }
        );
        assert_eq!(h.devices[0].path_on_host, "/dev/fuse");
        assert_eq!(h.device_requests, vec!["nvidia:gpu,utility"]);
        assert_eq!(
            h.ulimits,
            vec![Ulimit {
                name: "nofile".into(),
                soft: 1024,
                hard: 2048
            }]
        );
        assert_eq!(
            h.port_bindings,
            vec![PortBinding {
                container_port: "80/tcp".into(),
                host_ip: String::new(),
                host_port: "8080".into()
            }]
        );
        assert_eq!(
            c.ports
                .iter()
                .map(|p| (p.container_port.as_str(), p.host_ip.as_str()))
                .collect::<Vec<_>>(),
            vec![("80/tcp", "0.0.0.0"), ("80/tcp", "::")]
        );
        assert_eq!(
            c.mounts.iter().map(|m| m.destination.as_str()).collect::<Vec<_>>(),
            vec!["/host-etc", "/z"]
        );
        assert_eq!(c.mounts[0].kind, "bind");
        assert!(c.mounts[0].rw);
        assert_eq!(c.mounts[0].propagation, "rprivate");
        assert_eq!(c.mounts[1].name.as_deref(), Some("data"));
        assert!(!c.mounts[1].rw);
        assert_eq!(c.networks["bridge"], "netid");
        assert_eq!(c.app_armor_profile.as_deref(), Some("docker-default"));
        assert_eq!(c.process_label.as_deref(), Some(""));
        assert_eq!(c.processes, None);
    }

    #[test]
    fn missing_container_fields_become_defaults() {
        let c = map_container(api::ContainerInspectResponse::default());
        assert_eq!(c, Container::default());
        let c = map_container(api::ContainerInspectResponse {
            config: Some(api::ContainerConfig {
                user: Some(String::new()),
                healthcheck: Some(api::HealthConfig::default()),
                ..Default::default()
            }),
            host_config: Some(api::HostConfig {
                pids_limit: None,
                ..Default::default()
            }),
            mounts: Some(vec![api::MountPoint::default()]),
            ..Default::default()
        });
        assert_eq!(c.user, None);
        assert_eq!(c.healthcheck, None);
        let never_started = map_container(api::ContainerInspectResponse {
            state: Some(api::ContainerState {
                started_at: Some("0001-01-01T00:00:00Z".into()),
                ..Default::default()
            }),
            ..Default::default()
        });
        assert_eq!(never_started.state.started_at, None);
        assert_eq!(c.host_config.pids_limit, None);
        assert!(c.mounts[0].rw, "a mount of unknown mode is treated as writable");
    }

    #[test]
    fn top_columns_are_found_by_title() {
        let top = api::ContainerTopResponse {
            titles: Some(vec![
                "UID".into(),
                "PID".into(),
                "PPID".into(),
                "C".into(),
                "STIME".into(),
                "TTY".into(),
                "TIME".into(),
                "CMD".into(),
            ]),
            processes: Some(vec![
                vec!["root", "4242", "4200", "0", "10:00", "?", "00:00:00", "sleep 1000"]
                    .into_iter()
                    .map(String::from)
                    .collect(),
                vec!["short".to_string()],
            ]),
        };
        let procs = map_top(top);
        assert_eq!(
            procs[0],
            Process {
                pid: "4242".into(),
                user: "root".into(),
                command: "sleep 1000".into()
            }
        );
        assert_eq!(
            procs[1],
            Process {
                pid: String::new(),
                user: "short".into(),
                command: String::new()
            }
        );
        let top = api::ContainerTopResponse {
            titles: Some(vec!["PID".into(), "USER".into(), "TIME".into(), "COMMAND".into()]),
            processes: Some(vec![vec!["1".into(), "nobody".into(), "0:00".into(), "/init".into()]]),
        };
        assert_eq!(
            map_top(top),
            vec![Process {
                pid: "1".into(),
                user: "nobody".into(),
                command: "/init".into()
            }]
        );
        assert!(map_top(api::ContainerTopResponse::default()).is_empty());
    }

    #[test]
    fn maps_images_and_history() {
        let inspected = api::ImageInspect {
            id: Some("sha256:aaa".into()),
            repo_tags: Some(vec!["busybox:1".into()]),
            size: Some(1234),
            config: Some(api::ImageConfig {
                user: Some(String::new()),
                env: Some(vec!["API_KEY=xyz".into()]),
                volumes: Some(vec!["/data".into(), "/cache".into()]),
                ..Default::default()
            }),
            ..Default::default()
        };
        let steps = vec![
            api::ImageHistoryResponseItem {
                created: 1700000000,
                created_by: "/bin/sh -c #(nop)  CMD [\"sh\"]".into(),
                size: 0,
                ..Default::default()
            },
            api::ImageHistoryResponseItem {
                created: 1690000000,
                created_by: "ADD file".into(),
                size: 10,
                comment: "import".into(),
                ..Default::default()
            },
        ];
        let image = map_image(inspected, Fact::Ok(map_history(steps)));
        assert_eq!(image.id, "sha256:aaa");
        assert_eq!(image.user, None);
        assert_eq!(image.healthcheck, None);
        assert_eq!(image.env_names, vec!["API_KEY"]);
        assert_eq!(image.volumes, vec!["/cache", "/data"]);
        assert_eq!(image.size, Some(1234));
        let history = image.history.ok().unwrap();
        assert!(history[0].empty_layer);
        assert_eq!(history[1].comment, "import");
        assert_eq!(history[1].created, Some(1690000000));
        assert!(!history[1].empty_layer);

        let bare = map_image(
            api::ImageInspect::default(),
            Fact::unavailable("GET /images/x/history", "gone"),
        );
        assert_eq!(bare.repo_tags, Vec::<String>::new());
        assert!(bare.history.ok().is_none());
    }

    #[test]
    fn maps_info_with_and_without_fields() {
        let info = api::SystemInfo {
            security_options: Some(vec!["name=seccomp,profile=default".into(), "name=apparmor".into()]),
            cgroup_driver: Some(api::SystemInfoCgroupDriverEnum::SYSTEMD),
            cgroup_version: Some(api::SystemInfoCgroupVersionEnum::_2),
            live_restore_enabled: Some(true),
            driver_status: Some(vec![
                vec!["Backing Filesystem".into(), "extfs".into()],
                vec!["odd".into()],
            ]),
            registry_config: Some(api::RegistryServiceConfig {
                insecure_registry_cidrs: Some(vec!["127.0.0.0/8".into()]),
                index_configs: Some(HashMap::from([(
                    "docker.io".to_string(),
                    api::IndexInfo {
                        name: Some("docker.io".into()),
                        secure: Some(true),
                        ..Default::default()
                    },
                )])),
                ..Default::default()
            }),
            plugins: Some(api::PluginsInfo {
                authorization: Some(vec!["opa-docker-authz".into()]),
                log: Some(vec!["json-file".into(), "syslog".into()]),
                ..Default::default()
            }),
            runtimes: Some(HashMap::from([
                (
                    "runc".to_string(),
                    api::Runtime {
                        path: Some("runc".into()),
                        ..Default::default()
                    },
                ),
                ("io.containerd.runc.v2".to_string(), api::Runtime::default()),
            ])),
            swarm: Some(api::SwarmInfo {
                local_node_state: Some(api::LocalNodeState::ACTIVE),
                node_id: Some("node1".into()),
                control_available: Some(true),
                managers: Some(3),
                remote_managers: Some(vec![
                    api::PeerNode {
                        node_id: Some("b".into()),
                        addr: Some("10.0.0.2:2377".into()),
                    },
                    api::PeerNode {
                        node_id: Some("a".into()),
                        addr: Some("10.0.0.1:2377".into()),
                    },
                ]),
                cluster: Some(api::ClusterInfo {
                    spec: Some(api::SwarmSpec {
                        ca_config: Some(api::SwarmSpecCaConfig {
                            node_cert_expiry: Some(7_776_000_000_000_000),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let i = map_info(info);
        assert!(i.has_security_option("seccomp"));
        assert_eq!(i.cgroup_driver.as_deref(), Some("systemd"));
        assert_eq!(i.cgroup_version.as_deref(), Some("2"));
        assert_eq!(i.live_restore_enabled, Some(true));
        assert_eq!(
            i.driver_status,
            vec![
                ("Backing Filesystem".into(), "extfs".into()),
                ("odd".into(), String::new())
            ]
        );
        assert_eq!(i.insecure_registry_cidrs, vec!["127.0.0.0/8"]);
        assert_eq!(
            i.index_configs,
            vec![IndexConfig {
                name: "docker.io".into(),
                secure: Some(true),
                mirrors: vec![]
            }]
        );
        assert_eq!(i.authorization_plugins, vec!["opa-docker-authz"]);
        assert_eq!(i.log_plugins.len(), 2);
        assert_eq!(i.runtimes["runc"], "runc");
        assert_eq!(i.runtimes["io.containerd.runc.v2"], "io.containerd.runc.v2");
        assert_eq!(i.swarm.local_node_state.as_deref(), Some("active"));
        assert_eq!(i.swarm.control_available, Some(true));
        assert_eq!(i.swarm.node_cert_expiry_ns, Some(7_776_000_000_000_000));
        assert_eq!(i.swarm.remote_managers, vec!["10.0.0.1:2377", "10.0.0.2:2377"]);

        let empty = map_info(api::SystemInfo::default());
        assert_eq!(empty, Info::default());
    }

    #[test]
    fn version_experimental_may_be_missing() {
        let v = map_version(
            api::SystemVersion {
                version: Some("20.10.24".into()),
                api_version: Some("1.41".into()),
                components: Some(vec![api::SystemVersionComponents {
                    name: "containerd".into(),
                    version: "1.6.20".into(),
                    details: None,
                }]),
                ..Default::default()
            },
            "1.41".into(),
        );
        assert_eq!(v.experimental, None);
        assert_eq!(v.negotiated_api_version.as_deref(), Some("1.41"));
        assert_eq!(v.components["containerd"], "1.6.20");
    }

    #[test]
    fn maps_networks_and_swarm_objects() {
        let n = map_network(api::Network {
            id: Some("n1".into()),
            name: Some("bridge".into()),
            driver: Some("bridge".into()),
            scope: Some("local".into()),
            options: Some(HashMap::from([(
                "com.docker.network.bridge.enable_icc".to_string(),
                "true".to_string(),
            )])),
            ..Default::default()
        });
        assert_eq!(n.options["com.docker.network.bridge.enable_icc"], "true");
        assert!(!n.internal);
        let ids = network_containers(Some(HashMap::from([
            ("bbb".to_string(), api::EndpointResource::default()),
            ("aaa".to_string(), api::EndpointResource::default()),
        ])));
        assert_eq!(ids, vec!["aaa", "bbb"]);
        assert!(network_containers(None).is_empty());

        let node = map_node(api::Node {
            id: Some("n".into()),
            spec: Some(api::NodeSpec {
                role: Some(api::NodeSpecRoleEnum::MANAGER),
                ..Default::default()
            }),
            manager_status: Some(api::ManagerStatus {
                leader: Some(true),
                addr: Some("10.0.0.1:2377".into()),
                ..Default::default()
            }),
            ..Default::default()
        });
        assert_eq!(node.role, "manager");
        assert!(node.leader);
        assert_eq!(node.manager_addr.as_deref(), Some("10.0.0.1:2377"));
        assert_eq!(map_node(api::Node::default()), SwarmNode::default());

        let service = map_service(api::Service {
            id: Some("s".into()),
            spec: Some(api::ServiceSpec {
                name: Some("web".into()),
                task_template: Some(api::TaskSpec {
                    restart_policy: Some(api::TaskSpecRestartPolicy {
                        condition: Some(api::TaskSpecRestartPolicyConditionEnum::ON_FAILURE),
                        max_attempts: Some(5),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        });
        assert_eq!(service.restart_condition.as_deref(), Some("on-failure"));
        assert_eq!(service.restart_max_attempts, Some(5));
        assert_eq!(map_service(api::Service::default()), SwarmService::default());

        let swarm = api::Swarm {
            spec: Some(api::SwarmSpec {
                encryption_config: Some(api::SwarmSpecEncryptionConfig {
                    auto_lock_managers: Some(false),
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(autolock(&swarm), Some(false));
        assert_eq!(autolock(&api::Swarm::default()), None);
    }

    #[test]
    fn device_requests_are_described() {
        let gpus_all = api::DeviceRequest {
            count: Some(-1),
            capabilities: Some(vec![vec!["gpu".into()]]),
            ..Default::default()
        };
        assert_eq!(describe_device_request(gpus_all), ":gpu");
        assert_eq!(describe_device_request(api::DeviceRequest::default()), ":");
    }
}
