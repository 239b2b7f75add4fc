//! `dockaudit scan`: gather facts once (or replay a snapshot), evaluate every check, write the report.

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dockaudit_shared::catalog;
use dockaudit_shared::limits::InputKind;
use dockaudit_shared::report::{Report, Selection};

use super::{now_rfc3339, read_input, Output, EXIT_FINDINGS};
use crate::checks::{self, Ctx, EvalOptions};
use crate::cli::{DaemonArgs, FailOn, ScanArgs, ScanFormat};
use crate::facts::{self, ConnectOptions, GatherOptions, Progress};
use crate::interpret::ContainerFilter;
use crate::output::style::{Style, ERASE_LINE, LINE_START};
use crate::output::text;
use crate::report::{self, RunInfo};
use crate::snapshot::{self, Facts};

/// Where the facts come from.
enum FactsSource {
    /// A saved snapshot (`--facts-in`).
    Replay(PathBuf),
    /// The daemon the flags point at, and the host when it is this machine or `--host-root`.
    Live {
        connect: ConnectOptions,
        host_root: Option<PathBuf>,
        progress: bool,
    },
}

/// Scan settings, resolved once from the arguments; nothing after [`resolve`] reads them again.
struct ScanConfig {
    selection: Selection,
    options: EvalOptions,
    scope: ContainerFilter,
    source: FactsSource,
    facts_out: Option<PathBuf>,
    json_out: Option<PathBuf>,
    format: ScanFormat,
    output: Option<PathBuf>,
    fail_on: FailOn,
    sign_key: Option<PathBuf>,
    publish: Option<String>,
    store: crate::cli::StoreArgs,
}

