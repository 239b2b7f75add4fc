//! Unit tests of this section's checks: pass and fail cases from hand-built facts.

use super::super::testing::{container, empty_host, eval, host_with, target_names, unavailable_facts};
use crate::snapshot::*;
use crate::snapshot::{
    DaemonJson, DaemonProcess, Device, Facts, HostFacts, Process, Swarm, SwarmService, Ulimit, Unavailable,
};
use dockaudit_shared::report::Status;

const CONTAINER_CHECKS: &[&str] = &[
    "5.4", "5.5", "5.6", "5.7", "5.8", "5.9", "5.10", "5.11", "5.12", "5.13", "5.14", "5.15", "5.16", "5.17", "5.18",
    "5.19", "5.20", "5.21", "5.22", "5.25", "5.26", "5.27", "5.28", "5.29", "5.30", "5.31", "5.32",
];

fn status(id: &str, c: Container) -> Status {
    eval(id, &host_with(vec![c])).status
}

fn bind(source: &str, destination: &str, rw: bool) -> Mount {
    Mount {
        kind: "bind".into(),
        source: source.into(),
        destination: destination.into(),
        rw,
        ..Mount::default()
    }
}

fn port(ip: &str, host: &str) -> PortBinding {
    PortBinding {
        container_port: "80/tcp".into(),
        host_ip: ip.into(),
        host_port: host.into(),
    }
}

fn running(name: &str, commands: &[&str]) -> Container {
    let mut c = container(name);
    c.state.running = true;
    c.state.status = "running".into();
    c.processes = Some(Fact::Ok(
        commands
            .iter()
            .map(|cmd| Process {
                command: cmd.to_string(),
                ..Process::default()
            })
            .collect(),
    ));
    c
}

fn with_daemon_args(containers: Vec<Container>, args: &[&str]) -> Facts {
    let mut f = host_with(containers);
    if let Some(host) = f.host.as_mut() {
        host.dockerd = Fact::Ok(Some(DaemonProcess {
            args: args.iter().map(|a| a.to_string()).collect(),
            ..DaemonProcess::default()
        }));
    }
    f
}

#[test]
fn no_containers_is_not_applicable_and_missing_list_is_error() {
    for id in CONTAINER_CHECKS {
        assert_eq!(eval(id, &host_with(vec![])).status, Status::NotApplicable, "{id}");
        assert_eq!(eval(id, &unavailable_facts()).status, Status::Error, "{id}");
    }
}

type Mutation = fn(&mut Container);

