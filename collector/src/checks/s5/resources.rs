//! Section 5: resources.

use dockaudit_shared::hardening::shell_quote;
use dockaudit_shared::report::{Finding, Target, TargetKind};

use crate::checks::context::container_target;
use crate::checks::outcome::finding;
use crate::checks::{Ctx, Outcome};
use crate::interpret::least_privilege::hint;
use crate::snapshot::{RestartPolicy, SwarmService};

use crate::checks::file_checks::or_return;

use super::*;

/// A `fail` from [`Ctx::per_container`] turned into `warn`, for recommendations that ask a person to confirm.
pub(super) fn as_warning(outcome: Outcome) -> Outcome {
    match outcome.status {
        dockaudit_shared::report::Status::Fail => Outcome::warn(outcome.summary, outcome.findings),
        _ => outcome,
    }
}

/// Evaluates [`cat::MEMORY_LIMITS`] (5.11); the catalogue entry describes the audit.
pub(super) fn memory_limits(ctx: &Ctx) -> Outcome {
    ctx.per_container("have no memory limit", |c| {
        (c.host_config.memory <= 0).then(|| {
            finding(
                container_target(c),
                format!("\"{}\" has no memory limit", c.name),
                format!("HostConfig.Memory = {}", c.host_config.memory),
                "a memory limit (--memory)",
                format!(
                    "Re-create \"{}\" with {}; {}",
                    c.name,
                    hint::memory(c),
                    hint::pointer(c)
                ),
            )
        })
    })
}

/// Evaluates [`cat::CPU_SHARES`] (5.12); the catalogue entry describes the audit.
pub(super) fn cpu_shares(ctx: &Ctx) -> Outcome {
    ctx.per_container("have no CPU priority or limit", |c| {
        let h = &c.host_config;
        (h.cpu_shares <= 0 && h.nano_cpus <= 0 && h.cpu_quota <= 0).then(|| {
            finding(
                container_target(c),
                format!("\"{}\" has no CPU shares or limit", c.name),
                format!(
                    "CpuShares = {}, NanoCpus = {}, CpuQuota = {}",
                    h.cpu_shares, h.nano_cpus, h.cpu_quota
                ),
                "--cpu-shares or --cpus set",
                format!("Re-create \"{}\" with --cpus <n> or --cpu-shares <weight>", c.name),
            )
        })
    })
}

/// Why a container restart policy allows more than 5 restarts, if it does.
pub(super) fn unbounded_restart(p: &RestartPolicy) -> Option<String> {
    let count = p.maximum_retry_count;
    match p.name.trim() {
        "" | "no" => None,
        "on-failure" if (1..=5).contains(&count) => None,
        "on-failure" if count <= 0 => Some("on-failure:0 (unlimited retries)".to_string()),
        "on-failure" => Some(format!("on-failure:{count} (more than 5 retries)")),
        "always" => Some("always (restarts without limit)".to_string()),
        "unless-stopped" => Some("unless-stopped (restarts without limit)".to_string()),
        other => Some(format!("{other} (unknown policy)")),
    }
}

/// Why a swarm service's restart policy allows more than 5 restarts, if it does. Condition `none`
/// never restarts; otherwise `MaxAttempts` must be 1–5 (0, the default, is unlimited).
pub(super) fn unbounded_service_restart(s: &SwarmService) -> Option<String> {
    let condition = s
        .restart_condition
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .unwrap_or("any");
    if condition == "none" {
        return None;
    }
    match s.restart_max_attempts {
        Some(n) if (1..=5).contains(&n) => None,
        Some(n) if n > 5 => Some(format!("condition {condition}, MaxAttempts {n}")),
        _ => Some(format!("condition {condition}, MaxAttempts 0 (unlimited)")),
    }
}

