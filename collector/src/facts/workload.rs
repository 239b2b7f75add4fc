//! Observing what each running container does, for least-privilege proposals: its writable-layer
//! changes from the Engine API, the rest from the host ([`super::host::WorkloadReader`]).

use std::path::Path;

use bollard::Docker;
use futures_util::stream::{self, StreamExt};

use super::docker;
use super::host;
use crate::snapshot::{Container, Fact, Workload};

/// Containers whose host side is read at the same time.
const HOST_READS: usize = 4;

/// Fills `workload` of every running container; returns the number of API requests made.
pub(super) async fn observe(
    docker: &Docker,
    containers: &mut Fact<Vec<Container>>,
    host_root: Option<&Path>,
    host_skipped: Option<&str>,
    concurrency: usize,
) -> u64 {
    let Fact::Ok(list) = containers else {
        return 0;
    };
    let reader = host_root.map(host::WorkloadReader::new);
    let no_host = format!(
        "host files are not read: {}",
        host_skipped.unwrap_or("no host root was given")
    );
    // Indices, not `(usize, &Container)` pairs: a closure over borrowed pairs makes the future's
    // lifetime higher-ranked, which a spawned (Send) fleet task cannot prove.
    let all: &[Container] = list;
    let running: Vec<usize> = (0..all.len()).filter(|&i| all[i].is_running()).collect();
    // The host's side is blocking file reads (mostly kernel tables; `/proc/<pid>/net/tcp` costs
    // a walk of the kernel's TCP hash per read): they run on the blocking pool, a few at once,
    // so the async workers keep the Engine API requests flowing meanwhile.
    let host_reads = std::sync::Arc::new(tokio::sync::Semaphore::new(HOST_READS));
    let observed: Vec<(usize, Workload)> = stream::iter(running)
        .map(|i| {
            let reader = reader.clone();
            let no_host = no_host.as_str();
            let host_reads = host_reads.clone();
            let c = &all[i];
            async move {
                let changes = docker::changes(docker, &c.id).await;
                let workload = match reader {
                    Some(r) => {
                        let _turn = host_reads.acquire_owned().await.ok();
                        let container = c.clone();
                        let fallback = changes.clone();
                        tokio::task::spawn_blocking(move || r.observe(&container, changes))
                            .await
                            .unwrap_or_else(|e| host::without_host(fallback, &format!("reading the host failed: {e}")))
                    }
                    None => host::without_host(changes, no_host),
                };
                (i, workload)
            }
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    let requests = u64::try_from(observed.len()).unwrap_or(u64::MAX);
    for (i, workload) in observed {
        list[i].workload = Some(workload);
    }
    requests
}
