//! The listener: a tokio runtime on a thread of its own, so blocking callers (`dockaudit
//! serve`, the bench) and async ones (the browser tests) start and stop it alike.

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::{oneshot, Semaphore};

use super::access::new_token;
use super::http::{respond, Gate};
use super::io::WriteTimeout;
use super::{Error, Site};

/// Limits and the port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Connections served at once; further clients wait in the kernel's accept queue.
    pub max_connections: usize,
    /// Time a connection may take to send a request's headers, and may stay idle between requests.
    pub header_timeout: Duration,
    /// Time a response may wait for a client that does not read.
    pub write_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 0,
            // A browser opens about six connections per origin; the rest is headroom.
            max_connections: 64,
            header_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
        }
    }
}

/// Pending connections the kernel keeps while every slot is taken.
const BACKLOG: u32 = 1024;
/// Largest request head accepted (hyper's minimum buffer is 8 KiB).
const MAX_REQUEST_HEAD: usize = 64 * 1024;
/// Pause after a failed accept (for example out of file descriptors), so the loop neither
/// exits nor spins.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// A running server; dropping it stops it.
pub struct Server {
    addr: SocketAddr,
    token: String,
    counts: Arc<Counts>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// Connection counts, for tests of the bound.
#[derive(Debug, Default)]
struct Counts {
    open: AtomicUsize,
    peak: AtomicUsize,
}

impl Server {
    /// Binds 127.0.0.1 and starts serving `site` with a new token.
    pub fn start(site: Site, config: Config) -> Result<Server, Error> {
        let token = new_token();
        let counts = Arc::new(Counts::default());
        let (stop, stopped) = oneshot::channel();
        let (ready, bound) = std::sync::mpsc::channel();
        let thread = {
            let (token, counts) = (token.clone(), counts.clone());
            std::thread::Builder::new()
                .name("dockaudit-serve".into())
                .spawn(move || {
                    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                        Ok(r) => r,
                        Err(e) => {
                            let _ = ready.send(Err(Error::Start(e)));
                            return;
                        }
                    };
                    runtime.block_on(async move {
                        let listener = match listen(config.port) {
                            Ok(l) => l,
                            Err(source) => {
                                let _ = ready.send(Err(Error::Bind {
                                    port: config.port,
                                    source,
                                }));
                                return;
                            }
                        };
                        let addr = listener.local_addr();
                        let port = addr.as_ref().map_or(config.port, SocketAddr::port);
                        if ready.send(addr.map_err(Error::Start)).is_err() {
                            return;
                        }
                        let gate = Arc::new(Gate { site, token, port });
                        accept_loop(listener, gate, config, counts, stopped).await;
                    });
                })
                .map_err(Error::Start)?
        };
        let addr = match bound.recv() {
            Ok(result) => result?,
            Err(_) => {
                return Err(Error::Start(std::io::Error::other("the server thread ended early")));
            }
        };
        Ok(Server {
            addr,
            token,
            counts,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The secret path prefix.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// `http://127.0.0.1:<port>/<token>/` followed by `rel` (`""`, `"?report=…"`, `"reports/a.json"`).
    pub fn url(&self, rel: &str) -> String {
        format!("http://127.0.0.1:{}/{}/{rel}", self.addr.port(), self.token)
    }

    /// The most connections that were open at once so far.
    pub fn peak_connections(&self) -> usize {
        self.counts.peak.load(Ordering::SeqCst)
    }

    /// Serves until the process ends (`dockaudit serve`).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn listen(port: u16) -> std::io::Result<tokio::net::TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
    socket.listen(BACKLOG)
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    gate: Arc<Gate>,
    config: Config,
    counts: Arc<Counts>,
    mut stopped: oneshot::Receiver<()>,
) {
    let slots = Arc::new(Semaphore::new(config.max_connections.max(1)));
    loop {
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => return,
            },
            _ = &mut stopped => return,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    tokio::time::sleep(ACCEPT_RETRY).await;
                    continue;
                }
            },
            _ = &mut stopped => return,
        };
        let open = counts.open.fetch_add(1, Ordering::SeqCst) + 1;
        counts.peak.fetch_max(open, Ordering::SeqCst);
        let (gate, counts, config) = (gate.clone(), counts.clone(), config.clone());
        tokio::spawn(async move {
            serve_connection(stream, gate, &config).await;
            counts.open.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
        });
    }
}

async fn serve_connection(stream: TcpStream, gate: Arc<Gate>, config: &Config) {
    let _ = stream.set_nodelay(true);
    let io = TokioIo::new(WriteTimeout::new(stream, config.write_timeout));
    let service = service_fn(move |req| {
        let gate = gate.clone();
        async move { Ok::<_, Infallible>(respond(req, &gate).await) }
    });
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout)
        .max_buf_size(MAX_REQUEST_HEAD)
        .serve_connection(io, service)
        .await;
}
