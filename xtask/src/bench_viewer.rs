//! The viewer half of `cargo xtask bench`: large reports generated with `dockaudit_shared` types,
//! served with the browser tests' static server and chromedriver (`dockaudit_tests::browser`), and
//! a small synchronous WebDriver client that reads the viewer's performance marks
//! (viewer/src/perf.rs) back from headless Chromium.
//!
//! Only std and serde_json for the client: the harness needs five WebDriver endpoints, not an
//! async stack.
//!
//! `DOCKAUDIT_BENCH_TRACE=1` prints each step; `DOCKAUDIT_BENCH_KEEP=1` keeps the generated reports
//! (under `target/bench/viewer-<pid>/`) for profiling by hand.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use dockaudit_shared::catalog::{self, Evaluation};
use dockaudit_shared::report::{CheckResult, Finding, Report, Status, Target, TargetKind, SCHEMA_VERSION};
use dockaudit_shared::summary::Summary;
use dockaudit_tests::browser::{self, ChromeDriver, StaticServer};
use serde_json::{json, Value};

use crate::bench::{check_interrupted, median, step};

/// Everything the viewer runs measured.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ViewerResults {
    pub wasm_raw_bytes: u64,
    pub wasm_gz_bytes: u64,
    pub js_gz_bytes: u64,
    /// Browser name and version, as the WebDriver session reports them.
    pub browser: String,
    pub rows: Vec<ViewerRow>,
}

/// The figures of one report size; every list holds one value per run, in ms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ViewerRow {
    pub containers: usize,
    pub json_bytes: u64,
    pub findings: usize,
    /// `dockaudit:interactive`, from navigation start.
    pub interactive: Vec<f64>,
    /// When the wasm and the report had arrived (resource timing `responseEnd`).
    pub wasm_ready: Vec<f64>,
    pub report_fetched: Vec<f64>,
    /// `dockaudit:parse`.
    pub parse: Vec<f64>,
    pub filter_status: Vec<f64>,
    pub filter_text: Vec<f64>,
    pub diff: Vec<f64>,
}

/// Generates the reports, serves them with `dist`, and measures each size in Chromium.
pub fn run(root: &Path, dist: &Path, sizes: &[usize], runs: usize) -> Result<ViewerResults> {
    if let Some(missing) = browser::missing_browser() {
        bail!("the viewer benchmark cannot run: {missing}");
    }
    let wasm = dist.join("dockaudit_viewer_bg.wasm");
    let mut results = ViewerResults {
        wasm_raw_bytes: std::fs::metadata(&wasm).map(|m| m.len()).unwrap_or(0),
        wasm_gz_bytes: gzip_size(&wasm)?,
        js_gz_bytes: gzip_size(&dist.join("dockaudit_viewer.js"))?,
        ..ViewerResults::default()
    };

    crate::bench_docker::sweep_scratch(&crate::target_dir(root).join("bench"));
    let scratch = Scratch::new(crate::target_dir(root).join(format!("bench/viewer-{}", std::process::id())))?;
    let reports = scratch.0.join("reports");
    std::fs::create_dir_all(&reports).with_context(|| format!("creating {}", reports.display()))?;
    step("generating reports");
    let mut rows = Vec::new();
    for &n in sizes {
        let (a, b) = (host_report(n, 1)?, host_report(n, 2)?);
        let findings = a.results.iter().map(|r| r.findings.len()).sum();
        let mut json_bytes = 0;
        for (name, report) in [(format!("a-{n}.json"), &a), (format!("b-{n}.json"), &b)] {
            let (text, _) = dockaudit_shared::digest::seal(report).context("sealing a generated report")?;
            if name.starts_with("a-") {
                json_bytes = text.len() as u64;
            }
            std::fs::write(reports.join(&name), text).with_context(|| format!("writing {name}"))?;
        }
        println!(
            "    {n} containers: {findings} findings, {:.1} MB",
            json_bytes as f64 / 1e6
        );
        rows.push(ViewerRow {
            containers: n,
            json_bytes,
            findings,
            ..ViewerRow::default()
        });
    }

    let server = StaticServer::start(vec![
        ("/reports/".into(), reports.clone()),
        ("/".into(), dist.to_path_buf()),
    ])
    .context("starting the static server")?;
    let driver = ChromeDriver::try_start()?;
    let profile = scratch.0.join("profile");
    let session = Session::new(driver.port(), &profile)?;
    results.browser = session.browser.clone();
    for row in &mut rows {
        check_interrupted()?;
        step(&format!("viewer, {} containers", row.containers));
        measure(&session, &server, row, runs)?;
        println!(
            "    interactive {:.0} ms, filter {:.0} / {:.0} ms, diff {:.0} ms",
            median(&row.interactive).unwrap_or(f64::NAN),
            median(&row.filter_status).unwrap_or(f64::NAN),
            median(&row.filter_text).unwrap_or(f64::NAN),
            median(&row.diff).unwrap_or(f64::NAN)
        );
    }
    session.close();
    drop(driver);
    drop(server);
    // The site was built for this run only (viewer/dist is the one to serve).
    let _ = std::fs::remove_dir_all(dist);
    results.rows = rows;
    Ok(results)
}

