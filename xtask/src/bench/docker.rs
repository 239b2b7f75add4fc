//! The audit half of `cargo xtask bench`: containers on the local daemon, `dockaudit scan` against
//! the floor, and the measurement of child processes (`wait4`).
//!
//! The containers and images are a [`Fixture`]'s: labelled `dockaudit.bench.run=<run id>`, and
//! removed at the end, after an error, a panic or Ctrl-C too.

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde_json::Value;

use super::common::{check_interrupted, step};
use super::fixture::{run_labels, Fixture};
use super::stats::median;

/// Label carried by every container the harness creates: the harness run's id.
const RUN_LABEL: &str = "dockaudit.bench.run";
/// Image variants (tag suffix, `docker import --change` instructions): base, with a USER, with a
/// HEALTHCHECK, with ENV (different image ids).
const IMAGES: [(&str, &[&str]); 4] = [
    ("0", &[]),
    ("1", &["USER 65534"]),
    ("2", &["HEALTHCHECK --interval=1h CMD true"]),
    ("3", &["ENV API_KEY=bench"]),
];

/// One measured process (or process pair, for the floor).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sample {
    pub wall_ms: f64,
    /// User + system time of the measured children.
    pub cpu_ms: f64,
    /// Largest peak RSS of the measured children, KiB.
    pub max_rss_kib: u64,
    /// CPU time dockerd and containerd spent during the run (children included).
    pub daemon_cpu_ms: f64,
}

/// The figures of one size.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanRow {
    /// Containers the harness created.
    pub created: usize,
    /// Containers the audit saw (the harness's plus any others on the daemon).
    pub containers: usize,
    pub running: usize,
    pub images: usize,
    pub local_networks: usize,
    pub swarm_manager: bool,
    /// Engine API requests of an audit of all checks, and of `--check 5.5` only.
    pub requests_all_checks: u64,
    pub requests_one_check: u64,
    /// Findings in the report of the probe run.
    pub findings: usize,
    /// Sum of the checks' `duration_us`, ms.
    pub eval_ms: f64,
    /// The snapshot's own `collection.duration_ms`.
    pub gather_ms: f64,
    pub scan: Vec<Sample>,
    pub floor: Vec<Sample>,
}

impl ScanRow {
    pub fn scan_wall(&self) -> Vec<f64> {
        self.scan.iter().map(|s| s.wall_ms).collect()
    }
    pub fn floor_wall(&self) -> Vec<f64> {
        self.floor.iter().map(|s| s.wall_ms).collect()
    }
    pub fn scan_cpu(&self) -> Vec<f64> {
        self.scan.iter().map(|s| s.cpu_ms).collect()
    }
    pub fn floor_cpu(&self) -> Vec<f64> {
        self.floor.iter().map(|s| s.cpu_ms).collect()
    }
    pub fn scan_daemon_cpu(&self) -> Vec<f64> {
        self.scan.iter().map(|s| s.daemon_cpu_ms).collect()
    }
    pub fn floor_daemon_cpu(&self) -> Vec<f64> {
        self.floor.iter().map(|s| s.daemon_cpu_ms).collect()
    }
    /// The worst peak RSS over the runs.
    pub fn scan_max_rss_kib(&self) -> u64 {
        self.scan.iter().map(|s| s.max_rss_kib).max().unwrap_or(0)
    }
    /// One request per object: version, info and three lists, each container and each local
    /// network inspected, each running container's writable-layer changes (the workload facts
    /// of the least-privilege proposals), each image inspected with its history (plus four swarm
    /// requests on a manager).
    pub fn base_requests(&self) -> u64 {
        let n = 5 + self.containers + self.running + 2 * self.images + self.local_networks;
        n as u64 + if self.swarm_manager { 4 } else { 0 }
    }
    /// `/top` requests: processes of running containers are read on the host, and asked from
    /// the daemon only where the host's view is unusable (at most one per running container).
    pub fn top_requests(&self) -> u64 {
        self.requests_all_checks.saturating_sub(self.base_requests())
    }
    /// Whether the audit sent one request per object and nothing that depends on the checks.
    pub fn fetched_once(&self) -> bool {
        self.requests_all_checks == self.requests_one_check
            && self.requests_all_checks >= self.base_requests()
            && self.top_requests() <= self.running as u64
    }
}

