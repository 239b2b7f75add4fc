//! Unit tests of this section's checks: pass and fail cases from hand-built facts.

use super::super::testing::{empty_host, eval, unavailable_facts};
use super::network::*;
use crate::snapshot::*;
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
