//! Section 2 of the benchmark: Docker daemon configuration (flags, daemon.json and effective engine settings).

use super::{Assessment, CheckMeta, Evaluation, Severity};

/// 2.1: Run the Docker daemon as a non-root user, if possible.
pub static ROOTLESS_DAEMON: CheckMeta = CheckMeta {
    id: "2.1",
    section: "2",
    subsection: None,
    title: "Run the Docker daemon as a non-root user, if possible",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "A daemon running as root turns any daemon or runtime vulnerability, and any container escape, into full control of the host. In rootless mode the daemon and its containers run inside a user namespace owned by an unprivileged user, so such a compromise stays confined to that user.",
    audit: "Reads SecurityOptions from the Engine API (GET /info): passes when it contains name=rootless, otherwise warns, because CIS only asks for rootless mode where it is possible.",
    remediation: "Install the rootless extras and run `dockerd-rootless-setuptool.sh install` as a dedicated unprivileged user, then point clients at that user's socket. Where rootless mode is not workable, enable user-namespace remapping instead (see 2.9).",
    impact: "Rootless mode has limits: binding ports below 1024 needs a sysctl change, resource limits need cgroup v2 delegation, AppArmor and some network and storage features are unavailable, and existing images and containers do not carry over.",
    notes: "docker-bench-security only prints a note here. dockaudit decides from the effective engine setting and reports a non-rootless daemon as a warning rather than a failure. Judged for the daemon dockaudit is connected to: with a rootless daemon (name=rootless in /info SecurityOptions) it passes, even when a rootful daemon also runs on the host.",
};

/// 2.2: Ensure network traffic is restricted between containers on the default bridge.
pub static DEFAULT_BRIDGE_ICC: CheckMeta = CheckMeta {
    id: "2.2",
    section: "2",
    subsection: None,
    title: "Ensure network traffic is restricted between containers on the default bridge",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "By default every container on the default bridge can reach every other container on it over any port. A single compromised container can then probe and attack unrelated containers on the same host, or sniff traffic meant for them.",
    audit: "Reads the effective option com.docker.network.bridge.enable_icc of the default bridge network (GET /networks/bridge) and passes iff it is \"false\". When the network cannot be inspected, falls back to --icc on the dockerd command line or \"icc\" in daemon.json.",
    remediation: "Set \"icc\": false in daemon.json (or start dockerd with --icc=false) and restart the daemon. Put containers that need to talk to each other on a user-defined network, or publish the ports they need.",
    impact: "Containers on the default bridge can no longer reach each other unless linked; applications that relied on that must move to user-defined networks.",
    notes: "docker-bench-security without jq matches \"icc\" anywhere in daemon.json (for example inside a log-opts value) and can report a false pass; under dash its bash-only test silently fails. dockaudit prefers the network's effective option.",
};

/// 2.3: Ensure the logging level is set to 'info'.
pub static LOG_LEVEL: CheckMeta = CheckMeta {
    id: "2.3",
    section: "2",
    subsection: None,
    title: "Ensure the logging level is set to 'info'",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "The info level records the daemon events needed for later investigation. Lower levels (warn, error, fatal) drop them, while debug writes large volumes that can include sensitive request details.",
    audit: "Reads --log-level/-l from the running dockerd command line (/proc/<pid>/cmdline), else \"log-level\" in daemon.json; the command line wins. Passes iff the level is unset or info.",
    remediation: "Remove the log-level override, or set \"log-level\": \"info\" in daemon.json (or --log-level=info), and restart or reload the daemon.",
    impact: "Debug output is no longer produced; raise the level temporarily when troubleshooting.",
    notes: "With jq installed docker-bench-security always takes its daemon.json branch, so `dockerd --log-level=debug` passes; aquasecurity/docker-bench ORs its tests so a debug level in daemon.json passes when no flag is given. dockaudit applies the flag-over-file precedence of dockerd.",
};

