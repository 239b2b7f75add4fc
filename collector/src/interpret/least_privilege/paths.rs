//! Where a container writes: ephemeral directories (a tmpfs each) versus data paths (a volume).
//!
//! The writable layer's changes list every path the container added, changed or deleted, with
//! each parent directory marked changed. Only the leaves are writes; a leaf inside a mount point
//! cannot be in the layer, and a mount point itself appears only because Docker created it.
//!
//! * Ephemeral: `/run`, `/var/run`, `/tmp`, `/var/tmp`, `/var/lock`, `/dev/shm` and each directory
//!   directly below `/var/cache` get a tmpfs. Their content is rebuilt at every start by
//!   convention (FHS), so losing it on restart is what the service already expects.
//! * Data: anything else. The volume goes on the highest directory the container added, or the
//!   directory holding the written file when the directory came with the image.
//! * A data path that would have to be one of the image's system directories (`/`, `/etc`, `/usr`,
//!   `/var`, …) cannot take a volume without hiding the image's own files: `--read-only` is then
//!   not proposed, and the reason names the paths.

use std::collections::BTreeMap;

use dockaudit_shared::hardening::{Flag, PathChoice};

use crate::snapshot::{Change, ChangeKind, Changes};

/// Directories whose content is ephemeral by convention.
const EPHEMERAL: &[&str] = &["/run", "/var/run", "/tmp", "/var/tmp", "/var/lock", "/dev/shm"];

/// Directories a volume must not cover.
const SYSTEM: &[&str] = &[
    "/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/sbin", "/sys", "/usr",
    "/var",
];

/// Example paths named per proposed tmpfs or volume.
const EXAMPLES: usize = 3;

/// What the writes call for.
#[derive(Debug, Default, PartialEq)]
pub struct WritePlan {
    pub tmpfs: Vec<PathChoice>,
    pub volumes: Vec<PathChoice>,
    /// Data paths no volume can take (system directories).
    pub blocking: Vec<String>,
}

/// Plans tmpfs and volumes for `changes`, ignoring paths at or below `mounted` (mount points of
/// volumes, binds and tmpfs mounts, whose writes never reach the layer).
pub fn plan(changes: &Changes, mounted: &[String]) -> WritePlan {
    let entries: BTreeMap<&str, &Change> = changes.entries.iter().map(|c| (c.path.as_str(), c)).collect();
    let mut tmpfs: BTreeMap<String, Vec<&Change>> = BTreeMap::new();
    let mut volumes: BTreeMap<String, Vec<&Change>> = BTreeMap::new();
    for (path, change) in &entries {
        if is_parent_of_another(path, &entries) || is_mounted(path, mounted) {
            continue;
        }
        match ephemeral_root(path) {
            Some(root) => tmpfs.entry(root).or_default().push(change),
            None => volumes.entry(volume_root(change, &entries)).or_default().push(change),
        }
    }
    let blocking = volumes
        .keys()
        .filter(|r| SYSTEM.contains(&r.as_str()))
        .cloned()
        .collect();
    WritePlan {
        tmpfs: tmpfs
            .into_iter()
            .map(|(path, writes)| PathChoice {
                reason: format!("{}: ephemeral by convention, rebuilt at each start", describe(&writes)),
                path,
            })
            .collect(),
        volumes: volumes
            .into_iter()
            .map(|(path, writes)| PathChoice {
                reason: if SYSTEM.contains(&path.as_str()) {
                    format!(
                        "{}: a volume on {path} would hide the image's files; move these writes to a data directory",
                        describe(&writes)
                    )
                } else {
                    format!("{}: data kept in the writable layer today", describe(&writes))
                },
                path,
            })
            .collect(),
        blocking,
    }
}

/// `--read-only` from a plan: proposed unless some write has no place to go.
pub fn read_only(plan: &WritePlan, changes: &Changes, already: bool) -> Flag {
    if !plan.blocking.is_empty() {
        return Flag {
            enabled: false,
            reason: format!(
                "it writes to {}, where neither a tmpfs nor a volume can go without hiding the image's files",
                plan.blocking.join(", ")
            ),
        };
    }
    let reason = match (already, plan.tmpfs.len(), plan.volumes.len()) {
        (true, _, _) => "the root filesystem is already read-only".to_string(),
        (false, 0, 0) if changes.entries.is_empty() => "it wrote nothing to its writable layer".to_string(),
        (false, 0, 0) => "its writable-layer changes are all mount points".to_string(),
        (false, t, 0) => format!("its writes all go to ephemeral directories: {t} tmpfs below"),
        (false, 0, 1) => "its writes all go to the volume below".to_string(),
        (false, 0, v) => format!("its writes all go to the {v} volumes below"),
        (false, t, 1) => format!("its writes go to {t} tmpfs and 1 volume below"),
        (false, t, v) => format!("its writes go to {t} tmpfs and {v} volumes below"),
    };
    Flag { enabled: true, reason }
}

fn is_parent_of_another(path: &str, entries: &BTreeMap<&str, &Change>) -> bool {
    let prefix = format!("{}/", path.trim_end_matches('/'));
    entries
        .range(prefix.as_str()..)
        .next()
        .is_some_and(|(p, _)| p.starts_with(&prefix))
}

/// Whether `path` is a mount destination or below one.
pub(super) fn is_mounted(path: &str, mounted: &[String]) -> bool {
    mounted.iter().any(|m| {
        let m = m.trim_end_matches('/');
        !m.is_empty() && (path == m || path.starts_with(&format!("{m}/")))
    })
}

/// The tmpfs for an ephemeral path: the conventional directory, or for `/var/cache/<name>/…`
/// that service's cache directory.
pub fn ephemeral_root(path: &str) -> Option<String> {
    if let Some(rest) = path.strip_prefix("/var/cache/") {
        let name = rest.split('/').next().unwrap_or_default();
        if !name.is_empty() {
            return Some(format!("/var/cache/{name}"));
        }
    }
    EPHEMERAL
        .iter()
        .find(|e| path == **e || path.starts_with(&format!("{e}/")))
        .map(|e| (*e).to_string())
}

/// The highest directory the container added on the way to `change`; else the directory that
/// holds it (it came with the image); a file or deletion directly in `/` is its own root.
fn volume_root(change: &Change, entries: &BTreeMap<&str, &Change>) -> String {
    let parts: Vec<&str> = change.path.split('/').filter(|p| !p.is_empty()).collect();
    let mut prefix = String::new();
    for (i, part) in parts.iter().enumerate() {
        prefix.push('/');
        prefix.push_str(part);
        let added = entries
            .get(prefix.as_str())
            .is_some_and(|c| c.kind == ChangeKind::Added);
        if added {
            let is_leaf = i + 1 == parts.len();
            let is_dir = change.owner.is_some_and(|o| o.dir);
            if !is_leaf || is_dir {
                return prefix;
            }
            break;
        }
    }
    match change.path.rsplit_once('/') {
        Some(("", _)) | None => change.path.clone(),
        Some((parent, _)) => parent.to_string(),
    }
}

/// "added /run/x.pid, changed /tmp/cache, 3 more".
fn describe(writes: &[&Change]) -> String {
    let mut parts: Vec<String> = writes
        .iter()
        .take(EXAMPLES)
        .map(|c| format!("{} {}", verb(c.kind), c.path))
        .collect();
    if writes.len() > EXAMPLES {
        parts.push(format!("{} more", writes.len() - EXAMPLES));
    }
    parts.join(", ")
}

fn verb(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "added",
        ChangeKind::Modified => "changed",
        ChangeKind::Deleted => "deleted",
    }
}
