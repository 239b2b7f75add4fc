//! `cargo xtask bench`: how long an audit takes compared with the least the daemon can be asked,
//! and how fast the viewer is on large reports. It writes BENCHMARKS.md from the figures of one run.
//!
//! * Audit ([`crate::bench_docker`]): creates N containers on the local daemon from an imported
//!   busybox image (half running, half stopped, several configurations), then runs
//!   `dockaudit scan` and the floor — `docker ps -aq` plus one `docker inspect` of every container
//!   — alternately, several times, and keeps the medians of wall time, CPU time and peak RSS.
//!   Everything it creates carries its own label and is removed at the end, also on failure.
//! * Viewer ([`crate::bench_viewer`]): generates sealed reports of large hosts, serves them with
//!   the built viewer on 127.0.0.1 and reads the viewer's performance marks back from headless
//!   Chromium through WebDriver.
//!
//! Benchmarks are not tests: nothing here runs in `scripts/test.sh` except the unit tests of the
//! pure helpers below.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::bench_docker::{self, ScanRow};
use crate::bench_viewer::{self, ViewerResults, ViewerRow};

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

/// Audit targets: the scan may take this much more than twice the floor.
pub const FLOOR_SLACK_MS: f64 = 150.0;
/// Peak RSS allowed for the scan of the largest host, in KiB (64 MB, decimal, to be strict).
pub const MAX_RSS_KIB: u64 = 64_000_000 / 1024;
/// The size at which the RSS target applies.
pub const RSS_TARGET_SIZE: usize = 500;
/// Gzipped wasm budget, bytes (500 KB, decimal).
pub const MAX_WASM_GZ: u64 = 500_000;

/// Set by SIGINT/SIGTERM/SIGHUP, so long loops stop and the cleanup still runs.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Fails when the user asked to stop; called between steps.
pub fn check_interrupted() -> Result<()> {
    if INTERRUPTED.load(Ordering::SeqCst) {
        bail!("interrupted");
    }
    Ok(())
}

fn install_signal_handlers() {
    let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe {
            libc::signal(sig, handler);
        }
    }
}

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
        Some(bench_docker::run(&bin, &opts.sizes, opts.runs)?)
    } else {
        None
    };
    check_interrupted()?;
    let viewer = if opts.viewer {
        // Its own copy of the site, so browser tests running meanwhile keep viewer/dist intact.
        step("cargo xtask build-viewer (into target/bench/dist)");
        let dist = crate::build_viewer_into(crate::target_dir(&root).join("bench/dist"))?;
        Some(bench_viewer::run(&root, &dist, &opts.viewer_sizes, opts.viewer_runs)?)
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

pub fn step(what: &str) {
    println!("==> {what}");
}

/// First line of a command's standard output, trimmed.
pub fn command_line_output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .next()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
}

/// The machine the figures come from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory_gib: f64,
    pub os: String,
    pub kernel: String,
    pub docker: String,
    pub browser: Option<String>,
    pub rustc: String,
}

impl Machine {
    fn probe(browser: Option<String>) -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let os_release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
        Machine {
            cpu: field(&cpuinfo, "model name", ':').unwrap_or_else(|| "unknown CPU".into()),
            cores: std::thread::available_parallelism().map_or(0, usize::from),
            memory_gib: field(&meminfo, "MemTotal", ':')
                .and_then(|v| v.split_whitespace().next().and_then(|k| k.parse::<f64>().ok()))
                .map_or(0.0, |kib| kib / 1024.0 / 1024.0),
            os: field(&os_release, "PRETTY_NAME", '=')
                .map(|v| v.trim_matches('"').to_string())
                .unwrap_or_else(|| "unknown OS".into()),
            kernel: command_line_output("uname", &["-r"]).unwrap_or_default(),
            docker: command_line_output(
                "docker",
                &[
                    "version",
                    "--format",
                    "{{.Server.Version}} (API {{.Server.APIVersion}})",
                ],
            )
            .unwrap_or_else(|| "unknown".into()),
            browser,
            rustc: command_line_output("rustc", &["--version"]).unwrap_or_default(),
        }
    }
}

