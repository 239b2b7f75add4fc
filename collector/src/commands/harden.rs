//! `dockaudit harden [CONTAINER…]`: least-privilege proposals for running containers.
//!
//! Facts are gathered once, exactly as `scan` gathers them (read-only), or replayed from a saved
//! snapshot; the proposals are pure functions of them ([`crate::interpret::least_privilege`]).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use dockaudit_shared::hardening::{compose_file, docker_run, Hardening, Proposal};
use dockaudit_shared::limits::InputKind;

use super::{read_input, Output};
use crate::cli::{DaemonArgs, HardenArgs, HardenFormat};
use crate::facts::ConnectOptions;
use crate::interpret::least_privilege;
use crate::output::harden as text;
use crate::output::style::Style;
use crate::snapshot::{self, Container, Facts};

pub fn run(args: HardenArgs) -> Result<ExitCode> {
    if let Some(root) = &args.host_root {
        if !root.is_dir() {
            bail!("--host-root {} is not a directory", root.display());
        }
    }
    let facts = load_facts(&args.daemon, args.host_root.as_deref(), args.facts_in.as_deref())?;
    let hardening = proposals(&facts, &args.containers)?;
    let inputs: Vec<&Path> = args.facts_in.iter().map(PathBuf::as_path).collect();
    let body = match args.format {
        HardenFormat::Json => serde_json::to_string_pretty(&hardening)? + "\n",
        HardenFormat::Text => {
            use std::io::IsTerminal;
            let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
            text::render(&hardening, Style::detect(to_terminal))
        }
        HardenFormat::DockerRun => hardening
            .proposals
            .iter()
            .map(|p| format!("# {}\n{}", text::one_line(&p.container.name), docker_run(p)))
            .collect::<Vec<_>>()
            .join("\n"),
        HardenFormat::Compose => {
            let all: Vec<&Proposal> = hardening.proposals.iter().collect();
            match compose_file(&all) {
                Some(yaml) => yaml,
                None => bail!(
                    "none of the selected containers was started by Docker Compose (no com.docker.compose.service label); use --format docker-run"
                ),
            }
        }
    };
    Output::to(args.output.as_deref()).reading(&inputs).write(&body)?;
    Ok(ExitCode::SUCCESS)
}

/// The facts: a saved snapshot, or one read-only pass over the daemon (and the host through
/// `host_root`, or `/` for a local daemon), as `scan` gathers them.
pub fn load_facts(daemon: &DaemonArgs, host_root: Option<&Path>, facts_in: Option<&Path>) -> Result<Facts> {
    if let Some(path) = facts_in {
        let text = read_input(path, InputKind::FactsSnapshot)?;
        return snapshot::load(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()));
    }
    let target = super::facts::target(daemon)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(super::facts::gather_target(&target, host_root, None))
}

/// Proposals for the named containers (in the order given), or for every running container
/// (dockaudit's own left out) when none is named. A name that matches nothing, matches several
/// containers, or names a container that is not running is an error.
pub fn proposals(facts: &Facts, names: &[String]) -> Result<Hardening> {
    let selected = select(facts, names)?;
    let proposals = selected
        .into_iter()
        .filter_map(|c| least_privilege::propose(c, least_privilege::image_env(facts, c)))
        .collect();
    Ok(Hardening { proposals })
}

/// The containers `names` designate: exact name, exact id, or a unique id prefix (as docker).
pub fn select<'a>(facts: &'a Facts, names: &[String]) -> Result<Vec<&'a Container>> {
    let containers = facts
        .containers
        .get()
        .map_err(|u| anyhow::anyhow!("the containers could not be listed: {u}"))?;
    if names.is_empty() {
        let own = facts.collection.self_container.as_ref().map(|s| s.id.as_str());
        return Ok(containers
            .iter()
            .filter(|c| c.is_running() && Some(c.id.as_str()) != own)
            .collect());
    }
    let mut out: Vec<&Container> = Vec::new();
    for raw in names {
        let name = raw.trim().trim_start_matches('/');
        if name.is_empty() {
            bail!("an empty container name was given");
        }
        let found = containers
            .iter()
            .find(|c| c.name == name || c.id == name)
            .map(|c| vec![c])
            .unwrap_or_else(|| containers.iter().filter(|c| c.id.starts_with(name)).collect());
        let container = match found.as_slice() {
            [one] => *one,
            [] => bail!("no container is named {}", text::one_line(raw)),
            several => bail!(
                "{} matches {} container ids; give more of the id or the name",
                text::one_line(raw),
                several.len()
            ),
        };
        if container.workload.is_none() {
            bail!(
                "container {} is not running ({}): what it does can only be observed while it runs",
                text::one_line(&container.name),
                text::one_line(&container.state.status)
            );
        }
        if !out.iter().any(|c| c.id == container.id) {
            out.push(container);
        }
    }
    Ok(out)
}

/// Connection settings from the daemon flags, resolved as `scan` resolves them (shared with the trial).
pub fn connect_options(daemon: &DaemonArgs) -> Result<ConnectOptions> {
    Ok(super::facts::target(daemon)?.connect)
}
