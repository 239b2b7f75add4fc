//! Auditing many hosts at once: at most `parallel` in flight, each bounded by its own timeout,
//! each in its own task, so a host that hangs, fails or panics never stops the others.
//!
//! The runner knows nothing of how one host is audited: the caller passes that as a function
//! (the CLI passes the single-host scan path), which keeps this module free of the commands.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};

use super::inventory::Target;
use super::summary::{HostResult, HostSummary};

/// Hosts audited at once when `--parallel` is not given: enough to hide network latency, few
/// enough that a jump host's `MaxStartups` (10 by default) and the auditor's machine cope.
pub const DEFAULT_PARALLEL: u16 = 8;

/// What one host's audit produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Audited {
    /// Whether checks at the `--fail-on` threshold were found.
    pub findings: bool,
    pub score: Option<f64>,
    pub fails: u32,
    pub errors: u32,
    /// The report's file name, when it was written.
    pub report: Option<String>,
    /// Where the report was published (`--publish`), or why it could not be.
    pub published: Option<Result<String, String>>,
}

/// Why one host was not audited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HostFailure {
    /// The daemon could not be reached.
    #[error("{0}")]
    Unreachable(String),
    /// Reached, but the audit or its report failed.
    #[error("{0}")]
    Failed(String),
}

/// Told when each host starts and ends (the progress display); called from the runner's tasks.
pub trait Observer: Send + Sync {
    fn started(&self, _target: &Target) {}
    fn finished(&self, _target: &Target, _row: &HostSummary) {}
}

/// An observer that ignores everything.
pub struct Silent;

impl Observer for Silent {}

/// Audits every target with `audit`, `parallel` at a time, and returns one row per target in the
/// targets' order.
pub async fn run<A, F>(targets: &[Target], parallel: usize, audit: A, observer: Arc<dyn Observer>) -> Vec<HostSummary>
where
    A: Fn(Target) -> F + Send + Sync + 'static,
    F: Future<Output = Result<Audited, HostFailure>> + Send + 'static,
{
    let audit = Arc::new(audit);
    let mut rows: Vec<(usize, HostSummary)> = stream::iter(targets.iter().cloned().enumerate())
        .map(|(index, target)| {
            let audit = Arc::clone(&audit);
            let observer = Arc::clone(&observer);
            async move {
                observer.started(&target);
                let clock = Instant::now();
                let limit = target.timeout;
                // Its own task: a panic in one host's audit ends that task only.
                let task = tokio::spawn(tokio::time::timeout(limit, audit(target.clone())));
                let outcome = match task.await {
                    Ok(Ok(result)) => result.map_err(Ended::Failure),
                    Ok(Err(_elapsed)) => Err(Ended::Timeout(limit)),
                    Err(join) => Err(Ended::Failure(HostFailure::Failed(if join.is_panic() {
                        "the audit of this host stopped on an internal error (a bug in dockaudit)".into()
                    } else {
                        "the audit of this host was cancelled".into()
                    }))),
                };
                let row = summarise(&target, outcome, clock.elapsed());
                observer.finished(&target, &row);
                (index, row)
            }
        })
        .buffer_unordered(parallel.max(1))
        .collect()
        .await;
    rows.sort_by_key(|(index, _)| *index);
    rows.into_iter().map(|(_, row)| row).collect()
}

enum Ended {
    Failure(HostFailure),
    Timeout(Duration),
}

