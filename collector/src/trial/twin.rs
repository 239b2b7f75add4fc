//! One twin's life: create, start, watch through the settle time, judge, and remove.
//!
//! The twin is removed (forced, with its anonymous volumes) before [`run_twin`] returns, whatever
//! happened; if the future is dropped half-way (Ctrl-C, a timeout), its name stays in the
//! [`Cleanup`] registry and the run's final cleanup removes it.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bollard::errors::Error as BollardError;
use bollard::models::{ContainerInspectResponse, ContainerStateStatusEnum, HealthConfig, HealthStatusEnum};
use bollard::query_parameters::CreateContainerOptionsBuilder;
use bollard::Docker;

use super::cleanup::{remove, Cleanup};
use super::ports;
use super::spec::TwinSpec;
use super::{describe_error, TrialError};

/// How often the twin's state is read while it settles.
const POLL: Duration = Duration::from_millis(250);
/// Longest wait for a health check to leave `starting`, whatever its settings say.
const MAX_HEALTH_WAIT: Duration = Duration::from_secs(300);

/// What a judgement compares against and how long it waits.
#[derive(Debug, Clone)]
pub struct Judge {
    /// How long the twin must keep running before it is judged.
    pub settle: Duration,
    /// Ports the original listens on; the twin must listen on each.
    pub ports: BTreeSet<u16>,
    /// The host's `/proc`.
    pub proc_root: PathBuf,
}

/// A trial's result and the fact behind it, e.g. `exited 1 after 0.4 s`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub passed: bool,
    pub evidence: String,
}

impl Observation {
    fn fail(evidence: impl Into<String>) -> Observation {
        Observation {
            passed: false,
            evidence: evidence.into(),
        }
    }
}

/// Creates, starts, observes and removes one twin named `name`.
pub async fn run_twin(
    docker: &Docker,
    spec: &TwinSpec,
    name: &str,
    labels: HashMap<String, String>,
    judge: &Judge,
    cleanup: &Cleanup,
) -> Result<Observation, TrialError> {
    cleanup.register(name);
    let result = create_and_watch(docker, spec, name, labels, judge).await;
    match remove(docker, name).await {
        Ok(()) => cleanup.forget(name),
        Err(e) => {
            // Stays registered: the run's final cleanup tries again.
            if result.is_ok() {
                return Err(e);
            }
        }
    }
    result
}

