//! The daemon's configured settings: dockerd's command line merged with its daemon.json.
//!
//! Many CIS settings (no-new-privileges, userland-proxy, log-level, …) are not exposed by the
//! Engine API, so they are read from where dockerd reads them. dockerd refuses to start when a
//! setting is given both ways, so either source is authoritative; the command line is consulted
//! first. A setting whose sources could not be read is `Unknown`, never assumed unset.

use serde_json::Value;

use crate::snapshot::{Fact, Facts};

/// Where a setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingSource {
    CommandLine,
    DaemonJson(String),
}

impl std::fmt::Display for SettingSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingSource::CommandLine => f.write_str("dockerd command line"),
            SettingSource::DaemonJson(path) => write!(f, "{path}"),
        }
    }
}

/// A configured value (several for repeatable flags such as `-H`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub values: Vec<String>,
    pub source: SettingSource,
}

impl Setting {
    /// The last value given (dockerd keeps the last one for scalar flags).
    pub fn value(&self) -> &str {
        self.values.last().map_or("", String::as_str)
    }

    /// Boolean reading: a bare flag or `true` is true; `false`/`0` is false.
    pub fn as_bool(&self) -> Option<bool> {
        match self.value().to_ascii_lowercase().as_str() {
            "" | "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        }
    }

    /// `value (from source)` for evidence.
    pub fn describe(&self) -> String {
        format!("{} (from {})", self.values.join(", "), self.source)
    }
}

/// Result of looking a setting up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Set(Setting),
    /// Neither source sets it: dockerd's default applies.
    Unset,
    /// A source could not be read, so the setting may be set there.
    Unknown(String),
}

/// dockerd flags that take no value.
const BOOL_FLAGS: &[&str] = &[
    "icc",
    "iptables",
    "ip6tables",
    "ip-forward",
    "ip-masq",
    "userland-proxy",
    "live-restore",
    "no-new-privileges",
    "tls",
    "tlsverify",
    "debug",
    "experimental",
    "selinux-enabled",
    "ipv6",
    "raw-logs",
    "rootless",
    "init",
    "validate",
    "version",
    "help",
];

/// Short flags and the long name they stand for.
const SHORT_FLAGS: &[(&str, &str)] = &[
    ("-H", "host"),
    ("-l", "log-level"),
    ("-D", "debug"),
    ("-G", "group"),
    ("-p", "pidfile"),
    ("-g", "graph"),
];

/// The daemon's configuration as far as it could be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DaemonConfig {
    /// Parsed command-line flags in order: (long name, value; "" for bare bool flags).
    flags: Option<Vec<(String, String)>>,
    flags_missing: String,
    json: Option<(String, Value)>,
    /// Whether daemon.json is known (read, or known not to exist).
    json_known: bool,
    json_missing: String,
}

impl DaemonConfig {
    pub fn from_facts(facts: &Facts) -> Self {
        let Some(host) = &facts.host else {
            let reason = facts
                .collection
                .host_skipped_reason
                .clone()
                .unwrap_or_else(|| "the host's files were not read".to_string());
            return DaemonConfig {
                flags_missing: reason.clone(),
                json_missing: reason,
                ..Default::default()
            };
        };
        let mut cfg = DaemonConfig::default();
        match &host.dockerd {
            Fact::Ok(Some(p)) => cfg.flags = Some(parse_flags(p.args.get(1..).unwrap_or_default())),
            Fact::Ok(None) => {
                cfg.flags_missing = "no dockerd process is visible from dockaudit (remote daemon, another PID \
                                     namespace, or rootless under another user), so its command line is unknown"
                    .into()
            }
            Fact::Unavailable(_) if host.binding.as_ref().is_some_and(|b| b.unidentified.is_some()) => {
                let reason = host
                    .binding
                    .as_ref()
                    .and_then(|b| b.unidentified.clone())
                    .unwrap_or_default();
                cfg.flags_missing = format!(
                    "the dockerd process serving {} could not be identified ({reason}), so its command line is unknown",
                    facts.collection.endpoint
                )
            }
            Fact::Unavailable(u) => cfg.flags_missing = format!("dockerd's command line could not be read ({u})"),
        }
        match &host.daemon_json {
            Fact::Ok(Some(j)) => {
                cfg.json = Some((j.path.clone(), j.content.clone()));
                cfg.json_known = true;
            }
            Fact::Ok(None) => cfg.json_known = true,
            Fact::Unavailable(u) => cfg.json_missing = format!("daemon.json could not be read ({u})"),
        }
        cfg
    }

    /// Builds a config from explicit parts (tests and replays).
    pub fn from_parts(args: Option<&[String]>, json: Option<(&str, Value)>) -> Self {
        DaemonConfig {
            flags: args.map(parse_flags),
            flags_missing: "command line unknown".into(),
            json_known: true,
            json: json.map(|(p, v)| (p.to_string(), v)),
            json_missing: String::new(),
        }
    }