/// Bytes of `gzip -9` output.
fn gzip_size(path: &Path) -> Result<u64> {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .context("running gzip")?;
    if !out.status.success() {
        bail!("gzip -9 {} failed", path.display());
    }
    Ok(out.stdout.len() as u64)
}

/// A directory removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(path: PathBuf) -> Result<Self> {
        std::fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(Scratch(path))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // `DOCKAUDIT_BENCH_KEEP=1` keeps the generated reports for profiling by hand.
        if env_flag("DOCKAUDIT_BENCH_KEEP") {
            println!("kept {}", self.0.display());
            return;
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether an environment variable is set to something other than empty or `0`.
fn env_flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Waits for a performance entry, optionally after running `action` in the page (the entry is
/// cleared first, so only the one the action causes counts). Resolves to the entries or null.
const WAIT_FOR_ENTRY: &str = r#"
const [name, action, arg, timeoutMs] = arguments;
const done = arguments[arguments.length - 1];
if (action) {
  performance.clearMeasures(name);
  performance.clearMarks(name);
  if (action === 'click') {
    const el = document.querySelector(arg);
    if (!el) { done({error: 'no element ' + arg}); return; }
    el.click();
  } else if (action === 'search') {
    const el = document.querySelector('[data-testid=search]');
    if (!el) { done({error: 'no search box'}); return; }
    el.value = arg;
    el.dispatchEvent(new InputEvent('input', {bubbles: true}));
  }
}
const t0 = performance.now();
(function poll() {
  const entries = performance.getEntriesByName(name);
  if (entries.length > 0) {
    done(entries.map((e) => ({start: e.startTime, duration: e.duration})));
  } else if (performance.now() - t0 > timeoutMs) {
    done({error: 'no ' + name + ' within ' + timeoutMs + ' ms'});
  } else {
    setTimeout(poll, 5);
  }
})();
"#;

/// Timing details of a loaded page.
const LOAD_DETAILS: &str = r#"
const parse = performance.getEntriesByName('dockaudit:parse').map((e) => e.duration);
const resources = performance.getEntriesByType('resource');
const end = (suffix) => {
  const r = resources.find((e) => e.name.split('?')[0].endsWith(suffix));
  return r ? r.responseEnd : null;
};
return {parse, wasm: end('.wasm'), report: end('.json')};
"#;

/// Resolves after two painted frames (the page is idle again).
const SETTLE: &str = r#"
const done = arguments[arguments.length - 1];
requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => done(true), 0)));
"#;

