//! `dockaudit harden --trial` on the real daemon: each of the six workloads runs in a twin with
//! its proposal, every capability the proposal adds is shown necessary by a failing trial without
//! it, the search finds what a short proposal lacks, and no trial container is ever left behind
//! (also after a failing test, and after the command is interrupted with SIGINT).
//!
//! Tests here run one at a time (they assert that no container labelled `dockaudit.trial` exists
//! afterwards, which another test's running trial would break).

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use dockaudit_tests::docker::{docker, docker_ok};
use dockaudit_tests::workloads::{Kind, Workloads};
use dockaudit_tests::{dockaudit, dockaudit_bin};
use serde_json::Value;

const TRIAL_LABEL: &str = "dockaudit.trial";

/// Containers labelled `dockaudit.trial`, running or not.
fn trial_containers() -> Vec<String> {
    let out = docker_ok(&["ps", "-aq", "--filter", &format!("label={TRIAL_LABEL}")]);
    out.lines().map(str::to_string).collect()
}

/// One test at a time; on drop, asserts (unless the test already failed) that no trial
/// container is left, and removes any that is, so a failing test does not spoil the next.
struct Serial(#[allow(dead_code)] MutexGuard<'static, ()>);

impl Serial {
    fn start() -> Serial {
        static LOCK: Mutex<()> = Mutex::new(());
        let guard = LOCK.lock().unwrap_or_else(PoisonError::into_inner);
        Serial(guard)
    }
}

impl Drop for Serial {
    fn drop(&mut self) {
        let left = trial_containers();
        if !left.is_empty() {
            let mut args = vec!["rm", "-f", "-v"];
            args.extend(left.iter().map(String::as_str));
            let _ = docker(&args);
        }
        if !std::thread::panicking() {
            assert!(left.is_empty(), "trial containers left behind: {left:?}");
        }
    }
}

/// Runs `dockaudit harden --trial NAME --format json` with short settle time; returns the exit
/// code and the parsed output.
fn trial(name: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["harden", "--trial", name, "--format", "json", "--settle", "2"];
    args.extend_from_slice(extra);
    let out = dockaudit(&args);
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let value: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{name}: exit {code}, output is not JSON ({e}): {stderr}"));
    (code, value)
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The proposal ran in a twin as it is, and every capability it adds was removed once in a
/// trial that then failed; returns the capabilities.
fn assert_proven(name: &str, code: i32, v: &Value) -> BTreeSet<String> {
    let t = &v["trial"];
    assert_eq!(code, 0, "{name}: {t:#}");
    assert_eq!(
        t["verdict"], "proposal_works",
        "{name}: the twin runs with the proposal: {t:#}"
    );
    assert_eq!(t["trials"][0]["purpose"]["step"], "proposal");
    assert_eq!(t["trials"][0]["passed"], true, "{name}: {t:#}");
    let proposed: BTreeSet<String> = v["proposal"]["capabilities"]["add"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect();
    assert_eq!(strings(&t["working"]["cap_add"]), proposed, "{name}");
    assert_eq!(t["minimal"], true, "{name}: {t:#}");
    let removed: BTreeSet<String> = t["proof"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["without"]["kind"] == "cap")
        .map(|p| {
            assert_eq!(p["passed"], false, "{name}: {p}");
            p["without"]["name"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(removed, proposed, "{name}: one failing trial per added capability");
    proposed
}

#[test]
fn every_workload_runs_in_a_twin_with_its_proposal_and_each_added_capability_is_needed() {
    let _serial = Serial::start();
    let w = Workloads::start("trial", &Kind::ALL);
    for kind in Kind::ALL {
        let name = w.name(kind);
        let (code, v) = trial(&name, &[]);
        let caps = assert_proven(&name, code, &v);
        let t = &v["trial"];
        match kind {
            Kind::PidAndCache => {
                assert!(caps.is_empty(), "{caps:?}");
                assert_eq!(t["working"]["read_only"], true);
                assert!(strings(&t["working"]["tmpfs"]).is_superset(&set(&["/run", "/tmp"])));
            }
            Kind::Chown => {
                assert_eq!(caps, set(&["CHOWN"]));
                let proof = &t["proof"][0];
                assert_eq!(proof["without"]["name"], "CHOWN");
                assert!(
                    proof["evidence"].as_str().unwrap().starts_with("exited 1"),
                    "without CHOWN the service exits: {proof}"
                );
            }
            Kind::DropRoot => assert_eq!(caps, set(&["SETGID", "SETUID"])),
            Kind::Data => {
                assert!(strings(&t["working"]["tmpfs"]).contains("/data"), "{t:#}");
            }
            Kind::Uid1000 => {
                assert!(caps.is_empty(), "{caps:?}");
                assert_eq!(t["trials"].as_array().unwrap().len(), 1, "nothing to remove: one trial");
            }
            Kind::Compose => {
                assert_eq!(t["original_ports"], serde_json::json!([80]));
                assert!(t["trials"][0]["evidence"].as_str().unwrap().contains("listening on 80"));
            }
            Kind::Healthy | Kind::NeedsNetwork => unreachable!("not in Kind::ALL"),
        }
        assert!(trial_containers().is_empty(), "{name}: twins left behind");
    }
}

/// The proposal both search tests start from: read-only, a tmpfs on `/run`, no new privileges,
/// no capability. Short for the chown workload (it lacks CHOWN) and for the pid/cache workload
/// (it lacks the cache directory, `/tmp`).
fn short_proposal() -> dockaudit::trial::Flags {
    dockaudit::trial::Flags {
        read_only: true,
        tmpfs: set(&["/run"]),
        no_new_privileges: true,
        ..Default::default()
    }
}

/// Runs the library's trial (no command line) of container `name` with `proposal`, a short settle
/// time, two twins at once and at most `max_trials` trials; panics when the trial cannot run.
fn library_trial(name: &str, proposal: dockaudit::trial::Flags, max_trials: usize) -> dockaudit::trial::TrialReport {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let report = runtime.block_on(async {
        let docker = dockaudit::facts::connect(&Default::default()).await.unwrap().docker;
        let request = dockaudit::trial::TrialRequest {
            container: name.to_string(),
            proposal,
            extra_tmpfs: Vec::new(),
            network: None,
            settle: Duration::from_secs(2),
            max_trials,
            parallel: 2,
            proc_root: "/proc".into(),
        };
        dockaudit::trial::run_trial(&docker, &request, std::future::pending()).await
    });
    report.expect("the trial runs")
}

#[test]
fn the_search_finds_the_capability_a_short_proposal_lacks() {
    let _serial = Serial::start();
    let w = Workloads::start("trialsearch", &[Kind::Chown]);
    // The chown workload's proposal without CHOWN.
    let report = library_trial(&w.name(Kind::Chown), short_proposal(), 30);
    assert_eq!(report.verdict, dockaudit::trial::Verdict::Adjusted);
    let working = report.working.expect("a working configuration");
    assert_eq!(working.cap_add, set(&["CHOWN"]));
    assert!(report.minimal && !report.bound_reached);
    assert!(report.trials.len() <= 30);
    assert!(!report.trials[0].passed, "the proposal without CHOWN fails");
    assert!(
        report.trials[0].evidence.starts_with("exited 1"),
        "{}",
        report.trials[0].evidence
    );
    assert_eq!(report.proof.len(), 1);
    assert!(!report.proof[0].passed);
}

#[test]
fn interrupting_a_trial_removes_its_twin() {
    let _serial = Serial::start();
    let w = Workloads::start("trialint", &[Kind::Uid1000]);
    let name = w.name(Kind::Uid1000);
    // A long settle time keeps the twin running until the interruption.
    let mut child = Command::new(dockaudit_bin())
        .args(["harden", "--trial", &name, "--settle", "120"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dockaudit runs");
    let deadline = Instant::now() + Duration::from_secs(120);
    let running_twin = loop {
        let twins = docker_ok(&[
            "ps",
            "-q",
            "--filter",
            &format!("label={TRIAL_LABEL}"),
            "--filter",
            "status=running",
        ]);
        if !twins.is_empty() {
            break twins;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("dockaudit ended before its twin ran: {status}");
        }
        assert!(Instant::now() < deadline, "no twin started within two minutes");
        std::thread::sleep(Duration::from_millis(200));
    };
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("interrupted by SIGINT"), "{stderr}");
    assert!(
        docker(&["inspect", running_twin.lines().next().unwrap()]).status.code() != Some(0),
        "the twin still exists"
    );
    assert!(trial_containers().is_empty());
}

#[test]
fn a_trial_sweeps_twins_of_a_crashed_run_but_not_of_a_live_one() {
    let _serial = Serial::start();
    let w = Workloads::start("trialsweep", &[Kind::Uid1000]);
    let name = w.name(Kind::Uid1000);
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").unwrap();
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", std::process::id())).unwrap();
    let start = dockaudit::trial::cleanup::parse_start_time(&stat).unwrap();
    let live = format!("{}/{}/{start}", boot.trim(), std::process::id());
    // No process can have a pid above the kernel's limit (2^22): a dead owner.
    let dead = format!("{}/4194304/1", boot.trim());
    let image = w.image.tag.clone();
    let create = |suffix: &str, owner: &str| {
        docker_ok(&[
            "create",
            "--name",
            &format!("{}{suffix}", w.prefix),
            "--label",
            "dockaudit.trial=test-run",
            "--label",
            &format!("dockaudit.trial.owner={owner}"),
            &image,
            "true",
        ])
    };
    let stale = create("stale-twin", &dead);
    let alive = create("live-twin", &live);
    let (code, v) = trial(&name, &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["trial"]["swept_stale"], 1);
    assert!(
        docker(&["inspect", &stale]).status.code() != Some(0),
        "the stale twin was removed"
    );
    assert_eq!(
        trial_containers(),
        vec![alive[..12].to_string()],
        "the live run's twin stays"
    );
    docker_ok(&["rm", "-f", &alive]);
}

#[test]
fn a_health_check_must_pass_and_an_unhealthy_twin_fails_its_trial() {
    let _serial = Serial::start();
    let w = Workloads::start("trialhealth", &[Kind::Healthy]);
    let name = w.name(Kind::Healthy);
    let (code, v) = trial(&name, &[]);
    // The image's HEALTHCHECK is the twin's too: the proposal's twin was judged healthy.
    assert_eq!(assert_proven(&name, code, &v), set(&["CHOWN"]));
    let t = &v["trial"];
    let passed = t["trials"][0]["evidence"].as_str().unwrap();
    assert!(passed.ends_with(", healthy"), "{passed}");
    // Without CHOWN the service keeps running, but its health check fails: that fails the trial.
    let proof = &t["proof"][0];
    assert_eq!(proof["without"]["name"], "CHOWN");
    assert!(
        proof["evidence"].as_str().unwrap().starts_with("unhealthy after "),
        "{proof}"
    );
}

/// A Docker network removed on drop.
struct Network(String);

impl Drop for Network {
    fn drop(&mut self) {
        let _ = docker(&["network", "rm", &self.0]);
    }
}

#[test]
fn twins_join_the_trial_network_when_one_is_named_and_network_none_otherwise() {
    let _serial = Serial::start();
    let w = Workloads::start("trialnet", &[Kind::NeedsNetwork]);
    let name = w.name(Kind::NeedsNetwork);
    let net = Network(format!("{}net", w.prefix));
    docker_ok(&["network", "create", "--label", "dockaudit-test=1", &net.0]);

    // Network none: the service finds no interface and exits, whatever the capabilities.
    let (code, v) = trial(&name, &[]);
    let t = &v["trial"];
    assert_eq!(code, 1, "{t:#}");
    assert_eq!(t["network"], "none");
    assert_eq!(t["verdict"], "not_found", "{t:#}");
    assert!(
        t["trials"][0]["evidence"].as_str().unwrap().starts_with("exited 1"),
        "{t:#}"
    );

    // --trial-network NAME: each twin is attached to it (seen while it runs) and the service runs.
    let child = Command::new(dockaudit_bin())
        .args([
            "harden",
            "--trial",
            &name,
            "--trial-network",
            &net.0,
            "--format",
            "json",
            "--settle",
            "3",
        ])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dockaudit runs");
    let on_network = format!("network={}", net.0);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = String::new();
    while seen.is_empty() && Instant::now() < deadline {
        seen = docker_ok(&[
            "ps",
            "-q",
            "--filter",
            &format!("label={TRIAL_LABEL}"),
            "--filter",
            &on_network,
        ]);
        std::thread::sleep(Duration::from_millis(200));
    }
    let out = child.wait_with_output().unwrap();
    assert!(!seen.is_empty(), "no twin was seen on {}", net.0);
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    assert_eq!(v["trial"]["network"], net.0.as_str());
    assert_eq!(v["trial"]["verdict"], "proposal_works", "{v:#}");
}

#[test]
fn the_search_finds_the_tmpfs_path_a_short_proposal_lacks() {
    use dockaudit::trial::search::Flag;
    let _serial = Serial::start();
    let w = Workloads::start("trialtmpfs", &[Kind::PidAndCache]);
    // The pid/cache workload's proposal without its cache directory: it writes /tmp.
    let report = library_trial(&w.name(Kind::PidAndCache), short_proposal(), 40);
    assert_eq!(report.verdict, dockaudit::trial::Verdict::Adjusted, "{report:#?}");
    assert!(
        report.trials[0].evidence.starts_with("exited 1"),
        "the read-only /tmp ends the service: {}",
        report.trials[0].evidence
    );
    let working = report.working.clone().expect("a working configuration");
    assert_eq!(working.tmpfs, set(&["/run", "/tmp"]), "{report:#?}");
    assert!(working.cap_add.is_empty(), "{report:#?}");
    assert_eq!(report.added, vec![Flag::Tmpfs("/tmp".into())]);
    assert!(report.minimal && !report.bound_reached, "{report:#?}");
    let without_tmp = report
        .proof
        .iter()
        .find(|p| p.without == Flag::Tmpfs("/tmp".into()))
        .expect("the proof removes the path the search added");
    assert!(!without_tmp.passed);
}

#[test]
fn a_trial_through_the_host_root_shows_each_missing_capability_as_the_exit_it_causes() {
    let _serial = Serial::start();
    let w = Workloads::start("trialroot", &[Kind::Chown]);
    let name = w.name(Kind::Chown);
    let out = dockaudit(&["harden", "--trial", &name, "--host-root", "/", "--settle", "2"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Working configuration (the proposal as it is)"), "{text}");
    assert!(text.contains("--cap-add CHOWN"), "{text}");
    let proof = text
        .split("Minimal: removing any one of these makes a trial fail\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no minimality proof: {text}"));
    let line = proof.lines().next().unwrap_or_default();
    assert!(line.starts_with("  without CHOWN: exited 1 "), "{line:?}");
    assert!(text.contains("every trial container was removed"), "{text}");
}
