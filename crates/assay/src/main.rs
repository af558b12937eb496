//! The `assay` command line: parses arguments, runs a command, maps the outcome to an
//! exit code (0 nothing at or above `--fail-on`, 1 otherwise, 2 operational error).

mod cli;
mod commands;

use clap::Parser;
use std::process::ExitCode;

/// Exit code when nothing reached `--fail-on`.
pub const EXIT_OK: u8 = 0;
/// Exit code when some artifact or finding reached `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code for operational errors (bad arguments, unreadable input, I/O).
pub const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("assay: error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