/// Creates the containers size by size and measures each size.
pub fn run(bin: &Path, sizes: &[usize], runs: usize) -> Result<Vec<ScanRow>> {
    let mut fixture = Fixture::new(RUN_LABEL, &IMAGES)?;
    let result = (|| {
        let mut rows = Vec::new();
        for &n in sizes {
            check_interrupted()?;
            step(&format!("{n} containers"));
            let clock = Instant::now();
            fixture.grow_to(n, |f, i| {
                container_args(i, &format!("dockaudit-bench-{}", f.run_id()), f.run_id(), f.images())
            })?;
            println!("    ready in {:.0} s", clock.elapsed().as_secs_f64());
            rows.push(measure_size(bin, n, runs, fixture.scratch())?);
        }
        Ok(rows)
    })();
    step("removing the benchmark's containers and images");
    fixture.cleanup();
    result
}

fn measure_size(bin: &Path, n: usize, runs: usize, scratch: &Path) -> Result<ScanRow> {
    // Warm-up: caches of the daemon, the page cache and the binaries.
    scan_once(bin)?;
    floor_once()?;
    let (mut scans, mut floors) = (Vec::new(), Vec::new());
    for i in 0..runs {
        check_interrupted()?;
        // Alternate the order so a slow phase of the machine hits both.
        if i % 2 == 0 {
            scans.push(scan_once(bin)?);
            floors.push(floor_once()?);
        } else {
            floors.push(floor_once()?);
            scans.push(scan_once(bin)?);
        }
    }
    // What the audit fetched and reported, from two more (untimed) runs.
    let mut row = probe(bin, scratch)?;
    row.created = n;
    row.scan = scans;
    row.floor = floors;
    println!(
        "    audit {:.0} ms, floor {:.0} ms (medians of {runs}), peak RSS {} KiB, {} requests",
        median(&row.scan_wall()).unwrap_or(f64::NAN),
        median(&row.floor_wall()).unwrap_or(f64::NAN),
        row.scan_max_rss_kib(),
        row.requests_all_checks
    );
    Ok(row)
}

/// Runs the audit once with `--facts-out`, and once more selecting a single check, and reads
/// what they fetched. Other users of the daemon may add or remove containers between the two, so
/// a disagreement is retried a few times before it is reported.
fn probe(bin: &Path, scratch: &Path) -> Result<ScanRow> {
    let facts_path = scratch.join("facts.json");
    let report_path = scratch.join("report.json");
    let one_path = scratch.join("facts-one.json");
    let mut row = ScanRow::default();
    for _attempt in 0..3 {
        run_dockaudit(
            bin,
            &[
                "--facts-out",
                path_str(&facts_path)?,
                "--json-out",
                path_str(&report_path)?,
            ],
        )?;
        run_dockaudit(bin, &["--check", "5.5", "--facts-out", path_str(&one_path)?])?;
        let facts = read_json(&facts_path)?;
        let report = read_json(&report_path)?;
        let one = read_json(&one_path)?;
        row = facts_row(&facts, &report);
        row.requests_one_check = requests(&one);
        if row.fetched_once() {
            break;
        }
    }
    Ok(row)
}

