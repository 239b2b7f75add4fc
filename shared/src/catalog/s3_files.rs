//! Section 3 of the benchmark: ownership and permissions of Docker's configuration files, certificates and sockets.

use super::{Assessment, CheckMeta, Evaluation, Severity};

/// 3.1: Ensure that the docker.service file ownership is set to root:root.
pub static DOCKER_SERVICE_OWNER: CheckMeta = CheckMeta {
    id: "3.1",
    section: "3",
    subsection: None,
    title: "Ensure that the docker.service file ownership is set to root:root",
    level: 1,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "The docker.service unit decides how the root-owned daemon is started. If another account owns it, that account can change the daemon's flags, for example add a TCP listener, and gain root at the next restart.",
    audit: "Stats the docker.service unit file found in the systemd unit directories and passes iff its owner uid and gid are both 0. Not applicable when the host has no docker.service unit.",
    remediation: "Run `chown root:root` on the unit file shown by `systemctl show -p FragmentPath docker.service`, e.g. `chown root:root /usr/lib/systemd/system/docker.service`.",
    impact: "None expected.",
    notes: "docker-bench-security's unit lookup often misses the file (see 1.1.7), and aquasecurity/docker-bench fails on hosts without systemd. Drop-in files under docker.service.d/ are not covered by this check; review them too. Rootless (dockaudit's decision): the unit is the daemon user's user unit (~/.config/systemd/user/docker.service); it must be owned by root or by that user (nobody else may change it; the user controls the daemon anyway). Without a user unit: not_applicable with the reason.",
};

/// 3.2: Ensure that docker.service file permissions are set to 644 or more restrictively.
pub static DOCKER_SERVICE_MODE: CheckMeta = CheckMeta {
    id: "3.2",
    section: "3",
    subsection: None,
    title: "Ensure that docker.service file permissions are set to 644 or more restrictively",
    level: 1,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "A unit file writable by group or others lets non-root users change how the daemon starts and so escalate to root at the next restart.",
    audit: "Stats the docker.service unit file and passes iff its mode has no permission bit outside 0644 (mode & ~0644 == 0, special bits included). Not applicable when the host has no docker.service unit.",
    remediation: "Run `chmod 644` on the unit file, e.g. `chmod 644 /usr/lib/systemd/system/docker.service`.",
    impact: "None expected.",
    notes: "docker-bench-security compares the octal digits as a decimal number, so modes such as 606 pass there although they are world-writable. dockaudit compares permission bits. Rootless: the daemon user's user unit is judged with the same 0644 mask; without one, not_applicable with the reason.",
};

/// 3.3: Ensure that docker.socket file ownership is set to root:root.
pub static DOCKER_SOCKET_UNIT_OWNER: CheckMeta = CheckMeta {
    id: "3.3",
    section: "3",
    subsection: None,
    title: "Ensure that docker.socket file ownership is set to root:root",
    level: 1,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "The docker.socket unit defines the daemon's socket, including its owner, group and mode. Whoever owns the unit can widen access to the daemon, which is root-equivalent.",
    audit: "Stats the docker.socket unit file found in the systemd unit directories and passes iff its owner uid and gid are both 0. Not applicable when the host has no docker.socket unit.",
    remediation: "Run `chown root:root` on the unit file shown by `systemctl show -p FragmentPath docker.socket`, e.g. `chown root:root /usr/lib/systemd/system/docker.socket`.",
    impact: "None expected.",
    notes: "Rootless: the daemon user's docker.socket user unit, owned by root or that user; rootless setups normally have none, so not_applicable with the reason.",
};

