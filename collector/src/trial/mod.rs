//! `dockaudit harden --trial`: proving a hardening proposal by running it.
//!
//! **This is the only module of dockaudit that changes the daemon.** Everything else in the
//! collector sends GET requests only (see `facts::docker`); the write requests — create, start
//! and remove a container — live here and nowhere else, and only ever touch containers this
//! module created: twins labelled [`spec::TRIAL_LABEL`].
//!
//! A twin runs the original's image, entrypoint, command, user and environment (read through
//! inspect at trial time and held in memory only: [`spec::TwinSpec`] cannot be serialized and its
//! `Debug` shows variable names only) with the flags under test, no published ports, network
//! `none` unless one is named, and the original's volume and bind destinations as empty tmpfs:
//! a trial tests privileges, never data.
//!
//! - [`spec`]: the twin's configuration and its create request;
//! - [`twin`]: one twin's lifecycle and the judgement (running, no restarts, healthy, same ports);
//! - [`ports`]: listening ports from the host's `/proc/<pid>/net/tcp{,6}`;
//! - [`search`]: the pure search for the smallest working set and its minimality proof;
//! - [`cleanup`]: no twin outlives its run (registry, final removal, stale sweep, signals);
//! - [`run`]: a whole run, tying them together.

pub mod cleanup;
pub mod ports;
pub mod run;
pub mod search;
pub mod spec;
pub mod twin;

use std::path::PathBuf;

pub use run::{run_trial, TrialReport, TrialRequest, Verdict};
pub use spec::Flags;

/// Why a trial run could not give an answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrialError {
    #[error("cannot trial {container}: {reason}")]
    Original { container: String, reason: String },
    #[error("the Docker daemon failed to {action}: {reason}")]
    Docker { action: String, reason: String },
    #[error("cannot read {}: {reason} (a trial reads the twin's listening ports from the Docker host's /proc; run dockaudit on that host, or give --host-root)", path.display())]
    Proc { path: PathBuf, reason: String },
    #[error("interrupted by {signal}; removed {removed} trial container(s)")]
    Interrupted { signal: &'static str, removed: usize },
}

/// One line with an error and its causes (bollard's own text often stops at the outer layer).
pub(crate) fn describe_error(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut current = err.source();
    while let Some(e) = current {
        let text = e.to_string();
        if !text.is_empty() && !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        current = e.source();
    }
    out
}
