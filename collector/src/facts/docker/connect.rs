//! Connecting to the Docker Engine API the way the docker CLI does.
//!
//! The endpoint comes from `--host`/`DOCKER_HOST` or a docker context (`unix://`, `tcp://` or
//! `ssh://`), TLS from `--tlsverify` and the certificate flags, `DOCKER_CERT_PATH` or the
//! context's TLS material. [`connect`] negotiates the API version and pings, so a bad endpoint,
//! a permission problem or a too-old daemon is reported once, up front, with a message that says
//! what to do; gathering can then assume a working client. What the connection proves (plain
//! TCP, TLS with or without a client certificate, SSH) is returned as a snapshot fact.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bollard::errors::Error as BollardError;
use bollard::{ClientVersion, Docker, API_DEFAULT_VERSION};

use super::ssh;
use crate::facts::remote::{SshDestination, SshError, SshOptions, SshSession};
use crate::snapshot::{Connection, TlsSession, Transport};

/// The default endpoint when neither `--host` nor `DOCKER_HOST` is set.
pub const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

/// Oldest Engine API dockaudit reads (Docker 20.10).
pub const MIN_API_VERSION: ClientVersion = ClientVersion {
    major_version: 1,
    minor_version: 41,
};

/// Per-request timeout used when the caller passes 0.
const DEFAULT_TIMEOUT_SECS: u64 = 120;

/// How to reach the daemon, following the docker CLI's flags and environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    /// `--host`/`DOCKER_HOST`; `None` means [`DEFAULT_HOST`].
    pub host: Option<String>,
    /// `--tlsverify`/`DOCKER_TLS_VERIFY`: speak TLS and verify the daemon against the CA.
    pub tls_verify: bool,
    pub tls_ca: Option<PathBuf>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// `DOCKER_CERT_PATH`: directory with `ca.pem`, `cert.pem` and `key.pem`.
    pub cert_path: Option<PathBuf>,
    /// Per-request timeout in seconds; 0 means the default (120 s).
    pub timeout_secs: u64,
    /// The docker context `host` and the TLS files came from, recorded in the snapshot.
    pub context: Option<String>,
    /// How `ssh` is run for `ssh://` hosts.
    pub ssh: SshOptions,
}

/// A client that answered, with what the connection established.
pub struct Connected {
    pub docker: Docker,
    /// The endpoint as a URL (`unix:///…`, `tcp://host:port`, `ssh://user@host`).
    pub endpoint: String,
    /// How the daemon was reached, for the snapshot.
    pub connection: Connection,
    /// The SSH master connection of an `ssh://` host, for running commands there too.
    pub ssh: Option<Arc<SshSession>>,
}

impl std::fmt::Debug for Connected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connected")
            .field("endpoint", &self.endpoint)
            .field("connection", &self.connection)
            .finish_non_exhaustive()
    }
}

/// Why the daemon could not be used. Each message is one line saying what failed and what to do.
#[derive(Debug, thiserror::Error)]
pub enum DockerError {
    #[error("cannot reach the Docker daemon at {endpoint} ({reason}); is the daemon running? set --host/DOCKER_HOST to its socket or address")]
    Unreachable { endpoint: String, reason: String },
    #[error("permission denied on the Docker socket {endpoint}; run as root or a member of the docker group")]
    PermissionDenied { endpoint: String },
    #[error("TLS problem talking to {endpoint}: {reason}")]
    Tls { endpoint: String, reason: String },
    #[error("the Docker daemon at {endpoint} speaks Engine API {version}, older than the {min} dockaudit needs; upgrade Docker (20.10 or later)", min = MIN_API_VERSION)]
    ApiTooOld { endpoint: String, version: String },
    #[error("unsupported Docker host {host:?}: {reason}")]
    InvalidHost { host: String, reason: String },
    #[error("the Docker daemon at {endpoint} failed: {reason}")]
    Other { endpoint: String, reason: String },
    #[error("{0}")]
    Ssh(#[from] SshError),
    #[error("cannot reach the Docker daemon through {endpoint} ({reason}); does the remote user have docker installed and access to its socket?")]
    SshDial { endpoint: String, reason: String },
}

/// Where to connect, parsed from the host string.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// Path of a unix socket.
    Unix(String),
    /// `host:port`, and whether TLS was asked for by the scheme (`https://`).
    Tcp { authority: String, https: bool },
    /// `ssh://[user@]host[:port]`, reached with `docker system dial-stdio` on that host.
    Ssh(SshDestination),
}

