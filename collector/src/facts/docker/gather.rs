//! One concurrent pass over the Engine API, GET requests only.
//!
//! Lists are read first, then every object is inspected with bounded concurrency; each bollard
//! model is turned into a snapshot type as soon as it arrives ([`super::map`]), so a host with
//! hundreds of containers never holds more than `concurrency` bollard models at once. Everything
//! is sorted, so two scans of an unchanged host differ only in their timestamps.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};

use bollard::errors::Error as BollardError;
use bollard::query_parameters::{ListContainersOptionsBuilder, ListImagesOptions, ListNetworksOptions};
use bollard::Docker;
use futures_util::stream::{self, StreamExt};

use super::connect::{describe, is_not_found};
use super::map::{
    autolock, map_container, map_history, map_image, map_info, map_network, map_node, map_service, map_top,
    map_version, network_containers,
};
use crate::facts::host;
use crate::facts::progress::Tracker;
use crate::snapshot::*;

/// Reads the Engine API for one gathering pass, counting requests and reporting progress.
pub(crate) struct ApiReader<'a> {
    docker: &'a Docker,
    requests: AtomicU64,
    concurrency: usize,
    progress: &'a Tracker,
    /// Reads running containers' processes on the host instead of `/top`, when host files are read.
    host_processes: Option<host::ProcessReader>,
}

type ApiResult<T> = Result<T, BollardError>;

impl<'a> ApiReader<'a> {
    pub(crate) fn new(
        docker: &'a Docker,
        concurrency: usize,
        progress: &'a Tracker,
        host_processes: Option<host::ProcessReader>,
    ) -> Self {
        ApiReader {
            docker,
            requests: AtomicU64::new(0),
            concurrency: concurrency.max(1),
            progress,
            host_processes,
        }
    }

