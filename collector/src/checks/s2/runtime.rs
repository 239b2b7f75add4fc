//! Section 2: runtime.

use crate::checks::file_checks::or_return;
use crate::checks::{Ctx, Outcome};
use crate::snapshot::Info;

use super::*;

pub(super) fn swarm_active(info: &Info) -> bool {
    matches!(
        info.swarm.local_node_state.as_deref(),
        Some("active" | "locked" | "pending")
    )
}

/// Evaluates [`cat::AUFS_STORAGE_DRIVER`] (2.6); the catalogue entry describes the audit.
pub(super) fn aufs_storage_driver(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    match info.driver.as_deref() {
        None => Outcome::error("The daemon did not report its storage driver (GET /info Driver)."),
        Some("aufs") => Outcome::fail(
            "The daemon uses the aufs storage driver.",
            vec![daemon_finding(
                "storage-driver",
                "storage driver",
                "aufs (from GET /info)".into(),
                "a supported driver such as overlay2",
                format!(
                    "set \"storage-driver\": \"overlay2\" in {} (existing images and containers must be \
                     re-created) and \
                     restart Docker",
                    daemon_json_path(ctx)
                ),
            )],
        ),
        Some(driver) => Outcome::pass(format!("The storage driver is {driver}, not aufs.")),
    }
}

/// Evaluates [`cat::DEFAULT_ULIMITS`] (2.8); the catalogue entry describes the audit.
pub(super) fn default_ulimits(ctx: &Ctx) -> Outcome {
    let current = or_return!(setting(ctx, "default-ulimit", "default-ulimits"));
    let configured = current
        .as_ref()
        .filter(|s| s.values.iter().any(|v| !v.is_empty() && v != "{}"));
    match configured {
        Some(s) => Outcome::pass(format!(
            "Default ulimits are configured: {}.",
            shown(ctx, "default-ulimit", "default-ulimits", s)
        )),
        None => Outcome::warn(
            "No default ulimits are configured for containers.",
            vec![daemon_finding(
                "default-ulimits",
                "default ulimits",
                match current {
                    Some(s) => format!("empty: {}", shown(ctx, "default-ulimit", "default-ulimits", &s)),
                    None => "neither --default-ulimit nor \"default-ulimits\" is set".to_string(),
                },
                "default ulimits suited to the workload (e.g. nofile, nproc)",
                format!(
                    "set \"default-ulimits\" (e.g. {{\"nofile\": {{\"Name\": \"nofile\", \"Soft\": 64000, \
                     \"Hard\": 64000}}}}) \
                     in {} and restart Docker",
                    daemon_json_path(ctx)
                ),
            )],
        ),
    }
}

/// Evaluates [`cat::DEFAULT_CGROUP_PARENT`] (2.10); the catalogue entry describes the audit.
pub(super) fn default_cgroup_parent(ctx: &Ctx) -> Outcome {
    match or_return!(setting(ctx, "cgroup-parent", "cgroup-parent")) {
        None => Outcome::pass("No daemon-wide cgroup parent is configured; containers use the default cgroup."),
        Some(s) => Outcome::warn(
            format!(
                "The daemon places containers under cgroup parent {}; confirm this is intended.",
                s.value()
            ),
            vec![daemon_finding(
                "cgroup-parent",
                "default cgroup parent",
                shown(ctx, "cgroup-parent", "cgroup-parent", &s),
                "the default cgroup parent, or a deliberate, documented choice",
                "confirm the cgroup parent is intended; otherwise remove --cgroup-parent / \"cgroup-parent\" \
                 and restart Docker"
                    .into(),
            )],
        ),
    }
}

/// Evaluates [`cat::BASE_DEVICE_SIZE`] (2.11); the catalogue entry describes the audit.
pub(super) fn base_device_size(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    match info.driver.as_deref() {
        None => return Outcome::error("The daemon did not report its storage driver (GET /info Driver)."),
        Some("devicemapper") => {}
        Some(driver) => {
            return Outcome::not_applicable(format!(
                "The storage driver is {driver}; only devicemapper has a base device size."
            ))
        }
    }
    let opts = or_return!(setting(ctx, "storage-opt", "storage-opts"));
    let basesize = opts.as_ref().and_then(|s| {
        s.values.iter().find(|v| {
            v.split('=')
                .next()
                .is_some_and(|k| k.trim().eq_ignore_ascii_case("dm.basesize"))
        })
    });
    match (basesize, &opts) {
        (Some(v), Some(s)) => Outcome::fail(
            format!("The devicemapper base device size is changed ({v})."),
            vec![daemon_finding(
                "storage-opts",
                "devicemapper base size",
                shown(ctx, "storage-opt", "storage-opts", s),
                "no dm.basesize storage option",
                "remove dm.basesize from --storage-opt / \"storage-opts\" unless the larger size is needed, \
                 and restart Docker"
                    .into(),
            )],
        ),
        _ => Outcome::pass("The devicemapper base device size is not changed (no dm.basesize storage option)."),
    }
}

/// Evaluates [`cat::LIVE_RESTORE`] (2.15); the catalogue entry describes the audit.
pub(super) fn live_restore(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    if swarm_active(info) {
        return Outcome::not_applicable("Swarm mode is active, and live restore is incompatible with it.");
    }
    match info.live_restore_enabled {
        None => Outcome::error("The daemon did not report LiveRestoreEnabled (GET /info)."),
        Some(true) => Outcome::pass("Live restore is enabled (LiveRestoreEnabled true)."),
        Some(false) => Outcome::fail(
            "Live restore is disabled: restarting the daemon stops every container.",
            vec![daemon_finding(
                "live-restore",
                "live restore",
                "LiveRestoreEnabled false (from GET /info)".into(),
                "LiveRestoreEnabled true",
                format!(
                    "set \"live-restore\": true in {} and reload Docker",
                    daemon_json_path(ctx)
                ),
            )],
        ),
    }
}
