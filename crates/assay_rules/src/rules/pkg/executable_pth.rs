//! PKG001 executable-pth-line.

use crate::context::Cx;
use assay_core::{Capability, ExecutionContext, Finding, Severity};
use assay_lang::{EventKind, FileRole};

declare_rule! {
    /// ## What it does
    /// Reads every `.pth` file and analyses each line that starts with `import` — the lines
    /// Python's `site` module *executes* at every interpreter start. A line that starts
    /// processes, uses the network, executes or decodes code, writes files or loads native
    /// code is critical; any other executable line is reported as info.
    ///
    /// ## Why it matters
    /// A `.pth` line runs before any user code, in every Python process of the
    /// environment, including `pip` itself — without the package ever being imported.
    /// The 2026 LiteLLM compromise shipped `litellm_init.pth` whose single line spawned a
    /// Python process that decoded and ran a credential stealer.
    ///
    /// ## Example
    /// ```text
    /// import os, subprocess, sys; subprocess.Popen([sys.executable, "-c", "import base64; exec(base64.b64decode('…'))"])
    /// ```
    ///
    /// ## False positives
    /// setuptools' `distutils-precedence.pth`, editable-install finders and virtualenv's
    /// `_virtualenv.pth` execute an import only: reported as info, never raising a verdict.
    ///
    /// ## References
    /// - Python docs, `site` — "Lines starting with import are executed"
    /// - MITRE ATT&CK T1546.018 (Python Startup Hooks)
    pub static META = ExecutablePthLine;
}

/// Check each executable `.pth` line.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    // Fail closed: a `.pth` file assay could not read whole runs at every start all the
    // same, so it is reported as decisively as a dangerous line (critical, medium
    // confidence: the verdict is `malicious` and every gate blocks it), never skipped.
    for e in cx
        .artifact
        .entries
        .iter()
        .filter(|e| e.file_kind == assay_core::FileKind::Pth)
    {
        let problem = if !e.complete {
            Some(format!("{} bytes: too large to read whole", e.size))
        } else {
            match assay_formats::parse_pth(&e.data) {
                Err(err) => Some(err.to_string()),
                Ok(p) => p
                    .lines
                    .iter()
                    .find(|l| l.truncated && matches!(l.kind, assay_formats::PthKind::Import(_)))
                    .map(|l| {
                        format!(
                            "executable line {} is longer than {} bytes",
                            l.line_no,
                            assay_formats::pth::MAX_PTH_IMPORT_LEN
                        )
                    }),
            }
        };
        if let Some(why) = problem {
            out.push(not_inspected(cx, e.path.clone(), None, &why));
        }
    }
    // An executable line whose analysis stopped at a bound (nesting, node budget, decode
    // depth) was not inspected whole either.
    for f in cx
        .code
        .iter()
        .filter(|f| f.pth_line.is_some() && f.analysis.truncated)
    {
        out.push(not_inspected(
            cx,
            f.entry.path.clone(),
            f.pth_line,
            "the analysis of this executable line stopped at a bound",
        ));
    }
    for f in cx.code.iter().filter(|f| f.pth_line.is_some()) {
        let dangerous: Vec<&str> = f
            .analysis
            .events
            .iter()
            .filter(|e| {
                // exec of a plain string literal is analysed as a child: judge what it does.
                !(e.kind == EventKind::Exec
                    && e.arg.is_some()
                    && !e.taint.has(assay_lang::Taint::DECODED))
                    && matches!(
                        e.kind,
                        EventKind::ProcessSpawn
                            | EventKind::Network
                            | EventKind::Download
                            | EventKind::Exec
                            | EventKind::Decode
                            | EventKind::Deserialize
                            | EventKind::FileWrite
                            | EventKind::NativeLoad
                            | EventKind::Decrypt
                    )
            })
            .map(|e| e.kind.as_str())
            .collect();
        let line = String::from_utf8_lossy(&f.entry.data)
            .lines()
            .nth(f.pth_line.unwrap_or(1).saturating_sub(1) as usize)
            .unwrap_or_default()
            .to_owned();
        let mut loc = assay_core::Location::file(f.entry.path.clone());
        loc.line = f.pth_line;
        let mut x = cx.finding(&META, loc, line.trim());
        x.context = Some(ExecutionContext::Startup);
        if dangerous.is_empty() {
            x.severity = Severity::Info;
            x.evidence = format!("executes at startup: {}", x.evidence);
        } else {
            let mut kinds = dangerous.clone();
            kinds.sort_unstable();
            kinds.dedup();
            x.evidence = format!(
                "runs at every interpreter start and does {}: {}",
                kinds.join("+"),
                x.evidence
            );
            x.capabilities = vec![Capability::CodeExec, Capability::Process];
        }
        debug_assert_eq!(f.role, FileRole::Startup);
        x.fingerprint = assay_core::fingerprint(META.rule.code(), &f.entry.path, &x.evidence);
        out.push(x);
    }
}

/// A startup file or line assay could not inspect whole: critical at medium confidence.
fn not_inspected(cx: &Cx, path: String, line: Option<u32>, why: &str) -> Finding {
    let mut loc = assay_core::Location::file(path);
    loc.line = line;
    let mut x = cx.finding(
        &META,
        loc,
        format!("runs at every interpreter start but was NOT INSPECTED ({why})"),
    );
    x.severity = Severity::Critical;
    x.confidence = assay_core::Confidence::Medium;
    x.context = Some(ExecutionContext::Startup);
    x
}
