//! Where a command's result goes: standard output, or a file replaced whole.
//!
//! Files are replaced, never written into: the text goes to a temporary file beside the target,
//! created exclusively under an unpredictable name (so nobody can plant a symlink where it will be
//! created), then renamed over the target; on any failure the temporary file is removed. A
//! replaced file keeps its permissions and, where the user may set it, its owner. A new file is
//! readable by its owner only (`0600`): reports and facts snapshots describe the host. A command
//! never replaces one of the files it read, so `signoff apply r.json s.json -o r.json` cannot
//! destroy the report the sign-off is bound to. Devices and pipes (`-o /dev/stdout`) are written
//! in place.

use std::fs::{File, Metadata, Permissions};
use std::io::Write;
use std::os::unix::fs::{fchown, MetadataExt, PermissionsExt};
use std::path::Path;

use anyhow::{bail, Context, Result};

/// Permissions of a file the collector creates.
const NEW_FILE_MODE: u32 = 0o600;

/// The longest part of the target's name repeated in the temporary file's name, so that the
/// temporary name stays within the file system's limit.
const MAX_NAME_IN_TEMP: usize = 100;

/// A command's destination: standard output (no path, or `-`) or a file, and the files the
/// result was made from, which the command must not replace.
#[derive(Debug, Clone, Copy, Default)]
pub struct Output<'a> {
    path: Option<&'a Path>,
    inputs: &'a [&'a Path],
}

impl<'a> Output<'a> {
    /// Standard output when `path` is `None` or `-`, otherwise that file.
    pub fn to(path: Option<&'a Path>) -> Self {
        Output { path, inputs: &[] }
    }

    /// The file `path` (or standard output for `-`).
    pub fn file(path: &'a Path) -> Self {
        Self::to(Some(path))
    }

    /// Names the files the result was read from: writing refuses to replace any of them, however
    /// it is named (another path, a symlink or a hard link to the same file).
    pub fn reading(self, inputs: &'a [&'a Path]) -> Self {
        Output { inputs, ..self }
    }

    /// Refuses, before any work is done, a destination that is one of the inputs (what
    /// [`Output::write`] checks again when it writes).
    pub fn check(&self) -> Result<()> {
        match self
            .path
            .filter(|p| p.as_os_str() != "-")
            .map(|p| (p, std::fs::metadata(p)))
        {
            Some((p, Ok(m))) if m.is_file() => refuse_inputs(p, &m, self.inputs),
            _ => Ok(()),
        }
    }

    /// Writes `text` to the destination.
    pub fn write(&self, text: &str) -> Result<()> {
        match self.path {
            Some(p) if p.as_os_str() != "-" => write_file(p, self.inputs, text.as_bytes()),
            _ => write_stdout(text.as_bytes()),
        }
    }
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        // A closed pipe (`dockaudit … | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// A symlink is written through to its target (the target is replaced). A dangling symlink or a
/// missing file becomes a new file.
fn write_file(p: &Path, inputs: &[&Path], bytes: &[u8]) -> Result<()> {
    let cannot = || format!("cannot write {}", p.display());
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => bail!("{} is a directory", p.display()),
        Ok(m) if !m.is_file() => {
            let mut f = std::fs::OpenOptions::new().write(true).open(p).with_context(cannot)?;
            f.write_all(bytes).and_then(|()| f.flush()).with_context(cannot)
        }
        Ok(m) => {
            refuse_inputs(p, &m, inputs)?;
            let target = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
            replace(&target, Some(&m), bytes).with_context(cannot)
        }
        Err(_) => replace(p, None, bytes).with_context(cannot),
    }
}

