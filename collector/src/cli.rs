//! Command-line arguments: what the user typed (`Cli`), validated into resolved settings by the
//! commands. Daemon flags follow the docker CLI (`-H/--host`, `--tlsverify`, `DOCKER_HOST`, …).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Audit Docker hosts against the CIS Docker Benchmark v1.6.0 — read-only.
#[derive(Debug, Parser)]
#[command(name = "dockaudit", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit the Docker host the daemon flags point at and write a report.
    Scan(Box<ScanArgs>),
    /// List the benchmark's checks in order.
    Checks(ChecksArgs),
    /// Explain one check: rationale, audit, remediation, impact.
    Explain(ExplainArgs),
    /// Convert a docker-bench-security JSON log into a dockaudit report.
    Import(ImportArgs),
    /// Compare two reports: regressions, fixes, changed offenders, score change.
    Diff(DiffArgs),
    /// Serve the viewer and the given reports on 127.0.0.1.
    Serve(ServeArgs),
    /// Convert a report to SARIF, JUnit XML, HDF (Heimdall) or CSV.
    Convert(ConvertArgs),
    /// Sign, verify or apply a compliance sign-off bound to a report.
    #[command(subcommand)]
    Signoff(SignoffCommand),
    /// Verify a report: its digest and its SSH signature against an allowed_signers file.
    Verify(VerifyArgs),
    /// Propose least privilege for running containers, each flag with the observed fact behind it.
    Harden(Box<HardenArgs>),
    /// Gather a facts snapshot (redacted, no verdicts) and write it as JSON.
    Facts(FactsArgs),
    /// Publish reports to a directory or an S3-compatible store (s3://bucket/prefix) as a fleet:
    /// reports, host histories, an index, and (--viewer) the viewer itself.
    Publish(Box<PublishArgs>),
}

/// How to reach the daemon, as the docker CLI does it.
#[derive(Debug, Args, Clone, Default)]
pub struct DaemonArgs {
    /// Daemon socket to connect to (unix:///path, tcp://host:port or ssh://[user@]host[:port]).
    /// Repeat it to audit several daemons as a fleet.
    #[arg(short = 'H', long = "host", env = "DOCKER_HOST", value_name = "URL")]
    pub host: Vec<String>,
    /// Use TLS and verify the daemon's certificate.
    #[arg(long, env = "DOCKER_TLS_VERIFY", value_parser = parse_env_bool, num_args = 0..=1, default_missing_value = "true")]
    pub tlsverify: Option<bool>,
    /// CA certificate the daemon's certificate must be signed by.
    #[arg(long, value_name = "FILE")]
    pub tlscacert: Option<PathBuf>,
    /// Client certificate.
    #[arg(long, value_name = "FILE")]
    pub tlscert: Option<PathBuf>,
    /// Client key.
    #[arg(long, value_name = "FILE")]
    pub tlskey: Option<PathBuf>,
    /// Directory holding ca.pem, cert.pem and key.pem (used when the --tls* files are not given).
    #[arg(long, env = "DOCKER_CERT_PATH", value_name = "DIR", hide = true)]
    pub cert_path: Option<PathBuf>,
    /// Seconds to wait for the daemon to answer.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub timeout: u64,
    /// Docker CLI context to audit (see `docker context ls`); DOCKER_CONTEXT and the current
    /// context apply when neither --host nor DOCKER_HOST is set.
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
    /// ssh configuration file for ssh:// hosts (`ssh -F`), read instead of ~/.ssh/config.
    #[arg(long, env = "DOCKAUDIT_SSH_CONFIG", value_name = "FILE")]
    pub ssh_config: Option<PathBuf>,
    /// dockaudit binary to run on ssh:// hosts, picked by the host's architecture (repeatable;
    /// default: this dockaudit).
    #[arg(long = "remote-binary", value_name = "PATH")]
    pub remote_binaries: Vec<PathBuf>,
    /// Run dockaudit on ssh:// hosts with `sudo -n` (never prompts for a password).
    #[arg(long)]
    pub remote_sudo: bool,
    /// On ssh:// hosts read the Engine API only; host checks are then not_applicable.
    #[arg(long)]
    pub no_remote_gather: bool,
}

fn parse_env_bool(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        other => Err(format!("expected true or false, got {other:?}")),
    }
}

