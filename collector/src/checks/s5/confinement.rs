//! Section 5: confinement.

use crate::checks::context::container_target;
use crate::checks::outcome::finding;
use crate::checks::{Ctx, Outcome};
use crate::interpret::capabilities;
use crate::interpret::least_privilege::hint;
use crate::interpret::Lookup;
use crate::snapshot::Container;

use crate::checks::file_checks::or_return;

use super::*;

/// A `--security-opt` entry split into key and value at the first `=` or `:` (both are accepted
/// by Docker, e.g. `seccomp=unconfined` and the older `seccomp:unconfined`).
pub(super) fn security_opt(opt: &str) -> (&str, Option<&str>) {
    let opt = opt.trim();
    match opt.find(['=', ':']) {
        Some(i) => (&opt[..i], Some(&opt[i + 1..])),
        None => (opt, None),
    }
}

/// Values of one `--security-opt` key on a container, in order.
pub(super) fn security_opt_values<'c>(c: &'c Container, key: &str) -> Vec<Option<&'c str>> {
    c.host_config
        .security_opt
        .iter()
        .map(|o| security_opt(o))
        .filter(|(k, _)| *k == key)
        .map(|(_, v)| v)
        .collect()
}

/// Evaluates [`cat::APPARMOR_PROFILE`] (5.2); the catalogue entry describes the audit.
pub(super) fn apparmor_profile(ctx: &Ctx) -> Outcome {
    let info = match ctx.facts.info.get() {
        Ok(i) => i,
        Err(u) => return Outcome::unavailable("the daemon info", u),
    };
    if !info.has_security_option("apparmor") {
        return Outcome::not_applicable("AppArmor is not enabled on this host (no name=apparmor in SecurityOptions).");
    }
    ctx.per_container("run without an AppArmor profile", |c| {
        let requested = security_opt_values(c, "apparmor").into_iter().flatten().last();
        let recorded = c.app_armor_profile.as_deref().map(str::trim).filter(|p| !p.is_empty());
        let (profile, observed) = if c.host_config.privileged {
            (
                "unconfined",
                "HostConfig.Privileged = true (runs unconfined)".to_string(),
            )
        } else if let Some(p) = recorded {
            (p, format!("AppArmorProfile = {p}"))
        } else if let Some(p) = requested {
            (p, format!("not started yet; --security-opt apparmor={p}"))
        } else if c.state.status == "created" {
            ("docker-default", String::new())
        } else {
            ("", "AppArmorProfile is empty".to_string())
        };
        (profile.is_empty() || profile == "unconfined").then(|| {
            finding(
                container_target(c),
                format!("\"{}\" runs without AppArmor confinement", c.name),
                observed,
                "an AppArmor profile (docker-default or a tailored one)",
                format!(
                    "Re-create \"{}\" without --privileged and without --security-opt apparmor=unconfined (or with \
                     --security-opt apparmor=<profile>)",
                    c.name
                ),
            )
        })
    })
}

/// Evaluates [`cat::SELINUX_OPTIONS`] (5.3); the catalogue entry describes the audit.
pub(super) fn selinux_options(ctx: &Ctx) -> Outcome {
    let info = match ctx.facts.info.get() {
        Ok(i) => i,
        Err(u) => return Outcome::unavailable("the daemon info", u),
    };
    if !info.has_security_option("selinux") {
        return Outcome::not_applicable("SELinux is not enabled in the daemon (no name=selinux in SecurityOptions).");
    }
    ctx.per_container("run without an SELinux label", |c| {
        let disabled = security_opt_values(c, "label")
            .into_iter()
            .flatten()
            .any(|v| v.trim() == "disable");
        let label = c.process_label.as_deref().map(str::trim).filter(|l| !l.is_empty());
        let observed = if disabled {
            "HostConfig.SecurityOpt has label=disable".to_string()
        } else if label.is_none() {
            "ProcessLabel is empty".to_string()
        } else {
            return None;
        };
        Some(finding(
            container_target(c),
            format!("\"{}\" runs without SELinux labelling", c.name),
            observed,
            "an SELinux process label (label=disable not set)",
            format!(
                "Re-create \"{}\" without --security-opt label=disable (set label=type:<type> if needed)",
                c.name
            ),
        ))
    })
}

/// Evaluates [`cat::ADDED_CAPABILITIES`] (5.4); the catalogue entry describes the audit.
pub(super) fn added_capabilities(ctx: &Ctx) -> Outcome {
    ctx.per_container("have capabilities beyond Docker's defaults", |c| {
        let extra = capabilities::beyond_default(&c.host_config.cap_add);
        let observed = if c.host_config.privileged {
            "HostConfig.Privileged = true (every capability)".to_string()
        } else if !extra.is_empty() {
            format!("HostConfig.CapAdd = [{}]", extra.join(", "))
        } else {
            return None;
        };
        Some(finding(
            container_target(c),
            format!("\"{}\" has capabilities beyond Docker's default set", c.name),
            observed,
            "only Docker's default capabilities, ideally fewer (--cap-drop ALL plus what is needed)",
            format!(
                "Re-create \"{}\" without --privileged and with {}; {}",
                c.name,
                hint::capabilities(c),
                hint::pointer(c)
            ),
        ))
    })
}

