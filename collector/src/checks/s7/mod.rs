//! Section 7: swarm configuration.
//!
//! Every check here is `not_applicable` when swarm mode is inactive: docker-bench-security passes
//! them instead, which inflates the score of hosts that never use swarm. Most swarm facts can only
//! be read on a manager; on a worker the checks that need them are `not_applicable` with that
//! reason, while those answerable from the node itself (listening ports, visible networks,
//! addresses) still run.

mod cluster;
mod network;
#[cfg(test)]
mod tests;

use dockaudit_shared::report::{Target, TargetKind};

use crate::checks::{Ctx, Outcome};
use crate::snapshot::Swarm;
use dockaudit_shared::catalog::s7_swarm as cat;

use super::registry::Check;

/// This section's checks in benchmark order, each joined to its catalogue entry.
pub(super) static CHECKS: &[Check] = &[
    Check::new(&cat::MANAGER_COUNT, cluster::manager_count),
    Check::new(&cat::SERVICE_PORT_BINDING, network::service_port_binding),
    Check::new(&cat::ENCRYPTED_OVERLAYS, network::encrypted_overlays),
    Check::new(&cat::SWARM_SECRETS, cluster::swarm_secrets),
    Check::new(&cat::MANAGER_AUTOLOCK, cluster::manager_autolock),
    Check::new(&cat::AUTOLOCK_KEY_ROTATION, cluster::autolock_key_rotation),
    Check::new(&cat::NODE_CERT_ROTATION, cluster::node_cert_rotation),
    Check::new(&cat::CA_CERT_ROTATION, cluster::ca_cert_rotation),
    Check::new(&cat::PLANE_SEPARATION, network::plane_separation),
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
