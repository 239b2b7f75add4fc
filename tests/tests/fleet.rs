//! Fleet audits with the built binary against the real test dockerd: an inventory or several
//! `--host`s, hosts that cannot be reached or hang, the exit codes, and what `--out-dir` holds;
//! and the fleet of a unix, an SSH and a TLS target with an unreachable fourth.
//!
//! Containers of other tests come and go on the shared daemon, so verdicts are compared with a
//! single-host scan over a container scope no other test uses (`--label` of this test).

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::Path;
use std::process::Output;

use dockaudit_shared::report::{Report, Status};
use dockaudit_tests::daemons::{is_root, RootfulDaemon};
use dockaudit_tests::docker::require_daemon;
use dockaudit_tests::sshd::{Sshd, ALIAS_PREFIX};
use dockaudit_tests::tls::TestPki;
use dockaudit_tests::{dockaudit, TempDir};
use serde_json::Value;

const LOCAL: &str = "unix:///var/run/docker.sock";
/// Nothing listens on port 1 of the loopback: connection refused at once.
const REFUSED: &str = "tcp://127.0.0.1:1";
/// A container scope no container of any test has.
const SCOPE: [&str; 2] = ["--label", "dockaudit-fleet-test-scope=none"];

fn run(args: &[&str]) -> (i32, String, String) {
    let Output { status, stdout, stderr } = dockaudit(args);
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn summary(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("fleet-summary.json")).unwrap()).unwrap()
}

fn host<'a>(summary: &'a Value, name: &str) -> &'a Value {
    summary["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == name)
        .unwrap_or_else(|| panic!("{name} missing from {summary}"))
}

fn statuses(report: &Report) -> BTreeMap<String, Status> {
    report.results.iter().map(|r| (r.id.clone(), r.status)).collect()
}

/// The local daemon scanned alone, as the fleet's reports must match it.
fn single_host_scan(dir: &TempDir) -> (Report, i32) {
    let out = dir.join("single.json");
    let mut args = vec!["scan", "--host", LOCAL, "--format", "json", "-o", out.to_str().unwrap()];
    args.extend(SCOPE);
    let (code, _, stderr) = run(&args);
    assert!(code == 0 || code == 1, "single scan exited {code}: {stderr}");
    (
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap(),
        code,
    )
}

