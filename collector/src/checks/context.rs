//! The evaluation context: facts plus what the user selected, computed once for all checks.

use dockaudit_shared::report::{Finding, Target, TargetKind};

use super::outcome::Outcome;
use crate::interpret::audit_rules::AuditRule;
use crate::interpret::{ContainerFilter, DaemonConfig, HostPaths, Interpretation};
use crate::snapshot::{Container, Facts, HostFacts, Image, Unavailable};

/// Options that change verdicts (as opposed to which checks run).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvalOptions {
    /// `--trusted-user`: members of the docker group that 1.1.2 accepts.
    pub trusted_users: Vec<String>,
}

/// Everything a check may read.
pub struct Ctx<'a> {
    pub facts: &'a Facts,
    pub options: EvalOptions,
    /// Containers in scope: selection filters applied, dockaudit's own container removed.
    pub containers: Result<Vec<&'a Container>, &'a Unavailable>,
    /// dockerd's command line merged with daemon.json.
    pub daemon: DaemonConfig,
    /// Host paths the benchmark names; `None` when host files were not read.
    pub paths: Option<HostPaths>,
    /// The loaded audit rules, parsed once.
    pub audit_rules: Vec<AuditRule>,
}

impl<'a> Ctx<'a> {
    /// Builds the context: the snapshot's interpretation and the containers in scope, once.
    pub fn new(facts: &'a Facts, options: EvalOptions, scope: &ContainerFilter) -> Self {
        let self_id = facts.collection.self_container.as_ref().map(|s| s.id.as_str());
        let containers = facts.containers.get().map(|all| {
            all.iter()
                .filter(|c| Some(c.id.as_str()) != self_id)
                .filter(|c| scope.keeps(c))
                .collect()
        });
        let Interpretation {
            daemon,
            paths,
            audit_rules,
        } = Interpretation::of(facts);
        Ctx {
            facts,
            options,
            containers,
            daemon,
            paths,
            audit_rules,
        }
    }

    /// Host facts, or the `not_applicable` outcome explaining why they are missing.
    pub fn host(&self) -> Result<&'a HostFacts, Outcome> {
        self.facts.host.as_ref().ok_or_else(|| {
            Outcome::not_applicable(format!(
                "Host files were not read: {}.",
                self.facts
                    .collection
                    .host_skipped_reason
                    .as_deref()
                    .unwrap_or("the daemon is remote; pass --host-root to audit its host")
            ))
        })
    }

    /// Host facts with their resolved paths, or the `not_applicable` outcome.
    pub fn host_paths(&self) -> Result<(&'a HostFacts, &HostPaths), Outcome> {
        let host = self.host()?;
        match &self.paths {
            Some(paths) => Ok((host, paths)),
            None => Err(Outcome::error("host paths were not resolved (internal error)")),
        }
    }

    /// Images in the snapshot, or the `error` outcome.
    pub fn images(&self) -> Result<&'a [Image], Outcome> {
        self.facts
            .images
            .get()
            .map(Vec::as_slice)
            .map_err(|u| Outcome::unavailable("the image list", u))
    }

    /// Containers in scope, or the `error` outcome.
    pub fn containers(&self) -> Result<&[&'a Container], Outcome> {
        match &self.containers {
            Ok(c) => Ok(c.as_slice()),
            Err(u) => Err(Outcome::unavailable("the container list", u)),
        }
    }

    /// Runs a per-container test. `test` returns a finding for an offending container.
    /// No containers in scope is `not_applicable`; offenders make it `fail`.
    pub fn per_container(&self, what: &str, test: impl Fn(&Container) -> Option<Finding>) -> Outcome {
        self.per_container_multi(what, |c| test(c).into_iter().collect())
    }

    /// Like [`Ctx::per_container`] but a container may yield several findings.
    pub fn per_container_multi(&self, what: &str, test: impl Fn(&Container) -> Vec<Finding>) -> Outcome {
        let containers = match self.containers() {
            Ok(c) => c,
            Err(o) => return o,
        };
        if containers.is_empty() {
            return Outcome::not_applicable("No containers in scope on this host.");
        }
        let findings: Vec<Finding> = containers.iter().flat_map(|c| test(c)).collect();
        let offenders = distinct_targets(&findings);
        if findings.is_empty() {
            Outcome::pass(format!("None of the {} containers {what}.", containers.len()))
        } else {
            Outcome::fail(
                format!("{offenders} of {} containers {what}.", containers.len()),
                findings,
            )
        }
    }
}

fn distinct_targets(findings: &[Finding]) -> usize {
    let mut keys: Vec<&str> = findings.iter().map(|f| f.target.id.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.len()
}

/// The report target for a container.
pub fn container_target(c: &Container) -> Target {
    Target::new(TargetKind::Container, c.id.clone(), c.name.clone())
}

/// The report target for an image.
pub fn image_target(i: &Image) -> Target {
    Target::new(TargetKind::Image, i.id.clone(), i.display_name())
}