/// Refuses a target that is the same file (device and inode) as one of the inputs.
fn refuse_inputs(p: &Path, target: &Metadata, inputs: &[&Path]) -> Result<()> {
    for input in inputs {
        let same = std::fs::metadata(input).is_ok_and(|m| m.dev() == target.dev() && m.ino() == target.ino());
        if same {
            bail!(
                "{} is {} itself, which this command reads; write the result to another file",
                p.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// Writes `bytes` to a fresh temporary file beside `target` and renames it over `target`.
/// Dropping the temporary file on an early return removes it.
fn replace(target: &Path, existing: Option<&Metadata>, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(target))
        .suffix(".tmp")
        .permissions(Permissions::from_mode(NEW_FILE_MODE))
        .tempfile_in(dir)?;
    if let Some(old) = existing {
        keep_owner_and_mode(tmp.as_file(), old)?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map(drop).map_err(|e| e.error)
}

/// `.<name>.` with the name shortened: the random part and `.tmp` follow.
fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let short: String = name.chars().take(MAX_NAME_IN_TEMP).collect();
    format!(".{short}.")
}

/// Gives the new file the replaced file's owner and group where allowed (root may set both, a
/// user may set a group they belong to; otherwise the user owns it) and then its permission bits
/// (without set-id bits), which `fchmod` sets regardless of the umask.
fn keep_owner_and_mode(file: &File, old: &Metadata) -> std::io::Result<()> {
    if fchown(file, Some(old.uid()), Some(old.gid())).is_err() {
        let _ = fchown(file, None, Some(old.gid()));
    }
    file.set_permissions(Permissions::from_mode(old.mode() & 0o777))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;
    use std::path::PathBuf;

    struct Scratch(PathBuf);

    impl Scratch {
        fn new(tag: &str) -> Self {
            let dir = std::env::temp_dir().join(format!("dockaudit-{tag}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }
        fn entries(&self) -> Vec<String> {
            let mut names: Vec<String> = std::fs::read_dir(&self.0)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().mode() & 0o7777
    }

    #[test]
    fn devices_are_written_in_place_not_replaced() {
        Output::file(Path::new("/dev/null")).write("discarded").unwrap();
        let meta = std::fs::metadata("/dev/null").unwrap();
        assert!(!meta.is_file(), "/dev/null must stay a device");
    }

    #[test]
    fn files_are_replaced_whole_and_directories_refused() {
        let dir = Scratch::new("write");
        let f = dir.0.join("out.json");
        Output::file(&f).write("one").unwrap();
        Output::file(&f).write("two").unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "two");
        assert!(Output::file(&dir.0).write("x").is_err());
        assert_eq!(dir.entries(), ["out.json"], "no temporary files are left behind");
    }

    #[test]
    fn new_files_are_owner_only_and_existing_modes_are_kept() {
        let dir = Scratch::new("modes");
        let fresh = dir.0.join("fresh.json");
        Output::file(&fresh).write("{}").unwrap();
        assert_eq!(mode(&fresh), 0o600);
        for kept in [0o600, 0o640, 0o644] {
            let f = dir.0.join(format!("kept-{kept:o}.json"));
            std::fs::write(&f, "old").unwrap();
            std::fs::set_permissions(&f, Permissions::from_mode(kept)).unwrap();
            Output::file(&f).write("new").unwrap();
            assert_eq!(mode(&f), kept, "{}", f.display());
            assert_eq!(std::fs::read_to_string(&f).unwrap(), "new");
        }
    }

    #[test]
    fn symlinked_outputs_are_written_through_and_dangling_ones_replaced() {
        let dir = Scratch::new("links");
        let real = dir.0.join("real.json");
        std::fs::write(&real, "old").unwrap();
        let link = dir.0.join("link.json");
        symlink(&real, &link).unwrap();
        Output::file(&link).write("new").unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());

        let dangling = dir.0.join("dangling.json");
        symlink(dir.0.join("nowhere/victim"), &dangling).unwrap();
        Output::file(&dangling).write("mine").unwrap();
        assert!(std::fs::symlink_metadata(&dangling).unwrap().is_file());
        assert!(!dir.0.join("nowhere").exists());
    }

    #[test]
    fn an_input_is_never_replaced_by_any_name() {
        let dir = Scratch::new("inputs");
        let input = dir.0.join("report.json");
        std::fs::write(&input, "original").unwrap();
        let link = dir.0.join("link.json");
        symlink(&input, &link).unwrap();
        let hard = dir.0.join("hard.json");
        std::fs::hard_link(&input, &hard).unwrap();
        let dotted = dir.0.join(".").join("report.json");
        for out in [&input, &link, &hard, &dotted] {
            let err = Output::file(out).reading(&[&input]).write("clobbered").unwrap_err();
            assert!(err.to_string().contains("which this command reads"), "{err}");
        }
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "original");
        // Another file is fine, and so is writing an input to standard output.
        Output::file(&dir.0.join("other.json"))
            .reading(&[&input])
            .write("x")
            .unwrap();
    }

    #[test]
    fn a_failed_replace_leaves_no_temporary_file() {
        let dir = Scratch::new("fail");
        // Renaming a file over a non-empty directory fails after the temporary file was written.
        let blocker = dir.0.join("blocker");
        std::fs::create_dir(&blocker).unwrap();
        std::fs::write(blocker.join("keep"), "x").unwrap();
        assert!(replace(&blocker, None, b"data").is_err());
        assert_eq!(dir.entries(), ["blocker"]);
    }

    #[test]
    fn temporary_names_are_short_and_hidden() {
        let long = "x".repeat(250);
        let p = temp_prefix(Path::new(&long));
        assert!(p.starts_with('.') && p.len() == MAX_NAME_IN_TEMP + 2);
    }
}