    /// Requests sent so far.
    pub(crate) fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Sends one request, counting it.
    async fn call<T>(&self, request: impl Future<Output = ApiResult<T>>) -> ApiResult<T> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        request.await
    }

    pub(crate) async fn version(&self) -> Fact<Version> {
        let result = self.call(self.docker.version()).await;
        self.progress.tick();
        match result {
            Ok(v) => Fact::Ok(map_version(v, self.docker.client_version().to_string())),
            Err(e) => Fact::unavailable("GET /version", describe(&e)),
        }
    }

    pub(crate) async fn info(&self) -> Fact<Info> {
        let result = self.call(self.docker.info()).await;
        self.progress.tick();
        match result {
            Ok(i) => Fact::Ok(map_info(i)),
            Err(e) => Fact::unavailable("GET /info", describe(&e)),
        }
    }

    pub(crate) async fn swarm(&self, info: &Fact<Info>) -> Fact<Option<Swarm>> {
        let info = match info {
            Fact::Ok(info) => info,
            Fact::Unavailable(u) => {
                return Fact::unavailable("GET /info", format!("swarm state unknown: {}", u.reason))
            }
        };
        let state = info.swarm.local_node_state.as_deref().unwrap_or_default();
        let is_manager = info.swarm.control_available == Some(true);
        match state {
            "" | "inactive" => Fact::Ok(None),
            "active" if is_manager => Fact::Ok(Some(self.manager_swarm().await)),
            "active" => Fact::Ok(Some(unreadable_swarm(false, "only managers can read it"))),
            // Only managers lock (autolock protects the raft keys), and a locked node reports
            // ControlAvailable false until it is unlocked.
            "locked" => Fact::Ok(Some(unreadable_swarm(
                true,
                "the swarm manager is locked (autolock is on and `docker swarm unlock` has not been run)",
            ))),
            other => {
                let reason = format!("swarm node state is {other}, so the swarm cannot be read");
                Fact::Ok(Some(unreadable_swarm(is_manager, &reason)))
            }
        }
    }

    async fn manager_swarm(&self) -> Swarm {
        let (swarm, nodes, services, secrets) = tokio::join!(
            self.call(self.docker.inspect_swarm()),
            self.call(self.docker.list_nodes(None)),
            self.call(self.docker.list_services(None)),
            self.call(self.docker.list_secrets(None)),
        );
        let (autolock_managers, data_path_port) = match swarm {
            Ok(s) => (Fact::Ok(autolock(&s)), s.data_path_port),
            Err(e) => (Fact::unavailable("GET /swarm", describe(&e)), None),
        };
        let nodes = match nodes {
            Ok(list) => {
                let mut nodes: Vec<SwarmNode> = list.into_iter().map(map_node).collect();
                nodes.sort_by(|a, b| a.id.cmp(&b.id));
                Fact::Ok(nodes)
            }
            Err(e) => Fact::unavailable("GET /nodes", describe(&e)),
        };
        let services = match services {
            Ok(list) => {
                let mut services: Vec<SwarmService> = list.into_iter().map(map_service).collect();
                services.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
                Fact::Ok(services)
            }
            Err(e) => Fact::unavailable("GET /services", describe(&e)),
        };
        let secrets = match secrets {
            Ok(list) => {
                let mut names: Vec<String> = list
                    .into_iter()
                    .filter_map(|s| s.spec.and_then(|spec| spec.name))
                    .collect();
                names.sort();
                Fact::Ok(names)
            }
            Err(e) => Fact::unavailable("GET /secrets", describe(&e)),
        };
        Swarm {
            is_manager: true,
            nodes,
            autolock_managers,
            services,
            secrets,
            data_path_port,
        }
    }

    /// Every container, running or not, inspected; running ones also get their processes.
    pub(crate) async fn containers(&self) -> Fact<Vec<Container>> {
        let options = ListContainersOptionsBuilder::new().all(true).build();
        let listed = self.call(self.docker.list_containers(Some(options))).await;
        self.progress.tick();
        let ids = match listed {
            Ok(list) => list.into_iter().filter_map(|c| c.id).collect::<Vec<_>>(),
            Err(e) => return Fact::unavailable("GET /containers/json", describe(&e)),
        };
        self.progress.add(ids.len());
        let results: Vec<_> = stream::iter(ids)
            .map(|id| async move {
                let result = self.container(id).await;
                self.progress.tick();
                result
            })
            .buffer_unordered(self.concurrency)
            .collect()
            .await;
        collect_all(results).map(|mut containers| {
            containers.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
            containers
        })
    }

    /// `Ok(None)` when the container was removed since the list.
    async fn container(&self, id: String) -> Result<Option<Container>, Unavailable> {
        let inspected = match self.call(self.docker.inspect_container(&id, None)).await {
            Ok(c) => c,
            Err(e) if is_not_found(&e) => return Ok(None),
            Err(e) => return Err(unavailable(format!("GET /containers/{id}/json"), &e)),
        };
        let mut container = map_container(inspected);
        if container.state.running {
            container.processes = Some(self.processes(&id, container.state.pid).await);
        }
        Ok(Some(container))
    }

    /// A running container's processes: from the host's `/proc` and cgroups when host files are
    /// read (the list `/top` returns, without dockerd starting `runc ps` and `ps` for every
    /// container — see `host/processes.rs`), else, or when the host's view is unusable, `/top`.
    async fn processes(&self, id: &str, pid: i64) -> Fact<Vec<Process>> {
        if let Some(Ok(list)) = self.host_processes.as_ref().map(|r| r.container_processes(id, pid)) {
            return Fact::Ok(list);
        }
        match self.call(self.docker.top_processes(id, None)).await {
            Ok(top) => Fact::Ok(map_top(top)),
            Err(e) => Fact::unavailable(format!("GET /containers/{id}/top"), describe(&e)),
        }
    }

    /// Every image in the list, inspected, with its history.
    pub(crate) async fn images(&self) -> Fact<Vec<Image>> {
        let listed = self.call(self.docker.list_images(None::<ListImagesOptions>)).await;
        self.progress.tick();
        let mut ids = match listed {
            Ok(list) => list
                .into_iter()
                .map(|i| i.id)
                .filter(|id| !id.is_empty())
                .collect::<Vec<_>>(),
            Err(e) => return Fact::unavailable("GET /images/json", describe(&e)),
        };
        ids.sort();
        ids.dedup();
        self.progress.add(ids.len());
        let results: Vec<_> = stream::iter(ids)
            .map(|id| async move {
                let result = self.image(id).await;
                self.progress.tick();
                result
            })
            .buffer_unordered(self.concurrency)
            .collect()
            .await;
        collect_all(results).map(|mut images| {
            images.sort_by(|a, b| a.id.cmp(&b.id));
            images
        })
    }

    /// `Ok(None)` when the image was removed since the list.
    async fn image(&self, id: String) -> Result<Option<Image>, Unavailable> {
        let (inspected, history) = tokio::join!(
            self.call(self.docker.inspect_image(&id)),
            self.call(self.docker.image_history(&id))
        );
        let inspected = match inspected {
            Ok(i) => i,
            Err(e) if is_not_found(&e) => return Ok(None),
            Err(e) => return Err(unavailable(format!("GET /images/{id}/json"), &e)),
        };
        let history = match history {
            Ok(steps) => Fact::Ok(map_history(steps)),
            Err(e) => Fact::unavailable(format!("GET /images/{id}/history"), describe(&e)),
        };
        let mut image = map_image(inspected, history);
        if image.id.is_empty() {
            image.id = id;
        }
        Ok(Some(image))
    }

    /// Every network; local ones are inspected for their attached containers, which the list
    /// endpoint leaves out.
    pub(crate) async fn networks(&self) -> Fact<Vec<Network>> {
        let listed = self.call(self.docker.list_networks(None::<ListNetworksOptions>)).await;
        self.progress.tick();
        let list = match listed {
            Ok(list) => list,
            Err(e) => return Fact::unavailable("GET /networks", describe(&e)),
        };
        let results: Vec<_> = stream::iter(list)
            .map(|listed| async move {
                let mut network = map_network(listed);
                if network.scope != "local" || network.id.is_empty() {
                    return Ok(Some(network));
                }
                match self.call(self.docker.inspect_network(&network.id, None)).await {
                    Ok(inspected) => {
                        network.containers = network_containers(inspected.containers);
                        Ok(Some(network))
                    }
                    Err(e) if is_not_found(&e) => Ok(None),
                    Err(e) => Err(unavailable(format!("GET /networks/{}", network.id), &e)),
                }
            })
            .buffer_unordered(self.concurrency)
            .collect()
            .await;
        collect_all(results).map(|mut networks| {
            networks.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
            networks
        })
    }
}

