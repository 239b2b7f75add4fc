//! `cargo xtask build-viewer`: the `dockaudit-viewer` crate as a static site — a release build
//! for `wasm32-unknown-unknown`, `wasm-bindgen --target web`, the static files from
//! `viewer/static/`, and `wasm-opt -Oz --converge` when a recent binaryen is at hand.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::workspace::{run, target_dir, workspace_root};

/// The wasm-bindgen CLI must match the `wasm-bindgen` crate the viewer pins, byte for byte.
const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// Cargo profile defined in `.cargo/config.toml`: release, tuned for size.
const PROFILE: &str = "viewer-release";
/// Stem of the generated JS glue and wasm (`dockaudit_viewer.js`, `dockaudit_viewer_bg.wasm`).
const OUT_NAME: &str = "dockaudit_viewer";
/// Oldest binaryen whose `wasm-opt` understands what rustc emits for wasm32 today.
const MIN_BINARYEN: u32 = 116;

/// Builds `viewer/dist/` and returns its path.
pub fn build_viewer() -> Result<PathBuf> {
    build_viewer_into(workspace_root().join("viewer/dist"))
}

/// Builds the static viewer into `dist` (replacing it) and returns its path.
pub fn build_viewer_into(dist: PathBuf) -> Result<PathBuf> {
    let root = workspace_root();

    step("cargo build (wasm32-unknown-unknown, release)");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    run(Command::new(cargo).current_dir(&root).args([
        "build",
        "-p",
        "dockaudit-viewer",
        "--bin",
        "dockaudit-viewer",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        PROFILE,
    ]))?;
    let wasm = target_dir(&root)
        .join("wasm32-unknown-unknown")
        .join(PROFILE)
        .join("dockaudit-viewer.wasm");
    if !wasm.is_file() {
        bail!("cargo reported success but {} is missing", wasm.display());
    }

    step("wasm-bindgen --target web");
    let bindgen = find_wasm_bindgen()?;
    if dist.exists() {
        std::fs::remove_dir_all(&dist).with_context(|| format!("removing old {}", dist.display()))?;
    }
    std::fs::create_dir_all(&dist).with_context(|| format!("creating {}", dist.display()))?;
    run(Command::new(&bindgen)
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            OUT_NAME,
            "--out-dir",
        ])
        .arg(&dist)
        .arg(&wasm))?;

    step("static files");
    let statics = root.join("viewer/static");
    copy_dir(&statics, &dist).with_context(|| format!("copying {}", statics.display()))?;

    let out_wasm = dist.join(format!("{OUT_NAME}_bg.wasm"));
    step("wasm-opt -Oz --converge");
    match find_wasm_opt(&root) {
        Some(opt) => {
            let tmp = dist.join(format!("{OUT_NAME}_bg.opt.wasm"));
            // `--converge` repeats the passes while they still shrink the module (about 1 KB of
            // the gzipped wasm more than one round); the producers and target-features sections
            // only describe the toolchain, browsers ignore them.
            run(Command::new(&opt)
                .args(["-Oz", "--converge", "--strip-producers", "--strip-target-features"])
                .args(WASM_FEATURES)
                .arg(&out_wasm)
                .arg("-o")
                .arg(&tmp))?;
            std::fs::rename(&tmp, &out_wasm).context("replacing the wasm with the optimised one")?;
        }
        None => println!(
            "note: no wasm-opt from binaryen >= {MIN_BINARYEN} found (set WASM_OPT, or run \
             `npm install --prefix target/binaryen binaryen@132`); the wasm is not optimised further"
        ),
    }

    let size = std::fs::metadata(&out_wasm).map(|m| m.len()).unwrap_or(0);
    println!("{}: {} KiB", out_wasm.display(), size / 1024);
    Ok(dist)
}

/// The wasm features rustc enables by default for wasm32-unknown-unknown, so wasm-opt accepts them
/// without enabling anything more (older browsers would choke on extra ones).
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];

fn step(what: &str) {
    println!("==> {what}");
}

/// `wasm-bindgen` on PATH or in `~/.cargo/bin`, at exactly the pinned version.
fn find_wasm_bindgen() -> Result<PathBuf> {
    let mut candidates = vec![PathBuf::from("wasm-bindgen")];
    if let Some(home) =
        std::env::var_os("CARGO_HOME").or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo").into()))
    {
        candidates.push(Path::new(&home).join("bin/wasm-bindgen"));
    }
    let mut seen = Vec::new();
    for c in candidates {
        if let Some(version) = tool_version(&c) {
            if version.split_whitespace().any(|w| w == WASM_BINDGEN_VERSION) {
                return Ok(c);
            }
            seen.push(format!("{} ({})", c.display(), version.trim()));
        }
    }
    let found = if seen.is_empty() {
        "none found".to_string()
    } else {
        format!("found {}", seen.join(", "))
    };
    bail!(
        "wasm-bindgen {WASM_BINDGEN_VERSION} is required ({found}); install it with \
         `cargo install wasm-bindgen-cli --version {WASM_BINDGEN_VERSION} --locked`"
    )
}

/// A recent `wasm-opt`: `$WASM_OPT`, then an npm install under `target/`, then PATH.
fn find_wasm_opt(root: &Path) -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(p) = std::env::var_os("WASM_OPT") {
        candidates.push(PathBuf::from(p));
    }
    candidates.push(target_dir(root).join("binaryen/node_modules/.bin/wasm-opt"));
    candidates.push(target_dir(root).join("tools/binaryen/node_modules/.bin/wasm-opt"));
    candidates.push(root.join("node_modules/.bin/wasm-opt"));
    candidates.push(PathBuf::from("wasm-opt"));
    for c in candidates {
        let Some(version) = tool_version(&c) else { continue };
        match binaryen_version(&version) {
            Some(v) if v >= MIN_BINARYEN => return Some(c),
            _ => println!(
                "note: ignoring {} ({}): binaryen {MIN_BINARYEN} or newer is needed",
                c.display(),
                version.trim()
            ),
        }
    }
    None
}

/// `wasm-opt version 132 (version_132)` → 132.
fn binaryen_version(text: &str) -> Option<u32> {
    let mut words = text.split_whitespace();
    words.find(|w| *w == "version")?;
    words.next()?.parse().ok()
}

fn tool_version(program: &Path) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&dest)?;
            copy_dir(&entry.path(), &dest)?;
        } else {
            std::fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_binaryen_versions() {
        assert_eq!(binaryen_version("wasm-opt version 132 (version_132)"), Some(132));
        assert_eq!(binaryen_version("wasm-opt version 108"), Some(108));
        assert_eq!(binaryen_version("something else"), None);
    }
}