fn measure(session: &Session, server: &StaticServer, row: &mut ViewerRow, runs: usize) -> Result<()> {
    let n = row.containers;
    let single = server.url(&format!("/?report=reports/a-{n}.json"));
    // A container named in most failing checks, so the text filter keeps many checks visible.
    let needle = container_name(n / 3);
    // Warm-up: the browser process, the server's page cache, V8's first compile.
    trace("warm-up load");
    session.navigate(&single)?;
    session.wait_for("dockaudit:interactive", None, "", 120_000)?;
    for run in 1..=runs {
        check_interrupted()?;
        trace(&format!("load {run}"));
        session.navigate(&single)?;
        trace("  waiting for dockaudit:interactive");
        let interactive = session.wait_for("dockaudit:interactive", None, "", 120_000)?;
        row.interactive.push(interactive.first().map_or(f64::NAN, |e| e.0));
        let details = session.execute(LOAD_DETAILS, json!([]))?;
        if let Some(p) = details["parse"]
            .as_array()
            .and_then(|a| a.first())
            .and_then(Value::as_f64)
        {
            row.parse.push(p);
        }
        row.wasm_ready.push(details["wasm"].as_f64().unwrap_or(f64::NAN));
        row.report_fetched.push(details["report"].as_f64().unwrap_or(f64::NAN));
        idle(session)?;
        trace("  filter by status");
        let on = session.wait_for(
            "dockaudit:filter",
            Some("click"),
            "[data-testid=filter-status-fail]",
            30_000,
        )?;
        row.filter_status.push(last_duration(&on));
        session.wait_for(
            "dockaudit:filter",
            Some("click"),
            "[data-testid=filter-status-fail]",
            30_000,
        )?;
        idle(session)?;
        trace("  filter by text");
        let text = session.wait_for("dockaudit:filter", Some("search"), &needle, 30_000)?;
        row.filter_text.push(last_duration(&text));
        session.wait_for("dockaudit:filter", Some("search"), "", 30_000)?;
    }
    // The comparison: both runs of this size loaded, then the Compare tab, `runs` times.
    trace("load both reports");
    session.navigate(&server.url(&format!("/?report=reports/a-{n}.json&report=reports/b-{n}.json")))?;
    session.wait_for("dockaudit:interactive", None, "", 120_000)?;
    wait_until_loaded(session, 2)?;
    for _ in 0..runs {
        check_interrupted()?;
        idle(session)?;
        trace("  diff");
        let d = session.wait_for("dockaudit:diff", Some("click"), "[data-testid=mode-diff]", 60_000)?;
        row.diff.push(last_duration(&d));
        session.execute_async(
            "document.querySelector('[data-testid=mode-report]').click(); arguments[arguments.length - 1](true);",
            json!([]),
        )?;
        session.execute_async(SETTLE, json!([]))?;
    }
    Ok(())
}

/// Progress lines with `DOCKAUDIT_BENCH_TRACE=1`.
fn trace(what: &str) {
    if env_flag("DOCKAUDIT_BENCH_TRACE") {
        println!(
            "    [{:.1}s] {what}",
            START.get_or_init(Instant::now).elapsed().as_secs_f64()
        );
    }
}

static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// Lets the page settle (painted, timers run) before the next timed action.
fn idle(session: &Session) -> Result<()> {
    session.execute_async(SETTLE, json!([]))?;
    std::thread::sleep(Duration::from_millis(200));
    Ok(())
}

