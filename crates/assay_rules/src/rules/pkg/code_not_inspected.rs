//! PKG014 code-not-inspected.

use crate::context::{Cx, is_test_or_doc};
use assay_core::{ExecutionContext, FileKind, Finding, Location, Severity};

declare_rule! {
    /// ## What it does
    /// Reports Python code that assay could not read whole because it is larger than the
    /// bound on code files (16 MiB; only the first 4 KiB are kept for classification).
    /// Outside tests and docs it is critical at medium confidence, so the verdict is
    /// `malicious` and every gate (`--fail-on`, `assay guard`) blocks it; under
    /// tests/docs it is medium.
    ///
    /// ## Why it matters
    /// A bound that stops inspection must not turn into "clean": padding a module past
    /// the bound with text that compresses well, and putting the payload at the end, is
    /// a cheap evasion. Python runs the whole file.
    ///
    /// ## Example
    /// `pkg/__init__.py` of 17 MiB: 16 MiB of comments, then `os.system(…)`.
    ///
    /// ## False positives
    /// Generated modules (tables, embedded data) over 16 MiB. They are rare on PyPI; keep
    /// such data out of `.py` files, or suppress the finding for the file's sha256 with a
    /// `--config` you name.
    ///
    /// ## References
    /// - MITRE ATT&CK T1027.001 (Binary Padding)
    pub static META = CodeNotInspected;
}

/// Report every Python file kept only in part.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for e in cx
        .artifact
        .entries
        .iter()
        .filter(|e| e.file_kind == FileKind::Python && !e.complete && !e.path.ends_with(".pyi"))
    {
        let mut x = cx.finding(
            &META,
            Location::file(e.path.clone()),
            format!(
                "{} bytes of Python, over the bound on code files: NOT INSPECTED (Python runs all of it)",
                e.size
            ),
        );
        if is_test_or_doc(cx.rel(&e.path)) {
            x.severity = Severity::Medium;
        } else {
            x.context = Some(ExecutionContext::ImportTime);
        }
        out.push(x);
    }
}
