//! A whole trial run: read the original, run the proposal in twins, search for the smallest
//! working set when it fails, prove minimality, and remove every twin — on success, error, panic
//! or interruption alike.

use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bollard::Docker;
use futures_util::{FutureExt, StreamExt};
use serde::Serialize;

use super::cleanup::{self, Cleanup};
use super::ports;
use super::search::{self, Candidate, Flag, Oracle, Probe, Problem, Purpose};
use super::spec::{Flags, Original, TwinSpec, ORIGINAL_LABEL, OWNER_LABEL, TRIAL_LABEL};
use super::twin::{run_twin, Judge, Observation};
use super::{describe_error, TrialError};
use crate::interpret::capabilities::{normalize, DOCKER_DEFAULT};

/// Ephemeral paths the search may add as tmpfs when the proposal's are not enough.
pub const TMPFS_CANDIDATES: &[&str] = &["/run", "/tmp", "/var/tmp", "/var/run", "/var/cache", "/var/log"];

/// What to try, on which container.
#[derive(Debug, Clone)]
pub struct TrialRequest {
    /// Name or id of a running container.
    pub container: String,
    /// The proposed flags.
    pub proposal: Flags,
    /// More tmpfs paths the search may add (e.g. paths the proposal says need a volume); tried
    /// with [`TMPFS_CANDIDATES`].
    pub extra_tmpfs: Vec<String>,
    /// `--trial-network`; `None` is network `none`.
    pub network: Option<String>,
    pub settle: Duration,
    pub max_trials: usize,
    pub parallel: usize,
    /// The host's `/proc` (under `--host-root`).
    pub proc_root: PathBuf,
}

/// Overall answer of a trial run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The proposal works as proposed.
    ProposalWorks,
    /// The proposal failed (or had a flag too many); another configuration works.
    Adjusted,
    /// No configuration within the search space worked within the bound.
    NotFound,
}

/// One trial run in a twin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrialRecord {
    pub number: usize,
    pub purpose: Purpose,
    pub cap_add: BTreeSet<String>,
    pub tmpfs: BTreeSet<String>,
    pub passed: bool,
    pub evidence: String,
}

/// One line of the minimality proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProofLine {
    pub without: Flag,
    /// The trial that ran without it.
    pub trial: usize,
    pub passed: bool,
    pub evidence: String,
}

/// Everything a trial run found; environment values never appear in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrialReport {
    pub container: String,
    pub container_id: String,
    pub run_id: String,
    /// `none` or the `--trial-network` name.
    pub network: String,
    pub settle_secs: f64,
    /// Ports the original listens on (each twin had to as well).
    pub original_ports: BTreeSet<u16>,
    /// Paths of the original's volumes and bind mounts, empty tmpfs in every twin.
    pub volumes_as_tmpfs: BTreeSet<String>,
    pub proposal: Flags,
    pub verdict: Verdict,
    /// The working configuration (the proposal, or what the search found).
    pub working: Option<Flags>,
    /// Flags the working configuration adds to the proposal, and flags of the proposal it drops.
    pub added: Vec<Flag>,
    pub dropped: Vec<Flag>,
    /// Every flag of `working` was shown necessary by a failing trial without it.
    pub minimal: bool,
    pub proof: Vec<ProofLine>,
    pub bound_reached: bool,
    pub max_trials: usize,
    pub trials: Vec<TrialRecord>,
    /// Twins of earlier, crashed runs removed before this one started.
    pub swept_stale: usize,
}

/// Runs a trial. `interrupt` resolving (e.g. [`cleanup::interrupted`]) stops it; every twin is
/// removed before this returns, and a panic inside is passed on only after that removal.
pub async fn run_trial(
    docker: &Docker,
    request: &TrialRequest,
    interrupt: impl Future<Output = &'static str>,
) -> Result<TrialReport, TrialError> {
    let local_proc = PathBuf::from("/proc");
    let swept_stale = cleanup::sweep_stale(docker, &local_proc).await?;
    let run_id = uuid::Uuid::new_v4().simple().to_string();
    let cleanup = Cleanup::new(docker.clone(), &run_id);
    let work = AssertUnwindSafe(trial(docker, request, &run_id, &cleanup)).catch_unwind();
    let outcome = tokio::select! {
        r = work => Some(r),
        signal = interrupt => {
            // A create request sent before the interruption may still be answered after the
            // first pass: a second pass, a moment later, removes that twin too.
            let mut removed = cleanup.remove_all().await?;
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            removed += cleanup.remove_all().await?;
            return Err(TrialError::Interrupted { signal, removed });
        }
    };
    let removed = cleanup.remove_all().await;
    match outcome {
        Some(Ok(Ok(mut report))) => {
            removed?;
            report.swept_stale = swept_stale;
            Ok(report)
        }
        Some(Ok(Err(e))) => Err(e),
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        None => unreachable!("the select returns early on interruption"),
    }
}