/// 2.4: Ensure Docker is allowed to make changes to iptables.
pub static IPTABLES_MANAGED: CheckMeta = CheckMeta {
    id: "2.4",
    section: "2",
    subsection: None,
    title: "Ensure Docker is allowed to make changes to iptables",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "Docker keeps the host firewall in line with container networking, including port publishing and inter-container isolation. When iptables management is disabled, those rules must be maintained by hand, and mistakes easily expose containers or break isolation.",
    audit: "Reads --iptables from the running dockerd command line, else \"iptables\" in daemon.json; passes unless it is set to false.",
    remediation: "Remove --iptables=false and \"iptables\": false so the default (true) applies, then restart the daemon. Add site-specific filtering in the DOCKER-USER chain.",
    impact: "Docker will create and change NAT and filter rules; hosts with their own firewall tooling must coordinate with Docker's chains.",
    notes: "aquasecurity/docker-bench ORs its tests, so a false value in daemon.json can pass; docker-bench-security's bash-only test fails silently under dash.",
};

/// 2.5: Ensure insecure registries are not used.
pub static INSECURE_REGISTRIES: CheckMeta = CheckMeta {
    id: "2.5",
    section: "2",
    subsection: None,
    title: "Ensure insecure registries are not used",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::High,
    rationale: "An insecure registry is reached over plain HTTP or TLS without certificate verification. Anyone on the network path can then read or replace the images the host pulls, leading to malicious code running in containers.",
    audit: "Reads the effective registry settings from the Engine API (GET /info, RegistryConfig.InsecureRegistryCIDRs and IndexConfigs entries with Secure false) and passes iff nothing is listed besides the built-in 127.0.0.0/8 range; fails naming each insecure registry.",
    remediation: "Remove \"insecure-registries\" from daemon.json and any --insecure-registry flag, give each registry a trusted TLS certificate, and place a private CA under /etc/docker/certs.d/<host:port>/ca.crt where needed.",
    impact: "Pulls and pushes to those registries fail until they serve TLS with a certificate the host trusts.",
    notes: "The Engine API always lists 127.0.0.0/8 as insecure; dockaudit ignores that default instead of reporting it.",
};

/// 2.6: Ensure aufs storage driver is not used.
pub static AUFS_STORAGE_DRIVER: CheckMeta = CheckMeta {
    id: "2.6",
    section: "2",
    subsection: None,
    title: "Ensure aufs storage driver is not used",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "aufs is an old out-of-tree storage driver that is no longer maintained, is not in upstream kernels, and has had kernel crashes and security issues. Modern kernels and Docker releases use overlay2 instead.",
    audit: "Reads the storage driver from the Engine API (GET /info, Driver) and passes iff it is not aufs.",
    remediation: "Save or push the images you need, set \"storage-driver\": \"overlay2\" in daemon.json, restart the daemon, then re-pull images and recreate containers.",
    impact: "Images, containers and volumes stored under aufs are not visible to the new driver and must be re-created or migrated.",
    notes: "aufs support was removed in Docker Engine 24, so only older engines can fail.",
};

/// 2.7: Ensure TLS authentication for Docker daemon is configured.
pub static DAEMON_TLS: CheckMeta = CheckMeta {
    id: "2.7",
    section: "2",
    subsection: None,
    title: "Ensure TLS authentication for Docker daemon is configured",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Critical,
    rationale: "A daemon listening on TCP without mutual TLS accepts commands from anyone who can reach the port, which amounts to unauthenticated root access to the host. TLS with client-certificate verification limits access to holders of certificates signed by a trusted CA.",
    audit: "Collects listeners from -H/--host on the dockerd command line and \"hosts\" in daemon.json; not applicable when none is tcp://. Otherwise passes iff tlsverify is enabled and the CA, certificate and key paths are all set, and fails for TLS without verification or plain TCP.",
    remediation: "Set \"tlsverify\": true, \"tlscacert\", \"tlscert\" and \"tlskey\" in daemon.json (or --tlsverify --tlscacert=... --tlscert=... --tlskey=...), listen on port 2376, and give clients certificates signed by the CA. Alternatively drop the TCP listener and reach the daemon over SSH (DOCKER_HOST=ssh://...).",
    impact: "Every remote client needs a certificate signed by the CA, and certificates must be issued, rotated and revoked.",
    notes: "docker-bench-security with jq queries a malformed key and reports a correct setup as plain TCP, and misses \"hosts\" arrays that span several lines; aquasecurity/docker-bench demands TLS settings even when nothing listens on TCP. dockaudit only judges hosts that have a TCP listener.",
};