fn write_inventory(dir: &TempDir, text: &str) -> String {
    let path = dir.join("fleet.toml");
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn an_unreachable_host_is_reported_and_the_rest_audited() {
    require_daemon();
    let dir = TempDir::new("fleet-unreachable");
    let (single, single_code) = single_host_scan(&dir);
    let inventory = write_inventory(
        &dir,
        &format!(
            "[defaults]\nlabels = {{ team = \"platform\" }}\n\n\
             [[hosts]]\nname = \"local\"\naddress = \"{LOCAL}\"\nlabels = {{ environment = \"test\" }}\n\n\
             [[hosts]]\nname = \"gone\"\naddress = \"{REFUSED}\"\n"
        ),
    );
    let out_dir = dir.join("out");
    let out = out_dir.to_str().unwrap();
    let mut args = vec!["scan", "--inventory", &inventory, "--out-dir", out, "--parallel", "2"];
    args.extend(SCOPE);

    // Without --allow-unreachable a host that could not be audited makes the run exit 2 …
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(stderr.contains("1 of 2 host(s) could not be audited"), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("HOST") && lines[0].ends_with("ERROR"), "{stdout}");
    assert!(lines[1].starts_with("local "), "{stdout}");
    assert!(
        lines[2].starts_with("gone ") && lines[2].contains("unreachable"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 hosts:") && stdout.contains("1 not audited"),
        "{stdout}"
    );

    // … and the reachable host's report is in --out-dir, with the summary in JSON and text.
    let names = files(&out_dir);
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.contains(&"fleet-summary.json".to_string()) && names.contains(&"fleet-summary.txt".to_string()));
    let report_name = names
        .iter()
        .find(|n| n.starts_with("local-") && n.ends_with("Z.json"))
        .unwrap();
    let s = summary(&out_dir);
    assert_eq!(s["totals"]["hosts"], 2);
    assert_eq!(s["totals"]["not_audited"], 1);
    assert_eq!(s["parallel"], 2);
    let local = host(&s, "local");
    assert_eq!(local["report"], report_name.as_str());
    assert_eq!(local["labels"]["team"], "platform");
    assert_eq!(local["labels"]["environment"], "test");
    let expected = if single_code == 0 { "pass" } else { "fail" };
    assert_eq!(local["result"], expected);
    let gone = host(&s, "gone");
    assert_eq!(gone["result"], "unreachable");
    assert!(gone["error"].as_str().unwrap().contains("127.0.0.1:1"), "{gone}");
    assert!(gone["report"].is_null() && gone["score"].is_null());
    assert_eq!(
        std::fs::read_to_string(out_dir.join("fleet-summary.txt")).unwrap(),
        stdout,
        "the text summary is the table printed"
    );

    // The fleet's report of the local host judges it as a scan of that host alone does.
    let report: Report = serde_json::from_str(&std::fs::read_to_string(out_dir.join(report_name)).unwrap()).unwrap();
    assert_eq!(statuses(&report), statuses(&single));
    assert_eq!(local["fails"], report.summary.counts.fail);
    assert_eq!(local["score"].as_f64(), report.summary.score.value);
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(out_dir.join(report_name)).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);

    // With --allow-unreachable the exit code is the audited hosts' (here: the local one's).
    let out_dir2 = dir.join("out2");
    args[4] = out_dir2.to_str().unwrap();
    args.push("--allow-unreachable");
    let (code, _, stderr) = run(&args);
    assert_eq!(code, single_code, "{stderr}");
    assert!(
        stderr.contains("could not be audited") && !stderr.contains("exit 2"),
        "{stderr}"
    );
}

#[test]
fn out_dir_files_are_never_replaced() {
    require_daemon();
    let dir = TempDir::new("fleet-no-overwrite");
    let out_dir = dir.join("out");
    let out = out_dir.to_str().unwrap();
    let mut args = vec!["scan", "--host", LOCAL, "--out-dir", out, "--format", "json"];
    args.extend(SCOPE);
    let (code, stdout, stderr) = run(&args);
    assert!(code == 0 || code == 1, "{stderr}");
    // --format json prints the fleet summary itself.
    let printed: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(printed, summary(&out_dir));
    let before: Vec<(String, Vec<u8>)> = files(&out_dir)
        .into_iter()
        .map(|n| {
            let bytes = std::fs::read(out_dir.join(&n)).unwrap();
            (n, bytes)
        })
        .collect();

    let (code, _, stderr) = run(&args);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("already holds fleet-summary.json"), "{stderr}");
    let after: Vec<(String, Vec<u8>)> = files(&out_dir)
        .into_iter()
        .map(|n| {
            let bytes = std::fs::read(out_dir.join(&n)).unwrap();
            (n, bytes)
        })
        .collect();
    assert_eq!(before, after, "nothing in --out-dir changed");
}

#[test]
fn repeated_hosts_a_hanging_host_and_the_per_host_timeout() {
    require_daemon();
    // Accepts connections and never answers: only the per-host timeout ends this host's audit.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let hanging = format!("tcp://{}", listener.local_addr().unwrap());
    let held = std::thread::spawn(move || {
        let mut kept = Vec::new();
        for stream in listener.incoming().take(8) {
            kept.push(stream);
        }
    });
    let dir = TempDir::new("fleet-hosts");
    let out_dir = dir.join("out");
    let out = out_dir.to_str().unwrap();
    let mut args = vec![
        "scan",
        "--host",
        LOCAL,
        "--host",
        &hanging,
        "--host",
        REFUSED,
        "--host-timeout",
        "3",
        "--out-dir",
        out,
        "--allow-unreachable",
    ];
    args.extend(SCOPE);
    let (code, stdout, stderr) = run(&args);
    assert!(code == 0 || code == 1, "{stdout}\n{stderr}");
    let s = summary(&out_dir);
    assert!(host(&s, LOCAL)["report"].is_string());
    assert_eq!(host(&s, &hanging)["result"], "timeout", "{s}");
    assert!(host(&s, &hanging)["error"].as_str().unwrap().contains("within 3 s"));
    assert_eq!(host(&s, REFUSED)["result"], "unreachable");
    drop(held);
}

