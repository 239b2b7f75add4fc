//! The viewer half of `cargo xtask bench`: large reports from the shared fixtures
//! (`dockaudit_shared::test_support::large`), served by the collector's own server with the
//! browser tests' rig (`dockaudit_tests::browser`), and the viewer's performance marks
//! (viewer/src/perf.rs) read back from headless Chromium through WebDriver ([`driver`]) with the
//! scripts of [`js`].
//!
//! `DOCKAUDIT_BENCH_TRACE=1` prints each step; `DOCKAUDIT_BENCH_KEEP=1` keeps the generated reports
//! (under `target/bench/viewer-<pid>/`) for profiling by hand.

mod driver;
pub mod fleet;
mod js;

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use dockaudit::serve::Server;
use dockaudit_shared::test_support::large::{container_name, host_report};
use dockaudit_tests::browser::{self, ChromeDriver};
use serde_json::Value;

use crate::workspace::target_dir;

use super::common::{check_interrupted, env_flag, step, sweep_scratch, Scratch};
use super::stats::median;
use driver::Session;
use js::{LOAD_DETAILS, SETTLE};

/// Everything the viewer runs measured.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ViewerResults {
    pub wasm_raw_bytes: u64,
    pub wasm_gz_bytes: u64,
    pub js_gz_bytes: u64,
    /// Browser name and version, as the WebDriver session reports them.
    pub browser: String,
    pub rows: Vec<ViewerRow>,
    /// The fleet view on a generated fleet.
    pub fleet: Option<fleet::FleetRow>,
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
    /// From the end of `dockaudit:parse` to `dockaudit:interactive`: the reducer, the first
    /// render of the report and its painted frame.
    pub render: Vec<f64>,
    /// The longest task (boot.js's `longtask` observer) from navigation to interactive: how long
    /// the page was frozen at most while the report loaded.
    pub longest_task: Vec<f64>,
    /// Memory of the tab once the report is shown, in bytes: the wasm linear memory (all Rust
    /// data; it never shrinks, so this is its peak) and the JS heap (`performance.memory`).
    pub wasm_memory: Vec<f64>,
    pub js_heap: Vec<f64>,
    pub filter_status: Vec<f64>,
    pub filter_text: Vec<f64>,
    pub diff: Vec<f64>,
}

