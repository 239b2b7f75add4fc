//! `dockaudit facts`: gather a snapshot and write it as JSON, no verdicts. It is what runs on
//! an SSH target when `scan` gathers there.
//!
//! Also home of what every command that audits a live daemon shares: turning [`DaemonArgs`] into
//! a [`Target`] the way the docker CLI would (flags, environment, contexts), and
//! [`gather_target`], which connects, gathers on the remote host for `ssh://` targets (or says
//! why not) and returns one redacted snapshot.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use dockaudit_shared::limits::{InputKind, Limits, MAX_INPUT_ENV};

use super::{warn, write_output};
use crate::cli::{DaemonArgs, FactsArgs};
use crate::facts::context::{self, ContextInputs, ContextStore};
use crate::facts::remote::{self, RemoteOptions, SshOptions};
use crate::facts::{self, ConnectOptions, GatherOptions, Progress};
use crate::snapshot::{Facts, RemoteGather};

/// Everything needed to audit one daemon: how to reach it and how to gather on SSH targets.
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub connect: ConnectOptions,
    pub remote: RemoteOptions,
}

pub fn run(args: FactsArgs) -> Result<ExitCode> {
    let target = target(&args.daemon)?;
    if let Some(root) = &args.host_root {
        if !root.is_dir() {
            anyhow::bail!("--host-root {} is not a directory", root.display());
        }
    }
    let runtime = runtime()?;
    let facts = runtime.block_on(gather_target(&target, args.host_root.as_deref(), None))?;
    let json = if args.output.is_none() && std::io::stdout().is_terminal() {
        serde_json::to_string_pretty(&facts)?
    } else {
        serde_json::to_string(&facts)?
    };
    write_output(args.output.as_deref(), &(json + "\n"))?;
    Ok(ExitCode::SUCCESS)
}

/// The async runtime gathering runs on.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Resolves the daemon flags, the environment and the docker CLI's context store into a target.
pub fn target(d: &DaemonArgs) -> Result<Target> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    Ok(Target {
        connect: connect_options(d, env("DOCKER_HOST"), env("DOCKER_CONTEXT"), env("DOCKER_CONFIG"))?,
        remote: RemoteOptions {
            enabled: !d.no_remote_gather,
            binaries: d.remote_binaries.clone(),
            sudo: d.remote_sudo,
            max_snapshot: Limits::from_setting(env(MAX_INPUT_ENV).as_deref())?.max_bytes(InputKind::FactsSnapshot),
            timeout: Duration::from_secs(d.timeout.saturating_mul(20).max(600)),
        },
    })
}

/// The connection settings, with the context the docker CLI would use. `--host` arrives merged
/// with `DOCKER_HOST` (clap reads the variable); a value equal to the variable's is taken as
/// coming from it, which is what decides between the two.
fn connect_options(
    d: &DaemonArgs,
    env_host: Option<String>,
    env_context: Option<String>,
    docker_config: Option<String>,
) -> Result<ConnectOptions> {
    let host = d.host.first().cloned().filter(|h| !h.trim().is_empty());
    let host_flag = host.as_deref().filter(|h| env_host.as_deref() != Some(*h));
    let store = context::config_dir(
        docker_config.as_deref(),
        std::env::var_os("HOME").map(PathBuf::from).as_deref(),
    )
    .map(ContextStore::new);
    let mut inputs = ContextInputs {
        host_flag,
        context_flag: d.context.as_deref(),
        env_host: env_host.as_deref(),
        env_context: env_context.as_deref(),
        current_context: None,
    };
    let mut choice = context::choose(&inputs)?;
    // config.json is read only when nothing before it decided.
    let current = match (&store, choice.chosen_by) {
        (Some(store), "the default") => store.current_context()?,
        _ => None,
    };
    if current.is_some() {
        inputs.current_context = current.as_deref();
        choice = context::choose(&inputs)?;
    }
    let from_flags = ConnectOptions {
        host,
        tls_verify: d.tlsverify.unwrap_or(false),
        tls_ca: d.tlscacert.clone(),
        tls_cert: d.tlscert.clone(),
        tls_key: d.tlskey.clone(),
        cert_path: d.cert_path.clone(),
        timeout_secs: d.timeout,
        context: None,
        ssh: SshOptions {
            config_file: d.ssh_config.clone(),
            connect_timeout: 0,
        },
    };
    if choice.is_default() {
        return Ok(from_flags);
    }
    let Some(store) = store else {
        anyhow::bail!(
            "context {:?} (chosen by {}) cannot be looked up: neither DOCKER_CONFIG nor HOME is set",
            choice.name,
            choice.chosen_by
        );
    };
    let stored = store.load(&choice)?;
    // A context's TLS material is its own directory in the store; the TLS flags and
    // DOCKER_CERT_PATH belong to the default context and do not apply.
    Ok(ConnectOptions {
        host: stored.meta.host.clone(),
        tls_verify: stored.ca.is_some(),
        tls_ca: None,
        tls_cert: None,
        tls_key: None,
        cert_path: stored.ca.as_ref().and_then(|ca| ca.parent()).map(Path::to_path_buf),
        context: Some(stored.meta.name),
        ..from_flags
    })
}

