//! Which containers a run audits: the selection's name patterns and labels, compiled once.

use dockaudit_shared::report::Selection;
use regex::Regex;

use crate::snapshot::Container;

/// A container name pattern that does not compile.
#[derive(Debug, thiserror::Error)]
#[error("invalid container name pattern {pattern:?}: {source}")]
pub struct ScopeError {
    pub pattern: String,
    #[source]
    pub source: regex::Error,
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
    /// Compiles the selection's patterns; the first one that does not compile is the error.
    pub fn new(selection: &Selection) -> Result<Self, ScopeError> {
        let compile = |patterns: &[String]| {
            patterns
                .iter()
                .map(|p| {
                    Regex::new(p).map_err(|source| ScopeError {
                        pattern: p.clone(),
                        source,
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        };
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

    /// Whether the run audits this container.
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
