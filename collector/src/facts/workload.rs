//! Observing what each running container does, for least-privilege proposals: its writable-layer
//! changes from the Engine API, the rest from the host ([`super::host::WorkloadReader`]).

use std::path::Path;

use bollard::Docker;
use futures_util::stream::{self, StreamExt};

use super::docker;
use super::host;
use crate::snapshot::{Container, Fact, Workload};

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
    let observed: Vec<(usize, Workload)> = stream::iter(running)
        .map(|i| {
            let reader = reader.as_ref();
            let no_host = no_host.as_str();
            let c = &all[i];
            async move {
                let changes = docker::changes(docker, &c.id).await;
                let workload = match reader {
                    Some(r) => r.observe(c, changes),
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
