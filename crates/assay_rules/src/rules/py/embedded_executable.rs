//! PY015 embedded-executable.

use crate::context::{CodeFile, Cx};
use assay_core::{Capability, Finding, Severity};
use assay_lang::EventKind;

declare_rule! {
    /// ## What it does
    /// Flags string or bytes literals in Python code that decode (base64/32/16, hex,
    /// optionally decompressed) to a native executable: a PE (`MZ`), ELF or Mach-O file.
    ///
    /// ## Why it matters
    /// Shipping a program as text inside a `.py` file hides it from file-type checks and
    /// from reviewers; the next step is writing it to disk and starting it. Droppers in
    /// `setup.py` embed their Windows implant this way (`'TVqQAAMAAAAEAAAA…'`).
    ///
    /// ## Example
    /// ```python
    /// blob = 'TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEAAA…'
    /// ```
    ///
    /// ## False positives
    /// Installers that embed a tiny launcher stub exist but are rare; in test and doc files
    /// the severity is low.
    ///
    /// ## References
    /// - MITRE ATT&CK T1027.009 (Embedded Payloads), T1105 (Ingress Tool Transfer)
    pub static META = EmbeddedExecutable;
}

/// Check embedded-executable events.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    for e in f
        .analysis
        .events
        .iter()
        .filter(|e| e.kind == EventKind::EmbeddedExecutable)
    {
        let sev = if f.is_test_or_doc() {
            Severity::Low
        } else {
            META.rule.severity_in(e.context)
        };
        let what = e.arg.clone().unwrap_or_default();
        let mut x = cx.event_finding(
            &META,
            f,
            e,
            sev,
            format!("encoded literal decodes to a {what}"),
        );
        x.capabilities = vec![Capability::Obfuscation, Capability::CodeExec];
        out.push(x);
    }
}
