//! Unit tests of this section's checks: pass and fail cases from hand-built facts.

use dockaudit_shared::report::Status;

use super::super::file_checks::ok_mut;
use super::super::testing::{empty_host, eval, target_names};
use crate::snapshot::*;

fn host(f: &mut Facts) -> &mut HostFacts {
    f.host.as_mut().unwrap()
}

fn file(path: &str, kind: &str, mode: u32, uid: u32, gid: u32) -> FileStat {
    let name = |id: u32, zero: &str| {
        if id == 0 {
            zero.to_string()
        } else {
            format!("u{id}")
        }
    };
    FileStat {
        path: path.into(),
        kind: kind.into(),
        uid,
        gid,
        mode,
        owner: Some(name(uid, "root")),
        group: Some(if gid == 998 { "docker".into() } else { name(gid, "root") }),
        resolved: None,
    }
}

fn with(mut f: Facts, stat: FileStat) -> Facts {
    host(&mut f).files.insert(stat.path.clone(), Fact::Ok(Some(stat)));
    f
}

fn absent(mut f: Facts, path: &str) -> Facts {
    host(&mut f).files.insert(path.into(), Fact::Ok(None));
    f
}

fn units(mut f: Facts) -> Facts {
    host(&mut f).systemd = Fact::Ok(SystemdUnits {
        docker_service: Some("/lib/systemd/system/docker.service".into()),
        docker_socket: Some("/lib/systemd/system/docker.socket".into()),
        socket_listen: vec!["/run/docker.sock".into()],
    });
    f
}

/// `--tlsverify` with explicit file paths.
fn tls_daemon() -> Facts {
    let mut f = empty_host();
    let d = ok_mut(&mut host(&mut f).dockerd).as_mut().unwrap();
    d.args = [
        "/usr/sbin/dockerd",
        "-H",
        "tcp://0.0.0.0:2376",
        "--tlsverify",
        "--tlscacert=/etc/docker/tls/ca.pem",
    ]
    .into_iter()
    .chain(["--tlscert=/etc/docker/tls/cert.pem", "--tlskey=/etc/docker/tls/key.pem"])
    .map(String::from)
    .collect();
    f
}

/// Single-file checks: (id, base facts, path, kind, want).
fn single_file_cases() -> Vec<(&'static str, Facts, &'static str, &'static str, Option<u32>)> {
    let unit = units(empty_host());
    vec![
        ("3.1", unit.clone(), "/lib/systemd/system/docker.service", "file", None),
        (
            "3.2",
            unit.clone(),
            "/lib/systemd/system/docker.service",
            "file",
            Some(0o644),
        ),
        ("3.3", unit.clone(), "/lib/systemd/system/docker.socket", "file", None),
        ("3.4", unit, "/lib/systemd/system/docker.socket", "file", Some(0o644)),
        ("3.5", empty_host(), "/etc/docker", "dir", None),
        ("3.6", empty_host(), "/etc/docker", "dir", Some(0o755)),
        ("3.9", tls_daemon(), "/etc/docker/tls/ca.pem", "file", None),
        ("3.10", tls_daemon(), "/etc/docker/tls/ca.pem", "file", Some(0o444)),
        ("3.11", tls_daemon(), "/etc/docker/tls/cert.pem", "file", None),
        ("3.12", tls_daemon(), "/etc/docker/tls/cert.pem", "file", Some(0o444)),
        ("3.13", tls_daemon(), "/etc/docker/tls/key.pem", "file", None),
        ("3.14", tls_daemon(), "/etc/docker/tls/key.pem", "file", Some(0o400)),
        ("3.16", empty_host(), "/var/run/docker.sock", "socket", Some(0o660)),
        ("3.17", empty_host(), "/etc/docker/daemon.json", "file", None),
        ("3.18", empty_host(), "/etc/docker/daemon.json", "file", Some(0o644)),
        ("3.19", empty_host(), "/etc/default/docker", "file", None),
        ("3.20", empty_host(), "/etc/default/docker", "file", Some(0o644)),
        ("3.21", empty_host(), "/etc/sysconfig/docker", "file", Some(0o644)),
        ("3.22", empty_host(), "/etc/sysconfig/docker", "file", None),
    ]
}

