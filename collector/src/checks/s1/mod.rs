//! Section 1: host configuration (Docker's partition, the docker group, audit rules, hygiene).
//!
//! The audited paths come from [`crate::interpret::HostPaths`], resolved once per run into the
//! context by the same derivation the gatherer used to decide what to stat, so a path a check asks
//! for was stat'ed unless facts are incomplete. Where the running daemon does not tell (its command line is not visible), the paths fall back to the ones
//! CIS names literally (`/usr/bin/dockerd`, `/etc/docker/daemon.json`, …).

mod auditing;
mod host;
#[cfg(test)]
mod tests;

use crate::interpret::audit_rules;
use crate::snapshot::Info;
use dockaudit_shared::catalog::s1_host as cat;

use super::registry::Check;

/// This section's checks in benchmark order, each joined to its catalogue entry.
pub(super) static CHECKS: &[Check] = &[
    Check::new(&cat::DOCKER_PARTITION, host::docker_partition),
    Check::new(&cat::DOCKER_GROUP_MEMBERS, host::docker_group_members),
    Check::new(&cat::DOCKERD_AUDITED, auditing::dockerd_audited),
    Check::new(&cat::RUN_CONTAINERD_AUDITED, auditing::run_containerd_audited),
    Check::new(&cat::DOCKER_ROOT_AUDITED, auditing::docker_root_audited),
    Check::new(&cat::ETC_DOCKER_AUDITED, auditing::etc_docker_audited),
    Check::new(&cat::DOCKER_SERVICE_AUDITED, auditing::docker_service_audited),
    Check::new(&cat::CONTAINERD_SOCKET_AUDITED, auditing::containerd_socket_audited),
    Check::new(&cat::DOCKER_SOCKET_UNIT_AUDITED, auditing::docker_socket_unit_audited),
    Check::new(&cat::ETC_DEFAULT_DOCKER_AUDITED, auditing::etc_default_docker_audited),
    Check::new(&cat::DAEMON_JSON_AUDITED, auditing::daemon_json_audited),
    Check::new(&cat::CONTAINERD_CONFIG_AUDITED, auditing::containerd_config_audited),
    Check::new(
        &cat::ETC_SYSCONFIG_DOCKER_AUDITED,
        auditing::etc_sysconfig_docker_audited,
    ),
    Check::new(&cat::CONTAINERD_BINARY_AUDITED, auditing::containerd_binary_audited),
    Check::new(&cat::CONTAINERD_SHIM_AUDITED, auditing::containerd_shim_audited),
    Check::new(
        &cat::CONTAINERD_SHIM_RUNC_V1_AUDITED,
        auditing::containerd_shim_runc_v1_audited,
    ),
    Check::new(
        &cat::CONTAINERD_SHIM_RUNC_V2_AUDITED,
        auditing::containerd_shim_runc_v2_audited,
    ),
    Check::new(&cat::RUNC_AUDITED, auditing::runc_audited),
    Check::new(&cat::HOST_HARDENING, host::host_hardening),
    Check::new(&cat::DOCKER_VERSION, host::docker_version),
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
