//! Docker CLI contexts: which endpoint `--context`, `DOCKER_CONTEXT` and `docker context use`
//! select, read from the CLI's context store the way the docker CLI reads it.
//!
//! The store lives in `$DOCKER_CONFIG` (default `~/.docker`): `config.json` names the current
//! context, `contexts/meta/<sha256(name)>/meta.json` holds a context's endpoint and
//! `contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem` its TLS material. The choice follows
//! the CLI: `--context` (refused together with `--host`), then `--host`, then `DOCKER_HOST`, then
//! `DOCKER_CONTEXT`, then `currentContext`, then the built-in `default` context (the flags and
//! environment). [`choose`] and the parsers are pure; [`ContextStore`] does the reading.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The built-in context: `--host`/`DOCKER_HOST` and the TLS flags, never in the store.
pub const DEFAULT_CONTEXT: &str = "default";

/// Larger store files than this are refused (a meta.json is a few hundred bytes).
const MAX_STORE_FILE: u64 = 1024 * 1024;

/// What the user set that decides the context.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContextInputs<'a> {
    /// `--host` typed on the command line (not taken from `DOCKER_HOST`).
    pub host_flag: Option<&'a str>,
    /// `--context`.
    pub context_flag: Option<&'a str>,
    /// `DOCKER_HOST`.
    pub env_host: Option<&'a str>,
    /// `DOCKER_CONTEXT`.
    pub env_context: Option<&'a str>,
    /// `currentContext` in `config.json`.
    pub current_context: Option<&'a str>,
}

/// The context in effect, and what chose it (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub name: String,
    pub chosen_by: &'static str,
}

impl Choice {
    pub fn is_default(&self) -> bool {
        self.name == DEFAULT_CONTEXT
    }
}

/// A context's Docker endpoint, from its `meta.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextMeta {
    pub name: String,
    /// `Endpoints.docker.Host`; `None` means the default socket.
    pub host: Option<String>,
    /// `Endpoints.docker.SkipTLSVerify`.
    pub skip_tls_verify: bool,
}

/// A context ready to connect: its endpoint and the TLS files the store holds for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredContext {
    pub meta: ContextMeta,
    pub ca: Option<PathBuf>,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("conflicting options: either specify --host or --context, not both")]
    Conflict,
    #[error("context {name:?} does not exist (chosen by {chosen_by}); known contexts: {}", known.join(", "))]
    Unknown {
        name: String,
        chosen_by: &'static str,
        known: Vec<String>,
    },
    #[error("cannot read the Docker context store ({path}): {reason}")]
    Read { path: String, reason: String },
    #[error("{path} is not a Docker context file dockaudit understands: {reason}")]
    Parse { path: String, reason: String },
    #[error(
        "context {name:?} sets SkipTLSVerify, which dockaudit does not support: it verifies every daemon certificate"
    )]
    SkipTlsVerify { name: String },
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// The docker CLI's choice of context (its `resolveContextName`).
pub fn choose(inputs: &ContextInputs) -> Result<Choice, ContextError> {
    let pick = |name: &str, chosen_by| Choice {
        name: name.to_string(),
        chosen_by,
    };
    let context_flag = non_empty(inputs.context_flag);
    if context_flag.is_some() && non_empty(inputs.host_flag).is_some() {
        return Err(ContextError::Conflict);
    }
    if let Some(name) = context_flag {
        return Ok(pick(name, "--context"));
    }
    if non_empty(inputs.host_flag).is_some() {
        return Ok(pick(DEFAULT_CONTEXT, "--host"));
    }
    if non_empty(inputs.env_host).is_some() {
        return Ok(pick(DEFAULT_CONTEXT, "DOCKER_HOST"));
    }
    if let Some(name) = non_empty(inputs.env_context) {
        return Ok(pick(name, "DOCKER_CONTEXT"));
    }
    if let Some(name) = non_empty(inputs.current_context) {
        return Ok(pick(name, "currentContext in config.json"));
    }
    Ok(pick(DEFAULT_CONTEXT, "the default"))
}

