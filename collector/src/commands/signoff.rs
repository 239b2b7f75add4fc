//! `dockaudit signoff verify|apply`.

use std::process::ExitCode;

use anyhow::{bail, Result};

use crate::cli::SignoffCommand;

pub fn run(_cmd: SignoffCommand) -> Result<ExitCode> {
    bail!("signoff is not implemented yet")
}
