//! The system `ssh`, run as the docker CLI runs it, so `~/.ssh/config`, agents, jump hosts and
//! `known_hosts` work as users expect.
//!
//! One master connection per target (`ControlMaster` on a socket in a private temporary
//! directory); every remote command and every Engine API connection (`docker system dial-stdio`)
//! is a session on it, so a target costs one SSH handshake. `BatchMode` is on: dockaudit never
//! waits for a password prompt.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};

/// How much of a failing command's standard error is kept for its message.
const STDERR_KEEP: u64 = 16 * 1024;

/// `ssh://[user@]host[:port]`, as the docker CLI accepts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshDestination {
    pub user: Option<String>,
    /// Host name, alias from the SSH configuration, or IP address (without IPv6 brackets).
    pub host: String,
    pub port: Option<u16>,
}

/// Settings for every `ssh` dockaudit runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SshOptions {
    /// `ssh -F FILE`: this configuration file instead of `~/.ssh/config` and the system one.
    pub config_file: Option<PathBuf>,
    /// Seconds to wait for the SSH connection (`ConnectTimeout`); 0 leaves ssh's default.
    pub connect_timeout: u64,
}

/// Why an SSH step failed. Messages quote the remote side's words, which the caller cleans
/// before printing.
#[derive(Debug, thiserror::Error)]
pub enum SshError {
    #[error("invalid ssh:// address {url:?}: {reason}")]
    InvalidAddress { url: String, reason: String },
    #[error("cannot run ssh: {0}")]
    Spawn(#[source] std::io::Error),
    #[error("cannot create a private directory for the SSH control socket: {0}")]
    TempDir(#[source] std::io::Error),
    #[error("SSH connection to {destination} failed: {reason}")]
    Connect { destination: String, reason: String },
    #[error("{what} on {destination} failed: {reason}")]
    Command {
        destination: String,
        what: String,
        reason: String,
    },
    #[error("{what} on {destination} timed out after {secs} s")]
    Timeout {
        destination: String,
        what: String,
        secs: u64,
    },
    #[error("{what} on {destination} wrote more than {limit} bytes")]
    TooLarge {
        destination: String,
        what: String,
        limit: u64,
    },
}

impl SshDestination {
    /// Parses `ssh://[user@]host[:port]`. Like the docker CLI, a password, a path, a query or a
    /// fragment is refused; a user or host starting with `-` is refused too, so nothing in the
    /// address can become an `ssh` option.
    pub fn parse(url: &str) -> Result<Self, SshError> {
        let invalid = |reason: &str| SshError::InvalidAddress {
            url: url.to_string(),
            reason: reason.to_string(),
        };
        let rest = url
            .strip_prefix("ssh://")
            .ok_or_else(|| invalid("the address must start with ssh://"))?;
        let (authority, path) = match rest.find(['/', '?', '#']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        if !path.is_empty() && path != "/" {
            return Err(invalid("nothing may follow the host (no path, query or fragment)"));
        }
        let (user, host_port) = match authority.rsplit_once('@') {
            Some((user, hp)) => {
                if user.contains(':') {
                    return Err(invalid(
                        "a password in the address is not supported; use keys or an agent",
                    ));
                }
                if user.is_empty() {
                    return Err(invalid("empty user name before @"));
                }
                (Some(user.to_string()), hp)
            }
            None => (None, authority),
        };
        let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
            let (host, after) = bracketed
                .split_once(']')
                .ok_or_else(|| invalid("unclosed [ in an IPv6 address"))?;
            match after {
                "" => (host, None),
                p => (
                    host,
                    Some(
                        p.strip_prefix(':')
                            .ok_or_else(|| invalid("text after the IPv6 address"))?,
                    ),
                ),
            }
        } else {
            match host_port.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (host_port, None),
            }
        };
        if host.is_empty() {
            return Err(invalid("no host"));
        }
        let port = port
            .map(|p| {
                p.parse::<u16>()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| invalid("the port is not a number from 1 to 65535"))
            })
            .transpose()?;
        let bad = |s: &str| s.starts_with('-') || s.chars().any(|c| c.is_control() || c.is_whitespace());
        if bad(host) || user.as_deref().is_some_and(bad) {
            return Err(invalid(
                "user and host may not start with - or contain spaces or control characters",
            ));
        }
        Ok(SshDestination {
            user,
            host: host.to_string(),
            port,
        })
    }

    /// The address as a URL again (`ssh://user@host:port`).
    pub fn url(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let user = self.user.as_ref().map(|u| format!("{u}@")).unwrap_or_default();
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        format!("ssh://{user}{host}{port}")
    }

    /// `ssh` arguments naming the destination, ending with it (after `--`).
    fn args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(user) = &self.user {
            args.extend(["-l".to_string(), user.clone()]);
        }
        if let Some(port) = self.port {
            args.extend(["-p".to_string(), port.to_string()]);
        }
        args.extend(["--".to_string(), self.host.clone()]);
        args
    }
}