/// `key<sep> value` from `key: value` / `KEY=value` text.
pub fn field(text: &str, key: &str, sep: char) -> Option<String> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(sep)?;
        (k.trim() == key).then(|| v.trim().to_string())
    })
}

// ---- statistics and formatting (pure, unit-tested) ----

/// Median of the values; the mean of the middle two for an even count.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    })
}

/// Smallest and largest value.
pub fn range(values: &[f64]) -> Option<(f64, f64)> {
    let v = values.iter().copied().filter(|x| x.is_finite());
    let min = v.clone().reduce(f64::min)?;
    let max = v.reduce(f64::max)?;
    Some((min, max))
}

/// Milliseconds for a table: whole below 10 s rounded to 1 ms, `—` when unknown.
pub fn fmt_ms(ms: Option<f64>) -> String {
    match ms {
        Some(v) if v < 10.0 => format!("{v:.1} ms"),
        Some(v) => format!("{v:.0} ms"),
        None => "—".into(),
    }
}

/// "median (min–max)".
pub fn fmt_spread(values: &[f64]) -> String {
    match (median(values), range(values)) {
        (Some(m), Some((lo, hi))) => format!("{} ({:.0}–{:.0})", fmt_ms(Some(m)), lo, hi),
        _ => "—".into(),
    }
}

/// KiB as MiB with one decimal.
pub fn fmt_mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// Bytes as KB (decimal) with one decimal.
pub fn fmt_kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// Bytes as MB (decimal) with one decimal.
pub fn fmt_mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// A Markdown table; cells never contain `|` unescaped.
pub fn markdown_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let escape = |c: &str| c.replace('|', "\\|").replace('\n', " ");
    let mut out = String::new();
    out.push_str(&format!(
        "| {} |\n",
        headers.iter().map(|h| escape(h)).collect::<Vec<_>>().join(" | ")
    ));
    out.push_str(&format!("|{}\n", "---|".repeat(headers.len())));
    for row in rows {
        let mut cells: Vec<String> = row.iter().map(|c| escape(c)).collect();
        cells.resize(headers.len(), String::new());
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// The audit target at one size: scan wall ≤ 2 × floor + 150 ms.
pub fn scan_limit_ms(floor_ms: f64) -> f64 {
    2.0 * floor_ms + FLOOR_SLACK_MS
}

/// One target and whether it was met.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub what: String,
    pub limit: String,
    pub measured: String,
    pub met: bool,
}

fn target(what: impl Into<String>, limit: impl Into<String>, measured: impl Into<String>, met: bool) -> Target {
    Target {
        what: what.into(),
        limit: limit.into(),
        measured: measured.into(),
        met,
    }
}

/// A timed viewer figure against its limit (missing figures miss the target).
fn timed_target(what: String, limit_ms: f64, values: &[f64]) -> Target {
    let m = median(values);
    target(
        what,
        format!("≤ {limit_ms:.0} ms"),
        fmt_ms(m),
        m.is_some_and(|v| v <= limit_ms),
    )
}