/// Connects to the target and gathers its snapshot once: on an `ssh://` target by dockaudit on
/// the remote host when possible, else (and for every other target) through the Engine API, with
/// the host's files read through `host_root`, or `/` when the daemon is on this machine.
pub async fn gather_target(
    target: &Target,
    host_root: Option<&Path>,
    progress: Option<Arc<dyn Progress>>,
) -> Result<Facts> {
    let connected = facts::connect(&target.connect).await.map_err(anyhow::Error::new)?;
    let mut connection = connected.connection.clone();
    let content_trust = std::env::var("DOCKER_CONTENT_TRUST").ok();
    let mut remote_failure = None;
    if let (Some(session), None) = (&connected.ssh, host_root) {
        match remote::gather(session, &target.remote).await {
            Ok(gathered) => {
                let mut facts = gathered.facts;
                connection.remote = Some(RemoteGather {
                    gathered: true,
                    detail: format!(
                        "{}; the remote dockaudit read the daemon at {}",
                        gathered.detail, facts.collection.endpoint
                    ),
                });
                facts.collection.endpoint = connected.endpoint.clone();
                facts.collection.connection = Some(connection);
                // 4.5 judges the environment dockaudit was started in, not the SSH session's.
                facts.collection.content_trust = content_trust;
                return Ok(facts.redacted());
            }
            Err(e) => {
                if !matches!(e, remote::RemoteError::Disabled) {
                    warn(&format!("{}: host checks skipped: {e}", connected.endpoint));
                }
                remote_failure = Some(e.to_string());
            }
        }
    }
    let (root, skipped) = choose_host_root(host_root, &connected.endpoint, remote_failure.as_deref());
    if let Some(reason) = remote_failure {
        connection.remote = Some(RemoteGather {
            gathered: false,
            detail: reason,
        });
    }
    let opts = GatherOptions {
        host_root: root,
        host_skipped_reason: skipped,
        progress,
        content_trust,
        connection: Some(connection),
        ..GatherOptions::default()
    };
    Ok(facts::gather(&connected.docker, &connected.endpoint, &opts).await)
}

