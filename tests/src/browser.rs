//! Infrastructure for the viewer's browser tests, using only std, serde_json, anyhow and
//! `dockaudit_shared`: the built site ([`viewer_dist`]), a tiny static file server
//! ([`StaticServer`]), a chromedriver child process that takes its browsers with it when dropped
//! ([`ChromeDriver`]), the Chromium capabilities, everything a test needs before it opens its
//! WebDriver session ([`BrowserRig`]), and report fixtures generated in code ([`fixtures`]).
//!
//! The WebDriver client itself (fantoccini) lives in the test files, so this library stays free of
//! async and HTTP-client dependencies; that is also what lets `cargo xtask bench` reuse the server
//! and chromedriver instead of keeping copies.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{bail, Context};
use serde_json::{json, Value};

use crate::{workspace_root, TempDir};

/// Chromium binary (override with `CHROME_BIN`).
pub fn chromium_path() -> PathBuf {
    std::env::var_os("CHROME_BIN").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// chromedriver binary (override with `CHROMEDRIVER`).
pub fn chromedriver_path() -> PathBuf {
    std::env::var_os("CHROMEDRIVER").map_or_else(|| PathBuf::from("/usr/bin/chromedriver"), PathBuf::from)
}

/// What is missing of Chromium and chromedriver, with how to install it; `None` when both are there.
pub fn missing_browser() -> Option<String> {
    [
        ("Chromium", chromium_path(), "chromium", "CHROME_BIN"),
        ("chromedriver", chromedriver_path(), "chromium-driver", "CHROMEDRIVER"),
    ]
    .into_iter()
    .find(|(_, path, _, _)| !path.is_file())
    .map(|(what, path, package, var)| {
        format!(
            "{what} is required but {} does not exist. \
             Install it (Debian: `apt-get install -y {package}`) or point {var} at it.",
            path.display()
        )
    })
}

/// Fails the test with instructions when the browser or its driver is not installed: a browser
/// test that silently passes without a browser would prove nothing.
pub fn require_browser() {
    if let Some(missing) = missing_browser() {
        panic!("the viewer's browser tests cannot run: {missing}");
    }
}

/// Serialises browser tests within one test binary: two cores cannot run several Chromiums well.
pub fn browser_lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `viewer/dist`, built with `cargo run -p xtask -- build-viewer` when it is missing or older than
/// the viewer's sources (once per test binary).
pub fn viewer_dist() -> PathBuf {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let result = BUILT.get_or_init(|| {
        let root = workspace_root();
        let dist = root.join("viewer/dist");
        let index = dist.join("index.html");
        let built_at = std::fs::metadata(&index).and_then(|m| m.modified()).ok();
        let newest_source = ["viewer/src", "viewer/static", "shared/src"]
            .iter()
            .filter_map(|d| newest_mtime(&root.join(d)))
            .max();
        let stale = match (built_at, newest_source) {
            (None, _) => true,
            (Some(built), Some(src)) => src > built,
            (Some(_), None) => false,
        };
        if stale {
            eprintln!("viewer/dist is missing or stale: running `cargo run -p xtask -- build-viewer`");
            let status = Command::new(env!("CARGO"))
                .args(["run", "-q", "-p", "xtask", "--", "build-viewer"])
                .current_dir(&root)
                .status()
                .map_err(|e| format!("could not run cargo: {e}"))?;
            if !status.success() {
                return Err(format!("`cargo run -p xtask -- build-viewer` failed with {status}"));
            }
        }
        if index.is_file() {
            Ok(dist)
        } else {
            Err(format!("{} is missing after the build", index.display()))
        }
    });
    match result {
        Ok(p) => p.clone(),
        Err(e) => panic!("{e}"),
    }
}

fn newest_mtime(dir: &Path) -> Option<SystemTime> {
    let mut newest = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let t = if path.is_dir() {
            newest_mtime(&path)
        } else {
            entry.metadata().and_then(|m| m.modified()).ok()
        };
        newest = newest.max(t);
    }
    newest
}

/// A static file server on 127.0.0.1 that serves directories under URL prefixes, one thread per
/// connection (Chromium opens speculative connections that never send a request).
pub struct StaticServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves each `(prefix, dir)`; the longest matching prefix wins. `prefix` starts and ends with `/`.
    pub fn start(mounts: Vec<(String, PathBuf)>) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let mounts = Arc::new(mounts);
        let flag = stop.clone();
        let accept = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let mounts = mounts.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &mounts);
                });
            }
        });
        Ok(StaticServer {
            addr,
            stop,
            accept: Some(accept),
        })
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let hex = |c: u8| (c as char).to_digit(16).and_then(|d| u8::try_from(d).ok());
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Maps a request path to a file under one of the mounts, refusing anything that climbs out.
fn resolve(mounts: &[(String, PathBuf)], raw_path: &str) -> Option<PathBuf> {
    let path = percent_decode(raw_path.split(['?', '#']).next().unwrap_or("/"));
    let (prefix, dir) = mounts
        .iter()
        .filter(|(p, _)| path.starts_with(p.as_str()))
        .max_by_key(|(p, _)| p.len())?;
    let mut rel = path[prefix.len()..].to_string();
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    let rel = Path::new(&rel);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let file = dir.join(rel);
    file.is_file().then_some(file)
}

