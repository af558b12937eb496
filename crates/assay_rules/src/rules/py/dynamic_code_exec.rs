//! PY013 dynamic-code-exec.

use crate::context::{CodeFile, Cx};
use assay_core::{Capability, ExecutionContext, Finding, Severity};
use assay_lang::{EventKind, Taint};

declare_rule! {
    /// ## What it does
    /// Flags `exec`/`eval`/`compile` of a value assay cannot resolve (not a literal, not a
    /// local file's content) in code that runs at install time, startup or import.
    ///
    /// ## Why it matters
    /// Code built at run time from pieces defeats review; in automatic contexts it is
    /// frequently the last step of a decoder assay could not fold.
    ///
    /// ## Example
    /// ```python
    /// payload = "".join(parts); exec(payload)
    /// ```
    ///
    /// ## False positives
    /// `exec(open("pkg/_version.py").read())` in `setup.py` is common and ignored (file
    /// taint). Frameworks that generate code (dataclass-like helpers, templating) do so in
    /// runtime code, which is not flagged.
    ///
    /// ## References
    /// - CWE-95: Eval Injection
    /// - MITRE ATT&CK T1059.006 (Python)
    pub static META = DynamicCodeExec;
}

/// Check exec events of unresolved values in automatic contexts.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    let explained =
        Taint::DECODED | Taint::DECRYPTED | Taint::CODE_OBJECT | Taint::NETWORK | Taint::FILE_READ;
    if f.is_test_or_doc() {
        return;
    }
    for e in f
        .analysis
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Exec && !e.taint.has(explained))
    {
        let sev = match e.context {
            ExecutionContext::Startup => Severity::Medium,
            ExecutionContext::InstallTime => Severity::Low,
            _ => continue,
        };
        // exec of a known constant was analysed as a child; nothing hidden.
        if e.arg.is_some() {
            continue;
        }
        let mut x = cx.event_finding(
            &META,
            f,
            e,
            sev,
            format!("{} of a computed value: {}", e.api, e.snippet),
        );
        x.capabilities = vec![Capability::CodeExec];
        out.push(x);
    }
}
