//! The least-privilege rules, one observation at a time.

use std::collections::BTreeMap;

use super::*;
use crate::snapshot::{
    Change, ChangeKind, Changes, Container, ContainerState, Executable, ListenSocket, Mount, Owner, PortStart,
    ProcessPrivileges, ResourceUse, Unavailable,
};

/// Docker's default capability set as a mask.
const DEFAULT_CAPS: u64 = 0xa80425fb;

fn root_process(pid: u32) -> ProcessPrivileges {
    ProcessPrivileges {
        pid,
        name: "sh".into(),
        cap_eff: DEFAULT_CAPS,
        cap_prm: DEFAULT_CAPS,
        cap_bnd: DEFAULT_CAPS,
        seccomp: 2,
        exe: Some(Executable {
            path: "/bin/busybox".into(),
            mode: 0o755,
            ..Executable::default()
        }),
        ..ProcessPrivileges::default()
    }
}

fn user_process(pid: u32, uid: u32) -> ProcessPrivileges {
    ProcessPrivileges {
        uids: [uid; 4],
        gids: [uid; 4],
        cap_eff: 0,
        cap_prm: 0,
        ..root_process(pid)
    }
}

fn change(path: &str, kind: ChangeKind, owner: Option<(u32, u32, bool)>) -> Change {
    Change {
        path: path.into(),
        kind,
        owner: owner.map(|(uid, gid, dir)| Owner { uid, gid, dir }),
    }
}

fn workload(processes: Vec<ProcessPrivileges>, changes: Vec<Change>) -> Workload {
    Workload {
        changes: Fact::Ok(Changes {
            total: changes.len() as u64,
            entries: changes,
        }),
        processes: Fact::Ok(processes),
        listeners: Fact::Ok(vec![]),
        raw_sockets: Fact::Ok(0),
        unprivileged_port_start: Fact::Ok(PortStart {
            value: 0,
            source: "spec".into(),
        }),
        resources: Fact::Ok(ResourceUse {
            memory_bytes: Some(3 << 20),
            memory_peak_bytes: Some(5 << 20),
            pids: Some(2),
            pids_peak: Some(6),
            sources: vec![],
        }),
    }
}

fn container(w: Workload) -> Container {
    Container {
        id: "c".repeat(64),
        name: "web".into(),
        image: "busybox:latest".into(),
        state: ContainerState {
            running: true,
            pid: 42,
            ..ContainerState::default()
        },
        env_names: vec!["PATH".into(), "API_TOKEN".into()],
        workload: Some(w),
        ..Container::default()
    }
}

fn propose_for(w: Workload) -> Proposal {
    propose(&container(w), &["PATH".to_string()]).expect("a running container gets a proposal")
}

#[test]
fn a_pid_file_and_a_cache_give_read_only_and_two_tmpfs_without_capabilities() {
    let p = propose_for(workload(
        vec![root_process(1)],
        vec![
            change("/run", ChangeKind::Modified, None),
            change("/run/service.pid", ChangeKind::Added, Some((0, 0, false))),
            change("/tmp", ChangeKind::Modified, None),
            change("/tmp/cache", ChangeKind::Added, Some((0, 0, false))),
        ],
    ));
    assert!(p.read_only.enabled);
    assert_eq!(p.tmpfs_paths(), ["/run", "/tmp"]);
    assert!(
        p.tmpfs[0].reason.contains("added /run/service.pid"),
        "{}",
        p.tmpfs[0].reason
    );
    assert!(p.volumes.is_empty());
    assert!(p.cap_add().is_empty(), "{:?}", p.capabilities.add);
    assert_eq!(p.capabilities.effective_now.len(), 14);
    assert!(p.no_new_privileges.enabled);
    assert_eq!(p.user.user, None);
    assert_eq!(p.run.env_names, ["API_TOKEN"], "image variables are left to the image");
    assert!(p.gaps.is_empty());
}

