//! ssh:// targets through a real OpenSSH server (Debian's sshd on a loopback port, keys and
//! known_hosts made for the test, `--ssh-config` so nothing of the machine's own SSH setup is
//! used): the Engine API through `docker system dial-stdio`, the remote gather (dockaudit copied,
//! hash-checked, run and removed; host checks decided, the same verdicts as a local scan of the
//! same daemon) and the fallback to the Engine API alone when the remote cannot run dockaudit.
//! Needs root (sshd logs in as root); skipped otherwise.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use dockaudit_shared::report::{Report, Status};
use dockaudit_tests::daemons::is_root;
use dockaudit_tests::docker::{require_daemon, Containers, TestImage};
use dockaudit_tests::sshd::Sshd;
use dockaudit_tests::{dockaudit_bin, TempDir};

/// The test's containers: the only ones either scan audits, so other tests' containers on the
/// shared daemon cannot make the two scans differ.
const SCOPE: &str = "^da-conn-ssh-";

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(dockaudit_bin());
    cmd.args(args)
        .env("NO_COLOR", "1")
        .env_remove("DOCKER_HOST")
        .env_remove("DOCKER_CONTEXT")
        .env_remove("DOCKAUDIT_SSH_CONFIG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("dockaudit runs")
}

fn report(out: &Output) -> Report {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 1)), "scan failed: {stderr}");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not a report ({e}): {stderr}"))
}

fn statuses(r: &Report) -> BTreeMap<String, Status> {
    r.results.iter().map(|c| (c.id.clone(), c.status)).collect()
}

fn snapshot(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("facts-out written")).expect("a snapshot")
}

/// Whatever dockaudit left in the remote temporary directory.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path().display().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn setup() -> Option<(Sshd, TempDir)> {
    if !is_root() {
        eprintln!("skipped: the SSH tests log in as root to reach the daemon");
        return None;
    }
    require_daemon();
    let sshd = Sshd::start().unwrap_or_else(|e| panic!("sshd: {e}"));
    Some((sshd, TempDir::new("remote-ssh")))
}

#[test]
fn ssh_target_is_gathered_on_the_remote_host_with_the_verdicts_of_a_local_scan() {
    let Some((sshd, tmp)) = setup() else { return };
    let image = TestImage::import("dockaudit-test/busybox:da-conn-ssh");
    let mut containers = Containers::default();
    // Stopped containers are audited too (this sandbox cannot start privileged ones).
    containers.create("da-conn-ssh-privileged", &["--privileged"], &image.tag, &["true"]);
    containers.run(
        "da-conn-ssh-running",
        &["--pid", "host", "--read-only"],
        &image.tag,
        &["sleep", "600"],
    );
    let remote_tmp = tmp.join("remote-tmp");
    std::fs::create_dir_all(&remote_tmp).unwrap();
    let config = sshd.client_config_with_tmpdir(&remote_tmp).unwrap();
    let config = config.to_str().unwrap();
    let url = sshd.url("root");
    let facts_out = tmp.join("remote-facts.json");
    let facts_out = facts_out.to_str().unwrap();

    // Other tests share the daemon (images come and go): scan both ways until two consecutive
    // scans agree, a few times at most.
    let mut last = None;
    for _ in 0..3 {
        let local = report(&run(
            &[
                "scan",
                "--format",
                "json",
                "--no-progress",
                "--include-container",
                SCOPE,
            ],
            &[],
        ));
        let out = run(
            &[
                "scan",
                "--host",
                &url,
                "--ssh-config",
                config,
                "--format",
                "json",
                "--include-container",
                SCOPE,
                "--facts-out",
                facts_out,
            ],
            &[],
        );
        let remote = report(&out);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!stderr.contains("host checks skipped"), "{stderr}");
        let (l, r) = (statuses(&local), statuses(&remote));
        let differ: Vec<_> = l
            .iter()
            .filter(|(id, s)| r.get(*id) != Some(s))
            .map(|(id, s)| format!("{id}: local {s:?}, remote {:?}", r.get(id)))
            .collect();
        last = Some((remote, differ));
        if last.as_ref().is_some_and(|(_, d)| d.is_empty()) {
            break;
        }
    }
    let (remote, differ) = last.unwrap();
    // No difference is expected: both gather the same daemon and host with the same code; 4.5
    // judges the scanning environment, which the remote gather keeps from this side.
    assert!(differ.is_empty(), "verdicts differ: {differ:#?}");

    // Host checks were decided, not skipped.
    for id in ["1.1.3", "2.14", "3.1", "3.15", "5.4"] {
        let r = remote.result(id).unwrap();
        assert_ne!(r.status, Status::NotApplicable, "{id}: {}", r.summary);
        assert!(
            !r.summary.starts_with("Host files were not read"),
            "{id}: {}",
            r.summary
        );
    }
    assert_eq!(remote.result("5.4").unwrap().status, Status::Fail);
    assert!(
        remote.errors.iter().all(|e| e.source != "host files"),
        "{:?}",
        remote.errors
    );

    // The snapshot says how it was taken.
    let facts = snapshot(Path::new(facts_out));
    let c = &facts["collection"];
    assert_eq!(c["endpoint"], url.as_str());
    assert_eq!(c["host_root"], "/");
    assert_eq!(c["connection"]["transport"], "ssh");
    assert_eq!(c["connection"]["remote"]["gathered"], true);
    let detail = c["connection"]["remote"]["detail"].as_str().unwrap();
    assert!(
        detail.contains("SHA-256") && detail.contains("unix:///var/run/docker.sock"),
        "{detail}"
    );
    // The copy and its directory are gone.
    assert_eq!(leftovers(&remote_tmp), Vec::<String>::new());
}

