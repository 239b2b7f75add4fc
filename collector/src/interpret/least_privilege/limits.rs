//! `--memory` and `--pids-limit` from observed use, with headroom.
//!
//! The peak since the container started is used when the cgroup keeps one, else the current
//! value. The limit is twice that and at least a fixed margin above it (32 MiB, 32 processes), so
//! a service observed idle still has room for its busy hours; an existing lower limit is kept,
//! since the service already lives with it. Observed use only covers the time since the start.

use dockaudit_shared::hardening::render::memory_size;
use dockaudit_shared::hardening::Limit;

use crate::snapshot::{Fact, HostConfig, ResourceUse};

const MIB: u64 = 1024 * 1024;
const MEMORY_MARGIN: u64 = 32 * MIB;
const PIDS_MARGIN: u64 = 32;

pub fn memory(use_: &Fact<ResourceUse>, current: &HostConfig) -> Limit {
    let existing = u64::try_from(current.memory).ok().filter(|m| *m > 0);
    let r = match use_ {
        Fact::Ok(r) => r,
        Fact::Unavailable(u) => {
            return unknown(
                &format!("its memory use could not be read ({u})"),
                existing,
                memory_size,
            )
        }
    };
    let Some((observed, what)) = r
        .memory_peak_bytes
        .map(|v| (v, "peak"))
        .or(r.memory_bytes.map(|v| (v, "current")))
    else {
        return unknown("its memory use is not in its cgroup", existing, memory_size);
    };
    let proposed = headroom(observed, MEMORY_MARGIN).div_ceil(MIB) * MIB;
    let basis = format!("{what} use {} observed in its cgroup", human(observed));
    limit(proposed, observed, existing, basis, memory_size)
}

pub fn pids(use_: &Fact<ResourceUse>, current: &HostConfig) -> Limit {
    let existing = current
        .pids_limit
        .and_then(|p| u64::try_from(p).ok())
        .filter(|p| *p > 0);
    let r = match use_ {
        Fact::Ok(r) => r,
        Fact::Unavailable(u) => {
            return unknown(&format!("its process count could not be read ({u})"), existing, |p| {
                p.to_string()
            })
        }
    };
    let Some((observed, what)) = r.pids_peak.map(|v| (v, "peak")).or(r.pids.map(|v| (v, "current"))) else {
        return unknown("its process count is not in its cgroup", existing, |p| p.to_string());
    };
    let proposed = headroom(observed, PIDS_MARGIN);
    let basis = format!("{what} {observed} process(es) observed in its cgroup");
    limit(proposed, observed, existing, basis, |v| v.to_string())
}

fn headroom(observed: u64, margin: u64) -> u64 {
    observed.saturating_mul(2).max(observed.saturating_add(margin))
}

fn limit(proposed: u64, observed: u64, existing: Option<u64>, basis: String, show: impl Fn(u64) -> String) -> Limit {
    match existing {
        Some(e) if e <= proposed => Limit {
            value: Some(e),
            observed: Some(observed),
            reason: format!(
                "{basis}; its current limit {} already leaves room, so it is kept",
                show(e)
            ),
        },
        _ => Limit {
            value: Some(proposed),
            observed: Some(observed),
            reason: format!("{basis}; twice that, and at least a fixed margin above it"),
        },
    }
}

/// No observation: an existing limit is kept as it is, else none is proposed.
fn unknown(why: &str, existing: Option<u64>, show: impl Fn(u64) -> String) -> Limit {
    Limit {
        value: existing,
        observed: None,
        reason: match existing {
            Some(e) => format!("{why}; its current limit {} is kept", show(e)),
            None => format!("{why}; no limit can be derived"),
        },
    }
}

fn human(bytes: u64) -> String {
    if bytes >= 10 * MIB {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}
