//! The evaluation context: facts plus what the user selected, computed once for all checks.

use dockaudit_shared::report::{Finding, Selection, Target, TargetKind};
use regex::Regex;

use super::daemon_config::DaemonConfig;
use super::outcome::Outcome;
use crate::facts::{Container, Facts, HostFacts, Image, Unavailable};

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
    pub daemon: DaemonConfig,
}

/// Which containers the selection keeps.
#[derive(Debug, Clone, Default)]
pub struct ContainerFilter {
    include: Vec<Regex>,
    exclude: Vec<Regex>,
    labels: Vec<(String, Option<String>)>,
    running_only: bool,
}

impl ContainerFilter {
    /// Compiles the selection's patterns; an invalid regex is an error for the caller to report.
    pub fn new(selection: &Selection) -> Result<Self, regex::Error> {
        let compile = |ps: &[String]| ps.iter().map(|p| Regex::new(p)).collect::<Result<Vec<_>, _>>();
        Ok(ContainerFilter {
            include: compile(&selection.include_containers)?,
            exclude: compile(&selection.exclude_containers)?,
            labels: selection
                .labels
                .iter()
                .map(|l| match l.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (l.clone(), None),
                })
                .collect(),
            running_only: selection.running_only,
        })
    }

    pub fn keeps(&self, c: &Container) -> bool {
        (self.include.is_empty() || self.include.iter().any(|r| r.is_match(&c.name)))
            && !self.exclude.iter().any(|r| r.is_match(&c.name))
            && self.labels.iter().all(|(k, v)| match (c.labels.get(k), v) {
                (Some(actual), Some(wanted)) => actual == wanted,
                (Some(_), None) => true,
                (None, _) => false,
            })
            && (!self.running_only || c.is_running())
    }
}

impl<'a> Ctx<'a> {
    /// Builds the context. Patterns that do not compile select nothing (the CLI rejects them first).
    pub fn new(facts: &'a Facts, options: EvalOptions, selection: &Selection) -> Self {
        let filter = ContainerFilter::new(selection).ok();
        let self_id = facts.collection.self_container.as_ref().map(|s| s.id.as_str());
        let containers = facts.containers.get().map(|all| {
            all.iter()
                .filter(|c| Some(c.id.as_str()) != self_id)
                .filter(|c| filter.as_ref().is_some_and(|f| f.keeps(c)))
                .collect()
        });
        Ctx {
            facts,
            options,
            containers,
            daemon: DaemonConfig::from_facts(facts),
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
