//! Gathering: the daemon (Engine API) and the host (files, `/proc`) read once, concurrently,
//! into one [`Facts`] snapshot.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use bollard::Docker;

use super::docker::ApiReader;
use super::host;
use super::progress::{Progress, Tracker};
use crate::clock::now_rfc3339_millis as now_rfc3339;
use crate::snapshot::*;

/// What to gather besides the daemon's own view, and how hard to push it.
#[derive(Clone)]
pub struct GatherOptions {
    /// Root through which the host's files are read (`/`, or the host mounted into a container).
    pub host_root: Option<PathBuf>,
    /// Why host facts are not read, when `host_root` is `None`.
    pub host_skipped_reason: Option<String>,
    /// Requests in flight at once while inspecting containers, images and networks.
    pub concurrency: usize,
    pub progress: Option<Arc<dyn Progress>>,
    /// `DOCKER_CONTENT_TRUST` of the scanning environment.
    pub content_trust: Option<String>,
    /// How the daemon was reached ([`crate::facts::Connected::connection`]).
    pub connection: Option<Connection>,
}

impl Default for GatherOptions {
    fn default() -> Self {
        GatherOptions {
            host_root: None,
            host_skipped_reason: None,
            concurrency: 32,
            progress: None,
            content_trust: None,
            connection: None,
        }
    }
}

impl std::fmt::Debug for GatherOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatherOptions")
            .field("host_root", &self.host_root)
            .field("host_skipped_reason", &self.host_skipped_reason)
            .field("concurrency", &self.concurrency)
            .field("progress", &self.progress.is_some())
            .field("content_trust", &self.content_trust)
            .field("connection", &self.connection)
            .finish()
    }
}

/// Reads everything once and returns the snapshot, with every credential in it replaced by `***`
/// ([`crate::snapshot::secrets`]). Never fails: whatever could not be read is a
/// [`Fact::Unavailable`] saying which request failed and why.
pub async fn gather(docker: &Docker, endpoint: &str, opts: &GatherOptions) -> Facts {
    let started_at = now_rfc3339();
    let clock = Instant::now();
    let progress = Tracker::new(opts.progress.clone());
    let api = ApiReader::new(
        docker,
        opts.concurrency,
        &progress,
        opts.host_root.as_deref().map(host::ProcessReader::new),
    );
    // version, info, container/image/network lists, swarm, and the host when it is read.
    progress.add(6 + usize::from(opts.host_root.is_some()));

    let own_ids = tokio::task::spawn_blocking(host::own_container_ids);
    let (version, (info, swarm, host_result), containers, images, networks) = tokio::join!(
        api.version(),
        info_swarm_host(&api, &progress, endpoint, opts),
        api.containers(),
        api.images(),
        api.networks()
    );
    let own_ids = own_ids.await.unwrap_or_default();

    let self_container = containers.ok().and_then(|list| find_self_container(list, &own_ids));
    let (host, host_root, host_skipped_reason) = match (host_result, &opts.host_root) {
        (Some(Ok(facts)), Some(root)) => (Some(facts), Some(root.display().to_string()), None),
        (Some(Err(reason)), _) => (None, None, Some(reason)),
        _ => (None, None, opts.host_skipped_reason.clone()),
    };
    progress.finish();

    // Redacted before anyone (a `--facts-out` file, a check, a report) sees it.
    Facts {
        facts_version: FACTS_VERSION,
        collection: Collection {
            started_at,
            finished_at: now_rfc3339(),
            duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
            endpoint: endpoint.to_string(),
            host_root,
            host_skipped_reason,
            self_container,
            content_trust: opts.content_trust.clone(),
            api_requests: api.requests(),
            connection: opts.connection.clone(),
        },
        version,
        info,
        containers,
        images,
        networks,
        swarm,
        host,
    }
    .redacted()
}

/// `/info`, then (both need it) the swarm state and the host facts, concurrently: the host's
/// paths depend on the daemon's root directory and runtimes, and the host's daemon facts are
/// those of the process serving `endpoint`.
async fn info_swarm_host(
    api: &ApiReader<'_>,
    progress: &Tracker,
    endpoint: &str,
    opts: &GatherOptions,
) -> (Fact<Info>, Fact<Option<Swarm>>, Option<Result<HostFacts, String>>) {
    let info = api.info().await;
    let host_task = opts.host_root.clone().map(|root| {
        let info = info.ok().cloned();
        let endpoint = endpoint.to_string();
        tokio::task::spawn_blocking(move || host::gather_host(&root, &endpoint, info.as_ref()))
    });
    let swarm = api.swarm(&info).await;
    progress.tick();
    let host = match host_task {
        None => None,
        Some(task) => {
            let result = task.await.map_err(|e| format!("reading the host's files failed: {e}"));
            progress.tick();
            Some(result)
        }
    };
    (info, swarm, host)
}

/// Recognises dockaudit's own container among the audited ones. Candidates shorter than a
/// short id (12 hex digits) are ignored: a shorter prefix could match by chance.
fn find_self_container(containers: &[Container], candidates: &[String]) -> Option<SelfContainer> {
    candidates.iter().find_map(|candidate| {
        let candidate = candidate.trim().to_ascii_lowercase();
        if candidate.len() < 12 || !candidate.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut found = containers.iter().filter(|c| c.id.starts_with(&candidate));
        let container = found.next()?;
        if found.next().is_some() {
            return None;
        }
        // host.rs finds full ids in the cgroup path and mountinfo, short ones in the hostname.
        let evidence = if candidate.len() >= 64 {
            format!(
                "this process's cgroup or mountinfo names container id {candidate}, the id of container {}",
                container.name
            )
        } else {
            format!(
                "this process's hostname {candidate} is the short id of container {} (Docker's default hostname)",
                container.name
            )
        };
        Some(SelfContainer {
            id: container.id.clone(),
            name: container.name.clone(),
            evidence,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(id: &str, name: &str) -> Container {
        Container {
            id: id.into(),
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn recognises_own_container() {
        let full = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let list = vec![container(full, "dockaudit"), container(&"f".repeat(64), "other")];
        let found = find_self_container(&list, &[full.to_string()]).unwrap();
        assert_eq!(found.name, "dockaudit");
        assert!(found.evidence.contains("cgroup"), "{}", found.evidence);
        let found = find_self_container(&list, &["not-an-id".into(), "0123456789ab".into()]).unwrap();
        assert!(found.evidence.contains("hostname"), "{}", found.evidence);
        // Too short to be trusted, or matching nothing.
        assert_eq!(find_self_container(&list, &["0123".into()]), None);
        assert_eq!(find_self_container(&list, &["aaaaaaaaaaaa".into()]), None);
        assert_eq!(find_self_container(&list, &[]), None);
    }
}
