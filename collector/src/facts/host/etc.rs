//! Facts from the host's `/etc`: hostname, OS name, users and groups.

use std::collections::BTreeMap;

use super::root::{describe, is_missing, HostRoot};
use crate::snapshot::{Fact, Group};

/// The host's name from `/etc/hostname`. The kernel's name is used only when reading our own
/// `/`: `/proc/sys/kernel/hostname` shows the reader's UTS namespace, which under a host root
/// is a container's.
pub fn hostname(fs: &HostRoot) -> Option<String> {
    let first_line = |text: String| {
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
    };
    if let Some(name) = fs.read_text("/etc/hostname").ok().and_then(first_line) {
        return Some(name);
    }
    if fs.is_slash() {
        return fs.read_text("/proc/sys/kernel/hostname").ok().and_then(first_line);
    }
    None
}

/// `PRETTY_NAME` from `/etc/os-release`, or `/usr/lib/os-release` (its standard fallback).
pub fn os_pretty_name(fs: &HostRoot) -> Option<String> {
    ["/etc/os-release", "/usr/lib/os-release"]
        .iter()
        .find_map(|p| fs.read_text(p).ok())
        .and_then(|text| os_release_value(&text, "PRETTY_NAME"))
}

/// A value of an os-release file: shell-style `KEY=value`, optionally quoted.
fn os_release_value(text: &str, key: &str) -> Option<String> {
    let raw = text
        .lines()
        .find_map(|l| l.trim().strip_prefix(key)?.strip_prefix('='))?;
    let raw = raw.trim();
    let value = if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.extend(chars.next()),
                c => out.push(c),
            }
        }
        out
    } else if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        inner.to_string()
    } else {
        raw.to_string()
    };
    (!value.is_empty()).then_some(value)
}

/// Users and groups by id, for naming file owners.
#[derive(Debug, Clone, Default)]
pub struct Accounts {
    users: BTreeMap<u32, String>,
    homes: BTreeMap<u32, String>,
    groups: BTreeMap<u32, String>,
}

impl Accounts {
    /// Reads `/etc/passwd` and `/etc/group`; unreadable files just leave names unknown.
    pub fn read(fs: &HostRoot) -> Self {
        let mut accounts = Accounts::default();
        for user in fs
            .read_text("/etc/passwd")
            .map(|t| parse_passwd(&t))
            .unwrap_or_default()
        {
            // Like getpwuid(3), the first entry for an id wins.
            accounts.users.entry(user.uid).or_insert(user.name);
            accounts.homes.entry(user.uid).or_insert(user.home);
        }
        for group in fs.read_text("/etc/group").map(|t| parse_group(&t)).unwrap_or_default() {
            accounts.groups.entry(group.gid).or_insert(group.name);
        }
        accounts
    }

    pub fn user(&self, uid: u32) -> Option<String> {
        self.users.get(&uid).cloned()
    }

    /// Home directory of a user, when `/etc/passwd` names one.
    pub fn home(&self, uid: u32) -> Option<String> {
        self.homes.get(&uid).filter(|h| h.starts_with('/')).cloned()
    }

    pub fn group(&self, gid: u32) -> Option<String> {
        self.groups.get(&gid).cloned()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PasswdEntry {
    name: String,
    uid: u32,
    gid: u32,
    home: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct GroupEntry {
    name: String,
    gid: u32,
    members: Vec<String>,
}

/// `name:password:uid:gid:gecos:home:shell`; malformed and NIS (`+`/`-`) lines are skipped.
fn parse_passwd(text: &str) -> Vec<PasswdEntry> {
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            let name = f.first()?.trim();
            if name.is_empty() || name.starts_with(['#', '+', '-']) {
                return None;
            }
            Some(PasswdEntry {
                name: name.to_string(),
                uid: f.get(2)?.trim().parse().ok()?,
                gid: f.get(3)?.trim().parse().ok()?,
                home: f.get(5).map(|h| h.trim().to_string()).unwrap_or_default(),
            })
        })
        .collect()
}

/// `name:password:gid:member,member`.
fn parse_group(text: &str) -> Vec<GroupEntry> {
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            let name = f.first()?.trim();
            if name.is_empty() || name.starts_with(['#', '+', '-']) {
                return None;
            }
            let members = f
                .get(3)
                .map(|m| {
                    m.split(',')
                        .map(str::trim)
                        .filter(|m| !m.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            Some(GroupEntry {
                name: name.to_string(),
                gid: f.get(2)?.trim().parse().ok()?,
                members,
            })
        })
        .collect()
}

/// The `docker` group: its listed members and the users whose primary group it is. Both grant
/// root-equivalent access to the daemon socket.
pub fn docker_group(fs: &HostRoot) -> Fact<Option<Group>> {
    let groups = match fs.read_text("/etc/group") {
        Ok(t) => parse_group(&t),
        Err(e) if is_missing(&e) => return Fact::Ok(None),
        Err(e) => return Fact::unavailable("/etc/group", describe(&e)),
    };
    let Some(docker) = groups.into_iter().find(|g| g.name == "docker") else {
        return Fact::Ok(None);
    };
    let users = match fs.read_text("/etc/passwd") {
        Ok(t) => parse_passwd(&t),
        Err(e) if is_missing(&e) => Vec::new(),
        Err(e) => return Fact::unavailable("/etc/passwd", describe(&e)),
    };
    let primary_members = users
        .into_iter()
        .filter(|u| u.gid == docker.gid)
        .map(|u| u.name)
        .collect();
    Fact::Ok(Some(Group {
        gid: docker.gid,
        members: docker.members,
        primary_members,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_release_quoting() {
        let text = "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n";
        assert_eq!(
            os_release_value(text, "PRETTY_NAME").as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        assert_eq!(os_release_value(text, "ID").as_deref(), Some("debian"));
        assert_eq!(
            os_release_value("PRETTY_NAME='A \"b\"'", "PRETTY_NAME").as_deref(),
            Some("A \"b\"")
        );
        assert_eq!(
            os_release_value("PRETTY_NAME=\"say \\\"hi\\\"\"", "PRETTY_NAME").as_deref(),
            Some("say \"hi\"")
        );
        assert_eq!(os_release_value("PRETTY_NAME_X=1\nPRETTY_NAME=", "PRETTY_NAME"), None);
    }

    #[test]
    fn passwd_and_group_skip_odd_lines() {
        let p = parse_passwd(
            "root:x:0:0:root:/root:/bin/bash\n# c\n+nis\nbad\nbob:x:1000:999::/home/bob:/bin/sh\nx:x:notanumber:1\n",
        );
        assert_eq!(
            p.iter().map(|u| (u.name.as_str(), u.uid, u.gid)).collect::<Vec<_>>(),
            [("root", 0, 0), ("bob", 1000, 999)]
        );
        assert_eq!(p[1].home, "/home/bob");
        let g = parse_group("root:x:0:\ndocker:x:999:alice, bob,\nbroken\n");
        assert_eq!(g[1].members, ["alice", "bob"]);
        assert!(g[0].members.is_empty());
        assert_eq!(g.len(), 2);
    }
}
