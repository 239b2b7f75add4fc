//! Section 1: host configuration (Docker's partition, the docker group, audit rules, hygiene).
//!
//! The audited paths come from [`HostPaths::resolve`], the same derivation the gatherer used to
//! decide what to stat, so a path a check asks for was stat'ed unless facts are incomplete. Where the
//! running daemon does not tell (its command line is not visible), the paths fall back to the ones
//! CIS names literally (`/usr/bin/dockerd`, `/etc/docker/daemon.json`, …).

use dockaudit_shared::report::{Finding, Target, TargetKind};

use super::file_checks::{self, or_return, Located};
use super::outcome::finding;
use super::{Ctx, Outcome};
use crate::interpret::audit_rules;
use crate::interpret::host_paths::HostPaths;
use crate::snapshot::{FileStat, HostFacts, HostMount, Info};

pub(super) const EVALUATORS: &[(&str, super::Eval)] = &[
    ("1.1.1", check_1_1_1),
    ("1.1.2", check_1_1_2),
    ("1.1.3", check_1_1_3),
    ("1.1.4", check_1_1_4),
    ("1.1.5", check_1_1_5),
    ("1.1.6", check_1_1_6),
    ("1.1.7", check_1_1_7),
    ("1.1.8", check_1_1_8),
    ("1.1.9", check_1_1_9),
    ("1.1.10", check_1_1_10),
    ("1.1.11", check_1_1_11),
    ("1.1.12", check_1_1_12),
    ("1.1.13", check_1_1_13),
    ("1.1.14", check_1_1_14),
    ("1.1.15", check_1_1_15),
    ("1.1.16", check_1_1_16),
    ("1.1.17", check_1_1_17),
    ("1.1.18", check_1_1_18),
    ("1.2.1", check_1_2_1),
    ("1.2.2", check_1_2_2),
];

/// The directory `data-root` names: under user-namespace remapping dockerd reports a subdirectory
/// named `<uid>.<gid>` (e.g. `/var/lib/docker/100000.100000`), whose parent is the configured root.
fn data_root(info: &Info, reported: &str) -> String {
    let reported = audit_rules::normalize(reported);
    if !info.has_security_option("userns") {
        return reported;
    }
    match reported.rsplit_once('/') {
        Some((parent, last)) if is_remap_dir(last) && !parent.is_empty() => parent.to_string(),
        _ => reported,
    }
}

