//! Section 5: network.

use std::collections::BTreeSet;

use dockaudit_shared::report::{Target, TargetKind};

use crate::checks::context::container_target;
use crate::checks::outcome::finding;
use crate::checks::{Ctx, Outcome};
use crate::snapshot::{Container, PortBinding};

use super::*;

/// Published bindings: the configured ones (known for stopped containers) plus the actual ones of
/// running containers. An actual entry without a host port is an exposed, unpublished port.
pub(super) fn published(c: &Container) -> Vec<&PortBinding> {
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
pub(super) fn describe_binding(b: &PortBinding) -> String {
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

pub(super) fn describe_bindings(bindings: &[&PortBinding]) -> String {
    bindings
        .iter()
        .map(|b| describe_binding(b))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lowest host port of a binding (`8000-8010` → 8000); `None` for an ephemeral port (empty or 0).
pub(super) fn host_port(b: &PortBinding) -> Option<u32> {
    let first = b.host_port.trim().split('-').next().unwrap_or_default();
    first.trim().parse::<u32>().ok().filter(|p| *p != 0)
}

pub(super) fn is_wildcard_ip(ip: &str) -> bool {
    matches!(ip.trim(), "" | "0.0.0.0" | "::" | "[::]" | "*")
}

/// A container's lifecycle state for evidence.
pub(super) fn state_of(c: &Container) -> &str {
    if c.is_running() {
        "running"
    } else if c.state.status.is_empty() {
        "stopped"
    } else {
        &c.state.status
    }
}

/// Evaluates [`cat::SWARM_MODE`] (5.1); the catalogue entry describes the audit.
pub(super) fn swarm_mode(ctx: &Ctx) -> Outcome {
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

/// Evaluates [`cat::PRIVILEGED_PORTS`] (5.8); the catalogue entry describes the audit.
pub(super) fn privileged_ports(ctx: &Ctx) -> Outcome {
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

/// Evaluates [`cat::PUBLISHED_PORTS`] (5.9); the catalogue entry describes the audit.
pub(super) fn published_ports(ctx: &Ctx) -> Outcome {
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

/// Evaluates [`cat::HOST_INTERFACE_BINDING`] (5.14); the catalogue entry describes the audit.
pub(super) fn host_interface_binding(ctx: &Ctx) -> Outcome {
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

/// Evaluates [`cat::DEFAULT_BRIDGE`] (5.30); the catalogue entry describes the audit.
pub(super) fn default_bridge(ctx: &Ctx) -> Outcome {
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