#[test]
fn an_added_path_owned_by_nobody_running_means_chown() {
    let p = propose_for(workload(
        vec![root_process(1)],
        vec![
            change("/run", ChangeKind::Modified, None),
            change("/run/app", ChangeKind::Added, Some((1000, 1000, true))),
        ],
    ));
    assert_eq!(p.cap_add(), ["CHOWN"]);
    assert!(p.capabilities.add[0]
        .reason
        .contains("/run/app was added with owner uid 1000"));
    // Owned by a uid a process runs as: created by it, no chown needed.
    let p = propose_for(workload(
        vec![root_process(1), user_process(2, 1000)],
        vec![change("/run/app", ChangeKind::Added, Some((1000, 1000, true)))],
    ));
    assert!(!p.cap_add().contains(&"CHOWN"), "{:?}", p.capabilities.add);
    // A changed image file keeps its owner: not evidence.
    let p = propose_for(workload(
        vec![root_process(1)],
        vec![change("/etc/app.conf", ChangeKind::Modified, Some((1000, 1000, false)))],
    ));
    assert!(!p.cap_add().contains(&"CHOWN"));
    // A group no process is in.
    let p = propose_for(workload(
        vec![root_process(1)],
        vec![change("/run/sock", ChangeKind::Added, Some((0, 42, false)))],
    ));
    assert_eq!(p.cap_add(), ["CHOWN"]);
    assert!(p.capabilities.add[0].reason.contains("group 42"));
}

#[test]
fn a_root_parent_with_an_unprivileged_worker_means_setuid_and_setgid() {
    let p = propose_for(workload(vec![root_process(1), user_process(2, 1000)], vec![]));
    assert_eq!(p.cap_add(), ["SETUID", "SETGID"]);
    assert!(p.capabilities.add[0]
        .reason
        .contains("pid 1 (sh) runs with uid 0 and pid 2"));
    assert_eq!(p.user.user, None);
    assert!(p.user.reason.contains("needs root to switch"), "{}", p.user.reason);
}

#[test]
fn data_paths_need_a_volume_at_the_highest_added_directory() {
    let p = propose_for(workload(
        vec![root_process(1)],
        vec![
            change("/data", ChangeKind::Added, Some((0, 0, true))),
            change("/data/db", ChangeKind::Added, Some((0, 0, true))),
            change("/data/db/x", ChangeKind::Added, Some((0, 0, false))),
            change("/var", ChangeKind::Modified, None),
            change("/var/lib", ChangeKind::Modified, None),
            change("/var/lib/app", ChangeKind::Modified, None),
            change("/var/lib/app/state", ChangeKind::Modified, Some((0, 0, false))),
            change("/var/cache", ChangeKind::Modified, None),
            change("/var/cache/nginx", ChangeKind::Modified, None),
            change("/var/cache/nginx/client_temp", ChangeKind::Added, Some((0, 0, true))),
        ],
    ));
    assert_eq!(p.volume_paths(), ["/data", "/var/lib/app"]);
    assert_eq!(p.tmpfs_paths(), ["/var/cache/nginx"]);
    assert!(p.read_only.enabled, "{}", p.read_only.reason);
    // A file added directly in an image directory takes a volume on that directory.
    let p = propose_for(workload(
        vec![root_process(1)],
        vec![
            change("/srv", ChangeKind::Modified, None),
            change("/srv/upload.bin", ChangeKind::Added, Some((0, 0, false))),
        ],
    ));
    assert_eq!(p.volume_paths(), ["/srv"]);
}

#[test]
fn writes_into_system_directories_keep_the_root_filesystem_writable() {
    let p = propose_for(workload(
        vec![root_process(1)],
        vec![
            change("/etc", ChangeKind::Modified, None),
            change("/etc/motd", ChangeKind::Modified, Some((0, 0, false))),
        ],
    ));
    assert!(!p.read_only.enabled);
    assert!(p.read_only.reason.contains("/etc"), "{}", p.read_only.reason);
}

