//! `GET /containers/{id}/changes`: the paths a container wrote to its writable layer.

use bollard::models::ChangeType;
use bollard::Docker;

use super::connect::describe;
use crate::snapshot::{Change, ChangeKind, Changes, Fact, MAX_CHANGES};

/// The container's changed paths, at most [`MAX_CHANGES`] of them (`total` counts all).
pub(crate) async fn changes(docker: &Docker, id: &str) -> Fact<Changes> {
    match docker.container_changes(id).await {
        Ok(list) => {
            let list = list.unwrap_or_default();
            let total = u64::try_from(list.len()).unwrap_or(u64::MAX);
            let entries = list
                .into_iter()
                .take(MAX_CHANGES)
                .map(|c| Change {
                    path: c.path,
                    kind: match c.kind {
                        ChangeType::_0 => ChangeKind::Modified,
                        ChangeType::_1 => ChangeKind::Added,
                        ChangeType::_2 => ChangeKind::Deleted,
                    },
                    owner: None,
                })
                .collect();
            Fact::Ok(Changes { entries, total })
        }
        Err(e) => Fact::unavailable(format!("GET /containers/{id}/changes"), describe(&e)),
    }
}
