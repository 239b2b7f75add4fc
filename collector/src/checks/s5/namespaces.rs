//! Section 5: namespaces.

use crate::checks::context::container_target;
use crate::checks::outcome::finding;
use crate::checks::{Ctx, Outcome};
use crate::interpret::least_privilege::hint;
use crate::snapshot::Container;

/// A per-container check of one namespace mode being `host`.
pub(super) fn host_namespace(ctx: &Ctx, what: &str, field: &str, flag: &str, mode: fn(&Container) -> &str) -> Outcome {
    ctx.per_container(what, |c| {
        (mode(c).trim() == "host").then(|| {
            finding(
                container_target(c),
                format!("\"{}\" shares the host's namespace", c.name),
                format!("HostConfig.{field} = host"),
                "a private namespace (not host)",
                format!("Re-create \"{}\" without {flag}; {}", c.name, hint::pointer(c)),
            )
        })
    })
}

/// Evaluates [`cat::HOST_NETWORK_NAMESPACE`] (5.10); the catalogue entry describes the audit.
pub(super) fn host_network_namespace(ctx: &Ctx) -> Outcome {
    host_namespace(
        ctx,
        "share the host's network namespace",
        "NetworkMode",
        "--network host",
        |c| &c.host_config.network_mode,
    )
}

/// Evaluates [`cat::HOST_PID_NAMESPACE`] (5.16); the catalogue entry describes the audit.
pub(super) fn host_pid_namespace(ctx: &Ctx) -> Outcome {
    host_namespace(ctx, "share the host's PID namespace", "PidMode", "--pid host", |c| {
        &c.host_config.pid_mode
    })
}

/// Evaluates [`cat::HOST_IPC_NAMESPACE`] (5.17); the catalogue entry describes the audit.
pub(super) fn host_ipc_namespace(ctx: &Ctx) -> Outcome {
    host_namespace(ctx, "share the host's IPC namespace", "IpcMode", "--ipc host", |c| {
        &c.host_config.ipc_mode
    })
}

/// Evaluates [`cat::HOST_UTS_NAMESPACE`] (5.21); the catalogue entry describes the audit.
pub(super) fn host_uts_namespace(ctx: &Ctx) -> Outcome {
    host_namespace(ctx, "share the host's UTS namespace", "UTSMode", "--uts host", |c| {
        &c.host_config.uts_mode
    })
}

/// Evaluates [`cat::HOST_USER_NAMESPACE`] (5.31); the catalogue entry describes the audit.
pub(super) fn host_user_namespace(ctx: &Ctx) -> Outcome {
    host_namespace(
        ctx,
        "share the host's user namespace",
        "UsernsMode",
        "--userns host",
        |c| &c.host_config.userns_mode,
    )
}
