//! Section 7 of CIS Docker Benchmark v1.6.0: Docker swarm configuration.

use super::{Assessment, CheckMeta, Evaluation, Severity};

/// 7.1: Ensure that the minimum number of manager nodes have been created in a swarm.
pub static MANAGER_COUNT: CheckMeta = CheckMeta {
    id: "7.1",
    section: "7",
    subsection: None,
    title: "Ensure that the minimum number of manager nodes have been created in a swarm",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "Managers hold the complete cluster state, the Raft log with its secrets and the certificate authority, so every extra manager is another high-value target. Too few managers lose quorum; a small odd number keeps fault tolerance without needless exposure.",
    audit: "Not applicable when swarm is inactive, and on worker nodes, which lack the manager data. On a manager, dockaudit reads `Swarm.Managers` from `GET /info` and passes when the count is odd and at most 7.",
    remediation: "Demote surplus managers with `docker node demote <node>`, or promote workers with `docker node promote <node>`, to reach 3 or 5 managers.",
    impact: "Fewer managers tolerate fewer simultaneous manager failures (3 managers survive one loss, 5 survive two).",
    notes: "docker-bench-security counts \"Leader\" lines in `docker node ls`, which is always 1 on a manager (always passes) and 0 on a worker (warns), and it passes this check on hosts without swarm, inflating the score. dockaudit reports not applicable instead.",
};

/// 7.2: Ensure that swarm services are bound to a specific host interface.
pub static SERVICE_PORT_BINDING: CheckMeta = CheckMeta {
    id: "7.2",
    section: "7",
    subsection: None,
    title: "Ensure that swarm services are bound to a specific host interface",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "By default the swarm management port (2377/tcp) and the gossip port (7946) listen on all interfaces, exposing cluster control to every network the host is attached to.",
    audit: "Not applicable when swarm is inactive. Otherwise dockaudit reads the host's listening sockets (`/proc/net/tcp` and `/proc/net/tcp6` of the host network namespace) and fails when port 2377 or 7946 listens on a wildcard address (`0.0.0.0` or `::`).",
    remediation: "Initialise or join the swarm with explicit addresses, e.g. `docker swarm init --listen-addr 10.0.0.5:2377 --advertise-addr 10.0.0.5`; an existing node has to leave and rejoin with `--listen-addr`.",
    impact: "Changing the listen address means leaving and rejoining the swarm, which disrupts the services scheduled on that node.",
    notes: "docker-bench-security checks only port 2377; aqua looks only for the string `0.0.0.0`, missing IPv6 wildcards. Both pass on hosts without swarm, where dockaudit reports not applicable.",
};

/// 7.3: Ensure that all Docker swarm overlay networks are encrypted.
pub static ENCRYPTED_OVERLAYS: CheckMeta = CheckMeta {
    id: "7.3",
    section: "7",
    subsection: None,
    title: "Ensure that all Docker swarm overlay networks are encrypted",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "Overlay traffic between nodes travels as VXLAN, unencrypted by default, so anyone on the network path between hosts can read or inject container traffic.",
    audit: "Not applicable when swarm is inactive. Otherwise dockaudit lists networks with `GET /networks` and fails for each network with driver `overlay` whose `Options` lack the `encrypted` key, including the default `ingress` network.",
    remediation: "Create overlay networks with encryption, e.g. `docker network create -d overlay --opt encrypted app-net`; to fix `ingress`, remove it and recreate it with `docker network create --ingress -d overlay --opt encrypted ingress`.",
    impact: "IPsec encryption costs CPU and some throughput, and encrypted overlays are not supported on Windows nodes.",
    notes: "dockaudit deliberately does not exempt `ingress`: traffic to published service ports crosses it in clear text unless it is recreated.",
};

/// 7.4: Ensure that Docker's secret management commands are used for managing secrets in a swarm cluster.
pub static SWARM_SECRETS: CheckMeta = CheckMeta {
    id: "7.4",
    section: "7",
    subsection: None,
    title: "Ensure that Docker's secret management commands are used for managing secrets in a swarm cluster",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Medium,
    rationale: "Secrets passed as environment variables or baked into images show up in inspect output, logs and image layers. Swarm secrets are encrypted in the Raft log, sent only over mutual TLS and mounted in memory only into the tasks that need them.",
    audit: "A person decides. On a manager, dockaudit reports the number and names of swarm secrets from `GET /secrets` (never their data); not applicable without swarm.",
    remediation: "Create secrets with `printf '%s' \"$DB_PASSWORD\" | docker secret create db_password -` and grant them with `docker service create --secret db_password <image>`; the service reads `/run/secrets/db_password`.",
    impact: "Applications must read secrets from files instead of environment variables.",
    notes: "docker-bench-security passes as soon as one secret exists, which says nothing about how other secrets are handled.",
};

