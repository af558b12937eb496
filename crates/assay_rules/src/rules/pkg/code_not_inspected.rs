//! PKG014 code-not-inspected.

use crate::context::{Cx, is_test_or_doc};
use assay_core::{ArtifactFormat, ExecutionContext, FileKind, Finding, Location, Severity};

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
    // Files kept whole whose walk stopped early (the syntax-node budget ran out, or the
    // text did not parse): the rest of the code was never read. `.pth` lines have their
    // own not-inspected finding (PKG001).
    let unwalked = cx
        .code
        .iter()
        .filter(|f| {
            f.pth_line.is_none() && f.analysis.unwalked && f.language == assay_lang::Language::Python
        })
        .map(|f| {
            (
                f.entry,
                format!(
                    "{} bytes of Python whose analysis stopped at a bound (syntax nodes or parse): the rest NOT INSPECTED (Python runs all of it)",
                    f.entry.size
                ),
            )
        });
    let unread = cx
        .artifact
        .entries
        .iter()
        .filter(|e| e.file_kind == FileKind::Python && !e.complete && !e.path.ends_with(".pyi"))
        .map(|e| {
            (
                e,
                format!(
                    "{} bytes of Python, over the bound on code files: NOT INSPECTED (Python runs all of it)",
                    e.size
                ),
            )
        });
    for (e, evidence) in unread.chain(unwalked) {
        let mut x = cx.finding(&META, Location::file(e.path.clone()), evidence);
        // Inside a package, an archive it ships is data no installer unpacks: code in it
        // that was not inspected is medium (as the archive findings there are). In a
        // plain bundle the nested package is what gets installed: critical.
        let nested_data = e.path.contains("!/")
            && matches!(
                cx.artifact.format,
                ArtifactFormat::Wheel
                    | ArtifactFormat::Sdist
                    | ArtifactFormat::Egg
                    | ArtifactFormat::Environment
            );
        if is_test_or_doc(cx.rel(&e.path)) || nested_data {
            x.severity = Severity::Medium;
        } else {
            x.context = Some(ExecutionContext::ImportTime);
        }
        out.push(x);
    }
}