/// Every target of issue 7 that the run measured.
pub fn targets(scan: Option<&[ScanRow]>, viewer: Option<&ViewerResults>) -> Vec<Target> {
    let mut out = Vec::new();
    if let Some(rows) = scan {
        for r in rows {
            let (s, f) = (median(&r.scan_wall()), median(&r.floor_wall()));
            let (met, measured) = match (s, f) {
                (Some(s), Some(f)) => (
                    s <= scan_limit_ms(f),
                    format!("{} (floor {})", fmt_ms(Some(s)), fmt_ms(Some(f))),
                ),
                _ => (false, "—".into()),
            };
            let limit = f.map_or("—".into(), |f| format!("≤ {}", fmt_ms(Some(scan_limit_ms(f)))));
            out.push(target(
                format!("audit wall time, N = {}", r.created),
                limit,
                measured,
                met,
            ));
        }
        if let Some(r) = rows.iter().find(|r| r.created == RSS_TARGET_SIZE) {
            let rss = r.scan_max_rss_kib();
            out.push(target(
                format!("audit peak RSS, N = {RSS_TARGET_SIZE}"),
                "≤ 64 MB",
                fmt_mib(rss),
                rss > 0 && rss <= MAX_RSS_KIB,
            ));
        }
        if !rows.is_empty() {
            out.push(target(
                "facts fetched once (requests independent of the checks)",
                "same requests for 1 check and all 117; one per object",
                rows.iter()
                    .map(|r| format!("{}: {} / {}", r.created, r.requests_one_check, r.requests_all_checks))
                    .collect::<Vec<_>>()
                    .join(", "),
                rows.iter().all(ScanRow::fetched_once),
            ));
        }
    }
    if let Some(v) = viewer {
        for row in &v.rows {
            let n = row.containers;
            let (interactive, filter) = match n {
                0..=500 => (1000.0, 100.0),
                _ => (3000.0, 300.0),
            };
            out.push(timed_target(
                format!("viewer interactive, N = {n}"),
                interactive,
                &row.interactive,
            ));
            out.push(timed_target(
                format!("filter by status, N = {n}"),
                filter,
                &row.filter_status,
            ));
            out.push(timed_target(
                format!("filter by text, N = {n}"),
                filter,
                &row.filter_text,
            ));
            if n <= 500 {
                out.push(timed_target(format!("diff render, N = {n}"), 200.0, &row.diff));
            }
        }
        out.push(target(
            "wasm size, gzip -9",
            format!("≤ {}", fmt_kb(MAX_WASM_GZ)),
            fmt_kb(v.wasm_gz_bytes),
            v.wasm_gz_bytes > 0 && v.wasm_gz_bytes <= MAX_WASM_GZ,
        ));
    }
    out
}

/// Everything BENCHMARKS.md is written from.
pub struct Document<'a> {
    pub date: String,
    pub machine: Machine,
    pub opts: Options,
    pub scan: Option<&'a [ScanRow]>,
    pub viewer: Option<&'a ViewerResults>,
    pub minutes: f64,
}

/// BENCHMARKS.md.
pub fn render_markdown(d: &Document<'_>) -> String {
    let mut s = String::new();
    let m = &d.machine;
    let _ = writeln!(s, "# Benchmarks\n");
    let _ = writeln!(
        s,
        "Written by `cargo xtask bench` ({}, {:.1} min): the figures of one run, nothing edited by hand. \
         Times are medians of {} audit runs and {} browser runs per size, each after one warm-up run; the floor \
         is measured in the same run, alternating with the audit, so the ratio holds on a noisy machine.\n",
        d.date, d.minutes, d.opts.runs, d.opts.viewer_runs
    );
    let _ = writeln!(s, "## Machine\n");
    let _ = writeln!(s, "- {}, {} cores, {:.0} GiB RAM", m.cpu, m.cores, m.memory_gib);
    let _ = writeln!(s, "- {}, kernel {}", m.os, m.kernel);
    let _ = writeln!(
        s,
        "- Docker Engine {}, shared with other work on this machine",
        m.docker
    );
    if let Some(b) = &m.browser {
        let _ = writeln!(s, "- {b}, headless, 1400×1000");
    }
    let _ = writeln!(
        s,
        "- {}; dockaudit built with `--release`, the viewer by the steps of `cargo xtask build-viewer` (into target/bench/dist)\n",
        m.rustc
    );

    let all = targets(d.scan, d.viewer);
    let _ = writeln!(s, "## Targets (issue 7)\n");
    let rows: Vec<Vec<String>> = all
        .iter()
        .map(|t| {
            vec![
                t.what.clone(),
                t.limit.clone(),
                t.measured.clone(),
                if t.met { "met" } else { "**missed**" }.to_string(),
            ]
        })
        .collect();
    s.push_str(&markdown_table(&["target", "limit", "measured", ""], &rows));
    let missed = all.iter().filter(|t| !t.met).count();
    let _ = writeln!(
        s,
        "\n{}\n",
        if missed == 0 {
            "Every target is met.".to_string()
        } else {
            format!("{missed} target(s) missed.")
        }
    );

    if let Some(rows) = d.scan {
        render_scan(&mut s, rows);
    }
    if let Some(v) = d.viewer {
        render_viewer(&mut s, v);
    }

    let _ = writeln!(s, "## Commands\n");
    let _ = writeln!(
        s,
        "```sh\ncargo xtask bench                      # everything above, writes this file ({:.0} min here, plus builds)\n\
         cargo xtask bench --skip-viewer        # audit only; --skip-scan for the viewer only\n\
         cargo xtask bench --sizes 10,100 --runs 3 --output /tmp/b.md   # a quicker look\n```\n",
        d.minutes.ceil()
    );
    let _ = writeln!(
        s,
        "What each measured command is:\n\n\
         - audit: `target/release/dockaudit scan --format json --no-progress > /dev/null` (all 117 checks; \
         host files read through `/`);\n\
         - floor: `docker ps -aq --no-trunc`, then `docker inspect <every id>` in one process, output to /dev/null;\n\
         - wall time from spawn to exit; CPU time (user + system) and peak RSS of the child from `wait4()`; \
         daemon CPU is the growth of dockerd's and containerd's `/proc/<pid>/stat` times (children included) \
         over the run;\n\
         - viewer: `performance.mark`/`measure` entries the viewer records (viewer/src/perf.rs), read back \
         through WebDriver: `dockaudit:interactive` (first report rendered and its frame painted, from \
         navigation start, page and report fetched over HTTP from 127.0.0.1, no cache), `dockaudit:parse` \
         (JSON, digest and schema in the reducer), `dockaudit:filter` and `dockaudit:diff` (from the action \
         to the painted frame).\n"
    );
    s
}