async fn create_and_watch(
    docker: &Docker,
    spec: &TwinSpec,
    name: &str,
    labels: HashMap<String, String>,
    judge: &Judge,
) -> Result<Observation, TrialError> {
    let options = CreateContainerOptionsBuilder::new().name(name).build();
    match docker.create_container(Some(options), spec.create_body(labels)).await {
        Ok(_) => {}
        Err(BollardError::DockerResponseServerError { message, .. }) => {
            return Ok(Observation::fail(format!("not created: {}", one_line(&message))))
        }
        Err(e) => return Err(daemon_error("create a trial container", &e)),
    }
    match docker.start_container(name, None).await {
        Ok(()) => {}
        Err(BollardError::DockerResponseServerError { message, .. }) => {
            return Ok(Observation::fail(format!("did not start: {}", one_line(&message))))
        }
        Err(e) => return Err(daemon_error("start a trial container", &e)),
    }
    let started = Instant::now();
    loop {
        let state = inspect(docker, name).await?;
        if stopped(&state).is_some() {
            return final_state(docker, name).await;
        }
        let elapsed = started.elapsed();
        if elapsed >= judge.settle {
            break;
        }
        tokio::time::sleep(POLL.min(judge.settle - elapsed)).await;
    }
    let mut healthy = false;
    if let Some(health) = &spec.original.healthcheck {
        let limit = judge.settle + health_wait(health);
        loop {
            let state = inspect(docker, name).await?;
            if stopped(&state).is_some() {
                return final_state(docker, name).await;
            }
            let status = state
                .state
                .as_ref()
                .and_then(|s| s.health.as_ref())
                .and_then(|h| h.status);
            match status {
                Some(HealthStatusEnum::HEALTHY) => {
                    healthy = true;
                    break;
                }
                Some(HealthStatusEnum::UNHEALTHY) => {
                    return Ok(Observation::fail(format!(
                        "unhealthy after {}",
                        seconds(started.elapsed())
                    )))
                }
                _ if started.elapsed() >= limit => {
                    return Ok(Observation::fail(format!(
                        "health check still starting after {}",
                        seconds(started.elapsed())
                    )))
                }
                _ => tokio::time::sleep(POLL * 2).await,
            }
        }
    }
    let state = inspect(docker, name).await?;
    if stopped(&state).is_some() {
        return final_state(docker, name).await;
    }
    let pid = state
        .state
        .as_ref()
        .and_then(|s| s.pid)
        .and_then(|p| u32::try_from(p).ok())
        .filter(|p| *p > 0)
        .ok_or_else(|| TrialError::Docker {
            action: format!("read the process id of trial container {name}"),
            reason: "the daemon reports it running without a process".into(),
        })?;
    let listening = ports::listening_ports(&judge.proc_root, pid, None)?;
    let missing: BTreeSet<u16> = judge.ports.difference(&listening).copied().collect();
    if !missing.is_empty() {
        return Ok(Observation::fail(format!(
            "running, but not listening on {} (listening on {})",
            ports::describe(&missing),
            ports::describe(&listening)
        )));
    }
    let mut evidence = format!("running after {}, no restarts", seconds(judge.settle));
    if healthy {
        evidence.push_str(", healthy");
    }
    if !judge.ports.is_empty() {
        evidence.push_str(&format!(", listening on {}", ports::describe(&judge.ports)));
    }
    Ok(Observation { passed: true, evidence })
}

/// The failure of a twin seen stopped, read once more after a moment: the daemon may report
/// it stopped before it has recorded when it finished.
async fn final_state(docker: &Docker, name: &str) -> Result<Observation, TrialError> {
    tokio::time::sleep(POLL / 2).await;
    let state = inspect(docker, name).await?;
    Ok(stopped(&state).unwrap_or_else(|| Observation::fail("stopped, then restarted")))
}

async fn inspect(docker: &Docker, name: &str) -> Result<ContainerInspectResponse, TrialError> {
    docker
        .inspect_container(name, None)
        .await
        .map_err(|e| daemon_error("inspect a trial container", &e))
}

fn daemon_error(action: &str, e: &BollardError) -> TrialError {
    TrialError::Docker {
        action: action.to_string(),
        reason: describe_error(e),
    }
}

/// The failure, if the twin is no longer running or has restarted.
pub fn stopped(c: &ContainerInspectResponse) -> Option<Observation> {
    let restarts = c.restart_count.unwrap_or(0);
    let state = c.state.clone().unwrap_or_default();
    if restarts > 0 || state.restarting == Some(true) {
        return Some(Observation::fail(format!(
            "restarted {} time{}",
            restarts.max(1),
            if restarts == 1 { "" } else { "s" }
        )));
    }
    if state.running == Some(true) && state.status != Some(ContainerStateStatusEnum::PAUSED) {
        return None;
    }
    let after = match (state.started_at.as_deref(), state.finished_at.as_deref()) {
        (Some(s), Some(f)) => duration_between(s, f).map(|d| format!(" {}", after(d))),
        _ => None,
    }
    .unwrap_or_default();
    let code = state.exit_code.unwrap_or(-1);
    let mut evidence = if state.oom_killed == Some(true) {
        format!("killed for want of memory (exit {code}){after}")
    } else {
        format!("exited {code}{after}")
    };
    if let Some(err) = state.error.filter(|e| !e.is_empty()) {
        evidence.push_str(&format!(": {}", one_line(&err)));
    }
    Some(Observation::fail(evidence))
}

