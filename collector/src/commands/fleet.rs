//! `dockaudit scan --inventory FILE` or several `--host`: audit a fleet.
//!
//! Each host goes through the single-host scan path ([`super::facts::gather_target`], remote
//! gather over SSH included, and [`super::scan::evaluate`]); the [`crate::fleet`] runner bounds how many run at once and how
//! long each may take. With `--out-dir`, each host's sealed JSON report is written as soon as it is
//! done, and `fleet-summary.json` and `fleet-summary.txt` at the end; no existing file is ever
//! replaced. With `--publish DEST`, each host's report is published as soon as it is written
//! (with the host's inventory labels) and the store's index updated once at the end. The final
//! table goes to standard output (or `-o`), as JSON with `--format json`.

use std::collections::HashMap;
use std::io::{IsTerminal, Write as _};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::publish::FleetPublisher;
use super::scan::{self, Evaluation};
use super::{now_rfc3339, warn, Output, EXIT_ERROR, EXIT_FINDINGS};
use crate::cli::{DaemonArgs, FailOn, ScanArgs, ScanFormat};
use crate::facts::DockerError;
use crate::fleet::{
    self, Audited, Daemon, FleetSummary, FleetVerdict, HostFailure, HostSummary, Inventory, Observer, Silent, Target,
};
use crate::output::fleet as table;
use crate::output::style::{clean, Style};

/// The fleet summary's file names in `--out-dir`.
pub const SUMMARY_JSON: &str = "fleet-summary.json";
pub const SUMMARY_TEXT: &str = "fleet-summary.txt";

/// Longest host name part of a report's file name.
const MAX_FILE_STEM: usize = 80;

/// Whether the arguments ask for a fleet audit rather than one host.
pub fn wanted(args: &ScanArgs) -> bool {
    args.inventory.is_some() || args.daemon.host.len() > 1 || args.out_dir.is_some()
}

/// What every host's audit shares.
struct Job {
    evaluation: Evaluation,
    fail_on: FailOn,
    sign_key: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    /// The daemon flags (request timeout, SSH settings; TLS for targets without their own).
    daemon: DaemonArgs,
    /// `--publish`: where each host's report goes as soon as it is written.
    publisher: Option<FleetPublisher>,
}

pub fn run(args: ScanArgs) -> Result<ExitCode> {
    refuse_single_host_flags(&args)?;
    let targets = targets(&args)?;
    let evaluation = scan::resolve_evaluation(&args)?;
    if let Some(dir) = &args.out_dir {
        prepare_out_dir(dir)?;
    }
    Output::to(args.output.as_deref()).check()?;
    if args.out_dir.is_none() && args.publish.is_none() {
        warn("no --out-dir: the per-host reports are not kept, only the summary is printed");
    }
    let runtime = super::facts::runtime()?;
    // A destination that cannot be opened stops the run before any host is audited.
    let publisher = match &args.publish {
        Some(dest) => Some(runtime.block_on(async { FleetPublisher::open(dest, &args.store) })?),
        None => None,
    };
    let job = Arc::new(Job {
        evaluation,
        fail_on: args.fail_on,
        sign_key: args.sign_key.clone(),
        out_dir: args.out_dir.clone(),
        daemon: args.daemon.clone(),
        publisher,
    });
    let parallel = usize::from(args.parallel);
    let observer: Arc<dyn Observer> = if !args.no_progress && std::io::stderr().is_terminal() {
        Arc::new(TerminalProgress::new(targets.len()))
    } else {
        Arc::new(Silent)
    };

    let started_at = now_rfc3339();
    let clock = Instant::now();
    let rows = runtime.block_on(fleet::run(
        &targets,
        parallel,
        {
            let job = Arc::clone(&job);
            move |target| audit_host(target, Arc::clone(&job))
        },
        Arc::clone(&observer),
    ));
    // The index once, after every host's report and history: it never names a missing report.
    if let Some(publisher) = &job.publisher {
        if rows.iter().any(|r| r.published.is_some()) {
            let hosts = runtime
                .block_on(publisher.finish())
                .with_context(|| format!("cannot update the index of {}", publisher.shown()))?;
            eprintln!(
                "dockaudit: published {} report(s) to {}; index.json lists {hosts} host(s)",
                rows.iter().filter(|r| r.published.is_some()).count(),
                clean(publisher.shown())
            );
        }
    }
    // Hosts that timed out may still be finishing blocking work; they write nothing that counts.
    runtime.shutdown_timeout(Duration::from_secs(1));
    let summary = FleetSummary::new(
        started_at,
        now_rfc3339(),
        u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
        parallel,
        rows,
    );

    let json = serde_json::to_string_pretty(&summary)? + "\n";
    let text = table::render(&summary, Style::plain());
    if let Some(dir) = &args.out_dir {
        write_new(dir, SUMMARY_JSON, json.as_bytes())?;
        write_new(dir, SUMMARY_TEXT, text.as_bytes())?;
    }
    let body = match args.format {
        ScanFormat::Json => json,
        _ => {
            let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
            if to_terminal {
                table::render(&summary, Style::detect(true))
            } else {
                text
            }
        }
    };
    Output::to(args.output.as_deref()).write(&body)?;

    let verdict = summary.verdict(args.allow_unreachable);
    if summary.totals.not_published > 0 {
        warn(&format!(
            "{} audited host(s) could not be published (exit 2)",
            summary.totals.not_published
        ));
    }
    let not_audited = summary.totals.not_audited;
    if not_audited > 0 {
        let hint = if args.allow_unreachable {
            ""
        } else {
            " (exit 2; --allow-unreachable judges the fleet by the hosts that were audited)"
        };
        warn(&format!(
            "{not_audited} of {} host(s) could not be audited{hint}",
            summary.totals.hosts
        ));
    }
    Ok(match verdict {
        FleetVerdict::Clean => ExitCode::SUCCESS,
        FleetVerdict::Findings => ExitCode::from(EXIT_FINDINGS),
        FleetVerdict::NotAudited => ExitCode::from(EXIT_ERROR),
    })
}

