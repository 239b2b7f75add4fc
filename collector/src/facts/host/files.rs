//! Ownership and permissions of host paths, read without following links out of the host root.

use std::collections::BTreeMap;
use std::os::unix::fs::{FileTypeExt, MetadataExt};

use super::etc::Accounts;
use super::root::{describe, join, normalize, Entry, HostRoot};
use crate::snapshot::{Fact, FileStat};

pub const CERTS_DIR: &str = "/etc/docker/certs.d";

/// Registry directories nest at most `host:port/…`; the bound guards against link loops.
const MAX_CERT_DEPTH: usize = 8;

/// `stat` of every path; `Ok(None)` for paths that do not exist.
pub fn stat_all(fs: &HostRoot, accounts: &Accounts, paths: &[String]) -> BTreeMap<String, Fact<Option<FileStat>>> {
    paths
        .iter()
        .map(|p| {
            let fact = match stat(fs, accounts, p) {
                Ok(s) => Fact::Ok(s),
                Err(e) => Fact::unavailable(p.clone(), describe(&e)),
            };
            (p.clone(), fact)
        })
        .collect()
}

/// Metadata of a host path. A symlink reports its target's metadata (what `chmod`, `chown` and
/// access checks act on) with `resolved` naming the target; a dangling link does not exist.
pub fn stat(fs: &HostRoot, accounts: &Accounts, host: &str) -> std::io::Result<Option<FileStat>> {
    let path = normalize(host);
    Ok(fs.entry(&path)?.map(|Entry { meta, resolved }| {
        let ft = meta.file_type();
        let kind = if ft.is_file() {
            "file"
        } else if ft.is_dir() {
            "dir"
        } else if ft.is_socket() {
            "socket"
        } else {
            "other"
        };
        FileStat {
            kind: kind.into(),
            uid: meta.uid(),
            gid: meta.gid(),
            mode: meta.mode() & 0o7777,
            owner: accounts.user(meta.uid()),
            group: accounts.group(meta.gid()),
            resolved: (resolved != path).then_some(resolved),
            path,
        }
    }))
}

/// Every file below `/etc/docker/certs.d/<registry>/`, nested directories included. Files
/// directly in `certs.d` are not read by Docker and are left out.
pub fn registry_certs(fs: &HostRoot, accounts: &Accounts) -> Fact<Vec<FileStat>> {
    let registries = match fs.list_dir(CERTS_DIR) {
        Ok(Some(names)) => names,
        Ok(None) => return Fact::Ok(Vec::new()),
        Err(e) => return Fact::unavailable(CERTS_DIR, describe(&e)),
    };
    let mut out = Vec::new();
    for name in registries {
        let dir = join(CERTS_DIR, &name);
        match stat(fs, accounts, &dir) {
            Ok(Some(s)) if s.kind == "dir" => {
                if let Err((path, e)) = walk(fs, accounts, &dir, 0, &mut out) {
                    return Fact::unavailable(path, describe(&e));
                }
            }
            Ok(_) => {}
            Err(e) => return Fact::unavailable(dir, describe(&e)),
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Fact::Ok(out)
}

fn walk(
    fs: &HostRoot,
    accounts: &Accounts,
    dir: &str,
    depth: usize,
    out: &mut Vec<FileStat>,
) -> Result<(), (String, std::io::Error)> {
    let names = fs.list_dir(dir).map_err(|e| (dir.to_string(), e))?.unwrap_or_default();
    for name in names {
        let path = join(dir, &name);
        match stat(fs, accounts, &path).map_err(|e| (path.clone(), e))? {
            Some(s) if s.kind != "dir" => out.push(s),
            Some(_) if depth < MAX_CERT_DEPTH => walk(fs, accounts, &path, depth + 1, out)?,
            Some(_) | None => {}
        }
    }
    Ok(())
}
