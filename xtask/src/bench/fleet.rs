//! `cargo xtask bench fleet`: a fleet audit of many SSH targets with `--parallel`, against the same
//! targets audited one after another, and against docker-bench-security copied to and run on each
//! over SSH, in one run.
//!
//! The SSH targets are aliases (`ssh://da-sshd-001` …) that the test sshd's client configuration
//! sends to one OpenSSH server on the loopback, logged in as root, reaching the local test daemon
//! through `docker system dial-stdio`; each audit copies the collector there and gathers the host
//! facts remotely, as on a real fleet. The same number of inventory entries onto the local unix
//! socket is measured too (no SSH at all: the fleet runner and the per-host audit alone). The
//! static release binary (`scripts/build-static.sh`) is the one measured. docker-bench-security
//! is taken from `--dbs DIR` (a checkout of docker/docker-bench-security); without it that row is
//! left out. Writes target/bench/FLEET.md and the `fleet` section of BENCHMARKS.md.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use dockaudit_tests::sshd::{Sshd, ALIAS_PREFIX};

use super::common::{check_interrupted, command_line_output, step};
use crate::workspace::{target_dir, workspace_root};

const USAGE: &str = "usage: cargo xtask bench fleet [--hosts 50] [--parallel 16] [--dbs DIR]

