//! Facts: the only place dockaudit does I/O.
//!
//! [`gather`] reads the daemon ([`docker`]: Engine API, GET only) and the host ([`host`]: files
//! and `/proc` through a host root) once, concurrently, into a [`crate::snapshot::Facts`]. It may
//! ask [`crate::interpret`] which paths matter; it never evaluates anything.

mod docker;
mod gather;
mod host;
mod progress;

pub use docker::{connect, ConnectOptions, DockerError};
pub use gather::{gather, GatherOptions};
pub use progress::Progress;