pub fn run(args: ScanArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let started_at = now_rfc3339();
    let config = resolve(args)?;

    let facts = match &config.source {
        FactsSource::Replay(path) => {
            let text = read_input(path, InputKind::FactsSnapshot)?;
            snapshot::load(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        FactsSource::Live {
            connect,
            host_root,
            progress,
        } => gather_live(connect, host_root.as_deref(), *progress)?,
    };
    // A replayed snapshot is the one file a scan reads; no output may replace it.
    let inputs: Vec<&Path> = match &config.source {
        FactsSource::Replay(path) => vec![path.as_path()],
        FactsSource::Live { .. } => Vec::new(),
    };
    if let Some(path) = &config.facts_out {
        let json = serde_json::to_string_pretty(&facts)? + "\n";
        Output::file(path)
            .reading(&inputs)
            .write(&json)
            .with_context(|| format!("cannot save the facts snapshot to {}", path.display()))?;
    }

    let ctx = Ctx::new(&facts, config.options.clone(), &config.scope);
    let results = checks::evaluate(&ctx, &config.selection);
    let report = report::build(
        &facts,
        results,
        config.selection,
        RunInfo {
            id: uuid::Uuid::new_v4().to_string(),
            started_at,
            finished_at: now_rfc3339(),
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            // The report records how it was made, but never a credential typed on the command line.
            command_line: crate::snapshot::secrets::redact_args(&std::env::args().collect::<Vec<_>>()),
        },
    );
    let (json, _digest) = match &config.sign_key {
        // `--sign-key`: the collector's SSH signature (namespace dockaudit-report), then the digest.
        Some(key) => super::signoff::sign_report(&report, key)?,
        None => dockaudit_shared::digest::seal(&report)?,
    };
    let json = json + "\n";
    if let Some(path) = &config.json_out {
        Output::file(path).reading(&inputs).write(&json)?;
    }
    if let Some(dest) = &config.publish {
        super::publish::publish_scan(dest, &config.store, "the scan's report", &json)?;
    }
    let body = match config.format {
        ScanFormat::Json => json,
        ScanFormat::Text => {
            let to_terminal = config.output.is_none() && std::io::stdout().is_terminal();
            text::render(
                &report,
                if config.output.is_some() {
                    Style::plain()
                } else {
                    Style::detect(to_terminal)
                },
            )
        }
        other => super::convert::render_scan(&report, other)?,
    };
    Output::to(config.output.as_deref()).reading(&inputs).write(&body)?;
    Ok(exit_code(&report, config.fail_on))
}

/// 0 when nothing reaches the `--fail-on` threshold, 1 otherwise.
fn exit_code(report: &Report, fail_on: FailOn) -> ExitCode {
    let c = &report.summary.counts;
    let failing = match fail_on {
        FailOn::Fail => c.fail + c.error,
        FailOn::Warn => c.fail + c.error + c.warn,
        FailOn::Never => 0,
    };
    if failing > 0 {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

fn resolve(args: ScanArgs) -> Result<ScanConfig> {
    let ids: Vec<&str> = catalog::all().map(|c| c.id).collect();
    let normalise = |list: &[String], flag: &str| -> Result<Vec<String>> {
        let mut out = Vec::new();
        for raw in list {
            let p = raw.trim().trim_end_matches('.').to_string();
            if p.is_empty() {
                continue;
            }
            if !ids.iter().any(|id| catalog::id_matches_prefix(id, &p)) {
                bail!(
                    "{flag} {raw:?} matches no check; closest ids: {} (see `dockaudit checks`)",
                    catalog::closest_ids(&p, 5).join(", ")
                );
            }
            out.push(p);
        }
        Ok(out)
    };
    for label in &args.labels {
        if label.trim().is_empty() || label.starts_with('=') {
            bail!("--label {label:?} is not KEY or KEY=VALUE");
        }
    }
    let selection = Selection {
        checks: normalise(&args.checks, "--check")?,
        skip: normalise(&args.skip, "--skip")?,
        level: args.level,
        include_containers: args.include_containers.clone(),
        exclude_containers: args.exclude_containers.clone(),
        labels: args.labels.clone(),
        running_only: args.running_only,
        trusted_users: args
            .trusted_users
            .iter()
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
            .collect(),
        excluded: Vec::new(),
    };
    let scope = ContainerFilter::new(&selection)?;
    if let Some(root) = &args.host_root {
        if !root.is_dir() {
            bail!("--host-root {} is not a directory", root.display());
        }
    }
    let source = match args.facts_in {
        Some(path) => FactsSource::Replay(path),
        None => FactsSource::Live {
            connect: connect_options(&args.daemon),
            host_root: args.host_root,
            progress: !args.no_progress && std::io::stderr().is_terminal(),
        },
    };
    Ok(ScanConfig {
        options: EvalOptions {
            trusted_users: selection.trusted_users.clone(),
        },
        selection,
        scope,
        source,
        facts_out: args.facts_out,
        json_out: args.json_out,
        format: args.format,
        output: args.output,
        fail_on: args.fail_on,
        sign_key: args.sign_key,
        publish: args.publish,
        store: args.store,
    })
}

fn connect_options(d: &DaemonArgs) -> ConnectOptions {
    ConnectOptions {
        host: d.host.clone().filter(|h| !h.trim().is_empty()),
        tls_verify: d.tlsverify.unwrap_or(false),
        tls_ca: d.tlscacert.clone(),
        tls_cert: d.tlscert.clone(),
        tls_key: d.tlskey.clone(),
        cert_path: d.cert_path.clone(),
        timeout_secs: d.timeout,
    }
}

/// Host files are read through `--host-root`, or through `/` when the daemon is on this machine.
fn host_root(explicit: Option<&Path>, endpoint: &str) -> (Option<PathBuf>, Option<String>) {
    if let Some(root) = explicit {
        return (Some(root.to_path_buf()), None);
    }
    if endpoint.starts_with("unix://") || endpoint.starts_with('/') {
        (Some(PathBuf::from("/")), None)
    } else {
        (
            None,
            Some(format!(
                "the daemon at {endpoint} is not on this machine; run dockaudit on that host or pass --host-root with its filesystem"
            )),
        )
    }
}

fn gather_live(connect: &ConnectOptions, explicit_root: Option<&Path>, show_progress: bool) -> Result<Facts> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let (docker, endpoint) = facts::connect(connect).await.map_err(anyhow::Error::new)?;
        let (root, skipped) = host_root(explicit_root, &endpoint);
        let progress: Option<Arc<dyn Progress>> = if show_progress {
            Some(Arc::new(StderrProgress::default()))
        } else {
            None
        };
        let opts = GatherOptions {
            host_root: root,
            host_skipped_reason: skipped,
            progress,
            content_trust: std::env::var("DOCKER_CONTENT_TRUST").ok(),
            ..GatherOptions::default()
        };
        Ok(facts::gather(&docker, &endpoint, &opts).await)
    })
}

/// A one-line counter on stderr, shown only for hosts with many containers.
#[derive(Default)]
struct StderrProgress {
    shown: AtomicBool,
}

impl Progress for StderrProgress {
    fn update(&self, done: usize, total: usize) {
        if total < 20 {
            return;
        }
        self.shown.store(true, Ordering::Relaxed);
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{LINE_START}dockaudit: inspecting containers {done}/{total}");
        let _ = err.flush();
    }

    fn finish(&self) {
        if self.shown.load(Ordering::Relaxed) {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "{ERASE_LINE}");
            let _ = err.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dockaudit_shared::report::{CheckResult, Status};

    fn report(statuses: &[Status]) -> Report {
        let results: Vec<CheckResult> = statuses
            .iter()
            .enumerate()
            .map(|(i, s)| CheckResult::for_id(&format!("5.{}", i + 1), *s, ""))
            .collect();
        let mut r = report::build(
            &Facts::default(),
            results,
            Selection::default(),
            RunInfo {
                id: "x".into(),
                started_at: String::new(),
                finished_at: String::new(),
                duration_ms: 0,
                command_line: vec![],
            },
        );
        r.refresh_summary();
        r
    }

    #[test]
    fn exit_code_follows_threshold() {
        let warn_only = report(&[Status::Pass, Status::Warn]);
        assert_eq!(exit_code(&warn_only, FailOn::Fail), ExitCode::SUCCESS);
        assert_eq!(exit_code(&warn_only, FailOn::Warn), ExitCode::from(EXIT_FINDINGS));
        let failing = report(&[Status::Fail]);
        assert_eq!(exit_code(&failing, FailOn::Never), ExitCode::SUCCESS);
        assert_eq!(
            exit_code(&report(&[Status::Error]), FailOn::Fail),
            ExitCode::from(EXIT_FINDINGS)
        );
    }
}
