//! Section 5 of CIS Docker Benchmark v1.6.0: container runtime configuration.

use super::{Assessment, CheckMeta, Evaluation, Severity};

/// 5.1: Ensure swarm mode is not Enabled, if not needed.
pub static SWARM_MODE: CheckMeta = CheckMeta {
    id: "5.1",
    section: "5",
    subsection: None,
    title: "Ensure swarm mode is not Enabled, if not needed",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "An active swarm opens cluster ports (2377/tcp, 7946/tcp+udp, 4789/udp) and runs a Raft store and a certificate authority on the host. On a host that is not meant to be part of a cluster this is needless attack surface.",
    audit: "dockaudit reads `Swarm.LocalNodeState` from `GET /info`: pass when it is `inactive`, warn when the node takes part in a swarm, since only a person can tell whether clustering is needed.",
    remediation: "On hosts that do not need clustering, leave the swarm with `docker swarm leave` (a manager needs `--force`, after its services have been moved).",
    impact: "Swarm services, secrets and configs are no longer available on that node; never do this on an intended cluster member.",
    notes: "docker-bench-security greps the text of `docker info`; dockaudit uses the structured field and warns instead of failing because the recommendation is conditional.",
};

/// 5.2: Ensure that, if applicable, an AppArmor Profile is enabled.
pub static APPARMOR_PROFILE: CheckMeta = CheckMeta {
    id: "5.2",
    section: "5",
    subsection: None,
    title: "Ensure that, if applicable, an AppArmor Profile is enabled",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "AppArmor limits which files, mounts and capabilities a containerised process may use, a second barrier when the application or a namespace is broken. A container running unconfined loses that barrier on hosts that support it.",
    audit: "Not applicable when `SecurityOptions` in `GET /info` lacks `name=apparmor`. Otherwise, for every running and stopped container, dockaudit reads `AppArmorProfile` and `HostConfig.Privileged` from `GET /containers/{id}/json` and fails the container when the profile is empty or `unconfined`, or the container is privileged.",
    remediation: "Keep the default `docker-default` profile (do not pass `--security-opt apparmor=unconfined` or `--privileged`), or load a tailored profile with `apparmor_parser -r -W /etc/apparmor.d/<profile>` and run with `--security-opt apparmor=<profile>`.",
    impact: "A strict profile can block operations the application needs, so custom profiles must be tested and maintained with it.",
    notes: "docker-bench-security fails every container on hosts without AppArmor (e.g. SELinux distributions); dockaudit reports not applicable there. Privileged containers run unconfined whatever their profile field says, so they fail here.",
};

/// 5.3: Ensure that, if applicable, SELinux security options are set.
pub static SELINUX_OPTIONS: CheckMeta = CheckMeta {
    id: "5.3",
    section: "5",
    subsection: None,
    title: "Ensure that, if applicable, SELinux security options are set",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "SELinux labels confine each container with mandatory access control, so a process that escapes its namespaces still cannot touch host files or other containers' data. With labelling disabled, only discretionary permissions and namespaces remain.",
    audit: "Not applicable unless `SecurityOptions` in `GET /info` contains `name=selinux`. Otherwise, for every running and stopped container, dockaudit fails the container when it has no SELinux label (`ProcessLabel` in `GET /containers/{id}/json` is empty) or `HostConfig.SecurityOpt` contains `label=disable` or `label:disable`.",
    remediation: "Run the daemon with `--selinux-enabled` (or `\"selinux-enabled\": true` in daemon.json), stop using `--security-opt label=disable`, and set a specific type where needed, e.g. `--security-opt label=type:<container_type>`.",
    impact: "Bind mounts need the right labels (`:z` or `:Z` suffixes) or access is denied; writing custom policy needs SELinux expertise.",
    notes: "docker-bench-security passes any container whose `SecurityOpt` is non-empty, so `no-new-privileges:false` alone satisfies it; dockaudit requires an actual label.",
};

