//! Facts: the only place dockaudit does I/O.
//!
//! [`gather`] reads the daemon ([`docker`]: Engine API, GET only) and the host ([`host`]: files
//! and `/proc` through a host root) once, concurrently, into a [`crate::snapshot::Facts`]. It may
//! ask [`crate::interpret`] which paths matter; it never evaluates anything.

mod docker;
mod gather;
mod host;
mod progress;
pub mod remote;
mod workload;

pub use docker::{connect, context, ConnectOptions, Connected, DockerError};
pub use gather::{gather, GatherOptions};
pub use progress::Progress;

/// The pure parsers of kernel-written text that gathering uses (`/proc/<pid>/mountinfo`,
/// `/proc/net/tcp{,6}`, `/proc/net/unix`), public only so the fuzz harness can reach them: on an
/// audited host that text may be shaped by whoever controls mounts, sockets and their names.
#[doc(hidden)]
pub mod parsers {
    pub use super::host::{parse_mountinfo, parse_proc_net_tcp, parse_proc_net_unix, unescape_octal};
}