#[test]
fn bad_inventories_and_flags_are_refused_before_any_audit() {
    let dir = TempDir::new("fleet-bad");
    let inventory = write_inventory(
        &dir,
        "[defaults]\nsudo = true\n\n[[hosts]]\nname = \"a\"\naddress = \"tcp://a:2375\"\nadress = \"x\"\n",
    );
    let (code, _, stderr) = run(&["scan", "--inventory", &inventory]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("fleet.toml line 7") && stderr.contains("adress"),
        "{stderr}"
    );

    // TOML's own escapes: the file is valid TOML, the name is not a host name.
    let inventory = write_inventory(
        &dir,
        "[[hosts]]\nname = \"\\u001b]0;pwned\\u0007\"\naddress = \"tcp://a\"\n",
    );
    let (code, _, stderr) = run(&["scan", "--inventory", &inventory]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("control characters") && !stderr.contains('\u{1b}'),
        "{stderr:?}"
    );

    for (flag, value) in [
        ("--facts-out", "f.json"),
        ("--json-out", "r.json"),
        ("--format", "sarif"),
    ] {
        let (code, _, stderr) = run(&["scan", "--host", LOCAL, "--host", REFUSED, flag, value]);
        assert_eq!(code, 2, "{flag}: {stderr}");
        assert!(stderr.contains("fleet"), "{flag}: {stderr}");
    }
    let (code, _, stderr) = run(&["scan", "--inventory", "/nonexistent/fleet.toml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("/nonexistent/fleet.toml"), "{stderr}");
    let (code, _, stderr) = run(&["scan", "--host", LOCAL, "--host", REFUSED, "--parallel", "0"]);
    assert_eq!(code, 2, "{stderr}");
}

/// One target's single-host scan: its exit code and report.
fn scan_alone(args: &[&str]) -> (i32, Report) {
    let mut all = vec!["scan", "--format", "json", "--no-progress"];
    all.extend_from_slice(args);
    all.extend(SCOPE);
    let (code, stdout, stderr) = run(&all);
    assert!(code == 0 || code == 1, "{args:?} exited {code}: {stderr}");
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: not a report ({e}): {stderr}"));
    (code, report)
}

/// The fleet: the test daemon over its unix socket, the same daemon over SSH (through
/// the test sshd, gathered on the "remote" host), a second dockerd over tcp:// with TLS
/// certificates made for the test, and a fourth host nothing answers for. Each audited host's
/// report in --out-dir judges it as a single-host scan of the same target does.
#[test]
fn a_fleet_of_unix_ssh_and_tls_targets_and_an_unreachable_fourth() {
    if !is_root() {
        eprintln!("skipped: the SSH target logs in as root and the TLS daemon needs root");
        return;
    }
    require_daemon();
    let sshd = Sshd::start().unwrap_or_else(|e| panic!("sshd: {e}"));
    let (_, ip) = RootfulDaemon::tcp_addresses("fleet");
    let pki = TestPki::create(&ip).unwrap_or_else(|e| panic!("certificates: {e}"));
    let path = |p: std::path::PathBuf| p.display().to_string();
    let server_flags = pki.server_flags();
    let server_flags: Vec<&str> = server_flags.iter().map(String::as_str).collect();
    let (tls_daemon, listen) =
        RootfulDaemon::start_tcp("fleet", 2376, &server_flags, "{}").unwrap_or_else(|e| panic!("TLS dockerd: {e}"));
    let tls = listen.endpoint();

    let dir = TempDir::new("fleet-three");
    // The inventory's cert_path is relative to the inventory file.
    let certs = dir.join("certs");
    std::fs::create_dir_all(&certs).unwrap();
    for (from, to) in [
        (pki.ca(), "ca.pem"),
        (pki.client_cert(), "cert.pem"),
        (pki.client_key(), "key.pem"),
    ] {
        std::fs::copy(from, certs.join(to)).unwrap();
    }
    let ssh_config = sshd.client_config.display().to_string();
    let alias = format!("{ALIAS_PREFIX}fleet");
    let inventory = write_inventory(
        &dir,
        &format!(
            "[defaults]\nssh_user = \"root\"\nlabels = {{ team = \"platform\" }}\n\n\
             [[hosts]]\nname = \"local\"\naddress = \"{LOCAL}\"\n\n\
             [[hosts]]\nname = \"over-ssh\"\naddress = \"ssh://{alias}\"\nlabels = {{ via = \"ssh\" }}\n\n\
             [[hosts]]\nname = \"tls\"\naddress = \"{tls}\"\ncert_path = \"certs\"\n\n\
             [[hosts]]\nname = \"gone\"\naddress = \"{REFUSED}\"\n"
        ),
    );
    let (ca, cert, key) = (
        path(certs.join("ca.pem")),
        path(certs.join("cert.pem")),
        path(certs.join("key.pem")),
    );
    let ssh_url = format!("ssh://root@{alias}");
    let singles: [(&str, Vec<&str>); 3] = [
        ("local", vec!["--host", LOCAL]),
        ("over-ssh", vec!["--host", &ssh_url, "--ssh-config", &ssh_config]),
        (
            "tls",
            vec![
                "--host",
                &tls,
                "--tlsverify",
                "--tlscacert",
                &ca,
                "--tlscert",
                &cert,
                "--tlskey",
                &key,
            ],
        ),
    ];

    // Images of other tests come and go on the shared daemon: the single scans and the fleet run
    // are repeated (a few times at most) until they saw the same daemon.
    let mut attempt = 0;
    let (code, stdout, stderr, out_dir, alone) = loop {
        attempt += 1;
        let alone: Vec<(&str, i32, Report)> = singles
            .iter()
            .map(|(name, args)| {
                let (code, report) = scan_alone(args);
                (*name, code, report)
            })
            .collect();
        let out_dir = dir.join(&format!("out-{attempt}"));
        let (code, stdout, stderr) = run(&[
            "scan",
            "--inventory",
            &inventory,
            "--out-dir",
            out_dir.to_str().unwrap(),
            "--parallel",
            "4",
            "--ssh-config",
            &ssh_config,
            "--no-progress",
            SCOPE[0],
            SCOPE[1],
        ]);
        let s = summary(&out_dir);
        let same = alone.iter().all(|(name, _, single)| {
            host(&s, name)["report"].as_str().is_some_and(|file| {
                let r: Report = serde_json::from_str(&std::fs::read_to_string(out_dir.join(file)).unwrap()).unwrap();
                statuses(&r) == statuses(single)
            })
        });
        if same || attempt == 3 {
            break (code, stdout, stderr, out_dir, alone);
        }
    };

    // The unreachable host makes the run exit 2, and stops nothing.
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(stderr.contains("1 of 4 host(s) could not be audited"), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("HOST") && lines[0].ends_with("ERROR"), "{stdout}");
    for (line, name) in lines[1..5].iter().zip(["local", "over-ssh", "tls", "gone"]) {
        assert!(line.starts_with(&format!("{name} ")), "{stdout}");
    }
    assert!(
        lines[4].contains("unreachable") && lines[4].contains("127.0.0.1:1"),
        "{stdout}"
    );
    assert!(
        stdout.contains("4 hosts:") && stdout.contains("1 not audited"),
        "{stdout}"
    );

    // One report per audited host, and the summary in JSON and text.
    let names = files(&out_dir);
    assert_eq!(names.len(), 5, "{names:?}");
    let s = summary(&out_dir);
    assert_eq!(s["totals"]["hosts"], 4);
    assert_eq!(s["totals"]["not_audited"], 1);
    assert_eq!(s["parallel"], 4);
    assert_eq!(
        std::fs::read_to_string(out_dir.join("fleet-summary.txt")).unwrap(),
        stdout
    );
    let gone = host(&s, "gone");
    assert_eq!(gone["result"], "unreachable");
    assert!(gone["report"].is_null() && gone["score"].is_null(), "{gone}");
    assert_eq!(host(&s, "over-ssh")["labels"]["via"], "ssh");
    assert_eq!(host(&s, "over-ssh")["daemon"], format!("ssh://root@{alias}"));

    // Each report judges its host as the single-host scan of the same target does.
    for (name, single_code, single) in &alone {
        let row = host(&s, name);
        let file = row["report"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no report: {row}"));
        assert!(file.starts_with(&format!("{name}-")), "{file}");
        let report: Report = serde_json::from_str(&std::fs::read_to_string(out_dir.join(file)).unwrap()).unwrap();
        let (fleet, alone) = (statuses(&report), statuses(single));
        let differ: Vec<String> = alone
            .iter()
            .filter(|(id, st)| fleet.get(*id) != Some(st))
            .map(|(id, st)| format!("{id}: alone {st:?}, in the fleet {:?}", fleet.get(id)))
            .collect();
        assert!(differ.is_empty(), "{name}: {differ:#?}");
        assert_eq!(row["result"], if *single_code == 0 { "pass" } else { "fail" }, "{name}");
        assert_eq!(row["score"].as_f64(), report.summary.score.value, "{name}");
        assert_eq!(row["fails"], report.summary.counts.fail, "{name}");
        assert_eq!(row["labels"]["team"], "platform", "{name}");
    }
    // Host files: read on this machine for the socket and on the SSH host by the remote gather;
    // out of reach for the tcp:// daemon (host checks not applicable, not guessed).
    let report_of = |name: &str| -> Report {
        let file = host(&s, name)["report"].as_str().unwrap().to_string();
        serde_json::from_str(&std::fs::read_to_string(out_dir.join(file)).unwrap()).unwrap()
    };
    assert!(report_of("local").host.daemon.is_some());
    assert!(
        report_of("over-ssh").host.daemon.is_some(),
        "the SSH host was gathered there"
    );
    assert!(report_of("tls").host.daemon.is_none());
    assert_eq!(report_of("tls").result("3.1").unwrap().status, Status::NotApplicable);

    // With --allow-unreachable the exit code is the audited hosts' own, and --format json prints
    // the summary written to --out-dir.
    let out_dir = dir.join("out-allowed");
    let (code, stdout, stderr) = run(&[
        "scan",
        "--inventory",
        &inventory,
        "--out-dir",
        out_dir.to_str().unwrap(),
        "--ssh-config",
        &ssh_config,
        "--allow-unreachable",
        "--format",
        "json",
        SCOPE[0],
        SCOPE[1],
    ]);
    let expected = alone.iter().map(|(_, c, _)| *c).max().unwrap();
    assert_eq!(code, expected, "{stderr}");
    assert!(
        stderr.contains("could not be audited") && !stderr.contains("exit 2"),
        "{stderr}"
    );
    let printed: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(printed, summary(&out_dir));
    assert_eq!(
        printed["totals"]["pass"].as_u64().unwrap() + printed["totals"]["fail"].as_u64().unwrap(),
        3
    );
    drop(tls_daemon);
    drop(sshd);
}
