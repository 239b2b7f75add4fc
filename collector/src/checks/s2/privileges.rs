//! Section 2: privileges.

use crate::checks::file_checks::or_return;
use crate::checks::{Ctx, Outcome};
use crate::interpret::Lookup;

use super::*;

/// Evaluates [`cat::ROOTLESS_DAEMON`] (2.1); the catalogue entry describes the audit.
pub(super) fn rootless_daemon(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    if info.has_security_option("rootless") {
        return Outcome::pass("The daemon runs in rootless mode (SecurityOptions has name=rootless).");
    }
    let uid = ctx
        .facts
        .host
        .as_ref()
        .and_then(|h| h.dockerd.ok())
        .and_then(|d| d.as_ref())
        .and_then(|d| d.uid)
        .map_or(String::new(), |uid| format!("; dockerd runs as uid {uid}"));
    Outcome::warn(
        "The daemon runs as root, not in rootless mode.",
        vec![daemon_finding(
            "rootless",
            "rootless mode",
            format!("SecurityOptions has no name=rootless (from GET /info){uid}"),
            "dockerd running in rootless mode where the workload allows it",
            "run the daemon in rootless mode (dockerd-rootless-setuptool.sh install as an unprivileged user) if its \
             workloads allow it"
                .into(),
        )],
    )
}

/// Evaluates [`cat::USERNS_REMAP`] (2.9); the catalogue entry describes the audit.
pub(super) fn userns_remap(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    if info.has_security_option("rootless") {
        return Outcome::not_applicable(
            "The daemon is rootless: it runs in a user namespace of its user, so container root is already \
             mapped to that unprivileged user (userns-remap is not available in rootless mode).",
        );
    }
    if info.has_security_option("userns") {
        return Outcome::pass("User-namespace remapping is active (SecurityOptions has name=userns).");
    }
    let configured = match ctx.daemon.lookup("userns-remap", "userns-remap") {
        Lookup::Set(s) => {
            format!(
                "; {} is configured but not in effect",
                shown(ctx, "userns-remap", "userns-remap", &s)
            )
        }
        _ => String::new(),
    };
    Outcome::fail(
        "User-namespace remapping is not enabled.",
        vec![daemon_finding(
            "userns-remap",
            "user-namespace remapping",
            format!("SecurityOptions has no name=userns (from GET /info){configured}"),
            "userns-remap enabled",
            format!(
                "set \"userns-remap\": \"default\" in {} and restart Docker",
                daemon_json_path(ctx)
            ),
        )],
    )
}

/// Evaluates [`cat::AUTHORIZATION_PLUGIN`] (2.12); the catalogue entry describes the audit.
pub(super) fn authorization_plugin(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    if !info.authorization_plugins.is_empty() {
        return Outcome::pass(format!(
            "Authorization plugins are active: {}.",
            info.authorization_plugins.join(", ")
        ));
    }
    Outcome::fail(
        "No authorization plugin controls access to the Docker API.",
        vec![daemon_finding(
            "authorization-plugins",
            "authorization plugins",
            "Plugins.Authorization is empty (from GET /info)".into(),
            "at least one authorization plugin",
            format!(
                "install an authorization plugin and list it in \"authorization-plugins\" in {}, then restart Docker",
                daemon_json_path(ctx)
            ),
        )],
    )
}

/// Evaluates [`cat::NO_NEW_PRIVILEGES_DEFAULT`] (2.14); the catalogue entry describes the audit.
pub(super) fn no_new_privileges_default(ctx: &Ctx) -> Outcome {
    let current = or_return!(bool_setting(ctx, "no-new-privileges", "no-new-privileges"));
    let flag = "no-new-privileges";
    match current {
        Some((true, s)) => Outcome::pass(format!(
            "no-new-privileges is on for all containers: {}.",
            shown(ctx, flag, flag, &s)
        )),
        other => {
            let s = other.map(|(_, s)| s);
            Outcome::fail(
                "Containers may gain new privileges (no-new-privileges is not set daemon-wide).",
                vec![daemon_finding(
                    flag,
                    "no-new-privileges",
                    s.as_ref().map_or_else(
                        || "not configured (default false)".to_string(),
                        |s| shown(ctx, flag, flag, s),
                    ),
                    "no-new-privileges true",
                    fix(ctx, s.as_ref(), flag, "--no-new-privileges", flag, "true"),
                )],
            )
        }
    }
}

/// Evaluates [`cat::DEFAULT_SECCOMP_PROFILE`] (2.17); the catalogue entry describes the audit.
pub(super) fn default_seccomp_profile(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    let remediation = format!(
        "remove \"seccomp-profile\": \"unconfined\" (or --seccomp-profile=unconfined) from {} so the default profile \
         applies, or set a custom profile, and restart Docker",
        daemon_json_path(ctx)
    );
    match info.security_option("seccomp") {
        Some(opts) => {
            let profile = opts.get("profile").map_or("default", String::as_str);
            if profile == "unconfined" {
                Outcome::fail(
                    "Seccomp is disabled daemon-wide (profile unconfined).",
                    vec![daemon_finding(
                        "seccomp-profile",
                        "daemon seccomp profile",
                        "name=seccomp,profile=unconfined (from GET /info)".into(),
                        "the default seccomp profile or a custom one",
                        remediation,
                    )],
                )
            } else {
                Outcome::pass(format!("Seccomp is enabled daemon-wide with the {profile} profile."))
            }
        }
        None if info.os_type.as_deref() == Some("windows") => {
            Outcome::not_applicable("Seccomp is a Linux feature; this is a Windows daemon.")
        }
        None => Outcome::fail(
            "The daemon does not apply seccomp to containers.",
            vec![daemon_finding(
                "seccomp-profile",
                "daemon seccomp profile",
                format!(
                    "SecurityOptions has no seccomp entry: {:?} (from GET /info)",
                    info.security_options
                ),
                "the default seccomp profile or a custom one",
                "use a kernel with CONFIG_SECCOMP and a dockerd built with seccomp support".into(),
            )],
        ),
    }
}

/// Evaluates [`cat::EXPERIMENTAL_FEATURES`] (2.18); the catalogue entry describes the audit.
pub(super) fn experimental_features(ctx: &Ctx) -> Outcome {
    let version = ctx.facts.version.ok();
    let info = ctx.facts.info.ok();
    let on = if version.and_then(|v| v.experimental) == Some(true) {
        Some("Experimental true (from GET /version)")
    } else if info.and_then(|i| i.experimental_build) == Some(true) {
        Some("ExperimentalBuild true (from GET /info)")
    } else {
        None
    };
    if let Some(observed) = on {
        return Outcome::fail(
            "Experimental features are enabled on the daemon.",
            vec![daemon_finding(
                "experimental",
                "experimental features",
                observed.into(),
                "experimental false",
                "remove --experimental / \"experimental\": true from the daemon configuration and restart Docker"
                    .into(),
            )],
        );
    }
    if version.is_some() || info.and_then(|i| i.experimental_build).is_some() {
        return Outcome::pass("Experimental features are off.");
    }
    match ctx.facts.version.get() {
        Err(u) => Outcome::unavailable("the engine version (GET /version)", u),
        Ok(_) => Outcome::error("The daemon did not report whether experimental features are on."),
    }
}
