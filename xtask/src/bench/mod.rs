//! `cargo xtask bench`: how long an audit takes compared with the least the daemon can be asked,
//! and how fast the viewer is on large reports. It writes BENCHMARKS.md from the figures of one run.
//!
//! * Audit ([`docker`]): creates N containers on the local daemon from an imported
//!   busybox image (half running, half stopped, several configurations), then runs
//!   `dockaudit scan` and the floor — `docker ps -aq` plus one `docker inspect` of every container
//!   — alternately, several times, and keeps the medians of wall time, CPU time and peak RSS.
//!   Everything it creates carries its own label and is removed at the end, also on failure.
//! * Viewer ([`viewer`]): generates sealed reports of large hosts, serves them with
//!   the built viewer on 127.0.0.1 and reads the viewer's performance marks back from headless
//!   Chromium through WebDriver.
//!
//! Benchmarks are not tests: nothing here runs in `scripts/test.sh` except the unit tests of the
//! pure helpers below.
//!
//! Layout: [`common`] (progress, signals, scratch directories) and [`stats`] are used by the two
//! measuring parts, [`docker`] and [`viewer`]; [`fixture`] holds the containers and images of
//! [`docker`] and [`harden`]; [`targets`], [`machine`] and [`markdown`] turn
//! their figures into BENCHMARKS.md. Nothing imports this module back;
//! [`options`] is the command line.

mod common;
mod docker;
mod fixture;
mod fleet;
mod harden;
mod machine;
mod markdown;
mod options;
mod sections;
mod stats;
mod targets;
mod viewer;

use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::build_viewer::build_viewer_into;
use crate::workspace::{target_dir, workspace_root};
use common::{check_interrupted, command_line_output, install_signal_handlers, step};
use machine::Machine;
use markdown::{render_markdown, Document};
use options::{parse_options, USAGE};
use targets::targets;

/// Entry point of `cargo xtask bench`.
pub fn run(args: &[String]) -> Result<()> {
    // `cargo xtask bench fleet …`: the fleet audit benchmark (writes target/bench/FLEET.md).
    if args.first().is_some_and(|a| a == "fleet") {
        return fleet::run(&args[1..]);
    }
    // `cargo xtask bench harden …`: proposals for many running containers against the audit
    // (writes the `harden` section of BENCHMARKS.md).
    if args.first().is_some_and(|a| a == "harden") {
        return harden::run(&args[1..]);
    }
    let Some(opts) = parse_options(args)? else {
        println!("{USAGE}");
        return Ok(());
    };
    install_signal_handlers();
    let root = workspace_root();
    let started = Instant::now();
    let date = command_line_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default();

    let scan = if opts.scan {
        let bin = build_release_collector(&root)?;
        Some(docker::run(&bin, &opts.sizes, opts.runs)?)
    } else {
        None
    };
    check_interrupted()?;
    let viewer = if opts.viewer {
        // Its own copy of the site, so browser tests running meanwhile keep viewer/dist intact.
        step("cargo xtask build-viewer (into target/bench/dist)");
        let dist = build_viewer_into(target_dir(&root).join("bench/dist"))?;
        Some(viewer::run(&root, &dist, &opts.viewer_sizes, opts.viewer_runs)?)
    } else {
        None
    };

    let machine = Machine::probe(viewer.as_ref().map(|v| v.browser.clone()));
    let doc = render_markdown(&Document {
        date,
        machine,
        opts: opts.clone(),
        scan: scan.as_deref(),
        viewer: viewer.as_ref(),
        minutes: started.elapsed().as_secs_f64() / 60.0,
    });
    let output = opts.output.clone().unwrap_or_else(|| {
        if opts.scan && opts.viewer {
            root.join("BENCHMARKS.md")
        } else {
            target_dir(&root).join("bench/BENCHMARKS.md")
        }
    });
    if let Some(dir) = output.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    // Sections other bench commands own (fleet, harden, viewer at scale) survive the rewrite.
    let mut doc = doc;
    if let Ok(old) = std::fs::read_to_string(&output) {
        for section in sections::marked_sections(&old) {
            doc = format!("{}\n\n{section}\n", doc.trim_end());
        }
    }
    std::fs::write(&output, &doc).with_context(|| format!("writing {}", output.display()))?;
    println!("\n{doc}");
    println!("written to {}", output.display());
    let missed = targets(scan.as_deref(), viewer.as_ref())
        .into_iter()
        .filter(|t| !t.met)
        .count();
    if missed > 0 {
        bail!("{missed} target(s) missed (see {})", output.display());
    }
    Ok(())
}

/// Builds the measured binary, `dockaudit` in release, and returns its path.
fn build_release_collector(root: &std::path::Path) -> Result<std::path::PathBuf> {
    step("cargo build --release -p dockaudit");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    crate::workspace::run(Command::new(cargo).current_dir(root).args([
        "build",
        "--release",
        "-p",
        "dockaudit",
        "--bin",
        "dockaudit",
    ]))?;
    Ok(target_dir(root).join("release/dockaudit"))
}
