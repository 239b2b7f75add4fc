//! The Docker Engine API: connecting the way the docker CLI does, reading (GET only), and
//! mapping bollard's models into the snapshot's types.

mod changes;
mod connect;
mod gather;
mod map;

pub(crate) use changes::changes;
pub use connect::{connect, ConnectOptions, DockerError};
pub(crate) use gather::ApiReader;
