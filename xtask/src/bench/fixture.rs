//! The benchmarks' containers and images on the local daemon, one way for the main benchmark
//! ([`super::docker`]) and `bench harden` ([`super::harden`]): a daemon check, the busybox images
//! imported from `/bin/busybox`, containers created a few at once, and their removal.
//!
//! Every container carries its benchmark's run label (`<label>=<run id>`, so each benchmark's
//! containers are told apart) and [`PID_LABEL`] with the owner's pid; image tags start with the
//! owner's pid. All of it is removed when the [`Fixture`] drops — after an error, a panic or Ctrl-C
//! too. A run killed outright leaves them behind; the next run ([`sweep_stale`]) removes what
//! belongs to dead harness processes, and nothing else.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};

use crate::workspace::{target_dir, workspace_root};

use super::common::{check_interrupted, harness_alive, sweep_scratch};

/// Label with the pid of the harness process that created the container.
pub(super) const PID_LABEL: &str = "dockaudit.bench.pid";
/// Repository of the harness's images; the tag starts with the owner's pid.
pub(super) const IMAGE_REPO: &str = "dockaudit-bench/busybox";
/// docker CLI processes creating containers at once (the daemon does the work; two cores).
const CREATE_PARALLEL: usize = 6;

/// One benchmark run's images, containers and scratch directory; removed on drop.
pub(super) struct Fixture {
    /// Name of the label every container of this run carries, with the run's id as its value.
    run_label: &'static str,
    run_id: String,
    images: Vec<String>,
    /// Containers created so far (indices `0..created`).
    created: usize,
    scratch: PathBuf,
    cleaned: bool,
}

