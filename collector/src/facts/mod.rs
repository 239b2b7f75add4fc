//! Facts: the only place dockaudit does I/O.
//!
//! [`gather`] reads the daemon (Engine API, GET only) and the host (through a host root) once,
//! concurrently, into a [`Facts`] snapshot. Checks are pure functions over that snapshot, and a
//! snapshot can be saved (`--facts-out`) and evaluated again later (`--facts-in`).

mod docker;
mod fact;
mod gather;
mod host;
mod model;
pub mod paths;

pub use docker::{connect, ConnectOptions, DockerError};
pub use fact::{Fact, Unavailable};
pub use gather::{gather, GatherOptions, Progress};
pub use model::*;

/// Reads a saved snapshot, refusing snapshots of a newer format.
pub fn load_snapshot(text: &str) -> Result<Facts, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let version = value.get("facts_version").and_then(serde_json::Value::as_u64);
    match version {
        None => return Err("not a dockaudit facts snapshot (no facts_version)".into()),
        Some(v) if v > u64::from(FACTS_VERSION) => {
            return Err(format!(
                "snapshot format {v} is newer than this dockaudit understands ({FACTS_VERSION}); upgrade dockaudit"
            ))
        }
        Some(_) => {}
    }
    serde_json::from_value(value).map_err(|e| format!("snapshot does not match format {FACTS_VERSION}: {e}"))
}
