//! `dockaudit harden` against the real daemon: the six workloads of `dockaudit_tests::workloads`
//! and the proposal each must get, in every output format, through `--host-root` and from a
//! saved snapshot; a scan report carries the same proposals and points its remediation at them.
//! Nothing is left behind.

use dockaudit_shared::hardening::{Hardening, Proposal};
use dockaudit_shared::report::Report;
use dockaudit_tests::docker::{docker_ok, require_daemon, Containers};
use dockaudit_tests::workloads::{leftovers, Kind, Workloads};
use dockaudit_tests::{dockaudit, TempDir};

fn harden(args: &[&str]) -> Hardening {
    let out = dockaudit(&[&["harden", "--format", "json"], args].concat());
    assert!(
        out.status.success(),
        "harden {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("harden --format json writes the proposals")
}

fn sorted(mut v: Vec<&str>) -> Vec<&str> {
    v.sort_unstable();
    v
}

/// What the issue asks of each workload's proposal.
fn check(kind: Kind, p: &Proposal) {
    let name = &p.container.name;
    assert!(p.capabilities.drop_all, "{name}");
    assert!(p.no_new_privileges.enabled, "{name}: {}", p.no_new_privileges.reason);
    assert!(p.removals.is_empty(), "{name}: {:?}", p.removals);
    assert!(
        p.memory.value.is_some() && p.pids_limit.value.is_some(),
        "{name}: limits"
    );
    // The image sets PATH; `-e PATH` would replace it with the caller's.
    assert!(
        !p.run.env_names.contains(&"PATH".to_string()),
        "{name}: {:?}",
        p.run.env_names
    );
    assert!(p.gaps.is_empty(), "{name}: every fact was gathered: {:?}", p.gaps);
    assert_eq!(p.capabilities.incomplete, None, "{name}");
    match kind {
        Kind::PidAndCache => {
            assert!(p.read_only.enabled, "{}", p.read_only.reason);
            assert_eq!(p.tmpfs_paths(), ["/run", "/tmp"]);
            assert!(p.volumes.is_empty());
            assert!(p.cap_add().is_empty(), "{:?}", p.capabilities.add);
            assert_eq!(p.user.user, None, "root service: {}", p.user.reason);
        }
        Kind::Chown => {
            assert_eq!(p.cap_add(), ["CHOWN"], "{:?}", p.capabilities.add);
            assert!(p.capabilities.add[0].reason.contains("/run/app"));
            assert_eq!(p.tmpfs_paths(), ["/run"]);
        }
        Kind::DropRoot => {
            assert_eq!(sorted(p.cap_add()), ["SETGID", "SETUID"], "{:?}", p.capabilities.add);
            assert_eq!(p.user.user, None, "the root parent must stay root: {}", p.user.reason);
            assert!(p.read_only.enabled);
        }
        Kind::Data => {
            assert_eq!(p.volume_paths(), ["/data"]);
            assert!(p.tmpfs.is_empty());
            assert!(p.read_only.enabled, "{}", p.read_only.reason);
            assert!(p.cap_add().is_empty());
        }
        Kind::Uid1000 => {
            assert!(p.cap_add().is_empty(), "{:?}", p.capabilities.add);
            assert!(p.capabilities.effective_now.is_empty());
            assert_eq!(p.user.user.as_deref(), Some("1000:1000"), "{}", p.user.reason);
        }
        Kind::Compose => {
            let compose = p.compose.as_ref().expect("Compose labels recognised");
            assert_eq!(
                (compose.project.as_str(), compose.service.as_str()),
                ("da-harden", "web")
            );
            // httpd binds port 80 as root; Docker ≥ 20.10 lets any process bind from port 0 in
            // the container's own network namespace, so NET_BIND_SERVICE is not needed.
            assert!(p.cap_add().is_empty(), "{:?}", p.capabilities.add);
            let nbs = p.capabilities.not_needed.iter().find(|c| c.name == "NET_BIND_SERVICE");
            assert!(
                nbs.is_some_and(|c| c.reason.contains("port 80") && c.reason.contains("from port 0")),
                "{:?}",
                p.capabilities.not_needed
            );
        }
        Kind::Healthy | Kind::NeedsNetwork => panic!("{kind:?} is not one of the issue's six workloads"),
    }
}

#[test]
fn each_workload_gets_the_least_privilege_it_needs() {
    let workloads = Workloads::start("cli", &Kind::ALL);
    let names: Vec<String> = Kind::ALL.iter().map(|k| workloads.name(*k)).collect();
    let args: Vec<&str> = names.iter().map(String::as_str).collect();

    let h = harden(&args);
    assert_eq!(h.proposals.len(), Kind::ALL.len());
    for (kind, name) in Kind::ALL.iter().zip(&names) {
        let p = h.for_container(name).unwrap_or_else(|| panic!("a proposal for {name}"));
        check(*kind, p);
    }

    // Through an explicit host root the facts, and so the proposals, are the same.
    let through_root = harden(&[&["--host-root", "/"], &args[..]].concat());
    for name in &names {
        let (a, b) = (
            h.for_container(name).unwrap(),
            through_root.for_container(name).unwrap(),
        );
        assert_eq!(
            (a.cap_add(), a.tmpfs_paths(), a.volume_paths()),
            (b.cap_add(), b.tmpfs_paths(), b.volume_paths())
        );
    }

    // The docker run lines: environment by name only, the proposed flags, one command each.
    let out = dockaudit(&[&["harden", "--format", "docker-run"], &args[..]].concat());
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("docker run -d").count(), names.len(), "{text}");
    assert!(text.contains("--cap-drop ALL --cap-add CHOWN"), "{text}");
    assert!(text.contains("--tmpfs /run --tmpfs /tmp"), "{text}");
    assert!(text.contains("--mount type=volume,target=/data"), "{text}");
    assert!(text.contains("--user 1000:1000"), "{text}");

    // The Compose override carries only the Compose-managed service, under its service name.
    let compose = workloads.name(Kind::Compose);
    let out = dockaudit(&["harden", "--format", "compose", &compose]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let yaml = String::from_utf8_lossy(&out.stdout);
    assert!(yaml.contains("services:\n  \"web\":\n    read_only: true\n"), "{yaml}");
    assert!(yaml.contains("cap_drop:\n      - ALL\n"), "{yaml}");
    let out = dockaudit(&["harden", "--format", "compose", &workloads.name(Kind::Chown)]);
    assert_eq!(out.status.code(), Some(2), "no Compose service among them");

    // The text output names each flag with its reason.
    let out = dockaudit(&["harden", &workloads.name(Kind::Chown)]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("--cap-add CHOWN") && text.contains("which no process runs as"),
        "{text}"
    );

    // Gathered once and saved, the facts give the same proposals offline.
    let dir = TempDir::new("harden-facts");
    let facts = dir.join("facts.json");
    let out = dockaudit(&[
        "scan",
        "--facts-out",
        &facts.to_string_lossy(),
        "--include-container",
        &format!("^{}", workloads.prefix),
        "--check",
        "5",
        "--format",
        "json",
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Report = serde_json::from_slice(&out.stdout).expect("a report");
    let carried = report.hardening.as_ref().expect("the report carries proposals");
    assert_eq!(carried.proposals.len(), names.len(), "only the selected containers");
    for (kind, name) in Kind::ALL.iter().zip(&names) {
        check(*kind, carried.for_container(name).expect("in the report"));
    }
    // The read-only finding of a container points at its proposal, with the concrete flags.
    let ro = report.result("5.13").expect("5.13");
    let finding = ro
        .findings
        .iter()
        .find(|f| f.target.name == workloads.name(Kind::PidAndCache))
        .expect("5.13 names the pid/cache workload");
    assert!(
        finding.remediation.contains("--read-only --tmpfs /run --tmpfs /tmp")
            && finding.remediation.contains("least-privilege proposal"),
        "{}",
        finding.remediation
    );
    // Proposals are a pure function of the facts: the saved snapshot gives the report's own.
    let replayed = harden(&[&["--facts-in", &facts.to_string_lossy()], &args[..]].concat());
    for name in &names {
        assert_eq!(replayed.for_container(name), carried.for_container(name), "{name}");
    }

    let prefix = workloads.prefix.clone();
    drop(workloads);
    assert!(
        leftovers(&prefix).is_empty(),
        "containers left behind: {:?}",
        leftovers(&prefix)
    );
}

#[test]
fn containers_that_cannot_be_observed_are_refused_with_the_reason() {
    require_daemon();
    let image =
        dockaudit_tests::workloads::workload_image(&format!("da-harden-refuse-{}:latest", std::process::id()), &[]);
    let mut containers = Containers::default();
    let stopped = format!("da-harden-refuse-{}-stopped", std::process::id());
    containers.create(&stopped, &[], &image.tag, &["true"]);
    let out = dockaudit(&["harden", &stopped]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not running"), "{err}");

    let out = dockaudit(&["harden", "da-harden-no-such-container-\u{1b}[31m"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no container is named"), "{err}");
    assert!(!err.contains('\u{1b}'), "the name is printed escaped: {err:?}");

    let id = docker_ok(&["inspect", "-f", "{{.Id}}", &stopped]);
    assert!(id.len() == 64);
    drop(containers);
    drop(image);
    assert!(leftovers(&stopped).is_empty());
}