/// Host files are read through `--host-root`, or through `/` when the daemon is on this machine;
/// otherwise the reason they are not read.
fn choose_host_root(
    explicit: Option<&Path>,
    endpoint: &str,
    remote_failure: Option<&str>,
) -> (Option<PathBuf>, Option<String>) {
    if let Some(root) = explicit {
        return (Some(root.to_path_buf()), None);
    }
    if endpoint.starts_with("unix://") || endpoint.starts_with('/') {
        return (Some(PathBuf::from("/")), None);
    }
    let reason = match remote_failure {
        Some(why) if why == remote::RemoteError::Disabled.to_string() => {
            format!("{why}, so only the Engine API of {endpoint} was read over SSH")
        }
        Some(why) => format!(
            "dockaudit could not gather on {endpoint} itself ({why}), so only the Engine API was read over SSH"
        ),
        None => format!(
            "the daemon at {endpoint} is not on this machine; run dockaudit on that host, reach it over ssh://, or pass --host-root with its filesystem"
        ),
    };
    (None, Some(reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(host: Option<&str>, context: Option<&str>) -> DaemonArgs {
        DaemonArgs {
            host: host.map(String::from).into_iter().collect(),
            context: context.map(String::from),
            timeout: 30,
            ..DaemonArgs::default()
        }
    }

    fn store() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, host) in [("prod", "ssh://me@prod:2222"), ("tls", "tcp://10.0.0.5:2376")] {
            let meta = dir.path().join("contexts/meta").join(context::store_id(name));
            std::fs::create_dir_all(&meta).unwrap();
            std::fs::write(
                meta.join("meta.json"),
                format!(r#"{{"Name":"{name}","Endpoints":{{"docker":{{"Host":"{host}"}}}}}}"#),
            )
            .unwrap();
        }
        let tls = dir
            .path()
            .join("contexts/tls")
            .join(context::store_id("tls"))
            .join("docker");
        std::fs::create_dir_all(&tls).unwrap();
        std::fs::write(tls.join("ca.pem"), "x").unwrap();
        std::fs::write(dir.path().join("config.json"), r#"{"currentContext":"prod"}"#).unwrap();
        dir
    }

    #[test]
    fn contexts_resolve_like_the_docker_cli() {
        let dir = store();
        let config = Some(dir.path().display().to_string());
        // currentContext when nothing else is set.
        let o = connect_options(&args(None, None), None, None, config.clone()).unwrap();
        assert_eq!(o.host.as_deref(), Some("ssh://me@prod:2222"));
        assert_eq!(o.context.as_deref(), Some("prod"));
        assert!(!o.tls_verify);
        // DOCKER_HOST (arriving through --host's env) beats currentContext and DOCKER_CONTEXT.
        let env_host = Some("unix:///env.sock".to_string());
        let o = connect_options(
            &args(Some("unix:///env.sock"), None),
            env_host.clone(),
            Some("tls".into()),
            config.clone(),
        )
        .unwrap();
        assert_eq!(o.host.as_deref(), Some("unix:///env.sock"));
        assert_eq!(o.context, None);
        // --context beats DOCKER_HOST, and its TLS files come from the store.
        let o = connect_options(
            &args(Some("unix:///env.sock"), Some("tls")),
            env_host,
            None,
            config.clone(),
        )
        .unwrap();
        assert_eq!(o.host.as_deref(), Some("tcp://10.0.0.5:2376"));
        assert!(o.tls_verify);
        assert!(o.cert_path.unwrap().ends_with("docker"));
        // --context together with --host is refused.
        let err = connect_options(
            &args(Some("unix:///flag.sock"), Some("tls")),
            None,
            None,
            config.clone(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("not both"), "{err}");
        // DOCKER_CONTEXT beats currentContext; an unknown name lists the known ones.
        let err = connect_options(&args(None, None), None, Some("nope".into()), config.clone()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "context \"nope\" does not exist (chosen by DOCKER_CONTEXT); known contexts: default, prod, tls"
        );
        // The default context is the flags.
        let o = connect_options(&args(None, Some("default")), None, None, config).unwrap();
        assert_eq!(o.host, None);
        assert_eq!(o.context, None);
    }

    #[test]
    fn remote_failure_is_the_reason_host_files_are_missing() {
        let (root, why) = choose_host_root(None, "ssh://me@box", Some("sudo is not installed on the remote host"));
        assert_eq!(root, None);
        let why = why.unwrap();
        assert!(why.contains("sudo is not installed"), "{why}");
        assert!(why.contains("only the Engine API"), "{why}");
        assert_eq!(
            choose_host_root(None, "unix:///var/run/docker.sock", None).0,
            Some(PathBuf::from("/"))
        );
        assert!(choose_host_root(None, "tcp://h:2376", None)
            .1
            .unwrap()
            .contains("ssh://"));
    }
}
