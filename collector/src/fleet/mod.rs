//! Fleet audits: many Docker hosts, one run.
//!
//! [`inventory`] reads the TOML list of hosts (with a `[defaults]` section) into [`Target`]s,
//! [`runner`] audits them with bounded concurrency and a timeout per host, and [`summary`] is
//! what the run found, host by host. How one host is audited is not decided here: the CLI hands
//! the runner its single-host scan path, so a fleet audit judges every host exactly as
//! `dockaudit scan` judges one.

pub mod inventory;
pub mod runner;
pub mod summary;

pub use inventory::{Daemon, Inventory, InventoryError, Target, Tls};
pub use runner::{run, Audited, HostFailure, Observer, Silent, DEFAULT_PARALLEL};
pub use summary::{FleetSummary, FleetTotals, FleetVerdict, HostResult, HostSummary};