#[test]
fn single_files_pass_fail_and_absent() {
    for (id, base, path, kind, mask) in single_file_cases() {
        let (good, bad) = match mask {
            Some(mask) => (file(path, kind, mask, 0, 0), file(path, kind, mask | 0o002, 0, 0)),
            None => (file(path, kind, 0o600, 0, 0), file(path, kind, 0o600, 1000, 0)),
        };
        let o = eval(id, &with(base.clone(), good));
        assert_eq!(o.status, Status::Pass, "{id}: {o:?}");
        assert!(o.summary.contains(path), "{id}: {}", o.summary);

        let o = eval(id, &with(base.clone(), bad));
        assert_eq!(o.status, Status::Fail, "{id}: {o:?}");
        assert_eq!(target_names(&o), [path], "{id}");
        let f = &o.findings[0];
        match mask {
            Some(mask) => {
                assert!(
                    f.observed.starts_with(&format!("mode {:04o}", mask | 0o002)),
                    "{id}: {}",
                    f.observed
                );
                assert_eq!(f.remediation, format!("chmod {mask:o} {path}"), "{id}");
            }
            None => assert_eq!(f.remediation, format!("chown root:root {path}"), "{id}"),
        }

        let o = eval(id, &absent(base.clone(), path));
        assert_eq!(o.status, Status::NotApplicable, "{id}: {o:?}");
        assert!(o.summary.contains(path), "{id}");

        let mut unreadable = base;
        host(&mut unreadable)
            .files
            .insert(path.into(), Fact::unavailable(format!("stat {path}"), "EACCES"));
        assert_eq!(eval(id, &unreadable).status, Status::Error, "{id}");
    }
}

#[test]
fn modes_are_bit_masks_not_decimals() {
    let unit = units(empty_host());
    let path = "/lib/systemd/system/docker.service";
    let cases = [
        (0o644, Status::Pass),
        (0o600, Status::Pass),
        (0o606, Status::Fail),
        (0o470, Status::Fail),
        (0o4644, Status::Fail),
    ];
    for (mode, want) in cases {
        let o = eval("3.2", &with(unit.clone(), file(path, "file", mode, 0, 0)));
        assert_eq!(o.status, want, "{mode:04o}");
    }
    let o = eval("3.2", &with(unit, file(path, "file", 0o606, 0, 0)));
    assert_eq!(o.findings[0].observed, "mode 0606, owner root:root (uid 0, gid 0)");
    assert_eq!(o.findings[0].expected, "mode 0644 or stricter");
    assert_eq!(
        o.findings[0].remediation,
        "chmod 644 /lib/systemd/system/docker.service"
    );

    let o = eval("3.6", &with(empty_host(), file("/etc/docker", "dir", 0o737, 0, 0)));
    assert_eq!(o.status, Status::Fail);
}

#[test]
fn owner_summary_names_ids() {
    let o = eval("3.5", &with(empty_host(), file("/etc/docker", "dir", 0o755, 0, 0)));
    assert_eq!(o.summary, "/etc/docker is owned by root:root (uid 0, gid 0).");
    let o = eval("3.5", &with(empty_host(), file("/etc/docker", "dir", 0o755, 0, 4)));
    assert_eq!(o.status, Status::Fail, "group must be root too");
}

#[test]
fn key_mode_0400_or_stricter() {
    let path = "/etc/docker/tls/key.pem";
    for (mode, want) in [
        (0o400, Status::Pass),
        (0o000, Status::Pass),
        (0o600, Status::Fail),
        (0o440, Status::Fail),
    ] {
        assert_eq!(
            eval("3.14", &with(tls_daemon(), file(path, "file", mode, 0, 0))).status,
            want,
            "{mode:04o}"
        );
    }
}

#[test]
fn units_and_tls_not_configured() {
    // No unit: not applicable; systemd unreadable: error.
    assert_eq!(eval("3.1", &empty_host()).status, Status::NotApplicable);
    let mut f = empty_host();
    host(&mut f).systemd = Fact::unavailable("systemd", "unreadable");
    assert_eq!(eval("3.2", &f).status, Status::Error);

    for id in ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"] {
        let o = eval(id, &empty_host());
        assert_eq!(o.status, Status::NotApplicable, "{id}");
        assert!(o.summary.contains("does not use TLS"), "{id}");
    }
    let mut f = empty_host();
    host(&mut f).dockerd = Fact::Ok(None);
    assert_eq!(eval("3.9", &f).status, Status::Error, "TLS configuration unknown");
}

