//! The targets of issues 7 and 14 and whether a run met them.

use super::docker::ScanRow;
use super::stats::{fmt_kb, fmt_mb, fmt_mib, fmt_ms, median};
use super::viewer::ViewerResults;

/// Audit targets: the scan may take this much more than twice the floor.
pub const FLOOR_SLACK_MS: f64 = 150.0;
/// Peak RSS allowed for the scan of the largest host, in KiB (64 MB, decimal, to be strict).
pub const MAX_RSS_KIB: u64 = 64_000_000 / 1024;
/// The size at which the RSS target applies.
pub const RSS_TARGET_SIZE: usize = 500;
/// Gzipped wasm budget, bytes (500 KB, decimal).
pub const MAX_WASM_GZ: u64 = 500_000;

/// Reports from this many containers on are "large": the page must never freeze while one loads.
pub const LARGE_REPORT: usize = 10_000;
/// The longest a task may hold the page while a large report loads.
pub const MAX_LONG_TASK_MS: f64 = 100.0;

/// The fleet view of 1,000 hosts: interactive, and each filter, within these.
pub const FLEET_INTERACTIVE_MS: f64 = 1000.0;
pub const FLEET_FILTER_MS: f64 = 100.0;

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
            // Issue 7's targets up to 2,000 containers; issue 14's for the largest hosts.
            let (interactive, filter) = match n {
                0..=500 => (1000.0, 100.0),
                501..=2000 => (3000.0, 300.0),
                _ => (2000.0, 300.0),
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
            if n >= LARGE_REPORT {
                out.push(timed_target(
                    format!("longest frozen moment while loading, N = {n}"),
                    MAX_LONG_TASK_MS,
                    &row.longest_task,
                ));
                // Issue 14 asks for the tab's memory to be reported, with no limit.
                let (wasm, js) = (median(&row.wasm_memory), median(&row.js_heap));
                out.push(target(
                    format!("memory in the tab once shown, N = {n}"),
                    "reported",
                    match (wasm, js) {
                        (Some(w), Some(j)) => format!("wasm {} + JS heap {}", fmt_mb(w as u64), fmt_mb(j as u64)),
                        _ => "not measured".into(),
                    },
                    wasm.is_some() && js.is_some(),
                ));
            }
        }
        if let Some(f) = &v.fleet {
            let n = f.hosts;
            out.push(timed_target(
                format!("fleet view interactive, {n} hosts"),
                FLEET_INTERACTIVE_MS,
                &f.interactive,
            ));
            for (what, values) in [
                ("filter by status", &f.filter_status),
                ("filter by text", &f.filter_text),
                ("filter by label", &f.filter_label),
                ("filter by section", &f.filter_section),
                ("filter by level", &f.filter_level),
                ("sort", &f.sort),
            ] {
                out.push(timed_target(
                    format!("fleet {what}, {n} hosts"),
                    FLEET_FILTER_MS,
                    values,
                ));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_limit_is_twice_the_floor_plus_slack() {
        assert_eq!(scan_limit_ms(100.0), 350.0);
    }
}
