//! Section 7: swarm configuration.
//!
//! Every check here is `not_applicable` when swarm mode is inactive: docker-bench-security passes
//! them instead, which inflates the score of hosts that never use swarm. Most swarm facts can only
//! be read on a manager; on a worker the checks that need them are `not_applicable` with that
//! reason, while those answerable from the node itself (listening ports, visible networks,
//! addresses) still run.

use std::net::IpAddr;

use dockaudit_shared::report::{Target, TargetKind};

use super::outcome::finding;
use super::{Ctx, Outcome};
use crate::snapshot::{ListenSocket, Swarm};

pub(super) const EVALUATORS: &[(&str, super::Eval)] = &[
    ("7.1", check_7_1),
    ("7.2", check_7_2),
    ("7.3", check_7_3),
    ("7.4", check_7_4),
    ("7.5", check_7_5),
    ("7.6", check_7_6),
    ("7.7", check_7_7),
    ("7.8", check_7_8),
    ("7.9", check_7_9),
];

/// The swarm facts, or `not_applicable` (swarm inactive) / `error` (state unreadable).
fn swarm<'a>(ctx: &Ctx<'a>) -> Result<&'a Swarm, Outcome> {
    match ctx.facts.swarm.get() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(Outcome::not_applicable("Swarm mode is not active on this node.")),
        Err(u) => Err(Outcome::unavailable("the swarm state", u)),
    }
}

/// The swarm facts of a manager; on a worker, `not_applicable` saying what only a manager can read.
fn manager<'a>(ctx: &Ctx<'a>, what: &str) -> Result<&'a Swarm, Outcome> {
    let s = swarm(ctx)?;
    if s.is_manager {
        Ok(s)
    } else {
        Err(Outcome::not_applicable(format!(
            "This node is a swarm worker; {what} can only be read on a manager, so run dockaudit on a manager node."
        )))
    }
}

/// The report target for the swarm as seen from this node.
fn swarm_target(ctx: &Ctx) -> Target {
    let node = ctx
        .facts
        .info
        .ok()
        .and_then(|i| i.swarm.node_id.clone())
        .unwrap_or_else(|| "swarm".to_string());
    Target::new(TargetKind::Swarm, node, "swarm")
}

/// 7.1: pass when the swarm has an odd number of managers, at most 7 (Raft needs a majority; an
/// even count adds no fault tolerance and more than 7 slows consensus). The count comes from the
/// node list (role `manager`), else `Swarm.Managers` of `/info`. Workers cannot see it:
/// `not_applicable`. docker-bench-security counts "Leader" lines, which is always 1 on a manager.
fn check_7_1(ctx: &Ctx) -> Outcome {
    let s = match manager(ctx, "the manager count") {
        Ok(s) => s,
        Err(o) => return o,
    };
    let from_nodes = s.nodes.ok().map(|nodes| {
        let managers: Vec<&str> = nodes
            .iter()
            .filter(|n| n.role == "manager")
            .map(|n| n.hostname.as_str())
            .collect();
        (managers.len() as i64, managers.join(", "))
    });
    let (count, names) = match from_nodes {
        Some((n, names)) if n > 0 => (n, names),
        _ => match ctx.facts.info.ok().and_then(|i| i.swarm.managers) {
            Some(n) => (n, String::new()),
            None => {
                return match s.nodes.get() {
                    Err(u) => Outcome::unavailable("the swarm node list", u),
                    Ok(_) => Outcome::error("Neither the node list nor /info reports the swarm's managers."),
                }
            }
        },
    };
    let observed = if names.is_empty() {
        format!("{count} managers")
    } else {
        format!("{count} managers: {names}")
    };
    if count % 2 == 1 && count <= 7 {
        return Outcome::pass(format!("The swarm has {count} managers (odd, at most 7)."));
    }
    let remediation = if count > 7 {
        "Demote managers until at most 7 remain, keeping the count odd (`docker node demote <node>`)"
    } else {
        "Promote or demote one node so the manager count is odd (`docker node promote|demote <node>`)"
    };
    Outcome::fail(
        format!("The swarm has {count} managers; use an odd number, at most 7."),
        vec![finding(
            swarm_target(ctx),
            "Unsuitable number of swarm managers",
            observed,
            "an odd number of managers, at most 7",
            remediation,
        )],
    )
}