fn is_remap_dir(name: &str) -> bool {
    name.split_once('.').is_some_and(|(u, g)| {
        !u.is_empty() && !g.is_empty() && u.bytes().all(|b| b.is_ascii_digit()) && g.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The mount whose mount point is the longest ancestor of `path` (the filesystem it lives on).
fn containing_mount<'m>(mounts: &'m [HostMount], path: &str) -> Option<&'m HostMount> {
    mounts
        .iter()
        .filter(|m| {
            let mp = audit_rules::normalize(&m.mount_point);
            mp == "/" || path == mp || path.strip_prefix(mp.as_str()).is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|m| audit_rules::normalize(&m.mount_point).len())
}

/// 1.1.1: the Docker root directory must be a mount point of its own.
///
/// Uses the root the daemon reports (GET /info), not a hard-coded `/var/lib/docker`, and the host's
/// mount table rather than the scanner's, which docker-bench-security gets wrong inside a container
/// or against a remote daemon. Under userns-remap the configured root (the parent of the reported
/// `<uid>.<gid>` directory) is the one that must be mounted. A mount point that is a bind mount of
/// the block device the surrounding filesystem comes from (`/dev/vda` at both `/` and
/// `/var/lib/docker`) shares that filesystem's space, so it fails: CIS asks for a separate partition.
fn check_1_1_1(ctx: &Ctx) -> Outcome {
    let host = or_return!(ctx.host());
    let info = or_return!(ctx
        .facts
        .info
        .get()
        .map_err(|u| Outcome::unavailable("the daemon info", u)));
    let Some(reported) = info.docker_root_dir.as_deref() else {
        return Outcome::error("The daemon did not report its root directory (GET /info DockerRootDir).");
    };
    let mounts = or_return!(host
        .mounts
        .get()
        .map_err(|u| Outcome::unavailable("the host's mount table", u)));
    let root = data_root(info, reported);
    let mut spellings = vec![root.clone()];
    if let Some(Some(stat)) = host.files.get(&root).and_then(|f| f.ok()) {
        spellings = audit_rules::spellings(stat);
    }
    let remap_note = if root != audit_rules::normalize(reported) {
        format!(" (parent of the userns-remapped root {reported})")
    } else {
        String::new()
    };
    // The last entry for a mount point is the one visible there (later mounts stack on top).
    let own = mounts
        .iter()
        .rev()
        .find(|m| spellings.contains(&audit_rules::normalize(&m.mount_point)));
    if let Some(m) = own {
        let parent = match root.rsplit_once('/') {
            Some((p, _)) if !p.is_empty() => p,
            _ => "/",
        };
        return match containing_mount(mounts, parent).filter(|p| same_filesystem(m, p)) {
            None => Outcome::pass(format!(
                "The Docker root directory {root}{remap_note} is a mount point ({}, {}).",
                m.fs_type, m.source
            )),
            Some(p) => Outcome::fail(
                format!(
                    "The Docker root directory {root}{remap_note} is mounted from the same filesystem \
                     as {}, not from a separate partition.",
                    p.mount_point
                ),
                vec![not_separate(
                    &root,
                    format!(
                        "{root} is a mount of {} ({}), the same device as {}: a bind mount, not a \
                         separate partition (from the host's mountinfo)",
                        m.source, m.fs_type, p.mount_point
                    ),
                )],
            ),
        };
    }
    let on = match containing_mount(mounts, &root) {
        Some(m) => format!(
            "it lives on the filesystem mounted at {} ({}, {})",
            m.mount_point, m.fs_type, m.source
        ),
        None => "no mount in the host's mount table contains it".to_string(),
    };
    Outcome::fail(
        format!("The Docker root directory {root}{remap_note} is not a separate mount point."),
        vec![not_separate(
            &root,
            format!("{root} is not a mount point; {on} (from the host's mountinfo)"),
        )],
    )
}

/// Two mounts of one block device with one filesystem type: a bind mount (or a second mount) of
/// the same filesystem, sharing its space. Pseudo sources (`tmpfs`, `overlay`, ZFS datasets) are
/// not device paths and never count as the same filesystem here.
fn same_filesystem(a: &HostMount, b: &HostMount) -> bool {
    a.source.starts_with("/dev/") && a.source == b.source && a.fs_type == b.fs_type
}

fn not_separate(root: &str, observed: String) -> Finding {
    finding(
        Target::new(TargetKind::File, root, root),
        format!("{root} is not on a separate partition"),
        observed,
        format!("a dedicated filesystem mounted at {root}"),
        format!(
            "create a dedicated partition or logical volume, add it to /etc/fstab with mount point \
             {root}, and move Docker's data onto it while Docker is stopped"
        ),
    )
}

/// 1.1.2: every member of the docker group must be trusted.
///
/// Members are the supplementary members in /etc/group plus every account whose primary group is
/// docker (docker-bench-security misses the latter). The allow-list (`--trusted-user`) is compared by
/// exact name, not substring, and every untrusted user gets its own finding. Without a list the
/// result is manual with the members listed.
fn check_1_1_2(ctx: &Ctx) -> Outcome {
    let host = or_return!(ctx.host());
    let group = match host.docker_group.get() {
        Err(u) => return Outcome::unavailable("the docker group", u),
        Ok(None) => {
            return Outcome::not_applicable("The host has no docker group, so no user gains access through it.")
        }
        Ok(Some(g)) => g,
    };
    // (user, how they are a member)
    let mut members: Vec<(&str, &str)> = Vec::new();
    for u in group.members.iter().filter(|u| !u.is_empty()) {
        if !members.iter().any(|(m, _)| m == u) {
            members.push((u.as_str(), "supplementary member listed in /etc/group"));
        }
    }
    for u in group.primary_members.iter().filter(|u| !u.is_empty()) {
        if !members.iter().any(|(m, _)| m == u) {
            members.push((u.as_str(), "primary group in /etc/passwd"));
        }
    }
    if members.is_empty() {
        return Outcome::pass(format!("The docker group (gid {}) has no members.", group.gid));
    }
    let remediation = |user: &str, how: &str| {
        if how.starts_with("primary") {
            format!("change the primary group of {user} (usermod -g GROUP {user}) if {user} should not control Docker")
        } else {
            format!("gpasswd -d {user} docker (if {user} should not control Docker)")
        }
    };
    let user_target = |user: &str| Target::new(TargetKind::Host, format!("user:{user}"), user);
    let trusted = &ctx.options.trusted_users;
    if trusted.is_empty() {
        let names: Vec<&str> = members.iter().map(|(u, _)| *u).collect();
        let findings = members
            .iter()
            .map(|(user, how)| {
                finding(
                    user_target(user),
                    "member of the docker group",
                    format!("{user}: {how} (docker gid {})", group.gid),
                    "only users trusted with root on this host",
                    remediation(user, how),
                )
            })
            .collect();
        return Outcome::manual(
            format!(
                "The docker group has {} member(s): {}. Confirm each is trusted with root, or pass \
                 --trusted-user NAME for each trusted user to decide automatically.",
                names.len(),
                names.join(", ")
            ),
            findings,
        );
    }
    let untrusted: Vec<&(&str, &str)> = members
        .iter()
        .filter(|(u, _)| !trusted.iter().any(|t| t.trim() == *u))
        .collect();
    if untrusted.is_empty() {
        let names: Vec<&str> = members.iter().map(|(u, _)| *u).collect();
        return Outcome::pass(format!(
            "Every docker group member is a trusted user: {}.",
            names.join(", ")
        ));
    }
    let findings = untrusted
        .iter()
        .map(|(user, how)| {
            finding(
                user_target(user),
                format!("{user} is in the docker group but not trusted"),
                format!("{user}: {how} (docker gid {})", group.gid),
                format!("only trusted users ({})", trusted.join(", ")),
                remediation(user, how),
            )
        })
        .collect();
    let names: Vec<&str> = untrusted.iter().map(|(u, _)| *u).collect();
    Outcome::fail(
        format!(
            "{} docker group member(s) are not trusted: {}.",
            names.len(),
            names.join(", ")
        ),
        findings,
    )
}

/// Shared body of 1.1.3–1.1.18: locate the file(s), then require an exact audit rule on each.
fn audit_check(ctx: &Ctx, host: &HostFacts, located: Located, alternatives: &[FileStat]) -> Outcome {
    if let Some(o) = located.nothing_found() {
        return o;
    }
    let rules_fact = or_return!(host
        .audit_rules
        .get()
        .map_err(|u| Outcome::unavailable("the audit rules", u)));
    let alternatives: Vec<&FileStat> = alternatives.iter().collect();
    located.judge("have no audit rule", |stat| {
        file_checks::audited(stat, &ctx.audit_rules, host, &rules_fact.source, &alternatives)
    })
}

/// An audit check over alternative paths of [`HostPaths`] (preference order): the first that
/// exists is audited.
fn audit_paths(ctx: &Ctx, select: fn(&HostPaths) -> &Vec<String>) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    audit_check(ctx, host, file_checks::first_existing(host, select(&paths)), &[])
}

/// 1.1.3: an audit rule on the dockerd binary.
///
/// The binary is the running daemon's `/proc/<pid>/exe`, else the first dockerd in the usual
/// directories; the peers hard-code `/usr/bin/dockerd` and accept any rule line containing it.
fn check_1_1_3(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.dockerd)
}

