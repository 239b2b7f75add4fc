//! Section 1 of the benchmark: host configuration (partitioning, docker group, audit rules, host hygiene).

use super::{Assessment, CheckMeta, Evaluation, Severity};

/// 1.1.1: Ensure a separate partition for containers has been created.
pub static DOCKER_PARTITION: CheckMeta = CheckMeta {
    id: "1.1.1",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure a separate partition for containers has been created",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "Docker keeps images, writable container layers, volumes and local logs under its root directory (/var/lib/docker by default). When that directory shares a filesystem with / or /var, one container that fills its layer or a volume can exhaust the disk and stop host services. A dedicated filesystem contains the damage and can get its own size, quotas and mount options.",
    audit: "Takes the Docker root directory from the Engine API (GET /info, DockerRootDir), using its parent directory when SecurityOptions contains name=userns, because user-namespace remapping adds a subdirectory. Passes iff that directory is itself a mount point in the host's mountinfo and not a bind mount of the same device and filesystem as the filesystem around it (which would share its space); fails otherwise.",
    remediation: "Create a dedicated partition or LVM logical volume and mount it at the Docker root directory through /etc/fstab before Docker starts. On an existing host, stop Docker, copy the old directory onto the new filesystem, mount it (or set \"data-root\" in daemon.json to its mount point) and start Docker again.",
    impact: "Needs free disk space or a new volume, and a maintenance window to move existing data. The filesystem has to be sized for the images and volumes it will hold.",
    notes: "docker-bench-security runs `mountpoint` in its own filesystem, so it answers wrongly inside its container and for a remote DOCKER_HOST; aquasecurity/docker-bench looks for a fixed /var/lib/docker in /proc/mounts. dockaudit uses the root directory the daemon reports, adjusted for userns remapping, and the host's mount table.",
};

/// 1.1.2: Ensure only trusted users are allowed to control Docker daemon.
pub static DOCKER_GROUP_MEMBERS: CheckMeta = CheckMeta {
    id: "1.1.2",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure only trusted users are allowed to control Docker daemon",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::High,
    rationale: "Anyone who can talk to the daemon socket can start a privileged container or bind-mount the host's / and so act as root on the host. Membership in the docker group therefore grants root-equivalent power and must be limited to people who are trusted with root.",
    audit: "Collects the docker group's members from the host's /etc/group, plus every account in /etc/passwd whose primary GID is the docker group. With --trusted-user, passes iff every member is on that list and fails once per untrusted user; without the list the result is manual and the members are listed for review.",
    remediation: "Remove accounts that should not control Docker with `gpasswd -d USER docker`, and change the primary group of any account whose primary group is docker (`usermod -g GROUP USER`). Give other users narrower access, such as sudo rules for specific commands or their own rootless Docker.",
    impact: "Removed users can no longer run docker commands without sudo; scripts and services running under those accounts must be moved to another mechanism.",
    notes: "docker-bench-security matches its allow-list with a substring grep (trusting \"bob\" also trusts \"bo\"), reports only the last untrusted user, and ignores accounts whose primary group is docker. dockaudit compares exact names and includes primary-group members. ACLs granting access to the socket are not considered. Rootless (dockaudit's decision; CIS 1.6.0 predates rootless mode): when the audited daemon is rootless the check is not_applicable, because access to it is its socket owner's (the daemon's user), not the docker group's.",
};

/// 1.1.3: Ensure auditing is configured for the Docker daemon.
pub static DOCKERD_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.3",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for the Docker daemon",
    level: 1,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "dockerd runs as root and controls every container on the host. Audit records of who executes or modifies the daemon binary give investigators a trail when the host or its containers are tampered with.",
    audit: "Parses the audit rules (`auditctl -l`, else the rule files under /etc/audit) and passes iff a watch (-w PATH) or syscall rule (-a ... -F path=PATH) names exactly the daemon binary, normally /usr/bin/dockerd, comparing paths after symlink resolution. Fails when no rule names it; not applicable when the binary does not exist.",
    remediation: "Add `-w /usr/bin/dockerd -k docker` (using the real dockerd path) to a file such as /etc/audit/rules.d/docker.rules and load it with `augenrules --load` or by restarting auditd.",
    impact: "Adds audit records whenever the binary is run or touched; the volume is small, but audit log storage and rotation must be planned.",
    notes: "Both peers hard-code /usr/bin/dockerd and accept any rule line that merely contains the path, so a rule on /usr/bin/dockerd-rootless.sh satisfies them. dockaudit parses each rule and requires the exact path. The binary is the audited daemon's own executable (/proc/<pid>/exe of the process serving the connected socket); when that process cannot be identified the check is error rather than auditing another daemon's binary.",
};

