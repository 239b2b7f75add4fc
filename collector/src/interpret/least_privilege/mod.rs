//! Least privilege per container: the hardened configuration computed from what the container
//! was observed doing ([`crate::snapshot::Workload`]), each flag with the fact behind it.
//!
//! Pure: the snapshot in, [`dockaudit_shared::hardening::Proposal`] out. The rules live next to
//! what they decide: where writes go ([`paths`]), which capabilities are used ([`caps`]), resource
//! limits ([`limits`]), and what is kept, removed and who the container runs as ([`run`]). A fact
//! that could not be gathered never turns into a tighter setting: the flag it would decide is
//! left out or kept as it is, the reason says why, and [`Proposal::gaps`] lists it.

pub mod caps;
pub mod hint;
pub mod limits;
pub mod paths;
pub mod run;
#[cfg(test)]
mod tests;

use dockaudit_shared::hardening::{ComposeService, Flag, Gap, Hardening, Proposal};
use dockaudit_shared::report::{Selection, Target, TargetKind};

use super::scope::ContainerFilter;
use crate::snapshot::{Container, Fact, Facts, Workload};

/// Compose's labels on the containers it starts.
pub const COMPOSE_PROJECT: &str = "com.docker.compose.project";
pub const COMPOSE_SERVICE: &str = "com.docker.compose.service";

/// The proposals a scan report carries: one per running, observed container the selection
/// keeps (dockaudit's own container left out); `None` when there is none.
pub fn for_report(facts: &Facts, selection: &Selection) -> Option<Hardening> {
    let filter = ContainerFilter::new(selection).ok()?;
    let excluded: Vec<&str> = selection.excluded.iter().map(|e| e.target.id.as_str()).collect();
    let containers = facts.containers.ok()?;
    let proposals: Vec<Proposal> = containers
        .iter()
        .filter(|c| filter.keeps(c) && !excluded.contains(&c.id.as_str()))
        .filter_map(|c| propose(c, image_env(facts, c)))
        .collect();
    (!proposals.is_empty()).then_some(Hardening { proposals })
}

/// Environment variable names the container's image sets.
pub fn image_env<'a>(facts: &'a Facts, c: &Container) -> &'a [String] {
    facts
        .images
        .ok()
        .and_then(|images| images.iter().find(|i| i.id == c.image_id))
        .map_or(&[], |i| i.env_names.as_slice())
}

/// The proposal for one container; `None` unless it was running and observed.
pub fn propose(c: &Container, image_env: &[String]) -> Option<Proposal> {
    let w = c.workload.as_ref()?;
    let mut gaps = gaps(w);
    let mounted: Vec<String> = c
        .mounts
        .iter()
        .map(|m| m.destination.clone())
        .chain(c.host_config.tmpfs.keys().cloned())
        .collect();
    let (read_only, tmpfs, volumes) = match &w.changes {
        Fact::Ok(changes) => {
            let plan = paths::plan(changes, &mounted);
            let flag = paths::read_only(&plan, changes, c.host_config.readonly_rootfs);
            (flag, plan.tmpfs, plan.volumes)
        }
        Fact::Unavailable(u) => (
            Flag {
                enabled: c.host_config.readonly_rootfs,
                reason: if c.host_config.readonly_rootfs {
                    "the root filesystem is already read-only".into()
                } else {
                    format!("what it writes is unknown ({u})")
                },
            },
            Vec::new(),
            Vec::new(),
        ),
    };
    let ports: Vec<u16> = match &w.listeners {
        Fact::Ok(l) => {
            let mut p: Vec<u16> = l.iter().map(|s| s.port).collect();
            p.sort_unstable();
            p.dedup();
            p
        }
        Fact::Unavailable(_) => Vec::new(),
    };
    let compose = match (c.labels.get(COMPOSE_PROJECT), c.labels.get(COMPOSE_SERVICE)) {
        (Some(project), Some(service)) if !service.is_empty() => Some(ComposeService {
            project: project.clone(),
            service: service.clone(),
        }),
        _ => None,
    };
    if c.host_config.network_mode == "host" && matches!(w.listeners, Fact::Ok(_)) {
        gaps.push(Gap {
            source: "network mode host".into(),
            reason: "the listeners seen are every listener of the host".into(),
            effect: "the ports to publish instead of --network host may include other services' ports".into(),
        });
    }
    Some(Proposal {
        container: Target::new(TargetKind::Container, c.id.clone(), c.name.clone()),
        run: run::spec(c, image_env),
        compose,
        read_only,
        tmpfs,
        volumes,
        capabilities: caps::infer(c, w, &mounted),
        no_new_privileges: run::no_new_privileges(w, c),
        user: run::user(w, c),
        memory: limits::memory(&w.resources, &c.host_config),
        pids_limit: limits::pids(&w.resources, &c.host_config),
        removals: run::removals(c, &ports),
        gaps,
    })
}

/// Every fact of the workload that is missing, with what it leaves undecided.
fn gaps(w: &Workload) -> Vec<Gap> {
    let mut out = Vec::new();
    let mut gap = |fact: Fact<()>, effect: &str| {
        if let Fact::Unavailable(u) = fact {
            out.push(Gap {
                source: u.source,
                reason: u.reason,
                effect: effect.into(),
            });
        }
    };
    gap(
        w.changes.as_ref().map(|_| ()),
        "what it writes is unknown: --read-only, tmpfs and volumes are not proposed",
    );
    gap(
        w.processes.as_ref().map(|_| ()),
        "its processes' privileges are unknown: capabilities, --user and no-new-privileges cannot be derived",
    );
    gap(
        w.listeners.as_ref().map(|_| ()),
        "its listening ports are unknown: NET_BIND_SERVICE cannot be derived",
    );
    gap(
        w.unprivileged_port_start.as_ref().map(|_| ()),
        "the lowest port anyone may bind is unknown: ports below 1024 keep NET_BIND_SERVICE",
    );
    gap(
        w.raw_sockets.as_ref().map(|_| ()),
        "its raw sockets are unknown: NET_RAW cannot be derived",
    );
    gap(
        w.resources.as_ref().map(|_| ()),
        "its memory and process counts are unknown: no limits are derived",
    );
    if let Fact::Ok(changes) = &w.changes {
        let kept = changes.entries.len() as u64;
        if changes.total > kept {
            out.push(Gap {
                source: "GET /containers/{id}/changes".into(),
                reason: format!(
                    "{} changed paths, of which the first {kept} were examined",
                    changes.total
                ),
                effect: "more paths may need a tmpfs or a volume".into(),
            });
        }
    }
    out
}