/// 5.4: Ensure that Linux kernel capabilities are restricted within containers.
pub static ADDED_CAPABILITIES: CheckMeta = CheckMeta {
    id: "5.4",
    section: "5",
    subsection: None,
    title: "Ensure that Linux kernel capabilities are restricted within containers",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::High,
    rationale: "Capabilities split root's power into pieces. Each one added beyond Docker's defaults (SYS_ADMIN, SYS_PTRACE, SYS_MODULE, NET_ADMIN, DAC_READ_SEARCH and others) gives the container kernel-level powers that are well-known escape routes. Granting only what the workload needs keeps a compromised process weak.",
    audit: "For every running and stopped container, dockaudit reads `HostConfig.CapAdd` and `HostConfig.Privileged` from `GET /containers/{id}/json` and fails the container when `CapAdd` contains `ALL` or any capability outside Docker's default set (compared case-insensitively, with or without the `CAP_` prefix), or when it is privileged.",
    remediation: "Drop everything and add back only what is required, e.g. `docker run --cap-drop ALL --cap-add NET_BIND_SERVICE <image>`; consider dropping default capabilities such as `NET_RAW` too.",
    impact: "An application that needs a removed capability fails with permission errors until that capability is added back explicitly.",
    notes: "docker-bench-security ignores `Privileged`, and its community capability checks miss `ALL`. dockaudit fails only additions beyond the default set; it does not require `--cap-drop`, although dropping defaults is good practice.",
};

/// 5.5: Ensure that privileged containers are not used.
pub static PRIVILEGED_CONTAINERS: CheckMeta = CheckMeta {
    id: "5.5",
    section: "5",
    subsection: None,
    title: "Ensure that privileged containers are not used",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Critical,
    rationale: "`--privileged` grants every capability and all host devices and lifts the seccomp, AppArmor or SELinux and device cgroup restrictions. A process in such a container can take over the host with little effort.",
    audit: "For every running and stopped container, dockaudit reads `HostConfig.Privileged` from `GET /containers/{id}/json` and fails the container when it is true.",
    remediation: "Recreate the container without `--privileged`, granting only the specific capabilities (`--cap-add`) and devices (`--device`) it needs.",
    impact: "Workloads such as Docker-in-Docker or hardware management tools may need redesign, e.g. rootless image builders.",
    notes: "",
};

/// 5.6: Ensure sensitive host system directories are not mounted on containers.
pub static SENSITIVE_HOST_MOUNTS: CheckMeta = CheckMeta {
    id: "5.6",
    section: "5",
    subsection: None,
    title: "Ensure sensitive host system directories are not mounted on containers",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Critical,
    rationale: "A container that mounts host system directories can read or change host configuration, binaries, kernel interfaces or devices, for example by editing `/etc/shadow` or writing under `/proc/sys`. Even read-only mounts expose secrets and details that help an attacker escalate.",
    audit: "For every running and stopped container, dockaudit inspects `Mounts[]` in `GET /containers/{id}/json` and fails the container when a bind mount's `Source` is `/`, `/boot`, `/dev`, `/etc`, `/lib`, `/lib64`, `/proc`, `/sys` or `/usr`, or lies below `/boot`, `/dev`, `/etc`, `/proc` or `/sys`, whatever the destination and whether it is read-write or read-only. Read-only mounts of public data (`/etc/localtime`, `/etc/timezone`, CA certificate directories) are accepted.",
    remediation: "Mount only the specific files or subdirectories needed, read-only where possible (e.g. `-v /etc/myapp:/config:ro`), or use named volumes; pass single devices with `--device` instead of mounting `/dev`.",
    impact: "Host agents that genuinely need such paths (monitoring, log shippers) must be documented as exceptions.",
    notes: "docker-bench-security runs a regex over the rendered mount list, which also matches destinations and neighbouring mounts and gives nondeterministic results; aqua expects text that never appears, so it always passes. dockaudit compares the structured `Source` field; subdirectories such as `/etc/ssl` are not flagged.",
};

/// 5.7: Ensure sshd is not run within containers.
pub static SSHD_IN_CONTAINERS: CheckMeta = CheckMeta {
    id: "5.7",
    section: "5",
    subsection: None,
    title: "Ensure sshd is not run within containers",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "An SSH daemon in a container adds a network service, credentials and host keys that must be managed and patched, and a way in that bypasses Docker's access control and audit trail. `docker exec` covers the legitimate need.",
    audit: "For each running container, dockaudit lists its processes from the host side, never by executing anything in the container: from the host's `/proc` and the container's cgroup when host files are readable (the same list `GET /containers/{id}/top` returns, without the daemon running `runc ps` and `ps` per container), else with `GET /containers/{id}/top`. It fails the container when any process's executable is `sshd`. Stopped containers cannot be evaluated and are listed as not checked.",
    remediation: "Remove the SSH server from the image and its start-up script, and administer the container with `docker exec -it <container> sh`.",
    impact: "Workflows that SSH into containers must move to `docker exec` or the orchestrator's equivalent.",
    notes: "docker-bench-security runs `docker exec <c> ps` twice per container: intrusive, and images without `ps` (distroless, minimal busybox) silently pass. dockaudit never executes commands inside containers.",
};

