//! The Docker Engine API: connecting the way the docker CLI does (unix, tcp with TLS, ssh,
//! contexts), reading (GET only), and mapping bollard's models into the snapshot's types.

mod connect;
pub mod context;
mod gather;
mod map;
mod ssh;

pub use connect::{connect, ConnectOptions, Connected, DockerError};
pub(crate) use gather::ApiReader;
