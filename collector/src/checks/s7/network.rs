//! Section 7: network.

use std::net::IpAddr;

use dockaudit_shared::report::{Target, TargetKind};

use crate::checks::outcome::finding;
use crate::checks::{Ctx, Outcome};
use crate::snapshot::ListenSocket;

use crate::checks::file_checks::or_return;

use super::*;

/// Whether a listening address accepts connections on every interface.
pub(super) fn is_wildcard(addr: &str) -> bool {
    let a = addr.trim().trim_start_matches('[').trim_end_matches(']');
    a == "*" || a.parse::<IpAddr>().is_ok_and(|ip| ip.is_unspecified())
}

/// Evaluates [`cat::SERVICE_PORT_BINDING`] (7.2); the catalogue entry describes the audit.
pub(super) fn service_port_binding(ctx: &Ctx) -> Outcome {
    if let Err(o) = swarm(ctx) {
        return o;
    }
    let host = or_return!(ctx.host());
    let listening = match host.listening.get() {
        Ok(l) => l,
        Err(u) => return Outcome::unavailable("the host's listening sockets", u),
    };
    let swarm_sockets: Vec<&ListenSocket> = listening.iter().filter(|l| l.port == 2377 || l.port == 7946).collect();
    if swarm_sockets.is_empty() {
        return Outcome::error(
            "Swarm mode is active but neither port 2377 nor 7946 is listening in the socket table read, which is \
             probably not the host's network namespace.",
        );
    }
    let describe = |l: &ListenSocket| {
        if l.addr.contains(':') {
            format!("[{}]:{} ({})", l.addr, l.port, l.proto)
        } else {
            format!("{}:{} ({})", l.addr, l.port, l.proto)
        }
    };
    let findings: Vec<_> =
        swarm_sockets
            .iter()
            .filter(|l| is_wildcard(&l.addr))
            .map(|l| {
                finding(
                Target::new(TargetKind::Host, format!("{}:{}", l.proto, l.port), format!("port {}", l.port)),
                format!("Swarm port {} listens on every interface", l.port),
                describe(l),
                "a specific interface address",
                "Re-join or re-initialise the swarm with `--listen-addr <ip>:2377 --advertise-addr <ip>` bound to the \
                 management interface",
            )
            })
            .collect();
    if findings.is_empty() {
        let shown: Vec<String> = swarm_sockets.iter().map(|l| describe(l)).collect();
        Outcome::pass(format!(
            "Swarm ports listen on specific addresses only: {}.",
            shown.join(", ")
        ))
    } else {
        Outcome::fail(
            format!("{} swarm port listeners are bound to every interface.", findings.len()),
            findings,
        )
    }
}

/// Evaluates [`cat::ENCRYPTED_OVERLAYS`] (7.3); the catalogue entry describes the audit.
pub(super) fn encrypted_overlays(ctx: &Ctx) -> Outcome {
    let s = or_return!(swarm(ctx));
    let networks = match ctx.facts.networks.get() {
        Ok(n) => n,
        Err(u) => return Outcome::unavailable("the network list", u),
    };
    let scope = if s.is_manager {
        ""
    } else {
        " (a worker sees only the overlay networks its tasks use)"
    };
    let overlays: Vec<_> = networks.iter().filter(|n| n.driver == "overlay").collect();
    if overlays.is_empty() {
        return Outcome::not_applicable(format!("No overlay networks exist on this node{scope}."));
    }
    let findings: Vec<_> = overlays
        .iter()
        .filter(|n| !n.options.contains_key("encrypted"))
        .map(|n| {
            let ingress = n.ingress || n.name == "ingress";
            let (message, remediation) = if ingress {
                (
                    "The ingress network is not encrypted; published service ports cross it in clear text".to_string(),
                    "Remove the services that publish ports, then `docker network rm ingress` and `docker network create \
                     --driver overlay --ingress --opt encrypted ingress`, and re-create the services"
                        .to_string(),
                )
            } else {
                (
                    format!("Overlay network \"{}\" is not encrypted", n.name),
                    format!(
                        "Create an encrypted network (`docker network create --driver overlay --opt encrypted <name>`) \
                         and move the services of \"{}\" to it",
                        n.name
                    ),
                )
            };
            finding(
                Target::new(TargetKind::Network, n.id.clone(), n.name.clone()),
                message,
                "Options has no \"encrypted\" key",
                "--opt encrypted",
                remediation,
            )
        })
        .collect();
    if findings.is_empty() {
        Outcome::pass(format!("All {} overlay networks are encrypted{scope}.", overlays.len()))
    } else {
        Outcome::fail(
            format!(
                "{} of {} overlay networks are not encrypted (ingress included){scope}.",
                findings.len(),
                overlays.len()
            ),
            findings,
        )
    }
}

/// Evaluates [`cat::PLANE_SEPARATION`] (7.9); the catalogue entry describes the audit.
pub(super) fn plane_separation(ctx: &Ctx) -> Outcome {
    let s = or_return!(swarm(ctx));
    let info = match ctx.facts.info.get() {
        Ok(i) => i,
        Err(u) => return Outcome::unavailable("the daemon info", u),
    };
    let node_addr = info
        .swarm
        .node_addr
        .clone()
        .unwrap_or_else(|| "not reported".to_string());
    let data_port = s
        .data_path_port
        .map_or_else(|| "not reported (default 4789)".to_string(), |p| p.to_string());
    let mut findings = vec![finding(
        swarm_target(ctx),
        "This node's swarm addresses",
        format!("management address {node_addr}; data path port {data_port}"),
        "management and data traffic on separate interfaces",
        "Join or initialise with `--advertise-addr <management-ip> --data-path-addr <data-ip>`",
    )];
    if let Some(nodes) = s.nodes.ok() {
        findings.extend(nodes.iter().map(|n| {
            let manager_addr = n
                .manager_addr
                .as_deref()
                .map(|a| format!("; manager address {a}"))
                .unwrap_or_default();
            finding(
                Target::new(TargetKind::Swarm, n.id.clone(), n.hostname.clone()),
                format!("Node \"{}\" ({})", n.hostname, n.role),
                format!("address {}{manager_addr}", n.addr),
                "management and data traffic on separate interfaces",
                "Re-join the node with `--advertise-addr` and `--data-path-addr` on different interfaces",
            )
        }));
    }
    Outcome::manual(
        "Confirm that management traffic (2377, 7946) and container data traffic use separate interfaces; the API \
         does not report the data-path address.",
        findings,
    )
}