/// Certificate files for a TLS connection.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TlsFiles {
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

/// Builds the client, negotiates the API version (never above the daemon's) and pings.
pub async fn connect(opts: &ConnectOptions) -> Result<Connected, DockerError> {
    let host = opts
        .host
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .unwrap_or(DEFAULT_HOST);
    let target = parse_host(host)?;
    let timeout = if opts.timeout_secs == 0 {
        DEFAULT_TIMEOUT_SECS
    } else {
        opts.timeout_secs
    };
    let mut session = None;
    let mut last_dial_error = None;
    let (docker, endpoint, transport, tls) = match &target {
        Target::Unix(path) => {
            let endpoint = format!("unix://{path}");
            if !Path::new(path).exists() {
                return Err(DockerError::Unreachable {
                    endpoint,
                    reason: format!("no socket at {path}"),
                });
            }
            let docker = Docker::connect_with_unix(path, timeout, API_DEFAULT_VERSION)
                .map_err(|e| classify(&e, &endpoint, false))?;
            (docker, endpoint, Transport::Unix, None)
        }
        Target::Tcp { authority, https } => {
            let endpoint = format!("tcp://{authority}");
            let wants_tls =
                *https || opts.tls_verify || opts.tls_ca.is_some() || opts.tls_cert.is_some() || opts.tls_key.is_some();
            if wants_tls {
                let files = tls_files(opts, &endpoint)?;
                let docker = Docker::connect_with_ssl(
                    authority,
                    &files.key,
                    &files.cert,
                    &files.ca,
                    timeout,
                    API_DEFAULT_VERSION,
                )
                .map_err(|e| classify(&e, &endpoint, true))?;
                let tls = TlsSession {
                    server_verified: true,
                    client_certificate: files.cert.is_file() && files.key.is_file(),
                };
                (docker, endpoint, Transport::Tcp, Some(tls))
            } else {
                let docker = Docker::connect_with_http(authority, timeout, API_DEFAULT_VERSION)
                    .map_err(|e| classify(&e, &endpoint, false))?;
                (docker, endpoint, Transport::Tcp, None)
            }
        }
        Target::Ssh(destination) => {
            let mut ssh_opts = opts.ssh.clone();
            if ssh_opts.connect_timeout == 0 {
                ssh_opts.connect_timeout = timeout.min(60);
            }
            let opened = Arc::new(SshSession::open(destination.clone(), ssh_opts).await?);
            let (docker, last_error) = ssh::connect(Arc::clone(&opened), timeout, API_DEFAULT_VERSION);
            session = Some(opened);
            last_dial_error = Some(last_error);
            (docker, destination.url(), Transport::Ssh, None)
        }
    };
    let dial_failed = |e: &BollardError| -> DockerError {
        let said = last_dial_error
            .as_ref()
            .and_then(|l| l.lock().ok().map(|s| s.clone()))
            .unwrap_or_default();
        DockerError::SshDial {
            endpoint: endpoint.clone(),
            reason: if said.is_empty() { describe(e) } else { said },
        }
    };
    let tls_used = tls.is_some();
    let fail = |e: &BollardError| {
        if session.is_some() && !matches!(e, BollardError::DockerResponseServerError { .. }) {
            dial_failed(e)
        } else {
            classify(e, &endpoint, tls_used)
        }
    };
    let docker = docker.negotiate_version().await.map_err(|e| fail(&e))?;
    let version = docker.client_version();
    if version < MIN_API_VERSION {
        return Err(DockerError::ApiTooOld {
            endpoint,
            version: version.to_string(),
        });
    }
    docker.ping().await.map_err(|e| fail(&e))?;
    Ok(Connected {
        docker,
        connection: Connection {
            transport,
            address: endpoint.clone(),
            tls,
            context: opts.context.clone(),
            remote: None,
        },
        endpoint,
        ssh: session,
    })
}

