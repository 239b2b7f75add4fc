//! Unit tests of this section's checks: pass and fail cases from hand-built facts.

use super::super::testing::{container, eval, host_with, target_names, unavailable_facts};
use super::*;
use crate::snapshot::*;
use crate::snapshot::{Fact, Facts, SelfContainer};
use dockaudit_shared::report::Status;
use dockaudit_shared::report::TargetKind;

fn image(tag: &str, id: &str) -> Image {
    Image {
        id: id.into(),
        repo_tags: vec![tag.into()],
        healthcheck: Some(vec!["CMD-SHELL".into(), "true".into()]),
        history: Fact::Ok(vec![]),
        ..Image::default()
    }
}

fn step(created_by: &str) -> HistoryStep {
    HistoryStep {
        created_by: created_by.into(),
        ..HistoryStep::default()
    }
}

fn with_images(images: Vec<Image>) -> Facts {
    let mut f = host_with(vec![]);
    f.images = Fact::Ok(images);
    f
}

fn with_history(history: &[&str]) -> Facts {
    let mut i = image("app:1", "sha256:aaaa");
    i.history = Fact::Ok(history.iter().map(|s| step(s)).collect());
    with_images(vec![i])
}

#[test]
fn root_users_are_recognised() {
    for user in ["", "0", "root", "0:0", "root:root", "0:1000", " 00 ", "root:wheel"] {
        assert!(is_root_user(user), "{user:?}");
    }
    for user in ["1000", "app", "1000:0", "nobody:nogroup", "65534"] {
        assert!(!is_root_user(user), "{user:?}");
    }
}

#[test]
fn check_4_1_flags_every_root_form_including_stopped_containers() {
    let mut cs = Vec::new();
    for (name, user) in [
        ("a", Some("0:0")),
        ("b", Some("root:root")),
        ("c", Some("0:1000")),
        ("d", None),
    ] {
        let mut c = container(name);
        c.user = user.map(String::from);
        cs.push(c);
    }
    let mut ok = container("nil-app");
    ok.user = Some("1000:1000".into());
    ok.state.running = true;
    cs.push(ok);
    let o = eval("4.1", &host_with(cs));
    assert_eq!(o.status, Status::Fail, "{}", o.summary);
    assert_eq!(target_names(&o), ["a", "b", "c", "d"]);
    assert!(o.summary.starts_with("4 of 5"), "{}", o.summary);
}

#[test]
fn check_4_1_consults_the_image_user_when_the_container_has_none() {
    let mut c = container("web");
    c.user = Some(String::new());
    let mut f = host_with(vec![c]);
    let mut i = image("busybox:latest", "sha256:1111");
    i.user = Some("app".into());
    f.images = Fact::Ok(vec![i]);
    assert_eq!(eval("4.1", &f).status, Status::Pass);
    let mut nil = container("nil");
    nil.user = Some("1000".into());
    assert_eq!(eval("4.1", &host_with(vec![nil])).status, Status::Pass);
}

#[test]
fn container_checks_need_containers() {
    assert_eq!(eval("4.1", &host_with(vec![])).status, Status::NotApplicable);
    assert_eq!(eval("4.1", &unavailable_facts()).status, Status::Error);
    assert_eq!(eval("4.2", &unavailable_facts()).status, Status::Error);
}

#[test]
fn check_4_6_judges_every_image_and_rejects_healthcheck_none() {
    let mut none = image("none:1", "sha256:bbbb");
    none.healthcheck = Some(vec!["NONE".into()]);
    let mut missing = image("missing:1", "sha256:cccc");
    missing.healthcheck = None;
    let o = eval("4.6", &with_images(vec![image("ok:1", "sha256:aaaa"), none, missing]));
    assert_eq!(o.status, Status::Fail);
    assert_eq!(target_names(&o), ["none:1", "missing:1"]);
    assert_eq!(o.findings[0].target.kind, TargetKind::Image);
    assert_eq!(
        eval("4.6", &with_images(vec![image("ok:1", "sha256:aaaa")])).status,
        Status::Pass
    );
    assert_eq!(eval("4.6", &with_images(vec![])).status, Status::NotApplicable);
    assert_eq!(eval("4.6", &unavailable_facts()).status, Status::Error);
}

#[test]
fn image_used_only_by_dockaudit_is_not_judged() {
    let mut me = container("dockaudit");
    me.image_id = "sha256:self".into();
    let mut f = host_with(vec![me.clone()]);
    f.collection.self_container = Some(SelfContainer {
        id: me.id.clone(),
        ..SelfContainer::default()
    });
    let mut own = image("dockaudit:latest", "sha256:self");
    own.healthcheck = None;
    f.images = Fact::Ok(vec![own, image("ok:1", "sha256:aaaa")]);
    let o = eval("4.6", &f);
    assert_eq!(o.status, Status::Pass, "{}", o.summary);
    assert!(o.summary.contains("of the 1 images"), "{}", o.summary);
}

#[test]
fn check_4_7_cases() {
    let cases: &[(&[&str], Status)] = &[
        (&["/bin/sh -c apt-get update"], Status::Fail),
        (&["RUN /bin/sh -c apk update # buildkit"], Status::Fail),
        (
            &["/bin/sh -c apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"],
            Status::Pass,
        ),
        (&["/bin/sh -c update-ca-certificates"], Status::Pass),
        (&["/bin/sh -c yum -y update && yum clean all"], Status::Pass),
        (&["/bin/sh -c #(nop)  CMD [\"apt-get\", \"update\"]"], Status::Pass),
    ];
    for (history, want) in cases {
        let o = eval("4.7", &with_history(history));
        assert_eq!(o.status, *want, "{history:?}: {}", o.summary);
    }
}

