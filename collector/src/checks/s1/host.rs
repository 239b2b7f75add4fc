//! Section 1: host.

use dockaudit_shared::report::{Finding, Target, TargetKind};

use crate::checks::file_checks::or_return;
use crate::checks::outcome::finding;
use crate::checks::{Ctx, Outcome};
use crate::interpret::audit_rules;
use crate::snapshot::HostMount;

use super::*;

/// The mount whose mount point is the longest ancestor of `path` (the filesystem it lives on).
pub(super) fn containing_mount<'m>(mounts: &'m [HostMount], path: &str) -> Option<&'m HostMount> {
    mounts
        .iter()
        .filter(|m| {
            let mp = audit_rules::normalize(&m.mount_point);
            mp == "/" || path == mp || path.strip_prefix(mp.as_str()).is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|m| audit_rules::normalize(&m.mount_point).len())
}

/// Evaluates [`cat::DOCKER_PARTITION`] (1.1.1); the catalogue entry describes the audit.
pub(super) fn docker_partition(ctx: &Ctx) -> Outcome {
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
pub(super) fn same_filesystem(a: &HostMount, b: &HostMount) -> bool {
    a.source.starts_with("/dev/") && a.source == b.source && a.fs_type == b.fs_type
}

pub(super) fn not_separate(root: &str, observed: String) -> Finding {
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

/// Evaluates [`cat::DOCKER_GROUP_MEMBERS`] (1.1.2); the catalogue entry describes the audit.
pub(super) fn docker_group_members(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    if paths.rootless {
        let user = paths
            .daemon_user
            .as_ref()
            .map_or_else(|| "the user running it".to_string(), |u| u.describe());
        return Outcome::not_applicable(format!(
            "The audited daemon is rootless: access to it is through its socket, which belongs to {user}, \
             not through the docker group."
        ));
    }
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

/// Evaluates [`cat::HOST_HARDENING`] (1.2.1); the catalogue entry describes the audit.
pub(super) fn host_hardening(ctx: &Ctx) -> Outcome {
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

/// Evaluates [`cat::DOCKER_VERSION`] (1.2.2); the catalogue entry describes the audit.
pub(super) fn docker_version(ctx: &Ctx) -> Outcome {
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