/// 1.1.4: an audit rule on the `/run/containerd` directory itself (a watch or `-F dir=`); a rule on
/// the socket inside it does not count, unlike docker-bench-security's substring match.
fn check_1_1_4(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.run_containerd)
}

/// 1.1.5: an audit rule on the Docker root directory the daemon reports (not a hard-coded
/// `/var/lib/docker`). Under userns-remap the daemon reports `<root>/<uid>.<gid>`; a watch on the
/// configured root covers it, so a rule on either counts.
fn check_1_1_5(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let mut located = file_checks::first_existing(host, &paths.docker_root);
    if let Err(u) = ctx.facts.info.get() {
        located
            .unknown
            .push(format!("the Docker root directory is unknown ({u})"));
    }
    let mut alternatives = Vec::new();
    if let (Some(info), Some(stat)) = (ctx.facts.info.ok(), located.found.first()) {
        let parent = data_root(info, &stat.path);
        if parent != audit_rules::normalize(&stat.path) {
            alternatives.push(FileStat {
                path: parent,
                kind: "dir".into(),
                ..FileStat::default()
            });
        }
    }
    audit_check(ctx, host, located, &alternatives)
}

/// 1.1.6: an audit rule on `/etc/docker` itself.
fn check_1_1_6(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.etc_docker)
}

/// 1.1.7: an audit rule on the docker.service unit file systemd actually uses; `/lib/...` and
/// `/usr/lib/...` spellings match through symlink resolution (docker-bench-security's lookup often
/// finds no file, or a different spelling than the rule).
fn check_1_1_7(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let units = or_return!(file_checks::systemd_unit(host, "docker.service", &paths.docker_service));
    audit_check(ctx, host, file_checks::first_existing(host, &units), &[])
}

/// 1.1.8: an audit rule on every containerd socket that exists: the system containerd's (from its
/// config.toml or the default) and the one a Docker-managed containerd uses. docker-bench-security
/// only audits the first one it finds.
fn check_1_1_8(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let mut located = file_checks::all_existing(host, &paths.containerd_sockets);
    if let Err(u) = host.containerd_grpc_address.get() {
        located
            .unknown
            .push(format!("containerd's configured socket is unknown ({u})"));
    }
    audit_check(ctx, host, located, &[])
}

