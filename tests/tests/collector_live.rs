//! The built `dockaudit` binary against a real dockerd with containers that exercise the runtime
//! checks. Each check's status and the exact set of containers it names are asserted.

use std::collections::BTreeSet;

use dockaudit_shared::report::{Report, Status};
use dockaudit_tests::docker::{Containers, TestImage};
use dockaudit_tests::{dockaudit, TempDir};

fn offenders(report: &Report, id: &str) -> BTreeSet<String> {
    let r = report.result(id).unwrap_or_else(|| panic!("{id} missing"));
    r.findings
        .iter()
        .filter(|f| f.target.kind.as_str() == "container")
        .map(|f| f.target.name.clone())
        .collect()
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn status(report: &Report, id: &str) -> Status {
    report.result(id).unwrap_or_else(|| panic!("{id} missing")).status
}

fn scan(args: &[&str]) -> (Report, String, i32) {
    let out = dockaudit(args);
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(code == 0 || code == 1, "scan exited {code}: {stderr}");
    let report: Report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("report is not valid: {e}\n{stderr}"));
    (report, stderr, code)
}

#[test]
fn runtime_checks_name_exactly_the_right_containers() {
    let image = TestImage::import("dockaudit-test/busybox:runtime");
    let img = image.tag.as_str();
    let mut c = Containers::default();
    let scratch = TempDir::new("mounts");
    let shared_src = scratch.join("shared");
    std::fs::create_dir_all(&shared_src).unwrap();
    let shared_mount = format!(
        "type=bind,source={},target=/data,bind-propagation=rshared",
        shared_src.display()
    );

    c.create(
        "da-hostns",
        &[
            "--network",
            "host",
            "--pid",
            "host",
            "--ipc",
            "host",
            "--uts",
            "host",
            "--userns",
            "host",
        ],
        img,
        &["sleep", "600"],
    );
    c.create(
        "da-caps",
        &["--cap-add", "SYS_ADMIN", "--cap-add", "NET_BIND_SERVICE"],
        img,
        &["true"],
    );
    c.create("da-capall", &["--cap-add", "ALL"], img, &["true"]);
    c.create(
        "da-sock",
        &["-v", "/var/run/docker.sock:/var/run/docker.sock"],
        img,
        &["true"],
    );
    c.create("da-runmount", &["-v", "/run:/hostrun:ro"], img, &["true"]);
    c.create("da-etc", &["-v", "/etc:/srv/config:ro"], img, &["true"]);
    c.create("da-port80", &["-p", "80:8080"], img, &["true"]);
    c.create("da-port1024", &["-p", "127.0.0.1:1024:8080"], img, &["true"]);
    c.create("da-port6", &["-p", "[::]:8081:8080"], img, &["true"]);
    c.create("da-seccomp", &["--security-opt", "seccomp=unconfined"], img, &["true"]);
    c.create("da-restart-always", &["--restart", "always"], img, &["true"]);
    c.create("da-restart-unless", &["--restart", "unless-stopped"], img, &["true"]);
    c.create("da-restart-onfail", &["--restart", "on-failure:5"], img, &["true"]);
    c.create("da-cgroup", &["--cgroup-parent", "/dockaudit-test"], img, &["true"]);
    c.create("da-device", &["--device", "/dev/null:/dev/xnull"], img, &["true"]);
    c.create("da-propagation", &["--mount", &shared_mount], img, &["true"]);
    c.create(
        "da-nnp-false",
        &["--security-opt", "no-new-privileges:false"],
        img,
        &["true"],
    );
    c.create("da-nil-root", &["--user", "0:0"], img, &["true"]);
    c.create("da-rootname", &["--user", "root:root"], img, &["true"]);
    c.create("da-privileged", &["--privileged"], img, &["true"]);
    c.run(
        "da-hardened",
        &[
            "--user",
            "1000:1000",
            "--read-only",
            "--memory",
            "64m",
            "--cpu-shares",
            "512",
            "--pids-limit",
            "64",
            "--security-opt",
            "no-new-privileges",
            "--cap-drop",
            "ALL",
            "--restart",
            "on-failure:3",
            "--health-cmd",
            "true",
            "--health-interval",
            "30s",
            "--network",
            "none",
        ],
        img,
        &["sleep", "600"],
    );
    c.run("da-running", &["-p", "127.0.0.1:8090:8080"], img, &["sleep", "600"]);

    let (report, _, code) = scan(&[
        "scan",
        "--format",
        "json",
        "--include-container",
        "^da-",
        "--no-progress",
    ]);
    assert_eq!(code, 1, "findings exist, so the exit code is 1");
    assert_eq!(report.results.len(), 117);
    let all: BTreeSet<String> = [
        "da-hostns",
        "da-caps",
        "da-capall",
        "da-sock",
        "da-runmount",
        "da-etc",
        "da-port80",
        "da-port1024",
        "da-port6",
        "da-seccomp",
        "da-restart-always",
        "da-restart-unless",
        "da-restart-onfail",
        "da-cgroup",
        "da-device",
        "da-propagation",
        "da-nnp-false",
        "da-nil-root",
        "da-rootname",
        "da-privileged",
        "da-hardened",
        "da-running",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let all_but =
        |keep: &[&str]| -> BTreeSet<String> { all.iter().filter(|n| !keep.contains(&n.as_str())).cloned().collect() };

    let expect = [
        ("5.4", names(&["da-caps", "da-capall", "da-privileged"])),
        ("5.5", names(&["da-privileged"])),
        ("5.6", names(&["da-etc"])),
        ("5.8", names(&["da-port80"])),
        ("5.10", names(&["da-hostns"])),
        ("5.11", all_but(&["da-hardened"])),
        ("5.13", all_but(&["da-hardened"])),
        ("5.14", names(&["da-port80", "da-port6"])),
        ("5.15", names(&["da-restart-always", "da-restart-unless"])),
        ("5.16", names(&["da-hostns"])),
        ("5.17", names(&["da-hostns"])),
        ("5.20", names(&["da-propagation"])),
        ("5.21", names(&["da-hostns"])),
        ("5.22", names(&["da-seccomp", "da-privileged"])),
        ("5.26", all_but(&["da-hardened"])),
        ("5.27", all_but(&["da-hardened"])),
        ("5.29", all_but(&["da-hardened"])),
        ("5.31", names(&["da-hostns"])),
        ("5.32", names(&["da-sock", "da-runmount"])),
        ("4.1", all_but(&["da-hardened"])),
    ];
    for (id, want) in &expect {
        assert_eq!(
            status(&report, id),
            Status::Fail,
            "{id}: {}",
            report.result(id).unwrap().summary
        );
        assert_eq!(&offenders(&report, id), want, "{id} names the wrong containers");
    }
    // 5.12 (CPU shares) and 5.30 (default bridge) must spare the hardened container.
    for id in ["5.12", "5.30"] {
        assert!(
            !offenders(&report, id).contains("da-hardened"),
            "{id} flags the hardened container"
        );
    }
    assert_eq!(status(&report, "5.25"), Status::Warn);
    assert_eq!(offenders(&report, "5.25"), names(&["da-cgroup"]));
    // Review checks carry the facts a reviewer needs.
    assert_eq!(status(&report, "5.9"), Status::Manual);
    assert!(offenders(&report, "5.9").is_superset(&names(&["da-port80", "da-running"])));
    assert_eq!(status(&report, "5.18"), Status::Manual);
    assert!(offenders(&report, "5.18").contains("da-device"));
    // 5.7 lists running containers' processes from the host side; busybox runs no sshd.
    assert_eq!(
        status(&report, "5.7"),
        Status::Pass,
        "{}",
        report.result("5.7").unwrap().summary
    );
    // Image checks: the imported test image has no HEALTHCHECK (4.6) and no ADD or lone update step.
    let image_offenders = |id: &str| -> BTreeSet<String> {
        report
            .result(id)
            .unwrap()
            .findings
            .iter()
            .filter(|f| f.target.kind.as_str() == "image")
            .map(|f| f.target.name.clone())
            .collect()
    };
    assert_eq!(status(&report, "4.6"), Status::Fail);
    assert!(image_offenders("4.6").contains(img), "{:?}", image_offenders("4.6"));
    assert!(!image_offenders("4.7").contains(img));
    assert!(!image_offenders("4.9").contains(img));
    // Swarm is inactive here: every swarm check is not applicable.
    for id in ["7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "7.7", "7.8", "7.9"] {
        assert_eq!(status(&report, id), Status::NotApplicable, "{id}");
    }

    // The same snapshot evaluated offline gives the same results.
    let dir = TempDir::new("facts");
    let facts = dir.join("facts.json");
    let facts_s = facts.to_string_lossy().to_string();
    let (live, _, _) = scan(&[
        "scan",
        "--format",
        "json",
        "--include-container",
        "^da-",
        "--no-progress",
        "--facts-out",
        &facts_s,
    ]);
    let (replayed, _, _) = scan(&[
        "scan",
        "--format",
        "json",
        "--include-container",
        "^da-",
        "--facts-in",
        &facts_s,
    ]);
    let strip = |r: &Report| {
        r.results
            .iter()
            .map(|x| (x.id.clone(), x.status, x.findings.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&live), strip(&replayed));
    let snapshot = std::fs::read_to_string(&facts).unwrap();
    assert!(!snapshot.contains("PATH=/"), "environment values must never be stored");
}

#[test]
fn selection_flags_mark_unselected_checks_skipped() {
    let (report, _, _) = scan(&[
        "scan",
        "--format",
        "json",
        "--check",
        "2.1,5",
        "--skip",
        "5.1",
        "--no-progress",
    ]);
    for r in &report.results {
        let selected = r.id == "2.1" || (r.id.starts_with("5.") && r.id != "5.1");
        assert_eq!(r.status == Status::Skipped, !selected, "{} is {}", r.id, r.status);
    }
    assert_eq!(report.run.selection.checks, vec!["2.1".to_string(), "5".to_string()]);
}

#[test]
fn unreachable_daemon_exits_2_with_one_clear_line() {
    let out = dockaudit(&["scan", "-H", "unix:///nonexistent/docker.sock"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("/nonexistent/docker.sock"), "{stderr}");
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        vec!["scan", "--check", "9.9"],
        vec!["scan", "--include-container", "(unclosed"],
        vec!["scan", "--level", "3"],
        vec!["explain", "5.40"],
        vec!["scan", "--facts-in", "/nonexistent.json"],
    ] {
        let out = dockaudit(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
}

#[test]
fn odd_names_and_huge_labels_are_audited_and_escaped() {
    let image = TestImage::import("dockaudit-test/busybox:odd");
    let mut c = Containers::default();
    let huge = format!("x={}", "<script>alert(1)</script>\u{1b}[31m".repeat(2000));
    c.create(
        "odd.name_with-nil",
        &["--label", &huge, "--label", "multi=line\nvalue"],
        &image.tag,
        &["true"],
    );
    let out = dockaudit(&["scan", "--include-container", "^odd\\.", "--no-progress"]);
    assert!(matches!(out.status.code(), Some(0 | 1)));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("odd.name_with-nil"), "the container is audited");
    assert!(
        !text.contains('\u{1b}'),
        "no raw escape sequences in text output (NO_COLOR set)"
    );
}

#[test]
fn invalid_daemon_json_under_host_root_is_an_error_result_not_a_crash() {
    let root = TempDir::new("hostroot");
    std::fs::create_dir_all(root.join("etc/docker")).unwrap();
    std::fs::write(root.join("etc/docker/daemon.json"), "{ \"icc\": false, ").unwrap();
    let root_s = root.path().to_string_lossy().to_string();
    let (report, _, _) = scan(&[
        "scan",
        "--format",
        "json",
        "--host-root",
        &root_s,
        "--check",
        "2,3.17",
        "--no-progress",
    ]);
    let r = report.result("2.14").unwrap();
    assert_eq!(r.status, Status::Error, "{}", r.summary);
    assert!(
        report.errors.iter().any(|e| e.reason.contains("JSON")),
        "{:?}",
        report.errors
    );
}

#[test]
fn container_removed_during_the_scan_does_not_break_it() {
    let image = TestImage::import("dockaudit-test/busybox:churn");
    let mut c = Containers::default();
    let names: Vec<String> = (0..30).map(|i| format!("churn-{i}")).collect();
    for n in &names {
        c.create(n, &[], &image.tag, &["true"]);
    }
    let remover = std::thread::spawn({
        let names = names.clone();
        move || {
            for n in &names {
                let _ = dockaudit_tests::docker::docker(&["rm", "-f", n]);
            }
        }
    });
    for _ in 0..3 {
        let (report, _, _) = scan(&[
            "scan",
            "--format",
            "json",
            "--include-container",
            "^churn-",
            "--no-progress",
        ]);
        assert_eq!(report.results.len(), 117);
    }
    remover.join().unwrap();
    for n in &names {
        c.forget(n);
    }
}

#[test]
fn socket_without_permission_exits_2_and_says_what_to_do() {
    // Only root can switch to an unprivileged user; CI runs as root.
    if !std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"))
    {
        eprintln!("not root: cannot test an unprivileged user");
        return;
    }
    let bin = dockaudit_tests::dockaudit_bin();
    let dir = TempDir::new("nobody");
    let copy = dir.join("dockaudit");
    std::fs::copy(&bin, &copy).unwrap();
    let _ = std::process::Command::new("chmod")
        .args(["-R", "a+rX", &dir.path().to_string_lossy()])
        .status();
    let out = std::process::Command::new("runuser")
        .args([
            "-u",
            "nobody",
            "--",
            &copy.to_string_lossy(),
            "scan",
            "-H",
            "unix:///var/run/docker.sock",
        ])
        .current_dir("/")
        .output()
        .expect("runuser runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("permission denied"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn dockaudit_in_a_container_leaves_itself_out() {
    // The glibc-linked binary runs in the busybox image with the host's C library mounted read-only.
    let image = TestImage::import("dockaudit-test/busybox:self");
    let mut c = Containers::default();
    let bin = dockaudit_tests::dockaudit_bin();
    c.create("selfscan-victim", &["--privileged"], &image.tag, &["true"]);
    let bin_mount = format!("{}:/dockaudit:ro", bin.display());
    c.create(
        "selfscan-auditor",
        &[
            "-v",
            &bin_mount,
            "-v",
            "/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:ro",
            "-v",
            "/lib64:/lib64:ro",
            "-v",
            "/var/run/docker.sock:/var/run/docker.sock",
            "-v",
            "/:/host:ro",
            "-e",
            "NO_COLOR=1",
        ],
        &image.tag,
        &[
            "/dockaudit",
            "scan",
            "--format",
            "json",
            "--host-root",
            "/host",
            "--include-container",
            "^selfscan-",
            "--check",
            "5",
        ],
    );
    let out = dockaudit_tests::docker::docker(&["start", "-a", "selfscan-auditor"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Report = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "report from the container: {e}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let excluded: Vec<&str> = report
        .run
        .selection
        .excluded
        .iter()
        .map(|e| e.target.name.as_str())
        .collect();
    assert_eq!(excluded, ["selfscan-auditor"], "{:?}", report.run.selection.excluded);
    // Its own docker.sock mount would fail 5.32; only the victim is judged.
    assert!(!offenders(&report, "5.32").contains("selfscan-auditor"));
    assert_eq!(offenders(&report, "5.5"), names(&["selfscan-victim"]));
}

/// Scans the `sshd-` containers for 5.7 (plus `extra` arguments): only `sshd-box` runs sshd.
fn assert_only_sshd_box_fails_5_7(extra: &[&str]) {
    let mut args = vec![
        "scan",
        "--format",
        "json",
        "--check",
        "5.7",
        "--include-container",
        "^sshd-",
    ];
    args.extend_from_slice(extra);
    let (report, _, _) = scan(&args);
    assert_eq!(
        status(&report, "5.7"),
        Status::Fail,
        "{}",
        report.result("5.7").unwrap().summary
    );
    assert_eq!(offenders(&report, "5.7"), names(&["sshd-box"]));
}

#[test]
fn sshd_in_a_running_container_is_found_through_proc_and_through_top() {
    let image = TestImage::import("dockaudit-test/busybox:sshd");
    let dir = TempDir::new("sshd");
    let src = dir.join("fake-sshd.c");
    std::fs::write(&src, "#include <unistd.h>\nint main(void) { for (;;) pause(); }\n").unwrap();
    let bin = dir.join("sshd");
    let cc = std::process::Command::new("cc")
        .args(["-static", "-O2", "-o", &bin.to_string_lossy(), &src.to_string_lossy()])
        .status()
        .expect("a C compiler (gcc) is installed");
    assert!(cc.success(), "building the fake sshd failed");
    let mut c = Containers::default();
    let mount = format!("{}:/usr/sbin/sshd:ro", bin.display());
    c.run("sshd-box", &["-v", &mount], &image.tag, &["/usr/sbin/sshd"]);
    c.run("sshd-clean", &[], &image.tag, &["sleep", "600"]);

    // Local host: processes come from the host's /proc and cgroups.
    assert_only_sshd_box_fails_5_7(&[]);

    // An empty host root has no /proc: dockaudit falls back to GET /containers/{id}/top.
    let empty = TempDir::new("emptyroot");
    let root = empty.path().to_string_lossy().to_string();
    assert_only_sshd_box_fails_5_7(&["--host-root", &root]);
}
