//! `cargo xtask bench fleet`: a fleet audit of many targets with `--parallel`, against the same
//! targets audited one after another, and against docker-bench-security run on each, in one run.
//!
//! The targets are inventory entries onto the local test daemon (its unix socket under distinct
//! names), so the figures measure dockaudit's fleet runner and per-host audit, not a network.
//! The static release binary (`scripts/build-static.sh`) is the one measured. docker-bench-security
//! is taken from `--dbs DIR` (a checkout of docker/docker-bench-security); without it that column
//! is left out. Writes target/bench/FLEET.md and prints it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use super::common::{check_interrupted, command_line_output, step};
use crate::workspace::{target_dir, workspace_root};

const USAGE: &str = "usage: cargo xtask bench fleet [--hosts 50] [--parallel 16] [--dbs DIR]

Audits HOSTS inventory entries (the local daemon under distinct names) with `dockaudit scan
--inventory --parallel N`, then each of them alone one after another, then runs
docker-bench-security (from DIR, default target/tools/docker-bench-security) once per host with
the same parallelism. Writes target/bench/FLEET.md.";

const LOCAL: &str = "unix:///var/run/docker.sock";

struct Options {
    hosts: usize,
    parallel: usize,
    dbs: Option<PathBuf>,
}

fn parse(args: &[String]) -> Result<Option<Options>> {
    let mut o = Options {
        hosts: 50,
        parallel: 16,
        dbs: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--hosts" => o.hosts = value()?.parse().context("--hosts wants a number")?,
            "--parallel" => o.parallel = value()?.parse().context("--parallel wants a number")?,
            "--dbs" => o.dbs = Some(PathBuf::from(value()?)),
            "--help" | "-h" => return Ok(None),
            other => bail!("unknown option `{other}`\n\n{USAGE}"),
        }
    }
    if !(1..=1000).contains(&o.hosts) || !(1..=256).contains(&o.parallel) {
        bail!("--hosts 1…1000 and --parallel 1…256");
    }
    Ok(Some(o))
}

