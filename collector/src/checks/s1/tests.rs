//! Unit tests of this section's checks: pass and fail cases from hand-built facts.

use dockaudit_shared::report::Status;

use super::super::file_checks::ok_mut;
use super::super::testing::{empty_host, eval, eval_with, target_names};
use super::super::EvalOptions;
use crate::interpret::host_paths::BINARY_DIRS;
use crate::snapshot::*;

fn host(f: &mut Facts) -> &mut HostFacts {
    f.host.as_mut().unwrap()
}

fn stat(path: &str, kind: &str) -> Fact<Option<FileStat>> {
    Fact::Ok(Some(FileStat {
        path: path.into(),
        kind: kind.into(),
        ..FileStat::default()
    }))
}

fn with_file(mut f: Facts, path: &str, kind: &str) -> Facts {
    host(&mut f).files.insert(path.into(), stat(path, kind));
    f
}

fn with_rules(mut f: Facts, lines: &[&str]) -> Facts {
    host(&mut f).audit_rules = Fact::Ok(AuditRules {
        source: "auditctl -l".into(),
        lines: lines.iter().map(|l| l.to_string()).collect(),
    });
    f
}

fn absent(mut f: Facts, paths: &[&str]) -> Facts {
    for p in paths {
        host(&mut f).files.insert(p.to_string(), Fact::Ok(None));
    }
    f
}

#[test]
fn root_dir_must_be_a_mount_point() {
    let f = empty_host();
    let o = eval("1.1.1", &f);
    assert_eq!(o.status, Status::Fail, "{o:?}");
    assert!(
        o.findings[0].observed.contains("mounted at /"),
        "{}",
        o.findings[0].observed
    );

    let mut f = empty_host();
    ok_mut(&mut host(&mut f).mounts).push(HostMount {
        mount_point: "/var/lib/docker".into(),
        fs_type: "xfs".into(),
        source: "/dev/vdb".into(),
    });
    assert_eq!(eval("1.1.1", &f).status, Status::Pass);

    // A bind mount of the root filesystem is a mount point but not a separate partition.
    let mut f = empty_host();
    ok_mut(&mut host(&mut f).mounts).push(HostMount {
        mount_point: "/var/lib/docker".into(),
        fs_type: "ext4".into(),
        source: "/dev/vda".into(),
    });
    let o = eval("1.1.1", &f);
    assert_eq!(o.status, Status::Fail);
    assert!(
        o.findings[0].observed.contains("same device as /"),
        "{}",
        o.findings[0].observed
    );

    // A mount below the root dir does not count.
    let mut f = empty_host();
    ok_mut(&mut host(&mut f).mounts).push(HostMount {
        mount_point: "/var/lib/docker/volumes".into(),
        ..HostMount::default()
    });
    assert_eq!(eval("1.1.1", &f).status, Status::Fail);
}

#[test]
fn userns_remapped_root_uses_its_parent() {
    let mut f = empty_host();
    let info = ok_mut(&mut f.info);
    info.docker_root_dir = Some("/var/lib/docker/100000.100000".into());
    info.security_options.push("name=userns".into());
    ok_mut(&mut host(&mut f).mounts).push(HostMount {
        mount_point: "/var/lib/docker".into(),
        fs_type: "ext4".into(),
        source: "/dev/vdb".into(),
    });
    let o = eval("1.1.1", &f);
    assert_eq!(o.status, Status::Pass, "{o:?}");
    assert!(o.summary.contains("userns"));
}

#[test]
fn root_dir_needs_facts() {
    let mut f = empty_host();
    host(&mut f).mounts = Fact::unavailable("/proc/1/mountinfo", "permission denied");
    assert_eq!(eval("1.1.1", &f).status, Status::Error);
    let mut f = empty_host();
    f.info = Fact::unavailable("GET /info", "timeout");
    assert_eq!(eval("1.1.1", &f).status, Status::Error);
    let mut f = empty_host();
    f.host = None;
    assert_eq!(eval("1.1.1", &f).status, Status::NotApplicable);
}

fn docker_group(members: &[&str], primary: &[&str]) -> Facts {
    let mut f = empty_host();
    host(&mut f).docker_group = Fact::Ok(Some(Group {
        gid: 998,
        members: members.iter().map(|s| s.to_string()).collect(),
        primary_members: primary.iter().map(|s| s.to_string()).collect(),
    }));
    f
}

