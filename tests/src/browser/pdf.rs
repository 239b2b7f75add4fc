//! The viewer printed by Chromium itself (`--print-to-pdf`, the print style sheet as a person's
//! "Save as PDF" uses it) and read back with poppler's `pdfinfo`, `pdftotext` and `pdftoppm`
//! (Debian's poppler-utils).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use super::chromium::chromium_path;
use crate::TempDir;

/// Fails the test with instructions when a poppler tool is missing.
pub fn require_poppler() {
    for tool in ["pdfinfo", "pdftotext", "pdftoppm"] {
        assert!(
            Path::new("/usr/bin").join(tool).is_file(),
            "/usr/bin/{tool} is required (Debian: apt-get install -y poppler-utils)"
        );
    }
}

/// Runs `cmd` for at most `limit` (its output discarded), killing its process group when it
/// overruns.
pub fn run_with_limit(cmd: &mut Command, limit: Duration) -> ExitStatus {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start");
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A page printed to PDF, in a scratch directory that goes with it.
pub struct Printed {
    dir: TempDir,
    pub pdf: PathBuf,
}

impl Printed {
    /// Prints `url` with headless Chromium (fresh profile, no browser header or footer), after
    /// giving the viewer time to fetch and render.
    pub fn print(url: &str, tag: &str) -> Printed {
        let dir = TempDir::new(tag);
        let profile = dir.join("profile");
        let pdf = dir.join("printed.pdf");
        let status = run_with_limit(
            Command::new(chromium_path()).args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--no-pdf-header-footer",
                // Let the viewer fetch its files and render before printing.
                "--virtual-time-budget=15000",
                &format!("--user-data-dir={}", profile.display()),
                &format!("--print-to-pdf={}", pdf.display()),
                url,
            ]),
            Duration::from_secs(90),
        );
        assert!(status.success(), "chromium --print-to-pdf failed: {status}");
        Printed { dir, pdf }
    }

    /// The number of pages (`pdfinfo`).
    pub fn pages(&self) -> usize {
        let info = output_of(Command::new("/usr/bin/pdfinfo").arg(&self.pdf));
        info.lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no page count in\n{info}"))
    }

    /// The text of one page (1-based), as `pdftotext` lays it out.
    pub fn page_text(&self, page: usize) -> String {
        let n = page.to_string();
        output_of(
            Command::new("/usr/bin/pdftotext")
                .args(["-f", &n, "-l", &n])
                .arg(&self.pdf)
                .arg("-"),
        )
    }

    /// The text of the whole document.
    pub fn text(&self) -> String {
        output_of(Command::new("/usr/bin/pdftotext").arg(&self.pdf).arg("-"))
    }

    /// One page (1-based) as a PNG at `dpi` (`pdftoppm`), written to `out`.
    pub fn page_png(&self, page: usize, dpi: u32, out: &Path) {
        let n = page.to_string();
        let stem = self.dir.join("page");
        let status = run_with_limit(
            Command::new("/usr/bin/pdftoppm")
                .args(["-png", "-singlefile", "-r", &dpi.to_string(), "-f", &n, "-l", &n])
                .arg(&self.pdf)
                .arg(&stem),
            Duration::from_secs(60),
        );
        assert!(status.success(), "pdftoppm failed: {status}");
        std::fs::copy(stem.with_extension("png"), out).expect("copy the page image");
    }
}

/// The standard output of a command that must succeed within a minute.
pub fn output_of(cmd: &mut Command) -> String {
    let o = cmd.stdin(Stdio::null()).output().expect("command runs");
    assert!(
        o.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}
