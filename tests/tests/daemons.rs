//! Hosts with more than one Docker daemon: every host-side daemon verdict (flags, config file,
//! data root, sockets) must describe the daemon dockaudit is connected to, never another one.
//! A second rootful dockerd and a rootless dockerd (its own user) run next to the test host's
//! daemon; each is scanned through its own socket. Needs root; skipped otherwise.

use std::process::{Command, Output};

use dockaudit_shared::report::{AuditedDaemon, CheckResult, Report, Status};
use dockaudit_tests::daemons::{is_root, RootfulDaemon, RootlessDaemon};
use dockaudit_tests::dockaudit_bin;
use dockaudit_tests::docker::require_daemon;

fn report_of(out: Output) -> Report {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 1)), "scan failed: {stderr}");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not a report ({e}): {stderr}"))
}

fn scan(endpoint: &str) -> Report {
    report_of(
        Command::new(dockaudit_bin())
            .args(["scan", "--host", endpoint, "--format", "json"])
            .env("NO_COLOR", "1")
            .output()
            .expect("dockaudit runs"),
    )
}

fn result<'a>(r: &'a Report, id: &str) -> &'a CheckResult {
    r.result(id).unwrap_or_else(|| panic!("{id} missing"))
}

/// Everything a result says, for "names this, never that" assertions.
fn text(r: &CheckResult) -> String {
    let mut t = r.summary.clone();
    for f in &r.findings {
        t.push_str(&format!(
            " | {} {} {} {}",
            f.target.id, f.message, f.observed, f.remediation
        ));
    }
    t
}

fn daemon(r: &Report) -> &AuditedDaemon {
    r.host.daemon.as_ref().expect("the report names the audited daemon")
}

fn expect(r: &Report, id: &str, status: Status, mentions: &[&str]) {
    let res = result(r, id);
    assert_eq!(res.status, status, "{id}: {}", text(res));
    for m in mentions {
        assert!(text(res).contains(m), "{id} should mention {m}: {}", text(res));
    }
}

fn never_mentions(r: &Report, ids: &[&str], other: &str) {
    for id in ids {
        let t = text(result(r, id));
        assert!(!t.contains(other), "{id} talks about another daemon ({other}): {t}");
    }
}

/// Section 2 checks that read dockerd's flags or config file, and the socket checks.
const FLAG_CHECKS: &[&str] = &["2.2", "2.3", "2.4", "2.7", "2.8", "2.14", "2.15", "2.16"];
const SOCKET_CHECKS: &[&str] = &["3.15", "3.16"];

/// The test host's own daemon: PID and whether it runs with stock settings (plain `dockerd`,
/// no daemon.json), in which case its verdicts are known.
fn primary() -> (Option<u32>, bool) {
    let pid = std::fs::read_to_string("/var/run/docker.pid")
        .ok()
        .and_then(|t| t.trim().parse::<u32>().ok());
    let stock = pid.is_some_and(|pid| {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).filter(|a| !a.is_empty()).collect();
        args.len() == 1 && !std::path::Path::new("/etc/docker/daemon.json").exists()
    });
    (pid, stock)
}

#[test]
fn a_second_rootful_daemon_and_the_first_are_each_audited_as_themselves() {
    if !is_root() {
        eprintln!("skipped: starting a second dockerd needs root");
        return;
    }
    require_daemon();
    let second = RootfulDaemon::start(
        "second",
        &["--no-new-privileges", "--log-level=debug", "--userland-proxy=false"],
        r#"{"live-restore": true}"#,
    )
    .unwrap_or_else(|e| panic!("second dockerd: {e}"));
    let (primary_pid, stock) = primary();

    // The second daemon, through its socket.
    let r = scan(&second.endpoint);
    let d = daemon(&r);
    let p = d
        .process
        .as_ref()
        .unwrap_or_else(|| panic!("not identified: {:?}", d.unidentified));
    assert_eq!(p.pid, second.pid, "{d:?}");
    assert!(!p.rootless);
    assert_eq!(p.config_file.as_deref(), Some(second.config_file.as_str()));
    assert_eq!(p.sockets, std::slice::from_ref(&second.socket));
    assert_eq!(d.socket.as_deref(), Some(second.socket.as_str()));
    assert!(d.evidence[0].contains("inode"), "{:?}", d.evidence);
    if let Some(pid) = primary_pid {
        assert!(d.others.iter().any(|o| o.pid == pid), "{:?}", d.others);
    }
    expect(&r, "2.14", Status::Pass, &["--no-new-privileges"]);
    expect(&r, "2.3", Status::Fail, &["--log-level=debug"]);
    expect(&r, "2.16", Status::Pass, &["--userland-proxy=false"]);
    expect(&r, "2.15", Status::Pass, &[]);
    expect(&r, "2.1", Status::Warn, &[]);
    for id in SOCKET_CHECKS {
        assert!(
            text(result(&r, id)).contains(&second.socket),
            "{id}: {}",
            text(result(&r, id))
        );
    }
    never_mentions(&r, SOCKET_CHECKS, "/run/docker.sock");
    never_mentions(&r, FLAG_CHECKS, "/etc/docker/daemon.json");

    // The first daemon, through the default socket, while the second runs.
    let r = scan("unix:///var/run/docker.sock");
    let d = daemon(&r);
    let p = d
        .process
        .as_ref()
        .unwrap_or_else(|| panic!("not identified: {:?}", d.unidentified));
    assert_ne!(p.pid, second.pid);
    if let Some(pid) = primary_pid {
        assert_eq!(p.pid, pid);
    }
    assert!(d.others.iter().any(|o| o.pid == second.pid), "{:?}", d.others);
    never_mentions(&r, FLAG_CHECKS, &second.config_file);
    never_mentions(&r, FLAG_CHECKS, "--no-new-privileges");
    never_mentions(&r, FLAG_CHECKS, "--log-level=debug");
    never_mentions(&r, SOCKET_CHECKS, &second.socket);
    if stock {
        expect(&r, "2.14", Status::Fail, &["not configured"]);
        expect(&r, "2.16", Status::Fail, &[]);
        expect(&r, "2.3", Status::Pass, &[]);
        expect(&r, "2.15", Status::Fail, &[]);
    }
}