/// The trial flags of `dockaudit harden` (flattened into its arguments).
#[derive(Debug, Args, Clone)]
pub struct TrialArgs {
    /// Prove the proposal for CONTAINER in twins (same image, command, user and environment, no
    /// published ports, volumes as empty tmpfs), searching for the smallest working set when it
    /// fails. The only dockaudit command that changes the daemon: twins are labelled
    /// dockaudit.trial and always removed.
    #[arg(long, conflicts_with = "facts_in", help_heading = "Trial")]
    pub trial: bool,
    /// Network for the twins (default: none).
    #[arg(long, value_name = "NAME", requires = "trial", help_heading = "Trial")]
    pub trial_network: Option<String>,
    /// Seconds a twin must keep running before it is judged.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0, help_heading = "Trial")]
    pub settle: f64,
    /// Most trials to run, the search and the minimality proof included.
    #[arg(long, value_name = "N", default_value_t = 40, value_parser = clap::value_parser!(u64).range(1..=1000), help_heading = "Trial")]
    pub max_trials: u64,
    /// Twins to run at the same time.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=16), help_heading = "Trial")]
    pub trial_parallel: u64,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub daemon: DaemonArgs,

    /// Run only these checks: ids or dotted prefixes (5 = section 5, 1.1 = every 1.1.x, 2.1 = only 2.1).
    #[arg(long = "check", value_name = "ID", value_delimiter = ',', help_heading = "Selection")]
    pub checks: Vec<String>,
    /// Skip these checks: ids or dotted prefixes.
    #[arg(long = "skip", value_name = "ID", value_delimiter = ',', help_heading = "Selection")]
    pub skip: Vec<String>,
    /// Run only checks of this CIS level or lower.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=2), help_heading = "Selection")]
    pub level: Option<u8>,
    /// Audit only containers whose name matches this regex (repeatable).
    #[arg(long = "include-container", value_name = "REGEX", help_heading = "Selection")]
    pub include_containers: Vec<String>,
    /// Leave out containers whose name matches this regex (repeatable).
    #[arg(long = "exclude-container", value_name = "REGEX", help_heading = "Selection")]
    pub exclude_containers: Vec<String>,
    /// Audit only containers with this label (key or key=value; repeatable, all must match).
    #[arg(long = "label", value_name = "KEY[=VALUE]", help_heading = "Selection")]
    pub labels: Vec<String>,
    /// Audit running containers only (stopped containers are audited by default).
    #[arg(long, help_heading = "Selection")]
    pub running_only: bool,
    /// Users allowed in the docker group (check 1.1.2; repeatable or comma-separated).
    #[arg(
        long = "trusted-user",
        value_name = "USER",
        value_delimiter = ',',
        help_heading = "Selection"
    )]
    pub trusted_users: Vec<String>,

    /// Read host files through this directory (the host's / mounted read-only when dockaudit runs in a container).
    #[arg(long, value_name = "PATH", help_heading = "Facts")]
    pub host_root: Option<PathBuf>,
    /// Save the gathered facts snapshot to this file.
    #[arg(long, value_name = "FILE", help_heading = "Facts")]
    pub facts_out: Option<PathBuf>,
    /// Evaluate a saved facts snapshot instead of contacting a daemon.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["facts_out", "host_root"], help_heading = "Facts")]
    pub facts_in: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Text, help_heading = "Output")]
    pub format: ScanFormat,
    /// Write the output to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,
    /// Also write the JSON report to this file (whatever --format is).
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub json_out: Option<PathBuf>,
    /// Exit with 1 when a check has this status or worse.
    #[arg(long, value_enum, default_value_t = FailOn::Fail, help_heading = "Output")]
    pub fail_on: FailOn,
    /// Never show the progress indicator.
    #[arg(long, help_heading = "Output")]
    pub no_progress: bool,
    /// Sign the JSON report with this OpenSSH private key (SSHSIG, namespace dockaudit-report).
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub sign_key: Option<PathBuf>,

    /// Audit the hosts of this TOML inventory (see "Audit a fleet" in the README).
    #[arg(long, value_name = "FILE", help_heading = "Fleet")]
    pub inventory: Option<PathBuf>,
    /// Hosts audited at once.
    #[arg(long, value_name = "N", default_value_t = crate::fleet::DEFAULT_PARALLEL, value_parser = clap::value_parser!(u16).range(1..=256), help_heading = "Fleet")]
    pub parallel: u16,
    /// Seconds one host's audit may take, connecting included (default 300; an inventory's own
    /// per-host timeout wins).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400), help_heading = "Fleet")]
    pub host_timeout: Option<u64>,
    /// Write one JSON report per host, fleet-summary.json and fleet-summary.txt into this
    /// directory (created if missing; existing files are never replaced).
    #[arg(long, value_name = "DIR", help_heading = "Fleet")]
    pub out_dir: Option<PathBuf>,
    /// Exit 0/1 from the hosts that were audited even when others could not be (exit 2 otherwise).
    #[arg(long, help_heading = "Fleet")]
    pub allow_unreachable: bool,
    /// Also publish the JSON report to DEST: a directory or s3://BUCKET/PREFIX (see `dockaudit publish`).
    #[arg(long, value_name = "DEST", help_heading = "Publishing")]
    pub publish: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    Text,
    Json,
    Sarif,
    Junit,
    Hdf,
    Csv,
}