/// 2.8: Ensure the default ulimit is configured appropriately.
pub static DEFAULT_ULIMITS: CheckMeta = CheckMeta {
    id: "2.8",
    section: "2",
    subsection: None,
    title: "Ensure the default ulimit is configured appropriately",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "Without daemon-wide default ulimits, containers inherit the daemon's limits, which are often very high. A single container can then exhaust file descriptors or processes and starve the host and other containers.",
    audit: "Reads --default-ulimit on the dockerd command line and \"default-ulimits\" in daemon.json; passes when default ulimits are configured, otherwise warns, because suitable values depend on the workload.",
    remediation: "Set limits suited to the workloads, e.g. \"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Soft\": 1024, \"Hard\": 4096}} in daemon.json (or --default-ulimit nofile=1024:4096), and restart the daemon.",
    impact: "Containers that need more than the defaults fail (for example with \"too many open files\") unless they override the limit with --ulimit.",
    notes: "docker-bench-security mishandled nested or null values in the past and gave false passes (docker-bench-security#537). CIS asks for an appropriate value, so dockaudit warns rather than fails when none is set.",
};

/// 2.9: Enable user namespace support.
pub static USERNS_REMAP: CheckMeta = CheckMeta {
    id: "2.9",
    section: "2",
    subsection: None,
    title: "Enable user namespace support",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "Without user-namespace remapping, root inside a container is root on the host, so any escape or writable host mount gives full host privileges. Remapping maps container root to an unprivileged range of host UIDs.",
    audit: "Reads SecurityOptions from the Engine API (GET /info) and passes iff it contains name=userns, i.e. remapping is active in the running daemon.",
    remediation: "Set \"userns-remap\": \"default\" in daemon.json (or --userns-remap=default), make sure /etc/subuid and /etc/subgid provide a range for the remap user, and restart the daemon.",
    impact: "Existing images and containers are not visible under the remapped root and must be pulled or recreated; host-namespace sharing, --privileged and some bind mounts need --userns=host or ownership changes.",
    notes: "docker-bench-security only reads the configuration; dockaudit, like aquasecurity/docker-bench, uses the effective value from the engine. Rootless (dockaudit's decision): not_applicable for a rootless daemon, which already runs in a user namespace of its unprivileged user and cannot use userns-remap.",
};

/// 2.10: Ensure the default cgroup usage has been confirmed.
pub static DEFAULT_CGROUP_PARENT: CheckMeta = CheckMeta {
    id: "2.10",
    section: "2",
    subsection: None,
    title: "Ensure the default cgroup usage has been confirmed",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "Containers are placed under Docker's default cgroup parent unless the daemon is told otherwise. A different parent can move them out of the resource controls the host was planned around, so a change must be deliberate.",
    audit: "Reads --cgroup-parent on the dockerd command line and \"cgroup-parent\" in daemon.json; passes when neither is set and warns when one is, so a person can confirm the choice.",
    remediation: "Remove the cgroup-parent setting unless it is intended; if it is, document the reason and the resource limits of that parent cgroup.",
    impact: "Removing a deliberate cgroup parent moves containers back under the default hierarchy and can change their resource accounting.",
    notes: "docker-bench-security's daemon.json test uses `grep -v ''`, which never matches, so a cgroup-parent set in daemon.json is missed.",
};

/// 2.11: Ensure base device size is not changed until needed.
pub static BASE_DEVICE_SIZE: CheckMeta = CheckMeta {
    id: "2.11",
    section: "2",
    subsection: None,
    title: "Ensure base device size is not changed until needed",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "With the devicemapper driver, dm.basesize sets the size of every container's base device. Raising it without need lets containers consume more disk and can fill the thin pool, affecting all containers.",
    audit: "Not applicable unless the storage driver (GET /info, Driver) is devicemapper. Otherwise passes iff no dm.basesize appears in --storage-opt on the dockerd command line or \"storage-opts\" in daemon.json.",
    remediation: "Remove dm.basesize from the storage options and restart the daemon; raise it only when a workload needs larger container filesystems.",
    impact: "Containers that need a larger root filesystem fail to write once the default size is reached.",
    notes: "The devicemapper driver was removed in Docker Engine 25, so current engines report not applicable.",
};