fn run_dockaudit(bin: &Path, extra: &[&str]) -> Result<()> {
    let out = Command::new(bin)
        .args(["scan", "--format", "json", "--no-progress", "-o", "/dev/null"])
        .args(extra)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {}", bin.display()))?;
    // 1 means "findings", which a host full of odd containers certainly has.
    if !matches!(out.status.code(), Some(0 | 1)) {
        bail!(
            "dockaudit scan failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

fn path_str(p: &Path) -> Result<&str> {
    p.to_str().with_context(|| format!("{} is not UTF-8", p.display()))
}

fn read_json(p: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", p.display()))
}

fn requests(facts: &Value) -> u64 {
    facts["collection"]["api_requests"].as_u64().unwrap_or(0)
}

/// What a facts snapshot and its report say about one audit.
pub fn facts_row(facts: &Value, report: &Value) -> ScanRow {
    let list = |key: &str| facts[key]["ok"].as_array().cloned().unwrap_or_default();
    let containers = list("containers");
    let running = containers
        .iter()
        .filter(|c| c["state"]["running"].as_bool() == Some(true) && !c["processes"].is_null())
        .count();
    let local_networks = list("networks")
        .iter()
        .filter(|n| n["scope"] == "local" && n["id"].as_str().is_some_and(|id| !id.is_empty()))
        .count();
    let results = report["results"].as_array().cloned().unwrap_or_default();
    ScanRow {
        containers: containers.len(),
        running,
        images: list("images").len(),
        local_networks,
        swarm_manager: facts["swarm"]["ok"]["is_manager"].as_bool() == Some(true),
        requests_all_checks: requests(facts),
        findings: results
            .iter()
            .map(|r| r["findings"].as_array().map_or(0, Vec::len))
            .sum(),
        eval_ms: results
            .iter()
            .map(|r| r["duration_us"].as_f64().unwrap_or(0.0))
            .sum::<f64>()
            / 1000.0,
        gather_ms: facts["collection"]["duration_ms"].as_f64().unwrap_or(0.0),
        ..ScanRow::default()
    }
}

fn scan_once(bin: &Path) -> Result<Sample> {
    measure_dockaudit(bin, &["scan", "--format", "json", "--no-progress"], &[0, 1])
}

/// Runs `bin ARGS` (output discarded), timing it and reading its CPU time and peak RSS with
/// `wait4`, and the daemon's CPU time meanwhile; fails unless it exits with one of `ok`.
pub(super) fn measure_dockaudit(bin: &Path, args: &[&str], ok: &[i32]) -> Result<Sample> {
    let daemon = DaemonCpu::start();
    let clock = Instant::now();
    let child = Command::new(bin)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let (code, usage, stderr) = wait_child(child)?;
    let wall_ms = clock.elapsed().as_secs_f64() * 1000.0;
    if !code.is_some_and(|c| ok.contains(&c)) {
        let what = args.first().copied().unwrap_or_default();
        bail!("dockaudit {what} exited with {code:?}: {}", stderr.trim());
    }
    Ok(Sample {
        wall_ms,
        cpu_ms: usage.cpu_ms,
        max_rss_kib: usage.max_rss_kib,
        daemon_cpu_ms: daemon.elapsed_ms(),
    })
}

/// The least a tool can ask to see every container: the list, then one `docker inspect` of all.
pub(super) fn floor_once() -> Result<Sample> {
    let daemon = DaemonCpu::start();
    let clock = Instant::now();
    let mut list = Command::new("docker")
        .args(["ps", "-aq", "--no-trunc"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting docker ps")?;
    let mut ids = String::new();
    if let Some(mut out) = list.stdout.take() {
        out.read_to_string(&mut ids).context("reading docker ps")?;
    }
    let (code, list_usage, stderr) = wait_child(list)?;
    if code != Some(0) {
        bail!("docker ps failed: {}", stderr.trim());
    }
    let ids: Vec<&str> = ids.split_whitespace().collect();
    let mut usage = list_usage;
    if !ids.is_empty() {
        let inspect = Command::new("docker")
            .arg("inspect")
            .args(&ids)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("starting docker inspect")?;
        let (code, inspect_usage, stderr) = wait_child(inspect)?;
        // A container removed by someone else between the list and the inspect makes docker
        // inspect exit 1 after printing the rest; that is still a full pass.
        if !matches!(code, Some(0 | 1)) {
            bail!("docker inspect failed: {}", stderr.trim());
        }
        usage.cpu_ms += inspect_usage.cpu_ms;
        usage.max_rss_kib = usage.max_rss_kib.max(inspect_usage.max_rss_kib);
    }
    Ok(Sample {
        wall_ms: clock.elapsed().as_secs_f64() * 1000.0,
        cpu_ms: usage.cpu_ms,
        max_rss_kib: usage.max_rss_kib,
        daemon_cpu_ms: daemon.elapsed_ms(),
    })
}

/// CPU time and peak RSS of one reaped child.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    pub cpu_ms: f64,
    pub max_rss_kib: u64,
}

/// Reaps `child` with `wait4`, which returns its resource usage alone (getrusage(RUSAGE_CHILDREN)
/// would mix in every other child). Returns the exit code, the usage and its stderr.
fn wait_child(mut child: std::process::Child) -> Result<(Option<i32>, Usage, String)> {
    // Drain stderr first, so a chatty child cannot block on a full pipe.
    let mut stderr = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut stderr);
    }
    let pid = libc::pid_t::try_from(child.id()).context("child pid out of range")?;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value, and wait4 only writes into the two
    // out-parameters we own.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = loop {
        // SAFETY: see above; pid is our own unreaped child.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        break r;
    };
    if reaped != pid {
        bail!("wait4 failed: {}", std::io::Error::last_os_error());
    }
    let code = if libc::WIFEXITED(status) {
        Some(libc::WEXITSTATUS(status))
    } else {
        None
    };
    let tv_ms = |tv: libc::timeval| tv.tv_sec as f64 * 1000.0 + tv.tv_usec as f64 / 1000.0;
    Ok((
        code,
        Usage {
            cpu_ms: tv_ms(usage.ru_utime) + tv_ms(usage.ru_stime),
            max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        },
        stderr,
    ))
}

/// CPU time of dockerd and containerd, to show where the daemon's share of an audit goes.
struct DaemonCpu {
    pids: Vec<u32>,
    start_ticks: u64,
}

impl DaemonCpu {
    fn start() -> Self {
        let pids = daemon_pids();
        let start_ticks = pids.iter().filter_map(|p| process_ticks(*p)).sum();
        DaemonCpu { pids, start_ticks }
    }

    fn elapsed_ms(&self) -> f64 {
        let now: u64 = self.pids.iter().filter_map(|p| process_ticks(*p)).sum();
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
        now.saturating_sub(self.start_ticks) as f64 * 1000.0 / hz
    }
}

fn daemon_pids() -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()))
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| matches!(c.trim(), "dockerd" | "containerd"))
        })
        .collect()
}

