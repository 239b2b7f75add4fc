//! The fleet view's part of the viewer benchmark: a generated fleet
//! (`dockaudit_shared::test_support::fleet`) written in the published layout next to the built
//! viewer, opened with `?fleet=fleet/index.json`, and its marks read back like the reports'.

use std::path::Path;

use anyhow::{Context, Result};
use dockaudit::serve::Server;
use dockaudit_shared::test_support::fleet::{fleet, objects, FleetShape};

use super::driver::Session;
use super::js::LOAD_DETAILS;
use super::{idle, last_duration, trace};
use crate::bench::common::{check_interrupted, step};
use crate::bench::stats::median;

/// Hosts in the benchmark's fleet.
pub const FLEET_HOSTS: usize = 1000;

/// The fleet view's figures; every list holds one value per run, in ms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FleetRow {
    pub hosts: usize,
    pub index_bytes: u64,
    pub interactive: Vec<f64>,
    /// When `index.json` had arrived (resource timing `responseEnd`), and `dockaudit:parse`
    /// (reading it and preparing the view's model).
    pub index_fetched: Vec<f64>,
    pub parse: Vec<f64>,
    pub longest_task: Vec<f64>,
    pub filter_status: Vec<f64>,
    pub filter_text: Vec<f64>,
    pub filter_label: Vec<f64>,
    pub filter_section: Vec<f64>,
    pub filter_level: Vec<f64>,
    pub sort: Vec<f64>,
    /// Wasm linear memory and JS heap once the heatmap is shown, in bytes.
    pub wasm_memory: Vec<f64>,
    pub js_heap: Vec<f64>,
}

/// Writes the fleet's index and histories under `dist/fleet/` (served with the viewer).
pub fn write_fleet(dist: &Path, hosts: usize) -> Result<FleetRow> {
    let generated = fleet(&FleetShape {
        hosts,
        runs: 5,
        seed: 14,
        ..FleetShape::default()
    });
    let mut row = FleetRow {
        hosts,
        ..FleetRow::default()
    };
    for (key, text) in objects(&generated) {
        let path = dist.join("fleet").join(&key);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        if key == dockaudit_shared::fleet::INDEX_KEY {
            row.index_bytes = text.len() as u64;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    println!(
        "    fleet of {hosts} hosts: index {:.1} MB",
        row.index_bytes as f64 / 1e6
    );
    Ok(row)
}

/// Opens the fleet `runs` times (after a warm-up) and times the first paint, then each filter
/// (status, text, label, section, level) and the sort, each from the action to its painted frame.
pub async fn measure(session: &Session, server: &Server, row: &mut FleetRow, runs: usize) -> Result<()> {
    check_interrupted()?;
    step(&format!("viewer, fleet of {} hosts", row.hosts));
    let url = server.url("?fleet=fleet/index.json");
    session.navigate(&url).await?;
    session.wait_for("dockaudit:interactive", None, "", 60_000).await?;
    for run in 1..=runs {
        check_interrupted()?;
        trace(&format!("fleet load {run}"));
        session.navigate(&url).await?;
        let interactive = session.wait_for("dockaudit:interactive", None, "", 60_000).await?;
        row.interactive.push(interactive.first().map_or(f64::NAN, |e| e.0));
        let details = session.execute(LOAD_DETAILS, vec![]).await?;
        row.longest_task
            .push(details["longestTask"].as_f64().unwrap_or(f64::NAN));
        row.wasm_memory.push(details["wasmBytes"].as_f64().unwrap_or(f64::NAN));
        row.index_fetched.push(details["report"].as_f64().unwrap_or(f64::NAN));
        row.parse.push(
            details["parse"]
                .as_array()
                .and_then(|a| a.first())
                .and_then(serde_json::Value::as_f64)
                .unwrap_or(f64::NAN),
        );
        row.js_heap.push(details["jsHeapBytes"].as_f64().unwrap_or(f64::NAN));
        idle(session).await?;
        let status = "[data-testid=fleet-status-fail]";
        let on = session
            .wait_for("dockaudit:filter", Some("click"), status, 30_000)
            .await?;
        row.filter_status.push(last_duration(&on));
        session
            .wait_for("dockaudit:filter", Some("click"), status, 30_000)
            .await?;
        idle(session).await?;
        let text = session
            .wait_for("dockaudit:filter", Some("fleet-search"), "prod", 30_000)
            .await?;
        row.filter_text.push(last_duration(&text));
        session
            .wait_for("dockaudit:filter", Some("fleet-search"), "", 30_000)
            .await?;
        idle(session).await?;
        for (select, value, out) in [
            ("fleet-label", "env=prod", &mut row.filter_label),
            ("fleet-section", "5", &mut row.filter_section),
            ("fleet-level", "1", &mut row.filter_level),
        ] {
            let on = session
                .wait_for(
                    "dockaudit:filter",
                    Some("select"),
                    &format!("[data-testid={select}]={value}"),
                    30_000,
                )
                .await?;
            out.push(last_duration(&on));
            session
                .wait_for(
                    "dockaudit:filter",
                    Some("select"),
                    &format!("[data-testid={select}]="),
                    30_000,
                )
                .await?;
            idle(session).await?;
        }
        let sort = session
            .wait_for(
                "dockaudit:filter",
                Some("select"),
                "[data-testid=fleet-sort]=failures",
                30_000,
            )
            .await?;
        row.sort.push(last_duration(&sort));
    }
    let ms = |v: &[f64]| median(v).unwrap_or(f64::NAN);
    println!(
        "    interactive {:.0} ms (index fetched {:.0} ms, read {:.0} ms, longest task {:.0} ms, wasm memory \
         {:.0} MB), filter status / text / label / section / level {:.0} / {:.0} / {:.0} / {:.0} / {:.0} ms, \
         sort {:.0} ms",
        ms(&row.interactive),
        ms(&row.index_fetched),
        ms(&row.parse),
        ms(&row.longest_task),
        ms(&row.wasm_memory) / 1e6,
        ms(&row.filter_status),
        ms(&row.filter_text),
        ms(&row.filter_label),
        ms(&row.filter_section),
        ms(&row.filter_level),
        ms(&row.sort),
    );
    Ok(())
}