#[test]
fn check_4_7_long_step_is_read_in_full() {
    let long = format!("/bin/sh -c {} && apt-get update", "echo x ".repeat(40));
    assert_eq!(eval("4.7", &with_history(&[&long])).status, Status::Fail);
}

#[test]
fn history_unavailable_is_an_error_unless_another_image_fails() {
    let mut broken = image("broken:1", "sha256:bbbb");
    broken.history = Fact::unavailable("GET /images/sha256:bbbb/history", "timeout");
    let o = eval("4.9", &with_images(vec![image("ok:1", "sha256:aaaa"), broken.clone()]));
    assert_eq!(o.status, Status::Error, "{}", o.summary);
    assert!(o.summary.contains("broken:1"), "{}", o.summary);
    let mut bad = image("bad:1", "sha256:cccc");
    bad.history = Fact::Ok(vec![step("COPY . / # buildkit"), step("ADD app.tgz /srv # buildkit")]);
    let o = eval("4.9", &with_images(vec![bad, broken]));
    assert_eq!(o.status, Status::Fail);
    assert!(o.summary.contains("could not be read"), "{}", o.summary);
}

#[test]
fn check_4_9_exempts_only_the_base_rootfs() {
    let base = "/bin/sh -c #(nop) ADD file:0a1b2c in / ";
    let cmd = "/bin/sh -c #(nop)  CMD [\"bash\"]";
    let ok = with_history(&[cmd, base]);
    assert_eq!(eval("4.9", &ok).status, Status::Pass);
    let alpine = with_history(&[
        "CMD [\"/bin/sh\"] # buildkit",
        "ADD alpine-minirootfs.tar.gz / # buildkit",
    ]);
    assert_eq!(eval("4.9", &alpine).status, Status::Pass);
    let two = with_history(&["/bin/sh -c #(nop) ADD file:ffff in /etc/x ", cmd, base]);
    let o = eval("4.9", &two);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.findings.len(), 1);
    let address = with_history(&["/bin/sh -c echo ADDRESS=1 > /etc/env", base]);
    assert_eq!(eval("4.9", &address).status, Status::Pass);
    // An ADD to / that is not the oldest layer is not the base rootfs.
    let late = with_history(&["ADD extra.tar / # buildkit", base]);
    assert_eq!(eval("4.9", &late).status, Status::Fail);
}

#[test]
fn review_checks_report_without_deciding() {
    let mut i = image("app:1", "sha256:aaaa");
    i.env_names = vec!["PATH".into(), "DB_PASSWORD".into()];
    i.history = Fact::Ok(vec![
        step("|1 API_TOKEN=abc /bin/sh -c apt-get install -y --allow-unauthenticated x"),
        step("/bin/sh -c #(nop) ADD file:1 in / "),
    ]);
    let mut c = container("web");
    c.image_id = "sha256:aaaa".into();
    c.image = "app:1".into();
    let mut f = host_with(vec![c]);
    f.images = Fact::Ok(vec![i]);
    for id in ["4.2", "4.3", "4.4", "4.5", "4.8", "4.10", "4.11", "4.12"] {
        let o = eval(id, &f);
        assert_eq!(o.status, Status::Manual, "{id}: {}", o.summary);
        for finding in &o.findings {
            let text = format!("{} {} {}", finding.message, finding.observed, finding.remediation);
            assert!(!text.contains("abc"), "{id} leaks a value: {text}");
        }
    }
    let o = eval("4.10", &f);
    assert_eq!(o.findings.len(), 2);
    assert!(o.findings[0].observed.contains("DB_PASSWORD"));
    assert!(o.findings[1].observed.contains("API_TOKEN"));
    let o = eval("4.2", &f);
    assert_eq!(o.findings.len(), 1);
    assert!(o.findings[0].message.contains("\"web\""));
    assert!(eval("4.11", &f).findings[0].message.contains("--allow-unauthenticated"));
    assert_eq!(
        eval("4.3", &f).findings[0].message,
        "2 history steps, 1 package installs"
    );
}

#[test]
fn check_4_2_names_an_imported_base_layer() {
    let mut i = image("app:1", "sha256:1111");
    i.history = Fact::Ok(vec![HistoryStep {
        comment: "Imported from -".into(),
        ..HistoryStep::default()
    }]);
    let mut f = host_with(vec![container("web")]);
    f.images = Fact::Ok(vec![i]);
    let o = eval("4.2", &f);
    assert!(
        o.findings[0]
            .observed
            .ends_with("oldest layer: no build command (Imported from -)"),
        "{}",
        o.findings[0].observed
    );
    assert_eq!(
        eval("4.2", &host_with(vec![])).status,
        Status::Manual,
        "no containers still needs a reviewer"
    );
}

#[test]
fn check_4_5_reports_the_scanning_environment() {
    let mut f = host_with(vec![]);
    assert!(eval("4.5", &f).findings[0].observed.contains("not set"));
    f.collection.content_trust = Some("1".into());
    let o = eval("4.5", &f);
    assert_eq!(o.status, Status::Manual);
    assert_eq!(o.findings[0].observed, "DOCKER_CONTENT_TRUST=1");
}

#[test]
fn image_review_checks_need_the_image_list() {
    for id in ["4.3", "4.4", "4.8", "4.10", "4.11"] {
        assert_eq!(eval(id, &unavailable_facts()).status, Status::Error, "{id}");
        assert_eq!(eval(id, &with_images(vec![])).status, Status::NotApplicable, "{id}");
    }
}
