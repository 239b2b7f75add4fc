//! Section 3: ownership and permissions of Docker's configuration files and sockets.
//!
//! Modes are compared as bit masks: a file passes "0644 or stricter" iff `mode & !0644 == 0`,
//! special bits included. docker-bench-security compares the octal digits as decimal numbers, so
//! 0606 ("606 < 644") passes there although it is world-writable. A file that does not exist is
//! `not_applicable` (aquasecurity fails it); one that could not be stat'ed is `error`.

use dockaudit_shared::report::Finding;

use super::file_checks::{self, mode_text, or_return, owner_text, Judged, Located};
use super::outcome::finding;
use super::{Ctx, Outcome};
use crate::interpret::host_paths::HostPaths;
use crate::interpret::Lookup;
use crate::snapshot::{FileStat, HostFacts};

pub(super) const EVALUATORS: &[(&str, super::Eval)] = &[
    ("3.1", check_3_1),
    ("3.2", check_3_2),
    ("3.3", check_3_3),
    ("3.4", check_3_4),
    ("3.5", check_3_5),
    ("3.6", check_3_6),
    ("3.7", check_3_7),
    ("3.8", check_3_8),
    ("3.9", check_3_9),
    ("3.10", check_3_10),
    ("3.11", check_3_11),
    ("3.12", check_3_12),
    ("3.13", check_3_13),
    ("3.14", check_3_14),
    ("3.15", check_3_15),
    ("3.16", check_3_16),
    ("3.17", check_3_17),
    ("3.18", check_3_18),
    ("3.19", check_3_19),
    ("3.20", check_3_20),
    ("3.21", check_3_21),
    ("3.22", check_3_22),
    ("3.23", check_3_23),
    ("3.24", check_3_24),
];

/// What a check requires of each file.
#[derive(Clone, Copy)]
enum Want {
    /// uid 0 and gid 0.
    RootOwned,
    /// No permission bit outside the mask.
    ModeWithin(u32),
}

fn judge(located: &Located, want: Want) -> Outcome {
    match want {
        Want::RootOwned => located.judge("are not owned by root:root", file_checks::owned_by_root),
        Want::ModeWithin(mask) => located.judge(&format!("have permission bits outside {}", mode_text(mask)), |s| {
            file_checks::mode_within(s, mask)
        }),
    }
}

/// A check on the first existing path of a [`HostPaths`] list.
fn path_check(ctx: &Ctx, select: fn(&HostPaths) -> &Vec<String>, want: Want) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    judge(&file_checks::first_existing(host, select(&paths)), want)
}

/// A check on a systemd unit file of Docker.
fn unit_check(ctx: &Ctx, unit: &str, select: fn(&HostPaths) -> &Vec<String>, want: Want) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let units = or_return!(file_checks::systemd_unit(host, unit, select(&paths)));
    judge(&file_checks::first_existing(host, &units), want)
}

/// A check on every file below /etc/docker/certs.d/<registry>/ (directories excluded: the
/// 0444 mask is meant for certificates, and aquasecurity's use of it on directories always fails).
fn registry_certs_check(ctx: &Ctx, want: Want) -> Outcome {
    let host = or_return!(ctx.host());
    let certs = or_return!(host
        .registry_certs
        .get()
        .map_err(|u| Outcome::unavailable("/etc/docker/certs.d", u)));
    let found: Vec<&FileStat> = certs.iter().filter(|s| s.kind != "dir").collect();
    if found.is_empty() {
        return Outcome::not_applicable("There are no registry certificate files under /etc/docker/certs.d.");
    }
    judge(
        &Located {
            found,
            ..Located::default()
        },
        want,
    )
}

/// A check on a TLS file the daemon is configured with (`--tlscacert`, `--tlscert`, `--tlskey`, or
/// dockerd's default under /root/.docker when TLS is on without one).
fn tls_check(ctx: &Ctx, flag: &str, select: fn(&HostPaths) -> &Vec<String>, want: Want) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let candidates = select(&paths);
    if candidates.is_empty() {
        for f in [flag, "tls", "tlsverify"] {
            if let Lookup::Unknown(reason) = ctx.daemon.lookup(f, f) {
                return Outcome::error(format!("Cannot tell whether the daemon uses TLS: {reason}."));
            }
        }
        return Outcome::not_applicable(format!(
            "The daemon does not use TLS (no --{flag}, --tls or --tlsverify)."
        ));
    }
    judge(&file_checks::first_existing(host, candidates), want)
}

/// Every existing containerd socket, including containerd's configured one when known.
fn containerd_sockets<'a>(host: &'a HostFacts, paths: &HostPaths) -> Located<'a> {
    let mut located = file_checks::all_existing(host, &paths.containerd_sockets);
    if let Err(u) = host.containerd_grpc_address.get() {
        located
            .unknown
            .push(format!("containerd's configured socket is unknown ({u})"));
    }
    located
}

