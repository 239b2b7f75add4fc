//! Build orchestration that cargo alone cannot express.
//!
//! `cargo xtask build-viewer` turns the `dockaudit-viewer` crate into a static site in
//! `viewer/dist/`: a release build for `wasm32-unknown-unknown`, `wasm-bindgen --target web`, the
//! static files from `viewer/static/`, and `wasm-opt -Oz` when a recent binaryen is at hand. No
//! bundler and no network: every step is a local tool, and each missing optional tool is reported,
//! never silently skipped.

use std::process::ExitCode;

mod bench;
mod build_viewer;
mod workspace;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  build-viewer   build the static viewer into viewer/dist/ (release wasm, wasm-bindgen, static files,
                 wasm-opt -Oz when binaryen >= 116 is found via $WASM_OPT, an npm install
                 under target/binaryen or target/tools/binaryen, or PATH)
  bench          measure `dockaudit scan` against the docker-inspect floor (10, 100, 500 containers
                 on the local daemon) and the viewer in headless Chromium; writes BENCHMARKS.md
                 (`cargo xtask bench --help` for options)
  help           show this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build-viewer") => build_viewer::build_viewer().map(|dist| {
            println!("viewer built in {}", dist.display());
        }),
        Some("bench") => bench::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => {
            eprintln!("unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