/// Time between two RFC 3339 timestamps of the daemon, when both parse and the second is later.
fn duration_between(start: &str, end: &str) -> Option<Duration> {
    use time::format_description::well_known::Rfc3339;
    let s = time::OffsetDateTime::parse(start, &Rfc3339).ok()?;
    let e = time::OffsetDateTime::parse(end, &Rfc3339).ok()?;
    Duration::try_from(e - s).ok()
}

/// `after 0.4 s`, or `within 0.1 s` for less.
fn after(d: Duration) -> String {
    if d < Duration::from_millis(100) {
        "within 0.1 s".to_string()
    } else {
        format!("after {}", seconds(d))
    }
}

/// `0.4 s`, `12 s`.
fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 10.0 {
        format!("{s:.1} s")
    } else {
        format!("{s:.0} s")
    }
}

/// How long a health check may take to report, from its settings (Docker's defaults where 0).
fn health_wait(h: &HealthConfig) -> Duration {
    let ns = |v: Option<i64>, default: u64| match v {
        Some(v) if v > 0 => Duration::from_nanos(v.unsigned_abs()),
        _ => Duration::from_secs(default),
    };
    let interval = ns(h.interval, 30);
    let timeout = ns(h.timeout, 30);
    let start = ns(h.start_period, 0);
    let retries = match h.retries {
        Some(r) if r > 0 => u32::try_from(r).unwrap_or(u32::MAX),
        _ => 3,
    };
    (start + (interval + timeout) * (retries + 1)).min(MAX_HEALTH_WAIT)
}

/// A daemon message on one line (it may quote the image's own output).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::ContainerState;

    fn with_state(state: ContainerState, restarts: i64) -> ContainerInspectResponse {
        ContainerInspectResponse {
            state: Some(state),
            restart_count: Some(restarts),
            ..Default::default()
        }
    }

    #[test]
    fn an_exit_reads_as_code_and_lifetime() {
        let c = with_state(
            ContainerState {
                running: Some(false),
                exit_code: Some(1),
                started_at: Some("2026-12-02T08:00:00.100000000Z".into()),
                finished_at: Some("2026-12-02T08:00:00.500000000Z".into()),
                ..Default::default()
            },
            0,
        );
        assert_eq!(stopped(&c).unwrap().evidence, "exited 1 after 0.4 s");
    }

    #[test]
    fn running_without_restarts_is_no_failure() {
        let running = ContainerState {
            running: Some(true),
            status: Some(ContainerStateStatusEnum::RUNNING),
            ..Default::default()
        };
        assert_eq!(stopped(&with_state(running.clone(), 0)), None);
        assert_eq!(stopped(&with_state(running, 2)).unwrap().evidence, "restarted 2 times");
        let oom = ContainerState {
            running: Some(false),
            oom_killed: Some(true),
            exit_code: Some(137),
            ..Default::default()
        };
        assert_eq!(
            stopped(&with_state(oom, 0)).unwrap().evidence,
            "killed for want of memory (exit 137)"
        );
    }

    #[test]
    fn health_wait_follows_the_check_settings() {
        let h = HealthConfig {
            interval: Some(1_000_000_000),
            timeout: Some(1_000_000_000),
            retries: Some(2),
            ..Default::default()
        };
        assert_eq!(health_wait(&h), Duration::from_secs(6));
        // Docker's defaults: 30 s interval and timeout, 3 retries.
        assert_eq!(health_wait(&HealthConfig::default()), Duration::from_secs(240));
    }

    #[test]
    fn daemon_messages_fit_on_one_line() {
        assert_eq!(one_line("a\n  b\tc"), "a b c");
        assert_eq!(seconds(Duration::from_millis(400)), "0.4 s");
        assert_eq!(seconds(Duration::from_secs(12)), "12 s");
        assert_eq!(after(Duration::from_millis(30)), "within 0.1 s");
        assert_eq!(after(Duration::from_millis(400)), "after 0.4 s");
    }
}
