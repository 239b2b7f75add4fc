//! The contract between the dockaudit collector and viewer.
//!
//! This crate holds the report schema ([`report`]), the CIS Docker Benchmark v1.6.0 catalogue
//! ([`catalog`]), and the pure functions every consumer must agree on: the summary and score
//! ([`summary`]), the digest ([`digest`]), the comparison of runs ([`diff`]) and loading reports of
//! any supported version or foreign format ([`load`], [`import`]). It does no I/O and builds for
//! native targets and `wasm32-unknown-unknown` alike.
//!
//! ```
//! use dockaudit_shared::{catalog, report::Status};
//! assert_eq!(catalog::all().count(), 117);
//! assert_eq!(Status::parse("not_applicable"), Some(Status::NotApplicable));
//! ```

pub mod catalog;
pub mod convert;
pub mod diff;
pub mod digest;
pub mod fleet;
pub mod hardening;
pub mod import;
pub mod json;
pub mod limits;
pub mod load;
pub mod report;
pub mod schema;
pub mod signoff;
pub mod sshsig;
pub mod summary;
pub mod view;

#[cfg(any(test, feature = "fixtures"))]
pub mod test_support;

pub use report::{CheckResult, Finding, Report, Status, Target, TargetKind, SCHEMA_VERSION};