/// 3.1: the docker.service unit file is owned by root:root.
fn check_3_1(ctx: &Ctx) -> Outcome {
    unit_check(ctx, "docker.service", |p| &p.docker_service, Want::RootOwned)
}

/// 3.2: the docker.service unit file has mode 0644 or stricter (bit mask, not decimal).
fn check_3_2(ctx: &Ctx) -> Outcome {
    unit_check(ctx, "docker.service", |p| &p.docker_service, Want::ModeWithin(0o644))
}

/// 3.3: the docker.socket unit file is owned by root:root.
fn check_3_3(ctx: &Ctx) -> Outcome {
    unit_check(ctx, "docker.socket", |p| &p.docker_socket_unit, Want::RootOwned)
}

/// 3.4: the docker.socket unit file has mode 0644 or stricter.
fn check_3_4(ctx: &Ctx) -> Outcome {
    unit_check(ctx, "docker.socket", |p| &p.docker_socket_unit, Want::ModeWithin(0o644))
}

/// 3.5: /etc/docker is owned by root:root.
fn check_3_5(ctx: &Ctx) -> Outcome {
    path_check(ctx, |p| &p.etc_docker, Want::RootOwned)
}

/// 3.6: /etc/docker has mode 0755 or stricter (0737 passes docker-bench-security's decimal test).
fn check_3_6(ctx: &Ctx) -> Outcome {
    path_check(ctx, |p| &p.etc_docker, Want::ModeWithin(0o755))
}

/// 3.7: every registry certificate file is owned by root:root (user and group; docker-bench-security
/// checks only `*.crt` and only the user).
fn check_3_7(ctx: &Ctx) -> Outcome {
    registry_certs_check(ctx, Want::RootOwned)
}

/// 3.8: every registry certificate file has mode 0444 or stricter.
fn check_3_8(ctx: &Ctx) -> Outcome {
    registry_certs_check(ctx, Want::ModeWithin(0o444))
}

/// 3.9: the TLS CA certificate is owned by root:root.
fn check_3_9(ctx: &Ctx) -> Outcome {
    tls_check(ctx, "tlscacert", |p| &p.tls_ca, Want::RootOwned)
}

/// 3.10: the TLS CA certificate has mode 0444 or stricter.
fn check_3_10(ctx: &Ctx) -> Outcome {
    tls_check(ctx, "tlscacert", |p| &p.tls_ca, Want::ModeWithin(0o444))
}

/// 3.11: the server certificate is owned by root:root.
fn check_3_11(ctx: &Ctx) -> Outcome {
    tls_check(ctx, "tlscert", |p| &p.tls_cert, Want::RootOwned)
}

/// 3.12: the server certificate has mode 0444 or stricter.
fn check_3_12(ctx: &Ctx) -> Outcome {
    tls_check(ctx, "tlscert", |p| &p.tls_cert, Want::ModeWithin(0o444))
}

/// 3.13: the server key is owned by root:root.
fn check_3_13(ctx: &Ctx) -> Outcome {
    tls_check(ctx, "tlskey", |p| &p.tls_key, Want::RootOwned)
}

/// 3.14: the server key has mode 0400 or stricter. CIS says "400" and docker-bench-security tests
/// equality, so 0000 warns there; a subset of 0400 is at least as safe, and root reads it anyway.
fn check_3_14(ctx: &Ctx) -> Outcome {
    tls_check(ctx, "tlskey", |p| &p.tls_key, Want::ModeWithin(0o400))
}