fn process_ticks(pid: u32) -> Option<u64> {
    stat_ticks(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// utime + stime + cutime + cstime from a `/proc/<pid>/stat` line (fields 14–17; the command name
/// in brackets may contain spaces, so fields are counted after the last `)`).
pub fn stat_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state is field 3, so field k is at index k - 3.
    let ticks = fields.get(11..15)?;
    ticks
        .iter()
        .map(|t| t.parse::<i64>().ok().map(|v| v.max(0) as u64))
        .sum()
}

/// `docker run`/`docker create` arguments of container `i`: even ones run, odd ones do not, and
/// each cycles through configurations a real host has (good and bad).
pub fn container_args(i: usize, prefix: &str, run_id: &str, images: &[String]) -> Vec<String> {
    let image = images.get(i % images.len().max(1)).cloned().unwrap_or_default();
    let mut args: Vec<String> = Vec::new();
    let v = i / 2;
    let (verb, config, command): (&str, &[&str], &[&str]) = if i % 2 == 0 {
        let config: &[&str] = match v % 6 {
            0 => &["-p", "127.0.0.1::8080", "--label", "tier=web"],
            1 => &[
                "--memory",
                "64m",
                "--cpu-shares",
                "512",
                "--pids-limit",
                "64",
                "--read-only",
                "--security-opt",
                "no-new-privileges",
                "--cap-drop",
                "ALL",
                "--user",
                "65534:65534",
                "--restart",
                "on-failure:5",
                "--health-cmd",
                "true",
                "--health-interval",
                "1h",
                "-p",
                "127.0.0.1::8080",
            ],
            2 => &[
                "--cap-add",
                "NET_ADMIN",
                "--cap-add",
                "SYS_PTRACE",
                "-v",
                "/etc:/host/etc:ro",
                "--restart",
                "always",
            ],
            3 => &["--network", "host", "--pid", "host", "--uts", "host"],
            4 => &[
                "-e",
                "API_TOKEN=bench",
                "-e",
                "DB_PASSWORD=bench",
                "-v",
                "/var/run/docker.sock:/var/run/docker.sock:ro",
                "--label",
                "app=agent",
            ],
            _ => &[
                "--security-opt",
                "seccomp=unconfined",
                "--ulimit",
                "nofile=1024:2048",
                "--device",
                "/dev/null:/dev/xnull",
                "--ipc",
                "host",
                "--memory",
                "128m",
            ],
        };
        ("run", config, &["sleep", "86400"])
    } else {
        match v % 4 {
            0 => ("create", &["--privileged"], &["sleep", "1"]),
            1 => ("create", &["-v", "/:/host", "--cap-add", "ALL"], &["sleep", "1"]),
            // Started, then exited at once.
            2 => ("run", &["--memory", "32m", "--read-only"], &["true"]),
            _ => (
                "create",
                &["--network", "none", "--user", "1000", "--health-cmd", "true"],
                &["sleep", "1"],
            ),
        }
    };
    args.push(verb.into());
    if verb == "run" {
        args.push("-d".into());
    }
    args.extend(["--name".to_string(), format!("{prefix}-{i:04}")]);
    args.extend(run_labels(RUN_LABEL, run_id));
    args.extend(config.iter().map(|s| s.to_string()));
    args.push(image);
    args.extend(command.iter().map(|s| s.to_string()));
    args
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_proc_stat_times() {
        let stat = "1234 (docker d) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 10 5 20 0 12 0 100 0 0";
        assert_eq!(stat_ticks(stat), Some(315));
        assert_eq!(stat_ticks("garbage"), None);
        assert_eq!(stat_ticks("1 (x) S 1"), None);
    }

    #[test]
    fn containers_alternate_running_and_stopped_with_the_run_label() {
        let images = vec!["img:0".to_string(), "img:1".to_string()];
        let running = container_args(0, "p", "r1", &images);
        assert_eq!(&running[..2], ["run", "-d"]);
        assert!(running.contains(&"dockaudit.bench.run=r1".to_string()));
        assert!(running.contains(&"p-0000".to_string()));
        assert_eq!(running[running.len() - 2..], ["sleep", "86400"]);
        let stopped = container_args(1, "p", "r1", &images);
        assert_eq!(stopped[0], "create");
        assert!(stopped.contains(&"img:1".to_string()));
        // Six running and four stopped configurations, apart from the name and image.
        let configs: std::collections::BTreeSet<String> = (0..24)
            .map(|i| {
                let args = container_args(i, "p", "r", &images);
                let name = args.iter().position(|a| a == "--name").unwrap();
                args[..name].join(" ") + &args[name + 2..].join(" ").replace("img:1", "img:0")
            })
            .collect();
        assert_eq!(configs.len(), 10);
    }

    #[test]
    fn counts_requests_per_object() {
        let facts = json!({
            "collection": {"api_requests": 12, "duration_ms": 40},
            "containers": {"ok": [
                {"state": {"running": true}, "processes": {"ok": []}},
                {"state": {"running": false}, "processes": null}
            ]},
            "images": {"ok": [{"id": "sha256:a"}]},
            "networks": {"ok": [
                {"id": "n1", "scope": "local"},
                {"id": "n2", "scope": "swarm"}
            ]},
            "swarm": {"ok": null}
        });
        let report = json!({"results": [
            {"findings": [{}, {}], "duration_us": 1500},
            {"findings": [], "duration_us": 500}
        ]});
        let row = facts_row(&facts, &report);
        assert_eq!(
            (row.containers, row.running, row.images, row.local_networks),
            (2, 1, 1, 1)
        );
        // The running container's /changes is one of them.
        assert_eq!(row.base_requests(), 5 + 2 + 1 + 2 + 1);
        assert_eq!(row.requests_all_checks, 12);
        assert_eq!(row.top_requests(), 1);
        let mut same = row.clone();
        same.requests_one_check = 12;
        assert!(same.fetched_once());
        // Two /top requests for one running container: something else was fetched.
        same.requests_all_checks = 13;
        same.requests_one_check = 13;
        assert!(!same.fetched_once());
        assert_eq!(row.findings, 2);
        assert_eq!(row.eval_ms, 2.0);
        assert_eq!(row.gather_ms, 40.0);
    }
}
