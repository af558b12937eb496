//! The `assay` command line: parses arguments, runs a command, maps the outcome to an
//! exit code (0 nothing at or above `--fail-on`, 1 otherwise, 2 operational error).

mod cli;
mod commands;
mod memory;

use clap::Parser;
use std::process::ExitCode;

/// Exit code when nothing reached `--fail-on`.
pub const EXIT_OK: u8 = 0;
/// Exit code when some artifact or finding reached `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code for operational errors (bad arguments, unreadable input, I/O).
pub const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    memory::tune_allocator();
    // Worker threads get stacks large enough for the JavaScript parser and walk on deep
    // expressions (`assay_lang::js` grows the stack itself only past this): reserved
    // address space, touched only as used. A pool that cannot be built (already built)
    // keeps the default, and the analysis grows its stack on demand instead.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(assay_lang::js::WORKER_STACK)
        .build_global();
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
            eprintln!("assay: error: {}", error_chain(&e));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// The error and its causes joined by `: ` (as `{:#}` does), leaving out a cause whose
/// text an outer message already contains: many library errors (walkdir, zip, io
/// wrappers) repeat their source in their own message, which `{:#}` would print twice
/// (issue 17: "errors are printed twice").
fn error_chain(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if text.is_empty() || out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file (os error 2)");
        let wrapped = anyhow::Error::new(io).context("walking x: No such file (os error 2)");
        let e = wrapped.context("reading x");
        assert_eq!(
            super::error_chain(&e),
            "reading x: walking x: No such file (os error 2)"
        );
        let plain = anyhow::anyhow!("inner").context("outer");
        assert_eq!(super::error_chain(&plain), "outer: inner");
    }
}