/// 1.1.4: Ensure auditing is configured for Docker files and directories - /run/containerd.
pub static RUN_CONTAINERD_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.4",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for Docker files and directories - /run/containerd",
    level: 1,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "/run/containerd holds containerd's runtime state: its sockets, shim state and the bundles of running tasks. Changes there can alter or hijack running containers, so access to it should leave an audit trail.",
    audit: "Parses the audit rules (`auditctl -l`, else the rule files under /etc/audit) and passes iff a watch (-w /run/containerd) or a syscall rule with -F dir=/run/containerd names the directory itself. A rule on a file inside it does not count. Not applicable when the directory does not exist.",
    remediation: "Add `-w /run/containerd -k docker` to /etc/audit/rules.d/docker.rules and load it with `augenrules --load`.",
    impact: "Every container start, stop and exec writes under this directory, so a busy host produces many audit records; size the audit log and its rotation accordingly.",
    notes: "docker-bench-security accepts any rule line containing the path, so a rule on /run/containerd/containerd.sock alone satisfies it. dockaudit requires a rule on the directory.",
};

/// 1.1.5: Ensure auditing is configured for Docker files and directories - /var/lib/docker.
pub static DOCKER_ROOT_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.5",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for Docker files and directories - /var/lib/docker",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "The Docker root directory holds every image, container filesystem, volume and the daemon's own state. Unaudited changes there, such as an altered image layer or volume, can go unnoticed.",
    audit: "Parses the audit rules (`auditctl -l`, else the rule files under /etc/audit) and passes iff a watch or -F dir= rule names the Docker root directory itself (GET /info DockerRootDir, default /var/lib/docker), after symlink resolution. Not applicable when the directory does not exist.",
    remediation: "Add `-w /var/lib/docker -k docker` (using the actual root directory) to /etc/audit/rules.d/docker.rules and load it with `augenrules --load`.",
    impact: "Container filesystems live below this directory, so the watch can generate a very large number of records on busy hosts; plan audit log capacity, or narrow the rule to write and attribute changes (-p wa).",
    notes: "docker-bench-security hard-codes /var/lib/docker even when the daemon uses another data-root. dockaudit checks the directory the daemon reports. Rootless: the directory is the rootless daemon's data root as /info reports it (by default ~/.local/share/docker of its user), so the rule must name that path.",
};

/// 1.1.6: Ensure auditing is configured for Docker files and directories - /etc/docker.
pub static ETC_DOCKER_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.6",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for Docker files and directories - /etc/docker",
    level: 1,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "/etc/docker holds the daemon configuration, TLS keys and certificates and registry trust settings. Changes to it alter how the daemon authenticates clients and which registries it trusts, and should be recorded.",
    audit: "Parses the audit rules (`auditctl -l`, else the rule files under /etc/audit) and passes iff a watch (-w /etc/docker) or a -F dir=/etc/docker syscall rule names the directory itself. Not applicable when the directory does not exist.",
    remediation: "Add `-w /etc/docker -k docker` to /etc/audit/rules.d/docker.rules and load it with `augenrules --load`.",
    impact: "The directory changes rarely, so the extra audit volume is small.",
    notes: "",
};

/// 1.1.7: Ensure auditing is configured for Docker files and directories - docker.service.
pub static DOCKER_SERVICE_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.7",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for Docker files and directories - docker.service",
    level: 2,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "The docker.service unit decides how dockerd is started, including its command-line flags. An attacker who edits it can weaken the daemon's configuration at the next restart, so changes to it should be audited.",
    audit: "Locates the docker.service unit file in the systemd unit directories and parses the audit rules (`auditctl -l`, else the rule files under /etc/audit); passes iff a rule names exactly that file, comparing after symlink resolution so /lib and /usr/lib spellings match. Not applicable when the host has no docker.service unit.",
    remediation: "Find the unit with `systemctl show -p FragmentPath docker.service` and add `-w /usr/lib/systemd/system/docker.service -k docker` (with that path) to /etc/audit/rules.d/docker.rules, then run `augenrules --load`.",
    impact: "The file changes only on package updates, so the extra audit volume is negligible.",
    notes: "docker-bench-security's unit lookup stops at a `find` that succeeds without a match, so it often reports the file as missing, and a rule written for /usr/lib/... never matches the /lib/... path it found. dockaudit resolves both paths before comparing. Rootless: the unit is the daemon user's user unit (~/.config/systemd/user/docker.service, or the system's user unit directories); without one the check is not_applicable with that reason.",
};

