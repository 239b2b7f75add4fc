//! Section 3: sockets.

use dockaudit_shared::report::Finding;

use crate::checks::file_checks::{self, mode_text, or_return, owner_text, Judged, Located};
use crate::checks::outcome::finding;
use crate::checks::{Ctx, Outcome};
use crate::interpret::host_paths::HostPaths;
use crate::snapshot::{FileStat, HostFacts};

use super::*;

/// Every existing containerd socket, including containerd's configured one when known.
pub(super) fn containerd_sockets<'a>(host: &'a HostFacts, paths: &HostPaths) -> Located<'a> {
    let mut located = file_checks::all_existing(host, &paths.containerd_sockets);
    if let Err(u) = host.containerd_grpc_address.get() {
        located
            .unknown
            .push(format!("containerd's configured socket is unknown ({u})"));
    }
    located
}

/// Evaluates [`cat::DOCKER_SOCKET_OWNER`] (3.15); the catalogue entry describes the audit.
pub(super) fn docker_socket_owner(ctx: &Ctx) -> Outcome {
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

pub(super) fn socket_owner_finding(stat: &FileStat, observed: String, no_group: bool) -> Finding {
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

/// Evaluates [`cat::DOCKER_SOCKET_MODE`] (3.16); the catalogue entry describes the audit.
pub(super) fn docker_socket_mode(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    judge(
        &file_checks::all_existing(host, &paths.docker_sockets),
        Want::ModeWithin(0o660),
    )
}

/// Evaluates [`cat::CONTAINERD_SOCKET_OWNER`] (3.23); the catalogue entry describes the audit.
pub(super) fn containerd_socket_owner(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    judge(&containerd_sockets(host, paths), Want::RootOwned)
}

/// Evaluates [`cat::CONTAINERD_SOCKET_MODE`] (3.24); the catalogue entry describes the audit.
pub(super) fn containerd_socket_mode(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    judge(&containerd_sockets(host, paths), Want::ModeWithin(0o660))
}