#[test]
fn without_a_runnable_binary_the_api_alone_is_read_and_the_report_says_why() {
    let Some((sshd, tmp)) = setup() else { return };
    let remote_tmp = tmp.join("remote-tmp");
    std::fs::create_dir_all(&remote_tmp).unwrap();
    let config = sshd.client_config_with_tmpdir(&remote_tmp).unwrap();
    let config = config.to_str().unwrap();
    let url = sshd.url("root");
    // An ELF header for aarch64: not this host's architecture.
    let foreign = tmp.join("dockaudit-aarch64");
    let mut header = vec![0u8; 64];
    header[..6].copy_from_slice(b"\x7fELF\x02\x01");
    header[18] = 183;
    std::fs::write(&foreign, header).unwrap();
    let facts_out = tmp.join("fallback-facts.json");

    let out = run(
        &[
            "scan",
            "--host",
            &url,
            "--ssh-config",
            config,
            "--remote-binary",
            foreign.to_str().unwrap(),
            "--format",
            "json",
            "--include-container",
            SCOPE,
            "--facts-out",
            facts_out.to_str().unwrap(),
        ],
        &[],
    );
    let r = report(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("host checks skipped"), "{stderr}");
    assert!(stderr.contains("aarch64"), "{stderr}");
    // Host checks are honestly not applicable, with the reason.
    for id in ["1.1.3", "3.1", "3.15"] {
        let res = r.result(id).unwrap();
        assert_eq!(res.status, Status::NotApplicable, "{id}: {}", res.summary);
        assert!(
            res.summary
                .contains("no dockaudit binary for the remote's architecture x86_64"),
            "{id}: {}",
            res.summary
        );
    }
    let host_error = r
        .errors
        .iter()
        .find(|e| e.source == "host files")
        .expect("a host files error");
    assert!(
        host_error.reason.contains("only the Engine API was read over SSH"),
        "{}",
        host_error.reason
    );
    assert!(
        host_error.affects.iter().any(|id| id == "3.1"),
        "{:?}",
        host_error.affects
    );
    // The Engine API was read over SSH all the same.
    assert_eq!(r.result("2.6").unwrap().status, Status::Pass);
    let facts = snapshot(&facts_out);
    assert_eq!(facts["collection"]["connection"]["remote"]["gathered"], false);
    assert_eq!(facts["host"], serde_json::Value::Null);
    assert_eq!(leftovers(&remote_tmp), Vec::<String>::new());

    // sudo -n: where sudo is missing that is a fallback too; where root has it, it runs.
    let out = run(
        &[
            "scan",
            "--host",
            &url,
            "--ssh-config",
            config,
            "--remote-sudo",
            "--format",
            "json",
            "--check",
            "1.1,3.1",
        ],
        &[],
    );
    let r = report(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if sshd.run_ok("root", "command -v sudo").is_ok() {
        assert_ne!(r.result("3.1").unwrap().status, Status::NotApplicable, "{stderr}");
    } else {
        assert!(stderr.contains("sudo is not installed on the remote host"), "{stderr}");
        assert_eq!(r.result("3.1").unwrap().status, Status::NotApplicable);
    }
    assert_eq!(leftovers(&remote_tmp), Vec::<String>::new());
}

#[test]
fn facts_writes_a_redacted_snapshot() {
    let Some((sshd, _tmp)) = setup() else { return };
    let image = TestImage::import("dockaudit-test/busybox:da-conn-facts");
    let mut containers = Containers::default();
    let secret = "da-conn-hunter2-3f9c";
    containers.create(
        "da-conn-ssh-secret",
        &["-e", &format!("API_TOKEN={secret}")],
        &image.tag,
        &["sh", "-c", &format!("echo --password={secret}")],
    );
    // Locally, and over SSH with the Engine API only.
    for args in [
        vec!["facts"],
        vec![
            "facts",
            "--host",
            &sshd.url("root"),
            "--ssh-config",
            sshd.client_config.to_str().unwrap(),
            "--no-remote-gather",
        ],
    ] {
        let out = run(&args, &[]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains(secret), "the snapshot carries a secret");
        let facts: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert!(facts["facts_version"].as_u64().is_some());
        let containers = facts["containers"]["ok"].as_array().expect("containers");
        let ours = containers
            .iter()
            .find(|c| c["name"] == "da-conn-ssh-secret")
            .expect("our container");
        assert_eq!(ours["env_names"], serde_json::json!(["API_TOKEN"]));
    }
}

#[test]
fn an_unreachable_ssh_target_is_one_clear_error() {
    let Some((sshd, _tmp)) = setup() else { return };
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = sshd.client_config.to_str().unwrap();
    let out = run(
        &[
            "scan",
            "--host",
            &format!("ssh://root@127.0.0.1:{closed}"),
            "--ssh-config",
            config,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("SSH connection to ssh://root@127.0.0.1:{closed} failed")),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    // A host key known_hosts does not hold is refused, never accepted.
    let strict = sshd.dir().join("ssh_config.no-known-hosts");
    let text = std::fs::read_to_string(config).unwrap();
    let text: String = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("UserKnownHostsFile") {
                "  UserKnownHostsFile /dev/null\n".to_string()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(&strict, text).unwrap();
    let out = run(
        &[
            "scan",
            "--host",
            &sshd.url("root"),
            "--ssh-config",
            strict.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Host key verification failed"), "{stderr}");
}