#[test]
fn mount_points_are_not_writes() {
    let mut c = container(workload(
        vec![root_process(1)],
        vec![
            change("/data", ChangeKind::Added, Some((0, 0, true))),
            change("/run", ChangeKind::Added, Some((0, 0, true))),
        ],
    ));
    c.mounts = vec![Mount {
        kind: "volume".into(),
        destination: "/data".into(),
        name: Some("appdata".into()),
        rw: true,
        ..Mount::default()
    }];
    c.host_config.tmpfs = BTreeMap::from([("/run".to_string(), String::new())]);
    let p = propose(&c, &[]).unwrap();
    assert!(
        p.volumes.is_empty() && p.tmpfs.is_empty(),
        "{:?} {:?}",
        p.volumes,
        p.tmpfs
    );
    assert_eq!(p.read_only.reason, "its writable-layer changes are all mount points");
    // Both are kept in the run line.
    let kept: Vec<(&str, &str)> = p
        .run
        .mounts
        .iter()
        .map(|m| (m.kind.as_str(), m.target.as_str()))
        .collect();
    assert_eq!(kept, [("volume", "/data"), ("tmpfs", "/run")]);
    assert_eq!(p.run.mounts[0].source, "appdata");
}

#[test]
fn unprivileged_processes_need_no_capability_and_keep_their_user() {
    let mut c = container(workload(vec![user_process(1, 1000), user_process(2, 1000)], vec![]));
    c.user = Some("1000:1000".into());
    let p = propose(&c, &[]).unwrap();
    assert!(p.cap_add().is_empty());
    assert_eq!(p.capabilities.not_needed[0].name, "ALL");
    assert_eq!(p.user.user.as_deref(), Some("1000:1000"));
    // Started as root, now all 1000 (gosu, su-exec): start as 1000 instead.
    c.user = None;
    let p = propose(&c, &[]).unwrap();
    assert_eq!(p.user.user.as_deref(), Some("1000:1000"));
    assert!(p.user.reason.contains("starts as root"), "{}", p.user.reason);
}

#[test]
fn low_ports_need_net_bind_service_only_below_the_namespace_start() {
    let listen = |port| ListenSocket {
        proto: "tcp".into(),
        addr: "0.0.0.0".into(),
        port,
    };
    let mut w = workload(vec![root_process(1)], vec![]);
    w.listeners = Fact::Ok(vec![listen(80), listen(8080)]);
    let p = propose_for(w.clone());
    assert!(p.cap_add().is_empty());
    assert!(p.capabilities.not_needed[0].reason.contains("port 80"));
    w.unprivileged_port_start = Fact::Ok(PortStart {
        value: 1024,
        source: "kernel default".into(),
    });
    let p = propose_for(w.clone());
    assert_eq!(p.cap_add(), ["NET_BIND_SERVICE"]);
    // Unknown start: kept (1024 assumed), and the proposal says the list may be short.
    w.unprivileged_port_start = Fact::unavailable("net.ipv4.ip_unprivileged_port_start", "no shim");
    let p = propose_for(w);
    assert_eq!(p.cap_add(), ["NET_BIND_SERVICE"]);
    assert!(p
        .capabilities
        .incomplete
        .as_deref()
        .unwrap()
        .contains("1024 was assumed"));
    assert_eq!(p.gaps.len(), 1);
}

#[test]
fn raw_sockets_in_its_own_namespace_need_net_raw() {
    let mut w = workload(vec![root_process(1)], vec![]);
    w.raw_sockets = Fact::Ok(1);
    assert_eq!(propose_for(w.clone()).cap_add(), ["NET_RAW"]);
    let mut c = container(w);
    c.host_config.network_mode = "host".into();
    assert!(
        propose(&c, &[]).unwrap().cap_add().is_empty(),
        "the host's sockets are not the container's"
    );
}

#[test]
fn missing_process_facts_are_never_read_as_no_capability_needed() {
    let mut w = workload(vec![], vec![]);
    w.processes = Fact::Unavailable(Unavailable {
        source: "/proc/42/status".into(),
        reason: "permission denied".into(),
    });
    let mut c = container(w);
    c.host_config.cap_add = vec!["NET_ADMIN".into()];
    let p = propose(&c, &[]).unwrap();
    assert!(p.capabilities.not_needed.is_empty());
    assert!(p
        .capabilities
        .incomplete
        .as_deref()
        .unwrap()
        .contains("permission denied"));
    assert_eq!(
        p.cap_add(),
        ["NET_ADMIN"],
        "an explicit grant is kept when use cannot be seen"
    );
    assert!(!p.no_new_privileges.enabled);
    assert_eq!(p.user.user, None);
    assert!(p.gaps.iter().any(|g| g.source == "/proc/42/status"));
    // The same with missing changes: nothing about the root filesystem is guessed.
    let mut w = workload(vec![root_process(1)], vec![]);
    w.changes = Fact::unavailable("GET /containers/c/changes", "timeout");
    let p = propose_for(w);
    assert!(!p.read_only.enabled);
    assert!(p.read_only.reason.contains("timeout"));
}