/// Largest report size whose diff is measured.
pub const DIFF_MAX_CONTAINERS: usize = 2000;

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

    let bench_dir = target_dir(root).join("bench");
    sweep_scratch(&bench_dir);
    let scratch = Scratch::new(bench_dir.join(format!("viewer-{}", std::process::id())))?;
    let reports = scratch.path().join("reports");
    std::fs::create_dir_all(&reports).with_context(|| format!("creating {}", reports.display()))?;
    step("generating reports");
    let mut rows = Vec::new();
    for &n in sizes {
        let a = host_report(n, 1)?;
        // The next day's run, for the diff.
        let b = if n <= DIFF_MAX_CONTAINERS {
            Some(host_report(n, 2)?)
        } else {
            None
        };
        let findings = a.results.iter().map(|r| r.findings.len()).sum();
        let mut json_bytes = 0;
        let named = std::iter::once((format!("a-{n}.json"), &a)).chain(b.as_ref().map(|b| (format!("b-{n}.json"), b)));
        for (name, report) in named {
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

    let mut fleet_row = fleet::write_fleet(dist, fleet::FLEET_HOSTS)?;
    let server = browser::serve(dist, &reports).context("starting the viewer's server")?;
    let driver = ChromeDriver::try_start()?;
    let profile = scratch.path().join("profile");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the WebDriver client's runtime")?;
    results.browser = runtime.block_on(measure_all(&driver, &profile, &server, &mut rows, &mut fleet_row, runs))?;
    results.fleet = Some(fleet_row);
    drop(driver);
    drop(server);
    // The site was built for this run only (viewer/dist is the one to serve).
    let _ = std::fs::remove_dir_all(dist);
    results.rows = rows;
    Ok(results)
}

/// Measures every size in one browser session; returns the browser's name and version.
async fn measure_all(
    driver: &ChromeDriver,
    profile: &Path,
    server: &Server,
    rows: &mut [ViewerRow],
    fleet_row: &mut fleet::FleetRow,
    runs: usize,
) -> Result<String> {
    let session = Session::open(driver, profile).await?;
    let browser = session.browser.clone();
    let mut outcome = fleet::measure(&session, server, fleet_row, runs).await;
    for row in rows.iter_mut() {
        if outcome.is_err() {
            break;
        }
        outcome = measure_size(&session, server, row, runs).await;
    }
    session.close().await;
    outcome.map(|()| browser)
}

async fn measure_size(session: &Session, server: &Server, row: &mut ViewerRow, runs: usize) -> Result<()> {
    check_interrupted()?;
    step(&format!("viewer, {} containers", row.containers));
    measure(session, server, row, runs).await?;
    println!(
        "    interactive {:.0} ms (longest task {:.0} ms, wasm memory {:.0} MB), filter {:.0} / {:.0} ms, diff {:.0} ms",
        median(&row.interactive).unwrap_or(f64::NAN),
        median(&row.longest_task).unwrap_or(f64::NAN),
        median(&row.wasm_memory).unwrap_or(f64::NAN) / 1e6,
        median(&row.filter_status).unwrap_or(f64::NAN),
        median(&row.filter_text).unwrap_or(f64::NAN),
        median(&row.diff).unwrap_or(f64::NAN)
    );
    Ok(())
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

async fn measure(session: &Session, server: &Server, row: &mut ViewerRow, runs: usize) -> Result<()> {
    let n = row.containers;
    let single = server.url(&format!("?report=reports/a-{n}.json"));
    // A container named in most failing checks, so the text filter keeps many checks visible.
    let needle = container_name(n / 3);
    // Warm-up: the browser process, the server's page cache, V8's first compile.
    trace("warm-up load");
    session.navigate(&single).await?;
    session.wait_for("dockaudit:interactive", None, "", 120_000).await?;
    for run in 1..=runs {
        check_interrupted()?;
        trace(&format!("load {run}"));
        session.navigate(&single).await?;
        trace("  waiting for dockaudit:interactive");
        let interactive = session.wait_for("dockaudit:interactive", None, "", 120_000).await?;
        row.interactive.push(interactive.first().map_or(f64::NAN, |e| e.0));
        let details = session.execute(LOAD_DETAILS, vec![]).await?;
        if let Some(p) = details["parse"]
            .as_array()
            .and_then(|a| a.first())
            .and_then(Value::as_f64)
        {
            row.parse.push(p);
        }
        row.wasm_ready.push(details["wasm"].as_f64().unwrap_or(f64::NAN));
        row.report_fetched.push(details["report"].as_f64().unwrap_or(f64::NAN));
        row.render.push(details["render"].as_f64().unwrap_or(f64::NAN));
        trace(&format!(
            "  long tasks [start, ms]: {}; parse {} → {} ms",
            details["tasks"], details["parseStart"], details["parseEnd"]
        ));
        row.longest_task
            .push(details["longestTask"].as_f64().unwrap_or(f64::NAN));
        row.wasm_memory.push(details["wasmBytes"].as_f64().unwrap_or(f64::NAN));
        row.js_heap.push(details["jsHeapBytes"].as_f64().unwrap_or(f64::NAN));
        idle(session).await?;
        trace("  filter by status");
        let on = session
            .wait_for(
                "dockaudit:filter",
                Some("click"),
                "[data-testid=filter-status-fail]",
                30_000,
            )
            .await?;
        row.filter_status.push(last_duration(&on));
        session
            .wait_for(
                "dockaudit:filter",
                Some("click"),
                "[data-testid=filter-status-fail]",
                30_000,
            )
            .await?;
        idle(session).await?;
        trace("  filter by text");
        let text = session
            .wait_for("dockaudit:filter", Some("search"), &needle, 30_000)
            .await?;
        row.filter_text.push(last_duration(&text));
        session.wait_for("dockaudit:filter", Some("search"), "", 30_000).await?;
    }
    // The comparison: both runs of this size loaded, then the Compare tab, `runs` times (not for
    // the largest hosts: no target asks for it, and two such reports double the tab's memory).
    if n > DIFF_MAX_CONTAINERS {
        return Ok(());
    }
    trace("load both reports");
    session
        .navigate(&server.url(&format!("?report=reports/a-{n}.json&report=reports/b-{n}.json")))
        .await?;
    session.wait_for("dockaudit:interactive", None, "", 120_000).await?;
    wait_until_loaded(session, 2).await?;
    for _ in 0..runs {
        check_interrupted()?;
        idle(session).await?;
        trace("  diff");
        let d = session
            .wait_for("dockaudit:diff", Some("click"), "[data-testid=mode-diff]", 60_000)
            .await?;
        row.diff.push(last_duration(&d));
        session
            .execute_async(
                "document.querySelector('[data-testid=mode-report]').click(); arguments[arguments.length - 1](true);",
                vec![],
            )
            .await?;
        session.execute_async(SETTLE, vec![]).await?;
    }
    Ok(())
}

/// Progress lines with `DOCKAUDIT_BENCH_TRACE=1`.
pub(super) fn trace(what: &str) {
    if env_flag("DOCKAUDIT_BENCH_TRACE") {
        println!(
            "    [{:.1}s] {what}",
            START.get_or_init(Instant::now).elapsed().as_secs_f64()
        );
    }
}

static START: OnceLock<Instant> = OnceLock::new();

/// Lets the page settle (painted, timers run) before the next timed action.
pub(super) async fn idle(session: &Session) -> Result<()> {
    session.execute_async(SETTLE, vec![]).await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    Ok(())
}

/// Waits until `count` reports have been parsed.
async fn wait_until_loaded(session: &Session, count: usize) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let parsed = session
            .execute("return performance.getEntriesByName('dockaudit:parse').length;", vec![])
            .await?;
        if parsed.as_u64().unwrap_or(0) >= count as u64 {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the viewer did not read {count} reports within 120 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(super) fn last_duration(entries: &[(f64, f64)]) -> f64 {
    entries.last().map_or(f64::NAN, |e| e.1)
}
