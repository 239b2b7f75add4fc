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
use crate::cli::{FailOn, ScanArgs, ScanFormat};
use crate::facts::Progress;
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
        target: Box<super::facts::Target>,
        host_root: Option<PathBuf>,
        progress: bool,
    },
}

/// Scan settings, resolved once from the arguments; nothing after [`resolve`] reads them again.
struct ScanConfig {
    evaluation: Evaluation,
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
            target,
            host_root,
            progress,
        } => gather_live(target, host_root.as_deref(), *progress)?,
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

    let report = evaluate(&facts, &config.evaluation, started_at, started);
    let json = seal(&report, config.sign_key.as_deref())?;
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

/// What a scan judges a host by, resolved once from the arguments: also each host's audit in a
/// fleet.
pub(super) struct Evaluation {
    pub selection: Selection,
    pub options: EvalOptions,
    pub scope: ContainerFilter,
}

/// Evaluates every selected check over the facts: the report of one host.
pub(super) fn evaluate(facts: &Facts, eval: &Evaluation, started_at: String, started: Instant) -> Report {
    let ctx = Ctx::new(facts, eval.options.clone(), &eval.scope);
    let results = checks::evaluate(&ctx, &eval.selection);
    report::build(
        facts,
        results,
        eval.selection.clone(),
        RunInfo {
            id: uuid::Uuid::new_v4().to_string(),
            started_at,
            finished_at: now_rfc3339(),
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            // The report records how it was made, but never a credential typed on the command line.
            command_line: crate::snapshot::secrets::redact_args(&std::env::args().collect::<Vec<_>>()),
        },
    )
}

/// The report as sealed JSON text (with a final newline).
pub(super) fn seal(report: &Report, sign_key: Option<&Path>) -> Result<String> {
    let (json, _digest) = match sign_key {
        // `--sign-key`: the collector's SSH signature (namespace dockaudit-report), then the digest.
        Some(key) => super::signoff::sign_report(report, key)?,
        None => dockaudit_shared::digest::seal(report)?,
    };
    Ok(json + "\n")
}

/// 0 when nothing reaches the `--fail-on` threshold, 1 otherwise.
fn exit_code(report: &Report, fail_on: FailOn) -> ExitCode {
    if has_findings(report, fail_on) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// Whether any check reaches the `--fail-on` threshold.
pub(super) fn has_findings(report: &Report, fail_on: FailOn) -> bool {
    let c = &report.summary.counts;
    let failing = match fail_on {
        FailOn::Fail => c.fail + c.error,
        FailOn::Warn => c.fail + c.error + c.warn,
        FailOn::Never => 0,
    };
    failing > 0
}

fn resolve(args: ScanArgs) -> Result<ScanConfig> {
    let evaluation = resolve_evaluation(&args)?;
    if let Some(root) = &args.host_root {
        if !root.is_dir() {
            bail!("--host-root {} is not a directory", root.display());
        }
    }
    let source = match args.facts_in {
        Some(path) => FactsSource::Replay(path),
        None => FactsSource::Live {
            target: Box::new(super::facts::target(&args.daemon)?),
            host_root: args.host_root,
            progress: !args.no_progress && std::io::stderr().is_terminal(),
        },
    };
    Ok(ScanConfig {
        evaluation,
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

/// The selection, options and container scope of a scan.
pub(super) fn resolve_evaluation(args: &ScanArgs) -> Result<Evaluation> {
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
    Ok(Evaluation {
        options: EvalOptions {
            trusted_users: selection.trusted_users.clone(),
        },
        selection,
        scope,
    })
}

fn gather_live(target: &super::facts::Target, explicit_root: Option<&Path>, show_progress: bool) -> Result<Facts> {
    let progress: Option<Arc<dyn Progress>> = if show_progress {
        Some(Arc::new(StderrProgress::default()))
    } else {
        None
    };
    super::facts::runtime()?.block_on(super::facts::gather_target(target, explicit_root, progress))
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