/// 3.4: Ensure that docker.socket file permissions are set to 644 or more restrictively.
pub static DOCKER_SOCKET_UNIT_MODE: CheckMeta = CheckMeta {
    id: "3.4",
    section: "3",
    subsection: None,
    title: "Ensure that docker.socket file permissions are set to 644 or more restrictively",
    level: 1,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "A docker.socket unit writable by group or others lets non-root users change the socket's owner or mode and gain control of the daemon.",
    audit: "Stats the docker.socket unit file and passes iff its mode has no permission bit outside 0644. Not applicable when the host has no docker.socket unit.",
    remediation: "Run `chmod 644` on the unit file, e.g. `chmod 644 /usr/lib/systemd/system/docker.socket`.",
    impact: "None expected.",
    notes: "docker-bench-security compares modes as decimal numbers, so some group- or world-writable modes pass there. Rootless: the daemon user's docker.socket user unit with the same 0644 mask; normally absent, so not_applicable with the reason.",
};

/// 3.5: Ensure that the /etc/docker directory ownership is set to root:root.
pub static ETC_DOCKER_OWNER: CheckMeta = CheckMeta {
    id: "3.5",
    section: "3",
    subsection: None,
    title: "Ensure that the /etc/docker directory ownership is set to root:root",
    level: 1,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "/etc/docker holds the daemon configuration, TLS keys and registry certificates. An owner other than root could replace any of them and so change whom the daemon trusts.",
    audit: "Stats /etc/docker and passes iff its owner uid and gid are both 0. Not applicable when the directory does not exist.",
    remediation: "Run `chown root:root /etc/docker`.",
    impact: "None expected.",
    notes: "",
};

/// 3.6: Ensure that /etc/docker directory permissions are set to 755 or more restrictively.
pub static ETC_DOCKER_MODE: CheckMeta = CheckMeta {
    id: "3.6",
    section: "3",
    subsection: None,
    title: "Ensure that /etc/docker directory permissions are set to 755 or more restrictively",
    level: 1,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "If group or others can write to /etc/docker they can add, rename or replace configuration files, keys and certificates there, even ones they do not own.",
    audit: "Stats /etc/docker and passes iff its mode has no permission bit outside 0755. Not applicable when the directory does not exist.",
    remediation: "Run `chmod 755 /etc/docker`.",
    impact: "None expected.",
    notes: "docker-bench-security's decimal comparison lets modes such as 737 pass.",
};

/// 3.7: Ensure that registry certificate file ownership is set to root:root.
pub static REGISTRY_CERTS_OWNER: CheckMeta = CheckMeta {
    id: "3.7",
    section: "3",
    subsection: None,
    title: "Ensure that registry certificate file ownership is set to root:root",
    level: 1,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "Files under /etc/docker/certs.d decide which registries the daemon trusts and which client certificate it presents. A non-root owner could swap in a CA of their own and redirect image pulls to a malicious registry.",
    audit: "Stats every file in each /etc/docker/certs.d/<registry>/ directory and passes iff all are owned by uid 0 and gid 0; fails naming each other file. Not applicable when there are no such files.",
    remediation: "Run `chown root:root /etc/docker/certs.d/<registry-name>/*` for each registry directory.",
    impact: "None expected.",
    notes: "docker-bench-security only looks at *.crt files and only at the owning user; aquasecurity/docker-bench only stats the registry directories. dockaudit checks every file's user and group.",
};

/// 3.8: Ensure that registry certificate file permissions are set to 444 or more restrictively.
pub static REGISTRY_CERTS_MODE: CheckMeta = CheckMeta {
    id: "3.8",
    section: "3",
    subsection: None,
    title: "Ensure that registry certificate file permissions are set to 444 or more restrictively",
    level: 1,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "A writable registry certificate or key can be replaced without changing its owner, letting the daemon trust an attacker's registry or present a stolen identity.",
    audit: "Stats every file in each /etc/docker/certs.d/<registry>/ directory and passes iff no file has a permission bit outside 0444; fails naming each other file. Not applicable when there are no such files.",
    remediation: "Run `chmod 444 /etc/docker/certs.d/<registry-name>/*`, and consider 400 for client key files.",
    impact: "None expected; root can still replace the files when certificates are renewed.",
    notes: "docker-bench-security checks only *.crt files, with a decimal comparison; aquasecurity/docker-bench applies the mask to the registry directories (normally 0755) and so always fails when one exists.",
};

