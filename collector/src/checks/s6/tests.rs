//! Unit tests of this section's checks: pass and fail cases from hand-built facts.

use super::super::testing::{container, eval, host_with, target_names, unavailable_facts};
use super::sprawl::*;
use crate::snapshot::*;
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
    let o = image_sprawl(&ctx);
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