/// The directory name of a context in the store: the hex SHA-256 of its name.
pub fn store_id(name: &str) -> String {
    Sha256::digest(name.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `currentContext` from the text of `config.json`. Other keys (credentials among them) are
/// neither read nor kept.
pub fn parse_current_context(config_json: &str) -> Result<Option<String>, String> {
    #[derive(Deserialize)]
    struct Config {
        #[serde(rename = "currentContext", default)]
        current_context: Option<String>,
    }
    let config: Config = serde_json::from_str(config_json).map_err(|e| e.to_string())?;
    Ok(config.current_context.filter(|c| !c.trim().is_empty()))
}

/// A context's `meta.json`.
pub fn parse_meta(meta_json: &str) -> Result<ContextMeta, String> {
    #[derive(Deserialize)]
    struct Meta {
        #[serde(rename = "Name")]
        name: String,
        #[serde(rename = "Endpoints", default)]
        endpoints: Endpoints,
    }
    #[derive(Deserialize, Default)]
    struct Endpoints {
        docker: Option<Endpoint>,
    }
    #[derive(Deserialize)]
    struct Endpoint {
        #[serde(rename = "Host", default)]
        host: Option<String>,
        #[serde(rename = "SkipTLSVerify", default)]
        skip_tls_verify: bool,
    }
    let meta: Meta = serde_json::from_str(meta_json).map_err(|e| e.to_string())?;
    let endpoint = meta
        .endpoints
        .docker
        .ok_or_else(|| "it has no docker endpoint (Endpoints.docker)".to_string())?;
    Ok(ContextMeta {
        name: meta.name,
        host: endpoint.host.filter(|h| !h.trim().is_empty()),
        skip_tls_verify: endpoint.skip_tls_verify,
    })
}

/// The docker CLI's configuration directory: `$DOCKER_CONFIG`, else `~/.docker`.
pub fn config_dir(docker_config: Option<&str>, home: Option<&Path>) -> Option<PathBuf> {
    match non_empty(docker_config) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => home.map(|h| h.join(".docker")),
    }
}

/// The context store under one configuration directory; the only part that reads files.
#[derive(Debug, Clone)]
pub struct ContextStore {
    dir: PathBuf,
}

impl ContextStore {
    pub fn new(dir: PathBuf) -> Self {
        ContextStore { dir }
    }

    /// `currentContext`, or `None` when there is no `config.json`.
    pub fn current_context(&self) -> Result<Option<String>, ContextError> {
        let path = self.dir.join("config.json");
        match read_small(&path)? {
            None => Ok(None),
            Some(text) => parse_current_context(&text).map_err(|reason| ContextError::Parse {
                path: path.display().to_string(),
                reason,
            }),
        }
    }

    /// Names of the contexts in the store, sorted, with `default` first.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.join("contexts/meta"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|entry| read_small(&entry.path().join("meta.json")).ok().flatten())
            .filter_map(|text| parse_meta(&text).ok())
            .map(|meta| meta.name)
            .filter(|name| name != DEFAULT_CONTEXT)
            .collect();
        names.sort();
        names.dedup();
        names.insert(0, DEFAULT_CONTEXT.to_string());
        names
    }

    /// A named context with its TLS files; `Unknown` (listing the known ones) when it is not
    /// in the store.
    pub fn load(&self, choice: &Choice) -> Result<StoredContext, ContextError> {
        let id = store_id(&choice.name);
        let path = self.dir.join("contexts/meta").join(&id).join("meta.json");
        let Some(text) = read_small(&path)? else {
            return Err(ContextError::Unknown {
                name: choice.name.clone(),
                chosen_by: choice.chosen_by,
                known: self.names(),
            });
        };
        let meta = parse_meta(&text).map_err(|reason| ContextError::Parse {
            path: path.display().to_string(),
            reason,
        })?;
        if meta.name != choice.name {
            return Err(ContextError::Parse {
                path: path.display().to_string(),
                reason: format!("it names context {:?}, not {:?}", meta.name, choice.name),
            });
        }
        if meta.skip_tls_verify {
            return Err(ContextError::SkipTlsVerify { name: meta.name });
        }
        let tls = self.dir.join("contexts/tls").join(&id).join("docker");
        let file = |name: &str| Some(tls.join(name)).filter(|p| p.is_file());
        Ok(StoredContext {
            ca: file("ca.pem"),
            cert: file("cert.pem"),
            key: file("key.pem"),
            meta,
        })
    }
}

