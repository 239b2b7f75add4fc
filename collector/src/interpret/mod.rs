//! Pure readings of the snapshot: what the gathered facts mean, computed once per evaluation.
//!
//! Parsers and derived views live here: the daemon's configuration (dockerd flags merged with
//! daemon.json), audit rules, the host paths the benchmark names, capability names, image-history
//! steps, and which containers are in scope. Nothing here does I/O. Gathering may call these to
//! decide what to read (e.g. which files to `stat`); checks receive them ready-made in their
//! context, so no check parses or resolves anything a second time.

pub mod audit_rules;
pub mod capabilities;
pub mod daemon_config;
pub mod host_paths;
pub mod image_history;
pub mod least_privilege;
pub mod scope;

pub use daemon_config::{DaemonConfig, Lookup, Setting, SettingSource};
pub use host_paths::HostPaths;
pub use scope::{ContainerFilter, ScopeError};

use audit_rules::AuditRule;

use crate::snapshot::{Fact, Facts};

/// Everything derived from a snapshot that more than one check needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Interpretation {
    /// dockerd's command line merged with its daemon.json.
    pub daemon: DaemonConfig,
    /// The host paths the benchmark names; `None` when host files were not read.
    pub paths: Option<HostPaths>,
    /// Loaded audit rules, parsed; empty when they could not be read (the fact says why).
    pub audit_rules: Vec<AuditRule>,
}

impl Interpretation {
    /// Derives every view from the snapshot.
    pub fn of(facts: &Facts) -> Self {
        let daemon = DaemonConfig::from_facts(facts);
        let paths = facts
            .host
            .as_ref()
            .map(|host| HostPaths::resolve(facts.info.ok(), host, &daemon));
        let audit_rules = match facts.host.as_ref().map(|h| &h.audit_rules) {
            Some(Fact::Ok(rules)) => audit_rules::parse_all(&rules.lines),
            _ => Vec::new(),
        };
        Interpretation {
            daemon,
            paths,
            audit_rules,
        }
    }
}