/// 3.9: Ensure that TLS CA certificate file ownership is set to root:root.
pub static TLS_CA_OWNER: CheckMeta = CheckMeta {
    id: "3.9",
    section: "3",
    subsection: None,
    title: "Ensure that TLS CA certificate file ownership is set to root:root",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "The CA certificate decides which client certificates the daemon accepts. A non-root owner could replace it with a CA of their own and issue certificates that get full control of the daemon.",
    audit: "Stats the CA certificate the daemon is configured with (--tlscacert or \"tlscacert\" in daemon.json) and passes iff it is owned by uid 0 and gid 0. Not applicable when no CA file is configured or the file does not exist.",
    remediation: "Run `chown root:root <path-to-tlscacert>`.",
    impact: "None expected.",
    notes: "dockerd refuses to start when the same option is set on the command line and in daemon.json, so only one source can apply; docker-bench-security's parsing of the flag is fragile.",
};

/// 3.10: Ensure that TLS CA certificate file permissions are set to 444 or more restrictively.
pub static TLS_CA_MODE: CheckMeta = CheckMeta {
    id: "3.10",
    section: "3",
    subsection: None,
    title: "Ensure that TLS CA certificate file permissions are set to 444 or more restrictively",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "A writable CA certificate can be replaced without changing its owner, letting an attacker authorise their own client certificates against the daemon.",
    audit: "Stats the configured CA certificate (--tlscacert or \"tlscacert\") and passes iff its mode has no permission bit outside 0444. Not applicable when no CA file is configured or the file does not exist.",
    remediation: "Run `chmod 444 <path-to-tlscacert>`.",
    impact: "None expected.",
    notes: "docker-bench-security compares modes as decimal numbers.",
};

/// 3.11: Ensure that Docker server certificate file ownership is set to root:root.
pub static SERVER_CERT_OWNER: CheckMeta = CheckMeta {
    id: "3.11",
    section: "3",
    subsection: None,
    title: "Ensure that Docker server certificate file ownership is set to root:root",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "The server certificate is what clients use to recognise the daemon. A non-root owner could replace it and help impersonate the daemon to its clients.",
    audit: "Stats the server certificate the daemon is configured with (--tlscert or \"tlscert\" in daemon.json) and passes iff it is owned by uid 0 and gid 0. Not applicable when none is configured or the file does not exist.",
    remediation: "Run `chown root:root <path-to-tlscert>`.",
    impact: "None expected.",
    notes: "",
};

/// 3.12: Ensure that the Docker server certificate file permissions are set to 444 or more restrictively.
pub static SERVER_CERT_MODE: CheckMeta = CheckMeta {
    id: "3.12",
    section: "3",
    subsection: None,
    title: "Ensure that the Docker server certificate file permissions are set to 444 or more restrictively",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "A writable server certificate can be replaced without changing its owner, breaking TLS for clients or helping an attacker impersonate the daemon.",
    audit: "Stats the configured server certificate (--tlscert or \"tlscert\") and passes iff its mode has no permission bit outside 0444. Not applicable when none is configured or the file does not exist.",
    remediation: "Run `chmod 444 <path-to-tlscert>`.",
    impact: "None expected.",
    notes: "",
};

/// 3.13: Ensure that the Docker server certificate key file ownership is set to root:root.
pub static SERVER_KEY_OWNER: CheckMeta = CheckMeta {
    id: "3.13",
    section: "3",
    subsection: None,
    title: "Ensure that the Docker server certificate key file ownership is set to root:root",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "The server's private key proves the daemon's identity. Its owner can read it, and anyone holding it can impersonate the daemon and intercept client sessions, including registry credentials passed through it.",
    audit: "Stats the server key the daemon is configured with (--tlskey or \"tlskey\" in daemon.json) and passes iff it is owned by uid 0 and gid 0. Not applicable when none is configured or the file does not exist.",
    remediation: "Run `chown root:root <path-to-tlskey>`.",
    impact: "None expected.",
    notes: "",
};