#[test]
fn setuid_executables_keep_no_new_privileges_off() {
    let mut su = root_process(2);
    su.exe = Some(Executable {
        path: "/bin/su".into(),
        mode: 0o4755,
        ..Executable::default()
    });
    let p = propose_for(workload(vec![root_process(1), su], vec![]));
    assert!(!p.no_new_privileges.enabled);
    assert!(p.no_new_privileges.reason.contains("/bin/su"));
    let mut gained = user_process(3, 1000);
    gained.uids = [1000, 0, 0, 0];
    let p = propose_for(workload(vec![gained], vec![]));
    assert!(!p.no_new_privileges.enabled);
    assert!(p.no_new_privileges.reason.contains("real uid/gid 1000"));
}

#[test]
fn dangerous_settings_are_removed_with_their_reason() {
    let mut c = container(workload(vec![root_process(1)], vec![]));
    c.host_config.privileged = true;
    c.host_config.network_mode = "host".into();
    c.host_config.pid_mode = "host".into();
    c.host_config.security_opt = vec!["seccomp:unconfined".into()];
    c.mounts = vec![Mount {
        kind: "bind".into(),
        source: "/var/run/docker.sock".into(),
        destination: "/var/run/docker.sock".into(),
        rw: true,
        ..Mount::default()
    }];
    let p = propose(&c, &[]).unwrap();
    let removed: Vec<&str> = p.removals.iter().map(|r| r.setting.as_str()).collect();
    assert_eq!(
        removed,
        [
            "--privileged",
            "--network host",
            "--pid host",
            "-v /var/run/docker.sock:/var/run/docker.sock",
            "--security-opt seccomp:unconfined"
        ]
    );
    assert!(p.run.mounts.is_empty(), "the socket is not kept");
    assert_eq!(p.run.network, None);
    assert!(p.capabilities.incomplete.as_deref().unwrap().contains("privileged"));
}

#[test]
fn limits_have_headroom_and_keep_a_tighter_existing_one() {
    let p = propose_for(workload(vec![root_process(1)], vec![]));
    assert_eq!(p.memory.value, Some(37 << 20), "peak 5 MiB + 32 MiB margin");
    assert_eq!(p.memory.observed, Some(5 << 20));
    assert_eq!(p.pids_limit.value, Some(38), "peak 6 + 32");
    let mut c = container(workload(vec![root_process(1)], vec![]));
    c.host_config.memory = 16 << 20;
    c.host_config.pids_limit = Some(1000);
    let p = propose(&c, &[]).unwrap();
    assert_eq!(p.memory.value, Some(16 << 20), "{}", p.memory.reason);
    assert_eq!(p.pids_limit.value, Some(38));
    let mut w = workload(vec![root_process(1)], vec![]);
    w.resources = Fact::unavailable("/sys/fs/cgroup", "not mounted");
    let mut c = container(w);
    c.host_config.memory = 64 << 20;
    let p = propose(&c, &[]).unwrap();
    assert_eq!(
        p.memory.value,
        Some(64 << 20),
        "an existing limit survives missing facts"
    );
    assert_eq!(p.pids_limit.value, None);
}