/// Waits until `count` reports have been parsed.
fn wait_until_loaded(session: &Session, count: usize) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let parsed = session.execute(
            "return performance.getEntriesByName('dockaudit:parse').length;",
            json!([]),
        )?;
        if parsed.as_u64().unwrap_or(0) >= count as u64 {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the viewer did not read {count} reports within 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn last_duration(entries: &[(f64, f64)]) -> f64 {
    entries.last().map_or(f64::NAN, |e| e.1)
}

// ---- generated reports ----

/// Roles that name containers, like a real deployment.
const ROLES: [&str; 8] = ["web", "api", "worker", "db", "cache", "queue", "auth", "search"];

/// Checks that fail per container: id, share of containers that fail it (per mille), what is
/// wrong, what was found, what is expected, how to fix it (`{}` is the container's name).
const CONTAINER_FAILS: [(&str, u32, &str, &str, &str, &str); 24] = [
    (
        "5.2",
        950,
        "runs without an AppArmor profile",
        "AppArmorProfile = \"\"",
        "docker-default or a custom profile",
        "Re-create {} with --security-opt apparmor=docker-default",
    ),
    (
        "5.3",
        990,
        "has no SELinux options",
        "SecurityOpt has no label=…",
        "label=type:… or label=level:…",
        "Re-create {} with --security-opt label=level:s0:c100,c200",
    ),
    (
        "5.4",
        850,
        "keeps capabilities it does not need",
        "CapAdd = [NET_ADMIN, SYS_PTRACE]; CapDrop = []",
        "CapDrop = [ALL] and only the needed CapAdd",
        "Re-create {} with --cap-drop ALL and add back only what it uses",
    ),
    (
        "5.5",
        300,
        "runs privileged",
        "HostConfig.Privileged = true",
        "false",
        "Re-create {} without --privileged; grant only the devices or capabilities it needs",
    ),
    (
        "5.6",
        500,
        "mounts a sensitive host directory",
        "/etc → /host/etc (ro)",
        "no mount of /, /boot, /dev, /etc, /lib, /proc, /sys, /usr",
        "Re-create {} without the /etc bind mount; copy the files it needs into a volume",
    ),
    (
        "5.8",
        600,
        "maps a privileged port",
        "0.0.0.0:443 → 8443/tcp",
        "host ports ≥ 1024",
        "Publish {} on a host port above 1023 and put a proxy in front",
    ),
    (
        "5.10",
        500,
        "shares the host's network namespace",
        "HostConfig.NetworkMode = host",
        "bridge or a user-defined network",
        "Re-create {} on a user-defined network",
    ),
    (
        "5.11",
        900,
        "has no memory limit",
        "HostConfig.Memory = 0 (unlimited)",
        "a limit, e.g. --memory 512m",
        "Run `docker update --memory 512m --memory-swap 512m {}`",
    ),
    (
        "5.12",
        920,
        "has no CPU shares set",
        "HostConfig.CpuShares = 0 (default 1024)",
        "a value that reflects its priority",
        "Run `docker update --cpu-shares 512 {}`",
    ),
    (
        "5.13",
        970,
        "has a writable root filesystem",
        "HostConfig.ReadonlyRootfs = false",
        "true, with volumes for the paths it writes",
        "Re-create {} with --read-only and a tmpfs for /tmp",
    ),
    (
        "5.14",
        800,
        "publishes ports on every interface",
        "0.0.0.0:32768 → 8080/tcp",
        "a specific host address",
        "Publish {} as -p 127.0.0.1:8080:8080 or on the interface it serves",
    ),
    (
        "5.15",
        750,
        "can restart without limit",
        "HostConfig.RestartPolicy = always",
        "on-failure with at most 5 retries",
        "Run `docker update --restart on-failure:5 {}`",
    ),
    (
        "5.16",
        300,
        "shares the host's process namespace",
        "HostConfig.PidMode = host",
        "a private PID namespace",
        "Re-create {} without --pid host",
    ),
    (
        "5.17",
        500,
        "shares the host's IPC namespace",
        "HostConfig.IpcMode = host",
        "private or shareable",
        "Re-create {} without --ipc host",
    ),
    (
        "5.21",
        500,
        "shares the host's UTS namespace",
        "HostConfig.UTSMode = host",
        "a private UTS namespace",
        "Re-create {} without --uts host",
    ),
    (
        "5.22",
        600,
        "runs with seccomp disabled",
        "SecurityOpt = [seccomp=unconfined]",
        "the default or a custom seccomp profile",
        "Re-create {} without seccomp=unconfined",
    ),
    (
        "5.25",
        700,
        "uses a custom cgroup parent",
        "HostConfig.CgroupParent = /batch",
        "the default cgroup parent, or one confirmed as intended",
        "Confirm the cgroup parent of {} or re-create it without --cgroup-parent",
    ),
    (
        "5.26",
        980,
        "may acquire new privileges",
        "SecurityOpt has no no-new-privileges",
        "no-new-privileges:true",
        "Re-create {} with --security-opt no-new-privileges:true",
    ),
    (
        "5.27",
        850,
        "has no health check",
        "Config.Healthcheck = none (image has none either)",
        "a HEALTHCHECK or --health-cmd",
        "Re-create {} with --health-cmd that probes its service",
    ),
    (
        "5.29",
        930,
        "has no PIDs limit",
        "HostConfig.PidsLimit = 0 (unlimited)",
        "a limit, e.g. --pids-limit 200",
        "Run `docker update --pids-limit 200 {}`",
    ),
    (
        "5.30",
        900,
        "is attached to the default bridge",
        "NetworkSettings.Networks = {bridge}",
        "a user-defined network",
        "Connect {} to a user-defined network and disconnect it from bridge",
    ),
    (
        "5.31",
        200,
        "shares the host's user namespace",
        "HostConfig.UsernsMode = host",
        "the daemon's user namespace remapping",
        "Re-create {} without --userns host",
    ),
    (
        "5.32",
        250,
        "mounts the Docker socket",
        "/var/run/docker.sock → /var/run/docker.sock",
        "no access to the daemon's socket",
        "Re-create {} without the docker.sock mount; give it a narrower API proxy",
    ),
    (
        "5.20",
        150,
        "mounts a volume with shared propagation",
        "Mounts[0].Propagation = shared",
        "private or rprivate",
        "Re-create {} with the bind mount's propagation set to private",
    ),
];

/// Checks that are fixed on day 2, and checks that regress on day 2.
const FIXED_ON_DAY_2: [&str; 2] = ["5.31", "2.15"];
const REGRESSED_ON_DAY_2: [&str; 2] = ["5.7", "2.11"];

/// Daemon settings that fail.
const DAEMON_FAILS: [(&str, &str, &str, &str); 4] = [
    (
        "2.2",
        "icc = true",
        "\"icc\": false",
        "Set \"icc\": false in /etc/docker/daemon.json and restart Docker",
    ),
    (
        "2.14",
        "no-new-privileges not configured",
        "\"no-new-privileges\": true",
        "Set \"no-new-privileges\": true in daemon.json",
    ),
    (
        "2.15",
        "live-restore = false",
        "\"live-restore\": true",
        "Set \"live-restore\": true in daemon.json",
    ),
    (
        "2.11",
        "authorization-plugins = []",
        "an authorization plugin",
        "Install an authorization plugin and list it in daemon.json",
    ),
];

/// Deterministic pseudo-random numbers (splitmix64): the same host every run.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn hash_str(s: &str, seed: u64) -> u64 {
    s.bytes().fold(mix(seed), |h, b| mix(h ^ u64::from(b)))
}