/// Whether a listening address accepts connections on every interface.
fn is_wildcard(addr: &str) -> bool {
    let a = addr.trim().trim_start_matches('[').trim_end_matches(']');
    a == "*" || a.parse::<IpAddr>().is_ok_and(|ip| ip.is_unspecified())
}

/// 7.2: fail when the swarm ports 2377 (cluster management, managers) or 7946 (node
/// communication) listen on a wildcard address (`0.0.0.0`, `::`), read from the host's
/// `/proc/net/tcp{,6}`. Needs host facts. If neither port is listening although swarm is active,
/// the socket table is probably not the host's network namespace: `error`, never a pass.
/// docker-bench-security checks only 2377; aqua misses IPv6 wildcards.
fn check_7_2(ctx: &Ctx) -> Outcome {
    if let Err(o) = swarm(ctx) {
        return o;
    }
    let host = match ctx.host() {
        Ok(h) => h,
        Err(o) => return o,
    };
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

/// 7.3: fail every overlay network without the `encrypted` option (Docker enables encryption when
/// the key is present, whatever its value). The `ingress` network is included on purpose: published
/// service ports cross it in clear text unless it is re-created encrypted. A worker sees only the
/// overlay networks its tasks use, which the summary says.
fn check_7_3(ctx: &Ctx) -> Outcome {
    let s = match swarm(ctx) {
        Ok(s) => s,
        Err(o) => return o,
    };
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

/// 7.4 (review): the names (never the data) of the swarm's secrets, read on a manager. Whether
/// services get their sensitive data through them is for a person to confirm; docker-bench-security
/// passes as soon as one secret exists.
fn check_7_4(ctx: &Ctx) -> Outcome {
    let s = match manager(ctx, "the secret list") {
        Ok(s) => s,
        Err(o) => return o,
    };
    let secrets = match s.secrets.get() {
        Ok(list) => list,
        Err(u) => return Outcome::unavailable("the swarm secret list", u),
    };
    let services = s
        .services
        .ok()
        .map(|v| format!(" and {} services", v.len()))
        .unwrap_or_default();
    let findings = secrets
        .iter()
        .map(|name| {
            finding(
                Target::new(TargetKind::Swarm, format!("secret:{name}"), name.clone()),
                format!("Swarm secret \"{name}\""),
                "secret (data not read)",
                "sensitive data handed to services as swarm secrets",
                "Confirm the services that need it mount it with `--secret`",
            )
        })
        .collect();
    Outcome::manual(
        format!(
            "The swarm has {} secrets{services}; confirm that services receive passwords, keys and certificates as \
             secrets rather than environment variables or image files.",
            secrets.len()
        ),
        findings,
    )
}

/// 7.5: on a manager, pass when `Spec.EncryptionConfig.AutoLockManagers` is true. The setting is
/// read, never the unlock key (docker-bench-security fetches the key itself).
fn check_7_5(ctx: &Ctx) -> Outcome {
    let s = match manager(ctx, "the auto-lock setting") {
        Ok(s) => s,
        Err(o) => return o,
    };
    match s.autolock_managers.get() {
        Err(u) => Outcome::unavailable("the swarm specification", u),
        Ok(None) => Outcome::error("GET /swarm did not report Spec.EncryptionConfig.AutoLockManagers."),
        Ok(Some(true)) => Outcome::pass("Swarm managers are auto-locked."),
        Ok(Some(false)) => Outcome::fail(
            "Swarm managers are not auto-locked.",
            vec![finding(
                swarm_target(ctx),
                "Auto-lock is disabled: the Raft encryption key is stored unprotected on each manager",
                "AutoLockManagers = false",
                "true",
                "Run `docker swarm update --autolock=true` and keep the unlock key in a password manager",
            )],
        ),
    }
}

/// 7.6 (review): the Engine API exposes no age for the unlock key, so rotation is for a person to
/// confirm. Not applicable when auto-lock is off (no key exists; 7.5 fails instead).
fn check_7_6(ctx: &Ctx) -> Outcome {
    let s = match manager(ctx, "the auto-lock setting") {
        Ok(s) => s,
        Err(o) => return o,
    };
    match s.autolock_managers.get() {
        Err(u) => Outcome::unavailable("the swarm specification", u),
        Ok(None) => Outcome::error("GET /swarm did not report Spec.EncryptionConfig.AutoLockManagers."),
        Ok(Some(false)) => {
            Outcome::not_applicable("Auto-lock is disabled (see 7.5), so there is no unlock key to rotate.")
        }
        Ok(Some(true)) => Outcome::manual(
            "Auto-lock is enabled; confirm the unlock key is rotated periodically (the API does not tell its age).",
            vec![finding(
                swarm_target(ctx),
                "Swarm unlock key in use",
                "AutoLockManagers = true",
                "the unlock key rotated as the key-management policy requires",
                "Rotate it with `docker swarm unlock-key --rotate` and store the new key safely",
            )],
        ),
    }
}

/// `2160h0m0s (90 days)` style rendering of nanoseconds.
fn describe_duration(ns: i64) -> String {
    let hours = ns / 3_600_000_000_000;
    let days = hours as f64 / 24.0;
    if hours % 24 == 0 {
        format!("{hours}h ({} days)", hours / 24)
    } else {
        format!("{hours}h ({days:.1} days)")
    }
}

/// 7.7 (review): the configured validity of node certificates (`Swarm.Cluster.Spec.CAConfig.NodeCertExpiry`,
/// manager only; default 90 days). docker-bench-security passes only an expiry of exactly two days.
fn check_7_7(ctx: &Ctx) -> Outcome {
    if let Err(o) = manager(ctx, "the certificate settings") {
        return o;
    }
    let info = match ctx.facts.info.get() {
        Ok(i) => i,
        Err(u) => return Outcome::unavailable("the daemon info", u),
    };
    let Some(ns) = info.swarm.node_cert_expiry_ns else {
        return Outcome::error("GET /info did not report Swarm.Cluster.Spec.CAConfig.NodeCertExpiry.");
    };
    Outcome::manual(
        format!(
            "Node certificates are valid for {}; confirm this matches the rotation policy.",
            describe_duration(ns)
        ),
        vec![finding(
            swarm_target(ctx),
            "Node certificate validity",
            format!("NodeCertExpiry = {}", describe_duration(ns)),
            "a validity that matches the certificate rotation policy",
            "Set it with `docker swarm update --cert-expiry <duration>`",
        )],
    )
}

/// 7.8 (review): dockaudit does not read certificate dates, so the reviewer gets the path of the
/// swarm root CA certificate and the commands to check and rotate it.
fn check_7_8(ctx: &Ctx) -> Outcome {
    if let Err(o) = swarm(ctx) {
        return o;
    }
    let root = ctx
        .facts
        .info
        .ok()
        .and_then(|i| i.docker_root_dir.clone())
        .unwrap_or_else(|| "/var/lib/docker".to_string());
    let path = format!("{}/swarm/certificates/swarm-root-ca.crt", root.trim_end_matches('/'));
    Outcome::manual(
        "dockaudit does not read certificate dates: check when the swarm root CA certificate was issued and \
         rotate it as the policy requires.",
        vec![finding(
            Target::new(TargetKind::File, path.clone(), path.clone()),
            "Swarm root CA certificate (dates not read)",
            "not inspected",
            "a root CA rotated as the policy requires",
            format!("Check it with `openssl x509 -noout -dates -in {path}` and rotate with `docker swarm ca --rotate`"),
        )],
    )
}

/// 7.9 (review): the node's management address, the swarm's data-path port and, on a manager, each
/// node's addresses, so a person can confirm management and data traffic use separate interfaces.
/// The API does not report the data-path address itself.
fn check_7_9(ctx: &Ctx) -> Outcome {
    let s = match swarm(ctx) {
        Ok(s) => s,
        Err(o) => return o,
    };
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

#[cfg(test)]
mod tests {
    use super::super::testing::{empty_host, eval, unavailable_facts};
    use super::*;
    use crate::snapshot::{Fact, Facts, Network, SwarmNode};
    use dockaudit_shared::report::Status;

    const ALL: &[&str] = &["7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "7.7", "7.8", "7.9"];

    fn node(name: &str, role: &str) -> SwarmNode {
        SwarmNode {
            id: format!("{name}-id"),
            hostname: name.into(),
            role: role.into(),
            ..SwarmNode::default()
        }
    }

    fn manager_host(managers: usize) -> Facts {
        let mut f = empty_host();
        let mut nodes: Vec<SwarmNode> = (0..managers).map(|i| node(&format!("m{i}"), "manager")).collect();
        nodes.push(node("w0", "worker"));
        f.swarm = Fact::Ok(Some(Swarm {
            is_manager: true,
            nodes: Fact::Ok(nodes),
            autolock_managers: Fact::Ok(Some(false)),
            services: Fact::Ok(vec![]),
            secrets: Fact::Ok(vec!["db_password".into()]),
            data_path_port: None,
        }));
        if let Fact::Ok(info) = &mut f.info {
            info.swarm.local_node_state = Some("active".into());
            info.swarm.node_addr = Some("10.0.0.1".into());
            info.swarm.node_cert_expiry_ns = Some(7_776_000_000_000_000);
        }
        f
    }

    fn worker_host() -> Facts {
        let mut f = manager_host(1);
        f.swarm = Fact::Ok(Some(Swarm {
            is_manager: false,
            nodes: Fact::unavailable("GET /nodes", "not a manager"),
            autolock_managers: Fact::unavailable("GET /swarm", "not a manager"),
            services: Fact::unavailable("GET /services", "not a manager"),
            secrets: Fact::unavailable("GET /secrets", "not a manager"),
            data_path_port: None,
        }));
        f
    }

    fn listening(f: &mut Facts, sockets: &[(&str, u16)]) {
        if let Some(host) = f.host.as_mut() {
            host.listening = Fact::Ok(
                sockets
                    .iter()
                    .map(|(addr, port)| ListenSocket {
                        proto: if addr.contains(':') {
                            "tcp6".into()
                        } else {
                            "tcp".into()
                        },
                        addr: addr.to_string(),
                        port: *port,
                    })
                    .collect(),
            );
        }
    }

    #[test]
    fn inactive_swarm_is_not_applicable_everywhere() {
        for id in ALL {
            let o = eval(id, &empty_host());
            assert_eq!(o.status, Status::NotApplicable, "{id}");
            assert!(o.summary.contains("not active"), "{id}: {}", o.summary);
            assert_eq!(eval(id, &unavailable_facts()).status, Status::Error, "{id}");
        }
    }

    #[test]
    fn workers_cannot_judge_manager_facts() {
        let f = worker_host();
        for id in ["7.1", "7.4", "7.5", "7.6", "7.7"] {
            let o = eval(id, &f);
            assert_eq!(o.status, Status::NotApplicable, "{id}");
            assert!(o.summary.contains("worker"), "{id}: {}", o.summary);
        }
        assert_eq!(eval("7.9", &f).status, Status::Manual);
        assert_eq!(eval("7.8", &f).status, Status::Manual);
    }

    #[test]
    fn check_7_1_manager_count() {
        for (managers, want) in [
            (1, Status::Pass),
            (3, Status::Pass),
            (7, Status::Pass),
            (2, Status::Fail),
            (4, Status::Fail),
            (9, Status::Fail),
        ] {
            let o = eval("7.1", &manager_host(managers));
            assert_eq!(o.status, want, "{managers}: {}", o.summary);
        }
        let mut f = manager_host(3);
        if let Fact::Ok(Some(s)) = &mut f.swarm {
            s.nodes = Fact::unavailable("GET /nodes", "timeout");
        }
        assert_eq!(eval("7.1", &f).status, Status::Error);
        if let Fact::Ok(info) = &mut f.info {
            info.swarm.managers = Some(2);
        }
        assert_eq!(eval("7.1", &f).status, Status::Fail);
    }

    #[test]
    fn check_7_2_wildcards_on_both_ports() {
        let cases: &[(&[(&str, u16)], Status)] = &[
            (&[("0.0.0.0", 2377), ("10.0.0.1", 7946)], Status::Fail),
            (&[("10.0.0.1", 2377), ("::", 7946)], Status::Fail),
            (&[("10.0.0.1", 2377), ("10.0.0.1", 7946), ("0.0.0.0", 22)], Status::Pass),
            (&[("0.0.0.0", 22)], Status::Error),
        ];
        for (sockets, want) in cases {
            let mut f = manager_host(1);
            listening(&mut f, sockets);
            let o = eval("7.2", &f);
            assert_eq!(o.status, *want, "{sockets:?}: {}", o.summary);
        }
        let mut f = manager_host(1);
        f.host = None;
        assert_eq!(eval("7.2", &f).status, Status::NotApplicable);
    }

    #[test]
    fn check_7_3_overlay_networks_including_ingress() {
        let overlay = |name: &str, encrypted: bool| Network {
            id: format!("{name}-id"),
            name: name.into(),
            driver: "overlay".into(),
            ingress: name == "ingress",
            options: if encrypted {
                [("encrypted".to_string(), String::new())].into_iter().collect()
            } else {
                Default::default()
            },
            ..Network::default()
        };
        let mut f = manager_host(1);
        f.networks = Fact::Ok(vec![overlay("ingress", false), overlay("backend", true)]);
        let o = eval("7.3", &f);
        assert_eq!(o.status, Status::Fail);
        assert!(o.findings[0].message.contains("ingress"));
        assert!(o.summary.contains("ingress included"), "{}", o.summary);
        f.networks = Fact::Ok(vec![overlay("ingress", true), overlay("backend", true)]);
        assert_eq!(eval("7.3", &f).status, Status::Pass);
        f.networks = Fact::Ok(vec![]);
        assert_eq!(eval("7.3", &f).status, Status::NotApplicable);
    }

    #[test]
    fn check_7_5_autolock() {
        let mut f = manager_host(1);
        assert_eq!(eval("7.5", &f).status, Status::Fail);
        assert_eq!(eval("7.6", &f).status, Status::NotApplicable);
        if let Fact::Ok(Some(s)) = &mut f.swarm {
            s.autolock_managers = Fact::Ok(Some(true));
        }
        assert_eq!(eval("7.5", &f).status, Status::Pass);
        assert_eq!(eval("7.6", &f).status, Status::Manual);
        if let Fact::Ok(Some(s)) = &mut f.swarm {
            s.autolock_managers = Fact::Ok(None);
        }
        assert_eq!(eval("7.5", &f).status, Status::Error);
    }

    #[test]
    fn review_checks_report_swarm_facts() {
        let f = manager_host(3);
        let o = eval("7.4", &f);
        assert_eq!(o.status, Status::Manual);
        assert_eq!(o.findings[0].target.name, "db_password");
        let o = eval("7.7", &f);
        assert_eq!(o.status, Status::Manual);
        assert_eq!(o.findings[0].observed, "NodeCertExpiry = 2160h (90 days)");
        let o = eval("7.8", &f);
        assert!(o.findings[0]
            .target
            .id
            .starts_with("/var/lib/docker/swarm/certificates/"));
        let o = eval("7.9", &f);
        assert_eq!(o.findings.len(), 5);
        assert!(o.findings[0].observed.contains("10.0.0.1"));
    }

    #[test]
    fn wildcard_addresses() {
        for a in ["0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0", "*"] {
            assert!(is_wildcard(a), "{a}");
        }
        for a in ["127.0.0.1", "::1", "10.0.0.1", "fe80::1"] {
            assert!(!is_wildcard(a), "{a}");
        }
    }
}