/// A store file's text; `None` when it does not exist.
fn read_small(path: &Path) -> Result<Option<String>, ContextError> {
    let err = |reason: String| ContextError::Read {
        path: path.display().to_string(),
        reason,
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(err(e.to_string())),
    };
    let mut text = String::new();
    file.take(MAX_STORE_FILE + 1)
        .read_to_string(&mut text)
        .map_err(|e| err(e.to_string()))?;
    if u64::try_from(text.len()).unwrap_or(u64::MAX) > MAX_STORE_FILE {
        return Err(err(format!("larger than {MAX_STORE_FILE} bytes")));
    }
    Ok(Some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(inputs: ContextInputs) -> String {
        choose(&inputs).unwrap().name
    }

    #[test]
    fn precedence_follows_the_docker_cli() {
        let all = ContextInputs {
            host_flag: None,
            context_flag: Some("flag"),
            env_host: Some("tcp://env:2375"),
            env_context: Some("env"),
            current_context: Some("current"),
        };
        // --context wins over everything but a --host on the same command line.
        assert_eq!(name(all), "flag");
        assert!(matches!(
            choose(&ContextInputs {
                host_flag: Some("unix:///x.sock"),
                ..all
            }),
            Err(ContextError::Conflict)
        ));
        let no_flag = ContextInputs {
            context_flag: None,
            ..all
        };
        assert_eq!(
            name(ContextInputs {
                host_flag: Some("unix:///x.sock"),
                ..no_flag
            }),
            DEFAULT_CONTEXT
        );
        // DOCKER_HOST beats DOCKER_CONTEXT and currentContext.
        assert_eq!(name(no_flag), DEFAULT_CONTEXT);
        assert_eq!(choose(&no_flag).unwrap().chosen_by, "DOCKER_HOST");
        let no_host = ContextInputs {
            env_host: None,
            ..no_flag
        };
        assert_eq!(name(no_host), "env");
        assert_eq!(
            name(ContextInputs {
                env_context: Some("  "),
                ..no_host
            }),
            "current"
        );
        assert_eq!(name(ContextInputs::default()), DEFAULT_CONTEXT);
        assert!(choose(&ContextInputs::default()).unwrap().is_default());
    }

    #[test]
    fn store_ids_are_sha256_of_the_name() {
        // `printf default | sha256sum`
        assert_eq!(
            store_id("default"),
            "37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f"
        );
    }

    #[test]
    fn reads_current_context_and_nothing_else() {
        let text = r#"{"auths":{"r.example":{"auth":"c2VjcmV0"}},"currentContext":"prod"}"#;
        assert_eq!(parse_current_context(text).unwrap().as_deref(), Some("prod"));
        assert_eq!(parse_current_context("{}").unwrap(), None);
        assert_eq!(parse_current_context(r#"{"currentContext":""}"#).unwrap(), None);
        assert!(parse_current_context("not json").is_err());
    }

    #[test]
    fn parses_meta_files_as_the_cli_writes_them() {
        let text = r#"{"Name":"prod","Metadata":{"Description":"x"},"Endpoints":{"docker":{"Host":"ssh://me@prod","SkipTLSVerify":false}}}"#;
        assert_eq!(
            parse_meta(text).unwrap(),
            ContextMeta {
                name: "prod".into(),
                host: Some("ssh://me@prod".into()),
                skip_tls_verify: false
            }
        );
        let no_host = r#"{"Name":"p","Endpoints":{"docker":{}}}"#;
        assert_eq!(parse_meta(no_host).unwrap().host, None);
        assert!(parse_meta(r#"{"Name":"k","Endpoints":{"kubernetes":{}}}"#).is_err());
        assert!(parse_meta(r#"{"Endpoints":{}}"#).is_err());
    }

    #[test]
    fn config_dir_prefers_docker_config() {
        let home = Path::new("/home/me");
        assert_eq!(config_dir(Some("/etc/dc"), Some(home)), Some(PathBuf::from("/etc/dc")));
        assert_eq!(
            config_dir(Some(""), Some(home)),
            Some(PathBuf::from("/home/me/.docker"))
        );
        assert_eq!(config_dir(None, None), None);
    }

    #[test]
    fn unknown_context_names_the_known_ones() {
        let err = ContextError::Unknown {
            name: "nope".into(),
            chosen_by: "--context",
            known: vec!["default".into(), "prod".into()],
        };
        assert_eq!(
            err.to_string(),
            "context \"nope\" does not exist (chosen by --context); known contexts: default, prod"
        );
    }
}