/// Formats `dockaudit convert` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConvertFormat {
    /// SARIF 2.1.0 (GitHub code scanning): a rule per check, a result per offending target.
    Sarif,
    /// JUnit XML (CI test dashboards): a suite per section, a test case per check.
    Junit,
    /// Heimdall Data Format (InSpec exec JSON) for MITRE Heimdall.
    Hdf,
    /// CSV (RFC 4180) for spreadsheets: a row per finding.
    Csv,
    /// A dockaudit report in the current schema, sealed with a new digest.
    Json,
    /// The text report `dockaudit scan` prints.
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Exit 1 when any check fails or errors.
    Fail,
    /// Exit 1 also on warnings.
    Warn,
    /// Always exit 0 once the audit ran.
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ChecksArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Check id, e.g. 5.4.
    pub id: String,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// docker-bench-security JSON log (docker-bench-security.log.json).
    pub log: PathBuf,
    /// Write the report here instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier report.
    pub old: PathBuf,
    /// The later report.
    pub new: PathBuf,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Exit with 1 when the new report has regressions.
    #[arg(long)]
    pub fail_on_regression: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Reports to offer in the viewer (opened in this order).
    pub reports: Vec<PathBuf>,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(short, long, default_value_t = 8080)]
    pub port: u16,
    /// Directory of the built viewer (default: viewer/dist of this checkout, or DOCKAUDIT_VIEWER_DIR).
    #[arg(long, env = "DOCKAUDIT_VIEWER_DIR", value_name = "DIR")]
    pub viewer_dir: Option<PathBuf>,
    /// Open the URL in the default browser (xdg-open) when a desktop session is available.
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// A dockaudit report (or docker-bench-security log).
    pub report: PathBuf,
    /// Target format.
    #[arg(long, value_enum)]
    pub to: ConvertFormat,
    /// Write here instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Convert a report whose content no longer matches its digest (`--to json` records it as
    /// derived from a modified report).
    #[arg(long)]
    pub accept_modified: bool,
}

#[derive(Debug, Subcommand)]
pub enum SignoffCommand {
    /// Check the sign-off's SSH signature, its binding to the report, expired decisions; print the effective summary.
    Verify(SignoffVerifyArgs),
    /// Write the report with effective statuses and the decisions attached (a new digest).
    Apply(SignoffApplyArgs),
    /// Sign a sign-off exported from the viewer with your SSH key (SSHSIG, namespace dockaudit-signoff).
    Sign(SignoffSignArgs),
    /// Print the exact bytes an SSH signature covers (for `ssh-keygen -Y verify`).
    Canonical(CanonicalArgs),
}

