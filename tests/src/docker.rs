//! A real dockerd for tests: an offline image built from busybox-static, and containers that are
//! removed when the guard drops (also when the test panics).

use std::path::Path;
use std::process::{Command, Output};

/// Runs the docker CLI and returns its output.
pub fn docker(args: &[&str]) -> Output {
    Command::new("docker")
        .args(args)
        .output()
        .expect("the docker CLI runs (install docker.io)")
}

/// Runs the docker CLI and panics with its stderr when it fails.
pub fn docker_ok(args: &[&str]) -> String {
    let out = docker(args);
    assert!(
        out.status.success(),
        "docker {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Fails the test with a clear message when no daemon answers.
pub fn require_daemon() {
    let out = docker(&["info", "--format", "{{.ServerVersion}}"]);
    assert!(
        out.status.success(),
        "no Docker daemon answers ({}); run the tests through scripts/test.sh, which starts one",
        String::from_utf8_lossy(&out.stderr).trim()
    );
}

/// An image imported from a busybox-static root filesystem; removed on drop.
pub struct TestImage {
    pub tag: String,
}

impl TestImage {
    /// Imports `/bin/busybox` (Debian's busybox-static) as `tag`, with a few applet links.
    pub fn import(tag: &str) -> TestImage {
        let root = crate::TempDir::new("rootfs");
        let bin = root.join("bin");
        std::fs::create_dir_all(&bin).expect("rootfs bin");
        std::fs::copy(busybox(), bin.join("busybox")).expect("copy busybox");
        for applet in ["sh", "sleep", "true", "ps", "cat"] {
            std::os::unix::fs::symlink("busybox", bin.join(applet)).expect("applet link");
        }
        TestImage::import_dir(tag, root.path(), &[])
    }

    /// Imports the root filesystem under `root` (every file owned by root in the image) as `tag`,
    /// with `docker import --change` instructions (`ENV …`, `HEALTHCHECK …`); removed on drop.
    pub fn import_dir(tag: &str, root: &Path, changes: &[&str]) -> TestImage {
        require_daemon();
        let tar = Command::new("tar")
            .args(["-C", &root.to_string_lossy(), "--owner=0", "--group=0", "-cf", "-", "."])
            .output()
            .expect("tar runs");
        assert!(tar.status.success(), "tar failed");
        let mut args = vec!["import"];
        for change in changes {
            args.extend(["--change", change]);
        }
        args.extend(["-", tag]);
        let mut child = Command::new("docker")
            .args(&args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("docker import runs");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(&tar.stdout).expect("write rootfs");
        }
        assert!(child.wait().expect("docker import").success(), "docker import failed");
        TestImage { tag: tag.to_string() }
    }
}

/// Debian's busybox-static, which every test image is made of.
pub fn busybox() -> &'static Path {
    let busybox = Path::new("/bin/busybox");
    assert!(
        busybox.exists(),
        "/bin/busybox is missing: install Debian's busybox-static"
    );
    busybox
}

impl TestImage {
    /// `docker commit -m MESSAGE --change CHANGE… CONTAINER TAG`: an image whose newest history
    /// step is the container's command (`CreatedBy`) and `MESSAGE` (`Comment`); removed on drop.
    pub fn commit(container: &str, tag: &str, message: &str, changes: &[&str]) -> TestImage {
        let mut args = vec!["commit", "-m", message];
        for change in changes {
            args.extend(["--change", change]);
        }
        args.extend([container, tag]);
        docker_ok(&args);
        TestImage { tag: tag.to_string() }
    }
}

impl Drop for TestImage {
    fn drop(&mut self) {
        let _ = docker(&["rmi", "-f", &self.tag]);
    }
}

/// Containers created by a test; all removed (with their anonymous volumes) on drop.
#[derive(Default)]
pub struct Containers {
    names: Vec<String>,
}

impl Containers {
    /// `docker create --name NAME ARGS… IMAGE CMD…`; returns the id.
    pub fn create(&mut self, name: &str, args: &[&str], image: &str, cmd: &[&str]) -> String {
        self.names.push(name.to_string());
        let mut all = vec!["create", "--name", name, "--label", "dockaudit-test=1"];
        all.extend_from_slice(args);
        all.push(image);
        all.extend_from_slice(cmd);
        docker_ok(&all)
    }

    /// Like [`Containers::create`], then starts it.
    pub fn run(&mut self, name: &str, args: &[&str], image: &str, cmd: &[&str]) -> String {
        let id = self.create(name, args, image, cmd);
        docker_ok(&["start", name]);
        id
    }

    /// Forgets a container the test removed itself.
    pub fn forget(&mut self, name: &str) {
        self.names.retain(|n| n != name);
    }
}

impl Drop for Containers {
    fn drop(&mut self) {
        if !self.names.is_empty() {
            let mut args = vec!["rm", "-f", "-v"];
            args.extend(self.names.iter().map(String::as_str));
            let _ = docker(&args);
        }
    }
}
