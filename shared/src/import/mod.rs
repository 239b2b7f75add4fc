//! Converting other tools' output into dockaudit reports, so the viewer, `diff` and sign-off work
//! on them too.
//!
//! An importer never drops a result it cannot place: unknown ids are kept under section "other",
//! and what the source lacks compared with a dockaudit scan is recorded in the report's `errors`.
//! The report is returned unsealed (`digest: None`); the caller seals it when writing it out.

pub mod dbs;

pub use dbs::import_dbs;

use crate::report::Report;

/// A converted report plus what a reviewer should know about the conversion.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOutcome {
    pub report: Report,
    /// One sentence each: entries that were repaired, renamed, matched by description or ignored.
    pub notes: Vec<String>,
}