/// Parses `--host` the way the docker CLI does: `unix:///path`, `tcp://host[:port]`; a bare
/// absolute path is taken as a socket. A TCP address without a port gets 2375 (2376 with TLS).
fn parse_host(host: &str) -> Result<Target, DockerError> {
    let invalid = |reason: &str| DockerError::InvalidHost {
        host: host.to_string(),
        reason: reason.to_string(),
    };
    if let Some(path) = host.strip_prefix("unix://") {
        let path = if path.is_empty() { "/var/run/docker.sock" } else { path };
        return Ok(Target::Unix(path.to_string()));
    }
    if host.starts_with('/') {
        return Ok(Target::Unix(host.to_string()));
    }
    let (rest, https) = if let Some(rest) = host.strip_prefix("tcp://").or_else(|| host.strip_prefix("http://")) {
        (rest, false)
    } else if let Some(rest) = host.strip_prefix("https://") {
        (rest, true)
    } else if host.starts_with("ssh://") {
        return SshDestination::parse(host).map(Target::Ssh).map_err(|e| match e {
            SshError::InvalidAddress { reason, .. } => invalid(&reason),
            other => invalid(&other.to_string()),
        });
    } else if host.contains("://") {
        return Err(invalid(
            "use unix:///path/to/docker.sock, tcp://host:port or ssh://[user@]host[:port]",
        ));
    } else {
        // The CLI accepts `host:port` without a scheme as TCP.
        (host, false)
    };
    // Drop any path (`tcp://host:2375/`); the API is served at the root.
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.is_empty() {
        return Err(invalid("no address after the scheme"));
    }
    let has_port = match authority.rfind(']') {
        Some(end) => authority[end..].contains(':'),
        None => authority.contains(':'),
    };
    let authority = if has_port {
        authority.to_string()
    } else {
        format!("{authority}:{}", if https { 2376 } else { 2375 })
    };
    Ok(Target::Tcp { authority, https })
}

/// The certificate files to use: explicit flags first, then the certificate directory
/// (`DOCKER_CERT_PATH`, else `~/.docker`). The CA must exist; the client pair may be absent (the
/// daemon then decides whether it needs one), but not half present.
fn tls_files(opts: &ConnectOptions, endpoint: &str) -> Result<TlsFiles, DockerError> {
    let tls_err = |reason: String| DockerError::Tls {
        endpoint: endpoint.to_string(),
        reason,
    };
    let dir = opts
        .cert_path
        .clone()
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".docker")));
    let pick = |explicit: &Option<PathBuf>, file: &str| explicit.clone().or_else(|| dir.as_ref().map(|d| d.join(file)));
    let hint = "pass --tlscacert/--tlscert/--tlskey or set DOCKER_CERT_PATH to a directory holding ca.pem, cert.pem and key.pem";
    let Some(ca) = pick(&opts.tls_ca, "ca.pem") else {
        return Err(tls_err(format!("no CA certificate given; {hint}")));
    };
    if !ca.is_file() {
        return Err(tls_err(format!("CA certificate {} not found; {hint}", ca.display())));
    }
    let cert = pick(&opts.tls_cert, "cert.pem").unwrap_or_default();
    let key = pick(&opts.tls_key, "key.pem").unwrap_or_default();
    for (explicit, path, what) in [
        (&opts.tls_cert, &cert, "client certificate"),
        (&opts.tls_key, &key, "client key"),
    ] {
        if explicit.is_some() && !path.is_file() {
            return Err(tls_err(format!("{what} {} not found; {hint}", path.display())));
        }
    }
    if cert.is_file() != key.is_file() {
        let (found, missing) = if cert.is_file() { (&cert, &key) } else { (&key, &cert) };
        return Err(tls_err(format!(
            "{} exists but {} does not; a client certificate needs its key; {hint}",
            found.display(),
            missing.display()
        )));
    }
    Ok(TlsFiles { ca, cert, key })
}