fn unavailable(source: String, err: &BollardError) -> Unavailable {
    Unavailable {
        source,
        reason: describe(err),
    }
}

/// All objects, or the first failure (in source order, so the same failure is reported each
/// time). Dropping an object that could not be read would let a check pass over it unseen.
fn collect_all<T>(results: Vec<Result<Option<T>, Unavailable>>) -> Fact<Vec<T>> {
    let mut items = Vec::with_capacity(results.len());
    let mut failure: Option<Unavailable> = None;
    for result in results {
        match result {
            Ok(Some(item)) => items.push(item),
            Ok(None) => {}
            Err(u) => {
                if failure.as_ref().is_none_or(|f| u.source < f.source) {
                    failure = Some(u);
                }
            }
        }
    }
    match failure {
        Some(u) => Fact::Unavailable(u),
        None => Fact::Ok(items),
    }
}

/// A swarm this node belongs to but cannot read (a worker, or a locked/pending node).
fn unreadable_swarm(is_manager: bool, reason: &str) -> Swarm {
    Swarm {
        is_manager,
        nodes: Fact::unavailable("GET /nodes", reason),
        autolock_managers: Fact::unavailable("GET /swarm", reason),
        services: Fact::unavailable("GET /services", reason),
        secrets: Fact::unavailable("GET /secrets", reason),
        data_path_port: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_swarm_facts_are_unavailable() {
        let s = unreadable_swarm(false, "only managers can read it");
        assert!(!s.is_manager);
        assert_eq!(s.nodes.get().unwrap_err().reason, "only managers can read it");
        assert_eq!(s.autolock_managers.get().unwrap_err().source, "GET /swarm");
    }

    #[test]
    fn one_failed_inspect_makes_the_list_unavailable() {
        let ok: Vec<Result<Option<u8>, Unavailable>> = vec![Ok(Some(1)), Ok(None), Ok(Some(2))];
        assert_eq!(collect_all(ok), Fact::Ok(vec![1, 2]));
        let failed: Vec<Result<Option<u8>, Unavailable>> = vec![
            Ok(Some(1)),
            Err(Unavailable {
                source: "GET /containers/b/json".into(),
                reason: "500".into(),
            }),
            Err(Unavailable {
                source: "GET /containers/a/json".into(),
                reason: "500".into(),
            }),
        ];
        assert_eq!(collect_all(failed).get().unwrap_err().source, "GET /containers/a/json");
    }
}