/// Flags that only make sense for one host.
fn refuse_single_host_flags(args: &ScanArgs) -> Result<()> {
    let single = [
        (args.facts_in.is_some(), "--facts-in"),
        (args.facts_out.is_some(), "--facts-out"),
        (args.json_out.is_some(), "--json-out"),
        (args.host_root.is_some(), "--host-root"),
    ];
    if let Some((_, flag)) = single.iter().find(|(given, _)| *given) {
        bail!("{flag} works on one host; a fleet audit (--inventory, several --host or --out-dir) writes each host's report into --out-dir");
    }
    if !matches!(args.format, ScanFormat::Text | ScanFormat::Json) {
        bail!("a fleet audit prints its summary as text or json; convert a host's report from --out-dir with `dockaudit convert`");
    }
    Ok(())
}

/// The inventory's hosts, then one per `--host`, with `--host-timeout` applied.
fn targets(args: &ScanArgs) -> Result<Vec<Target>> {
    let mut targets = match &args.inventory {
        Some(path) => Inventory::load(path)?.targets,
        None => Vec::new(),
    };
    // DOCKER_HOST arrives as a --host value (clap reads it); it is the default daemon, not a
    // member of the fleet, so a value equal to it is not taken as a flag (as `facts::target` does).
    let env_host = std::env::var("DOCKER_HOST").ok();
    for address in args
        .daemon
        .host
        .iter()
        .filter(|h| Some(*h) != env_host.as_ref() || args.inventory.is_none())
    {
        let target = Target::from_address(address).map_err(|why| anyhow::anyhow!("--host {address:?}: {why}"))?;
        if targets.iter().any(|t| t.name == target.name) {
            bail!("--host {address:?} is already in the fleet");
        }
        targets.push(target);
    }
    if targets.is_empty() {
        bail!("no hosts to audit: give --inventory FILE or --host URL");
    }
    if let Some(secs) = args.host_timeout {
        for t in targets.iter_mut().filter(|t| !t.timeout_set) {
            t.timeout = Duration::from_secs(secs);
        }
    }
    Ok(targets)
}

