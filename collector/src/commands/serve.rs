//! `dockaudit serve`: the static viewer and the given reports on 127.0.0.1.
//!
//! A deliberately small HTTP/1.1 file server: GET and HEAD only, loopback only, no directory
//! listings, and only files inside the viewer directory or the reports named on the command line.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::cli::ServeArgs;

pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    let viewer = viewer_dir(args.viewer_dir.as_deref())?;
    let mut reports = BTreeMap::new();
    let mut query = Vec::new();
    for (i, path) in args.reports.iter().enumerate() {
        if !path.is_file() {
            bail!("report {} does not exist or is not a file", path.display());
        }
        let name = format!("{}-{}", i + 1, safe_name(path));
        query.push(format!("report=reports/{name}"));
        reports.insert(name, path.clone());
    }
    let listener = TcpListener::bind(("127.0.0.1", args.port)).with_context(|| {
        format!(
            "cannot listen on 127.0.0.1:{} (in use? pick another with --port)",
            args.port
        )
    })?;
    let port = listener.local_addr()?.port();
    let url = if query.is_empty() {
        format!("http://127.0.0.1:{port}/")
    } else {
        format!("http://127.0.0.1:{port}/?{}", query.join("&"))
    };
    println!("dockaudit: serving the viewer at {url}");
    println!("dockaudit: press Ctrl-C to stop");
    let _ = std::io::stdout().flush();
    // Only a desktop session can show a browser; on a server the printed URL is the way in.
    let desktop = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()));
    if args.open && desktop {
        let _ = std::process::Command::new("xdg-open")
            .arg(&url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
    let site = Arc::new(Site { viewer, reports });
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let site = Arc::clone(&site);
        std::thread::spawn(move || {
            let _ = handle(stream, &site);
        });
    }
    Ok(ExitCode::SUCCESS)
}

struct Site {
    viewer: PathBuf,
    reports: BTreeMap<String, PathBuf>,
}

/// Finds the built viewer: the flag/env value, next to the binary, or in this checkout.
fn viewer_dir(explicit: Option<&Path>) -> Result<PathBuf> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(p) = explicit {
        candidates.push(p.to_path_buf());
    } else {
        if let Ok(exe) = std::env::current_exe() {
            if let Some(dir) = exe.parent() {
                candidates.push(dir.join("viewer"));
                candidates.push(dir.join("../../viewer/dist"));
            }
        }
        candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../viewer/dist"));
    }
    for c in &candidates {
        if c.join("index.html").is_file() {
            return Ok(c.clone());
        }
    }
    bail!(
        "the viewer is not built (looked in {}); build it with `cargo xtask build-viewer` or pass --viewer-dir",
        candidates
            .iter()
            .map(|c| c.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn safe_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "report.json".into()
    } else {
        cleaned
    }
}

fn handle(mut stream: TcpStream, site: &Site) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?.take(64 * 1024));
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain headers; nothing in them changes the answer.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            405,
            "text/plain",
            b"method not allowed\n",
            method == "HEAD",
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let file = resolve(site, path);
    match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
        Some((f, body)) => respond(&mut stream, 200, content_type(&f), &body, method == "HEAD"),
        None => respond(&mut stream, 404, "text/plain", b"not found\n", method == "HEAD"),
    }
}

/// Maps a request path to a file, refusing anything outside the served set.
fn resolve(site: &Site, path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path)?;
    if let Some(name) = decoded.strip_prefix("/reports/") {
        return site.reports.get(name).cloned();
    }
    let rel = decoded.trim_start_matches('/');
    let rel = if rel.is_empty() { "index.html" } else { rel };
    let rel_path = Path::new(rel);
    if rel_path.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let full = site.viewer.join(rel_path);
    full.is_file().then_some(full)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().filter(|s| !s.contains('\0'))
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

fn respond(stream: &mut TcpStream, status: u16, ctype: &str, body: &[u8], head: bool) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let header = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
         X-Content-Type-Options: nosniff\r\nContent-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_and_unknown_reports_are_refused() {
        let dir = std::env::temp_dir().join(format!("dockaudit-serve-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "x").unwrap();
        let site = Site {
            viewer: dir.clone(),
            reports: BTreeMap::new(),
        };
        assert_eq!(resolve(&site, "/"), Some(dir.join("index.html")));
        assert_eq!(resolve(&site, "/../etc/passwd"), None);
        assert_eq!(resolve(&site, "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(&site, "/reports/other.json"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn report_names_are_sanitised() {
        assert_eq!(safe_name(Path::new("/tmp/a b<c>.json")), "a_b_c_.json");
    }
}
