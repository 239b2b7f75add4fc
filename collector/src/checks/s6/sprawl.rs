//! Section 6: sprawl.

use std::collections::BTreeSet;

use crate::checks::context::{container_target, image_target};
use crate::checks::file_checks::or_return;
use crate::checks::outcome::finding;
use crate::checks::{Ctx, Outcome};
use crate::snapshot::Image;

/// `1.5 GB`, `230 MB`, `12 kB` (decimal units, as `docker images` prints).
pub(super) fn human_size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    match b {
        b if b >= 1e9 => format!("{:.1} GB", b / 1e9),
        b if b >= 1e6 => format!("{:.0} MB", b / 1e6),
        b if b >= 1e3 => format!("{:.0} kB", b / 1e3),
        b => format!("{b} B"),
    }
}

/// A name `docker image rm` accepts: the first tag, else the id.
pub(super) fn image_ref(image: &Image) -> String {
    image
        .repo_tags
        .iter()
        .find(|t| t.as_str() != "<none>:<none>")
        .cloned()
        .unwrap_or_else(|| image.id.clone())
}

/// Evaluates [`cat::IMAGE_SPRAWL`] (6.1); the catalogue entry describes the audit.
pub(super) fn image_sprawl(ctx: &Ctx) -> Outcome {
    let images = or_return!(ctx.images());
    let all = match ctx.facts.containers.get() {
        Ok(c) => c,
        Err(u) => return Outcome::unavailable("the container list", u),
    };
    if images.is_empty() {
        return Outcome::not_applicable("There are no local images on this host.");
    }
    let used: BTreeSet<&str> = all.iter().map(|c| c.image_id.as_str()).collect();
    let findings: Vec<_> = images
        .iter()
        .filter(|i| !used.contains(i.id.as_str()))
        .map(|image| {
            let mut observed = Vec::new();
            if image.repo_tags.iter().all(|t| t == "<none>:<none>") {
                observed.push("untagged".to_string());
            }
            if let Some(created) = &image.created {
                observed.push(format!("created {created}"));
            }
            if let Some(size) = image.size {
                observed.push(human_size(size));
            }
            finding(
                image_target(image),
                format!("No container uses {}", image.display_name()),
                if observed.is_empty() {
                    "not used by any container".to_string()
                } else {
                    observed.join(", ")
                },
                "only images that are in use or still needed",
                format!("If it is not needed, remove it: `docker image rm {}`", image_ref(image)),
            )
        })
        .collect();
    Outcome::manual(
        format!(
            "{} local images, {} used by containers, {} unused; remove the images that are no longer needed \
             (`docker image prune -a` removes every unused one).",
            images.len(),
            images.len() - findings.len(),
            findings.len()
        ),
        findings,
    )
}

/// Evaluates [`cat::CONTAINER_SPRAWL`] (6.2); the catalogue entry describes the audit.
pub(super) fn container_sprawl(ctx: &Ctx) -> Outcome {
    let all = match ctx.facts.containers.get() {
        Ok(c) => c,
        Err(u) => return Outcome::unavailable("the container list", u),
    };
    let self_id = ctx.facts.collection.self_container.as_ref().map(|s| s.id.as_str());
    let containers: Vec<_> = all.iter().filter(|c| Some(c.id.as_str()) != self_id).collect();
    if containers.is_empty() {
        return Outcome::not_applicable("There are no containers on this host.");
    }
    let paused = containers.iter().filter(|c| c.state.status == "paused").count();
    let running = containers
        .iter()
        .filter(|c| c.is_running() && c.state.status != "paused")
        .count();
    let findings: Vec<_> = containers
        .iter()
        .filter(|c| !c.is_running())
        .map(|c| {
            let status = if c.state.status.is_empty() {
                "stopped"
            } else {
                c.state.status.as_str()
            };
            finding(
                container_target(c),
                format!("\"{}\" is not running", c.name),
                format!("State.Status = {status}; image {}", c.image),
                "only containers that are still needed",
                format!("If it is no longer needed, remove it: `docker rm {}`", c.name),
            )
        })
        .collect();
    Outcome::manual(
        format!(
            "{} containers: {running} running, {paused} paused, {} stopped; confirm the stopped ones are still needed.",
            containers.len(),
            findings.len()
        ),
        findings,
    )
}