/// 5.8: Ensure privileged ports are not mapped within containers.
pub static PRIVILEGED_PORTS: CheckMeta = CheckMeta {
    id: "5.8",
    section: "5",
    subsection: None,
    title: "Ensure privileged ports are not mapped within containers",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "Host ports below 1024 are by convention reserved for privileged system services, and clients treat them as such. Publishing a container on one lets it stand in for a trusted service and receive traffic meant for it.",
    audit: "For every running and stopped container, dockaudit reads the published host ports (`HostConfig.PortBindings` and `NetworkSettings.Ports` in `GET /containers/{id}/json`) and fails the container when any `HostPort` is below 1024; 1024 itself passes.",
    remediation: "Publish on a host port of 1024 or above, e.g. `-p 8443:8443` instead of `-p 443:8443`, and put a reverse proxy or load balancer in front where a well-known port is required.",
    impact: "Clients or upstream proxies must be pointed at the new port.",
    notes: "docker-bench-security flags ports up to 1024 inclusive and parses `docker port` text, skipping IPv6 bindings such as `[::]:80`.",
};

/// 5.9: Ensure that only needed ports are open on the container.
pub static PUBLISHED_PORTS: CheckMeta = CheckMeta {
    id: "5.9",
    section: "5",
    subsection: None,
    title: "Ensure that only needed ports are open on the container",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Medium,
    rationale: "Every published port is a reachable entry point. Ports opened just in case, or published wholesale with `-P`, widen the attack surface without serving the application.",
    audit: "A person decides which ports are needed. dockaudit lists, for every running and stopped container, the published ports and whether all exposed ports are published (`HostConfig.PortBindings`, `HostConfig.PublishAllPorts` and `NetworkSettings.Ports` in `GET /containers/{id}/json`).",
    remediation: "Publish only the ports the service needs, explicitly (e.g. `-p 127.0.0.1:8080:8080`), and avoid `-P`/`--publish-all`.",
    impact: "Anything that relied on an undocumented published port becomes unreachable until it is added deliberately.",
    notes: "docker-bench-security scores this and warns on every published port, penalising any network service; dockaudit only reports the facts.",
};

/// 5.10: Ensure that the host's network namespace is not shared.
pub static HOST_NETWORK_NAMESPACE: CheckMeta = CheckMeta {
    id: "5.10",
    section: "5",
    subsection: None,
    title: "Ensure that the host's network namespace is not shared",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Critical,
    rationale: "With host networking the container can bind any host interface, reach services listening on the host's localhost and, with NET_RAW, observe host traffic. It bypasses Docker's network isolation and port publishing entirely.",
    audit: "For every running and stopped container, dockaudit reads `HostConfig.NetworkMode` from `GET /containers/{id}/json` and fails the container when it is `host`.",
    remediation: "Remove `--network host` and attach the container to a user-defined network with explicit `-p` publishing.",
    impact: "NAT adds a little latency; tools that truly need the host stack (some network monitors) must be documented exceptions.",
    notes: "",
};

/// 5.11: Ensure that the memory usage for containers is limited.
pub static MEMORY_LIMITS: CheckMeta = CheckMeta {
    id: "5.11",
    section: "5",
    subsection: None,
    title: "Ensure that the memory usage for containers is limited",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "Without a limit one container can use all host memory and trigger the OOM killer against other containers or host services. A single bug or attack becomes a host-wide denial of service.",
    audit: "For every running and stopped container, dockaudit reads `HostConfig.Memory` from `GET /containers/{id}/json` and fails the container when it is 0 (unlimited).",
    remediation: "Set a limit sized for the workload, e.g. `docker run --memory 512m --memory-swap 512m <image>`, or apply it to an existing container with `docker update --memory 512m --memory-swap 512m <container>`.",
    impact: "A limit that is too low gets the container OOM-killed; limits need sizing and monitoring.",
    notes: "docker-bench-security first queries the legacy `Config.Memory` field; dockaudit uses only `HostConfig.Memory`.",
};

