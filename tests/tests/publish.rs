//! `dockaudit publish` against a real S3-compatible store (Garage, started per test by
//! `dockaudit_tests::garage`) and a directory: the layout, read back and verified; reports never
//! overwritten; hostile host names kept in their folders; concurrent publishers losing nothing;
//! `--reindex` from the reports alone; `--viewer` served with the right content types;
//! `scan --publish`, and `scan --inventory … --publish` with every audited host published.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use dockaudit::publish::{Destination, S3Options, Store};
use dockaudit_shared::fleet::{self, FleetIndex, HostHistory, HostKey};
use dockaudit_shared::report::{Report, Status};
use dockaudit_shared::test_support as fixtures;
use dockaudit_tests::daemons::{is_root, RootfulDaemon};
use dockaudit_tests::docker::require_daemon;
use dockaudit_tests::garage::{http_get, Garage};
use dockaudit_tests::{dockaudit_bin, fixture, TempDir};

/// AWS variables a developer's shell may hold; every publish runs without them, so only what the
/// test gives counts.
const AWS_VARS: [&str; 12] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
];

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn out(o: &Output) -> String {
    format!(
        "{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `dockaudit ARGS` with Garage's credentials in the environment (and `--endpoint … --allow-http`
/// appended for S3 destinations).
fn command(garage: Option<&Garage>, args: &[&str]) -> Command {
    let mut cmd = Command::new(dockaudit_bin());
    cmd.args(args).env("NO_COLOR", "1");
    for v in AWS_VARS {
        cmd.env_remove(v);
    }
    if let Some(g) = garage {
        cmd.args(["--endpoint", &g.endpoint, "--allow-http"]);
        for (k, v) in g.aws_env() {
            cmd.env(k, v);
        }
    }
    cmd
}

fn run(garage: Option<&Garage>, args: &[&str]) -> Output {
    command(garage, args).output().expect("dockaudit runs")
}

fn spawn(garage: &Garage, args: &[&str]) -> Child {
    command(Some(garage), args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dockaudit starts")
}

/// A complete sealed report of `host` with 5.5 failing on `fails` containers.
fn report(host: &str, started_at: &str, run_id: &str, fails: usize) -> Report {
    let findings = (0..fails)
        .map(|i| fixtures::container(&format!("c{i}"), "privileged", "true", "false"))
        .collect::<Vec<_>>();
    let status = if fails > 0 { Status::Fail } else { Status::Pass };
    fixtures::report(
        host,
        started_at,
        run_id,
        vec![fixtures::result("5.5", status, "privileged containers", findings)],
    )
}

/// Writes sealed reports into `dir`; returns their paths.
fn write_reports(dir: &TempDir, reports: &[Report]) -> Vec<PathBuf> {
    reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let p = dir.join(&format!("report-{i}-{}.json", r.run.id.len()));
            std::fs::write(&p, fixtures::sealed(r)).unwrap();
            p
        })
        .collect()
}

fn strs(paths: &[PathBuf]) -> Vec<String> {
    paths.iter().map(|p| p.display().to_string()).collect()
}

/// The store as the tests read it back, through the same object_store client dockaudit uses.
struct Reader {
    store: Store,
    rt: tokio::runtime::Runtime,
}

impl Reader {
    fn s3(garage: &Garage, prefix: &str) -> Reader {
        let env: Vec<(&'static str, String)> = garage.aws_env();
        let lookup = move |name: &str| env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
        let options = S3Options {
            endpoint: Some(garage.endpoint.clone()),
            allow_http: true,
            ..S3Options::default()
        };
        let store = Destination::parse(&garage.url(prefix))
            .unwrap()
            .open_with(&options, &lookup)
            .unwrap();
        Reader {
            store,
            rt: tokio::runtime::Runtime::new().unwrap(),
        }
    }

    fn dir(path: &Path) -> Reader {
        let store = Destination::Directory(path.to_path_buf())
            .open(&S3Options::default())
            .unwrap();
        Reader {
            store,
            rt: tokio::runtime::Runtime::new().unwrap(),
        }
    }

    fn keys(&self) -> Vec<String> {
        self.rt
            .block_on(self.store.list(""))
            .unwrap()
            .into_iter()
            .map(|l| l.key)
            .collect()
    }

    fn get(&self, key: &str) -> Option<String> {
        self.rt
            .block_on(self.store.get(key))
            .unwrap()
            .map(|(b, _)| String::from_utf8(b.to_vec()).unwrap())
    }

    fn put(&self, key: &str, text: &str) {
        self.rt
            .block_on(self.store.put(key, text.as_bytes().to_vec().into(), "application/json"))
            .unwrap();
    }

    fn delete(&self, key: &str) {
        self.rt.block_on(self.store.delete(key)).unwrap();
    }

    fn index(&self) -> FleetIndex {
        fleet::parse_index(&self.get(fleet::INDEX_KEY).expect("index.json")).unwrap()
    }

    fn history(&self, host: &str) -> HostHistory {
        let key = HostKey::for_name(Some(host)).history_key();
        fleet::parse_history(&self.get(&key).unwrap_or_else(|| panic!("{key}"))).unwrap()
    }

    /// Every report key, each checked: the object verifies (digest), sits at the key its content
    /// gives, and every history and the index name exactly these reports.
    fn check_consistent(&self) -> BTreeSet<String> {
        let keys = self.keys();
        let reports: BTreeSet<String> = keys.iter().filter(|k| k.starts_with("reports/")).cloned().collect();
        for key in &reports {
            let text = self.get(key).unwrap();
            let loaded = dockaudit_shared::load::load(&text).unwrap();
            assert!(loaded.digest.is_valid(), "{key}: {:?}", loaded.digest);
            let r = &loaded.report;
            let expected = HostKey::for_name(fleet::host_name(r)).report_key(&r.run.started_at, &r.run.id);
            assert_eq!(&expected, key);
        }
        let index = self.index();
        let mut in_histories = BTreeSet::new();
        for host in &index.hosts {
            let h: HostHistory = fleet::parse_history(&self.get(&host.history_key).unwrap()).unwrap();
            assert_eq!(h.latest(), Some(&host.latest), "{}", host.key);
            assert_eq!(h.runs.len() as u32, host.runs);
            for run in &h.runs {
                let text = self.get(&run.report_key).expect("every listed report exists");
                let loaded = dockaudit_shared::load::load(&text).unwrap();
                assert_eq!(loaded.digest.computed(), run.digest, "{}", run.report_key);
                in_histories.insert(run.report_key.clone());
            }
        }
        assert_eq!(
            in_histories, reports,
            "histories and index name every report, and only those"
        );
        reports
    }
}

#[test]
fn a_fleet_published_to_garage_reads_back_verified_and_is_never_overwritten() {
    let garage = Garage::start("fleet");
    let dir = TempDir::new("publish-s3");
    let reports = vec![
        report("web-1", "2026-03-01T10:00:00Z", "run-w1a", 2),
        report("web-1", "2026-03-02T10:00:00Z", "run-w1b", 0),
        report("db-1", "2026-03-01T11:00:00Z", "run-d1", 1),
        report("cache-1", "2026-03-01T12:00:00Z", "run-c1", 3),
    ];
    let paths = write_reports(&dir, &reports);
    let dest = garage.url("prod");
    let mut args = vec!["publish", "--to", &dest, "--host-label", "env=prod"];
    let p = strs(&paths);
    args.extend(p.iter().map(String::as_str));
    let o = run(Some(&garage), &args);
    assert_eq!(code(&o), 0, "{}", out(&o));
    assert!(out(&o).contains("index.json lists 3 host(s)"), "{}", out(&o));

    let s3 = Reader::s3(&garage, "prod");
    let keys = s3.check_consistent();
    assert_eq!(keys.len(), 4);
    // Each report is stored byte for byte as written.
    for (path, r) in paths.iter().zip(&reports) {
        let key = HostKey::for_name(fleet::host_name(r)).report_key(&r.run.started_at, &r.run.id);
        assert_eq!(s3.get(&key).unwrap(), std::fs::read_to_string(path).unwrap());
    }
    let web = s3.history("web-1");
    assert_eq!(web.runs.len(), 2);
    assert_eq!(web.runs[0].run_id, "run-w1a");
    assert_eq!(web.runs[0].statuses["5.5"], Status::Fail);
    assert_eq!(web.runs[0].offenders["5.5"], 2);
    assert_eq!(web.latest().unwrap().statuses["5.5"], Status::Pass);
    assert_eq!(web.labels["env"], "prod");
    let index = s3.index();
    let hosts: Vec<&str> = index.hosts.iter().map(|h| h.key.as_str()).collect();
    assert_eq!(hosts, ["cache-1", "db-1", "web-1"]);
    assert_eq!(index.hosts[0].latest.offenders["5.5"], 3);
    assert_eq!(index.hosts[2].runs, 2);

    // The same report again: already there, identical, fine.
    let again = run(Some(&garage), &["publish", "--to", &dest, &p[0]]);
    assert_eq!(code(&again), 0, "{}", out(&again));
    assert!(out(&again).contains("present"), "{}", out(&again));

    // Another report under the same key (same host, time and run id): refused, the stored one kept.
    let mut forged = reports[0].clone();
    forged.results.iter_mut().for_each(|r| {
        if r.id == "5.5" {
            r.status = Status::Pass;
            r.findings.clear();
        }
    });
    forged.refresh_summary();
    let forged_path = dir.join("forged.json");
    std::fs::write(&forged_path, fixtures::sealed(&forged)).unwrap();
    let o = run(
        Some(&garage),
        &["publish", "--to", &dest, &forged_path.display().to_string()],
    );
    assert_eq!(code(&o), 2, "{}", out(&o));
    assert!(out(&o).contains("never overwritten"), "{}", out(&o));
    let key = HostKey::for_name(Some("web-1")).report_key("2026-03-01T10:00:00Z", "run-w1a");
    assert_eq!(s3.get(&key).unwrap(), std::fs::read_to_string(&paths[0]).unwrap());

    // A report changed after it was written is not published; neither is anything beside it.
    let tampered = dir.join("tampered.json");
    let fresh = dir.join("fresh.json");
    std::fs::write(
        &fresh,
        fixtures::sealed(&report("new-1", "2026-03-05T00:00:00Z", "n", 0)),
    )
    .unwrap();
    std::fs::write(
        &tampered,
        std::fs::read_to_string(&paths[2]).unwrap().replace("db-1", "db-2"),
    )
    .unwrap();
    let o = run(
        Some(&garage),
        &[
            "publish",
            "--to",
            &dest,
            &fresh.display().to_string(),
            &tampered.display().to_string(),
        ],
    );
    assert_eq!(code(&o), 2, "{}", out(&o));
    assert!(out(&o).contains("was modified after it was written"), "{}", out(&o));
    assert_eq!(s3.check_consistent(), keys, "nothing was uploaded");

    // Plain HTTP only when asked for.
    let mut cmd = command(None, &["publish", "--to", &dest, &p[0], "--endpoint", &garage.endpoint]);
    for (k, v) in garage.aws_env() {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    assert_eq!(code(&o), 2, "{}", out(&o));
    assert!(out(&o).contains("--allow-http"), "{}", out(&o));

    // Wrong credentials: a clear error, exit 2.
    let mut cmd = command(
        None,
        &[
            "publish",
            "--to",
            &dest,
            &p[0],
            "--endpoint",
            &garage.endpoint,
            "--allow-http",
        ],
    );
    cmd.env("AWS_ACCESS_KEY_ID", "GK000000000000000000000000")
        .env("AWS_SECRET_ACCESS_KEY", "0".repeat(64))
        .env("AWS_REGION", dockaudit_tests::garage::REGION);
    let o = cmd.output().unwrap();
    assert_eq!(code(&o), 2, "{}", out(&o));
}

#[test]
fn hostile_host_names_stay_in_their_folders() {
    let garage = Garage::start("hostile");
    let dir = TempDir::new("publish-hostile");
    let long = "h".repeat(300);
    let names = [
        "../../index",
        "a/b",
        "a_b",
        "..",
        "ホスト",
        "web-1\u{1b}[31m",
        long.as_str(),
        "UPPER",
    ];
    let reports: Vec<Report> = names
        .iter()
        .enumerate()
        .map(|(i, n)| report(n, "2026-03-01T10:00:00Z", &format!("../run/{i}"), i))
        .collect();
    let paths = write_reports(&dir, &reports);
    let dest = garage.url("");
    let mut args = vec!["publish", "--to", &dest];
    let p = strs(&paths);
    args.extend(p.iter().map(String::as_str));
    let o = run(Some(&garage), &args);
    assert_eq!(code(&o), 0, "{}", out(&o));
    assert!(!out(&o).contains('\u{1b}'), "terminal output is cleaned");

    let s3 = Reader::s3(&garage, "");
    assert_eq!(s3.check_consistent().len(), names.len());
    for key in s3.keys() {
        let parts: Vec<&str> = key.split('/').collect();
        let ok = match parts.as_slice() {
            ["index.json"] => true,
            ["hosts", h] => fleet::key::host_of_history_key(&key).is_some() && h.ends_with(".json"),
            ["reports", _, _] => fleet::key::host_of_report_key(&key).is_some(),
            _ => false,
        };
        assert!(ok, "{key:?} is outside the layout");
        assert!(
            parts.iter().all(|p| !p.is_empty() && *p != "." && *p != ".."),
            "{key:?}"
        );
    }
    let index = s3.index();
    assert_eq!(index.hosts.len(), names.len(), "no two hostile names share a key");
    let shown: BTreeSet<&str> = index.hosts.iter().filter_map(|h| h.host.as_deref()).collect();
    assert_eq!(
        shown,
        names.iter().copied().collect(),
        "the index keeps each host's real name"
    );

    // A report that names a check twice could hide a failure: refused.
    let repeated = dir.join("repeated.json");
    std::fs::write(&repeated, fixtures::sealed(&fixtures::hostile())).unwrap();
    let o = run(
        Some(&garage),
        &["publish", "--to", &dest, &repeated.display().to_string()],
    );
    assert_eq!(code(&o), 2, "{}", out(&o));
    assert!(out(&o).contains("more than one result"), "{}", out(&o));
    assert!(!out(&o).contains('\u{1b}'));
}

/// Two publishers of one host and two of other hosts at once, in three rounds: after they all
/// exit, every report is in its host's history and every host in the index, with no repair
/// publish and no `--reindex`.
#[test]
fn concurrent_publishers_lose_no_entry() {
    let garage = Garage::start("race");
    let dir = TempDir::new("publish-race");
    let dest = garage.url("fleet");
    let s3 = Reader::s3(&garage, "fleet");
    let mut expected = 0;
    for round in 0..3 {
        let batches: Vec<Vec<Report>> = [("shared-1", 0), ("shared-1", 1), ("solo-a", 2), ("solo-b", 3)]
            .iter()
            .map(|(host, who)| {
                (0..3)
                    .map(|i| {
                        let at = format!("2026-04-0{}T0{}:0{}:00Z", round + 1, who, i);
                        report(host, &at, &format!("r{round}-{who}-{i}"), i)
                    })
                    .collect()
            })
            .collect();
        let children: Vec<Child> = batches
            .iter()
            .enumerate()
            .map(|(b, batch)| {
                let sub = dir.join(&format!("r{round}-b{b}"));
                std::fs::create_dir_all(&sub).unwrap();
                let paths: Vec<String> = batch
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let p = sub.join(format!("{i}.json"));
                        std::fs::write(&p, fixtures::sealed(r)).unwrap();
                        p.display().to_string()
                    })
                    .collect();
                let mut args = vec!["publish", "--to", dest.as_str()];
                args.extend(paths.iter().map(String::as_str));
                spawn(&garage, &args)
            })
            .collect();
        for child in children {
            let o = child.wait_with_output().unwrap();
            assert_eq!(code(&o), 0, "{}", out(&o));
        }
        expected += 12;
        let keys = s3.check_consistent();
        assert_eq!(keys.len(), expected, "round {round}");
        let index = s3.index();
        let hosts: Vec<&str> = index.hosts.iter().map(|h| h.key.as_str()).collect();
        assert_eq!(hosts, ["shared-1", "solo-a", "solo-b"]);
        assert_eq!(s3.history("shared-1").runs.len(), 6 * (round + 1));
    }
}

#[test]
fn reindex_rebuilds_histories_and_index_from_the_reports_alone() {
    let garage = Garage::start("reindex");
    let dir = TempDir::new("publish-reindex");
    let reports = vec![
        report("web-1", "2026-03-01T10:00:00Z", "a", 1),
        report("web-1", "2026-03-03T10:00:00Z", "b", 0),
        report("db-1", "2026-03-02T10:00:00Z", "c", 2),
    ];
    let p = strs(&write_reports(&dir, &reports));
    let dest = garage.url("x");
    let mut args = vec!["publish", "--to", &dest, "--host-label", "team=ops"];
    args.extend(p.iter().map(String::as_str));
    assert_eq!(code(&run(Some(&garage), &args)), 0);
    let s3 = Reader::s3(&garage, "x");
    let before_index = s3.index();
    let before_web = s3.history("web-1");

    // Lose every derived object, plant a stale history of a host with no reports, a history that
    // lies about web-1, and a report changed in the store.
    s3.delete(fleet::INDEX_KEY);
    s3.delete(&HostKey::for_name(Some("db-1")).history_key());
    let mut lying = before_web.clone();
    lying.runs.truncate(1);
    lying.runs[0].statuses.insert("5.5".into(), Status::Pass);
    s3.put(
        &HostKey::for_name(Some("web-1")).history_key(),
        &serde_json::to_string(&lying).unwrap(),
    );
    s3.put(
        "hosts/ghost.json",
        &serde_json::to_string(&HostHistory::new(HostKey::for_name(Some("ghost")))).unwrap(),
    );
    let changed_key = HostKey::for_name(Some("db-1")).report_key("2026-03-09T00:00:00Z", "z");
    let changed = fixtures::sealed(&report("db-1", "2026-03-09T00:00:00Z", "z", 0)).replace("\"pass\"", "\"fail\"");
    s3.put(&changed_key, &changed);

    let o = run(Some(&garage), &["publish", "--reindex", "--to", &dest]);
    assert_eq!(code(&o), 0, "{}", out(&o));
    assert!(out(&o).contains("left out of the history"), "{}", out(&o));
    assert!(s3.get("hosts/ghost.json").is_none());
    // The same index, rebuilt; only db-1's labels are gone with its deleted history (reports do
    // not carry labels), while web-1 keeps the labels of the history that was replaced.
    let mut expected = before_index.hosts.clone();
    expected[0].labels.clear();
    assert_eq!(expected[0].key.as_str(), "db-1");
    assert_eq!(s3.index().hosts, expected, "the same index, rebuilt");
    assert_eq!(
        s3.history("web-1"),
        before_web,
        "the lying history is replaced (labels kept)"
    );
    assert!(!s3.history("db-1").contains(&changed_key));
    // Everything but the changed report is consistent.
    s3.delete(&changed_key);
    s3.check_consistent();
}

#[test]
fn the_viewer_is_uploaded_with_content_types_the_store_serves() {
    let garage = Garage::start("site");
    let viewer = TempDir::new("publish-viewer");
    let files = [
        ("index.html", "text/html; charset=utf-8"),
        ("boot.js", "text/javascript; charset=utf-8"),
        ("dockaudit_viewer_bg.wasm", "application/wasm"),
        ("style.css", "text/css; charset=utf-8"),
        ("icons/logo.svg", "image/svg+xml"),
    ];
    for (name, _) in files {
        let p = viewer.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, format!("content of {name}")).unwrap();
    }
    let dest = garage.url("");
    let dir_arg = viewer.path().display().to_string();
    let o = run(
        Some(&garage),
        &["publish", "--viewer", "--viewer-dir", &dir_arg, "--to", &dest],
    );
    assert_eq!(code(&o), 0, "{}", out(&o));

    // Served by Garage's website endpoint, as a browser would get it.
    let allow = garage.cli(&["bucket", "website", "--allow", "site"]);
    assert!(allow.status.success(), "{}\n{}", out(&allow), garage.log());
    let port: u16 = garage.web_endpoint.rsplit(':').next().unwrap().parse().unwrap();
    for (name, content_type) in files {
        let (status, headers, body) =
            http_get(port, &format!("/{name}"), "site.web.localhost").expect("web endpoint answers");
        assert_eq!(status, 200, "{name}");
        let ct = headers
            .iter()
            .find(|(k, _)| k == "content-type")
            .map(|(_, v)| v.as_str());
        assert_eq!(ct, Some(content_type), "{name}");
        assert_eq!(body, format!("content of {name}").into_bytes());
    }

    // A directory that is not a built viewer is refused.
    let empty = TempDir::new("publish-viewer-empty");
    let o = run(
        Some(&garage),
        &[
            "publish",
            "--viewer",
            "--viewer-dir",
            &empty.path().display().to_string(),
            "--to",
            &dest,
        ],
    );
    assert_eq!(code(&o), 2, "{}", out(&o));
    assert!(out(&o).contains("not built"), "{}", out(&o));
}

