//! BENCHMARKS.md, written from the figures of one run.

use std::fmt::Write as _;

use super::docker::ScanRow;
use super::machine::Machine;
use super::options::Options;
use super::stats::{fmt_kb, fmt_mb, fmt_mib, fmt_ms, fmt_spread, median};
use super::targets::{scan_limit_ms, targets};
use super::viewer::{ViewerResults, ViewerRow};

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
    let _ = writeln!(s, "## Targets (issues 7 and 14)\n");
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
         that is not possible —, and what each running container wrote (`GET /containers/{{id}}/changes`) and \
         does (its processes' privileges, listeners and cgroup use, from the host), for the least-privilege \
         proposals each report carries. Requests per audit (from `--facts-out`), and the report it wrote:\n"
    );
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.created.to_string(),
                r.requests_all_checks.to_string(),
                r.requests_one_check.to_string(),
                format!(
                    "5 + {} containers + {} running containers' `/changes` + 2 × {} images + {} local networks = {}; `/top`: {}",
                    r.containers,
                    r.running,
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
            "of which: wasm ready / report fetched / parsed / rendered",
            "longest task while loading",
            "memory: wasm / JS heap",
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
         with both reports of that size loaded (up to {} containers). Reports are read from the response \
         stream as they arrive, then parsed and digested in slices of a few findings each that yield to \
         the browser, listing each check's targets and offenders on the way so the first render walks no \
         finding (viewer/src/browser.rs, viewer/src/loading.rs, shared/src/view/chunked.rs, \
         shared/src/view/prepared.rs); \"rendered\" runs from the end of the parse to the painted first frame; \"longest task\" is the \
         longest `longtask` entry (a task of more than 50 ms, 0 when none) from navigation to interactive, \
         and memory is the wasm linear memory (all Rust data, never shrinks, so its peak) and \
         `performance.memory.usedJSHeapSize` once the report is shown.\n",
        super::viewer::DIFF_MAX_CONTAINERS
    );
    if let Some(f) = &v.fleet {
        render_fleet(s, f);
    }
}

fn render_fleet(s: &mut String, f: &super::viewer::fleet::FleetRow) {
    let _ = writeln!(s, "### Fleet view\n");
    let _ = writeln!(
        s,
        "A fleet of {} hosts generated with `dockaudit_shared::test_support::fleet` (5 runs each, labels, \
         about 12 % of hosts stale) in the published layout, served next to the viewer and opened with \
         `?fleet=fleet/index.json`: the index is fetched and read, and the heatmap (every host and every \
         check; the rows in view are rendered) painted. \"Status\" clicks `fail`, \"text\" types `prod`, \
         \"label\" picks `env=prod`, \"section\" section 5, \"level\" level 1, \"sort\" orders hosts by \
         failures; each from the action to the painted frame.\n",
        f.hosts,
    );
    let mem = |v: &[f64]| median(v).map_or("—".into(), |b| fmt_mb(b as u64));
    s.push_str(&markdown_table(
        &[
            "hosts",
            "index",
            "interactive",
            "of which: index fetched / read",
            "longest task while loading",
            "memory (wasm / JS heap)",
            "filter: status",
            "text",
            "label",
            "section",
            "level",
            "sort",
        ],
        &[vec![
            f.hosts.to_string(),
            format!("{} JSON", fmt_mb(f.index_bytes)),
            fmt_spread(&f.interactive),
            format!("{} / {}", fmt_ms(median(&f.index_fetched)), fmt_ms(median(&f.parse))),
            fmt_spread(&f.longest_task),
            format!("{} / {}", mem(&f.wasm_memory), mem(&f.js_heap)),
            fmt_spread(&f.filter_status),
            fmt_spread(&f.filter_text),
            fmt_spread(&f.filter_label),
            fmt_spread(&f.filter_section),
            fmt_spread(&f.filter_level),
            fmt_spread(&f.sort),
        ]],
    ));
    s.push('\n');
}

fn viewer_row(r: &ViewerRow) -> Vec<String> {
    vec![
        r.containers.to_string(),
        format!("{} JSON", fmt_mb(r.json_bytes)),
        r.findings.to_string(),
        fmt_spread(&r.interactive),
        format!(
            "{} / {} / {} / {}",
            fmt_ms(median(&r.wasm_ready)),
            fmt_ms(median(&r.report_fetched)),
            fmt_ms(median(&r.parse)),
            fmt_ms(median(&r.render))
        ),
        fmt_spread(&r.longest_task),
        format!(
            "{} / {}",
            median(&r.wasm_memory).map_or("—".into(), |b| fmt_mb(b as u64)),
            median(&r.js_heap).map_or("—".into(), |b| fmt_mb(b as u64))
        ),
        fmt_spread(&r.filter_status),
        fmt_spread(&r.filter_text),
        fmt_spread(&r.diff),
    ]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown_tables() {
        let t = markdown_table(&["a", "b"], &[vec!["1".into(), "x|y".into()], vec!["2".into()]]);
        assert_eq!(t, "| a | b |\n|---|---|\n| 1 | x\\|y |\n| 2 |  |\n");
    }
}
