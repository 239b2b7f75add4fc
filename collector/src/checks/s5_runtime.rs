//! Section 5: container runtime configuration.
//!
//! Every container in scope is judged, running or stopped: a stopped container starts again with
//! the same configuration, so its settings are as much a risk as a running one's. (docker-bench-security
//! only sees running containers.) The exceptions are facts that exist only while a container runs,
//! such as its process list (5.7). Each finding names the container and what to change on it.

use std::collections::BTreeSet;

use dockaudit_shared::report::{Finding, Target, TargetKind};

use super::context::container_target;
use super::outcome::finding;
use super::s4_images::missing_healthcheck;
use super::{Ctx, Outcome};
use crate::interpret::capabilities;
use crate::interpret::Lookup;
use crate::snapshot::{short_id, Container, Fact, Mount, PortBinding, RestartPolicy, SwarmService};

pub(super) const EVALUATORS: &[(&str, super::Eval)] = &[
    ("5.1", check_5_1),
    ("5.2", check_5_2),
    ("5.3", check_5_3),
    ("5.4", check_5_4),
    ("5.5", check_5_5),
    ("5.6", check_5_6),
    ("5.7", check_5_7),
    ("5.8", check_5_8),
    ("5.9", check_5_9),
    ("5.10", check_5_10),
    ("5.11", check_5_11),
    ("5.12", check_5_12),
    ("5.13", check_5_13),
    ("5.14", check_5_14),
    ("5.15", check_5_15),
    ("5.16", check_5_16),
    ("5.17", check_5_17),
    ("5.18", check_5_18),
    ("5.19", check_5_19),
    ("5.20", check_5_20),
    ("5.21", check_5_21),
    ("5.22", check_5_22),
    ("5.23", check_5_23),
    ("5.24", check_5_24),
    ("5.25", check_5_25),
    ("5.26", check_5_26),
    ("5.27", check_5_27),
    ("5.28", check_5_28),
    ("5.29", check_5_29),
    ("5.30", check_5_30),
    ("5.31", check_5_31),
    ("5.32", check_5_32),
];

// ---------------------------------------------------------------------------------------------
// Helpers

/// A `--security-opt` entry split into key and value at the first `=` or `:` (both are accepted
/// by Docker, e.g. `seccomp=unconfined` and the older `seccomp:unconfined`).
fn security_opt(opt: &str) -> (&str, Option<&str>) {
    let opt = opt.trim();
    match opt.find(['=', ':']) {
        Some(i) => (&opt[..i], Some(&opt[i + 1..])),
        None => (opt, None),
    }
}

/// Values of one `--security-opt` key on a container, in order.
fn security_opt_values<'c>(c: &'c Container, key: &str) -> Vec<Option<&'c str>> {
    c.host_config
        .security_opt
        .iter()
        .map(|o| security_opt(o))
        .filter(|(k, _)| *k == key)
        .map(|(_, v)| v)
        .collect()
}

/// Lexically cleaned absolute path: repeated and trailing `/`, `.` and `..` resolved.
fn clean_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.trim().split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Whether `dir` is `path` itself or one of its ancestors.
fn covers(dir: &str, path: &str) -> bool {
    dir == path || dir == "/" || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// Published bindings: the configured ones (known for stopped containers) plus the actual ones of
/// running containers. An actual entry without a host port is an exposed, unpublished port.
fn published(c: &Container) -> Vec<&PortBinding> {
    let actual = c.ports.iter().filter(|p| !p.host_port.trim().is_empty());
    let mut out: Vec<&PortBinding> = Vec::new();
    for b in c.host_config.port_bindings.iter().chain(actual) {
        if !out.contains(&b) {
            out.push(b);
        }
    }
    out
}

/// `0.0.0.0:8080->80/tcp`; `*` stands for an empty HostIp (every interface).
fn describe_binding(b: &PortBinding) -> String {
    let ip = b.host_ip.trim();
    let host = match ip {
        "" => "*".to_string(),
        ip if ip.contains(':') && !ip.starts_with('[') => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let port = match b.host_port.trim() {
        "" => "<ephemeral>",
        p => p,
    };
    format!("{host}:{port}->{}", b.container_port)
}

fn describe_bindings(bindings: &[&PortBinding]) -> String {
    bindings
        .iter()
        .map(|b| describe_binding(b))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lowest host port of a binding (`8000-8010` → 8000); `None` for an ephemeral port (empty or 0).
fn host_port(b: &PortBinding) -> Option<u32> {
    let first = b.host_port.trim().split('-').next().unwrap_or_default();
    first.trim().parse::<u32>().ok().filter(|p| *p != 0)
}

fn is_wildcard_ip(ip: &str) -> bool {
    matches!(ip.trim(), "" | "0.0.0.0" | "::" | "[::]" | "*")
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

/// A container's lifecycle state for evidence.
fn state_of(c: &Container) -> &str {
    if c.is_running() {
        "running"
    } else if c.state.status.is_empty() {
        "stopped"
    } else {
        &c.state.status
    }
}

/// Per-container review: findings for the containers the test picks, never a verdict.
fn review_per_container(
    ctx: &Ctx,
    summary: impl Fn(usize, usize) -> String,
    test: impl Fn(&Container) -> Option<Finding>,
) -> Outcome {
    let containers = match ctx.containers() {
        Ok(c) => c,
        Err(o) => return o,
    };
    if containers.is_empty() {
        return Outcome::not_applicable("No containers in scope on this host.");
    }
    let findings: Vec<Finding> = containers.iter().filter_map(|c| test(c)).collect();
    Outcome::manual(summary(findings.len(), containers.len()), findings)
}

/// A `fail` from [`Ctx::per_container`] turned into `warn`, for recommendations that ask a person to confirm.
fn as_warning(outcome: Outcome) -> Outcome {
    match outcome.status {
        dockaudit_shared::report::Status::Fail => Outcome::warn(outcome.summary, outcome.findings),
        _ => outcome,
    }
}

// ---------------------------------------------------------------------------------------------
// Checks

/// 5.1: pass when `Swarm.LocalNodeState` is `inactive`; warn when the node is in a swarm (active,
/// pending, locked or in error), because only a person knows whether clustering is needed.
/// docker-bench-security greps `docker info` text instead.
fn check_5_1(ctx: &Ctx) -> Outcome {
    let info = match ctx.facts.info.get() {
        Ok(i) => i,
        Err(u) => return Outcome::unavailable("the daemon info", u),
    };
    let state = match info.swarm.local_node_state.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => match ctx.facts.swarm.get() {
            Ok(None) => "inactive".to_string(),
            Ok(Some(_)) => "active".to_string(),
            Err(u) => return Outcome::unavailable("the swarm state", u),
        },
    };
    if state == "inactive" {
        return Outcome::pass("Swarm mode is inactive.");
    }
    let node = info.swarm.node_id.clone().unwrap_or_else(|| "swarm".to_string());
    Outcome::warn(
        format!("This node takes part in a swarm (state {state}); confirm clustering is needed here."),
        vec![finding(
            Target::new(
                TargetKind::Swarm,
                node,
                info.name.clone().unwrap_or_else(|| "this node".to_string()),
            ),
            "Swarm mode is enabled",
            format!("Swarm.LocalNodeState = {state}"),
            "inactive, unless this host is meant to be a swarm member",
            "If the host does not need clustering, leave the swarm with `docker swarm leave` (managers need --force)",
        )],
    )
}

/// 5.2: not applicable unless `/info` reports `name=apparmor`. Fail a container whose effective
/// profile is empty or `unconfined`, or that is privileged (privileged containers always run
/// unconfined). Docker assigns the profile when a container starts, so a container that was created
/// but never started has none yet: it is judged by the profile it will get (`--security-opt
/// apparmor=…`, else `docker-default`). docker-bench-security fails every container on hosts
/// without AppArmor.
fn check_5_2(ctx: &Ctx) -> Outcome {
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

/// 5.3: not applicable unless `/info` reports `name=selinux`. Fail a container with no SELinux
/// process label or with `label=disable` / `label:disable`. docker-bench-security passes any
/// container with a non-empty `SecurityOpt`, so `no-new-privileges:false` alone satisfied it.
fn check_5_3(ctx: &Ctx) -> Outcome {
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

/// 5.4: fail a container that is privileged, or whose `CapAdd` has `ALL` or any capability outside
/// Docker's default set (names compared case-insensitively, with or without `CAP_`). Adding a
/// default capability again is harmless. docker-bench-security ignores `Privileged`.
fn check_5_4(ctx: &Ctx) -> Outcome {
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
                "Re-create \"{}\" without --privileged and with --cap-drop ALL --cap-add <only the needed capabilities>",
                c.name
            ),
        ))
    })
}

