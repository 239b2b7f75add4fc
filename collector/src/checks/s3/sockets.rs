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

/// The audited daemon's sockets, or `error` when the endpoint is not a unix socket and the
/// daemon's process (so its sockets) is unknown.
fn audited_sockets<'a>(host: &'a HostFacts, paths: &HostPaths) -> Result<Located<'a>, Outcome> {
    if paths.docker_sockets.is_empty() {
        if let Some(reason) = &paths.unbound {
            return Err(Outcome::error(format!("The daemon's sockets are unknown: {reason}.")));
        }
    }
    Ok(file_checks::all_existing(host, &paths.docker_sockets))
}

/// Evaluates [`cat::DOCKER_SOCKET_OWNER`] (3.15); the catalogue entry describes the audit.
pub(super) fn docker_socket_owner(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let mut located = or_return!(audited_sockets(host, paths));
    if let Some(o) = located.nothing_found() {
        return o;
    }
    if paths.rootless {
        return rootless_socket_owner(&located, paths);
    }
    if ctx.facts.info.get().is_err() {
        // Whether the daemon is rootless (its socket then belongs to its user) is unknown.
        let mut judged = Vec::new();
        for stat in std::mem::take(&mut located.found) {
            if stat.uid == 0 {
                judged.push(stat);
            } else {
                located.unknown.push(format!(
                    "{} is owned by uid {}, and whether the daemon is rootless is unknown (GET /info unavailable)",
                    stat.path, stat.uid
                ));
            }
        }
        located.found = judged;
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

/// 3.15 for a rootless daemon: the socket is the only way in, and it must belong to the daemon's
/// user, with the user's own group or one of its subordinate gids (dockerd inside the user
/// namespace gives it the namespace's `docker` group), so no other account of the host reaches it.
fn rootless_socket_owner(located: &Located, paths: &HostPaths) -> Outcome {
    let user = match owner_rule(paths) {
        Ok(Want::RootOrUser(user)) => user,
        Ok(_) => return Outcome::error("The rootless daemon's user is not known."),
        Err(o) => return o,
    };
    let want_group = user.gid.map_or_else(String::new, |g| format!(", gid {g}"));
    located.judge(
        &format!("are not owned by the rootless daemon's user {}", user.describe()),
        |stat| {
            if stat.uid == user.uid && (user.gid.is_none() || user.owns_gid(stat.gid)) {
                return Judged::Verified(format!(
                    "{} is owned by {}, the rootless daemon's user",
                    stat.path,
                    owner_text(stat)
                ));
            }
            let name = user.name.clone().unwrap_or_else(|| user.uid.to_string());
            let chown = match user.gid {
                Some(g) => format!("chown {name}:{g} {}", stat.path),
                None => format!("chown {name} {}", stat.path),
            };
            Judged::Offends(finding(
                file_checks::file_target(&stat.path),
                format!(
                    "{} is owned by {}, not by the rootless daemon's user {}",
                    stat.path,
                    owner_text(stat),
                    user.describe()
                ),
                format!("owner {}, mode {}", owner_text(stat), mode_text(stat.mode)),
                format!(
                    "owner {name} (uid {}), group its own{want_group} or one of its subordinate gids",
                    user.uid
                ),
                format!("{chown}, or restart the rootless daemon so it re-creates its socket"),
            ))
        },
    )
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
    // A rootless daemon's socket lives in $XDG_RUNTIME_DIR, where dockerd sets the sticky bit
    // so the runtime directory's periodic clean-up keeps it (XDG Base Directory spec); the bit
    // grants no access. Its group is its user's own or a subordinate gid.
    let mask = if paths.rootless { 0o1660 } else { 0o660 };
    judge(&or_return!(audited_sockets(host, paths)), Want::ModeWithin(mask))
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