/// Turns a bollard error from connecting into the error the user can act on.
fn classify(err: &BollardError, endpoint: &str, tls: bool) -> DockerError {
    let endpoint = endpoint.to_string();
    let reason = describe(err);
    match err {
        BollardError::SocketNotFoundError(path) => {
            return DockerError::Unreachable {
                endpoint,
                reason: format!("no socket at {path}"),
            }
        }
        BollardError::RequestTimeoutError => {
            return DockerError::Unreachable {
                endpoint,
                reason: "timed out".into(),
            }
        }
        BollardError::CertPathError { .. }
        | BollardError::CertMultipleKeys { .. }
        | BollardError::CertParseError { .. }
        | BollardError::NoNativeCertsError { .. }
        | BollardError::LoadNativeCertsErrors { .. } => return DockerError::Tls { endpoint, reason },
        BollardError::DockerResponseServerError { message, .. } if message.contains("HTTPS server") => {
            return DockerError::Tls {
                endpoint,
                reason: "the daemon expects TLS; pass --tlsverify with its certificates".into(),
            }
        }
        _ => {}
    }
    // `IOError` is transparent: its source chain skips the io::Error itself.
    let io = match err {
        BollardError::IOError { err } => Some(err),
        other => find_io_error(other),
    };
    if let Some(io) = io {
        use std::io::ErrorKind;
        match io.kind() {
            ErrorKind::PermissionDenied if endpoint.starts_with("unix://") => {
                return DockerError::PermissionDenied { endpoint }
            }
            ErrorKind::NotFound | ErrorKind::ConnectionRefused | ErrorKind::TimedOut | ErrorKind::AddrNotAvailable => {
                return DockerError::Unreachable {
                    endpoint,
                    reason: io.to_string(),
                }
            }
            _ => {}
        }
    }
    let lower = reason.to_ascii_lowercase();
    if tls
        && [
            "certificate",
            "tls",
            "handshake",
            "alert",
            "unknownissuer",
            "corrupt message",
        ]
        .iter()
        .any(|w| lower.contains(w))
    {
        return DockerError::Tls {
            endpoint,
            reason: tls_hint(&lower).map_or(reason.clone(), |h| format!("{h} ({reason})")),
        };
    }
    if lower.contains("connect") || lower.contains("dns") {
        return DockerError::Unreachable { endpoint, reason };
    }
    DockerError::Other { endpoint, reason }
}

/// What a rustls failure usually means for a Docker endpoint.
fn tls_hint(lower: &str) -> Option<&'static str> {
    if lower.contains("unknownissuer") || lower.contains("badsignature") {
        Some("the daemon's certificate is not signed by the given CA (--tlscacert / ca.pem)")
    } else if lower.contains("notvalidforname") {
        Some("the daemon's certificate does not name this host; connect by a name or IP it lists")
    } else if lower.contains("invalidcontenttype") || lower.contains("corrupt message") {
        Some("the daemon does not speak TLS on this address; drop --tlsverify or use its TLS port")
    } else if lower.contains("expired") {
        Some("a certificate has expired")
    } else if lower.contains("badcertificate") || lower.contains("certificaterequired") || lower.contains("unknownca") {
        Some("the daemon rejected the client certificate; give one it trusts (--tlscert/--tlskey or cert.pem/key.pem)")
    } else {
        None
    }
}

/// The innermost `std::io::Error` in the error's source chain, if any.
fn find_io_error<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    let mut found = None;
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            found = Some(io);
        }
        current = e.source();
    }
    found
}

/// One line describing an error with its causes (`client error (Connect): Connection refused`).
///
/// bollard's own Display often stops at the outermost layer, which says little.
pub(crate) fn describe(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut current = err.source();
    while let Some(e) = current {
        let text = e.to_string();
        if !text.is_empty() && !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        current = e.source();
    }
    out
}

