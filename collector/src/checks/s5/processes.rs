//! Section 5: processes.

use crate::checks::context::container_target;
use crate::checks::outcome::finding;
use crate::checks::s4::missing_healthcheck;
use crate::checks::{Ctx, Outcome};
use crate::snapshot::{short_id, Fact};

use crate::checks::file_checks::or_return;

use super::*;

/// Programs that are an SSH daemon (OpenSSH's listener and its per-session helpers).
pub(super) fn is_sshd(command: &str) -> bool {
    let first = command
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_end_matches(':');
    let name = first.rsplit('/').next().unwrap_or(first);
    matches!(name, "sshd" | "sshd-session" | "sshd-auth")
}

/// Evaluates [`cat::SSHD_IN_CONTAINERS`] (5.7); the catalogue entry describes the audit.
pub(super) fn sshd_in_containers(ctx: &Ctx) -> Outcome {
    let containers = or_return!(ctx.containers());
    if containers.is_empty() {
        return Outcome::not_applicable("No containers in scope on this host.");
    }
    let mut findings = Vec::new();
    let mut inspected = 0;
    let mut stopped: Vec<&str> = Vec::new();
    let mut unreadable: Vec<String> = Vec::new();
    for c in containers {
        match &c.processes {
            Some(Fact::Ok(list)) => {
                inspected += 1;
                let sshd: Vec<&str> = list
                    .iter()
                    .map(|p| p.command.as_str())
                    .filter(|cmd| is_sshd(cmd))
                    .collect();
                if !sshd.is_empty() {
                    findings.push(finding(
                        container_target(c),
                        format!("\"{}\" runs an SSH daemon", c.name),
                        format!("processes: {}", sshd.join("; ")),
                        "no sshd process; use `docker exec` for access",
                        format!(
                            "Remove sshd from the image of \"{}\" and re-create the container",
                            c.name
                        ),
                    ));
                }
            }
            Some(Fact::Unavailable(u)) => unreadable.push(format!("\"{}\" ({u})", c.name)),
            None if c.is_running() => unreadable.push(format!("\"{}\" (process list not collected)", c.name)),
            None => stopped.push(&c.name),
        }
    }
    let not_checked = if stopped.is_empty() {
        String::new()
    } else {
        format!(" Not checked (not running): {}.", quoted(&stopped))
    };
    let unread = if unreadable.is_empty() {
        String::new()
    } else {
        format!(" Process lists could not be read for {}.", unreadable.join(", "))
    };
    if !findings.is_empty() {
        return Outcome::fail(
            format!(
                "{} of {inspected} running containers run sshd.{unread}{not_checked}",
                findings.len()
            ),
            findings,
        );
    }
    if !unreadable.is_empty() {
        return Outcome::error(format!(
            "Could not read the process list of {}.{not_checked}",
            unreadable.join(", ")
        ));
    }
    if inspected == 0 {
        return Outcome::not_applicable(format!(
            "None of the {} containers is running, so no process list exists to inspect.{not_checked}",
            containers.len()
        ));
    }
    Outcome::pass(format!(
        "None of the {inspected} running containers runs sshd.{not_checked}"
    ))
}

/// Evaluates [`cat::PRIVILEGED_EXEC`] (5.23); the catalogue entry describes the audit.
pub(super) fn privileged_exec(_ctx: &Ctx) -> Outcome {
    Outcome::manual(
        "The Engine API keeps no history of exec sessions: confirm from an audit trail (e.g. auditd rules on the \
         docker client) that `docker exec --privileged` is not used.",
        vec![],
    )
}

/// Evaluates [`cat::ROOT_EXEC`] (5.24); the catalogue entry describes the audit.
pub(super) fn root_exec(_ctx: &Ctx) -> Outcome {
    Outcome::manual(
        "The Engine API keeps no history of exec sessions: confirm from an audit trail (e.g. auditd rules on the \
         docker client) that `docker exec --user root` (or 0) is not used.",
        vec![],
    )
}

/// Evaluates [`cat::HEALTH_CHECKED`] (5.27); the catalogue entry describes the audit.
pub(super) fn health_checked(ctx: &Ctx) -> Outcome {
    ctx.per_container("have no health check", |c| {
        let why = missing_healthcheck(c.healthcheck.as_deref())?;
        Some(finding(
            container_target(c),
            format!("\"{}\" has no health check", c.name),
            why,
            "a health check (image HEALTHCHECK or --health-cmd)",
            format!(
                "Re-create \"{}\" with --health-cmd <command>, or add a HEALTHCHECK to its image",
                c.name
            ),
        ))
    })
}

/// Evaluates [`cat::IMAGE_FRESHNESS`] (5.28); the catalogue entry describes the audit.
pub(super) fn image_freshness(ctx: &Ctx) -> Outcome {
    review_per_container(
        ctx,
        |_, total| {
            format!("{total} containers listed with their images; confirm each runs the intended current version.")
        },
        |c| {
            let pinned = c.image.contains("@sha256:");
            Some(finding(
                container_target(c),
                if pinned {
                    format!("\"{}\" uses an image pinned by digest", c.name)
                } else {
                    format!("\"{}\" uses an image by tag", c.name)
                },
                format!("{} (image {})", c.image, short_id(&c.image_id)),
                "the current version of the intended image",
                format!(
                    "Pull the image again and re-create \"{}\" if a newer version exists",
                    c.name
                ),
            ))
        },
    )
}