/// Evaluates [`cat::RESTART_POLICY`] (5.15); the catalogue entry describes the audit.
pub(super) fn restart_policy(ctx: &Ctx) -> Outcome {
    let containers = or_return!(ctx.containers());
    // Services are judged on managers only; a worker cannot list them.
    let (services, unreadable): (&[SwarmService], Option<String>) = match ctx.facts.swarm.get() {
        Ok(Some(swarm)) if swarm.is_manager => match swarm.services.get() {
            Ok(s) => (s.as_slice(), None),
            Err(u) => (&[], Some(format!("The swarm services could not be read ({u})"))),
        },
        _ => (&[], None),
    };
    if containers.is_empty() && services.is_empty() && unreadable.is_none() {
        return Outcome::not_applicable("No containers in scope on this host.");
    }
    let mut findings: Vec<Finding> = containers
        .iter()
        .filter_map(|c| {
            let why = unbounded_restart(&c.host_config.restart_policy)?;
            Some(finding(
                container_target(c),
                format!("\"{}\" can restart more than 5 times", c.name),
                format!("HostConfig.RestartPolicy = {why}"),
                "no restart policy, or on-failure with at most 5 retries",
                format!("Run `docker update --restart on-failure:5 {}`", c.name),
            ))
        })
        .collect();
    let bad_containers = findings.len();
    findings.extend(services.iter().filter_map(|s| {
        let why = unbounded_service_restart(s)?;
        Some(finding(
            Target::new(TargetKind::Swarm, s.id.clone(), s.name.clone()),
            format!("Service \"{}\" can restart its tasks more than 5 times", s.name),
            format!("RestartPolicy: {why}"),
            "restart condition none, or at most 5 attempts",
            format!("Run `docker service update --restart-max-attempts 5 {}`", s.name),
        ))
    }));
    let mut counts = format!("{bad_containers} of {} containers", containers.len());
    if !services.is_empty() {
        counts.push_str(&format!(
            " and {} of {} swarm services",
            findings.len() - bad_containers,
            services.len()
        ));
    }
    match unreadable {
        None if findings.is_empty() => Outcome::pass(format!("{counts} can restart more than 5 times.")),
        None => Outcome::fail(format!("{counts} can restart more than 5 times."), findings),
        Some(why) if findings.is_empty() => {
            Outcome::error(format!("{why}; of the rest, {counts} can restart more than 5 times."))
        }
        Some(why) => Outcome::fail(format!("{counts} can restart more than 5 times. {why}."), findings),
    }
}

/// Evaluates [`cat::ULIMIT_OVERRIDES`] (5.19); the catalogue entry describes the audit.
pub(super) fn ulimit_overrides(ctx: &Ctx) -> Outcome {
    review_per_container(
        ctx,
        |with, total| format!("{with} of {total} containers override ulimits; confirm each override is needed."),
        |c| {
            let limits = &c.host_config.ulimits;
            (!limits.is_empty()).then(|| {
                let shown: Vec<String> = limits
                    .iter()
                    .map(|u| format!("{}={}:{}", u.name, u.soft, u.hard))
                    .collect();
                finding(
                    container_target(c),
                    format!("\"{}\" overrides the default ulimits", c.name),
                    shown.join(", "),
                    "the daemon's default ulimits unless an override is needed",
                    format!(
                        "Re-create \"{}\" without --ulimit unless the application needs it",
                        c.name
                    ),
                )
            })
        },
    )
}

/// Evaluates [`cat::CGROUP_PARENT`] (5.25); the catalogue entry describes the audit.
pub(super) fn cgroup_parent(ctx: &Ctx) -> Outcome {
    as_warning(ctx.per_container("use a custom cgroup parent", |c| {
        let parent = c.host_config.cgroup_parent.trim();
        (!parent.is_empty()).then(|| {
            finding(
                container_target(c),
                format!(
                    "\"{}\" runs under a custom cgroup parent; confirm it is intended",
                    c.name
                ),
                format!("HostConfig.CgroupParent = {parent}"),
                "the default cgroup parent unless a specific one is required",
                format!(
                    "Confirm the cgroup parent of \"{}\" is intended, or re-create it without --cgroup-parent",
                    c.name
                ),
            )
        })
    }))
}

/// Evaluates [`cat::PIDS_LIMIT`] (5.29); the catalogue entry describes the audit.
pub(super) fn pids_limit(ctx: &Ctx) -> Outcome {
    ctx.per_container("have no PIDs limit", |c| {
        let limit = c.host_config.pids_limit;
        (limit.unwrap_or(0) <= 0).then(|| {
            finding(
                container_target(c),
                format!("\"{}\" has no PIDs limit", c.name),
                match limit {
                    Some(n) => format!("HostConfig.PidsLimit = {n}"),
                    None => "HostConfig.PidsLimit = null".to_string(),
                },
                "a positive limit (--pids-limit)",
                format!(
                    "Run `docker update {} {}` (or re-create it with that flag); {}",
                    hint::pids(c),
                    shell_quote(&c.name),
                    hint::pointer(c)
                ),
            )
        })
    })
}