Starts the test sshd (MaxStartups/MaxSessions raised) and audits HOSTS ssh:// aliases onto the
local test daemon with `dockaudit scan --inventory --parallel N` (remote gather on each), then each
of them alone one after another, then copies docker-bench-security (from DIR, default
target/tools/docker-bench-security) to each alias over SSH and runs it there, N at once. The same
HOSTS as entries onto the local unix socket are measured too. Writes target/bench/FLEET.md and the
fleet section of BENCHMARKS.md.";

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
    if !(1..=999).contains(&o.hosts) || !(1..=256).contains(&o.parallel) {
        bail!("--hosts 1…999 and --parallel 1…256");
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

/// One fleet run: its wall time and the sum of the per-host durations it reported.
struct FleetRun {
    wall: Duration,
    in_fleet_sum: Duration,
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
    let daemon = command_line_output(
        "docker",
        &["info", "--format", "{{.Containers}} containers, {{.Images}} images"],
    )
    .unwrap_or_else(|| "unknown".into());

    step("starting the test sshd (MaxStartups/MaxSessions raised for the fleet)");
    let sshd = Sshd::start_for_many(u32::try_from(opts.parallel * 4).unwrap_or(u32::MAX).max(30))
        .map_err(|e| anyhow::anyhow!("sshd: {e}"))?;
    let ssh_config = sshd.client_config.clone();
    let aliases: Vec<String> = (1..=opts.hosts).map(|i| format!("{ALIAS_PREFIX}{i:03}")).collect();

    let unix_inventory = scratch.join("unix.toml");
    let ssh_inventory = scratch.join("ssh.toml");
    let mut unix_text = String::new();
    let mut ssh_text = String::new();
    for (i, alias) in aliases.iter().enumerate() {
        unix_text.push_str(&format!(
            "[[hosts]]\nname = \"local-{:03}\"\naddress = \"{LOCAL}\"\n\n",
            i + 1
        ));
        ssh_text.push_str(&format!(
            "[[hosts]]\nname = \"{alias}\"\naddress = \"ssh://{alias}\"\n\n"
        ));
    }
    std::fs::write(&unix_inventory, unix_text)?;
    std::fs::write(&ssh_inventory, ssh_text)?;

    step(&format!(
        "unix socket: fleet of {} entries, --parallel {}",
        opts.hosts, opts.parallel
    ));
    let unix_fleet = fleet_run(&bin, &unix_inventory, &ssh_config, &scratch.join("unix-out"), opts)?;
    step(&format!("unix socket: {} audits one after another", opts.hosts));
    let unix_singles = singles(&bin, &vec![LOCAL.to_string(); opts.hosts], &ssh_config)?;

    step(&format!(
        "ssh: fleet of {} aliases, --parallel {}",
        opts.hosts, opts.parallel
    ));
    let ssh_fleet = fleet_run(&bin, &ssh_inventory, &ssh_config, &scratch.join("ssh-out"), opts)?;
    step(&format!("ssh: {} audits one after another", opts.hosts));
    let urls: Vec<String> = aliases.iter().map(|a| format!("ssh://{a}")).collect();
    let ssh_singles = singles(&bin, &urls, &ssh_config)?;

    let dbs_dir = opts
        .dbs
        .clone()
        .unwrap_or_else(|| target_dir(root).join("tools/docker-bench-security"));
    let dbs = if dbs_dir.join("docker-bench-security.sh").is_file() {
        step(&format!(
            "docker-bench-security over ssh: copied to and run on {} aliases, {} at once",
            opts.hosts, opts.parallel
        ));
        Some(run_dbs(&dbs_dir, &ssh_config, &aliases, opts.parallel)?)
    } else {
        println!(
            "(no docker-bench-security at {}: pass --dbs DIR; that row is left out)",
            dbs_dir.display()
        );
        None
    };
    drop(sshd);

    let secs = |d: Duration| d.as_secs_f64();
    let per = |d: Duration| secs(d) / opts.hosts as f64;
    let (n, p) = (opts.hosts, opts.parallel);
    let mut doc = format!(
        "## Fleet audit ({n} targets, --parallel {p})\n\n\
         Measured {date} with `cargo xtask bench fleet --hosts {n} --parallel {p}` (static release binary),\n\
         on the machine of the other sections while other work shared it; the test daemon held {daemon}.\n\
         SSH targets: {n} aliases (`ssh://{ALIAS_PREFIX}001` …) that the test sshd's client configuration sends to one\n\
         OpenSSH server on the loopback (root, `MaxStartups`/`MaxSessions` raised), reaching the local test daemon\n\
         through `docker system dial-stdio`; each audit copies the collector over SSH, gathers the host there and removes it.\n\n\
         | what | wall time | per host |\n|---|---:|---:|\n\
         | `dockaudit scan --inventory` of {n} ssh:// aliases (--parallel {p}) | {:.1} s | {:.2} s |\n\
         | the same {n} ssh:// audits one after another (`dockaudit scan --host ssh://…`, sum) | {:.1} s | {:.2} s |\n",
        secs(ssh_fleet.wall),
        per(ssh_fleet.wall),
        secs(ssh_singles),
        per(ssh_singles),
    );
    if let Some((wall, sum)) = dbs {
        doc.push_str(&format!(
            "| docker-bench-security copied to and run on each alias over SSH, {p} at once | {:.1} s | {:.2} s |\n",
            secs(wall),
            per(wall)
        ));
        doc.push_str(&format!(
            "| `dockaudit scan --inventory` of {n} entries onto the local unix socket (--parallel {p}) | {:.1} s | {:.2} s |\n\
             | the same {n} unix-socket audits one after another (sum) | {:.1} s | {:.2} s |\n\n\
             Sum of the docker-bench-security runs' own durations (while {p} ran at once): {:.1} s.\n",
            secs(unix_fleet.wall),
            per(unix_fleet.wall),
            secs(unix_singles),
            per(unix_singles),
            secs(sum)
        ));
    } else {
        doc.push_str(&format!(
            "| `dockaudit scan --inventory` of {n} entries onto the local unix socket (--parallel {p}) | {:.1} s | {:.2} s |\n\
             | the same {n} unix-socket audits one after another (sum) | {:.1} s | {:.2} s |\n",
            secs(unix_fleet.wall),
            per(unix_fleet.wall),
            secs(unix_singles),
            per(unix_singles),
        ));
    }
    doc.push_str(&format!(
        "\nSum of the per-host durations inside the fleet runs: {:.1} s over SSH, {:.1} s on the socket (hosts overlap).\n\
         Speed-up of the fleet run over one after another: {:.1}× over SSH, {:.1}× on the socket. Every target here is\n\
         the same daemon on the same 2-core machine, so hosts audited at once compete for its CPU and for one dockerd;\n\
         on a real fleet each host does its share on its own machine and only the network waits overlap.\n",
        secs(ssh_fleet.in_fleet_sum),
        secs(unix_fleet.in_fleet_sum),
        secs(ssh_singles) / secs(ssh_fleet.wall).max(0.001),
        secs(unix_singles) / secs(unix_fleet.wall).max(0.001),
    ));
    Ok(doc)
}

/// `dockaudit scan --inventory` with `--parallel`; fails unless every host was audited.
fn fleet_run(bin: &Path, inventory: &Path, ssh_config: &Path, out_dir: &Path, opts: &Options) -> Result<FleetRun> {
    let clock = Instant::now();
    let out = Command::new(bin)
        .args(["scan", "--inventory"])
        .arg(inventory)
        .args([
            "--parallel",
            &opts.parallel.to_string(),
            "--fail-on",
            "never",
            "--no-progress",
            "--ssh-config",
        ])
        .arg(ssh_config)
        .arg("--out-dir")
        .arg(out_dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()?;
    let wall = clock.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("fleet-summary.json"))?)?;
    let audited = summary["totals"]["pass"].as_u64().unwrap_or(0) + summary["totals"]["fail"].as_u64().unwrap_or(0);
    if !out.status.success() || audited != opts.hosts as u64 {
        bail!(
            "the fleet run audited {audited} of {} hosts ({}): {stderr}",
            opts.hosts,
            out.status
        );
    }
    // Every SSH host must have been gathered there, else the figures would not be a full audit.
    if stderr.contains("host checks skipped") {
        bail!("a host fell back to the Engine API alone: {stderr}");
    }
    let in_fleet_ms: u64 = summary["hosts"]
        .as_array()
        .map(|hosts| hosts.iter().filter_map(|h| h["duration_ms"].as_u64()).sum())
        .unwrap_or(0);
    check_interrupted()?;
    Ok(FleetRun {
        wall,
        in_fleet_sum: Duration::from_millis(in_fleet_ms),
    })
}

