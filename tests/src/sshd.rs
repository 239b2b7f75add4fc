//! A real OpenSSH server for tests: Debian's `sshd` on a free loopback port, with a host key,
//! a client key and an `ssh -F` configuration made for the test. Nothing of the machine's own
//! SSH setup is read or changed (the client configuration replaces `~/.ssh/config`, its own
//! `known_hosts` holds the test host key). The server is stopped and its files removed on drop.
//!
//! The client configuration matches `127.0.0.1` and any alias starting with [`ALIAS_PREFIX`], so
//! `ssh://root@127.0.0.1:PORT` and `ssh://da-sshd-7` both reach this server.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::TempDir;

/// `sshd` as Debian's openssh-server installs it.
pub const SSHD: &str = "/usr/sbin/sshd";

/// Host aliases the client configuration sends to this server (as user root).
pub const ALIAS_PREFIX: &str = "da-sshd-";

const START_TIMEOUT: Duration = Duration::from_secs(20);

/// A running sshd and the client side to reach it.
pub struct Sshd {
    child: Child,
    dir: TempDir,
    pub port: u16,
    /// `ssh -F` file for the client (`--ssh-config` / `DOCKAUDIT_SSH_CONFIG`).
    pub client_config: PathBuf,
}

impl Sshd {
    /// Generates the keys and configurations and starts sshd; any user whose key is the test
    /// client key may log in (root included, by key only).
    pub fn start() -> Result<Self, String> {
        Self::start_with("")
    }

    /// Like [`Sshd::start`] for many clients at once (a fleet of aliases audited in parallel):
    /// up to `sessions` connections may be authenticating at the same time (`MaxStartups`, 10
    /// by default, beyond which sshd drops new ones) and each may multiplex as many sessions.
    pub fn start_for_many(sessions: u32) -> Result<Self, String> {
        Self::start_with(&format!("MaxStartups {sessions}\nMaxSessions {sessions}\n"))
    }

    fn start_with(extra_config: &str) -> Result<Self, String> {
        if !Path::new(SSHD).exists() {
            return Err(format!("{SSHD} is missing: install Debian's openssh-server"));
        }
        // sshd refuses to start without its privilege separation directory.
        std::fs::create_dir_all("/run/sshd").map_err(|e| format!("/run/sshd: {e}"))?;
        let dir = TempDir::new("sshd");
        let path = |name: &str| dir.join(name).display().to_string();
        keygen(&path("host_ed25519"))?;
        keygen(&path("client_ed25519"))?;
        std::fs::copy(dir.join("client_ed25519.pub"), dir.join("authorized_keys")).map_err(|e| e.to_string())?;
        let host_pub = std::fs::read_to_string(dir.join("host_ed25519.pub")).map_err(|e| e.to_string())?;
        let host_pub: Vec<&str> = host_pub.split_whitespace().take(2).collect();

        let mut last_error = String::new();
        for _ in 0..5 {
            let port = free_port()?;
            std::fs::write(
                dir.join("sshd_config"),
                format!(
                    "Port {port}\nListenAddress 127.0.0.1\nHostKey {host}\nPidFile {pid}\n\
                     AuthorizedKeysFile {keys}\nPermitRootLogin prohibit-password\n\
                     PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n\
                     StrictModes no\nLogLevel ERROR\nAcceptEnv TMPDIR\n{extra_config}",
                    host = path("host_ed25519"),
                    pid = path("sshd.pid"),
                    keys = path("authorized_keys"),
                ),
            )
            .map_err(|e| e.to_string())?;
            std::fs::write(
                dir.join("known_hosts"),
                format!("[127.0.0.1]:{port} {}\n", host_pub.join(" ")),
            )
            .map_err(|e| e.to_string())?;
            let client_config = dir.join("ssh_config");
            std::fs::write(
                &client_config,
                format!(
                    "Host 127.0.0.1 {ALIAS_PREFIX}*\n  HostName 127.0.0.1\n  Port {port}\n  User root\n\
                     \x20 IdentityFile {key}\n  IdentitiesOnly yes\n  UserKnownHostsFile {known}\n\
                     \x20 GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  LogLevel ERROR\n",
                    key = path("client_ed25519"),
                    known = path("known_hosts"),
                ),
            )
            .map_err(|e| e.to_string())?;
            let log = std::fs::File::create(dir.join("sshd.log")).map_err(|e| e.to_string())?;
            let mut child = Command::new(SSHD)
                .args(["-D", "-e", "-f", &path("sshd_config")])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .map_err(|e| format!("sshd: {e}"))?;
            let deadline = Instant::now() + START_TIMEOUT;
            let mut up = false;
            while Instant::now() < deadline {
                if let Ok(Some(status)) = child.try_wait() {
                    last_error = format!(
                        "sshd exited ({status}): {}",
                        std::fs::read_to_string(dir.join("sshd.log")).unwrap_or_default()
                    );
                    break;
                }
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    up = true;
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if up {
                let sshd = Sshd {
                    child,
                    dir,
                    port,
                    client_config,
                };
                sshd.run_ok("root", "true")?;
                return Ok(sshd);
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        Err(format!("sshd did not start: {last_error}"))
    }

    /// `ssh://USER@127.0.0.1:PORT`.
    pub fn url(&self, user: &str) -> String {
        format!("ssh://{user}@127.0.0.1:{}", self.port)
    }

    /// A copy of the client configuration that also sends `TMPDIR=dir` (sshd accepts it), so
    /// a test sees what a remote command leaves in its temporary directory.
    pub fn client_config_with_tmpdir(&self, dir: &Path) -> Result<PathBuf, String> {
        let text = std::fs::read_to_string(&self.client_config).map_err(|e| e.to_string())?;
        let path = self.dir.join(&format!(
            "ssh_config.{}",
            dir.file_name().and_then(|n| n.to_str()).unwrap_or("t")
        ));
        std::fs::write(&path, format!("{text}  SetEnv TMPDIR={}\n", dir.display())).map_err(|e| e.to_string())?;
        Ok(path)
    }

    /// The test's scratch directory (holds the server's log, `sshd.log`).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// `ssh -F <client config> USER@127.0.0.1 -p PORT -- COMMAND`, not yet run.
    pub fn ssh(&self, user: &str, command: &str) -> Command {
        let mut cmd = Command::new("ssh");
        cmd.arg("-F").arg(&self.client_config).args([
            "-o",
            "BatchMode=yes",
            "-p",
            &self.port.to_string(),
            "-l",
            user,
            "--",
            "127.0.0.1",
            command,
        ]);
        cmd
    }

    /// Runs a command over SSH and returns its standard output, or what went wrong.
    pub fn run_ok(&self, user: &str, command: &str) -> Result<String, String> {
        let out = self.ssh(user, command).output().map_err(|e| format!("ssh: {e}"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!(
                "ssh {user}@127.0.0.1:{} {command}: {} (server log: {})",
                self.port,
                String::from_utf8_lossy(&out.stderr).trim(),
                std::fs::read_to_string(self.dir.join("sshd.log"))
                    .unwrap_or_default()
                    .trim()
            ))
        }
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        // The listener; sessions still open end with their connections.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn keygen(path: &str) -> Result<(), String> {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "dockaudit-test", "-f", path])
        .output()
        .map_err(|e| format!("ssh-keygen: {e} (install openssh-client)"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("ssh-keygen: {}", String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// A loopback port nothing listens on right now.
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}