fn serve(stream: TcpStream, mounts: &[(String, PathBuf)]) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let mut stream = stream;
    let (status, kind, body) = match (method, resolve(mounts, target)) {
        ("GET" | "HEAD", Some(file)) => {
            let mut body = Vec::new();
            std::fs::File::open(&file)?.read_to_end(&mut body)?;
            ("200 OK", content_type(&file), body)
        }
        ("GET" | "HEAD", None) => ("404 Not Found", "text/plain", b"not found".to_vec()),
        _ => ("405 Method Not Allowed", "text/plain", b"method not allowed".to_vec()),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// A free TCP port on 127.0.0.1 (bound, then released).
pub fn free_port() -> std::io::Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
}

/// A chromedriver child in its own process group; dropping it kills the group, so the Chromium it
/// started goes too, even when a test panics before closing its session.
pub struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    /// Starts chromedriver on a free port and waits until it accepts connections; fails the test
    /// when the browser is missing or the driver does not come up.
    pub fn start() -> Self {
        require_browser();
        Self::try_start().unwrap_or_else(|e| panic!("{e:#}"))
    }

    /// [`ChromeDriver::start`] for callers that report errors instead of panicking (the bench).
    pub fn try_start() -> anyhow::Result<Self> {
        let binary = chromedriver_path();
        let port = free_port().context("finding a free port for chromedriver")?;
        let mut cmd = Command::new(&binary);
        cmd.arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let child = cmd
            .spawn()
            .with_context(|| format!("could not start {}", binary.display()))?;
        // Owned from here on, so an early return below still kills it.
        let driver = ChromeDriver { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() >= deadline {
                bail!("chromedriver did not listen on port {port} within 20 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }

    /// The port chromedriver listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The WebDriver endpoint.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            let group = format!("-{}", self.child.id());
            let _ = Command::new("kill")
                .args(["-KILL", "--", &group])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// WebDriver capabilities for headless Chromium with a fresh profile in `profile_dir`, plus
/// `extra_args` on Chromium's command line.
pub fn chrome_capabilities(profile_dir: &Path, extra_args: &[&str]) -> serde_json::Map<String, Value> {
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
    ]
    .iter()
    .chain(extra_args)
    .map(|a| (*a).to_string())
    .collect();
    args.push(format!("--user-data-dir={}", profile_dir.display()));
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium_path().to_string_lossy(),
            "args": args,
        },
    });
    match caps {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// Everything one browser test needs before it opens its WebDriver session: its turn at the
/// browser ([`browser_lock`]), `viewer/dist` served at `/` with the test's files under
/// `/reports/`, a chromedriver, a fresh Chromium profile and a download directory.
///
/// The turn is held across the test's awaits on purpose: each test has its own thread and
/// runtime, so nothing else on that runtime waits for the lock. Fields drop in order: the server,
/// chromedriver with its Chromium, the scratch directories, and the turn last.
pub struct BrowserRig {
    pub server: StaticServer,
    pub driver: ChromeDriver,
    /// The directory served under `/reports/` (tests also upload files from it).
    pub reports: TempDir,
    /// Where Chromium saves downloads.
    pub downloads: TempDir,
    profile: TempDir,
    _turn: MutexGuard<'static, ()>,
}

impl BrowserRig {
    /// Waits for the browser, writes `files` (name, text) to the reports directory and starts
    /// the server and chromedriver; `tag` names the scratch directories.
    pub fn start(tag: &str, files: &[(&str, String)]) -> Self {
        let turn = browser_lock();
        let dist = viewer_dist();
        let reports = TempDir::new(&format!("{tag}-reports"));
        for (name, text) in files {
            std::fs::write(reports.join(name), text).expect("write fixture");
        }
        let downloads = TempDir::new(&format!("{tag}-downloads"));
        let server = StaticServer::start(vec![
            ("/".into(), dist),
            ("/reports/".into(), reports.path().to_path_buf()),
        ])
        .expect("static server");
        let driver = ChromeDriver::start();
        let profile = TempDir::new(&format!("{tag}-chromium-profile"));
        BrowserRig {
            server,
            driver,
            reports,
            downloads,
            profile,
            _turn: turn,
        }
    }

    /// [`chrome_capabilities`] with this rig's profile, saving downloads to [`Self::downloads`]
    /// without asking.
    pub fn capabilities(&self) -> serde_json::Map<String, Value> {
        let mut caps = chrome_capabilities(self.profile.path(), &[]);
        if let Some(options) = caps.get_mut("goog:chromeOptions").and_then(Value::as_object_mut) {
            options.insert(
                "prefs".into(),
                json!({
                    "download.default_directory": self.downloads.path().to_string_lossy(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                }),
            );
        }
        caps
    }
}

/// Reports generated in code: two runs of one host with known changes, a hostile report, broken
/// files and a docker-bench-security log.
pub mod fixtures {
    use dockaudit_shared::catalog::{self, Evaluation};
    use dockaudit_shared::report::{
        Benchmark, CheckResult, DockerEngine, Finding, Host, Report, Run, Status, Target, TargetKind, Tool,
        SCHEMA_VERSION,
    };
    use dockaudit_shared::summary::Summary;
    use serde_json::json;

    /// A finding about a container: what was seen and what was expected of it.
    pub fn container(name: &str, message: &str, observed: &str, expected: &str) -> Finding {
        Finding {
            target: Target::new(TargetKind::Container, format!("{:0>12x}", name.len() * 0x1f3d), name),
            message: message.into(),
            observed: observed.into(),
            expected: expected.into(),
            remediation: format!("Recreate {name} with the fix."),
        }
    }

    /// A result for `id` with findings.
    pub fn result(id: &str, status: Status, summary: &str, findings: Vec<Finding>) -> CheckResult {
        let mut r = CheckResult::for_id(id, status, summary);
        r.findings = findings;
        r
    }

    /// A complete report: every catalogue check, automatic ones passing and review ones manual,
    /// with `overrides` replacing results by id.
    pub fn report(host: &str, started_at: &str, run_id: &str, overrides: Vec<CheckResult>) -> Report {
        let results: Vec<CheckResult> = catalog::all()
            .map(|m| {
                overrides
                    .iter()
                    .find(|o| o.id == m.id)
                    .cloned()
                    .unwrap_or_else(|| match m.evaluation {
                        Evaluation::Automatic => CheckResult::for_id(m.id, Status::Pass, "Meets the recommendation."),
                        Evaluation::Review => CheckResult::for_id(m.id, Status::Manual, "A person must review this."),
                    })
            })
            .collect();
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "dockaudit".into(),
                version: "0.1.0".into(),
            },
            benchmark: Benchmark::default(),
            run: Run {
                id: run_id.into(),
                started_at: started_at.into(),
                finished_at: started_at.into(),
                duration_ms: 1200,
                command_line: vec!["dockaudit".into(), "scan".into()],
                ..Run::default()
            },
            host: Host {
                hostname: Some(host.into()),
                os: Some("Debian GNU/Linux 12 (bookworm)".into()),
                kernel: Some("6.1.0".into()),
                architecture: Some("x86_64".into()),
                docker: DockerEngine {
                    server_version: Some("20.10.24".into()),
                    api_version: Some("1.41".into()),
                    ..DockerEngine::default()
                },
            },
            summary: Summary::compute(&results),
            results,
            errors: vec![],
            derived_from: None,
            signoff: None,
            digest: None,
        }
    }

    /// Monday's run: 5.5 passes, 2.2 fails, 5.11 fails on web and db, 5.13 fails on web.
    pub fn monday() -> Report {
        report(
            "node-1",
            "2026-01-05T10:00:00Z",
            "run-monday",
            vec![
                result(
                    "2.2",
                    Status::Fail,
                    "Inter-container communication is enabled.",
                    vec![Finding {
                        target: Target::new(TargetKind::Daemon, "daemon", "Docker daemon"),
                        message: "icc is true".into(),
                        observed: "icc=true".into(),
                        expected: "icc=false".into(),
                        remediation: "Set \"icc\": false in daemon.json.".into(),
                    }],
                ),
                result(
                    "5.11",
                    Status::Fail,
                    "2 containers have no memory limit.",
                    vec![
                        container(
                            "web",
                            "web has no memory limit",
                            "HostConfig.Memory=0",
                            "HostConfig.Memory>0",
                        ),
                        container(
                            "db",
                            "db has no memory limit",
                            "HostConfig.Memory=0",
                            "HostConfig.Memory>0",
                        ),
                    ],
                ),
                result(
                    "5.13",
                    Status::Fail,
                    "1 container has a writable root filesystem.",
                    vec![container(
                        "web",
                        "web's root filesystem is writable",
                        "HostConfig.ReadonlyRootfs=false",
                        "HostConfig.ReadonlyRootfs=true",
                    )],
                ),
            ],
        )
    }

    /// Tuesday's run: 5.5 regressed (api is privileged), 2.2 fixed, 5.11 now fails on db and
    /// cache (web resolved), 5.13 unchanged.
    pub fn tuesday() -> Report {
        report(
            "node-1",
            "2026-01-06T10:00:00Z",
            "run-tuesday",
            vec![
                result(
                    "5.5",
                    Status::Fail,
                    "1 container runs privileged.",
                    vec![container(
                        "api",
                        "api runs privileged",
                        "HostConfig.Privileged=true",
                        "HostConfig.Privileged=false",
                    )],
                ),
                result(
                    "5.11",
                    Status::Fail,
                    "2 containers have no memory limit.",
                    vec![
                        container(
                            "db",
                            "db has no memory limit",
                            "HostConfig.Memory=0",
                            "HostConfig.Memory>0",
                        ),
                        container(
                            "cache",
                            "cache has no memory limit",
                            "HostConfig.Memory=0",
                            "HostConfig.Memory>0",
                        ),
                    ],
                ),
                result(
                    "5.13",
                    Status::Fail,
                    "1 container has a writable root filesystem.",
                    vec![container(
                        "web",
                        "web's root filesystem is writable",
                        "HostConfig.ReadonlyRootfs=false",
                        "HostConfig.ReadonlyRootfs=true",
                    )],
                ),
            ],
        )
    }

    /// Strings that would run script if any of them were inserted as HTML or used as a URL.
    pub const HOSTILE: [&str; 4] = [
        "<img src=x onerror=\"window.__pwned=1\">",
        "\"><script>window.__pwned=2</script>",
        "javascript:window.__pwned=3",
        "<svg onload=\"window.__pwned=4\"></svg>",
    ];

    /// A report whose host, run, containers, messages, titles and remediation carry [`HOSTILE`].
    pub fn hostile() -> Report {
        let findings: Vec<Finding> = HOSTILE
            .iter()
            .map(|h| Finding {
                target: Target::new(TargetKind::Container, *h, *h),
                message: format!("label com.example.link={h}"),
                observed: (*h).to_string(),
                expected: (*h).to_string(),
                remediation: (*h).to_string(),
            })
            .collect();
        let mut check = result("5.5", Status::Fail, HOSTILE[1], findings);
        check.title = HOSTILE[0].to_string();
        check.remediation = HOSTILE[2].to_string();
        let mut r = report(HOSTILE[0], "2026-01-07T10:00:00Z", HOSTILE[1], vec![check]);
        r.host.docker.server_version = Some(HOSTILE[3].to_string());
        r.tool.version = HOSTILE[2].to_string();
        // A hand-made file may repeat an id; the viewer must still render.
        let mut repeated = r
            .results
            .iter()
            .find(|c| c.id == "5.5")
            .cloned()
            .unwrap_or_else(|| result("5.5", Status::Fail, "", vec![]));
        repeated.summary = format!("repeated: {}", HOSTILE[3]);
        r.results.push(repeated);
        r.refresh_summary();
        r
    }

    /// Seals a report (sets its digest) and returns the JSON text.
    pub fn sealed(report: &Report) -> String {
        dockaudit_shared::digest::seal(report)
            .map(|(text, _)| text)
            .unwrap_or_default()
    }

    /// A small docker-bench-security JSON log: 2.2 warns, 5.5 warns on two containers.
    pub fn docker_bench_log() -> String {
        json!({
            "dockerbenchsecurity": "1.6.0",
            "start": 1767607200,
            "tests": [
                {"id": "2", "desc": "Docker daemon configuration", "results": [
                    {"id": "2.2", "desc": "Ensure network traffic is restricted between containers on the default bridge (Automated)",
                     "result": "WARN", "remediation": "Set icc to false."}
                ]},
                {"id": "5", "desc": "Container Runtime", "results": [
                    {"id": "5.5", "desc": "Ensure that privileged containers are not used (Automated)",
                     "result": "WARN", "details": "Containers running in privileged mode: legacy-app batch",
                     "items": ["legacy-app", "batch"]},
                    {"id": "5.10", "desc": "Ensure that the host's network namespace is not shared (Automated)", "result": "PASS"}
                ]}
            ],
            "checks": 3,
            "score": -1,
            "end": 1767607260
        })
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_only_files_under_the_mounts() {
        let dir = TempDir::new("browser-resolve");
        std::fs::create_dir_all(dir.join("reports")).unwrap();
        std::fs::write(dir.join("index.html"), "x").unwrap();
        std::fs::write(dir.join("reports/a b.json"), "{}").unwrap();
        let mounts = vec![("/".to_string(), dir.path().to_path_buf())];
        assert_eq!(resolve(&mounts, "/?report=a"), Some(dir.join("index.html")));
        assert_eq!(
            resolve(&mounts, "/reports/a%20b.json"),
            Some(dir.join("reports/a b.json"))
        );
        assert_eq!(resolve(&mounts, "/../etc/passwd"), None);
        assert_eq!(resolve(&mounts, "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(&mounts, "/missing.js"), None);
    }
}
