//! The Engine API over SSH, as the docker CLI reaches `ssh://` hosts: each HTTP connection is
//! `docker system dial-stdio` run on the remote host, its standard input and output carrying the
//! bytes to and from the remote daemon's socket.
//!
//! bollard 0.21's own `ssh` feature drops the port of `ssh://user@host:port` and cannot take an
//! SSH configuration file, so dockaudit gives bollard a hyper client whose connector runs the
//! command on its own [`SshSession`] (one master connection, shared with the remote gather).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bollard::{BollardRequest, ClientVersion, Docker};
use hyper::Uri;
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::AsyncReadExt;
use tokio::process::{Child, ChildStdin, ChildStdout};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::facts::remote::SshSession;

/// Connections open at once. Each is a session on the master connection, and sshd allows ten
/// per connection by default (`MaxSessions`); a few stay free for the remote gather's commands.
pub const MAX_CONNECTIONS: usize = 6;

/// The remote command that bridges to the remote daemon, as the docker CLI runs it.
const DIAL_STDIO: &str = "docker system dial-stdio";

/// What the last failed `dial-stdio` wrote on standard error, for the error message.
type LastError = Arc<Mutex<String>>;

/// Builds a client that reaches the daemon through `session`. The requests' host part
/// (`docker.ssh`) is never resolved; it only fills the `Host` header, as the CLI's does.
pub fn connect(session: Arc<SshSession>, timeout: u64, version: &ClientVersion) -> (Docker, LastError) {
    let last_error = LastError::default();
    let connector = DialStdio {
        session,
        slots: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
        last_error: last_error.clone(),
    };
    let client = Arc::new(
        Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(MAX_CONNECTIONS)
            .build(connector),
    );
    let docker = Docker::connect_with_custom_transport(
        move |req: BollardRequest| {
            let client = Arc::clone(&client);
            async move { client.request(req).await.map_err(bollard::errors::Error::from) }
        },
        Some("http://docker.ssh"),
        timeout,
        version,
    )
    // Only fails on an address it cannot parse; this one is fixed.
    .expect("a fixed client address");
    (docker, last_error)
}

/// The hyper connector: one `dial-stdio` process per connection, at most [`MAX_CONNECTIONS`].
#[derive(Clone)]
struct DialStdio {
    session: Arc<SshSession>,
    slots: Arc<Semaphore>,
    last_error: LastError,
}

impl tower_service::Service<Uri> for DialStdio {
    type Response = StdioStream;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<StdioStream>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: Uri) -> Self::Future {
        let this = self.clone();
        Box::pin(async move {
            let permit = Arc::clone(&this.slots)
                .acquire_owned()
                .await
                .map_err(|_| io::Error::other("the connection pool was closed"))?;
            let mut child = this
                .session
                .command(DIAL_STDIO)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()?;
            let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
                return Err(io::Error::other("dial-stdio has no standard streams"));
            };
            if let Some(mut stderr) = child.stderr.take() {
                let last = this.last_error.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let _ = (&mut stderr).take(4096).read_to_end(&mut buf).await;
                    let text = String::from_utf8_lossy(&buf).trim().to_string();
                    if !text.is_empty() {
                        if let Ok(mut slot) = last.lock() {
                            *slot = text;
                        }
                    }
                    let _ = tokio::io::copy(&mut stderr, &mut tokio::io::sink()).await;
                });
            }
            Ok(StdioStream {
                _child: child,
                stdin: Some(TokioIo::new(stdin)),
                stdout: TokioIo::new(stdout),
                _permit: permit,
            })
        })
    }
}

/// One `dial-stdio` process as a byte stream; the process is killed when the stream is dropped.
struct StdioStream {
    _child: Child,
    stdin: Option<TokioIo<ChildStdin>>,
    stdout: TokioIo<ChildStdout>,
    _permit: OwnedSemaphorePermit,
}

impl hyper::rt::Read for StdioStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stdout).poll_read(cx, buf)
    }
}

impl StdioStream {
    fn stdin(&mut self) -> io::Result<Pin<&mut TokioIo<ChildStdin>>> {
        self.stdin
            .as_mut()
            .map(Pin::new)
            .ok_or_else(|| io::ErrorKind::BrokenPipe.into())
    }
}

impl hyper::rt::Write for StdioStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.get_mut().stdin()?.poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().stdin()?.poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.stdin.is_some() {
            std::task::ready!(this.stdin()?.poll_shutdown(cx))?;
            this.stdin = None;
        }
        Poll::Ready(Ok(()))
    }
}

impl Connection for StdioStream {
    fn connected(&self) -> Connected {
        Connected::new()
    }
}