fn render_scan(s: &mut String, rows: &[ScanRow]) {
    let _ = writeln!(s, "## Audit against the floor\n");
    let _ = writeln!(
        s,
        "N containers created by the harness from an imported busybox image: half running (`sleep`), with \
         published ports, hardened settings, added capabilities, sensitive and docker-socket mounts, host \
         namespaces, unconfined seccomp, devices; half stopped (never started, privileged, exited). The \
         columns give the median and, in brackets, the fastest and slowest run.\n"
    );
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let (s_med, f_med) = (median(&r.scan_wall()), median(&r.floor_wall()));
            vec![
                r.created.to_string(),
                format!("{} ({} running)", r.containers, r.running),
                fmt_spread(&r.scan_wall()),
                fmt_spread(&r.floor_wall()),
                match (s_med, f_med) {
                    (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
                    _ => "—".into(),
                },
                fmt_ms(f_med.map(scan_limit_ms)),
                format!("{} / {}", fmt_ms(median(&r.scan_cpu())), fmt_ms(median(&r.floor_cpu()))),
                fmt_mib(r.scan_max_rss_kib()),
                format!(
                    "{} / {}",
                    fmt_ms(median(&r.scan_daemon_cpu())),
                    fmt_ms(median(&r.floor_daemon_cpu()))
                ),
            ]
        })
        .collect();
    s.push_str(&markdown_table(
        &[
            "N",
            "containers on host",
            "audit wall",
            "floor wall",
            "ratio",
            "limit (2×floor + 150 ms)",
            "CPU audit / floor",
            "audit peak RSS",
            "daemon CPU audit / floor",
        ],
        &table,
    ));
    let _ = writeln!(
        s,
        "\nWhat the audit fetches and the floor does not, so the ratio is not 1: `GET /version`, `/info`, the \
         image list with every image inspected and its history, the network list with local networks \
         inspected, the host files of sections 1 and 3, and the processes of every running container (the \
         sshd check, 5.7), read from the host's `/proc` and cgroups — `GET /containers/{{id}}/top` only where \
         that is not possible. Requests per audit (from `--facts-out`), and the report it wrote:\n"
    );
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.created.to_string(),
                r.requests_all_checks.to_string(),
                r.requests_one_check.to_string(),
                format!(
                    "5 + {} containers + 2 × {} images + {} local networks = {}; `/top`: {}",
                    r.containers,
                    r.images,
                    r.local_networks,
                    r.base_requests(),
                    r.top_requests()
                ),
                r.findings.to_string(),
                fmt_ms(Some(r.eval_ms)),
                fmt_ms(Some(r.gather_ms)),
            ]
        })
        .collect();
    s.push_str(&markdown_table(
        &[
            "N",
            "requests, 117 checks",
            "requests, `--check 5.5`",
            "one request per object (+ `/top` fallbacks)",
            "findings",
            "evaluating 117 checks",
            "gathering (in-process)",
        ],
        &table,
    ));
    let _ = writeln!(
        s,
        "\nChecks are pure functions over the snapshot: the number of requests does not depend on which \
         checks run, and evaluating all of them takes the time shown above (the sum of `duration_us`).\n"
    );
}