/// (id, a mutation that fails the check, a mutation that passes it), each on a default container.
const CASES: &[(&str, Mutation, Mutation)] = &[
    (
        "5.4",
        |c| c.host_config.cap_add = vec!["SYS_ADMIN".into()],
        |c| c.host_config.cap_add = vec!["cap_chown".into()],
    ),
    ("5.4", |c| c.host_config.cap_add = vec!["all".into()], |_| {}),
    (
        "5.4",
        |c| c.host_config.privileged = true,
        |c| c.host_config.cap_drop = vec!["ALL".into()],
    ),
    ("5.5", |c| c.host_config.privileged = true, |_| {}),
    (
        "5.10",
        |c| c.host_config.network_mode = "host".into(),
        |c| c.host_config.network_mode = "mynet".into(),
    ),
    (
        "5.11",
        |c| c.host_config.memory = 0,
        |c| c.host_config.memory = 512 << 20,
    ),
    ("5.12", |_| {}, |c| c.host_config.nano_cpus = 500_000_000),
    ("5.12", |_| {}, |c| c.host_config.cpu_shares = 1024),
    ("5.13", |_| {}, |c| c.host_config.readonly_rootfs = true),
    (
        "5.16",
        |c| c.host_config.pid_mode = "host".into(),
        |c| c.host_config.pid_mode = "container:x".into(),
    ),
    (
        "5.17",
        |c| c.host_config.ipc_mode = "host".into(),
        |c| c.host_config.ipc_mode = "shareable".into(),
    ),
    (
        "5.20",
        |c| {
            c.mounts = vec![Mount {
                propagation: "rshared".into(),
                ..bind("/srv", "/srv", true)
            }]
        },
        |c| {
            c.mounts = vec![Mount {
                propagation: "rslave".into(),
                ..bind("/srv", "/srv", true)
            }]
        },
    ),
    ("5.21", |c| c.host_config.uts_mode = "host".into(), |_| {}),
    (
        "5.22",
        |c| c.host_config.security_opt = vec!["seccomp=unconfined".into()],
        |_| {},
    ),
    (
        "5.22",
        |c| c.host_config.security_opt = vec!["seccomp:unconfined".into()],
        |c| c.host_config.security_opt = vec!["seccomp={\"defaultAction\":\"SCMP_ACT_ERRNO\"}".into()],
    ),
    ("5.22", |c| c.host_config.privileged = true, |_| {}),
    (
        "5.27",
        |_| {},
        |c| c.healthcheck = Some(vec!["CMD".into(), "true".into()]),
    ),
    (
        "5.27",
        |c| c.healthcheck = Some(vec!["NONE".into()]),
        |c| c.healthcheck = Some(vec!["CMD-SHELL".into(), "x".into()]),
    ),
    (
        "5.29",
        |c| c.host_config.pids_limit = Some(-1),
        |c| c.host_config.pids_limit = Some(100),
    ),
    (
        "5.29",
        |c| c.host_config.pids_limit = Some(0),
        |c| c.host_config.pids_limit = Some(1),
    ),
    (
        "5.29",
        |c| c.host_config.pids_limit = None,
        |c| c.host_config.pids_limit = Some(4096),
    ),
    ("5.31", |c| c.host_config.userns_mode = "host".into(), |_| {}),
    ("5.25", |c| c.host_config.cgroup_parent = "/custom".into(), |_| {}),
];

#[test]
fn simple_field_checks_fail_and_pass() {
    for (i, (id, bad, good)) in CASES.iter().enumerate() {
        let mut c = container("nil");
        bad(&mut c);
        let o = eval(id, &host_with(vec![c]));
        let want = if *id == "5.25" { Status::Warn } else { Status::Fail };
        assert_eq!(o.status, want, "case {i} ({id}) bad: {}", o.summary);
        assert_eq!(target_names(&o), ["nil"], "case {i}");
        let f = &o.findings[0];
        assert!(
            !f.observed.is_empty() && f.remediation.contains("nil"),
            "case {i}: {f:?}"
        );
        let mut c = container("ok");
        good(&mut c);
        let o = eval(id, &host_with(vec![c]));
        assert_eq!(o.status, Status::Pass, "case {i} ({id}) good: {}", o.summary);
    }
}

#[test]
fn stopped_containers_count() {
    let mut stopped = container("stopped");
    stopped.host_config.privileged = true;
    let o = eval("5.5", &host_with(vec![stopped, running("up", &[])]));
    assert_eq!(o.status, Status::Fail);
    assert_eq!(target_names(&o), ["stopped"]);
    assert!(o.summary.starts_with("1 of 2"), "{}", o.summary);
}

#[test]
fn check_5_1_warns_only_in_a_swarm() {
    let mut f = empty_host();
    assert_eq!(eval("5.1", &f).status, Status::Pass);
    if let Fact::Ok(info) = &mut f.info {
        info.swarm.local_node_state = Some("active".into());
    }
    assert_eq!(eval("5.1", &f).status, Status::Warn);
    assert_eq!(eval("5.1", &unavailable_facts()).status, Status::Error);
}

fn with_security_option(containers: Vec<Container>, option: &str) -> Facts {
    let mut f = host_with(containers);
    if let Fact::Ok(info) = &mut f.info {
        info.security_options.push(option.into());
    }
    f
}

