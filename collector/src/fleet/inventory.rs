//! The fleet inventory: a TOML file naming the Docker hosts to audit.
//!
//! ```toml
//! [defaults]
//! ssh_user = "audit"
//! sudo = true
//! timeout = 300                 # seconds for one host's whole audit
//! labels = { team = "platform" }
//!
//! [[hosts]]
//! name = "web-1"
//! address = "ssh://web-1.example.com"
//! labels = { environment = "production" }
//!
//! [[hosts]]
//! address = "tcp://build.example.com:2376"
//! tls_verify = true
//! cert_path = "certs/build"     # ca.pem, cert.pem, key.pem; relative to this file
//!
//! [[hosts]]
//! context = "staging"           # a docker CLI context
//! ```
//!
//! Parsing refuses unknown keys and anything it cannot use, with the line and the host named, so
//! a typo never silently audits the wrong thing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

/// A host's audit may take at most this long unless the inventory or `--host-timeout` says
/// otherwise: long enough to copy the collector to a host over SSH and inspect a few thousand
/// containers.
pub const DEFAULT_HOST_TIMEOUT: Duration = Duration::from_secs(300);

/// The longest per-host timeout accepted (one day).
pub const MAX_HOST_TIMEOUT_SECS: u64 = 86_400;

/// Inventories larger than this are refused before parsing (a fleet of 10,000 hosts is ~2 MB).
pub const MAX_INVENTORY_BYTES: u64 = 8 * 1024 * 1024;

/// The most hosts one inventory may list.
pub const MAX_HOSTS: usize = 10_000;

/// Longest host name kept in reports and file names.
const MAX_NAME_CHARS: usize = 200;

/// Why an inventory cannot be used. Every message names the file, and the line when it has one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InventoryError {
    #[error("cannot read the inventory {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the inventory {path} is {size} bytes, more than the {max} bytes allowed")]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error("{path}{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Syntax {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    #[error("{path} line {line}: host {host:?}: {reason}")]
    Host {
        path: PathBuf,
        line: usize,
        host: String,
        reason: String,
    },
    #[error("{path}: {reason}")]
    Invalid { path: PathBuf, reason: String },
}

/// How a host's daemon is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Daemon {
    /// `unix:///path`, `tcp://host:port` or `ssh://[user@]host[:port]`, as `--host` takes it.
    Address(String),
    /// A docker CLI context by name.
    Context(String),
}

impl Daemon {
    /// The address as typed, or `context NAME`.
    pub fn describe(&self) -> String {
        match self {
            Daemon::Address(a) => a.clone(),
            Daemon::Context(c) => format!("context {c}"),
        }
    }
}

/// TLS settings of a `tcp://` host, as `--tlsverify` and `DOCKER_CERT_PATH` give them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tls {
    pub verify: bool,
    /// Directory holding `ca.pem`, `cert.pem` and `key.pem`.
    pub cert_path: Option<PathBuf>,
}

/// One host to audit, with every default applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Unique within the fleet; names the host in the summary and its report's file name.
    pub name: String,
    pub daemon: Daemon,
    /// User for `ssh://` addresses (already part of [`Target::address`] when given).
    pub ssh_user: Option<String>,
    /// Gather host facts on an SSH host through `sudo -n`.
    pub sudo: bool,
    pub labels: BTreeMap<String, String>,
    /// The whole audit of this host, connecting included.
    pub timeout: Duration,
    /// Whether the timeout was set for this host in the inventory (then `--host-timeout` does not
    /// replace it).
    pub timeout_set: bool,
    pub tls: Tls,
}

impl Target {
    /// A target for one `--host ADDRESS` flag.
    pub fn from_address(address: &str) -> Result<Target, String> {
        let address = address.trim();
        check_address(address)?;
        Ok(Target {
            name: clean_name(address)?,
            daemon: Daemon::Address(address.to_string()),
            ssh_user: ssh_user_of(address),
            sudo: false,
            labels: BTreeMap::new(),
            timeout: DEFAULT_HOST_TIMEOUT,
            timeout_set: false,
            tls: Tls::default(),
        })
    }

    /// The daemon address to connect to, `None` for a context.
    pub fn address(&self) -> Option<&str> {
        match &self.daemon {
            Daemon::Address(a) => Some(a),
            Daemon::Context(_) => None,
        }
    }
}

/// A parsed inventory: its hosts in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inventory {
    pub targets: Vec<Target>,
}