/// 5.12: Ensure that CPU priority is set appropriately on containers.
pub static CPU_SHARES: CheckMeta = CheckMeta {
    id: "5.12",
    section: "5",
    subsection: None,
    title: "Ensure that CPU priority is set appropriately on containers",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "By default all containers get equal, unbounded access to CPU, so a busy or compromised container can starve its neighbours and host services.",
    audit: "For every running and stopped container, dockaudit reads `HostConfig.CpuShares`, `HostConfig.NanoCpus` and `HostConfig.CpuQuota` from `GET /containers/{id}/json` and fails the container when all three are 0, i.e. neither a relative weight nor a CPU cap is set.",
    remediation: "Set a relative weight or a hard cap, e.g. `docker run --cpu-shares 512 <image>` or `docker run --cpus 1.5 <image>`.",
    impact: "Capped containers run slower under load; weights only take effect when CPUs are contended.",
    notes: "aqua requires 0 < CpuShares < 1024 and ignores `--cpus`; dev-sec rejects an explicit 1024. dockaudit accepts any explicit weight, quota or `--cpus` value.",
};

/// 5.13: Ensure that the container's root filesystem is mounted as read only.
pub static READ_ONLY_ROOT_FS: CheckMeta = CheckMeta {
    id: "5.13",
    section: "5",
    subsection: None,
    title: "Ensure that the container's root filesystem is mounted as read only",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "A writable root filesystem lets an attacker drop tools, alter binaries or configuration, and persist inside the container. A read-only root with explicit writable volumes keeps changes small and visible.",
    audit: "For every running and stopped container, dockaudit reads `HostConfig.ReadonlyRootfs` from `GET /containers/{id}/json` and fails the container when it is false.",
    remediation: "Run with `--read-only` and add writable locations explicitly, e.g. `--tmpfs /tmp` and named volumes for data.",
    impact: "Applications that write to arbitrary paths (caches, PID files, logs) need those paths mapped to tmpfs or volumes.",
    notes: "aqua reports this check under the id 5.12, duplicating the CPU check's id.",
};

/// 5.14: Ensure that incoming container traffic is bound to a specific host interface.
pub static HOST_INTERFACE_BINDING: CheckMeta = CheckMeta {
    id: "5.14",
    section: "5",
    subsection: None,
    title: "Ensure that incoming container traffic is bound to a specific host interface",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "A port published without a host address listens on every interface, including public ones. Docker's own NAT rules are applied before many host firewall setups (e.g. ufw), so the exposure is easy to overlook.",
    audit: "For every running and stopped container, dockaudit reads the `HostIp` of each port binding (`HostConfig.PortBindings` and `NetworkSettings.Ports` in `GET /containers/{id}/json`) and fails the container when it is empty, `0.0.0.0` or `::`.",
    remediation: "Bind to the intended address, e.g. `-p 10.0.0.5:8080:8080` or `-p 127.0.0.1:5432:5432`; `\"ip\": \"127.0.0.1\"` in daemon.json changes the default for ports published without an address.",
    impact: "The service becomes unreachable on other interfaces; multi-homed hosts need per-interface planning.",
    notes: "docker-bench-security and aqua look only for `0.0.0.0`, so IPv6 wildcard bindings slip through; dev-sec's comparison always passes.",
};

/// 5.15: Ensure that the 'on-failure' container restart policy is set to '5'.
pub static RESTART_POLICY: CheckMeta = CheckMeta {
    id: "5.15",
    section: "5",
    subsection: None,
    title: "Ensure that the 'on-failure' container restart policy is set to '5'",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "A container that is restarted forever can keep a crashing or exploited process cycling, hide the problem and keep consuming resources. A bounded on-failure policy stops a broken container after a few attempts and makes the failure visible.",
    audit: "For every running and stopped container, dockaudit reads `HostConfig.RestartPolicy` from `GET /containers/{id}/json`: pass when `Name` is empty or `no`, or `on-failure` with `MaximumRetryCount` from 1 to 5; `always`, `unless-stopped`, `on-failure` with 0 (unlimited) or more than 5 retries fail. On a swarm manager, services' restart policies are judged the same way.",
    remediation: "Use `docker run --restart on-failure:5 <image>`, or change an existing container with `docker update --restart on-failure:5 <container>`.",
    impact: "A container that fails five times stays down until someone intervenes, and unlike `always` it is not restarted after a clean exit.",
    notes: "docker-bench-security checks only the retry count, so `always` and `unless-stopped` pass there; aqua demands `no`, failing `on-failure:5`. Swarm tasks follow their service's restart policy rather than this field.",
};

