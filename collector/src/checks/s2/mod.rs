//! Section 2: Docker daemon configuration.
//!
//! Where the Engine API exposes the effective value (GET /info, /version, /networks) it is used:
//! it is what the daemon actually does, whatever file set it. Settings the API does not expose come
//! from [`DaemonConfig`](super::DaemonConfig) (command line first, then daemon.json, as dockerd reads
//! them); a source that could not be read makes the check `error`, never a pass on the default.

mod logging;
mod network;
mod privileges;
mod runtime;
#[cfg(test)]
mod tests;

use dockaudit_shared::report::{Finding, Target, TargetKind};

use crate::checks::outcome::finding;
use crate::checks::{Ctx, Outcome};
use crate::interpret::host_paths::DEFAULT_DAEMON_JSON;
use crate::interpret::{Lookup, Setting, SettingSource};
use crate::snapshot::Info;
use dockaudit_shared::catalog::s2_daemon as cat;

use super::registry::Check;

/// This section's checks in benchmark order, each joined to its catalogue entry.
pub(super) static CHECKS: &[Check] = &[
    Check::new(&cat::ROOTLESS_DAEMON, privileges::rootless_daemon),
    Check::new(&cat::DEFAULT_BRIDGE_ICC, network::default_bridge_icc),
    Check::new(&cat::LOG_LEVEL, logging::log_level),
    Check::new(&cat::IPTABLES_MANAGED, network::iptables_managed),
    Check::new(&cat::INSECURE_REGISTRIES, network::insecure_registries),
    Check::new(&cat::AUFS_STORAGE_DRIVER, runtime::aufs_storage_driver),
    Check::new(&cat::DAEMON_TLS, network::daemon_tls),
    Check::new(&cat::DEFAULT_ULIMITS, runtime::default_ulimits),
    Check::new(&cat::USERNS_REMAP, privileges::userns_remap),
    Check::new(&cat::DEFAULT_CGROUP_PARENT, runtime::default_cgroup_parent),
    Check::new(&cat::BASE_DEVICE_SIZE, runtime::base_device_size),
    Check::new(&cat::AUTHORIZATION_PLUGIN, privileges::authorization_plugin),
    Check::new(&cat::REMOTE_LOGGING, logging::remote_logging),
    Check::new(&cat::NO_NEW_PRIVILEGES_DEFAULT, privileges::no_new_privileges_default),
    Check::new(&cat::LIVE_RESTORE, runtime::live_restore),
    Check::new(&cat::USERLAND_PROXY, network::userland_proxy),
    Check::new(&cat::DEFAULT_SECCOMP_PROFILE, privileges::default_seccomp_profile),
    Check::new(&cat::EXPERIMENTAL_FEATURES, privileges::experimental_features),
];

// ---- helpers -------------------------------------------------------------------------------

fn info<'a>(ctx: &Ctx<'a>) -> Result<&'a Info, Outcome> {
    ctx.facts
        .info
        .get()
        .map_err(|u| Outcome::unavailable("the daemon info (GET /info)", u))
}

/// A configured setting; `Err(error)` when a source that could set it was unreadable.
fn setting(ctx: &Ctx, flag: &str, key: &str) -> Result<Option<Setting>, Outcome> {
    match ctx.daemon.lookup(flag, key) {
        Lookup::Set(s) => Ok(Some(s)),
        Lookup::Unset => Ok(None),
        Lookup::Unknown(reason) => Err(Outcome::error(format!(
            "Cannot tell whether --{flag} or \"{key}\" is configured: {reason}."
        ))),
    }
}

/// A boolean setting with its value; an unreadable value is an `error`.
fn bool_setting(ctx: &Ctx, flag: &str, key: &str) -> Result<Option<(bool, Setting)>, Outcome> {
    match setting(ctx, flag, key)? {
        None => Ok(None),
        Some(s) => match s.as_bool() {
            Some(b) => Ok(Some((b, s))),
            None => Err(Outcome::error(format!(
                "{} is not a boolean value dockaudit understands.",
                shown(ctx, flag, key, &s)
            ))),
        },
    }
}

/// The setting as written in its source: `--log-level=debug (from dockerd command line)` or
/// `"log-level": "debug" (from /etc/docker/daemon.json)`.
fn shown(ctx: &Ctx, flag: &str, key: &str, s: &Setting) -> String {
    match &s.source {
        SettingSource::CommandLine => format!("{} (from {})", cli_text(flag, s), s.source),
        SettingSource::DaemonJson(path) => {
            let value = ctx
                .daemon
                .json()
                .and_then(|j| j.get(key))
                .map_or_else(|| s.values.join(", "), serde_json::Value::to_string);
            format!("\"{key}\": {value} (from {path})")
        }
    }
}

fn cli_text(flag: &str, s: &Setting) -> String {
    s.values
        .iter()
        .map(|v| {
            if v.is_empty() {
                format!("--{flag}")
            } else {
                format!("--{flag}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The daemon.json dockerd reads, for remediation text.
fn daemon_json_path(ctx: &Ctx) -> String {
    match (
        ctx.daemon.json_path(),
        ctx.paths
            .as_ref()
            .and_then(|p| p.daemon_json.first())
            .map(String::as_str),
    ) {
        (Some(p), _) | (None, Some(p)) => p.to_string(),
        (None, None) => DEFAULT_DAEMON_JSON.to_string(),
    }
}

/// How to change a setting where it is set: on the command line when it came from there, else
/// in daemon.json.
fn fix(ctx: &Ctx, current: Option<&Setting>, flag: &str, want_cli: &str, key: &str, want_json: &str) -> String {
    match current {
        Some(s) if s.source == SettingSource::CommandLine => format!(
            "replace `{}` with `{want_cli}` on the dockerd command line (docker.service or its drop-in) \
             and restart Docker",
            cli_text(flag, s)
        ),
        _ => format!(
            "set \"{key}\": {want_json} in {} and restart Docker",
            daemon_json_path(ctx)
        ),
    }
}

fn daemon_target(id: &str, name: &str) -> Target {
    Target::new(TargetKind::Daemon, id, name)
}

fn daemon_finding(id: &str, name: &str, observed: String, expected: &str, remediation: String) -> Finding {
    finding(
        daemon_target(id, name),
        format!("{name}: {observed}"),
        observed,
        expected,
        remediation,
    )
}
