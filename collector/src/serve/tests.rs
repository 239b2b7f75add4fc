//! The server over real sockets: what it refuses, the headers it sends, and how it holds up
//! against clients that connect and then do nothing.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::headers::SECURITY_HEADERS;
use super::{Config, Server, Site};

/// A scratch directory with a built-looking viewer (`index.html`, `app.js`) and one report.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "dockaudit-serve-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(dir.join("viewer")).unwrap();
        std::fs::write(dir.join("viewer/index.html"), "<!doctype html><p>viewer").unwrap();
        std::fs::write(dir.join("viewer/app.js"), "export {};").unwrap();
        std::fs::write(dir.join("report.json"), "{\"a\": 1}").unwrap();
        Scratch(dir)
    }

    fn site(&self) -> Site {
        let mut site = Site::new(&self.0.join("viewer")).unwrap();
        site.add_report("a.json", &self.0.join("report.json")).unwrap();
        site
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A parsed response.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `GET path` with `host` (no Host header when `None`) and reads the whole answer.
fn request(port: u16, method: &str, path: &str, host: Option<&str>) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    write!(stream, "{method} {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

fn get(server: &Server, path: &str) -> Answer {
    let host = format!("127.0.0.1:{}", server.port());
    request(server.port(), "GET", path, Some(&host))
}

fn path(server: &Server, rel: &str) -> String {
    format!("/{}/{rel}", server.token())
}

fn assert_secure(a: &Answer) {
    for (name, value) in SECURITY_HEADERS {
        assert_eq!(a.header(name), Some(value), "{name} on a {} answer", a.status);
    }
}

#[test]
fn serves_the_viewer_and_reports_with_the_security_headers() {
    let scratch = Scratch::new();
    let server = Server::start(scratch.site(), Config::default()).unwrap();
    let page = get(&server, &path(&server, "?report=reports/a.json"));
    assert_eq!(page.status, 200);
    assert_eq!(page.body, b"<!doctype html><p>viewer");
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    assert_secure(&page);
    let script = get(&server, &path(&server, "app.js"));
    assert_eq!(script.header("content-type"), Some("text/javascript; charset=utf-8"));
    let report = get(&server, &path(&server, "reports/a.json"));
    assert_eq!((report.status, report.body.as_slice()), (200, &b"{\"a\": 1}"[..]));
    assert_eq!(report.header("content-type"), Some("application/json"));
    assert_secure(&report);
    let head = request(
        server.port(),
        "HEAD",
        &path(&server, "reports/a.json"),
        Some(&format!("localhost:{}", server.port())),
    );
    assert_eq!((head.status, head.header("content-length")), (200, Some("8")));
    assert!(head.body.is_empty());
    let post = request(
        server.port(),
        "POST",
        &path(&server, ""),
        Some(&format!("127.0.0.1:{}", server.port())),
    );
    assert_eq!((post.status, post.header("allow")), (405, Some("GET, HEAD")));
    assert_secure(&post);
}

#[test]
fn a_foreign_host_header_is_refused() {
    let scratch = Scratch::new();
    let server = Server::start(scratch.site(), Config::default()).unwrap();
    let port = server.port();
    let target = path(&server, "reports/a.json");
    for host in [
        Some(format!("attacker.example:{port}")),
        Some(format!("127.0.0.1.nip.io:{port}")),
        Some("127.0.0.1".to_string()),
        Some(format!("127.0.0.1:{}", port.wrapping_add(1))),
        None,
    ] {
        let a = request(port, "GET", &target, host.as_deref());
        assert_eq!(a.status, 421, "Host {host:?}");
        assert!(!a.body.starts_with(b"{"), "no report for Host {host:?}");
        assert_secure(&a);
    }
    for host in [format!("localhost:{port}"), format!("[::1]:{port}")] {
        assert_eq!(request(port, "GET", &target, Some(&host)).status, 200, "{host}");
    }
    // An absolute-form target names its own host.
    let absolute = format!("http://attacker.example:{port}{target}");
    let host = format!("127.0.0.1:{port}");
    assert_eq!(request(port, "GET", &absolute, Some(&host)).status, 421);
}

#[test]
fn every_path_needs_the_token() {
    let scratch = Scratch::new();
    let server = Server::start(scratch.site(), Config::default()).unwrap();
    let wrong = "0".repeat(server.token().len());
    for p in [
        "/".to_string(),
        "/index.html".to_string(),
        "/reports/a.json".to_string(),
        format!("/{wrong}/reports/a.json"),
        format!("/{}", server.token()),
        format!("/{}x/", server.token()),
    ] {
        let a = get(&server, &p);
        assert_eq!(a.status, 403, "{p}");
        assert_secure(&a);
    }
    assert_eq!(get(&server, &path(&server, "")).status, 200);
    assert!(server
        .url("?report=reports/a.json")
        .ends_with(&format!("/{}/?report=reports/a.json", server.token())));
}

#[test]
fn nothing_outside_the_served_set_is_reachable() {
    let scratch = Scratch::new();
    let outside = scratch.0.join("secret");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("key.txt"), "secret").unwrap();
    let viewer = scratch.0.join("viewer");
    std::os::unix::fs::symlink(outside.join("key.txt"), viewer.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, viewer.join("dir")).unwrap();
    std::os::unix::fs::symlink(viewer.join("app.js"), viewer.join("alias.js")).unwrap();
    let server = Server::start(scratch.site(), Config::default()).unwrap();
    for rel in [
        "leak.txt",
        "dir/key.txt",
        "../secret/key.txt",
        "%2e%2e/secret/key.txt",
        "..%2fsecret%2fkey.txt",
        "reports/../../secret/key.txt",
        "reports/other.json",
        "reports/",
        "missing.js",
        "%zz",
    ] {
        let a = get(&server, &path(&server, rel));
        assert_eq!(a.status, 404, "{rel}");
        assert!(!String::from_utf8_lossy(&a.body).contains("secret"), "{rel}");
    }
    // A symlink that stays inside the viewer is an ordinary file.
    assert_eq!(get(&server, &path(&server, "alias.js")).status, 200);
}

#[test]
fn a_flood_of_idle_connections_is_outlasted() {
    let scratch = Scratch::new();
    let config = Config {
        max_connections: 16,
        header_timeout: Duration::from_millis(200),
        ..Config::default()
    };
    let server = Server::start(scratch.site(), config).unwrap();
    // Connect and say nothing, far more clients than the server serves at once.
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port())).unwrap())
        .collect();
    let a = get(&server, &path(&server, "reports/a.json"));
    assert_eq!(a.status, 200);
    assert!(
        server.peak_connections() <= 16,
        "{} connections at once",
        server.peak_connections()
    );
    drop(idle);
}