#[test]
fn registry_certificates() {
    let certs = |files: Vec<FileStat>| {
        let mut f = empty_host();
        host(&mut f).registry_certs = Fact::Ok(files);
        f
    };
    let dir = file("/etc/docker/certs.d/reg:5000", "dir", 0o755, 0, 0);
    let ca = file("/etc/docker/certs.d/reg:5000/ca.crt", "file", 0o444, 0, 0);
    let client = file("/etc/docker/certs.d/reg:5000/client.key", "file", 0o644, 1000, 0);
    assert_eq!(eval("3.7", &certs(vec![dir.clone(), ca.clone()])).status, Status::Pass);
    assert_eq!(
        eval("3.8", &certs(vec![dir.clone(), ca.clone()])).status,
        Status::Pass,
        "directories are not judged"
    );
    let mixed = certs(vec![dir, ca, client]);
    for id in ["3.7", "3.8"] {
        let o = eval(id, &mixed);
        assert_eq!(o.status, Status::Fail, "{id}");
        assert_eq!(target_names(&o), ["/etc/docker/certs.d/reg:5000/client.key"], "{id}");
        assert!(o.summary.starts_with("1 of 2 files"), "{id}: {}", o.summary);
    }
    assert_eq!(eval("3.7", &certs(vec![])).status, Status::NotApplicable);
    let mut f = empty_host();
    host(&mut f).registry_certs = Fact::unavailable("/etc/docker/certs.d", "EACCES");
    assert_eq!(eval("3.8", &f).status, Status::Error);
}

#[test]
fn docker_socket_owner_and_group() {
    let sock = |uid, gid| with(empty_host(), file("/var/run/docker.sock", "socket", 0o660, uid, gid));
    assert_eq!(eval("3.15", &sock(0, 998)).status, Status::Pass);
    let o = eval("3.15", &sock(0, 0));
    assert_eq!(o.status, Status::Fail);
    assert!(o.findings[0]
        .remediation
        .starts_with("chown root:docker /var/run/docker.sock"));

    // No docker group at all: fail, saying so.
    let mut f = sock(0, 0);
    host(&mut f).docker_group = Fact::Ok(None);
    let o = eval("3.15", &f);
    assert_eq!(o.status, Status::Fail);
    assert!(o.findings[0].observed.contains("no docker group"));

    assert_eq!(
        eval("3.15", &sock(1000, 998)).status,
        Status::Fail,
        "rootful daemon, user-owned socket"
    );

    assert_eq!(
        eval("3.15", &absent(empty_host(), "/var/run/docker.sock")).status,
        Status::NotApplicable
    );
}

#[test]
fn configured_docker_socket_is_used() {
    let mut f = empty_host();
    ok_mut(&mut host(&mut f).dockerd).as_mut().unwrap().args = ["/usr/sbin/dockerd", "-H", "unix:///srv/docker.sock"]
        .map(String::from)
        .to_vec();
    let f = with(f, file("/srv/docker.sock", "socket", 0o606, 0, 998));
    let o = eval("3.16", &f);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(target_names(&o), ["/srv/docker.sock"]);
}

#[test]
fn every_containerd_socket() {
    let system = "/run/containerd/containerd.sock";
    let managed = "/run/docker/containerd/containerd.sock";
    let f = with(
        with(empty_host(), file(system, "socket", 0o660, 0, 0)),
        file(managed, "socket", 0o666, 0, 1),
    );
    for id in ["3.23", "3.24"] {
        let o = eval(id, &f);
        assert_eq!(o.status, Status::Fail, "{id}");
        assert_eq!(target_names(&o), [managed], "{id}");
    }
    let f = with(absent(empty_host(), managed), file(system, "socket", 0o600, 0, 0));
    assert_eq!(eval("3.23", &f).status, Status::Pass);
    assert_eq!(eval("3.24", &f).status, Status::Pass);
    let none = absent(absent(empty_host(), managed), system);
    assert_eq!(eval("3.23", &none).status, Status::NotApplicable);

    let mut unknown = f;
    host(&mut unknown).containerd_grpc_address = Fact::unavailable("/etc/containerd/config.toml", "parse error");
    assert_eq!(
        eval("3.24", &unknown).status,
        Status::Error,
        "configured socket unknown"
    );
}

#[test]
fn remote_daemon_without_host_facts() {
    let mut f = empty_host();
    f.host = None;
    for id in ["3.1", "3.5", "3.7", "3.9", "3.15", "3.23"] {
        assert_eq!(eval(id, &f).status, Status::NotApplicable, "{id}");
    }
}