/// 1.1.9: an audit rule on the docker.socket unit file or on the socket it listens on. The peers
/// disagree on which one CIS means (docker-bench-security: the unit; aquasecurity: the socket), so
/// either satisfies the check.
fn check_1_1_9(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let units = or_return!(file_checks::systemd_unit(
        host,
        "docker.socket",
        &paths.docker_socket_unit
    ));
    let listen: Vec<String> = host
        .systemd
        .ok()
        .map(|s| s.socket_listen.iter().filter(|l| l.starts_with('/')).cloned().collect())
        .unwrap_or_default();
    let alternatives: Vec<FileStat> = listen
        .iter()
        .map(|path| match host.files.get(path).and_then(|f| f.ok()) {
            Some(Some(stat)) => stat.clone(),
            _ => FileStat {
                path: path.clone(),
                kind: "socket".into(),
                ..FileStat::default()
            },
        })
        .collect();
    audit_check(ctx, host, file_checks::first_existing(host, &units), &alternatives)
}

/// 1.1.10: an audit rule on `/etc/default/docker` (Debian family; not applicable elsewhere).
fn check_1_1_10(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.etc_default_docker)
}

/// 1.1.11: an audit rule on the daemon.json dockerd reads (`--config-file`, else the default);
/// docker-bench-security always checks the default path.
fn check_1_1_11(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.daemon_json)
}

/// 1.1.12: an audit rule on `/etc/containerd/config.toml`.
fn check_1_1_12(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.containerd_config)
}

/// 1.1.13: an audit rule on `/etc/sysconfig/docker` (Red Hat family; not applicable elsewhere).
fn check_1_1_13(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.etc_sysconfig_docker)
}

/// 1.1.14: an audit rule on the containerd binary itself; a rule on `containerd-shim-runc-v2`
/// does not count (the peers' substring match accepts it).
fn check_1_1_14(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.containerd)
}

/// 1.1.15: an audit rule on the legacy `containerd-shim` binary, usually absent today.
fn check_1_1_15(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.containerd_shim)
}

/// 1.1.16: an audit rule on `containerd-shim-runc-v1` (gone in containerd 2.x).
fn check_1_1_16(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.containerd_shim_runc_v1)
}

/// 1.1.17: an audit rule on `containerd-shim-runc-v2`.
fn check_1_1_17(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.containerd_shim_runc_v2)
}

/// 1.1.18: an audit rule on the runc binary the daemon uses (GET /info Runtimes), which is
/// `/usr/sbin/runc` on Debian rather than CIS's `/usr/bin/runc`.
fn check_1_1_18(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let mut located = file_checks::first_existing(host, &paths.runc);
    if let Err(u) = ctx.facts.info.get() {
        located
            .unknown
            .push(format!("the runc binary the daemon uses is unknown ({u})"));
    }
    audit_check(ctx, host, located, &[])
}

/// 1.2.1: host hardening is a judgement over the whole OS; always manual.
fn check_1_2_1(ctx: &Ctx) -> Outcome {
    let os = ctx
        .facts
        .host
        .as_ref()
        .and_then(|h| h.os_pretty_name.clone())
        .or_else(|| ctx.facts.info.ok().and_then(|i| i.operating_system.clone()));
    let baseline = match os {
        Some(os) => format!("the CIS benchmark for {os}"),
        None => "the CIS benchmark for the host's operating system".to_string(),
    };
    Outcome::manual(
        format!(
            "Host hardening cannot be decided from Docker facts: confirm the host follows a hardening \
             baseline such as {baseline}."
        ),
        Vec::new(),
    )
}

/// 1.2.2: whether the engine is current depends on the vendor's support policy; the version is
/// reported for a person to compare. docker-bench-security's date-derived "YY.MM.0" comparison is
/// meaningless since Docker 23.
fn check_1_2_2(ctx: &Ctx) -> Outcome {
    let version = or_return!(ctx
        .facts
        .version
        .get()
        .map_err(|u| Outcome::unavailable("the engine version", u)));
    let Some(engine) = version.version.as_deref() else {
        return Outcome::error("The daemon did not report its version (GET /version Version).");
    };
    let mut observed = format!("Docker Engine {engine}");
    if let Some(api) = &version.api_version {
        observed.push_str(&format!(" (API {api})"));
    }
    let components: Vec<String> = version
        .components
        .iter()
        .filter(|(name, _)| name.as_str() != "Engine")
        .map(|(name, v)| format!("{name} {v}"))
        .collect();
    if !components.is_empty() {
        observed.push_str(&format!("; {}", components.join(", ")));
    }
    Outcome::manual(
        format!("{observed}. Confirm this release still receives security updates from its vendor."),
        vec![finding(
            Target::new(TargetKind::Daemon, "version", "Docker Engine version"),
            "engine version to review",
            format!("{observed} (from GET /version)"),
            "a release that still receives security updates",
            "upgrade Docker Engine (and containerd, runc) from the distribution or Docker's repository",
        )],
    )
}

#[cfg(test)]
mod tests {
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
}