/// Whether the daemon answered 404 (the object went away between list and inspect).
pub(crate) fn is_not_found(err: &BollardError) -> bool {
    matches!(err, BollardError::DockerResponseServerError { status_code: 404, .. })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(authority: &str, https: bool) -> Target {
        Target::Tcp {
            authority: authority.into(),
            https,
        }
    }

    #[test]
    fn parses_hosts_like_the_cli() {
        assert_eq!(
            parse_host("unix:///var/run/docker.sock").unwrap(),
            Target::Unix("/var/run/docker.sock".into())
        );
        assert_eq!(
            parse_host("unix://").unwrap(),
            Target::Unix("/var/run/docker.sock".into())
        );
        assert_eq!(
            parse_host("/run/user/1000/docker.sock").unwrap(),
            Target::Unix("/run/user/1000/docker.sock".into())
        );
        assert_eq!(parse_host("tcp://10.0.0.5:2376").unwrap(), tcp("10.0.0.5:2376", false));
        assert_eq!(
            parse_host("tcp://docker.example").unwrap(),
            tcp("docker.example:2375", false)
        );
        assert_eq!(
            parse_host("https://docker.example").unwrap(),
            tcp("docker.example:2376", true)
        );
        assert_eq!(parse_host("tcp://[::1]").unwrap(), tcp("[::1]:2375", false));
        assert_eq!(parse_host("tcp://[::1]:2376/").unwrap(), tcp("[::1]:2376", false));
        assert_eq!(parse_host("localhost:2375").unwrap(), tcp("localhost:2375", false));
        assert_eq!(
            parse_host("ssh://root@127.0.0.1:2222").unwrap(),
            Target::Ssh(SshDestination {
                user: Some("root".into()),
                host: "127.0.0.1".into(),
                port: Some(2222)
            })
        );
    }

    #[test]
    fn rejects_unsupported_hosts() {
        for host in [
            "ssh://me:pw@box",
            "ssh://box/path",
            "npipe:////./pipe/docker_engine",
            "fd://",
            "tcp://",
        ] {
            let err = parse_host(host).unwrap_err();
            assert!(matches!(err, DockerError::InvalidHost { .. }), "{host}: {err}");
        }
    }

    #[test]
    fn missing_ca_is_a_tls_error_naming_the_file() {
        let opts = ConnectOptions {
            tls_verify: true,
            cert_path: Some(PathBuf::from("/nonexistent/dockaudit-certs")),
            ..Default::default()
        };
        let err = tls_files(&opts, "tcp://h:2376").unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, DockerError::Tls { .. }));
        assert!(text.contains("/nonexistent/dockaudit-certs/ca.pem"), "{text}");
        assert!(!text.contains('\n'));
    }

    #[test]
    fn explicit_client_cert_must_exist() {
        let dir = std::env::temp_dir().join(format!("dockaudit-tls-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ca.pem"), "").unwrap();
        let opts = ConnectOptions {
            tls_verify: true,
            cert_path: Some(dir.clone()),
            tls_cert: Some(dir.join("missing-cert.pem")),
            ..Default::default()
        };
        let err = tls_files(&opts, "tcp://h:2376").unwrap_err().to_string();
        assert!(err.contains("client certificate"), "{err}");
        // Without a client pair the CA alone is enough.
        let opts = ConnectOptions {
            tls_verify: true,
            cert_path: Some(dir.clone()),
            ..Default::default()
        };
        assert_eq!(tls_files(&opts, "tcp://h:2376").unwrap().ca, dir.join("ca.pem"));
        // Half a pair is refused.
        std::fs::write(dir.join("cert.pem"), "").unwrap();
        assert!(tls_files(&opts, "tcp://h:2376")
            .unwrap_err()
            .to_string()
            .contains("key.pem"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn classifies_connection_errors() {
        let e = BollardError::SocketNotFoundError("/x.sock".into());
        let d = classify(&e, "unix:///x.sock", false);
        assert!(matches!(d, DockerError::Unreachable { .. }));
        assert!(d.to_string().contains("is the daemon running? set --host/DOCKER_HOST"));

        let e = BollardError::IOError {
            err: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        let d = classify(&e, "unix:///var/run/docker.sock", false);
        assert!(matches!(d, DockerError::PermissionDenied { .. }));
        assert!(d.to_string().contains("docker group"));

        let e = BollardError::IOError {
            err: std::io::Error::from(std::io::ErrorKind::ConnectionRefused),
        };
        assert!(matches!(
            classify(&e, "tcp://h:2375", false),
            DockerError::Unreachable { .. }
        ));

        let e = BollardError::DockerResponseServerError {
            status_code: 400,
            message: "Client sent an HTTP request to an HTTPS server.".into(),
        };
        assert!(matches!(classify(&e, "tcp://h:2376", false), DockerError::Tls { .. }));

        let e = BollardError::DockerResponseServerError {
            status_code: 500,
            message: "boom".into(),
        };
        assert!(matches!(classify(&e, "tcp://h:2375", false), DockerError::Other { .. }));
    }

    #[test]
    fn api_too_old_says_what_to_do() {
        let e = DockerError::ApiTooOld {
            endpoint: "unix:///var/run/docker.sock".into(),
            version: "1.40".into(),
        };
        assert_eq!(
            e.to_string(),
            "the Docker daemon at unix:///var/run/docker.sock speaks Engine API 1.40, older than the 1.41 dockaudit needs; upgrade Docker (20.10 or later)"
        );
    }

    #[test]
    fn not_found_is_only_404() {
        assert!(is_not_found(&BollardError::DockerResponseServerError {
            status_code: 404,
            message: String::new()
        }));
        assert!(!is_not_found(&BollardError::DockerResponseServerError {
            status_code: 500,
            message: String::new()
        }));
    }
}