/// Entry point of `cargo xtask bench fleet`.
pub fn run(args: &[String]) -> Result<()> {
    let Some(opts) = parse(args)? else {
        println!("{USAGE}");
        return Ok(());
    };
    let root = workspace_root();
    let bench_dir = target_dir(&root).join("bench");
    let scratch = bench_dir.join(format!("fleet-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let result = measure(&root, &scratch, &opts);
    let _ = std::fs::remove_dir_all(&scratch);
    let doc = result?;
    let out = bench_dir.join("FLEET.md");
    std::fs::write(&out, &doc).with_context(|| format!("writing {}", out.display()))?;
    super::sections::write_section(&root.join("BENCHMARKS.md"), "fleet", &doc)?;
    println!("\n{doc}\nwritten to {} and BENCHMARKS.md", out.display());
    Ok(())
}

fn measure(root: &Path, scratch: &Path, opts: &Options) -> Result<String> {
    step("scripts/build-static.sh x86_64 (the binary measured)");
    let built = Command::new(root.join("scripts/build-static.sh"))
        .arg("x86_64")
        .stderr(Stdio::inherit())
        .output()
        .context("running scripts/build-static.sh")?;
    if !built.status.success() {
        bail!("scripts/build-static.sh failed");
    }
    let bin = PathBuf::from(String::from_utf8_lossy(&built.stdout).trim());
    let date = command_line_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default();

    let inventory = scratch.join("fleet.toml");
    let mut text = String::new();
    for i in 1..=opts.hosts {
        text.push_str(&format!(
            "[[hosts]]\nname = \"bench-{i:03}\"\naddress = \"{LOCAL}\"\n\n"
        ));
    }
    std::fs::write(&inventory, text)?;

    step(&format!("fleet: {} targets, --parallel {}", opts.hosts, opts.parallel));
    let out_dir = scratch.join("out");
    let clock = Instant::now();
    let status = Command::new(&bin)
        .args(["scan", "--inventory"])
        .arg(&inventory)
        .args([
            "--parallel",
            &opts.parallel.to_string(),
            "--fail-on",
            "never",
            "--no-progress",
            "--out-dir",
        ])
        .arg(&out_dir)
        .stdout(Stdio::null())
        .status()?;
    let fleet_wall = clock.elapsed();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("fleet-summary.json"))?)?;
    let audited = summary["totals"]["pass"].as_u64().unwrap_or(0) + summary["totals"]["fail"].as_u64().unwrap_or(0);
    if !status.success() || audited != opts.hosts as u64 {
        bail!("the fleet run audited {audited} of {} hosts ({status})", opts.hosts);
    }
    let in_fleet_sum: u64 = summary["hosts"]
        .as_array()
        .map(|hosts| hosts.iter().filter_map(|h| h["duration_ms"].as_u64()).sum())
        .unwrap_or(0);
    check_interrupted()?;

    step(&format!("{} single-host audits, one after another", opts.hosts));
    let mut singles = Duration::ZERO;
    for _ in 0..opts.hosts {
        let clock = Instant::now();
        let status = Command::new(&bin)
            .args([
                "scan",
                "--host",
                LOCAL,
                "--format",
                "json",
                "-o",
                "/dev/null",
                "--fail-on",
                "never",
            ])
            .stdout(Stdio::null())
            .status()?;
        singles += clock.elapsed();
        if !status.success() {
            bail!("a single-host audit failed ({status})");
        }
        check_interrupted()?;
    }

    let dbs_dir = opts
        .dbs
        .clone()
        .unwrap_or_else(|| target_dir(root).join("tools/docker-bench-security"));
    let dbs = if dbs_dir.join("docker-bench-security.sh").is_file() {
        step(&format!(
            "docker-bench-security: {} runs, {} at once",
            opts.hosts, opts.parallel
        ));
        Some(run_dbs(&dbs_dir, scratch, opts)?)
    } else {
        None
    };

    let secs = |d: Duration| d.as_secs_f64();
    let mut doc = format!(
        "## Fleet audit ({} targets, --parallel {})\n\n\
         Measured {date} with `cargo xtask bench fleet --hosts {} --parallel {}` (static release binary).\n\
         Targets: {} inventory entries onto the local test daemon's socket (distinct names), so no\n\
         network or SSH time is included.\n\n\
         | what | wall time | per host |\n|---|---:|---:|\n\
         | `dockaudit scan --inventory` (--parallel {}) | {:.1} s | {:.2} s |\n\
         | the same {} audits one after another (`dockaudit scan --host`) | {:.1} s | {:.2} s |\n",
        opts.hosts,
        opts.parallel,
        opts.hosts,
        opts.parallel,
        opts.hosts,
        opts.parallel,
        secs(fleet_wall),
        secs(fleet_wall) / opts.hosts as f64,
        opts.hosts,
        secs(singles),
        secs(singles) / opts.hosts as f64,
    );
    if let Some((wall, sum)) = dbs {
        doc.push_str(&format!(
            "| docker-bench-security once per host, {} at once | {:.1} s | {:.2} s |\n",
            opts.parallel,
            secs(wall),
            secs(wall) / opts.hosts as f64
        ));
        doc.push_str(&format!(
            "\nSum of the docker-bench-security runs' own durations (while {} ran at once): {:.1} s.\n",
            opts.parallel,
            secs(sum)
        ));
    }
    doc.push_str(&format!(
        "\nSum of the per-host durations inside the fleet run: {:.1} s (hosts overlap, so this exceeds\n\
         the wall time). Speed-up of the fleet run over one-after-another: {:.1}×.\n",
        in_fleet_sum as f64 / 1000.0,
        secs(singles) / secs(fleet_wall).max(0.001)
    ));
    Ok(doc)
}

/// Runs docker-bench-security `hosts` times, `parallel` at once; returns the wall time and the
/// sum of the runs' own durations.
fn run_dbs(dir: &Path, scratch: &Path, opts: &Options) -> Result<(Duration, Duration)> {
    let next = Arc::new(AtomicUsize::new(0));
    let sum = Arc::new(Mutex::new(Duration::ZERO));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let clock = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..opts.parallel.min(opts.hosts) {
            let (next, sum, failures) = (Arc::clone(&next), Arc::clone(&sum), Arc::clone(&failures));
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= opts.hosts {
                    break;
                }
                let log = scratch.join(format!("dbs-{i:03}.log"));
                let started = Instant::now();
                let status = Command::new("bash")
                    .arg("docker-bench-security.sh")
                    .arg("-l")
                    .arg(&log)
                    .current_dir(dir)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
                if let Ok(mut total) = sum.lock() {
                    *total += started.elapsed();
                }
                if !matches!(status, Ok(s) if s.success()) {
                    if let Ok(mut f) = failures.lock() {
                        f.push(i);
                    }
                }
            });
        }
    });
    let wall = clock.elapsed();
    let failed = failures.lock().map(|f| f.len()).unwrap_or(0);
    if failed > 0 {
        bail!("{failed} docker-bench-security run(s) failed");
    }
    let total = *sum.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    Ok((wall, total))
}
