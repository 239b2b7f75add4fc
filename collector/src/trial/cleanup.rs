//! Making sure no twin outlives its run: a registry of live twins, the run's final removal (by
//! name and by the run's label), a sweep of twins left by a run that crashed, and the signals
//! that interrupt a run.
//!
//! A twin is registered before it is created, so there is no moment in which it exists unknown.
//! The final removal also lists containers labelled with this run's id, which catches a twin whose
//! create request was sent but whose answer never came.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use bollard::errors::Error as BollardError;
use bollard::query_parameters::{ListContainersOptionsBuilder, RemoveContainerOptionsBuilder};
use bollard::Docker;

use super::spec::{OWNER_LABEL, TRIAL_LABEL};
use super::{describe_error, TrialError};

/// A twin from another host or boot is taken as stale after this long (trials take minutes).
const FOREIGN_STALE_SECS: i64 = 3600;

/// The live twins of one run; removes what is left when asked, or when dropped.
pub struct Cleanup {
    docker: Docker,
    run_id: String,
    live: Arc<Mutex<BTreeSet<String>>>,
    /// Whether dropping it with twins left hands their removal to the runtime (not for the copy
    /// that does that removal).
    on_drop: bool,
}

impl Cleanup {
    pub fn new(docker: Docker, run_id: &str) -> Cleanup {
        Cleanup {
            docker,
            run_id: run_id.to_string(),
            live: Arc::default(),
            on_drop: true,
        }
    }

    pub fn register(&self, name: &str) {
        self.live
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(name.to_string());
    }

    pub fn forget(&self, name: &str) {
        self.live.lock().unwrap_or_else(PoisonError::into_inner).remove(name);
    }