#[test]
fn compose_labels_and_the_run_spec() {
    let mut c = container(workload(vec![root_process(1)], vec![]));
    c.labels = BTreeMap::from([
        (COMPOSE_PROJECT.to_string(), "shop".to_string()),
        (COMPOSE_SERVICE.to_string(), "web".to_string()),
    ]);
    c.host_config.port_bindings = vec![
        crate::snapshot::PortBinding {
            container_port: "80/tcp".into(),
            host_ip: "0.0.0.0".into(),
            host_port: "8080".into(),
        },
        crate::snapshot::PortBinding {
            container_port: "80/tcp".into(),
            host_ip: "::".into(),
            host_port: "8080".into(),
        },
        crate::snapshot::PortBinding {
            container_port: "443/tcp".into(),
            host_ip: "127.0.0.1".into(),
            host_port: "8443".into(),
        },
    ];
    c.host_config.restart_policy.name = "on-failure".into();
    c.host_config.restart_policy.maximum_retry_count = 5;
    c.cmd = vec!["httpd".into(), "-f".into()];
    let p = propose(&c, &[]).unwrap();
    assert_eq!(p.compose.as_ref().map(|s| s.service.as_str()), Some("web"));
    assert_eq!(p.run.publish, ["8080:80/tcp", "127.0.0.1:8443:443/tcp"]);
    assert_eq!(p.run.restart.as_deref(), Some("on-failure:5"));
    assert_eq!(p.run.command, ["httpd", "-f"]);
}

#[test]
fn stopped_or_unobserved_containers_get_no_proposal() {
    let mut c = container(workload(vec![], vec![]));
    c.workload = None;
    assert!(propose(&c, &[]).is_none());
    assert!(hint::pointer(&c).contains("while it runs"));
    assert_eq!(
        hint::capabilities(&c),
        "--cap-drop ALL --cap-add <only the needed capabilities>"
    );
}

#[test]
fn remediation_hints_carry_the_concrete_flags() {
    let c = container(workload(
        vec![root_process(1)],
        vec![
            change("/run/app", ChangeKind::Added, Some((1000, 1000, true))),
            change("/tmp/x", ChangeKind::Added, Some((0, 0, false))),
        ],
    ));
    assert_eq!(hint::capabilities(&c), "--cap-drop ALL --cap-add CHOWN");
    assert_eq!(hint::read_only(&c), "--read-only --tmpfs /run --tmpfs /tmp");
    assert_eq!(hint::memory(&c), "--memory 37m");
    assert_eq!(hint::pids(&c), "--pids-limit 38");
    assert!(hint::pointer(&c).contains("`dockaudit harden web`"));
}

#[test]
fn capability_masks_name_every_bit() {
    assert_eq!(caps::names(1 << 10 | 1), ["CHOWN", "NET_BIND_SERVICE"]);
    assert_eq!(caps::names(1 << 63), ["CAP_63"]);
    assert_eq!(caps::names(DEFAULT_CAPS).len(), 14);
    for cap in crate::interpret::capabilities::DOCKER_DEFAULT {
        assert!(caps::names(DEFAULT_CAPS).iter().any(|n| n == cap), "{cap}");
    }
}

#[test]
fn a_mount_point_docker_added_says_nothing_about_chown() {
    // A bind-mounted host socket appears as an added path owned by the host's docker group.
    let mut c = container(workload(
        vec![root_process(1)],
        vec![
            change("/var/run", ChangeKind::Modified, None),
            change("/var/run/docker.sock", ChangeKind::Added, Some((0, 105, false))),
        ],
    ));
    c.mounts = vec![Mount {
        kind: "bind".into(),
        source: "/var/run/docker.sock".into(),
        destination: "/var/run/docker.sock".into(),
        rw: true,
        ..Mount::default()
    }];
    let p = propose(&c, &[]).unwrap();
    assert!(!p.cap_add().contains(&"CHOWN"), "{:?}", p.capabilities.add);
    assert_eq!(p.read_only.reason, "its writable-layer changes are all mount points");
}

#[test]
fn writes_only_to_data_read_as_the_volume_below() {
    let p = propose_for(workload(
        vec![root_process(1)],
        vec![
            change("/data", ChangeKind::Added, Some((0, 0, true))),
            change("/data/log", ChangeKind::Added, Some((0, 0, false))),
        ],
    ));
    assert_eq!(p.volume_paths(), ["/data"]);
    assert_eq!(p.read_only.reason, "its writes all go to the volume below");
}
