//! Section 6: security operations (image and container sprawl).
//!
//! Both recommendations ask a person to judge what is still needed, so both checks are reviews.
//! Sprawl is a property of the whole host, so they look at every container, not only the ones the
//! user selected.

use std::collections::BTreeSet;

use super::context::{container_target, image_target};
use super::outcome::finding;
use super::{Ctx, Outcome};
use crate::snapshot::Image;

pub(super) const EVALUATORS: &[(&str, super::Eval)] = &[("6.1", check_6_1), ("6.2", check_6_2)];

/// `1.5 GB`, `230 MB`, `12 kB` (decimal units, as `docker images` prints).
fn human_size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    match b {
        b if b >= 1e9 => format!("{:.1} GB", b / 1e9),
        b if b >= 1e6 => format!("{:.0} MB", b / 1e6),
        b if b >= 1e3 => format!("{:.0} kB", b / 1e3),
        b => format!("{b} B"),
    }
}

/// A name `docker image rm` accepts: the first tag, else the id.
fn image_ref(image: &Image) -> String {
    image
        .repo_tags
        .iter()
        .find(|t| t.as_str() != "<none>:<none>")
        .cloned()
        .unwrap_or_else(|| image.id.clone())
}

/// 6.1 (review): the number of local images and one finding per image that no container, running or
/// stopped, was created from (image ids compared with every container's `ImageID`, whatever the
/// selection). docker-bench-security re-lists all images once per container.
fn check_6_1(ctx: &Ctx) -> Outcome {
    let images = match ctx.images() {
        Ok(i) => i,
        Err(o) => return o,
    };
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

/// 6.2 (review): how many containers are running, paused and stopped, with one finding per
/// container that is not running, for a person to decide whether it is still needed. Every
/// container on the host counts except dockaudit's own.
fn check_6_2(ctx: &Ctx) -> Outcome {
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

#[cfg(test)]
mod tests {
    use super::super::testing::{container, eval, host_with, target_names, unavailable_facts};
    use super::*;
    use crate::snapshot::{Fact, SelfContainer};
    use dockaudit_shared::report::Status;

    fn image(tag: &str, id: &str) -> Image {
        Image {
            id: id.into(),
            repo_tags: vec![tag.into()],
            size: Some(5_000_000),
            ..Image::default()
        }
    }

    #[test]
    fn check_6_1_lists_images_no_container_uses() {
        let mut stopped = container("stopped");
        stopped.image_id = "sha256:used-by-stopped".into();
        let mut f = host_with(vec![container("web"), stopped]);
        f.images = Fact::Ok(vec![
            image("busybox:latest", "sha256:1111"),
            image("old:1", "sha256:used-by-stopped"),
            image("unused:2", "sha256:2222"),
            image("<none>:<none>", "sha256:3333"),
        ]);
        let o = eval("6.1", &f);
        assert_eq!(o.status, Status::Manual);
        assert_eq!(target_names(&o), ["unused:2", "3333"]);
        assert!(
            o.summary.starts_with("4 local images, 2 used by containers, 2 unused"),
            "{}",
            o.summary
        );
        assert!(o.findings[1].observed.contains("untagged"));
        assert_eq!(o.findings[0].observed, "5 MB");
    }

    #[test]
    fn check_6_1_ignores_the_container_selection() {
        // A container filtered out of the selection still uses its image.
        let mut f = host_with(vec![container("excluded")]);
        f.images = Fact::Ok(vec![image("busybox:latest", "sha256:1111")]);
        let selection = dockaudit_shared::report::Selection {
            exclude_containers: vec!["excluded".into()],
            ..Default::default()
        };
        let scope = crate::interpret::ContainerFilter::new(&selection).unwrap();
        let ctx = super::super::Ctx::new(&f, super::super::EvalOptions::default(), &scope);
        let o = check_6_1(&ctx);
        assert!(o.findings.is_empty(), "{o:?}");
    }

    #[test]
    fn check_6_1_needs_images_and_containers() {
        assert_eq!(eval("6.1", &unavailable_facts()).status, Status::Error);
        let mut f = host_with(vec![]);
        f.containers = Fact::unavailable("GET /containers/json", "down");
        f.images = Fact::Ok(vec![image("a:1", "sha256:1")]);
        assert_eq!(eval("6.1", &f).status, Status::Error);
        assert_eq!(eval("6.1", &host_with(vec![])).status, Status::NotApplicable);
    }

    #[test]
    fn check_6_2_counts_and_lists_stopped_containers() {
        let mut up = container("up");
        up.state.running = true;
        up.state.status = "running".into();
        let mut paused = container("paused");
        paused.state.running = true;
        paused.state.status = "paused".into();
        let mut me = container("dockaudit");
        me.state.running = true;
        let mut f = host_with(vec![up, paused, container("old"), me.clone()]);
        f.collection.self_container = Some(SelfContainer {
            id: me.id,
            ..SelfContainer::default()
        });
        let o = eval("6.2", &f);
        assert_eq!(o.status, Status::Manual);
        assert_eq!(
            o.summary,
            "3 containers: 1 running, 1 paused, 1 stopped; confirm the stopped ones are still needed."
        );
        assert_eq!(target_names(&o), ["old"]);
        assert_eq!(eval("6.2", &unavailable_facts()).status, Status::Error);
        assert_eq!(eval("6.2", &host_with(vec![])).status, Status::NotApplicable);
    }

    #[test]
    fn sizes_are_readable() {
        assert_eq!(human_size(1_500_000_000), "1.5 GB");
        assert_eq!(human_size(12_345), "12 kB");
        assert_eq!(human_size(-1), "0 B");
    }
}