#[test]
fn a_client_that_stops_reading_is_dropped() {
    let scratch = Scratch::new();
    // Far more than the kernel's socket buffers hold, so the server's writes stall.
    let big = scratch.0.join("big.json");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(64 * 1024 * 1024).unwrap();
    let mut site = scratch.site();
    site.add_report("big.json", &big).unwrap();
    let config = Config {
        max_connections: 1,
        write_timeout: Duration::from_millis(300),
        ..Config::default()
    };
    let server = Server::start(site, config).unwrap();
    let mut stalled = TcpStream::connect(("127.0.0.1", server.port())).unwrap();
    write!(
        stalled,
        "GET {} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        path(&server, "reports/big.json"),
        server.port()
    )
    .unwrap();
    // The only slot is taken until the write timeout frees it.
    let a = get(&server, &path(&server, ""));
    assert_eq!(a.status, 200);
    drop(stalled);
}

#[test]
fn a_missing_viewer_or_bad_report_name_is_an_error() {
    let scratch = Scratch::new();
    assert!(Site::new(Path::new("/nonexistent/viewer")).is_err());
    assert!(Site::new(&scratch.0).is_err(), "no index.html");
    let mut site = scratch.site();
    for name in ["", "..", "a/b.json", "a b.json"] {
        assert!(
            site.add_report(name, &scratch.0.join("report.json")).is_err(),
            "{name:?}"
        );
    }
    assert!(
        site.add_report("a.json", &scratch.0.join("report.json")).is_err(),
        "duplicate"
    );
    assert!(site.add_report("b.json", &scratch.0.join("absent.json")).is_err());
    assert_eq!(site.report_names().collect::<Vec<_>>(), ["a.json"]);
}