/// 5.5: fail a privileged container.
fn check_5_5(ctx: &Ctx) -> Outcome {
    ctx.per_container("run privileged", |c| {
        c.host_config.privileged.then(|| {
            finding(
                container_target(c),
                format!("\"{}\" is privileged", c.name),
                "HostConfig.Privileged = true",
                "false",
                format!(
                    "Re-create \"{}\" without --privileged; grant only the capabilities or devices it needs",
                    c.name
                ),
            )
        })
    })
}

/// Host directories CIS names, plus `/lib64`: a bind mount of any of them fails 5.6.
const SENSITIVE_DIRS: &[&str] = &["/", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/sys", "/usr"];
/// Trees whose every subpath is sensitive too (kernel interfaces, devices, boot files, host configuration).
const SENSITIVE_TREES: &[&str] = &["/boot", "/dev", "/etc", "/proc", "/sys"];
/// Public data that is commonly shared read-only and holds no secret.
const READ_ONLY_PUBLIC: &[&str] = &[
    "/etc/localtime",
    "/etc/timezone",
    "/etc/ssl/certs",
    "/etc/pki/ca-trust/extracted",
];

/// The sensitive host path a mount exposes, if any.
fn sensitive_source(m: &Mount) -> Option<String> {
    let is_bind = m.kind == "bind" || (m.kind.is_empty() && m.source.trim().starts_with('/'));
    if !is_bind || m.source.trim().is_empty() {
        return None;
    }
    let source = clean_path(&m.source);
    if SENSITIVE_DIRS.contains(&source.as_str()) {
        return Some(source);
    }
    let in_tree = SENSITIVE_TREES.iter().any(|t| covers(t, &source));
    let public = !m.rw && READ_ONLY_PUBLIC.iter().any(|p| covers(p, &source));
    (in_tree && !public).then_some(source)
}

/// 5.6: fail a container with a bind mount whose `Source` is `/`, `/boot`, `/dev`, `/etc`, `/lib`,
/// `/lib64`, `/proc`, `/sys` or `/usr` (after cleaning trailing `/`), whatever the destination and
/// whether read-only. Below `/boot`, `/dev`, `/etc`, `/proc` and `/sys` every subpath fails too,
/// since e.g. `/etc/shadow`, `/proc/sys` or `/dev/sda` are as sensitive as their parent; only
/// read-only mounts of public data (`/etc/localtime`, `/etc/timezone`, CA certificate directories)
/// are accepted. Subpaths of `/usr` and `/lib` hold programs and libraries, not secrets or kernel
/// interfaces, and pass. The structured `Source` field is compared, never the destination;
/// docker-bench-security's regex also matches destinations and neighbouring mounts.
fn check_5_6(ctx: &Ctx) -> Outcome {
    ctx.per_container_multi("mount sensitive host directories", |c| {
        c.mounts
            .iter()
            .filter_map(|m| {
                let source = sensitive_source(m)?;
                let mode = if m.rw { "read-write" } else { "read-only" };
                Some(finding(
                    container_target(c),
                    format!("\"{}\" mounts the host's {source}", c.name),
                    format!("bind {} -> {} ({mode})", m.source, m.destination),
                    "no bind mount of /, /boot, /dev, /etc, /lib, /lib64, /proc, /sys or /usr, nor below /boot, /dev, /etc, /proc or /sys",
                    format!(
                        "Re-create \"{}\" without the bind mount of {source}; put the data it needs in a volume or the image",
                        c.name
                    ),
                ))
            })
            .collect()
    })
}

/// Programs that are an SSH daemon (OpenSSH's listener and its per-session helpers).
fn is_sshd(command: &str) -> bool {
    let first = command
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_end_matches(':');
    let name = first.rsplit('/').next().unwrap_or(first);
    matches!(name, "sshd" | "sshd-session" | "sshd-auth")
}

/// 5.7: fail a running container whose process list (the host's `/proc` and cgroup, or
/// `GET /containers/{id}/top`; nothing runs inside the container) has an `sshd` process: `/usr/sbin/sshd -D`, `sshd: user@pts/0`.
/// Stopped containers have no processes to inspect; they are named in the summary as not checked,
/// and when no container runs the check is not applicable. A running container whose process list
/// could not be read makes the check `error` unless another one fails. docker-bench-security runs
/// `ps` inside each container, which silently passes images without `ps`.
fn check_5_7(ctx: &Ctx) -> Outcome {
    let containers = match ctx.containers() {
        Ok(c) => c,
        Err(o) => return o,
    };
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

/// 5.8: fail a container publishing a host port below 1024 (configured or actual binding). Port
/// 1024 is not privileged (docker-bench-security flags it), and an empty or 0 host port is an
/// ephemeral one chosen by Docker from the high range.
fn check_5_8(ctx: &Ctx) -> Outcome {
    ctx.per_container("publish privileged host ports (below 1024)", |c| {
        let low: Vec<&PortBinding> = published(c)
            .into_iter()
            .filter(|b| host_port(b).is_some_and(|p| p < 1024))
            .collect();
        (!low.is_empty()).then(|| {
            finding(
                container_target(c),
                format!("\"{}\" publishes a privileged host port", c.name),
                describe_bindings(&low),
                "host ports of 1024 or above",
                format!(
                    "Re-create \"{}\" publishing a host port of 1024 or above (e.g. -p 8080:80)",
                    c.name
                ),
            )
        })
    })
}

/// 5.9 (review): the published ports of each container, and whether it publishes every exposed
/// port (`-P`). Which ports are needed is for a person to decide; docker-bench-security scores
/// every published port as a failure.
fn check_5_9(ctx: &Ctx) -> Outcome {
    review_per_container(
        ctx,
        |with, total| format!("{with} of {total} containers publish ports; confirm each one is needed."),
        |c| {
            let bindings = published(c);
            if bindings.is_empty() && !c.host_config.publish_all_ports {
                return None;
            }
            let mut observed = describe_bindings(&bindings);
            if c.host_config.publish_all_ports {
                if !observed.is_empty() {
                    observed.push_str("; ");
                }
                observed.push_str("PublishAllPorts = true (every exposed port)");
            }
            Some(finding(
                container_target(c),
                format!("\"{}\" ({}) publishes ports", c.name, state_of(c)),
                observed,
                "only the ports the service needs",
                format!("Re-create \"{}\" publishing only the required ports (avoid -P)", c.name),
            ))
        },
    )
}

/// A per-container check of one namespace mode being `host`.
fn host_namespace(ctx: &Ctx, what: &str, field: &str, flag: &str, mode: fn(&Container) -> &str) -> Outcome {
    ctx.per_container(what, |c| {
        (mode(c).trim() == "host").then(|| {
            finding(
                container_target(c),
                format!("\"{}\" shares the host's namespace", c.name),
                format!("HostConfig.{field} = host"),
                "a private namespace (not host)",
                format!("Re-create \"{}\" without {flag}", c.name),
            )
        })
    })
}

/// 5.10: fail a container whose `NetworkMode` is `host`.
fn check_5_10(ctx: &Ctx) -> Outcome {
    host_namespace(
        ctx,
        "share the host's network namespace",
        "NetworkMode",
        "--network host",
        |c| &c.host_config.network_mode,
    )
}

/// 5.11: fail a container without a memory limit (`Memory` 0 or negative).
fn check_5_11(ctx: &Ctx) -> Outcome {
    ctx.per_container("have no memory limit", |c| {
        (c.host_config.memory <= 0).then(|| {
            finding(
                container_target(c),
                format!("\"{}\" has no memory limit", c.name),
                format!("HostConfig.Memory = {}", c.host_config.memory),
                "a memory limit (--memory)",
                format!("Re-create \"{}\" with --memory <limit> (e.g. --memory 512m)", c.name),
            )
        })
    })
}

/// 5.12: fail a container with neither a CPU weight (`CpuShares`) nor a CPU cap (`NanoCpus` from
/// `--cpus`, or `CpuQuota`). Any explicit value passes: aqua demands CpuShares < 1024 and ignores
/// `--cpus`.
fn check_5_12(ctx: &Ctx) -> Outcome {
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

/// 5.13: fail a container whose root filesystem is writable.
fn check_5_13(ctx: &Ctx) -> Outcome {
    ctx.per_container("have a writable root filesystem", |c| {
        (!c.host_config.readonly_rootfs).then(|| {
            finding(
                container_target(c),
                format!("\"{}\" has a writable root filesystem", c.name),
                "HostConfig.ReadonlyRootfs = false",
                "true",
                format!(
                    "Re-create \"{}\" with --read-only, adding volumes or --tmpfs for paths it writes",
                    c.name
                ),
            )
        })
    })
}

/// 5.14: fail a container with a binding on every interface: HostIp empty, `0.0.0.0` or `::`.
/// docker-bench-security and aqua look only for `0.0.0.0`, so IPv6 wildcards slip through.
fn check_5_14(ctx: &Ctx) -> Outcome {
    ctx.per_container("publish ports on every host interface", |c| {
        let open: Vec<&PortBinding> = published(c)
            .into_iter()
            .filter(|b| is_wildcard_ip(&b.host_ip))
            .collect();
        (!open.is_empty()).then(|| {
            finding(
                container_target(c),
                format!("\"{}\" publishes ports on all interfaces", c.name),
                describe_bindings(&open),
                "bindings to a specific host address (e.g. -p 10.0.0.5:8080:80)",
                format!(
                    "Re-create \"{}\" publishing on a specific address: -p <host-ip>:<port>:<container-port>",
                    c.name
                ),
            )
        })
    })
}

/// Why a container restart policy allows more than 5 restarts, if it does.
fn unbounded_restart(p: &RestartPolicy) -> Option<String> {
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
fn unbounded_service_restart(s: &SwarmService) -> Option<String> {
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

/// 5.15: pass a container whose restart policy is empty, `no`, or `on-failure` with 1–5 retries.
/// `always` and `unless-stopped` fail (docker-bench-security passes them because their count is 0),
/// and so does `on-failure:0`, which retries forever. With swarm facts from a manager, services are
/// judged too (`Spec.TaskTemplate.RestartPolicy`): condition `none`, or `MaxAttempts` 1–5.
fn check_5_15(ctx: &Ctx) -> Outcome {
    let containers = match ctx.containers() {
        Ok(c) => c,
        Err(o) => return o,
    };
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

/// 5.16: fail a container whose `PidMode` is `host`.
fn check_5_16(ctx: &Ctx) -> Outcome {
    host_namespace(ctx, "share the host's PID namespace", "PidMode", "--pid host", |c| {
        &c.host_config.pid_mode
    })
}

/// 5.17: fail a container whose `IpcMode` is `host`.
fn check_5_17(ctx: &Ctx) -> Outcome {
    host_namespace(ctx, "share the host's IPC namespace", "IpcMode", "--ipc host", |c| {
        &c.host_config.ipc_mode
    })
}

/// 5.18 (review): host devices (`--device`), device cgroup rules and device requests (GPUs) per
/// container. docker-bench-security ignores the last two.
fn check_5_18(ctx: &Ctx) -> Outcome {
    review_per_container(
        ctx,
        |with, total| format!("{with} of {total} containers have host devices; confirm each is needed."),
        |c| {
            let h = &c.host_config;
            let mut parts = Vec::new();
            if !h.devices.is_empty() {
                let devices: Vec<String> = h
                    .devices
                    .iter()
                    .map(|d| format!("{}:{}:{}", d.path_on_host, d.path_in_container, d.cgroup_permissions))
                    .collect();
                parts.push(format!("devices {}", devices.join(", ")));
            }
            if !h.device_cgroup_rules.is_empty() {
                parts.push(format!("cgroup rules {}", h.device_cgroup_rules.join(", ")));
            }
            if !h.device_requests.is_empty() {
                parts.push(format!("device requests {}", h.device_requests.join(", ")));
            }
            (!parts.is_empty()).then(|| {
                finding(
                    container_target(c),
                    format!("\"{}\" has access to host devices", c.name),
                    parts.join("; "),
                    "only the devices the workload needs, with the least permissions (e.g. :r)",
                    format!(
                        "Re-create \"{}\" with only the needed --device entries and permissions",
                        c.name
                    ),
                )
            })
        },
    )
}

/// 5.19 (review): the ulimit overrides of each container; none means the daemon defaults apply.
/// docker-bench-security lists the containers without an override, which reads inverted.
fn check_5_19(ctx: &Ctx) -> Outcome {
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

/// 5.20: fail a container with a mount whose propagation is `shared` or `rshared`.
fn check_5_20(ctx: &Ctx) -> Outcome {
    ctx.per_container("have shared mount propagation", |c| {
        let shared: Vec<String> = c
            .mounts
            .iter()
            .filter(|m| matches!(m.propagation.trim(), "shared" | "rshared"))
            .map(|m| format!("{} -> {} ({})", m.source, m.destination, m.propagation.trim()))
            .collect();
        (!shared.is_empty()).then(|| {
            finding(
                container_target(c),
                format!("\"{}\" has a mount with shared propagation", c.name),
                shared.join(", "),
                "private, rprivate, slave or rslave propagation",
                format!("Re-create \"{}\" without the shared/rshared mount option", c.name),
            )
        })
    })
}

/// 5.21: fail a container whose `UTSMode` is `host`.
fn check_5_21(ctx: &Ctx) -> Outcome {
    host_namespace(ctx, "share the host's UTS namespace", "UTSMode", "--uts host", |c| {
        &c.host_config.uts_mode
    })
}

/// 5.22: fail a container with `seccomp=unconfined` / `seccomp:unconfined`, or that is privileged
/// (privileged containers run without seccomp). The peers ignore `Privileged` here.
fn check_5_22(ctx: &Ctx) -> Outcome {
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

/// 5.23 (review): the Engine API keeps no record of past `docker exec` options; an audit trail of
/// exec sessions is needed.
fn check_5_23(_ctx: &Ctx) -> Outcome {
    Outcome::manual(
        "The Engine API keeps no history of exec sessions: confirm from an audit trail (e.g. auditd rules on the \
         docker client) that `docker exec --privileged` is not used.",
        vec![],
    )
}

/// 5.24 (review): as 5.23, for `docker exec --user root`.
fn check_5_24(_ctx: &Ctx) -> Outcome {
    Outcome::manual(
        "The Engine API keeps no history of exec sessions: confirm from an audit trail (e.g. auditd rules on the \
         docker client) that `docker exec --user root` (or 0) is not used.",
        vec![],
    )
}

/// 5.25: warn (a person confirms) for a container with its own `CgroupParent`.
fn check_5_25(ctx: &Ctx) -> Outcome {
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

/// A `no-new-privileges` value as Docker parses it (Go's `strconv.ParseBool`); bare means true.
fn parse_go_bool(value: Option<&str>) -> Option<bool> {
    match value.map(str::trim) {
        None => Some(true),
        Some("1" | "t" | "T" | "true" | "TRUE" | "True") => Some(true),
        Some("0" | "f" | "F" | "false" | "FALSE" | "False") => Some(false),
        Some(_) => None,
    }
}

/// 5.26: a container's own `no-new-privileges` option decides when present (bare, `=true`/`:true`
/// pass; `=false`/`:false` fail even if the daemon enables it, because the container option
/// overrides the daemon default). Otherwise the daemon-wide setting decides (2.14). When that
/// setting is unknown (command line or daemon.json unreadable), containers without their own option
/// cannot be judged: the check fails if another container fails, else it is an `error` naming them.
/// docker-bench-security and aqua match substrings, so `no-new-privileges:false` passes there, and
/// aqua ignores the daemon-wide setting.
fn check_5_26(ctx: &Ctx) -> Outcome {
    let containers = match ctx.containers() {
        Ok(c) => c,
        Err(o) => return o,
    };
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
                 daemon.json)",
                c.name
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

/// 5.27: fail a container whose `Config.Healthcheck` is absent, empty or `NONE`. The configuration
/// is read, so stopped containers are judged too; an unhealthy status is not a failure here.
fn check_5_27(ctx: &Ctx) -> Outcome {
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

/// 5.28 (review): the image reference and image id each container uses. Whether that is the
/// intended, current version needs the registry, which dockaudit does not query.
fn check_5_28(ctx: &Ctx) -> Outcome {
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

/// 5.29: fail a container without a PIDs limit: `PidsLimit` null, 0 or −1 all mean unlimited.
fn check_5_29(ctx: &Ctx) -> Outcome {
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
                    "Run `docker update --pids-limit 200 {}` (or re-create it with --pids-limit)",
                    c.name
                ),
            )
        })
    })
}

/// 5.30: fail a container attached to the default bridge network: the network named `bridge`, or
/// the one whose `com.docker.network.bridge.name` option is `docker0`, by name or id in
/// `NetworkSettings.Networks`. A container whose network list is empty is judged by its
/// `NetworkMode` (`default` or `bridge`). Without the network list, the reserved name `bridge` is
/// used. docker-bench-security lists every container on docker0, ignoring its own filters.
fn check_5_30(ctx: &Ctx) -> Outcome {
    let mut names: BTreeSet<&str> = BTreeSet::from(["bridge"]);
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    if let Some(networks) = ctx.facts.networks.ok() {
        for n in networks {
            let docker0 = n
                .options
                .get("com.docker.network.bridge.name")
                .is_some_and(|b| b == "docker0");
            if docker0 || n.name == "bridge" {
                names.insert(&n.name);
                if !n.id.is_empty() {
                    ids.insert(&n.id);
                }
            }
        }
    }
    ctx.per_container("use the default bridge (docker0)", |c| {
        let attached = c
            .networks
            .iter()
            .find(|(name, id)| names.contains(name.as_str()) || ids.contains(id.as_str()));
        let mode = c.host_config.network_mode.trim();
        let observed = match attached {
            Some((name, _)) => format!("attached to network \"{name}\" (docker0)"),
            None if c.networks.is_empty() && matches!(mode, "default" | "bridge") => {
                format!("HostConfig.NetworkMode = {mode}")
            }
            None => return None,
        };
        Some(finding(
            container_target(c),
            format!("\"{}\" uses the default bridge network", c.name),
            observed,
            "a user-defined network",
            format!(
                "Create a network (`docker network create <net>`) and re-create \"{}\" with --network <net>",
                c.name
            ),
        ))
    })
}

/// 5.31: fail a container whose `UsernsMode` is `host`.
fn check_5_31(ctx: &Ctx) -> Outcome {
    host_namespace(
        ctx,
        "share the host's user namespace",
        "UsernsMode",
        "--userns host",
        |c| &c.host_config.userns_mode,
    )
}

/// `/var/run/...` → `/run/...`: on current distributions `/var/run` is a link to `/run`.
fn canonical_run(path: &str) -> String {
    let clean = clean_path(path);
    match clean.strip_prefix("/var/run") {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("/run{rest}"),
        _ => clean,
    }
}

/// 5.32: fail a container with a mount whose `Source` is the daemon's unix socket (the sockets
/// dockerd listens on, from `-H`/`hosts`/systemd, plus `/var/run/docker.sock` and
/// `/run/docker.sock`), any file named `docker.sock`, or a directory containing a socket
/// (`/var/run`, `/run`, `/`). docker-bench-security greps `docker.sock` in the mount text, so it
/// misses `-v /var/run:/var/run` and renamed sockets.
fn check_5_32(ctx: &Ctx) -> Outcome {
    let mut sockets: Vec<String> = ctx.paths.as_ref().map(|p| p.docker_sockets.clone()).unwrap_or_default();
    sockets.extend(["/var/run/docker.sock".to_string(), "/run/docker.sock".to_string()]);
    let mut forms: Vec<String> = sockets.iter().flat_map(|s| [clean_path(s), canonical_run(s)]).collect();
    forms.sort();
    forms.dedup();
    ctx.per_container_multi("mount the Docker socket", |c| {
        c.mounts
            .iter()
            .filter(|m| !m.source.trim().is_empty())
            .filter_map(|m| {
                let source = clean_path(&m.source);
                let by_name = source.rsplit('/').next() == Some("docker.sock");
                let exposed = forms
                    .iter()
                    .find(|s| covers(&source, s) || canonical_run(&source) == **s);
                let why = match exposed {
                    Some(s) if *s == source || canonical_run(&source) == *s => format!("the Docker socket {source}"),
                    Some(s) => format!("{source}, which contains the Docker socket {s}"),
                    None if by_name => format!("the Docker socket {source}"),
                    None => return None,
                };
                Some(finding(
                    container_target(c),
                    format!("\"{}\" mounts {why}", c.name),
                    format!(
                        "{} {} -> {}",
                        if m.kind.is_empty() { "mount" } else { &m.kind },
                        m.source,
                        m.destination
                    ),
                    "no mount of the Docker socket or a directory containing it",
                    format!(
                        "Re-create \"{}\" without the mount of {}; a container that must drive Docker should use a \
                         filtering socket proxy or an authorization plugin",
                        c.name, m.source
                    ),
                ))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{container, empty_host, eval, host_with, target_names, unavailable_facts};
    use super::*;
    use crate::snapshot::{
        DaemonJson, DaemonProcess, Device, Facts, HostFacts, Process, Swarm, SwarmService, Ulimit, Unavailable,
    };
    use dockaudit_shared::report::Status;

    const CONTAINER_CHECKS: &[&str] = &[
        "5.4", "5.5", "5.6", "5.7", "5.8", "5.9", "5.10", "5.11", "5.12", "5.13", "5.14", "5.15", "5.16", "5.17",
        "5.18", "5.19", "5.20", "5.21", "5.22", "5.25", "5.26", "5.27", "5.28", "5.29", "5.30", "5.31", "5.32",
    ];

    fn status(id: &str, c: Container) -> Status {
        eval(id, &host_with(vec![c])).status
    }

    fn bind(source: &str, destination: &str, rw: bool) -> Mount {
        Mount {
            kind: "bind".into(),
            source: source.into(),
            destination: destination.into(),
            rw,
            ..Mount::default()
        }
    }

    fn port(ip: &str, host: &str) -> PortBinding {
        PortBinding {
            container_port: "80/tcp".into(),
            host_ip: ip.into(),
            host_port: host.into(),
        }
    }

    fn running(name: &str, commands: &[&str]) -> Container {
        let mut c = container(name);
        c.state.running = true;
        c.state.status = "running".into();
        c.processes = Some(Fact::Ok(
            commands
                .iter()
                .map(|cmd| Process {
                    command: cmd.to_string(),
                    ..Process::default()
                })
                .collect(),
        ));
        c
    }

    fn with_daemon_args(containers: Vec<Container>, args: &[&str]) -> Facts {
        let mut f = host_with(containers);
        if let Some(host) = f.host.as_mut() {
            host.dockerd = Fact::Ok(Some(DaemonProcess {
                args: args.iter().map(|a| a.to_string()).collect(),
                ..DaemonProcess::default()
            }));
        }
        f
    }

    #[test]
    fn no_containers_is_not_applicable_and_missing_list_is_error() {
        for id in CONTAINER_CHECKS {
            assert_eq!(eval(id, &host_with(vec![])).status, Status::NotApplicable, "{id}");
            assert_eq!(eval(id, &unavailable_facts()).status, Status::Error, "{id}");
        }
    }

    type Mutation = fn(&mut Container);

    /// (id, a mutation that fails the check, a mutation that passes it), each on a default container.
    const CASES: &[(&str, Mutation, Mutation)] = &[
        (
            "5.4",
            |c| c.host_config.cap_add = vec!["SYS_ADMIN".into()],
            |c| c.host_config.cap_add = vec!["cap_chown".into()],
        ),
        ("5.4", |c| c.host_config.cap_add = vec!["all".into()], |_| {}),
        (
            "5.4",
            |c| c.host_config.privileged = true,
            |c| c.host_config.cap_drop = vec!["ALL".into()],
        ),
        ("5.5", |c| c.host_config.privileged = true, |_| {}),
        (
            "5.10",
            |c| c.host_config.network_mode = "host".into(),
            |c| c.host_config.network_mode = "mynet".into(),
        ),
        (
            "5.11",
            |c| c.host_config.memory = 0,
            |c| c.host_config.memory = 512 << 20,
        ),
        ("5.12", |_| {}, |c| c.host_config.nano_cpus = 500_000_000),
        ("5.12", |_| {}, |c| c.host_config.cpu_shares = 1024),
        ("5.13", |_| {}, |c| c.host_config.readonly_rootfs = true),
        (
            "5.16",
            |c| c.host_config.pid_mode = "host".into(),
            |c| c.host_config.pid_mode = "container:x".into(),
        ),
        (
            "5.17",
            |c| c.host_config.ipc_mode = "host".into(),
            |c| c.host_config.ipc_mode = "shareable".into(),
        ),
        (
            "5.20",
            |c| {
                c.mounts = vec![Mount {
                    propagation: "rshared".into(),
                    ..bind("/srv", "/srv", true)
                }]
            },
            |c| {
                c.mounts = vec![Mount {
                    propagation: "rslave".into(),
                    ..bind("/srv", "/srv", true)
                }]
            },
        ),
        ("5.21", |c| c.host_config.uts_mode = "host".into(), |_| {}),
        (
            "5.22",
            |c| c.host_config.security_opt = vec!["seccomp=unconfined".into()],
            |_| {},
        ),
        (
            "5.22",
            |c| c.host_config.security_opt = vec!["seccomp:unconfined".into()],
            |c| c.host_config.security_opt = vec!["seccomp={\"defaultAction\":\"SCMP_ACT_ERRNO\"}".into()],
        ),
        ("5.22", |c| c.host_config.privileged = true, |_| {}),
        (
            "5.27",
            |_| {},
            |c| c.healthcheck = Some(vec!["CMD".into(), "true".into()]),
        ),
        (
            "5.27",
            |c| c.healthcheck = Some(vec!["NONE".into()]),
            |c| c.healthcheck = Some(vec!["CMD-SHELL".into(), "x".into()]),
        ),
        (
            "5.29",
            |c| c.host_config.pids_limit = Some(-1),
            |c| c.host_config.pids_limit = Some(100),
        ),
        (
            "5.29",
            |c| c.host_config.pids_limit = Some(0),
            |c| c.host_config.pids_limit = Some(1),
        ),
        (
            "5.29",
            |c| c.host_config.pids_limit = None,
            |c| c.host_config.pids_limit = Some(4096),
        ),
        ("5.31", |c| c.host_config.userns_mode = "host".into(), |_| {}),
        ("5.25", |c| c.host_config.cgroup_parent = "/custom".into(), |_| {}),
    ];

    #[test]
    fn simple_field_checks_fail_and_pass() {
        for (i, (id, bad, good)) in CASES.iter().enumerate() {
            let mut c = container("nil");
            bad(&mut c);
            let o = eval(id, &host_with(vec![c]));
            let want = if *id == "5.25" { Status::Warn } else { Status::Fail };
            assert_eq!(o.status, want, "case {i} ({id}) bad: {}", o.summary);
            assert_eq!(target_names(&o), ["nil"], "case {i}");
            let f = &o.findings[0];
            assert!(
                !f.observed.is_empty() && f.remediation.contains("nil"),
                "case {i}: {f:?}"
            );
            let mut c = container("ok");
            good(&mut c);
            let o = eval(id, &host_with(vec![c]));
            assert_eq!(o.status, Status::Pass, "case {i} ({id}) good: {}", o.summary);
        }
    }

    #[test]
    fn stopped_containers_count() {
        let mut stopped = container("stopped");
        stopped.host_config.privileged = true;
        let o = eval("5.5", &host_with(vec![stopped, running("up", &[])]));
        assert_eq!(o.status, Status::Fail);
        assert_eq!(target_names(&o), ["stopped"]);
        assert!(o.summary.starts_with("1 of 2"), "{}", o.summary);
    }

    #[test]
    fn check_5_1_warns_only_in_a_swarm() {
        let mut f = empty_host();
        assert_eq!(eval("5.1", &f).status, Status::Pass);
        if let Fact::Ok(info) = &mut f.info {
            info.swarm.local_node_state = Some("active".into());
        }
        assert_eq!(eval("5.1", &f).status, Status::Warn);
        assert_eq!(eval("5.1", &unavailable_facts()).status, Status::Error);
    }

    fn with_security_option(containers: Vec<Container>, option: &str) -> Facts {
        let mut f = host_with(containers);
        if let Fact::Ok(info) = &mut f.info {
            info.security_options.push(option.into());
        }
        f
    }

    #[test]
    fn check_5_2_apparmor() {
        assert_eq!(status("5.2", container("x")), Status::NotApplicable);
        let mut profiled = container("profiled");
        profiled.app_armor_profile = Some("docker-default".into());
        let mut unconfined = container("unconfined");
        unconfined.app_armor_profile = Some("unconfined".into());
        let mut empty = container("empty");
        empty.app_armor_profile = Some(String::new());
        let mut privileged = container("privileged");
        privileged.app_armor_profile = Some("docker-default".into());
        privileged.host_config.privileged = true;
        let mut never_started = container("fresh");
        never_started.state.status = "created".into();
        let mut fresh_unconfined = container("fresh-unconfined");
        fresh_unconfined.state.status = "created".into();
        fresh_unconfined.host_config.security_opt = vec!["apparmor=unconfined".into()];
        let f = with_security_option(
            vec![profiled, unconfined, empty, privileged, never_started, fresh_unconfined],
            "name=apparmor",
        );
        let o = eval("5.2", &f);
        assert_eq!(o.status, Status::Fail);
        assert_eq!(
            target_names(&o),
            ["unconfined", "empty", "privileged", "fresh-unconfined"]
        );
    }

    #[test]
    fn check_5_3_selinux() {
        assert_eq!(status("5.3", container("x")), Status::NotApplicable);
        let mut labelled = container("labelled");
        labelled.process_label = Some("system_u:system_r:container_t:s0:c1,c2".into());
        let mut disabled = container("disabled");
        disabled.process_label = Some("system_u:system_r:spc_t:s0".into());
        disabled.host_config.security_opt = vec!["label:disable".into()];
        let mut nnp_only = container("nnp-only");
        nnp_only.host_config.security_opt = vec!["no-new-privileges:false".into()];
        let o = eval(
            "5.3",
            &with_security_option(vec![labelled, disabled, nnp_only], "name=selinux"),
        );
        assert_eq!(o.status, Status::Fail);
        assert_eq!(target_names(&o), ["disabled", "nnp-only"]);
    }

    #[test]
    fn check_5_6_sensitive_sources() {
        let cases: &[(&str, &str, bool, bool)] = &[
            ("/", "/host", false, true),
            ("/etc/", "/data", false, true),
            ("/etc", "/etc", false, true),
            ("/usr", "/usr", false, true),
            ("/lib64", "/x", false, true),
            ("/proc/sys", "/host/sys", false, true),
            ("/dev/sda", "/dev/sda", true, true),
            ("/etc/shadow", "/shadow", false, true),
            ("//sys//", "/s", false, true),
            ("/etc/localtime", "/etc/localtime", false, false),
            ("/etc/localtime", "/etc/localtime", true, true),
            ("/etc/ssl/certs", "/etc/ssl/certs", false, false),
            ("/usr/share/zoneinfo", "/z", false, false),
            ("/srv/etc", "/etc", true, false),
            ("/home/app", "/etc", true, false),
            ("/etcetera", "/x", true, false),
        ];
        for (source, destination, rw, fails) in cases {
            let mut c = container("web");
            c.mounts = vec![bind(source, destination, *rw)];
            let want = if *fails { Status::Fail } else { Status::Pass };
            assert_eq!(status("5.6", c), want, "{source} -> {destination}");
        }
        let mut volume = container("vol");
        volume.mounts = vec![Mount {
            kind: "volume".into(),
            source: "/var/lib/docker/volumes/etc/_data".into(),
            ..Mount::default()
        }];
        assert_eq!(status("5.6", volume), Status::Pass);
    }

    #[test]
    fn check_5_7_inspects_running_containers_only() {
        let f = host_with(vec![running("web", &["nginx: master process"]), container("stopped")]);
        let o = eval("5.7", &f);
        assert_eq!(o.status, Status::Pass, "{}", o.summary);
        assert!(o.summary.contains("\"stopped\""), "{}", o.summary);
        for sshd in [
            "/usr/sbin/sshd -D",
            "sshd: app@pts/0",
            "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups",
        ] {
            let o = eval("5.7", &host_with(vec![running("ssh", &["tini", sshd])]));
            assert_eq!(o.status, Status::Fail, "{sshd}");
        }
        assert_eq!(
            status(
                "5.7",
                running("x", &["/usr/bin/sshd-keygen-wrapper-not", "ssh user@host"])
            ),
            Status::Pass
        );
        assert_eq!(
            eval("5.7", &host_with(vec![container("a"), container("b")])).status,
            Status::NotApplicable
        );
        let mut broken = running("broken", &[]);
        broken.processes = Some(Fact::Unavailable(Unavailable {
            source: "GET /top".into(),
            reason: "gone".into(),
        }));
        let o = eval("5.7", &host_with(vec![broken.clone(), running("web", &["nginx"])]));
        assert_eq!(o.status, Status::Error);
        assert!(o.summary.contains("broken"), "{}", o.summary);
        let o = eval("5.7", &host_with(vec![broken, running("ssh", &["/usr/sbin/sshd -D"])]));
        assert_eq!(o.status, Status::Fail);
    }

    #[test]
    fn check_5_8_privileged_ports() {
        let cases: &[(&str, Status)] = &[
            ("80", Status::Fail),
            ("1023", Status::Fail),
            ("1024", Status::Pass),
            ("", Status::Pass),
            ("0", Status::Pass),
            ("8080", Status::Pass),
            ("443-450", Status::Fail),
        ];
        for (host, want) in cases {
            let mut c = container("web");
            c.host_config.port_bindings = vec![port("127.0.0.1", host)];
            assert_eq!(status("5.8", c), *want, "{host:?}");
        }
        let mut actual = running("web", &[]);
        actual.ports = vec![port("::", "80")];
        let o = eval("5.8", &host_with(vec![actual]));
        assert_eq!(o.status, Status::Fail);
        assert_eq!(o.findings[0].observed, "[::]:80->80/tcp");
    }

    #[test]
    fn check_5_14_wildcards_include_ipv6_and_empty() {
        for (ip, want) in [
            ("", Status::Fail),
            ("0.0.0.0", Status::Fail),
            ("::", Status::Fail),
            ("127.0.0.1", Status::Pass),
            ("10.0.0.5", Status::Pass),
            ("::1", Status::Pass),
        ] {
            let mut c = container("web");
            c.host_config.port_bindings = vec![port(ip, "8080")];
            assert_eq!(status("5.14", c), want, "{ip:?}");
        }
        // Exposed but unpublished ports of a running container are not bindings.
        let mut exposed = running("web", &[]);
        exposed.ports = vec![port("", "")];
        assert_eq!(status("5.14", exposed), Status::Pass);
    }

    #[test]
    fn check_5_9_lists_published_ports() {
        let mut c = container("web");
        c.host_config.port_bindings = vec![port("0.0.0.0", "8080")];
        let o = eval("5.9", &host_with(vec![c, container("quiet")]));
        assert_eq!(o.status, Status::Manual);
        assert_eq!(target_names(&o), ["web"]);
        assert_eq!(o.findings[0].observed, "0.0.0.0:8080->80/tcp");
    }

    #[test]
    fn check_5_15_restart_policies() {
        let cases: &[(&str, i64, Status)] = &[
            ("", 0, Status::Pass),
            ("no", 0, Status::Pass),
            ("on-failure", 5, Status::Pass),
            ("on-failure", 1, Status::Pass),
            ("on-failure", 0, Status::Fail),
            ("on-failure", 6, Status::Fail),
            ("always", 0, Status::Fail),
            ("unless-stopped", 0, Status::Fail),
        ];
        for (name, count, want) in cases {
            let mut c = container("web");
            c.host_config.restart_policy = RestartPolicy {
                name: name.to_string(),
                maximum_retry_count: *count,
            };
            assert_eq!(status("5.15", c), *want, "{name}:{count}");
        }
    }

    #[test]
    fn check_5_15_judges_swarm_services_on_managers() {
        let service = |name: &str, condition: Option<&str>, max: Option<u64>| SwarmService {
            id: format!("{name}-id"),
            name: name.into(),
            restart_condition: condition.map(String::from),
            restart_max_attempts: max,
        };
        let mut f = host_with(vec![]);
        f.swarm = Fact::Ok(Some(Swarm {
            is_manager: true,
            services: Fact::Ok(vec![
                service("default", None, None),
                service("bounded", Some("on-failure"), Some(3)),
                service("never", Some("none"), None),
                service("many", Some("any"), Some(10)),
            ]),
            ..Swarm::default()
        }));
        let o = eval("5.15", &f);
        assert_eq!(o.status, Status::Fail, "{}", o.summary);
        assert_eq!(target_names(&o), ["default", "many"]);
        f.swarm = Fact::Ok(Some(Swarm {
            is_manager: true,
            services: Fact::unavailable("GET /services", "denied"),
            ..Swarm::default()
        }));
        assert_eq!(eval("5.15", &f).status, Status::Error);
        f.containers = Fact::Ok(vec![container("web")]);
        assert_eq!(eval("5.15", &f).status, Status::Error, "a missing fact must not pass");
    }

    #[test]
    fn check_5_18_and_5_19_list_overrides() {
        let mut gpu = container("gpu");
        gpu.host_config.device_requests = vec!["nvidia:gpu".into()];
        let mut dev = container("dev");
        dev.host_config.devices = vec![Device {
            path_on_host: "/dev/fuse".into(),
            path_in_container: "/dev/fuse".into(),
            cgroup_permissions: "rwm".into(),
        }];
        dev.host_config.device_cgroup_rules = vec!["c 10:229 rwm".into()];
        let o = eval("5.18", &host_with(vec![gpu, dev, container("plain")]));
        assert_eq!(o.status, Status::Manual);
        assert_eq!(target_names(&o), ["gpu", "dev"]);
        assert!(o.findings[1].observed.contains("c 10:229 rwm"));
        let mut limited = container("limited");
        limited.host_config.ulimits = vec![Ulimit {
            name: "nofile".into(),
            soft: 1024,
            hard: 2048,
        }];
        let o = eval("5.19", &host_with(vec![limited, container("plain")]));
        assert_eq!(target_names(&o), ["limited"]);
        assert_eq!(o.findings[0].observed, "nofile=1024:2048");
    }

    #[test]
    fn check_5_26_no_new_privileges() {
        let opt = |v: &str| {
            let mut c = container(v);
            c.host_config.security_opt = vec![v.to_string()];
            c
        };
        // Daemon unset (known): only a true container option passes.
        for (o, want) in [
            ("no-new-privileges", Status::Pass),
            ("no-new-privileges:true", Status::Pass),
            ("no-new-privileges=true", Status::Pass),
            ("no-new-privileges:false", Status::Fail),
            ("no-new-privileges=false", Status::Fail),
            ("seccomp=unconfined", Status::Fail),
        ] {
            assert_eq!(status("5.26", opt(o)), want, "{o}");
        }
        // Daemon-wide setting covers containers without their own option, but an explicit false wins.
        let f = with_daemon_args(vec![container("plain")], &["dockerd", "--no-new-privileges"]);
        assert_eq!(eval("5.26", &f).status, Status::Pass);
        let f = with_daemon_args(
            vec![container("plain"), opt("no-new-privileges=false")],
            &["dockerd", "--no-new-privileges"],
        );
        let o = eval("5.26", &f);
        assert_eq!(o.status, Status::Fail);
        assert_eq!(target_names(&o), ["no-new-privileges=false"]);
        let mut f = host_with(vec![container("plain")]);
        if let Some(host) = f.host.as_mut() {
            host.daemon_json = Fact::Ok(Some(DaemonJson {
                path: "/etc/docker/daemon.json".into(),
                content: serde_json::json!({"no-new-privileges": true}),
            }));
        }
        assert_eq!(eval("5.26", &f).status, Status::Pass);
    }

    #[test]
    fn check_5_26_unknown_daemon_setting() {
        let mut f = host_with(vec![container("plain"), {
            let mut c = container("explicit");
            c.host_config.security_opt = vec!["no-new-privileges".into()];
            c
        }]);
        f.host = Some(HostFacts {
            dockerd: Fact::unavailable("/proc", "denied"),
            ..HostFacts::default()
        });
        let o = eval("5.26", &f);
        assert_eq!(o.status, Status::Error, "{}", o.summary);
        assert!(o.summary.contains("\"plain\""), "{}", o.summary);
        if let Fact::Ok(cs) = &mut f.containers {
            cs.push({
                let mut c = container("off");
                c.host_config.security_opt = vec!["no-new-privileges=false".into()];
                c
            });
        }
        let o = eval("5.26", &f);
        assert_eq!(o.status, Status::Fail);
        assert_eq!(target_names(&o), ["off"]);
    }

    #[test]
    fn check_5_28_lists_every_container() {
        let o = eval("5.28", &host_with(vec![container("a"), container("b")]));
        assert_eq!(o.status, Status::Manual);
        assert_eq!(o.findings.len(), 2);
        assert!(o.findings[0].observed.starts_with("busybox:latest"));
    }

    #[test]
    fn check_5_30_default_bridge() {
        let on_bridge = container("on-bridge");
        let mut own_net = container("own-net");
        own_net.host_config.network_mode = "mynet".into();
        own_net.networks = [("mynet".to_string(), "mynet-id".to_string())].into_iter().collect();
        let mut by_id = container("by-id");
        by_id.networks = [("renamed".to_string(), "bridge-id".to_string())].into_iter().collect();
        let mut mode_only = container("mode-only");
        mode_only.networks.clear();
        let mut none = container("none");
        none.networks.clear();
        none.host_config.network_mode = "none".into();
        let o = eval("5.30", &host_with(vec![on_bridge, own_net, by_id, mode_only, none]));
        assert_eq!(o.status, Status::Fail);
        assert_eq!(target_names(&o), ["on-bridge", "by-id", "mode-only"]);
        let mut own_net = container("own-net");
        own_net.networks = [("mynet".to_string(), "mynet-id".to_string())].into_iter().collect();
        assert_eq!(status("5.30", own_net), Status::Pass);
    }

    #[test]
    fn check_5_32_docker_socket() {
        let cases: &[(&str, bool)] = &[
            ("/var/run/docker.sock", true),
            ("/run/docker.sock", true),
            ("/var/run", true),
            ("/run/", true),
            ("/", true),
            ("/srv/other/docker.sock", true),
            ("/var/run/custom.sock", true),
            ("/var/lib/app", false),
            ("/run/user/1000", false),
        ];
        for (source, fails) in cases {
            let mut c = container("web");
            c.mounts = vec![bind(source, "/x", false)];
            let f = with_daemon_args(
                vec![c],
                &["dockerd", "-H", "unix:///var/run/custom.sock", "-H", "fd://"],
            );
            let want = if *fails { Status::Fail } else { Status::Pass };
            assert_eq!(eval("5.32", &f).status, want, "{source}");
        }
        // Without host facts the default socket paths still apply.
        let mut c = container("web");
        c.mounts = vec![bind("/var/run", "/var/run", true)];
        let mut f = host_with(vec![c]);
        f.host = None;
        assert_eq!(eval("5.32", &f).status, Status::Fail);
    }
}
