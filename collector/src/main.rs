//! The `dockaudit` command. Exit codes: 0 no failures at the threshold, 1 failures found,
//! 2 the command could not run (bad arguments, daemon unreachable, unreadable input).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match dockaudit::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                dockaudit::commands::EXIT_ERROR
            } else {
                0
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match dockaudit::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dockaudit: error: {}", one_line(&e));
            ExitCode::from(dockaudit::commands::EXIT_ERROR)
        }
    }
}

/// The error chain on one line: "what failed: why".
fn one_line(e: &anyhow::Error) -> String {
    e.chain().map(ToString::to_string).collect::<Vec<_>>().join(": ")
}
