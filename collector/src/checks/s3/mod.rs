//! Section 3: ownership and permissions of Docker's configuration files and sockets.
//!
//! Modes are compared as bit masks: a file passes "0644 or stricter" iff `mode & !0644 == 0`,
//! special bits included. docker-bench-security compares the octal digits as decimal numbers, so
//! 0606 ("606 < 644") passes there although it is world-writable. A file that does not exist is
//! `not_applicable` (aquasecurity fails it); one that could not be stat'ed is `error`.

mod certificates;
mod config_files;
mod sockets;
#[cfg(test)]
mod tests;

use crate::checks::file_checks::{self, mode_text, owner_text, Judged, Located};
use crate::checks::outcome::finding;
use crate::checks::Outcome;
use crate::interpret::host_paths::{DaemonUser, HostPaths};
use crate::snapshot::HostFacts;
use dockaudit_shared::catalog::s3_files as cat;

use super::registry::Check;

/// This section's checks in benchmark order, each joined to its catalogue entry.
pub(super) static CHECKS: &[Check] = &[
    Check::new(&cat::DOCKER_SERVICE_OWNER, config_files::docker_service_owner),
    Check::new(&cat::DOCKER_SERVICE_MODE, config_files::docker_service_mode),
    Check::new(&cat::DOCKER_SOCKET_UNIT_OWNER, config_files::docker_socket_unit_owner),
    Check::new(&cat::DOCKER_SOCKET_UNIT_MODE, config_files::docker_socket_unit_mode),
    Check::new(&cat::ETC_DOCKER_OWNER, config_files::etc_docker_owner),
    Check::new(&cat::ETC_DOCKER_MODE, config_files::etc_docker_mode),
    Check::new(&cat::REGISTRY_CERTS_OWNER, certificates::registry_certs_owner),
    Check::new(&cat::REGISTRY_CERTS_MODE, certificates::registry_certs_mode),
    Check::new(&cat::TLS_CA_OWNER, certificates::tls_ca_owner),
    Check::new(&cat::TLS_CA_MODE, certificates::tls_ca_mode),
    Check::new(&cat::SERVER_CERT_OWNER, certificates::server_cert_owner),
    Check::new(&cat::SERVER_CERT_MODE, certificates::server_cert_mode),
    Check::new(&cat::SERVER_KEY_OWNER, certificates::server_key_owner),
    Check::new(&cat::SERVER_KEY_MODE, certificates::server_key_mode),
    Check::new(&cat::DOCKER_SOCKET_OWNER, sockets::docker_socket_owner),
    Check::new(&cat::DOCKER_SOCKET_MODE, sockets::docker_socket_mode),
    Check::new(&cat::DAEMON_JSON_OWNER, config_files::daemon_json_owner),
    Check::new(&cat::DAEMON_JSON_MODE, config_files::daemon_json_mode),
    Check::new(&cat::ETC_DEFAULT_DOCKER_OWNER, config_files::etc_default_docker_owner),
    Check::new(&cat::ETC_DEFAULT_DOCKER_MODE, config_files::etc_default_docker_mode),
    Check::new(&cat::ETC_SYSCONFIG_DOCKER_MODE, config_files::etc_sysconfig_docker_mode),
    Check::new(
        &cat::ETC_SYSCONFIG_DOCKER_OWNER,
        config_files::etc_sysconfig_docker_owner,
    ),
    Check::new(&cat::CONTAINERD_SOCKET_OWNER, sockets::containerd_socket_owner),
    Check::new(&cat::CONTAINERD_SOCKET_MODE, sockets::containerd_socket_mode),
];

/// The candidate paths of a Docker unit; a rootless daemon's are its user's units, and one
/// whose process is unknown has none that could be named.
pub(crate) fn unit_paths(
    host: &HostFacts,
    paths: &HostPaths,
    unit: &str,
    candidates: &[String],
) -> Result<Vec<String>, Outcome> {
    if !paths.rootless {
        return file_checks::systemd_unit(host, unit, candidates);
    }
    if let Some(reason) = &paths.unbound {
        return Err(Outcome::error(format!(
            "The daemon is rootless and {reason}, so its user's units are unknown."
        )));
    }
    host.systemd
        .get()
        .map_err(|u| Outcome::unavailable("the systemd user unit directories", u))?;
    if candidates.is_empty() {
        let user = paths
            .daemon_user
            .as_ref()
            .map_or_else(|| "its user".to_string(), |u| u.describe());
        return Err(Outcome::not_applicable(format!(
            "The daemon is rootless and {user} has no {unit} user unit (~/.config/systemd/user or the \
             system's user unit directories), so no unit file controls it."
        )));
    }
    Ok(candidates.to_vec())
}

/// What a check requires of each file.
#[derive(Clone)]
enum Want {
    /// uid 0 and gid 0.
    RootOwned,
    /// A rootless daemon's own file: owned by root or by the daemon's user, so nobody else can
    /// change it (its user could change the daemon anyway).
    RootOrUser(DaemonUser),
    /// No permission bit outside the mask.
    ModeWithin(u32),
}

/// Root ownership for a rootful daemon's files; root or the daemon's user for a rootless one's
/// (its unit, configuration file). `Err` when the rootless daemon's user is unknown.
fn owner_rule(paths: &HostPaths) -> Result<Want, Outcome> {
    if !paths.rootless {
        return Ok(Want::RootOwned);
    }
    match (&paths.daemon_user, &paths.unbound) {
        (Some(user), _) => Ok(Want::RootOrUser(user.clone())),
        (None, Some(reason)) => Err(Outcome::error(format!("The daemon is rootless and {reason}."))),
        (None, None) => Err(Outcome::error(
            "The daemon is rootless but its process, and so its user, is not known.",
        )),
    }
}

fn judge(located: &Located, want: Want) -> Outcome {
    match want {
        Want::RootOwned => located.judge("are not owned by root:root", file_checks::owned_by_root),
        Want::RootOrUser(user) => {
            located.judge(&format!("are owned by neither root nor {}", user.describe()), |stat| {
                if stat.uid == 0 || stat.uid == user.uid {
                    return Judged::Verified(format!("{} is owned by {}", stat.path, owner_text(stat)));
                }
                Judged::Offends(finding(
                    file_checks::file_target(&stat.path),
                    format!(
                        "{} is owned by {}, neither root nor the rootless daemon's user {}",
                        stat.path,
                        owner_text(stat),
                        user.describe()
                    ),
                    format!("owner {}, mode {}", owner_text(stat), mode_text(stat.mode)),
                    format!("owner root or {}", user.describe()),
                    format!(
                        "chown {} {}",
                        user.name.clone().unwrap_or_else(|| user.uid.to_string()),
                        stat.path
                    ),
                ))
            })
        }
        Want::ModeWithin(mask) => located.judge(&format!("have permission bits outside {}", mode_text(mask)), |s| {
            file_checks::mode_within(s, mask)
        }),
    }
}