#[test]
fn check_5_2_apparmor() {
    assert_eq!(status("5.2", container("x")), Status::NotApplicable);
    let mut profiled = container("profiled");
    profiled.app_armor_profile = Some("docker-default".into());
    let mut unconfined = container("unconfined");
    unconfined.app_armor_profile = Some("unconfined".into());
    let mut empty = container("empty");
    empty.app_armor_profile = Some(String::new());
    let mut privileged = container("privileged");
    privileged.app_armor_profile = Some("docker-default".into());
    privileged.host_config.privileged = true;
    let mut never_started = container("fresh");
    never_started.state.status = "created".into();
    let mut fresh_unconfined = container("fresh-unconfined");
    fresh_unconfined.state.status = "created".into();
    fresh_unconfined.host_config.security_opt = vec!["apparmor=unconfined".into()];
    let f = with_security_option(
        vec![profiled, unconfined, empty, privileged, never_started, fresh_unconfined],
        "name=apparmor",
    );
    let o = eval("5.2", &f);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(
        target_names(&o),
        ["unconfined", "empty", "privileged", "fresh-unconfined"]
    );
}

#[test]
fn apparmor_profile_passes_confined_and_not_yet_started_containers() {
    let mut profiled = container("profiled");
    profiled.app_armor_profile = Some("docker-default".into());
    let mut fresh = container("fresh");
    fresh.state.status = "created".into();
    let o = eval("5.2", &with_security_option(vec![profiled, fresh], "name=apparmor"));
    assert_eq!(o.status, Status::Pass, "{o:?}");
    assert!(o.findings.is_empty());
}

#[test]
fn selinux_options_pass_labelled_containers() {
    let mut labelled = container("labelled");
    labelled.process_label = Some("system_u:system_r:container_t:s0:c1,c2".into());
    labelled.host_config.security_opt = vec!["label=type:container_t".into()];
    let o = eval("5.3", &with_security_option(vec![labelled], "name=selinux"));
    assert_eq!(o.status, Status::Pass, "{o:?}");
}

#[test]
fn exec_checks_ask_for_an_audit_trail() {
    for id in ["5.23", "5.24"] {
        let o = eval(id, &host_with(vec![container("x")]));
        assert_eq!(o.status, Status::Manual, "{id}");
        assert!(o.summary.contains("docker exec"), "{id}: {}", o.summary);
    }
}

#[test]
fn check_5_3_selinux() {
    assert_eq!(status("5.3", container("x")), Status::NotApplicable);
    let mut labelled = container("labelled");
    labelled.process_label = Some("system_u:system_r:container_t:s0:c1,c2".into());
    let mut disabled = container("disabled");
    disabled.process_label = Some("system_u:system_r:spc_t:s0".into());
    disabled.host_config.security_opt = vec!["label:disable".into()];
    let mut nnp_only = container("nnp-only");
    nnp_only.host_config.security_opt = vec!["no-new-privileges:false".into()];
    let o = eval(
        "5.3",
        &with_security_option(vec![labelled, disabled, nnp_only], "name=selinux"),
    );
    assert_eq!(o.status, Status::Fail);
    assert_eq!(target_names(&o), ["disabled", "nnp-only"]);
}

#[test]
fn check_5_6_sensitive_sources() {
    let cases: &[(&str, &str, bool, bool)] = &[
        ("/", "/host", false, true),
        ("/etc/", "/data", false, true),
        ("/etc", "/etc", false, true),
        ("/usr", "/usr", false, true),
        ("/lib64", "/x", false, true),
        ("/proc/sys", "/host/sys", false, true),
        ("/dev/sda", "/dev/sda", true, true),
        ("/etc/shadow", "/shadow", false, true),
        ("//sys//", "/s", false, true),
        ("/etc/localtime", "/etc/localtime", false, false),
        ("/etc/localtime", "/etc/localtime", true, true),
        ("/etc/ssl/certs", "/etc/ssl/certs", false, false),
        ("/usr/share/zoneinfo", "/z", false, false),
        ("/srv/etc", "/etc", true, false),
        ("/home/app", "/etc", true, false),
        ("/etcetera", "/x", true, false),
    ];
    for (source, destination, rw, fails) in cases {
        let mut c = container("web");
        c.mounts = vec![bind(source, destination, *rw)];
        let want = if *fails { Status::Fail } else { Status::Pass };
        assert_eq!(status("5.6", c), want, "{source} -> {destination}");
    }
    let mut volume = container("vol");
    volume.mounts = vec![Mount {
        kind: "volume".into(),
        source: "/var/lib/docker/volumes/etc/_data".into(),
        ..Mount::default()
    }];
    assert_eq!(status("5.6", volume), Status::Pass);
}

