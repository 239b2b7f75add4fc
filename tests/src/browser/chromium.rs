//! Chromium and chromedriver: where they are, a driver process that takes its browsers with it,
//! and the capabilities of a headless, throw-away browser.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde_json::{json, Value};

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