    /// Whether the command line was read.
    pub fn command_line_known(&self) -> bool {
        self.flags.is_some()
    }

    /// Path of the daemon.json in use, when one exists.
    pub fn json_path(&self) -> Option<&str> {
        self.json.as_ref().map(|(p, _)| p.as_str())
    }

    /// Raw command-line values of a flag (long name without dashes).
    pub fn flag_values(&self, flag: &str) -> Option<Vec<String>> {
        let flags = self.flags.as_ref()?;
        Some(
            flags
                .iter()
                .filter(|(k, _)| k == flag)
                .map(|(_, v)| v.clone())
                .collect(),
        )
    }

    /// Looks a setting up by its command-line flag and daemon.json key.
    pub fn lookup(&self, flag: &str, json_key: &str) -> Lookup {
        if let Some(values) = self.flag_values(flag) {
            if !values.is_empty() {
                return Lookup::Set(Setting {
                    values,
                    source: SettingSource::CommandLine,
                });
            }
        }
        if let Some((path, json)) = &self.json {
            if let Some(v) = json.get(json_key) {
                if !v.is_null() {
                    return Lookup::Set(Setting {
                        values: json_values(v),
                        source: SettingSource::DaemonJson(path.clone()),
                    });
                }
            }
        }
        match (self.flags.is_some(), self.json_known) {
            (true, true) => Lookup::Unset,
            (false, _) => Lookup::Unknown(self.flags_missing.clone()),
            (true, false) => Lookup::Unknown(self.json_missing.clone()),
        }
    }

    /// The raw daemon.json object, when read.
    pub fn json(&self) -> Option<&Value> {
        self.json.as_ref().map(|(_, v)| v)
    }
}

fn json_values(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().map(json_scalar).collect(),
        other => vec![json_scalar(other)],
    }
}

fn json_scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Parses dockerd arguments into (long flag, value) pairs; positional words are ignored.
pub fn parse_flags(args: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        let (name, inline) = if let Some(long) = arg.strip_prefix("--") {
            match long.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            }
        } else if let Some((short, long)) = SHORT_FLAGS.iter().find(|(s, _)| arg.starts_with(s)) {
            let rest = &arg[short.len()..];
            let inline = if rest.is_empty() {
                None
            } else {
                Some(rest.trim_start_matches('=').to_string())
            };
            (long.to_string(), inline)
        } else {
            continue;
        };
        let value = match inline {
            Some(v) => v,
            None if BOOL_FLAGS.contains(&name.as_str()) => String::new(),
            None => {
                let v = args.get(i).cloned().unwrap_or_default();
                i += 1;
                v
            }
        };
        out.push((name, value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_long_short_and_bool_flags() {
        let f = parse_flags(&args("-H fd:// --containerd=/run/containerd/containerd.sock --icc=false --no-new-privileges -l debug --log-opt max-size=10m"));
        assert_eq!(
            f,
            vec![
                ("host".into(), "fd://".into()),
                ("containerd".into(), "/run/containerd/containerd.sock".into()),
                ("icc".into(), "false".into()),
                ("no-new-privileges".into(), "".into()),
                ("log-level".into(), "debug".into()),
                ("log-opt".into(), "max-size=10m".into()),
            ]
        );
    }

    #[test]
    fn command_line_then_daemon_json_then_unset() {
        let a = args("--log-level=debug");
        let cfg = DaemonConfig::from_parts(
            Some(&a),
            Some(("/etc/docker/daemon.json", json!({"icc": false, "log-level": "info"}))),
        );
        let Lookup::Set(s) = cfg.lookup("log-level", "log-level") else {
            panic!()
        };
        assert_eq!((s.value(), &s.source), ("debug", &SettingSource::CommandLine));
        let Lookup::Set(s) = cfg.lookup("icc", "icc") else {
            panic!()
        };
        assert_eq!(s.as_bool(), Some(false));
        assert_eq!(cfg.lookup("userland-proxy", "userland-proxy"), Lookup::Unset);
    }

    #[test]
    fn unknown_command_line_is_not_unset() {
        let cfg = DaemonConfig::from_parts(None, None);
        assert!(matches!(
            cfg.lookup("no-new-privileges", "no-new-privileges"),
            Lookup::Unknown(_)
        ));
    }

    #[test]
    fn bare_bool_flag_is_true_and_explicit_false_is_false() {
        let a = args("--no-new-privileges --userland-proxy=false");
        let cfg = DaemonConfig::from_parts(Some(&a), None);
        let Lookup::Set(s) = cfg.lookup("no-new-privileges", "no-new-privileges") else {
            panic!()
        };
        assert_eq!(s.as_bool(), Some(true));
        let Lookup::Set(s) = cfg.lookup("userland-proxy", "userland-proxy") else {
            panic!()
        };
        assert_eq!(s.as_bool(), Some(false));
    }
}