#[test]
fn check_5_7_inspects_running_containers_only() {
    let f = host_with(vec![running("web", &["nginx: master process"]), container("stopped")]);
    let o = eval("5.7", &f);
    assert_eq!(o.status, Status::Pass, "{}", o.summary);
    assert!(o.summary.contains("\"stopped\""), "{}", o.summary);
    for sshd in [
        "/usr/sbin/sshd -D",
        "sshd: app@pts/0",
        "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups",
    ] {
        let o = eval("5.7", &host_with(vec![running("ssh", &["tini", sshd])]));
        assert_eq!(o.status, Status::Fail, "{sshd}");
    }
    assert_eq!(
        status(
            "5.7",
            running("x", &["/usr/bin/sshd-keygen-wrapper-not", "ssh user@host"])
        ),
        Status::Pass
    );
    assert_eq!(
        eval("5.7", &host_with(vec![container("a"), container("b")])).status,
        Status::NotApplicable
    );
    let mut broken = running("broken", &[]);
    broken.processes = Some(Fact::Unavailable(Unavailable {
        source: "GET /top".into(),
        reason: "gone".into(),
    }));
    let o = eval("5.7", &host_with(vec![broken.clone(), running("web", &["nginx"])]));
    assert_eq!(o.status, Status::Error);
    assert!(o.summary.contains("broken"), "{}", o.summary);
    let o = eval("5.7", &host_with(vec![broken, running("ssh", &["/usr/sbin/sshd -D"])]));
    assert_eq!(o.status, Status::Fail);
}

#[test]
fn check_5_8_privileged_ports() {
    let cases: &[(&str, Status)] = &[
        ("80", Status::Fail),
        ("1023", Status::Fail),
        ("1024", Status::Pass),
        ("", Status::Pass),
        ("0", Status::Pass),
        ("8080", Status::Pass),
        ("443-450", Status::Fail),
    ];
    for (host, want) in cases {
        let mut c = container("web");
        c.host_config.port_bindings = vec![port("127.0.0.1", host)];
        assert_eq!(status("5.8", c), *want, "{host:?}");
    }
    let mut actual = running("web", &[]);
    actual.ports = vec![port("::", "80")];
    let o = eval("5.8", &host_with(vec![actual]));
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.findings[0].observed, "[::]:80->80/tcp");
}

#[test]
fn check_5_14_wildcards_include_ipv6_and_empty() {
    for (ip, want) in [
        ("", Status::Fail),
        ("0.0.0.0", Status::Fail),
        ("::", Status::Fail),
        ("127.0.0.1", Status::Pass),
        ("10.0.0.5", Status::Pass),
        ("::1", Status::Pass),
    ] {
        let mut c = container("web");
        c.host_config.port_bindings = vec![port(ip, "8080")];
        assert_eq!(status("5.14", c), want, "{ip:?}");
    }
    // Exposed but unpublished ports of a running container are not bindings.
    let mut exposed = running("web", &[]);
    exposed.ports = vec![port("", "")];
    assert_eq!(status("5.14", exposed), Status::Pass);
}

#[test]
fn check_5_9_lists_published_ports() {
    let mut c = container("web");
    c.host_config.port_bindings = vec![port("0.0.0.0", "8080")];
    let o = eval("5.9", &host_with(vec![c, container("quiet")]));
    assert_eq!(o.status, Status::Manual);
    assert_eq!(target_names(&o), ["web"]);
    assert_eq!(o.findings[0].observed, "0.0.0.0:8080->80/tcp");
}