#[derive(Debug, Args)]
pub struct SignoffVerifyArgs {
    pub report: PathBuf,
    pub signoff: PathBuf,
    /// OpenSSH allowed_signers file: who may sign off (principals, namespaces=, valid-after=, valid-before=).
    #[arg(long, value_name = "FILE")]
    pub allowed_signers: PathBuf,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct SignoffApplyArgs {
    pub report: PathBuf,
    pub signoff: PathBuf,
    /// OpenSSH allowed_signers file: only a sign-off verified against it is applied.
    #[arg(long, value_name = "FILE")]
    pub allowed_signers: PathBuf,
    /// Where to write the effective report (never the input report).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct SignoffSignArgs {
    /// The sign-off exported from the viewer (signed in place unless -o is given).
    pub signoff: PathBuf,
    /// OpenSSH private key (unencrypted); with --agent, the public key of the agent's key to use.
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// Sign through ssh-agent (SSH_AUTH_SOCK) by running `ssh-keygen -Y sign`.
    #[arg(long)]
    pub agent: bool,
    /// Write the signed sign-off here instead of replacing SIGNOFF.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CanonicalArgs {
    /// A sign-off or report.
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    pub report: PathBuf,
    /// OpenSSH allowed_signers file: which keys may sign reports.
    #[arg(long, value_name = "FILE")]
    pub allowed_signers: PathBuf,
}

/// `dockaudit harden`: least-privilege proposals for running containers.
#[derive(Debug, Args)]
pub struct HardenArgs {
    #[command(flatten)]
    pub daemon: DaemonArgs,
    /// Containers to propose for (names or ids); every running container when none is given.
    #[arg(value_name = "CONTAINER")]
    pub containers: Vec<String>,
    /// Read host files through this directory (the host's / mounted read-only when dockaudit runs in a container).
    #[arg(long, value_name = "PATH", help_heading = "Facts")]
    pub host_root: Option<PathBuf>,
    /// Propose from a saved facts snapshot (`scan --facts-out`) instead of contacting a daemon.
    #[arg(long, value_name = "FILE", conflicts_with = "host_root", help_heading = "Facts")]
    pub facts_in: Option<PathBuf>,
    /// Output format: the proposal with reasons, JSON, `docker run` lines or a Compose override.
    #[arg(long, value_enum, default_value_t = HardenFormat::Text, help_heading = "Output")]
    pub format: HardenFormat,
    /// Write the output to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub trial: TrialArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HardenFormat {
    /// Each flag with the observed fact behind it, then the `docker run` line.
    Text,
    /// The proposals (`shared::hardening::Hardening`).
    Json,
    /// One `docker run` line per container (environment by name only).
    DockerRun,
    /// A Compose override file for the Compose-managed containers, keyed by service name.
    Compose,
}

/// `dockaudit facts`: a redacted facts snapshot as JSON.
#[derive(Debug, Args)]
pub struct FactsArgs {
    #[command(flatten)]
    pub daemon: DaemonArgs,
    /// Read host files through this directory (the host's / mounted read-only when dockaudit runs in a container).
    #[arg(long, value_name = "PATH")]
    pub host_root: Option<PathBuf>,
    /// Write the snapshot to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Reports to publish (dockaudit JSON reports carrying a digest).
    #[arg(value_name = "REPORT")]
    pub reports: Vec<PathBuf>,
    /// Where: a directory, or s3://BUCKET/PREFIX.
    #[arg(long, value_name = "DEST")]
    pub to: String,
    /// Rebuild every host history and the index from the reports under DEST.
    #[arg(long)]
    pub reindex: bool,
    /// Upload the built viewer to DEST's root, so the store serves the fleet view.
    #[arg(long)]
    pub viewer: bool,
    /// Directory of the built viewer (default: viewer/dist of this checkout, or DOCKAUDIT_VIEWER_DIR).
    #[arg(long, env = "DOCKAUDIT_VIEWER_DIR", value_name = "DIR")]
    pub viewer_dir: Option<PathBuf>,
    /// OpenSSH allowed_signers file: a signed report is published only when one of these keys signed it.
    #[arg(long, value_name = "FILE")]
    pub allowed_signers: Option<PathBuf>,
    /// Refuse reports without a signature verified against --allowed-signers.
    #[arg(long, requires = "allowed_signers")]
    pub require_signed: bool,
    /// A label of the reports' hosts (KEY=VALUE, repeatable), for the fleet view's filters.
    #[arg(long = "host-label", value_name = "KEY=VALUE")]
    pub host_labels: Vec<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// How to reach an S3-compatible store. Credentials and region come from the AWS environment
/// variables and profile files (see the README, "Publish and review a fleet").
#[derive(Debug, Args, Clone, Default)]
pub struct StoreArgs {
    /// S3 endpoint URL of an S3-compatible store (MinIO, Ceph, Garage); default AWS, or AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL / the profile's endpoint_url.
    #[arg(long, value_name = "URL", help_heading = "Publishing")]
    pub endpoint: Option<String>,
    /// S3 region; default AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else us-east-1.
    #[arg(long, value_name = "REGION", help_heading = "Publishing")]
    pub region: Option<String>,
    /// Allow a plain-http:// endpoint (credentials and reports cross the network unencrypted).
    #[arg(long, help_heading = "Publishing")]
    pub allow_http: bool,
    /// Address the bucket as a host name (https://BUCKET.endpoint/) instead of path style.
    #[arg(long, help_heading = "Publishing")]
    pub virtual_hosted_style: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