/// 5.16: Ensure that the host's process namespace is not shared.
pub static HOST_PID_NAMESPACE: CheckMeta = CheckMeta {
    id: "5.16",
    section: "5",
    subsection: None,
    title: "Ensure that the host's process namespace is not shared",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Critical,
    rationale: "Sharing the host PID namespace lets the container see every host process and, with enough privilege, signal, trace or inspect them (for example their environment via /proc). That makes escape and credential theft much easier.",
    audit: "For every running and stopped container, dockaudit reads `HostConfig.PidMode` from `GET /containers/{id}/json` and fails the container when it is `host`.",
    remediation: "Remove `--pid host`; to share processes with one other container, use `--pid container:<name>` instead.",
    impact: "Host monitoring or debugging tools that need to see all processes must be documented exceptions.",
    notes: "",
};

/// 5.17: Ensure that the host's IPC namespace is not shared.
pub static HOST_IPC_NAMESPACE: CheckMeta = CheckMeta {
    id: "5.17",
    section: "5",
    subsection: None,
    title: "Ensure that the host's IPC namespace is not shared",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::High,
    rationale: "Sharing the host IPC namespace exposes the host's shared memory segments, semaphores and message queues, so the container can read or corrupt data of host processes.",
    audit: "For every running and stopped container, dockaudit reads `HostConfig.IpcMode` from `GET /containers/{id}/json` and fails the container when it is `host`.",
    remediation: "Remove `--ipc host`; to share IPC between containers, start one with `--ipc shareable` and the others with `--ipc container:<name>`.",
    impact: "Applications that rely on host shared memory need a different design or a documented exception.",
    notes: "",
};

/// 5.18: Ensure that host devices are not directly exposed to containers.
pub static HOST_DEVICES: CheckMeta = CheckMeta {
    id: "5.18",
    section: "5",
    subsection: None,
    title: "Ensure that host devices are not directly exposed to containers",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::High,
    rationale: "A host device node passed into a container lets it read or write the hardware directly, for example a raw disk, bypassing filesystem permissions. Some devices also allow reconfiguring the host.",
    audit: "A person decides whether each device is needed. dockaudit lists, for every running and stopped container, `HostConfig.Devices` (host path, container path, permissions), `HostConfig.DeviceCgroupRules` and `HostConfig.DeviceRequests` (e.g. GPUs) from `GET /containers/{id}/json`.",
    remediation: "Remove `--device` options that are not needed and narrow the rest, e.g. `--device /dev/ttyUSB0:/dev/ttyUSB0:r` for read-only access.",
    impact: "Hardware-dependent workloads need reviewed exceptions.",
    notes: "docker-bench-security ignores device cgroup rules and device requests such as GPUs.",
};

/// 5.19: Ensure that the default ulimit is overwritten at runtime if needed.
pub static ULIMIT_OVERRIDES: CheckMeta = CheckMeta {
    id: "5.19",
    section: "5",
    subsection: None,
    title: "Ensure that the default ulimit is overwritten at runtime if needed",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Low,
    rationale: "A per-container ulimit replaces the daemon's defaults. Raising limits such as open files or processes removes a guard against resource exhaustion, so overrides should be deliberate and justified.",
    audit: "A person decides. dockaudit lists `HostConfig.Ulimits` from `GET /containers/{id}/json` for every running and stopped container; an empty list means the daemon defaults apply.",
    remediation: "Rely on daemon defaults (`--default-ulimit` or `\"default-ulimits\"`) and override only where justified, e.g. `docker run --ulimit nofile=4096:8192 <image>`.",
    impact: "Limits that are too low cause failures under load.",
    notes: "docker-bench-security lists the containers without an override, which reads as if the defaults were the problem; dockaudit lists the overrides.",
};

/// 5.20: Ensure mount propagation mode is not set to shared.
pub static SHARED_MOUNT_PROPAGATION: CheckMeta = CheckMeta {
    id: "5.20",
    section: "5",
    subsection: None,
    title: "Ensure mount propagation mode is not set to shared",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "With shared propagation, mounts made inside the container appear on the host and the other way round, so a container can alter the host's mount table.",
    audit: "For every running and stopped container, dockaudit reads `Mounts[].Propagation` from `GET /containers/{id}/json` and fails the container when any mount is `shared` or `rshared`.",
    remediation: "Keep the default `rprivate`, or use `rslave` when host mounts must become visible in the container (e.g. `-v /data:/data:rslave`); do not use `:shared` or `:rshared`.",
    impact: "Tools that must publish mounts back to the host, such as storage drivers, need documented exceptions.",
    notes: "",
};

