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

use crate::checks::file_checks::{self, mode_text, Located};
use crate::checks::Outcome;
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