/// One host: connect and gather, evaluate, seal, write its report.
async fn audit_host(target: Target, job: Arc<Job>) -> Result<Audited, HostFailure> {
    let started_at = now_rfc3339();
    let started = Instant::now();
    let daemon =
        super::facts::target(&daemon_args(&target, &job.daemon)).map_err(|e| HostFailure::Failed(format!("{e:#}")))?;
    let facts = super::facts::gather_target(&daemon, None, None)
        .await
        .map_err(|e| unreachable_or_failed(&e))?;
    let finish = tokio::task::spawn_blocking({
        let job = Arc::clone(&job);
        let name = target.name.clone();
        move || -> Result<(Audited, String)> {
            let report = scan::evaluate(&facts, &job.evaluation, started_at, started);
            let json = scan::seal(&report, job.sign_key.as_deref())?;
            let file = match &job.out_dir {
                Some(dir) => Some(write_new(dir, &report_file_name(&name), json.as_bytes())?),
                None => None,
            };
            let c = &report.summary.counts;
            let audited = Audited {
                findings: scan::has_findings(&report, job.fail_on),
                score: report.summary.score.value,
                fails: c.fail,
                errors: c.error,
                report: file,
                published: None,
            };
            Ok((audited, json))
        }
    });
    let (mut audited, json) = match finish.await {
        Ok(Ok(done)) => done,
        Ok(Err(e)) => return Err(HostFailure::Failed(format!("{e:#}"))),
        Err(_) => {
            return Err(HostFailure::Failed(
                "evaluating this host stopped on an internal error (a bug in dockaudit)".into(),
            ))
        }
    };
    if let Some(publisher) = &job.publisher {
        audited.published = Some(publisher.host(&target.name, &json, &target.labels).await);
    }
    Ok(audited)
}

/// The daemon flags for one target: its address or context, its TLS directory (else the TLS
/// flags given), and `sudo` for the remote gather.
fn daemon_args(target: &Target, flags: &DaemonArgs) -> DaemonArgs {
    let mut d = flags.clone();
    d.host = target.address().map(str::to_string).into_iter().collect();
    d.context = match &target.daemon {
        Daemon::Context(name) => Some(name.clone()),
        Daemon::Address(_) => None,
    };
    if target.tls.verify || target.tls.cert_path.is_some() {
        d.tlsverify = Some(true);
        d.cert_path = target.tls.cert_path.clone();
        d.tlscacert = None;
        d.tlscert = None;
        d.tlskey = None;
    }
    d.remote_sudo |= target.sudo;
    d
}

/// A daemon that could not be reached (connection, TLS, permission, SSH), or any other failure.
fn unreachable_or_failed(e: &anyhow::Error) -> HostFailure {
    let message = format!("{e:#}");
    match e.chain().find_map(|cause| cause.downcast_ref::<DockerError>()) {
        Some(DockerError::InvalidHost { .. } | DockerError::Other { .. } | DockerError::ApiTooOld { .. }) | None => {
            HostFailure::Failed(message)
        }
        Some(_) => HostFailure::Unreachable(message),
    }
}

/// `<host>-<UTC time>.json`, the host name reduced to letters, digits, `.`, `_` and `-`.
fn report_file_name(host: &str) -> String {
    let mut stem: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .take(MAX_FILE_STEM)
        .collect();
    // Never a hidden file, never `..`.
    if stem.starts_with('.') {
        stem.replace_range(..1, "_");
    }
    let time = time::OffsetDateTime::now_utc();
    format!(
        "{stem}-{:04}{:02}{:02}T{:02}{:02}{:02}Z.json",
        time.year(),
        u8::from(time.month()),
        time.day(),
        time.hour(),
        time.minute(),
        time.second()
    )
}

/// Creates the output directory (owner only) or checks an existing one holds no fleet summary,
/// before any host is audited.
fn prepare_out_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("--out-dir {} is not a directory", dir.display());
        }
    } else {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("cannot create --out-dir {}", dir.display()))?;
    }
    for name in [SUMMARY_JSON, SUMMARY_TEXT] {
        if std::fs::symlink_metadata(dir.join(name)).is_ok() {
            bail!(
                "--out-dir {} already holds {name} from an earlier fleet audit; give a new or empty directory (files there are never replaced)",
                dir.display()
            );
        }
    }
    Ok(())
}