/// 3.15: the daemon's unix socket(s) are owned by root with group docker (by name).
///
/// Sockets come from `-H unix://…` / `"hosts"` / docker.socket's ListenStream, default
/// /var/run/docker.sock (docker-bench-security always checks the default). A socket owned by a
/// non-root user belongs to a rootless daemon when the daemon reports `name=rootless`, and is then
/// not applicable. Without a docker group the socket cannot have the expected group: that fails
/// with the explanation.
fn check_3_15(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let mut located = file_checks::all_existing(host, &paths.docker_sockets);
    if let Some(o) = located.nothing_found() {
        return o;
    }
    let rootless = ctx.facts.info.ok().map(|i| i.has_security_option("rootless"));
    let mut rootless_sockets = Vec::new();
    let mut judged = Vec::new();
    for stat in std::mem::take(&mut located.found) {
        match (stat.uid, rootless) {
            (0, _) | (_, Some(false)) => judged.push(stat),
            (_, Some(true)) => rootless_sockets.push(format!("{} (owner {})", stat.path, owner_text(stat))),
            (_, None) => located.unknown.push(format!(
                "{} is owned by uid {}, and whether the daemon is rootless is unknown (GET /info unavailable)",
                stat.path, stat.uid
            )),
        }
    }
    located.found = judged;
    if located.found.is_empty() && located.unknown.is_empty() && !rootless_sockets.is_empty() {
        return Outcome::not_applicable(format!(
            "The daemon is rootless; its socket belongs to the user running it: {}.",
            rootless_sockets.join(", ")
        ));
    }
    let group = host.docker_group.get();
    if let Err(u) = group {
        if located.found.iter().any(|s| s.group.is_none()) {
            return Outcome::unavailable("the docker group", u);
        }
    }
    let docker_gid = group.ok().and_then(|g| g.as_ref()).map(|g| g.gid);
    let no_group = matches!(group, Ok(None));
    located.judge("are not owned by root:docker", |stat| {
        let owner_ok = match &stat.owner {
            Some(name) => name == "root",
            None => stat.uid == 0,
        };
        let group_ok = match &stat.group {
            Some(name) => name == "docker",
            None => docker_gid == Some(stat.gid),
        };
        if owner_ok && group_ok {
            return Judged::Verified(format!("{} is owned by {}", stat.path, owner_text(stat)));
        }
        let mut observed = format!("owner {}, mode {}", owner_text(stat), mode_text(stat.mode));
        if no_group {
            observed.push_str("; the host has no docker group");
        }
        Judged::Offends(socket_owner_finding(stat, observed, no_group))
    })
}

fn socket_owner_finding(stat: &FileStat, observed: String, no_group: bool) -> Finding {
    let chown = format!(
        "chown root:docker {} (and keep it across restarts with dockerd --group docker, or SocketUser=root and \
         SocketGroup=docker in docker.socket)",
        stat.path
    );
    let remediation = if no_group {
        format!("groupadd docker, then {chown}")
    } else {
        chown
    };
    finding(
        file_checks::file_target(&stat.path),
        format!("{} is owned by {}, not root:docker", stat.path, owner_text(stat)),
        observed,
        "owner root, group docker",
        remediation,
    )
}

/// 3.16: the daemon's unix socket(s) have mode 0660 or stricter (0606 passes docker-bench-security's
/// decimal test although anyone can connect).
fn check_3_16(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    judge(
        &file_checks::all_existing(host, &paths.docker_sockets),
        Want::ModeWithin(0o660),
    )
}

/// 3.17: the daemon.json dockerd reads (`--config-file`, else /etc/docker/daemon.json) is owned by
/// root:root; docker-bench-security ignores `--config-file`.
fn check_3_17(ctx: &Ctx) -> Outcome {
    path_check(ctx, |p| &p.daemon_json, Want::RootOwned)
}

/// 3.18: that daemon.json has mode 0644 or stricter.
fn check_3_18(ctx: &Ctx) -> Outcome {
    path_check(ctx, |p| &p.daemon_json, Want::ModeWithin(0o644))
}

/// 3.19: /etc/default/docker is owned by root:root (Debian family; not applicable elsewhere).
fn check_3_19(ctx: &Ctx) -> Outcome {
    path_check(ctx, |p| &p.etc_default_docker, Want::RootOwned)
}

/// 3.20: /etc/default/docker has mode 0644 or stricter.
fn check_3_20(ctx: &Ctx) -> Outcome {
    path_check(ctx, |p| &p.etc_default_docker, Want::ModeWithin(0o644))
}

/// 3.21: /etc/sysconfig/docker has mode 0644 or stricter (CIS order: mode before owner here;
/// aquasecurity swaps 3.20–3.22).
fn check_3_21(ctx: &Ctx) -> Outcome {
    path_check(ctx, |p| &p.etc_sysconfig_docker, Want::ModeWithin(0o644))
}

/// 3.22: /etc/sysconfig/docker is owned by root:root (Red Hat family; not applicable elsewhere).
fn check_3_22(ctx: &Ctx) -> Outcome {
    path_check(ctx, |p| &p.etc_sysconfig_docker, Want::RootOwned)
}

/// 3.23: every existing containerd socket (system and Docker-managed) is owned by root:root;
/// docker-bench-security checks only /run/containerd/containerd.sock.
fn check_3_23(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    judge(&containerd_sockets(host, paths), Want::RootOwned)
}

/// 3.24: every existing containerd socket has mode 0660 or stricter.
fn check_3_24(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    judge(&containerd_sockets(host, paths), Want::ModeWithin(0o660))
}

#[cfg(test)]
mod tests {
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

        // A rootless daemon's socket belongs to its user.
        let mut f = sock(1000, 1000);
        ok_mut(&mut f.info).security_options.push("name=rootless".into());
        assert_eq!(eval("3.15", &f).status, Status::NotApplicable);
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
        ok_mut(&mut host(&mut f).dockerd).as_mut().unwrap().args =
            ["/usr/sbin/dockerd", "-H", "unix:///srv/docker.sock"]
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
}