#[test]
fn a_directory_destination_and_scan_publish_use_the_same_layout() {
    let dir = TempDir::new("publish-dir");
    let site = dir.join("site");
    let reports = vec![
        report("web-1", "2026-03-01T10:00:00Z", "a", 1),
        report("db-1", "2026-03-02T10:00:00Z", "b", 0),
    ];
    let p = strs(&write_reports(&dir, &reports));
    let site_arg = site.display().to_string();
    let mut args = vec!["publish", "--to", &site_arg];
    args.extend(p.iter().map(String::as_str));
    let o = run(None, &args);
    assert_eq!(code(&o), 0, "{}", out(&o));

    // A real scan (the checked-in facts snapshot, replayed) published on the way.
    let facts = fixture("facts/debian12-docker20.10.json").display().to_string();
    let json = dir.join("scan.json").display().to_string();
    let o = run(
        None,
        &[
            "scan",
            "--facts-in",
            &facts,
            "--format",
            "json",
            "-o",
            &json,
            "--fail-on",
            "never",
            "--publish",
            &site_arg,
        ],
    );
    assert_eq!(code(&o), 0, "{}", out(&o));
    assert!(out(&o).contains("published"), "{}", out(&o));

    let local = Reader::dir(&site);
    let keys = local.check_consistent();
    assert_eq!(keys.len(), 3);
    let scanned = dockaudit_shared::load::load(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let key = HostKey::for_name(fleet::host_name(&scanned.report))
        .report_key(&scanned.report.run.started_at, &scanned.report.run.id);
    assert_eq!(local.get(&key).unwrap(), std::fs::read_to_string(&json).unwrap());
    assert_eq!(local.index().hosts.len(), 3);

    // Never overwritten on a directory either.
    let mut other = reports[0].clone();
    other.host.os = Some("changed".into());
    let other_path = dir.join("other.json");
    std::fs::write(&other_path, fixtures::sealed(&other)).unwrap();
    let o = run(None, &["publish", "--to", &site_arg, &other_path.display().to_string()]);
    assert_eq!(code(&o), 2, "{}", out(&o));
    assert!(out(&o).contains("never overwritten"), "{}", out(&o));

    // Nothing to do is a usage error, not a silent success.
    let o = run(None, &["publish", "--to", &site_arg]);
    assert_eq!(code(&o), 2, "{}", out(&o));
}

/// `scan --inventory … --publish s3://…` against the real daemons: the test daemon and a second
/// dockerd that is another host by name (its own UTS namespace), plus a host nothing answers
/// for. Each audited host's report is in the store byte for byte as in `--out-dir`, its history
/// carries the inventory's labels, index.json lists both hosts, and the unreachable one publishes
/// nothing and still makes the run exit 2.
#[test]
fn a_fleet_scan_publishes_every_audited_host() {
    if !is_root() {
        eprintln!("skipped: the second dockerd needs root");
        return;
    }
    require_daemon();
    let garage = Garage::start("fleetscan");
    let other_name = format!("da-pub-other-{}", std::process::id());
    let other = RootfulDaemon::start_with_hostname("pub", &other_name, &[], "{}")
        .unwrap_or_else(|e| panic!("second dockerd: {e}"));
    let dir = TempDir::new("publish-fleet");
    let inventory = dir.join("fleet.toml");
    std::fs::write(
        &inventory,
        format!(
            "[defaults]\nlabels = {{ team = \"platform\" }}\n\n\
             [[hosts]]\nname = \"local\"\naddress = \"unix:///var/run/docker.sock\"\nlabels = {{ env = \"test\" }}\n\n\
             [[hosts]]\nname = \"other\"\naddress = \"{}\"\nlabels = {{ env = \"staging\" }}\n\n\
             [[hosts]]\nname = \"gone\"\naddress = \"tcp://127.0.0.1:1\"\n",
            other.endpoint
        ),
    )
    .unwrap();
    let out_dir = dir.join("out");
    let dest = garage.url("fleet");
    let o = run(
        Some(&garage),
        &[
            "scan",
            "--inventory",
            inventory.to_str().unwrap(),
            "--out-dir",
            out_dir.to_str().unwrap(),
            "--publish",
            &dest,
            "--no-progress",
            // No container of any test is in scope: the reports do not depend on them.
            "--label",
            "dockaudit-publish-test-scope=none",
        ],
    );
    assert_eq!(code(&o), 2, "{}", out(&o));
    assert!(out(&o).contains("published 2 report(s)"), "{}", out(&o));

    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("fleet-summary.json")).unwrap()).unwrap();
    let row = |name: &str| -> serde_json::Value {
        summary["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} missing: {summary}"))
    };
    assert_eq!(row("gone")["result"], "unreachable");
    assert!(row("gone")["published"].is_null());

    let s3 = Reader::s3(&garage, "fleet");
    let keys = s3.check_consistent();
    assert_eq!(keys.len(), 2, "{keys:?}");
    let mut hostnames = Vec::new();
    for (name, env) in [("local", "test"), ("other", "staging")] {
        let file = row(name)["report"].as_str().unwrap().to_string();
        let text = std::fs::read_to_string(out_dir.join(&file)).unwrap();
        let loaded = dockaudit_shared::load::load(&text).unwrap();
        let r = &loaded.report;
        let host = fleet::host_name(r).expect("a host name").to_string();
        let key = HostKey::for_name(Some(&host)).report_key(&r.run.started_at, &r.run.id);
        assert_eq!(
            s3.get(&key).as_deref(),
            Some(text.as_str()),
            "{name}: stored as written"
        );
        assert_eq!(row(name)["published"], format!("{dest}/{key}"), "{name}");
        let history = s3.history(&host);
        assert_eq!(history.runs.len(), 1, "{name}");
        assert_eq!(history.labels["env"], env, "{name}");
        assert_eq!(history.labels["team"], "platform", "{name}");
        hostnames.push(host);
    }
    assert_eq!(hostnames[1], other_name, "the second daemon is another host");
    let mut listed: Vec<String> = s3.index().hosts.iter().map(|h| h.key.as_str().to_string()).collect();
    listed.sort();
    let mut expected: Vec<String> = hostnames
        .iter()
        .map(|h| HostKey::for_name(Some(h)).as_str().to_string())
        .collect();
    expected.sort();
    assert_eq!(listed, expected);
    drop(other);
}