/// 1.1.8: Ensure auditing is configured for Docker files and directories - containerd.sock.
pub static CONTAINERD_SOCKET_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.8",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for Docker files and directories - containerd.sock",
    level: 2,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "Whoever can use the containerd socket can create and control containers below Docker, bypassing any Docker-level controls. Access to and changes of the socket should be audited.",
    audit: "Parses the audit rules (`auditctl -l`, else the rule files under /etc/audit) and passes iff a rule names exactly the containerd socket in use: /run/containerd/containerd.sock, or /run/docker/containerd/containerd.sock when dockerd manages its own containerd. Not applicable when no such socket exists.",
    remediation: "Add `-w /run/containerd/containerd.sock -k docker` (or the Docker-managed socket path) to /etc/audit/rules.d/docker.rules and load it with `augenrules --load`.",
    impact: "Modest extra audit volume from connections to the socket.",
    notes: "docker-bench-security audits the first containerd.sock it finds under /run; aquasecurity/docker-bench reads the address from /etc/containerd/config.toml and fails when that file is missing. dockaudit checks the socket that actually exists.",
};

/// 1.1.9: Ensure auditing is configured for Docker files and directories - docker.socket.
pub static DOCKER_SOCKET_UNIT_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.9",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for Docker files and directories - docker.socket",
    level: 2,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "The docker.socket unit defines the socket through which clients reach the daemon, including its owner and mode. Changes to it can open the daemon to more users, so they should be audited.",
    audit: "Parses the audit rules (`auditctl -l`, else the rule files under /etc/audit) and passes iff a rule names exactly the docker.socket unit file or the socket it listens on (normally /run/docker.sock), after symlink resolution. Not applicable when there is no docker.socket unit.",
    remediation: "Add `-w /usr/lib/systemd/system/docker.socket -k docker` (path from `systemctl show -p FragmentPath docker.socket`) to /etc/audit/rules.d/docker.rules and load it with `augenrules --load`.",
    impact: "The unit file changes only on package updates; auditing the listening socket instead records every client connection.",
    notes: "The peers disagree on the target: docker-bench-security audits the unit file, aquasecurity/docker-bench the socket named in its ListenStream. dockaudit accepts either. Rootless: the daemon user's docker.socket user unit is looked for; rootless setups normally have none, so the check is not_applicable with that reason.",
};

/// 1.1.10: Ensure auditing is configured for Docker files and directories - /etc/default/docker.
pub static ETC_DEFAULT_DOCKER_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.10",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for Docker files and directories - /etc/default/docker",
    level: 2,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "On Debian-family systems /etc/default/docker can pass options to the daemon. Edits to it change the daemon's behaviour at the next start and should be recorded.",
    audit: "Parses the audit rules (`auditctl -l`, else the rule files under /etc/audit) and passes iff a rule names exactly /etc/default/docker. Not applicable when the file does not exist.",
    remediation: "Add `-w /etc/default/docker -k docker` to /etc/audit/rules.d/docker.rules and load it with `augenrules --load`.",
    impact: "The file rarely changes, so the extra audit volume is negligible.",
    notes: "",
};

/// 1.1.11: Ensure auditing is configured for Docker files and directories - /etc/docker/daemon.json.
pub static DAEMON_JSON_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.11",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for Docker files and directories - /etc/docker/daemon.json",
    level: 2,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "daemon.json carries most of the daemon's security settings, such as TLS, user namespaces, logging and authorization plugins. Changes to it should leave an audit trail.",
    audit: "Parses the audit rules (`auditctl -l`, else the rule files under /etc/audit) and passes iff a rule names exactly the daemon configuration file (the --config-file path, else /etc/docker/daemon.json). Not applicable when the file does not exist.",
    remediation: "Add `-w /etc/docker/daemon.json -k docker` (or the --config-file path) to /etc/audit/rules.d/docker.rules and load it with `augenrules --load`.",
    impact: "The file rarely changes, so the extra audit volume is negligible.",
    notes: "docker-bench-security ignores --config-file and always checks /etc/docker/daemon.json. The file is the audited daemon's configuration file: --config-file, else /etc/docker/daemon.json, or for a rootless daemon $XDG_CONFIG_HOME/docker/daemon.json (~/.config/docker/daemon.json of its user). error when the daemon's process cannot be identified.",
};

