//! A real S3-compatible store for the publish tests: Garage in single-node mode, with its own
//! configuration, data and metadata directories and free loopback ports, a default bucket and
//! access key made from environment variables, stopped and removed when the guard is dropped.
//!
//! Garage is installed by `scripts/setup.sh test` (`cargo install garage`); it is found through
//! `GARAGE_BIN`, then `PATH`, then `$CARGO_HOME/bin` / `~/.cargo/bin`.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::TempDir;

/// How long Garage may take to answer (it needs well under a second here).
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The region in Garage's configuration; clients must sign for this region.
pub const REGION: &str = "garage";

/// A running Garage server.
pub struct Garage {
    child: Child,
    dir: TempDir,
    /// `http://127.0.0.1:<port>`: the S3 API.
    pub endpoint: String,
    /// `http://127.0.0.1:<port>`: the website endpoint (buckets with website access, by `Host`).
    pub web_endpoint: String,
    pub bucket: String,
    pub access_key: String,
    pub secret_key: String,
    config: PathBuf,
    rpc_secret: String,
}

/// The garage binary, or a message saying how to install it.
pub fn garage_bin() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("GARAGE_BIN") {
        return Ok(PathBuf::from(p));
    }
    let mut candidates: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join("garage")).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        candidates.push(PathBuf::from(home).join("bin/garage"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        candidates.push(PathBuf::from(home).join(".cargo/bin/garage"));
    }
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(|| "garage is not installed: run `scripts/setup.sh test` (or set GARAGE_BIN)".to_string())
}

/// A free TCP port on 127.0.0.1 (free when asked; Garage binds it right after).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Random hex from the kernel, for keys and the RPC secret.
fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .expect("read /dev/urandom");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

impl Garage {
    /// Starts Garage with a bucket named `bucket` and waits until its S3 API answers.
    pub fn start(bucket: &str) -> Garage {
        let bin = garage_bin().unwrap_or_else(|e| panic!("{e}"));
        let dir = TempDir::new("garage");
        let (s3, rpc, web) = (free_port(), free_port(), free_port());
        let config = dir.join("garage.toml");
        let text = format!(
            r#"metadata_dir = "{meta}"
data_dir = "{data}"
db_engine = "lmdb"
replication_factor = 1
rpc_bind_addr = "127.0.0.1:{rpc}"
rpc_public_addr = "127.0.0.1:{rpc}"

[s3_api]
s3_region = "{REGION}"
api_bind_addr = "127.0.0.1:{s3}"

[s3_web]
bind_addr = "127.0.0.1:{web}"
root_domain = ".web.localhost"
index = "index.html"
"#,
            meta = dir.join("meta").display(),
            data = dir.join("data").display(),
        );
        std::fs::write(&config, text).expect("write garage.toml");
        let access_key = format!("GK{}", random_hex(12));
        let secret_key = random_hex(32);
        let rpc_secret = random_hex(32);
        let log = std::fs::File::create(dir.join("garage.log")).expect("garage log");
        let child = Command::new(&bin)
            .args(["-c"])
            .arg(&config)
            .args(["server", "--single-node", "--default-bucket"])
            .env("GARAGE_DEFAULT_ACCESS_KEY", &access_key)
            .env("GARAGE_DEFAULT_SECRET_KEY", &secret_key)
            .env("GARAGE_DEFAULT_BUCKET", bucket)
            .env("GARAGE_RPC_SECRET", &rpc_secret)
            .env("RUST_LOG", "garage=warn")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let mut garage = Garage {
            child,
            endpoint: format!("http://127.0.0.1:{s3}"),
            web_endpoint: format!("http://127.0.0.1:{web}"),
            bucket: bucket.to_string(),
            access_key,
            secret_key,
            config,
            rpc_secret,
            dir,
        };
        garage.wait_ready(s3);
        garage
    }

    /// Waits until the bucket answers an S3 request (a 403 for an unsigned listing is an answer:
    /// the API is up; the bucket and key are made before it listens).
    fn wait_ready(&mut self, port: u16) {
        let deadline = Instant::now() + START_TIMEOUT;
        while Instant::now() < deadline {
            if let Some(status) = http_status(port, &format!("/{}", self.bucket), "127.0.0.1") {
                if status > 0 {
                    return;
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("garage exited ({status}): {}", self.log());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("garage did not answer within {START_TIMEOUT:?}: {}", self.log());
    }

    /// The last lines of Garage's log.
    pub fn log(&self) -> String {
        let text = std::fs::read_to_string(self.dir.join("garage.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// The environment a dockaudit process needs to reach this store: credentials and region in
    /// the standard AWS variables (the ones `dockaudit publish` reads), and no profile files.
    pub fn aws_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID", self.access_key.clone()),
            ("AWS_SECRET_ACCESS_KEY", self.secret_key.clone()),
            ("AWS_REGION", REGION.to_string()),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent".to_string()),
            ("AWS_CONFIG_FILE", "/nonexistent".to_string()),
        ]
    }

    /// `s3://<bucket>/<prefix>`.
    pub fn url(&self, prefix: &str) -> String {
        format!("s3://{}/{}", self.bucket, prefix.trim_matches('/'))
    }

    /// Runs the `garage` CLI against this server (e.g. `bucket website --allow NAME`).
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        let bin = garage_bin().unwrap_or_else(|e| panic!("{e}"));
        Command::new(bin)
            .arg("-c")
            .arg(&self.config)
            .args(args)
            .env("GARAGE_RPC_SECRET", &self.rpc_secret)
            .output()
            .expect("garage cli runs")
    }

    /// The data directory (to check nothing is left behind).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// The status code of `GET path` with `Host: host` on 127.0.0.1:port, or `None` when nothing answers.
pub fn http_status(port: u16, path: &str, host: &str) -> Option<u16> {
    http_get(port, path, host).map(|(status, _, _)| status)
}

/// An HTTP response: status, headers (lower-case names) and body.
pub type Response = (u16, Vec<(String, String)>, Vec<u8>);

/// `GET path` with `Host: host` on 127.0.0.1:port.
pub fn http_get(port: u16, path: &str, host: &str) -> Option<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some((status, headers, raw[split + 4..].to_vec()))
}

impl Drop for Garage {
    fn drop(&mut self) {
        let pgid = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &pgid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &pgid]).status();
        let _ = self.child.wait();
    }
}
