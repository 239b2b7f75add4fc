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
//! measuring parts, [`docker`] and [`viewer`]; [`targets`], [`machine`] and [`markdown`] turn
//! their figures into BENCHMARKS.md. Nothing imports this file's module back.

mod common;
mod docker;
mod machine;
mod markdown;
mod stats;
mod targets;
mod viewer;

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use common::{check_interrupted, command_line_output, install_signal_handlers, step};
use machine::Machine;
use markdown::{render_markdown, Document};
use targets::targets;

const USAGE: &str = "usage: cargo xtask bench [options]

Measures `dockaudit scan` against the floor (one `docker inspect` of every container) on the local
daemon, and the viewer in headless Chromium, then writes BENCHMARKS.md.

options:
  --sizes 10,100,500        containers to create for the audit runs (half running, half stopped)
  --runs 5                  measured audit runs per size (after one warm-up run)
  --viewer-sizes 500,2000   containers in the generated reports for the viewer runs
  --viewer-runs 5           page loads (and filter / diff repetitions) per report size
  --skip-scan               no containers, no audit runs
  --skip-viewer             no viewer build, no browser
  --output FILE             where to write the results (default: BENCHMARKS.md for a full run,
                            target/bench/BENCHMARKS.md when a part is skipped)

environment:
  DOCKAUDIT_BENCH_TRACE=1   print each browser step
  DOCKAUDIT_BENCH_KEEP=1    keep the generated reports under target/bench/ for profiling by hand

Needs: a Docker daemon (`docker info` answers), busybox (Debian: busybox-static), chromium and
chromium-driver, the wasm32 target and wasm-bindgen-cli (see DEVELOPERS.md).";

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub sizes: Vec<usize>,
    pub runs: usize,
    pub viewer_sizes: Vec<usize>,
    pub viewer_runs: usize,
    pub scan: bool,
    pub viewer: bool,
    pub output: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            sizes: vec![10, 100, 500],
            runs: 5,
            viewer_sizes: vec![500, 2000],
            viewer_runs: 5,
            scan: true,
            viewer: true,
            output: None,
        }
    }
}

/// `Ok(None)` for `--help`.
pub fn parse_options(args: &[String]) -> Result<Option<Options>> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || -> Result<String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .with_context(|| format!("{flag} needs a value"))
        };
        match flag {
            "--sizes" => o.sizes = parse_sizes(&value()?)?,
            "--viewer-sizes" => o.viewer_sizes = parse_sizes(&value()?)?,
            "--runs" => o.runs = parse_count(flag, &value()?)?,
            "--viewer-runs" => o.viewer_runs = parse_count(flag, &value()?)?,
            "--skip-scan" => o.scan = false,
            "--skip-viewer" => o.viewer = false,
            "--output" | "-o" => o.output = Some(PathBuf::from(value()?)),
            "--help" | "-h" => return Ok(None),
            other => bail!("unknown option `{other}`\n\n{USAGE}"),
        }
    }
    Ok(Some(o))
}

/// `10,100,500` → sizes, each at least 2 (half running, half stopped).
pub fn parse_sizes(text: &str) -> Result<Vec<usize>> {
    let mut sizes = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let n: usize = part
            .parse()
            .with_context(|| format!("`{part}` is not a number of containers"))?;
        if !(2..=10_000).contains(&n) {
            bail!("{n} containers is outside 2 … 10000");
        }
        sizes.push(n);
    }
    if sizes.is_empty() {
        bail!("no sizes given");
    }
    sizes.sort_unstable();
    sizes.dedup();
    Ok(sizes)
}

fn parse_count(flag: &str, text: &str) -> Result<usize> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=100).contains(&n) => Ok(n),
        _ => bail!("{flag} wants a number from 1 to 100, not `{text}`"),
    }
}

/// Entry point of `cargo xtask bench`.
pub fn run(args: &[String]) -> Result<()> {
    let Some(opts) = parse_options(args)? else {
        println!("{USAGE}");
        return Ok(());
    };
    install_signal_handlers();
    let root = crate::workspace_root();
    let started = Instant::now();
    let date = command_line_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default();

    let scan = if opts.scan {
        step("cargo build --release -p dockaudit");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        crate::run(Command::new(cargo).current_dir(&root).args([
            "build",
            "--release",
            "-p",
            "dockaudit",
            "--bin",
            "dockaudit",
        ]))?;
        let bin = crate::target_dir(&root).join("release/dockaudit");
        Some(docker::run(&bin, &opts.sizes, opts.runs)?)
    } else {
        None
    };
    check_interrupted()?;
    let viewer = if opts.viewer {
        // Its own copy of the site, so browser tests running meanwhile keep viewer/dist intact.
        step("cargo xtask build-viewer (into target/bench/dist)");
        let dist = crate::build_viewer_into(crate::target_dir(&root).join("bench/dist"))?;
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
            crate::target_dir(&root).join("bench/BENCHMARKS.md")
        }
    });
    if let Some(dir) = output.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_options() {
        let args = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        assert_eq!(parse_options(&[]).unwrap(), Some(Options::default()));
        let o = parse_options(&args("--sizes 100,10 --runs=3 --skip-viewer -o x.md"))
            .unwrap()
            .unwrap();
        assert_eq!(o.sizes, vec![10, 100]);
        assert_eq!(o.runs, 3);
        assert!(o.scan && !o.viewer);
        assert_eq!(o.output, Some(PathBuf::from("x.md")));
        assert_eq!(parse_options(&args("--help")).unwrap(), None);
        assert!(parse_options(&args("--sizes 1")).is_err());
        assert!(parse_options(&args("--runs 0")).is_err());
        assert!(parse_options(&args("--runs")).is_err());
        assert!(parse_options(&args("--frobnicate")).is_err());
    }
}