#[test]
fn check_5_15_restart_policies() {
    let cases: &[(&str, i64, Status)] = &[
        ("", 0, Status::Pass),
        ("no", 0, Status::Pass),
        ("on-failure", 5, Status::Pass),
        ("on-failure", 1, Status::Pass),
        ("on-failure", 0, Status::Fail),
        ("on-failure", 6, Status::Fail),
        ("always", 0, Status::Fail),
        ("unless-stopped", 0, Status::Fail),
    ];
    for (name, count, want) in cases {
        let mut c = container("web");
        c.host_config.restart_policy = RestartPolicy {
            name: name.to_string(),
            maximum_retry_count: *count,
        };
        assert_eq!(status("5.15", c), *want, "{name}:{count}");
    }
}

#[test]
fn check_5_15_judges_swarm_services_on_managers() {
    let service = |name: &str, condition: Option<&str>, max: Option<u64>| SwarmService {
        id: format!("{name}-id"),
        name: name.into(),
        restart_condition: condition.map(String::from),
        restart_max_attempts: max,
    };
    let mut f = host_with(vec![]);
    f.swarm = Fact::Ok(Some(Swarm {
        is_manager: true,
        services: Fact::Ok(vec![
            service("default", None, None),
            service("bounded", Some("on-failure"), Some(3)),
            service("never", Some("none"), None),
            service("many", Some("any"), Some(10)),
        ]),
        ..Swarm::default()
    }));
    let o = eval("5.15", &f);
    assert_eq!(o.status, Status::Fail, "{}", o.summary);
    assert_eq!(target_names(&o), ["default", "many"]);
    f.swarm = Fact::Ok(Some(Swarm {
        is_manager: true,
        services: Fact::unavailable("GET /services", "denied"),
        ..Swarm::default()
    }));
    assert_eq!(eval("5.15", &f).status, Status::Error);
    f.containers = Fact::Ok(vec![container("web")]);
    assert_eq!(eval("5.15", &f).status, Status::Error, "a missing fact must not pass");
}

#[test]
fn check_5_18_and_5_19_list_overrides() {
    let mut gpu = container("gpu");
    gpu.host_config.device_requests = vec!["nvidia:gpu".into()];
    let mut dev = container("dev");
    dev.host_config.devices = vec![Device {
        path_on_host: "/dev/fuse".into(),
        path_in_container: "/dev/fuse".into(),
        cgroup_permissions: "rwm".into(),
    }];
    dev.host_config.device_cgroup_rules = vec!["c 10:229 rwm".into()];
    let o = eval("5.18", &host_with(vec![gpu, dev, container("plain")]));
    assert_eq!(o.status, Status::Manual);
    assert_eq!(target_names(&o), ["gpu", "dev"]);
    assert!(o.findings[1].observed.contains("c 10:229 rwm"));
    let mut limited = container("limited");
    limited.host_config.ulimits = vec![Ulimit {
        name: "nofile".into(),
        soft: 1024,
        hard: 2048,
    }];
    let o = eval("5.19", &host_with(vec![limited, container("plain")]));
    assert_eq!(target_names(&o), ["limited"]);
    assert_eq!(o.findings[0].observed, "nofile=1024:2048");
}

#[test]
fn check_5_26_no_new_privileges() {
    let opt = |v: &str| {
        let mut c = container(v);
        c.host_config.security_opt = vec![v.to_string()];
        c
    };
    // Daemon unset (known): only a true container option passes.
    for (o, want) in [
        ("no-new-privileges", Status::Pass),
        ("no-new-privileges:true", Status::Pass),
        ("no-new-privileges=true", Status::Pass),
        ("no-new-privileges:false", Status::Fail),
        ("no-new-privileges=false", Status::Fail),
        ("seccomp=unconfined", Status::Fail),
    ] {
        assert_eq!(status("5.26", opt(o)), want, "{o}");
    }
    // Daemon-wide setting covers containers without their own option, but an explicit false wins.
    let f = with_daemon_args(vec![container("plain")], &["dockerd", "--no-new-privileges"]);
    assert_eq!(eval("5.26", &f).status, Status::Pass);
    let f = with_daemon_args(
        vec![container("plain"), opt("no-new-privileges=false")],
        &["dockerd", "--no-new-privileges"],
    );
    let o = eval("5.26", &f);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(target_names(&o), ["no-new-privileges=false"]);
    let mut f = host_with(vec![container("plain")]);
    if let Some(host) = f.host.as_mut() {
        host.daemon_json = Fact::Ok(Some(DaemonJson {
            path: "/etc/docker/daemon.json".into(),
            content: serde_json::json!({"no-new-privileges": true}),
        }));
    }
    assert_eq!(eval("5.26", &f).status, Status::Pass);
}