impl Inventory {
    /// Reads and parses an inventory file; relative `cert_path`s are taken from its directory.
    pub fn load(path: &Path) -> Result<Inventory, InventoryError> {
        let read_err = |source| InventoryError::Read {
            path: path.to_path_buf(),
            source,
        };
        let size = std::fs::metadata(path).map_err(read_err)?.len();
        if size > MAX_INVENTORY_BYTES {
            return Err(InventoryError::TooLarge {
                path: path.to_path_buf(),
                size,
                max: MAX_INVENTORY_BYTES,
            });
        }
        let bytes = std::fs::read(path).map_err(read_err)?;
        let text = String::from_utf8(bytes).map_err(|e| InventoryError::Syntax {
            path: path.to_path_buf(),
            line: None,
            message: format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        Inventory::parse(&text, path, base)
    }

    /// Parses inventory text. `path` names it in errors; `base` anchors relative paths.
    pub fn parse(text: &str, path: &Path, base: &Path) -> Result<Inventory, InventoryError> {
        let raw: RawInventory = toml::from_str(text).map_err(|e| InventoryError::Syntax {
            path: path.to_path_buf(),
            line: e.span().map(|s| line_of(text, s.start)),
            message: e.message().trim().replace('\n', " "),
        })?;
        if raw.hosts.is_empty() {
            return Err(InventoryError::Invalid {
                path: path.to_path_buf(),
                reason: "no hosts: add a [[hosts]] table per Docker host".into(),
            });
        }
        if raw.hosts.len() > MAX_HOSTS {
            return Err(InventoryError::Invalid {
                path: path.to_path_buf(),
                reason: format!(
                    "{} hosts, more than the {MAX_HOSTS} one inventory may list",
                    raw.hosts.len()
                ),
            });
        }
        let defaults = &raw.defaults;
        if let Some(reason) = check_defaults(defaults) {
            return Err(InventoryError::Invalid {
                path: path.to_path_buf(),
                reason: format!("[defaults]: {reason}"),
            });
        }
        let mut targets = Vec::with_capacity(raw.hosts.len());
        let mut names: BTreeSet<String> = BTreeSet::new();
        for spanned in &raw.hosts {
            let line = line_of(text, spanned.span().start);
            let host = spanned.get_ref();
            let fail = |name: &str, reason: String| InventoryError::Host {
                path: path.to_path_buf(),
                line,
                host: name.to_string(),
                reason,
            };
            let label = host
                .name
                .clone()
                .or_else(|| host.address.clone())
                .or_else(|| host.context.clone())
                .unwrap_or_else(|| format!("#{}", targets.len() + 1));
            let target = resolve(host, defaults, base).map_err(|reason| fail(&label, reason))?;
            if !names.insert(target.name.clone()) {
                return Err(fail(
                    &target.name,
                    "the name is used by an earlier host; give each host its own name".into(),
                ));
            }
            targets.push(target);
        }
        Ok(Inventory { targets })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInventory {
    #[serde(default)]
    defaults: RawDefaults,
    #[serde(default)]
    hosts: Vec<Spanned<RawHost>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    ssh_user: Option<String>,
    sudo: Option<bool>,
    timeout: Option<u64>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    tls_verify: Option<bool>,
    cert_path: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHost {
    name: Option<String>,
    address: Option<String>,
    context: Option<String>,
    ssh_user: Option<String>,
    sudo: Option<bool>,
    timeout: Option<u64>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    tls_verify: Option<bool>,
    cert_path: Option<PathBuf>,
}

fn check_defaults(d: &RawDefaults) -> Option<String> {
    if let Some(user) = &d.ssh_user {
        if let Err(e) = check_ssh_user(user) {
            return Some(e);
        }
    }
    if let Some(t) = d.timeout {
        if let Err(e) = check_timeout(t) {
            return Some(e);
        }
    }
    check_labels(&d.labels).err()
}

/// One host with the defaults applied, or why it cannot be used.
fn resolve(host: &RawHost, defaults: &RawDefaults, base: &Path) -> Result<Target, String> {
    let daemon = match (&host.address, &host.context) {
        (Some(_), Some(_)) => return Err("give either address or context, not both".into()),
        (None, None) => {
            return Err(
                "no daemon: give address = \"ssh://…\", \"tcp://…\" or \"unix://…\", or context = \"NAME\"".into(),
            )
        }
        (Some(address), None) => {
            let address = address.trim();
            check_address(address)?;
            Daemon::Address(address.to_string())
        }
        (None, Some(context)) => {
            let context = context.trim();
            if context.is_empty() || context.chars().any(|c| c.is_control() || c == '/') {
                return Err(format!("context {context:?} is not a context name"));
            }
            Daemon::Context(context.to_string())
        }
    };
    let scheme = match &daemon {
        Daemon::Address(a) => Scheme::of(a),
        Daemon::Context(_) => Scheme::Context,
    };

    // SSH settings: the host's own must fit its address; the defaults' apply where they can.
    if let Some(user) = &host.ssh_user {
        check_ssh_user(user)?;
        if !matches!(scheme, Scheme::Ssh) {
            return Err("ssh_user is for ssh:// addresses only".into());
        }
    }
    if host.sudo.is_some() && !matches!(scheme, Scheme::Ssh | Scheme::Context) {
        return Err("sudo is for ssh:// addresses (and contexts) only".into());
    }
    let (daemon, ssh_user) = match daemon {
        Daemon::Address(address) if matches!(scheme, Scheme::Ssh) => {
            let in_url = ssh_user_of(&address);
            match (in_url, host.ssh_user.clone().or_else(|| defaults.ssh_user.clone())) {
                (Some(url_user), Some(user)) if host.ssh_user.is_some() && url_user != user => {
                    return Err(format!(
                        "ssh_user {user:?} contradicts the user {url_user:?} in the address"
                    ))
                }
                (Some(url_user), _) => (Daemon::Address(address), Some(url_user)),
                (None, Some(user)) => (Daemon::Address(with_ssh_user(&address, &user)), Some(user)),
                (None, None) => (Daemon::Address(address), None),
            }
        }
        other => (other, None),
    };

    // TLS: for tcp:// hosts (a context carries its own).
    let host_tls = host.tls_verify.is_some() || host.cert_path.is_some();
    if host_tls && !matches!(scheme, Scheme::Tcp) {
        return Err("tls_verify and cert_path are for tcp:// addresses only".into());
    }
    let tls = if matches!(scheme, Scheme::Tcp) {
        let cert_path = host.cert_path.clone().or_else(|| defaults.cert_path.clone()).map(|p| {
            if p.is_relative() {
                base.join(p)
            } else {
                p
            }
        });
        Tls {
            verify: host.tls_verify.or(defaults.tls_verify).unwrap_or(false) || cert_path.is_some(),
            cert_path,
        }
    } else {
        Tls::default()
    };

    let timeout_secs = host.timeout.or(defaults.timeout);
    if let Some(t) = host.timeout {
        check_timeout(t)?;
    }
    let mut labels = defaults.labels.clone();
    check_labels(&host.labels)?;
    labels.extend(host.labels.clone());

    let name = match &host.name {
        Some(name) => clean_name(name)?,
        None => clean_name(&match &daemon {
            Daemon::Address(a) => a.clone(),
            Daemon::Context(c) => c.clone(),
        })?,
    };
    Ok(Target {
        name,
        daemon,
        ssh_user,
        sudo: host.sudo.or(defaults.sudo).unwrap_or(false),
        labels,
        timeout: timeout_secs.map_or(DEFAULT_HOST_TIMEOUT, Duration::from_secs),
        timeout_set: host.timeout.is_some(),
        tls,
    })
}

#[derive(Debug, Clone, Copy)]
enum Scheme {
    Unix,
    Tcp,
    Ssh,
    Context,
}

impl Scheme {
    fn of(address: &str) -> Scheme {
        if address.starts_with("ssh://") {
            Scheme::Ssh
        } else if address.starts_with("unix://") || address.starts_with('/') {
            Scheme::Unix
        } else {
            Scheme::Tcp
        }
    }
}

/// Accepts what the connector understands, and refuses what would reach `ssh` as an option.
fn check_address(address: &str) -> Result<(), String> {
    if address.is_empty() {
        return Err("the address is empty".into());
    }
    if address.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!("address {address:?} holds spaces or control characters"));
    }
    let known = ["unix://", "tcp://", "ssh://", "https://", "http://"];
    if !address.starts_with('/') && !known.iter().any(|s| address.starts_with(s)) {
        return Err(format!(
            "address {address:?} is not unix:///path, tcp://host:port or ssh://[user@]host[:port]"
        ));
    }
    if let Some(rest) = address.strip_prefix("ssh://") {
        let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
        if host.is_empty() || host.starts_with('-') {
            return Err(format!("address {address:?} names no SSH host"));
        }
        if let Some(user) = ssh_user_of(address) {
            check_ssh_user(&user)?;
        }
    }
    Ok(())
}

/// POSIX-portable user names (and `-` not first), so a name never reads as an `ssh` option.
fn check_ssh_user(user: &str) -> Result<(), String> {
    let ok = !user.is_empty()
        && !user.starts_with('-')
        && user.len() <= 64
        && user
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(format!("ssh_user {user:?} is not a user name (letters, digits, . _ -)"))
    }
}

fn check_timeout(secs: u64) -> Result<(), String> {
    if (1..=MAX_HOST_TIMEOUT_SECS).contains(&secs) {
        Ok(())
    } else {
        Err(format!(
            "timeout {secs} is not between 1 and {MAX_HOST_TIMEOUT_SECS} seconds"
        ))
    }
}

fn check_labels(labels: &BTreeMap<String, String>) -> Result<(), String> {
    for (key, value) in labels {
        if key.trim().is_empty() || key.chars().any(char::is_control) || value.chars().any(char::is_control) {
            return Err(format!(
                "label {key:?} = {value:?} is empty or holds control characters"
            ));
        }
    }
    Ok(())
}

/// A host name as given: trimmed, not empty, without control characters, not too long.
fn clean_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    if name.chars().any(char::is_control) {
        return Err(format!("name {name:?} holds control characters"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!("the name is longer than {MAX_NAME_CHARS} characters"));
    }
    Ok(name.to_string())
}

/// The user in `ssh://user@host`.
fn ssh_user_of(address: &str) -> Option<String> {
    let rest = address.strip_prefix("ssh://")?;
    let authority = rest.split('/').next().unwrap_or(rest);
    authority.rsplit_once('@').map(|(user, _)| user.to_string())
}

/// `ssh://host…` with `user@` inserted.
fn with_ssh_user(address: &str, user: &str) -> String {
    match address.strip_prefix("ssh://") {
        Some(rest) => format!("ssh://{user}@{rest}"),
        None => address.to_string(),
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Inventory, InventoryError> {
        Inventory::parse(text, Path::new("fleet.toml"), Path::new("/etc/dockaudit"))
    }

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn hosts_take_the_defaults_and_override_them() {
        let inv = parse(
            r#"
[defaults]
ssh_user = "audit"
sudo = true
timeout = 120
labels = { team = "platform", environment = "staging" }

[[hosts]]
name = "web-1"
address = "ssh://web-1.example.com:2222"
labels = { environment = "production" }

[[hosts]]
address = "ssh://root@db.example.com"
sudo = false
timeout = 30

[[hosts]]
name = "build"
address = "tcp://build.example.com:2376"
cert_path = "certs/build"

[[hosts]]
context = "staging"

[[hosts]]
name = "local"
address = "unix:///var/run/docker.sock"
"#,
        )
        .unwrap();
        let t = &inv.targets;
        assert_eq!(t.len(), 5);
        assert_eq!(t[0].name, "web-1");
        assert_eq!(t[0].address(), Some("ssh://audit@web-1.example.com:2222"));
        assert_eq!(t[0].ssh_user.as_deref(), Some("audit"));
        assert!(t[0].sudo);
        assert_eq!(t[0].timeout, Duration::from_secs(120));
        assert!(!t[0].timeout_set);
        assert_eq!(t[0].labels["environment"], "production");
        assert_eq!(t[0].labels["team"], "platform");

        // The user in the address wins over the default; the name defaults to the address.
        assert_eq!(t[1].name, "ssh://root@db.example.com");
        assert_eq!(t[1].ssh_user.as_deref(), Some("root"));
        assert!(!t[1].sudo);
        assert_eq!(t[1].timeout, Duration::from_secs(30));
        assert!(t[1].timeout_set);

        assert_eq!(
            t[2].tls,
            Tls {
                verify: true,
                cert_path: Some(PathBuf::from("/etc/dockaudit/certs/build"))
            }
        );
        assert_eq!(t[2].ssh_user, None);
        assert_eq!(t[3].daemon, Daemon::Context("staging".into()));
        assert_eq!(t[3].name, "staging");
        assert_eq!(t[4].address(), Some("unix:///var/run/docker.sock"));
        assert_eq!(t[4].labels["environment"], "staging");
    }

    /// Every refused inventory: the text, and what its one-line message must say (the file, the
    /// line, the host, the offending key or value, what to do).
    #[test]
    fn refused_inventories_say_why_and_where() {
        let cases: &[(&str, &[&str])] = &[
            // Unknown keys, wherever they are, with their line.
            (
                "[[hosts]]\nname = \"a\"\nadress = \"tcp://a:2375\"\n",
                &["fleet.toml line 3: ", "adress"],
            ),
            (
                "[defaults]\nuser = \"x\"\n[[hosts]]\naddress = \"tcp://a\"\n",
                &["line 2", "user"],
            ),
            ("[[hosts]]\naddress = \"tcp://a\"\n[extras]\nx = 1\n", &["extras"]),
            // Syntax and type errors.
            ("[[hosts]]\naddress = \"tcp://a\"\ntimeout = \"soon\"\n", &["line 3"]),
            ("[[hosts]\n", &["line 1"]),
            ("[[hosts]]\naddress = \"tcp://a\"\nlabels = { team = 3 }\n", &["line 3"]),
            // A host that cannot be used: named, with the line of its table.
            (
                "[[hosts]]\naddress = \"tcp://a\"\n\n[[hosts]]\nname = \"b\"\n",
                &["line 4", "host \"b\"", "no daemon"],
            ),
            (
                "[[hosts]]\nname = \"b\"\naddress = \"tcp://a\"\ncontext = \"c\"\n",
                &["not both"],
            ),
            ("[[hosts]]\naddress = \"ftp://a\"\n", &["ftp://a", "ssh://"]),
            (
                "[[hosts]]\nname = \"a\"\naddress = \"tcp://a\"\n[[hosts]]\nname = \"a\"\naddress = \"tcp://b\"\n",
                &["earlier host", "line 4"],
            ),
            (
                "[[hosts]]\naddress = \"tcp://a\"\nssh_user = \"x\"\n",
                &["ssh_user is for ssh://"],
            ),
            (
                "[[hosts]]\naddress = \"unix:///s\"\nsudo = true\n",
                &["sudo is for ssh://"],
            ),
            (
                "[[hosts]]\naddress = \"ssh://h\"\ncert_path = \"c\"\n",
                &["are for tcp://"],
            ),
            (
                "[[hosts]]\naddress = \"ssh://me@h\"\nssh_user = \"you\"\n",
                &["contradicts"],
            ),
            ("[[hosts]]\naddress = \"tcp://a\"\ntimeout = 0\n", &["timeout 0"]),
            ("[[hosts]]\nname = \"  \"\naddress = \"tcp://a\"\n", &["name is empty"]),
            // What would reach `ssh` as an option.
            (
                "[[hosts]]\naddress = \"ssh://-oProxyCommand=x\"\n",
                &["names no SSH host"],
            ),
            ("[[hosts]]\naddress = \"ssh://-x@host\"\n", &["not a user name"]),
            ("[[hosts]]\naddress = \"ssh://\"\n", &["names no SSH host"]),
            (
                "[[hosts]]\naddress = \"ssh://a b\"\n",
                &["spaces or control characters"],
            ),
            (
                "[defaults]\nssh_user = \"-oX\"\n[[hosts]]\naddress = \"ssh://h\"\n",
                &["[defaults]"],
            ),
            // Control characters are refused, never carried into the message.
            (
                "[[hosts]]\nname = \"a\\u001b]0;x\\u0007\"\naddress = \"tcp://a\"\n",
                &["control characters"],
            ),
            (
                "[[hosts]]\naddress = \"tcp://a\"\nlabels = { team = \"x\\u001b\" }\n",
                &["control characters"],
            ),
            // Nothing to audit.
            ("", &["no hosts"]),
            ("[defaults]\nsudo = true\n", &["no hosts"]),
        ];
        for (text, needles) in cases {
            let e = err(text);
            for needle in *needles {
                assert!(e.contains(needle), "{text:?}: {e:?} does not say {needle:?}");
            }
            assert!(e.starts_with("fleet.toml"), "{text:?}: {e:?}");
            assert!(!e.contains('\n') && !e.contains('\u{1b}'), "one clean line: {e:?}");
        }
    }

    #[test]
    fn load_reports_missing_and_oversized_files() {
        let e = Inventory::load(Path::new("/nonexistent/fleet.toml")).unwrap_err();
        assert!(matches!(e, InventoryError::Read { .. }), "{e}");
        assert!(e.to_string().contains("/nonexistent/fleet.toml"));
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.toml");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_INVENTORY_BYTES + 1)
            .unwrap();
        let e = Inventory::load(&big).unwrap_err();
        assert!(matches!(e, InventoryError::TooLarge { .. }), "{e}");
    }

    #[test]
    fn flag_addresses_become_targets() {
        let t = Target::from_address(" ssh://ops@h:22 ").unwrap();
        assert_eq!(t.name, "ssh://ops@h:22");
        assert_eq!(t.ssh_user.as_deref(), Some("ops"));
        assert!(Target::from_address("gopher://x").is_err());
        assert!(Target::from_address("").is_err());
    }
}
