//! Reading the host's filesystem through a host root.
//!
//! When dockaudit runs in a container with the host's `/` mounted at, say, `/host`, an absolute
//! symlink such as `/etc/systemd/system/docker.service -> /lib/systemd/system/docker.service`
//! must land in `/host/lib/...`, not in the container's `/lib`. [`HostRoot`] therefore resolves
//! symlinks itself, one component at a time, and re-roots absolute targets. `..` never climbs
//! above the root. Paths handed in and out are host paths (as seen on the host).

use std::ffi::OsString;
use std::fs::{self, Metadata};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// Linux gives up after 40 symlinks in one lookup; so do we.
const MAX_SYMLINK_HOPS: usize = 40;

/// No file we read legitimately comes near this; it bounds memory on odd input.
const MAX_READ_BYTES: u64 = 16 * 1024 * 1024;

/// The host's filesystem, seen through `root`.
#[derive(Debug, Clone)]
pub struct HostRoot {
    root: PathBuf,
    is_slash: bool,
}

/// What is at a host path, after resolving symlinks within the root.
#[derive(Debug)]
pub struct Entry {
    /// Metadata of the file itself (of the target when the path is a symlink).
    pub meta: Metadata,
    /// Host path after resolving every symlink on the way.
    pub resolved: String,
}

impl HostRoot {
    pub fn new(root: &Path) -> Self {
        let is_slash = root == Path::new("/") || fs::canonicalize(root).is_ok_and(|p| p == Path::new("/"));
        HostRoot {
            root: root.to_path_buf(),
            is_slash,
        }
    }

    /// Whether the host root is this machine's `/` (so local tools describe the host).
    pub fn is_slash(&self) -> bool {
        self.is_slash
    }

    /// The local path of a host path, without resolving anything.
    pub fn real(&self, host: &str) -> PathBuf {
        self.root.join(host.trim_start_matches('/'))
    }

    /// Resolves the symlinks of a host path within the root and returns the resolved host path.
    /// With `follow_last` false the final component is kept as is (`lstat` semantics). Missing
    /// components are kept literally, so the caller's subsequent open reports "not found".
    pub fn resolve(&self, host: &str, follow_last: bool) -> io::Result<String> {
        let mut pending: Vec<OsString> = components(Path::new(host));
        pending.reverse();
        let mut done: Vec<OsString> = Vec::new();
        let mut hops = 0;
        while let Some(part) = pending.pop() {
            if part == ".." {
                done.pop();
                continue;
            }
            done.push(part);
            if pending.is_empty() && !follow_last {
                break;
            }
            let local = self.local(&done);
            match fs::symlink_metadata(&local) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    hops += 1;
                    if hops > MAX_SYMLINK_HOPS {
                        return Err(io::Error::other(format!(
                            "too many levels of symbolic links resolving {host}"
                        )));
                    }
                    let target = fs::read_link(&local)?;
                    done.pop();
                    if target.is_absolute() {
                        done.clear();
                    }
                    let mut parts = components(&target);
                    parts.reverse();
                    pending.extend(parts);
                }
                Ok(_) => {}
                Err(e) if is_missing(&e) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(host_path(&done))
    }

    /// `stat` of a host path with symlinks resolved within the root. `Ok(None)` when nothing
    /// exists there, including a dangling symlink (as for `stat(2)`).
    pub fn entry(&self, host: &str) -> io::Result<Option<Entry>> {
        let resolved = self.resolve(host, true)?;
        match fs::symlink_metadata(self.real(&resolved)) {
            Ok(meta) => Ok(Some(Entry { meta, resolved })),
            Err(e) if is_missing(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Whether anything exists at the host path (following symlinks within the root).
    pub fn exists(&self, host: &str) -> io::Result<bool> {
        Ok(self.entry(host)?.is_some())
    }

    /// Reads a host file, following symlinks within the root.
    pub fn read(&self, host: &str) -> io::Result<Vec<u8>> {
        let resolved = self.resolve(host, true)?;
        read_capped(&self.real(&resolved))
    }

    /// Reads a host text file; invalid UTF-8 is replaced rather than refused.
    pub fn read_text(&self, host: &str) -> io::Result<String> {
        self.read(host).map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    /// Reads a host text file; `Ok(None)` when it does not exist.
    pub fn read_text_opt(&self, host: &str) -> io::Result<Option<String>> {
        match self.read_text(host) {
            Ok(t) => Ok(Some(t)),
            Err(e) if is_missing(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Names in a host directory (following symlinks within the root), sorted.
    /// `Ok(None)` when the directory does not exist.
    pub fn list_dir(&self, host: &str) -> io::Result<Option<Vec<String>>> {
        let resolved = self.resolve(host, true)?;
        let entries = match fs::read_dir(self.real(&resolved)) {
            Ok(e) => e,
            Err(e) if is_missing(&e) => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut names = Vec::new();
        for entry in entries {
            names.push(entry?.file_name().to_string_lossy().into_owned());
        }
        names.sort();
        Ok(Some(names))
    }

    fn local(&self, parts: &[OsString]) -> PathBuf {
        let mut p = self.root.clone();
        p.extend(parts);
        p
    }
}

/// Joins a host directory and a name.
pub fn join(dir: &str, name: &str) -> String {
    format!("{}/{}", dir.trim_end_matches('/'), name)
}

/// "Does not exist", including a path through a non-directory.
pub fn is_missing(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::NotFound || e.kind() == io::ErrorKind::NotADirectory
}

/// A short, stable description of an I/O error for `Unavailable` reasons.
pub fn describe(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::NotFound => "does not exist".into(),
        _ => e.to_string(),
    }
}

/// Reads a local file (e.g. under `/proc`) without following our resolver.
pub fn read_capped(path: &Path) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    fs::File::open(path)?.take(MAX_READ_BYTES).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Normal components of a path; `.` and the root are dropped, `..` is kept for the resolver.
fn components(p: &Path) -> Vec<OsString> {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_os_string()),
            Component::ParentDir => Some(OsString::from("..")),
            Component::RootDir | Component::CurDir | Component::Prefix(_) => None,
        })
        .collect()
}

fn host_path(parts: &[OsString]) -> String {
    let mut out = String::new();
    for p in parts {
        out.push('/');
        out.push_str(&p.to_string_lossy());
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Lexically normalised host path (`//a/./b/` → `/a/b`), for comparing with resolved paths.
pub fn normalize(host: &str) -> String {
    let mut parts: Vec<OsString> = Vec::new();
    for c in components(Path::new(host)) {
        if c == ".." {
            parts.pop();
        } else {
            parts.push(c);
        }
    }
    host_path(&parts)
}