/// 1.1.12: Ensure auditing is configured for Docker files and directories - /etc/containerd/config.toml.
pub static CONTAINERD_CONFIG_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.12",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for Docker files and directories - /etc/containerd/config.toml",
    level: 2,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "containerd's configuration sets its socket addresses, runtimes and plugins. A changed configuration can weaken every container the host runs, so edits should be audited.",
    audit: "Parses the audit rules (`auditctl -l`, else the rule files under /etc/audit) and passes iff a rule names exactly /etc/containerd/config.toml. Not applicable when the file does not exist.",
    remediation: "Add `-w /etc/containerd/config.toml -k docker` to /etc/audit/rules.d/docker.rules and load it with `augenrules --load`.",
    impact: "The file rarely changes, so the extra audit volume is negligible.",
    notes: "",
};

/// 1.1.13: Ensure auditing is configured for Docker files and directories - /etc/sysconfig/docker.
pub static ETC_SYSCONFIG_DOCKER_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.13",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for Docker files and directories - /etc/sysconfig/docker",
    level: 2,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "On Red Hat-family systems /etc/sysconfig/docker can pass options to the daemon. Edits to it change the daemon's behaviour at the next start and should be recorded.",
    audit: "Parses the audit rules (`auditctl -l`, else the rule files under /etc/audit) and passes iff a rule names exactly /etc/sysconfig/docker. Not applicable when the file does not exist.",
    remediation: "Add `-w /etc/sysconfig/docker -k docker` to /etc/audit/rules.d/docker.rules and load it with `augenrules --load`.",
    impact: "The file rarely changes, so the extra audit volume is negligible.",
    notes: "",
};

/// 1.1.14: Ensure auditing is configured for Docker files and directories - /usr/bin/containerd.
pub static CONTAINERD_BINARY_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.14",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd",
    level: 2,
    assessment: Assessment::Automated,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "The containerd binary runs as root and manages all container processes for Docker. Replacing or modifying it compromises every container, so its use and changes should be audited.",
    audit: "Parses the audit rules (`auditctl -l`, else the rule files under /etc/audit) and passes iff a rule names exactly the containerd binary, normally /usr/bin/containerd, after symlink resolution. Not applicable when the binary does not exist.",
    remediation: "Add `-w /usr/bin/containerd -k docker` to /etc/audit/rules.d/docker.rules and load it with `augenrules --load`.",
    impact: "Small extra audit volume; the binary runs only when containerd starts.",
    notes: "Substring matching in the peers lets a rule on /usr/bin/containerd-shim-runc-v2 count for /usr/bin/containerd. dockaudit requires the exact path.",
};

/// 1.1.15: Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim.
pub static CONTAINERD_SHIM_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.15",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "A containerd shim sits between containerd and each container process and runs with root privileges. A tampered shim can control every container it starts, so it should be audited.",
    audit: "Parses the audit rules (`auditctl -l`, else the rule files under /etc/audit) and passes iff a rule names exactly /usr/bin/containerd-shim, after symlink resolution. Not applicable when the binary does not exist, which is usual with current containerd releases.",
    remediation: "Add `-w /usr/bin/containerd-shim -k docker` to /etc/audit/rules.d/docker.rules and load it with `augenrules --load`.",
    impact: "One record per container start; negligible on most hosts.",
    notes: "The legacy v1 shim is not shipped by current containerd releases. Peers' substring matching lets a rule on containerd-shim-runc-v2 count here; dockaudit requires the exact path.",
};

/// 1.1.16: Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim-runc-v1.
pub static CONTAINERD_SHIM_RUNC_V1_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.16",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim-runc-v1",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "The runc v1 shim launches and supervises container processes with root privileges. A tampered shim can control every container it starts, so it should be audited.",
    audit: "Parses the audit rules (`auditctl -l`, else the rule files under /etc/audit) and passes iff a rule names exactly /usr/bin/containerd-shim-runc-v1, after symlink resolution. Not applicable when the binary does not exist.",
    remediation: "Add `-w /usr/bin/containerd-shim-runc-v1 -k docker` to /etc/audit/rules.d/docker.rules and load it with `augenrules --load`.",
    impact: "One record per container start; negligible on most hosts.",
    notes: "This shim was removed in containerd 2.x, so the check is usually not applicable on current hosts.",
};

/// 1.1.17: Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim-runc-v2.
pub static CONTAINERD_SHIM_RUNC_V2_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.17",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim-runc-v2",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "The runc v2 shim is the process that launches and supervises each container on current installations, with root privileges. Replacing it compromises every new container, so it should be audited.",
    audit: "Parses the audit rules (`auditctl -l`, else the rule files under /etc/audit) and passes iff a rule names exactly /usr/bin/containerd-shim-runc-v2, after symlink resolution. Not applicable when the binary does not exist.",
    remediation: "Add `-w /usr/bin/containerd-shim-runc-v2 -k docker` to /etc/audit/rules.d/docker.rules and load it with `augenrules --load`.",
    impact: "One record per container start; hosts that start many short-lived containers produce noticeably more audit data.",
    notes: "",
};