fn render_viewer(s: &mut String, v: &ViewerResults) {
    let _ = writeln!(s, "## Viewer in headless Chromium\n");
    let _ = writeln!(
        s,
        "Reports generated by the harness with `dockaudit_shared` types and sealed with \
         `dockaudit_shared::digest::seal`: a host of N containers (and N/10 images) where about 30 checks \
         fail, most of them naming most containers; the second report of each size is the next day's run \
         (containers added and removed, checks regressed and fixed) for the diff. wasm: {} gzipped (`gzip -9`), \
         {} raw; JS glue {} gzipped.\n",
        fmt_kb(v.wasm_gz_bytes),
        fmt_kb(v.wasm_raw_bytes),
        fmt_kb(v.js_gz_bytes)
    );
    let table: Vec<Vec<String>> = v.rows.iter().map(viewer_row).collect();
    s.push_str(&markdown_table(
        &[
            "N",
            "report",
            "findings",
            "interactive",
            "of which: wasm ready / report fetched / parsed",
            "filter by status",
            "filter by text",
            "diff render",
        ],
        &table,
    ));
    let _ = writeln!(
        s,
        "\n\"Filter by status\" clicks the `fail` chip; \"filter by text\" types a container name into the \
         search box (it is matched against every field of every finding). The diff is the Compare tab opened \
         with both reports of that size loaded.\n"
    );
}

fn viewer_row(r: &ViewerRow) -> Vec<String> {
    vec![
        r.containers.to_string(),
        format!("{} JSON", fmt_mb(r.json_bytes)),
        r.findings.to_string(),
        fmt_spread(&r.interactive),
        format!(
            "{} / {} / {}",
            fmt_ms(median(&r.wasm_ready)),
            fmt_ms(median(&r.report_fetched)),
            fmt_ms(median(&r.parse))
        ),
        fmt_spread(&r.filter_status),
        fmt_spread(&r.filter_text),
        fmt_spread(&r.diff),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[f64::NAN, 5.0]), Some(5.0));
        assert_eq!(range(&[3.0, 1.0, 2.0]), Some((1.0, 3.0)));
        assert_eq!(range(&[]), None);
    }

    #[test]
    fn formats_figures() {
        assert_eq!(fmt_ms(Some(4.25)), "4.2 ms");
        assert_eq!(fmt_ms(Some(1234.4)), "1234 ms");
        assert_eq!(fmt_ms(None), "—");
        assert_eq!(fmt_spread(&[10.0, 30.0, 20.0]), "20 ms (10–30)");
        assert_eq!(fmt_mib(2048), "2.0 MiB");
        assert_eq!(fmt_kb(296_236), "296.2 KB");
        assert_eq!(fmt_mb(5_250_000), "5.2 MB");
    }

    #[test]
    fn renders_markdown_tables() {
        let t = markdown_table(&["a", "b"], &[vec!["1".into(), "x|y".into()], vec!["2".into()]]);
        assert_eq!(t, "| a | b |\n|---|---|\n| 1 | x\\|y |\n| 2 |  |\n");
    }

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

    #[test]
    fn scan_limit_is_twice_the_floor_plus_slack() {
        assert_eq!(scan_limit_ms(100.0), 350.0);
    }

    #[test]
    fn reads_key_value_files() {
        let cpuinfo = "processor\t: 0\nmodel name\t: Some CPU @ 2GHz\n";
        assert_eq!(field(cpuinfo, "model name", ':').as_deref(), Some("Some CPU @ 2GHz"));
        assert_eq!(
            field("PRETTY_NAME=\"Debian 12\"\n", "PRETTY_NAME", '=').as_deref(),
            Some("\"Debian 12\"")
        );
        assert_eq!(field("", "x", ':'), None);
    }
}
