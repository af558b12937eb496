//! PKG009 startup-hook-file.

use crate::context::Cx;
use assay_core::{ArtifactFormat, ExecutionContext, Finding, Location, Severity};

declare_rule! {
    /// ## What it does
    /// Flags `sitecustomize.py` and `usercustomize.py` shipped inside a package, and
    /// reports those present in a scanned environment. Their code is analysed with the
    /// startup execution context.
    ///
    /// ## Why it matters
    /// Python imports these modules automatically at every start; a package that ships
    /// one takes over every Python process of the environment.
    ///
    /// ## Example
    /// A wheel with `sitecustomize.py` at its root.
    ///
    /// ## False positives
    /// Distributions (Debian, conda) and coverage tooling install a `sitecustomize.py` in
    /// environments: reported as info there.
    ///
    /// ## References
    /// - Python docs, `site` — sitecustomize / usercustomize
    /// - MITRE ATT&CK T1546.018 (Python Startup Hooks)
    pub static META = StartupHookFile;
}

/// Check for startup hook modules.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for e in &cx.artifact.entries {
        let rel = cx.rel(&e.path);
        let top = rel.split('/').count() <= 2;
        if !(top && (e.file_name() == "sitecustomize.py" || e.file_name() == "usercustomize.py")) {
            continue;
        }
        // `tests/sitecustomize.py` of an sdist configures the test run; it is not installed.
        if crate::context::is_test_or_doc(rel) {
            continue;
        }
        let mut x = cx.finding(
            &META,
            Location::file(e.path.clone()),
            format!("{} runs at every interpreter start", e.file_name()),
        );
        x.context = Some(ExecutionContext::Startup);
        if cx.artifact.format == ArtifactFormat::Environment {
            x.severity = Severity::Info;
        }
        out.push(x);
    }
}
