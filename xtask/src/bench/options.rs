//! `cargo xtask bench`'s command line.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};

pub const USAGE: &str = "usage: cargo xtask bench [options]

Measures `dockaudit scan` against the floor (one `docker inspect` of every container) on the local
daemon, and the viewer in headless Chromium, then writes BENCHMARKS.md.

options:
  --sizes 10,100,500        containers to create for the audit runs (half running, half stopped)
  --runs 5                  measured audit runs per size (after one warm-up run)
  --viewer-sizes 500,2000,10000
                            containers in the generated reports for the viewer runs
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
            viewer_sizes: vec![500, 2000, 10_000],
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