fn summarise(target: &Target, outcome: Result<Audited, Ended>, took: Duration) -> HostSummary {
    let mut row = HostSummary {
        name: target.name.clone(),
        daemon: target.daemon.describe(),
        labels: target.labels.clone(),
        result: HostResult::Error,
        score: None,
        fails: None,
        errors: None,
        duration_ms: u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
        error: None,
        report: None,
        published: None,
        publish_error: None,
    };
    match outcome {
        Ok(a) => {
            row.result = if a.findings { HostResult::Fail } else { HostResult::Pass };
            row.score = a.score;
            row.fails = Some(a.fails);
            row.errors = Some(a.errors);
            row.report = a.report;
            match a.published {
                Some(Ok(key)) => row.published = Some(key),
                Some(Err(why)) => row.publish_error = Some(why),
                None => {}
            }
        }
        Err(Ended::Failure(HostFailure::Unreachable(why))) => {
            row.result = HostResult::Unreachable;
            row.error = Some(why);
        }
        Err(Ended::Failure(HostFailure::Failed(why))) => row.error = Some(why),
        Err(Ended::Timeout(limit)) => {
            row.result = HostResult::Timeout;
            row.error = Some(format!(
                "the audit did not finish within {} s (raise timeout in the inventory or --host-timeout)",
                limit.as_secs()
            ));
        }
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    fn target(name: &str, timeout_ms: u64) -> Target {
        let mut t = Target::from_address(&format!("tcp://{name}:2375")).unwrap();
        t.name = name.into();
        t.timeout = Duration::from_millis(timeout_ms);
        t
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    }

    fn audited(findings: bool) -> Audited {
        Audited {
            findings,
            score: Some(75.0),
            fails: u32::from(findings),
            errors: 0,
            report: Some("r.json".into()),
            published: None,
        }
    }

    #[test]
    fn one_failed_host_never_stops_the_others() {
        let targets = [
            target("ok", 5_000),
            target("down", 5_000),
            target("hangs", 200),
            target("panics", 5_000),
            target("failing", 5_000),
        ];
        let rows = runtime().block_on(run(
            &targets,
            2,
            |t: Target| async move {
                match t.name.as_str() {
                    "down" => Err(HostFailure::Unreachable("connection refused".into())),
                    "hangs" => {
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                        Ok(audited(false))
                    }
                    "panics" => panic!("boom"),
                    "failing" => Ok(audited(true)),
                    _ => Ok(audited(false)),
                }
            },
            Arc::new(Silent),
        ));
        let results: Vec<(&str, HostResult)> = rows.iter().map(|r| (r.name.as_str(), r.result)).collect();
        assert_eq!(
            results,
            [
                ("ok", HostResult::Pass),
                ("down", HostResult::Unreachable),
                ("hangs", HostResult::Timeout),
                ("panics", HostResult::Error),
                ("failing", HostResult::Fail),
            ]
        );
        assert_eq!(rows[0].score, Some(75.0));
        assert_eq!(rows[0].report.as_deref(), Some("r.json"));
        assert_eq!(rows[1].error.as_deref(), Some("connection refused"));
        assert!(rows[2].error.as_deref().unwrap().contains("--host-timeout"));
        assert!(rows[3].error.as_deref().unwrap().contains("internal error"));
        assert_eq!(rows[4].fails, Some(1));
    }

    #[test]
    fn never_more_than_parallel_hosts_at_once() {
        let in_flight = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let targets: Vec<Target> = (0..12).map(|i| target(&format!("h{i}"), 5_000)).collect();
        let (f, p) = (Arc::clone(&in_flight), Arc::clone(&peak));
        let rows = runtime().block_on(run(
            &targets,
            3,
            move |_t: Target| {
                let (f, p) = (Arc::clone(&f), Arc::clone(&p));
                async move {
                    let now = f.fetch_add(1, Ordering::SeqCst) + 1;
                    p.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    f.fetch_sub(1, Ordering::SeqCst);
                    Ok(audited(false))
                }
            },
            Arc::new(Silent),
        ));
        assert_eq!(rows.len(), 12);
        assert!(peak.load(Ordering::SeqCst) <= 3, "peak {}", peak.load(Ordering::SeqCst));
        // Rows keep the inventory's order whatever order the hosts finished in.
        let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
        let expected: Vec<String> = (0..12).map(|i| format!("h{i}")).collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn the_observer_sees_every_start_and_end() {
        #[derive(Default)]
        struct Log(Mutex<Vec<String>>);
        impl Observer for Log {
            fn started(&self, t: &Target) {
                self.0.lock().unwrap().push(format!("start {}", t.name));
            }
            fn finished(&self, t: &Target, row: &HostSummary) {
                self.0
                    .lock()
                    .unwrap()
                    .push(format!("end {} {}", t.name, row.result.as_str()));
            }
        }
        let log = Arc::new(Log::default());
        let targets = [target("a", 5_000), target("b", 5_000)];
        runtime().block_on(run(
            &targets,
            1,
            |_t: Target| async { Ok(audited(false)) },
            Arc::clone(&log) as Arc<dyn Observer>,
        ));
        assert_eq!(
            *log.0.lock().unwrap(),
            ["start a", "end a pass", "start b", "end b pass"]
        );
    }
}