async fn trial(
    docker: &Docker,
    req: &TrialRequest,
    run_id: &str,
    cleanup: &Cleanup,
) -> Result<TrialReport, TrialError> {
    let inspected = docker.inspect_container(&req.container, None).await.map_err(|e| {
        if matches!(
            e,
            bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }
        ) {
            TrialError::Original {
                container: req.container.clone(),
                reason: "no such container".into(),
            }
        } else {
            TrialError::Docker {
                action: format!("inspect {}", req.container),
                reason: describe_error(&e),
            }
        }
    })?;
    let original = Original::from_inspect(inspected)?;
    let pid = original
        .pid
        .filter(|_| original.running)
        .ok_or_else(|| TrialError::Original {
            container: req.container.clone(),
            reason: "it is not running, so there is nothing to compare a twin with".into(),
        })?;
    let owners = if original.shares_network() {
        Some(container_pids(docker, &original.id).await?)
    } else {
        None
    };
    let original_ports = ports::listening_ports(&req.proc_root, pid, owners.as_deref())?;

    let proposal = normalized(&req.proposal);
    let problem = Problem {
        proposal: Candidate {
            caps: proposal.cap_add.clone(),
            tmpfs: proposal.tmpfs.clone(),
        },
        extra_caps: DOCKER_DEFAULT
            .iter()
            .filter(|c| !proposal.cap_add.contains(**c))
            .map(|c| c.to_string())
            .collect(),
        extra_tmpfs: TMPFS_CANDIDATES
            .iter()
            .map(|p| p.to_string())
            .chain(req.extra_tmpfs.iter().cloned())
            .filter(|p| !original.mount_paths.contains(p))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        max_trials: req.max_trials.max(1),
    };
    let original = Arc::new(original);
    let mut oracle = Twins {
        docker,
        original: Arc::clone(&original),
        base: proposal.clone(),
        network: req.network.clone(),
        judge: Judge {
            settle: req.settle,
            ports: original_ports.clone(),
            proc_root: req.proc_root.clone(),
        },
        parallel: req.parallel.max(1),
        run_id,
        owner: cleanup::owner_label(&PathBuf::from("/proc")),
        cleanup,
        records: Vec::new(),
    };
    let outcome = search::minimise(&problem, &mut oracle).await?;
    let records = oracle.records;
    let trial_of = |c: &Candidate| {
        records
            .iter()
            .find(|r| r.cap_add == c.caps && r.tmpfs == c.tmpfs)
            .map_or((0, String::new()), |r| (r.number, r.evidence.clone()))
    };
    let proof = outcome
        .proof
        .iter()
        .map(|r| {
            let (trial, evidence) = trial_of(&r.candidate);
            ProofLine {
                without: r.without.clone(),
                trial,
                passed: r.passed,
                evidence,
            }
        })
        .collect();
    let working = outcome.working.as_ref().map(|c| Flags {
        cap_add: c.caps.clone(),
        tmpfs: c.tmpfs.clone(),
        ..proposal.clone()
    });
    let (added, dropped) = match &outcome.working {
        Some(w) => difference(&problem.proposal, w),
        None => (Vec::new(), Vec::new()),
    };
    let verdict = match &outcome.working {
        None => Verdict::NotFound,
        Some(w) if *w == problem.proposal => Verdict::ProposalWorks,
        Some(_) => Verdict::Adjusted,
    };
    Ok(TrialReport {
        container: original.name.clone(),
        container_id: original.id.clone(),
        run_id: run_id.to_string(),
        network: req.network.clone().unwrap_or_else(|| "none".into()),
        settle_secs: req.settle.as_secs_f64(),
        original_ports,
        volumes_as_tmpfs: original.mount_paths.clone(),
        proposal,
        verdict,
        working,
        added,
        dropped,
        minimal: outcome.minimal,
        proof,
        bound_reached: outcome.bound_reached,
        max_trials: problem.max_trials,
        trials: records,
        swept_stale: 0,
    })
}

/// The proposal with capability names as Docker spells them (`cap_chown` → `CHOWN`).
fn normalized(flags: &Flags) -> Flags {
    Flags {
        cap_add: flags
            .cap_add
            .iter()
            .map(|c| normalize(c))
            .filter(|c| !c.is_empty())
            .collect(),
        ..flags.clone()
    }
}

