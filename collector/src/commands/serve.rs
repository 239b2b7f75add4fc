//! `dockaudit serve`: the built viewer and the given reports on 127.0.0.1, through the
//! library's server ([`crate::serve`]), which holds every rule about what is served to whom.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Result};

use crate::cli::ServeArgs;
use crate::serve::{safe_name, Config, Server, Site};

pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    let mut site = Site::new(&viewer_dir(args.viewer_dir.as_deref())?)?;
    let mut query = Vec::new();
    for (i, path) in args.reports.iter().enumerate() {
        let name = format!("{}-{}", i + 1, safe_name(path));
        site.add_report(&name, path)?;
        query.push(format!("report=reports/{name}"));
    }
    let server = Server::start(
        site,
        Config {
            port: args.port,
            ..Config::default()
        },
    )?;
    let url = if query.is_empty() {
        server.url("")
    } else {
        server.url(&format!("?{}", query.join("&")))
    };
    println!("dockaudit: serving the viewer at {url}");
    println!("dockaudit: the address holds a secret token; anyone with it can read these reports");
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
    server.wait();
    Ok(ExitCode::SUCCESS)
}

/// Finds the built viewer: the flag/env value, next to the binary, or in this checkout.
pub(super) fn viewer_dir(explicit: Option<&Path>) -> Result<PathBuf> {
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