/// Evaluates [`cat::PRIVILEGED_CONTAINERS`] (5.5); the catalogue entry describes the audit.
pub(super) fn privileged_containers(ctx: &Ctx) -> Outcome {
    ctx.per_container("run privileged", |c| {
        c.host_config.privileged.then(|| {
            finding(
                container_target(c),
                format!("\"{}\" is privileged", c.name),
                "HostConfig.Privileged = true",
                "false",
                format!(
                    "Re-create \"{}\" without --privileged, with {} and only the devices it needs; {}",
                    c.name,
                    hint::capabilities(c),
                    hint::pointer(c)
                ),
            )
        })
    })
}

/// Evaluates [`cat::SECCOMP_PROFILE`] (5.22); the catalogue entry describes the audit.
pub(super) fn seccomp_profile(ctx: &Ctx) -> Outcome {
    ctx.per_container("run without seccomp", |c| {
        let unconfined = security_opt_values(c, "seccomp")
            .into_iter()
            .flatten()
            .any(|v| v.trim().eq_ignore_ascii_case("unconfined"));
        let observed = if unconfined {
            "HostConfig.SecurityOpt has seccomp=unconfined"
        } else if c.host_config.privileged {
            "HostConfig.Privileged = true (seccomp is disabled)"
        } else {
            return None;
        };
        Some(finding(
            container_target(c),
            format!("\"{}\" runs without a seccomp profile", c.name),
            observed,
            "Docker's default seccomp profile or a custom one",
            format!(
                "Re-create \"{}\" without --security-opt seccomp=unconfined and without --privileged",
                c.name
            ),
        ))
    })
}

/// A `no-new-privileges` value as Docker parses it (Go's `strconv.ParseBool`); bare means true.
pub(super) fn parse_go_bool(value: Option<&str>) -> Option<bool> {
    match value.map(str::trim) {
        None => Some(true),
        Some("1" | "t" | "T" | "true" | "TRUE" | "True") => Some(true),
        Some("0" | "f" | "F" | "false" | "FALSE" | "False") => Some(false),
        Some(_) => None,
    }
}

/// Evaluates [`cat::NO_NEW_PRIVILEGES`] (5.26); the catalogue entry describes the audit.
pub(super) fn no_new_privileges(ctx: &Ctx) -> Outcome {
    let containers = or_return!(ctx.containers());
    if containers.is_empty() {
        return Outcome::not_applicable("No containers in scope on this host.");
    }
    let daemon = match ctx.daemon.lookup("no-new-privileges", "no-new-privileges") {
        Lookup::Set(s) => match s.as_bool() {
            Some(on) => Ok((on, s.describe())),
            None => Err(format!(
                "the daemon's no-new-privileges value is not a boolean ({})",
                s.describe()
            )),
        },
        Lookup::Unset => Ok((false, "not set (default false)".to_string())),
        Lookup::Unknown(reason) => Err(reason),
    };
    let mut findings = Vec::new();
    let mut undecided: Vec<&str> = Vec::new();
    for c in containers {
        let own = security_opt_values(c, "no-new-privileges")
            .last()
            .map(|v| (parse_go_bool(*v), *v));
        let observed = match (own, &daemon) {
            (Some((Some(true), _)), _) => continue,
            (Some((Some(false), v)), _) => format!("HostConfig.SecurityOpt has no-new-privileges={}", v.unwrap_or("")),
            (Some((None, v)), _) => {
                format!(
                    "HostConfig.SecurityOpt has an unreadable no-new-privileges={}",
                    v.unwrap_or("")
                )
            }
            (None, Ok((true, _))) => continue,
            (None, Ok((false, source))) => {
                format!("no container option; daemon no-new-privileges {source}")
            }
            (None, Err(_)) => {
                undecided.push(&c.name);
                continue;
            }
        };
        findings.push(finding(
            container_target(c),
            format!("\"{}\" may gain privileges through setuid binaries", c.name),
            observed,
            "no-new-privileges enabled (daemon-wide or --security-opt no-new-privileges)",
            format!(
                "Re-create \"{}\" with --security-opt no-new-privileges (or enable \"no-new-privileges\": true in \
                 daemon.json); {}",
                c.name,
                hint::pointer(c)
            ),
        ));
    }
    let undecided_note = match (&daemon, undecided.is_empty()) {
        (Err(reason), false) => format!(
            " {} set no option of their own and the daemon setting is unknown: {reason}.",
            quoted(&undecided)
        ),
        _ => String::new(),
    };
    if !findings.is_empty() {
        Outcome::fail(
            format!(
                "{} of {} containers can gain new privileges.{undecided_note}",
                findings.len(),
                containers.len()
            ),
            findings,
        )
    } else if !undecided.is_empty() {
        Outcome::error(format!(
            "Cannot tell whether no-new-privileges applies.{undecided_note}"
        ))
    } else {
        Outcome::pass(format!(
            "None of the {} containers can gain new privileges.",
            containers.len()
        ))
    }
}
