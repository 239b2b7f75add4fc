//! Section 3: config files.

use crate::checks::file_checks::{self, or_return};
use crate::checks::{Ctx, Outcome};
use crate::interpret::host_paths::HostPaths;

use super::*;

/// A check on the first existing path of a [`HostPaths`] list.
pub(super) fn path_check(ctx: &Ctx, select: fn(&HostPaths) -> &Vec<String>, want: Want) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    judge(&file_checks::first_existing(host, select(paths)), want)
}

/// A check on a systemd unit file of Docker: the system unit, or for a rootless daemon the user
/// unit of its user (`~/.config/systemd/user/docker.service`).
pub(super) fn unit_check(ctx: &Ctx, unit: &str, select: fn(&HostPaths) -> &Vec<String>, want: Want) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let units = or_return!(unit_paths(host, paths, unit, select(paths)));
    judge(&file_checks::first_existing(host, &units), want)
}

/// A check on the audited daemon's own configuration file; `error` when that daemon is unknown.
fn daemon_json_check(ctx: &Ctx, want: Want) -> Outcome {
    let (_, paths) = or_return!(ctx.host_paths());
    if let Some(reason) = &paths.unbound {
        return Outcome::error(format!("The daemon's configuration file is unknown: {reason}."));
    }
    path_check(ctx, |p| &p.daemon_json, want)
}

/// The owner rule for the audited daemon's files (root, or root or its user when rootless).
fn owner(ctx: &Ctx) -> Result<Want, Outcome> {
    let (_, paths) = ctx.host_paths()?;
    owner_rule(paths)
}

/// Evaluates [`cat::DOCKER_SERVICE_OWNER`] (3.1); the catalogue entry describes the audit.
pub(super) fn docker_service_owner(ctx: &Ctx) -> Outcome {
    let want = or_return!(owner(ctx));
    unit_check(ctx, "docker.service", |p| &p.docker_service, want)
}

/// Evaluates [`cat::DOCKER_SERVICE_MODE`] (3.2); the catalogue entry describes the audit.
pub(super) fn docker_service_mode(ctx: &Ctx) -> Outcome {
    unit_check(ctx, "docker.service", |p| &p.docker_service, Want::ModeWithin(0o644))
}

/// Evaluates [`cat::DOCKER_SOCKET_UNIT_OWNER`] (3.3); the catalogue entry describes the audit.
pub(super) fn docker_socket_unit_owner(ctx: &Ctx) -> Outcome {
    let want = or_return!(owner(ctx));
    unit_check(ctx, "docker.socket", |p| &p.docker_socket_unit, want)
}

/// Evaluates [`cat::DOCKER_SOCKET_UNIT_MODE`] (3.4); the catalogue entry describes the audit.
pub(super) fn docker_socket_unit_mode(ctx: &Ctx) -> Outcome {
    unit_check(ctx, "docker.socket", |p| &p.docker_socket_unit, Want::ModeWithin(0o644))
}

/// Evaluates [`cat::ETC_DOCKER_OWNER`] (3.5); the catalogue entry describes the audit.
pub(super) fn etc_docker_owner(ctx: &Ctx) -> Outcome {
    path_check(ctx, |p| &p.etc_docker, Want::RootOwned)
}

/// Evaluates [`cat::ETC_DOCKER_MODE`] (3.6); the catalogue entry describes the audit.
pub(super) fn etc_docker_mode(ctx: &Ctx) -> Outcome {
    path_check(ctx, |p| &p.etc_docker, Want::ModeWithin(0o755))
}

/// Evaluates [`cat::DAEMON_JSON_OWNER`] (3.17); the catalogue entry describes the audit.
pub(super) fn daemon_json_owner(ctx: &Ctx) -> Outcome {
    let want = or_return!(owner(ctx));
    daemon_json_check(ctx, want)
}

/// Evaluates [`cat::DAEMON_JSON_MODE`] (3.18); the catalogue entry describes the audit.
pub(super) fn daemon_json_mode(ctx: &Ctx) -> Outcome {
    daemon_json_check(ctx, Want::ModeWithin(0o644))
}

/// Evaluates [`cat::ETC_DEFAULT_DOCKER_OWNER`] (3.19); the catalogue entry describes the audit.
pub(super) fn etc_default_docker_owner(ctx: &Ctx) -> Outcome {
    path_check(ctx, |p| &p.etc_default_docker, Want::RootOwned)
}

/// Evaluates [`cat::ETC_DEFAULT_DOCKER_MODE`] (3.20); the catalogue entry describes the audit.
pub(super) fn etc_default_docker_mode(ctx: &Ctx) -> Outcome {
    path_check(ctx, |p| &p.etc_default_docker, Want::ModeWithin(0o644))
}

/// Evaluates [`cat::ETC_SYSCONFIG_DOCKER_MODE`] (3.21); the catalogue entry describes the audit.
pub(super) fn etc_sysconfig_docker_mode(ctx: &Ctx) -> Outcome {
    path_check(ctx, |p| &p.etc_sysconfig_docker, Want::ModeWithin(0o644))
}

/// Evaluates [`cat::ETC_SYSCONFIG_DOCKER_OWNER`] (3.22); the catalogue entry describes the audit.
pub(super) fn etc_sysconfig_docker_owner(ctx: &Ctx) -> Outcome {
    path_check(ctx, |p| &p.etc_sysconfig_docker, Want::RootOwned)
}