/// 3.14: Ensure that the Docker server certificate key file permissions are set to 400.
pub static SERVER_KEY_MODE: CheckMeta = CheckMeta {
    id: "3.14",
    section: "3",
    subsection: None,
    title: "Ensure that the Docker server certificate key file permissions are set to 400",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "Any read access for group or others exposes the private key, and write access lets it be replaced. Only root needs to read it.",
    audit: "Stats the configured server key (--tlskey or \"tlskey\") and passes iff its mode has no permission bit outside 0400, so 0400 or stricter passes. Not applicable when none is configured or the file does not exist.",
    remediation: "Run `chmod 400 <path-to-tlskey>`.",
    impact: "None expected; the daemon reads the key as root.",
    notes: "CIS asks for exactly 400 and docker-bench-security tests equality, so even a stricter 0000 warns there. dockaudit accepts 0400 or stricter, since root reads the key regardless.",
};

/// 3.15: Ensure that the Docker socket file ownership is set to root:docker.
pub static DOCKER_SOCKET_OWNER: CheckMeta = CheckMeta {
    id: "3.15",
    section: "3",
    subsection: None,
    title: "Ensure that the Docker socket file ownership is set to root:docker",
    level: 1,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::High,
    rationale: "Access to the daemon socket is root-equivalent. Owning it as root with group docker restricts access to root and to the members of one group that can be reviewed (see 1.1.2).",
    audit: "Stats the daemon's unix socket (from -H unix://... on the dockerd command line or \"hosts\" in daemon.json, default /var/run/docker.sock) and passes iff the owner is root and the group is docker. Not applicable when the socket does not exist.",
    remediation: "Run `chown root:docker /var/run/docker.sock`, and make it persistent with SocketUser=root and SocketGroup=docker in docker.socket or \"group\": \"docker\" in daemon.json.",
    impact: "Members of the docker group keep root-equivalent access to the daemon; keep that group small.",
    notes: "docker-bench-security always checks /var/run/docker.sock, whatever socket the daemon is configured with. The socket judged is the one dockaudit is connected to, plus the other unix sockets of the same daemon; other daemons' sockets on the host are not. Rootless (dockaudit's decision): the socket must be owned by the daemon's user, with the user's own group or one of its subordinate gids (dockerd inside the user namespace gives it that namespace's docker group, which maps to a subordinate gid no other account holds); root:docker would open it to the host's docker group.",
};

/// 3.16: Ensure that the Docker socket file permissions are set to 660 or more restrictively.
pub static DOCKER_SOCKET_MODE: CheckMeta = CheckMeta {
    id: "3.16",
    section: "3",
    subsection: None,
    title: "Ensure that the Docker socket file permissions are set to 660 or more restrictively",
    level: 1,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::High,
    rationale: "If others can read or write the daemon socket, every local account and process gains root-equivalent control of Docker.",
    audit: "Stats the daemon's unix socket (configured -H unix:// or \"hosts\" path, default /var/run/docker.sock) and passes iff its mode has no permission bit outside 0660. Not applicable when the socket does not exist.",
    remediation: "Run `chmod 660 /var/run/docker.sock`, and make it persistent with SocketMode=0660 in the docker.socket unit.",
    impact: "Users outside root and the docker group lose access to the daemon, which is the intended effect.",
    notes: "docker-bench-security's decimal comparison lets mode 606 pass although it grants access to everyone. Rootless (dockaudit's decision): the same 0660 mask, plus the sticky bit, which dockerd sets on sockets in $XDG_RUNTIME_DIR so the runtime directory's clean-up keeps them and which grants no access. Only the audited daemon's sockets are judged.",
};