/// Whether a fraction (per mille) of items is hit by a hash.
fn per_mille(h: u64, share: u32) -> bool {
    h % 1000 < u64::from(share)
}

pub fn container_name(i: usize) -> String {
    format!("{}-{i:04}", ROLES[i % ROLES.len()])
}

fn hex_id(seed: u64) -> String {
    (0..4)
        .map(|k| format!("{:016x}", mix(seed.wrapping_mul(31).wrapping_add(k))))
        .collect()
}

/// The containers of the host on `day`: day 2 lost about 3 % and gained about 3 % new ones.
pub fn containers(n: usize, day: u32) -> Vec<usize> {
    let mut out: Vec<usize> = (0..n)
        .filter(|&i| day == 1 || !per_mille(mix(i as u64 ^ 0x90e), 30))
        .collect();
    if day > 1 {
        out.extend(n..n + n * 3 / 100);
    }
    out
}

/// A report of a host with `n` containers (and `n / 10` images) on `day` (1 or 2).
pub fn host_report(n: usize, day: u32) -> Result<Report> {
    let list = containers(n, day);
    let images = (n / 10).max(1);
    let results: Vec<CheckResult> = catalog::all()
        .map(|meta| {
            let id = meta.id;
            let fixed = day > 1 && FIXED_ON_DAY_2.contains(&id);
            let regressed = day > 1 && REGRESSED_ON_DAY_2.contains(&id);
            if fixed {
                return CheckResult::for_id(id, Status::Pass, "Meets the recommendation.");
            }
            if let Some(spec) = CONTAINER_FAILS.iter().find(|s| s.0 == id) {
                return container_check(spec, &list, day);
            }
            if let Some(d) = DAEMON_FAILS.iter().find(|d| d.0 == id) {
                if id != "2.11" || regressed {
                    return daemon_check(d);
                }
            }
            if regressed && id == "5.7" {
                let spec = (
                    "5.7",
                    10,
                    "runs sshd",
                    "process /usr/sbin/sshd -D",
                    "no sshd in the container",
                    "Remove sshd from {}; use docker exec to debug",
                );
                return container_check(&spec, &list, day);
            }
            match id {
                "1.1.3" | "1.1.4" | "1.1.5" | "1.1.6" | "1.1.7" | "1.1.8" | "1.1.9" | "1.1.10" => audit_rule_check(id),
                "4.1" => image_check(id, images, 700, "runs as root", "Config.User = \"\"", "a non-root USER"),
                "4.6" => image_check(
                    id,
                    images,
                    800,
                    "has no HEALTHCHECK",
                    "Config.Healthcheck = none",
                    "a HEALTHCHECK instruction",
                ),
                "4.7" => image_check(
                    id,
                    images,
                    200,
                    "runs `apt-get update` alone",
                    "RUN apt-get update",
                    "update and install in one RUN",
                ),
                "4.9" => image_check(id, images, 300, "uses ADD", "ADD file:… in the history", "COPY"),
                "5.9" => ports_check(&list),
                "5.18" => review_check(id, &list, 300, "has a host device", "/dev/fuse → /dev/fuse (rwm)"),
                "5.19" => review_check(id, &list, 600, "overrides a ulimit", "nofile=1024:2048"),
                _ if meta.section == "7" => {
                    CheckResult::for_id(id, Status::NotApplicable, "Swarm mode is not active on this node.")
                }
                _ => match meta.evaluation {
                    Evaluation::Automatic => CheckResult::for_id(id, Status::Pass, "Meets the recommendation."),
                    Evaluation::Review => CheckResult::for_id(id, Status::Manual, "A person must review this."),
                },
            }
        })
        .collect();
    let started_at = format!("2026-03-{:02}T06:00:00Z", 9 + day);
    // Built through JSON so fields other engineers add to `Report` (all optional) need no change here.
    let value = json!({
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "dockaudit", "version": env!("CARGO_PKG_VERSION")},
        "benchmark": {"id": catalog::BENCHMARK_ID, "version": catalog::BENCHMARK_VERSION},
        "run": {
            "id": format!("bench-{n}-day-{day}"),
            "started_at": started_at,
            "finished_at": started_at,
            "duration_ms": 900 + n,
            "command_line": ["dockaudit", "scan", "--json-out", "report.json"],
            "selection": {},
        },
        "host": {
            "hostname": format!("node-{n}"),
            "os": "Debian GNU/Linux 12 (bookworm)",
            "kernel": "6.1.0-28-amd64",
            "architecture": "x86_64",
            "docker": {
                "server_version": "20.10.24+dfsg1",
                "api_version": "1.41",
                "root_dir": "/var/lib/docker",
                "storage_driver": "overlay2",
                "logging_driver": "json-file",
                "cgroup_driver": "systemd",
                "cgroup_version": "2",
                "security_options": ["name=seccomp,profile=builtin", "name=cgroupns"],
                "rootless": false,
                "swarm_state": "inactive",
            },
        },
        "results": results,
        "summary": Summary::compute(&results),
        "errors": [],
    });
    serde_json::from_value(value).context("a generated report does not fit the report schema")
}