impl Fixture {
    /// Checks that a daemon answers, removes what dead runs left, creates the run's scratch
    /// directory and imports one busybox image per `(tag suffix, docker import --change
    /// instructions)` of `images`, tagged `IMAGE_REPO:<run id>-<suffix>`.
    pub(super) fn new(run_label: &'static str, images: &[(&str, &[&str])]) -> Result<Fixture> {
        let docker_ok = Command::new("docker")
            .args(["info", "--format", "{{.ServerVersion}}"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !docker_ok {
            bail!("no Docker daemon answers `docker info` (start one: scripts/start-dockerd.sh)");
        }
        // Containers and images of crashed benchmark runs (whichever benchmark: same pid label).
        sweep_stale();
        sweep_scratch(&target_dir(&workspace_root()).join("bench"));
        let pid = std::process::id();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let run_id = format!("{pid}-{nanos:08x}");
        let scratch = target_dir(&workspace_root()).join(format!("bench/scan-{run_id}"));
        std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
        let mut fixture = Fixture {
            run_label,
            run_id,
            images: Vec::new(),
            created: 0,
            scratch,
            cleaned: false,
        };
        super::common::step(if images.len() == 1 {
            "importing the busybox image"
        } else {
            "importing the busybox images"
        });
        for (suffix, changes) in images {
            let tag = format!("{IMAGE_REPO}:{}-{suffix}", fixture.run_id);
            import_image(&tag, changes, &fixture.scratch)?;
            fixture.images.push(tag);
        }
        Ok(fixture)
    }

    pub(super) fn run_id(&self) -> &str {
        &self.run_id
    }

    /// The imported images' tags, in the order asked for.
    pub(super) fn images(&self) -> &[String] {
        &self.images
    }

    /// The run's scratch directory (`target/bench/scan-<run id>`).
    pub(super) fn scratch(&self) -> &Path {
        &self.scratch
    }

    /// Creates containers until there are `n` of this run's: `docker ARGS` for each new index,
    /// with `args(self, index)` (a `run -d …` or `create …` carrying [`run_labels`] of this run's
    /// label), a few at once. Stops early on Ctrl-C; fails naming the first `docker` command that failed.
    pub(super) fn grow_to(&mut self, n: usize, args: impl Fn(&Fixture, usize) -> Vec<String> + Sync) -> Result<()> {
        if n <= self.created {
            return Ok(());
        }
        let next = AtomicUsize::new(self.created);
        let failures: Mutex<Vec<String>> = Mutex::new(Vec::new());
        let this = &*self;
        std::thread::scope(|scope| {
            for _ in 0..CREATE_PARALLEL {
                scope.spawn(|| loop {
                    if check_interrupted().is_err() {
                        return;
                    }
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= n {
                        return;
                    }
                    let args = args(this, i);
                    let out = Command::new("docker").args(&args).stdin(Stdio::null()).output();
                    let failed = match out {
                        Ok(o) if o.status.success() => None,
                        Ok(o) => Some(String::from_utf8_lossy(&o.stderr).trim().to_string()),
                        Err(e) => Some(e.to_string()),
                    };
                    if let Some(why) = failed {
                        if let Ok(mut f) = failures.lock() {
                            f.push(format!("docker {}: {why}", args.join(" ")));
                        }
                        return;
                    }
                });
            }
        });
        self.created = n;
        check_interrupted()?;
        let failures = failures.into_inner().unwrap_or_default();
        if let Some(first) = failures.first() {
            bail!("{} container(s) could not be created; first: {first}", failures.len());
        }
        Ok(())
    }

    /// Removes the run's containers (with their anonymous volumes), images and scratch
    /// directory, once; warns about containers that could not be removed.
    pub(super) fn cleanup(&mut self) {
        if self.cleaned {
            return;
        }
        self.cleaned = true;
        let filter = format!("label={}={}", self.run_label, self.run_id);
        remove_containers(&filter);
        for tag in &self.images {
            let _ = Command::new("docker")
                .args(["rmi", "-f", tag])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        let _ = std::fs::remove_dir_all(&self.scratch);
        let left = list_ids(&filter);
        if !left.is_empty() {
            eprintln!(
                "warning: {} benchmark container(s) could not be removed: docker rm -f $(docker ps -aq --filter {filter})",
                left.len()
            );
        }
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.cleanup();
    }
}

/// `--label RUN_LABEL=RUN_ID --label PID_LABEL=<this process>`.
pub(super) fn run_labels(run_label: &str, run_id: &str) -> [String; 4] {
    [
        "--label".into(),
        format!("{run_label}={run_id}"),
        "--label".into(),
        format!("{PID_LABEL}={}", std::process::id()),
    ]
}

/// Imports a root filesystem of `/bin/busybox` and a few applets (built once under `scratch`) as
/// `tag`, with `docker import --change` instructions.
fn import_image(tag: &str, changes: &[&str], scratch: &Path) -> Result<()> {
    let busybox = Path::new("/bin/busybox");
    if !busybox.is_file() {
        bail!("/bin/busybox is missing: install Debian's busybox-static");
    }
    let root = scratch.join("rootfs");
    let bin = root.join("bin");
    std::fs::create_dir_all(&bin).with_context(|| format!("creating {}", bin.display()))?;
    if !bin.join("busybox").exists() {
        std::fs::copy(busybox, bin.join("busybox")).context("copying busybox")?;
        for applet in ["sh", "sleep", "true", "ps"] {
            std::os::unix::fs::symlink("busybox", bin.join(applet)).context("linking a busybox applet")?;
        }
    }
    let tar = Command::new("tar")
        .arg("-C")
        .arg(&root)
        .args(["-cf", "-", "."])
        .output()
        .context("running tar")?;
    if !tar.status.success() {
        bail!("tar of the rootfs failed");
    }
    let mut cmd = Command::new("docker");
    cmd.arg("import");
    for c in changes {
        cmd.args(["--change", c]);
    }
    let mut child = cmd
        .args(["-", tag])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting docker import")?;
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write as _;
        stdin
            .write_all(&tar.stdout)
            .context("writing the rootfs to docker import")?;
    }
    let out = child.wait_with_output().context("waiting for docker import")?;
    if !out.status.success() {
        bail!(
            "docker import {tag} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// Full ids of the containers (running or not) matching a `docker ps` filter.
pub(super) fn list_ids(filter: &str) -> Vec<String> {
    Command::new("docker")
        .args(["ps", "-aq", "--no-trunc", "--filter", filter])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .split_whitespace()
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// Removes the containers matching a `docker ps` filter, a hundred per `docker rm`, a few at once.
fn remove_containers(filter: &str) {
    let ids = list_ids(filter);
    let chunks: Vec<&[String]> = ids.chunks(100).collect();
    std::thread::scope(|scope| {
        for group in chunks.chunks(4) {
            let handles: Vec<_> = group
                .iter()
                .map(|chunk| {
                    scope.spawn(move || {
                        let _ = Command::new("docker")
                            .args(["rm", "-f", "-v"])
                            .args(chunk.iter())
                            .stdout(Stdio::null())
                            .stderr(Stdio::null())
                            .status();
                    })
                })
                .collect();
            for h in handles {
                let _ = h.join();
            }
        }
    });
}

/// Removes containers and images left by harness runs whose process is gone.
fn sweep_stale() {
    let out = Command::new("docker")
        .args([
            "ps",
            "-a",
            "--no-trunc",
            "--filter",
            &format!("label={PID_LABEL}"),
            "--format",
            &format!("{{{{.ID}}}} {{{{.Label \"{PID_LABEL}\"}}}}"),
        ])
        .output();
    let listing = out
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let stale: Vec<String> = stale_entries(&listing, harness_alive);
    if !stale.is_empty() {
        println!(
            "note: removing {} container(s) left by an earlier benchmark run",
            stale.len()
        );
        for chunk in stale.chunks(100) {
            let _ = Command::new("docker")
                .args(["rm", "-f", "-v"])
                .args(chunk)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
    let images = Command::new("docker")
        .args(["images", "--format", "{{.Repository}}:{{.Tag}}", IMAGE_REPO])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    for tag in images.lines().map(str::trim).filter(|t| !t.is_empty()) {
        let owner = tag
            .rsplit(':')
            .next()
            .and_then(|t| t.split('-').next())
            .and_then(|p| p.parse::<u32>().ok());
        if owner.is_some_and(|p| !harness_alive(p)) {
            let _ = Command::new("docker")
                .args(["rmi", "-f", tag])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// Ids from `<id> <owner pid>` lines whose owner is not alive.
fn stale_entries(listing: &str, alive: impl Fn(u32) -> bool) -> Vec<String> {
    listing
        .lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let id = parts.next()?;
            let owner = parts.next().and_then(|p| p.parse::<u32>().ok());
            match owner {
                Some(pid) if alive(pid) => None,
                _ => Some(id.to_string()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_containers_are_those_of_dead_harnesses() {
        let listing = "aaa 10\nbbb 20\nccc\n";
        assert_eq!(stale_entries(listing, |p| p == 20), vec!["aaa", "ccc"]);
    }

    #[test]
    fn containers_carry_the_run_label_and_the_owner_pid() {
        assert_eq!(
            run_labels("dockaudit.bench.x", "42-ab"),
            [
                "--label".to_string(),
                "dockaudit.bench.x=42-ab".into(),
                "--label".into(),
                format!("dockaudit.bench.pid={}", std::process::id()),
            ]
        );
    }

    /// On the real daemon (not part of scripts/test.sh: `cargo test -p xtask -- --ignored fixture`):
    /// containers carry the run's labels, and an interrupted run (SIGINT) still removes every
    /// container and image it made. Raises SIGINT in this test process, so it runs alone.
    #[test]
    #[ignore = "needs a Docker daemon; raises SIGINT in the test process"]
    fn an_interrupted_run_removes_its_containers_and_images() {
        const LABEL: &str = "dockaudit.bench.fixturetest";
        let mut fixture = Fixture::new(LABEL, &[("fixturetest", &[])]).unwrap();
        let filter = format!("label={LABEL}={}", fixture.run_id());
        let image = fixture.images()[0].clone();
        let args = |f: &Fixture, i: usize| {
            let mut a = ["run", "-d", "--name"].map(String::from).to_vec();
            a.push(format!("dockaudit-bench-fixturetest-{}-{i}", f.run_id()));
            a.extend(run_labels(LABEL, f.run_id()));
            a.extend([f.images()[0].clone(), "sleep".into(), "600".into()]);
            a
        };
        fixture.grow_to(3, args).unwrap();
        assert_eq!(list_ids(&filter).len(), 3);
        let owned = list_ids(&format!("label={PID_LABEL}={}", std::process::id()));
        assert_eq!(owned.len(), 3, "each carries the owner's pid");

        super::super::common::install_signal_handlers();
        // SAFETY: the handler only stores to an atomic.
        unsafe {
            libc::raise(libc::SIGINT);
        }
        let err = fixture.grow_to(6, args).unwrap_err();
        assert_eq!(err.to_string(), "interrupted");
        drop(fixture);
        assert!(list_ids(&filter).is_empty(), "containers left");
        let images = Command::new("docker").args(["images", "-q", &image]).output().unwrap();
        assert!(images.stdout.is_empty(), "image {image} left");
    }
}