/// 5.21: Ensure that the host's UTS namespace is not shared.
pub static HOST_UTS_NAMESPACE: CheckMeta = CheckMeta {
    id: "5.21",
    section: "5",
    subsection: None,
    title: "Ensure that the host's UTS namespace is not shared",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "Sharing the UTS namespace lets the container see and, with enough privilege, change the host's hostname and NIS domain name, which can disrupt services and log identity.",
    audit: "For every running and stopped container, dockaudit reads `HostConfig.UTSMode` from `GET /containers/{id}/json` and fails the container when it is `host`.",
    remediation: "Remove `--uts host` and set a container hostname with `--hostname` if needed.",
    impact: "Rarely any; software that must report the host's name has to receive it another way.",
    notes: "aqua reports this check under the id 5.20.",
};

/// 5.22: Ensure the default seccomp profile is not Disabled.
pub static SECCOMP_PROFILE: CheckMeta = CheckMeta {
    id: "5.22",
    section: "5",
    subsection: None,
    title: "Ensure the default seccomp profile is not Disabled",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::High,
    rationale: "The default seccomp profile blocks dozens of rarely needed system calls, such as those for loading kernel modules or manipulating keyrings, that are frequent kernel attack targets. Disabling it exposes the whole system call interface.",
    audit: "For every running and stopped container, dockaudit reads `HostConfig.SecurityOpt` and `HostConfig.Privileged` from `GET /containers/{id}/json` and fails the container when `SecurityOpt` contains `seccomp=unconfined` or `seccomp:unconfined`, or when it is privileged (privileged containers run without seccomp).",
    remediation: "Remove `--security-opt seccomp=unconfined`; if a call is missing, start from Docker's default profile, allow only that call and use `--security-opt seccomp=/path/to/profile.json`.",
    impact: "Applications that use blocked calls fail until a tailored profile allows them.",
    notes: "docker-bench-security and aqua do not flag privileged containers here although they run unconfined.",
};

/// 5.23: Ensure that docker exec commands are not used with the privileged option.
pub static PRIVILEGED_EXEC: CheckMeta = CheckMeta {
    id: "5.23",
    section: "5",
    subsection: None,
    title: "Ensure that docker exec commands are not used with the privileged option",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::High,
    rationale: "`docker exec --privileged` gives the new process all capabilities and lifts its confinement, even inside a container that was started with restrictions.",
    audit: "A person decides from an audit trail of exec sessions (e.g. auditd records of docker commands). The Engine API keeps no history of past exec options, so dockaudit collects nothing for this check.",
    remediation: "Do not use `docker exec --privileged`; limit who can reach the Docker socket and use an authorization plugin to deny privileged exec requests.",
    impact: "Debugging that needs elevated rights must follow a separately approved procedure.",
    notes: "aqua searches the audit log with `ausearch`, which is slow and needs readable audit logs; docker-bench-security only prints a note.",
};

/// 5.24: Ensure that docker exec commands are not used with the user=root option.
pub static ROOT_EXEC: CheckMeta = CheckMeta {
    id: "5.24",
    section: "5",
    subsection: None,
    title: "Ensure that docker exec commands are not used with the user=root option",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Medium,
    rationale: "`docker exec --user root` opens a root session inside a container that was meant to run unprivileged, undoing the protection of a non-root image user.",
    audit: "A person decides from an audit trail of exec sessions (e.g. auditd records of docker commands). The Engine API keeps no history of past exec options, so dockaudit collects nothing for this check.",
    remediation: "Do not use `docker exec --user root` (or `-u 0`); limit who can reach the Docker socket and use an authorization plugin to deny such requests.",
    impact: "Administrative fixes inside containers must be done by rebuilding the image or via an approved procedure.",
    notes: "aqua searches the audit log with `ausearch`, which is slow and needs readable audit logs; docker-bench-security only prints a note.",
};

/// 5.25: Ensure that cgroup usage is confirmed.
pub static CGROUP_PARENT: CheckMeta = CheckMeta {
    id: "5.25",
    section: "5",
    subsection: None,
    title: "Ensure that cgroup usage is confirmed",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "A custom cgroup parent places a container outside the daemon's default hierarchy, where different or no resource limits and accounting may apply. An unexpected parent can let a container escape intended limits.",
    audit: "For every running and stopped container, dockaudit reads `HostConfig.CgroupParent` from `GET /containers/{id}/json`: pass when it is empty, warn when it is set so a person confirms that the parent is intended.",
    remediation: "Remove `--cgroup-parent` unless it is required, and document the cgroups used where it is.",
    impact: "Resource controls configured through the custom parent must be recreated in the default hierarchy.",
    notes: "",
};