/// 7.5: Ensure that swarm manager is run in auto-lock mode.
pub static MANAGER_AUTOLOCK: CheckMeta = CheckMeta {
    id: "7.5",
    section: "7",
    subsection: None,
    title: "Ensure that swarm manager is run in auto-lock mode",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "Managers keep the key that encrypts the Raft log, and their TLS keys, on disk. Without auto-lock, anyone who gets hold of the disk or a backup can decrypt the cluster state, secrets included; with auto-lock a restarted manager needs an unlock key held outside the host.",
    audit: "Not applicable when swarm is inactive or on a worker. On a manager, dockaudit reads `Spec.EncryptionConfig.AutoLockManagers` from `GET /swarm` and passes when it is true.",
    remediation: "Enable it with `docker swarm update --autolock=true` and store the printed unlock key in a secure place outside the cluster.",
    impact: "A restarted manager stays locked until someone runs `docker swarm unlock` with the key; losing the key means rebuilding that manager.",
    notes: "docker-bench-security calls `docker swarm unlock-key`, which retrieves the key itself; aqua's expected output never appears, so it always passes. dockaudit reads only the setting, never the key.",
};

/// 7.6: Ensure that the swarm manager auto-lock key is rotated periodically.
pub static AUTOLOCK_KEY_ROTATION: CheckMeta = CheckMeta {
    id: "7.6",
    section: "7",
    subsection: None,
    title: "Ensure that the swarm manager auto-lock key is rotated periodically",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Low,
    rationale: "A long-lived unlock key that leaks lets an attacker decrypt any copy of manager state taken while it was valid. Regular rotation limits that window.",
    audit: "A person decides against the rotation records; the Engine API exposes no key age. dockaudit reports whether auto-lock is enabled (`Spec.EncryptionConfig.AutoLockManagers` from `GET /swarm`) and never reads the key.",
    remediation: "Rotate the key on a schedule with `docker swarm unlock-key --rotate` and store the new key in the secrets manager.",
    impact: "Stored keys must be updated on every rotation; keep the previous key for a while in case a manager has not yet received the new one.",
    notes: "",
};

/// 7.7: Ensure that node certificates are rotated as appropriate.
pub static NODE_CERT_ROTATION: CheckMeta = CheckMeta {
    id: "7.7",
    section: "7",
    subsection: None,
    title: "Ensure that node certificates are rotated as appropriate",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Low,
    rationale: "Node TLS certificates authenticate nodes to the cluster, and a long validity period extends how long a stolen certificate stays useful.",
    audit: "A person decides against the organisation's policy. On a manager, dockaudit reports the configured validity `Swarm.Cluster.Spec.CAConfig.NodeCertExpiry` from `GET /info` (the default is 90 days).",
    remediation: "Set a shorter validity, e.g. `docker swarm update --cert-expiry 720h`; nodes renew automatically before expiry.",
    impact: "Renewals happen more often, and a node offline for longer than the validity period must rejoin the swarm.",
    notes: "docker-bench-security passes only when the expiry is exactly two days, which is neither the default nor what CIS asks for.",
};

/// 7.8: Ensure that CA certificates are rotated as appropriate.
pub static CA_CERT_ROTATION: CheckMeta = CheckMeta {
    id: "7.8",
    section: "7",
    subsection: None,
    title: "Ensure that CA certificates are rotated as appropriate",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Low,
    rationale: "The swarm root CA signs every node certificate. If its key is exposed, an attacker can mint certificates for rogue nodes that the cluster trusts until the CA is rotated.",
    audit: "A person decides against the organisation's policy. dockaudit reports the path of the swarm root CA certificate (`swarm/certificates/swarm-root-ca.crt` under the Docker root dir) and the commands to read its dates and rotate it (`docker swarm ca --rotate`).",
    remediation: "Rotate the root CA with `docker swarm ca --rotate`, optionally supplying an external CA with `--ca-cert` and `--ca-key`.",
    impact: "Rotation reissues every node certificate, which takes time on large clusters; nodes offline during the rotation may have to rejoin.",
    notes: "",
};

/// 7.9: Ensure that management plane traffic is separated from data plane traffic.
pub static PLANE_SEPARATION: CheckMeta = CheckMeta {
    id: "7.9",
    section: "7",
    subsection: None,
    title: "Ensure that management plane traffic is separated from data plane traffic",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Low,
    rationale: "When cluster control traffic and application overlay traffic share one interface, a noisy or compromised workload can saturate or observe the management path.",
    audit: "A person decides against the intended network layout. dockaudit reports the node's management address (`Swarm.NodeAddr` from `GET /info`) and the data-path address configured for the swarm, where the API exposes it.",
    remediation: "Initialise or join with separate addresses, e.g. `docker swarm init --advertise-addr 10.0.0.5 --data-path-addr 192.168.50.5` (or `docker swarm join ... --data-path-addr <ip>`).",
    impact: "Needs a second network interface or VLAN per node, and existing nodes must leave and rejoin.",
    notes: "",
};

/// This section's recommendations in benchmark order.
pub(super) static CHECKS: [&CheckMeta; 9] = [
    &MANAGER_COUNT,
    &SERVICE_PORT_BINDING,
    &ENCRYPTED_OVERLAYS,
    &SWARM_SECRETS,
    &MANAGER_AUTOLOCK,
    &AUTOLOCK_KEY_ROTATION,
    &NODE_CERT_ROTATION,
    &CA_CERT_ROTATION,
    &PLANE_SEPARATION,
];