fn container_check(spec: &(&str, u32, &str, &str, &str, &str), list: &[usize], day: u32) -> CheckResult {
    let (id, share, what, observed, expected, fix) = *spec;
    let findings: Vec<Finding> = list
        .iter()
        .filter(|&&i| {
            let name = container_name(i);
            // Mostly the same offenders from day to day; about 2 % change.
            let base = per_mille(hash_str(&name, hash_str(id, 1)), share);
            let flip = day > 1 && per_mille(hash_str(&name, hash_str(id, 2)), 20);
            base != flip
        })
        .map(|&i| {
            let name = container_name(i);
            Finding {
                target: Target::new(TargetKind::Container, hex_id(i as u64), name.clone()),
                message: format!("\"{name}\" {what}"),
                observed: observed.into(),
                expected: expected.into(),
                remediation: fix.replace("{}", &name),
            }
        })
        .collect();
    let status = if findings.is_empty() {
        Status::Pass
    } else if id == "5.25" {
        Status::Warn
    } else {
        Status::Fail
    };
    let summary = format!("{} of {} containers: {what}.", findings.len(), list.len());
    let mut r = CheckResult::for_id(id, status, summary);
    r.findings = findings;
    r
}

fn daemon_check(d: &(&str, &str, &str, &str)) -> CheckResult {
    let (id, observed, expected, fix) = *d;
    let mut r = CheckResult::for_id(id, Status::Fail, format!("The daemon is configured with {observed}."));
    r.findings = vec![Finding {
        target: Target::new(TargetKind::Daemon, "daemon", "Docker daemon"),
        message: format!("daemon: {observed}"),
        observed: observed.into(),
        expected: expected.into(),
        remediation: fix.into(),
    }];
    r
}

fn audit_rule_check(id: &str) -> CheckResult {
    let path = match id {
        "1.1.3" => "/usr/bin/dockerd",
        "1.1.4" => "/run/containerd",
        "1.1.5" => "/var/lib/docker",
        "1.1.6" => "/etc/docker",
        "1.1.7" => "/lib/systemd/system/docker.service",
        "1.1.8" => "/lib/systemd/system/docker.socket",
        "1.1.9" => "/etc/default/docker",
        _ => "/etc/docker/daemon.json",
    };
    let mut r = CheckResult::for_id(id, Status::Fail, format!("No audit rule watches {path}."));
    r.findings = vec![Finding {
        target: Target::new(TargetKind::File, path, path),
        message: format!("{path} is not audited"),
        observed: "no matching rule in auditctl -l or /etc/audit/rules.d".into(),
        expected: format!("-w {path} -k docker"),
        remediation: format!("Add `-w {path} -k docker` to /etc/audit/rules.d/docker.rules and reload auditd"),
    }];
    r
}