#[test]
fn a_rootless_daemon_scanned_as_its_user_is_audited_as_itself() {
    if !is_root() {
        eprintln!("skipped: creating a user and its rootless dockerd needs root");
        return;
    }
    require_daemon();
    let user = format!("darl{}", std::process::id() % 100_000);
    let rl = RootlessDaemon::start(
        &user,
        &["--experimental"],
        r#"{"no-new-privileges": true, "log-level": "debug"}"#,
    )
    .unwrap_or_else(|e| panic!("rootless dockerd: {e}"));
    let config = format!("{}/.config/docker/daemon.json", rl.home);
    let data_root = format!("{}/.local/share/docker", rl.home);

    let out = rl
        .as_user(&dockaudit_bin(), &["scan", "--format", "json"])
        .output()
        .expect("runuser runs");
    let r = report_of(out);
    let d = daemon(&r);
    assert_eq!(d.endpoint, rl.endpoint);
    let p = d
        .process
        .as_ref()
        .unwrap_or_else(|| panic!("not identified: {:?}", d.unidentified));
    assert_eq!(p.pid, rl.pid, "{d:?}");
    assert!(p.rootless);
    assert_eq!(p.user.as_deref(), Some(user.as_str()));
    assert_eq!(p.config_file.as_deref(), Some(config.as_str()));
    assert_eq!(p.data_root.as_deref(), Some(data_root.as_str()));
    assert_eq!(p.sockets, std::slice::from_ref(&rl.socket));
    assert!(!d.others.is_empty(), "the host's rootful daemon is listed");
    assert!(d.others.iter().all(|o| o.pid != rl.pid));

    // Flags and config file: the rootless daemon's own.
    expect(&r, "2.1", Status::Pass, &["rootless"]);
    expect(&r, "2.9", Status::NotApplicable, &["rootless"]);
    expect(&r, "2.14", Status::Pass, &[&config]);
    expect(&r, "2.3", Status::Fail, &[&config]);
    expect(&r, "2.18", Status::Fail, &[]);
    never_mentions(&r, FLAG_CHECKS, "/etc/docker/daemon.json");
    // Host checks with rootless rules.
    expect(&r, "1.1.2", Status::NotApplicable, &["rootless", &user]);
    expect(&r, "3.1", Status::NotApplicable, &["user unit"]);
    expect(&r, "3.17", Status::Pass, &[&config]);
    expect(&r, "3.18", Status::Pass, &[&config]);
    let audited_root = text(result(&r, "1.1.5"));
    assert!(audited_root.contains(&data_root), "1.1.5: {audited_root}");
    // Its socket, judged with the per-user rules, and no other daemon's.
    expect(&r, "3.15", Status::Pass, &[&rl.socket, "rootless daemon's user"]);
    expect(&r, "3.16", Status::Pass, &[&rl.socket]);
    never_mentions(&r, SOCKET_CHECKS, "/run/docker.sock");

    // The rootful daemon scanned meanwhile is still itself.
    let r = scan("unix:///var/run/docker.sock");
    let p = daemon(&r).process.as_ref().expect("identified");
    assert_ne!(p.pid, rl.pid);
    assert!(!p.rootless);
    expect(&r, "2.1", Status::Warn, &[]);
    never_mentions(&r, FLAG_CHECKS, &config);
    never_mentions(&r, SOCKET_CHECKS, &rl.socket);
}