/// 1.1.18: Ensure auditing is configured for Docker files and directories - /usr/bin/runc.
pub static RUNC_AUDITED: CheckMeta = CheckMeta {
    id: "1.1.18",
    section: "1",
    subsection: Some("1.1"),
    title: "Ensure auditing is configured for Docker files and directories - /usr/bin/runc",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "runc creates the namespaces and cgroups of every container and runs as root. A modified runc can break container isolation for the whole host, so its execution and changes should be audited.",
    audit: "Parses the audit rules (`auditctl -l`, else the rule files under /etc/audit) and passes iff a rule names exactly the runc binary, normally /usr/bin/runc, after symlink resolution. Not applicable when the binary does not exist.",
    remediation: "Add `-w /usr/bin/runc -k docker` (using the real runc path, see `command -v runc`) to /etc/audit/rules.d/docker.rules and load it with `augenrules --load`.",
    impact: "One or more records per container start or exec; plan audit log capacity on busy hosts.",
    notes: "Some distributions install runc elsewhere (for example /usr/sbin/runc on Debian); the rule must name the binary that is actually used.",
};

/// 1.2.1: Ensure the container host has been Hardened.
pub static HOST_HARDENING: CheckMeta = CheckMeta {
    id: "1.2.1",
    section: "1",
    subsection: Some("1.2"),
    title: "Ensure the container host has been Hardened",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Medium,
    rationale: "Containers share the host kernel, so a weak host undermines every container control. Unpatched services, loose accounts or a permissive kernel configuration on the host offer paths around container isolation.",
    audit: "Not decidable from gathered facts: the result is manual, and a reviewer records whether the host follows a hardening baseline such as the CIS benchmark for its operating system.",
    remediation: "Harden the host OS against a recognised baseline (for example the CIS benchmark for the distribution), remove services the host does not need, and keep the kernel and packages patched. Consider a minimal container-focused OS.",
    impact: "Hardening can disable services or settings other workloads on the host rely on; test the baseline before rolling it out.",
    notes: "",
};

/// 1.2.2: Ensure that the version of Docker is up to date.
pub static DOCKER_VERSION: CheckMeta = CheckMeta {
    id: "1.2.2",
    section: "1",
    subsection: Some("1.2"),
    title: "Ensure that the version of Docker is up to date",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::High,
    rationale: "Docker Engine, containerd and runc receive security fixes, some for container escapes. An engine that is behind its release line or out of support keeps known vulnerabilities open.",
    audit: "Reports the engine version from the Engine API (GET /version, Version); the result is manual, and a reviewer compares it with the supported Docker releases or the distribution's security updates.",
    remediation: "Upgrade Docker Engine, containerd and runc to a supported release with current security fixes, from Docker's repositories or the distribution's, and follow the release notes.",
    impact: "Upgrades restart the daemon (and the containers, unless live restore is on) and may change default behaviour; test them before production use.",
    notes: "docker-bench-security compares the version with a date-derived \"YY.MM.0\" string, which has no meaning since Docker moved to 23.x numbering, and it strips letters from distribution versions. dockaudit leaves the judgement to a reviewer.",
};

/// This section's recommendations in benchmark order.
pub(super) static CHECKS: [&CheckMeta; 20] = [
    &DOCKER_PARTITION,
    &DOCKER_GROUP_MEMBERS,
    &DOCKERD_AUDITED,
    &RUN_CONTAINERD_AUDITED,
    &DOCKER_ROOT_AUDITED,
    &ETC_DOCKER_AUDITED,
    &DOCKER_SERVICE_AUDITED,
    &CONTAINERD_SOCKET_AUDITED,
    &DOCKER_SOCKET_UNIT_AUDITED,
    &ETC_DEFAULT_DOCKER_AUDITED,
    &DAEMON_JSON_AUDITED,
    &CONTAINERD_CONFIG_AUDITED,
    &ETC_SYSCONFIG_DOCKER_AUDITED,
    &CONTAINERD_BINARY_AUDITED,
    &CONTAINERD_SHIM_AUDITED,
    &CONTAINERD_SHIM_RUNC_V1_AUDITED,
    &CONTAINERD_SHIM_RUNC_V2_AUDITED,
    &RUNC_AUDITED,
    &HOST_HARDENING,
    &DOCKER_VERSION,
];