fn image_check(id: &str, images: usize, share: u32, what: &str, observed: &str, expected: &str) -> CheckResult {
    let findings: Vec<Finding> = (0..images)
        .filter(|&k| per_mille(mix(k as u64 ^ hash_str(id, 3)), share))
        .map(|k| {
            let tag = format!(
                "registry.example.com/{}/{}:1.{}",
                ROLES[k % ROLES.len()],
                ROLES[(k / 8) % ROLES.len()],
                k
            );
            Finding {
                target: Target::new(
                    TargetKind::Image,
                    format!("sha256:{}", hex_id(k as u64 + 1_000_000)),
                    tag.clone(),
                ),
                message: format!("{tag} {what}"),
                observed: observed.into(),
                expected: expected.into(),
                remediation: format!("Rebuild {tag} with {expected}"),
            }
        })
        .collect();
    let status = if findings.is_empty() {
        Status::Pass
    } else {
        Status::Fail
    };
    let summary = format!("{} of {images} images: {what}.", findings.len());
    let mut r = CheckResult::for_id(id, status, summary);
    r.findings = findings;
    r
}

fn ports_check(list: &[usize]) -> CheckResult {
    let findings: Vec<Finding> = list
        .iter()
        .filter(|&&i| i % 5 != 0)
        .map(|&i| {
            let name = container_name(i);
            Finding {
                target: Target::new(TargetKind::Container, hex_id(i as u64), name.clone()),
                message: format!("\"{name}\" publishes 1 port"),
                observed: format!("0.0.0.0:{} → 8080/tcp", 30_000 + i),
                expected: "only the ports the service needs".into(),
                remediation: format!("Confirm that {name} needs this port; remove the -p option otherwise"),
            }
        })
        .collect();
    let summary = format!("{} containers publish ports; confirm each is needed.", findings.len());
    let mut r = CheckResult::for_id("5.9", Status::Manual, summary);
    r.findings = findings;
    r
}

/// A review check listing, for a share of the containers, the fact a person has to judge.
fn review_check(id: &str, list: &[usize], share: u32, what: &str, observed: &str) -> CheckResult {
    let findings: Vec<Finding> = list
        .iter()
        .filter(|&&i| per_mille(hash_str(&container_name(i), hash_str(id, 1)), share))
        .map(|&i| {
            let name = container_name(i);
            Finding {
                target: Target::new(TargetKind::Container, hex_id(i as u64), name.clone()),
                message: format!("\"{name}\" {what}"),
                observed: observed.into(),
                expected: "confirmed as needed".into(),
                remediation: format!("Confirm that {name} needs this; re-create it without it otherwise"),
            }
        })
        .collect();
    let summary = format!("{} containers: {what}; confirm each is needed.", findings.len());
    let mut r = CheckResult::for_id(id, Status::Manual, summary);
    r.findings = findings;
    r
}

// ---- WebDriver ----

/// One WebDriver session.
struct Session {
    port: u16,
    id: String,
    browser: String,
}

impl Session {
    fn new(port: u16, profile: &Path) -> Result<Self> {
        let caps = json!({
            "capabilities": {"alwaysMatch": browser::chrome_capabilities(profile, &["--disable-extensions"])}
        });
        let value = webdriver(port, "POST", "/session", Some(&caps))?;
        let id = value["sessionId"]
            .as_str()
            .context("WebDriver returned no session id")?
            .to_string();
        let browser = format!(
            "{} {}",
            value["capabilities"]["browserName"].as_str().unwrap_or("browser"),
            value["capabilities"]["browserVersion"].as_str().unwrap_or("")
        );
        let session = Session { port, id, browser };
        session.call(
            "POST",
            "timeouts",
            Some(&json!({"script": 180_000, "pageLoad": 120_000})),
        )?;
        Ok(session)
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        webdriver(self.port, method, &format!("/session/{}/{path}", self.id), body)
    }

    fn navigate(&self, url: &str) -> Result<()> {
        self.call("POST", "url", Some(&json!({ "url": url })))?;
        Ok(())
    }

    fn execute(&self, script: &str, args: Value) -> Result<Value> {
        self.call("POST", "execute/sync", Some(&json!({"script": script, "args": args})))
    }

    fn execute_async(&self, script: &str, args: Value) -> Result<Value> {
        self.call("POST", "execute/async", Some(&json!({"script": script, "args": args})))
    }

