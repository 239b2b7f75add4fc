//! Section 5: mounts.

use crate::checks::context::container_target;
use crate::checks::outcome::finding;
use crate::checks::{Ctx, Outcome};
use crate::interpret::least_privilege::hint;
use crate::snapshot::Mount;

use super::*;

/// Lexically cleaned absolute path: repeated and trailing `/`, `.` and `..` resolved.
pub(super) fn clean_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.trim().split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Whether `dir` is `path` itself or one of its ancestors.
pub(super) fn covers(dir: &str, path: &str) -> bool {
    dir == path || dir == "/" || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// Host directories CIS names, plus `/lib64`: a bind mount of any of them fails 5.6.
pub(super) const SENSITIVE_DIRS: &[&str] = &["/", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/sys", "/usr"];

/// Trees whose every subpath is sensitive too (kernel interfaces, devices, boot files, host configuration).
pub(super) const SENSITIVE_TREES: &[&str] = &["/boot", "/dev", "/etc", "/proc", "/sys"];

/// Public data that is commonly shared read-only and holds no secret.
pub(super) const READ_ONLY_PUBLIC: &[&str] = &[
    "/etc/localtime",
    "/etc/timezone",
    "/etc/ssl/certs",
    "/etc/pki/ca-trust/extracted",
];

/// The sensitive host path a mount exposes, if any.
pub(super) fn sensitive_source(m: &Mount) -> Option<String> {
    let is_bind = m.kind == "bind" || (m.kind.is_empty() && m.source.trim().starts_with('/'));
    if !is_bind || m.source.trim().is_empty() {
        return None;
    }
    let source = clean_path(&m.source);
    if SENSITIVE_DIRS.contains(&source.as_str()) {
        return Some(source);
    }
    let in_tree = SENSITIVE_TREES.iter().any(|t| covers(t, &source));
    let public = !m.rw && READ_ONLY_PUBLIC.iter().any(|p| covers(p, &source));
    (in_tree && !public).then_some(source)
}

/// Evaluates [`cat::SENSITIVE_HOST_MOUNTS`] (5.6); the catalogue entry describes the audit.
pub(super) fn sensitive_host_mounts(ctx: &Ctx) -> Outcome {
    ctx.per_container_multi("mount sensitive host directories", |c| {
        c.mounts
            .iter()
            .filter_map(|m| {
                let source = sensitive_source(m)?;
                let mode = if m.rw { "read-write" } else { "read-only" };
                Some(finding(
                    container_target(c),
                    format!("\"{}\" mounts the host's {source}", c.name),
                    format!("bind {} -> {} ({mode})", m.source, m.destination),
                    "no bind mount of /, /boot, /dev, /etc, /lib, /lib64, /proc, /sys or /usr, nor below /boot, /dev, /etc, /proc or /sys",
                    format!(
                        "Re-create \"{}\" without the bind mount of {source}; put the data it needs in a volume or the image",
                        c.name
                    ),
                ))
            })
            .collect()
    })
}

/// Evaluates [`cat::READ_ONLY_ROOT_FS`] (5.13); the catalogue entry describes the audit.
pub(super) fn read_only_root_fs(ctx: &Ctx) -> Outcome {
    ctx.per_container("have a writable root filesystem", |c| {
        (!c.host_config.readonly_rootfs).then(|| {
            finding(
                container_target(c),
                format!("\"{}\" has a writable root filesystem", c.name),
                "HostConfig.ReadonlyRootfs = false",
                "true",
                format!(
                    "Re-create \"{}\" with {}; {}",
                    c.name,
                    hint::read_only(c),
                    hint::pointer(c)
                ),
            )
        })
    })
}

/// Evaluates [`cat::HOST_DEVICES`] (5.18); the catalogue entry describes the audit.
pub(super) fn host_devices(ctx: &Ctx) -> Outcome {
    review_per_container(
        ctx,
        |with, total| format!("{with} of {total} containers have host devices; confirm each is needed."),
        |c| {
            let h = &c.host_config;
            let mut parts = Vec::new();
            if !h.devices.is_empty() {
                let devices: Vec<String> = h
                    .devices
                    .iter()
                    .map(|d| format!("{}:{}:{}", d.path_on_host, d.path_in_container, d.cgroup_permissions))
                    .collect();
                parts.push(format!("devices {}", devices.join(", ")));
            }
            if !h.device_cgroup_rules.is_empty() {
                parts.push(format!("cgroup rules {}", h.device_cgroup_rules.join(", ")));
            }
            if !h.device_requests.is_empty() {
                parts.push(format!("device requests {}", h.device_requests.join(", ")));
            }
            (!parts.is_empty()).then(|| {
                finding(
                    container_target(c),
                    format!("\"{}\" has access to host devices", c.name),
                    parts.join("; "),
                    "only the devices the workload needs, with the least permissions (e.g. :r)",
                    format!(
                        "Re-create \"{}\" with only the needed --device entries and permissions",
                        c.name
                    ),
                )
            })
        },
    )
}

/// Evaluates [`cat::SHARED_MOUNT_PROPAGATION`] (5.20); the catalogue entry describes the audit.
pub(super) fn shared_mount_propagation(ctx: &Ctx) -> Outcome {
    ctx.per_container("have shared mount propagation", |c| {
        let shared: Vec<String> = c
            .mounts
            .iter()
            .filter(|m| matches!(m.propagation.trim(), "shared" | "rshared"))
            .map(|m| format!("{} -> {} ({})", m.source, m.destination, m.propagation.trim()))
            .collect();
        (!shared.is_empty()).then(|| {
            finding(
                container_target(c),
                format!("\"{}\" has a mount with shared propagation", c.name),
                shared.join(", "),
                "private, rprivate, slave or rslave propagation",
                format!("Re-create \"{}\" without the shared/rshared mount option", c.name),
            )
        })
    })
}

/// `/var/run/...` → `/run/...`: on current distributions `/var/run` is a link to `/run`.
pub(super) fn canonical_run(path: &str) -> String {
    let clean = clean_path(path);
    match clean.strip_prefix("/var/run") {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("/run{rest}"),
        _ => clean,
    }
}

/// Evaluates [`cat::DOCKER_SOCKET_MOUNTS`] (5.32); the catalogue entry describes the audit.
pub(super) fn docker_socket_mounts(ctx: &Ctx) -> Outcome {
    let mut sockets: Vec<String> = ctx.paths.as_ref().map(|p| p.docker_sockets.clone()).unwrap_or_default();
    sockets.extend(["/var/run/docker.sock".to_string(), "/run/docker.sock".to_string()]);
    let mut forms: Vec<String> = sockets.iter().flat_map(|s| [clean_path(s), canonical_run(s)]).collect();
    forms.sort();
    forms.dedup();
    ctx.per_container_multi("mount the Docker socket", |c| {
        c.mounts
            .iter()
            .filter(|m| !m.source.trim().is_empty())
            .filter_map(|m| {
                let source = clean_path(&m.source);
                let by_name = source.rsplit('/').next() == Some("docker.sock");
                let exposed = forms
                    .iter()
                    .find(|s| covers(&source, s) || canonical_run(&source) == **s);
                let why = match exposed {
                    Some(s) if *s == source || canonical_run(&source) == *s => format!("the Docker socket {source}"),
                    Some(s) => format!("{source}, which contains the Docker socket {s}"),
                    None if by_name => format!("the Docker socket {source}"),
                    None => return None,
                };
                Some(finding(
                    container_target(c),
                    format!("\"{}\" mounts {why}", c.name),
                    format!(
                        "{} {} -> {}",
                        if m.kind.is_empty() { "mount" } else { &m.kind },
                        m.source,
                        m.destination
                    ),
                    "no mount of the Docker socket or a directory containing it",
                    format!(
                        "Re-create \"{}\" without the mount of {}; a container that must drive Docker should use a \
                         filtering socket proxy or an authorization plugin",
                        c.name, m.source
                    ),
                ))
            })
            .collect()
    })
}
