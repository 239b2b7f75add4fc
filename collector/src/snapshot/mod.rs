//! The facts snapshot: what was observed on a Docker host, as plain serializable data.
//!
//! This is the hinge of the collector. [`crate::facts`] (the only I/O) fills it in once;
//! [`crate::interpret`] derives views from it; [`crate::checks`] judge it. A snapshot can be saved
//! (`--facts-out`) and replayed (`--facts-in`), so it knows nothing of verdicts and imports
//! nothing from the modules around it. It never holds secrets: environment variables keep their
//! names only, and every other string is redacted ([`secrets`]) when the snapshot is gathered and
//! again when a saved one is loaded.

mod fact;
mod model;
mod redact;
pub mod secrets;
mod workload;

pub use fact::{Fact, Unavailable};
pub use model::*;
pub use workload::*;

/// Why a saved snapshot could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("not valid JSON: {0}")]
    Json(#[source] serde_json::Error),
    #[error("not a dockaudit facts snapshot (no facts_version)")]
    NotASnapshot,
    #[error("snapshot format {found} is newer than this dockaudit understands ({FACTS_VERSION}); upgrade dockaudit")]
    TooNew { found: u64 },
    #[error("snapshot does not match format {FACTS_VERSION}: {0}")]
    Shape(#[source] serde_json::Error),
}

/// Reads a saved snapshot, refusing snapshots of a newer format. Credentials it holds (saved by
/// a dockaudit that did not redact them all) are redacted before anyone reads it.
pub fn load(text: &str) -> Result<Facts, SnapshotError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(SnapshotError::Json)?;
    match value.get("facts_version").and_then(serde_json::Value::as_u64) {
        None => return Err(SnapshotError::NotASnapshot),
        Some(found) if found > u64::from(FACTS_VERSION) => return Err(SnapshotError::TooNew { found }),
        Some(_) => {}
    }
    serde_json::from_value(value)
        .map(Facts::redacted)
        .map_err(SnapshotError::Shape)
}
