//! dockaudit's collector: gathers facts from a Docker host once, evaluates the CIS Docker
//! Benchmark v1.6.0 checks as pure functions over them, and writes reports.
//!
//! The binary (`main.rs`) is a thin wrapper over [`commands::run`], so end-to-end tests and other
//! tools can drive the same code.

pub mod checks;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod facts;
pub mod fleet;
pub mod interpret;
pub mod output;
pub mod publish;
pub mod report;
pub mod serve;
pub mod snapshot;
pub mod trial;