    /// Removes every twin of this run still registered or still labelled with the run id;
    /// returns how many it removed.
    pub async fn remove_all(&self) -> Result<usize, TrialError> {
        let mut names: BTreeSet<String> = self.live.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let filter = format!("{TRIAL_LABEL}={}", self.run_id);
        let listed = list(&self.docker, &filter).await;
        if let Ok(listed) = &listed {
            names.extend(listed.iter().map(|(id, _, _)| id.clone()));
        }
        let mut first_error = listed.err();
        let mut removed = 0;
        for name in &names {
            match remove(&self.docker, name).await {
                Ok(()) => {
                    removed += 1;
                    self.forget(name);
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(removed),
        }
    }
}

impl Drop for Cleanup {
    /// Last resort when the run's future was dropped before its final removal: hand the removal
    /// to the runtime, if one is still running.
    fn drop(&mut self) {
        let pending = !self.live.lock().unwrap_or_else(PoisonError::into_inner).is_empty();
        if !pending || !self.on_drop {
            return;
        }
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            let cleanup = Cleanup {
                docker: self.docker.clone(),
                run_id: self.run_id.clone(),
                live: Arc::clone(&self.live),
                on_drop: false,
            };
            handle.spawn(async move {
                let _ = cleanup.remove_all().await;
            });
        }
    }
}

/// Force-removes a container and its anonymous volumes; one already gone is fine.
pub async fn remove(docker: &Docker, name: &str) -> Result<(), TrialError> {
    let options = RemoveContainerOptionsBuilder::new().force(true).v(true).build();
    match docker.remove_container(name, Some(options)).await {
        Ok(()) => Ok(()),
        Err(BollardError::DockerResponseServerError { status_code: 404, .. }) => Ok(()),
        // Removal already under way (a concurrent cleanup).
        Err(BollardError::DockerResponseServerError { status_code: 409, .. }) => Ok(()),
        Err(e) => Err(TrialError::Docker {
            action: format!("remove trial container {name}"),
            reason: describe_error(&e),
        }),
    }
}

/// Containers matching a label filter: (id, labels, created as Unix seconds).
async fn list(docker: &Docker, label: &str) -> Result<Vec<(String, HashMap<String, String>, i64)>, TrialError> {
    let filters = HashMap::from([("label".to_string(), vec![label.to_string()])]);
    let options = ListContainersOptionsBuilder::new().all(true).filters(&filters).build();
    let listed = docker
        .list_containers(Some(options))
        .await
        .map_err(|e| TrialError::Docker {
            action: "list trial containers".into(),
            reason: describe_error(&e),
        })?;
    Ok(listed
        .into_iter()
        .filter_map(|c| Some((c.id?, c.labels.unwrap_or_default(), c.created.unwrap_or(0))))
        .collect())
}

/// This process as an owner label: `boot id/pid/start time`, unique on this host across reboots.
pub fn owner_label(proc_root: &Path) -> String {
    let pid = std::process::id();
    format!(
        "{}/{pid}/{}",
        boot_id(proc_root),
        start_time(proc_root, pid).unwrap_or_default()
    )
}

fn boot_id(proc_root: &Path) -> String {
    std::fs::read_to_string(proc_root.join("sys/kernel/random/boot_id"))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// Field 22 of `/proc/<pid>/stat` (start time in clock ticks since boot); the command name in
/// field 2 may hold spaces and parentheses, so fields are counted after its closing `)`.
pub fn parse_start_time(stat: &str) -> Option<String> {
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19).map(str::to_string)
}

fn start_time(proc_root: &Path, pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(proc_root.join(pid.to_string()).join("stat")).ok()?;
    parse_start_time(&stat)
}

/// Whether a twin with this owner label was left behind: its owner, on this boot of this host,
/// is gone (or its pid now belongs to another process); a twin of another host or boot, or with
/// an unreadable label, once it is older than an hour.
pub fn is_stale(owner: Option<&str>, here_boot: &str, alive: impl Fn(u32, &str) -> bool, age_secs: i64) -> bool {
    let parsed = owner.and_then(|o| {
        let mut parts = o.splitn(3, '/');
        let boot = parts.next()?;
        let pid: u32 = parts.next()?.parse().ok()?;
        let start = parts.next()?;
        Some((boot, pid, start))
    });
    match parsed {
        Some((boot, pid, start)) if !boot.is_empty() && boot == here_boot => !alive(pid, start),
        _ => age_secs > FOREIGN_STALE_SECS,
    }
}

/// Removes twins (containers with our label only) whose run is over; returns how many.
pub async fn sweep_stale(docker: &Docker, proc_root: &Path) -> Result<usize, TrialError> {
    let here_boot = boot_id(proc_root);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let alive = |pid: u32, start: &str| start_time(proc_root, pid).is_some_and(|s| s == start);
    let mut removed = 0;
    for (id, labels, created) in list(docker, TRIAL_LABEL).await? {
        if !labels.contains_key(TRIAL_LABEL) {
            continue;
        }
        if is_stale(
            labels.get(OWNER_LABEL).map(String::as_str),
            &here_boot,
            alive,
            now - created,
        ) {
            remove(docker, &id).await?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Resolves when the process is asked to stop (SIGINT, SIGTERM or SIGHUP), naming the signal.
/// Never resolves if the handlers cannot be installed.
pub async fn interrupted() -> &'static str {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut int), Ok(mut term), Ok(mut hup)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = int.recv() => "SIGINT",
        _ = term.recv() => "SIGTERM",
        _ = hup.recv() => "SIGHUP",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_time_is_counted_after_the_command_name() {
        let stat = "4242 (my (odd) prog) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";
        assert_eq!(parse_start_time(stat).as_deref(), Some("987654"));
        assert_eq!(parse_start_time("garbage"), None);
    }

    #[test]
    fn only_twins_of_finished_runs_are_stale() {
        let alive = |pid: u32, start: &str| pid == 10 && start == "500";
        // Our boot, owner still running: not stale, however old.
        assert!(!is_stale(Some("boot-a/10/500"), "boot-a", alive, 99_999));
        // Our boot, owner gone, or its pid reused by another process.
        assert!(is_stale(Some("boot-a/11/500"), "boot-a", alive, 5));
        assert!(is_stale(Some("boot-a/10/501"), "boot-a", alive, 5));
        // Another host or boot, or no owner: only when old.
        assert!(!is_stale(Some("boot-b/10/500"), "boot-a", alive, 60));
        assert!(is_stale(Some("boot-b/10/500"), "boot-a", alive, 7200));
        assert!(!is_stale(None, "boot-a", alive, 60));
        assert!(is_stale(Some("nonsense"), "boot-a", alive, 7200));
    }

    #[test]
    fn this_process_owns_a_live_label() {
        let proc_root = Path::new("/proc");
        let label = owner_label(proc_root);
        let alive = |pid: u32, start: &str| start_time(proc_root, pid).is_some_and(|s| s == start);
        assert!(!is_stale(Some(&label), &boot_id(proc_root), alive, 0), "{label}");
    }
}