/// Writes a new file in `dir` named `name`, or `stem-2.ext`, `stem-3.ext`, … when that exists:
/// written to a temporary file and linked into place without ever replacing a file (a symlink
/// planted under the name is not followed). Returns the name used.
fn write_new(dir: &Path, name: &str, bytes: &[u8]) -> Result<String> {
    use std::os::unix::fs::PermissionsExt;
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let mut tmp = tempfile::Builder::new()
        .prefix(".dockaudit-")
        .suffix(".tmp")
        .permissions(std::fs::Permissions::from_mode(0o600))
        .tempfile_in(dir)
        .with_context(|| format!("cannot write into {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write into {}", dir.display()))?;
    for n in 1..=1000 {
        let candidate = match (n, ext) {
            (1, _) => name.to_string(),
            (_, "") => format!("{stem}-{n}"),
            _ => format!("{stem}-{n}.{ext}"),
        };
        match tmp.persist_noclobber(dir.join(&candidate)) {
            Ok(_) => return Ok(candidate),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => tmp = e.file,
            Err(e) => return Err(e.error).with_context(|| format!("cannot write {}", dir.join(&candidate).display())),
        }
    }
    bail!("cannot find a free name for {name} in {}", dir.display())
}

/// Per-host spinners on standard error (a terminal), and a line per host as it finishes.
struct TerminalProgress {
    multi: MultiProgress,
    total: ProgressBar,
    bars: Mutex<HashMap<String, ProgressBar>>,
}

impl TerminalProgress {
    fn new(hosts: usize) -> Self {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let total = multi.add(ProgressBar::new(u64::try_from(hosts).unwrap_or(u64::MAX)));
        total.set_style(
            ProgressStyle::with_template("{elapsed:>4} [{bar:30}] {pos}/{len} hosts audited")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        TerminalProgress {
            multi,
            total,
            bars: Mutex::new(HashMap::new()),
        }
    }
}

impl Observer for TerminalProgress {
    fn started(&self, target: &Target) {
        let bar = self.multi.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("  {spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(clean(&target.name));
        bar.enable_steady_tick(Duration::from_millis(120));
        if let Ok(mut bars) = self.bars.lock() {
            bars.insert(target.name.clone(), bar);
        }
    }

    fn finished(&self, target: &Target, row: &HostSummary) {
        if let Some(bar) = self.bars.lock().ok().and_then(|mut bars| bars.remove(&target.name)) {
            bar.finish_and_clear();
            self.multi.remove(&bar);
        }
        let detail = match (&row.score, &row.error) {
            (Some(score), _) => format!("score {score:.1}, {} fail", row.fails.unwrap_or(0)),
            (None, Some(error)) => clean(error),
            (None, None) => String::new(),
        };
        let _ = self.multi.println(format!(
            "  {} {}: {detail} ({:.1} s)",
            clean(&target.name),
            row.result.as_str(),
            row.duration_ms as f64 / 1000.0
        ));
        self.total.inc(1);
        if self.total.position() >= self.total.length().unwrap_or(0) {
            self.total.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_names_are_plain_files_in_the_directory() {
        for (host, starts) in [
            ("ssh://root@web-1.example.com:22", "ssh___root_web-1.example.com_22-"),
            ("../../etc/passwd", "_._.._etc_passwd-"),
            (".hidden", "_hidden-"),
            ("\u{1b}]0;x\u{7}", "__0_x_-"),
        ] {
            let name = report_file_name(host);
            assert!(name.starts_with(starts), "{host}: {name}");
            assert!(name.ends_with("Z.json") && !name.contains('/'), "{name}");
        }
        assert!(report_file_name(&"x".repeat(500)).len() < MAX_FILE_STEM + 30);
    }

    #[test]
    fn new_files_never_replace_existing_ones() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(write_new(dir.path(), "a.json", b"1").unwrap(), "a.json");
        assert_eq!(write_new(dir.path(), "a.json", b"2").unwrap(), "a-2.json");
        // A symlink planted under the next name is left alone, not followed.
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        std::os::unix::fs::symlink(&victim, dir.path().join("a-3.json")).unwrap();
        assert_eq!(write_new(dir.path(), "a.json", b"3").unwrap(), "a-4.json");
        assert_eq!(std::fs::read_to_string(dir.path().join("a.json")).unwrap(), "1");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".tmp"))
            .count();
        assert_eq!(leftovers, 0);
    }

    #[test]
    fn an_earlier_summary_is_refused_before_any_audit() {
        let dir = tempfile::tempdir().unwrap();
        prepare_out_dir(dir.path()).unwrap();
        std::fs::write(dir.path().join(SUMMARY_JSON), "{}").unwrap();
        let e = prepare_out_dir(dir.path()).unwrap_err().to_string();
        assert!(e.contains("never replaced"), "{e}");
        let fresh = dir.path().join("new/sub");
        prepare_out_dir(&fresh).unwrap();
        assert!(fresh.is_dir());
    }
}