/// A rootless daemon of user `rl` (uid 1001), bound to its socket, with its user unit and its
/// daemon.json in its home.
fn rootless_host() -> Facts {
    let mut f = empty_host();
    f.collection.endpoint = "unix:///run/user/1001/docker.sock".into();
    ok_mut(&mut f.info).security_options.push("name=rootless".into());
    ok_mut(&mut f.info).docker_root_dir = Some("/home/rl/.local/share/docker".into());
    let h = host(&mut f);
    h.dockerd = Fact::Ok(Some(DaemonProcess {
        pid: 4242,
        exe: Some("/usr/sbin/dockerd".into()),
        args: vec!["dockerd".into(), "--experimental".into()],
        uid: Some(1001),
        gid: Some(1001),
        user: Some("rl".into()),
        rootless: true,
        home: Some("/home/rl".into()),
        config_file: Some("/home/rl/.config/docker/daemon.json".into()),
        data_root: Some("/home/rl/.local/share/docker".into()),
        sockets: vec!["/run/user/1001/docker.sock".into()],
        mapped_gids: vec![(1001, 1), (100000, 65536)],
    }));
    h.binding = Some(DaemonBinding {
        socket: Some("/run/user/1001/docker.sock".into()),
        evidence: vec!["test".into()],
        others: vec![DaemonProcess {
            pid: 100,
            uid: Some(0),
            ..DaemonProcess::default()
        }],
        unidentified: None,
    });
    h.systemd = Fact::Ok(SystemdUnits {
        docker_service: Some("/home/rl/.config/systemd/user/docker.service".into()),
        ..SystemdUnits::default()
    });
    let f = with(f, file("/run/user/1001/docker.sock", "socket", 0o1660, 1001, 100104));
    let f = with(
        f,
        file(
            "/home/rl/.config/systemd/user/docker.service",
            "file",
            0o644,
            1001,
            1001,
        ),
    );
    with(
        f,
        file("/home/rl/.config/docker/daemon.json", "file", 0o644, 1001, 1001),
    )
}

#[test]
fn rootless_daemon_files_and_socket_belong_to_its_user() {
    let f = rootless_host();
    for id in ["3.1", "3.2", "3.15", "3.16", "3.17", "3.18"] {
        let o = eval(id, &f);
        assert_eq!(o.status, Status::Pass, "{id}: {}", o.summary);
    }
    assert!(eval("3.15", &f).summary.contains("rootless daemon's user"));
    assert!(eval("3.1", &f)
        .summary
        .contains("/home/rl/.config/systemd/user/docker.service"));
    // No docker.socket user unit: not applicable, saying why.
    let o = eval("3.3", &f);
    assert_eq!(o.status, Status::NotApplicable);
    assert!(
        o.summary.contains("rootless") && o.summary.contains("rl (uid 1001)"),
        "{}",
        o.summary
    );
    // The system's /var/run/docker.sock belongs to another daemon and is not judged.
    let f2 = with(rootless_host(), file("/var/run/docker.sock", "socket", 0o666, 0, 0));
    assert_eq!(eval("3.16", &f2).status, Status::Pass);

    // Another user's socket or config file fails; a group-writable user unit fails 3.2.
    let f = with(
        rootless_host(),
        file("/run/user/1001/docker.sock", "socket", 0o660, 1002, 1001),
    );
    let o = eval("3.15", &f);
    assert_eq!(o.status, Status::Fail);
    assert!(o.findings[0]
        .remediation
        .starts_with("chown rl:1001 /run/user/1001/docker.sock"));
    let f = with(
        rootless_host(),
        file("/run/user/1001/docker.sock", "socket", 0o666, 1001, 1001),
    );
    assert_eq!(eval("3.16", &f).status, Status::Fail);
    let f = with(
        rootless_host(),
        file("/home/rl/.config/docker/daemon.json", "file", 0o644, 1002, 1002),
    );
    assert_eq!(eval("3.17", &f).status, Status::Fail);
    let f = with(
        rootless_host(),
        file(
            "/home/rl/.config/systemd/user/docker.service",
            "file",
            0o664,
            1001,
            1001,
        ),
    );
    assert_eq!(eval("3.2", &f).status, Status::Fail);
}

#[test]
fn an_unidentified_daemon_makes_its_file_checks_error() {
    let mut f = rootless_host();
    let reason = "two dockerd processes are configured to listen there";
    host(&mut f).dockerd = Fact::unavailable("the dockerd process serving unix:///run/user/1001/docker.sock", reason);
    if let Some(b) = host(&mut f).binding.as_mut() {
        b.unidentified = Some(reason.into());
    }
    for id in ["3.1", "3.15", "3.17", "3.18"] {
        let o = eval(id, &f);
        assert_eq!(o.status, Status::Error, "{id}: {}", o.summary);
    }
    assert!(eval("3.17", &f).summary.contains("two dockerd processes"));
    // The socket itself is known (it is the endpoint), so its mode is still judged.
    assert_eq!(eval("3.16", &f).status, Status::Pass);
}