/// 2.12: Ensure that authorization for Docker client commands is enabled.
pub static AUTHORIZATION_PLUGIN: CheckMeta = CheckMeta {
    id: "2.12",
    section: "2",
    subsection: None,
    title: "Ensure that authorization for Docker client commands is enabled",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "Docker's default model is all or nothing: anyone with access to the socket can run any API call. An authorization plugin can allow or deny individual requests, for example forbidding privileged containers for some users.",
    audit: "Reads the active authorization plugins from the Engine API (GET /info, Plugins.Authorization) and passes iff at least one is configured.",
    remediation: "Install an authorization plugin (for example opa-docker-authz), enable it with \"authorization-plugins\": [\"<name>\"] in daemon.json or --authorization-plugin, and restart the daemon.",
    impact: "Every API request goes through the plugin; a faulty policy or an unavailable plugin can block all Docker commands, and the policy needs ongoing upkeep.",
    notes: "aquasecurity/docker-bench's test passes when the setting is absent, so a default install passes there. dockaudit uses the plugins the engine reports.",
};

/// 2.13: Ensure centralized and remote logging is configured.
pub static REMOTE_LOGGING: CheckMeta = CheckMeta {
    id: "2.13",
    section: "2",
    subsection: None,
    title: "Ensure centralized and remote logging is configured",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "Container logs kept only on the host are lost with the host and can be altered by an attacker who gains access to it. Shipping them to a central store keeps them available and tamper-resistant for investigation.",
    audit: "Reads the default log driver from the Engine API (GET /info, LoggingDriver). Passes for drivers that ship logs off the host (syslog, gelf, fluentd, awslogs, splunk, gcplogs, logentries, etwlogs, or a logging plugin), warns for journald, and fails for json-file, local and none.",
    remediation: "Set \"log-driver\" and \"log-opts\" in daemon.json, e.g. \"log-driver\": \"syslog\" with \"log-opts\": {\"syslog-address\": \"tcp+tls://logs.example.com:6514\"}, and restart the daemon; existing containers keep their old driver until recreated. With journald, confirm that the journal is forwarded to a central store.",
    impact: "Logging depends on the remote endpoint; with the default blocking mode an unreachable endpoint can stall containers, so consider \"mode\": \"non-blocking\" and plan for log loss.",
    notes: "docker-bench-security fails only json-file, so local and none pass; aquasecurity/docker-bench passes when no log driver is configured. dockaudit judges the effective driver, and leaves journald forwarding to a person.",
};

/// 2.14: Ensure containers are restricted from acquiring new privileges.
pub static NO_NEW_PRIVILEGES_DEFAULT: CheckMeta = CheckMeta {
    id: "2.14",
    section: "2",
    subsection: None,
    title: "Ensure containers are restricted from acquiring new privileges",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "Processes in a container can gain privileges through setuid or setgid binaries and file capabilities. Setting no-new-privileges daemon-wide blocks that escalation path for every container by default.",
    audit: "Reads --no-new-privileges on the dockerd command line (bare or with =true/=false) and \"no-new-privileges\" in daemon.json, since the engine API does not expose it; passes iff it is true.",
    remediation: "Set \"no-new-privileges\": true in daemon.json (or start dockerd with --no-new-privileges) and restart the daemon.",
    impact: "Programs that rely on setuid binaries inside containers, such as sudo or su, stop working there.",
    notes: "docker-bench-security's command-line match also accepts --no-new-privileges=false; aquasecurity/docker-bench does not see the bare flag. dockaudit parses the flag's value.",
};

/// 2.15: Ensure live restore is enabled.
pub static LIVE_RESTORE: CheckMeta = CheckMeta {
    id: "2.15",
    section: "2",
    subsection: None,
    title: "Ensure live restore is enabled",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "Without live restore, stopping or upgrading the daemon stops every container. Live restore keeps containers running while the daemon is down, which supports availability and makes patching the daemon less disruptive.",
    audit: "Reads LiveRestoreEnabled from the Engine API (GET /info) and passes iff it is true; not applicable when swarm mode is active, because live restore is incompatible with it.",
    remediation: "Set \"live-restore\": true in daemon.json and reload the daemon (`systemctl reload docker`) or restart it.",
    impact: "None expected for standalone hosts; containers may still be stopped by upgrades that skip daemon releases.",
    notes: "docker-bench-security counts swarm hosts as a pass; dockaudit reports them as not applicable.",
};

