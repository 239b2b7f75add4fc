//! The part of a check's remediation that points to the container's proposal: the concrete
//! flags when the container was observed running, else how to get them.

use dockaudit_shared::hardening::render::memory_size;
use dockaudit_shared::hardening::{shell_quote, Proposal};

use crate::snapshot::Container;

fn proposal(c: &Container) -> Option<Proposal> {
    super::propose(c, &[])
}

/// Where the full proposal is: this report and `dockaudit harden NAME`, or, for a container
/// that was not observed running, the command to run while it runs.
pub fn pointer(c: &Container) -> String {
    let cmd = format!("dockaudit harden {}", shell_quote(&c.name));
    if c.workload.is_some() {
        format!("its least-privilege proposal (this report's hardening section, or `{cmd}`) gives each flag with the observed reason")
    } else {
        format!("while it runs, `{cmd}` proposes the flags from what it does")
    }
}

/// `--cap-drop ALL` with the capabilities its processes were seen to use.
pub fn capabilities(c: &Container) -> String {
    match proposal(c) {
        Some(p) => {
            let mut flags = "--cap-drop ALL".to_string();
            for cap in p.cap_add() {
                flags.push_str(" --cap-add ");
                flags.push_str(cap);
            }
            if p.capabilities.incomplete.is_some() {
                flags.push_str(" (possibly incomplete: prove it with `dockaudit harden --trial`)");
            }
            flags
        }
        None => "--cap-drop ALL --cap-add <only the needed capabilities>".into(),
    }
}

/// `--read-only` with the tmpfs and volumes its writes need.
pub fn read_only(c: &Container) -> String {
    match proposal(c) {
        Some(p) if p.read_only.enabled => {
            let mut flags = "--read-only".to_string();
            for t in p.tmpfs_paths() {
                flags.push_str(" --tmpfs ");
                flags.push_str(&shell_quote(t));
            }
            let volumes = p.volume_paths();
            if !volumes.is_empty() {
                flags.push_str(&format!(" and a volume for {}", volumes.join(", ")));
            }
            flags
        }
        Some(p) => format!("--read-only once its writes have a place ({})", p.read_only.reason),
        None => "--read-only, adding volumes or --tmpfs for paths it writes".into(),
    }
}

/// `--memory` from its observed use.
pub fn memory(c: &Container) -> String {
    match proposal(c).and_then(|p| p.memory.value) {
        Some(bytes) => format!("--memory {}", memory_size(bytes)),
        None => "--memory <limit> (e.g. --memory 512m)".into(),
    }
}

/// `--pids-limit` from its observed process count.
pub fn pids(c: &Container) -> String {
    match proposal(c).and_then(|p| p.pids_limit.value) {
        Some(n) => format!("--pids-limit {n}"),
        None => "--pids-limit 200".into(),
    }
}
