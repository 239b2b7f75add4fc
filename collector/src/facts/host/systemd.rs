//! Docker's systemd units: where `docker.service` and `docker.socket` live, and what the socket
//! unit listens on.

use std::collections::BTreeMap;

use super::root::{describe, join, HostRoot};
use crate::snapshot::{Fact, SystemdUnits};

/// systemd's unit search path for system units, highest priority first.
pub const UNIT_DIRS: &[&str] = &[
    "/etc/systemd/system",
    "/run/systemd/system",
    "/usr/local/lib/systemd/system",
    "/lib/systemd/system",
    "/usr/lib/systemd/system",
];

/// Where a unit name was found.
#[derive(Debug, Clone, PartialEq, Eq)]
enum UnitFile {
    /// The unit file, symlinks resolved within the host root.
    Found(String),
    /// Linked to `/dev/null`: systemd will not load the unit at all.
    Masked,
    Absent,
}

/// systemd's search path for user units that a user's rootless Docker is installed in, after
/// the user's own `$XDG_CONFIG_HOME/systemd/user` (where `dockerd-rootless-setuptool.sh install`
/// writes `docker.service`).
pub const USER_UNIT_DIRS: &[&str] = &[
    "/etc/systemd/user",
    "/usr/local/lib/systemd/user",
    "/usr/lib/systemd/user",
];

/// Docker's system units (`docker.service`, `docker.socket`).
pub fn units(fs: &HostRoot) -> Fact<SystemdUnits> {
    let dirs: Vec<String> = UNIT_DIRS.iter().map(|d| d.to_string()).collect();
    units_in(fs, &dirs, "/run")
}

/// The user units of a rootless daemon's user: `config_home` is its `$XDG_CONFIG_HOME`
/// (`~/.config`), `runtime_dir` its `$XDG_RUNTIME_DIR` (what `%t` means in a user unit).
pub fn user_units(fs: &HostRoot, config_home: &str, runtime_dir: &str) -> Fact<SystemdUnits> {
    let mut dirs = vec![join(config_home, "systemd/user")];
    dirs.extend(USER_UNIT_DIRS.iter().map(|d| d.to_string()));
    units_in(fs, &dirs, runtime_dir)
}

fn units_in(fs: &HostRoot, dirs: &[String], runtime_dir: &str) -> Fact<SystemdUnits> {
    let service = match find_unit(fs, dirs, "docker.service") {
        Ok(u) => u,
        Err(e) => return Fact::unavailable(e.0, e.1),
    };
    let socket = match find_unit(fs, dirs, "docker.socket") {
        Ok(u) => u,
        Err(e) => return Fact::unavailable(e.0, e.1),
    };
    let socket_listen = match &socket {
        UnitFile::Found(path) => match listen_streams(fs, dirs, path, runtime_dir) {
            Ok(l) => l,
            Err(e) => return Fact::unavailable(e.0, e.1),
        },
        UnitFile::Masked | UnitFile::Absent => Vec::new(),
    };
    let path = |u: UnitFile| match u {
        UnitFile::Found(p) => Some(p),
        UnitFile::Masked | UnitFile::Absent => None,
    };
    Fact::Ok(SystemdUnits {
        docker_service: path(service),
        docker_socket: path(socket),
        socket_listen,
    })
}

/// An error as (host path, reason).
type PathError = (String, String);

/// The first directory of `dirs` holding `name` wins, as in systemd. A dangling link is
/// skipped; a link to `/dev/null` masks the unit.
fn find_unit(fs: &HostRoot, dirs: &[String], name: &str) -> Result<UnitFile, PathError> {
    for dir in dirs {
        let path = join(dir, name);
        let found = fs.resolve(&path, true).and_then(|resolved| {
            // Decided on the link alone: the host's /dev need not be visible under the root.
            if resolved == "/dev/null" {
                return Ok(Some(UnitFile::Masked));
            }
            Ok(fs
                .entry(&path)?
                .filter(|e| e.meta.is_file())
                .map(|e| UnitFile::Found(e.resolved)))
        });
        match found {
            Ok(Some(unit)) => return Ok(unit),
            Ok(None) => {}
            Err(e) => return Err((path, describe(&e))),
        }
    }
    Ok(UnitFile::Absent)
}

/// `ListenStream=` of the socket unit, then of its drop-ins (`docker.socket.d/*.conf` in every
/// unit directory, a name in a higher-priority directory hiding the same name below, applied
/// in name order). An empty assignment clears the list, as systemd does.
fn listen_streams(
    fs: &HostRoot,
    dirs: &[String],
    unit_path: &str,
    runtime_dir: &str,
) -> Result<Vec<String>, PathError> {
    let mut files = vec![unit_path.to_string()];
    let mut dropins: BTreeMap<String, String> = BTreeMap::new();
    for dir in dirs.iter().rev() {
        let d = join(dir, "docker.socket.d");
        let names = fs
            .list_dir(&d)
            .map_err(|e| (d.clone(), describe(&e)))?
            .unwrap_or_default();
        for name in names.into_iter().filter(|n| n.ends_with(".conf")) {
            dropins.insert(name.clone(), join(&d, &name));
        }
    }
    files.extend(dropins.into_values());
    let mut listen = Vec::new();
    for file in files {
        let text = fs.read_text(&file).map_err(|e| (file.clone(), describe(&e)))?;
        for value in unit_values(&text, "Socket", "ListenStream") {
            if value.is_empty() {
                listen.clear();
            } else {
                listen.push(expand_specifiers(&value, runtime_dir));
            }
        }
    }
    Ok(listen)
}

/// Values of `key=` in `[section]` of a unit file, with continuation lines joined.
fn unit_values(text: &str, section: &str, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut logical = String::new();
    for raw in text.lines() {
        let line = raw.trim();
        if logical.is_empty() && (line.starts_with('#') || line.starts_with(';')) {
            continue;
        }
        if let Some(head) = line.strip_suffix('\\') {
            logical.push_str(head);
            logical.push(' ');
            continue;
        }
        logical.push_str(line);
        let full = std::mem::take(&mut logical);
        let full = full.trim();
        if let Some(name) = full.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.trim().to_string();
        } else if current == section {
            if let Some((k, v)) = full.split_once('=') {
                if k.trim() == key {
                    out.push(v.trim().to_string());
                }
            }
        }
    }
    out
}

/// The specifiers that appear in socket paths of units: `%t` (runtime dir) and `%%`.
fn expand_specifiers(value: &str, runtime_dir: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push_str(runtime_dir),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_stream_values() {
        let unit = "[Unit]\nDescription=Docker Socket\nListenStream=/not/here\n\n[Socket]\n# ListenStream=/commented\n\
                    ListenStream=%t/docker.sock\nSocketMode=0660\nListenStream = 2375\nListenStream=/a\\\n  b\n";
        assert_eq!(
            unit_values(unit, "Socket", "ListenStream"),
            ["%t/docker.sock", "2375", "/a b"]
        );
        assert_eq!(expand_specifiers("%t/docker.sock", "/run"), "/run/docker.sock");
        assert_eq!(
            expand_specifiers("%t/docker.sock", "/run/user/1000"),
            "/run/user/1000/docker.sock"
        );
        assert_eq!(expand_specifiers("100%%x%", "/run"), "100%x%");
        assert_eq!(expand_specifiers("%h", "/run"), "%h");
    }
}