#[test]
fn check_5_26_unknown_daemon_setting() {
    let mut f = host_with(vec![container("plain"), {
        let mut c = container("explicit");
        c.host_config.security_opt = vec!["no-new-privileges".into()];
        c
    }]);
    f.host = Some(HostFacts {
        dockerd: Fact::unavailable("/proc", "denied"),
        ..HostFacts::default()
    });
    let o = eval("5.26", &f);
    assert_eq!(o.status, Status::Error, "{}", o.summary);
    assert!(o.summary.contains("\"plain\""), "{}", o.summary);
    if let Fact::Ok(cs) = &mut f.containers {
        cs.push({
            let mut c = container("off");
            c.host_config.security_opt = vec!["no-new-privileges=false".into()];
            c
        });
    }
    let o = eval("5.26", &f);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(target_names(&o), ["off"]);
}

#[test]
fn check_5_28_lists_every_container() {
    let o = eval("5.28", &host_with(vec![container("a"), container("b")]));
    assert_eq!(o.status, Status::Manual);
    assert_eq!(o.findings.len(), 2);
    assert!(o.findings[0].observed.starts_with("busybox:latest"));
}

#[test]
fn check_5_30_default_bridge() {
    let on_bridge = container("on-bridge");
    let mut own_net = container("own-net");
    own_net.host_config.network_mode = "mynet".into();
    own_net.networks = [("mynet".to_string(), "mynet-id".to_string())].into_iter().collect();
    let mut by_id = container("by-id");
    by_id.networks = [("renamed".to_string(), "bridge-id".to_string())].into_iter().collect();
    let mut mode_only = container("mode-only");
    mode_only.networks.clear();
    let mut none = container("none");
    none.networks.clear();
    none.host_config.network_mode = "none".into();
    let o = eval("5.30", &host_with(vec![on_bridge, own_net, by_id, mode_only, none]));
    assert_eq!(o.status, Status::Fail);
    assert_eq!(target_names(&o), ["on-bridge", "by-id", "mode-only"]);
    let mut own_net = container("own-net");
    own_net.networks = [("mynet".to_string(), "mynet-id".to_string())].into_iter().collect();
    assert_eq!(status("5.30", own_net), Status::Pass);
}

#[test]
fn check_5_32_docker_socket() {
    let cases: &[(&str, bool)] = &[
        ("/var/run/docker.sock", true),
        ("/run/docker.sock", true),
        ("/var/run", true),
        ("/run/", true),
        ("/", true),
        ("/srv/other/docker.sock", true),
        ("/var/run/custom.sock", true),
        ("/var/lib/app", false),
        ("/run/user/1000", false),
    ];
    for (source, fails) in cases {
        let mut c = container("web");
        c.mounts = vec![bind(source, "/x", false)];
        let f = with_daemon_args(
            vec![c],
            &["dockerd", "-H", "unix:///var/run/custom.sock", "-H", "fd://"],
        );
        let want = if *fails { Status::Fail } else { Status::Pass };
        assert_eq!(eval("5.32", &f).status, want, "{source}");
    }
    // Without host facts the default socket paths still apply.
    let mut c = container("web");
    c.mounts = vec![bind("/var/run", "/var/run", true)];
    let mut f = host_with(vec![c]);
    f.host = None;
    assert_eq!(eval("5.32", &f).status, Status::Fail);
}