/// 3.17: Ensure that the daemon.json file ownership is set to root:root.
pub static DAEMON_JSON_OWNER: CheckMeta = CheckMeta {
    id: "3.17",
    section: "3",
    subsection: None,
    title: "Ensure that the daemon.json file ownership is set to root:root",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "daemon.json carries most of the daemon's security settings. A non-root owner could, for example, disable TLS verification, add insecure registries or open a TCP listener at the next restart.",
    audit: "Stats the daemon configuration file (the --config-file path, else /etc/docker/daemon.json) and passes iff it is owned by uid 0 and gid 0. Not applicable when the file does not exist.",
    remediation: "Run `chown root:root /etc/docker/daemon.json` (or the --config-file path).",
    impact: "None expected.",
    notes: "docker-bench-security ignores --config-file and always checks /etc/docker/daemon.json. The file is the audited daemon's configuration file. Rootless (dockaudit's decision): ~/.config/docker/daemon.json of the daemon's user (or its --config-file), owned by root or that user. error when the daemon's process cannot be identified.",
};

/// 3.18: Ensure that daemon.json file permissions are set to 644 or more restrictively.
pub static DAEMON_JSON_MODE: CheckMeta = CheckMeta {
    id: "3.18",
    section: "3",
    subsection: None,
    title: "Ensure that daemon.json file permissions are set to 644 or more restrictively",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "A daemon.json writable by group or others lets non-root users change the daemon's security settings.",
    audit: "Stats the daemon configuration file (--config-file path, else /etc/docker/daemon.json) and passes iff its mode has no permission bit outside 0644. Not applicable when the file does not exist.",
    remediation: "Run `chmod 644 /etc/docker/daemon.json` (or the --config-file path).",
    impact: "None expected.",
    notes: "docker-bench-security compares modes as decimal numbers and ignores --config-file. The file is the audited daemon's configuration file (rootless: ~/.config/docker/daemon.json of its user), with the same 0644 mask. error when the daemon's process cannot be identified.",
};

/// 3.19: Ensure that the /etc/default/docker file ownership is set to root:root.
pub static ETC_DEFAULT_DOCKER_OWNER: CheckMeta = CheckMeta {
    id: "3.19",
    section: "3",
    subsection: None,
    title: "Ensure that the /etc/default/docker file ownership is set to root:root",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "On Debian-family systems /etc/default/docker can pass options to the daemon. A non-root owner could add options that weaken the daemon.",
    audit: "Stats /etc/default/docker and passes iff it is owned by uid 0 and gid 0. Not applicable when the file does not exist.",
    remediation: "Run `chown root:root /etc/default/docker`.",
    impact: "None expected.",
    notes: "aquasecurity/docker-bench fails this on hosts without the file (for example Red Hat family) instead of treating it as not applicable.",
};

/// 3.20: Ensure that the /etc/default/docker file permissions are set to 644 or more restrictively.
pub static ETC_DEFAULT_DOCKER_MODE: CheckMeta = CheckMeta {
    id: "3.20",
    section: "3",
    subsection: None,
    title: "Ensure that the /etc/default/docker file permissions are set to 644 or more restrictively",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "If /etc/default/docker is writable by group or others, non-root users can add daemon options and so change its security settings.",
    audit: "Stats /etc/default/docker and passes iff its mode has no permission bit outside 0644. Not applicable when the file does not exist.",
    remediation: "Run `chmod 644 /etc/default/docker`.",
    impact: "None expected.",
    notes: "aquasecurity/docker-bench numbers 3.20 to 3.22 differently from CIS (its 3.20 is the /etc/sysconfig/docker mode); dockaudit follows the CIS order.",
};

/// 3.21: Ensure that the /etc/sysconfig/docker file permissions are set to 644 or more restrictively.
pub static ETC_SYSCONFIG_DOCKER_MODE: CheckMeta = CheckMeta {
    id: "3.21",
    section: "3",
    subsection: None,
    title: "Ensure that the /etc/sysconfig/docker file permissions are set to 644 or more restrictively",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "On Red Hat-family systems /etc/sysconfig/docker can pass options to the daemon. If group or others can write it, non-root users can change the daemon's settings.",
    audit: "Stats /etc/sysconfig/docker and passes iff its mode has no permission bit outside 0644. Not applicable when the file does not exist.",
    remediation: "Run `chmod 644 /etc/sysconfig/docker`.",
    impact: "None expected.",
    notes: "In CIS 1.6.0 the mode check for this file comes before the ownership check (3.22); aquasecurity/docker-bench swaps their numbers.",
};