/// 2.16: Ensure Userland Proxy is Disabled.
pub static USERLAND_PROXY: CheckMeta = CheckMeta {
    id: "2.16",
    section: "2",
    subsection: None,
    title: "Ensure Userland Proxy is Disabled",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "The userland proxy runs a docker-proxy process for each published port. Where the kernel's hairpin NAT can forward the traffic, these processes only add attack surface and overhead.",
    audit: "Reads --userland-proxy on the dockerd command line and \"userland-proxy\" in daemon.json, since the engine API does not expose it; passes iff it is false.",
    remediation: "Set \"userland-proxy\": false in daemon.json (or --userland-proxy=false) and restart the daemon.",
    impact: "Published ports are then forwarded only by iptables NAT rules; access paths that depended on docker-proxy, such as some loopback or IPv6 cases, can behave differently, so test before rollout.",
    notes: "docker-bench-security only recognises the literal --userland-proxy=false, so the separate-argument form gives a false warning.",
};

/// 2.17: Ensure that a daemon-wide custom seccomp profile is applied if appropriate.
pub static DEFAULT_SECCOMP_PROFILE: CheckMeta = CheckMeta {
    id: "2.17",
    section: "2",
    subsection: None,
    title: "Ensure that a daemon-wide custom seccomp profile is applied if appropriate",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "seccomp limits which system calls container processes may make, reducing the kernel attack surface. Docker's default profile blocks dozens of dangerous calls; running without it, or with an unconfined profile, exposes the whole syscall interface.",
    audit: "Reads the seccomp entry in SecurityOptions from the Engine API (GET /info). Passes when seccomp is enabled with the default (\"default\" or \"builtin\") or a custom profile; fails when the profile is unconfined, or when seccomp is missing although the host kernel supports it.",
    remediation: "Keep the built-in profile, or set \"seccomp-profile\": \"/etc/docker/seccomp/profile.json\" in daemon.json (or --seccomp-profile) to a reviewed custom profile, and restart the daemon; never set it to unconfined.",
    impact: "A stricter custom profile can break applications that need the blocked system calls; test it against each workload.",
    notes: "docker-bench-security passes only on profile=default, so engines that report profile=builtin for the same default get an informational result.",
};

/// 2.18: Ensure that experimental features are not implemented in production.
pub static EXPERIMENTAL_FEATURES: CheckMeta = CheckMeta {
    id: "2.18",
    section: "2",
    subsection: None,
    title: "Ensure that experimental features are not implemented in production",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "Experimental features are unfinished, may change or disappear, and have not had the review that stable features get. Enabling them in production adds behaviour and attack surface that are not supported.",
    audit: "Reads Experimental from the Engine API (GET /version, where the field is omitted when false; GET /info ExperimentalBuild as fallback) and passes iff experimental features are off.",
    remediation: "Remove \"experimental\": true from daemon.json and the --experimental flag, then restart the daemon.",
    impact: "Features that exist only in experimental mode (for example container checkpoint and restore) become unavailable.",
    notes: "docker-bench-security evaluates this only on engines up to 19.03 and prints an informational \"Deprecated\" line without the check id on newer ones, although CIS 1.6.0 still includes it.",
};

/// This section's recommendations in benchmark order.
pub(super) static CHECKS: [&CheckMeta; 18] = [
    &ROOTLESS_DAEMON,
    &DEFAULT_BRIDGE_ICC,
    &LOG_LEVEL,
    &IPTABLES_MANAGED,
    &INSECURE_REGISTRIES,
    &AUFS_STORAGE_DRIVER,
    &DAEMON_TLS,
    &DEFAULT_ULIMITS,
    &USERNS_REMAP,
    &DEFAULT_CGROUP_PARENT,
    &BASE_DEVICE_SIZE,
    &AUTHORIZATION_PLUGIN,
    &REMOTE_LOGGING,
    &NO_NEW_PRIVILEGES_DEFAULT,
    &LIVE_RESTORE,
    &USERLAND_PROXY,
    &DEFAULT_SECCOMP_PROFILE,
    &EXPERIMENTAL_FEATURES,
];