/// 5.26: Ensure that the container is restricted from acquiring additional privileges.
pub static NO_NEW_PRIVILEGES: CheckMeta = CheckMeta {
    id: "5.26",
    section: "5",
    subsection: None,
    title: "Ensure that the container is restricted from acquiring additional privileges",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "Without the no_new_privs flag a process can gain privileges through setuid or setgid binaries or file capabilities. Setting it closes that escalation path inside the container.",
    audit: "Pass when the daemon enables no-new-privileges globally (command line or daemon.json, as in 2.14) or when the container's `HostConfig.SecurityOpt` in `GET /containers/{id}/json` contains `no-new-privileges`, `no-new-privileges=true` or `no-new-privileges:true`; an explicit `=false` or `:false` fails. Running and stopped containers are judged.",
    remediation: "Start containers with `docker run --security-opt no-new-privileges <image>`, or set `\"no-new-privileges\": true` in daemon.json for all containers.",
    impact: "setuid tools such as `su` or `sudo` no longer raise privileges inside the container.",
    notes: "docker-bench-security and aqua use substring tests, so `no-new-privileges:false` passes; aqua also ignores the daemon-wide setting and fails containers that inherit it.",
};

/// 5.27: Ensure that container health is checked at runtime.
pub static HEALTH_CHECKED: CheckMeta = CheckMeta {
    id: "5.27",
    section: "5",
    subsection: None,
    title: "Ensure that container health is checked at runtime",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "Without a health check the engine and orchestrators treat a hung service as healthy, so nobody is alerted and nothing replaces it.",
    audit: "For every running and stopped container, dockaudit reads `Config.Healthcheck` from `GET /containers/{id}/json` (the image's HEALTHCHECK merged with any `--health-*` options) and fails the container when it is absent or its test is `NONE`.",
    remediation: "Define a health check in the image or at run time, e.g. `docker run --health-cmd 'wget -qO- http://localhost:8080/health || exit 1' --health-interval 30s <image>`, and do not use `--no-healthcheck`.",
    impact: "Probes use a little CPU and need a suitable binary in the image; a poorly chosen probe can mark a working container unhealthy.",
    notes: "docker-bench-security relies on a template error when `State.Health` is missing and only sees running containers; dockaudit reads the configuration, so stopped containers are judged too. An unhealthy status is not itself a failure here.",
};

/// 5.28: Ensure that Docker commands always make use of the latest version of their image.
pub static IMAGE_FRESHNESS: CheckMeta = CheckMeta {
    id: "5.28",
    section: "5",
    subsection: None,
    title: "Ensure that Docker commands always make use of the latest version of their image",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Low,
    rationale: "Docker does not re-pull images on its own. A locally cached tag can point to an older build than the registry holds, so containers keep running content that has since been fixed.",
    audit: "A person decides. dockaudit lists, for every running and stopped container, the image reference and image ID it uses (`Config.Image` and `Image` in `GET /containers/{id}/json`); it does not query registries.",
    remediation: "Pull before deploying (`docker pull <ref>` or `docker run --pull always <ref>`), prefer references pinned by digest that are updated deliberately, and recreate containers after an update.",
    impact: "Pulling at every start adds latency and a dependency on the registry; a moving tag can bring unplanned changes unless digests are pinned.",
    notes: "",
};

/// 5.29: Ensure that the PIDs cgroup limit is used.
pub static PIDS_LIMIT: CheckMeta = CheckMeta {
    id: "5.29",
    section: "5",
    subsection: None,
    title: "Ensure that the PIDs cgroup limit is used",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "Without a PID limit a fork bomb or runaway process spawner in one container can exhaust the host's process table and stall every workload on it.",
    audit: "For every running and stopped container, dockaudit reads `HostConfig.PidsLimit` from `GET /containers/{id}/json` and fails the container when it is null, 0 or -1, all of which mean unlimited.",
    remediation: "Set a limit sized for the workload, e.g. `docker run --pids-limit 200 <image>` or `docker update --pids-limit 200 <container>`.",
    impact: "A limit that is too low makes process or thread creation fail for legitimate multi-process workloads.",
    notes: "aqua marks this check Automated, unlike CIS 1.6.0 itself.",
};