/// Flags `to` adds to `from`, and flags of `from` it lacks.
fn difference(from: &Candidate, to: &Candidate) -> (Vec<Flag>, Vec<Flag>) {
    let flags = |c: &Candidate| -> BTreeSet<Flag> {
        c.caps
            .iter()
            .map(|x| Flag::Cap(x.clone()))
            .chain(c.tmpfs.iter().map(|x| Flag::Tmpfs(x.clone())))
            .collect()
    };
    let (a, b) = (flags(from), flags(to));
    (b.difference(&a).cloned().collect(), a.difference(&b).cloned().collect())
}

/// Host pids of a container's processes (`GET /containers/{id}/top`).
async fn container_pids(docker: &Docker, id: &str) -> Result<Vec<u32>, TrialError> {
    let top = docker.top_processes(id, None).await.map_err(|e| TrialError::Docker {
        action: format!("list the processes of {id}"),
        reason: describe_error(&e),
    })?;
    let column = top
        .titles
        .unwrap_or_default()
        .iter()
        .position(|t| t == "PID")
        .unwrap_or(1);
    Ok(top
        .processes
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.get(column)?.parse().ok())
        .collect())
}

/// The oracle: each probe runs in a twin, `parallel` at a time.
struct Twins<'a> {
    docker: &'a Docker,
    original: Arc<Original>,
    base: Flags,
    network: Option<String>,
    judge: Judge,
    parallel: usize,
    run_id: &'a str,
    owner: String,
    cleanup: &'a Cleanup,
    records: Vec<TrialRecord>,
}

impl Oracle for Twins<'_> {
    type Error = TrialError;

    async fn run(&mut self, batch: Vec<Probe>) -> Result<Vec<bool>, TrialError> {
        let first = self.records.len() + 1;
        let runs = batch.iter().enumerate().map(|(i, probe)| {
            let number = first + i;
            let spec = TwinSpec {
                original: Arc::clone(&self.original),
                flags: Flags {
                    cap_add: probe.candidate.caps.clone(),
                    tmpfs: probe.candidate.tmpfs.clone(),
                    ..self.base.clone()
                },
                network: self.network.clone(),
            };
            let labels = HashMap::from([
                (TRIAL_LABEL.to_string(), self.run_id.to_string()),
                (OWNER_LABEL.to_string(), self.owner.clone()),
                (ORIGINAL_LABEL.to_string(), self.original.id.clone()),
            ]);
            let short: String = self.run_id.chars().take(12).collect();
            let name = format!("dockaudit-trial-{short}-{number}");
            let (docker, judge, cleanup) = (self.docker, &self.judge, self.cleanup);
            async move { run_twin(docker, &spec, &name, labels, judge, cleanup).await }
        });
        let results: Vec<Result<Observation, TrialError>> =
            futures_util::stream::iter(runs).buffered(self.parallel).collect().await;
        let mut passed = Vec::with_capacity(batch.len());
        for (i, (probe, result)) in batch.into_iter().zip(results).enumerate() {
            let observation = result?;
            passed.push(observation.passed);
            self.records.push(TrialRecord {
                number: first + i,
                purpose: probe.purpose,
                cap_add: probe.candidate.caps,
                tmpfs: probe.candidate.tmpfs,
                passed: observation.passed,
                evidence: observation.evidence,
            });
        }
        Ok(passed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_name_added_and_dropped_flags() {
        let from = Candidate {
            caps: BTreeSet::from(["KILL".to_string()]),
            tmpfs: BTreeSet::from(["/run".to_string()]),
        };
        let to = Candidate {
            caps: BTreeSet::from(["CHOWN".to_string()]),
            tmpfs: BTreeSet::from(["/run".to_string(), "/tmp".to_string()]),
        };
        let (added, dropped) = difference(&from, &to);
        assert_eq!(added, vec![Flag::Cap("CHOWN".into()), Flag::Tmpfs("/tmp".into())]);
        assert_eq!(dropped, vec![Flag::Cap("KILL".into())]);
    }

    #[test]
    fn capability_names_are_normalized() {
        let flags = Flags {
            cap_add: BTreeSet::from(["cap_chown".to_string(), "SETUID".to_string()]),
            ..Default::default()
        };
        assert_eq!(
            normalized(&flags).cap_add,
            BTreeSet::from(["CHOWN".to_string(), "SETUID".to_string()])
        );
    }
}