/// Quotes one word for the remote POSIX shell (`ssh` joins its arguments into one command line).
pub fn sh_quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./=:@%+,".contains(&b))
    {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// What a remote command printed and how it ended.
#[derive(Debug)]
pub struct RemoteOutput {
    pub status: std::process::ExitStatus,
    pub stdout: Vec<u8>,
    /// The first [`STDERR_KEEP`] bytes of standard error, lossily decoded and trimmed.
    pub stderr: String,
}

/// An open master connection to one target. Dropping it ends the master and removes the control
/// socket's directory.
pub struct SshSession {
    destination: SshDestination,
    options: SshOptions,
    control: PathBuf,
    master: Child,
    // Last, so the directory goes after the master that listens in it.
    _dir: tempfile::TempDir,
}

impl std::fmt::Debug for SshSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SshSession")
            .field("destination", &self.destination.url())
            .finish_non_exhaustive()
    }
}

impl SshSession {
    /// Starts the master connection and waits until it accepts sessions (authenticated), or
    /// fails with what ssh said.
    pub async fn open(destination: SshDestination, options: SshOptions) -> Result<Self, SshError> {
        let dir = tempfile::Builder::new()
            .prefix("dockaudit-ssh-")
            .tempdir()
            .map_err(SshError::TempDir)?;
        let control = dir.path().join("ctl");
        let log = dir.path().join("master.log");
        let log_file = std::fs::File::create(&log).map_err(SshError::TempDir)?;
        let mut cmd = Command::new("ssh");
        cmd.args(common_args(&options))
            .args(["-o", "ControlMaster=yes", "-o", "ControlPersist=no", "-N", "-S"])
            .arg(&control)
            .args(destination.args())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .kill_on_drop(true);
        let master = cmd.spawn().map_err(SshError::Spawn)?;
        let mut session = SshSession {
            destination,
            options,
            control,
            master,
            _dir: dir,
        };
        let limit = Duration::from_secs(session.options.connect_timeout.max(10) + 5);
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            if let Some(status) = session.master.try_wait().map_err(SshError::Spawn)? {
                let said = read_tail(&log);
                return Err(session.connect_error(if said.is_empty() {
                    format!("ssh exited ({status})")
                } else {
                    said
                }));
            }
            if session.control.exists() && session.check().await {
                return Ok(session);
            }
            if tokio::time::Instant::now() >= deadline {
                let said = read_tail(&log);
                return Err(session.connect_error(format!(
                    "no connection within {} s{}",
                    limit.as_secs(),
                    if said.is_empty() {
                        String::new()
                    } else {
                        format!(": {said}")
                    }
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn connect_error(&self, reason: String) -> SshError {
        SshError::Connect {
            destination: self.destination.url(),
            reason,
        }
    }

    /// Whether the master answers `ssh -O check`.
    async fn check(&self) -> bool {
        let mut cmd = Command::new("ssh");
        cmd.args(common_args(&self.options))
            .arg("-S")
            .arg(&self.control)
            .args(["-O", "check"])
            .args(self.destination.args())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd.status().await.is_ok_and(|s| s.success())
    }

    pub fn destination(&self) -> &SshDestination {
        &self.destination
    }

    /// `ssh … host -- <remote>` over the master; `remote` is a command line for the remote
    /// shell (quote its words with [`sh_quote`]). Standard streams are left to the caller.
    pub fn command(&self, remote: &str) -> Command {
        let mut cmd = Command::new("ssh");
        cmd.args(common_args(&self.options))
            .args(["-o", "ControlMaster=no", "-S"])
            .arg(&self.control)
            .args(self.destination.args())
            .arg(remote)
            .kill_on_drop(true);
        cmd
    }

    /// Runs `remote`, feeding it `stdin`, and returns its output; more than `max_stdout` bytes
    /// on standard output, or no end within `timeout`, is an error (the command is killed).
    pub async fn run(
        &self,
        what: &str,
        remote: &str,
        stdin: Option<&[u8]>,
        max_stdout: u64,
        timeout: Duration,
    ) -> Result<RemoteOutput, SshError> {
        let mut child = self
            .command(remote)
            .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(SshError::Spawn)?;
        let mut input = child.stdin.take();
        let output = child.stdout.take();
        let errors = child.stderr.take();
        let io = async {
            let feed = async {
                if let (Some(pipe), Some(bytes)) = (input.as_mut(), stdin) {
                    // A remote command that stops reading shows up in its status and stderr.
                    let _ = pipe.write_all(bytes).await;
                    let _ = pipe.shutdown().await;
                }
                drop(input.take());
            };
            let (_, out, err) = tokio::join!(
                feed,
                read_bounded(output, max_stdout),
                read_bounded(errors, STDERR_KEEP)
            );
            let status = child.wait().await;
            (out, err, status)
        };
        let (out, err, status) = match tokio::time::timeout(timeout, io).await {
            Ok(done) => done,
            Err(_) => {
                return Err(SshError::Timeout {
                    destination: self.destination.url(),
                    what: what.to_string(),
                    secs: timeout.as_secs(),
                })
            }
        };
        let stdout = out.map_err(|e| self.command_error(what, e.to_string()))?;
        if u64::try_from(stdout.len()).unwrap_or(u64::MAX) > max_stdout {
            return Err(SshError::TooLarge {
                destination: self.destination.url(),
                what: what.to_string(),
                limit: max_stdout,
            });
        }
        let stderr = String::from_utf8_lossy(&err.unwrap_or_default()).trim().to_string();
        let status = status.map_err(|e| self.command_error(what, e.to_string()))?;
        Ok(RemoteOutput { status, stdout, stderr })
    }

    pub(crate) fn command_error(&self, what: &str, reason: String) -> SshError {
        SshError::Command {
            destination: self.destination.url(),
            what: what.to_string(),
            reason,
        }
    }
}

/// Reads at most `limit + 1` bytes (one more, so the caller can tell it was exceeded), then
/// drains the rest so the writer is not blocked.
async fn read_bounded<R: AsyncRead + Unpin>(reader: Option<R>, limit: u64) -> std::io::Result<Vec<u8>> {
    let Some(mut reader) = reader else {
        return Ok(Vec::new());
    };
    let mut buf = Vec::new();
    (&mut reader)
        .take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .await?;
    let _ = tokio::io::copy(&mut reader, &mut tokio::io::sink()).await;
    Ok(buf)
}

/// Options every `ssh` invocation gets.
fn common_args(options: &SshOptions) -> Vec<String> {
    let mut args = Vec::new();
    if let Some(file) = &options.config_file {
        args.extend(["-F".to_string(), file.display().to_string()]);
    }
    args.extend(["-o".into(), "BatchMode=yes".into()]);
    if options.connect_timeout > 0 {
        args.extend(["-o".into(), format!("ConnectTimeout={}", options.connect_timeout)]);
    }
    args
}

/// The last lines ssh wrote to its log, trimmed; empty when there are none.
fn read_tail(log: &Path) -> String {
    let text = std::fs::read(log).unwrap_or_default();
    let start = text.len().saturating_sub(2048);
    let text = String::from_utf8_lossy(&text[start..]);
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dest(user: Option<&str>, host: &str, port: Option<u16>) -> SshDestination {
        SshDestination {
            user: user.map(String::from),
            host: host.into(),
            port,
        }
    }

    #[test]
    fn parses_addresses_like_the_docker_cli() {
        assert_eq!(SshDestination::parse("ssh://box").unwrap(), dest(None, "box", None));
        assert_eq!(
            SshDestination::parse("ssh://root@127.0.0.1:2222").unwrap(),
            dest(Some("root"), "127.0.0.1", Some(2222))
        );
        assert_eq!(
            SshDestination::parse("ssh://me@[::1]:22/").unwrap(),
            dest(Some("me"), "::1", Some(22))
        );
        assert_eq!(
            SshDestination::parse("ssh://[fe80::1]").unwrap(),
            dest(None, "fe80::1", None)
        );
        for (url, round) in [
            ("ssh://root@127.0.0.1:2222", "ssh://root@127.0.0.1:2222"),
            ("ssh://me@[::1]:22/", "ssh://me@[::1]:22"),
            ("ssh://alias", "ssh://alias"),
        ] {
            assert_eq!(SshDestination::parse(url).unwrap().url(), round);
        }
    }

    #[test]
    fn refuses_what_could_become_an_option_or_a_secret() {
        for url in [
            "ssh://",
            "ssh://me:secret@box",
            "ssh://box/var/run/docker.sock",
            "ssh://box?x=1",
            "ssh://-oProxyCommand=touch%20x",
            "ssh://-oProxyCommand=x@box",
            "ssh://box:0",
            "ssh://box:99999",
            "ssh://box:22x",
            "ssh://@box",
            "ssh://[::1",
            "ssh://bo x",
            "tcp://box",
        ] {
            assert!(SshDestination::parse(url).is_err(), "{url}");
        }
    }

    #[test]
    fn destination_args_end_with_the_host_after_double_dash() {
        assert_eq!(
            dest(Some("root"), "h", Some(2)).args(),
            ["-l", "root", "-p", "2", "--", "h"]
        );
        assert_eq!(dest(None, "h", None).args(), ["--", "h"]);
    }

    #[test]
    fn quotes_for_the_remote_shell() {
        assert_eq!(sh_quote("/tmp/tmp.AbC12/dockaudit"), "/tmp/tmp.AbC12/dockaudit");
        assert_eq!(sh_quote(""), "''");
        assert_eq!(sh_quote("a b"), "'a b'");
        assert_eq!(sh_quote("it's; rm -rf /"), r"'it'\''s; rm -rf /'");
        assert_eq!(sh_quote("$(x)`y`"), "'$(x)`y`'");
    }

    #[test]
    fn common_args_carry_the_config_file_and_batch_mode() {
        let args = common_args(&SshOptions {
            config_file: Some("/t/ssh_config".into()),
            connect_timeout: 7,
        });
        assert_eq!(
            args,
            ["-F", "/t/ssh_config", "-o", "BatchMode=yes", "-o", "ConnectTimeout=7"]
        );
    }
}