/// 3.22: Ensure that the /etc/sysconfig/docker file ownership is set to root:root.
pub static ETC_SYSCONFIG_DOCKER_OWNER: CheckMeta = CheckMeta {
    id: "3.22",
    section: "3",
    subsection: None,
    title: "Ensure that the /etc/sysconfig/docker file ownership is set to root:root",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "A non-root owner of /etc/sysconfig/docker could add daemon options that weaken the daemon at its next start.",
    audit: "Stats /etc/sysconfig/docker and passes iff it is owned by uid 0 and gid 0. Not applicable when the file does not exist.",
    remediation: "Run `chown root:root /etc/sysconfig/docker`.",
    impact: "None expected.",
    notes: "aquasecurity/docker-bench fails this on hosts without the file (for example Debian family) instead of treating it as not applicable.",
};

/// 3.23: Ensure that the Containerd socket file ownership is set to root:root.
pub static CONTAINERD_SOCKET_OWNER: CheckMeta = CheckMeta {
    id: "3.23",
    section: "3",
    subsection: None,
    title: "Ensure that the Containerd socket file ownership is set to root:root",
    level: 1,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::High,
    rationale: "The containerd socket gives full control over containers below Docker. If it is owned by another account, that account can create privileged containers and bypass Docker's controls.",
    audit: "Stats the containerd socket (/run/containerd/containerd.sock, and the Docker-managed /run/docker/containerd/containerd.sock when present) and passes iff each is owned by uid 0 and gid 0. Not applicable when neither socket exists.",
    remediation: "Run `chown root:root /run/containerd/containerd.sock` (or the Docker-managed path); containerd recreates the socket as root at startup.",
    impact: "None expected.",
    notes: "docker-bench-security only checks /run/containerd/containerd.sock, so hosts where dockerd runs its own containerd show it as not found.",
};

/// 3.24: Ensure that the Containerd socket file permissions are set to 660 or more restrictively.
pub static CONTAINERD_SOCKET_MODE: CheckMeta = CheckMeta {
    id: "3.24",
    section: "3",
    subsection: None,
    title: "Ensure that the Containerd socket file permissions are set to 660 or more restrictively",
    level: 1,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::High,
    rationale: "If others can access the containerd socket, any local account can start and control containers with root privileges.",
    audit: "Stats the containerd socket (/run/containerd/containerd.sock, and /run/docker/containerd/containerd.sock when present) and passes iff no socket has a permission bit outside 0660. Not applicable when neither socket exists.",
    remediation: "Run `chmod 660 /run/containerd/containerd.sock` (or the Docker-managed path).",
    impact: "None expected.",
    notes: "docker-bench-security only checks /run/containerd/containerd.sock.",
};

/// This section's recommendations in benchmark order.
pub(super) static CHECKS: [&CheckMeta; 24] = [
    &DOCKER_SERVICE_OWNER,
    &DOCKER_SERVICE_MODE,
    &DOCKER_SOCKET_UNIT_OWNER,
    &DOCKER_SOCKET_UNIT_MODE,
    &ETC_DOCKER_OWNER,
    &ETC_DOCKER_MODE,
    &REGISTRY_CERTS_OWNER,
    &REGISTRY_CERTS_MODE,
    &TLS_CA_OWNER,
    &TLS_CA_MODE,
    &SERVER_CERT_OWNER,
    &SERVER_CERT_MODE,
    &SERVER_KEY_OWNER,
    &SERVER_KEY_MODE,
    &DOCKER_SOCKET_OWNER,
    &DOCKER_SOCKET_MODE,
    &DAEMON_JSON_OWNER,
    &DAEMON_JSON_MODE,
    &ETC_DEFAULT_DOCKER_OWNER,
    &ETC_DEFAULT_DOCKER_MODE,
    &ETC_SYSCONFIG_DOCKER_MODE,
    &ETC_SYSCONFIG_DOCKER_OWNER,
    &CONTAINERD_SOCKET_OWNER,
    &CONTAINERD_SOCKET_MODE,
];
