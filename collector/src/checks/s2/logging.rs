//! Section 2: logging.

use crate::checks::file_checks::or_return;
use crate::checks::{Ctx, Outcome};
use crate::interpret::SettingSource;

use super::*;

/// Evaluates [`cat::LOG_LEVEL`] (2.3); the catalogue entry describes the audit.
pub(super) fn log_level(ctx: &Ctx) -> Outcome {
    let level = or_return!(setting(ctx, "log-level", "log-level"));
    let want = "log level info (or unset)";
    if let Some(s) = &level {
        if !s.value().eq_ignore_ascii_case("info") {
            return Outcome::fail(
                format!("The daemon's log level is {}, not info.", s.value()),
                vec![daemon_finding(
                    "log-level",
                    "log level",
                    shown(ctx, "log-level", "log-level", s),
                    want,
                    fix(ctx, Some(s), "log-level", "--log-level=info", "log-level", "\"info\""),
                )],
            );
        }
    }
    let debug_setting = or_return!(bool_setting(ctx, "debug", "debug"));
    let debug_evidence = match (&debug_setting, ctx.facts.info.ok().and_then(|i| i.debug)) {
        (Some((true, s)), _) => Some((shown(ctx, "debug", "debug", s), Some(s))),
        (_, Some(true)) => Some(("Debug: true (from GET /info)".to_string(), None)),
        _ => None,
    };
    if let Some((observed, s)) = debug_evidence {
        return Outcome::fail(
            "The daemon runs in debug mode, which logs at debug level.",
            vec![daemon_finding(
                "debug",
                "debug mode",
                observed,
                want,
                match s {
                    Some(s) if s.source == SettingSource::CommandLine => format!(
                        "remove `{}` from the dockerd command line (docker.service or its drop-in) and restart Docker",
                        cli_text("debug", s)
                    ),
                    _ => format!("set \"debug\": false in {} and restart Docker", daemon_json_path(ctx)),
                },
            )],
        );
    }
    match level {
        Some(s) => Outcome::pass(format!(
            "The log level is info: {}.",
            shown(ctx, "log-level", "log-level", &s)
        )),
        None => Outcome::pass("No log level is configured, so dockerd logs at its default level, info."),
    }
}

/// Log drivers that keep logs on the host.
pub(super) const LOCAL_LOG_DRIVERS: &[&str] = &["json-file", "local", "none"];

/// Evaluates [`cat::REMOTE_LOGGING`] (2.13); the catalogue entry describes the audit.
pub(super) fn remote_logging(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    let Some(driver) = info.logging_driver.as_deref().filter(|d| !d.is_empty()) else {
        return Outcome::error("The daemon did not report its logging driver (GET /info LoggingDriver).");
    };
    let observed = format!("LoggingDriver {driver} (from GET /info)");
    let remediation = format!(
        "set \"log-driver\" to a remote driver (syslog, gelf, fluentd, …) with its \"log-opts\" in {} \
         and restart Docker",
        daemon_json_path(ctx)
    );
    let expected = "a log driver that ships logs off the host";
    if driver == "journald" {
        return Outcome::warn(
            "Container logs go to journald; confirm the journal is forwarded to a central log host.",
            vec![daemon_finding(
                "log-driver",
                "default log driver",
                observed,
                expected,
                format!(
                "forward the journal to a central log host (e.g. systemd-journal-upload or rsyslog), or {remediation}"
            ),
            )],
        );
    }
    if LOCAL_LOG_DRIVERS.contains(&driver) {
        return Outcome::fail(
            format!("Container logs stay on the host (log driver {driver})."),
            vec![daemon_finding(
                "log-driver",
                "default log driver",
                observed,
                expected,
                remediation,
            )],
        );
    }
    Outcome::pass(format!(
        "Container logs are shipped off the host by the {driver} log driver."
    ))
}