fn trusting(users: &[&str]) -> EvalOptions {
    EvalOptions {
        trusted_users: users.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn docker_group_members_against_trusted_list() {
    let f = docker_group(&["alice", "bo"], &["svc"]);
    // (trusted, status, offenders)
    let cases: &[(&[&str], Status, &[&str])] = &[
        (&["alice", "bo", "svc"], Status::Pass, &[]),
        // exact names: trusting "bob" does not trust "bo"
        (&["alice", "bob", "svc"], Status::Fail, &["bo"]),
        // primary-group members count too
        (&["alice", "bo"], Status::Fail, &["svc"]),
        (&["carol"], Status::Fail, &["alice", "bo", "svc"]),
    ];
    for (trusted, status, offenders) in cases {
        let o = eval_with("1.1.2", &f, trusting(trusted));
        assert_eq!(o.status, *status, "{trusted:?}: {o:?}");
        assert_eq!(target_names(&o), *offenders, "{trusted:?}");
    }
}

#[test]
fn docker_group_without_list_is_manual() {
    let o = eval("1.1.2", &docker_group(&["alice"], &["svc"]));
    assert_eq!(o.status, Status::Manual);
    assert_eq!(target_names(&o), ["alice", "svc"]);
    assert!(o.findings.iter().all(|f| f.message == "member of the docker group"));
    assert!(o.summary.contains("--trusted-user"));

    assert_eq!(eval("1.1.2", &docker_group(&[], &[])).status, Status::Pass);
    let mut f = empty_host();
    host(&mut f).docker_group = Fact::Ok(None);
    let o = eval("1.1.2", &f);
    assert_eq!(o.status, Status::NotApplicable);
    assert!(o.summary.contains("no docker group"));
    host(&mut f).docker_group = Fact::unavailable("/etc/group", "unreadable");
    assert_eq!(eval("1.1.2", &f).status, Status::Error);
}

/// (id, audited path, kind) for the single-path audit checks on a default Debian host.
const SINGLE_PATH: &[(&str, &str, &str)] = &[
    ("1.1.4", "/run/containerd", "dir"),
    ("1.1.5", "/var/lib/docker", "dir"),
    ("1.1.6", "/etc/docker", "dir"),
    ("1.1.10", "/etc/default/docker", "file"),
    ("1.1.11", "/etc/docker/daemon.json", "file"),
    ("1.1.12", "/etc/containerd/config.toml", "file"),
    ("1.1.13", "/etc/sysconfig/docker", "file"),
];

#[test]
fn single_path_audit_rules() {
    for (id, path, kind) in SINGLE_PATH {
        let f = with_file(empty_host(), path, kind);
        let o = eval(id, &with_rules(f.clone(), &[&format!("-w {path} -p wa -k docker")]));
        assert_eq!(o.status, Status::Pass, "{id}: {o:?}");
        assert!(o.summary.contains(path), "{id}: {}", o.summary);

        let o = eval(id, &with_rules(f.clone(), &["-w /tmp -k other"]));
        assert_eq!(o.status, Status::Fail, "{id}: {o:?}");
        let finding = &o.findings[0];
        assert_eq!(finding.target.id, *path);
        assert!(finding.remediation.contains(&format!("-w {path} -k docker")), "{id}");

        let o = eval(id, &absent(empty_host(), &[path]));
        assert_eq!(o.status, Status::NotApplicable, "{id}");
        assert!(o.summary.contains(path), "{id}");
    }
}

#[test]
fn dir_rules_for_directories() {
    let f = with_file(empty_host(), "/etc/docker", "dir");
    let cases = [
        ("-a always,exit -F dir=/etc/docker -F perm=wa -k docker", Status::Pass),
        ("-w /etc/docker/ -p wa -k docker", Status::Pass),
        ("-a never,exit -F dir=/etc/docker", Status::Fail),
        ("-w /etc/docker/daemon.json -k docker", Status::Fail),
        ("-w /etc -k docker", Status::Fail),
    ];
    for (rule, status) in cases {
        assert_eq!(eval("1.1.6", &with_rules(f.clone(), &[rule])).status, status, "{rule}");
    }
}

#[test]
fn longer_path_rule_does_not_satisfy_shorter_one() {
    let f = with_file(empty_host(), "/usr/bin/containerd", "file");
    let f = with_rules(f, &["-w /usr/bin/containerd-shim-runc-v2 -k docker"]);
    let o = eval("1.1.14", &f);
    assert_eq!(o.status, Status::Fail);
    assert!(
        o.findings[0].observed.contains("containerd-shim-runc-v2"),
        "near miss shown"
    );

    let f = with_file(empty_host(), "/run/containerd", "dir");
    let o = eval(
        "1.1.4",
        &with_rules(f, &["-w /run/containerd/containerd.sock -k docker"]),
    );
    assert_eq!(o.status, Status::Fail);
}

#[test]
fn binaries_first_existing_candidate() {
    let cases = [
        ("1.1.3", "/usr/sbin/dockerd"),
        ("1.1.14", "/usr/sbin/containerd"),
        ("1.1.15", "/usr/bin/containerd-shim"),
        ("1.1.16", "/usr/bin/containerd-shim-runc-v1"),
        ("1.1.17", "/usr/bin/containerd-shim-runc-v2"),
        ("1.1.18", "/usr/sbin/runc"),
    ];
    for (id, path) in cases {
        let name = path.rsplit('/').next().unwrap();
        let mut f = empty_host();
        if id == "1.1.3" {
            // No visible process: the usual directories are searched.
            host(&mut f).dockerd = Fact::Ok(None);
        }
        let candidates: Vec<String> = BINARY_DIRS.iter().map(|d| format!("{d}/{name}")).collect();
        let f = absent(f, &candidates.iter().map(String::as_str).collect::<Vec<_>>());
        let o = eval(id, &f);
        assert_eq!(o.status, Status::NotApplicable, "{id}: {o:?}");
        assert!(
            o.summary.contains("Not installed") && o.summary.contains("/usr/bin/"),
            "{id}"
        );

        let f = with_file(f, path, "file");
        assert_eq!(
            eval(id, &with_rules(f.clone(), &[&format!("-w {path} -p x")])).status,
            Status::Pass,
            "{id}"
        );
        let o = eval(id, &with_rules(f, &[&format!("-w /usr/local/bin/{name} -p x")]));
        assert_eq!(o.status, Status::Fail, "{id}: a rule on another spelling");
        assert_eq!(target_names(&o), [path]);
    }
}

#[test]
fn dockerd_from_running_process_and_symlink() {
    let mut f = empty_host();
    host(&mut f).files.insert(
        "/usr/sbin/dockerd".into(),
        Fact::Ok(Some(FileStat {
            path: "/usr/sbin/dockerd".into(),
            kind: "file".into(),
            resolved: Some("/usr/bin/dockerd".into()),
            ..FileStat::default()
        })),
    );
    ok_mut(&mut host(&mut f).dockerd).as_mut().unwrap().exe = Some("/usr/sbin/dockerd".into());
    let o = eval(
        "1.1.3",
        &with_rules(
            f.clone(),
            &["-a always,exit -F path=/usr/bin/dockerd -F perm=x -k docker"],
        ),
    );
    assert_eq!(o.status, Status::Pass, "{o:?}");
    assert_eq!(
        eval("1.1.3", &with_rules(f, &["-w /usr/bin/dockerd-rootless.sh"])).status,
        Status::Fail
    );
}

#[test]
fn audit_rules_unavailable_or_stat_unknown_is_error() {
    let mut f = with_file(empty_host(), "/etc/docker", "dir");
    host(&mut f).audit_rules = Fact::unavailable("auditctl -l", "CAP_AUDIT_CONTROL missing");
    let o = eval("1.1.6", &f);
    assert_eq!(o.status, Status::Error);
    assert!(o.summary.contains("CAP_AUDIT_CONTROL"));

    let mut f = empty_host();
    host(&mut f)
        .files
        .insert("/etc/docker".into(), Fact::unavailable("stat /etc/docker", "EACCES"));
    assert_eq!(eval("1.1.6", &f).status, Status::Error);
    // Not stat'ed at all (incomplete snapshot): error, not "not installed".
    assert_eq!(eval("1.1.6", &empty_host()).status, Status::Error);
}

fn with_units(mut f: Facts) -> Facts {
    host(&mut f).systemd = Fact::Ok(SystemdUnits {
        docker_service: Some("/lib/systemd/system/docker.service".into()),
        docker_socket: Some("/lib/systemd/system/docker.socket".into()),
        socket_listen: vec!["/run/docker.sock".into()],
    });
    let unit = |p: &str| {
        Fact::Ok(Some(FileStat {
            path: p.into(),
            kind: "file".into(),
            resolved: Some(format!("/usr{p}")),
            ..FileStat::default()
        }))
    };
    host(&mut f).files.insert(
        "/lib/systemd/system/docker.service".into(),
        unit("/lib/systemd/system/docker.service"),
    );
    host(&mut f).files.insert(
        "/lib/systemd/system/docker.socket".into(),
        unit("/lib/systemd/system/docker.socket"),
    );
    f
}

#[test]
fn docker_service_unit() {
    let f = with_units(empty_host());
    let cases = [
        ("-w /lib/systemd/system/docker.service -k docker", Status::Pass),
        ("-w /usr/lib/systemd/system/docker.service -k docker", Status::Pass),
        ("-w /etc/systemd/system/docker.service -k docker", Status::Fail),
        ("-w /lib/systemd/system/docker.service.d -k docker", Status::Fail),
    ];
    for (rule, status) in cases {
        assert_eq!(eval("1.1.7", &with_rules(f.clone(), &[rule])).status, status, "{rule}");
    }
    // No unit: not applicable; systemd unreadable: error.
    let o = eval("1.1.7", &empty_host());
    assert_eq!(o.status, Status::NotApplicable);
    let mut f = empty_host();
    host(&mut f).systemd = Fact::unavailable("systemd units", "unreadable");
    assert_eq!(eval("1.1.7", &f).status, Status::Error);
}

#[test]
fn docker_socket_unit_or_listen_socket() {
    let f = with_units(empty_host());
    let cases = [
        ("-w /lib/systemd/system/docker.socket -k docker", Status::Pass),
        ("-w /run/docker.sock -k docker", Status::Pass),
        ("-w /run/docker -k docker", Status::Fail),
    ];
    for (rule, status) in cases {
        let o = eval("1.1.9", &with_rules(f.clone(), &[rule]));
        assert_eq!(o.status, status, "{rule}: {o:?}");
    }
    assert_eq!(eval("1.1.9", &empty_host()).status, Status::NotApplicable);
}

#[test]
fn every_existing_containerd_socket_is_audited() {
    let f = with_file(empty_host(), "/run/containerd/containerd.sock", "socket");
    let f = with_file(f, "/run/docker/containerd/containerd.sock", "socket");
    let one = with_rules(f.clone(), &["-w /run/containerd/containerd.sock -k docker"]);
    let o = eval("1.1.8", &one);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(target_names(&o), ["/run/docker/containerd/containerd.sock"]);
    let both = with_rules(
        f,
        &[
            "-w /run/containerd/containerd.sock -k docker",
            "-w /run/docker/containerd/containerd.sock -k docker",
        ],
    );
    assert_eq!(eval("1.1.8", &both).status, Status::Pass);

    let none = absent(
        empty_host(),
        &[
            "/run/containerd/containerd.sock",
            "/run/docker/containerd/containerd.sock",
        ],
    );
    assert_eq!(eval("1.1.8", &none).status, Status::NotApplicable);
}

#[test]
fn userns_root_accepts_rule_on_configured_root() {
    let mut f = with_file(empty_host(), "/var/lib/docker/100000.100000", "dir");
    let info = ok_mut(&mut f.info);
    info.docker_root_dir = Some("/var/lib/docker/100000.100000".into());
    info.security_options.push("name=userns".into());
    assert_eq!(
        eval("1.1.5", &with_rules(f.clone(), &["-w /var/lib/docker -k docker"])).status,
        Status::Pass
    );
    assert_eq!(
        eval("1.1.5", &with_rules(f, &["-w /var/lib -k docker"])).status,
        Status::Fail
    );
}

#[test]
fn paths_from_info_need_info() {
    for (id, path, kind) in [("1.1.5", "/var/lib/docker", "dir"), ("1.1.18", "/usr/bin/runc", "file")] {
        let mut f = with_rules(with_file(empty_host(), path, kind), &[&format!("-w {path} -k docker")]);
        assert_eq!(eval(id, &f).status, Status::Pass, "{id}");
        f.info = Fact::unavailable("GET /info", "timeout");
        assert_eq!(
            eval(id, &f).status,
            Status::Error,
            "{id}: the daemon might use another path"
        );
    }
}

#[test]
fn review_checks_are_manual() {
    assert_eq!(eval("1.2.1", &empty_host()).status, Status::Manual);
    let o = eval("1.2.2", &empty_host());
    assert_eq!(o.status, Status::Manual);
    assert!(o.summary.contains("20.10.24+dfsg1"));
    let mut f = empty_host();
    f.version = Fact::unavailable("GET /version", "timeout");
    assert_eq!(eval("1.2.2", &f).status, Status::Error);
}

#[test]
fn rootless_daemon_host_checks() {
    let mut f = docker_group(&["alice"], &[]);
    ok_mut(&mut f.info).security_options.push("name=rootless".into());
    let d = ok_mut(&mut host(&mut f).dockerd).as_mut().unwrap();
    d.uid = Some(1001);
    d.user = Some("rl".into());
    d.rootless = true;
    let o = eval("1.1.2", &f);
    assert_eq!(o.status, Status::NotApplicable);
    assert!(o.summary.contains("rl (uid 1001)"), "{}", o.summary);

    // The audited daemon's binary cannot be named when its process is unknown.
    let mut f = empty_host();
    let h = host(&mut f);
    h.binding = Some(DaemonBinding {
        unidentified: Some("nobody holds it".into()),
        ..DaemonBinding::default()
    });
    h.dockerd = Fact::unavailable("the dockerd process serving unix:///x.sock", "nobody holds it");
    for id in ["1.1.3", "1.1.11"] {
        let o = eval(id, &f);
        assert_eq!(o.status, Status::Error, "{id}: {}", o.summary);
        assert!(o.summary.contains("nobody holds it"), "{id}: {}", o.summary);
    }
}
