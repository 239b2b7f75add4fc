//! Section 5: container runtime configuration.
//!
//! Every container in scope is judged, running or stopped: a stopped container starts again with
//! the same configuration, so its settings are as much a risk as a running one's. (docker-bench-security
//! only sees running containers.) The exceptions are facts that exist only while a container runs,
//! such as its process list (5.7). Each finding names the container and what to change on it.

mod confinement;
mod mounts;
mod namespaces;
mod network;
mod processes;
mod resources;
#[cfg(test)]
mod tests;

use dockaudit_shared::report::Finding;

use crate::checks::file_checks::or_return;
use crate::checks::{Ctx, Outcome};
use crate::snapshot::Container;
use dockaudit_shared::catalog::s5_runtime as cat;

use super::registry::Check;

/// This section's checks in benchmark order, each joined to its catalogue entry.
pub(super) static CHECKS: &[Check] = &[
    Check::new(&cat::SWARM_MODE, network::swarm_mode),
    Check::new(&cat::APPARMOR_PROFILE, confinement::apparmor_profile),
    Check::new(&cat::SELINUX_OPTIONS, confinement::selinux_options),
    Check::new(&cat::ADDED_CAPABILITIES, confinement::added_capabilities),
    Check::new(&cat::PRIVILEGED_CONTAINERS, confinement::privileged_containers),
    Check::new(&cat::SENSITIVE_HOST_MOUNTS, mounts::sensitive_host_mounts),
    Check::new(&cat::SSHD_IN_CONTAINERS, processes::sshd_in_containers),
    Check::new(&cat::PRIVILEGED_PORTS, network::privileged_ports),
    Check::new(&cat::PUBLISHED_PORTS, network::published_ports),
    Check::new(&cat::HOST_NETWORK_NAMESPACE, namespaces::host_network_namespace),
    Check::new(&cat::MEMORY_LIMITS, resources::memory_limits),
    Check::new(&cat::CPU_SHARES, resources::cpu_shares),
    Check::new(&cat::READ_ONLY_ROOT_FS, mounts::read_only_root_fs),
    Check::new(&cat::HOST_INTERFACE_BINDING, network::host_interface_binding),
    Check::new(&cat::RESTART_POLICY, resources::restart_policy),
    Check::new(&cat::HOST_PID_NAMESPACE, namespaces::host_pid_namespace),
    Check::new(&cat::HOST_IPC_NAMESPACE, namespaces::host_ipc_namespace),
    Check::new(&cat::HOST_DEVICES, mounts::host_devices),
    Check::new(&cat::ULIMIT_OVERRIDES, resources::ulimit_overrides),
    Check::new(&cat::SHARED_MOUNT_PROPAGATION, mounts::shared_mount_propagation),
    Check::new(&cat::HOST_UTS_NAMESPACE, namespaces::host_uts_namespace),
    Check::new(&cat::SECCOMP_PROFILE, confinement::seccomp_profile),
    Check::new(&cat::PRIVILEGED_EXEC, processes::privileged_exec),
    Check::new(&cat::ROOT_EXEC, processes::root_exec),
    Check::new(&cat::CGROUP_PARENT, resources::cgroup_parent),
    Check::new(&cat::NO_NEW_PRIVILEGES, confinement::no_new_privileges),
    Check::new(&cat::HEALTH_CHECKED, processes::health_checked),
    Check::new(&cat::IMAGE_FRESHNESS, processes::image_freshness),
    Check::new(&cat::PIDS_LIMIT, resources::pids_limit),
    Check::new(&cat::DEFAULT_BRIDGE, network::default_bridge),
    Check::new(&cat::HOST_USER_NAMESPACE, namespaces::host_user_namespace),
    Check::new(&cat::DOCKER_SOCKET_MOUNTS, mounts::docker_socket_mounts),
];

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

/// Per-container review: findings for the containers the test picks, never a verdict.
fn review_per_container(
    ctx: &Ctx,
    summary: impl Fn(usize, usize) -> String,
    test: impl Fn(&Container) -> Option<Finding>,
) -> Outcome {
    let containers = or_return!(ctx.containers());
    if containers.is_empty() {
        return Outcome::not_applicable("No containers in scope on this host.");
    }
    let findings: Vec<Finding> = containers.iter().filter_map(|c| test(c)).collect();
    Outcome::manual(summary(findings.len(), containers.len()), findings)
}