/// 5.30: Ensure that Docker's default bridge 'docker0' is not used.
pub static DEFAULT_BRIDGE: CheckMeta = CheckMeta {
    id: "5.30",
    section: "5",
    subsection: None,
    title: "Ensure that Docker's default bridge 'docker0' is not used",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "All containers on the default bridge share one network segment where, unless inter-container communication is disabled, they can reach each other freely and ARP or MAC spoofing is possible. User-defined networks isolate applications from each other and provide name resolution.",
    audit: "For every running and stopped container, dockaudit fails the container when it is attached to the default `bridge` network (the one backed by `docker0`), as shown by `NetworkSettings.Networks` and `HostConfig.NetworkMode` (`default` or `bridge`) in `GET /containers/{id}/json`.",
    remediation: "Create a user-defined network and use it: `docker network create app-net`, then `docker run --network app-net <image>`, or `docker network connect app-net <container>` followed by `docker network disconnect bridge <container>`.",
    impact: "Legacy `--link` connections stop working, and containers on different networks can only talk when connected deliberately.",
    notes: "docker-bench-security lists every container on docker0, ignoring its own include and exclude filters; dockaudit applies the same container scope as the other section 5 checks.",
};

/// 5.31: Ensure that the host's user namespaces are not shared.
pub static HOST_USER_NAMESPACE: CheckMeta = CheckMeta {
    id: "5.31",
    section: "5",
    subsection: None,
    title: "Ensure that the host's user namespaces are not shared",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::High,
    rationale: "When the daemon remaps users, `--userns host` opts a container out of the remapping, so root in that container is root on the host again.",
    audit: "For every running and stopped container, dockaudit reads `HostConfig.UsernsMode` from `GET /containers/{id}/json` and fails the container when it is `host`.",
    remediation: "Remove `--userns host` so the container uses the daemon's user-namespace remapping.",
    impact: "Containers that need host UID mapping, for instance for certain host mounts, need a documented exception.",
    notes: "aqua evaluates only the first container it finds.",
};

/// 5.32: Ensure that the Docker socket is not mounted inside any containers.
pub static DOCKER_SOCKET_MOUNTS: CheckMeta = CheckMeta {
    id: "5.32",
    section: "5",
    subsection: None,
    title: "Ensure that the Docker socket is not mounted inside any containers",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Critical,
    rationale: "Access to the daemon's socket equals root on the host: a container holding it can start a privileged container with the host's root filesystem mounted. A read-only bind mount does not help, because the API is still reachable through the socket.",
    audit: "For every running and stopped container, dockaudit inspects `Mounts[].Source` in `GET /containers/{id}/json` and fails the container when a source is the daemon's unix socket (`/var/run/docker.sock`, `/run/docker.sock` or the configured `-H unix://` path) or a directory containing it, such as `/var/run` or `/run`.",
    remediation: "Recreate the container without the Docker socket mount. If a tool really needs the API, give it a filtering proxy that allows only the endpoints it uses, or run it against a rootless daemon.",
    impact: "CI runners, reverse proxies and monitoring agents that discover containers through the socket need another mechanism or a documented exception.",
    notes: "docker-bench-security greps `docker.sock` in the mount text, so it misses `-v /var/run:/var/run` and renamed sockets.",
};

/// This section's recommendations in benchmark order.
pub(super) static CHECKS: [&CheckMeta; 32] = [
    &SWARM_MODE,
    &APPARMOR_PROFILE,
    &SELINUX_OPTIONS,
    &ADDED_CAPABILITIES,
    &PRIVILEGED_CONTAINERS,
    &SENSITIVE_HOST_MOUNTS,
    &SSHD_IN_CONTAINERS,
    &PRIVILEGED_PORTS,
    &PUBLISHED_PORTS,
    &HOST_NETWORK_NAMESPACE,
    &MEMORY_LIMITS,
    &CPU_SHARES,
    &READ_ONLY_ROOT_FS,
    &HOST_INTERFACE_BINDING,
    &RESTART_POLICY,
    &HOST_PID_NAMESPACE,
    &HOST_IPC_NAMESPACE,
    &HOST_DEVICES,
    &ULIMIT_OVERRIDES,
    &SHARED_MOUNT_PROPAGATION,
    &HOST_UTS_NAMESPACE,
    &SECCOMP_PROFILE,
    &PRIVILEGED_EXEC,
    &ROOT_EXEC,
    &CGROUP_PARENT,
    &NO_NEW_PRIVILEGES,
    &HEALTH_CHECKED,
    &IMAGE_FRESHNESS,
    &PIDS_LIMIT,
    &DEFAULT_BRIDGE,
    &HOST_USER_NAMESPACE,
    &DOCKER_SOCKET_MOUNTS,
];