    /// Runs [`WAIT_FOR_ENTRY`]; returns (startTime, duration) of each entry named `name`.
    fn wait_for(&self, name: &str, action: Option<&str>, arg: &str, timeout_ms: u64) -> Result<Vec<(f64, f64)>> {
        let v = self.execute_async(WAIT_FOR_ENTRY, json!([name, action, arg, timeout_ms]))?;
        if let Some(e) = v["error"].as_str() {
            bail!("in the viewer: {e}");
        }
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            e["start"].as_f64().unwrap_or(f64::NAN),
                            e["duration"].as_f64().unwrap_or(f64::NAN),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    fn close(&self) {
        let _ = webdriver(self.port, "DELETE", &format!("/session/{}", self.id), None);
    }
}

/// One WebDriver request over plain HTTP/1.1; returns the response's `value`.
fn webdriver(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).context("connecting to chromedriver")?;
    stream.set_read_timeout(Some(Duration::from_secs(300)))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    // chromedriver may keep the connection open: read until the response is complete.
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    let (status, payload) = loop {
        let n = stream.read(&mut buf).context("reading chromedriver's answer")?;
        raw.extend_from_slice(&buf[..n]);
        if let Some(done) = parse_http_response(&raw, n == 0) {
            break done;
        }
        if n == 0 {
            bail!("chromedriver closed the connection mid-answer");
        }
    };
    let v: Value = serde_json::from_slice(&payload).context("chromedriver's answer is not JSON")?;
    if status != 200 {
        bail!(
            "WebDriver {method} {path}: HTTP {status}: {} {}",
            v["value"]["error"].as_str().unwrap_or(""),
            v["value"]["message"].as_str().unwrap_or("")
        );
    }
    Ok(v["value"].clone())
}

/// Status code and body of an HTTP/1.1 response once `raw` holds all of it (by Content-Length,
/// chunked encoding, or the end of the stream when `eof`); `None` while incomplete or malformed.
pub fn parse_http_response(raw: &[u8], eof: bool) -> Option<(u16, Vec<u8>)> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let body = &raw[split + 4..];
    let status: u16 = head.lines().next()?.split_whitespace().nth(1)?.parse().ok()?;
    let header = |name: &str| {
        head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    };
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        let mut out = Vec::new();
        let mut rest = body;
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
            let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
            let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
            rest = &rest[line_end + 2..];
            if size == 0 {
                return Some((status, out));
            }
            out.extend_from_slice(rest.get(..size)?);
            rest = rest.get(size + 2..)?;
        }
    }
    match header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        Some(len) => body.get(..len).map(|b| (status, b.to_vec())),
        None => eof.then(|| (status, body.to_vec())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_chunked_responses() {
        let plain = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
        assert_eq!(parse_http_response(plain, false), Some((200, b"{}".to_vec())));
        // Incomplete until every byte is in.
        assert_eq!(parse_http_response(&plain[..plain.len() - 1], false), None);
        let chunked = b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(parse_http_response(chunked, false), Some((404, b"abcde".to_vec())));
        assert_eq!(parse_http_response(&chunked[..30], false), None);
        let until_eof = b"HTTP/1.1 200 OK\r\n\r\nabc";
        assert_eq!(parse_http_response(until_eof, false), None);
        assert_eq!(parse_http_response(until_eof, true), Some((200, b"abc".to_vec())));
        assert_eq!(parse_http_response(b"garbage", true), None);
    }

    #[test]
    fn generated_reports_are_large_realistic_and_differ_by_day() {
        let a = host_report(200, 1).unwrap();
        let b = host_report(200, 2).unwrap();
        assert_eq!(a.results.len(), catalog::all().count());
        let failing = a.results.iter().filter(|r| r.status == Status::Fail).count();
        assert!((25..=45).contains(&failing), "{failing} failing checks");
        let memory = a.result("5.11").unwrap();
        assert!(memory.findings.len() > 150, "{}", memory.findings.len());
        assert!(memory.findings[0].remediation.contains(&memory.findings[0].target.name));
        // Day 2: fixes, regressions, containers gone and new.
        assert_eq!(b.result("5.31").unwrap().status, Status::Pass);
        assert_eq!(a.result("2.11").unwrap().status, Status::Pass);
        assert_eq!(b.result("2.11").unwrap().status, Status::Fail);
        assert!(containers(200, 2).contains(&200));
        assert!(containers(200, 2).len() != 200 || containers(200, 2) != containers(200, 1));
        // Same input, same report: the benchmark measures the same thing every run.
        assert_eq!(host_report(200, 1).unwrap(), a);
        let (text, digest) = dockaudit_shared::digest::seal(&a).unwrap();
        assert!(text.contains(&digest));
    }

    #[test]
    fn mixes_deterministically() {
        assert_eq!(mix(1), mix(1));
        assert_ne!(mix(1), mix(2));
        assert_eq!(container_name(9), "api-0009");
        assert_eq!(hex_id(7).len(), 64);
    }
}
