//! The `dockaudit` command. Exit codes: 0 no failures at the threshold, 1 failures found,
//! 2 the command could not run (bad arguments, daemon unreachable, unreadable input).

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;
use dockaudit::commands::EXIT_ERROR;
use dockaudit::output::style::{clean_message, needs_cleaning};

fn main() -> ExitCode {
    let cli = match dockaudit::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_exit(&e),
    };
    match dockaudit::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dockaudit: error: {}", one_line(&e));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// The error chain on one line: "what failed: why". Errors quote file names, file contents and
/// daemon messages, so each part is cleaned.
fn one_line(e: &anyhow::Error) -> String {
    e.chain()
        .map(|cause| clean_message(&cause.to_string()))
        .collect::<Vec<_>>()
        .join(": ")
}

/// `--help` and `--version` (exit 0), or a usage error (exit 2). A usage error quotes what was
/// typed, which may be a hostile file name from a glob: when it holds anything a terminal would
/// act on, it is printed cleaned line by line, without colour.
fn usage_exit(e: &clap::Error) -> ExitCode {
    if !e.use_stderr() {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let plain = e.render().to_string();
    if !plain.lines().any(needs_cleaning) {
        let _ = e.print();
    } else {
        let mut err = std::io::stderr().lock();
        for line in plain.lines() {
            let _ = writeln!(err, "{}", clean_message(line));
        }
    }
    ExitCode::from(EXIT_ERROR)
}