/// Each address audited alone, one after another; the sum of their wall times.
fn singles(bin: &Path, addresses: &[String], ssh_config: &Path) -> Result<Duration> {
    let mut total = Duration::ZERO;
    for address in addresses {
        let clock = Instant::now();
        let out = Command::new(bin)
            .args([
                "scan",
                "--host",
                address,
                "--format",
                "json",
                "-o",
                "/dev/null",
                "--fail-on",
                "never",
                "--no-progress",
                "--ssh-config",
            ])
            .arg(ssh_config)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()?;
        total += clock.elapsed();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() || stderr.contains("host checks skipped") {
            bail!("the single-host audit of {address} failed ({}): {stderr}", out.status);
        }
        check_interrupted()?;
    }
    Ok(total)
}

/// docker-bench-security as a user runs it on a fleet without an agent: the script and its
/// function and test files, as a tar stream over SSH into a temporary directory on each host, run
/// there, removed afterwards; `parallel` hosts at once. Returns the wall time and the sum of the
/// runs' own durations.
fn run_dbs(dir: &Path, ssh_config: &Path, aliases: &[String], parallel: usize) -> Result<(Duration, Duration)> {
    let tar = Command::new("tar")
        .arg("-cf")
        .arg("-")
        .arg("-C")
        .arg(dir)
        .args(["docker-bench-security.sh", "functions", "tests"])
        .output()
        .context("tar of docker-bench-security")?;
    if !tar.status.success() {
        bail!("tar: {}", String::from_utf8_lossy(&tar.stderr));
    }
    let archive = Arc::new(tar.stdout);
    // The log goes into the temporary directory too; only the exit status comes back.
    let remote = "d=$(mktemp -d) && tar -xf - -C \"$d\" && cd \"$d\" && \
                  bash docker-bench-security.sh -l \"$d/dbs.log\" >/dev/null 2>&1; rc=$?; rm -rf \"$d\"; exit $rc";
    let next = Arc::new(AtomicUsize::new(0));
    let sum = Arc::new(Mutex::new(Duration::ZERO));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let clock = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..parallel.min(aliases.len()) {
            let (next, sum, failures, archive) = (
                Arc::clone(&next),
                Arc::clone(&sum),
                Arc::clone(&failures),
                Arc::clone(&archive),
            );
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(alias) = aliases.get(i) else { break };
                let started = Instant::now();
                let ok = Command::new("ssh")
                    .arg("-F")
                    .arg(ssh_config)
                    .args(["-o", "BatchMode=yes", "--", alias, remote])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .and_then(|mut child| {
                        if let Some(mut stdin) = child.stdin.take() {
                            stdin.write_all(&archive)?;
                        }
                        child.wait_with_output()
                    });
                if let Ok(mut total) = sum.lock() {
                    *total += started.elapsed();
                }
                match ok {
                    Ok(out) if out.status.success() => {}
                    Ok(out) => {
                        if let Ok(mut f) = failures.lock() {
                            f.push(format!(
                                "{alias}: {} {}",
                                out.status,
                                String::from_utf8_lossy(&out.stderr).trim()
                            ));
                        }
                    }
                    Err(e) => {
                        if let Ok(mut f) = failures.lock() {
                            f.push(format!("{alias}: {e}"));
                        }
                    }
                }
            });
        }
    });
    let wall = clock.elapsed();
    let failed = failures.lock().map(|f| f.clone()).unwrap_or_default();
    if !failed.is_empty() {
        bail!(
            "{} docker-bench-security run(s) failed: {}",
            failed.len(),
            failed.join("; ")
        );
    }
    let total = *sum.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    Ok((wall, total))
}
