//! JS004 javascript-not-inspected.

use crate::context::{Cx, is_test_or_doc};
use assay_core::{ExecutionContext, FileKind, Finding, Location, Severity};
use assay_lang::{FileRole, Language};

declare_rule! {
    /// ## What it does
    /// Reports a JavaScript or TypeScript file of an npm package that assay could not
    /// analyse whole: over the size bound on code files (16 MiB), nested deeper than the
    /// parser's bound, over the syntax-node budget, or rejected by the parser outright.
    /// A file an npm lifecycle script runs (or one it `require`s) is high: it runs by
    /// itself on `npm install`. Any other module is low: it is listed, so the report
    /// never calls unread code clean, but it does not decide a verdict.
    ///
    /// ## Why it matters
    /// Attackers pad payloads past scanners' limits, and event-stream's loader hid in a
    /// minified file. A scanner that silently skips what it cannot read reports the
    /// package clean; assay says what it did not read.
    ///
    /// ## Example
    /// A `postinstall: node setup.js` whose `setup.js` is 20 MB of one line.
    ///
    /// ## False positives
    /// Flow-typed sources and very large generated bundles (test fixtures, WebAssembly
    /// glue) are legitimate and end up here as low findings.
    ///
    /// ## References
    /// - CWE-1284: Improper Validation of Specified Quantity in Input
    pub static META = UnparsedJavascript;
}

/// Report every JavaScript file that was not analysed whole.
pub fn check(cx: &Cx, out: &mut Vec<Finding>) {
    let mut report = |path: &str, install: bool, why: String| {
        let test = is_test_or_doc(cx.rel(path));
        let mut x = cx.finding(&META, Location::file(path), why);
        x.severity = if install && !test {
            Severity::High
        } else {
            Severity::Low
        };
        x.context = Some(if install {
            ExecutionContext::InstallTime
        } else {
            ExecutionContext::ImportTime
        });
        out.push(x);
    };
    for f in cx
        .code
        .iter()
        .filter(|f| f.language == Language::JavaScript && f.analysis.unwalked)
    {
        report(
            &f.entry.path,
            f.role == FileRole::SetupScript,
            format!(
                "{} bytes of JavaScript whose analysis stopped at a bound (nesting, syntax nodes or parse): NOT INSPECTED",
                f.entry.size
            ),
        );
    }
    let install: std::collections::HashSet<String> = install_files(cx);
    for e in cx.artifact.entries.iter().filter(|e| {
        // Type declarations and source maps are never run; the reader keeps only
        // their head by design.
        let lower = e.path.to_ascii_lowercase();
        e.file_kind == FileKind::JavaScript
            && !e.complete
            && ![".d.ts", ".d.mts", ".d.cts", ".map"]
                .iter()
                .any(|x| lower.ends_with(x))
    }) {
        report(
            &e.path,
            install.contains(&e.path),
            format!(
                "{} bytes of JavaScript, over the bound on code files: NOT INSPECTED",
                e.size
            ),
        );
    }
}

/// Paths that npm lifecycle scripts run, by name (for files too large to analyse).
fn install_files(cx: &Cx) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    for p in &cx.npm {
        let Ok(m) = &p.manifest else { continue };
        for (_, cmd) in m.install_scripts() {
            for f in assay_formats::files_run_by(cmd, &m.scripts) {
                out.insert(format!("{}{}", p.dir, f));
            }
        }
    }
    out
}
