//! Least privilege per container: the proposal contract ([`proposal`]) and its rendering as a
//! `docker run` line or a Compose override ([`render`]).
//!
//! The collector computes proposals from observed facts (`dockaudit harden`, and every scan
//! report from schema 2 on); the viewer shows them. Both render through this module, so the
//! command a reviewer copies in the browser is byte for byte the one the CLI prints.

pub mod proposal;
pub mod render;

pub use proposal::{
    Capabilities, CapabilityGrant, ComposeService, Flag, Gap, Hardening, Limit, MountSpec, PathChoice, Proposal,
    Removal, RunSpec, UserChoice,
};
pub use render::{compose_file, compose_override, docker_run, rows, shell_quote, Row, RowKind};
