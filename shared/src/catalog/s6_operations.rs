//! Section 6 of CIS Docker Benchmark v1.6.0: Docker security operations.

use super::{Assessment, CheckMeta, Evaluation, Severity};

/// 6.1: Ensure that image sprawl is avoided.
pub static IMAGE_SPRAWL: CheckMeta = CheckMeta {
    id: "6.1",
    section: "6",
    subsection: None,
    title: "Ensure that image sprawl is avoided",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Low,
    rationale: "Unused and outdated images waste disk space and keep vulnerable software on the host, where it can be started by mistake. A cluttered image store also makes it hard to tell which images are approved and current.",
    audit: "A person decides. dockaudit reports the number of local images (`GET /images/json`) and lists those that no running or stopped container uses, by comparing with the `ImageID` values from `GET /containers/json?all=1`.",
    remediation: "Remove unused images regularly, e.g. `docker image prune -a --filter until=720h`, and keep only images that are in active use or deliberately retained.",
    impact: "Pruned images must be pulled or rebuilt again if needed, which costs time and bandwidth.",
    notes: "docker-bench-security re-lists all images once per container, which gets slow on large hosts.",
};

/// 6.2: Ensure that container sprawl is avoided.
pub static CONTAINER_SPRAWL: CheckMeta = CheckMeta {
    id: "6.2",
    section: "6",
    subsection: None,
    title: "Ensure that container sprawl is avoided",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Low,
    rationale: "Stopped containers keep their writable layer, configuration and possibly secrets on disk, and they can be restarted later with outdated images and settings. Large numbers of them also make it hard to see what is supposed to run.",
    audit: "A person decides. dockaudit reports the running, paused and stopped container counts from the container list (`GET /containers/json?all=1`) and lists each stopped container.",
    remediation: "Remove containers that are no longer needed with `docker container prune` or `docker rm <container>`, and start short-lived ones with `docker run --rm`.",
    impact: "A removed container's writable layer and logs are lost; keep what may be needed for troubleshooting or forensics first.",
    notes: "",
};

/// This section's recommendations in benchmark order.
pub(super) static CHECKS: [&CheckMeta; 2] = [&IMAGE_SPRAWL, &CONTAINER_SPRAWL];
